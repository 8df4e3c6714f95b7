/*
 * HMAC (RFC 2104) over SHA-256 or SHA-384, for Finished verify_data and PSK
 * binders (RFC 8446 4.4.4, 4.2.11.2). The MAC comes from libcrypto's EVP_MAC,
 * fetched once into lc_crypto; a short-lived EVP_MAC_CTX holds the keyed state.
 */
#include "crypto/crypto.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "base/error.h"
#include "crypto/internal.h"

int lc_hmac(const lc_crypto *cr, enum lc_hash_alg alg, const uint8_t *key, size_t keylen,
            const void *data, size_t len, uint8_t *out)
{
    const EVP_MD *md = lc_crypto_md(cr, alg);
    size_t outlen = lc_hash_len(alg);
    static const uint8_t empty[1] = { 0 };
    EVP_MAC_CTX *ctx = NULL;
    OSSL_PARAM params[2];
    size_t got = 0;
    int rc = LC_E_CRYPTO;

    if (md == NULL) {
        return LC_E_BAD_ARGUMENT;
    }
    /* The name, not the EVP_MD: EVP_MAC takes its digest as a parameter. */
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                 (char *)EVP_MD_get0_name(md), 0);
    params[1] = OSSL_PARAM_construct_end();
    ctx = EVP_MAC_CTX_new(cr->hmac);
    if (ctx == NULL) {
        goto out;
    }
    /* An empty key is legal in HMAC (it is padded with zeros); give libcrypto a valid pointer. */
    if (EVP_MAC_init(ctx, keylen > 0 ? key : empty, keylen, params) != 1) {
        goto out;
    }
    if (len > 0 && EVP_MAC_update(ctx, data, len) != 1) {
        goto out;
    }
    if (EVP_MAC_final(ctx, out, &got, outlen) != 1 || got != outlen) {
        goto out;
    }
    rc = 0;
out:
    /* EVP_MAC_CTX_free cleanses the keyed state. */
    EVP_MAC_CTX_free(ctx);
    if (rc != 0) {
        lc_crypto_fail(rc);
    }
    return rc;
}
