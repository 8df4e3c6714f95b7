/* Tests for src/server/conditional.c: HTTP-dates in their three formats (checked against
 * libc's gmtime as an independent oracle), validators and their strength, entity-tag lists
 * with strong and weak comparison, byte ranges, and the order in which RFC 9110 13.2.2
 * evaluates preconditions. */
#include "test.h"

#include <time.h>

#include "server/conditional.h"

/* 2025-05-06T12:00:00Z, a "now" for the tests. */
#define NOW 1746532800LL

static int date(const char *s, int64_t now, int64_t *t)
{
    return lc_cond_parse_date(s, strlen(s), now, t);
}

static void test_dates(void)
{
    int64_t t = -1;

    /* RFC 9110 5.6.7's three examples are one instant. */
    CHECK(date("Sun, 06 Nov 1994 08:49:37 GMT", NOW, &t) == 0 && t == 784111777);
    CHECK(date("Sunday, 06-Nov-94 08:49:37 GMT", NOW, &t) == 0 && t == 784111777);
    CHECK(date("Sun Nov  6 08:49:37 1994", NOW, &t) == 0 && t == 784111777);
    CHECK(date("Sun Nov 16 08:49:37 1994", NOW, &t) == 0 && t == 784111777 + 10 * 86400);
    CHECK(date("Thu, 01 Jan 1970 00:00:00 GMT", NOW, &t) == 0 && t == 0);
    CHECK(date("Wed, 31 Dec 1969 23:59:59 GMT", NOW, &t) == 0 && t == -1);
    CHECK(date("Tue, 29 Feb 2000 12:00:00 GMT", NOW, &t) == 0 && t == 951825600);
    CHECK(date("Fri, 31 Dec 9999 23:59:59 GMT", NOW, &t) == 0 && t == 253402300799LL);
    /* A leap second is a valid time of day; the day name is not checked against the date. */
    CHECK(date("Sat, 31 Dec 2016 23:59:60 GMT", NOW, &t) == 0 && t == 1483228800);
    CHECK(date("Mon, 06 Nov 1994 08:49:37 GMT", NOW, &t) == 0 && t == 784111777);

    /* RFC 850's two-digit year: at most 50 years ahead of now, else the century before. */
    CHECK(date("Monday, 06-Nov-75 00:00:00 GMT", NOW, &t) == 0 && t == 3340224000LL);
    CHECK(date("Monday, 06-Nov-76 00:00:00 GMT", NOW, &t) == 0 && t == 216086400);
    CHECK(date("Monday, 06-Nov-25 00:00:00 GMT", NOW, &t) == 0 && t == 1762387200);
    /* In 2090, "30" is 2130 (40 years ahead), "41" is 2041. */
    CHECK(date("Monday, 06-Nov-30 00:00:00 GMT", 3786912000LL, &t) == 0 &&
          t == 5075827200LL);
    CHECK(date("Monday, 06-Nov-41 00:00:00 GMT", 3786912000LL, &t) == 0 && t == 2267308800LL);

    static const char *const bad[] = {
        "",
        "Sun, 06 Nov 1994 08:49:37 gmt",      /* case-sensitive */
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 GMT ",     /* nothing may follow */
        " Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",       /* day is 2DIGIT */
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",      /* November has 30 days */
        "Sun, 29 Feb 1900 08:49:37 GMT",      /* 1900 was not a leap year */
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06 Nov 94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",            /* asctime pads with a space */
        "Sun Nov  6 08:49:37 1994 GMT",
        "Sun Nov 06 08:49:37 94",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
        "1994-11-06T08:49:37Z",
        "784111777",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = date(bad[i], NOW, &t);
        CHECK(rc == -1);
        if (rc != -1) {
            fprintf(stderr, "  '%s' parsed\n", bad[i]);
        }
    }
    /* Every prefix of a valid date is invalid: the cursor never reads past the view. */
    const char *full = "Sunday, 06-Nov-94 08:49:37 GMT";
    for (size_t n = 0; n < strlen(full); n++) {
        CHECK(lc_cond_parse_date(full, n, NOW, &t) == -1);
    }
}

/* lc_cond_format_date agrees with gmtime_r and strftime, and parses back, across four
 * centuries of instants (a multiplicative stride visits every time of day and weekday). */
