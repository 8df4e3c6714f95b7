/*
 * Conditional and range requests for static files (RFC 9110 8.8 validators, 13 preconditions,
 * 14 ranges, 5.6.7 dates): which status a GET or HEAD gets and which bytes it carries.
 *
 * Every field value is parsed here with a bounded cursor over the view the request parser
 * kept; nothing is copied. A value that does not parse is never an error response: RFC 9110
 * makes each of these fields safe to ignore (13.1: "no harm will result when the precondition
 * evaluates to false"; 14.2: "A server MAY ignore the Range header field"), and for a GET the
 * answer that ignores a field is the whole file, which is always correct.
 */
#include "server/conditional.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Numbers saturate here: far beyond any file, far from overflowing int64_t (RFC 9110 14.1.2
 * asks recipients to survive large numerals). */
#define BIG ((int64_t)1 << 62)

/* ---- a bounded cursor over a field value ------------------------------------------------ */

struct cursor {
    const char *p;
    size_t n, i;
};

static int at_end(const struct cursor *c)
{
    return c->i == c->n;
}

static int peek(const struct cursor *c, char ch)
{
    return c->i < c->n && c->p[c->i] == ch;
}

static void skip_ows(struct cursor *c)
{
    while (peek(c, ' ') || peek(c, '\t')) {
        c->i++;
    }
}

/* Takes the literal s (case-sensitive: HTTP-date is, RFC 9110 5.6.7). */
static int lit(struct cursor *c, const char *s)
{
    size_t k = strlen(s);

    if (c->n - c->i < k || memcmp(c->p + c->i, s, k) != 0) {
        return 0;
    }
    c->i += k;
    return 1;
}

/* Takes exactly count digits. */
static int digits(struct cursor *c, size_t count, int *out)
{
    int x = 0;

    if (c->n - c->i < count) {
        return 0;
    }
    for (size_t k = 0; k < count; k++) {
        char d = c->p[c->i + k];
        if (d < '0' || d > '9') {
            return 0;
        }
        x = x * 10 + (d - '0');
    }
    c->i += count;
    *out = x;
    return 1;
}

/* Takes 1*DIGIT, saturating at BIG. */
static int number(struct cursor *c, int64_t *out)
{
    size_t start = c->i;
    int64_t x = 0;

    while (c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9') {
        x = x < BIG / 10 ? x * 10 + (c->p[c->i] - '0') : BIG;
        c->i++;
    }
    *out = x < BIG ? x : BIG;
    return c->i > start;
}

/* Takes one of names (the longest that fits first, so "Monday" is not read as "Mon"). */
static int one_of(struct cursor *c, const char *const *names, size_t count, int *index)
{
    for (size_t k = 0; k < count; k++) {
        if (lit(c, names[k])) {
            *index = (int)k;
            return 1;
        }
    }
    return 0;
}

/* ---- HTTP-date (RFC 9110 5.6.7) ---------------------------------------------------------- */

static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const day_names[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const day_names_long[7] = { "Sunday",   "Monday", "Tuesday", "Wednesday",
                                               "Thursday", "Friday", "Saturday" };

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar: counted in 400-year eras
 * of 146097 days, with the year starting in March so that February's leap day comes last. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return days[m - 1] + (m == 2 && leap);
}

/* hour ":" minute ":" second */
static int time_of_day(struct cursor *c, int *h, int *mi, int *s)
{
    return digits(c, 2, h) && lit(c, ":") && digits(c, 2, mi) && lit(c, ":") && digits(c, 2, s);
}

static int month(struct cursor *c, int *m)
{
    int k;

    if (!one_of(c, months, 12, &k)) {
        return 0;
    }
    *m = k + 1;
    return 1;
}

