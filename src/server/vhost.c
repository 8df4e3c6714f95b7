/*
 * Sites (nginx's name-based virtual servers): building each site's TLS context and locations
 * from its configuration, and choosing the site for a server name or a Host header.
 *
 * A listener holds the sites that listen on its address, the default one first. A TLS
 * listener makes its connections from a "dispatch" context that holds no certificate: the
 * engine asks it, through lucid_ctx_set_sni_callback, for the site named in the ClientHello,
 * and goes on with that site's context (certificates, suites, groups, ALPN, tickets, client
 * CAs). The HTTP side later looks the same name up again with lc_srv_vhost_by_name, so both
 * always agree.
 *
 * Matching follows nginx (ngx_http_server_names): names compare without case; an exact name
 * wins over a wildcard, and a longer wildcard suffix over a shorter one; "*.example.com"
 * matches any name that ends in ".example.com", however deep, and ".example.com" matches
 * that and example.com itself. A trailing dot and a port
 * (":8443" in a Host header) are ignored.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/internal.h"

/* How well pattern matches host (len bytes, lower case): 0 not at all, else a score where an
 * exact match beats every wildcard and longer wildcards beat shorter ones. */
static size_t name_score(const char *pattern, const char *host, size_t len)
{
    size_t plen = strlen(pattern);

    if (pattern[0] == '*' && pattern[1] == '.') {
        size_t slen = plen - 1; /* ".example.com" */
        if (len > slen && memcmp(host + len - slen, pattern + 1, slen) == 0) {
            return slen;
        }
        return 0;
    }
    if (pattern[0] == '.') {
        /* ".example.com": example.com itself and every name under it (nginx) */
        if ((len == plen - 1 && memcmp(host, pattern + 1, len) == 0) ||
            (len > plen && memcmp(host + len - plen, pattern, plen) == 0)) {
            return plen;
        }
        return 0;
    }
    return plen == len && memcmp(pattern, host, len) == 0 ? (size_t)-1 : 0;
}

struct lc_srv_vhost *lc_srv_vhost_by_name(const struct lc_srv_listener *ls, const char *name,
                                          size_t len)
{
    char host[256];
    struct lc_srv_vhost *best = NULL;
    size_t best_score = 0;

    if (ls->vhost_count == 0) {
        return NULL;
    }
    /* "[::1]:8443" and "example.com:8443": the port goes; an IPv6 literal keeps its brackets */
    if (len > 0 && name[0] == '[') {
        const char *close = memchr(name, ']', len);
        len = close != NULL ? (size_t)(close - name) + 1 : len;
    } else {
        const char *colon = memchr(name, ':', len);
        len = colon != NULL ? (size_t)(colon - name) : len;
    }
    if (len > 0 && name[len - 1] == '.') {
        len--; /* "example.com." is "example.com" */
    }
    if (len == 0 || len >= sizeof(host)) {
        return ls->vhosts[0];
    }
    for (size_t i = 0; i < len; i++) {
        host[i] = (char)tolower((unsigned char)name[i]);
    }
    for (size_t v = 0; v < ls->vhost_count; v++) {
        struct lc_srv_vhost *vh = ls->vhosts[v];
        for (size_t n = 0; n < vh->name_count; n++) {
            size_t score = name_score(vh->names[n], host, len);
            if (score > best_score) {
                best_score = score;
                best = vh;
            }
        }
    }
    return best != NULL ? best : ls->vhosts[0];
}

struct lc_srv_vhost *lc_srv_pick_vhost(struct lc_srv_conn *c, const char *name, size_t len)
{
    struct lc_srv_vhost *vh = lc_srv_vhost_by_name(c->listener, name, len);

    return vh != NULL ? vh : c->vhost;
}

const struct lc_srv_vloc *lc_srv_find_location(const struct lc_srv_vhost *vh, const char *path)
{
    const struct lc_srv_vloc *best = NULL;

    for (size_t i = 0; i < vh->loc_count; i++) {
        const struct lc_srv_vloc *l = &vh->locs[i];
        if (strncmp(path, l->prefix, l->prefix_len) == 0 &&
            (best == NULL || l->prefix_len > best->prefix_len)) {
            best = l;
        }
    }
    return best;
}

/* Lucid's one line for a failed configuration call. */
static void lucid_message(const lucid_error *e, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s", e->message[0] != '\0' ? e->message : lucid_error_name(e->code));
}

