/*
 * certificate_authorities: a list of DER distinguished names (RFC 8446 4.2.4).
 *
 *     opaque DistinguishedName<1..2^16-1>;
 *     struct { DistinguishedName authorities<3..2^16-1>; } CertificateAuthoritiesExtension;
 *
 * The 3 in <3..2^16-1> is one DistinguishedName of one byte with its 2-byte length.
 */
#include "msg/ext/certificate_authorities.h"

#include <string.h>

#include "base/error.h"

int lc_ext_certificate_authorities_decode(lc_reader *r, lc_ext_certificate_authorities *out)
{
    lc_reader list;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = lc_read_vec(r, 2, 3, 0xffff, &list)) != 0) {
        return rc;
    }
    while (!lc_reader_empty(&list)) {
        lc_ext_view name;

        if ((rc = lc_ext_read_view(&list, 2, 1, 0xffff, &name)) != 0) {
            return rc;
        }
        if (out->count < LC_EXT_CAS_MAX) {
            out->name[out->count++] = name;
        }
    }
    return lc_reader_done(r);
}

int lc_ext_certificate_authorities_encode(lc_writer *w, const lc_ext_certificate_authorities *in)
{
    lc_vec_mark list;

    if (in->count == 0 || in->count > LC_EXT_CAS_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    for (size_t i = 0; i < in->count; i++) {
        if (!lc_ext_view_ok(in->name[i], 1, 0xffff)) {
            return LC_E_BAD_ARGUMENT;
        }
    }
    list = lc_write_vec_begin(w, 2);
    for (size_t i = 0; i < in->count; i++) {
        lc_ext_write_view(w, 2, in->name[i]);
    }
    lc_write_vec_end(w, list);
    return lc_writer_finish(w);
}
