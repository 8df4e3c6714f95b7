/*
 * ServerHello and HelloRetryRequest: decode and encode (RFC 8446 4.1.3,
 * 4.1.4), and the special random values of 4.1.3 (the HelloRetryRequest
 * marker and the downgrade sentinels).
 *
 * One struct serves both messages, as on the wire. What differs is which
 * extensions each may carry (RFC 8446 4.2), so the decoder reads the random
 * before the extensions and hands lc_ext_list_decode() the right context.
 */
#include "msg/server_hello.h"

#include <string.h>

#include "base/error.h"

/* RFC 8446 4.1.3: SHA-256 of the ASCII string "HelloRetryRequest". */
const uint8_t lc_hrr_random[LC_RANDOM_LEN] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* RFC 8446 4.1.3: "DOWNGRD" followed by 01 (TLS 1.2) or 00 (TLS 1.1 and below). */
const uint8_t lc_downgrade_tls12[LC_DOWNGRADE_LEN] = { 0x44, 0x4f, 0x57, 0x4e,
                                                        0x47, 0x52, 0x44, 0x01 };
const uint8_t lc_downgrade_tls11[LC_DOWNGRADE_LEN] = { 0x44, 0x4f, 0x57, 0x4e,
                                                        0x47, 0x52, 0x44, 0x00 };

bool lc_random_is_hrr(const uint8_t random[LC_RANDOM_LEN])
{
    /* A public value: no need for a constant-time compare. */
    return memcmp(random, lc_hrr_random, LC_RANDOM_LEN) == 0;
}

enum lc_downgrade lc_random_downgrade(const uint8_t random[LC_RANDOM_LEN])
{
    const uint8_t *tail = &random[LC_RANDOM_LEN - LC_DOWNGRADE_LEN];

    if (memcmp(tail, lc_downgrade_tls12, LC_DOWNGRADE_LEN) == 0) {
        return LC_DOWNGRADE_TLS12;
    }
    if (memcmp(tail, lc_downgrade_tls11, LC_DOWNGRADE_LEN) == 0) {
        return LC_DOWNGRADE_TLS11;
    }
    return LC_DOWNGRADE_NONE;
}

bool lc_server_hello_is_hrr(const uint8_t *body, size_t len)
{
    lc_reader r;
    uint16_t legacy_version;
    uint8_t random[LC_RANDOM_LEN];

    lc_reader_init(&r, body, len);
    if (lc_read_u16(&r, &legacy_version) != 0 || lc_read_copy(&r, random, LC_RANDOM_LEN) != 0) {
        return false;
    }
    return lc_random_is_hrr(random);
}

int lc_server_hello_decode(lc_reader *r, lc_server_hello *out)
{
    lc_reader v;
    uint8_t compression;
    unsigned where;
    int rc;

    if ((rc = lc_read_u16(r, &out->legacy_version)) != 0 ||
        (rc = lc_read_copy(r, out->random, LC_RANDOM_LEN)) != 0) {
        return rc;
    }
    /* RFC 8446 4.1.3: examine the random first; HRR's extensions are checked as HRR's. */
    out->is_hrr = lc_random_is_hrr(out->random);
    where = out->is_hrr ? LC_EXT_IN_HRR : LC_EXT_IN_SH;

    if ((rc = lc_read_vec(r, 1, 0, LC_SESSION_ID_MAX, &v)) != 0) {
        return rc;
    }
    out->legacy_session_id_echo_len = lc_reader_left(&v);
    if ((rc = lc_read_copy(&v, out->legacy_session_id_echo, out->legacy_session_id_echo_len)) !=
        0) {
        return rc;
    }
    if ((rc = lc_read_u16(r, &out->cipher_suite)) != 0 ||
        (rc = lc_read_u8(r, &compression)) != 0) {
        return rc;
    }
    /*
     * RFC 8446 4.1.3: legacy_compression_method "MUST have the value 0". No
     * alert is named; a field that parses but is wrong is illegal_parameter
     * (6.2). It holds for TLS 1.2 as well: we never offer another method.
     */
    if (compression != 0) {
        return LC_E_ILLEGAL_PARAMETER;
    }
    /* As in ClientHello, no bytes after the compression method is an older version's hello. */
    out->extensions.count = 0;
    if (lc_reader_empty(r)) {
        return 0;
    }
    if ((rc = lc_ext_list_decode(r, 6, where, &out->extensions)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_server_hello_encode(lc_writer *w, const lc_server_hello *sh)
{
    lc_vec_mark m;
    int rc;

    /* The flag and the random must agree, or the peer reads a different message. */
    if (sh->is_hrr != lc_random_is_hrr(sh->random) ||
        sh->legacy_session_id_echo_len > LC_SESSION_ID_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    m = lc_msg_begin(w, LC_MT_SERVER_HELLO);
    lc_write_u16(w, sh->legacy_version);
    lc_write_bytes(w, sh->random, LC_RANDOM_LEN);
    lc_write_vec(w, 1, sh->legacy_session_id_echo, sh->legacy_session_id_echo_len);
    lc_write_u16(w, sh->cipher_suite);
    lc_write_u8(w, 0); /* legacy_compression_method */
    if (sh->extensions.count > 0) {
        if ((rc = lc_msg_write_extensions(w, &sh->extensions, 6, 0xffff)) != 0) {
            return rc;
        }
    }
    lc_msg_end(w, m);
    return lc_writer_finish(w);
}
