/*
 * The TLS 1.3 record layer (RFC 8446 5): framing, protection, sizes.
 *
 * One file per part:
 *   direction.c  one direction's keys: the AEAD context, the IV, the 64-bit
 *                sequence number and the per-record nonce (5.3), the size limit
 *                (5.4, RFC 8449)
 *   deframe.c    cutting records out of wire bytes that arrive in chunks of any
 *                size (5.1), checking each header before its body is awaited
 *   protect.c    writing records: TLSPlaintext headers (5.1) and TLSCiphertext
 *                protection with content type and padding (5.2, 5.4)
 *   unprotect.c  opening a TLSCiphertext in place and finding its real type (5.2, 5.4)
 *   write.c      content of any length into an output queue as records (write.h)
 *
 * The record layer knows nothing of handshake messages: it hands the
 * connection typed fragments and takes typed content. Deciding what a record
 * type means now (a change_cipher_spec to drop, a plaintext record where keys
 * are in force) is the connection's job; this layer gives it the header's type
 * and the body, and refuses what RFC 8446 5 forbids whatever the state.
 *
 * Every function returns 0 or an LC_E_* code whose alert is the one RFC 8446
 * names (src/base/error.h). Nothing here allocates per record: the deframer's
 * buffer is made when a record body first arrives and freed by
 * lc_rec_in_trim(); protect and unprotect work in place in the caller's buffer.
 */
#ifndef LC_RECORD_RECORD_H
#define LC_RECORD_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "crypto/crypto.h"

/* ContentType (RFC 8446 5.1). */
enum lc_content_type {
    LC_CT_INVALID = 0,
    LC_CT_CHANGE_CIPHER_SPEC = 20,
    LC_CT_ALERT = 21,
    LC_CT_HANDSHAKE = 22,
    LC_CT_APPLICATION_DATA = 23,
};

/* type(1) || legacy_record_version(2) || length(2) */
#define LC_REC_HEADER_LEN 5
/* TLSPlaintext.length: 2^14 (5.1) */
#define LC_REC_PLAINTEXT_MAX 16384
/* TLSInnerPlaintext: content, type and padding together (5.4) */
#define LC_REC_INNER_MAX (LC_REC_PLAINTEXT_MAX + 1)
/* TLSCiphertext.length: 2^14 + 256 (5.2) */
#define LC_REC_CIPHERTEXT_MAX (LC_REC_PLAINTEXT_MAX + 256)
/* What lc_rec_protect adds around the content: header, inner type, AEAD tag. */
#define LC_REC_PROTECT_OVERHEAD (LC_REC_HEADER_LEN + 1 + LC_AEAD_TAG_LEN)
/* legacy_record_version of every record we write, bar perhaps the first ClientHello (5.1). */
#define LC_REC_VERSION 0x0303
/*
 * Records sealed under one key before the sender rekeys (RFC 8446 5.5): AES-GCM
 * stays within its margins for about 2^24.5 full-size records; 2^23 keeps well
 * inside that for every suite at the cost of one KeyUpdate per 128 GiB.
 */
#define LC_REC_REKEY_AFTER (1ull << 23)
/* The smallest record_size_limit a peer may ask for (RFC 8449 4). */
#define LC_REC_SIZE_LIMIT_MIN 64

/*
 * A record as the deframer hands it out. All pointers are views into the
 * deframer's buffer, valid until lc_rec_in_consume(). lc_rec_unprotect()
 * rewrites type and len in place to the inner content's.
 */
typedef struct lc_record {
    uint8_t type;                   /* ContentType: the header's; the inner one after unprotect */
    uint16_t legacy_record_version; /* as received; checked by the deframer */
    const uint8_t *header;          /* the 5 header bytes: additional_data for unprotect (5.2) */
    uint8_t *fragment;              /* the body, writable so that it is opened in place */
    size_t len;                     /* body length; the content's length after unprotect */
} lc_record;

