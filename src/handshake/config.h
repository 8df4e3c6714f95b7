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

#include "crypto/cert.h"
#include "crypto/crypto.h"
#include "crypto/x509.h"
#include "handshake/algs.h"

/* A certificate chain and its private key. */
typedef struct lc_cert_key {
    lc_chain chain; /* leaf first */
    lc_cert *leaf;  /* chain.cert[0], parsed once for name checks */
    lc_pkey *key;
} lc_cert_key;

#define LC_MAX_CERTS 8

/* A line sink: trace and key log (lucid_line_fn in the public API). */
typedef void lc_line_fn(void *arg, const char *line);
typedef int lc_random_fn(void *arg, uint8_t *buf, size_t n);

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
} lc_hs_config;

#endif
