/*
 * Lucid: TLS 1.3 (RFC 8446), sans-IO.
 *
 * The engine never touches a socket, a clock or the system's randomness by
 * itself in ways the caller cannot replace: the caller moves bytes. Wire bytes
 * that arrive go in with lucid_conn_feed(); bytes to send come out of
 * lucid_conn_pending() / lucid_conn_consume(); decrypted application data comes
 * out of lucid_conn_read(); application data to protect goes in with
 * lucid_conn_write(). lucid_conn_state() says what to do next.
 *
 * Objects:
 *   lucid_ctx   configuration shared by many connections: certificates and
 *               keys, preferences (suites, groups, signature schemes), ALPN,
 *               callbacks. Configure it fully, then create connections; it
 *               must outlive them and is not changed by them.
 *   lucid_conn  one TLS connection, client or server.
 *
 * Errors: every failure ends the connection with one alert (queued in the
 * pending output so the caller sends it) and records a lucid_error: the code,
 * the alert, and one line that says what was wrong. Errors are sticky: the
 * first one is kept and later calls return it again.
 *
 * Threads: a lucid_ctx may be shared by connections on several threads once
 * configured; one lucid_conn is used by one thread at a time.
 */
#ifndef LUCID_LUCID_H
#define LUCID_LUCID_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LUCID_VERSION_STRING "0.1.0"

typedef struct lucid_ctx lucid_ctx;
typedef struct lucid_conn lucid_conn;

enum lucid_role {
    LUCID_CLIENT = 0,
    LUCID_SERVER = 1,
};

/* A failure: what the library reports, for a context or a connection. */
#define LUCID_ERROR_MAX 256
typedef struct lucid_error {
    int code;       /* 0 when nothing failed; lucid_error_name(code) names it */
    int alert;      /* the alert sent, or received when from_peer; -1 when none */
    int from_peer;  /* 1 when the peer sent the alert */
    char message[LUCID_ERROR_MAX]; /* one line, e.g. "no cipher suite in common: ..." */
} lucid_error;

/* The name of an error code ("LC_E_NO_COMMON_SUITE"); never NULL. */
const char *lucid_error_name(int code);
/* The registry name of an alert ("handshake_failure"); never NULL. */
const char *lucid_alert_name(int alert);

/* ---- context ------------------------------------------------------------------------- */

/* A new context for one role. NULL on failure, with *err filled if err is not NULL. */
lucid_ctx *lucid_ctx_new(enum lucid_role role, lucid_error *err);
/* Frees the context. Every connection made from it must be freed first. */
void lucid_ctx_free(lucid_ctx *ctx);

/*
 * Adds a certificate chain (PEM file: the leaf first, then intermediates) and
 * its private key (PEM file). A server may hold several (ECDSA, RSA, Ed25519,
 * different names); for each connection it picks the first whose names match
 * the client's server_name (or, failing that, the first) among those whose key
 * fits a signature scheme the client offers. On a client context it is the
 * client's own certificate, sent only when a server asks for one (RFC 8446
 * 4.3.2; see "client certificates" below). Returns 0 or an error code.
 */
int lucid_ctx_add_cert(lucid_ctx *ctx, const char *chain_file, const char *key_file,
                       lucid_error *err);
/* The same with the intermediates in a file of their own (extra_file, PEM, after the
 * chain_file's certificates; NULL: none), as a server's ssl_certificate_chain. */
int lucid_ctx_add_cert_chain(lucid_ctx *ctx, const char *chain_file, const char *extra_file,
                             const char *key_file, lucid_error *err);

/*
 * Preferences, each a colon- or comma-separated list of registry names, most
 * preferred first. Unknown names are an error. Defaults:
 *   suites: TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
 *   groups: x25519:secp256r1:secp384r1:ffdhe2048:ffdhe3072
 *   signature schemes: ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:
 *     rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:ed25519
 * A server follows its own order for suites and groups.
 */
int lucid_ctx_set_ciphers(lucid_ctx *ctx, const char *list, lucid_error *err);
int lucid_ctx_set_groups(lucid_ctx *ctx, const char *list, lucid_error *err);
int lucid_ctx_set_sigalgs(lucid_ctx *ctx, const char *list, lucid_error *err);

