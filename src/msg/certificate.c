/*
 * Certificate: decode and encode (RFC 8446 4.4.2).
 *
 * The message carries the sender's chain as opaque DER, end-entity first,
 * each certificate with its own extension block. Nothing here parses X.509:
 * src/crypto/ does that when the handshake validates the chain. The entries
 * are kept in a fixed array (LC_CERT_MAX_ENTRIES), so a peer cannot make us
 * allocate per certificate.
 */
#include "msg/certificate.h"

#include "base/error.h"

/* One CertificateEntry (RFC 8446 4.4.2). */
static int decode_entry(lc_reader *r, lc_certificate_entry *e)
{
    lc_reader v;
    int rc;

    if ((rc = lc_read_vec(r, 3, 1, 0xffffff, &v)) != 0) {
        return rc;
    }
    e->cert_data_len = lc_reader_left(&v);
    if ((rc = lc_read_bytes(&v, e->cert_data_len, &e->cert_data)) != 0) {
        return rc;
    }
    /* RFC 8446 4.4.2: entry extensions must answer the ClientHello or CertificateRequest. */
    return lc_ext_list_decode(r, 0, LC_EXT_IN_CT, &e->extensions);
}

int lc_certificate_decode(lc_reader *r, lc_certificate *out)
{
    lc_reader v, list;
    int rc;

    if ((rc = lc_read_vec(r, 1, 0, 0xff, &v)) != 0) {
        return rc;
    }
    out->certificate_request_context_len = lc_reader_left(&v);
    if ((rc = lc_read_bytes(&v, out->certificate_request_context_len,
                            &out->certificate_request_context)) != 0) {
        return rc;
    }
    if ((rc = lc_read_vec(r, 3, 0, 0xffffff, &list)) != 0) {
        return rc;
    }
    out->count = 0;
    while (!lc_reader_empty(&list)) {
        if (out->count == LC_CERT_MAX_ENTRIES) {
            return LC_E_BAD_CERTIFICATE; /* a chain longer than we accept */
        }
        if ((rc = decode_entry(&list, &out->certificate_list[out->count])) != 0) {
            return rc;
        }
        out->count++;
    }
    return lc_reader_done(r);
}

int lc_certificate_encode(lc_writer *w, const lc_certificate *ct)
{
    lc_vec_mark m, list;
    int rc;

    if (ct->certificate_request_context_len > 0xff || ct->count > LC_CERT_MAX_ENTRIES) {
        return LC_E_BAD_ARGUMENT;
    }
    m = lc_msg_begin(w, LC_MT_CERTIFICATE);
    lc_write_vec(w, 1, ct->certificate_request_context, ct->certificate_request_context_len);
    list = lc_write_vec_begin(w, 3);
    for (size_t i = 0; i < ct->count; i++) {
        const lc_certificate_entry *e = &ct->certificate_list[i];

        /* cert_data<1..2^24-1>; a longer one overflows its prefix and the writer says so. */
        if (e->cert_data_len == 0) {
            return LC_E_BAD_ARGUMENT;
        }
        lc_write_vec(w, 3, e->cert_data, e->cert_data_len);
        if ((rc = lc_msg_write_extensions(w, &e->extensions, 0, 0xffff)) != 0) {
            return rc;
        }
    }
    lc_write_vec_end(w, list);
    lc_msg_end(w, m);
    return lc_writer_finish(w);
}
