/*
 * After the last '}': the checks that need the whole file (config_file.h's "whole but
 * unusable" list), and the result laid out as struct lc_srv_config.
 *
 * - Inheritance: the ssl_* directives of http are defaults for every server that does not set
 *   them, each on its own, as nginx merges them (ngx_http_ssl_merge_srv_conf); a server's root
 *   and index are defaults for its locations.
 * - Per server: a listen, a root for every location, a certificate (paired with its key in
 *   order) when a listener is TLS, and TLS settings that can work together.
 * - Across servers: listeners are per address, so all servers on one address agree on TLS,
 *   one at most is its default_server, and a name belongs to one server per address.
 */
#include <stdlib.h>
#include <string.h>

#include "server/config_parse.h"

/* ---- after the last '}': whole but unusable? --------------------------------------------- */

static void inherit(struct lc_conf_tls *t, const struct lc_conf_tls *h)
{
    if (t->ncert == 0) {
        memcpy(t->cert, h->cert, sizeof(t->cert));
        t->ncert = h->ncert;
    }
    if (t->nkey == 0) {
        memcpy(t->key, h->key, sizeof(t->key));
        t->nkey = h->nkey;
    }
    if (t->nchain == 0) {
        memcpy(t->chain, h->chain, sizeof(t->chain));
        t->nchain = h->nchain;
    }
    const char **mine[] = { &t->protocols, &t->ciphers,    &t->groups,
                            &t->alpn,      &t->ticket_key, &t->client_ca };
    const char *const theirs[] = { h->protocols, h->ciphers,    h->groups,
                                   h->alpn,      h->ticket_key, h->client_ca };
    for (size_t i = 0; i < LC_CONF_LEN(mine); i++) {
        if (*mine[i] == NULL) {
            *mine[i] = theirs[i];
        }
    }
    t->tickets = t->tickets >= 0 ? t->tickets : h->tickets >= 0 ? h->tickets : 1;
    t->early = t->early >= 0 ? t->early : h->early >= 0 ? h->early : 0;
    t->verify = t->verify >= 0 ? t->verify : h->verify >= 0 ? h->verify : 0;
    t->early_size = t->early_size != 0 ? t->early_size : h->early_size;
}

/* Certificates, keys and chains paired in order, as nginx pairs ssl_certificate and
 * ssl_certificate_key. */
static int pair_certs(struct lc_conf_parser *p, struct lc_conf_site *s)
{
    const struct lc_conf_tls *t = &s->tls;

    if (t->ncert != t->nkey) {
        return lc_conf_fail(
            p, s->line,
            "this server has %zu ssl_certificate and %zu "
            "ssl_certificate_key; expected one key per certificate, paired in order",
            t->ncert, t->nkey);
    }
    if (t->nchain > t->ncert) {
        return lc_conf_fail(
            p, s->line,
            "this server has %zu ssl_certificate_chain for %zu "
            "ssl_certificate; expected at most one chain per certificate, paired in "
            "order",
            t->nchain, t->ncert);
    }
    for (size_t i = 0; i < t->ncert; i++) {
        s->certs[i] = (struct lc_srv_cert){
            .chain = t->cert[i],
            .key = t->key[i],
            .chain_extra = i < t->nchain ? t->chain[i] : NULL,
        };
    }
    return 0;
}

/* What a server with a TLS listener needs. */
static int check_tls(struct lc_conf_parser *p, const struct lc_conf_site *s)
{
    const struct lc_conf_tls *t = &s->tls;
    size_t i = 0;

    while (i < s->nlisten && !s->listen[i].tls) {
        i++;
    }
    if (i == s->nlisten) {
        return 0; /* plain only: its ssl_* directives are unused, as in nginx */
    }
    if (t->ncert == 0) {
        return lc_conf_fail(p, s->listen_line[i],
                            "listen %s ssl: this server has no certificate; "
                            "expected ssl_certificate and ssl_certificate_key in it or in http",
                            lc_conf_show(p, s->listen[i].addr));
    }
    if (t->verify != 0 && t->client_ca == NULL) {
        return lc_conf_fail(p, s->line,
                            "ssl_verify_client %s without ssl_client_certificate; expected "
                            "the file of CAs that client certificates chain to",
                            t->verify == 1 ? "on" : "optional");
    }
    if (t->early == 1 && t->tickets == 0) {
        /* RFC 8446 4.2.10: early data rides on a PSK, and Lucid's PSKs are its tickets. */
        return lc_conf_fail(p, s->line,
                            "ssl_early_data on with ssl_session_tickets off; expected "
                            "tickets on (0-RTT resumes a session from a ticket)");
    }
    return 0;
}

