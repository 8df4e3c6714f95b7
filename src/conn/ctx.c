/*
 * lucid_ctx: the configuration many connections share (include/lucid/lucid.h).
 *
 * Loading certificates and keys reads files; that is configuration time, not
 * the sans-IO engine, which never touches a file or a socket.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "conn/conn.h"
#include "crypto/cert.h"
#include "crypto/crypto.h"
#include "crypto/x509.h"
#include "handshake/algs.h"
#include "handshake/authenticate.h"

/*
 * Algorithms are fetched once here (lc_crypto_new) and shared read-only by
 * every connection of the context (DESIGN: "fetched once per context").
 */
lucid_ctx *lucid_ctx_new(enum lucid_role role, lucid_error *err)
{
    lucid_ctx *ctx = calloc(1, sizeof(*ctx));

    if (err != NULL) {
        memset(err, 0, sizeof(*err));
    }
    if (ctx == NULL) {
        lc_api_error(err, LC_E_NO_MEMORY, "%s", "out of memory");
        return NULL;
    }
    ctx->cfg.server = role == LUCID_SERVER;
    if ((ctx->cfg.cr = lc_crypto_new()) == NULL) {
        free(ctx);
        lc_api_error(err, LC_E_CRYPTO, "%s", "libcrypto lacks an algorithm Lucid needs");
        return NULL;
    }
    if (role == LUCID_CLIENT) {
        /* the system's roots until a CA file or directory replaces them */
        if ((ctx->cfg.trust = lc_trust_new()) == NULL || lc_trust_add_default(ctx->cfg.trust)) {
            lucid_ctx_free(ctx);
            lc_api_error(err, LC_E_CONFIG, "%s", "cannot load the system's trusted roots");
            return NULL;
        }
    }
    ctx->cfg.suites = lc_default_suites;
    ctx->cfg.groups = lc_default_groups;
    ctx->cfg.schemes = lc_default_schemes;
    /* the clock, tickets and 0-RTT defaults (conn/resume.c) */
    if (lc_ctx_resume_init(ctx) != 0) {
        lucid_ctx_free(ctx);
        lc_api_error(err, LC_E_CRYPTO, "%s", "cannot make a session ticket key");
        return NULL;
    }
    return ctx;
}

/* Frees what a certificate slot holds (a part still NULL is skipped) and empties it. */
static void cert_key_free(lc_cert_key *ck)
{
    lc_chain_free(&ck->chain);
    lc_cert_free(ck->leaf);
    lc_pkey_free(ck->key);
    free(ck->msg);
    memset(ck, 0, sizeof(*ck));
}

void lucid_ctx_free(lucid_ctx *ctx)
{
    if (ctx == NULL) {
        return;
    }
    for (size_t i = 0; i < ctx->cfg.ncerts; i++) {
        cert_key_free(&ctx->cfg.certs[i]);
    }
    lc_trust_free(ctx->cfg.trust);
    lc_trust_free(ctx->cfg.client_trust); /* lucid_ctx_set_client_ca_file (conn/client_auth.c) */
    lc_ca_names_free(&ctx->cfg.client_cas);
    lc_ctx_resume_free(ctx); /* ticket keys and the anti-replay record (conn/resume.c) */
    lc_crypto_free(ctx->cfg.cr);
    free(ctx);
}

/* Reads a whole file (PEM files are small: 1 MiB at most). */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;

    if (f == NULL) {
        return NULL;
    }
    buf = malloc(1 << 20);
    if (buf != NULL) {
        *len = fread(buf, 1, (1 << 20) - 1, f);
        buf[*len] = '\0';
    }
    fclose(f);
    return buf;
}

/* The PEM text of chain_file, then that of extra_file (NULL: none) after it. */
static char *read_chain(const char *chain_file, const char *extra_file, size_t *len,
                        const char **unreadable)
{
    size_t extra_len;
    char *pem = read_file(chain_file, len), *extra;

    *unreadable = chain_file;
    if (pem == NULL || extra_file == NULL) {
        return pem;
    }
    *unreadable = extra_file;
    if ((extra = read_file(extra_file, &extra_len)) == NULL) {
        free(pem);
        return NULL;
    }
    char *both = realloc(pem, *len + 1 + extra_len + 1);
    if (both == NULL) {
        free(pem);
        free(extra);
        return NULL;
    }
    both[(*len)++] = '\n'; /* a file that does not end in a newline still parses */
    memcpy(both + *len, extra, extra_len + 1);
    *len += extra_len;
    free(extra);
    return both;
}

int lucid_ctx_add_cert(lucid_ctx *ctx, const char *chain_file, const char *key_file,
                       lucid_error *err)
{
    return lucid_ctx_add_cert_chain(ctx, chain_file, NULL, key_file, err);
}

/*
 * Everything about a certificate is checked when it is loaded, so that a
 * handshake never finds out: the chain parses, the key is usable, the key
 * belongs to the leaf, and the leaf is kept parsed for SNI matching.
 */