static void test_format_date(void)
{
    char ours[LC_COND_DATE_MAX], libc[64];
    unsigned long mismatches = 0, tried = 0;

    lc_cond_format_date(784111777, ours);
    CHECK(strcmp(ours, "Sun, 06 Nov 1994 08:49:37 GMT") == 0);
    lc_cond_format_date(0, ours);
    CHECK(strcmp(ours, "Thu, 01 Jan 1970 00:00:00 GMT") == 0);
    lc_cond_format_date(951825600, ours);
    CHECK(strcmp(ours, "Tue, 29 Feb 2000 12:00:00 GMT") == 0);
    lc_cond_format_date(-86400, ours);
    CHECK(strcmp(ours, "Wed, 31 Dec 1969 00:00:00 GMT") == 0);
    lc_cond_format_date(INT64_MAX, ours); /* clamped to what four digits can say */
    CHECK(strcmp(ours, "Fri, 31 Dec 9999 23:59:59 GMT") == 0);

    for (int64_t t = -2208988800LL; t < 10413792000LL; t += 104729) {
        struct tm tm;
        time_t tt = (time_t)t;
        int64_t back = 0;
        gmtime_r(&tt, &tm);
        strftime(libc, sizeof(libc), "%a, %d %b %Y %H:%M:%S GMT", &tm);
        lc_cond_format_date(t, ours);
        tried++;
        if (strcmp(ours, libc) != 0 || date(ours, NOW, &back) != 0 || back != t) {
            if (mismatches++ < 5) {
                fprintf(stderr, "  %lld: ours '%s', libc '%s', back %lld\n", (long long)t, ours,
                        libc, (long long)back);
            }
        }
    }
    CHECK(tried > 100000);
    CHECK(mismatches == 0);
}

static void test_validators(void)
{
    struct lc_cond_file f = { .size = 0x1234, .mtime_sec = 1000, .mtime_nsec = 5, .ino = 0xab };
    struct lc_cond_validators v;

    /* Strong once the mtime is a whole second old: "INODE-SIZE-MTIME_NS" in hex. */
    lc_cond_validators(&f, 1001, 5, &v);
    CHECK(strcmp(v.etag, "\"ab-1234-e8d4a51005\"") == 0);
    CHECK(v.etag_weak == 0 && v.last_modified_strong == 1 && v.last_modified == 1000);
    lc_cond_validators(&f, 5000, 0, &v);
    CHECK(v.etag_weak == 0 && v.last_modified == 1000);
    /* Weak just before, with an opaque part of its own. */
    lc_cond_validators(&f, 1001, 4, &v);
    CHECK(strcmp(v.etag, "W/\"ab-1234-e8d4a51005-w\"") == 0);
    CHECK(v.etag_weak == 1 && v.last_modified_strong == 0);
    lc_cond_validators(&f, 1000, 999999999, &v);
    CHECK(v.etag_weak == 1);
    /* RFC 9110 8.8.2.1: a future mtime is sent as now. */
    lc_cond_validators(&f, 900, 0, &v);
    CHECK(v.last_modified == 900 && v.etag_weak == 1);
    /* Each input changes the tag. */
    char base[LC_COND_ETAG_MAX];
    lc_cond_validators(&f, 5000, 0, &v);
    snprintf(base, sizeof(base), "%s", v.etag);
    struct lc_cond_file g = f;
    g.size++;
    lc_cond_validators(&g, 5000, 0, &v);
    CHECK(strcmp(base, v.etag) != 0);
    g = f;
    g.mtime_nsec++;
    lc_cond_validators(&g, 5000, 0, &v);
    CHECK(strcmp(base, v.etag) != 0);
    g = f;
    g.ino++;
    lc_cond_validators(&g, 5000, 0, &v);
    CHECK(strcmp(base, v.etag) != 0);
    /* The largest values fit. */
    g.size = INT64_MAX;
    g.ino = UINT64_MAX;
    g.mtime_sec = 4000000000LL;
    g.mtime_nsec = 999999999;
    lc_cond_validators(&g, 4000000000LL, 0, &v);
    CHECK(strlen(v.etag) < LC_COND_ETAG_MAX - 1);
    CHECK(v.etag[strlen(v.etag) - 1] == '"');
}

