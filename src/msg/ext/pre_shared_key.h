/*
 * pre_shared_key (RFC 8446 4.2.11; CH, SH).
 *
 * The client offers PSK identities (tickets or external keys), each with a
 * binder, an HMAC over the ClientHello up to the binders (4.2.11.2); the
 * server answers with the index of the one it accepts. The extension must be
 * the last in ClientHello (lc_ext_list_decode checks that), so the binders
 * are the last bytes of the message.
 *
 * Sending takes two steps, because a binder covers the message that holds it:
 *   1. encode the ClientHello with binders of the right lengths but zero bytes
 *      (binder.p == NULL); lc_ext_pre_shared_key_ch_encode reports where the
 *      binders vector starts, binders_at;
 *   2. hash the message bytes before binders_at (Truncate(ClientHello), whose
 *      length fields already count the binders, as 4.2.11.2 requires), compute
 *      the binders, and write them in place with lc_ext_pre_shared_key_ch_patch.
 * Receiving: Truncate(ClientHello) is the message less its last binders_len bytes.
 */
#ifndef LC_MSG_EXT_PRE_SHARED_KEY_H
#define LC_MSG_EXT_PRE_SHARED_KEY_H

#include "msg/ext/ext.h"

/*
 * The most identities kept. Clients offer one or two; the server accepts at
 * most one and should validate only its binder (4.2.11), so a longer list is
 * kept up to this bound (with each kept identity's binder) rather than
 * refused. The count check below still counts every entry.
 */
#define LC_EXT_PSK_IDENTITIES_MAX 8

/* PskBinderEntry<32..255>: an HMAC as long as the PSK's hash. */
#define LC_EXT_PSK_BINDER_MIN 32
#define LC_EXT_PSK_BINDER_MAX 255

/* PskIdentity. */
typedef struct lc_ext_psk_identity {
    lc_ext_view identity;           /* 1..2^16-1 bytes: a ticket or an external PSK's label */
    uint32_t obfuscated_ticket_age; /* 4.2.11.1: age in ms plus ticket_age_add, mod 2^32 */
} lc_ext_psk_identity;

/* OfferedPsks, the ClientHello form. */
typedef struct lc_ext_pre_shared_key_ch {
    size_t count; /* identities kept, each with the binder at the same index */
    lc_ext_psk_identity identity[LC_EXT_PSK_IDENTITIES_MAX];
    /*
     * 32..255 bytes each. When encoding, p == NULL writes len zero bytes: the
     * placeholder of step 1 above.
     */
    lc_ext_view binder[LC_EXT_PSK_IDENTITIES_MAX];
    /* Set by the decoder: bytes of the binders vector, its 2-byte length included. */
    size_t binders_len;
} lc_ext_pre_shared_key_ch;

/*
 * Decodes OfferedPsks: PskIdentity identities<7..2^16-1>, PskBinderEntry
 * binders<33..2^16-1>. Bad lengths (an empty identity, a binder under 32 bytes)
 * or trailing bytes: LC_E_DECODE / LC_E_TRAILING; as many binders as
 * identities, or else LC_E_ILLEGAL_PARAMETER.
 */
LC_MUST_CHECK int lc_ext_pre_shared_key_ch_decode(lc_reader *r, lc_ext_pre_shared_key_ch *out);

/*
 * Writes OfferedPsks and sets *binders_at to the writer offset (w->len) where
 * the binders vector, length prefix first, starts. No identities, too many,
 * an empty identity or a binder length outside 32..255: LC_E_BAD_ARGUMENT.
 */
LC_MUST_CHECK int lc_ext_pre_shared_key_ch_encode(lc_writer *w, const lc_ext_pre_shared_key_ch *in,
                                                  size_t *binders_at);

/*
 * Step 2: rewrites the binders vector of a finished message msg[0..len) at
 * binders_at (from the encode call) with in->binder. The binders must have
 * the lengths they were encoded with, so that they end exactly at len; any
 * other layout is LC_E_BAD_ARGUMENT and msg is left unchanged.
 */
LC_MUST_CHECK int lc_ext_pre_shared_key_ch_patch(uint8_t *msg, size_t len, size_t binders_at,
                                                 const lc_ext_pre_shared_key_ch *in);

/*
 * The ServerHello form: uint16 selected_identity. Any value decodes; 4.2.11's
 * range check (an index into what we offered, else illegal_parameter) is the
 * client handshake's.
 */
LC_MUST_CHECK int lc_ext_pre_shared_key_sh_decode(lc_reader *r, uint16_t *selected_identity);
LC_MUST_CHECK int lc_ext_pre_shared_key_sh_encode(lc_writer *w, uint16_t selected_identity);

#endif
