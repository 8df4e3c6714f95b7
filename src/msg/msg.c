/*
 * Handshake framing and the message type registry (RFC 8446 4), the
 * extensions-block writer the message encoders share, and message_hash
 * (RFC 8446 4.4.1).
 *
 * Framing is the one place where the handshake stream is cut into messages.
 * It reads the 4-byte header with the reader like every other parse and never
 * looks into a body: the type decides which decoder runs, and that is the
 * handshake layer's choice (an unknown or unexpected type is its
 * unexpected_message, decided in one table).
 */
#include "msg/msg.h"

#include "base/error.h"

const char *lc_msg_type_name(uint8_t msg_type)
{
    switch (msg_type) {
    case LC_MT_CLIENT_HELLO:
        return "client_hello";
    case LC_MT_SERVER_HELLO:
        return "server_hello";
    case LC_MT_NEW_SESSION_TICKET:
        return "new_session_ticket";
    case LC_MT_END_OF_EARLY_DATA:
        return "end_of_early_data";
    case LC_MT_ENCRYPTED_EXTENSIONS:
        return "encrypted_extensions";
    case LC_MT_CERTIFICATE:
        return "certificate";
    case LC_MT_CERTIFICATE_REQUEST:
        return "certificate_request";
    case LC_MT_CERTIFICATE_VERIFY:
        return "certificate_verify";
    case LC_MT_FINISHED:
        return "finished";
    case LC_MT_KEY_UPDATE:
        return "key_update";
    case LC_MT_MESSAGE_HASH:
        return "message_hash";
    default:
        return NULL;
    }
}

int lc_msg_frame(const uint8_t *buf, size_t n, size_t max_length, lc_msg *out, bool *complete)
{
    lc_reader r;
    uint32_t length;
    int rc;

    out->msg_type = 0;
    out->body = NULL;
    out->length = 0;
    out->total = LC_MSG_HEADER_LEN;
    *complete = false;

    lc_reader_init(&r, buf, n);
    if (lc_reader_left(&r) < LC_MSG_HEADER_LEN) {
        return 0; /* not even the header yet */
    }
    if ((rc = lc_read_u8(&r, &out->msg_type)) != 0 || (rc = lc_read_u24(&r, &length)) != 0) {
        return rc;
    }
    /* Judged on the header alone, so a peer cannot make us buffer 16 MiB first. */
    if (length > max_length) {
        return LC_E_DECODE;
    }
    out->length = length;
    out->total = LC_MSG_HEADER_LEN + (size_t)length;
    if (lc_reader_left(&r) < length) {
        return 0; /* the rest comes in later records (RFC 8446 5.1) */
    }
    if ((rc = lc_read_bytes(&r, length, &out->body)) != 0) {
        return rc;
    }
    *complete = true;
    return 0;
}

lc_vec_mark lc_msg_begin(lc_writer *w, uint8_t msg_type)
{
    lc_write_u8(w, msg_type);
    return lc_write_vec_begin(w, 3);
}

void lc_msg_end(lc_writer *w, lc_vec_mark m)
{
    lc_write_vec_end(w, m);
}

int lc_msg_write_extensions(lc_writer *w, const lc_ext_list *list, size_t min, size_t max)
{
    size_t before = w->len;
    size_t block;

    lc_ext_list_encode(w, list);
    if (w->overflow) {
        return 0; /* the caller's lc_writer_finish() reports it */
    }
    /* The block is its 2-byte length and the extensions; its range is the extensions' part. */
    block = w->len - before - 2;
    if (block < min || block > max) {
        return LC_E_BAD_ARGUMENT;
    }
    return 0;
}

int lc_message_hash_encode(lc_writer *w, const uint8_t *hash, size_t hash_len)
{
    lc_vec_mark m;

    if (hash_len == 0) {
        return LC_E_BAD_ARGUMENT;
    }
    /* RFC 8446 4.4.1: the body is the bare hash, with no length prefix of its own. */
    m = lc_msg_begin(w, LC_MT_MESSAGE_HASH);
    lc_write_bytes(w, hash, hash_len);
    lc_msg_end(w, m);
    return lc_writer_finish(w);
}
