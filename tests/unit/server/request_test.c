/* Tests for src/server/request.c: from a parsed request to the response head and first bytes
 * in c->out and the rest of the file in c->file/file_off/file_left, on a connection made by
 * hand (no sockets): the site chosen by Host or by an absolute-form target, locations,
 * 200/206/304/412/416 heads with their fields, HEAD, redirects, error pages, and which
 * answers keep the connection. */
#include "test.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/internal.h"

static char dir[64];
static struct lc_srv srv;                       /* large: static, not on the stack */
static struct lc_srv_listener listener;
static struct lc_srv_vhost sites[2];
static struct lc_srv_vhost *site_list[2] = { &sites[0], &sites[1] };
static struct lc_srv_vloc locs[3];
static char *names_a[] = { "a.test" }, *names_b[] = { "b.test", "*.b.test" };
static struct lc_srv_conn conn;
static char big[70000];

static void put(const char *rel, const char *data, size_t len)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

static void make_loc(struct lc_srv_vloc *l, const char *prefix, const char *sub,
                     const char *index)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    CHECK(realpath(path, l->root) != NULL);
    l->prefix = (char *)prefix;
    l->prefix_len = strlen(prefix);
    l->index = (char *)index;
}

/* Two sites on one plain listener: a.test (the default) serves a/ at "/" and img/ at
 * "/img/" (nginx's root: /img/logo.png is img/img/logo.png); b.test serves b/ with
 * "home.html" as its index. */
static void setup(void)
{
    char path[PATH_MAX];

    snprintf(dir, sizeof(dir), "/tmp/lucid-request-test-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    const char *dirs[] = { "a", "a/docs", "b", "img", "img/img" };
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, dirs[i]);
        CHECK(mkdir(path, 0755) == 0);
    }
    put("a/index.html", "site a\n", 7);
    put("a/docs/index.html", "docs\n", 5);
    put("b/home.html", "site b\n", 7);
    put("img/img/logo.png", "PNG!", 4);
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (char)(i * 7 + i / 251);
    }
    put("a/big.bin", big, sizeof(big));
    /* Validators are strong once the files are a second old (conditional.h). */
    struct timespec old[2] = { { .tv_sec = 784111777 }, { .tv_sec = 784111777 } };
    snprintf(path, sizeof(path), "%s/a/big.bin", dir);
    CHECK(utimensat(AT_FDCWD, path, old, 0) == 0);

    make_loc(&locs[0], "/", "a", "index.html");
    make_loc(&locs[1], "/img/", "img", "index.html");
    make_loc(&locs[2], "/", "b", "home.html");
    sites[0] = (struct lc_srv_vhost){ .names = names_a, .name_count = 1, .locs = locs,
                                      .loc_count = 2 };
    sites[1] = (struct lc_srv_vhost){ .names = names_b, .name_count = 2, .locs = locs + 2,
                                      .loc_count = 1 };
    listener = (struct lc_srv_listener){ .kind = LC_SRV_KIND_LISTENER, .fd = -1,
                                         .vhosts = site_list, .vhost_count = 2 };
}

/* The response to raw, parsed; the head is NUL-terminated in head for strstr. */
static char head[LC_SRV_OUT_CAP + 1];

static int respond(const char *raw)
{
    struct lc_http_request req;
    int rc = lc_http_parse((const uint8_t *)raw, strlen(raw), &req);

    if (conn.file >= 0) {
        lc_srv_file_put(&srv, conn.file_entry, conn.file); /* the cache may own it */
    }
    free(conn.out);
    free(conn.line);
    memset(&conn, 0, sizeof(conn));
    conn.kind = LC_SRV_KIND_CONN;
    conn.fd = -1;
    conn.file = -1;
    conn.srv = &srv;
    conn.listener = &listener;
    conn.vhost = listener.vhosts[0];
    lc_srv_respond(&conn, &req, rc);
    CHECK(conn.out != NULL && conn.head_len > 0 && conn.head_len <= conn.out_len);
    memcpy(head, conn.out, conn.head_len);
    head[conn.head_len] = '\0';
    return conn.status;
}

static int has(const char *field)
{
    return strstr(head, field) != NULL;
}

static const uint8_t *body(void)
{
    return conn.out + conn.head_len;
}

static size_t body_len(void)
{
    return conn.out_len - conn.head_len;
}

