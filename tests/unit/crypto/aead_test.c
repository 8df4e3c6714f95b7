/*
 * Tests for src/crypto/aead.c: known answers for AES-128-GCM and AES-256-GCM
 * (McGrew and Viega, "The Galois/Counter Mode of Operation", test cases 4 and
 * 16: 60 bytes of plaintext with 20 bytes of AAD) and ChaCha20-Poly1305
 * (RFC 8439 2.8.2); tampering gives bad_record_mac with zeroed output;
 * in-place operation; re-keying one context (KeyUpdate) and changing its
 * algorithm; and no libcrypto allocation per record.
 */
#include "test.h"

#include <openssl/crypto.h>

#include "base/error.h"
#include "crypto/crypto.h"

struct aead_case {
    enum lc_aead_alg alg;
    const char *key, *nonce, *aad, *pt, *ct_tag;
};

#define GCM_PT                                                                                \
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"                        \
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_AAD "feedfacedeadbeeffeedfacedeadbeefabaddad2"

static const struct aead_case cases[] = {
    /* GCM spec test case 4 */
    { LC_AES_128_GCM, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", GCM_AAD,
      GCM_PT,
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
      "5bc94fbc3221a5db94fae95ae7121a47" },
    /* GCM spec test case 16 */
    { LC_AES_256_GCM, "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
      "cafebabefacedbaddecaf888", GCM_AAD, GCM_PT,
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
      "76fc6ece0f4e1768cddf8853bb2d551b" },
    /* RFC 8439 2.8.2: nonce = 32-bit fixed part 07000000 || IV 4041424344454647 */
    { LC_CHACHA20_POLY1305, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
      "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
      "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
      "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
      "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
      "637265656e20776f756c642062652069742e",
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
      "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
      "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
      "3ff4def08e4b7a9de576d26586cec64b6116"
      "1ae10b594f09e26a7e902ecbd0600691" },
};

/* The decoded vector, held in fixed buffers. */
struct vec {
    uint8_t key[32], nonce[12], aad[32], pt[128], ct[160];
    size_t keylen, aadlen, ptlen, ctlen;
};

static void load(const struct aead_case *tc, struct vec *v)
{
    v->keylen = test_hex(tc->key, v->key, sizeof(v->key));
    test_hex(tc->nonce, v->nonce, sizeof(v->nonce));
    v->aadlen = test_hex(tc->aad, v->aad, sizeof(v->aad));
    v->ptlen = test_hex(tc->pt, v->pt, sizeof(v->pt));
    v->ctlen = test_hex(tc->ct_tag, v->ct, sizeof(v->ct));
}

/* Counts libcrypto's allocations, to show that seal and open make none (STYLE 3.7). */
static unsigned long allocations;

static void *count_malloc(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    allocations++;
    return malloc(n);
}

static void *count_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    allocations++;
    return realloc(p, n);
}

static void count_free(void *p, const char *file, int line)
{
    (void)file;
    (void)line;
    free(p);
}

static void test_no_allocation_per_record(void)
{
    lc_crypto *cr;
    uint8_t key[32] = { 1 }, nonce[12] = { 2 }, buf[256 + LC_AEAD_TAG_LEN] = { 0 };
    const enum lc_aead_alg algs[] = { LC_AES_128_GCM, LC_AES_256_GCM, LC_CHACHA20_POLY1305 };

    /* This must run before libcrypto allocates anything, so it is this binary's first test. */
    if (!CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free)) {
        fprintf(stderr, "  (skipped: libcrypto allocated before the test began)\n");
        return;
    }
    cr = lc_crypto_new();
    CHECK(cr != NULL);
    CHECK(allocations > 0); /* the counter sees libcrypto's allocations */
    for (size_t i = 0; i < LC_ARRAY_LEN(algs); i++) {
        lc_aead_ctx *enc = lc_aead_new(cr, algs[i], true);
        lc_aead_ctx *dec = lc_aead_new(cr, algs[i], false);
        unsigned long before;

        CHECK(enc != NULL && dec != NULL);
        CHECK_OK(lc_aead_set_key(enc, algs[i], key));
        CHECK_OK(lc_aead_set_key(dec, algs[i], key));
        before = allocations;
        for (int rec = 0; rec < 10; rec++) {
            nonce[11] = (uint8_t)rec;
            CHECK_OK(lc_aead_seal(enc, nonce, key, 5, buf, 256, buf));
            CHECK_OK(lc_aead_open(dec, nonce, key, 5, buf, 256 + LC_AEAD_TAG_LEN, buf));
        }
        /* a KeyUpdate (same algorithm) does not allocate either */
        CHECK_OK(lc_aead_set_key(enc, algs[i], buf));
        CHECK(allocations == before);
        lc_aead_free(enc);
        lc_aead_free(dec);
    }
    lc_crypto_free(cr);
}

