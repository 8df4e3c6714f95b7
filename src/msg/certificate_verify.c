/*
 * CertificateVerify: decode and encode (RFC 8446 4.4.3).
 *
 * A signature over the transcript hash, made with the key of the certificate
 * just sent. The codec carries the scheme and the signature bytes; the
 * content that was signed (64 spaces, a context string, 0, the hash) is built
 * by the handshake, and the verification is src/crypto/'s.
 */
#include "msg/certificate_verify.h"

#include "base/error.h"

int lc_certificate_verify_decode(lc_reader *r, lc_certificate_verify *out)
{
    lc_reader v;
    int rc;

    if ((rc = lc_read_u16(r, &out->algorithm)) != 0) {
        return rc;
    }
    if ((rc = lc_read_vec(r, 2, 0, 0xffff, &v)) != 0) {
        return rc;
    }
    out->signature_len = lc_reader_left(&v);
    if ((rc = lc_read_bytes(&v, out->signature_len, &out->signature)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_certificate_verify_encode(lc_writer *w, const lc_certificate_verify *cv)
{
    lc_vec_mark m = lc_msg_begin(w, LC_MT_CERTIFICATE_VERIFY);

    lc_write_u16(w, cv->algorithm);
    /* signature<0..2^16-1>: a longer one overflows its prefix and the writer says so. */
    lc_write_vec(w, 2, cv->signature, cv->signature_len);
    lc_msg_end(w, m);
    return lc_writer_finish(w);
}
