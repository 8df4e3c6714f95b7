/*
 * Tests for src/record/direction.c: the per-record nonce of RFC 8446 5.3
 * (IV XOR the left-padded sequence number), sequence numbers that start at 0
 * with every key, one AEAD context re-keyed rather than re-made, and the
 * record_size_limit of RFC 8449.
 */
#include "test.h"

#include "base/error.h"
#include "crypto/crypto.h"
#include "record/record.h"

static lc_crypto *cr;

static void test_nonce(void)
{
    lc_rec_dir d;
    uint8_t nonce[12], want[12];

    lc_rec_dir_init(&d, true);
    /* RFC 8448 section 3, the client's application write IV */
    test_hex("5b 78 92 3d ee 08 57 90 33 e5 23 d9", d.iv, 12);
    lc_rec_dir_nonce(&d, nonce);
    CHECK_MEM(nonce, 12, d.iv, 12);

    d.seq = 1;
    lc_rec_dir_nonce(&d, nonce);
    test_hex("5b 78 92 3d ee 08 57 90 33 e5 23 d8", want, 12);
    CHECK_MEM(nonce, 12, want, 12);

    /* big-endian, in the last 8 bytes; the first 4 are the IV's alone */
    d.seq = 0x0102030405060708u;
    lc_rec_dir_nonce(&d, nonce);
    test_hex("5b 78 92 3d ef 0a 54 94 36 e3 24 d1", want, 12);
    CHECK_MEM(nonce, 12, want, 12);

    d.seq = UINT64_MAX;
    lc_rec_dir_nonce(&d, nonce);
    test_hex("5b 78 92 3d 11 f7 a8 6f cc 1a dc 26", want, 12);
    CHECK_MEM(nonce, 12, want, 12);
}

static void test_keys_and_sequence(void)
{
    lc_rec_dir d;
    uint8_t key[32] = { 1 }, iv[12] = { 2 };
    lc_aead_ctx *first;

    lc_rec_dir_init(&d, false);
    CHECK(!lc_rec_dir_protected(&d) && d.seq == 0 && !d.encrypt);
    CHECK_OK(lc_rec_dir_set_key(&d, cr, LC_AES_128_GCM, key, iv));
    CHECK(lc_rec_dir_protected(&d));
    CHECK_MEM(d.iv, 12, iv, 12);
    first = d.aead;
    d.seq = 1234;
    /* KeyUpdate or a new epoch: the same context, a new key, seq back to 0 (5.3) */
    iv[0] = 3;
    CHECK_OK(lc_rec_dir_set_key(&d, cr, LC_CHACHA20_POLY1305, key, iv));
    CHECK(d.aead == first && d.seq == 0 && d.iv[0] == 3);
    lc_rec_dir_free(&d);
    CHECK(!lc_rec_dir_protected(&d) && d.iv[0] == 0);
    lc_rec_dir_free(&d); /* twice is harmless */
}

/* RFC 8449 4 and RFC 8446 5.4: the limit counts content, type and padding. */
static void test_size_limit(void)
{
    lc_rec_dir d;

    lc_rec_dir_init(&d, true);
    CHECK(lc_rec_dir_max_fragment(&d) == LC_REC_PLAINTEXT_MAX);
    CHECK(d.inner_max == LC_REC_INNER_MAX);
    CHECK_RC(lc_rec_dir_set_limit(&d, 63), LC_E_ILLEGAL_PARAMETER);
    CHECK_RC(lc_rec_dir_set_limit(&d, 0), LC_E_ILLEGAL_PARAMETER);
    CHECK(lc_rec_dir_max_fragment(&d) == LC_REC_PLAINTEXT_MAX);
    CHECK_OK(lc_rec_dir_set_limit(&d, 64));
    CHECK(lc_rec_dir_max_fragment(&d) == 63);
    CHECK_OK(lc_rec_dir_set_limit(&d, LC_REC_INNER_MAX));
    CHECK(lc_rec_dir_max_fragment(&d) == LC_REC_PLAINTEXT_MAX);
    /* more than TLS 1.3 allows is taken as its maximum, not refused */
    CHECK_OK(lc_rec_dir_set_limit(&d, 65535));
    CHECK(lc_rec_dir_max_fragment(&d) == LC_REC_PLAINTEXT_MAX);
}

static void setup(void)
{
    cr = lc_crypto_new();
    CHECK(cr != NULL);
}

static void teardown(void)
{
    lc_crypto_free(cr);
}

TEST_MAIN(setup, test_nonce, test_keys_and_sequence, test_size_limit, teardown)
