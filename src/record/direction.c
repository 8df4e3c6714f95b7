/*
 * One direction of the record layer: its AEAD key, IV, sequence number and
 * size limit (RFC 8446 5.3 per-record nonce, 5.4 and RFC 8449 record size
 * limit, 7.3 for where key and IV come from).
 *
 * Each connection has two of these, one per direction, and each moves through
 * its epochs (plaintext, handshake keys, application keys 0, 1, ...) by
 * lc_rec_dir_set_key(). The AEAD context is made once, at the first key, and
 * re-keyed afterwards, as picotls' aead_crypto_context_t is: nothing here is
 * allocated per record.
 */
#include "record/record.h"

#include <string.h>

#include "base/error.h"

void lc_rec_dir_init(lc_rec_dir *d, bool encrypt)
{
    memset(d, 0, sizeof(*d));
    d->encrypt = encrypt;
    d->inner_max = LC_REC_INNER_MAX;
}

int lc_rec_dir_set_key(lc_rec_dir *d, const lc_crypto *cr, enum lc_aead_alg alg,
                       const uint8_t *key, const uint8_t iv[LC_AEAD_NONCE_LEN])
{
    int rc;

    if (d->aead == NULL) {
        d->aead = lc_aead_new(cr, alg, d->encrypt);
        if (d->aead == NULL) {
            return LC_E_NO_MEMORY;
        }
    }
    if ((rc = lc_aead_set_key(d->aead, alg, key)) != 0) {
        return rc;
    }
    memcpy(d->iv, iv, LC_AEAD_NONCE_LEN);
    /* RFC 8446 5.3: the sequence number is set to zero whenever the key is changed. */
    d->seq = 0;
    return 0;
}

bool lc_rec_dir_protected(const lc_rec_dir *d)
{
    return d->aead != NULL;
}

int lc_rec_dir_set_limit(lc_rec_dir *d, size_t record_size_limit)
{
    /* RFC 8449 4: a value under 64 is illegal_parameter. */
    if (record_size_limit < LC_REC_SIZE_LIMIT_MIN) {
        return LC_E_ILLEGAL_PARAMETER;
    }
    /*
     * RFC 8449 4: a peer may advertise more than the protocol allows (for a
     * version or extension we do not know); the protocol's own limit, 2^14 + 1
     * for TLS 1.3's TLSInnerPlaintext, still applies.
     */
    if (record_size_limit > LC_REC_INNER_MAX) {
        record_size_limit = LC_REC_INNER_MAX;
    }
    d->inner_max = record_size_limit;
    return 0;
}

size_t lc_rec_dir_max_fragment(const lc_rec_dir *d)
{
    /* The limit counts the inner content type byte too (RFC 8446 5.4). */
    return d->inner_max - 1;
}

void lc_rec_dir_nonce(const lc_rec_dir *d, uint8_t nonce[LC_AEAD_NONCE_LEN])
{
    /*
     * RFC 8446 5.3: the sequence number in network byte order, padded on the
     * left with zeros to iv_length (12 for every TLS 1.3 suite), XORed with
     * the static IV. Only the last 8 bytes of the IV are touched.
     */
    memcpy(nonce, d->iv, LC_AEAD_NONCE_LEN);
    for (int i = 0; i < 8; i++) {
        nonce[LC_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(d->seq >> (8 * i));
    }
}

void lc_rec_dir_free(lc_rec_dir *d)
{
    lc_aead_free(d->aead);
    d->aead = NULL;
    lc_wipe(d->iv, sizeof(d->iv));
    d->seq = 0;
}
