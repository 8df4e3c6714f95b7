/* Tests for src/server/files.c: what a decoded path opens under the root (files, directory
 * indexes, redirects, links inside and outside the root, FIFOs), and content types. */
#include "test.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/internal.h"

static char dir[64], root[PATH_MAX];

static void put(const char *rel, const char *text)
{
    char path[PATH_MAX + 64];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

static void setup(void)
{
    char path[PATH_MAX + 32];

    snprintf(dir, sizeof(dir), "/tmp/lucid-files-test-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/root", dir);
    mkdir(path, 0755);
    CHECK(realpath(path, root) != NULL); /* the server keeps the root resolved */
    snprintf(path, sizeof(path), "%s/docs", root);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/empty", root);
    mkdir(path, 0755);
    put("index.html", "home");
    put("docs/index.html", "docs");
    put("style.CSS", "css");
    snprintf(path, sizeof(path), "%s/secret.txt", dir);
    FILE *f = fopen(path, "w");
    fputs("secret", f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/out.txt", root);
    CHECK(symlink("../secret.txt", path) == 0);
    snprintf(path, sizeof(path), "%s/outdir", root);
    CHECK(symlink("..", path) == 0);
    snprintf(path, sizeof(path), "%s/in.html", root);
    CHECK(symlink("docs/index.html", path) == 0);
    snprintf(path, sizeof(path), "%s/fifo", root);
    CHECK(mkfifo(path, 0644) == 0);
}

static int open_status(const char *path, int is_dir, off_t *size)
{
    struct lc_srv_file f;
    int rc = lc_srv_file_open(root, path, is_dir, &f);

    if (rc == 0) {
        *size = f.size;
        close(f.fd);
    }
    return rc;
}

static void test_open(void)
{
    off_t size = -1;

    CHECK(open_status("/", 1, &size) == 0 && size == 4);
    CHECK(open_status("/index.html", 0, &size) == 0 && size == 4);
    CHECK(open_status("/docs", 1, &size) == 0 && size == 4);
    CHECK(open_status("/docs", 0, &size) == 301);       /* "/docs" -> "/docs/" */
    CHECK(open_status("/empty", 1, &size) == 404);      /* no index, no listing */
    CHECK(open_status("/nope.html", 0, &size) == 404);
    CHECK(open_status("/index.html", 1, &size) == 404); /* "/index.html/" */
    CHECK(open_status("/in.html", 0, &size) == 0);      /* a link that stays inside */
    CHECK(open_status("/out.txt", 0, &size) == 403);    /* a link that leads out */
    CHECK(open_status("/outdir/secret.txt", 0, &size) == 403);
    CHECK(open_status("/outdir", 1, &size) == 404);      /* outside: no index.html there */
    CHECK(open_status("/fifo", 0, &size) == 403);       /* and open() did not block */
}

static void test_types(void)
{
    struct lc_srv_file f;

    CHECK(strcmp(lc_srv_mime_type("/a/index.html"), "text/html; charset=utf-8") == 0);
    CHECK(strcmp(lc_srv_mime_type("/a/app.js"), "text/javascript; charset=utf-8") == 0);
    CHECK(strcmp(lc_srv_mime_type("/x.PNG"), "image/png") == 0);
    CHECK(strcmp(lc_srv_mime_type("/f.woff2"), "font/woff2") == 0);
    CHECK(strcmp(lc_srv_mime_type("/favicon.ico"), "image/vnd.microsoft.icon") == 0);
    CHECK(strcmp(lc_srv_mime_type("/logo.svg"), "image/svg+xml") == 0);
    CHECK(strcmp(lc_srv_mime_type("/data.json"), "application/json") == 0);
    CHECK(strcmp(lc_srv_mime_type("/README"), "application/octet-stream") == 0);
    CHECK(strcmp(lc_srv_mime_type("/v1.2/README"), "application/octet-stream") == 0);
    CHECK(strcmp(lc_srv_mime_type("/trailing."), "application/octet-stream") == 0);
    CHECK(lc_srv_file_open(root, "/style.CSS", 0, &f) == 0);
    CHECK(strcmp(f.type, "text/css; charset=utf-8") == 0);
    close(f.fd);
}

static void cleanup(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

TEST_MAIN(setup, test_open, test_types, cleanup)
