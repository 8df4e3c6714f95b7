/* Tests for src/server/http.c: the request parser at every byte boundary, its limits and
 * error statuses, and request-target decoding that no spelling of ".." gets through. */
#include "test.h"

#include "server/http.h"

static int parse(const char *s, struct lc_http_request *req)
{
    return lc_http_parse((const uint8_t *)s, strlen(s), req);
}

static int parse_n(const char *s, size_t n, struct lc_http_request *req)
{
    return lc_http_parse((const uint8_t *)s, n, req);
}

static int view_is(const char *p, size_t n, const char *want)
{
    return n == strlen(want) && memcmp(p, want, n) == 0;
}

static void test_complete_request(void)
{
    const char *s = "GET /index.html?x=1 HTTP/1.1\r\nHost: localhost:8443\r\n"
                    "User-Agent: test\r\nAccept: */*\r\n\r\n";
    struct lc_http_request req;

    CHECK(parse(s, &req) == LC_HTTP_COMPLETE);
    CHECK(req.head_len == strlen(s));
    CHECK(req.method_id == LC_HTTP_GET);
    CHECK(view_is(req.method, req.method_len, "GET"));
    CHECK(view_is(req.target, req.target_len, "/index.html?x=1"));
    CHECK(view_is(req.line, req.line_len, "GET /index.html?x=1 HTTP/1.1"));
    CHECK(req.version == 11);
    CHECK(req.keep_alive == 1);
    CHECK(req.has_host == 1);
    CHECK(req.content_length == -1);
    CHECK(req.chunked == 0);

    /* HEAD, bare LF line endings (RFC 9112 2.2 lets a recipient accept them), and the empty
     * lines a client may send before a request. */
    CHECK(parse("\r\n\nHEAD / HTTP/1.0\n\n", &req) == LC_HTTP_COMPLETE);
    CHECK(req.method_id == LC_HTTP_HEAD);
    CHECK(req.version == 10);
    CHECK(req.head_len == 20);
    CHECK(view_is(req.line, req.line_len, "HEAD / HTTP/1.0"));
}

static void test_every_split(void)
{
    const char *s = "GET /a/b.css HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n"
                    "Content-Length: 3\r\n\r\nabcGET /next HTTP/1.1\r\n";
    const char *end = strstr(s, "abc");
    size_t head = (size_t)(end - s);
    struct lc_http_request req;

    for (size_t n = 0; n < head; n++) {
        int rc = parse_n(s, n, &req);
        CHECK(rc == LC_HTTP_INCOMPLETE);
        if (rc != LC_HTTP_INCOMPLETE) {
            fprintf(stderr, "  at %zu bytes: %d\n", n, rc);
            break;
        }
    }
    for (size_t n = head; n <= strlen(s); n++) {
        CHECK(parse_n(s, n, &req) == LC_HTTP_COMPLETE);
        CHECK(req.head_len == head);
        CHECK(req.content_length == 3);
    }
}

static void test_pipelined(void)
{
    const char *s = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
                    "HEAD /2 HTTP/1.1\r\nHost: h\r\n\r\n"
                    "GET /3 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    const char *want[] = { "/1", "/2", "/3" };
    struct lc_http_request req;
    size_t off = 0;

    for (int i = 0; i < 3; i++) {
        CHECK(parse_n(s + off, strlen(s) - off, &req) == LC_HTTP_COMPLETE);
        CHECK(view_is(req.target, req.target_len, want[i]));
        CHECK(req.keep_alive == (i < 2));
        off += req.head_len;
    }
    CHECK(off == strlen(s));
    CHECK(parse_n(s + off, 0, &req) == LC_HTTP_INCOMPLETE);
}

