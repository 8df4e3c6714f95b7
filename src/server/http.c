/*
 * The HTTP/1.1 request parser (RFC 9112 sections 2 to 7, RFC 9110 for the fields we read) and
 * request-target decoding.
 *
 * lc_http_parse is stateless: the server calls it again with the whole buffered head each time
 * bytes arrive, and it answers complete, incomplete, or the error status. Limits are checked on
 * prefixes too, so a client can never make the server buffer more than LC_HTTP_MAX_HEAD bytes,
 * and bytes that cannot start a request line are refused (400) as soon as they are seen rather
 * than after 8 KiB. Only the fields that change how we answer are looked at (the table
 * `fields` below); the rest are checked for syntax and skipped. What the parser keeps of a
 * field is a view into the caller's buffer: nothing is copied or allocated.
 *
 * Framing is strict, because a server that reads a request's length differently from a proxy
 * in front of it can be made to answer a smuggled request (RFC 9112 11.2): whitespace before a
 * colon, obs-fold, bare CR, two Content-Lengths that differ, Content-Length with
 * Transfer-Encoding, and chunked anywhere but last are all 400.
 */
#include "server/http.h"

#include <stddef.h>
#include <string.h>

/* RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
 * "_" / "`" / "|" / "~" / DIGIT / ALPHA. */
