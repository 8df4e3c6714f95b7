/*
 * HTTP/1.1 request parsing (RFC 9112) and request-target to path decoding, as pure functions:
 * bytes in, a parsed request or "need more" or an HTTP error status out. Nothing here reads a
 * socket, allocates or keeps state between calls, so the parser can be unit tested at every
 * byte boundary and fuzzed alone.
 */
#ifndef LC_SERVER_HTTP_H
#define LC_SERVER_HTTP_H

#include <stddef.h>
#include <stdint.h>

/* Limits: the request line, then the header fields that follow it (nginx's 8 KiB buffers). */
#define LC_HTTP_MAX_LINE 8192    /* request line, line ending included: beyond it 414 */
#define LC_HTTP_MAX_FIELDS 8192  /* header fields and the blank line: beyond them 431 */
#define LC_HTTP_MAX_COUNT 100    /* header fields: more is 431 */
#define LC_HTTP_MAX_BODY (1 << 20) /* a request body we read and drop; larger is 413 */
#define LC_HTTP_MAX_LIST_LINES 8 /* field lines of one list field kept (If-None-Match): 431 */

/* The largest request head the parser can accept: a buffer this big never fills up unparsed. */
#define LC_HTTP_MAX_HEAD (LC_HTTP_MAX_LINE + LC_HTTP_MAX_FIELDS)

/* lc_http_parse results other than an HTTP status code. */
#define LC_HTTP_COMPLETE 0   /* a whole request head was parsed */
#define LC_HTTP_INCOMPLETE 1 /* valid so far: call again with more bytes */

enum lc_http_method {
    LC_HTTP_GET,
    LC_HTTP_HEAD,
    LC_HTTP_OTHER, /* a valid token we do not serve: 405 */
};

/*
 * A singleton header field (RFC 9110 5.5): the value of its first field line, without the
 * surrounding whitespace, and how many field lines named it. lines == 0: absent. lines > 1
 * makes the combined value a list, which no singleton field's grammar allows: whoever reads
 * the field treats it as invalid (RFC 9110 13.1.3, 13.1.4 say so for the date fields).
 */
struct lc_http_field {
    const char *value;
    size_t len;
    unsigned lines;
};

/* A list field (RFC 9110 5.6.1) whose lines are kept apart: the combined value is the lines'
 * values joined by ", ", so each line is a list of its own. */
struct lc_http_list {
    const char *value[LC_HTTP_MAX_LIST_LINES];
    size_t len[LC_HTTP_MAX_LIST_LINES];
    unsigned lines;
};

/*
 * One request head. The pointers are views into the buffer given to lc_http_parse and are
 * valid as long as it is.
 */
struct lc_http_request {
    size_t head_len;          /* bytes of the head, blank line included: where the body starts */
    const char *line;         /* the request line without its line ending (for the log) */
    size_t line_len;          /* 0 until a whole request line was seen */
    const char *method;
    size_t method_len;
    enum lc_http_method method_id;
    const char *target;       /* the request-target, as sent */
    size_t target_len;
    int version;              /* 10 for HTTP/1.0, 11 for HTTP/1.1 */
    int keep_alive;           /* the connection persists after the response (RFC 9112 9.3) */
    int has_host;
    int chunked;              /* Transfer-Encoding was sent: we read no such bodies */
    long long content_length; /* -1 when absent */

    /* The fields that change the answer, checked for syntax where the parser can say 400
     * (Host, RFC 9112 3.2) and otherwise left to their readers (conditional.c). */
    struct lc_http_field host;                /* uri-host [":" port], checked */
    struct lc_http_field if_modified_since;   /* RFC 9110 13.1.3 */
    struct lc_http_field if_unmodified_since; /* RFC 9110 13.1.4 */
    struct lc_http_field range;               /* RFC 9110 14.2 */
    struct lc_http_field if_range;            /* RFC 9110 13.1.5 */
    struct lc_http_list if_none_match;        /* RFC 9110 13.1.2 */
    struct lc_http_list if_match;             /* RFC 9110 13.1.1 */
};

/*
 * Parses the request head at the start of buf. Returns LC_HTTP_COMPLETE (req filled,
 * req->head_len says how much was used), LC_HTTP_INCOMPLETE (nothing wrong yet; call again
 * with the same bytes and more), or the status to answer with before closing:
 *   400  malformed: the request line, a field line (whitespace before the colon, obs-fold,
 *        a control character), Host missing in HTTP/1.1, repeated or invalid, an absolute-form
 *        target with userinfo or no host, differing Content-Lengths, Content-Length with
 *        Transfer-Encoding, Transfer-Encoding in HTTP/1.0, chunked not last or twice;
 *   413  a Content-Length over LC_HTTP_MAX_BODY;
 *   414  a request line over LC_HTTP_MAX_LINE;
 *   431  header fields over LC_HTTP_MAX_FIELDS bytes, LC_HTTP_MAX_COUNT fields, or more than
 *        LC_HTTP_MAX_LIST_LINES lines of If-None-Match or If-Match;
 *   501  a transfer coding other than chunked, gzip, deflate and compress;
 *   505  a version other than HTTP/1.0 and HTTP/1.1.
 * On an error, req->line is set when the request line was complete.
 */
int lc_http_parse(const uint8_t *buf, size_t len, struct lc_http_request *req);

/*
 * Decodes the path of a request-target (origin-form "/a/b?q" or absolute-form
 * "http://host/a/b?q") into out: the query is dropped, %XX escapes are decoded once, empty and
 * "." segments are removed and ".." removes the segment before it. The result starts with '/',
 * has no "." or ".." segment and no "//", and is NUL-terminated; it ends with '/' exactly when
 * a directory was asked for, and then *is_dir is 1 ("/a/b/", "/a/.", "/").
 *
 * Refused with 400: a ".." above the root, a bad escape, an encoded NUL or other control
 * character, a backslash (raw or encoded: a path separator to some file systems), a decoded
 * path that is not well-formed UTF-8 (RFC 3629: overlong forms such as %c0%ae for '.' and
 * %c0%af for '/' included), and any other form of target. A path that does not fit in cap is
 * 414. Returns 0 or that status. Because decoding happens once, "%252e%252e" stays the name
 * "%2e%2e".
 */
int lc_http_target_path(const char *target, size_t len, char *out, size_t cap, int *is_dir);

/* The query of a request-target, '?' included ("" when none), as a view into target. */
void lc_http_target_query(const char *target, size_t len, const char **query, size_t *qlen);

/*
 * The authority of an absolute-form target ("http://example.com:8080/a" gives
 * "example.com:8080"), which RFC 9112 3.2.2 says replaces the Host header. Returns 1 and the
 * view, or 0 for any other form of target.
 */
int lc_http_target_authority(const char *target, size_t len, const char **host, size_t *hlen);

/*
 * Percent-encodes a decoded path for a Location header: unreserved characters and
 * "/:@!$&'()*+,;=" stay, every other byte becomes %XX. Returns the length, or 0 when it does
 * not fit in cap (NUL included).
 */
size_t lc_http_encode_path(const char *path, char *out, size_t cap);

/* The reason phrase of a status code ("Not Found"); "Unknown" for codes we never send. */
const char *lc_http_reason(int status);

#endif
