/*
 * libFuzzer target: the HTTP/1.1 request parser (RFC 9112), the request-target path functions
 * of src/server/http.h, and the conditional and range evaluation of src/server/conditional.h
 * on whatever fields the parser kept. Properties:
 * - the parser returns only the documented results, and a complete head parses the same from
 *   exactly its own bytes;
 * - a decoded path is canonical (starts with '/', no "//", no "." or ".." segment), ends with
 *   '/' exactly when it names a directory, holds no control character or backslash, and is
 *   well-formed UTF-8; percent-encoding it with lc_http_encode_path and decoding again gives
 *   the same path;
 * - the evaluation answers one of 200, 206, 304, 412, 416, and a 206 lies inside the file;
 *   a date that parses formats back to a date that parses to the same instant.
 */
#include "fuzz.h"
#include "server/conditional.h"
#include "server/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* RFC 3629 well-formedness, written differently from http.c's table (by code point). */
static int utf8_ok(const uint8_t *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint32_t cp;
        size_t len = s[i] < 0x80 ? 1 : (s[i] >> 5) == 6 ? 2 : (s[i] >> 4) == 14 ? 3
                                                         : (s[i] >> 3) == 30 ? 4 : 0;
        if (len == 0 || n - i < len) {
            return 0;
        }
        cp = len == 1 ? s[i] : s[i] & (0x7f >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        i += len;
    }
    return 1;
}

static void check_path(const char *target, size_t len)
{
    static char path[LC_HTTP_MAX_LINE], enc[3 * LC_HTTP_MAX_LINE + 1], again[3 * LC_HTTP_MAX_LINE];
    int is_dir = 0;
    const char *q;
    size_t qlen;
    lc_http_target_query(target, len, &q, &qlen);
    FUZZ_CHECK(qlen <= len && (qlen == 0 || (q >= target && q + qlen <= target + len)));
    const char *host;
    size_t hlen;
    if (lc_http_target_authority(target, len, &host, &hlen)) {
        FUZZ_CHECK(host >= target && host + hlen <= target + len);
    }
    if (lc_http_target_path(target, len, path, sizeof(path), &is_dir) != 0) {
        return;
    }
    size_t plen = strlen(path);
    FUZZ_CHECK(path[0] == '/' && strstr(path, "//") == NULL);
    FUZZ_CHECK(strstr(path, "/./") == NULL && strstr(path, "/../") == NULL);
    FUZZ_CHECK(!(plen >= 2 && strcmp(path + plen - 2, "/.") == 0));
    FUZZ_CHECK(!(plen >= 3 && strcmp(path + plen - 3, "/..") == 0));
    FUZZ_CHECK(is_dir == (path[plen - 1] == '/'));
    for (size_t i = 0; i < plen; i++) {
        FUZZ_CHECK((uint8_t)path[i] >= 0x20 && path[i] != 0x7f && path[i] != '\\');
    }
    FUZZ_CHECK(utf8_ok((const uint8_t *)path, plen));
    size_t elen = lc_http_encode_path(path, enc, sizeof(enc));
    FUZZ_CHECK(elen > 0 && elen == strlen(enc));
    int is_dir2 = 0;
    FUZZ_CHECK(lc_http_target_path(enc, elen, again, sizeof(again), &is_dir2) == 0);
    fuzz_same("path", (const uint8_t *)path, plen, (const uint8_t *)again, strlen(again));
    FUZZ_CHECK(is_dir2 == is_dir);
}

static void check_date(const struct lc_http_field *f)
{
    int64_t t, back;
    char out[LC_COND_DATE_MAX];

    if (f->lines == 0 || lc_cond_parse_date(f->value, f->len, 1746532800, &t) != 0) {
        return;
    }
    lc_cond_format_date(t, out);
    FUZZ_CHECK(strlen(out) == LC_COND_DATE_MAX - 1);
    FUZZ_CHECK(lc_cond_parse_date(out, strlen(out), 1746532800, &back) == 0);
    FUZZ_CHECK(back == t || t < -62167219200LL || t > 253402300799LL);
}

static void check_conditions(const struct lc_http_request *req, size_t size)
{
    /* A file of a size taken from the input, with strong and with weak validators. */
    const struct lc_cond_file f = { .size = (int64_t)(size % 5000), .mtime_sec = 784111777,
                                    .mtime_nsec = 1, .ino = 42 };
    for (int weak = 0; weak < 2; weak++) {
        struct lc_cond_validators v;
        struct lc_cond_answer a;
        lc_cond_validators(&f, weak ? 784111777 : 1746532800, 0, &v);
        lc_cond_evaluate(req, f.size, &v, 1746532800, &a);
        FUZZ_CHECK(a.status == 200 || a.status == 206 || a.status == 304 || a.status == 412 ||
                   a.status == 416);
        if (a.status == 206) {
            FUZZ_CHECK(a.first >= 0 && a.length > 0 && a.first + a.length <= f.size);
            FUZZ_CHECK(req->method_id == LC_HTTP_GET);
        }
        if (a.status == 200) {
            FUZZ_CHECK(a.first == 0 && a.length == f.size);
        }
    }
    check_date(&req->if_modified_since);
    check_date(&req->if_unmodified_since);
    check_date(&req->if_range);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lc_http_request req;
    int rc = lc_http_parse(data, size, &req);
    FUZZ_CHECK(rc == LC_HTTP_COMPLETE || rc == LC_HTTP_INCOMPLETE || rc == 400 || rc == 413 ||
               rc == 414 || rc == 431 || rc == 501 || rc == 505);
    (void)lc_http_reason(rc);
    if (rc != LC_HTTP_COMPLETE) {
        return 0;
    }
    FUZZ_CHECK(req.head_len <= size);
    FUZZ_CHECK(req.version == 10 || req.version == 11);
    FUZZ_CHECK(req.version == 10 || req.has_host);
    struct lc_http_request again;
    FUZZ_CHECK(lc_http_parse(data, req.head_len, &again) == LC_HTTP_COMPLETE);
    FUZZ_CHECK(again.head_len == req.head_len);
    check_path(req.target, req.target_len);
    check_conditions(&req, size);
    return 0;
}