static void test_bad_request_line(void)
{
    static const char *const bad[] = {
        "GARBAGE\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
        "GET / HTTP/1.1 extra\r\nHost: h\r\n\r\n",
        "GET /\r\n\r\n",                      /* HTTP/0.9 */
        "GET / http/1.1\r\nHost: h\r\n\r\n",  /* the version is case-sensitive */
        "GET / HTTP/1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.10\r\nHost: h\r\n\r\n",
        " GET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.1\r\r\nHost: h\r\n\r\n",
        "\r\rGET / HTTP/1.1\r\n\r\n",
    };
    struct lc_http_request req;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = parse(bad[i], &req);
        CHECK(rc == 400);
        if (rc != 400) {
            fprintf(stderr, "  case %zu: got %d\n", i, rc);
        }
    }

    /* What cannot start a request line is refused at once, not after 8 KiB: a TLS
     * ClientHello sent to a plain port, or binary noise. */
    const uint8_t hello[] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03 };
    CHECK(lc_http_parse(hello, sizeof(hello), &req) == 400);
    CHECK(lc_http_parse(hello, 1, &req) == 400);
    CHECK(parse("GET /\x01", &req) == 400);
    CHECK(parse("GET / HTTP/2\r\n", &req) == 400);
    /* ... while a valid prefix waits. */
    CHECK(parse("GET / HTTP/1.", &req) == LC_HTTP_INCOMPLETE);
    CHECK(parse("GE", &req) == LC_HTTP_INCOMPLETE);
}

static void test_versions(void)
{
    struct lc_http_request req;

    CHECK(parse("GET / HTTP/2.0\r\nHost: h\r\n\r\n", &req) == 505);
    CHECK(parse("GET / HTTP/1.2\r\nHost: h\r\n\r\n", &req) == 505);
    CHECK(parse("GET / HTTP/0.9\r\n\r\n", &req) == 505);
    CHECK(parse("GET / HTTP/3.0\r\n", &req) == 505); /* known from the line alone */
    CHECK(req.line_len == 14);                        /* and the line is there to log */
    CHECK(parse("GET / HTTP/1.0\r\n\r\n", &req) == LC_HTTP_COMPLETE);
    CHECK(req.keep_alive == 0);
    CHECK(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &req) == LC_HTTP_COMPLETE);
    CHECK(req.keep_alive == 1);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, CLOSE\r\n\r\n", &req) ==
          LC_HTTP_COMPLETE);
    CHECK(req.keep_alive == 0);
}

static void test_header_fields(void)
{
    struct lc_http_request req;

    /* RFC 9112 3.2: Host is required in 1.1, and only once. */
    CHECK(parse("GET / HTTP/1.1\r\n\r\n", &req) == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", &req) == 400);
    CHECK(parse("GET / HTTP/1.0\r\n\r\n", &req) == LC_HTTP_COMPLETE);
    /* RFC 9112 5.1 and 5.2: no space before the colon, no obs-fold. */
    CHECK(parse("GET / HTTP/1.1\r\nHost : h\r\n\r\n", &req) == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  continued\r\n\r\n", &req) == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", &req) == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\n: empty\r\n\r\n", &req) == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nX: a\x01z\r\n\r\n", &req) == 400);
    /* Values keep obs-text, lose surrounding whitespace. */
    CHECK(parse("GET / HTTP/1.1\r\nHost:h\r\nX-Name: caf\xc3\xa9 \t\r\n\r\n", &req) ==
          LC_HTTP_COMPLETE);
    /* Content-Length (RFC 9110 8.6, RFC 9112 6.3). */
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n", &req) ==
          LC_HTTP_COMPLETE);
    CHECK(req.content_length == 12);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n", &req) == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", &req) == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                &req) == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
                &req) == LC_HTTP_COMPLETE);
    CHECK(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n",
                &req) == 413);
    /* Transfer-Encoding (RFC 9112 6.1): chunked last, never with Content-Length or in 1.0. */
    CHECK(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                &req) == LC_HTTP_COMPLETE);
    CHECK(req.chunked == 1);
    CHECK(req.method_id == LC_HTTP_OTHER);
    CHECK(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                &req) == 400);
    CHECK(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                "Content-Length: 3\r\n\r\n",
                &req) == 400);
    CHECK(parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", &req) == 400);
}

/* Builds "GET /<n bytes of 'a'> HTTP/1.1\r\nHost: h\r\n" followed by fields. */
static char *long_request(size_t target, size_t fields, size_t field_len)
{
    size_t cap = target + fields * (field_len + 8) + 64;
    char *s = malloc(cap), *p = s;

    p += sprintf(p, "GET /");
    memset(p, 'a', target);
    p += target;
    p += sprintf(p, " HTTP/1.1\r\nHost: h\r\n");
    for (size_t i = 0; i < fields; i++) {
        p += sprintf(p, "X%zu: ", i % 1000);
        memset(p, 'v', field_len);
        p += field_len;
        p += sprintf(p, "\r\n");
    }
    sprintf(p, "\r\n");
    return s;
}

