/*
 * Resumption with a PSK (RFC 8446 2.2, 4.2.9, 4.2.11): the client offering
 * the ticket of a session, the server choosing one and checking its binder.
 *
 * Client. A session set on the connection before it starts (lucid_conn_set_session) is
 * offered in the ClientHello: its ticket as the one identity of pre_shared_key, with the
 * obfuscated age (4.2.11.1) and a binder, an HMAC under the PSK's binder_key over the
 * ClientHello up to the binders (4.2.11.2). psk_key_exchange_modes lists the modes the
 * context allows (psk_dhe_ke unless told otherwise); it is sent even without a session, so
 * that servers issue tickets. After a HelloRetryRequest the PSK is offered again with a new
 * age and binder if the suite's hash is still the PSK's, and dropped otherwise.
 *
 * Server. The ClientHello's identities are tried in order; the first that is a ticket of
 * ours (ticket.h) for a suite with the negotiated hash, the same server_name, and within its
 * lifetime, is chosen, and only its binder is checked (4.2.11: servers "SHOULD NOT attempt
 * to validate multiple binders"), in constant time. A wrong binder ends the handshake with
 * decrypt_error (6.2); anything else wrong with a ticket only means a full handshake. Only
 * once the binder has verified is anything of the PSK used: its Early Secret, the age the
 * client claims, the 0-RTT decision (early_data.h). The mode is psk_dhe_ke when the client
 * offers it with a key share (forward secrecy), else psk_ke if both sides allow it; a server
 * that asks for client certificates does not resume (the ticket would not carry the
 * client's identity).
 */
#ifndef LC_HANDSHAKE_PSK_H
#define LC_HANDSHAKE_PSK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "base/secret.h"
#include "crypto/crypto.h"
#include "handshake/session.h"
#include "msg/client_hello.h"
#include "msg/ext/psk_key_exchange_modes.h"
#include "msg/new_session_ticket.h"
#include "msg/server_hello.h"

struct lc_hs;
struct lc_ticket_state;

/* One connection's resumption state, in lc_hs. */
typedef struct lc_psk {
    bool resumed;           /* a PSK was accepted: no certificates in this handshake */
    uint8_t mode;           /* LC_PSK_KE or LC_PSK_DHE_KE, once resumed */
    uint16_t selected;      /* the chosen identity's index */
    uint32_t client_age;    /* the ticket age the client claims, ms (4.2.11.1) */
    uint8_t binder[LC_HASH_MAX]; /* server: the chosen, verified binder (the replay key, 8.2) */
    size_t binder_len;
    bool peer_can_resume;   /* server: the client's psk_key_exchange_modes has a mode of ours */
    unsigned tickets_sent;  /* server: NewSessionTickets issued on this connection */
    struct lc_ticket_state *ticket; /* server: the chosen ticket, until 0-RTT is decided */
    lc_session *offer;      /* client: the session offered (lucid_conn_set_session) */
    lc_session *latest;     /* client: the newest ticket received */
    uint8_t *ext;           /* client: pre_shared_key being built (lc_psk_client_extensions) */
    size_t ext_len;
} lc_psk;

/* Frees and wipes everything in p. */
void lc_psk_free(lc_psk *p);

/*
 * Client: appends psk_key_exchange_modes, early_data when 0-RTT is being
 * offered (early_data.h), then lets the test hook see the list, then
 * pre_shared_key (with zero binders) when a session is offered, which must be
 * the last extension (4.2.11). The bodies are written into e or into hs.
 */
LC_MUST_CHECK int lc_psk_client_extensions(struct lc_hs *hs, lc_writer *e, lc_ext_list *list);

/*
 * Client: adds our encoded ClientHello to the transcript. With a PSK offered
 * it goes in two parts, Truncate(ClientHello) and then the binders, computed
 * in between over the transcript so far (4.2.11.2) and written into msg.
 * Then the Early Secret of the PSK is kept in hs->ks for what follows.
 */
LC_MUST_CHECK int lc_psk_client_add_hello(struct lc_hs *hs, uint8_t *msg, size_t len);

/*
 * Client, on ServerHello: pre_shared_key accepted (index, hash, mode checked,
 * illegal_parameter otherwise, 4.2.11) or not (a full handshake).
 */
LC_MUST_CHECK int lc_psk_client_on_server_hello(struct lc_hs *hs, const lc_server_hello *sh);

/*
 * Client: a NewSessionTicket (4.6.1) becomes the connection's latest session,
 * with its PSK = HKDF-Expand-Label(resumption_master_secret, "resumption",
 * ticket_nonce). A lifetime of 0 means "do not keep"; more than a week is
 * taken as a week. Only a malformed early_data extension is an error.
 */
LC_MUST_CHECK int lc_psk_client_on_ticket(struct lc_hs *hs, const lc_new_session_ticket *nst);

/*
 * Server: adds a ClientHello (raw, whole message) to the transcript and, if it
 * offers a PSK we can use, chooses it and verifies its binder in between, as
 * above. can_dhe: the ClientHello has supported_groups and key_share.
 * Resets hs->psk's choice first (ClientHello2 chooses again).
 */
LC_MUST_CHECK int lc_psk_server_choose(struct lc_hs *hs, const lc_client_hello *ch,
                                       const uint8_t *raw, size_t rawlen, bool can_dhe);

/* Server: the pre_shared_key extension of our ServerHello, written into e (4.2.11). */
LC_MUST_CHECK int lc_psk_server_extension(struct lc_hs *hs, lc_writer *e, lc_ext_list *list);

#endif
