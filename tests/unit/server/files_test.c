/* Tests for src/server/files.c: what a decoded path opens under the root (files, directory
 * indexes and their names, redirects, links inside and outside the root, relative and
 * absolute, FIFOs), through both lookups (openat2 beneath the root, and realpath), the
 * metadata the validators need, and content types. */
#include "test.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/files.h"

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
    /* Absolute links: one back inside the root (served), one out of it (refused). */
    char target[PATH_MAX + 64];
    snprintf(target, sizeof(target), "%s/docs/index.html", root);
    snprintf(path, sizeof(path), "%s/abs-in.html", root);
    CHECK(symlink(target, path) == 0);
    snprintf(target, sizeof(target), "%s/docs", root);
    snprintf(path, sizeof(path), "%s/abs-dir", root);
    CHECK(symlink(target, path) == 0);
    snprintf(path, sizeof(path), "%s/abs-out.txt", root);
    CHECK(symlink("/etc/passwd", path) == 0);
    snprintf(target, sizeof(target), "%s/secret.txt", dir);
    snprintf(path, sizeof(path), "%s/abs-secret.txt", root);
    CHECK(symlink(target, path) == 0);
    /* A link to a link that leaves, and a directory whose index is named otherwise. */
    snprintf(path, sizeof(path), "%s/chain.txt", root);
    CHECK(symlink("out.txt", path) == 0);
    snprintf(path, sizeof(path), "%s/site", root);
    mkdir(path, 0755);
    put("site/home.htm", "home page");
    /* A link loop. */
    snprintf(path, sizeof(path), "%s/loop", root);
    CHECK(symlink("loop", path) == 0);
}

static enum lc_srv_lookup how;

static int open_status(const char *path, int is_dir, off_t *size)
{
    struct lc_srv_file f;
    int rc = lc_srv_file_open_by(root, path, is_dir, NULL, how, &f);

    if (rc == 0) {
        *size = f.size;
        close(f.fd);
    } else {
        CHECK(f.fd == -1);
    }
    return rc;
}

struct open_case {
    const char *path;
    int status;
    off_t size; /* of the file opened, when status is 0 */
};

/* Paths as lc_http_target_path gives them: a directory's ends with '/'. */
static const struct open_case open_cases[] = {
    { "/", 0, 4 },
    { "/index.html", 0, 4 },
    { "/docs/", 0, 4 },
    { "/docs", 301, 0 },                 /* "/docs" -> "/docs/" */
    { "/empty/", 404, 0 },               /* no index, no listing */
    { "/empty", 301, 0 },
    { "/nope.html", 404, 0 },
    { "/nope/", 404, 0 },
    { "/index.html/", 404, 0 },          /* a file is no directory */
    { "/index.html/x", 404, 0 },
    { "/in.html", 0, 4 },                /* a relative link that stays inside */
    { "/abs-in.html", 0, 4 },            /* an absolute link that stays inside */
    { "/abs-dir/index.html", 0, 4 },     /* ... through a linked directory */
    { "/abs-dir/", 0, 4 },
    { "/out.txt", 403, 0 },              /* links that lead out */
    { "/outdir/secret.txt", 403, 0 },
    { "/outdir/", 404, 0 },              /* outside: no index.html there */
    { "/outdir/root/index.html", 0, 4 }, /* out and back in: the file itself is inside */
    { "/abs-out.txt", 403, 0 },
    { "/abs-secret.txt", 403, 0 },
    { "/chain.txt", 403, 0 },
    { "/loop", 403, 0 },
    { "/fifo", 403, 0 },                 /* and open() did not block */
    /* Not from lc_http_target_path, which never yields them: the lookups hold anyway. */
    { "/../secret.txt", 403, 0 },
    { "/docs/../../secret.txt", 403, 0 },
    { "/docs/../index.html", 0, 4 },
};

static void run_open_cases(enum lc_srv_lookup which)
{
    how = which;
    for (size_t i = 0; i < sizeof(open_cases) / sizeof(open_cases[0]); i++) {
        const struct open_case *t = &open_cases[i];
        size_t n = strlen(t->path);
        off_t size = -1;
        int rc = open_status(t->path, n > 0 && t->path[n - 1] == '/', &size);
        int ok = rc == t->status && (rc != 0 || size == t->size);
        CHECK(ok);
        if (!ok) {
            fprintf(stderr, "  %s lookup, '%s': got %d (size %lld), want %d\n",
                    which == LC_SRV_LOOKUP_BENEATH ? "beneath" : "realpath", t->path, rc,
                    (long long)size, t->status);
        }
    }
}

static void test_open_beneath(void)
{
    run_open_cases(LC_SRV_LOOKUP_BENEATH);
}

static void test_open_realpath(void)
{
    run_open_cases(LC_SRV_LOOKUP_REALPATH);
}

/* The index is the location's: another name, and the default when none is given. */
static void test_index(void)
{
    struct lc_srv_file f;

    CHECK(lc_srv_file_open(root, "/site/", 1, "home.htm", &f) == 0);
    CHECK(f.size == 9);
    CHECK(strcmp(f.type, "text/html; charset=utf-8") == 0);
    close(f.fd);
    CHECK(lc_srv_file_open(root, "/site/", 1, "index.html", &f) == 404);
    CHECK(lc_srv_file_open(root, "/docs/", 1, NULL, &f) == 0);
    close(f.fd);
    CHECK(lc_srv_file_open(root, "/", 1, "home.htm", &f) == 404);
    /* A path without its '/' still gets the index appended after one. */
    CHECK(lc_srv_file_open(root, "/site", 1, "home.htm", &f) == 0);
    close(f.fd);
}

/* What the validators are made from comes from the file itself. */
static void test_metadata(void)
{
    char path[PATH_MAX + 32];
    struct lc_srv_file f;
    struct stat st;

    snprintf(path, sizeof(path), "%s/docs/index.html", root);
    CHECK(stat(path, &st) == 0);
    CHECK(lc_srv_file_open(root, "/docs/", 1, "index.html", &f) == 0);
    CHECK(f.size == st.st_size);
    CHECK(f.ino == st.st_ino);
    CHECK(f.mtime == st.st_mtim.tv_sec && f.mtime_nsec == st.st_mtim.tv_nsec);
    close(f.fd);
    /* A root of "/" works like any other. */
    CHECK(lc_srv_file_open("/", path, 0, NULL, &f) == 0);
    CHECK(f.ino == st.st_ino);
    close(f.fd);
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
    CHECK(lc_srv_file_open(root, "/style.CSS", 0, NULL, &f) == 0);
    CHECK(strcmp(f.type, "text/css; charset=utf-8") == 0);
    close(f.fd);
}

static void cleanup(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

TEST_MAIN(setup, test_open_beneath, test_open_realpath, test_index, test_metadata, test_types,
          cleanup)
