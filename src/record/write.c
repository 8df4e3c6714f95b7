/*
 * Writing content as records into an output queue (RFC 8446 5.1, 5.2).
 *
 * Content longer than one record allows is split into fragments of at most the
 * direction's limit (2^14 by default, less under a record_size_limit). Room for
 * every record of one call is reserved in the queue at once, so that a write
 * of 64 KiB grows the queue at most once and leaves as four whole records in
 * one pending view. A protected fragment is encrypted straight from the
 * caller's bytes into the queue (lc_rec_protect_from): the payload is never
 * copied in the clear. An unprotected one is copied and framed there. A
 * change_cipher_spec is never protected (RFC 8446 5); everything else is
 * protected as soon as the direction has a key.
 */
#include "record/write.h"

#include <string.h>

#include "base/buf.h"
#include "base/error.h"

/* What one record adds around its content. */
static size_t overhead(const lc_rec_dir *d, uint8_t type)
{
    bool protect = lc_rec_dir_protected(d) && type != LC_CT_CHANGE_CIPHER_SPEC;

    return protect ? LC_REC_PROTECT_OVERHEAD : LC_REC_HEADER_LEN;
}

static int write_one(lc_rec_dir *d, uint8_t type, uint16_t version, const uint8_t *data,
                     size_t len, lc_buf *out)
{
    bool protect = lc_rec_dir_protected(d) && type != LC_CT_CHANGE_CIPHER_SPEC;
    size_t cap = len + overhead(d, type);
    uint8_t *rec = lc_buf_reserve(out, cap);
    size_t n;
    int rc;

    if (rec == NULL) {
        return LC_E_NO_MEMORY;
    }
    if (protect) {
        rc = lc_rec_protect_from(d, type, data, len, 0, rec, cap, &n);
    } else {
        if (len > 0) {
            memcpy(rec + LC_REC_HEADER_LEN, data, len);
        }
        rc = lc_rec_frame_plaintext(type, version, len, rec, cap, &n);
    }
    if (rc != 0) {
        return rc;
    }
    lc_buf_commit(out, n);
    d->records++;
    d->bytes += n;
    return 0;
}

int lc_rec_write(lc_rec_dir *d, uint8_t type, uint16_t version, const uint8_t *data, size_t len,
                 lc_buf *out)
{
    size_t max = lc_rec_dir_protected(d) ? lc_rec_dir_max_fragment(d) : LC_REC_PLAINTEXT_MAX;
    size_t records = len == 0 ? 1 : (len - 1) / max + 1;
    int rc;

    /* The whole burst's room first (an empty application_data record is one record). */
    if (len > SIZE_MAX / 2 || lc_buf_reserve(out, len + records * overhead(d, type)) == NULL) {
        return LC_E_NO_MEMORY;
    }
    do {
        size_t n = len < max ? len : max;

        if ((rc = write_one(d, type, version, data, n, out)) != 0) {
            return rc;
        }
        data += n;
        len -= n;
    } while (len > 0);
    return 0;
}
