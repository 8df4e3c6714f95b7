/*
 * Helpers shared by the libFuzzer targets in this folder (fuzz/README.md).
 *
 * A target fails by abort(): libFuzzer then saves the input as crash-<sha1>.
 * FUZZ_CHECK is for the properties each target asserts (round trips, sticky
 * errors), which sanitizers alone would not catch.
 */
#ifndef LC_FUZZ_FUZZ_H
#define LC_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);   \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

/* Aborts unless a[0..an) and b[0..bn) are the same bytes, printing where they part. */
static inline void fuzz_same(const char *what, const uint8_t *a, size_t an, const uint8_t *b,
                             size_t bn)
{
    if (an == bn && (an == 0 || memcmp(a, b, an) == 0)) {
        return;
    }
    size_t i = 0;
    while (i < an && i < bn && a[i] == b[i]) {
        i++;
    }
    fprintf(stderr, "%s: round trip differs: %zu vs %zu bytes, first difference at %zu\n", what,
            an, bn, i);
    abort();
}

/* The 4-byte handshake header followed by body: what a message encoder must write back. */
static inline size_t fuzz_msg_wrap(uint8_t type, const uint8_t *body, size_t len, uint8_t *out)
{
    out[0] = type;
    out[1] = (uint8_t)(len >> 16);
    out[2] = (uint8_t)(len >> 8);
    out[3] = (uint8_t)len;
    if (len > 0) {
        memcpy(out + 4, body, len);
    }
    return len + 4;
}

/*
 * Deterministic "randomness" for lucid_ctx_set_random: a counter stream, so a
 * handshake (and so a crash) replays identically from the same input.
 */
struct fuzz_rng {
    uint32_t state;
};

static inline int fuzz_random(void *arg, uint8_t *buf, size_t n)
{
    struct fuzz_rng *rng = arg;
    for (size_t i = 0; i < n; i++) {
        rng->state = rng->state * 1103515245u + 12345u;
        buf[i] = (uint8_t)(rng->state >> 16);
    }
    return 0;
}

/*
 * Input-chosen chunking for the stream targets: one byte k picks how the rest
 * of the input is cut before it is fed. k = 0 feeds it all at once; otherwise
 * chunk sizes follow a small generator seeded by k, between 1 and 8*k bytes,
 * so the fuzzer can explore one-byte feeding as well as records split anywhere.
 */
struct fuzz_chunker {
    uint32_t state;
    size_t max;
};

static inline void fuzz_chunk_init(struct fuzz_chunker *c, uint8_t k, size_t total)
{
    c->state = k;
    c->max = k == 0 ? total : (size_t)k * 8;
}

static inline size_t fuzz_chunk_next(struct fuzz_chunker *c, size_t left)
{
    c->state = c->state * 1664525u + 1013904223u;
    size_t n = c->max == 0 ? left : 1 + (c->state >> 8) % c->max;
    return n < left ? n : left;
}

#endif
