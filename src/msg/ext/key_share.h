/*
 * key_share (RFC 8446 4.2.8; CH, SH, HRR).
 *
 * Three forms: the client's list of shares (ClientHello), the server's one
 * share (ServerHello), and the group the server asks for (HelloRetryRequest).
 * The codec checks structure only; validating a public value (4.2.8.1,
 * 4.2.8.2) is src/crypto/'s job, and matching shares against supported_groups
 * is the handshake's.
 */
#ifndef LC_MSG_EXT_KEY_SHARE_H
#define LC_MSG_EXT_KEY_SHARE_H

#include "msg/ext/ext.h"

/*
 * The most client shares kept. Clients send one to three; the server only
 * picks one of them (or asks for another with HelloRetryRequest), so a longer
 * list is kept up to this bound (the client's least preferred are dropped)
 * rather than refused. Dropped entries are still parsed and still checked
 * against the kept ones for duplicates.
 */
#define LC_EXT_KEY_SHARES_MAX 8

/* KeyShareEntry: a group and its public value (a view into the message). */
typedef struct lc_ext_key_share_entry {
    uint16_t group;           /* NamedGroup */
    lc_ext_view key_exchange; /* 1..2^16-1 bytes */
} lc_ext_key_share_entry;

/* KeyShareClientHello. */
typedef struct lc_ext_key_share_ch {
    size_t count; /* 0 is legal: the client asks the server to choose (4.2.8) */
    lc_ext_key_share_entry entry[LC_EXT_KEY_SHARES_MAX];
} lc_ext_key_share_ch;

/*
 * Decodes KeyShareEntry client_shares<0..2^16-1>. Bad lengths, an empty
 * key_exchange or trailing bytes: LC_E_DECODE / LC_E_TRAILING; the same group
 * twice: LC_E_ILLEGAL_PARAMETER (4.2.8).
 */
LC_MUST_CHECK int lc_ext_key_share_ch_decode(lc_reader *r, lc_ext_key_share_ch *out);

/* Writes the list; count > LC_EXT_KEY_SHARES_MAX or an empty key_exchange: LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_key_share_ch_encode(lc_writer *w, const lc_ext_key_share_ch *in);

/* KeyShareServerHello: exactly one KeyShareEntry. */
LC_MUST_CHECK int lc_ext_key_share_sh_decode(lc_reader *r, lc_ext_key_share_entry *out);
LC_MUST_CHECK int lc_ext_key_share_sh_encode(lc_writer *w, const lc_ext_key_share_entry *in);

/* KeyShareHelloRetryRequest: NamedGroup selected_group. */
LC_MUST_CHECK int lc_ext_key_share_hrr_decode(lc_reader *r, uint16_t *selected_group);
LC_MUST_CHECK int lc_ext_key_share_hrr_encode(lc_writer *w, uint16_t selected_group);

#endif
