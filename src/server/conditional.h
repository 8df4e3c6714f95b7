/*
 * Validators, preconditions and byte ranges for a static file (RFC 9110 8.8, 13 and 14), as
 * pure functions: given a parsed request, the file's size and validators and the time, what
 * status to answer and which bytes to send. Nothing here touches a file, a socket or a clock,
 * so every rule can be tested alone (tests/unit/server/conditional_test.c).
 */
#ifndef LC_SERVER_CONDITIONAL_H
#define LC_SERVER_CONDITIONAL_H

#include <stddef.h>
#include <stdint.h>

#include "server/http.h"

#define LC_COND_ETAG_MAX 64 /* W/"<16 hex>-<16 hex>-<16 hex>-w" and its NUL fit */
#define LC_COND_DATE_MAX 30 /* "Sun, 06 Nov 1994 08:49:37 GMT" and its NUL */

/* What a file's validators are made from (its fstat). Times are since the Unix epoch. */
struct lc_cond_file {
    int64_t size;
    int64_t mtime_sec;
    long mtime_nsec;
    uint64_t ino;
};

/* The validators sent with the file (RFC 9110 8.8). */
struct lc_cond_validators {
    char etag[LC_COND_ETAG_MAX]; /* the ETag field value, "W/" first when weak */
    int etag_weak;
    int64_t last_modified;       /* the Last-Modified time: the mtime, never after now */
    int last_modified_strong;    /* RFC 9110 8.8.2.2: a second or more before now */
};

/*
 * Makes the validators of a file at time now (seconds and nanoseconds):
 *
 * - ETag: "INODE-SIZE-MTIME" in hex, the mtime in nanoseconds. A change to the file's bytes
 *   changes its size or its mtime, and a file replaced by another (an editor's save, rsync, a
 *   deploy by rename) has a new inode, so the tag is strong (RFC 9110 8.8.1) except in one
 *   window: the file system stamps mtimes from a clock that ticks coarsely (milliseconds, and
 *   a whole second on some), so two writes of the same size within one tick share a tag.
 *   While the mtime is less than a second old such a second write may still come, so the tag
 *   is then weak (RFC 9110 8.8.3: a validator that "might not change for every change" MUST be
 *   marked weak) and its opaque part ends in "-w", so that a client holding it never matches
 *   the strong tag of the same mtime by weak comparison once the second has passed.
 *   What remains is a file rewritten in place with its size kept and its mtime set back
 *   (touch -d, cp -p onto the same inode): no validator made from metadata can see that.
 * - Last-Modified: the mtime's second, or now if the mtime is in the future (RFC 9110
 *   8.8.2.1); strong when at least a second old, by the same reasoning (8.8.2.2).
 */
void lc_cond_validators(const struct lc_cond_file *f, int64_t now_sec, long now_nsec,
                        struct lc_cond_validators *v);

/* What to answer: 200 (the whole file), 206 (bytes first..first+length-1), 304, 412 or 416. */
struct lc_cond_answer {
    int status;
    int64_t first, length;
};

/*
 * Evaluates a GET or HEAD request's preconditions and Range against a file of size bytes, in
 * RFC 9110 13.2.2's order:
 *   1. If-Match (strong comparison, "*" matches): false is 412;
 *   2. else If-Unmodified-Since (a valid date): modified after it is 412;
 *   3. If-None-Match (weak comparison, "*" matches): a match is 304;
 *   4. else If-Modified-Since (a valid date): not modified after it is 304;
 *   5. GET with Range: If-Range, if sent, must hold (strong ETag comparison, or the exact
 *      Last-Modified date when that is strong) or the Range is ignored; then one satisfiable
 *      byte range is 206, an unsatisfiable one 416. Range is ignored (200, the whole file)
 *      for HEAD (14.2: range handling is defined for GET only), for units other than bytes,
 *      for an invalid range set, for an empty file (14.2 allows it), and for more than one
 *      range: answering those needs multipart/byteranges (14.6), which this server does not
 *      produce, and 14.2 lets a server ignore Range.
 * Field values that are not valid (a date that does not parse, a singleton field sent twice)
 * are ignored as 13.1 says, or read by the "otherwise" step of their evaluation.
 */
void lc_cond_evaluate(const struct lc_http_request *req, int64_t size,
                      const struct lc_cond_validators *v, int64_t now,
                      struct lc_cond_answer *a);

/* ---- the pieces, exposed for tests -------------------------------------------------------- */

/*
 * Parses an HTTP-date (RFC 9110 5.6.7) in any of its three formats: IMF-fixdate, RFC 850
 * (its two-digit year read as at most 50 years ahead of now) and asctime. Returns 0 and the
 * seconds since the epoch, or -1 when s is not exactly one such date.
 */
int lc_cond_parse_date(const char *s, size_t n, int64_t now, int64_t *t);

/* Writes t as an IMF-fixdate into out (LC_COND_DATE_MAX bytes). */
void lc_cond_format_date(int64_t t, char *out);

/* What an entity-tag list field (If-Match, If-None-Match) says about an ETag. */
enum lc_cond_match {
    LC_COND_ANY,      /* the value is "*" */
    LC_COND_MATCH,    /* one of the listed tags matches */
    LC_COND_NO_MATCH, /* a valid list, and none matches */
    LC_COND_INVALID,  /* not "*" and not a list of entity-tags */
};

/* Compares etag (as lc_cond_validators made it) with each tag of the list, by the strong or
 * the weak comparison of RFC 9110 8.8.3.2. */
enum lc_cond_match lc_cond_etag_list(const struct lc_http_list *l, const char *etag, int strong);

/* What a Range field value asks of a file of size bytes (RFC 9110 14.1.2, 14.2). */
enum lc_cond_range {
    LC_COND_RANGE_IGNORE,        /* serve the whole file (see lc_cond_evaluate) */
    LC_COND_RANGE_SATISFIABLE,   /* *first and *length say which bytes */
    LC_COND_RANGE_UNSATISFIABLE, /* 416 */
};

enum lc_cond_range lc_cond_range(const char *v, size_t n, int64_t size, int64_t *first,
                                 int64_t *length);

#endif
