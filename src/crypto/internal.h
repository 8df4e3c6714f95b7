/*
 * What the files of src/crypto/ share and nothing above them sees: the layout
 * of lc_crypto (the algorithms fetched once) and a few small helpers.
 */
#ifndef LC_CRYPTO_INTERNAL_H
#define LC_CRYPTO_INTERNAL_H

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/x509.h>

#include "crypto/cert.h"
#include "crypto/crypto.h"

/*
 * Everything fetched once in lc_crypto_new() and only read afterwards, so one
 * lc_crypto serves every connection of a context, from any thread.
 */
struct lc_crypto {
    EVP_MD *sha256;
    EVP_MD *sha384;
    EVP_MD *sha512;        /* rsa_pss_rsae_sha512, rsa_pkcs1_sha512, ecdsa_secp521r1_sha512 */
    EVP_CIPHER *aes128gcm;
    EVP_CIPHER *aes256gcm;
    EVP_CIPHER *chacha20poly1305;
    /* An X25519 public key that peer keys are copied from (kex.c): a copy costs half of
     * making a key by name, which looks the key type up again each time. */
    EVP_PKEY *x25519_peer;
};

/* A key, with its type worked out once when it is loaded. */
struct lc_pkey {
    EVP_PKEY *pkey;
    enum lc_key_type type;
    /*
     * A DigestSign context set up once for sign_scheme (lc_sig_prepare), or
     * NULL: each signature starts from a copy, not from EVP_DigestSignInit,
     * which looks the signature algorithm and the digest up by name again.
     */
    EVP_MD_CTX *sign_tmpl;
    uint16_t sign_scheme;
};

/* A parsed certificate and its DER encoding (crypto/cert.h). */
struct lc_cert {
    X509 *x509;
    lc_der der; /* the encoding, made once (lc_cert_der hands out a view) */
};

/* Wraps x (taken over, freed on failure) in a new lc_cert with its DER encoding. */
LC_MUST_CHECK int lc_cert_wrap(X509 *x, lc_cert **out);
/* The same when the encoding is at hand: der[0..len) is copied (x is taken over). */
LC_MUST_CHECK int lc_cert_adopt(X509 *x, const uint8_t *der, size_t len, lc_cert **out);

/* The fetched digest for a hash algorithm, NULL for an unknown one. */
const EVP_MD *lc_crypto_md(const lc_crypto *cr, enum lc_hash_alg alg);

/* The fetched cipher for an AEAD algorithm, NULL for an unknown one. */
const EVP_CIPHER *lc_crypto_cipher(const lc_crypto *cr, enum lc_aead_alg alg);

/*
 * An HMAC in progress (hmac.c, RFC 2104): begin with the key, update, finish;
 * restart starts a new message under the same key (HKDF-Expand's blocks).
 * end wipes the key and frees the digest context, also after a failure.
 */
#define LC_HMAC_BLOCK_MAX 128 /* SHA-384's block */

typedef struct lc_hmac_state {
    EVP_MD_CTX *md;
    const EVP_MD *evp;
    size_t hlen, block;
    uint8_t key[LC_HMAC_BLOCK_MAX]; /* K padded with zeros to the block (or H(K)) */
} lc_hmac_state;

LC_MUST_CHECK int lc_hmac_begin(lc_hmac_state *h, const lc_crypto *cr, enum lc_hash_alg alg,
                                const uint8_t *key, size_t keylen);
LC_MUST_CHECK int lc_hmac_restart(lc_hmac_state *h);
LC_MUST_CHECK int lc_hmac_update(lc_hmac_state *h, const void *data, size_t len);
LC_MUST_CHECK int lc_hmac_finish(lc_hmac_state *h, uint8_t *out);
void lc_hmac_end(lc_hmac_state *h);

/*
 * Returns code after emptying OpenSSL's error queue, so that a failure leaves
 * no state behind for unrelated code to trip over: `return lc_crypto_fail(LC_E_CRYPTO);`.
 */
int lc_crypto_fail(int code);

#endif