/* A trace line from the engine: its argument is the connection (lc_srv_conn_accepted). */
static void trace_line(void *arg, const char *line)
{
    struct lc_srv_conn *c = arg;

    c->srv->trace(c->srv->trace_arg, c->peer, line);
}

/* The hooks every context of the server shares: trace and key log. */
static void set_hooks(lucid_ctx *ctx, const struct lc_srv_config *cfg)
{
    if (cfg->trace != NULL) {
        lucid_ctx_set_trace(ctx, trace_line, NULL);
        lucid_ctx_set_trace_secrets(ctx, cfg->trace_secrets != 0);
    }
    if (cfg->keylog != NULL) {
        lucid_ctx_set_keylog(ctx, cfg->keylog, cfg->keylog_arg);
    }
}

/* A certificate, its key and (ssl_certificate_chain) the intermediates of a file of their own. */
static int add_cert(lucid_ctx *ctx, const struct lc_srv_cert *cert, char *err, size_t errlen)
{
    lucid_error e;

    memset(&e, 0, sizeof(e));
    if (lucid_ctx_add_cert_chain(ctx, cert->chain, cert->chain_extra, cert->key, &e) != 0) {
        lucid_message(&e, err, errlen);
        return -1;
    }
    return 0;
}

/* A site's TLS context: certificates, preferences, ALPN, tickets, early data, client CAs. */
static int make_ctx(struct lc_srv_vhost *vh, const struct lc_srv_site *site,
                    const struct lc_srv_config *cfg, char *err, size_t errlen)
{
    lucid_error e;

    memset(&e, 0, sizeof(e));
    if (site->cert_count == 0) {
        snprintf(err, errlen, "a TLS listener needs a certificate and its key "
                              "(ssl_certificate and ssl_certificate_key, or --cert and --key)");
        return -1;
    }
    if (site->protocols != NULL && strstr(site->protocols, "TLSv1.3") == NULL) {
        snprintf(err, errlen, "ssl_protocols '%s': Lucid speaks TLSv1.3 only", site->protocols);
        return -1;
    }
    if ((vh->ctx = lucid_ctx_new(LUCID_SERVER, &e)) == NULL) {
        lucid_message(&e, err, errlen);
        return -1;
    }
    for (size_t i = 0; i < site->cert_count; i++) {
        if (add_cert(vh->ctx, &site->certs[i], err, errlen) != 0) {
            return -1;
        }
    }
    if (lucid_ctx_set_alpn(vh->ctx, site->alpn != NULL ? site->alpn : "http/1.1", &e) != 0 ||
        (site->ciphers != NULL && lucid_ctx_set_ciphers(vh->ctx, site->ciphers, &e) != 0) ||
        (site->groups != NULL && lucid_ctx_set_groups(vh->ctx, site->groups, &e) != 0)) {
        lucid_message(&e, err, errlen);
        return -1;
    }
    /* Resumption (RFC 8446 4.6.1): the key file several servers share, or the master's
     * key that this server's workers share; 0-RTT only on top of tickets, with the master's
     * anti-replay record, so that a replay is caught whichever worker it reaches. */
    lucid_ctx_set_tickets(vh->ctx, site->tickets ? 2 : 0);
    if ((site->ticket_key_file != NULL &&
         lucid_ctx_set_ticket_key_file(vh->ctx, site->ticket_key_file, &e) != 0) ||
        (site->ticket_key_file == NULL && cfg->ticket_key != NULL &&
         lucid_ctx_set_ticket_key(vh->ctx, cfg->ticket_key, LC_SRV_TICKET_KEY_LEN, &e) != 0) ||
        (site->tickets && site->early_data != 0 && cfg->replay != NULL &&
         lucid_ctx_set_replay(vh->ctx, cfg->replay, &e) != 0) ||
        (site->tickets && site->early_data != 0 &&
         lucid_ctx_set_early_data(vh->ctx, site->early_data, &e) != 0)) {
        lucid_message(&e, err, errlen);
        return -1;
    }
    /* Client certificates (RFC 8446 4.3.2): asked for, and checked against these CAs. */
    if (site->verify_client != 0) {
        if (site->client_ca == NULL) {
            snprintf(err, errlen, "ssl_verify_client needs ssl_client_certificate (the CAs)");
            return -1;
        }
        if (lucid_ctx_set_client_ca_file(vh->ctx, site->client_ca, &e) != 0) {
            lucid_message(&e, err, errlen);
            return -1;
        }
        lucid_ctx_set_verify_client(vh->ctx, site->verify_client == 2
                                                 ? LUCID_VERIFY_CLIENT_OPTIONAL
                                                 : LUCID_VERIFY_CLIENT_ON);
    }
    set_hooks(vh->ctx, cfg);
    return 0;
}

