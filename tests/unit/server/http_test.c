/* Tests for src/server/http.c: the request parser at every byte boundary, each header field
 * rule (RFC 9112 5, 6; RFC 9110 7.2) and its status, the fields it keeps as views, its limits,
 * and request-target decoding that no spelling of ".." (raw, encoded, double-encoded, overlong
 * UTF-8, backslashed) gets through. */
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
        { "/a/b/", 0, "/a/b/", 1 },
        { "//a//b", 0, "/a/b", 0 },
        { "/a/./b", 0, "/a/b", 0 },
        { "/a/b/../c", 0, "/a/c", 0 },
        { "/a/b/..", 0, "/a/", 1 },
        { "/a/.", 0, "/a/", 1 },
        { "/a/..", 0, "/", 1 },
        { "/a/b/../", 0, "/a/", 1 },
        { "/a//", 0, "/a/", 1 },
        { "/./", 0, "/", 1 },
        { "/...", 0, "/...", 0 },       /* three dots are a name */
        { "/a/..b", 0, "/a/..b", 0 },
        { "/%2e", 0, "/", 1 },
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
        /* Backslashes, raw or encoded: a separator to some file systems. */
        { "/..\\etc/passwd", 400, NULL, 0 },
        { "/a%5c..%5c..%5cetc", 400, NULL, 0 },
        { "/a%5Cb", 400, NULL, 0 },
        /* Overlong UTF-8 forms of '.' and '/' (and every other ill-formed sequence) never
         * decode into a name: RFC 3629 refuses them. */
        { "/%c0%ae%c0%ae/etc/passwd", 400, NULL, 0 },
        { "/%c0%ae%c0%ae%c0%afetc", 400, NULL, 0 },
        { "/a%c0%afb", 400, NULL, 0 },
        { "/%e0%80%ae%e0%80%ae/", 400, NULL, 0 },
        { "/%f0%80%80%ae", 400, NULL, 0 },
        { "/%c1%9c", 400, NULL, 0 },         /* overlong backslash */
        { "/%ed%a0%80", 400, NULL, 0 },      /* a UTF-16 surrogate */
        { "/%f4%90%80%80", 400, NULL, 0 },   /* past U+10FFFF */
        { "/%ff", 400, NULL, 0 },
        { "/%c3", 400, NULL, 0 },            /* cut short */
        { "/%e2%82", 400, NULL, 0 },
        { "/%c3%a9%20%e2%82%ac%20%f0%9f%98%80", 0, "/\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0 },
        { "/%ef%bf%bd", 0, "/\xef\xbf\xbd", 0 },
        /* Control characters decoded from escapes. */
        { "/a%0ab", 400, NULL, 0 },
        { "/a%0d%0aSet-Cookie:x", 400, NULL, 0 },
        { "/a%7f", 400, NULL, 0 },
        { "/a%1fb", 400, NULL, 0 },
        /* Bad escapes, NUL, fragments and other forms. */
        { "/a%00b", 400, NULL, 0 },
        { "/a%zz", 400, NULL, 0 },
        { "/a%2", 400, NULL, 0 },
        { "/a%", 400, NULL, 0 },
        { "/a#frag", 400, NULL, 0 },
        { "*", 400, NULL, 0 },
        { "example.com:443", 400, NULL, 0 },
        { "http://", 400, NULL, 0 },
        { "http:///a", 400, NULL, 0 },
        { "ftp://h/a", 400, NULL, 0 },
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
                              is_dir != (out[n - 1] == '/');
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

/*
 * Each header field rule, with the status it gives. Every case is also fed at every byte
 * boundary: a prefix is incomplete or already the final answer, never something else, and
 * once the answer is known it stays (the server re-parses as bytes arrive).
 */
struct field_case {
    const char *head;
    int status;
};

static const struct field_case field_cases[] = {
    /* RFC 9112 5.1: no whitespace between field name and colon. */
    { "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nAccept : */*\r\n\r\n", 400 },
    /* 5.2: obs-fold, with a space or a tab; 2.2: whitespace before the first field. */
    { "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  continued\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\tcontinued\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400 },
    /* Field syntax: no colon, empty name, a bad name character, controls and bare CR. */
    { "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\n: empty\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nX(y): 1\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01z\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n", 400 },
    /* RFC 9112 3.2: Host missing in 1.1, twice (even equal), or invalid (RFC 9110 7.2). */
    { "GET / HTTP/1.1\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", 400 },
    { "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: user@h\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h/x\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h:80x\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h:8:0\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: []\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h%zz\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h,i\r\n\r\n", LC_HTTP_COMPLETE }, /* sub-delims are reg-name */
    { "GET / HTTP/1.1\r\nHost: localhost:8443\r\n\r\n", LC_HTTP_COMPLETE },
    { "GET / HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n", LC_HTTP_COMPLETE },
    { "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", LC_HTTP_COMPLETE },
    { "GET / HTTP/1.1\r\nHost: xn--caf-dma.example.\r\n\r\n", LC_HTTP_COMPLETE },
    { "GET / HTTP/1.1\r\nHost: h%41\r\n\r\n", LC_HTTP_COMPLETE },
    { "GET / HTTP/1.1\r\nHost:\r\n\r\n", LC_HTTP_COMPLETE }, /* empty: a target without one */
    { "GET / HTTP/1.1\r\nHost: h:\r\n\r\n", LC_HTTP_COMPLETE }, /* port = *DIGIT */
    { "GET / HTTP/1.0\r\n\r\n", LC_HTTP_COMPLETE },
    /* The absolute-form's authority: a host is needed, userinfo refused (RFC 9110 4.2). */
    { "GET http://user@h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
    { "GET http://h:80@evil/ HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
    { "GET http:///a HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
    { "GET http://h/a HTTP/1.1\r\nHost: other\r\n\r\n", LC_HTTP_COMPLETE },
    /* Content-Length (RFC 9110 8.6, RFC 9112 6.3). */
    { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 05\r\n\r\n",
      LC_HTTP_COMPLETE },
    { "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048577\r\n\r\n", 413 },
    { "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048576\r\n\r\n", LC_HTTP_COMPLETE },
    { "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413 },
    /* Transfer-Encoding (RFC 9112 6.1, 6.3, 7). */
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", LC_HTTP_COMPLETE },
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
      LC_HTTP_COMPLETE },
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: x-gzip\r\nTransfer-Encoding: CHUNKED"
      "\r\n\r\n", LC_HTTP_COMPLETE },
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ,chunked,\r\n\r\n", LC_HTTP_COMPLETE },
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400 },
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 400 },
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400 },
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
      "Transfer-Encoding: chunked\r\n\r\n", 400 },
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\n\r\n", 400 },
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked;x=1\r\n\r\n", 400 },
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
      400 },
    { "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
      400 },
    { "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
    /* 6.1: a coding we do not know, framed by chunked, is 501. */
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: foo, chunked\r\n\r\n", 501 },
    { "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: br, chunked\r\n\r\n", 501 },
    { "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity, chunked\r\n\r\n", 501 },
    /* List fields kept line by line, up to LC_HTTP_MAX_LIST_LINES lines. */
    { "GET / HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"1\"\r\nIf-None-Match: \"2\"\r\n"
      "If-None-Match: \"3\"\r\nIf-None-Match: \"4\"\r\nIf-None-Match: \"5\"\r\n"
      "If-None-Match: \"6\"\r\nIf-None-Match: \"7\"\r\nIf-None-Match: \"8\"\r\n\r\n",
      LC_HTTP_COMPLETE },
    { "GET / HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"1\"\r\nIf-None-Match: \"2\"\r\n"
      "If-None-Match: \"3\"\r\nIf-None-Match: \"4\"\r\nIf-None-Match: \"5\"\r\n"
      "If-None-Match: \"6\"\r\nIf-None-Match: \"7\"\r\nIf-None-Match: \"8\"\r\n"
      "If-None-Match: \"9\"\r\n\r\n", 431 },
    /* Versions: the line alone decides. */
    { "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505 },
};

static void test_field_rules(void)
{
    struct lc_http_request req;

    for (size_t i = 0; i < sizeof(field_cases) / sizeof(field_cases[0]); i++) {
        const struct field_case *t = &field_cases[i];
        size_t len = strlen(t->head);
        int final = parse_n(t->head, len, &req), seen = 0, bad = 0;
        CHECK(final == t->status);
        if (final != t->status) {
            fprintf(stderr, "  case %zu: got %d, want %d\n", i, final, t->status);
        }
        for (size_t n = 0; n < len && !bad; n++) {
            int rc = parse_n(t->head, n, &req);
            if (rc == t->status && rc != LC_HTTP_INCOMPLETE) {
                seen = 1;
            } else if (rc != LC_HTTP_INCOMPLETE || seen) {
                bad = 1;
                fprintf(stderr, "  case %zu at %zu bytes: got %d (want %d or incomplete)\n", i,
                        n, rc, t->status);
            }
        }
        CHECK(!bad);
    }
}

/* The fields that shape the answer are kept as views, whitespace trimmed, lines counted. */
static void test_field_views(void)
{
    const char *s = "GET /f HTTP/1.1\r\nhost:  example.com:8080 \r\n"
                    "If-None-Match: \"a\", W/\"b\"\r\nIF-NONE-MATCH:\t\"c\"\r\n"
                    "If-Match: *\r\n"
                    "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                    "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                    "Range: bytes=0-99\r\nRange: bytes=5-\r\n"
                    "If-Range: \"a\"\r\nX-Other: ignored\r\n\r\n";
    struct lc_http_request req;

    CHECK(parse(s, &req) == LC_HTTP_COMPLETE);
    CHECK(req.host.lines == 1 && view_is(req.host.value, req.host.len, "example.com:8080"));
    CHECK(req.if_none_match.lines == 2);
    CHECK(view_is(req.if_none_match.value[0], req.if_none_match.len[0], "\"a\", W/\"b\""));
    CHECK(view_is(req.if_none_match.value[1], req.if_none_match.len[1], "\"c\""));
    CHECK(req.if_match.lines == 1 && view_is(req.if_match.value[0], req.if_match.len[0], "*"));
    CHECK(req.if_modified_since.lines == 1 &&
          view_is(req.if_modified_since.value, req.if_modified_since.len,
                  "Sun, 06 Nov 1994 08:49:37 GMT"));
    CHECK(req.if_unmodified_since.lines == 1);
    /* A singleton sent twice keeps its first value and says it came twice. */
    CHECK(req.range.lines == 2 && view_is(req.range.value, req.range.len, "bytes=0-99"));
    CHECK(req.if_range.lines == 1 && view_is(req.if_range.value, req.if_range.len, "\"a\""));
    /* The views point into the caller's buffer: nothing was copied. */
    CHECK(req.host.value > s && req.host.value < s + strlen(s));

    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n", &req) == LC_HTTP_COMPLETE);
    CHECK(req.range.lines == 0 && req.if_none_match.lines == 0 && req.if_range.lines == 0);
    CHECK(req.if_modified_since.lines == 0 && req.if_match.lines == 0);

    /* The authority of an absolute-form target, which replaces Host (RFC 9112 3.2.2). */
    const char *host;
    size_t hlen;
    CHECK(lc_http_target_authority("http://Example.COM:81/x?y", 25, &host, &hlen) == 1);
    CHECK(view_is(host, hlen, "Example.COM:81"));
    CHECK(lc_http_target_authority("https://h?q", 11, &host, &hlen) == 1);
    CHECK(view_is(host, hlen, "h"));
    CHECK(lc_http_target_authority("/a", 2, &host, &hlen) == 0);
    CHECK(lc_http_target_authority("*", 1, &host, &hlen) == 0);
}

static void test_connection(void)
{
    static const struct {
        const char *head;
        int keep_alive;
    } cases[] = {
        { "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 1 },
        { "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 0 },
        { "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Close\r\n\r\n", 0 },
        { "GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nConnection: close\r\n\r\n", 0 },
        { "GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n", 1 },
        { "GET / HTTP/1.0\r\n\r\n", 0 },
        { "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 1 },
        { "GET / HTTP/1.0\r\nConnection: ,, Keep-Alive ,\r\n\r\n", 1 },
        { "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", 0 },
    };
    struct lc_http_request req;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CHECK(parse(cases[i].head, &req) == LC_HTTP_COMPLETE);
        CHECK(req.keep_alive == cases[i].keep_alive);
    }
}

TEST_MAIN(test_complete_request, test_every_split, test_pipelined, test_bad_request_line,
          test_versions, test_header_fields, test_limits, test_target_path,
          test_no_dotdot_survives, test_encode_and_query, test_field_rules, test_field_views,
          test_connection)