static void test_sites(void)
{
    /* Host chooses the site; its port and case do not matter; unknown names get the
     * default; an absolute-form target's authority wins over Host (RFC 9112 3.2.2). */
    CHECK(respond("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n") == 200);
    CHECK_MEM(body(), body_len(), "site a\n", 7);
    CHECK(conn.vhost == &sites[0]);
    CHECK(respond("GET / HTTP/1.1\r\nHost: B.Test:8080\r\n\r\n") == 200);
    CHECK_MEM(body(), body_len(), "site b\n", 7);
    CHECK(conn.vhost == &sites[1]);
    CHECK(respond("GET / HTTP/1.1\r\nHost: www.b.test\r\n\r\n") == 200 &&
          conn.vhost == &sites[1]);
    CHECK(respond("GET / HTTP/1.1\r\nHost: nobody.test\r\n\r\n") == 200 &&
          conn.vhost == &sites[0]);
    CHECK(respond("GET http://b.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n") == 200 &&
          conn.vhost == &sites[1]);
    CHECK(respond("GET / HTTP/1.0\r\n\r\n") == 200 && conn.vhost == &sites[0]);
    /* Locations: the longest prefix, with the whole path appended to its root. */
    CHECK(respond("GET /img/logo.png HTTP/1.1\r\nHost: a.test\r\n\r\n") == 200);
    CHECK(has("Content-Type: image/png\r\n")); /* img/ + /img/logo.png */
    CHECK(respond("GET /img/img/logo.png HTTP/1.1\r\nHost: a.test\r\n\r\n") == 404);
    CHECK(respond("GET /img/logo.png HTTP/1.1\r\nHost: b.test\r\n\r\n") == 404);
    CHECK(respond("GET /docs/ HTTP/1.1\r\nHost: a.test\r\n\r\n") == 200);
    CHECK_MEM(body(), body_len(), "docs\n", 5);
}

static void test_heads(void)
{
    /* 200: the fields, then the file's first bytes; the rest is left to conn.c. */
    CHECK(respond("GET /big.bin HTTP/1.1\r\nHost: a.test\r\n\r\n") == 200);
    CHECK(strncmp(head, "HTTP/1.1 200 OK\r\nServer: lucid-server/", 38) == 0);
    CHECK(has("\r\nContent-Type: application/octet-stream\r\n"));
    CHECK(has("\r\nContent-Length: 70000\r\n"));
    CHECK(has("\r\nAccept-Ranges: bytes\r\n"));
    CHECK(has("\r\nLast-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"));
    CHECK(has("\r\nETag: \"") && !has("ETag: W/"));
    CHECK(has("\r\nConnection: keep-alive\r\n\r\n"));
    CHECK(conn.keep_alive == 1);
    CHECK(body_len() == LC_SRV_OUT_CAP - conn.head_len);
    CHECK(memcmp(body(), big, body_len()) == 0);
    CHECK(conn.file >= 0 && conn.file_off == (off_t)body_len() &&
          conn.file_left == (off_t)(sizeof(big) - body_len()));
    char etag[80] = "";
    const char *e = strstr(head, "ETag: ");
    sscanf(e + 6, "%79[^\r]", etag);

    /* HEAD: the same head, no body, no file. */
    char get_head[LC_SRV_OUT_CAP + 1];
    snprintf(get_head, sizeof(get_head), "%s", strstr(head, "Content-Type"));
    CHECK(respond("HEAD /big.bin HTTP/1.1\r\nHost: a.test\r\n\r\n") == 200);
    CHECK(strcmp(strstr(head, "Content-Type"), get_head) == 0);
    CHECK(body_len() == 0 && conn.file == -1);

    /* 206: Content-Range, and the file position at the range. */
    CHECK(respond("GET /big.bin HTTP/1.1\r\nHost: a.test\r\nRange: bytes=60000-\r\n\r\n") ==
          206);
    CHECK(strncmp(head, "HTTP/1.1 206 Partial Content\r\n", 30) == 0);
    CHECK(has("\r\nContent-Range: bytes 60000-69999/70000\r\n"));
    CHECK(has("\r\nContent-Length: 10000\r\n"));
    CHECK(body_len() == 10000 && memcmp(body(), big + 60000, 10000) == 0);
    CHECK(conn.file_left == 0 && conn.file_off == 70000);
    CHECK(respond("GET /big.bin HTTP/1.1\r\nHost: a.test\r\nRange: bytes=1-65000\r\n\r\n") ==
          206);
    CHECK(memcmp(body(), big + 1, body_len()) == 0);
    CHECK(conn.file_off == (off_t)(1 + body_len()) &&
          conn.file_left == (off_t)(65000 - body_len()));

    /* 304: the validators, no Content-Length or Content-Type, no body. */
    char raw[256];
    snprintf(raw, sizeof(raw), "GET /big.bin HTTP/1.1\r\nHost: a.test\r\nIf-None-Match: %s\r\n\r\n",
             etag);
    CHECK(respond(raw) == 304);
    CHECK(has("\r\nETag: ") && has("\r\nLast-Modified: "));
    CHECK(!has("Content-Length") && !has("Content-Type"));
    CHECK(body_len() == 0 && conn.file == -1 && conn.keep_alive == 1);

    /* 416 and 412: small pages, the 416 with the length. */
    CHECK(respond("GET /big.bin HTTP/1.1\r\nHost: a.test\r\nRange: bytes=70000-\r\n\r\n") == 416);
    CHECK(has("\r\nContent-Range: bytes */70000\r\n") && conn.file == -1);
    CHECK(memmem(body(), body_len(), "416 Range Not Satisfiable", 25) != NULL);
    CHECK(respond("GET /big.bin HTTP/1.1\r\nHost: a.test\r\nIf-Match: \"x\"\r\n\r\n") == 412);
    CHECK(conn.keep_alive == 1 && conn.file == -1);
}