/* A location's root, resolved once: the file lookups compare against it (files.c). */
static int make_location(struct lc_srv_vloc *l, const struct lc_srv_location *loc, char *err,
                         size_t errlen)
{
    struct stat st;

    if (loc->root == NULL || realpath(loc->root, l->root) == NULL) {
        snprintf(err, errlen, "root '%s' (location %s): %s", loc->root != NULL ? loc->root : "",
                 loc->prefix, loc->root != NULL ? strerror(errno) : "expected a directory");
        return -1;
    }
    if (stat(l->root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "root '%s' (location %s): expected a directory", loc->root,
                 loc->prefix);
        return -1;
    }
    l->prefix = strdup(loc->prefix != NULL ? loc->prefix : "/");
    l->index = strdup(loc->index != NULL ? loc->index : "index.html");
    if (l->prefix == NULL || l->index == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    l->prefix_len = strlen(l->prefix);
    return 0;
}

int lc_srv_vhost_init(struct lc_srv_vhost *vh, const struct lc_srv_site *site,
                      const struct lc_srv_config *cfg, char *err, size_t errlen)
{
    int tls = 0;

    memset(vh, 0, sizeof(*vh));
    vh->names = calloc(site->name_count + 1, sizeof(*vh->names));
    vh->locs = calloc(site->location_count + 1, sizeof(*vh->locs));
    if (vh->names == NULL || vh->locs == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < site->name_count; i++) {
        char *n = strdup(site->names[i]);
        if (n == NULL) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        for (char *p = n; *p != '\0'; p++) {
            *p = (char)tolower((unsigned char)*p);
        }
        vh->names[vh->name_count++] = n;
    }
    for (size_t i = 0; i < site->location_count; i++) {
        if (make_location(&vh->locs[vh->loc_count++], &site->locations[i], err, errlen) != 0) {
            return -1;
        }
    }
    for (size_t i = 0; i < site->listen_count; i++) {
        tls |= site->listen[i].tls;
    }
    return tls ? make_ctx(vh, site, cfg, err, errlen) : 0;
}

void lc_srv_vhost_free(struct lc_srv_vhost *vh)
{
    for (size_t i = 0; i < vh->name_count; i++) {
        free(vh->names[i]);
    }
    free(vh->names);
    for (size_t i = 0; i < vh->loc_count; i++) {
        free(vh->locs[i].prefix);
        free(vh->locs[i].index);
    }
    free(vh->locs);
    if (vh->ctx != NULL) {
        lucid_ctx_free(vh->ctx);
    }
    memset(vh, 0, sizeof(*vh));
}

/* The dispatch context's callback: the listener's site for the name, as the HTTP side sees
 * it, or the default site when that one has no TLS context of its own. */
static lucid_ctx *sni_site(void *arg, const char *server_name)
{
    struct lc_srv_listener *ls = arg;
    struct lc_srv_vhost *vh = lc_srv_vhost_by_name(ls, server_name, strlen(server_name));

    return vh != NULL && vh->ctx != NULL ? vh->ctx : ls->vhosts[0]->ctx;
}

int lc_srv_listener_dispatch(struct lc_srv_listener *ls, const struct lc_srv_config *cfg,
                             char *err, size_t errlen)
{
    lucid_error e;

    for (size_t i = 0; i < ls->vhost_count; i++) {
        if (ls->vhosts[i]->ctx == NULL) {
            snprintf(err, errlen, "%s: every site on a TLS address needs a certificate", ls->url);
            return -1;
        }
    }
    memset(&e, 0, sizeof(e));
    if ((ls->ctx = lucid_ctx_new(LUCID_SERVER, &e)) == NULL) {
        lucid_message(&e, err, errlen);
        return -1;
    }
    lucid_ctx_set_sni_callback(ls->ctx, sni_site, ls);
    set_hooks(ls->ctx, cfg);
    return 0;
}
