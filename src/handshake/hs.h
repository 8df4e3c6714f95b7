/*
 * The TLS 1.3 handshake: what the client and server state machines share.
 *
 * Each side is a table of states (RFC 8446 Appendix A): for each state, the
 * handshake message types it accepts and the handler that consumes one. The
 * dispatcher, lc_hs_handle(), checks the type (anything else is
 * unexpected_message, decided here once), and calls the handler, which decodes
 * its message, checks it, adds it to the transcript at the point the RFC
 * says, may write the next flight, and returns the next state.
 *
 * The handshake writes records itself, through the record layer below it, into
 * the connection's output queue (lc_hs_io): the connection above hands it the
 * two directions and the queue when it creates it, and never calls back up.
 * Messages of one flight are gathered and written as few records as possible,
 * so a flight leaves in one write.
 */
#ifndef LC_HANDSHAKE_HS_H
#define LC_HANDSHAKE_HS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/secret.h"
#include "handshake/config.h"
#include "handshake/early_data.h"
#include "handshake/key_schedule.h"
#include "handshake/psk.h"
#include "handshake/transcript.h"
#include "msg/msg.h"
#include "record/record.h"

/* States of both sides (RFC 8446 Appendix A.1 and A.2). */
enum lc_hs_state {
    /* client */
    LC_HS_CLIENT_START,  /* nothing sent yet */
    LC_HS_WAIT_SH,       /* ClientHello sent */
    LC_HS_WAIT_EE,
    LC_HS_WAIT_CERT_CR,
    LC_HS_WAIT_CERT,     /* after a CertificateRequest; the server's, for the client's (A.2) */
    LC_HS_WAIT_CV,       /* client and server alike (A.1, A.2) */
    LC_HS_WAIT_SFIN,     /* the server's Finished */
    /* server */
    LC_HS_WAIT_CH,       /* the first ClientHello */
    LC_HS_WAIT_CH2,      /* the ClientHello after our HelloRetryRequest */
    LC_HS_WAIT_EOED,     /* 0-RTT data accepted: until EndOfEarlyData (early_data.c) */
    LC_HS_WAIT_CFIN,     /* the client's Finished */
    /* both */
    LC_HS_CONNECTED,
    LC_HS_STATE_COUNT
};

/* What the handshake may touch of its connection. */
typedef struct lc_hs_io {
    lc_rec_dir *rd;   /* the direction we read with */
    lc_rec_dir *wd;   /* the direction we write with */
    lc_buf *wire;     /* protected records to send */
} lc_hs_io;

#define LC_HOST_NAME_MAX 255
#define LC_ALPN_NAME_MAX 255

typedef struct lc_hs {
    const lc_hs_config *cfg;
    lc_error *err;         /* the connection's; the first failure is kept */
    lc_hs_io io;
    void *trace_arg;       /* the trace callback's argument: the context's, or the connection's */
    enum lc_hs_state state;
    bool server;
    bool done;             /* the handshake completed: application data may flow */

    /* negotiated */
    const lc_suite *suite;
    uint16_t group;
    uint16_t scheme;       /* the server's CertificateVerify scheme */
    const lc_cert_key *cert; /* ours: the server's chosen one; the client's for a
                                CertificateRequest (NULL: none fits, an empty Certificate) */
    char server_name[LC_HOST_NAME_MAX + 1]; /* client: the name to verify; server: SNI received */
    bool sni_sent;         /* client: server_name went in the ClientHello (not for IP literals) */
    char alpn[LC_ALPN_NAME_MAX + 1];        /* "" when none */

    /* the hellos */
    uint8_t client_random[LC_RANDOM_LEN];
    uint8_t legacy_session_id[LC_SESSION_ID_MAX];
    size_t legacy_session_id_len;
    bool sent_ccs;         /* middlebox compatibility (D.4): one dummy CCS sent */
    bool hello_retry;      /* a HelloRetryRequest happened */
    uint8_t cookie[32];    /* the server's HRR cookie, echoed in ClientHello2 */

    /* the key schedule and its products; each wiped when spent */
    lc_transcript transcript;
    lc_ks ks;
    lc_kex *kex;           /* our ephemeral key (client: until ServerHello) */
    uint16_t kex_group;
    lc_secret c_hs, s_hs;  /* handshake traffic secrets */
    lc_secret c_ap, s_ap;  /* application traffic secrets (updated by KeyUpdate) */
    lc_secret exporter;
    lc_secret resumption;

    /* the peer's leaf key; client authentication (client_auth.c): a CertificateRequest
     * was sent (server) or received (client), with this context */
    lc_pkey *peer_key;
    bool cert_requested;
    uint8_t cr_context[255];
    size_t cr_context_len;
    uint16_t client_scheme;  /* the client's CertificateVerify scheme; 0 when it sent none */
    struct lc_hs_peer *peer; /* the peer's verified leaf, DER and subject (client_auth.h) */

    /* handshake messages of the current flight, not yet written as records */
    lc_buf flight;
    /* a KeyUpdate we owe the peer (it asked), sent once the input is handled */
    bool key_update_owed;
    /* counts read key changes: a handshake message may not span one (RFC 8446 5.1) */
    unsigned read_epoch;
    /* the client offered 0-RTT and we declined: its early records are skipped (4.2.10) */
    bool skip_early_data;

    /* resumption (psk.c, ticket.c) and 0-RTT data (early_data.c) */
    lc_psk psk;
    lc_early early;
    /* client: the extensions of our last ClientHello, which a server may answer (4.2) */
    uint16_t sent_ext[LC_EXT_LIST_MAX];
    size_t sent_ext_count;
} lc_hs;

