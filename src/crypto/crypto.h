/*
 * The crypto layer: everything Lucid needs from OpenSSL's libcrypto.
 *
 * This folder holds the only files that include <openssl/...>. Above it the
 * code sees opaque types and functions that return 0 or an LC_E_* code.
 *
 * Algorithm objects (EVP_MD, EVP_CIPHER, EVP_MAC) are fetched once
 * into an lc_crypto, which a lucid_ctx owns and every connection shares
 * read-only; nothing here has mutable static state. Code points are the IANA
 * numbers of RFC 8446 4.2.3 (SignatureScheme) and 4.2.7 (NamedGroup).
 */
#ifndef LC_CRYPTO_CRYPTO_H
#define LC_CRYPTO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"

/* ---- the library handle --------------------------------------------------------------- */

typedef struct lc_crypto lc_crypto;

/* Fetches every algorithm once. NULL on failure. */
lc_crypto *lc_crypto_new(void);
void lc_crypto_free(lc_crypto *cr);

/* ---- randomness, comparison, wiping ------------------------------------------------- */

/* Fills buf with n bytes from the CSPRNG (RAND_bytes). */
LC_MUST_CHECK int lc_random(void *buf, size_t n);

/* 1 if the n bytes at a and b are equal, else 0, in time that depends only on n. */
int lc_ct_equal(const void *a, const void *b, size_t n);

/* Overwrites n bytes at p with zeros in a way the compiler cannot remove. */
void lc_wipe(void *p, size_t n);

/* ---- hashes, HMAC, HKDF --------------------------------------------------------------- */

enum lc_hash_alg {
    LC_SHA256,
    LC_SHA384,
};

#define LC_HASH_MAX 48

size_t lc_hash_len(enum lc_hash_alg alg);

/* One-shot digest into out (lc_hash_len(alg) bytes). */
LC_MUST_CHECK int lc_hash(const lc_crypto *cr, enum lc_hash_alg alg, const void *data,
                          size_t len, uint8_t *out);

/* An incremental hash (the transcript). */
typedef struct lc_hash_ctx lc_hash_ctx;

lc_hash_ctx *lc_hash_new(const lc_crypto *cr, enum lc_hash_alg alg);
LC_MUST_CHECK int lc_hash_update(lc_hash_ctx *h, const void *data, size_t len);
/* The digest of everything so far; h keeps going (a snapshot, for the transcript). */
LC_MUST_CHECK int lc_hash_peek(const lc_hash_ctx *h, uint8_t *out);
/* Starts over, empty. */
LC_MUST_CHECK int lc_hash_reset(lc_hash_ctx *h);
enum lc_hash_alg lc_hash_ctx_alg(const lc_hash_ctx *h);
void lc_hash_free(lc_hash_ctx *h);

/* HMAC(key, data) into out (lc_hash_len(alg) bytes). */
LC_MUST_CHECK int lc_hmac(const lc_crypto *cr, enum lc_hash_alg alg, const uint8_t *key,
                          size_t keylen, const void *data, size_t len, uint8_t *out);

/* HKDF-Extract(salt, ikm) (RFC 5869 2.2) into prk (lc_hash_len(alg) bytes). */
LC_MUST_CHECK int lc_hkdf_extract(const lc_crypto *cr, enum lc_hash_alg alg, const uint8_t *salt,
                                  size_t saltlen, const uint8_t *ikm, size_t ikmlen,
                                  uint8_t *prk);

/* HKDF-Expand(prk, info, outlen) (RFC 5869 2.3). */
LC_MUST_CHECK int lc_hkdf_expand(const lc_crypto *cr, enum lc_hash_alg alg, const uint8_t *prk,
                                 size_t prklen, const uint8_t *info, size_t infolen,
                                 uint8_t *out, size_t outlen);

/* ---- AEAD ---------------------------------------------------------------------------- */

enum lc_aead_alg {
    LC_AES_128_GCM,
    LC_AES_256_GCM,
    LC_CHACHA20_POLY1305,
};

#define LC_AEAD_KEY_MAX 32
#define LC_AEAD_NONCE_LEN 12
#define LC_AEAD_TAG_LEN 16

size_t lc_aead_key_len(enum lc_aead_alg alg);

/*
 * One cipher context per direction: created once, re-keyed with
 * lc_aead_set_key() (KeyUpdate, epoch changes), never re-created per record,
 * and no allocation in seal/open.
 */
typedef struct lc_aead_ctx lc_aead_ctx;

lc_aead_ctx *lc_aead_new(const lc_crypto *cr, enum lc_aead_alg alg, bool encrypt);
/* Changes the algorithm too, if alg differs (for a new cipher suite). */
LC_MUST_CHECK int lc_aead_set_key(lc_aead_ctx *c, enum lc_aead_alg alg, const uint8_t *key);
void lc_aead_free(lc_aead_ctx *c);

