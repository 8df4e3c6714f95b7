/*
 * Writing records: the TLSPlaintext header of an unprotected record (RFC 8446
 * 5.1) and the protection of TLSCiphertext (5.2), with the inner content type
 * and padding (5.4) and the per-record nonce (5.3).
 *
 * Both work in the connection's output buffer: the caller writes the content
 * where it will sit in the finished record, 5 bytes in, and these functions
 * add what goes around it; or, for protection, the caller passes its content
 * where it lies and it is encrypted straight into the record
 * (lc_rec_protect_from), so that application data is never copied on its way
 * out. Nothing is allocated.
 *
 *     rec: | header (5) | content (len) | type (1) | zeros (padding) | tag (16) |
 *                       |<------- TLSInnerPlaintext, encrypted ----->|
 */
#include "record/record.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"

/* The 5-byte record header: type || legacy_record_version || length. */
static void write_header(uint8_t *rec, uint8_t type, uint16_t version, size_t length)
{
    lc_writer w;

    lc_writer_init(&w, rec, LC_REC_HEADER_LEN);
    lc_write_u8(&w, type);
    lc_write_u16(&w, version);
    lc_write_u16(&w, (uint16_t)length);
}

int lc_rec_frame_plaintext(uint8_t type, uint16_t legacy_record_version, size_t len, uint8_t *rec,
                           size_t cap, size_t *outlen)
{
    /* RFC 8446 5.1: application data is always protected; handshake and alert are never empty. */
    if (type < LC_CT_CHANGE_CIPHER_SPEC || type > LC_CT_HANDSHAKE) {
        return LC_E_BAD_ARGUMENT;
    }
    if (len == 0 && type != LC_CT_CHANGE_CIPHER_SPEC) {
        return LC_E_BAD_ARGUMENT;
    }
    /* RFC 8446 5.1: TLSPlaintext.length MUST NOT exceed 2^14. */
    if (len > LC_REC_PLAINTEXT_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    if (cap < LC_REC_HEADER_LEN || cap - LC_REC_HEADER_LEN < len) {
        return LC_E_BUFFER_TOO_SMALL;
    }
    write_header(rec, type, legacy_record_version, len);
    *outlen = LC_REC_HEADER_LEN + len;
    return 0;
}

int lc_rec_protect(lc_rec_dir *d, uint8_t type, size_t len, size_t padding, uint8_t *rec,
                   size_t cap, size_t *outlen)
{
    return lc_rec_protect_from(d, type, rec + LC_REC_HEADER_LEN, len, padding, rec, cap, outlen);
}

int lc_rec_protect_from(lc_rec_dir *d, uint8_t type, const uint8_t *content, size_t len,
                        size_t padding, uint8_t *rec, size_t cap, size_t *outlen)
{
    uint8_t nonce[LC_AEAD_NONCE_LEN];
    uint8_t *inner = rec + LC_REC_HEADER_LEN;
    size_t inner_len;
    int rc;

    if (d->aead == NULL || !d->encrypt) {
        return LC_E_INTERNAL;
    }
    /* RFC 8446 5.3: never wrap; the connection must have rekeyed or closed long before. */
    if (d->seq == UINT64_MAX) {
        return LC_E_INTERNAL;
    }
    /* RFC 8446 5: change_cipher_spec is only ever sent in the clear. */
    if (type < LC_CT_ALERT || type > LC_CT_APPLICATION_DATA) {
        return LC_E_BAD_ARGUMENT;
    }
    /* RFC 8446 5.4: no handshake or alert record with empty content. */
    if (len == 0 && type != LC_CT_APPLICATION_DATA) {
        return LC_E_BAD_ARGUMENT;
    }
    /* RFC 8446 5.4, RFC 8449: content, type and padding within the limit (no overflow). */
    if (len >= d->inner_max || padding > d->inner_max - 1 - len) {
        return LC_E_BAD_ARGUMENT;
    }
    inner_len = len + 1 + padding;
    if (cap < LC_REC_HEADER_LEN + LC_AEAD_TAG_LEN ||
        cap - LC_REC_HEADER_LEN - LC_AEAD_TAG_LEN < inner_len) {
        return LC_E_BUFFER_TOO_SMALL;
    }

    /* TLSInnerPlaintext: content || ContentType || zeros[padding] (RFC 8446 5.2). */
    inner[len] = type;
    memset(inner + len + 1, 0, padding);

    /* RFC 8446 5.2: the header (23, 0x0303, ciphertext length) is the additional data. */
    write_header(rec, LC_CT_APPLICATION_DATA, LC_REC_VERSION, inner_len + LC_AEAD_TAG_LEN);
    lc_rec_dir_nonce(d, nonce);
    /* The content is encrypted from where it is; type and padding, behind it, in place. */
    if ((rc = lc_aead_seal_split(d->aead, nonce, rec, LC_REC_HEADER_LEN, content, len, inner,
                                 inner_len)) != 0) {
        goto out;
    }
    /* RFC 8446 5.3: incremented after each record. */
    d->seq++;
    *outlen = LC_REC_HEADER_LEN + inner_len + LC_AEAD_TAG_LEN;
out:
    /* The nonce gives away the IV, which is keying material (RFC 8446 7.3). */
    lc_wipe(nonce, sizeof(nonce));
    return rc;
}
