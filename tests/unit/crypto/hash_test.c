/*
 * Tests for src/crypto/hash.c: SHA-256/384 known answers (FIPS 180-4 examples)
 * and the incremental transcript hash, whose peek must equal a one-shot hash
 * of the same prefix without disturbing what follows.
 */
#include "test.h"

#include "base/error.h"
#include "crypto/crypto.h"

static const char SHA256_ABC[] =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char SHA256_EMPTY[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char SHA384_ABC[] =
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
    "8086072ba1e7cc2358baeca134c825a7";
static const char SHA384_EMPTY[] =
    "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
    "274edebfe76f65fbd51ad2f14898b95b";

static void check_oneshot(lc_crypto *cr, enum lc_hash_alg alg, const char *msg,
                          const char *want_hex)
{
    uint8_t want[LC_HASH_MAX], got[LC_HASH_MAX];
    size_t wantlen = test_hex(want_hex, want, sizeof(want));

    CHECK(lc_hash_len(alg) == wantlen);
    CHECK_OK(lc_hash(cr, alg, msg, strlen(msg), got));
    CHECK_MEM(got, lc_hash_len(alg), want, wantlen);
}

static void test_known_answers(void)
{
    lc_crypto *cr = lc_crypto_new();

    CHECK(cr != NULL);
    check_oneshot(cr, LC_SHA256, "abc", SHA256_ABC);
    check_oneshot(cr, LC_SHA256, "", SHA256_EMPTY);
    check_oneshot(cr, LC_SHA384, "abc", SHA384_ABC);
    check_oneshot(cr, LC_SHA384, "", SHA384_EMPTY);
    lc_crypto_free(cr);
}

static void check_incremental(lc_crypto *cr, enum lc_hash_alg alg)
{
    uint8_t data[1000];
    uint8_t got[LC_HASH_MAX], want[LC_HASH_MAX];
    size_t hlen = lc_hash_len(alg);
    /* pieces of uneven size, crossing block boundaries (64 and 128 bytes) */
    const size_t cuts[] = { 0, 1, 3, 64, 65, 127, 128, 129, 500, 1000 };
    lc_hash_ctx *h = lc_hash_new(cr, alg);
    size_t done = 0;

    CHECK(h != NULL);
    if (h == NULL) {
        return;
    }
    CHECK(lc_hash_ctx_alg(h) == alg);
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 7 + 1);
    }
    for (size_t i = 0; i < LC_ARRAY_LEN(cuts); i++) {
        CHECK_OK(lc_hash_update(h, data + done, cuts[i] - done));
        done = cuts[i];
        /* peeking twice in a row gives the same answer: the peek changed nothing */
        CHECK_OK(lc_hash_peek(h, got));
        CHECK_OK(lc_hash_peek(h, got));
        CHECK_OK(lc_hash(cr, alg, data, done, want));
        CHECK_MEM(got, hlen, want, hlen);
    }
    /* reset starts over: the empty hash, then "abc" */
    CHECK_OK(lc_hash_reset(h));
    CHECK_OK(lc_hash_peek(h, got));
    CHECK_OK(lc_hash(cr, alg, "", 0, want));
    CHECK_MEM(got, hlen, want, hlen);
    CHECK_OK(lc_hash_update(h, "abc", 3));
    CHECK_OK(lc_hash_peek(h, got));
    CHECK_OK(lc_hash(cr, alg, "abc", 3, want));
    CHECK_MEM(got, hlen, want, hlen);
    lc_hash_free(h);
}

static void test_incremental_peek(void)
{
    lc_crypto *cr = lc_crypto_new();

    CHECK(cr != NULL);
    check_incremental(cr, LC_SHA256);
    check_incremental(cr, LC_SHA384);
    lc_hash_free(NULL);
    lc_crypto_free(cr);
}

TEST_MAIN(test_known_answers, test_incremental_peek)