static void test_known_answers(void)
{
    lc_crypto *cr = lc_crypto_new();
    struct vec v;
    uint8_t out[160];

    CHECK(cr != NULL);
    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        lc_aead_ctx *enc = lc_aead_new(cr, cases[i].alg, true);
        lc_aead_ctx *dec = lc_aead_new(cr, cases[i].alg, false);

        load(&cases[i], &v);
        CHECK(enc != NULL && dec != NULL);
        CHECK(lc_aead_key_len(cases[i].alg) == v.keylen);
        CHECK(v.ctlen == v.ptlen + LC_AEAD_TAG_LEN);
        CHECK_OK(lc_aead_set_key(enc, cases[i].alg, v.key));
        CHECK_OK(lc_aead_set_key(dec, cases[i].alg, v.key));
        CHECK_OK(lc_aead_seal(enc, v.nonce, v.aad, v.aadlen, v.pt, v.ptlen, out));
        CHECK_MEM(out, v.ptlen + LC_AEAD_TAG_LEN, v.ct, v.ctlen);
        CHECK_OK(lc_aead_open(dec, v.nonce, v.aad, v.aadlen, v.ct, v.ctlen, out));
        CHECK_MEM(out, v.ptlen, v.pt, v.ptlen);
        /* the same again: the nonce reset per call leaves no state from the last record */
        CHECK_OK(lc_aead_seal(enc, v.nonce, v.aad, v.aadlen, v.pt, v.ptlen, out));
        CHECK_MEM(out, v.ptlen + LC_AEAD_TAG_LEN, v.ct, v.ctlen);
        CHECK_OK(lc_aead_open(dec, v.nonce, v.aad, v.aadlen, v.ct, v.ctlen, out));
        CHECK_MEM(out, v.ptlen, v.pt, v.ptlen);
        lc_aead_free(enc);
        lc_aead_free(dec);
    }
    lc_crypto_free(cr);
}

static int is_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return 0;
        }
    }
    return 1;
}

static void test_tampering(void)
{
    /* RFC 8446 5.2: any change to ciphertext, tag or AAD fails with bad_record_mac */
    lc_crypto *cr = lc_crypto_new();
    struct vec v;
    uint8_t in[160], out[160];

    CHECK(cr != NULL);
    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        lc_aead_ctx *dec = lc_aead_new(cr, cases[i].alg, false);
        /* first byte, a middle byte of ciphertext, first and last byte of the tag */
        size_t spots[4];

        load(&cases[i], &v);
        spots[0] = 0;
        spots[1] = v.ptlen / 2;
        spots[2] = v.ptlen;
        spots[3] = v.ctlen - 1;
        CHECK(dec != NULL);
        CHECK_OK(lc_aead_set_key(dec, cases[i].alg, v.key));
        for (size_t s = 0; s < LC_ARRAY_LEN(spots); s++) {
            memcpy(in, v.ct, v.ctlen);
            in[spots[s]] ^= 0x01;
            memset(out, 0xee, sizeof(out));
            CHECK_RC(lc_aead_open(dec, v.nonce, v.aad, v.aadlen, in, v.ctlen, out),
                     LC_E_BAD_RECORD_MAC);
            CHECK(is_zero(out, v.ptlen));
        }
        v.aad[0] ^= 0x80;
        CHECK_RC(lc_aead_open(dec, v.nonce, v.aad, v.aadlen, v.ct, v.ctlen, out),
                 LC_E_BAD_RECORD_MAC);
        v.aad[0] ^= 0x80;
        /* a different nonce (the wrong sequence number) */
        v.nonce[11] ^= 1;
        CHECK_RC(lc_aead_open(dec, v.nonce, v.aad, v.aadlen, v.ct, v.ctlen, out),
                 LC_E_BAD_RECORD_MAC);
        v.nonce[11] ^= 1;
        /* shorter than a tag */
        CHECK_RC(lc_aead_open(dec, v.nonce, v.aad, v.aadlen, v.ct, LC_AEAD_TAG_LEN - 1, out),
                 LC_E_BAD_RECORD_MAC);
        /* and the context still works afterwards */
        CHECK_OK(lc_aead_open(dec, v.nonce, v.aad, v.aadlen, v.ct, v.ctlen, out));
        CHECK_MEM(out, v.ptlen, v.pt, v.ptlen);
        lc_aead_free(dec);
    }
    lc_crypto_free(cr);
}

