/*
 * signature_algorithms and signature_algorithms_cert: the SignatureSchemeList
 * (RFC 8446 4.2.3).
 *
 *     struct { SignatureScheme supported_signature_algorithms<2..2^16-2>; } SignatureSchemeList;
 *
 * Unknown schemes are kept: the receiver ignores what it cannot use, and
 * GREASE values (RFC 8701) must pass through.
 */
#include "msg/ext/signature_algorithms.h"

#include <string.h>

#include "base/error.h"

int lc_ext_signature_algorithms_decode(lc_reader *r, lc_ext_signature_algorithms *out)
{
    lc_reader list;
    int rc;

    memset(out, 0, sizeof(*out));
    /* 2^16-2, not 2^16-1: the largest even length, since each entry is 2 bytes. */
    if ((rc = lc_read_vec(r, 2, 2, 0xfffe, &list)) != 0) {
        return rc;
    }
    while (!lc_reader_empty(&list)) {
        uint16_t scheme;

        if ((rc = lc_read_u16(&list, &scheme)) != 0) {
            return rc; /* an odd length ends here: decode_error */
        }
        if (out->count < LC_EXT_SIGALGS_MAX) {
            out->scheme[out->count++] = scheme;
        }
    }
    return lc_reader_done(r);
}

int lc_ext_signature_algorithms_encode(lc_writer *w, const lc_ext_signature_algorithms *in)
{
    lc_vec_mark list;

    if (in->count == 0 || in->count > LC_EXT_SIGALGS_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    list = lc_write_vec_begin(w, 2);
    for (size_t i = 0; i < in->count; i++) {
        lc_write_u16(w, in->scheme[i]);
    }
    lc_write_vec_end(w, list);
    return lc_writer_finish(w);
}