static struct lc_http_list list1(const char *v)
{
    struct lc_http_list l = { .value = { v }, .len = { strlen(v) }, .lines = 1 };
    return l;
}

static void test_etag_lists(void)
{
    static const struct {
        const char *list;
        const char *etag;
        enum lc_cond_match strong, weak;
    } cases[] = {
        /* RFC 9110 8.8.3.2's table. */
        { "W/\"1\"", "W/\"1\"", LC_COND_NO_MATCH, LC_COND_MATCH },
        { "W/\"1\"", "W/\"2\"", LC_COND_NO_MATCH, LC_COND_NO_MATCH },
        { "W/\"1\"", "\"1\"", LC_COND_NO_MATCH, LC_COND_MATCH },
        { "\"1\"", "\"1\"", LC_COND_MATCH, LC_COND_MATCH },
        { "\"1\"", "W/\"1\"", LC_COND_NO_MATCH, LC_COND_MATCH },
        /* Lists, whitespace and empty elements (RFC 9110 5.6.1). */
        { "\"a\", \"b\",\"c\"", "\"b\"", LC_COND_MATCH, LC_COND_MATCH },
        { " , \"a\" ,, \t\"b\" ,", "\"b\"", LC_COND_MATCH, LC_COND_MATCH },
        { "\"a\", \"b\"", "\"c\"", LC_COND_NO_MATCH, LC_COND_NO_MATCH },
        { "", "\"a\"", LC_COND_NO_MATCH, LC_COND_NO_MATCH },
        { "\"\"", "\"\"", LC_COND_MATCH, LC_COND_MATCH },
        { "\"ab\"", "\"a\"", LC_COND_NO_MATCH, LC_COND_NO_MATCH },
        { "\"a\"", "\"ab\"", LC_COND_NO_MATCH, LC_COND_NO_MATCH },
        { "\"caf\xc3\xa9\"", "\"caf\xc3\xa9\"", LC_COND_MATCH, LC_COND_MATCH },
        /* "*" alone, and only alone. */
        { "*", "\"a\"", LC_COND_ANY, LC_COND_ANY },
        { "*, \"a\"", "\"a\"", LC_COND_INVALID, LC_COND_INVALID },
        { "\"a\", *", "\"a\"", LC_COND_INVALID, LC_COND_INVALID },
        /* Not entity-tags: the whole list is invalid, even after a match. */
        { "a", "\"a\"", LC_COND_INVALID, LC_COND_INVALID },
        { "\"a\", b", "\"a\"", LC_COND_INVALID, LC_COND_INVALID },
        { "\"a\" \"b\"", "\"a\"", LC_COND_INVALID, LC_COND_INVALID },
        { "\"a", "\"a\"", LC_COND_INVALID, LC_COND_INVALID },
        { "w/\"a\"", "\"a\"", LC_COND_INVALID, LC_COND_INVALID },
        { "W/ \"a\"", "\"a\"", LC_COND_INVALID, LC_COND_INVALID },
        { "\"a\"b", "\"a\"", LC_COND_INVALID, LC_COND_INVALID },
        { "\"a b\"", "\"a\"", LC_COND_INVALID, LC_COND_INVALID },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct lc_http_list l = list1(cases[i].list);
        enum lc_cond_match s = lc_cond_etag_list(&l, cases[i].etag, 1);
        enum lc_cond_match w = lc_cond_etag_list(&l, cases[i].etag, 0);
        CHECK(s == cases[i].strong && w == cases[i].weak);
        if (s != cases[i].strong || w != cases[i].weak) {
            fprintf(stderr, "  case %zu ('%s' vs %s): strong %d weak %d\n", i, cases[i].list,
                    cases[i].etag, s, w);
        }
    }
    /* Several field lines are one list; "*" on one of several lines is invalid. */
    struct lc_http_list l = { .value = { "\"x\"", "\"y\", \"a\"" }, .len = { 3, 8 }, .lines = 2 };
    CHECK(lc_cond_etag_list(&l, "\"a\"", 1) == LC_COND_MATCH);
    CHECK(lc_cond_etag_list(&l, "\"b\"", 1) == LC_COND_NO_MATCH);
    struct lc_http_list star = { .value = { "*", "\"a\"" }, .len = { 1, 3 }, .lines = 2 };
    CHECK(lc_cond_etag_list(&star, "\"a\"", 1) == LC_COND_INVALID);
    struct lc_http_list bad2 = { .value = { "\"a\"", "nope" }, .len = { 3, 4 }, .lines = 2 };
    CHECK(lc_cond_etag_list(&bad2, "\"a\"", 0) == LC_COND_INVALID);
}