/*
 * Makes the handshake state for one connection. The server then waits for a
 * ClientHello; a client must call lc_hs_client_start() to send its own.
 */
LC_MUST_CHECK int lc_hs_init(lc_hs *hs, const lc_hs_config *cfg, lc_error *err, lc_hs_io io,
                             const char *server_name);

/* Wipes every secret and frees what the handshake holds. */
void lc_hs_free(lc_hs *hs);

/* The client's first flight: ClientHello. */
LC_MUST_CHECK int lc_hs_client_start(lc_hs *hs);

/*
 * One whole handshake message (header included: raw, rawlen) for the state
 * machine. Returns 0 or an error code, recorded in hs->err.
 */
LC_MUST_CHECK int lc_hs_handle(lc_hs *hs, uint8_t msg_type, const uint8_t *raw, size_t rawlen);

/*
 * Whether the current state takes a message of this type and announced body length: 0, or
 * unexpected_message (a type the state refuses) or decode_error (longer than a fixed-size
 * type can be), recorded in hs->err. Asked as soon as a message's header is in, so that a
 * peer cannot make us wait for, and buffer, the body of a message we would refuse.
 */
LC_MUST_CHECK int lc_hs_expect(lc_hs *hs, uint8_t msg_type, uint32_t length);

/* Sends a KeyUpdate and moves our write key on (RFC 8446 4.6.3). */
LC_MUST_CHECK int lc_hs_send_key_update(lc_hs *hs, bool request_peer);

/* True once change_cipher_spec records from the peer must no longer be dropped (RFC 8446 5). */
bool lc_hs_peer_finished(const lc_hs *hs);

/* The name of a state, for traces and errors. */
const char *lc_hs_state_name(enum lc_hs_state s);

/* ---- for the state machines (hs.c) ------------------------------------------------------ */

/* One row of a state table. */
typedef int lc_hs_handler(lc_hs *hs, const uint8_t *raw, size_t rawlen);

#define LC_HS_ACCEPTS_MAX 3
typedef struct lc_hs_step {
    uint8_t accepts[LC_HS_ACCEPTS_MAX]; /* message types; 0 ends the list */
    lc_hs_handler *on[LC_HS_ACCEPTS_MAX];
} lc_hs_step;

extern const lc_hs_step lc_hs_server13[LC_HS_STATE_COUNT];
extern const lc_hs_step lc_hs_client13[LC_HS_STATE_COUNT];

/* Random bytes from the context's hook or the system CSPRNG. */
LC_MUST_CHECK int lc_hs_random(lc_hs *hs, void *buf, size_t n);

/* The context's clock: milliseconds since the Unix epoch (ticket ages, lifetimes). */
uint64_t lc_hs_now(const lc_hs *hs);