/*
 * ALPN protocols ("h2,http/1.1"). A server picks the first of its own list that
 * the client offers, and ends the handshake with no_application_protocol when
 * the client offers ALPN and none matches; a client offers them in this order.
 */
int lucid_ctx_set_alpn(lucid_ctx *ctx, const char *list, lucid_error *err);

/*
 * Client: the roots that server certificates are validated against. By
 * default the system's store (/etc/ssl/certs on Debian); setting a CA file or
 * directory replaces it, as curl's --cacert and --capath do (both may be set).
 * Returns 0 or an error code with err saying which file could not be read.
 */
int lucid_ctx_set_ca_file(lucid_ctx *ctx, const char *file, lucid_error *err);
int lucid_ctx_set_ca_path(lucid_ctx *ctx, const char *dir, lucid_error *err);

/*
 * Client: verify = 0 skips validating the server's chain and name (curl's
 * --insecure). The handshake still checks that the server holds the key of
 * the certificate it sent and that Finished matches, but anyone can present
 * a certificate: use it only for testing. Default: 1.
 */
void lucid_ctx_set_verify(lucid_ctx *ctx, int verify);

/*
 * A callback for each line of the handshake trace (issue: trace mode) and for
 * each NSS key log line ("CLIENT_HANDSHAKE_TRAFFIC_SECRET <random> <secret>").
 * The line is valid only during the call. NULL turns it off.
 */
typedef void lucid_line_fn(void *arg, const char *line);

/*
 * Server: a server of several sites gives each its own context (certificates, preferences,
 * ALPN, client CAs) and sets this callback on the context its connections are made from.
 * Once a ClientHello is read, before anything is chosen, fn is called with its server_name
 * ("" when the client sent none); the connection continues with the context fn returns
 * (a server context that outlives the connection), or with its own when fn returns NULL.
 */
typedef lucid_ctx *lucid_sni_fn(void *arg, const char *server_name);
void lucid_ctx_set_sni_callback(lucid_ctx *ctx, lucid_sni_fn *fn, void *arg);
void lucid_ctx_set_trace(lucid_ctx *ctx, lucid_line_fn *fn, void *arg);
void lucid_ctx_set_keylog(lucid_ctx *ctx, lucid_line_fn *fn, void *arg);

/* With on = 1 the trace shows the value of each secret it names (off by default). */
void lucid_ctx_set_trace_secrets(lucid_ctx *ctx, int on);

/*
 * Randomness hook, for tests that replay fixed traces only: fills buf with n
 * bytes and returns 0. NULL restores the system CSPRNG (the default).
 */
typedef int lucid_random_fn(void *arg, uint8_t *buf, size_t n);
void lucid_ctx_set_random(lucid_ctx *ctx, lucid_random_fn *fn, void *arg);

/* ---- connection ---------------------------------------------------------------------- */

/*
 * A new connection. For a client, server_name is the name sent in SNI and
 * checked against the certificate (NULL for none); a server ignores it.
 * NULL if out of memory.
 */
lucid_conn *lucid_conn_new(lucid_ctx *ctx, const char *server_name);
/*
 * The argument this connection's trace lines are passed, instead of the
 * context's (a server gives each connection its own, to tell their lines
 * apart). A client makes its ClientHello when it is first used (pending
 * output, input, lucid_conn_write_early), so set this right after
 * lucid_conn_new and every line of the connection gets it.
 */
void lucid_conn_set_trace_arg(lucid_conn *c, void *arg);

/* Frees the connection, wiping its secrets and buffers. */
void lucid_conn_free(lucid_conn *c);

/* What the caller should do next: a set of these bits. */
enum lucid_state_bits {
    LUCID_WANT_SEND = 1 << 0,  /* lucid_conn_pending() has bytes to send */
    LUCID_WANT_INPUT = 1 << 1, /* the engine waits for bytes from the peer */
    LUCID_CAN_WRITE = 1 << 2,  /* the handshake is done: lucid_conn_write() takes data */
    LUCID_HAS_DATA = 1 << 3,   /* lucid_conn_read() has plaintext */
    LUCID_CLOSED = 1 << 4,     /* closed by close_notify or an error; send what is pending */
};
unsigned lucid_conn_state(const lucid_conn *c);