static void test_limits(void)
{
    struct lc_http_request req;
    char *s;

    /* A request line of exactly 8 KiB (CRLF included) passes; one byte more is 414, and the
     * verdict comes without waiting for the line to end. */
    size_t fixed = strlen("GET / HTTP/1.1\r\n");
    s = long_request(LC_HTTP_MAX_LINE - fixed, 0, 0);
    CHECK(parse(s, &req) == LC_HTTP_COMPLETE);
    free(s);
    s = long_request(LC_HTTP_MAX_LINE - fixed + 1, 0, 0);
    CHECK(parse(s, &req) == 414);
    CHECK(parse_n(s, LC_HTTP_MAX_LINE, &req) == 414);
    CHECK(parse_n(s, LC_HTTP_MAX_LINE - 1, &req) == LC_HTTP_INCOMPLETE);
    free(s);

    /* One long field, or fields that add up past 8 KiB: 431. */
    s = long_request(1, 1, LC_HTTP_MAX_FIELDS);
    CHECK(parse(s, &req) == 431);
    free(s);
    s = long_request(1, 40, 300);
    CHECK(parse(s, &req) == 431);
    free(s);
    s = long_request(1, 20, 300);
    CHECK(parse(s, &req) == LC_HTTP_COMPLETE);
    free(s);
    /* Too many fields, however short. */
    s = long_request(1, LC_HTTP_MAX_COUNT, 1);
    CHECK(parse(s, &req) == 431);
    free(s);
    s = long_request(1, LC_HTTP_MAX_COUNT - 1, 1);
    CHECK(parse(s, &req) == LC_HTTP_COMPLETE);
    free(s);
}

struct path_case {
    const char *target;
    int status;       /* 0: decoded to path */
    const char *path;
    int is_dir;
};

static void test_target_path(void)
{
    static const struct path_case cases[] = {
        { "/", 0, "/", 1 },
        { "/index.html", 0, "/index.html", 0 },
        { "/a/b/", 0, "/a/b", 1 },
        { "//a//b", 0, "/a/b", 0 },
        { "/a/./b", 0, "/a/b", 0 },
        { "/a/b/../c", 0, "/a/c", 0 },
        { "/a/b/..", 0, "/a", 1 },
        { "/a/.", 0, "/a", 1 },
        { "/a/..", 0, "/", 1 },
        { "/hello%20world.txt", 0, "/hello world.txt", 0 },
        { "/caf%C3%A9", 0, "/caf\xc3\xa9", 0 },
        { "/a?x=/../../etc", 0, "/a", 0 },
        { "/a%3Fb", 0, "/a?b", 0 },
        { "http://example.com/a/b", 0, "/a/b", 0 },
        { "HTTPS://example.com", 0, "/", 1 },
        { "http://example.com?q", 0, "/", 1 },
        /* Traversal, raw and encoded: refused, never resolved above the root. */
        { "/../etc/passwd", 400, NULL, 0 },
        { "/..", 400, NULL, 0 },
        { "/a/../../etc/passwd", 400, NULL, 0 },
        { "/%2e%2e/etc/passwd", 400, NULL, 0 },
        { "/%2E%2E/", 400, NULL, 0 },
        { "/.%2e/etc/passwd", 400, NULL, 0 },
        { "/..%2fetc/passwd", 400, NULL, 0 },
        { "/..%2Fetc%2Fpasswd", 400, NULL, 0 },
        { "/a/..%2f..%2fetc", 400, NULL, 0 },
        { "/a%2f..%2f..%2fetc", 400, NULL, 0 },
        { "http://h/../etc", 400, NULL, 0 },
        /* Decoded once: a double-encoded dot stays a harmless literal name. */
        { "/%252e%252e/etc/passwd", 0, "/%2e%2e/etc/passwd", 0 },
        { "/%252e%252e%252fetc", 0, "/%2e%2e%2fetc", 0 },
        /* Bad escapes, NUL, fragments and other forms. */
        { "/a%00b", 400, NULL, 0 },
        { "/a%zz", 400, NULL, 0 },
        { "/a%2", 400, NULL, 0 },
        { "/a%", 400, NULL, 0 },
        { "/a#frag", 400, NULL, 0 },
        { "*", 400, NULL, 0 },
        { "example.com:443", 400, NULL, 0 },
        { "http://", 400, NULL, 0 },
        { "a/b", 400, NULL, 0 },
    };
    char out[256];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct path_case *t = &cases[i];
        int is_dir = -1;
        int rc = lc_http_target_path(t->target, strlen(t->target), out, sizeof(out), &is_dir);
        int ok = rc == t->status &&
                 (rc != 0 || (strcmp(out, t->path) == 0 && is_dir == t->is_dir));
        CHECK(ok);
        if (!ok) {
            fprintf(stderr, "  '%s': got %d '%s' dir=%d\n", t->target, rc, rc == 0 ? out : "",
                    is_dir);
        }
    }

    /* Too long for the output buffer: 414. */
    CHECK(lc_http_target_path("/abcdef", 7, out, 4, &(int){ 0 }) == 414);
}

