/*
 * A client's memory of a session, to resume it (RFC 8446 4.6.1, 4.2.11).
 *
 * Each NewSessionTicket a server sends becomes one lc_session: the ticket
 * (opaque to the client), the PSK it stands for, the clock reading when it
 * arrived (its age starts there, 4.2.11.1), its lifetime and ticket_age_add,
 * how much 0-RTT data it allows, and what was negotiated on the connection
 * that made it: the cipher suite (its hash is the PSK's, 4.2.11), the server
 * name (4.6.1: a client resumes only for the same name) and the ALPN protocol
 * (4.2.10: the parameters of 0-RTT data are those of the PSK).
 *
 * lc_session_encode/decode give the opaque blob of lucid_conn_get_session()
 * and lucid_conn_set_session(), so a client can keep tickets across runs
 * (lucid-client --session FILE). The blob holds the PSK: whoever has it can
 * resume the session, so it is a secret to be stored as one.
 *
 *     struct {
 *         opaque magic[4] = "LCS1";
 *         uint16 cipher_suite;
 *         uint32 received_hi, received_lo;   (milliseconds since the Unix epoch)
 *         uint32 ticket_lifetime;            (seconds)
 *         uint32 ticket_age_add;
 *         uint32 max_early_data_size;
 *         opaque psk<32..48>;
 *         opaque server_name<0..255>;
 *         opaque alpn<0..255>;
 *         opaque ticket<1..2^16-1>;
 *     } Session;
 */
#ifndef LC_HANDSHAKE_SESSION_H
#define LC_HANDSHAKE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "base/secret.h"

/* Tickets longer than this are not kept: a ClientHello must still fit its buffer. */
#define LC_SESSION_TICKET_MAX 4096
/* A host name (RFC 6066 3) or an ALPN protocol name (RFC 7301 3.1), with its NUL. */
#define LC_SESSION_NAME_MAX 256

typedef struct lc_session {
    uint16_t suite;           /* the cipher suite of the connection that made the ticket */
    uint64_t received_ms;     /* our clock when the NewSessionTicket arrived */
    uint32_t lifetime;        /* seconds, at most LC_TICKET_LIFETIME_MAX */
    uint32_t age_add;         /* ticket_age_add */
    uint32_t max_early_data;  /* 0: no 0-RTT data with this ticket */
    lc_secret psk;            /* HKDF-Expand-Label(resumption_master_secret, "resumption", nonce) */
    char server_name[LC_SESSION_NAME_MAX]; /* "" when no SNI was sent */
    char alpn[LC_SESSION_NAME_MAX];        /* "" when none was negotiated */
    uint8_t *ticket;          /* malloc'd, ticket_len bytes */
    size_t ticket_len;
} lc_session;

/* Wipes the PSK and frees the session and its ticket. NULL is fine. */
void lc_session_free(lc_session *s);

/* A copy (the ticket is copied too); NULL when out of memory. */
lc_session *lc_session_dup(const lc_session *s);

/*
 * The blob for s. Returns its length; writes it to buf only when cap is
 * enough (so a call with cap 0 asks for the size).
 */
size_t lc_session_encode(const lc_session *s, uint8_t *buf, size_t cap);

/*
 * Parses a blob into a new session (*out, to be freed with lc_session_free).
 * LC_E_DECODE / LC_E_TRAILING for anything that is not a blob of ours,
 * LC_E_NO_MEMORY.
 */
LC_MUST_CHECK int lc_session_decode(const uint8_t *blob, size_t len, lc_session **out);

/* True while a ticket received at received_ms is within its lifetime at now_ms (4.2.11.1). */
bool lc_session_fresh(const lc_session *s, uint64_t now_ms);

#endif
