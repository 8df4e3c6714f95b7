/*
 * Loading keys: a private key from PEM, the public key of an X.509
 * certificate (RFC 5280 4.1.2.7), an RSA key from its components (as RFC 8448
 * section 2 prints it), and, for tests and tools, fresh or raw keys.
 *
 * Each key's type (RSA, which EC curve, Ed25519) is worked out once here, so
 * that choosing a SignatureScheme (RFC 8446 4.2.3) is a table lookup.
 */
#include "crypto/crypto.h"

#include <limits.h>
#include <stdlib.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "base/error.h"
#include "crypto/internal.h"

/* The lc_key_type of a libcrypto key. */
static enum lc_key_type key_type(const EVP_PKEY *pkey)
{
    char name[64];
    size_t len = 0;
    int nid;

    if (EVP_PKEY_is_a(pkey, "RSA")) {
        /* plain rsaEncryption keys only: id-RSASSA-PSS keys ("RSA-PSS") are OTHER */
        return LC_KEY_RSA;
    }
    if (EVP_PKEY_is_a(pkey, "ED25519")) {
        return LC_KEY_ED25519;
    }
    if (!EVP_PKEY_is_a(pkey, "EC") ||
        EVP_PKEY_get_group_name(pkey, name, sizeof(name), &len) != 1) {
        return LC_KEY_OTHER;
    }
    /* libcrypto names curves by their short names ("prime256v1") or NIST names ("P-256") */
    nid = OBJ_txt2nid(name);
    if (nid == NID_undef) {
        nid = EC_curve_nist2nid(name);
    }
    switch (nid) {
    case NID_X9_62_prime256v1:
        return LC_KEY_EC_P256;
    case NID_secp384r1:
        return LC_KEY_EC_P384;
    case NID_secp521r1:
        return LC_KEY_EC_P521;
    default:
        return LC_KEY_OTHER;
    }
}

/* Wraps pkey (taking ownership) in an lc_pkey. */
static int wrap(EVP_PKEY *pkey, lc_pkey **out)
{
    lc_pkey *k = calloc(1, sizeof(*k));

    if (k == NULL) {
        EVP_PKEY_free(pkey);
        return LC_E_NO_MEMORY;
    }
    k->pkey = pkey;
    k->type = key_type(pkey);
    *out = k;
    /* key_type's lookups may leave errors behind for unknown names */
    ERR_clear_error();
    return 0;
}

/* A passphrase callback that has none: an encrypted key fails instead of prompting. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

int lc_pkey_from_pem(const lc_crypto *cr, const void *pem, size_t len, lc_pkey **out)
{
    BIO *bio;
    EVP_PKEY *pkey;

    /*
     * Keys are configuration: whatever goes wrong reading one is LC_E_CONFIG,
     * so the caller can name the file. A read-only memory BIO copies nothing.
     */
    (void)cr;
    *out = NULL;
    if (len > INT_MAX) {
        return LC_E_CONFIG;
    }
    bio = BIO_new_mem_buf(pem, (int)len);
    if (bio == NULL) {
        return lc_crypto_fail(LC_E_NO_MEMORY);
    }
    /* The decoders take PKCS#8 and the traditional "EC/RSA PRIVATE KEY" forms alike. */
    pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
    BIO_free(bio);
    if (pkey == NULL) {
        return lc_crypto_fail(LC_E_CONFIG);
    }
    return wrap(pkey, out);
}

int lc_pkey_from_cert_der(const lc_crypto *cr, const uint8_t *der, size_t len, lc_pkey **out)
{
    const unsigned char *p = der;
    X509 *x;
    EVP_PKEY *pkey;

    /*
     * The bytes come from the peer: anything that does not parse is the
     * peer's bad_certificate (RFC 8446 6.2), not our internal error.
     */
    (void)cr;
    *out = NULL;
    if (len > LONG_MAX) {
        return LC_E_BAD_CERTIFICATE;
    }
    x = d2i_X509(NULL, &p, (long)len);
    /* RFC 8446 4.4.2: cert_data is one DER certificate, with nothing after it. */
    if (x == NULL || p != der + len) {
        X509_free(x);
        return lc_crypto_fail(LC_E_BAD_CERTIFICATE);
    }
    /*
     * NULL for a key algorithm libcrypto does not know: unsupported_certificate.
     * The key holds its own reference, so the certificate can go at once.
     */
    pkey = X509_get_pubkey(x);
    X509_free(x);
    if (pkey == NULL) {
        return lc_crypto_fail(LC_E_UNSUPPORTED_CERTIFICATE);
    }
    return wrap(pkey, out);
}

