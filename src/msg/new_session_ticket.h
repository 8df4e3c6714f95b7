/*
 * NewSessionTicket (RFC 8446 4.6.1).
 *
 *     struct {
 *         uint32 ticket_lifetime;
 *         uint32 ticket_age_add;
 *         opaque ticket_nonce<0..255>;
 *         opaque ticket<1..2^16-1>;
 *         Extension extensions<0..2^16-2>;
 *     } NewSessionTicket;
 */
#ifndef LC_MSG_NEW_SESSION_TICKET_H
#define LC_MSG_NEW_SESSION_TICKET_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/common.h"
#include "msg/ext/ext.h"
#include "msg/msg.h"

/* RFC 8446 4.6.1: "Servers MUST NOT use any value greater than 604800 seconds (7 days)." */
#define LC_TICKET_LIFETIME_MAX 604800u

typedef struct lc_new_session_ticket {
    uint32_t ticket_lifetime; /* seconds; 0 means discard at once */
    uint32_t ticket_age_add;
    const uint8_t *ticket_nonce; /* view: 0..255 bytes */
    size_t ticket_nonce_len;
    const uint8_t *ticket; /* view: 1..65535 bytes; the client copies it to keep it */
    size_t ticket_len;
    lc_ext_list extensions; /* bodies are views into the message */
} lc_new_session_ticket;

/*
 * Decodes a NewSessionTicket body from r, to its end. Codes: LC_E_DECODE
 * (including an extensions block of 65535 bytes, one over its maximum),
 * LC_E_TRAILING, and those of lc_ext_list_decode() with context LC_EXT_IN_NST.
 * ticket_lifetime is kept as sent; a client caps it at LC_TICKET_LIFETIME_MAX.
 */
LC_MUST_CHECK int lc_new_session_ticket_decode(lc_reader *r, lc_new_session_ticket *out);

/*
 * Writes a whole NewSessionTicket message (header and body). LC_E_BAD_ARGUMENT
 * for a lifetime over LC_TICKET_LIFETIME_MAX, a nonce over 255 bytes or an empty ticket.
 */
LC_MUST_CHECK int lc_new_session_ticket_encode(lc_writer *w, const lc_new_session_ticket *nst);

#endif