/* ---- direction.c: one direction's keys (RFC 8446 5.3) -------------------------------- */

/*
 * One direction (we write, or we read): everything a record needs besides its
 * bytes. Unprotected until the first key is set. The AEAD context is made at
 * the first key and re-keyed after (src/crypto/crypto.h: never re-created per
 * record or per key).
 */
typedef struct lc_rec_dir {
    lc_aead_ctx *aead;             /* NULL while the direction is unprotected */
    bool encrypt;                  /* we write (seal) or we read (open) */
    uint8_t iv[LC_AEAD_NONCE_LEN]; /* [sender]_write_iv (7.3) */
    uint64_t seq;                  /* the next record's sequence number (5.3) */
    size_t inner_max;              /* largest TLSInnerPlaintext: 2^14 + 1 or a record_size_limit */
    uint64_t records, bytes;       /* since the connection began, across keys (the trace's
                                      counts): written by lc_rec_write; read: the caller's */
} lc_rec_dir;

/* An unprotected direction with the default size limit. encrypt: we send with it. */
void lc_rec_dir_init(lc_rec_dir *d, bool encrypt);

/*
 * Installs a traffic key and IV (from lc_ks_set_traffic_keys, or directly in
 * tests) and starts the sequence number at 0 (RFC 8446 5.3: "the first record
 * transmitted under a particular traffic key MUST use sequence number 0").
 * The caller keeps and wipes key and iv; the direction keeps copies.
 */
LC_MUST_CHECK int lc_rec_dir_set_key(lc_rec_dir *d, const lc_crypto *cr, enum lc_aead_alg alg,
                                     const uint8_t *key, const uint8_t iv[LC_AEAD_NONCE_LEN]);

/* True once a key is set. */
bool lc_rec_dir_protected(const lc_rec_dir *d);

/*
 * Applies a record_size_limit (RFC 8449 4): in TLS 1.3 the limit counts the
 * whole TLSInnerPlaintext (content, type, padding; RFC 8446 5.4). For the
 * sending direction it is the peer's limit, for the receiving one ours.
 * Values above 2^14 + 1 are taken as 2^14 + 1 (RFC 8449 4: a server must not
 * refuse them); below 64 is LC_E_ILLEGAL_PARAMETER (illegal_parameter, RFC 8449 4).
 */
LC_MUST_CHECK int lc_rec_dir_set_limit(lc_rec_dir *d, size_t record_size_limit);

/* The most content one protected record of this direction carries (2^14 by default). */
size_t lc_rec_dir_max_fragment(const lc_rec_dir *d);

/*
 * The per-record nonce (RFC 8446 5.3): the 64-bit sequence number, big-endian,
 * left-padded with zeros to 12 bytes, XORed with the IV.
 */
void lc_rec_dir_nonce(const lc_rec_dir *d, uint8_t nonce[LC_AEAD_NONCE_LEN]);

/* Frees the AEAD context and wipes the IV; d is unprotected afterwards. */
void lc_rec_dir_free(lc_rec_dir *d);

/* ---- deframe.c: records out of a byte stream (RFC 8446 5.1) ------------------------- */

/*
 * The receive side's buffer, owned by the connection. It holds at most one
 * record: the header inline, the body in a heap buffer of
 * LC_REC_CIPHERTEXT_MAX bytes that exists only while a body is held or until
 * lc_rec_in_trim(). See the notes at the top of deframe.c.
 */
typedef struct lc_rec_in {
    uint8_t header[LC_REC_HEADER_LEN];
    size_t header_len;    /* header bytes held, 0..5 */
    uint8_t *body;        /* NULL until a body arrives, and again after lc_rec_in_trim */
    size_t body_len;      /* body bytes held */
    size_t body_want;     /* the header's length field, once the header is whole */
    bool initial;         /* the initial ClientHello may still be arriving (server side) */
    int err;              /* sticky: the first error, returned by every later feed */
} lc_rec_in;