/*
 * Bytes received from the peer. The engine keeps what it needs (the bytes are
 * copied), processes every complete record, and may queue output and plaintext.
 * Returns 0, or the connection's error code once it has failed.
 */
int lucid_conn_feed(lucid_conn *c, const uint8_t *data, size_t len);

/*
 * Bytes to send: *out points into the connection's buffer and stays valid
 * until the next call on c. Returns how many (0 when nothing is pending).
 */
size_t lucid_conn_pending(lucid_conn *c, const uint8_t **out);
/* n of the pending bytes were sent. */
void lucid_conn_consume(lucid_conn *c, size_t n);

/*
 * Decrypted application data, up to cap bytes. Returns the count, 0 when none
 * is ready (see lucid_conn_state), or -1 when the connection is closed and
 * nothing is left (lucid_conn_error says whether it closed cleanly: code 0).
 */
long lucid_conn_read(lucid_conn *c, uint8_t *buf, size_t cap);

/*
 * Application data to protect: queued as records in the pending output.
 * Returns len, or -1 if the connection cannot take data (handshake not done,
 * closed, or failed).
 */
long lucid_conn_write(lucid_conn *c, const uint8_t *data, size_t len);

/* Queues close_notify (RFC 8446 6.1); after it nothing more is written. */
void lucid_conn_close(lucid_conn *c);

/* Sends a KeyUpdate (RFC 8446 4.6.3); request_peer asks the peer to update too. */
int lucid_conn_key_update(lucid_conn *c, int request_peer);

/* The failure, if any (code 0 otherwise). Valid until c is freed. */
const lucid_error *lucid_conn_error(const lucid_conn *c);

/* ---- what was negotiated (valid once the handshake is done; 0 / NULL before) ---------- */

uint16_t lucid_conn_version(const lucid_conn *c);      /* 0x0304 for TLS 1.3 */
uint16_t lucid_conn_cipher_suite(const lucid_conn *c); /* IANA code point */
uint16_t lucid_conn_group(const lucid_conn *c);        /* NamedGroup */
uint16_t lucid_conn_sig_scheme(const lucid_conn *c);   /* the scheme of CertificateVerify */
const char *lucid_conn_alpn(const lucid_conn *c);      /* NULL when none */
const char *lucid_conn_server_name(const lucid_conn *c); /* SNI: sent, or received */

/* ---- client certificates (RFC 8446 4.3.2, 4.4.2, 4.4.3) ------------------------------------ */

/*
 * Server: whether to ask clients for a certificate (a CertificateRequest in
 * every full handshake). ON: a client that sends none is refused with
 * certificate_required. OPTIONAL: an empty Certificate is accepted (the
 * connection goes on with no peer subject); a certificate that is sent must
 * still verify. Either way a client's chain must lead to a CA of
 * lucid_ctx_set_client_ca_file, be in its validity period and allow the
 * clientAuth purpose, and its CertificateVerify must verify: otherwise the
 * handshake ends with unknown_ca, certificate_expired, bad_certificate,
 * unsupported_certificate or decrypt_error. Default OFF. A value not listed
 * here means ON.
 */
enum lucid_verify_client {
    LUCID_VERIFY_CLIENT_OFF = 0,
    LUCID_VERIFY_CLIENT_ON = 1,
    LUCID_VERIFY_CLIENT_OPTIONAL = 2,
};
void lucid_ctx_set_verify_client(lucid_ctx *ctx, int mode);

/*
 * Server: the CAs (PEM file; may be called again to add more) that client
 * certificate chains must lead to. Their names are also listed to the client
 * in the CertificateRequest (certificate_authorities, RFC 8446 4.2.4), to
 * guide its choice; the first 128 are listed, every one is trusted. Returns 0,
 * or an error code with err naming the file that could not be read
 * (LC_E_BAD_ARGUMENT on a client context).
 *
 * Client: no setting is needed. The certificates added with lucid_ctx_add_cert
 * are offered when a server asks: the first issued under a CA the server lists
 * (else the first of any) whose key can make a signature scheme the server
 * accepts; when none can, the client answers with an empty Certificate and the
 * server decides.
 */
