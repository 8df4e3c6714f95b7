/*
 * AEAD record protection: AES-128-GCM, AES-256-GCM (RFC 5116, 5288) and
 * ChaCha20-Poly1305 (RFC 8439), as TLS 1.3 uses them (RFC 8446 5.2-5.3).
 *
 * Implementation notes. Each direction owns one EVP_CIPHER_CTX, made in
 * lc_aead_new. lc_aead_set_key keys it (and changes the cipher only when the
 * algorithm changes, since that replaces libcrypto's internal context). Per
 * record, only the nonce is set: EVP_CipherInit_ex2 with no cipher and no key
 * keeps the expanded key schedule and restarts the AEAD state. Nothing is
 * allocated per record. The 16-byte tag follows the ciphertext (RFC 8446 5.2).
 * Seal takes its plaintext in two parts (lc_aead_seal_split), two Updates of
 * one stream, so that the record layer encrypts the caller's data from where
 * it lies and the content type byte behind it in place, without first
 * copying the data next to that byte.
 */
#include "crypto/crypto.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "base/error.h"
#include "crypto/internal.h"

struct lc_aead_ctx {
    const lc_crypto *cr;
    EVP_CIPHER_CTX *ctx;
    enum lc_aead_alg alg;   /* the cipher ctx is set up for, when cipher_ok */
    bool encrypt;
    bool cipher_ok;         /* ctx holds alg's cipher (false after a failed set_key) */
    bool keyed;             /* the last set_key succeeded: seal/open may run */
};

size_t lc_aead_key_len(enum lc_aead_alg alg)
{
    switch (alg) {
    case LC_AES_128_GCM:
        return 16;
    case LC_AES_256_GCM:
    case LC_CHACHA20_POLY1305:
        return 32;
    }
    return 0;
}

lc_aead_ctx *lc_aead_new(const lc_crypto *cr, enum lc_aead_alg alg, bool encrypt)
{
    const EVP_CIPHER *cipher = lc_crypto_cipher(cr, alg);
    lc_aead_ctx *c;

    if (cipher == NULL) {
        return NULL;
    }
    c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return NULL;
    }
    c->cr = cr;
    c->alg = alg;
    c->encrypt = encrypt;
    c->ctx = EVP_CIPHER_CTX_new();
    /* Cipher and direction now, key later: nothing can be sealed until set_key. */
    if (c->ctx == NULL || EVP_CipherInit_ex2(c->ctx, cipher, NULL, NULL, encrypt, NULL) != 1) {
        lc_aead_free(c);
        lc_crypto_fail(0);
        return NULL;
    }
    c->cipher_ok = true;
    return c;
}

int lc_aead_set_key(lc_aead_ctx *c, enum lc_aead_alg alg, const uint8_t *key)
{
    const EVP_CIPHER *cipher = lc_crypto_cipher(c->cr, alg);

    if (cipher == NULL) {
        return LC_E_BAD_ARGUMENT;
    }
    /*
     * A KeyUpdate (RFC 8446 4.6.3) keeps the cipher and passes only the key,
     * which keeps libcrypto's context; a new suite passes the cipher too.
     * Either way the old key is overwritten.
     */
    bool keep = alg == c->alg && c->cipher_ok;

    c->keyed = false;
    c->cipher_ok = false; /* until we know which cipher the ctx holds */
    if (EVP_CipherInit_ex2(c->ctx, keep ? NULL : cipher, key, NULL, c->encrypt, NULL) != 1) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    c->cipher_ok = true;
    c->alg = alg;
    c->keyed = true;
    return 0;
}

void lc_aead_free(lc_aead_ctx *c)
{
    if (c == NULL) {
        return;
    }
    /* EVP_CIPHER_CTX_free cleanses the key schedule. */
    EVP_CIPHER_CTX_free(c->ctx);
    free(c);
}

/* Sets the per-record nonce and feeds the additional data (the record header). */
static int start(lc_aead_ctx *c, const uint8_t *nonce, const uint8_t *aad, size_t aadlen)
{
    int n;

    if (EVP_CipherInit_ex2(c->ctx, NULL, NULL, nonce, c->encrypt, NULL) != 1) {
        return LC_E_CRYPTO;
    }
    if (aadlen > 0 && EVP_CipherUpdate(c->ctx, NULL, &n, aad, (int)aadlen) != 1) {
        return LC_E_CRYPTO;
    }
    return 0;
}

int lc_aead_seal_split(lc_aead_ctx *c, const uint8_t nonce[LC_AEAD_NONCE_LEN], const uint8_t *aad,
                       size_t aadlen, const uint8_t *head, size_t headlen, uint8_t *out,
                       size_t len)
{
    size_t taillen = len - headlen;
    int n = 0, m = 0, fin = 0;

    if (!c->encrypt || !c->keyed || headlen > len || len > INT_MAX - LC_AEAD_TAG_LEN ||
        aadlen > INT_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    if (start(c, nonce, aad, aadlen) != 0) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    /* GCM and ChaCha20-Poly1305 are stream modes: each Update writes all it is given. */
    if (headlen > 0 && (EVP_CipherUpdate(c->ctx, out, &n, head, (int)headlen) != 1 ||
                        (size_t)n != headlen)) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    if (taillen > 0 && (EVP_CipherUpdate(c->ctx, out + headlen, &m, out + headlen,
                                         (int)taillen) != 1 ||
                        (size_t)m != taillen)) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    /* Final writes nothing for these modes; it finishes the tag. */
    if (EVP_CipherFinal_ex(c->ctx, out + len, &fin) != 1 || fin != 0) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    if (EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_AEAD_GET_TAG, LC_AEAD_TAG_LEN, out + len) != 1) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    return 0;
}

int lc_aead_seal(lc_aead_ctx *c, const uint8_t nonce[LC_AEAD_NONCE_LEN], const uint8_t *aad,
                 size_t aadlen, const uint8_t *in, size_t len, uint8_t *out)
{
    return lc_aead_seal_split(c, nonce, aad, aadlen, in, len, out, len);
}

int lc_aead_open(lc_aead_ctx *c, const uint8_t nonce[LC_AEAD_NONCE_LEN], const uint8_t *aad,
                 size_t aadlen, const uint8_t *in, size_t len, uint8_t *out)
{
    uint8_t tag[LC_AEAD_TAG_LEN];
    size_t ctlen;
    int n = 0, fin = 0;

    if (c->encrypt || !c->keyed || len > INT_MAX || aadlen > INT_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    /* RFC 8446 5.2: a record too short to hold a tag cannot authenticate. */
    if (len < LC_AEAD_TAG_LEN) {
        return LC_E_BAD_RECORD_MAC;
    }
    ctlen = len - LC_AEAD_TAG_LEN;
    /* Copy the tag first: in place, out overlaps in and decryption must not move it. */
    memcpy(tag, in + ctlen, LC_AEAD_TAG_LEN);
    if (start(c, nonce, aad, aadlen) != 0 ||
        EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_AEAD_SET_TAG, LC_AEAD_TAG_LEN, tag) != 1) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    if (ctlen > 0 && EVP_CipherUpdate(c->ctx, out, &n, in, (int)ctlen) != 1) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    /*
     * Final checks the tag. On failure the plaintext written so far must not
     * be used: zero it, and report every failure as bad_record_mac (5.2).
     */
    if (EVP_CipherFinal_ex(c->ctx, out + n, &fin) != 1 || (size_t)n + (size_t)fin != ctlen) {
        lc_wipe(out, ctlen);
        return lc_crypto_fail(LC_E_BAD_RECORD_MAC);
    }
    return 0;
}