/*
 * An empty deframer. initial_client_hello is true on a server: the records of
 * the first ClientHello may carry any legacy_record_version 0x03XX (see
 * deframe.c for why); on a client, and after the initial ClientHello, every
 * record must carry 0x0303.
 */
void lc_rec_in_init(lc_rec_in *in, bool initial_client_hello);

/*
 * Takes wire bytes, never past the end of the current record, and sets *used to
 * how many it took: the caller offers the rest again once it has consumed
 * the record (a connection loops: feed, take the record, consume, feed the
 * rest). Takes nothing while a whole record is held.
 *
 * Each header is checked as soon as its 5 bytes are in, before the body is
 * awaited (RFC 8446 5.1, 5.2):
 *   type not 20-23                                   LC_E_UNEXPECTED_RECORD (unexpected_message)
 *   version not 0x03XX, or not 0x0303 after the initial ClientHello
 *                                                    LC_E_PROTOCOL_VERSION (protocol_version)
 *   length > 2^14 + 256, or > 2^14 for the types that
 *   are never protected (20, 21, 22)                 LC_E_RECORD_OVERFLOW (record_overflow)
 *   a zero-length handshake record                   LC_E_UNEXPECTED_MESSAGE (unexpected_message)
 *   a zero-length alert record                       LC_E_EMPTY_RECORD (decode_error)
 * Errors are sticky. LC_E_NO_MEMORY if the body buffer cannot be made.
 */
LC_MUST_CHECK int lc_rec_in_feed(lc_rec_in *in, const uint8_t *data, size_t len, size_t *used);

/*
 * lc_rec_in_feed, except that when the whole body of a record with the outer
 * type application_data is in data (none of it held before), the body is not
 * copied: *src points at it in data and the deframer's buffer, the record's
 * fragment, holds nothing yet (its bytes are unspecified). The caller must then
 * open the record from *src into the fragment (lc_rec_unprotect_from) before
 * anything reads the fragment, and before data goes away; *src is NULL when
 * the body was copied as usual.
 */
LC_MUST_CHECK int lc_rec_in_feed_from(lc_rec_in *in, const uint8_t *data, size_t len,
                                      size_t *used, const uint8_t **src);

/* True if a whole record is held; fills *rec with views into in (see lc_record). */
bool lc_rec_in_record(lc_rec_in *in, lc_record *rec);

/*
 * Done with the held record: its body (which may now be plaintext) is wiped and
 * the deframer waits for the next header. The buffer is kept for that next
 * record; lc_rec_in_trim() lets it go.
 */
void lc_rec_in_consume(lc_rec_in *in);

/*
 * Ends the initial-ClientHello leniency (the server connection calls it once
 * ClientHello1 is whole; any record other than a handshake record ends it too).
 */
void lc_rec_in_initial_done(lc_rec_in *in);

/* True if no byte of any record is held. */
bool lc_rec_in_empty(const lc_rec_in *in);

/*
 * Frees the body buffer if it holds nothing (STYLE 3.7: an idle connection
 * holds no record buffer). The connection calls it when it has consumed all it
 * was given and goes back to waiting; doing it per record would cost an
 * allocation per record in a burst.
 */
void lc_rec_in_trim(lc_rec_in *in);

/* Wipes and frees everything held. */
void lc_rec_in_free(lc_rec_in *in);

/* ---- protect.c: records out (RFC 8446 5.1, 5.2, 5.4) -------------------------------- */

/*
 * Frames an unprotected record (TLSPlaintext, 5.1) in place: the caller has
 * put len bytes of content at rec + LC_REC_HEADER_LEN (cap bytes from rec in
 * all); this writes the header in front and sets *outlen = 5 + len.
 * legacy_record_version is LC_REC_VERSION, or 0x0301 for a client's initial
 * ClientHello (5.1). Refused with LC_E_BAD_ARGUMENT, since they would break
 * RFC 8446 5.1: application data (always protected), a type outside 20-22,
 * an empty handshake or alert record, more than 2^14 bytes.
 */