int lucid_ctx_set_client_ca_file(lucid_ctx *ctx, const char *file, lucid_error *err);

/*
 * The peer's certificate once the handshake is done and the peer's chain was
 * verified: on a server, the client's (NULL when it sent none or none was
 * asked); on a client, the server's (NULL with lucid_ctx_set_verify(ctx, 0)).
 * The subject is one line in RFC 2253 form, "CN=alice,O=Example" (what nginx
 * calls $ssl_client_s_dn), with control and non-ASCII bytes escaped; the DER
 * is the leaf certificate, *len bytes. Both are owned by the connection and
 * valid until it is freed.
 */
const char *lucid_conn_peer_subject(const lucid_conn *c);
const uint8_t *lucid_conn_peer_cert_der(const lucid_conn *c, size_t *len);

/* 1 once the handshake is done if the server asked for a client certificate, else 0. */
int lucid_conn_client_cert_requested(const lucid_conn *c);
/*
 * The scheme of the client's CertificateVerify (the client's signature, made
 * or verified), 0 when the client sent no certificate.
 */
uint16_t lucid_conn_client_sig_scheme(const lucid_conn *c);

/* ---- resumption and 0-RTT data (RFC 8446 2.2, 2.3, 4.2.10, 4.2.11, 4.6.1, 8) ------------- */

/*
 * How it goes. After a full handshake a server sends the client session
 * tickets: its memory of the session, sealed with a ticket key so that the
 * server keeps nothing. A client keeps the latest (lucid_conn_get_session), and
 * a later connection to the same server offers it (lucid_conn_set_session): the
 * handshake is then resumed, with no certificate and no signature, keyed by the
 * ticket's PSK together with a fresh (EC)DHE exchange (psk_dhe_ke; psk_ke, the
 * PSK alone, only where both sides allow it). With a ticket that allows it the
 * client may also send data in its first flight, before the handshake is done:
 * 0-RTT or early data (lucid_conn_write_early). That data has no protection
 * against replay by the network beyond what the server does (below), so a
 * client sends early only what may safely happen twice, and a server acts on
 * early data only in ways that are safe to repeat (lucid_conn_in_early_data).
 */

/*
 * The clock: fn returns milliseconds since the Unix epoch. Ticket lifetimes
 * and ages (RFC 8446 4.2.11.1, 8.3) are measured with it, and the validity
 * periods of the peer's certificates checked against it; the engine reads no
 * clock of its own. NULL restores the default, the system's wall clock
 * (CLOCK_REALTIME: servers that share a ticket key compare times). For tests;
 * set it before lucid_ctx_set_early_data, which starts the anti-replay record
 * at the context's time.
 */
typedef uint64_t lucid_time_fn(void *arg);
void lucid_ctx_set_time(lucid_ctx *ctx, lucid_time_fn *fn, void *arg);

/*
 * Server: a session ticket key from a file of 80 random bytes or more, as
 * nginx's ssl_session_ticket_key: make one with `openssl rand 80 > ticket.key`
 * and keep it as secret as a private key. The first 16 bytes are the key's
 * id, written at the head of every ticket it seals; the AES-256-GCM key is
 * derived (HKDF-SHA256) from all the bytes after them. Servers (workers,
 * machines) that load the same file resume each other's sessions.
 *
 * Rotation: call it again to add keys (8 at most). The first key loaded seals
 * new tickets and every key loaded opens them: load the new key first and the
 * previous one after it while its tickets live; a ticket under a key no longer
 * loaded just gets a full handshake. Without a file the context makes a random
 * key of its own, so tickets live only as long as it does.
 *
 * Returns 0, or LC_E_CONFIG with err saying what was wrong (unreadable, too
 * short, too many keys, not a server context).
 */
