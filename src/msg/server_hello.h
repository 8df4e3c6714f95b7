/*
 * ServerHello and HelloRetryRequest (RFC 8446 4.1.3, 4.1.4).
 *
 *     struct {
 *         ProtocolVersion legacy_version = 0x0303;
 *         Random random;
 *         opaque legacy_session_id_echo<0..32>;
 *         CipherSuite cipher_suite;
 *         uint8 legacy_compression_method = 0;
 *         Extension extensions<6..2^16-1>;
 *     } ServerHello;
 *
 * A HelloRetryRequest is a ServerHello (type 2) whose random is the fixed
 * value SHA-256("HelloRetryRequest"). The two allow different extensions
 * (the SH and HRR columns of RFC 8446 4.2), so the decoder looks at the
 * random first and decodes the extensions in the matching context.
 */
#ifndef LC_MSG_SERVER_HELLO_H
#define LC_MSG_SERVER_HELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/common.h"
#include "msg/ext/ext.h"
#include "msg/msg.h"

/* RFC 8446 4.1.3: the random of a HelloRetryRequest, SHA-256("HelloRetryRequest"). */
extern const uint8_t lc_hrr_random[LC_RANDOM_LEN];

/*
 * RFC 8446 4.1.3: a TLS 1.3 server negotiating an older version ends its
 * random with one of these 8 bytes: "DOWNGRD" and 01 for TLS 1.2, 00 for
 * TLS 1.1 and below. A TLS 1.3 client that sees one aborts with illegal_parameter.
 */
#define LC_DOWNGRADE_LEN 8
extern const uint8_t lc_downgrade_tls12[LC_DOWNGRADE_LEN];
extern const uint8_t lc_downgrade_tls11[LC_DOWNGRADE_LEN];

enum lc_downgrade {
    LC_DOWNGRADE_NONE = 0,
    LC_DOWNGRADE_TLS12, /* random ends in 44 4F 57 4E 47 52 44 01 */
    LC_DOWNGRADE_TLS11, /* random ends in 44 4F 57 4E 47 52 44 00 */
};

/* Which downgrade sentinel, if any, ends this random (RFC 8446 4.1.3). */
enum lc_downgrade lc_random_downgrade(const uint8_t random[LC_RANDOM_LEN]);

/* True if random is the HelloRetryRequest value. */
bool lc_random_is_hrr(const uint8_t random[LC_RANDOM_LEN]);

/*
 * True if a ServerHello body (the bytes after the handshake header) is a
 * HelloRetryRequest, judged by its random alone (RFC 8446 4.1.3: "MUST first
 * examine the Random value"). False for a body too short to hold a random:
 * lc_server_hello_decode() then says what is wrong with it.
 */
bool lc_server_hello_is_hrr(const uint8_t *body, size_t len);

typedef struct lc_server_hello {
    bool is_hrr; /* random is lc_hrr_random; extensions were checked as HRR's */
    uint16_t legacy_version; /* any value decodes; the handshake decides */
    uint8_t random[LC_RANDOM_LEN];
    uint8_t legacy_session_id_echo[LC_SESSION_ID_MAX];
    size_t legacy_session_id_echo_len;
    uint16_t cipher_suite;
    /* legacy_compression_method is always 0: the decoder refuses anything else. */
    /*
     * Extension bodies are views into the message. A ServerHello with no
     * extensions block (a TLS 1.2 server's) decodes as an empty list; with no
     * supported_versions it is not TLS 1.3, and the handshake says protocol_version.
     */
    lc_ext_list extensions;
} lc_server_hello;

/*
 * Decodes a ServerHello or HelloRetryRequest body from r, to its end, and sets
 * out->is_hrr from the random. Codes: LC_E_DECODE, LC_E_TRAILING,
 * LC_E_ILLEGAL_PARAMETER (legacy_compression_method is not 0), and those of
 * lc_ext_list_decode() with context LC_EXT_IN_SH or LC_EXT_IN_HRR.
 * Checks against the ClientHello (session id echo, offered suite) are the handshake's.
 */
LC_MUST_CHECK int lc_server_hello_decode(lc_reader *r, lc_server_hello *out);

/*
 * Writes a whole ServerHello message (header and body), or a HelloRetryRequest
 * when sh->is_hrr, whose random must then be lc_hrr_random (and only then):
 * LC_E_BAD_ARGUMENT otherwise, or for fields outside the RFC's ranges. An
 * empty extension list writes no extensions block at all.
 */
LC_MUST_CHECK int lc_server_hello_encode(lc_writer *w, const lc_server_hello *sh);

#endif
