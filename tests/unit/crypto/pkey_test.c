/*
 * Tests for src/crypto/pkey.c: private keys from each PEM form, public keys
 * from DER certificates (including RFC 8448's), RSA from components (RFC 8448
 * section 2), generated and raw keys, and the errors for bad input.
 */
#include "test.h"

#include <openssl/err.h>

#include "base/error.h"
#include "crypto/crypto.h"
#include "unit/crypto/test_keys.h"

static void check_pem(lc_crypto *cr, const char *pem, enum lc_key_type type, unsigned bits)
{
    lc_pkey *k = NULL;

    CHECK_OK(lc_pkey_from_pem(cr, pem, strlen(pem), &k));
    CHECK(k != NULL);
    if (k != NULL) {
        CHECK(lc_pkey_type(k) == type);
        CHECK(lc_pkey_bits(k) == bits);
    }
    lc_pkey_free(k);
}

static void test_from_pem(void)
{
    lc_crypto *cr = lc_crypto_new();
    lc_pkey *k = NULL;
    char bad[sizeof(P256_PKCS8_PEM)];

    CHECK(cr != NULL);
    check_pem(cr, P256_PKCS8_PEM, LC_KEY_EC_P256, 256);
    check_pem(cr, P384_EC_PEM, LC_KEY_EC_P384, 384);
    check_pem(cr, RSA_TRAD_PEM, LC_KEY_RSA, 2048);
    check_pem(cr, ED25519_PKCS8_PEM, LC_KEY_ED25519, 256);

    /* not a key, an empty buffer, a corrupted body, a cut-off key */
    CHECK_RC(lc_pkey_from_pem(cr, "hello", 5, &k), LC_E_CONFIG);
    CHECK_RC(lc_pkey_from_pem(cr, "", 0, &k), LC_E_CONFIG);
    memcpy(bad, P256_PKCS8_PEM, sizeof(bad));
    bad[60] = bad[60] == 'A' ? 'B' : 'A';
    CHECK_RC(lc_pkey_from_pem(cr, bad, strlen(bad), &k), LC_E_CONFIG);
    CHECK_RC(lc_pkey_from_pem(cr, P256_PKCS8_PEM, 100, &k), LC_E_CONFIG);
    CHECK(k == NULL);
    /* a certificate is not a private key */
    CHECK_RC(lc_pkey_from_pem(cr, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                              58, &k),
             LC_E_CONFIG);
    CHECK(ERR_peek_error() == 0);
    lc_crypto_free(cr);
}

static void check_cert(lc_crypto *cr, const char *hex, enum lc_key_type type, unsigned bits)
{
    size_t len;
    uint8_t *der = test_hex_alloc(hex, &len);
    lc_pkey *k = NULL;

    CHECK_OK(lc_pkey_from_cert_der(cr, der, len, &k));
    CHECK(k != NULL);
    if (k != NULL) {
        CHECK(lc_pkey_type(k) == type);
        CHECK(lc_pkey_bits(k) == bits);
    }
    lc_pkey_free(k);
    k = NULL;
    /* cut short, trailing bytes, a broken outer tag */
    CHECK_RC(lc_pkey_from_cert_der(cr, der, len - 1, &k), LC_E_BAD_CERTIFICATE);
    CHECK_RC(lc_pkey_from_cert_der(cr, der, 10, &k), LC_E_BAD_CERTIFICATE);
    der = realloc(der, len + 1);
    der[len] = 0;
    CHECK_RC(lc_pkey_from_cert_der(cr, der, len + 1, &k), LC_E_BAD_CERTIFICATE);
    der[0] = 0x31;
    CHECK_RC(lc_pkey_from_cert_der(cr, der, len, &k), LC_E_BAD_CERTIFICATE);
    CHECK(k == NULL);
    CHECK(ERR_peek_error() == 0);
    free(der);
}

static void test_from_cert_der(void)
{
    lc_crypto *cr = lc_crypto_new();

    CHECK(cr != NULL);
    check_cert(cr, P256_CERT_DER, LC_KEY_EC_P256, 256);
    check_cert(cr, RSA_CERT_DER, LC_KEY_RSA, 2048);
    check_cert(cr, RFC8448_CERT_DER, LC_KEY_RSA, 1024);
    lc_crypto_free(cr);
}

static void test_rsa_from_components(void)
{
    lc_crypto *cr = lc_crypto_new();
    uint8_t n[128], e[3], d[128];
    size_t nlen = test_hex(RFC8448_RSA_N, n, sizeof(n));
    size_t elen = test_hex(RFC8448_RSA_E, e, sizeof(e));
    size_t dlen = test_hex(RFC8448_RSA_D, d, sizeof(d));
    lc_pkey *k = NULL;

    CHECK(cr != NULL);
    CHECK_OK(lc_pkey_rsa_from_components(cr, n, nlen, e, elen, d, dlen, &k));
    CHECK(k != NULL);
    if (k != NULL) {
        CHECK(lc_pkey_type(k) == LC_KEY_RSA);
        CHECK(lc_pkey_bits(k) == 1024);
    }
    lc_pkey_free(k);
    lc_crypto_free(cr);
}

static void test_generate_and_raw(void)
{
    lc_crypto *cr = lc_crypto_new();
    const struct {
        enum lc_key_type type;
        unsigned bits;
    } kinds[] = {
        { LC_KEY_EC_P256, 256 }, { LC_KEY_EC_P384, 384 }, { LC_KEY_EC_P521, 521 },
        { LC_KEY_ED25519, 256 }, { LC_KEY_RSA, 2048 },
    };
    uint8_t raw[32] = { 0 };
    lc_pkey *k = NULL;

    CHECK(cr != NULL);
    for (size_t i = 0; i < LC_ARRAY_LEN(kinds); i++) {
        CHECK_OK(lc_pkey_generate(cr, kinds[i].type, kinds[i].bits, &k));
        CHECK(k != NULL && lc_pkey_type(k) == kinds[i].type);
        CHECK(k != NULL && lc_pkey_bits(k) == kinds[i].bits);
        lc_pkey_free(k);
        k = NULL;
    }
    CHECK_RC(lc_pkey_generate(cr, LC_KEY_OTHER, 0, &k), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_pkey_generate(cr, LC_KEY_RSA, 512, &k), LC_E_BAD_ARGUMENT);

    CHECK_OK(lc_pkey_ed25519_from_raw(cr, raw, 32, true, &k));
    CHECK(k != NULL && lc_pkey_type(k) == LC_KEY_ED25519);
    lc_pkey_free(k);
    CHECK_RC(lc_pkey_ed25519_from_raw(cr, raw, 31, true, &k), LC_E_BAD_ARGUMENT);
    CHECK(k == NULL);
    lc_pkey_free(NULL);
    lc_crypto_free(cr);
}

TEST_MAIN(test_from_pem, test_from_cert_der, test_rsa_from_components, test_generate_and_raw)