/* Whatever the mix of dots, escapes and slashes, a decoded path never has a ".." segment. */
static void test_no_dotdot_survives(void)
{
    static const char *const parts[] = { "..", ".", "%2e", "%2E%2e", "a", "/", "%2f", "%2F",
                                         "%252e", ".%2e", "", "b/" };
    const size_t np = sizeof(parts) / sizeof(parts[0]);
    char target[128], out[256];
    unsigned long tried = 0, refused = 0;

    for (size_t a = 0; a < np; a++) {
        for (size_t b = 0; b < np; b++) {
            for (size_t c = 0; c < np; c++) {
                for (size_t d = 0; d < np; d++) {
                    snprintf(target, sizeof(target), "/%s/%s%s/%s", parts[a], parts[b],
                             parts[c], parts[d]);
                    int is_dir, rc;
                    rc = lc_http_target_path(target, strlen(target), out, sizeof(out), &is_dir);
                    tried++;
                    if (rc != 0) {
                        refused++;
                        CHECK(rc == 400);
                        continue;
                    }
                    size_t n = strlen(out);
                    int bad = out[0] != '/' || strstr(out, "/../") != NULL ||
                              strstr(out, "//") != NULL || strstr(out, "/./") != NULL ||
                              (n >= 3 && strcmp(out + n - 3, "/..") == 0) ||
                              (n >= 2 && strcmp(out + n - 2, "/.") == 0) ||
                              (n > 1 && out[n - 1] == '/');
                    if (bad) {
                        CHECK(!bad);
                        fprintf(stderr, "  '%s' -> '%s'\n", target, out);
                    }
                }
            }
        }
    }
    CHECK(tried == np * np * np * np);
    CHECK(refused > 0 && refused < tried);
}

static void test_encode_and_query(void)
{
    char out[64];
    const char *q;
    size_t qlen;

    CHECK(lc_http_encode_path("/a b/caf\xc3\xa9/x%y", out, sizeof(out)) > 0);
    CHECK(strcmp(out, "/a%20b/caf%C3%A9/x%25y") == 0);
    CHECK(lc_http_encode_path("/abcdef", out, 7) == 0);
    CHECK(lc_http_encode_path("/abcde", out, 7) == 6);

    lc_http_target_query("/a?x=1&y", 8, &q, &qlen);
    CHECK(view_is(q, qlen, "?x=1&y"));
    lc_http_target_query("/a", 2, &q, &qlen);
    CHECK(qlen == 0);

    CHECK(strcmp(lc_http_reason(404), "Not Found") == 0);
    CHECK(strcmp(lc_http_reason(431), "Request Header Fields Too Large") == 0);
    CHECK(strcmp(lc_http_reason(299), "Unknown") == 0);
}

TEST_MAIN(test_complete_request, test_every_split, test_pipelined, test_bad_request_line,
          test_versions, test_header_fields, test_limits, test_target_path,
          test_no_dotdot_survives, test_encode_and_query)
