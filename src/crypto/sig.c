/*
 * Signatures for CertificateVerify (RFC 8446 4.4.3) and for checking
 * certificate chains: the SignatureSchemes of RFC 8446 4.2.3 as a table.
 *
 * ECDSA signatures are DER (RFC 8446 4.2.3: "ECDSA-Sig-Value"); RSASSA-PSS
 * uses MGF1 with the scheme's hash and a salt as long as the hash, on both
 * sides (4.2.3); Ed25519 is pure EdDSA over the message (RFC 8032 5.1).
 * rsa_pkcs1_* verify only, and only for chains: they never fit a key for
 * CertificateVerify (lc_sig_scheme_fits).
 */
#include "crypto/crypto.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "base/error.h"
#include "crypto/internal.h"

enum sig_hash {
    HASH_NONE,   /* Ed25519 hashes internally */
    HASH_SHA256,
    HASH_SHA384,
    HASH_SHA512,
};

struct scheme {
    uint16_t id;
    enum lc_key_type key;   /* the one key type the scheme goes with */
    enum sig_hash hash;
    int padding;            /* RSA: RSA_PKCS1_PSS_PADDING or RSA_PKCS1_PADDING; else 0 */
    bool tls13;             /* allowed in a TLS 1.3 CertificateVerify */
};

static const struct scheme schemes[] = {
    { LC_SIG_ECDSA_SECP256R1_SHA256, LC_KEY_EC_P256, HASH_SHA256, 0, true },
    { LC_SIG_ECDSA_SECP384R1_SHA384, LC_KEY_EC_P384, HASH_SHA384, 0, true },
    { LC_SIG_ECDSA_SECP521R1_SHA512, LC_KEY_EC_P521, HASH_SHA512, 0, true },
    { LC_SIG_RSA_PSS_RSAE_SHA256, LC_KEY_RSA, HASH_SHA256, RSA_PKCS1_PSS_PADDING, true },
    { LC_SIG_RSA_PSS_RSAE_SHA384, LC_KEY_RSA, HASH_SHA384, RSA_PKCS1_PSS_PADDING, true },
    { LC_SIG_RSA_PSS_RSAE_SHA512, LC_KEY_RSA, HASH_SHA512, RSA_PKCS1_PSS_PADDING, true },
    { LC_SIG_ED25519, LC_KEY_ED25519, HASH_NONE, 0, true },
    /* 4.2.3: "legacy algorithms", only for signatures in certificates */
    { LC_SIG_RSA_PKCS1_SHA256, LC_KEY_RSA, HASH_SHA256, RSA_PKCS1_PADDING, false },
    { LC_SIG_RSA_PKCS1_SHA384, LC_KEY_RSA, HASH_SHA384, RSA_PKCS1_PADDING, false },
    { LC_SIG_RSA_PKCS1_SHA512, LC_KEY_RSA, HASH_SHA512, RSA_PKCS1_PADDING, false },
};

static const struct scheme *find_scheme(uint16_t id)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(schemes); i++) {
        if (schemes[i].id == id) {
            return &schemes[i];
        }
    }
    return NULL;
}

static const EVP_MD *scheme_md(const lc_crypto *cr, const struct scheme *s)
{
    switch (s->hash) {
    case HASH_SHA256:
        return cr->sha256;
    case HASH_SHA384:
        return cr->sha384;
    case HASH_SHA512:
        return cr->sha512;
    case HASH_NONE:
        break;
    }
    return NULL;
}

bool lc_sig_scheme_fits(const lc_pkey *k, uint16_t scheme)
{
    const struct scheme *s = find_scheme(scheme);

    return s != NULL && s->tls13 && s->key == k->type;
}

/*
 * Starts a DigestSign or DigestVerify over key with scheme's hash and, for
 * RSA, its padding: PSS with MGF1 over the same hash and salt = hash length.
 */
static int start(const lc_crypto *cr, EVP_MD_CTX *mctx, const lc_pkey *key,
                 const struct scheme *s, bool sign)
{
    const EVP_MD *md = scheme_md(cr, s);
    EVP_PKEY_CTX *pctx = NULL;
    int ok;

    if (sign) {
        ok = EVP_DigestSignInit(mctx, &pctx, md, NULL, key->pkey);
    } else {
        ok = EVP_DigestVerifyInit(mctx, &pctx, md, NULL, key->pkey);
    }
    if (ok != 1) {
        return LC_E_CRYPTO;
    }
    if (s->padding == 0) {
        return 0;
    }
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, s->padding) != 1) {
        return LC_E_CRYPTO;
    }
    /* RSA_PSS_SALTLEN_DIGEST: on verify too, so only salt = hash length is accepted (4.2.3) */
    if (s->padding == RSA_PKCS1_PSS_PADDING &&
        (EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1)) {
        return LC_E_CRYPTO;
    }
    return 0;
}

