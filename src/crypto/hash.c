/*
 * SHA-256 and SHA-384, one-shot and incremental.
 *
 * The incremental form is the handshake transcript (RFC 8446 4.4.1): messages
 * are added as they pass and the hash "so far" is read many times (for each
 * Derive-Secret, CertificateVerify, Finished and binder) while hashing goes on.
 * A peek copies the running state into a second EVP_MD_CTX kept for that
 * purpose and finalizes the copy, leaving the original untouched.
 */
#include "crypto/crypto.h"

#include <stdlib.h>

#include <openssl/evp.h>

#include "base/error.h"
#include "crypto/internal.h"

struct lc_hash_ctx {
    EVP_MD_CTX *ctx;     /* the running hash */
    EVP_MD_CTX *spare;   /* scratch for lc_hash_peek: a copy of ctx, finalized */
    const EVP_MD *md;
    enum lc_hash_alg alg;
};

size_t lc_hash_len(enum lc_hash_alg alg)
{
    switch (alg) {
    case LC_SHA256:
        return 32;
    case LC_SHA384:
        return 48;
    }
    return 0;
}

int lc_hash(const lc_crypto *cr, enum lc_hash_alg alg, const void *data, size_t len,
            uint8_t *out)
{
    const EVP_MD *md = lc_crypto_md(cr, alg);

    if (md == NULL) {
        return LC_E_BAD_ARGUMENT;
    }
    if (EVP_Digest(data, len, out, NULL, md, NULL) != 1) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    return 0;
}

lc_hash_ctx *lc_hash_new(const lc_crypto *cr, enum lc_hash_alg alg)
{
    const EVP_MD *md = lc_crypto_md(cr, alg);
    lc_hash_ctx *h;

    if (md == NULL) {
        return NULL;
    }
    h = calloc(1, sizeof(*h));
    if (h == NULL) {
        return NULL;
    }
    h->md = md;
    h->alg = alg;
    h->ctx = EVP_MD_CTX_new();
    h->spare = EVP_MD_CTX_new();
    if (h->ctx == NULL || h->spare == NULL || EVP_DigestInit_ex2(h->ctx, md, NULL) != 1) {
        lc_hash_free(h);
        lc_crypto_fail(0);
        return NULL;
    }
    return h;
}

int lc_hash_update(lc_hash_ctx *h, const void *data, size_t len)
{
    if (len == 0) {
        return 0;
    }
    if (EVP_DigestUpdate(h->ctx, data, len) != 1) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    return 0;
}

int lc_hash_peek(const lc_hash_ctx *h, uint8_t *out)
{
    /*
     * h is const to the caller: the transcript does not change. The spare
     * context is scratch space that only this function touches.
     */
    if (EVP_MD_CTX_copy_ex(h->spare, h->ctx) != 1 ||
        EVP_DigestFinal_ex(h->spare, out, NULL) != 1) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    return 0;
}

int lc_hash_reset(lc_hash_ctx *h)
{
    /* Used for the message_hash rule after a HelloRetryRequest (RFC 8446 4.4.1). */
    if (EVP_DigestInit_ex2(h->ctx, h->md, NULL) != 1) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    return 0;
}

enum lc_hash_alg lc_hash_ctx_alg(const lc_hash_ctx *h)
{
    return h->alg;
}

void lc_hash_free(lc_hash_ctx *h)
{
    if (h == NULL) {
        return;
    }
    /* EVP_MD_CTX_free cleanses the digest state, which may follow secret-bearing messages. */
    EVP_MD_CTX_free(h->ctx);
    EVP_MD_CTX_free(h->spare);
    free(h);
}