static void test_in_place(void)
{
    lc_crypto *cr = lc_crypto_new();
    struct vec v;
    uint8_t buf[160];

    CHECK(cr != NULL);
    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        lc_aead_ctx *enc = lc_aead_new(cr, cases[i].alg, true);
        lc_aead_ctx *dec = lc_aead_new(cr, cases[i].alg, false);

        load(&cases[i], &v);
        CHECK(enc != NULL && dec != NULL);
        CHECK_OK(lc_aead_set_key(enc, cases[i].alg, v.key));
        CHECK_OK(lc_aead_set_key(dec, cases[i].alg, v.key));
        memcpy(buf, v.pt, v.ptlen);
        CHECK_OK(lc_aead_seal(enc, v.nonce, v.aad, v.aadlen, buf, v.ptlen, buf));
        CHECK_MEM(buf, v.ptlen + LC_AEAD_TAG_LEN, v.ct, v.ctlen);
        CHECK_OK(lc_aead_open(dec, v.nonce, v.aad, v.aadlen, buf, v.ctlen, buf));
        CHECK_MEM(buf, v.ptlen, v.pt, v.ptlen);
        /* in place with a bad tag zeroes the buffer */
        memcpy(buf, v.ct, v.ctlen);
        buf[v.ctlen - 1] ^= 0x40;
        CHECK_RC(lc_aead_open(dec, v.nonce, v.aad, v.aadlen, buf, v.ctlen, buf),
                 LC_E_BAD_RECORD_MAC);
        CHECK(is_zero(buf, v.ptlen));
        lc_aead_free(enc);
        lc_aead_free(dec);
    }
    lc_crypto_free(cr);
}

/*
 * lc_aead_seal_split: the known answers again, with the plaintext cut at every
 * place into a head read from elsewhere and a tail already in the output.
 */
static void test_seal_split(void)
{
    lc_crypto *cr = lc_crypto_new();
    struct vec v;
    uint8_t buf[160];

    CHECK(cr != NULL);
    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        lc_aead_ctx *enc = lc_aead_new(cr, cases[i].alg, true);

        load(&cases[i], &v);
        CHECK(enc != NULL);
        CHECK_OK(lc_aead_set_key(enc, cases[i].alg, v.key));
        for (size_t head = 0; head <= v.ptlen; head++) {
            memset(buf, 0xee, sizeof(buf));
            memcpy(buf + head, v.pt + head, v.ptlen - head);
            CHECK_OK(lc_aead_seal_split(enc, v.nonce, v.aad, v.aadlen, v.pt, head, buf,
                                        v.ptlen));
            CHECK_MEM(buf, v.ptlen + LC_AEAD_TAG_LEN, v.ct, v.ctlen);
        }
        /* a head longer than the whole is refused */
        CHECK_RC(lc_aead_seal_split(enc, v.nonce, v.aad, v.aadlen, v.pt, v.ptlen + 1, buf,
                                    v.ptlen),
                 LC_E_BAD_ARGUMENT);
        lc_aead_free(enc);
    }
    lc_crypto_free(cr);
}

