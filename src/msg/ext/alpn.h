/*
 * application_layer_protocol_negotiation, "ALPN" (RFC 7301 3.1; RFC 8446 4.2: CH, EE).
 *
 * The client lists protocols in preference order; the server answers, in TLS
 * 1.3 inside EncryptedExtensions, with a list of exactly one.
 */
#ifndef LC_MSG_EXT_ALPN_H
#define LC_MSG_EXT_ALPN_H

#include "msg/ext/ext.h"

/*
 * The most protocol names kept. Clients send two or three ("h2", "http/1.1");
 * the server chooses among them, so a longer list is kept up to this bound
 * (the client's least preferred are dropped) rather than refused.
 */
#define LC_EXT_ALPN_MAX 16

/* The ClientHello form: the ProtocolNameList, as views into the message. */
typedef struct lc_ext_alpn_ch {
    size_t count;
    lc_ext_view name[LC_EXT_ALPN_MAX]; /* each 1..255 bytes, opaque (not NUL-terminated) */
} lc_ext_alpn_ch;

/*
 * Decodes ProtocolName protocol_name_list<2..2^16-1>, each ProtocolName<1..2^8-1>.
 * An empty name, a bad length or trailing bytes: LC_E_DECODE / LC_E_TRAILING.
 */
LC_MUST_CHECK int lc_ext_alpn_ch_decode(lc_reader *r, lc_ext_alpn_ch *out);

/* Writes the list; no names, too many, or a name of 0 or > 255 bytes: LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_alpn_ch_encode(lc_writer *w, const lc_ext_alpn_ch *in);

/*
 * The EncryptedExtensions form: a ProtocolNameList of exactly one name (RFC
 * 7301 3.1). A second name is LC_E_TRAILING (decode_error).
 */
LC_MUST_CHECK int lc_ext_alpn_ee_decode(lc_reader *r, lc_ext_view *selected);

/* Writes the one selected name; 0 or > 255 bytes is LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_alpn_ee_encode(lc_writer *w, lc_ext_view selected);

#endif
