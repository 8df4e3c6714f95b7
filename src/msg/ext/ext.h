/*
 * Extensions (RFC 8446 4.2): the table and the list in a message.
 *
 * One table holds every extension Lucid knows: code point, registry name, and
 * the messages that may carry it (the CH/SH/EE/CT/CR/NST/HRR column of RFC 8446
 * 4.2). lc_ext_list_decode() is the one place that decides "duplicate",
 * "not allowed here" and "unknown": every message decoder calls it.
 *
 * The list keeps each extension's body as a view into the message, in wire
 * order; the typed codecs in this folder (one file per extension) decode a body
 * into a struct and encode a struct into a body.
 */
#ifndef LC_MSG_EXT_EXT_H
#define LC_MSG_EXT_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/common.h"

/* Where an extension block appears: one bit each, for the table's "allowed in" mask. */
enum lc_ext_where {
    LC_EXT_IN_CH = 1u << 0,   /* ClientHello */
    LC_EXT_IN_SH = 1u << 1,   /* ServerHello */
    LC_EXT_IN_HRR = 1u << 2,  /* HelloRetryRequest */
    LC_EXT_IN_EE = 1u << 3,   /* EncryptedExtensions */
    LC_EXT_IN_CT = 1u << 4,   /* Certificate (per CertificateEntry) */
    LC_EXT_IN_CR = 1u << 5,   /* CertificateRequest */
    LC_EXT_IN_NST = 1u << 6,  /* NewSessionTicket */
};

/* ExtensionType code points (RFC 8446 4.2 and the IANA registry). */
enum lc_ext_type {
    LC_EXT_SERVER_NAME = 0,
    LC_EXT_MAX_FRAGMENT_LENGTH = 1,
    LC_EXT_STATUS_REQUEST = 5,
    LC_EXT_SUPPORTED_GROUPS = 10,
    LC_EXT_EC_POINT_FORMATS = 11,
    LC_EXT_SIGNATURE_ALGORITHMS = 13,
    LC_EXT_USE_SRTP = 14,
    LC_EXT_HEARTBEAT = 15,
    LC_EXT_ALPN = 16,
    LC_EXT_SIGNED_CERTIFICATE_TIMESTAMP = 18,
    LC_EXT_CLIENT_CERTIFICATE_TYPE = 19,
    LC_EXT_SERVER_CERTIFICATE_TYPE = 20,
    LC_EXT_PADDING = 21,
    LC_EXT_ENCRYPT_THEN_MAC = 22,
    LC_EXT_EXTENDED_MASTER_SECRET = 23,
    LC_EXT_COMPRESS_CERTIFICATE = 27,
    LC_EXT_RECORD_SIZE_LIMIT = 28,
    LC_EXT_SESSION_TICKET = 35,
    LC_EXT_PRE_SHARED_KEY = 41,
    LC_EXT_EARLY_DATA = 42,
    LC_EXT_SUPPORTED_VERSIONS = 43,
    LC_EXT_COOKIE = 44,
    LC_EXT_PSK_KEY_EXCHANGE_MODES = 45,
    LC_EXT_CERTIFICATE_AUTHORITIES = 47,
    LC_EXT_OID_FILTERS = 48,
    LC_EXT_POST_HANDSHAKE_AUTH = 49,
    LC_EXT_SIGNATURE_ALGORITHMS_CERT = 50,
    LC_EXT_KEY_SHARE = 51,
    LC_EXT_RENEGOTIATION_INFO = 0xff01,
};

/* The most extensions one block may hold; more is refused as decode_error (a resource limit). */
#define LC_EXT_LIST_MAX 64

typedef struct lc_ext {
    uint16_t type;
    const uint8_t *body; /* view into the message */
    size_t len;
} lc_ext;

typedef struct lc_ext_list {
    size_t count;
    lc_ext ext[LC_EXT_LIST_MAX];
} lc_ext_list;

/*
 * Decodes `Extension extensions<min..2^16-1>` from r for a message of kind
 * `where` (one LC_EXT_IN_* bit) into out, checking, in this order per entry:
 *   - a type seen before in this block: LC_E_DUPLICATE_EXTENSION (illegal_parameter, 4.2);
 *   - a known type the message may not carry: LC_E_EXTENSION_NOT_ALLOWED (illegal_parameter, 4.2);
 *   - an unknown type: kept in CH, CR and NST (they MUST be ignored there, 4.1.2, 4.3.2,
 *     4.6.1); in SH, HRR, EE and CT it cannot answer anything we sent:
 *     LC_E_UNSOLICITED_EXTENSION (unsupported_extension, 4.2);
 *   - in CH, pre_shared_key not last: LC_E_PSK_NOT_LAST (illegal_parameter, 4.2.11).
 * min is the vector's minimum length (8 for ClientHello, 6 for ServerHello, 0 elsewhere).
 */
LC_MUST_CHECK int lc_ext_list_decode(lc_reader *r, size_t min, unsigned where, lc_ext_list *out);

/* Writes the list back: the vector prefix, then each extension in order. */
void lc_ext_list_encode(lc_writer *w, const lc_ext_list *list);

/* The extension of this type in the list, or NULL. */
const lc_ext *lc_ext_find(const lc_ext_list *list, uint16_t type);

/* Registry name ("key_share"), or NULL for a type we do not know. */
const char *lc_ext_name(uint16_t type);

/* True if the table allows this type in a message of kind `where`. */
bool lc_ext_allowed(uint16_t type, unsigned where);

/*
 * Helpers shared by the typed codecs in this folder (one file per extension).
 *
 * Each typed decoder takes a reader over one extension's body (lc_ext_reader) and
 * must consume all of it: leftover bytes are LC_E_TRAILING (decode_error). Each
 * typed encoder writes the body only; a message encoder wraps it with
 * lc_ext_begin / lc_ext_end. Encoders return LC_E_BAD_ARGUMENT (internal_error)
 * for a struct outside the RFC's bounds, which is our own bug, and otherwise
 * lc_writer_finish(w), so LC_E_BUFFER_TOO_SMALL if anything did not fit.
 */

/* A view of bytes inside a message (no copy); valid as long as the message's buffer. */
typedef struct lc_ext_view {
    const uint8_t *p;
    size_t len;
} lc_ext_view;

/*
 * True if v can be written as a vector <min..max>: its length is in range and
 * its bytes exist. Encoders check their views with it before writing.
 */
static inline bool lc_ext_view_ok(lc_ext_view v, size_t min, size_t max)
{
    return v.len >= min && v.len <= max && (v.p != NULL || v.len == 0);
}

/* A reader over the body of one extension. */
static inline void lc_ext_reader(const lc_ext *e, lc_reader *r)
{
    lc_reader_init(r, e->body, e->len);
}

/* Reads a vector <min..max> with a lenbytes-byte length prefix as a view (no copy). */
LC_MUST_CHECK int lc_ext_read_view(lc_reader *r, unsigned lenbytes, size_t min, size_t max,
                                   lc_ext_view *out);

/* Writes a view as a vector with a lenbytes-byte length prefix. */
void lc_ext_write_view(lc_writer *w, unsigned lenbytes, lc_ext_view v);

/* Starts one Extension: writes the type and reserves the 2-byte extension_data length. */
lc_vec_mark lc_ext_begin(lc_writer *w, uint16_t type);

/* Ends the Extension that lc_ext_begin started, back-patching its length. */
void lc_ext_end(lc_writer *w, lc_vec_mark m);

#endif