int lc_pkey_from_cert(const lc_cert *c, lc_pkey **out)
{
    /* the key holds its own reference: it outlives the certificate */
    EVP_PKEY *pkey = X509_get_pubkey(c->x509);

    *out = NULL;
    if (pkey == NULL) {
        return lc_crypto_fail(LC_E_UNSUPPORTED_CERTIFICATE);
    }
    return wrap(pkey, out);
}

int lc_pkey_rsa_from_components(const lc_crypto *cr, const uint8_t *n, size_t nlen,
                                const uint8_t *e, size_t elen, const uint8_t *d, size_t dlen,
                                lc_pkey **out)
{
    BIGNUM *bn_n = BN_bin2bn(n, (int)nlen, NULL);
    BIGNUM *bn_e = BN_bin2bn(e, (int)elen, NULL);
    BIGNUM *bn_d = BN_secure_new();
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;
    int rc = LC_E_CRYPTO;

    /* d is the secret: it goes into secure-heap BIGNUMs, which are cleared when freed. */
    (void)cr;
    *out = NULL;
    if (nlen > INT_MAX || elen > INT_MAX || dlen > INT_MAX) {
        rc = LC_E_BAD_ARGUMENT;
        goto out;
    }
    if (bn_n == NULL || bn_e == NULL || bn_d == NULL || bld == NULL ||
        BN_bin2bn(d, (int)dlen, bn_d) == NULL) {
        goto out;
    }
    /* n, e and d suffice: without the primes libcrypto signs with d directly (no CRT) */
    if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, bn_d) != 1) {
        goto out;
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params) != 1) {
        goto out;
    }
    rc = wrap(pkey, out);
out:
    /* d is a secure BIGNUM, so its copy in params is in the secure block OSSL_PARAM_free clears */
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    BN_clear_free(bn_d);
    BN_free(bn_e);
    BN_free(bn_n);
    if (rc != 0) {
        lc_crypto_fail(rc);
    }
    return rc;
}

int lc_pkey_generate(const lc_crypto *cr, enum lc_key_type type, unsigned bits, lc_pkey **out)
{
    EVP_PKEY *pkey = NULL;

    /* EVP_PKEY_Q_keygen picks the defaults: e = 65537 for RSA, named curves for EC. */
    (void)cr;
    *out = NULL;
    switch (type) {
    case LC_KEY_RSA:
        if (bits < 1024 || bits > 8 * LC_SIG_MAX) {
            return LC_E_BAD_ARGUMENT;
        }
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
        break;
    case LC_KEY_EC_P256:
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        break;
    case LC_KEY_EC_P384:
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
        break;
    case LC_KEY_EC_P521:
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
        break;
    case LC_KEY_ED25519:
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
        break;
    default:
        return LC_E_BAD_ARGUMENT;
    }
    if (pkey == NULL) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    return wrap(pkey, out);
}

int lc_pkey_ed25519_from_raw(const lc_crypto *cr, const uint8_t *raw, size_t len, bool priv,
                             lc_pkey **out)
{
    EVP_PKEY *pkey;

    (void)cr;
    *out = NULL;
    /* RFC 8032 5.1.5: the private key is a 32-byte seed; the public key is 32 bytes too */
    if (len != 32) {
        return LC_E_BAD_ARGUMENT;
    }
    if (priv) {
        pkey = EVP_PKEY_new_raw_private_key_ex(NULL, "ED25519", NULL, raw, len);
    } else {
        pkey = EVP_PKEY_new_raw_public_key_ex(NULL, "ED25519", NULL, raw, len);
    }
    if (pkey == NULL) {
        return lc_crypto_fail(LC_E_BAD_ARGUMENT);
    }
    return wrap(pkey, out);
}

enum lc_key_type lc_pkey_type(const lc_pkey *k)
{
    return k->type;
}

/* For Ed25519 libcrypto reports 256 (the key size), not the 253 bits of the group order. */
unsigned lc_pkey_bits(const lc_pkey *k)
{
    int bits = EVP_PKEY_get_bits(k->pkey);

    return bits > 0 ? (unsigned)bits : 0;
}

void lc_pkey_free(lc_pkey *k)
{
    if (k == NULL) {
        return;
    }
    EVP_MD_CTX_free(k->sign_tmpl);
    EVP_PKEY_free(k->pkey);
    free(k);
}