struct range_case {
    const char *value;
    int64_t size;
    enum lc_cond_range want;
    int64_t first, length;
};

static void test_ranges(void)
{
    static const struct range_case cases[] = {
        /* RFC 9110 14.1.2's examples, for a representation of 10000 bytes. */
        { "bytes=0-499", 10000, LC_COND_RANGE_SATISFIABLE, 0, 500 },
        { "bytes=500-999", 10000, LC_COND_RANGE_SATISFIABLE, 500, 500 },
        { "bytes=-500", 10000, LC_COND_RANGE_SATISFIABLE, 9500, 500 },
        { "bytes=9500-", 10000, LC_COND_RANGE_SATISFIABLE, 9500, 500 },
        /* Edges: the last byte, past the end, a suffix longer than the file. */
        { "bytes=9999-9999", 10000, LC_COND_RANGE_SATISFIABLE, 9999, 1 },
        { "bytes=9999-", 10000, LC_COND_RANGE_SATISFIABLE, 9999, 1 },
        { "bytes=0-0", 10000, LC_COND_RANGE_SATISFIABLE, 0, 1 },
        { "bytes=0-", 10000, LC_COND_RANGE_SATISFIABLE, 0, 10000 },
        { "bytes=5000-20000", 10000, LC_COND_RANGE_SATISFIABLE, 5000, 5000 },
        { "bytes=0-99999999999999999999999", 10000, LC_COND_RANGE_SATISFIABLE, 0, 10000 },
        { "bytes=-10000", 10000, LC_COND_RANGE_SATISFIABLE, 0, 10000 },
        { "bytes=-20000", 10000, LC_COND_RANGE_SATISFIABLE, 0, 10000 },
        { "bytes=-99999999999999999999999", 10000, LC_COND_RANGE_SATISFIABLE, 0, 10000 },
        { "bytes=-1", 1, LC_COND_RANGE_SATISFIABLE, 0, 1 },
        { "bytes=0-0", 1, LC_COND_RANGE_SATISFIABLE, 0, 1 },
        /* Unit case, whitespace and empty elements around one range. */
        { "BYTES=1-2", 10000, LC_COND_RANGE_SATISFIABLE, 1, 2 },
        { "bytes= 1-2 ", 10000, LC_COND_RANGE_SATISFIABLE, 1, 2 },
        { "bytes=,1-2,", 10000, LC_COND_RANGE_SATISFIABLE, 1, 2 },
        { "bytes=0001-0002", 10000, LC_COND_RANGE_SATISFIABLE, 1, 2 },
        /* Unsatisfiable: 416. */
        { "bytes=10000-", 10000, LC_COND_RANGE_UNSATISFIABLE, 0, 0 },
        { "bytes=10000-10001", 10000, LC_COND_RANGE_UNSATISFIABLE, 0, 0 },
        { "bytes=99999999999999999999999-", 10000, LC_COND_RANGE_UNSATISFIABLE, 0, 0 },
        { "bytes=-0", 10000, LC_COND_RANGE_UNSATISFIABLE, 0, 0 },
        { "bytes=1-", 1, LC_COND_RANGE_UNSATISFIABLE, 0, 0 },
        /* Ignored (the whole file, 200): several ranges (no multipart/byteranges), an empty
         * file, another unit, and every invalid range set. */
        { "bytes=0-0,-1", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=0-1, 5-6", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=20000-, 30000-", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=0-", 0, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=-5", 0, LC_COND_RANGE_IGNORE, 0, 0 },
        { "items=0-5", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes 0-5", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes =0-5", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=,", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=5-4", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=-", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=--5", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=5", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=a-b", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=1-2x", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=1 -2", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=+1-2", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=1-2;3", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "bytes=0-1, bytes=3-4", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
        { "", 10000, LC_COND_RANGE_IGNORE, 0, 0 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct range_case *t = &cases[i];
        int64_t first = -1, length = -1;
        enum lc_cond_range r = lc_cond_range(t->value, strlen(t->value), t->size, &first,
                                             &length);
        int ok = r == t->want &&
                 (r != LC_COND_RANGE_SATISFIABLE || (first == t->first && length == t->length));
        CHECK(ok);
        if (!ok) {
            fprintf(stderr, "  '%s' size %lld: got %d %lld+%lld\n", t->value,
                    (long long)t->size, r, (long long)first, (long long)length);
        }
    }

    /* Every satisfiable answer lies inside the file, for every small range and size. */
    char v[64];
    unsigned long outside = 0;
    for (int64_t size = 0; size < 12; size++) {
        for (int a = -1; a < 14; a++) {
            for (int b = -1; b < 14; b++) {
                if (a < 0 && b < 0) {
                    continue;
                }
                if (a < 0) {
                    snprintf(v, sizeof(v), "bytes=-%d", b);
                } else if (b < 0) {
                    snprintf(v, sizeof(v), "bytes=%d-", a);
                } else {
                    snprintf(v, sizeof(v), "bytes=%d-%d", a, b);
                }
                int64_t first = -1, length = -1;
                if (lc_cond_range(v, strlen(v), size, &first, &length) ==
                        LC_COND_RANGE_SATISFIABLE &&
                    (first < 0 || length < 1 || first + length > size)) {
                    outside++;
                }
            }
        }
    }
    CHECK(outside == 0);
}

/* A request with the given conditional fields (NULL: absent). */
struct req_fields {
    const char *if_match, *if_unmodified_since, *if_none_match, *if_modified_since, *range,
        *if_range;
    enum lc_http_method method;
};

static void set_field(struct lc_http_field *f, const char *v)
{
    if (v != NULL) {
        f->value = v;
        f->len = strlen(v);
        f->lines = 1;
    }
}

static void set_list(struct lc_http_list *l, const char *v)
{
    if (v != NULL) {
        l->value[0] = v;
        l->len[0] = strlen(v);
        l->lines = 1;
    }
}

static struct lc_http_request make_req(const struct req_fields *rf)
{
    struct lc_http_request req;

    memset(&req, 0, sizeof(req));
    req.method_id = rf->method;
    set_list(&req.if_match, rf->if_match);
    set_field(&req.if_unmodified_since, rf->if_unmodified_since);
    set_list(&req.if_none_match, rf->if_none_match);
    set_field(&req.if_modified_since, rf->if_modified_since);
    set_field(&req.range, rf->range);
    set_field(&req.if_range, rf->if_range);
    return req;
}

/* The file of these cases: 1000 bytes, modified on 1994-11-06 08:49:37 (strong validators). */
#define LM "Sun, 06 Nov 1994 08:49:37 GMT"
#define BEFORE "Sun, 06 Nov 1994 08:49:36 GMT"
#define AFTER "Sun, 06 Nov 1994 08:49:38 GMT"
#define ETAG "\"1-3e8-ae1b981da166f00\""
#define OTHER "\"other\""

static void test_evaluate(void)
{
    static const struct {
        struct req_fields f;
        int status;
        int64_t first, length;
    } cases[] = {
        { { .method = LC_HTTP_GET }, 200, 0, 1000 },
        { { .method = LC_HTTP_HEAD }, 200, 0, 1000 },
        /* 1. If-Match: strong comparison; "*"; false is 412 whatever follows. */
        { { .if_match = ETAG }, 200, 0, 1000 },
        { { .if_match = "*" }, 200, 0, 1000 },
        { { .if_match = OTHER }, 412, 0, 1000 },
        { { .if_match = "W/" ETAG }, 412, 0, 1000 },
        { { .if_match = "garbage" }, 412, 0, 1000 },
        { { .if_match = OTHER, .if_none_match = ETAG }, 412, 0, 1000 },
        { { .if_match = OTHER, .range = "bytes=0-9" }, 412, 0, 1000 },
        /* If-Match present: If-Unmodified-Since is not looked at (13.1.4). */
        { { .if_match = ETAG, .if_unmodified_since = BEFORE }, 200, 0, 1000 },
        /* 2. If-Unmodified-Since. */
        { { .if_unmodified_since = LM }, 200, 0, 1000 },
        { { .if_unmodified_since = AFTER }, 200, 0, 1000 },
        { { .if_unmodified_since = BEFORE }, 412, 0, 1000 },
        { { .if_unmodified_since = "yesterday" }, 200, 0, 1000 }, /* ignored */
        /* 3. If-None-Match: weak comparison; "*"; a match is 304 for GET and HEAD. */
        { { .if_none_match = ETAG }, 304, 0, 1000 },
        { { .if_none_match = ETAG, .method = LC_HTTP_HEAD }, 304, 0, 1000 },
        { { .if_none_match = "W/" ETAG }, 304, 0, 1000 },
        { { .if_none_match = OTHER ", " ETAG }, 304, 0, 1000 },
        { { .if_none_match = "*" }, 304, 0, 1000 },
        { { .if_none_match = OTHER }, 200, 0, 1000 },
        { { .if_none_match = "garbage" }, 200, 0, 1000 },
        /* If-None-Match present (matching or not, valid or not): If-Modified-Since is not
         * looked at (13.1.3). */
        { { .if_none_match = OTHER, .if_modified_since = LM }, 200, 0, 1000 },
        { { .if_none_match = "garbage", .if_modified_since = LM }, 200, 0, 1000 },
        { { .if_none_match = ETAG, .if_modified_since = BEFORE }, 304, 0, 1000 },
        /* 4. If-Modified-Since: not modified since is 304. */
        { { .if_modified_since = LM }, 304, 0, 1000 },
        { { .if_modified_since = AFTER }, 304, 0, 1000 },
        { { .if_modified_since = BEFORE }, 200, 0, 1000 },
        { { .if_modified_since = "Sunday, 06-Nov-94 08:49:37 GMT" }, 304, 0, 1000 },
        { { .if_modified_since = "Sun Nov  6 08:49:37 1994" }, 304, 0, 1000 },
        { { .if_modified_since = "Sun, 06 Nov 1994 08:49:37" }, 200, 0, 1000 }, /* ignored */
        /* 304 wins over Range (14.2: Range only applies where the answer would be 200). */
        { { .if_none_match = ETAG, .range = "bytes=0-9" }, 304, 0, 1000 },
        { { .if_modified_since = LM, .range = "bytes=0-9" }, 304, 0, 1000 },
        /* 5. Range, for GET. */
        { { .range = "bytes=0-9" }, 206, 0, 10 },
        { { .range = "bytes=-10" }, 206, 990, 10 },
        { { .range = "bytes=990-" }, 206, 990, 10 },
        { { .range = "bytes=1000-" }, 416, 0, 0 },
        { { .range = "bytes=0-9,20-29" }, 200, 0, 1000 },
        { { .range = "bytes=0-9", .method = LC_HTTP_HEAD }, 200, 0, 1000 },
        { { .range = "bytes=1000-", .method = LC_HTTP_HEAD }, 200, 0, 1000 },
        { { .range = "bytes=0-9", .if_none_match = OTHER }, 206, 0, 10 },
        { { .range = "bytes=0-9", .if_match = ETAG }, 206, 0, 10 },
        /* If-Range: a strong ETag or the exact, strong Last-Modified keeps the Range. */
        { { .range = "bytes=0-9", .if_range = ETAG }, 206, 0, 10 },
        { { .range = "bytes=0-9", .if_range = OTHER }, 200, 0, 1000 },
        { { .range = "bytes=0-9", .if_range = "W/" ETAG }, 200, 0, 1000 },
        { { .range = "bytes=0-9", .if_range = ETAG ", " ETAG }, 200, 0, 1000 },
        { { .range = "bytes=0-9", .if_range = LM }, 206, 0, 10 },
        { { .range = "bytes=0-9", .if_range = "Sunday, 06-Nov-94 08:49:37 GMT" }, 206, 0, 10 },
        { { .range = "bytes=0-9", .if_range = AFTER }, 200, 0, 1000 }, /* exact, not "since" */
        { { .range = "bytes=0-9", .if_range = BEFORE }, 200, 0, 1000 },
        { { .range = "bytes=0-9", .if_range = "garbage" }, 200, 0, 1000 },
        { { .range = "bytes=1000-", .if_range = OTHER }, 200, 0, 1000 },
        { { .range = "bytes=1000-", .if_range = ETAG }, 416, 0, 0 },
        /* If-Range without Range means nothing. */
        { { .if_range = OTHER }, 200, 0, 1000 },
    };
    /* inode 1, 1000 bytes, mtime 784111777.5 s: the ETag above. */
    const struct lc_cond_file file = { .size = 1000, .mtime_sec = 784111777,
                                       .mtime_nsec = 500000000, .ino = 1 };
    struct lc_cond_validators v;

    lc_cond_validators(&file, NOW, 0, &v);
    CHECK(strcmp(v.etag, ETAG) == 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct lc_http_request req = make_req(&cases[i].f);
        struct lc_cond_answer a;
        lc_cond_evaluate(&req, 1000, &v, NOW, &a);
        int ok = a.status == cases[i].status && a.first == cases[i].first &&
                 a.length == cases[i].length;
        CHECK(ok);
        if (!ok) {
            fprintf(stderr, "  case %zu: got %d %lld+%lld, want %d\n", i, a.status,
                    (long long)a.first, (long long)a.length, cases[i].status);
        }
    }

    /* A singleton field sent twice is no valid value: ignored (13.1.3, 13.1.4, 14.2). */
    struct lc_cond_answer a;
    struct req_fields rf = { .if_modified_since = LM };
    struct lc_http_request req = make_req(&rf);
    req.if_modified_since.lines = 2;
    lc_cond_evaluate(&req, 1000, &v, NOW, &a);
    CHECK(a.status == 200);
    rf = (struct req_fields){ .if_unmodified_since = BEFORE };
    req = make_req(&rf);
    req.if_unmodified_since.lines = 2;
    lc_cond_evaluate(&req, 1000, &v, NOW, &a);
    CHECK(a.status == 200);
    rf = (struct req_fields){ .range = "bytes=0-9" };
    req = make_req(&rf);
    req.range.lines = 2;
    lc_cond_evaluate(&req, 1000, &v, NOW, &a);
    CHECK(a.status == 200 && a.length == 1000);
    rf = (struct req_fields){ .range = "bytes=0-9", .if_range = ETAG };
    req = make_req(&rf);
    req.if_range.lines = 2;
    lc_cond_evaluate(&req, 1000, &v, NOW, &a);
    CHECK(a.status == 200);

    /* A file modified less than a second ago: its ETag is weak, so If-Range and If-Match
     * (strong comparison) fail while If-None-Match (weak) still matches, and a date in
     * If-Range is not trusted even when it is exact. */
    struct lc_cond_validators fresh;
    const struct lc_cond_file young = { .size = 1000, .mtime_sec = NOW, .mtime_nsec = 0,
                                        .ino = 1 };
    char now_date[LC_COND_DATE_MAX];
    lc_cond_validators(&young, NOW, 500000000, &fresh);
    lc_cond_format_date(NOW, now_date);
    CHECK(fresh.etag_weak == 1);
    struct lc_http_list inm = list1(fresh.etag);
    req = make_req(&(struct req_fields){ .range = "bytes=0-9" });
    req.if_none_match = inm;
    lc_cond_evaluate(&req, 1000, &fresh, NOW, &a);
    CHECK(a.status == 304);
    req = make_req(&(struct req_fields){ .range = "bytes=0-9", .if_range = fresh.etag });
    lc_cond_evaluate(&req, 1000, &fresh, NOW, &a);
    CHECK(a.status == 200);
    req = make_req(&(struct req_fields){ .range = "bytes=0-9", .if_range = now_date });
    lc_cond_evaluate(&req, 1000, &fresh, NOW, &a);
    CHECK(a.status == 200);
    req = make_req(&(struct req_fields){ .if_match = fresh.etag });
    lc_cond_evaluate(&req, 1000, &fresh, NOW, &a);
    CHECK(a.status == 412);
    /* Once the second has passed, the weak tag a client kept no longer matches: it gets the
     * file again rather than a 304 for content that may have changed within that tick. */
    struct lc_cond_validators later;
    lc_cond_validators(&young, NOW + 2, 0, &later);
    CHECK(later.etag_weak == 0);
    req = make_req(&(struct req_fields){ .method = LC_HTTP_GET });
    req.if_none_match = inm;
    lc_cond_evaluate(&req, 1000, &later, NOW + 2, &a);
    CHECK(a.status == 200);
}

TEST_MAIN(test_dates, test_format_date, test_validators, test_etag_lists, test_ranges,
          test_evaluate)
