/*
 * The test harness: one small header (like picotls deps/picotest).
 *
 * A test file defines functions `static void test_x(void)` and ends with
 *     TEST_MAIN(test_x, test_y)
 * Each CHECK that fails prints file:line and what differed; the binary exits 1
 * if any failed, and prints "N checks, M failed" so nothing passes silently.
 */
#ifndef LUCID_TEST_H
#define LUCID_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern unsigned long test_checks;
extern unsigned long test_failures;

void test_report(const char *file, int line, const char *what);
void test_report_mem(const char *file, int line, const char *what, const uint8_t *got,
                     const uint8_t *want, size_t gotlen, size_t wantlen);
int test_run(const char *name, void (*fn)(void));
int test_finish(void);

#define CHECK(cond)                                                                           \
    do {                                                                                      \
        test_checks++;                                                                        \
        if (!(cond)) {                                                                        \
            test_report(__FILE__, __LINE__, #cond);                                           \
        }                                                                                     \
    } while (0)

/* Checks a return code equals an expected LC_E_* (printing both names on failure). */
#define CHECK_RC(got, want)                                                                   \
    do {                                                                                      \
        int got_ = (got), want_ = (want);                                                     \
        test_checks++;                                                                        \
        if (got_ != want_) {                                                                  \
            char buf_[256];                                                                   \
            snprintf(buf_, sizeof(buf_), "%s: got %s (%d), want %s (%d)", #got,               \
                     test_err_name(got_), got_, test_err_name(want_), want_);                 \
            test_report(__FILE__, __LINE__, buf_);                                            \
        }                                                                                     \
    } while (0)

#define CHECK_OK(expr) CHECK_RC((expr), 0)

#define CHECK_MEM(got, gotlen, want, wantlen)                                                 \
    do {                                                                                      \
        test_checks++;                                                                        \
        if ((size_t)(gotlen) != (size_t)(wantlen) ||                                          \
            memcmp((got), (want), (size_t)(wantlen)) != 0) {                                  \
            test_report_mem(__FILE__, __LINE__, #got " == " #want, (const uint8_t *)(got),    \
                            (const uint8_t *)(want), (gotlen), (wantlen));                    \
        }                                                                                     \
    } while (0)

const char *test_err_name(int code);

/*
 * Decodes hex (whitespace ignored) into out; returns the byte count. Aborts the
 * test binary on bad hex or overflow: test data is wrong, not the code under test.
 */
size_t test_hex(const char *hex, uint8_t *out, size_t cap);

/* The same into a malloc'd buffer the caller frees. */
uint8_t *test_hex_alloc(const char *hex, size_t *len);


#define TEST_MAIN(...)                                                                        \
    int main(void)                                                                            \
    {                                                                                         \
        void (*fns_[])(void) = { __VA_ARGS__ };                                               \
        const char *names_ = #__VA_ARGS__;                                                    \
        for (size_t i_ = 0; i_ < sizeof(fns_) / sizeof(fns_[0]); i_++) {                     \
            char name_[128];                                                                  \
            test_nth_name(names_, i_, name_, sizeof(name_));                                  \
            test_run(name_, fns_[i_]);                                                        \
        }                                                                                     \
        return test_finish();                                                                 \
    }

void test_nth_name(const char *names, size_t n, char *out, size_t cap);

#endif