int lucid_ctx_add_cert_chain(lucid_ctx *ctx, const char *chain_file, const char *extra_file,
                             const char *key_file, lucid_error *err)
{
    const char *unreadable;
    lc_cert_key *ck;
    lc_pkey *pub = NULL;
    char *pem;
    size_t len;
    int rc;

    if (ctx->cfg.ncerts == LC_MAX_CERTS) {
        lc_api_error(err, LC_E_CONFIG, "more than %d certificates", LC_MAX_CERTS);
        return LC_E_CONFIG;
    }
    ck = &ctx->cfg.certs[ctx->cfg.ncerts];
    if ((pem = read_chain(chain_file, extra_file, &len, &unreadable)) == NULL) {
        lc_api_error(err, LC_E_CONFIG, "cannot read certificate file %s", unreadable);
        return LC_E_CONFIG;
    }
    rc = lc_chain_from_pem(pem, len, &ck->chain);
    free(pem);
    if (rc != 0) {
        cert_key_free(ck);
        lc_api_error(err, LC_E_CONFIG, "no usable PEM certificate in %s", chain_file);
        return LC_E_CONFIG;
    }
    if ((pem = read_file(key_file, &len)) == NULL) {
        cert_key_free(ck);
        lc_api_error(err, LC_E_CONFIG, "cannot read key file %s", key_file);
        return LC_E_CONFIG;
    }
    rc = lc_pkey_from_pem(ctx->cfg.cr, pem, len, &ck->key);
    lc_wipe(pem, len);
    free(pem);
    if (rc != 0) {
        cert_key_free(ck);
        lc_api_error(err, LC_E_CONFIG, "no usable PEM private key in %s", key_file);
        return LC_E_CONFIG;
    }
    /* the key must belong to the leaf: compare what each can be used for */
    rc = lc_pkey_from_cert_der(ctx->cfg.cr, ck->chain.cert[0].der, ck->chain.cert[0].len, &pub);
    if (rc != 0 || lc_pkey_type(pub) != lc_pkey_type(ck->key) ||
        lc_pkey_bits(pub) != lc_pkey_bits(ck->key) || !lc_pkey_matches(pub, ck->key)) {
        lc_pkey_free(pub);
        cert_key_free(ck);
        lc_api_error(err, LC_E_CONFIG, "the key in %s does not belong to the certificate", key_file);
        return LC_E_CONFIG;
    }
    lc_pkey_free(pub);
    if (lc_cert_from_der(ck->chain.cert[0].der, ck->chain.cert[0].len, &ck->leaf) != 0) {
        cert_key_free(ck);
        lc_api_error(err, LC_E_CONFIG, "the certificate in %s does not parse", chain_file);
        return LC_E_CONFIG;
    }
    /* the key signs every full handshake: set its signing context up once (issue 9) */
    if (lc_sig_prepare(ctx->cfg.cr, ck->key) != 0) {
        cert_key_free(ck);
        lc_api_error(err, LC_E_CONFIG, "cannot set up signing with the key in %s", key_file);
        return LC_E_CONFIG;
    }
    /* the Certificate message every full handshake sends, made once; without memory for it
     * each handshake makes its own (authenticate.h) */
    lc_cert_key_encode(ck);
    ctx->cfg.ncerts++;
    return 0;
}

static int set_prefs(lc_prefs *prefs, const char *list, lc_name_lookup *find, const char *what,
                     lucid_error *err)
{
    char bad[64];
    char msg[160];

    if (lc_prefs_parse(list, find, prefs, bad, sizeof(bad)) != 0) {
        snprintf(msg, sizeof(msg), "unknown %s '%s'", what, bad);
        lc_api_error(err, LC_E_CONFIG, "%s", msg);
        return LC_E_CONFIG;
    }
    return 0;
}

int lucid_ctx_set_ciphers(lucid_ctx *ctx, const char *list, lucid_error *err)
{
    return set_prefs(&ctx->cfg.suites, list, lc_suite_id_by_name, "cipher suite", err);
}

int lucid_ctx_set_groups(lucid_ctx *ctx, const char *list, lucid_error *err)
{
    return set_prefs(&ctx->cfg.groups, list, lc_group_id_by_name, "group", err);
}

int lucid_ctx_set_sigalgs(lucid_ctx *ctx, const char *list, lucid_error *err)
{
    return set_prefs(&ctx->cfg.schemes, list, lc_scheme_id_by_name, "signature scheme", err);
}

/*
 * Stored as the wire's ProtocolNameList body (RFC 7301 3.1), so the client
 * writes it as it is and the server walks it with the same reader as a peer's.
 */