/* Each location gets the server's root and index unless it has its own; a server root also
 * serves what no location matches, as in nginx, through an implicit "location /". */
static int check_locations(struct lc_conf_parser *p, struct lc_conf_site *s)
{
    int has_slash = 0;

    for (size_t i = 0; i < s->nlocs; i++) {
        struct lc_srv_location *l = &s->locs[i];
        l->root = l->root != NULL ? l->root : s->root;
        l->index = l->index != NULL ? l->index : s->index;
        if (l->root == NULL) {
            return lc_conf_fail(p, s->loc_line[i],
                                "location '%s' has no root; expected root DIR in "
                                "it or in its server",
                                lc_conf_show(p, l->prefix));
        }
        has_slash |= strcmp(l->prefix, "/") == 0;
    }
    if (s->root != NULL && !has_slash) {
        s->locs[s->nlocs++] = (struct lc_srv_location){ "/", s->root, s->index };
    }
    if (s->nlocs == 0) {
        return lc_conf_fail(p, s->line,
                            "this server has no root and no location; expected root DIR; "
                            "or location / { root DIR; }");
    }
    return 0;
}

/* Listeners are per address, not per server: every server on one address must agree on TLS,
 * and one at most may be its default_server. */
static int check_addresses(struct lc_conf_parser *p)
{
    for (size_t si = 0; si < p->nsites; si++) {
        const struct lc_conf_site *s = p->sites[si];
        for (size_t li = 0; li < s->nlisten; li++) {
            const struct lc_srv_listen *l = &s->listen[li];
            for (size_t ti = 0; ti < si; ti++) {
                const struct lc_conf_site *t = p->sites[ti];
                for (size_t k = 0; k < t->nlisten; k++) {
                    const struct lc_srv_listen *m = &t->listen[k];
                    /* ":0" is a new port of the kernel's choosing each time, never shared */
                    if (strcmp(l->addr, m->addr) != 0 || lc_conf_any_port(l->addr)) {
                        continue;
                    }
                    if (l->tls != m->tls) {
                        return lc_conf_fail(
                            p, s->listen_line[li],
                            "listen %s is %s here but %s on line %u; expected the same "
                            "ssl flag on every listen of one address",
                            lc_conf_show(p, l->addr), l->tls ? "TLS" : "plain",
                            m->tls ? "TLS" : "plain", t->listen_line[k]);
                    }
                    if (l->default_server && m->default_server) {
                        return lc_conf_fail(
                            p, s->listen_line[li],
                            "listen %s: a second default_server (the first is on line "
                            "%u); expected one per address",
                            lc_conf_show(p, l->addr), t->listen_line[k]);
                    }
                }
            }
        }
    }
    return 0;
}

static int shares_address(const struct lc_conf_site *a, const struct lc_conf_site *b,
                          const char **addr)
{
    for (size_t i = 0; i < a->nlisten; i++) {
        for (size_t j = 0; j < b->nlisten; j++) {
            if (strcmp(a->listen[i].addr, b->listen[j].addr) == 0) {
                *addr = a->listen[i].addr;
                return 1;
            }
        }
    }
    return 0;
}

struct name_use {
    const char *name;
    size_t site;
    unsigned line;
};

static int by_name(const void *x, const void *y)
{
    const struct name_use *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c != 0 ? c : a->site < b->site ? -1 : a->site > b->site;
}

