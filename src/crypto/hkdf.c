/*
 * HKDF (RFC 5869) over SHA-256 or SHA-384: the two halves the TLS 1.3 key
 * schedule is built from (RFC 8446 7.1). HKDF-Expand-Label and Derive-Secret
 * are TLS and live in src/handshake/.
 *
 * Written here as the two HMAC steps RFC 5869 defines, over the keyed HMAC
 * state of hmac.c, rather than through libcrypto's EVP_KDF: that one
 * looks its digest up by name and copies key, salt and info on every call,
 * which cost more than the hashing in a handshake's dozen derivations.
 * Each output block restarts the HMAC under the same key (lc_hmac_restart).
 */
#include "crypto/crypto.h"

#include <string.h>

#include <openssl/evp.h>

#include "base/error.h"
#include "crypto/internal.h"

int lc_hkdf_extract(const lc_crypto *cr, enum lc_hash_alg alg, const uint8_t *salt,
                    size_t saltlen, const uint8_t *ikm, size_t ikmlen, uint8_t *prk)
{
    /*
     * RFC 5869 2.2: a missing salt is HashLen zeros. HMAC pads a short key with
     * zeros, so an empty salt gives the same PRK; pass the zeros explicitly anyway.
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
    /* PRK = HMAC-Hash(salt, IKM) */
    return lc_hmac(cr, alg, salt, saltlen, ikm, ikmlen, prk);
}

int lc_hkdf_expand(const lc_crypto *cr, enum lc_hash_alg alg, const uint8_t *prk, size_t prklen,
                   const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen)
{
    size_t hlen = lc_hash_len(alg), done = 0;
    uint8_t t[LC_HASH_MAX];
    lc_hmac_state h;
    int rc;

    /* RFC 5869 2.3: L <= 255*HashLen, and the PRK is at least HashLen bytes. */
    if (hlen == 0 || outlen == 0 || outlen > 255 * hlen || prklen < hlen) {
        return LC_E_BAD_ARGUMENT;
    }
    if ((rc = lc_hmac_begin(&h, cr, alg, prk, prklen)) != 0) {
        return rc;
    }
    /* T(i) = HMAC-Hash(PRK, T(i-1) | info | i), T(0) empty; OKM = the first L bytes of T(1)... */
    for (unsigned i = 1; done < outlen && rc == 0; i++) {
        uint8_t counter = (uint8_t)i;
        size_t take = outlen - done < hlen ? outlen - done : hlen;

        if ((i > 1 && ((rc = lc_hmac_restart(&h)) != 0 || (rc = lc_hmac_update(&h, t, hlen)) != 0)) ||
            (rc = lc_hmac_update(&h, info, infolen)) != 0 ||
            (rc = lc_hmac_update(&h, &counter, 1)) != 0 || (rc = lc_hmac_finish(&h, t)) != 0) {
            break;
        }
        memcpy(out + done, t, take);
        done += take;
    }
    lc_wipe(t, sizeof(t));
    lc_hmac_end(&h);
    if (rc != 0) {
        lc_wipe(out, outlen);
    }
    return rc;
}