static void test_rekey_and_change_alg(void)
{
    /*
     * One context per direction lives through KeyUpdate (new key, same suite)
     * and, in tests at least, a change of suite: each time it must match a
     * freshly made context.
     */
    lc_crypto *cr = lc_crypto_new();
    lc_aead_ctx *enc = lc_aead_new(cr, LC_AES_128_GCM, true);
    lc_aead_ctx *dec = lc_aead_new(cr, LC_AES_128_GCM, false);
    uint8_t key2[32], out[64], back[160];
    const uint8_t nonce[12] = { 0 };
    struct vec v;

    CHECK(cr != NULL && enc != NULL && dec != NULL);
    memset(key2, 0x5a, sizeof(key2));
    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        load(&cases[i], &v);
        CHECK_OK(lc_aead_set_key(enc, cases[i].alg, v.key));
        CHECK_OK(lc_aead_set_key(dec, cases[i].alg, v.key));
        CHECK_OK(lc_aead_seal(enc, v.nonce, v.aad, v.aadlen, v.pt, v.ptlen, v.ct));
        CHECK_OK(lc_aead_open(dec, v.nonce, v.aad, v.aadlen, v.ct, v.ctlen, back));
        CHECK_MEM(back, v.ptlen, v.pt, v.ptlen);

        /* KeyUpdate: the old key's records no longer open; new ones do */
        CHECK_OK(lc_aead_set_key(enc, cases[i].alg, key2));
        CHECK_OK(lc_aead_seal(enc, nonce, NULL, 0, (const uint8_t *)"hello", 5, out));
        CHECK_RC(lc_aead_open(dec, nonce, NULL, 0, out, 5 + LC_AEAD_TAG_LEN, back),
                 LC_E_BAD_RECORD_MAC);
        CHECK_OK(lc_aead_set_key(dec, cases[i].alg, key2));
        CHECK_OK(lc_aead_open(dec, nonce, NULL, 0, out, 5 + LC_AEAD_TAG_LEN, back));
        CHECK_MEM(back, 5, "hello", 5);
    }
    lc_aead_free(enc);
    lc_aead_free(dec);
    lc_crypto_free(cr);
}

static void test_empty_plaintext_and_misuse(void)
{
    lc_crypto *cr = lc_crypto_new();
    lc_aead_ctx *enc = lc_aead_new(cr, LC_CHACHA20_POLY1305, true);
    lc_aead_ctx *dec = lc_aead_new(cr, LC_CHACHA20_POLY1305, false);
    uint8_t key[32] = { 7 }, nonce[12] = { 1 }, tag[LC_AEAD_TAG_LEN], pt[1];

    CHECK(cr != NULL && enc != NULL && dec != NULL);
    /* no key yet, and the wrong direction */
    CHECK_RC(lc_aead_seal(enc, nonce, NULL, 0, NULL, 0, tag), LC_E_BAD_ARGUMENT);
    CHECK_OK(lc_aead_set_key(enc, LC_CHACHA20_POLY1305, key));
    CHECK_OK(lc_aead_set_key(dec, LC_CHACHA20_POLY1305, key));
    CHECK_RC(lc_aead_open(enc, nonce, NULL, 0, tag, sizeof(tag), pt), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_aead_seal(dec, nonce, NULL, 0, NULL, 0, tag), LC_E_BAD_ARGUMENT);
    /* an empty plaintext still has a tag that authenticates the AAD */
    CHECK_OK(lc_aead_seal(enc, nonce, (const uint8_t *)"hdr", 3, NULL, 0, tag));
    CHECK_OK(lc_aead_open(dec, nonce, (const uint8_t *)"hdr", 3, tag, sizeof(tag), pt));
    CHECK_RC(lc_aead_open(dec, nonce, (const uint8_t *)"hdx", 3, tag, sizeof(tag), pt),
             LC_E_BAD_RECORD_MAC);
    lc_aead_free(enc);
    lc_aead_free(dec);
    lc_aead_free(NULL);
    lc_crypto_free(cr);
}

TEST_MAIN(test_no_allocation_per_record, test_known_answers, test_tampering, test_in_place,
          test_seal_split, test_rekey_and_change_alg, test_empty_plaintext_and_misuse)
