/*
 * Handshake messages: the type registry and the framing every message shares
 * (RFC 8446 4), and the synthetic message_hash message (RFC 8446 4.4.1).
 *
 * The message codecs sit one per file beside this header (client_hello.h,
 * server_hello.h, ...). They share two conventions:
 *   - a decoder takes a reader over the message BODY (the bytes after the
 *     4-byte header, as lc_msg_frame() finds them) and fills a plain struct;
 *     variable-length fields are views into that body, so the struct is valid
 *     only while the body's buffer is. The decoder ends with lc_reader_done():
 *     bytes after the last field are LC_E_TRAILING. On failure the struct's
 *     contents are unspecified.
 *   - decoders check the wire format (lengths, ranges, the extension rules of
 *     RFC 8446 4.2 through lc_ext_list_decode) and the few values whose alert
 *     the RFC ties to the message itself; whether a value is acceptable in this
 *     connection (a suite we offered, the echoed session id) is the handshake's.
 *   - an encoder writes the WHOLE message, header included, because every
 *     message that is sent or hashed carries its header. It returns
 *     lc_writer_finish(), and LC_E_BAD_ARGUMENT for a struct whose fields are
 *     outside the RFC's ranges: we never write what our decoder would refuse.
 */
#ifndef LC_MSG_MSG_H
#define LC_MSG_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/common.h"
#include "msg/ext/ext.h"

/* HandshakeType, RFC 8446 4 (and B.3). */
enum lc_handshake_type {
    LC_MT_CLIENT_HELLO = 1,
    LC_MT_SERVER_HELLO = 2, /* also HelloRetryRequest (4.1.3) */
    LC_MT_NEW_SESSION_TICKET = 4,
    LC_MT_END_OF_EARLY_DATA = 5,
    LC_MT_ENCRYPTED_EXTENSIONS = 8,
    LC_MT_CERTIFICATE = 11,
    LC_MT_CERTIFICATE_REQUEST = 13,
    LC_MT_CERTIFICATE_VERIFY = 15,
    LC_MT_FINISHED = 20,
    LC_MT_KEY_UPDATE = 24,
    LC_MT_MESSAGE_HASH = 254, /* never on the wire; only in the transcript (4.4.1) */
};

/* The registry name of a handshake type ("client_hello"), or NULL for one we do not know. */
const char *lc_msg_type_name(uint8_t msg_type);

/* Handshake { HandshakeType msg_type; uint24 length; ... }: the header's size. */
#define LC_MSG_HEADER_LEN 4

/* uint24 length: the largest body a header can announce. */
#define LC_MSG_LENGTH_MAX 0xffffffu

/* Random, RFC 8446 4.1.2 and 4.1.3: 32 bytes in both hellos. */
#define LC_RANDOM_LEN 32

/* legacy_session_id<0..32> and legacy_session_id_echo<0..32>. */
#define LC_SESSION_ID_MAX 32

/* One handshake message found in a byte stream. */
typedef struct lc_msg {
    uint8_t msg_type;
    const uint8_t *body; /* view into the buffer given to lc_msg_frame: `length` bytes */
    size_t length;       /* the body's length, as the header says */
    size_t total;        /* LC_MSG_HEADER_LEN + length: the bytes the whole message takes */
} lc_msg;

/*
 * Looks for one Handshake message at the start of buf[0..n). Messages are not
 * aligned to records (RFC 8446 5.1): one may span several records and one
 * record may hold several, so the caller keeps the bytes of the handshake
 * stream in a buffer and calls this until it says a message is incomplete.
 *
 * Returns 0 and sets *complete:
 *   - true: out describes the message; it occupies buf[0..out->total), and out->body
 *     points into buf. The caller handles it, then drops out->total bytes.
 *   - false: more bytes are needed. out->total is how many bytes the message
 *     needs in all (LC_MSG_HEADER_LEN while even the header is incomplete);
 *     out->body is NULL.
 * Returns LC_E_DECODE if the header announces a body longer than max_length:
 * a resource limit, refused as soon as the header is seen rather than after
 * buffering up to 16 MiB.
 */
LC_MUST_CHECK int lc_msg_frame(const uint8_t *buf, size_t n, size_t max_length, lc_msg *out,
                               bool *complete);

/*
 * Writes a handshake header: msg_type and a reserved uint24 length, returned
 * as a mark. The caller writes the body, then lc_msg_end() back-patches the
 * length. Every message encoder is written this way.
 */
lc_vec_mark lc_msg_begin(lc_writer *w, uint8_t msg_type);
void lc_msg_end(lc_writer *w, lc_vec_mark m);

/*
 * Writes an extensions block, `Extension extensions<min..max>`, from list, for
 * the message encoders: LC_E_BAD_ARGUMENT if the block's length falls outside
 * <min..max> (an overflow of the writer is left for lc_writer_finish()).
 */
LC_MUST_CHECK int lc_msg_write_extensions(lc_writer *w, const lc_ext_list *list, size_t min,
                                          size_t max);

/*
 * RFC 8446 4.4.1: after a HelloRetryRequest, the transcript replaces
 * ClientHello1 with the synthetic message
 *     Handshake { msg_type = message_hash (254), length = Hash.length,
 *                 body = Hash(ClientHello1) }
 * This writes it; hash is Hash(ClientHello1) and hash_len its length (32 or
 * 48 for our suites; 0 is LC_E_BAD_ARGUMENT). The caller hashes the result
 * into the new transcript.
 */
LC_MUST_CHECK int lc_message_hash_encode(lc_writer *w, const uint8_t *hash, size_t hash_len);

#endif
