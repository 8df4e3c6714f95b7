/*
 * Helpers shared by the handshake message tests (tests/unit/msg/ *_test.c).
 *
 * Each test takes a message from RFC 8448 (the loader reads the RFC's own
 * text), frames it, decodes the body, re-encodes it and compares bytes; then it
 * feeds every prefix, a trailing byte and altered copies and asserts the exact
 * code. The checks below do the parts that are the same for every message.
 * Inputs are copied into buffers of exactly their length, so that a read past
 * the end shows up under AddressSanitizer.
 */
#ifndef LUCID_TEST_MSG_UTIL_H
#define LUCID_TEST_MSG_UTIL_H

#include "test.h"

#include "base/bytes.h"
#include "base/error.h"
#include "msg/msg.h"
#include "rfc8448.h"

/* A decoder under test: decodes body[0..n) into some static struct, returns its code. */
typedef int (*test_decode_fn)(const uint8_t *body, size_t n);

/* An encoder under test: encodes some static struct into w, returns its code. */
typedef int (*test_encode_fn)(lc_writer *w);

static inline uint8_t *test_dup(const uint8_t *p, size_t n)
{
    uint8_t *d = malloc(n > 0 ? n : 1);

    if (d == NULL) {
        abort();
    }
    if (n > 0) {
        memcpy(d, p, n);
    }
    return d;
}

/*
 * The message `field` of the nth RFC 8448 step `step` in `section`, framed: checks
 * that it is one complete message of type msg_type that fills the field, and
 * returns the whole message (header included) with *len and *m set.
 */
static inline const uint8_t *test_rfc_msg(int section, const char *step, int nth,
                                          const char *field, uint8_t msg_type, size_t *len,
                                          lc_msg *m)
{
    const uint8_t *p;
    bool complete = false;

    rfc8448_load();
    p = rfc8448_get(section, step, nth, field, len);
    if (lc_msg_frame(p, *len, LC_MSG_LENGTH_MAX, m, &complete) != 0 || !complete ||
        m->total != *len) {
        /* the test picked the wrong field: a mistake in the test, not in the code under test */
        fprintf(stderr, "section %d, %s: %s is not one whole message\n", section, step, field);
        abort();
    }
    CHECK(m->msg_type == msg_type);
    return p;
}

/* Runs decode on a copy of body[0..n) in a buffer of exactly n bytes. */
static inline int test_decode_copy(test_decode_fn decode, const uint8_t *body, size_t n)
{
    uint8_t *copy = test_dup(body, n);
    int rc = decode(copy, n);

    free(copy);
    return rc;
}

/*
 * Every prefix of body shorter than len must fail with LC_E_DECODE, except the
 * prefix of length ok_at (SIZE_MAX for none), which must decode: a hello cut
 * right after its compression method(s) is a complete pre-extensions hello.
 */
static inline void test_check_prefixes(test_decode_fn decode, const uint8_t *body, size_t len,
                                       size_t ok_at)
{
    for (size_t n = 0; n < len; n++) {
        int want = n == ok_at ? 0 : LC_E_DECODE;
        int rc = test_decode_copy(decode, body, n);

        if (rc != want) {
            CHECK_RC(rc, want);
            fprintf(stderr, "  with the first %zu of %zu bytes\n", n, len);
            return;
        }
    }
    CHECK(true);
}

/* One byte after the body must be LC_E_TRAILING. */
static inline void test_check_trailing(test_decode_fn decode, const uint8_t *body, size_t len)
{
    uint8_t *longer = malloc(len + 1);

    if (longer == NULL) {
        abort();
    }
    memcpy(longer, body, len);
    longer[len] = 0x00;
    CHECK_RC(decode(longer, len + 1), LC_E_TRAILING);
    free(longer);
}

/*
 * encode must write exactly want; into any smaller buffer it must fail with
 * LC_E_BUFFER_TOO_SMALL and write nothing past the buffer's end.
 */
static inline void test_check_encode(test_encode_fn encode, const uint8_t *want, size_t len)
{
    uint8_t *out = malloc(len + 16);
    lc_writer w;

    if (out == NULL) {
        abort();
    }
    lc_writer_init(&w, out, len + 16);
    CHECK_OK(encode(&w));
    CHECK_MEM(out, w.len, want, len);
    for (size_t cap = 0; cap < len; cap++) {
        int rc;

        memset(out, 0xee, len + 16);
        lc_writer_init(&w, out, cap);
        rc = encode(&w);
        if (rc != LC_E_BUFFER_TOO_SMALL || out[cap] != 0xee) {
            CHECK_RC(rc, LC_E_BUFFER_TOO_SMALL);
            CHECK(out[cap] == 0xee);
            fprintf(stderr, "  with a %zu-byte buffer for %zu bytes\n", cap, len);
            break;
        }
    }
    free(out);
}

/* Where extension e's 2-byte type sits in the buffer that starts at base. */
static inline size_t test_ext_type_at(const uint8_t *base, const lc_ext *e)
{
    return (size_t)(e->body - base) - 4;
}

/* Writes a 16-bit big-endian value at p[at]. */
static inline void test_put16(uint8_t *p, size_t at, uint16_t v)
{
    p[at] = (uint8_t)(v >> 8);
    p[at + 1] = (uint8_t)v;
}

#endif