int lucid_ctx_set_ticket_key_file(lucid_ctx *ctx, const char *file, lucid_error *err);
/* The same from memory: len >= 80 bytes, in the file's format (a server's master process
 * makes one random key for all its workers, so that they resume each other's sessions). */
int lucid_ctx_set_ticket_key(lucid_ctx *ctx, const uint8_t *key, size_t len, lucid_error *err);

/*
 * Server: how many NewSessionTickets to send after each full handshake (a
 * client uses one per connection it resumes). Default 2; 0 sends none; at
 * most 16. A resumed handshake gets one (it replaces the ticket just used),
 * or none when count is 0.
 * None are sent to a client whose psk_key_exchange_modes has no mode this
 * context accepts, nor when client certificates are asked for
 * (lucid_ctx_set_verify_client: the ticket would not carry the client's
 * identity, so such a server never resumes).
 */
void lucid_ctx_set_tickets(lucid_ctx *ctx, unsigned count);

/* Server: the tickets' lifetime, 1 to 604800 seconds (RFC 8446 4.6.1). Default 7200. */
int lucid_ctx_set_ticket_lifetime(lucid_ctx *ctx, uint32_t seconds, lucid_error *err);

/*
 * 0-RTT data. Default off.
 *
 * Server: max_size is the max_early_data_size its tickets announce and
 * enforce (more is unexpected_message); 0 turns 0-RTT off. Early data is
 * accepted only when it comes with the client's first PSK, a ticket of this
 * server that allows it, no HelloRetryRequest, the ticket's cipher suite and
 * ALPN protocol, a ticket age within 10 seconds of the server's own count, and
 * a ClientHello not seen before; otherwise the handshake goes on without it.
 * The anti-replay record (1.5 MiB, allocated here) keeps each accepted
 * ClientHello for two windows, 20 seconds, so a replayed 0-RTT ClientHello is
 * accepted at most once per context, and at most once across worker processes
 * forked after this call (the record is shared memory; lucid_ctx_set_replay,
 * below, shares one among contexts made after fork); it has room for about
 * 3,000 0-RTT handshakes a second, past which 0-RTT is refused. For its first
 * 20 seconds it refuses 0-RTT with tickets older than itself.
 *
 * Client: max_size != 0 allows lucid_conn_write_early (the ticket's own limit
 * applies). Returns 0, or an error code when memory cannot be had.
 */
int lucid_ctx_set_early_data(lucid_ctx *ctx, uint32_t max_size, lucid_error *err);

/*
 * Server: an anti-replay record to share. A context makes its own when 0-RTT is
 * turned on; contexts given the same record instead (in either order) accept a
 * replayed 0-RTT ClientHello at most once among them, and so do processes
 * forked after the record was made (it is shared memory). A server whose
 * worker processes make their contexts after fork makes one record before
 * forking and gives it to every context of every worker: lucid-server's master
 * does. now_ms starts the record (its first 20 seconds, above) on the clock of
 * lucid_ctx_set_time; 0 means the wall clock. lucid_replay_new returns NULL
 * when memory cannot be had; lucid_ctx_set_replay refuses a client context
 * (LC_E_CONFIG). Free the record after the last context that uses it.
 */
typedef struct lucid_replay lucid_replay;
lucid_replay *lucid_replay_new(uint64_t now_ms, lucid_error *err);
void lucid_replay_free(lucid_replay *r);
int lucid_ctx_set_replay(lucid_ctx *ctx, lucid_replay *r, lucid_error *err);

/*
 * The PSK key exchange modes (RFC 8446 4.2.9), "psk_dhe_ke" and "psk_ke",
 * colon- or comma-separated: a server resumes only in these, a client offers
 * these. Default "psk_dhe_ke": a fresh (EC)DHE exchange in every resumption,
 * so a stolen ticket key does not expose past traffic. "psk_ke" (opt-in) saves
 * that exchange; a server allowing both uses psk_dhe_ke whenever the client
 * offers it. "" turns resumption off. Unknown names are LC_E_CONFIG.
 */
int lucid_ctx_set_psk_modes(lucid_ctx *ctx, const char *list, lucid_error *err);

