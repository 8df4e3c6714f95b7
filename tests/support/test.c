/* The harness behind tests/test.h. */
#include "test.h"

#include <ctype.h>

#include "base/error.h"

unsigned long test_checks;
unsigned long test_failures;

void test_report(const char *file, int line, const char *what)
{
    test_failures++;
    fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
}

static void dump(const char *label, const uint8_t *p, size_t n)
{
    fprintf(stderr, "  %s (%zu bytes):", label, n);
    for (size_t i = 0; i < n && i < 96; i++) {
        fprintf(stderr, "%s%02x", i % 32 == 0 ? "\n    " : " ", p[i]);
    }
    fprintf(stderr, "%s\n", n > 96 ? " ..." : "");
}

void test_report_mem(const char *file, int line, const char *what, const uint8_t *got,
                     const uint8_t *want, size_t gotlen, size_t wantlen)
{
    size_t first = 0;

    while (first < gotlen && first < wantlen && got[first] == want[first]) {
        first++;
    }
    test_report(file, line, what);
    fprintf(stderr, "  first difference at byte %zu\n", first);
    dump("got", got, gotlen);
    dump("want", want, wantlen);
}

const char *test_err_name(int code)
{
    return lc_err_name(code);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = tolower(c);
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

size_t test_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;

    for (const char *p = hex; *p != '\0'; p++) {
        int v;

        if (isspace((unsigned char)*p)) {
            continue;
        }
        if ((v = hexval(*p)) < 0) {
            fprintf(stderr, "test_hex: bad character '%c'\n", *p);
            abort();
        }
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (n >= cap) {
            fprintf(stderr, "test_hex: more than %zu bytes\n", cap);
            abort();
        }
        out[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    if (hi >= 0) {
        fprintf(stderr, "test_hex: odd number of digits\n");
        abort();
    }
    return n;
}

uint8_t *test_hex_alloc(const char *hex, size_t *len)
{
    size_t cap = strlen(hex) / 2 + 1;
    uint8_t *out = malloc(cap);

    if (out == NULL) {
        abort();
    }
    *len = test_hex(hex, out, cap);
    return out;
}

void test_nth_name(const char *names, size_t n, char *out, size_t cap)
{
    const char *p = names;
    size_t len;

    for (size_t i = 0; i < n; i++) {
        p = strchr(p, ',');
        if (p == NULL) {
            snprintf(out, cap, "test %zu", n);
            return;
        }
        p++;
    }
    while (isspace((unsigned char)*p)) {
        p++;
    }
    len = strcspn(p, ", ");
    snprintf(out, cap, "%.*s", (int)len, p);
}

int test_run(const char *name, void (*fn)(void))
{
    unsigned long before = test_failures;

    fn();
    if (test_failures != before) {
        fprintf(stderr, "  in %s\n", name);
        return 1;
    }
    return 0;
}

int test_finish(void)
{
    printf("%lu checks, %lu failed\n", test_checks, test_failures);
    if (test_checks == 0) {
        printf("no checks ran: a test that checks nothing is a failure\n");
        return 1;
    }
    return test_failures == 0 ? 0 : 1;
}
