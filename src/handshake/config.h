/*
 * What a handshake is configured with: the part of a lucid_ctx that the
 * handshake layer reads. It lives here, not in src/conn/, because layers only
 * look down: src/conn/ embeds it in lucid_ctx, the state machines read it.
 * Shared read-only by every connection of a context.
 */
#ifndef LC_HANDSHAKE_CONFIG_H
#define LC_HANDSHAKE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/ca_names.h"
#include "crypto/cert.h"
#include "crypto/crypto.h"
#include "crypto/x509.h"
#include "handshake/algs.h"
#include "msg/ext/ext.h"

/* Whether a server asks for client certificates (lucid_ctx_set_verify_client). */
enum lc_verify_client {
    LC_VERIFY_CLIENT_OFF,      /* no CertificateRequest */
    LC_VERIFY_CLIENT_ON,       /* a verified certificate or certificate_required */
    LC_VERIFY_CLIENT_OPTIONAL, /* an empty Certificate is accepted; a sent one must verify */
};

/* A certificate chain and its private key. */
typedef struct lc_cert_key {
    lc_chain chain; /* leaf first */
    lc_cert *leaf;  /* chain.cert[0], parsed once for name checks */
    lc_pkey *key;
    /* The Certificate message with an empty request context, the one every full handshake
     * sends, encoded once (lc_cert_key_encode); NULL: encoded per handshake. */
    uint8_t *msg;
    size_t msg_len;
} lc_cert_key;

#define LC_MAX_CERTS 8

/* A line sink: trace and key log (lucid_line_fn in the public API). */
typedef void lc_line_fn(void *arg, const char *line);
typedef int lc_random_fn(void *arg, uint8_t *buf, size_t n);
/* The clock (lucid_time_fn): milliseconds since the Unix epoch. */
typedef uint64_t lc_time_fn(void *arg);

/* Resumption and 0-RTT (ticket.h, replay.h); test hooks for fixed traces (below). */
struct lc_ticket_keys;
struct lc_replay;
struct lc_ticket_state;
typedef int lc_kex_private_fn(void *arg, uint16_t group, uint8_t *priv, size_t cap,
                              size_t *len);
typedef void lc_ext_hook_fn(void *arg, uint8_t msg_type, lc_ext_list *list);
typedef int lc_sign_fn(void *arg, uint16_t scheme, const uint8_t *content, size_t len,
                       uint8_t *sig, size_t cap, size_t *siglen);
typedef int lc_ticket_open_fn(void *arg, const uint8_t *ticket, size_t len,
                              struct lc_ticket_state *out);

/* ALPN protocol list, as the wire's ProtocolNameList body: (len, bytes)... */
#define LC_ALPN_LIST_MAX 512

typedef struct lc_hs_config {
    bool server;
    lc_crypto *cr;           /* algorithms fetched once */
    lc_prefs suites;         /* preference order, most preferred first */
    lc_prefs groups;
    lc_prefs schemes;
    size_t ncerts;
    lc_cert_key certs[LC_MAX_CERTS];
    uint8_t alpn[LC_ALPN_LIST_MAX];
    size_t alpn_len;         /* 0: no ALPN configured */
    lc_line_fn *trace;
    void *trace_arg;
    bool trace_secrets;      /* trace secret values too (never by default) */
    lc_line_fn *keylog;
    void *keylog_arg;
    /* server: the configuration to use for the ClientHello's server_name ("" when none),
     * asked once the ClientHello is read; NULL keeps this one */
    const struct lc_hs_config *(*select)(void *arg, const char *server_name);
    void *select_arg;
    lc_random_fn *random;    /* NULL: the system CSPRNG */
    void *random_arg;
    /* client: how the server is authenticated */
    lc_trust *trust;         /* roots; the system's unless a CA file or directory is set */
    bool trust_custom;       /* trust holds only what lucid_ctx_set_ca_* loaded */
    bool no_verify;          /* --insecure: the chain and name are not checked (the
                                CertificateVerify signature and Finished still are) */
    /* server: client certificates (RFC 8446 4.3.2, 4.4.2.4); see handshake/client_auth.h.
     * A client sends the first of certs[] that fits a CertificateRequest. */
    enum lc_verify_client verify_client;
    lc_trust *client_trust;  /* the CAs a client's chain must lead to; NULL until one is set */
    lc_ca_names client_cas;  /* their names, listed in certificate_authorities */
    /* resumption and 0-RTT (RFC 8446 4.2.9-4.2.11, 4.6.1, 8): ticket.h, psk.h, early_data.h */
    lc_time_fn *time;        /* ticket ages and lifetimes; the real clock unless a test sets one */
    void *time_arg;
    struct lc_ticket_keys *ticket_keys; /* server: the first seals tickets, all open them */
    unsigned tickets;        /* server: NewSessionTickets after each full handshake */
    uint32_t ticket_lifetime; /* server: seconds (RFC 8446 4.6.1: a week at most) */
    uint32_t max_early_data; /* server: max_early_data_size, 0 = no 0-RTT; client: 0 = none sent */
    unsigned psk_modes;      /* 1 << LC_PSK_KE | 1 << LC_PSK_DHE_KE: accepted / offered */
    struct lc_replay *replay; /* server with 0-RTT: the ClientHello record (replay.h) */
    bool replay_shared;       /* replay belongs to a lucid_replay, not to this context */
    /*
     * Test hooks, for replaying fixed traces (RFC 8448) through the state machines; never
     * set by the public API. kex_private gives the private key of our key share;
     * ext_hook may reorder and add to the extensions of a ClientHello (before
     * pre_shared_key), ServerHello, EncryptedExtensions or CertificateRequest just before
     * it is encoded, with
     * bodies that outlive the handshake; ticket_open stands in for our own tickets;
     * no_compat_mode turns middlebox compatibility off (client: empty
     * legacy_session_id, no dummy change_cipher_spec; RFC 8446 D.4 makes it optional).
     */
    lc_kex_private_fn *kex_private;
    void *kex_private_arg;
    lc_ext_hook_fn *ext_hook;
    void *ext_hook_arg;
    lc_ticket_open_fn *ticket_open;
    void *ticket_open_arg;
    bool no_compat_mode;
    /* sign stands in for the private key of a certificate that a trace shows without one
     * (RFC 8448 6): it makes our CertificateVerify signature over content (authenticate.c) */
    lc_sign_fn *sign;
    void *sign_arg;
} lc_hs_config;

#endif