/*
 * Encrypts len bytes of in and writes len + LC_AEAD_TAG_LEN bytes to out
 * (ciphertext then tag). out may equal in (in place).
 */
LC_MUST_CHECK int lc_aead_seal(lc_aead_ctx *c, const uint8_t nonce[LC_AEAD_NONCE_LEN],
                               const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
                               uint8_t *out);

/*
 * lc_aead_seal for a plaintext in two parts: the headlen bytes at head (which
 * do not overlap out, or are out itself), then the len - headlen bytes already
 * at out + headlen. The ciphertext of all len bytes goes to out, the tag after
 * it. The record layer seals the caller's data straight into the output queue
 * this way, behind which it has put the inner content type (record/protect.c),
 * with no copy of the data first.
 */
LC_MUST_CHECK int lc_aead_seal_split(lc_aead_ctx *c, const uint8_t nonce[LC_AEAD_NONCE_LEN],
                                     const uint8_t *aad, size_t aadlen, const uint8_t *head,
                                     size_t headlen, uint8_t *out, size_t len);

/*
 * Decrypts len bytes of in (ciphertext then tag, len >= LC_AEAD_TAG_LEN) and
 * writes len - LC_AEAD_TAG_LEN bytes of plaintext to out (may equal in).
 * LC_E_BAD_RECORD_MAC if the tag does not verify; out is then zeroed.
 */
LC_MUST_CHECK int lc_aead_open(lc_aead_ctx *c, const uint8_t nonce[LC_AEAD_NONCE_LEN],
                               const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
                               uint8_t *out);

/* ---- key exchange (RFC 8446 4.2.8, 7.4) --------------------------------------------- */

/* NamedGroup code points. */
enum lc_group {
    LC_GROUP_SECP256R1 = 0x0017,
    LC_GROUP_SECP384R1 = 0x0018,
    LC_GROUP_X25519 = 0x001d,
    LC_GROUP_FFDHE2048 = 0x0100,
    LC_GROUP_FFDHE3072 = 0x0101,
};

/* The largest key_exchange value (ffdhe3072: 384 bytes) and shared secret. */
#define LC_KEX_PUB_MAX 384
#define LC_KEX_SHARED_MAX 384

/* True if this layer implements the group. */
bool lc_kex_supported(uint16_t group);
/* The length of the group's key_exchange value (32, 65, 97, 256, 384), 0 if unsupported. */
size_t lc_kex_pub_len(uint16_t group);

/* An ephemeral private key. */
typedef struct lc_kex lc_kex;

/* Makes a fresh key pair and writes our key_exchange value (RFC 8446 4.2.8.1-2 encoding). */
LC_MUST_CHECK int lc_kex_generate(const lc_crypto *cr, uint16_t group, lc_kex **out, uint8_t *pub,
                                  size_t cap, size_t *publen);

/*
 * The same from a given private key (tests replaying RFC 8448, deterministic
 * fuzzing): X25519 takes the 32-byte scalar, the NIST curves the big-endian
 * scalar, FFDHE the big-endian exponent.
 */
LC_MUST_CHECK int lc_kex_from_private(const lc_crypto *cr, uint16_t group, const uint8_t *priv,
                                      size_t privlen, lc_kex **out, uint8_t *pub, size_t cap,
                                      size_t *publen);

/*
 * The shared secret with the peer's key_exchange value. The peer's value is
 * validated first and a bad one is LC_E_BAD_KEY_SHARE (illegal_parameter):
 * a wrong length, a point not on the curve or at infinity (4.2.8.2), an FFDHE
 * value outside 1 < Y < p-1 (4.2.8.1), an all-zero X25519 result (7.4.2).
 * FFDHE secrets are left-padded to the size of p (7.4.1); ECDHE secrets are
 * the x-coordinate (7.4.2).
 */
LC_MUST_CHECK int lc_kex_derive(lc_kex *k, const uint8_t *peer, size_t peerlen, uint8_t *shared,
                                size_t cap, size_t *sharedlen);
uint16_t lc_kex_group(const lc_kex *k);
void lc_kex_free(lc_kex *k);

/* ---- signatures (RFC 8446 4.2.3, 4.4.3) --------------------------------------------- */

