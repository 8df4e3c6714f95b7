/*
 * Tests for src/crypto/hmac.c: RFC 4231 test cases 1, 2, 3 and 6 for
 * HMAC-SHA-256 and HMAC-SHA-384 (checked against `openssl mac`), and an
 * empty key, which HMAC allows (RFC 2104 2).
 */
#include "test.h"

#include "base/error.h"
#include "crypto/crypto.h"

struct hmac_case {
    const char *key;    /* hex */
    const char *data;   /* hex */
    const char *sha256;
    const char *sha384;
};

static const struct hmac_case cases[] = {
    /* RFC 4231 4.2, test case 1: "Hi There" */
    { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
      "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
      "faea9ea9076ede7f4af152e8b2fa9cb6" },
    /* 4.3, test case 2: key "Jefe", "what do ya want for nothing?" */
    { "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
      "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
      "8e2240ca5e69e2c78b3239ecfab21649" },
    /* 4.4, test case 3: 20 bytes 0xaa, 50 bytes 0xdd */
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
      "dddddddddddddddddddddddddddddddddddd",
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
      "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
      "2a5ab39dc13814b94e3ab6e101a34f27" },
    /* 4.7, test case 6: a 131-byte key, longer than the block, is hashed first */
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaa",
      "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
      "65204b6579202d2048617368204b6579204669727374",
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
      "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
      "0c2ef6ab4030fe8296248df163f44952" },
};

static void test_rfc4231(void)
{
    lc_crypto *cr = lc_crypto_new();
    uint8_t key[200], data[100], want[LC_HASH_MAX], got[LC_HASH_MAX];

    CHECK(cr != NULL);
    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        size_t keylen = test_hex(cases[i].key, key, sizeof(key));
        size_t datalen = test_hex(cases[i].data, data, sizeof(data));
        size_t wantlen = test_hex(cases[i].sha256, want, sizeof(want));

        CHECK_OK(lc_hmac(cr, LC_SHA256, key, keylen, data, datalen, got));
        CHECK_MEM(got, 32, want, wantlen);
        wantlen = test_hex(cases[i].sha384, want, sizeof(want));
        CHECK_OK(lc_hmac(cr, LC_SHA384, key, keylen, data, datalen, got));
        CHECK_MEM(got, 48, want, wantlen);
    }
    lc_crypto_free(cr);
}

static void test_empty_key_and_data(void)
{
    /* HMAC-SHA256 with an empty key over an empty message (`openssl mac ... -macopt hexkey:00`) */
    lc_crypto *cr = lc_crypto_new();
    uint8_t want[32], got[32], zeros[32] = { 0 };

    CHECK(cr != NULL);
    test_hex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad", want,
             sizeof(want));
    CHECK_OK(lc_hmac(cr, LC_SHA256, NULL, 0, NULL, 0, got));
    CHECK_MEM(got, 32, want, 32);
    /* a short key is padded with zeros: an all-zero key of any length gives the same MAC */
    CHECK_OK(lc_hmac(cr, LC_SHA256, zeros, sizeof(zeros), NULL, 0, got));
    CHECK_MEM(got, 32, want, 32);
    lc_crypto_free(cr);
}

TEST_MAIN(test_rfc4231, test_empty_key_and_data)
