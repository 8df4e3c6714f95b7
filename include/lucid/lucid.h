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
 * fits a signature scheme the client offers. Returns 0 or an error code.
 */
int lucid_ctx_add_cert(lucid_ctx *ctx, const char *chain_file, const char *key_file,
                       lucid_error *err);

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
 * apart). Lines written during lucid_conn_new (a client's ClientHello) have
 * already gone out with the context's argument.
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

/* Registry names of code points ("TLS_AES_128_GCM_SHA256", "x25519", "ed25519"). */
const char *lucid_suite_name(uint16_t suite);
const char *lucid_group_name(uint16_t group);
const char *lucid_sig_scheme_name(uint16_t scheme);

#ifdef __cplusplus
}
#endif

#endif
