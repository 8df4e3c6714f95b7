/*
 * ClientHello (RFC 8446 4.1.2).
 *
 *     struct {
 *         ProtocolVersion legacy_version = 0x0303;
 *         Random random;
 *         opaque legacy_session_id<0..32>;
 *         CipherSuite cipher_suites<2..2^16-2>;
 *         opaque legacy_compression_methods<1..2^8-1>;
 *         Extension extensions<8..2^16-1>;
 *     } ClientHello;
 */
#ifndef LC_MSG_CLIENT_HELLO_H
#define LC_MSG_CLIENT_HELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/common.h"
#include "msg/ext/ext.h"
#include "msg/msg.h"

/*
 * The most cipher suites kept from one ClientHello. Real clients offer 5 to 60;
 * the wire allows 32767. Suites past this many are read (the list must still
 * parse) and ignored, as RFC 8446 4.1.2 has a server ignore suites it does not
 * recognize; they come last in the client's order of preference.
 */
#define LC_CH_MAX_CIPHER_SUITES 256

typedef struct lc_client_hello {
    uint16_t legacy_version; /* any value decodes; the handshake decides (4.1.2, D) */
    uint8_t random[LC_RANDOM_LEN];
    uint8_t legacy_session_id[LC_SESSION_ID_MAX];
    size_t legacy_session_id_len;
    uint16_t cipher_suites[LC_CH_MAX_CIPHER_SUITES];
    size_t cipher_suites_count;
    const uint8_t *legacy_compression_methods; /* view into the message: 1..255 bytes */
    size_t legacy_compression_methods_len;
    /*
     * Extension bodies are views into the message. A ClientHello with no
     * extensions block at all (TLS 1.2 and older) decodes as an empty list: it
     * has no supported_versions, so the handshake refuses it for TLS 1.3.
     */
    lc_ext_list extensions;
} lc_client_hello;

/*
 * Decodes a ClientHello body (the bytes after the handshake header) from r,
 * to its end. Codes: LC_E_DECODE (a field out of range or cut short, an odd
 * cipher_suites length), LC_E_TRAILING (bytes after the extensions), and those
 * of lc_ext_list_decode() for the extensions (LC_E_DUPLICATE_EXTENSION,
 * LC_E_PSK_NOT_LAST, ...). Views in *out borrow r's buffer.
 */
LC_MUST_CHECK int lc_client_hello_decode(lc_reader *r, lc_client_hello *out);

/*
 * Writes a whole ClientHello message (header and body). An empty extension
 * list writes no extensions block at all (the pre-TLS 1.2 form), so a decoded
 * message round-trips. LC_E_BAD_ARGUMENT for fields outside the RFC's ranges.
 */
LC_MUST_CHECK int lc_client_hello_encode(lc_writer *w, const lc_client_hello *ch);

/*
 * RFC 8446 4.1.2: legacy_compression_methods of a TLS 1.3 ClientHello is
 * exactly one zero byte; anything else is illegal_parameter, which the
 * handshake decides once it knows the version (older versions may offer more).
 */
bool lc_client_hello_null_compression(const lc_client_hello *ch);

#endif