/* What the connections made from a context counted, once their handshake was done. */
typedef struct lucid_stats {
    uint64_t handshakes;     /* handshakes completed */
    uint64_t resumed;        /* of which resumed with a ticket */
    uint64_t tickets_issued; /* server: NewSessionTickets sent */
    uint64_t early_accepted; /* handshakes whose 0-RTT data was accepted */
    uint64_t early_rejected; /* handshakes whose 0-RTT data was offered and rejected */
} lucid_stats;
void lucid_ctx_get_stats(const lucid_ctx *ctx, lucid_stats *out);

/*
 * Client: the session to resume, a blob from lucid_conn_get_session (of an
 * earlier connection, maybe saved to a file), set after lucid_conn_new and
 * before the connection is first used. It is offered in the ClientHello; if
 * the server does not take it the handshake is a full one (see
 * lucid_conn_resumed). Returns 0 when it will be offered, else an error code
 * with err saying why: not a session blob, made for another server name, past
 * its lifetime, a cipher suite this context does not offer, or a server
 * connection or one already started (LC_E_BAD_ARGUMENT and others).
 */
int lucid_conn_set_session(lucid_conn *c, const uint8_t *session, size_t len,
                           lucid_error *err);

/*
 * Client: the latest session ticket received, as an opaque blob for
 * lucid_conn_set_session. Returns its length and writes it to buf only if cap
 * is at least that (call with cap 0 to learn the size); 0 when no ticket has
 * come. Tickets arrive after the handshake, usually with the server's first
 * data: ask once some has been read. The blob holds the session's key: anyone
 * who has it can resume the session and read 0-RTT data sent with it, so store
 * it as a secret (lucid-client writes its --session file with mode 0600).
 */
size_t lucid_conn_get_session(const lucid_conn *c, uint8_t *buf, size_t cap);

/*
 * Client: 0-RTT data, sent in the first flight right after the ClientHello.
 * Possible only with a session set that allows it, lucid_ctx_set_early_data on
 * the context, and the session's ALPN protocol among the context's; the first
 * call must come before the connection is otherwise used (it makes the
 * ClientHello, which then offers early data). More calls may follow until the
 * handshake is done. Returns how many bytes were taken (fewer than len, or 0,
 * once the ticket's max_early_data_size is reached), or -1 when 0-RTT data
 * cannot be sent (then send with lucid_conn_write after the handshake).
 *
 * The server may reject it (lucid_conn_early_data): the data is then lost, and
 * the application may send it again with lucid_conn_write once the handshake
 * is done, if it still makes sense (RFC 8446 4.2.10: the library never does;
 * check lucid_conn_alpn first if the request depends on it).
 */
long lucid_conn_write_early(lucid_conn *c, const uint8_t *data, size_t len);

/* What became of 0-RTT data, on either side (lucid_conn_early_data). */
enum lucid_early_data {
    LUCID_EARLY_NONE = 0,     /* none was offered */
    LUCID_EARLY_PENDING = 1,  /* client: offered, the server has not answered yet */
    LUCID_EARLY_ACCEPTED = 2, /* the server accepted it */
    LUCID_EARLY_REJECTED = 3, /* offered and rejected: the client may resend after the handshake */
};
int lucid_conn_early_data(const lucid_conn *c);

/*
 * Server: 1 if the bytes the last lucid_conn_read returned, or those the next
 * one will return, are 0-RTT data: data that may be a replay, to be acted on
 * only in ways safe to repeat (an HTTP server answers other requests from it
 * with 425 Too Early, RFC 8470). One lucid_conn_read never returns 0-RTT data
 * and later data together. 0 on a client.
 */
int lucid_conn_in_early_data(const lucid_conn *c);

/* 1 once the handshake is done if it resumed a session with a PSK, else 0. */
int lucid_conn_resumed(const lucid_conn *c);

/* Registry names of code points ("TLS_AES_128_GCM_SHA256", "x25519", "ed25519"). */
const char *lucid_suite_name(uint16_t suite);
const char *lucid_group_name(uint16_t group);
const char *lucid_sig_scheme_name(uint16_t scheme);

#ifdef __cplusplus
}
#endif

#endif