static void test_errors(void)
{
    /* 301 keeps the query and re-encodes the path. */
    CHECK(respond("GET /docs?x=%20 HTTP/1.1\r\nHost: a.test\r\n\r\n") == 301);
    CHECK(has("\r\nLocation: /docs/?x=%20\r\n"));
    /* 405 says what is allowed and keeps the connection; its body is to be dropped. */
    CHECK(respond("POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n\r\n") == 405);
    CHECK(has("\r\nAllow: GET, HEAD\r\n") && conn.keep_alive == 1 && conn.discard == 5);
    /* A chunked body is not read: the connection ends after the answer. */
    CHECK(respond("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n") ==
          405);
    CHECK(has("\r\nConnection: close\r\n") && conn.keep_alive == 0);
    /* Parser errors close: the request's end is unknown. */
    static const struct {
        const char *raw;
        int status;
    } errors[] = {
        { "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\n\r\n", 400 },
        { "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505 },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n", 413 },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: br, chunked\r\n\r\n", 501 },
    };
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        CHECK(respond(errors[i].raw) == errors[i].status);
        CHECK(has("\r\nConnection: close\r\n") && conn.keep_alive == 0);
        CHECK(has("Content-Type: text/html; charset=utf-8\r\n"));
    }
    /* Refused paths: 400 before any file is looked at. */
    CHECK(respond("GET /%2e%2e/a/index.html HTTP/1.1\r\nHost: a.test\r\n\r\n") == 400);
    CHECK(conn.keep_alive == 1); /* a well-framed request: the connection goes on */
    CHECK(respond("GET /%c0%ae%c0%ae/ HTTP/1.1\r\nHost: a.test\r\n\r\n") == 400);
    /* 408 from the header timeout (conn.c calls this). */
    respond("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
    lc_srv_respond_status(&conn, 408);
    memcpy(head, conn.out, conn.head_len);
    head[conn.head_len] = '\0';
    CHECK(strncmp(head, "HTTP/1.1 408 Request Timeout\r\n", 30) == 0);
    CHECK(has("\r\nConnection: close\r\n"));
    /* A HEAD error page: its head, no body. */
    CHECK(respond("HEAD /nothing HTTP/1.1\r\nHost: a.test\r\n\r\n") == 404);
    CHECK(body_len() == 0 && has("Content-Length: "));
}

static void cleanup(void)
{
    char cmd[128];

    if (conn.file >= 0) {
        lc_srv_file_put(&srv, conn.file_entry, conn.file); /* the cache may own it */
    }
    free(conn.out);
    free(conn.line);
    lc_srv_file_cache_free(&srv);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

TEST_MAIN(setup, test_sites, test_heads, test_errors, cleanup)
