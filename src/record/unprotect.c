/*
 * Opening records: TLSCiphertext back to its content and real type (RFC 8446
 * 5.2 deprotection, 5.3 nonce, 5.4 padding and size limit).
 *
 * The record is decrypted where the deframer holds it (or from the caller's
 * bytes into the deframer's buffer, lc_rec_unprotect_from), and the content
 * stays there: rec->fragment keeps pointing at it, rec->len shrinks to it, and
 * rec->type becomes the inner type. Every way a record can fail to
 * authenticate is the same error, bad_record_mac (5.2): a record too short to
 * hold a tag is not told apart from one whose tag is wrong.
 */
#include "record/record.h"

#include "base/error.h"

/*
 * RFC 8446 5.4: the content type is the last non-zero byte and everything
 * after it is padding. The scan stays within the decrypted bytes (5.4: "MUST
 * limit their scanning to the cleartext") and returns the type's offset, or
 * len when every byte is zero. Its time follows the padding's length, which
 * the peer chose; it tells nothing about the content.
 */
static size_t find_type(const uint8_t *inner, size_t len)
{
    size_t i = len;

    while (i > 0) {
        i--;
        if (inner[i] != 0) {
            return i;
        }
    }
    return len;
}

int lc_rec_unprotect(lc_rec_dir *d, lc_record *rec)
{
    return lc_rec_unprotect_from(d, rec, rec->fragment);
}

int lc_rec_unprotect_from(lc_rec_dir *d, lc_record *rec, const uint8_t *ciphertext)
{
    uint8_t nonce[LC_AEAD_NONCE_LEN];
    size_t inner_len, at;
    uint8_t type;
    int rc;

    if (d->aead == NULL || d->encrypt) {
        return LC_E_INTERNAL;
    }
    /* RFC 8446 5.3: never wrap; a peer that never rekeys is stopped one short. */
    if (d->seq == UINT64_MAX) {
        return LC_E_INTERNAL;
    }
    /* RFC 8446 5.2: a protected record's outer type is always application_data. */
    if (rec->type != LC_CT_APPLICATION_DATA) {
        return LC_E_UNEXPECTED_RECORD;
    }
    /* Too short for a tag and a content type: it cannot authenticate (RFC 8446 5.2). */
    if (rec->len < LC_AEAD_TAG_LEN + 1) {
        return LC_E_BAD_RECORD_MAC;
    }
    inner_len = rec->len - LC_AEAD_TAG_LEN;

    /* additional_data = the record header as received (RFC 8446 5.2). */
    lc_rec_dir_nonce(d, nonce);
    rc = lc_aead_open(d->aead, nonce, rec->header, LC_REC_HEADER_LEN, ciphertext, rec->len,
                      rec->fragment);
    if (rc != 0) {
        /* RFC 8446 5.2: whatever went wrong, the alert is bad_record_mac. */
        rc = LC_E_BAD_RECORD_MAC;
        goto out;
    }
    d->seq++;

    /*
     * RFC 8446 5.4: the whole TLSInnerPlaintext is held to 2^14 + 1, or to the
     * record_size_limit we advertised (RFC 8449 4), padding included. Checked
     * after authentication, so that the alert speaks of what the peer sent.
     */
    if (inner_len > d->inner_max) {
        rc = LC_E_RECORD_OVERFLOW;
        goto out;
    }
    /* RFC 8446 5.4: no non-zero byte, no content type: unexpected_message. */
    if ((at = find_type(rec->fragment, inner_len)) == inner_len) {
        rc = LC_E_UNEXPECTED_MESSAGE;
        goto out;
    }
    type = rec->fragment[at];
    /* RFC 8446 5: a protected change_cipher_spec record is unexpected_message. */
    if (type == LC_CT_CHANGE_CIPHER_SPEC) {
        rc = LC_E_UNEXPECTED_MESSAGE;
        goto out;
    }
    /* RFC 8446 5: any other unknown type is an unexpected record type. */
    if (type != LC_CT_ALERT && type != LC_CT_HANDSHAKE && type != LC_CT_APPLICATION_DATA) {
        rc = LC_E_UNEXPECTED_RECORD;
        goto out;
    }
    /* RFC 8446 5.4: handshake and alert records never have empty content. */
    if (at == 0 && type != LC_CT_APPLICATION_DATA) {
        rc = LC_E_UNEXPECTED_MESSAGE;
        goto out;
    }
    rec->type = type;
    rec->len = at;
    rc = 0;
out:
    /* The nonce gives away the IV, which is keying material (RFC 8446 7.3). */
    lc_wipe(nonce, sizeof(nonce));
    return rc;
}