int lc_cond_parse_date(const char *s, size_t n, int64_t now, int64_t *t)
{
    struct cursor c = { s, n, 0 };
    int wd, day = 0, mon = 0, year = 0, h = 0, mi = 0, sec = 0, ok;

    if (one_of(&c, day_names_long, 7, &wd)) {
        /* rfc850-date: Sunday, 06-Nov-94 08:49:37 GMT */
        ok = lit(&c, ", ") && digits(&c, 2, &day) && lit(&c, "-") && month(&c, &mon) &&
             lit(&c, "-") && digits(&c, 2, &year) && lit(&c, " ") &&
             time_of_day(&c, &h, &mi, &sec) && lit(&c, " GMT");
        if (ok) {
            /* The most recent year with these two digits that is at most 50 years ahead. */
            int64_t now_y;
            int now_m, now_d;
            civil_from_days(now / 86400 - (now % 86400 < 0), &now_y, &now_m, &now_d);
            int64_t y = now_y - now_y % 100 + year;
            if (y > now_y + 50) {
                y -= 100;
            } else if (y + 100 <= now_y + 50) {
                y += 100;
            }
            year = (int)y;
        }
    } else if (one_of(&c, day_names, 7, &wd)) {
        if (lit(&c, ", ")) {
            /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
            ok = digits(&c, 2, &day) && lit(&c, " ") && month(&c, &mon) && lit(&c, " ") &&
                 digits(&c, 4, &year) && lit(&c, " ") && time_of_day(&c, &h, &mi, &sec) &&
                 lit(&c, " GMT");
        } else {
            /* asctime-date: Sun Nov  6 08:49:37 1994 */
            ok = lit(&c, " ") && month(&c, &mon) && lit(&c, " ") &&
                 (digits(&c, 2, &day) || (lit(&c, " ") && digits(&c, 1, &day))) &&
                 lit(&c, " ") && time_of_day(&c, &h, &mi, &sec) && lit(&c, " ") &&
                 digits(&c, 4, &year);
        }
    } else {
        return -1;
    }
    /* 23:59:60 is a leap second (RFC 9110 5.6.7); the day of the week is not checked. */
    if (!ok || !at_end(&c) || day < 1 || day > days_in_month(year, mon) || h > 23 || mi > 59 ||
        sec > 60) {
        return -1;
    }
    *t = days_from_civil(year, mon, day) * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

/* Writes v as count decimal digits (v fits: the callers' values are ranged). */
static char *put_digits(char *p, int64_t v, int count)
{
    for (int k = count - 1; k >= 0; k--) {
        p[k] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + count;
}

static char *put_text(char *p, const char *s)
{
    size_t n = strlen(s);

    memcpy(p, s, n);
    return p + n;
}

void lc_cond_format_date(int64_t t, char *out)
{
    /* Years 0000 to 9999 are what four digits can say. */
    const int64_t lo = -62167219200LL, hi = 253402300799LL;
    t = t < lo ? lo : (t > hi ? hi : t);
    int64_t days = t / 86400 - (t % 86400 < 0), secs = t - days * 86400, y;
    int m, d;

    civil_from_days(days, &y, &m, &d);
    int wd = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    /* "Sun, 06 Nov 1994 08:49:37 GMT": 29 characters. */
    char *p = put_text(out, day_names[wd]);
    p = put_text(p, ", ");
    p = put_digits(p, d, 2);
    *p++ = ' ';
    p = put_text(p, months[m - 1]);
    *p++ = ' ';
    p = put_digits(p, y, 4);
    *p++ = ' ';
    p = put_digits(p, secs / 3600, 2);
    *p++ = ':';
    p = put_digits(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, secs % 60, 2);
    p = put_text(p, " GMT");
    *p = '\0';
}

/* ---- validators (RFC 9110 8.8) ----------------------------------------------------------- */

void lc_cond_validators(const struct lc_cond_file *f, int64_t now_sec, long now_nsec,
                        struct lc_cond_validators *v)
{
    /* How long ago the mtime was, in nanoseconds, saturated well inside int64_t. */
    int64_t age_sec = now_sec - f->mtime_sec;
    int strong = age_sec > 1 || (age_sec == 1 && now_nsec >= f->mtime_nsec);
    uint64_t mtime_ns = (uint64_t)f->mtime_sec * 1000000000u + (uint64_t)f->mtime_nsec;

    v->etag_weak = !strong;
    snprintf(v->etag, sizeof(v->etag), "%s\"%" PRIx64 "-%" PRIx64 "-%" PRIx64 "%s\"",
             strong ? "" : "W/", f->ino, (uint64_t)f->size, mtime_ns, strong ? "" : "-w");
    v->last_modified = f->mtime_sec < now_sec ? f->mtime_sec : now_sec;
    v->last_modified_strong = strong;
}

/* RFC 9110 8.8.3: etagc = %x21 / %x23-7E / obs-text */
static int is_etagc(uint8_t c)
{
    return c == 0x21 || (c >= 0x23 && c != 0x7f);
}

/* entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE: the opaque-tag without its quotes. */
static int entity_tag(struct cursor *c, const char **opaque, size_t *len, int *weak)
{
    *weak = lit(c, "W/");
    if (!lit(c, "\"")) {
        return 0;
    }
    size_t start = c->i;
    while (c->i < c->n && is_etagc((uint8_t)c->p[c->i])) {
        c->i++;
    }
    *opaque = c->p + start;
    *len = c->i - start;
    return lit(c, "\"");
}

/* RFC 9110 8.8.3.2: strong comparison needs both tags strong; weak ignores "W/". */
static int tags_match(const char *a, size_t alen, int aweak, const char *b, size_t blen,
                      int bweak, int strong)
{
    if (strong && (aweak || bweak)) {
        return 0;
    }
    return alen == blen && memcmp(a, b, alen) == 0;
}

enum lc_cond_match lc_cond_etag_list(const struct lc_http_list *l, const char *etag, int strong)
{
    struct cursor own = { etag, strlen(etag), 0 };
    const char *mine;
    size_t mine_len;
    int mine_weak, matched = 0;

    if (!entity_tag(&own, &mine, &mine_len, &mine_weak)) {
        return LC_COND_INVALID; /* cannot happen with lc_cond_validators' tags */
    }
    /* RFC 9110 13.1.1, 13.1.2: "*" alone; with anything else it is invalid. */
    if (l->lines == 1 && l->len[0] == 1 && l->value[0][0] == '*') {
        return LC_COND_ANY;
    }
    for (unsigned k = 0; k < l->lines; k++) {
        struct cursor c = { l->value[k], l->len[k], 0 };
        for (;;) {
            /* #entity-tag: empty elements are allowed (RFC 9110 5.6.1). */
            while (peek(&c, ',') || peek(&c, ' ') || peek(&c, '\t')) {
                c.i++;
            }
            if (at_end(&c)) {
                break;
            }
            const char *tag;
            size_t len;
            int weak;
            if (!entity_tag(&c, &tag, &len, &weak)) {
                return LC_COND_INVALID;
            }
            skip_ows(&c);
            if (!at_end(&c) && !peek(&c, ',')) {
                return LC_COND_INVALID;
            }
            matched |= tags_match(tag, len, weak, mine, mine_len, mine_weak, strong);
        }
    }
    /* The whole list was read first: a match before a malformed element does not count. */
    return matched ? LC_COND_MATCH : LC_COND_NO_MATCH;
}

/* ---- ranges (RFC 9110 14.1.2) ------------------------------------------------------------ */

enum lc_cond_range lc_cond_range(const char *v, size_t n, int64_t size, int64_t *first,
                                 int64_t *length)
{
    struct cursor c = { v, n, 0 };
    const char *eq = memchr(v, '=', n);
    int64_t a = 0, b = 0, count = 0;
    int suffix = 0, has_last = 0;

    /* 14.2: a unit we do not understand is ignored; "bytes" is case-insensitive (14.1). */
    if (eq == NULL || eq - v != 5 || strncasecmp(v, "bytes", 5) != 0) {
        return LC_COND_RANGE_IGNORE;
    }
    c.i = 6;
    for (;;) {
        /* range-set = 1#range-spec, empty elements allowed (RFC 9110 5.6.1). */
        while (peek(&c, ',') || peek(&c, ' ') || peek(&c, '\t')) {
            c.i++;
        }
        if (at_end(&c)) {
            break;
        }
        int64_t x, y = 0;
        int is_suffix = lit(&c, "-"), with_last = 0;
        if (!number(&c, &x)) {
            return LC_COND_RANGE_IGNORE;
        }
        if (!is_suffix) {
            if (!lit(&c, "-")) {
                return LC_COND_RANGE_IGNORE;
            }
            with_last = number(&c, &y);
            /* 14.1.1: an int-range whose last-pos is below its first-pos is invalid. */
            if (with_last && y < x) {
                return LC_COND_RANGE_IGNORE;
            }
        }
        skip_ows(&c);
        if (!at_end(&c) && !peek(&c, ',')) {
            return LC_COND_RANGE_IGNORE; /* other-range, or trailing bytes: not "bytes" */
        }
        if (count++ == 0) {
            a = x, b = y, suffix = is_suffix, has_last = with_last;
        }
    }
    /* No range at all is invalid; several need multipart/byteranges; an empty file has no
     * bytes to range over (14.2 allows ignoring Range for each). */
    if (count != 1 || size == 0) {
        return LC_COND_RANGE_IGNORE;
    }
    if (suffix) {
        /* 14.1.2: the last a bytes, or the whole file if it is shorter; -0 asks for none. */
        if (a == 0) {
            return LC_COND_RANGE_UNSATISFIABLE;
        }
        *first = a < size ? size - a : 0;
        *length = size - *first;
        return LC_COND_RANGE_SATISFIABLE;
    }
    if (a >= size) {
        return LC_COND_RANGE_UNSATISFIABLE;
    }
    /* A last-pos past the end, or none, means "to the end". */
    int64_t last = has_last && b < size - 1 ? b : size - 1;
    *first = a;
    *length = last - a + 1;
    return LC_COND_RANGE_SATISFIABLE;
}

/* ---- evaluation (RFC 9110 13.2.2) -------------------------------------------------------- */

/* A singleton date field: 0 and its time when it is one valid HTTP-date, else -1. */
static int date_field(const struct lc_http_field *f, int64_t now, int64_t *t)
{
    if (f->lines != 1) {
        return -1; /* absent, or a list of dates (13.1.3, 13.1.4: ignored) */
    }
    return lc_cond_parse_date(f->value, f->len, now, t);
}

/* RFC 9110 13.1.5: does If-Range let the Range apply? */
static int if_range_holds(const struct lc_http_field *f, const struct lc_cond_validators *v,
                          int64_t now)
{
    int64_t t;

    if (f->lines != 1) {
        return 0; /* two validators are no validator */
    }
    /* "A valid entity-tag can be distinguished from a valid HTTP-date by examining the first
     * three characters for a DQUOTE." */
    if (memchr(f->value, '"', f->len < 3 ? f->len : 3) != NULL) {
        struct lc_http_list one = { .value = { f->value }, .len = { f->len }, .lines = 1 };
        struct cursor c = { f->value, f->len, 0 };
        const char *tag;
        size_t len;
        int weak;
        /* Exactly one entity-tag, matched by strong comparison. */
        if (!entity_tag(&c, &tag, &len, &weak) || !at_end(&c)) {
            return 0;
        }
        return lc_cond_etag_list(&one, v->etag, 1) == LC_COND_MATCH;
    }
    /* A date: only an exact match with a Last-Modified that is a strong validator. */
    return lc_cond_parse_date(f->value, f->len, now, &t) == 0 && v->last_modified_strong &&
           t == v->last_modified;
}

void lc_cond_evaluate(const struct lc_http_request *req, int64_t size,
                      const struct lc_cond_validators *v, int64_t now,
                      struct lc_cond_answer *a)
{
    int64_t t;

    a->status = 200;
    a->first = 0;
    a->length = size;

    /* 1 and 2: the "lost update" preconditions come first. */
    if (req->if_match.lines > 0) {
        enum lc_cond_match m = lc_cond_etag_list(&req->if_match, v->etag, 1);
        if (m != LC_COND_ANY && m != LC_COND_MATCH) {
            a->status = 412;
            return;
        }
    } else if (date_field(&req->if_unmodified_since, now, &t) == 0 && v->last_modified > t) {
        a->status = 412;
        return;
    }

    /* 3 and 4: cache validation. If-None-Match present (even invalid) replaces
     * If-Modified-Since (13.1.3); an invalid one evaluates to true (13.1.2 step 3). */
    if (req->if_none_match.lines > 0) {
        enum lc_cond_match m = lc_cond_etag_list(&req->if_none_match, v->etag, 0);
        if (m == LC_COND_ANY || m == LC_COND_MATCH) {
            a->status = 304;
            return;
        }
    } else if (date_field(&req->if_modified_since, now, &t) == 0 && v->last_modified <= t) {
        a->status = 304;
        return;
    }

    /* 5: Range, for GET only (14.2), and only if If-Range, when sent, holds. */
    if (req->method_id != LC_HTTP_GET || req->range.lines != 1) {
        return;
    }
    if (req->if_range.lines > 0 && !if_range_holds(&req->if_range, v, now)) {
        return;
    }
    int64_t first, length;
    switch (lc_cond_range(req->range.value, req->range.len, size, &first, &length)) {
    case LC_COND_RANGE_IGNORE:
        break;
    case LC_COND_RANGE_SATISFIABLE:
        a->status = 206;
        a->first = first;
        a->length = length;
        break;
    case LC_COND_RANGE_UNSATISFIABLE:
        a->status = 416;
        a->length = 0;
        break;
    }
}
