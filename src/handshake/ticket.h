/*
 * Server session tickets (RFC 8446 4.6.1): stateless, sealed with an AEAD.
 *
 * A ticket is the server's memory of a session, kept by the client: the
 * state below, sealed with AES-256-GCM under a ticket key, so the server
 * stores nothing per session and any server holding the key (a worker, another
 * machine) can resume it. The key's 16-byte id leads the ticket, so that after
 * a rotation the server finds the key that sealed it; a ticket under a key we
 * do not hold (unknown, or retired) cannot be opened and the handshake goes on
 * without it (4.2.11: unknown PSKs "SHOULD simply be ignored").
 *
 *     ticket = key_id[16] || iv[12] || AES-256-GCM(key, iv, aad = key_id, state) || tag[16]
 *
 *     struct {
 *         uint8  format = 1;
 *         uint16 cipher_suite;
 *         uint32 issued_hi, issued_lo;     (server clock, ms since the Unix epoch)
 *         uint32 ticket_lifetime;          (seconds)
 *         uint32 ticket_age_add;
 *         uint32 max_early_data_size;      (0: no 0-RTT with this ticket)
 *         opaque psk<32..48>;
 *         opaque server_name<0..255>;
 *         opaque alpn<0..255>;
 *     } TicketState;
 *
 * Keys. A ticket key file holds at least 80 bytes (`openssl rand 80 > ticket.key`), as
 * nginx's ssl_session_ticket_key does: the first 16 are the key id, and the AES-256 key is
 * HKDF-SHA256 of all the bytes after them, so every byte counts and longer files work too.
 * Several keys may be loaded; the first seals, all open (rotation: load the new key first
 * and keep the previous one after it until its tickets have expired). Without a file a
 * context makes a random key of its own, good for one process's life.
 *
 * Limits: each ticket has a fresh random 96-bit IV; with AES-GCM's bound of 2^32 random
 * IVs per key, a key should seal no more than about four billion tickets.
 */
#ifndef LC_HANDSHAKE_TICKET_H
#define LC_HANDSHAKE_TICKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "base/secret.h"
#include "crypto/crypto.h"
#include "handshake/session.h"

#define LC_TICKET_KEY_ID_LEN 16
#define LC_TICKET_KEY_FILE_MIN 80
#define LC_TICKET_KEYS_MAX 8
/* id, IV and tag around the sealed state */
#define LC_TICKET_OVERHEAD (LC_TICKET_KEY_ID_LEN + LC_AEAD_NONCE_LEN + LC_AEAD_TAG_LEN)
/* the largest sealed state: fixed fields and the three vectors at their longest */
#define LC_TICKET_STATE_MAX (1 + 2 + 8 + 4 + 4 + 4 + 1 + LC_SECRET_MAX + 2 * LC_SESSION_NAME_MAX)
#define LC_TICKET_MAX (LC_TICKET_OVERHEAD + LC_TICKET_STATE_MAX)
/* NewSessionTickets one handshake may be given */
#define LC_TICKETS_MAX 16
/* The default ticket_lifetime: two hours, as OpenSSL's */
#define LC_TICKET_LIFETIME_DEFAULT 7200u

typedef struct lc_ticket_key {
    uint8_t id[LC_TICKET_KEY_ID_LEN];
    uint8_t key[32]; /* AES-256-GCM */
} lc_ticket_key;

typedef struct lc_ticket_keys {
    size_t count;
    bool own;        /* key[0] is the context's random key, replaced by the first file */
    lc_ticket_key key[LC_TICKET_KEYS_MAX];
} lc_ticket_keys;

/* What a ticket holds (the TicketState above). */
typedef struct lc_ticket_state {
    uint16_t suite;
    uint64_t issued_ms;
    uint32_t lifetime;
    uint32_t age_add;
    uint32_t max_early_data;
    lc_secret psk;
    char server_name[LC_SESSION_NAME_MAX];
    char alpn[LC_SESSION_NAME_MAX];
} lc_ticket_state;

/*
 * Adds a key from the bytes of a key file (LC_TICKET_KEY_FILE_MIN or more):
 * LC_E_CONFIG when too short or when LC_TICKET_KEYS_MAX are held. The first
 * key added replaces a context's own random one. The caller wipes material.
 */
LC_MUST_CHECK int lc_ticket_keys_add(lc_ticket_keys *keys, const lc_crypto *cr,
                                     const uint8_t *material, size_t len);

/* A random key of the context's own (from the system CSPRNG), marked to be replaced. */
LC_MUST_CHECK int lc_ticket_keys_random(lc_ticket_keys *keys, const lc_crypto *cr);

/*
 * Seals st under keys->key[0] with the given IV into out (LC_TICKET_MAX is
 * enough); *len is the ticket's length.
 */
LC_MUST_CHECK int lc_ticket_seal(const lc_crypto *cr, const lc_ticket_keys *keys,
                                 const lc_ticket_state *st, const uint8_t iv[LC_AEAD_NONCE_LEN],
                                 uint8_t *out, size_t cap, size_t *len);

/*
 * Opens a ticket: LC_E_UNKNOWN_PSK_IDENTITY when no key of ours has its id,
 * when it fails authentication, or when what it holds is not a TicketState.
 * The caller wipes out->psk.
 */
LC_MUST_CHECK int lc_ticket_open(const lc_crypto *cr, const lc_ticket_keys *keys,
                                 const uint8_t *ticket, size_t len, lc_ticket_state *out);

struct lc_hs;

/*
 * Server, once the handshake is done: the configured number of
 * NewSessionTickets (4.6.1), each with its own nonce, ticket_age_add and PSK,
 * gathered into the flight (they are not part of the transcript). Then the
 * resumption_master_secret, needed for nothing else, is wiped.
 */
LC_MUST_CHECK int lc_ticket_issue(struct lc_hs *hs);

#endif
