/*
 * CertificateRequest: decode and encode (RFC 8446 4.3.2).
 *
 * Sent by a server that wants the client to authenticate, and after the
 * handshake for post-handshake authentication (4.6.2), where the
 * certificate_request_context tells concurrent requests apart; the client
 * echoes it in its Certificate. In the main handshake the context is empty,
 * which is the handshake's check, not the codec's.
 */
#include "msg/certificate_request.h"

#include "base/error.h"

int lc_certificate_request_decode(lc_reader *r, lc_certificate_request *out)
{
    lc_reader v;
    int rc;

    if ((rc = lc_read_vec(r, 1, 0, 0xff, &v)) != 0) {
        return rc;
    }
    out->certificate_request_context_len = lc_reader_left(&v);
    if ((rc = lc_read_bytes(&v, out->certificate_request_context_len,
                            &out->certificate_request_context)) != 0) {
        return rc;
    }
    /* RFC 8446 4.3.2: extensions<2..2^16-1>: never empty, signature_algorithms must be there. */
    if ((rc = lc_ext_list_decode(r, 2, LC_EXT_IN_CR, &out->extensions)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_certificate_request_encode(lc_writer *w, const lc_certificate_request *cr)
{
    lc_vec_mark m;
    int rc;

    if (cr->certificate_request_context_len > 0xff) {
        return LC_E_BAD_ARGUMENT;
    }
    m = lc_msg_begin(w, LC_MT_CERTIFICATE_REQUEST);
    lc_write_vec(w, 1, cr->certificate_request_context, cr->certificate_request_context_len);
    if ((rc = lc_msg_write_extensions(w, &cr->extensions, 2, 0xffff)) != 0) {
        return rc;
    }
    lc_msg_end(w, m);
    return lc_writer_finish(w);
}
