/*
 * Tests for src/crypto/hkdf.c: RFC 5869 appendix A test cases 1-3 (SHA-256),
 * extract and expand separately, and the edge cases the TLS 1.3 key schedule
 * meets (an empty salt equals HashLen zeros; RFC 8446 7.1).
 */
#include "test.h"

#include "base/error.h"
#include "crypto/crypto.h"

struct hkdf_case {
    const char *ikm, *salt, *info, *prk, *okm;
};

static const struct hkdf_case cases[] = {
    /* A.1: basic */
    { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
      "f0f1f2f3f4f5f6f7f8f9",
      "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865" },
    /* A.2: longer inputs and outputs */
    { "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
      "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
      "404142434445464748494a4b4c4d4e4f",
      "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
      "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
      "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
      "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
      "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
      "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
      "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
      "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
      "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
      "cc30c58179ec3e87c14c01d5c1f3434f1d87" },
    /* A.3: zero-length salt and info */
    { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
      "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
      "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8" },
};

static void test_rfc5869(void)
{
    lc_crypto *cr = lc_crypto_new();
    uint8_t ikm[100], salt[100], info[100], prk[32], okm[100], want_prk[32], want_okm[100];

    CHECK(cr != NULL);
    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        size_t ikmlen = test_hex(cases[i].ikm, ikm, sizeof(ikm));
        size_t saltlen = test_hex(cases[i].salt, salt, sizeof(salt));
        size_t infolen = test_hex(cases[i].info, info, sizeof(info));
        size_t prklen = test_hex(cases[i].prk, want_prk, sizeof(want_prk));
        size_t okmlen = test_hex(cases[i].okm, want_okm, sizeof(want_okm));

        CHECK_OK(lc_hkdf_extract(cr, LC_SHA256, salt, saltlen, ikm, ikmlen, prk));
        CHECK_MEM(prk, sizeof(prk), want_prk, prklen);
        /* expand from the published PRK, so a failure points at one half */
        CHECK_OK(lc_hkdf_expand(cr, LC_SHA256, want_prk, prklen, info, infolen, okm, okmlen));
        CHECK_MEM(okm, okmlen, want_okm, okmlen);
    }
    lc_crypto_free(cr);
}

static void test_salt_and_ikm_edges(void)
{
    /*
     * RFC 8446 7.1 starts with HKDF-Extract(0, 0): salt and IKM of HashLen
     * zeros. An empty salt must give the same PRK (RFC 5869 2.2), and an
     * empty IKM is an HMAC over an empty message.
     */
    lc_crypto *cr = lc_crypto_new();
    uint8_t zeros[48] = { 0 }, a[48], b[48];

    CHECK(cr != NULL);
    CHECK_OK(lc_hkdf_extract(cr, LC_SHA384, zeros, 48, zeros, 48, a));
    CHECK_OK(lc_hkdf_extract(cr, LC_SHA384, NULL, 0, zeros, 48, b));
    CHECK_MEM(a, 48, b, 48);
    CHECK_OK(lc_hmac(cr, LC_SHA384, zeros, 48, zeros, 48, b));
    CHECK_MEM(a, 48, b, 48);
    CHECK_OK(lc_hkdf_extract(cr, LC_SHA256, zeros, 32, NULL, 0, a));
    CHECK_OK(lc_hmac(cr, LC_SHA256, zeros, 32, NULL, 0, b));
    CHECK_MEM(a, 32, b, 32);
    lc_crypto_free(cr);
}

static void test_rfc8448_early_secret(void)
{
    /* RFC 8448 3: the early secret, HKDF-Extract(salt 0, IKM 32 zero bytes) with SHA-256 */
    lc_crypto *cr = lc_crypto_new();
    uint8_t zeros[32] = { 0 }, got[32], want[32];

    CHECK(cr != NULL);
    test_hex("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a", want,
             sizeof(want));
    CHECK_OK(lc_hkdf_extract(cr, LC_SHA256, NULL, 0, zeros, 32, got));
    CHECK_MEM(got, 32, want, 32);
    lc_crypto_free(cr);
}

static void test_expand_limits(void)
{
    /* RFC 5869 2.3: L <= 255*HashLen; a PRK shorter than HashLen is refused */
    lc_crypto *cr = lc_crypto_new();
    uint8_t prk[32] = { 1 }, out[255 * 32 + 1];

    CHECK(cr != NULL);
    CHECK_OK(lc_hkdf_expand(cr, LC_SHA256, prk, 32, NULL, 0, out, 255 * 32));
    CHECK_RC(lc_hkdf_expand(cr, LC_SHA256, prk, 32, NULL, 0, out, 255 * 32 + 1),
             LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_hkdf_expand(cr, LC_SHA256, prk, 16, NULL, 0, out, 32), LC_E_BAD_ARGUMENT);
    lc_crypto_free(cr);
}

TEST_MAIN(test_rfc5869, test_salt_and_ikm_edges, test_rfc8448_early_secret, test_expand_limits)
