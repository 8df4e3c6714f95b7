/*
 * status_request: the three forms of RFC 6066 8 as TLS 1.3 places them
 * (RFC 8446 4.4.2.1).
 *
 *     struct {
 *         CertificateStatusType status_type;
 *         select (status_type) { case ocsp: OCSPStatusRequest; } request;
 *     } CertificateStatusRequest;
 *     enum { ocsp(1), (255) } CertificateStatusType;
 *     struct {
 *         ResponderID responder_id_list<0..2^16-1>;
 *         Extensions  request_extensions;
 *     } OCSPStatusRequest;
 *     opaque ResponderID<1..2^16-1>;
 *     opaque Extensions<0..2^16-1>;
 *
 *     struct {
 *         CertificateStatusType status_type;
 *         select (status_type) { case ocsp: OCSPResponse; } response;
 *     } CertificateStatus;
 *     opaque OCSPResponse<1..2^24-1>;
 */
#include "msg/ext/status_request.h"

#include <string.h>

#include "base/error.h"

/* OCSPStatusRequest: each ResponderID is checked, and the list is kept whole. */
static int decode_ocsp_request(lc_reader *r, lc_ext_status_request_ch *out)
{
    lc_reader ids;
    int rc;

    if ((rc = lc_ext_read_view(r, 2, 0, 0xffff, &out->responder_id_list)) != 0) {
        return rc;
    }
    lc_reader_init(&ids, out->responder_id_list.p, out->responder_id_list.len);
    while (!lc_reader_empty(&ids)) {
        lc_ext_view id;

        if ((rc = lc_ext_read_view(&ids, 2, 1, 0xffff, &id)) != 0) {
            return rc;
        }
    }
    return lc_ext_read_view(r, 2, 0, 0xffff, &out->request_extensions);
}

int lc_ext_status_request_ch_decode(lc_reader *r, lc_ext_status_request_ch *out)
{
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = lc_read_u8(r, &out->status_type)) != 0) {
        return rc;
    }
    if (out->status_type == LC_STATUS_TYPE_OCSP) {
        if ((rc = decode_ocsp_request(r, out)) != 0) {
            return rc;
        }
        return lc_reader_done(r);
    }
    /*
     * The select has no arm for another status_type, so its request cannot be
     * parsed, and RFC 6066 8 defines no error for it. A server that does not
     * know the type simply staples nothing (OpenSSL ignores it the same way):
     * keep the bytes as they are.
     */
    out->other.len = lc_reader_left(r);
    return lc_read_bytes(r, out->other.len, &out->other.p);
}

int lc_ext_status_request_ch_encode(lc_writer *w, const lc_ext_status_request_ch *in)
{
    if (!lc_ext_view_ok(in->responder_id_list, 0, 0xffff) ||
        !lc_ext_view_ok(in->request_extensions, 0, 0xffff) ||
        !lc_ext_view_ok(in->other, 0, SIZE_MAX)) {
        return LC_E_BAD_ARGUMENT;
    }
    lc_write_u8(w, in->status_type);
    if (in->status_type == LC_STATUS_TYPE_OCSP) {
        lc_ext_write_view(w, 2, in->responder_id_list);
        lc_ext_write_view(w, 2, in->request_extensions);
    } else if (in->other.len > 0) {
        lc_write_bytes(w, in->other.p, in->other.len);
    }
    return lc_writer_finish(w);
}

int lc_ext_status_request_cr_decode(lc_reader *r)
{
    /* RFC 8446 4.4.2.1: the server asks by "sending an empty status_request extension". */
    return lc_reader_done(r);
}

int lc_ext_status_request_cr_encode(lc_writer *w)
{
    return lc_writer_finish(w);
}

int lc_ext_status_request_ct_decode(lc_reader *r, lc_ext_view *ocsp_response)
{
    uint8_t status_type;
    int rc;

    if ((rc = lc_read_u8(r, &status_type)) != 0) {
        return rc;
    }
    /*
     * We only ever ask for ocsp, the only type defined; another type has no
     * arm in the select, so the structure cannot be decoded: decode_error
     * (OpenSSL answers the same).
     */
    if (status_type != LC_STATUS_TYPE_OCSP) {
        return LC_E_DECODE;
    }
    if ((rc = lc_ext_read_view(r, 3, 1, 0xffffff, ocsp_response)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_ext_status_request_ct_encode(lc_writer *w, lc_ext_view ocsp_response)
{
    if (!lc_ext_view_ok(ocsp_response, 1, 0xffffff)) {
        return LC_E_BAD_ARGUMENT;
    }
    lc_write_u8(w, LC_STATUS_TYPE_OCSP);
    lc_ext_write_view(w, 3, ocsp_response);
    return lc_writer_finish(w);
}
