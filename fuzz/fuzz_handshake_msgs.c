/*
 * libFuzzer target: handshake framing (RFC 8446 4, lc_msg_frame) and every
 * message decoder other than the two hellos and Certificate (those have their
 * own targets): EncryptedExtensions, CertificateRequest, CertificateVerify,
 * Finished, NewSessionTicket, EndOfEarlyData, KeyUpdate. The input is a
 * handshake byte stream; each whole message is decoded by its type byte.
 * Properties: framing agrees with the header, and a message that decodes
 * re-encodes to exactly its own bytes (header included). The one documented
 * asymmetry: NewSessionTicket decodes any lifetime but refuses to encode one
 * over LC_TICKET_LIFETIME_MAX.
 */
#include "fuzz.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/encrypted_extensions.h"
#include "msg/end_of_early_data.h"
#include "msg/finished.h"
#include "msg/key_update.h"
#include "msg/msg.h"
#include "msg/new_session_ticket.h"

#define BODY_MAX (1u << 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Decodes one message; returns 1 and fills w if it decoded (and has an encoder). */
static int decode_encode(const lc_msg *m, lc_writer *w)
{
    static lc_encrypted_extensions ee;
    static lc_certificate_request cr;
    static lc_new_session_ticket nst;
    lc_certificate_verify cv;
    lc_finished fin;
    lc_key_update ku;
    lc_reader r;
    lc_reader_init(&r, m->body, m->length);
    switch (m->msg_type) {
    case LC_MT_ENCRYPTED_EXTENSIONS:
        if (lc_encrypted_extensions_decode(&r, &ee) != 0) {
            return 0;
        }
        FUZZ_CHECK(lc_encrypted_extensions_encode(w, &ee) == 0);
        return 1;
    case LC_MT_CERTIFICATE_REQUEST:
        if (lc_certificate_request_decode(&r, &cr) != 0) {
            return 0;
        }
        FUZZ_CHECK(lc_certificate_request_encode(w, &cr) == 0);
        return 1;
    case LC_MT_CERTIFICATE_VERIFY:
        if (lc_certificate_verify_decode(&r, &cv) != 0) {
            return 0;
        }
        FUZZ_CHECK(lc_certificate_verify_encode(w, &cv) == 0);
        return 1;
    case LC_MT_FINISHED: {
        /* SHA-256 or SHA-384 suites: the body's length picks which is tried first. */
        size_t hash_len = m->length == 48 ? 48 : 32;
        if (lc_finished_decode(&r, hash_len, &fin) != 0) {
            return 0;
        }
        FUZZ_CHECK(fin.verify_data_len == hash_len);
        FUZZ_CHECK(lc_finished_encode(w, &fin) == 0);
        return 1;
    }
    case LC_MT_NEW_SESSION_TICKET:
        if (lc_new_session_ticket_decode(&r, &nst) != 0) {
            return 0;
        }
        if (nst.ticket_lifetime > LC_TICKET_LIFETIME_MAX) {
            return 0; /* decodes as sent; the encoder refuses it (new_session_ticket.h) */
        }
        FUZZ_CHECK(lc_new_session_ticket_encode(w, &nst) == 0);
        return 1;
    case LC_MT_END_OF_EARLY_DATA:
        if (lc_end_of_early_data_decode(&r) != 0) {
            return 0;
        }
        FUZZ_CHECK(lc_end_of_early_data_encode(w) == 0);
        return 1;
    case LC_MT_KEY_UPDATE:
        if (lc_key_update_decode(&r, &ku) != 0) {
            return 0;
        }
        FUZZ_CHECK(lc_key_update_encode(w, &ku) == 0);
        return 1;
    default:
        (void)lc_msg_type_name(m->msg_type);
        return 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t got[BODY_MAX + 4];
    while (size > 0) {
        lc_msg m;
        bool complete = false;
        if (lc_msg_frame(data, size, BODY_MAX, &m, &complete) != 0) {
            return 0;
        }
        if (!complete) {
            FUZZ_CHECK(m.body == NULL && m.total > size);
            return 0;
        }
        FUZZ_CHECK(m.msg_type == data[0] && m.total == m.length + LC_MSG_HEADER_LEN);
        FUZZ_CHECK(m.total <= size && m.body == data + LC_MSG_HEADER_LEN);
        lc_writer w;
        lc_writer_init(&w, got, sizeof(got));
        if (decode_encode(&m, &w)) {
            fuzz_same(lc_msg_type_name(m.msg_type), data, m.total, got, w.len);
        }
        data += m.total;
        size -= m.total;
    }
    return 0;
}
