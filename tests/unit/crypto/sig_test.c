/*
 * Tests for src/crypto/sig.c: Ed25519 known answers (RFC 8032 7.1 TEST 1-3),
 * the RSA-PSS CertificateVerify of RFC 8448 3, sign-then-verify for every
 * scheme, signatures made by the openssl tool, a flipped bit failing with
 * LC_E_BAD_SIGNATURE, and which schemes fit which keys (RFC 8446 4.2.3).
 */
#include "test.h"

#include <openssl/err.h>

#include "base/error.h"
#include "crypto/crypto.h"
#include "unit/crypto/test_keys.h"

static lc_pkey *pem_key(lc_crypto *cr, const char *pem)
{
    lc_pkey *k = NULL;

    CHECK_OK(lc_pkey_from_pem(cr, pem, strlen(pem), &k));
    return k;
}

static lc_pkey *cert_key(lc_crypto *cr, const char *hex)
{
    size_t len;
    uint8_t *der = test_hex_alloc(hex, &len);
    lc_pkey *k = NULL;

    CHECK_OK(lc_pkey_from_cert_der(cr, der, len, &k));
    free(der);
    return k;
}

static void test_ed25519_rfc8032(void)
{
    static const char *const vec[][4] = {
        /* secret key, public key, message, signature */
        { "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
          "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
          "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
          "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
        { "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
          "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
          "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
          "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
        { "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
          "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
          "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
          "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
    };
    lc_crypto *cr = lc_crypto_new();
    uint8_t sk[32], pk[32], msg[2], want[64], sig[LC_SIG_MAX];
    size_t msglen, siglen = 0;

    CHECK(cr != NULL);
    for (size_t i = 0; i < LC_ARRAY_LEN(vec); i++) {
        lc_pkey *priv = NULL, *pub = NULL;

        test_hex(vec[i][0], sk, sizeof(sk));
        test_hex(vec[i][1], pk, sizeof(pk));
        msglen = test_hex(vec[i][2], msg, sizeof(msg));
        test_hex(vec[i][3], want, sizeof(want));
        CHECK_OK(lc_pkey_ed25519_from_raw(cr, sk, 32, true, &priv));
        CHECK_OK(lc_pkey_ed25519_from_raw(cr, pk, 32, false, &pub));
        if (priv == NULL || pub == NULL) {
            lc_pkey_free(priv);
            lc_pkey_free(pub);
            continue;
        }
        /* Ed25519 is deterministic: the signature is byte-exact */
        CHECK_OK(lc_sig_sign(cr, priv, LC_SIG_ED25519, msg, msglen, sig, sizeof(sig), &siglen));
        CHECK_MEM(sig, siglen, want, 64);
        CHECK_OK(lc_sig_verify(cr, pub, LC_SIG_ED25519, msg, msglen, want, 64));
        CHECK_OK(lc_sig_verify(cr, priv, LC_SIG_ED25519, msg, msglen, want, 64));
        want[i * 20] ^= 0x04;
        CHECK_RC(lc_sig_verify(cr, pub, LC_SIG_ED25519, msg, msglen, want, 64),
                 LC_E_BAD_SIGNATURE);
        want[i * 20] ^= 0x04;
        CHECK_RC(lc_sig_verify(cr, pub, LC_SIG_ED25519, msg, msglen, want, 63),
                 LC_E_BAD_SIGNATURE);
        if (msglen > 0) {
            msg[0] ^= 0x01;
            CHECK_RC(lc_sig_verify(cr, pub, LC_SIG_ED25519, msg, msglen, want, 64),
                     LC_E_BAD_SIGNATURE);
        }
        CHECK(ERR_peek_error() == 0);
        lc_pkey_free(priv);
        lc_pkey_free(pub);
    }
    lc_crypto_free(cr);
}

/* The content a TLS 1.3 server signs (RFC 8446 4.4.3), for a transcript hash given in hex. */
static size_t cv_content(const char *hash_hex, uint8_t *out)
{
    static const char label[] = "TLS 1.3, server CertificateVerify";
    size_t n = 0;

    memset(out, 0x20, 64);
    n = 64;
    memcpy(out + n, label, sizeof(label)); /* with its terminating 0, the separator */
    n += sizeof(label);
    n += test_hex(hash_hex, out + n, 48);
    return n;
}

static void test_rfc8448_certificate_verify(void)
{
    lc_crypto *cr = lc_crypto_new();
    lc_pkey *pub = NULL, *priv = NULL;
    uint8_t content[200], sig[LC_SIG_MAX], n[128], e[3], d[128];
    size_t len, siglen, nlen, elen, dlen;

    CHECK(cr != NULL);
    len = cv_content(RFC8448_CV_TRANSCRIPT_HASH, content);
    pub = cert_key(cr, RFC8448_CERT_DER);
    if (pub == NULL) {
        goto out;
    }
    /* the server's signature from the trace verifies with the certificate's key */
    siglen = test_hex(RFC8448_CV_SIG, sig, sizeof(sig));
    CHECK_OK(lc_sig_verify(cr, pub, LC_SIG_RSA_PSS_RSAE_SHA256, content, len, sig, siglen));
    content[70] ^= 0x01;
    CHECK_RC(lc_sig_verify(cr, pub, LC_SIG_RSA_PSS_RSAE_SHA256, content, len, sig, siglen),
             LC_E_BAD_SIGNATURE);
    content[70] ^= 0x01;

    /* PSS is randomized, so our own signature with the section 2 key can only be verified */
    nlen = test_hex(RFC8448_RSA_N, n, sizeof(n));
    elen = test_hex(RFC8448_RSA_E, e, sizeof(e));
    dlen = test_hex(RFC8448_RSA_D, d, sizeof(d));
    CHECK_OK(lc_pkey_rsa_from_components(cr, n, nlen, e, elen, d, dlen, &priv));
    if (priv == NULL) {
        goto out;
    }
    CHECK_OK(lc_sig_sign(cr, priv, LC_SIG_RSA_PSS_RSAE_SHA256, content, len, sig, sizeof(sig),
                         &siglen));
    CHECK(siglen == 128);
    CHECK_OK(lc_sig_verify(cr, pub, LC_SIG_RSA_PSS_RSAE_SHA256, content, len, sig, siglen));
out:
    lc_pkey_free(pub);
    lc_pkey_free(priv);
    lc_crypto_free(cr);
}

/* Signs and verifies with key under scheme; then a flipped bit in sig or msg must fail. */
static void check_roundtrip(lc_crypto *cr, lc_pkey *key, uint16_t scheme)
{
    uint8_t msg[300], sig[LC_SIG_MAX];
    size_t siglen = 0;

    for (size_t i = 0; i < sizeof(msg); i++) {
        msg[i] = (uint8_t)i;
    }
    CHECK_OK(lc_sig_sign(cr, key, scheme, msg, sizeof(msg), sig, sizeof(sig), &siglen));
    CHECK(siglen > 0 && siglen <= LC_SIG_MAX);
    CHECK_OK(lc_sig_verify(cr, key, scheme, msg, sizeof(msg), sig, siglen));
    sig[siglen / 2] ^= 0x10;
    CHECK_RC(lc_sig_verify(cr, key, scheme, msg, sizeof(msg), sig, siglen), LC_E_BAD_SIGNATURE);
    sig[siglen / 2] ^= 0x10;
    sig[siglen - 1] ^= 0x01;
    CHECK_RC(lc_sig_verify(cr, key, scheme, msg, sizeof(msg), sig, siglen), LC_E_BAD_SIGNATURE);
    sig[siglen - 1] ^= 0x01;
    msg[299] ^= 0x80;
    CHECK_RC(lc_sig_verify(cr, key, scheme, msg, sizeof(msg), sig, siglen), LC_E_BAD_SIGNATURE);
    CHECK_RC(lc_sig_verify(cr, key, scheme, msg, sizeof(msg), sig, 0), LC_E_BAD_SIGNATURE);
    CHECK(ERR_peek_error() == 0);
}

static void test_sign_verify(void)
{
    lc_crypto *cr = lc_crypto_new();
    lc_pkey *p256 = pem_key(cr, P256_PKCS8_PEM);
    lc_pkey *p384 = pem_key(cr, P384_EC_PEM);
    lc_pkey *rsa = pem_key(cr, RSA_TRAD_PEM);
    lc_pkey *ed = pem_key(cr, ED25519_PKCS8_PEM);
    lc_pkey *p521 = NULL;

    CHECK_OK(lc_pkey_generate(cr, LC_KEY_EC_P521, 0, &p521));
    CHECK(p256 != NULL && p384 != NULL && rsa != NULL && ed != NULL && p521 != NULL);
    if (p256 != NULL && p384 != NULL && rsa != NULL && ed != NULL && p521 != NULL) {
        check_roundtrip(cr, p256, LC_SIG_ECDSA_SECP256R1_SHA256);
        check_roundtrip(cr, p384, LC_SIG_ECDSA_SECP384R1_SHA384);
        check_roundtrip(cr, p521, LC_SIG_ECDSA_SECP521R1_SHA512);
        check_roundtrip(cr, rsa, LC_SIG_RSA_PSS_RSAE_SHA256);
        check_roundtrip(cr, rsa, LC_SIG_RSA_PSS_RSAE_SHA384);
        check_roundtrip(cr, rsa, LC_SIG_RSA_PSS_RSAE_SHA512);
        check_roundtrip(cr, ed, LC_SIG_ED25519);
    }
    lc_pkey_free(p256);
    lc_pkey_free(p384);
    lc_pkey_free(p521);
    lc_pkey_free(rsa);
    lc_pkey_free(ed);
    lc_crypto_free(cr);
}

static void test_openssl_signatures(void)
{
    /* signatures from `openssl dgst`, checked with the keys of the matching certificates */
    lc_crypto *cr = lc_crypto_new();
    lc_pkey *rsa = cert_key(cr, RSA_CERT_DER);
    lc_pkey *p256 = cert_key(cr, P256_CERT_DER);
    const uint8_t *msg = (const uint8_t *)SIGNED_MSG;
    size_t len = strlen(SIGNED_MSG), siglen;
    uint8_t sig[LC_SIG_MAX];

    CHECK(rsa != NULL && p256 != NULL);
    if (rsa == NULL || p256 == NULL) {
        goto out;
    }
    siglen = test_hex(RSA_PKCS1_SHA256_SIG, sig, sizeof(sig));
    CHECK_OK(lc_sig_verify(cr, rsa, LC_SIG_RSA_PKCS1_SHA256, msg, len, sig, siglen));
    /* the same bytes are not a valid SHA-384 or PSS signature */
    CHECK_RC(lc_sig_verify(cr, rsa, LC_SIG_RSA_PKCS1_SHA384, msg, len, sig, siglen),
             LC_E_BAD_SIGNATURE);
    CHECK_RC(lc_sig_verify(cr, rsa, LC_SIG_RSA_PSS_RSAE_SHA256, msg, len, sig, siglen),
             LC_E_BAD_SIGNATURE);
    sig[0] ^= 0x01;
    CHECK_RC(lc_sig_verify(cr, rsa, LC_SIG_RSA_PKCS1_SHA256, msg, len, sig, siglen),
             LC_E_BAD_SIGNATURE);
    siglen = test_hex(RSA_PKCS1_SHA384_SIG, sig, sizeof(sig));
    CHECK_OK(lc_sig_verify(cr, rsa, LC_SIG_RSA_PKCS1_SHA384, msg, len, sig, siglen));

    siglen = test_hex(RSA_PSS_SHA256_SIG, sig, sizeof(sig));
    CHECK_OK(lc_sig_verify(cr, rsa, LC_SIG_RSA_PSS_RSAE_SHA256, msg, len, sig, siglen));
    /* 4.2.3: the salt must be as long as the hash; a 20-byte salt is refused */
    siglen = test_hex(RSA_PSS_SALT20_SIG, sig, sizeof(sig));
    CHECK_RC(lc_sig_verify(cr, rsa, LC_SIG_RSA_PSS_RSAE_SHA256, msg, len, sig, siglen),
             LC_E_BAD_SIGNATURE);

    siglen = test_hex(P256_ECDSA_SIG, sig, sizeof(sig));
    CHECK_OK(lc_sig_verify(cr, p256, LC_SIG_ECDSA_SECP256R1_SHA256, msg, len, sig, siglen));
    /* DER that does not parse is a bad signature too, not an internal error */
    sig[0] = 0x31;
    CHECK_RC(lc_sig_verify(cr, p256, LC_SIG_ECDSA_SECP256R1_SHA256, msg, len, sig, siglen),
             LC_E_BAD_SIGNATURE);
    CHECK(ERR_peek_error() == 0);

    /* a public key cannot sign */
    CHECK_RC(lc_sig_sign(cr, p256, LC_SIG_ECDSA_SECP256R1_SHA256, msg, len, sig, sizeof(sig),
                         &siglen),
             LC_E_CRYPTO);
    CHECK(ERR_peek_error() == 0);
out:
    lc_pkey_free(rsa);
    lc_pkey_free(p256);
    lc_crypto_free(cr);
}

static void test_scheme_fits(void)
{
    static const uint16_t all[] = {
        LC_SIG_RSA_PKCS1_SHA256,      LC_SIG_RSA_PKCS1_SHA384,     LC_SIG_RSA_PKCS1_SHA512,
        LC_SIG_ECDSA_SECP256R1_SHA256, LC_SIG_ECDSA_SECP384R1_SHA384,
        LC_SIG_ECDSA_SECP521R1_SHA512, LC_SIG_RSA_PSS_RSAE_SHA256,  LC_SIG_RSA_PSS_RSAE_SHA384,
        LC_SIG_RSA_PSS_RSAE_SHA512,   LC_SIG_ED25519,              LC_SIG_ED448,
        LC_SIG_RSA_PSS_PSS_SHA256,    LC_SIG_RSA_PSS_PSS_SHA384,   LC_SIG_RSA_PSS_PSS_SHA512,
        0x0201, /* rsa_pkcs1_sha1 */  0x0203, /* ecdsa_sha1 */     0xffff,
    };
    lc_crypto *cr = lc_crypto_new();
    lc_pkey *keys[5] = {
        pem_key(cr, RSA_TRAD_PEM), pem_key(cr, P256_PKCS8_PEM), pem_key(cr, P384_EC_PEM),
        pem_key(cr, ED25519_PKCS8_PEM), NULL,
    };
    /* for each key, the schemes that fit it in CertificateVerify */
    static const uint16_t fits[5][3] = {
        { LC_SIG_RSA_PSS_RSAE_SHA256, LC_SIG_RSA_PSS_RSAE_SHA384, LC_SIG_RSA_PSS_RSAE_SHA512 },
        { LC_SIG_ECDSA_SECP256R1_SHA256 },
        { LC_SIG_ECDSA_SECP384R1_SHA384 },
        { LC_SIG_ED25519 },
        { LC_SIG_ECDSA_SECP521R1_SHA512 },
    };
    const uint8_t msg[10] = { 0 };
    uint8_t sig[LC_SIG_MAX];
    size_t siglen;

    CHECK_OK(lc_pkey_generate(cr, LC_KEY_EC_P521, 0, &keys[4]));
    for (size_t k = 0; k < LC_ARRAY_LEN(keys); k++) {
        if (keys[k] == NULL) {
            CHECK(keys[k] != NULL);
            continue;
        }
        for (size_t s = 0; s < LC_ARRAY_LEN(all); s++) {
            bool want = false;

            for (size_t f = 0; f < 3; f++) {
                want = want || (fits[k][f] != 0 && fits[k][f] == all[s]);
            }
            CHECK(lc_sig_scheme_fits(keys[k], all[s]) == want);
            if (!want) {
                /* a scheme that does not fit cannot sign */
                CHECK_RC(lc_sig_sign(cr, keys[k], all[s], msg, 10, sig, sizeof(sig), &siglen),
                         LC_E_ILLEGAL_PARAMETER);
            }
        }
    }
    /* verify: rsa_pkcs1 is allowed for RSA keys (chains), a curve mismatch is not */
    memset(sig, 0, sizeof(sig));
    CHECK_RC(lc_sig_verify(cr, keys[0], LC_SIG_RSA_PKCS1_SHA256, msg, 10, sig, 256),
             LC_E_BAD_SIGNATURE);
    CHECK_RC(lc_sig_verify(cr, keys[1], LC_SIG_ECDSA_SECP384R1_SHA384, msg, 10, sig, 72),
             LC_E_ILLEGAL_PARAMETER);
    CHECK_RC(lc_sig_verify(cr, keys[1], LC_SIG_RSA_PSS_RSAE_SHA256, msg, 10, sig, 72),
             LC_E_ILLEGAL_PARAMETER);
    CHECK_RC(lc_sig_verify(cr, keys[3], LC_SIG_ED448, msg, 10, sig, 114), LC_E_ILLEGAL_PARAMETER);
    for (size_t k = 0; k < LC_ARRAY_LEN(keys); k++) {
        lc_pkey_free(keys[k]);
    }
    lc_crypto_free(cr);
}

static void test_small_output(void)
{
    /* an ECDSA signature is at most 72 bytes for P-256; a buffer of the actual size is enough */
    lc_crypto *cr = lc_crypto_new();
    lc_pkey *p256 = pem_key(cr, P256_PKCS8_PEM);
    const uint8_t msg[5] = { 1, 2, 3, 4, 5 };
    uint8_t sig[LC_SIG_MAX];
    size_t siglen = 0;

    CHECK(p256 != NULL);
    if (p256 != NULL) {
        CHECK_RC(lc_sig_sign(cr, p256, LC_SIG_ECDSA_SECP256R1_SHA256, msg, 5, sig, 8, &siglen),
                 LC_E_BUFFER_TOO_SMALL);
        CHECK_OK(lc_sig_sign(cr, p256, LC_SIG_ECDSA_SECP256R1_SHA256, msg, 5, sig, 72, &siglen));
        CHECK(siglen >= 8 && siglen <= 72);
    }
    CHECK(ERR_peek_error() == 0);
    lc_pkey_free(p256);
    lc_crypto_free(cr);
}

TEST_MAIN(test_ed25519_rfc8032, test_rfc8448_certificate_verify, test_sign_verify,
          test_openssl_signatures, test_scheme_fits, test_small_output)
