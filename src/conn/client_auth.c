/*
 * The public API of client certificates (include/lucid/lucid.h): a server's
 * client CAs and verify_client mode, and what a connection knows of its
 * peer's certificate. The handshake itself is in src/handshake/client_auth.c.
 *
 * Loading the CA file is configuration time, not the sans-IO engine: it reads
 * the file twice, once into the trust store that verifies client chains and
 * once for the CA names that certificate_authorities lists (RFC 8446 4.2.4), so
 * the names sent are exactly the CAs trusted.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "conn/conn.h"
#include "crypto/ca_names.h"
#include "crypto/x509.h"
#include "handshake/client_auth.h"

/* lc_api_error, then the code: one line for "return config_error(...)". */
#define config_error(err, code, ...) (lc_api_error((err), (code), __VA_ARGS__), (code))

int lucid_ctx_set_client_ca_file(lucid_ctx *ctx, const char *file, lucid_error *err)
{
    lc_hs_config *cfg = &ctx->cfg;
    int rc;

    if (!cfg->server) {
        return config_error(err, LC_E_BAD_ARGUMENT, "client CAs are a server's setting; a "
                            "client trusts servers through lucid_ctx_set_ca_file");
    }
    if (cfg->client_trust == NULL && (cfg->client_trust = lc_trust_new()) == NULL) {
        return config_error(err, LC_E_NO_MEMORY, "out of memory");
    }
    if (lc_trust_add_file(cfg->client_trust, file) != 0) {
        return config_error(err, LC_E_CONFIG, "cannot read client CA certificates from %s",
                            file);
    }
    if ((rc = lc_ca_names_add_file(&cfg->client_cas, file)) != 0) {
        return config_error(err, rc, "cannot read the CA names in %s", file);
    }
    return 0;
}

void lucid_ctx_set_verify_client(lucid_ctx *ctx, int mode)
{
    static const enum lc_verify_client modes[] = {
        [LUCID_VERIFY_CLIENT_OFF] = LC_VERIFY_CLIENT_OFF,
        [LUCID_VERIFY_CLIENT_ON] = LC_VERIFY_CLIENT_ON,
        [LUCID_VERIFY_CLIENT_OPTIONAL] = LC_VERIFY_CLIENT_OPTIONAL,
    };

    /* a value we do not know asks for the strict mode rather than none */
    ctx->cfg.verify_client = mode >= 0 && (size_t)mode < LC_ARRAY_LEN(modes)
                                 ? modes[mode]
                                 : LC_VERIFY_CLIENT_ON;
}

const char *lucid_conn_peer_subject(const lucid_conn *c)
{
    return c->hs.done && c->hs.peer != NULL ? c->hs.peer->subject : NULL;
}

const uint8_t *lucid_conn_peer_cert_der(const lucid_conn *c, size_t *len)
{
    if (!c->hs.done || c->hs.peer == NULL) {
        *len = 0;
        return NULL;
    }
    *len = c->hs.peer->len;
    return c->hs.peer->der;
}

int lucid_conn_client_cert_requested(const lucid_conn *c)
{
    return c->hs.done && c->hs.cert_requested;
}

uint16_t lucid_conn_client_sig_scheme(const lucid_conn *c)
{
    return c->hs.done ? c->hs.client_scheme : 0;
}
