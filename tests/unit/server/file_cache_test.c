/*
 * The worker's cache of open files (src/server/file_cache.c): a hit costs no open; a file
 * written in place is seen at once, one renamed over the path once the entry's second is up; a file swapped for a link out of the
 * root is refused then; an entry pushed out while a response uses it stays open until the
 * response gives it back.
 */
#include "test.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/internal.h"

static char dir[64] = "/tmp/lucid-fcache-XXXXXX";
static char root[128];
static struct lc_srv srv; /* large: static */
static struct lc_srv_vloc loc;

static void write_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static int fd_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1;
}

static void test_cache(void)
{
    struct lc_srv_file a, b, c;

    CHECK(mkdtemp(dir) != NULL);
    snprintf(root, sizeof(root), "%s/root", dir);
    CHECK(mkdir(root, 0755) == 0);
    write_file("a.txt", "first");
    write_file("index.html", "index");
    loc.prefix = "/";
    loc.prefix_len = 1;
    CHECK(realpath(root, loc.root) != NULL);
    loc.index = "index.html";
    srv.now_ms = 1000000;

    /* a miss opens and keeps; a hit within the second is the same entry and fd */
    CHECK(lc_srv_file_get(&srv, &loc, "/a.txt", 0, &a) == 0 && a.entry != NULL);
    CHECK(lc_srv_file_get(&srv, &loc, "/a.txt", 0, &b) == 0 && b.entry == a.entry);
    CHECK(b.fd == a.fd && b.size == 5);
    lc_srv_file_put(&srv, b.entry, b.fd);
    lc_srv_file_put(&srv, a.entry, a.fd);
    CHECK(fd_open(a.fd)); /* kept open for the next request */

    /* a directory path takes the location's index */
    CHECK(lc_srv_file_get(&srv, &loc, "/", 1, &c) == 0 && c.size == 5);
    lc_srv_file_put(&srv, c.entry, c.fd);

    /* written in place: seen at once (the open file's own metadata is read each time) */
    write_file("a.txt", "second, longer");
    CHECK(lc_srv_file_get(&srv, &loc, "/a.txt", 0, &b) == 0 && b.size == 14);
    CHECK(b.entry == a.entry);
    lc_srv_file_put(&srv, b.entry, b.fd);

    /* another file renamed over the path: trusted within the second, then seen */
    char tmp[256], path[256];
    snprintf(tmp, sizeof(tmp), "%s/new.tmp", root);
    snprintf(path, sizeof(path), "%s/a.txt", root);
    write_file("new.tmp", "third");
    CHECK(rename(tmp, path) == 0);
    CHECK(lc_srv_file_get(&srv, &loc, "/a.txt", 0, &b) == 0 && b.size == 14);
    lc_srv_file_put(&srv, b.entry, b.fd);
    srv.now_ms += 1500;
    CHECK(lc_srv_file_get(&srv, &loc, "/a.txt", 0, &b) == 0 && b.size == 5);
    CHECK(b.entry != a.entry || b.fd != a.fd);
    lc_srv_file_put(&srv, b.entry, b.fd);

    /* swapped for a link out of the root: refused once the second is up */
    char target[256], link[256];
    snprintf(target, sizeof(target), "%s/secret.txt", dir);
    FILE *f = fopen(target, "w");
    CHECK(f != NULL);
    fputs("secret", f);
    fclose(f);
    snprintf(link, sizeof(link), "%s/a.txt", root);
    CHECK(unlink(link) == 0 && symlink(target, link) == 0);
    srv.now_ms += 1500;
    CHECK(lc_srv_file_get(&srv, &loc, "/a.txt", 0, &b) == 403);

    /* in use while pushed out: open until given back */
    write_file("b.txt", "bbb");
    CHECK(lc_srv_file_get(&srv, &loc, "/b.txt", 0, &a) == 0 && a.entry != NULL);
    lc_srv_file_cache_free(&srv); /* every entry leaves its slot */
    CHECK(fd_open(a.fd));
    int fd = a.fd;
    lc_srv_file_put(&srv, a.entry, a.fd);
    CHECK(!fd_open(fd));

    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

TEST_MAIN(test_cache)