/* SignatureScheme code points. */
enum lc_sig_scheme {
    LC_SIG_RSA_PKCS1_SHA256 = 0x0401,
    LC_SIG_RSA_PKCS1_SHA384 = 0x0501,
    LC_SIG_RSA_PKCS1_SHA512 = 0x0601,
    LC_SIG_ECDSA_SECP256R1_SHA256 = 0x0403,
    LC_SIG_ECDSA_SECP384R1_SHA384 = 0x0503,
    LC_SIG_ECDSA_SECP521R1_SHA512 = 0x0603,
    LC_SIG_RSA_PSS_RSAE_SHA256 = 0x0804,
    LC_SIG_RSA_PSS_RSAE_SHA384 = 0x0805,
    LC_SIG_RSA_PSS_RSAE_SHA512 = 0x0806,
    LC_SIG_ED25519 = 0x0807,
    LC_SIG_ED448 = 0x0808,
    LC_SIG_RSA_PSS_PSS_SHA256 = 0x0809,
    LC_SIG_RSA_PSS_PSS_SHA384 = 0x080a,
    LC_SIG_RSA_PSS_PSS_SHA512 = 0x080b,
};

/* The largest signature we make or check (RSA-4096). */
#define LC_SIG_MAX 512

enum lc_key_type {
    LC_KEY_NONE,
    LC_KEY_RSA,
    LC_KEY_EC_P256,
    LC_KEY_EC_P384,
    LC_KEY_EC_P521,
    LC_KEY_ED25519,
    LC_KEY_OTHER,
};

/* A public or private key. */
typedef struct lc_pkey lc_pkey;

/* A private key from PEM (PKCS#8, "EC PRIVATE KEY" or "RSA PRIVATE KEY") in memory. */
LC_MUST_CHECK int lc_pkey_from_pem(const lc_crypto *cr, const void *pem, size_t len,
                                   lc_pkey **out);
/* The public key of a DER X.509 certificate. */
LC_MUST_CHECK int lc_pkey_from_cert_der(const lc_crypto *cr, const uint8_t *der, size_t len,
                                        lc_pkey **out);
/* The public key of a certificate already parsed (crypto/cert.h): no second parse. */
struct lc_cert;
LC_MUST_CHECK int lc_pkey_from_cert(const struct lc_cert *c, lc_pkey **out);
/* An RSA private key from its big-endian components (RFC 8448 section 2 gives these). */
LC_MUST_CHECK int lc_pkey_rsa_from_components(const lc_crypto *cr, const uint8_t *n, size_t nlen,
                                              const uint8_t *e, size_t elen, const uint8_t *d,
                                              size_t dlen, lc_pkey **out);
enum lc_key_type lc_pkey_type(const lc_pkey *k);
/* Bits of the key: the RSA modulus, the curve size (256 for Ed25519). */
unsigned lc_pkey_bits(const lc_pkey *k);
void lc_pkey_free(lc_pkey *k);
/*
 * A fresh private key of the given type; bits is the RSA modulus size
 * (1024..4096) and is ignored for the others. For tests and certificate tools.
 */
LC_MUST_CHECK int lc_pkey_generate(const lc_crypto *cr, enum lc_key_type type, unsigned bits,
                                   lc_pkey **out);
/*
 * An Ed25519 key from its 32 raw bytes (RFC 8032 5.1.5): the private seed
 * when priv is true, else the public key. For known-answer tests.
 */
LC_MUST_CHECK int lc_pkey_ed25519_from_raw(const lc_crypto *cr, const uint8_t *raw, size_t len,
                                           bool priv, lc_pkey **out);

/*
 * True if scheme can be used with this key in TLS 1.3 CertificateVerify:
 * ECDSA schemes only with their own curve, rsa_pss_rsae_* with RSA keys,
 * ed25519 with Ed25519 keys; never rsa_pkcs1_* (RFC 8446 4.2.3).
 */
bool lc_sig_scheme_fits(const lc_pkey *k, uint16_t scheme);

/*
 * Signs msg with scheme (ECDSA in DER, RSA-PSS with salt = hash length,
 * Ed25519 pure). Writes up to cap bytes to sig.
 */
LC_MUST_CHECK int lc_sig_sign(const lc_crypto *cr, lc_pkey *key, uint16_t scheme,
                              const uint8_t *msg, size_t len, uint8_t *sig, size_t cap,
                              size_t *siglen);

/*
 * Sets up key's signing context once, for a private key that signs many
 * handshakes (a server's certificate key, lucid_ctx_add_cert): later
 * lc_sig_sign calls with the scheme that fits start from a copy of it.
 * ECDSA keys only (one scheme fits each); others are left as they are.
 * Call before the key is shared between threads.
 */
LC_MUST_CHECK int lc_sig_prepare(const lc_crypto *cr, lc_pkey *key);

/*
 * Verifies sig over msg. rsa_pkcs1_* are accepted here for checking chains;
 * the handshake refuses them in CertificateVerify. LC_E_BAD_SIGNATURE
 * (decrypt_error) when it does not verify, LC_E_ILLEGAL_PARAMETER when the
 * scheme does not fit the key.
 */
LC_MUST_CHECK int lc_sig_verify(const lc_crypto *cr, lc_pkey *key, uint16_t scheme,
                                const uint8_t *msg, size_t len, const uint8_t *sig,
                                size_t siglen);

#endif