LC_MUST_CHECK int lc_rec_frame_plaintext(uint8_t type, uint16_t legacy_record_version, size_t len,
                                         uint8_t *rec, size_t cap, size_t *outlen);

/*
 * Protects one record in place (TLSCiphertext, 5.2). The caller has put len
 * bytes of content at rec + LC_REC_HEADER_LEN; this appends the real type and
 * padding zero bytes (TLSInnerPlaintext, 5.4), encrypts with the nonce of the
 * direction's sequence number and the header as additional data, appends the
 * tag, writes the header (opaque_type 23, version 0x0303) and sets
 * *outlen = len + padding + LC_REC_PROTECT_OVERHEAD. The sequence number then
 * moves on. cap counts the bytes from rec.
 *
 * LC_E_BAD_ARGUMENT, nothing written: a type outside 21-23 (change_cipher_spec
 * is never protected, 5), an empty handshake or alert (5.4), content plus type
 * plus padding over the direction's limit (5.4: never produced);
 * LC_E_BUFFER_TOO_SMALL if cap is short; LC_E_INTERNAL if the direction has no
 * key, or its sequence number would wrap (5.3: the connection must have
 * rekeyed or closed before).
 */
LC_MUST_CHECK int lc_rec_protect(lc_rec_dir *d, uint8_t type, size_t len, size_t padding,
                                 uint8_t *rec, size_t cap, size_t *outlen);

/*
 * lc_rec_protect with the content read from `content` (len bytes anywhere that
 * does not overlap rec, or rec + LC_REC_HEADER_LEN itself): it is encrypted
 * straight into the record, so a caller's data is never copied into the output
 * queue first (write.c). Same checks and errors; nothing is written on an error
 * found before sealing.
 */
LC_MUST_CHECK int lc_rec_protect_from(lc_rec_dir *d, uint8_t type, const uint8_t *content,
                                      size_t len, size_t padding, uint8_t *rec, size_t cap,
                                      size_t *outlen);

/* ---- unprotect.c: records in (RFC 8446 5.2, 5.4) ------------------------------------ */

/*
 * Opens a protected record in place: on success rec->type is the inner content
 * type (21, 22 or 23), rec->len the content's length (padding stripped) and
 * rec->fragment still points at it; the sequence number moves on.
 *
 *   the header's type is not application_data     LC_E_UNEXPECTED_RECORD (unexpected_message)
 *   any failure to authenticate or decrypt         LC_E_BAD_RECORD_MAC (bad_record_mac, 5.2)
 *   TLSInnerPlaintext over the direction's limit   LC_E_RECORD_OVERFLOW (record_overflow, 5.4)
 *   no non-zero byte (no content type)             LC_E_UNEXPECTED_MESSAGE (5.4)
 *   inner type change_cipher_spec                  LC_E_UNEXPECTED_MESSAGE (5: never protected)
 *   inner type not 21-23                           LC_E_UNEXPECTED_RECORD (unexpected_message, 5)
 *   an empty handshake or alert                    LC_E_UNEXPECTED_MESSAGE (5.4)
 *   the direction has no key, or its sequence number would wrap: LC_E_INTERNAL
 * After a failure the fragment's bytes are unspecified (zeroed where they were
 * decrypted); the connection is closing.
 */
LC_MUST_CHECK int lc_rec_unprotect(lc_rec_dir *d, lc_record *rec);

/*
 * lc_rec_unprotect with the ciphertext (rec->len bytes, tag included) read from
 * `ciphertext`, which does not overlap rec->fragment or is rec->fragment
 * itself; the content is written to rec->fragment (lc_rec_in_feed_from).
 */
LC_MUST_CHECK int lc_rec_unprotect_from(lc_rec_dir *d, lc_record *rec,
                                        const uint8_t *ciphertext);

#endif
