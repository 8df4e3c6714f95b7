/*
 * Finished: decode and encode (RFC 8446 4.4.4).
 *
 * verify_data = HMAC(finished_key, Transcript-Hash(...)), a fixed-size array
 * whose size the message does not say: it is Hash.length of the suite, so
 * the decoder takes it from the caller. The HMAC and its constant-time
 * comparison are the handshake's.
 */
#include "msg/finished.h"

#include "base/error.h"

int lc_finished_decode(lc_reader *r, size_t hash_len, lc_finished *out)
{
    int rc;

    if (hash_len == 0) {
        return LC_E_BAD_ARGUMENT;
    }
    out->verify_data_len = hash_len;
    if ((rc = lc_read_bytes(r, hash_len, &out->verify_data)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_finished_encode(lc_writer *w, const lc_finished *fin)
{
    lc_vec_mark m;

    if (fin->verify_data_len == 0) {
        return LC_E_BAD_ARGUMENT;
    }
    m = lc_msg_begin(w, LC_MT_FINISHED);
    lc_write_bytes(w, fin->verify_data, fin->verify_data_len);
    lc_msg_end(w, m);
    return lc_writer_finish(w);
}
