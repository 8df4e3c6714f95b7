/*
 * HKDF (RFC 5869) over SHA-256 or SHA-384: the two halves the TLS 1.3 key
 * schedule is built from (RFC 8446 7.1). HKDF-Expand-Label and Derive-Secret
 * are TLS and live in src/handshake/; this file only runs libcrypto's HKDF in
 * its extract-only and expand-only modes.
 */
#include "crypto/crypto.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "base/error.h"
#include "crypto/internal.h"

/*
 * Runs one HKDF mode with the given key (IKM or PRK), salt and info; empty
 * salt and info are left out, which libcrypto treats as RFC 5869 says.
 */
static int run_hkdf(const lc_crypto *cr, enum lc_hash_alg alg, int mode, const uint8_t *key,
                    size_t keylen, const uint8_t *salt, size_t saltlen, const uint8_t *info,
                    size_t infolen, uint8_t *out, size_t outlen)
{
    const EVP_MD *md = lc_crypto_md(cr, alg);
    EVP_KDF_CTX *ctx = NULL;
    OSSL_PARAM params[6];
    size_t n = 0;
    int rc = LC_E_CRYPTO;

    if (md == NULL) {
        return LC_E_BAD_ARGUMENT;
    }
    params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                                   (char *)EVP_MD_get0_name(md), 0);
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, keylen);
    if (saltlen > 0) {
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt,
                                                        saltlen);
    }
    if (infolen > 0) {
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info,
                                                        infolen);
    }
    params[n] = OSSL_PARAM_construct_end();

    ctx = EVP_KDF_CTX_new(cr->hkdf);
    if (ctx == NULL || EVP_KDF_derive(ctx, out, outlen, params) != 1) {
        goto out;
    }
    rc = 0;
out:
    /* EVP_KDF_CTX_free cleanses the copies of key, salt and info it took. */
    EVP_KDF_CTX_free(ctx);
    if (rc != 0) {
        lc_wipe(out, outlen);
        lc_crypto_fail(rc);
    }
    return rc;
}

int lc_hkdf_extract(const lc_crypto *cr, enum lc_hash_alg alg, const uint8_t *salt,
                    size_t saltlen, const uint8_t *ikm, size_t ikmlen, uint8_t *prk)
{
    /*
     * RFC 5869 2.2: a missing salt is HashLen zeros. HMAC pads a short key with
     * zeros, so an empty salt gives the same PRK; pass the zeros explicitly
     * anyway rather than rely on how libcrypto treats an absent salt.
     */
    static const uint8_t zeros[LC_HASH_MAX] = { 0 };
    size_t hlen = lc_hash_len(alg);

    if (hlen == 0) {
        return LC_E_BAD_ARGUMENT;
    }
    if (saltlen == 0) {
        salt = zeros;
        saltlen = hlen;
    }
    /* libcrypto wants a key; an empty IKM is an empty HMAC message, also legal. */
    if (ikmlen == 0) {
        ikm = zeros;
    }
    return run_hkdf(cr, alg, EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm, ikmlen, salt, saltlen, NULL, 0,
                    prk, hlen);
}

int lc_hkdf_expand(const lc_crypto *cr, enum lc_hash_alg alg, const uint8_t *prk, size_t prklen,
                   const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen)
{
    size_t hlen = lc_hash_len(alg);

    /* RFC 5869 2.3: L <= 255*HashLen, and the PRK is at least HashLen bytes. */
    if (hlen == 0 || outlen == 0 || outlen > 255 * hlen || prklen < hlen) {
        return LC_E_BAD_ARGUMENT;
    }
    return run_hkdf(cr, alg, EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, prklen, NULL, 0, info, infolen,
                    out, outlen);
}