/* One name on one address belongs to one server: otherwise SNI and Host could not choose. */
static int check_names(struct lc_conf_parser *p)
{
    size_t total = 0, n = 0;

    for (size_t i = 0; i < p->nsites; i++) {
        total += p->sites[i]->nnames;
    }
    if (total < 2) {
        return 0;
    }
    struct name_use *uses = malloc(total * sizeof(*uses));
    if (uses == NULL) {
        return lc_conf_fail(p, 0, "out of memory");
    }
    for (size_t i = 0; i < p->nsites; i++) {
        for (size_t k = 0; k < p->sites[i]->nnames; k++) {
            uses[n++] = (struct name_use){ p->sites[i]->names[k], i, p->sites[i]->name_line[k] };
        }
    }
    qsort(uses, n, sizeof(*uses), by_name);
    int rc = 0;
    for (size_t i = 0; i + 1 < n && rc == 0; i++) {
        /* "_" matches nothing (server.h), so any number of servers may say it. */
        for (size_t j = i + 1; j < n && rc == 0 && strcmp(uses[i].name, uses[j].name) == 0 &&
                               strcmp(uses[i].name, "_") != 0;
             j++) {
            const char *addr;
            if (uses[i].site != uses[j].site &&
                shares_address(p->sites[uses[i].site], p->sites[uses[j].site], &addr)) {
                rc = lc_conf_fail(p, uses[j].line,
                                  "server_name '%s' on %s is also in the server on "
                                  "line %u; expected each name in one server per address",
                                  lc_conf_show(p, uses[j].name), lc_conf_show(p, addr),
                                  p->sites[uses[i].site]->line);
            }
        }
    }
    free(uses);
    return rc;
}

/* The checks of config_file.h's "whole but unusable" list, then the result's arrays. */
int lc_conf_finish(struct lc_conf_parser *p)
{
    struct lc_srv_config *cfg = &p->conf->cfg;

    if (p->nsites == 0) {
        return lc_conf_fail(p, p->http_line,
                            p->http_line != 0 ? "no server block in http; expected "
                                                "server { listen PORT; root DIR; }"
                                              : "no http block; expected "
                                                "http { server { listen PORT; root DIR; } }");
    }
    for (size_t i = 0; i < p->nsites; i++) {
        struct lc_conf_site *s = p->sites[i];
        if (s->nlisten == 0) {
            return lc_conf_fail(p, s->line,
                                "this server has no listen; expected listen PORT; or "
                                "listen ADDR:PORT ssl;");
        }
        inherit(&s->tls, &p->http_tls);
        if (pair_certs(p, s) != 0 || check_tls(p, s) != 0 || check_locations(p, s) != 0) {
            return -1;
        }
    }
    if (check_addresses(p) != 0 || check_names(p) != 0) {
        return -1;
    }
    struct lc_srv_site *sites = lc_conf_alloc(p, 0, p->nsites * sizeof(*sites));
    if (sites == NULL) {
        return -1;
    }
    for (size_t i = 0; i < p->nsites; i++) {
        const struct lc_conf_site *s = p->sites[i];
        const struct lc_conf_tls *t = &s->tls;
        sites[i] = (struct lc_srv_site){
            .names = s->names,
            .name_count = s->nnames,
            .listen = s->listen,
            .listen_count = s->nlisten,
            .certs = s->certs,
            .cert_count = t->ncert,
            .protocols = t->protocols,
            .ciphers = t->ciphers,
            .groups = t->groups,
            .alpn = t->alpn,
            .locations = s->locs,
            .location_count = s->nlocs,
            .ticket_key_file = t->ticket_key,
            .tickets = t->tickets,
            .early_data = t->early != 1   ? 0
                          : t->early_size ? t->early_size
                                          : LC_CONF_EARLY_DATA_DEFAULT,
            .client_ca = t->client_ca,
            .verify_client = t->verify,
        };
    }
    cfg->sites = sites;
    cfg->site_count = p->nsites;
    return 0;
}
