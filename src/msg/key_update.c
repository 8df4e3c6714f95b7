/*
 * KeyUpdate: decode and encode (RFC 8446 4.6.3).
 *
 * Either side may send it after the handshake to move its sending keys to the
 * next generation; request_update asks the peer to do the same. The key
 * change itself is the handshake's (7.2).
 */
#include "msg/key_update.h"

#include "base/error.h"

int lc_key_update_decode(lc_reader *r, lc_key_update *out)
{
    int rc;

    if ((rc = lc_read_u8(r, &out->request_update)) != 0) {
        return rc;
    }
    /*
     * RFC 8446 4.6.3: "If an implementation receives any other value, it MUST
     * terminate the connection with an "illegal_parameter" alert." A length
     * error still wins: a body with trailing bytes is decode_error first.
     */
    if ((rc = lc_reader_done(r)) != 0) {
        return rc;
    }
    if (out->request_update != LC_UPDATE_NOT_REQUESTED &&
        out->request_update != LC_UPDATE_REQUESTED) {
        return LC_E_ILLEGAL_PARAMETER;
    }
    return 0;
}

int lc_key_update_encode(lc_writer *w, const lc_key_update *ku)
{
    lc_vec_mark m;

    if (ku->request_update != LC_UPDATE_NOT_REQUESTED &&
        ku->request_update != LC_UPDATE_REQUESTED) {
        return LC_E_BAD_ARGUMENT;
    }
    m = lc_msg_begin(w, LC_MT_KEY_UPDATE);
    lc_write_u8(w, ku->request_update);
    lc_msg_end(w, m);
    return lc_writer_finish(w);
}