static int is_alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_tchar(uint8_t c)
{
    return is_alnum(c) || (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* A request-target is visible ASCII (RFC 3986 characters, checked for meaning later). */
static int is_target_char(uint8_t c)
{
    return c > 0x20 && c < 0x7f;
}

/* RFC 9110 5.5: field-value is VCHAR, obs-text, SP and HTAB; every other control is refused
 * (a bare CR included: RFC 9112 2.2 lets a recipient treat it as invalid). */
static int is_value_char(uint8_t c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int equal_nocase(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);

    if (alen != blen) {
        return 0;
    }
    for (size_t i = 0; i < alen; i++) {
        if (lower((uint8_t)a[i]) != lower((uint8_t)b[i])) {
            return 0;
        }
    }
    return 1;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = lower(c);
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/* ---- authority: Host and the absolute-form's host ----------------------------------------- */

/* RFC 3986 2.3 unreserved and 2.2 sub-delims: what a reg-name is made of, with pct-encoded. */
static int is_host_char(uint8_t c)
{
    return is_alnum(c) || (c != 0 && strchr("-._~!$&'()*+,;=", c) != NULL);
}

/*
 * RFC 9110 7.2: Host = uri-host [ ":" port ], uri-host = IP-literal / IPv4address / reg-name
 * (RFC 3986 3.2.2), port = *DIGIT. An IP-literal's inside is checked for its characters only
 * (hex digits, ':' and '.' for IPv6, and IPvFuture's); what it means is not our concern, since
 * the name is only compared with server_name values. An empty host is allowed (RFC 9112 3.2:
 * a target with no authority sends "Host:" empty) unless need_host says otherwise.
 */
static int valid_authority(const char *p, size_t n, int need_host)
{
    size_t i = 0;

    if (n > 0 && p[0] == '[') {
        for (i = 1; i < n && p[i] != ']'; i++) {
            if (!is_host_char((uint8_t)p[i]) && p[i] != ':') {
                return 0;
            }
        }
        if (i == n || i == 1) {
            return 0;
        }
        i++;
    } else {
        while (i < n && p[i] != ':') {
            if (p[i] == '%') {
                if (n - i < 3 || hexval(p[i + 1]) < 0 || hexval(p[i + 2]) < 0) {
                    return 0;
                }
                i += 3;
            } else if (is_host_char((uint8_t)p[i])) {
                i++;
            } else {
                return 0; /* '@' (userinfo) and '/' among others */
            }
        }
        if (need_host && i == 0) {
            return 0;
        }
    }
    if (i < n) {
        if (p[i++] != ':') {
            return 0;
        }
        for (; i < n; i++) {
            if (p[i] < '0' || p[i] > '9') {
                return 0;
            }
        }
    }
    return 1;
}

/* The scheme of an absolute-form target we accept: its length, or 0 when t has none. */
static size_t http_scheme(const char *t, size_t len)
{
    if (len >= 7 && equal_nocase(t, 7, "http://")) {
        return 7;
    }
    if (len >= 8 && equal_nocase(t, 8, "https://")) {
        return 8;
    }
    return 0;
}

int lc_http_target_authority(const char *target, size_t len, const char **host, size_t *hlen)
{
    size_t skip = http_scheme(target, len), end = skip;

    if (skip == 0) {
        return 0;
    }
    while (end < len && target[end] != '/' && target[end] != '?' && target[end] != '#') {
        end++;
    }
    *host = target + skip;
    *hlen = end - skip;
    return 1;
}

/* ---- the request line --------------------------------------------------------------------- */

/*
 * Checks a request line (RFC 9112 3: method SP request-target SP HTTP-version), which is either
 * complete (p[0..n) without its line ending) or a prefix of one. A prefix that no request line
 * can start with is 400 at once; a complete one fills req.
 */
static int request_line(const char *p, size_t n, int complete, struct lc_http_request *req)
{
    static const char shape[] = "HTTP/d.d"; /* d: one DIGIT (RFC 9112 2.3) */
    const size_t shape_len = sizeof(shape) - 1;
    size_t i = 0;

    while (i < n && is_tchar((uint8_t)p[i])) {
        i++;
    }
    if (i == n) {
        return complete ? 400 : LC_HTTP_INCOMPLETE;
    }
    if (p[i] != ' ' || i == 0) {
        return 400;
    }
    size_t method_len = i++;
    size_t t = i;
    while (i < n && is_target_char((uint8_t)p[i])) {
        i++;
    }
    if (i == n) {
        return complete ? 400 : LC_HTTP_INCOMPLETE;
    }
    if (p[i] != ' ' || i == t) {
        return 400;
    }
    size_t target_len = i - t;
    size_t v = ++i;
    for (size_t j = 0; v + j < n; j++) {
        char want = j < shape_len ? shape[j] : 0;
        char got = p[v + j];
        if (want == 0 || (want == 'd' ? !(got >= '0' && got <= '9') : got != want)) {
            return 400;
        }
    }
    if (!complete) {
        return LC_HTTP_INCOMPLETE;
    }
    if (n - v != shape_len) {
        return 400;
    }

    req->method = p;
    req->method_len = method_len;
    req->target = p + t;
    req->target_len = target_len;
    /* RFC 9110 9.1: methods are case-sensitive. */
    if (method_len == 3 && memcmp(p, "GET", 3) == 0) {
        req->method_id = LC_HTTP_GET;
    } else if (method_len == 4 && memcmp(p, "HEAD", 4) == 0) {
        req->method_id = LC_HTTP_HEAD;
    } else {
        req->method_id = LC_HTTP_OTHER;
    }
    int major = p[v + 5] - '0', minor = p[v + 7] - '0';
    if (!(major == 1 && (minor == 0 || minor == 1))) {
        /* RFC 9110 15.6.6: a well-formed version we do not speak. */
        return 505;
    }
    req->version = 10 + minor;

    /* RFC 9110 4.2.1 and 4.2.4: an http(s) URI needs a host and must not carry userinfo,
     * which is how "http://good.example@evil.example/" phishing works. */
    const char *host;
    size_t hlen;
    if (lc_http_target_authority(req->target, req->target_len, &host, &hlen) &&
        !valid_authority(host, hlen, 1)) {
        return 400;
    }
    return LC_HTTP_COMPLETE;
}

/*
 * Finds the end of the line that starts at buf[from], looking no further than buf[limit].
 * Returns the index of its LF and sets *end to where its content ends (before a CR), or
 * returns -1 when no LF was seen yet.
 */
static long find_line(const uint8_t *buf, size_t from, size_t limit, size_t *end)
{
    const uint8_t *lf = memchr(buf + from, '\n', limit - from);

    if (lf == NULL) {
        return -1;
    }
    size_t at = (size_t)(lf - buf);
    *end = (at > from && buf[at - 1] == '\r') ? at - 1 : at;
    return (long)at;
}

/* ---- header fields ------------------------------------------------------------------------ */

/* What the fields seen so far say about framing and persistence, decided at the head's end. */
struct framing {
    int close, keep;        /* Connection tokens */
    int te_lines;           /* Transfer-Encoding field lines */
    int chunked_count;      /* times chunked was named */
    int last_is_chunked;    /* the last coding named so far is chunked */
    int unknown_coding;     /* a coding we do not know: 501 */
};

/* Calls fn for each element of a comma-separated list (RFC 9110 5.6.1), OWS trimmed and empty
 * elements skipped (recipients must accept them). fn returns 0 to go on, else a status. */
static int each_element(const char *v, size_t n, int (*fn)(const char *, size_t, void *),
                        void *arg)
{
    size_t i = 0;

    while (i < n) {
        size_t s = i;
        while (i < n && v[i] != ',') {
            i++;
        }
        size_t e = i;
        while (s < e && is_ows(v[s])) {
            s++;
        }
        while (e > s && is_ows(v[e - 1])) {
            e--;
        }
        if (e > s) {
            int rc = fn(v + s, e - s, arg);
            if (rc != 0) {
                return rc;
            }
        }
        i++; /* past the ',' */
    }
    return 0;
}

/* Connection (RFC 9110 7.6.1): a list of tokens; we act on "close" and "keep-alive". */
static int connection_token(const char *t, size_t n, void *arg)
{
    struct framing *fr = arg;

    if (equal_nocase(t, n, "close")) {
        fr->close = 1;
    } else if (equal_nocase(t, n, "keep-alive")) {
        fr->keep = 1;
    }
    return 0;
}

/* RFC 9112 7: the transfer codings registered for HTTP/1.1, x-* being aliases (RFC 9110
 * 8.4.1). We decode none of them, but we know what they are: a known coding's body is
 * framed by the chunked coding that must follow it, so the request can be answered. */
static const char *const known_codings[] = {
    "chunked", "gzip", "x-gzip", "deflate", "compress", "x-compress",
};

/*
 * One transfer-coding of Transfer-Encoding (RFC 9112 6.1). Parameters are refused (400): none
 * of the codings above takes one, and a coding we cannot read leaves the body's end unknown.
 */
static int transfer_coding(const char *t, size_t n, void *arg)
{
    struct framing *fr = arg;
    int known = 0;

    for (size_t i = 0; i < n; i++) {
        if (!is_tchar((uint8_t)t[i])) {
            return 400;
        }
    }
    for (size_t i = 0; i < sizeof(known_codings) / sizeof(known_codings[0]); i++) {
        known |= equal_nocase(t, n, known_codings[i]);
    }
    fr->last_is_chunked = equal_nocase(t, n, "chunked");
    fr->chunked_count += fr->last_is_chunked;
    fr->unknown_coding |= !known;
    return 0;
}

/* Content-Length (RFC 9110 8.6): 1*DIGIT. Large values saturate; the caller answers 413. */
static int content_length(const char *v, size_t n, long long *out)
{
    long long x = 0;

    if (n == 0) {
        return 400;
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') {
            return 400; /* a list ("5, 5") included: we take one value or none */
        }
        if (x < (1LL << 50)) {
            x = x * 10 + (v[i] - '0');
        }
    }
    /* RFC 9112 6.3: differing lengths make the message length unknowable. */
    if (*out >= 0 && *out != x) {
        return 400;
    }
    *out = x;
    return 0;
}

enum field_kind {
    F_HOST,
    F_CONNECTION,
    F_CONTENT_LENGTH,
    F_TRANSFER_ENCODING,
    F_SINGLE, /* a struct lc_http_field at .offset */
    F_LIST,   /* a struct lc_http_list at .offset */
};

/* The fields we read (names are case-insensitive, RFC 9110 5.1); any other is skipped. */
static const struct {
    const char *name;
    enum field_kind kind;
    size_t offset;
} fields[] = {
    { "host", F_HOST, offsetof(struct lc_http_request, host) },
    { "connection", F_CONNECTION, 0 },
    { "content-length", F_CONTENT_LENGTH, 0 },
    { "transfer-encoding", F_TRANSFER_ENCODING, 0 },
    { "if-modified-since", F_SINGLE, offsetof(struct lc_http_request, if_modified_since) },
    { "if-unmodified-since", F_SINGLE, offsetof(struct lc_http_request, if_unmodified_since) },
    { "range", F_SINGLE, offsetof(struct lc_http_request, range) },
    { "if-range", F_SINGLE, offsetof(struct lc_http_request, if_range) },
    { "if-none-match", F_LIST, offsetof(struct lc_http_request, if_none_match) },
    { "if-match", F_LIST, offsetof(struct lc_http_request, if_match) },
};

static void keep_single(struct lc_http_field *f, const char *value, size_t len)
{
    if (f->lines++ == 0) {
        f->value = value;
        f->len = len;
    }
}

/* One header field line, without its line ending: RFC 9112 5 field-name ":" OWS value OWS. */
static int header_field(const char *p, size_t n, struct lc_http_request *req, struct framing *fr)
{
    size_t i = 0;

    /* RFC 9112 5.2: obs-fold (a line starting with whitespace) is refused with 400; so is a
     * name not followed by ':' at once (5.1: no whitespace between name and colon). */
    while (i < n && is_tchar((uint8_t)p[i])) {
        i++;
    }
    if (i == 0 || i == n || p[i] != ':') {
        return 400;
    }
    const char *name = p;
    size_t name_len = i++;
    while (i < n && is_ows(p[i])) {
        i++;
    }
    size_t end = n;
    while (end > i && is_ows(p[end - 1])) {
        end--;
    }
    for (size_t j = i; j < end; j++) {
        if (!is_value_char((uint8_t)p[j])) {
            return 400;
        }
    }
    const char *value = p + i;
    size_t value_len = end - i;

    size_t k = 0, nfields = sizeof(fields) / sizeof(fields[0]);
    while (k < nfields && !equal_nocase(name, name_len, fields[k].name)) {
        k++;
    }
    if (k == nfields) {
        return 0;
    }
    void *at = (char *)req + fields[k].offset;
    switch (fields[k].kind) {
    case F_HOST:
        /* RFC 9112 3.2: more than one Host, or an invalid one, is 400. */
        if (req->has_host || !valid_authority(value, value_len, 0)) {
            return 400;
        }
        req->has_host = 1;
        keep_single(at, value, value_len);
        return 0;
    case F_CONNECTION:
        return each_element(value, value_len, connection_token, fr);
    case F_CONTENT_LENGTH:
        return content_length(value, value_len, &req->content_length);
    case F_TRANSFER_ENCODING:
        fr->te_lines++;
        req->chunked = 1;
        return each_element(value, value_len, transfer_coding, fr);
    case F_SINGLE:
        keep_single(at, value, value_len);
        return 0;
    case F_LIST: {
        struct lc_http_list *l = at;
        if (l->lines == LC_HTTP_MAX_LIST_LINES) {
            return 431;
        }
        l->value[l->lines] = value;
        l->len[l->lines++] = value_len;
        return 0;
    }
    }
    return 0;
}

/*
 * What the whole head says about the body's length (RFC 9112 6.1, 6.3) and the connection
 * (9.3), once every field line has been seen.
 */
static int framing_done(struct lc_http_request *req, const struct framing *fr)
{
    /* RFC 9112 3.2: an HTTP/1.1 request without Host is 400. */
    if (req->version == 11 && !req->has_host) {
        return 400;
    }
    if (fr->te_lines > 0) {
        /* 6.1: Transfer-Encoding with Content-Length is a smuggling attempt, and 1.0 has no
         * transfer codings (its framing is faulty); 6.3: chunked must be the final coding, and
         * 7: it is applied once. Each leaves the body's end unknown: 400. */
        if (req->content_length >= 0 || req->version == 10 || !fr->last_is_chunked ||
            fr->chunked_count != 1) {
            return 400;
        }
        /* 6.1: a coding we do not understand is 501. */
        if (fr->unknown_coding) {
            return 501;
        }
    }
    if (req->content_length > LC_HTTP_MAX_BODY) {
        return 413;
    }
    /* RFC 9112 9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive". */
    req->keep_alive = req->version == 11 ? !fr->close : (fr->keep && !fr->close);
    return LC_HTTP_COMPLETE;
}

int lc_http_parse(const uint8_t *buf, size_t len, struct lc_http_request *req)
{
    size_t pos = 0, end;
    long lf;
    int rc;

    memset(req, 0, sizeof(*req));
    req->content_length = -1;

    /* RFC 9112 2.2: empty lines before the request line are ignored. */
    while (pos < len && (buf[pos] == '\n' || buf[pos] == '\r')) {
        if (buf[pos] == '\r' && pos + 1 < len && buf[pos + 1] != '\n') {
            return 400;
        }
        pos++;
    }
    size_t line_limit = len < LC_HTTP_MAX_LINE ? len : LC_HTTP_MAX_LINE;
    if (pos >= line_limit) {
        return len >= LC_HTTP_MAX_LINE ? 400 : LC_HTTP_INCOMPLETE;
    }
    lf = find_line(buf, pos, line_limit, &end);
    if (lf < 0) {
        /* Refuse what cannot become a request line before waiting for 8 KiB of it. */
        size_t n = line_limit - pos;
        if (n > 0 && buf[line_limit - 1] == '\r') {
            n--;
        }
        rc = request_line((const char *)buf + pos, n, 0, req);
        if (rc != LC_HTTP_INCOMPLETE) {
            return rc;
        }
        return len >= LC_HTTP_MAX_LINE ? 414 : LC_HTTP_INCOMPLETE;
    }
    req->line = (const char *)buf + pos;
    req->line_len = end - pos;
    rc = request_line(req->line, req->line_len, 1, req);
    if (rc != LC_HTTP_COMPLETE) {
        return rc;
    }

    /* Header fields, until the empty line that ends the head. */
    size_t start = (size_t)lf + 1;
    size_t limit = len - start < LC_HTTP_MAX_FIELDS ? len : start + LC_HTTP_MAX_FIELDS;
    struct framing fr = { 0 };
    int count = 0;
    pos = start;
    for (;;) {
        lf = find_line(buf, pos, limit, &end);
        if (lf < 0) {
            return len - start >= LC_HTTP_MAX_FIELDS ? 431 : LC_HTTP_INCOMPLETE;
        }
        if (end == pos) {
            break;
        }
        if (++count > LC_HTTP_MAX_COUNT) {
            return 431;
        }
        rc = header_field((const char *)buf + pos, end - pos, req, &fr);
        if (rc != 0) {
            return rc;
        }
        pos = (size_t)lf + 1;
    }
    req->head_len = (size_t)lf + 1;
    return framing_done(req, &fr);
}

/* ---- the request-target as a path -------------------------------------------------------- */

/* The path and query part of a request-target: origin-form, or absolute-form (RFC 9112 3.2.2,
 * which a server must accept) with its scheme and authority skipped. NULL when neither. */
static const char *target_path(const char *t, size_t len, const char **end)
{
    const char *host;
    size_t hlen;

    *end = t + len;
    if (len > 0 && t[0] == '/') {
        return t;
    }
    if (!lc_http_target_authority(t, len, &host, &hlen) || hlen == 0) {
        return NULL;
    }
    return host + hlen;
}

void lc_http_target_query(const char *target, size_t len, const char **query, size_t *qlen)
{
    const char *q = memchr(target, '?', len);

    *query = q != NULL ? q : target + len;
    *qlen = q != NULL ? (size_t)(target + len - q) : 0;
}

/*
 * RFC 3629 4: well-formed UTF-8, by the lead byte's range and the range its second byte must
 * fall in; later bytes are 80..BF. The narrowed second-byte ranges are what exclude overlong
 * forms (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points past U+10FFFF; C0, C1
 * and F5..FF lead nothing, so %c0%ae (an overlong '.') and %c0%af ('/') never decode.
 */
static const struct {
    uint8_t lo, hi;   /* lead byte */
    uint8_t lo2, hi2; /* second byte */
    uint8_t len;
} utf8_forms[] = {
    { 0x00, 0x7f, 0, 0, 1 },
    { 0xc2, 0xdf, 0x80, 0xbf, 2 },
    { 0xe0, 0xe0, 0xa0, 0xbf, 3 },
    { 0xe1, 0xec, 0x80, 0xbf, 3 },
    { 0xed, 0xed, 0x80, 0x9f, 3 },
    { 0xee, 0xef, 0x80, 0xbf, 3 },
    { 0xf0, 0xf0, 0x90, 0xbf, 4 },
    { 0xf1, 0xf3, 0x80, 0xbf, 4 },
    { 0xf4, 0xf4, 0x80, 0x8f, 4 },
};

static int valid_utf8(const uint8_t *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t f = 0, nforms = sizeof(utf8_forms) / sizeof(utf8_forms[0]);
        while (f < nforms && !(s[i] >= utf8_forms[f].lo && s[i] <= utf8_forms[f].hi)) {
            f++;
        }
        if (f == nforms || n - i < utf8_forms[f].len) {
            return 0;
        }
        for (size_t k = 1; k < utf8_forms[f].len; k++) {
            uint8_t lo = k == 1 ? utf8_forms[f].lo2 : 0x80, hi = k == 1 ? utf8_forms[f].hi2 : 0xbf;
            if (s[i + k] < lo || s[i + k] > hi) {
                return 0;
            }
        }
        i += utf8_forms[f].len;
    }
    return 1;
}

/*
 * Removes dot segments from out[0..n) in place (RFC 3986 5.2.4, except that ".." above the
 * root is refused rather than ignored). Decoding came first, so "%2e%2e" and "..%2f" are
 * segments here and an encoded slash separates segments like a plain one: no spelling of ".."
 * survives. The write position never passes the read position, so one buffer is enough.
 * Returns the new length, or 0 for a ".." above the root.
 */
static size_t remove_dot_segments(char *out, size_t n, size_t cap, int *is_dir)
{
    size_t w = 0, r = 0;
    int dir = 1;

    while (r < n) {
        size_t s = r + 1, e = s; /* out[r] is '/' */
        while (e < n && out[e] != '/') {
            e++;
        }
        size_t seg = e - s;
        if (seg == 0 || (seg == 1 && out[s] == '.')) {
            dir = 1;
        } else if (seg == 2 && out[s] == '.' && out[s + 1] == '.') {
            if (w == 0) {
                return 0;
            }
            while (w > 0 && out[w - 1] != '/') {
                w--;
            }
            w--; /* the '/' before the removed segment */
            dir = 1;
        } else {
            out[w++] = '/';
            memmove(out + w, out + s, seg);
            w += seg;
            dir = 0;
        }
        r = e;
    }
    /* A directory keeps one trailing '/': the last segment that made it one ("/", "." or
     * "..") was not written, so there is room for it. */
    if (w == 0 || (dir && w + 1 < cap)) {
        out[w++] = '/';
    }
    out[w] = '\0';
    *is_dir = dir;
    return w;
}

int lc_http_target_path(const char *target, size_t len, char *out, size_t cap, int *is_dir)
{
    const char *end, *p = target_path(target, len, &end);
    size_t n = 0;

    if (p == NULL || cap < 2) {
        return p == NULL ? 400 : 414;
    }
    /* Decode once, into out. An absolute-form target with no path ("http://h?q") means "/". */
    out[n++] = '/';
    if (p < end && *p == '/') {
        p++;
    }
    for (; p < end && *p != '?'; p++) {
        int c = (uint8_t)*p;
        if (c == '#') {
            return 400; /* RFC 9112 3.2: a fragment is never sent */
        }
        if (c == '%') {
            int hi = end - p >= 3 ? hexval(p[1]) : -1;
            int lo = end - p >= 3 ? hexval(p[2]) : -1;
            if (hi < 0 || lo < 0) {
                return 400;
            }
            c = hi * 16 + lo;
            p += 2;
        }
        /* A NUL would cut the file name short and other controls have no place in a name we
         * serve; a backslash separates segments on some systems, so "..\" could climb there. */
        if (c < 0x20 || c == 0x7f || c == '\\') {
            return 400;
        }
        if (n + 1 >= cap) {
            return 414;
        }
        out[n++] = (char)c;
    }
    if (!valid_utf8((const uint8_t *)out, n)) {
        return 400;
    }
    return remove_dot_segments(out, n, cap, is_dir) == 0 ? 400 : 0;
}

size_t lc_http_encode_path(const char *path, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;

    for (const char *p = path; *p != '\0'; p++) {
        uint8_t c = (uint8_t)*p;
        int keep = is_alnum(c) || strchr("-._~/:@!$&'()*+,;=", c) != NULL;
        if (n + (keep ? 1 : 3) >= cap) {
            return 0;
        }
        if (keep) {
            out[n++] = (char)c;
        } else {
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        }
    }
    if (n >= cap) {
        return 0;
    }
    out[n] = '\0';
    return n;
}

/* RFC 9110 15: the reason phrases of the codes we send. */
static const struct {
    int status;
    const char *reason;
} reasons[] = {
    { 200, "OK" },
    { 206, "Partial Content" },
    { 301, "Moved Permanently" },
    { 304, "Not Modified" },
    { 400, "Bad Request" },
    { 403, "Forbidden" },
    { 404, "Not Found" },
    { 405, "Method Not Allowed" },
    { 408, "Request Timeout" },
    { 412, "Precondition Failed" },
    { 413, "Content Too Large" },
    { 414, "URI Too Long" },
    { 416, "Range Not Satisfiable" },
    { 421, "Misdirected Request" },
    { 425, "Too Early" },
    { 431, "Request Header Fields Too Large" },
    { 500, "Internal Server Error" },
    { 501, "Not Implemented" },
    { 503, "Service Unavailable" },
    { 505, "HTTP Version Not Supported" },
};

const char *lc_http_reason(int status)
{
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
        if (reasons[i].status == status) {
            return reasons[i].reason;
        }
    }
    return "Unknown";
}
