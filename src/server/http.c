/*
 * The HTTP/1.1 request parser (RFC 9112 sections 2 to 7, RFC 9110 for the fields we read) and
 * request-target decoding.
 *
 * lc_http_parse is stateless: the server calls it again with the whole buffered head each time
 * bytes arrive, and it answers complete, incomplete, or the error status. Limits are checked on
 * prefixes too, so a client can never make the server buffer more than LC_HTTP_MAX_HEAD bytes,
 * and bytes that cannot start a request line are refused (400) as soon as they are seen rather
 * than after 8 KiB. Only the fields that change how we answer are interpreted: Host,
 * Connection, Content-Length and Transfer-Encoding; the rest are checked for syntax and skipped.
 */
#include "server/http.h"

#include <string.h>

/* RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
 * "_" / "`" / "|" / "~" / DIGIT / ALPHA. */
static int is_tchar(uint8_t c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        return 1;
    }
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* A request-target is visible ASCII (RFC 3986 characters, checked for meaning later). */
static int is_target_char(uint8_t c)
{
    return c > 0x20 && c < 0x7f;
}

/* RFC 9110 5.5: field-value is VCHAR, obs-text, SP and HTAB; every other control is refused. */
static int is_value_char(uint8_t c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
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
    if (major == 1 && (minor == 0 || minor == 1)) {
        req->version = 10 + minor;
        return LC_HTTP_COMPLETE;
    }
    /* RFC 9110 15.6.6: a well-formed version we do not speak. */
    return 505;
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

/* Connection (RFC 9110 7.6.1): a list of tokens; we act on "close" and "keep-alive". */
static void connection_tokens(const char *v, size_t n, int *close, int *keep)
{
    size_t i = 0;

    while (i < n) {
        while (i < n && (v[i] == ',' || v[i] == ' ' || v[i] == '\t')) {
            i++;
        }
        size_t s = i;
        while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t') {
            i++;
        }
        if (equal_nocase(v + s, i - s, "close")) {
            *close = 1;
        } else if (equal_nocase(v + s, i - s, "keep-alive")) {
            *keep = 1;
        }
    }
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
            return 400;
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

/*
 * Transfer-Encoding (RFC 9112 6.1): chunked must be the final coding, or the request's length
 * cannot be known and the answer is 400.
 */
static int transfer_encoding(const char *v, size_t n)
{
    size_t end = n, start;

    while (end > 0 && (v[end - 1] == ' ' || v[end - 1] == '\t' || v[end - 1] == ',')) {
        end--;
    }
    start = end;
    while (start > 0 && v[start - 1] != ',' && v[start - 1] != ' ' && v[start - 1] != '\t') {
        start--;
    }
    return equal_nocase(v + start, end - start, "chunked") ? 0 : 400;
}

/* One header field line, without its line ending: RFC 9112 5 field-name ":" OWS value OWS. */
static int header_field(const char *p, size_t n, struct lc_http_request *req, int *close,
                        int *keep)
{
    size_t i = 0;

    /* RFC 9112 5.2: obs-fold is refused with 400; so is a name not followed by ':' at once
     * (5.1: no whitespace between name and colon). */
    while (i < n && is_tchar((uint8_t)p[i])) {
        i++;
    }
    if (i == 0 || i == n || p[i] != ':') {
        return 400;
    }
    const char *name = p;
    size_t name_len = i++;
    while (i < n && (p[i] == ' ' || p[i] == '\t')) {
        i++;
    }
    size_t end = n;
    while (end > i && (p[end - 1] == ' ' || p[end - 1] == '\t')) {
        end--;
    }
    for (size_t j = i; j < end; j++) {
        if (!is_value_char((uint8_t)p[j])) {
            return 400;
        }
    }
    const char *value = p + i;
    size_t value_len = end - i;

    if (equal_nocase(name, name_len, "host")) {
        /* RFC 9112 3.2: more than one Host is 400. */
        if (req->has_host) {
            return 400;
        }
        req->has_host = 1;
    } else if (equal_nocase(name, name_len, "connection")) {
        connection_tokens(value, value_len, close, keep);
    } else if (equal_nocase(name, name_len, "content-length")) {
        return content_length(value, value_len, &req->content_length);
    } else if (equal_nocase(name, name_len, "transfer-encoding")) {
        req->chunked = 1;
        return transfer_encoding(value, value_len);
    }
    return 0;
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
    size_t fields = (size_t)lf + 1;
    size_t limit = len - fields < LC_HTTP_MAX_FIELDS ? len : fields + LC_HTTP_MAX_FIELDS;
    int close = 0, keep = 0, count = 0;
    pos = fields;
    for (;;) {
        lf = find_line(buf, pos, limit, &end);
        if (lf < 0) {
            return len - fields >= LC_HTTP_MAX_FIELDS ? 431 : LC_HTTP_INCOMPLETE;
        }
        if (end == pos) {
            break;
        }
        if (++count > LC_HTTP_MAX_COUNT) {
            return 431;
        }
        rc = header_field((const char *)buf + pos, end - pos, req, &close, &keep);
        if (rc != 0) {
            return rc;
        }
        pos = (size_t)lf + 1;
    }
    req->head_len = (size_t)lf + 1;

    /* RFC 9112 3.2: an HTTP/1.1 request without Host is 400. */
    if (req->version == 11 && !req->has_host) {
        return 400;
    }
    /* RFC 9112 6.1: Transfer-Encoding with Content-Length is a smuggling attempt, and 1.0 has
     * no transfer codings; both are 400 and the connection closes. */
    if (req->chunked && (req->content_length >= 0 || req->version == 10)) {
        return 400;
    }
    if (req->content_length > LC_HTTP_MAX_BODY) {
        return 413;
    }
    /* RFC 9112 9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive". */
    req->keep_alive = req->version == 11 ? !close : (keep && !close);
    return LC_HTTP_COMPLETE;
}

/* The path and query part of a request-target: origin-form, or absolute-form (RFC 9112 3.2.2,
 * which a server must accept) with its scheme and authority skipped. NULL when neither. */
static const char *target_path(const char *t, size_t len, const char **end)
{
    const char *stop = t + len;

    *end = stop;
    if (len > 0 && t[0] == '/') {
        return t;
    }
    size_t skip = 0;
    if (len >= 7 && equal_nocase(t, 7, "http://")) {
        skip = 7;
    } else if (len >= 8 && equal_nocase(t, 8, "https://")) {
        skip = 8;
    } else {
        return NULL;
    }
    const char *p = t + skip;
    while (p < stop && *p != '/' && *p != '?') {
        p++;
    }
    if (p == t + skip) {
        return NULL; /* no authority */
    }
    return p;
}

void lc_http_target_query(const char *target, size_t len, const char **query, size_t *qlen)
{
    const char *q = memchr(target, '?', len);

    *query = q != NULL ? q : target + len;
    *qlen = q != NULL ? (size_t)(target + len - q) : 0;
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
            if (c == 0) {
                return 400; /* a NUL would cut the file name short */
            }
            p += 2;
        }
        if (n + 1 >= cap) {
            return 414;
        }
        out[n++] = (char)c;
    }

    /*
     * Remove dot segments in place (RFC 3986 5.2.4, except that ".." above the root is refused
     * rather than ignored). Decoding came first, so "%2e%2e" and "..%2f" are segments here and
     * an encoded slash separates segments like a plain one: no spelling of ".." survives.
     * The write position never passes the read position, so one buffer is enough.
     */
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
                return 400;
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
    if (w == 0) {
        out[w++] = '/';
        dir = 1;
    }
    out[w] = '\0';
    *is_dir = dir;
    return 0;
}

size_t lc_http_encode_path(const char *path, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;

    for (const char *p = path; *p != '\0'; p++) {
        uint8_t c = (uint8_t)*p;
        int keep = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   strchr("-._~/:@!$&'()*+,;=", c) != NULL;
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

const char *lc_http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}
