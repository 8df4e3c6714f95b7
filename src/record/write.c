/*
 * Writing content as records into an output queue (RFC 8446 5.1, 5.2).
 *
 * Content longer than one record allows is split into fragments of at most the
 * direction's limit (2^14 by default, less under a record_size_limit); each
 * fragment is copied once into the queue and protected there in place. A
 * change_cipher_spec is never protected (RFC 8446 5); everything else is
 * protected as soon as the direction has a key.
 */
#include "record/write.h"

#include <string.h>

#include "base/buf.h"
#include "base/error.h"

static int write_one(lc_rec_dir *d, uint8_t type, uint16_t version, const uint8_t *data,
                     size_t len, lc_buf *out)
{
    bool protect = lc_rec_dir_protected(d) && type != LC_CT_CHANGE_CIPHER_SPEC;
    size_t cap = len + (protect ? LC_REC_PROTECT_OVERHEAD : LC_REC_HEADER_LEN);
    uint8_t *rec = lc_buf_reserve(out, cap);
    size_t n;
    int rc;

    if (rec == NULL) {
        return LC_E_NO_MEMORY;
    }
    if (len > 0) {
        memcpy(rec + LC_REC_HEADER_LEN, data, len);
    }
    if (protect) {
        rc = lc_rec_protect(d, type, len, 0, rec, cap, &n);
    } else {
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
    int rc;

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