/* Our ephemeral key for group (lc_kex_generate, or the test hook's private key). */
LC_MUST_CHECK int lc_hs_kex_generate(lc_hs *hs, uint16_t group, lc_kex **out, uint8_t *pub,
                                     size_t cap, size_t *publen);

/* Shows the extensions of a message about to be encoded to the test hook, if one is set. */
void lc_hs_ext_hook(lc_hs *hs, uint8_t msg_type, lc_ext_list *list);

/* Adds a whole message to the transcript and to the current flight. */
LC_MUST_CHECK int lc_hs_send(lc_hs *hs, const uint8_t *msg, size_t len);

/* Writes the gathered flight as records with the current write key. */
LC_MUST_CHECK int lc_hs_flush(lc_hs *hs);

/* Writes one dummy change_cipher_spec, once per connection (RFC 8446 D.4). */
LC_MUST_CHECK int lc_hs_send_ccs(lc_hs *hs);

/* Installs keys from a traffic secret: in the read or the write direction. */
LC_MUST_CHECK int lc_hs_set_read_keys(lc_hs *hs, const lc_secret *secret);
LC_MUST_CHECK int lc_hs_set_write_keys(lc_hs *hs, const lc_secret *secret);

/* Writes an NSS key log line for a secret, if key logging is on. */
void lc_hs_keylog(lc_hs *hs, const char *label, const lc_secret *secret);

/* A trace line, if tracing is on. */
void lc_hs_trace(lc_hs *hs, const char *fmt, ...) LC_PRINTF(2, 3);
/* "records WHEN: sent N (B bytes), received M (C bytes)": the record layer's counts. */
void lc_hs_trace_counts(lc_hs *hs, const char *when);

/* The transcript hash so far into out (lc_hash_len bytes). */
LC_MUST_CHECK int lc_hs_transcript_hash(lc_hs *hs, uint8_t *out);

/*
 * The content a CertificateVerify signs (RFC 8446 4.4.3): 64 spaces, the
 * context string for the signer's side, a zero byte, the transcript hash.
 * Writes into out (at least 64 + 34 + LC_HASH_MAX bytes) and sets *len.
 */
#define LC_CV_CONTENT_MAX (64 + 34 + LC_HASH_MAX)
LC_MUST_CHECK int lc_hs_cv_content(lc_hs *hs, bool server_signs, uint8_t *out, size_t *len);

/*
 * After the last handshake message: handshake-phase secrets are wiped, the
 * ephemeral key freed, and the connection may carry application data.
 */
void lc_hs_finish(lc_hs *hs);

/* True if v is among the n values of list (an offer, a preference list). */
bool lc_hs_offered(const uint16_t *list, size_t n, uint16_t v);

/*
 * RFC 8446 7.1 up to the handshake traffic secrets, the same on both sides:
 * Early Secret (no PSK; when resuming, psk.c has already put the PSK's in
 * hs->ks), Handshake Secret from the (EC)DHE shared secret (shared NULL in
 * psk_ke mode: zeros), client/server_handshake_traffic_secret over
 * ClientHello..ServerHello (the transcript so far), then the Master Secret.
 * Keys are not installed here.
 */
LC_MUST_CHECK int lc_hs_derive_handshake_secrets(lc_hs *hs, const uint8_t *shared,
                                                 size_t sharedlen);

/* The application traffic and exporter secrets over ClientHello..server Finished (7.1). */
LC_MUST_CHECK int lc_hs_derive_application_secrets(lc_hs *hs);

/* Sends Finished (4.4.4): HMAC of the transcript so far under base_key's finished_key. */
LC_MUST_CHECK int lc_hs_send_finished(lc_hs *hs, const lc_secret *base_key);

/* Checks a received Finished against the transcript before it, then adds it (4.4.4). */
LC_MUST_CHECK int lc_hs_check_finished(lc_hs *hs, const lc_secret *base_key, const uint8_t *raw,
                                       size_t rawlen);

/* Handles a KeyUpdate from the peer (both sides, RFC 8446 4.6.3). */
int lc_hs_on_key_update(lc_hs *hs, const uint8_t *raw, size_t rawlen);

#endif
