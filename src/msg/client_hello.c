/*
 * ClientHello: decode and encode (RFC 8446 4.1.2).
 *
 * The decoder checks only what the struct says on the wire: each vector's
 * <min..max>, that cipher_suites holds whole 2-byte values, and that nothing
 * follows the extensions. Meaning (is legacy_version 0x0303, is compression
 * null, is supported_versions there) is the handshake's to judge, because a
 * TLS 1.2 ClientHello is a valid message that TLS 1.3 answers with an alert
 * of its own choosing (protocol_version, illegal_parameter, missing_extension).
 */
#include "msg/client_hello.h"

#include "base/error.h"

/* RFC 8446 4.1.2: CipherSuite cipher_suites<2..2^16-2>, two bytes each. */
static int decode_suites(lc_reader *r, lc_client_hello *out)
{
    lc_reader list;
    int rc;

    if ((rc = lc_read_vec(r, 2, 2, 0xfffe, &list)) != 0) {
        return rc;
    }
    out->cipher_suites_count = 0;
    while (!lc_reader_empty(&list)) {
        uint16_t suite;

        if ((rc = lc_read_u16(&list, &suite)) != 0) {
            return rc; /* an odd length ends here: decode_error */
        }
        if (out->cipher_suites_count < LC_CH_MAX_CIPHER_SUITES) {
            out->cipher_suites[out->cipher_suites_count++] = suite;
        }
    }
    return 0;
}

int lc_client_hello_decode(lc_reader *r, lc_client_hello *out)
{
    lc_reader v;
    int rc;

    if ((rc = lc_read_u16(r, &out->legacy_version)) != 0 ||
        (rc = lc_read_copy(r, out->random, LC_RANDOM_LEN)) != 0) {
        return rc;
    }
    if ((rc = lc_read_vec(r, 1, 0, LC_SESSION_ID_MAX, &v)) != 0) {
        return rc;
    }
    out->legacy_session_id_len = lc_reader_left(&v);
    if ((rc = lc_read_copy(&v, out->legacy_session_id, out->legacy_session_id_len)) != 0) {
        return rc;
    }
    if ((rc = decode_suites(r, out)) != 0) {
        return rc;
    }
    if ((rc = lc_read_vec(r, 1, 1, 0xff, &v)) != 0) {
        return rc;
    }
    out->legacy_compression_methods_len = lc_reader_left(&v);
    if ((rc = lc_read_bytes(&v, out->legacy_compression_methods_len,
                            &out->legacy_compression_methods)) != 0) {
        return rc;
    }
    /*
     * RFC 8446 4.1.2: "The presence of extensions can be detected by determining
     * whether there are bytes following the compression_methods field". None is
     * a TLS 1.2 (or older) ClientHello: an empty list here.
     */
    out->extensions.count = 0;
    if (lc_reader_empty(r)) {
        return 0;
    }
    if ((rc = lc_ext_list_decode(r, 8, LC_EXT_IN_CH, &out->extensions)) != 0) {
        return rc;
    }
    /* ... and if there are, they are "a valid extensions block with no data following". */
    return lc_reader_done(r);
}

int lc_client_hello_encode(lc_writer *w, const lc_client_hello *ch)
{
    lc_vec_mark m, suites;
    int rc;

    if (ch->legacy_session_id_len > LC_SESSION_ID_MAX || ch->cipher_suites_count == 0 ||
        ch->cipher_suites_count > LC_CH_MAX_CIPHER_SUITES ||
        ch->legacy_compression_methods_len == 0 || ch->legacy_compression_methods_len > 0xff) {
        return LC_E_BAD_ARGUMENT;
    }
    m = lc_msg_begin(w, LC_MT_CLIENT_HELLO);
    lc_write_u16(w, ch->legacy_version);
    lc_write_bytes(w, ch->random, LC_RANDOM_LEN);
    lc_write_vec(w, 1, ch->legacy_session_id, ch->legacy_session_id_len);
    suites = lc_write_vec_begin(w, 2);
    for (size_t i = 0; i < ch->cipher_suites_count; i++) {
        lc_write_u16(w, ch->cipher_suites[i]);
    }
    lc_write_vec_end(w, suites);
    lc_write_vec(w, 1, ch->legacy_compression_methods, ch->legacy_compression_methods_len);
    if (ch->extensions.count > 0) {
        if ((rc = lc_msg_write_extensions(w, &ch->extensions, 8, 0xffff)) != 0) {
            return rc;
        }
    }
    lc_msg_end(w, m);
    return lc_writer_finish(w);
}

bool lc_client_hello_null_compression(const lc_client_hello *ch)
{
    return ch->legacy_compression_methods_len == 1 && ch->legacy_compression_methods[0] == 0;
}
