/*
 * status_request, "OCSP stapling" (RFC 6066 8; RFC 8446 4.4.2.1; CH, CR, CT).
 *
 * Three forms: the client's CertificateStatusRequest (ClientHello), the
 * server's empty request for the client's OCSP response (CertificateRequest),
 * and a CertificateStatus holding an OCSP response (in a CertificateEntry of
 * Certificate). OCSP structures stay DER views; RFC 6960 parsing lives above.
 */
#ifndef LC_MSG_EXT_STATUS_REQUEST_H
#define LC_MSG_EXT_STATUS_REQUEST_H

#include "msg/ext/ext.h"

/* CertificateStatusType ocsp(1), the only one defined (RFC 6066 8). */
#define LC_STATUS_TYPE_OCSP 1

/* CertificateStatusRequest, the ClientHello form. */
typedef struct lc_ext_status_request_ch {
    uint8_t status_type;
    /* For ocsp: ResponderID responder_id_list<0..2^16-1>, the list's body (each entry checked). */
    lc_ext_view responder_id_list;
    /* For ocsp: Extensions request_extensions (DER), 0..2^16-1 bytes. */
    lc_ext_view request_extensions;
    /* For any other status_type: the rest of the body, unparsed (see status_request.c). */
    lc_ext_view other;
} lc_ext_status_request_ch;

/*
 * Decodes a CertificateStatusRequest. For ocsp, bad lengths (an empty
 * ResponderID) or trailing bytes: LC_E_DECODE / LC_E_TRAILING.
 */
LC_MUST_CHECK int lc_ext_status_request_ch_decode(lc_reader *r, lc_ext_status_request_ch *out);

/*
 * Writes it back: for ocsp the two vectors (written as given), otherwise
 * status_type then `other` as is. A view longer than its vector allows, or
 * with a length but no bytes, is LC_E_BAD_ARGUMENT.
 */
LC_MUST_CHECK int lc_ext_status_request_ch_encode(lc_writer *w,
                                                  const lc_ext_status_request_ch *in);

/* The CertificateRequest form: empty (RFC 8446 4.4.2.1); any byte is LC_E_TRAILING. */
LC_MUST_CHECK int lc_ext_status_request_cr_decode(lc_reader *r);
LC_MUST_CHECK int lc_ext_status_request_cr_encode(lc_writer *w);

/*
 * The Certificate form, CertificateStatus: status_type ocsp(1), then
 * OCSPResponse<1..2^24-1> as a view. Another status_type: LC_E_DECODE.
 */
LC_MUST_CHECK int lc_ext_status_request_ct_decode(lc_reader *r, lc_ext_view *ocsp_response);

/* Writes a CertificateStatus for ocsp; an empty response is LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_status_request_ct_encode(lc_writer *w, lc_ext_view ocsp_response);

#endif