int lc_sig_prepare(const lc_crypto *cr, lc_pkey *key)
{
    /* the one TLS 1.3 scheme of each ECDSA curve (RFC 8446 4.2.3) */
    uint16_t scheme = key->type == LC_KEY_EC_P256   ? LC_SIG_ECDSA_SECP256R1_SHA256
                      : key->type == LC_KEY_EC_P384 ? LC_SIG_ECDSA_SECP384R1_SHA384
                                                    : 0;
    EVP_MD_CTX *mctx;

    if (scheme == 0 || key->sign_tmpl != NULL) {
        return 0;
    }
    if ((mctx = EVP_MD_CTX_new()) == NULL) {
        return LC_E_NO_MEMORY;
    }
    if (start(cr, mctx, key, find_scheme(scheme), true) != 0) {
        EVP_MD_CTX_free(mctx);
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    key->sign_tmpl = mctx;
    key->sign_scheme = scheme;
    return 0;
}

int lc_sig_sign(const lc_crypto *cr, lc_pkey *key, uint16_t scheme, const uint8_t *msg,
                size_t len, uint8_t *sig, size_t cap, size_t *siglen)
{
    const struct scheme *s = find_scheme(scheme);
    EVP_MD_CTX *mctx = NULL;
    uint8_t buf[LC_SIG_MAX];
    size_t max = 0, got;
    int rc;

    if (!lc_sig_scheme_fits(key, scheme)) {
        return LC_E_ILLEGAL_PARAMETER;
    }
    mctx = EVP_MD_CTX_new();
    if (mctx == NULL) {
        return LC_E_NO_MEMORY;
    }
    /* the prepared context when there is one: copying it reads it only, so threads may share it */
    if (key->sign_tmpl != NULL && key->sign_scheme == scheme) {
        rc = EVP_MD_CTX_copy_ex(mctx, key->sign_tmpl) == 1 ? 0 : LC_E_CRYPTO;
    } else {
        rc = start(cr, mctx, key, s, true);
    }
    if (rc != 0) {
        goto out;
    }
    /*
     * One-shot EVP_DigestSign, which Ed25519 requires. Ask for the largest
     * size first: an ECDSA signature may come out shorter, so sign into a
     * local buffer when the caller's is smaller than the largest.
     */
    rc = LC_E_CRYPTO;
    if (EVP_DigestSign(mctx, NULL, &max, msg, len) != 1) {
        goto out;
    }
    if (max > sizeof(buf)) {
        rc = LC_E_BUFFER_TOO_SMALL;
        goto out;
    }
    got = max;
    if (EVP_DigestSign(mctx, max <= cap ? sig : buf, &got, msg, len) != 1) {
        goto out;
    }
    if (max > cap) {
        if (got > cap) {
            rc = LC_E_BUFFER_TOO_SMALL;
            goto out;
        }
        memcpy(sig, buf, got);
    }
    *siglen = got;
    rc = 0;
out:
    EVP_MD_CTX_free(mctx);
    if (rc != 0) {
        lc_crypto_fail(rc);
    }
    return rc;
}

int lc_sig_verify(const lc_crypto *cr, lc_pkey *key, uint16_t scheme, const uint8_t *msg,
                  size_t len, const uint8_t *sig, size_t siglen)
{
    const struct scheme *s = find_scheme(scheme);
    EVP_MD_CTX *mctx = NULL;
    int rc;

    /* Here rsa_pkcs1_* are allowed too (chains); the curve must still match. */
    if (s == NULL || s->key != key->type) {
        return LC_E_ILLEGAL_PARAMETER;
    }
    mctx = EVP_MD_CTX_new();
    if (mctx == NULL) {
        return LC_E_NO_MEMORY;
    }
    rc = start(cr, mctx, key, s, false);
    if (rc == 0 && EVP_DigestVerify(mctx, sig, siglen, msg, len) != 1) {
        /* 0 is a wrong signature, < 0 one that does not even parse: both are decrypt_error */
        rc = LC_E_BAD_SIGNATURE;
    }
    EVP_MD_CTX_free(mctx);
    if (rc != 0) {
        lc_crypto_fail(rc);
    }
    return rc;
}