int lucid_ctx_set_alpn(lucid_ctx *ctx, const char *list, lucid_error *err)
{
    size_t n = 0;
    const char *p = list;

    /* "h2,http/1.1" -> the wire's ProtocolNameList body: 02 h2 08 http/1.1 */
    while (*p != '\0') {
        size_t len = strcspn(p, ",");

        if (len == 0 || len > 255 || n + 1 + len > sizeof(ctx->cfg.alpn)) {
            lc_api_error(err, LC_E_CONFIG, "bad ALPN list '%s'", list);
            return LC_E_CONFIG;
        }
        ctx->cfg.alpn[n++] = (uint8_t)len;
        memcpy(ctx->cfg.alpn + n, p, len);
        n += len;
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    ctx->cfg.alpn_len = n;
    return 0;
}

/* The first CA file or directory set replaces the system's roots (curl's --cacert). */
static int own_trust(lucid_ctx *ctx, lucid_error *err)
{
    if (ctx->cfg.trust_custom) {
        return 0;
    }
    lc_trust_free(ctx->cfg.trust);
    if ((ctx->cfg.trust = lc_trust_new()) == NULL) {
        lc_api_error(err, LC_E_NO_MEMORY, "%s", "out of memory");
        return LC_E_NO_MEMORY;
    }
    ctx->cfg.trust_custom = true;
    return 0;
}

int lucid_ctx_set_ca_file(lucid_ctx *ctx, const char *file, lucid_error *err)
{
    int rc;

    if ((rc = own_trust(ctx, err)) != 0) {
        return rc;
    }
    if (lc_trust_add_file(ctx->cfg.trust, file) != 0) {
        lc_api_error(err, LC_E_CONFIG, "cannot read CA certificates from %s", file);
        return LC_E_CONFIG;
    }
    return 0;
}

int lucid_ctx_set_ca_path(lucid_ctx *ctx, const char *dir, lucid_error *err)
{
    int rc;

    if ((rc = own_trust(ctx, err)) != 0) {
        return rc;
    }
    if (lc_trust_add_dir(ctx->cfg.trust, dir) != 0) {
        lc_api_error(err, LC_E_CONFIG, "cannot use CA directory %s", dir);
        return LC_E_CONFIG;
    }
    return 0;
}

void lucid_ctx_set_verify(lucid_ctx *ctx, int verify)
{
    ctx->cfg.no_verify = verify == 0;
}

void lucid_ctx_set_trace(lucid_ctx *ctx, lucid_line_fn *fn, void *arg)
{
    ctx->cfg.trace = fn;
    ctx->cfg.trace_arg = arg;
}

/* The handshake's view of lucid_ctx_set_sni_callback: from a context to its configuration. */
static const lc_hs_config *select_site(void *arg, const char *server_name)
{
    lucid_ctx *ctx = arg;
    lucid_ctx *site = ctx->sni(ctx->sni_arg, server_name);

    return site != NULL ? &site->cfg : NULL;
}

void lucid_ctx_set_sni_callback(lucid_ctx *ctx, lucid_sni_fn *fn, void *arg)
{
    ctx->sni = fn;
    ctx->sni_arg = arg;
    ctx->cfg.select = fn != NULL ? select_site : NULL;
    ctx->cfg.select_arg = ctx;
}

void lucid_ctx_set_trace_secrets(lucid_ctx *ctx, int on)
{
    ctx->cfg.trace_secrets = on != 0;
}

void lucid_ctx_set_keylog(lucid_ctx *ctx, lucid_line_fn *fn, void *arg)
{
    ctx->cfg.keylog = fn;
    ctx->cfg.keylog_arg = arg;
}

#ifdef LUCID_FUZZING_BUILD
/*
 * Fuzzing builds only (fuzz/CMakeLists.txt defines LUCID_FUZZING_BUILD): the
 * randomness hook makes our key shares too, so that a handshake recorded by
 * fuzz/gen_seeds.c replays byte for byte in the engine targets, past the first
 * encrypted record. No other build has this path: key shares come from
 * libcrypto, whatever hook is set. EC scalars are one byte short of the order,
 * so always below it.
 */
static int kex_from_random(void *arg, uint16_t group, uint8_t *priv, size_t cap, size_t *len)
{
    const lucid_ctx *ctx = arg;
    size_t n = group == LC_GROUP_X25519 ? 32 : group == LC_GROUP_SECP384R1 ? 47 : 31;

    if (n > cap) {
        return LC_E_BUFFER_TOO_SMALL;
    }
    *len = n;
    return ctx->cfg.random(ctx->cfg.random_arg, priv, n);
}
#endif

void lucid_ctx_set_random(lucid_ctx *ctx, lucid_random_fn *fn, void *arg)
{
    ctx->cfg.random = fn;
    ctx->cfg.random_arg = arg;
#ifdef LUCID_FUZZING_BUILD
    ctx->cfg.kex_private = fn != NULL ? kex_from_random : NULL;
    ctx->cfg.kex_private_arg = ctx;
#endif
}

const char *lucid_error_name(int code)
{
    return lc_err_name(code);
}

const char *lucid_alert_name(int alert)
{
    return alert < 0 || alert > 255 ? "none" : lc_alert_name((uint8_t)alert);
}

const char *lucid_suite_name(uint16_t suite)
{
    return lc_suite_name(suite);
}

const char *lucid_group_name(uint16_t group)
{
    return lc_group_name(group);
}

const char *lucid_sig_scheme_name(uint16_t scheme)
{
    return lc_scheme_name(scheme);
}
