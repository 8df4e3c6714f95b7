/*
 * libFuzzer target: the HTTP/1.1 request parser (RFC 9112) and the
 * request-target path functions of src/server/http.h. Properties: the parser
 * returns only the documented results; a complete head parses the same from
 * exactly its own bytes; a decoded path is canonical (starts with '/', no
 * "//"), and percent-encoding it with lc_http_encode_path and decoding again
 * gives the same path.
 */
#include "fuzz.h"
#include "server/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_path(const char *target, size_t len)
{
    static char path[LC_HTTP_MAX_LINE], enc[3 * LC_HTTP_MAX_LINE + 1], again[3 * LC_HTTP_MAX_LINE];
    int is_dir = 0;
    const char *q;
    size_t qlen;
    lc_http_target_query(target, len, &q, &qlen);
    FUZZ_CHECK(qlen <= len && (qlen == 0 || (q >= target && q + qlen <= target + len)));
    if (lc_http_target_path(target, len, path, sizeof(path), &is_dir) != 0) {
        return;
    }
    size_t plen = strlen(path);
    FUZZ_CHECK(path[0] == '/' && strstr(path, "//") == NULL);
    size_t elen = lc_http_encode_path(path, enc, sizeof(enc));
    FUZZ_CHECK(elen > 0 && elen == strlen(enc));
    int is_dir2 = 0;
    FUZZ_CHECK(lc_http_target_path(enc, elen, again, sizeof(again), &is_dir2) == 0);
    fuzz_same("path", (const uint8_t *)path, plen, (const uint8_t *)again, strlen(again));
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
    struct lc_http_request again;
    FUZZ_CHECK(lc_http_parse(data, req.head_len, &again) == LC_HTTP_COMPLETE);
    FUZZ_CHECK(again.head_len == req.head_len);
    check_path(req.target, req.target_len);
    return 0;
}
