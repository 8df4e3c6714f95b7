/*
 * The directives of the configuration file: one table (lc_conf_directives) with, for each,
 * the blocks it may appear in, its argument count, whether it may repeat, how it reads in
 * messages, and its handler. The handlers check their values (numbers, times, sizes, listen
 * addresses, host names, file names, TLS names) and store them in the parser's site or TLS
 * settings; what depends on the whole file is left to config_check.c.
 *
 * The directives are nginx's where nginx has them, with nginx's value syntax (times "30s",
 * sizes "16k", "listen [::]:443 ssl default_server", ".example.com" for a domain and its
 * subdomains). ssl_certificate_chain and ssl_alpn are Lucid's own; ssl_early_data_size
 * stands for OpenSSL's max_early_data, which nginx fixes at 16 KiB.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "server/config_parse.h"

/* ---- values ------------------------------------------------------------------------------ */

/* A decimal number no larger than max: digits only, no sign. */
static int parse_number(const char *s, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;

    if (*s == '\0') {
        return -1;
    }
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9') {
            return -1;
        }
        v = v * 10 + (unsigned)(*s - '0'); /* v <= max < 2^40 before this: no overflow */
        if (v > max) {
            return -1;
        }
    }
    *out = v;
    return 0;
}

/* nginx's time syntax: "30" (seconds), "500ms", "10s", "2m", "1h", "1d", or a sum "1m30s". */
static int parse_time(const char *s, unsigned *ms)
{
    static const struct {
        const char *unit;
        unsigned long long ms;
    } units[] = { { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "d", 86400000 } };
    unsigned long long total = 0;
    unsigned long long plain;

    if (parse_number(s, LC_CONF_MAX_TIME_MS / 1000, &plain) == 0) {
        total = plain * 1000;
    } else {
        while (*s != '\0') {
            unsigned long long v = 0, scale = 0;
            size_t digits = 0, letters = 0;
            while (s[digits] >= '0' && s[digits] <= '9' && digits < 10) {
                v = v * 10 + (unsigned)(s[digits++] - '0');
            }
            while (s[digits + letters] >= 'a' && s[digits + letters] <= 'z') {
                letters++;
            }
            for (size_t i = 0; i < LC_CONF_LEN(units); i++) {
                if (strlen(units[i].unit) == letters &&
                    memcmp(units[i].unit, s + digits, letters) == 0) {
                    scale = units[i].ms;
                }
            }
            if (digits == 0 || scale == 0) {
                return -1;
            }
            total += v * scale; /* v < 10^10, scale <= 8.64e7: fits in 64 bits */
            if (total > LC_CONF_MAX_TIME_MS) {
                return -1;
            }
            s += digits + letters;
        }
    }
    if (total == 0 || total > LC_CONF_MAX_TIME_MS) {
        return -1;
    }
    *ms = (unsigned)total;
    return 0;
}

/* A size in bytes: "16384", "16k", "1m" (nginx's size syntax), from 1 to 2^32 - 1. */
static int parse_size(const char *s, unsigned *out)
{
    char digits[24];
    size_t len = strlen(s);
    unsigned long long scale = 1, v;

    if (len > 0 && (s[len - 1] == 'k' || s[len - 1] == 'K')) {
        scale = 1024;
        len--;
    } else if (len > 0 && (s[len - 1] == 'm' || s[len - 1] == 'M')) {
        scale = 1024 * 1024;
        len--;
    }
    if (len == 0 || len >= sizeof(digits)) {
        return -1;
    }
    memcpy(digits, s, len);
    digits[len] = '\0';
    if (parse_number(digits, UINT32_MAX, &v) != 0 || v == 0 || v * scale > UINT32_MAX) {
        return -1;
    }
    *out = (unsigned)(v * scale);
    return 0;
}

static const struct lc_conf_keyword *find_keyword(const struct lc_conf_keyword *words,
                                                  const char *s)
{
    for (; words->word != NULL; words++) {
        if (strcmp(words->word, s) == 0) {
            return words;
        }
    }
    return NULL;
}

/* "on, off or optional", for messages. */
static void keyword_list(const struct lc_conf_keyword *words, char *out, size_t cap)
{
    size_t n = 0;

    out[0] = '\0';
    for (size_t i = 0; words[i].word != NULL && n < cap; i++) {
        const char *sep = i == 0 ? "" : words[i + 1].word == NULL ? " or " : ", ";
        int w = snprintf(out + n, cap - n, "%s%s", sep, words[i].word);
        n += w > 0 ? (size_t)w : 0;
    }
}

static void lower(char *s)
{
    for (; *s != '\0'; s++) {
        if (*s >= 'A' && *s <= 'Z') {
            *s = (char)(*s - 'A' + 'a');
        }
    }
}

/* RFC 1035 2.3.1 host names, leniently (nginx accepts '_' too): labels of 1 to 63 letters,
 * digits, '-' or '_', 253 bytes in all. s is lower case. */
static int is_host_name(const char *s)
{
    size_t len = strlen(s), label = 0;

    if (len == 0 || len > 253) {
        return 0;
    }
    for (; *s != '\0'; s++) {
        if (*s == '.') {
            if (label == 0) {
                return 0;
            }
            label = 0;
        } else if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_') {
            if (++label > 63) {
                return 0;
            }
        } else {
            return 0;
        }
    }
    return label > 0;
}

/* Only digits and dots: meant as an IPv4 address, so it must be one. */
static int looks_numeric(const char *s)
{
    return strspn(s, "0123456789.") == strlen(s);
}

/* An argument that names a file or directory, made absolute against the file's directory. */
static const char *path_arg(struct lc_conf_parser *p, const struct lc_conf_args *a, size_t i)
{
    const char *s = a->v[i];

    if (s[0] == '\0') {
        lc_conf_fail(p, a->line[i], "%s: an empty path; expected a file or directory name",
                     a->name);
        return NULL;
    }
    if (s[0] == '/') {
        return lc_conf_copy(p, a->line[i], s, a->len[i]);
    }
    while (s[0] == '.' && s[1] == '/') {
        s += 2;
        while (s[0] == '/') {
            s++;
        }
    }
    if (strcmp(s, ".") == 0) {
        s = "";
    }
    size_t dl = strlen(p->dir), sl = strlen(s);
    if (dl + 1 + sl >= PATH_MAX) {
        lc_conf_fail(p, a->line[i], "%s: '%s' is longer than %d bytes once joined to %s", a->name,
                     lc_conf_show(p, a->v[i]), PATH_MAX - 1, lc_conf_show(p, p->dir));
        return NULL;
    }
    char *out = lc_conf_alloc(p, a->line[i], dl + 1 + sl + 1);
    if (out == NULL) {
        return NULL;
    }
    memcpy(out, p->dir, dl);
    if (sl > 0) {
        if (out[dl - 1] != '/') {
            out[dl++] = '/';
        }
        memcpy(out + dl, s, sl);
    }
    return out;
}

/* ---- top level and events ---------------------------------------------------------------- */

static int set_workers(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                       const struct lc_conf_args *a)
{
    unsigned long long v;

    if (strcmp(a->v[0], "auto") == 0) {
        p->conf->cfg.workers = 0; /* one per core */
        return 0;
    }
    if (parse_number(a->v[0], LC_CONF_MAX_WORKERS, &v) != 0 || v == 0) {
        return lc_conf_fail(p, a->line[0],
                            "%s: '%s' is not a worker count; expected auto or 1 to %d", d->name,
                            lc_conf_show(p, a->v[0]), LC_CONF_MAX_WORKERS);
    }
    p->conf->cfg.workers = (unsigned)v;
    return 0;
}

static int set_error_log(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                         const struct lc_conf_args *a)
{
    (void)d;
    if (strcmp(a->v[0], "stderr") == 0) {
        p->conf->cfg.error_log_path = NULL;
        return 0;
    }
    return (p->conf->cfg.error_log_path = path_arg(p, a, 0)) != NULL ? 0 : -1;
}

/* Allowed at the top level and in events, but once in all. */
static int set_worker_connections(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                                  const struct lc_conf_args *a)
{
    unsigned long long v;

    if (p->wc_line != 0) {
        return lc_conf_fail(p, a->name_line, "duplicate '%s' (first on line %u); expected it once",
                            d->name, p->wc_line);
    }
    if (parse_number(a->v[0], LC_CONF_MAX_CONNECTIONS, &v) != 0 || v == 0) {
        return lc_conf_fail(p, a->line[0], "%s: '%s' is not a connection count; expected 1 to %d",
                            d->name, lc_conf_show(p, a->v[0]), LC_CONF_MAX_CONNECTIONS);
    }
    p->wc_line = a->name_line;
    p->conf->cfg.max_conns = (unsigned)v;
    return 0;
}

static int open_plain(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                      const struct lc_conf_args *a)
{
    (void)p;
    (void)d;
    (void)a;
    return 0;
}

static int open_http(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                     const struct lc_conf_args *a)
{
    (void)d;
    p->http_line = a->name_line;
    return 0;
}

/* ---- http -------------------------------------------------------------------------------- */

static int set_access_log(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                          const struct lc_conf_args *a)
{
    (void)d;
    if (strcmp(a->v[0], "off") == 0) {
        p->conf->cfg.access_log = NULL;
        return 0;
    }
    return (p->conf->cfg.access_log = path_arg(p, a, 0)) != NULL ? 0 : -1;
}

/* keepalive_timeout and the others: d->field is the member of lc_srv_config. */
static int set_timeout(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                       const struct lc_conf_args *a)
{
    unsigned ms;

    if (parse_time(a->v[0], &ms) != 0) {
        return lc_conf_fail(
            p, a->line[0],
            "%s: '%s' is not a time from 1ms to 1d; expected a number with ms, s, m, h "
            "or d, such as 30s, 500ms or 1m30s (a bare number is seconds)",
            d->name, lc_conf_show(p, a->v[0]));
    }
    memcpy((char *)&p->conf->cfg + d->field, &ms, sizeof(ms));
    return 0;
}

static int open_server(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                       const struct lc_conf_args *a)
{
    if (p->nsites == LC_CONF_MAX_SERVERS) {
        return lc_conf_fail(p, a->name_line, "more than %d server blocks; expected at most %d",
                            LC_CONF_MAX_SERVERS, LC_CONF_MAX_SERVERS);
    }
    (void)d;
    struct lc_conf_site *s = lc_conf_alloc(p, a->name_line, sizeof(*s));
    if (s == NULL) {
        return -1;
    }
    s->line = a->name_line;
    s->tls.tickets = s->tls.early = s->tls.verify = -1;
    p->sites[p->nsites++] = s;
    p->site = s;
    return 0;
}

static void close_server(struct lc_conf_parser *p)
{
    p->site = NULL;
}

/* ---- server: listen and server_name ------------------------------------------------------ */

/*
 * The address of a listen directive in one spelling per address, so that two servers that
 * name it differently ("8443", "*:8443", "0.0.0.0:8443") are seen to share it:
 * "0.0.0.0:8443", "[::1]:8443" (inet_ntop's form), or "name:8443" for a host name, which is
 * checked for syntax but not resolved here (lc_srv_new resolves it).
 */
static int listen_addr(struct lc_conf_parser *p, const struct lc_conf_args *a, char *out,
                       size_t cap)
{
    static const char forms[] = "expected PORT, ADDR:PORT, *:PORT or [IPV6]:PORT";
    const char *s = a->v[0];
    char host[256];
    const char *port_text = "80"; /* nginx: an address alone listens on port 80 */
    unsigned long long port;

    if (strncmp(s, "unix:", 5) == 0) {
        return lc_conf_fail(p, a->line[0], "listen: unix sockets are not supported; %s", forms);
    }
    if (s[0] != '\0' && strspn(s, "0123456789") == strlen(s)) {
        snprintf(host, sizeof(host), "0.0.0.0");
        port_text = s;
    } else if (s[0] == '[') {
        const char *close = strchr(s, ']');
        struct in6_addr a6;
        size_t hl = close != NULL ? (size_t)(close - s - 1) : 0;
        if (close == NULL || hl >= sizeof(host)) {
            return lc_conf_fail(p, a->line[0], "listen: '%s' has no closing ']'; %s",
                                lc_conf_show(p, s), forms);
        }
        memcpy(host, s + 1, hl);
        host[hl] = '\0';
        if (inet_pton(AF_INET6, host, &a6) != 1) {
            return lc_conf_fail(p, a->line[0], "listen: '%s' is not an IPv6 address; %s",
                                lc_conf_show(p, host), forms);
        }
        if (close[1] == ':') {
            port_text = close + 2;
        } else if (close[1] != '\0') {
            return lc_conf_fail(p, a->line[0], "listen: '%s': text after ']'; %s",
                                lc_conf_show(p, s), forms);
        }
        char text[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &a6, text, sizeof(text));
        snprintf(host, sizeof(host), "[%s]", text);
    } else {
        const char *colon = strchr(s, ':');
        size_t hl = colon != NULL ? (size_t)(colon - s) : strlen(s);
        if (colon != NULL && strchr(colon + 1, ':') != NULL) {
            return lc_conf_fail(p, a->line[0],
                                "listen: '%s': an IPv6 address goes in brackets, as [::1]:8443; %s",
                                lc_conf_show(p, s), forms);
        }
        if (hl == 0 || hl >= sizeof(host)) {
            return lc_conf_fail(p, a->line[0], "listen: '%s' has no address before ':'; %s",
                                lc_conf_show(p, s), forms);
        }
        memcpy(host, s, hl);
        host[hl] = '\0';
        lower(host);
        if (colon != NULL) {
            port_text = colon + 1;
        }
        struct in_addr a4;
        if (strcmp(host, "*") == 0) {
            snprintf(host, sizeof(host), "0.0.0.0");
        } else if (inet_pton(AF_INET, host, &a4) == 1) {
            inet_ntop(AF_INET, &a4, host, sizeof(host));
        } else if (looks_numeric(host) || !is_host_name(host)) {
            return lc_conf_fail(p, a->line[0],
                                "listen: '%s' is neither an IPv4 address nor a host name; %s",
                                lc_conf_show(p, host), forms);
        }
    }
    /* Port 0 lets the kernel choose (tests use it; the chosen port is printed at start). */
    if (parse_number(port_text, 65535, &port) != 0) {
        return lc_conf_fail(p, a->line[0], "listen: bad port '%s' in '%s'; expected 0 to 65535",
                            lc_conf_show(p, port_text), lc_conf_show(p, s));
    }
    snprintf(out, cap, "%s:%llu", host, port);
    return 0;
}

enum { LISTEN_SSL = 1, LISTEN_DEFAULT = 2 };

static const struct lc_conf_keyword listen_flags[] = {
    { "ssl", LISTEN_SSL },
    { "default_server", LISTEN_DEFAULT },
    { NULL, 0 },
};

static int set_listen(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                      const struct lc_conf_args *a)
{
    struct lc_conf_site *s = p->site;
    char addr[300];
    int flags = 0;

    if (listen_addr(p, a, addr, sizeof(addr)) != 0) {
        return -1;
    }
    for (size_t i = 1; i < a->n; i++) {
        const struct lc_conf_keyword *k = find_keyword(listen_flags, a->v[i]);
        if (k == NULL) {
            return lc_conf_fail(p, a->line[i],
                                "%s: unknown parameter '%s'; expected ssl or "
                                "default_server",
                                d->name, lc_conf_show(p, a->v[i]));
        }
        if (flags & k->value) {
            return lc_conf_fail(p, a->line[i], "%s: '%s' given twice; expected it once", d->name,
                                k->word);
        }
        flags |= k->value;
    }
    for (size_t i = 0; i < s->nlisten; i++) {
        if (strcmp(s->listen[i].addr, addr) == 0 && !lc_conf_any_port(addr)) {
            return lc_conf_fail(
                p, a->name_line,
                "%s: %s is already a listen of this server (line %u); expected each "
                "address once per server",
                d->name, lc_conf_show(p, addr), s->listen_line[i]);
        }
    }
    if (s->nlisten == LC_CONF_MAX_LISTEN) {
        return lc_conf_fail(p, a->name_line, "%s: more than %d in one server; expected at most %d",
                            d->name, LC_CONF_MAX_LISTEN, LC_CONF_MAX_LISTEN);
    }
    const char *kept = lc_conf_copy(p, a->name_line, addr, strlen(addr));
    if (kept == NULL) {
        return -1;
    }
    s->listen[s->nlisten] = (struct lc_srv_listen){
        .addr = kept,
        .tls = (flags & LISTEN_SSL) != 0,
        .default_server = (flags & LISTEN_DEFAULT) != 0,
    };
    s->listen_line[s->nlisten++] = a->name_line;
    return 0;
}

static int add_name(struct lc_conf_parser *p, const struct lc_conf_args *a, const char *name,
                    size_t len)
{
    struct lc_conf_site *s = p->site;

    for (size_t i = 0; i < s->nnames; i++) {
        if (strcmp(s->names[i], name) == 0) {
            return 0; /* said twice: once is enough */
        }
    }
    if (s->nnames == LC_CONF_MAX_NAMES) {
        return lc_conf_fail(p, a->name_line,
                            "%s: more than %d names in one server; expected at most %d", a->name,
                            LC_CONF_MAX_NAMES, LC_CONF_MAX_NAMES);
    }
    if ((s->names[s->nnames] = lc_conf_copy(p, a->name_line, name, len)) == NULL) {
        return -1;
    }
    s->name_line[s->nnames++] = a->name_line;
    return 0;
}

/*
 * The forms the server matches (server.h, struct lc_srv_site): exact names, "*.domain", and
 * "_"; ".domain" is nginx's short form for both "domain" and "*.domain". Names are lower-cased
 * (host names are case-insensitive: RFC 4343) and a trailing dot dropped.
 */
static int set_server_name(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                           const struct lc_conf_args *a)
{
    static const char forms[] = "expected a host name, *.domain, .domain or _";

    for (size_t i = 0; i < a->n; i++) {
        char name[260], wild[262];
        size_t len = a->len[i];
        struct in_addr a4;
        if (len == 0) {
            return lc_conf_fail(p, a->line[i], "%s: an empty name; %s", d->name, forms);
        }
        if (a->v[i][0] == '~') {
            return lc_conf_fail(p, a->line[i],
                                "%s: '%s': regular expressions are not supported; %s", d->name,
                                lc_conf_show(p, a->v[i]), forms);
        }
        if (len > 255) {
            return lc_conf_fail(p, a->line[i], "%s: '%s' is longer than 253 bytes; %s", d->name,
                                lc_conf_show(p, a->v[i]), forms);
        }
        memcpy(name, a->v[i], len + 1);
        lower(name);
        if (len > 1 && name[len - 1] == '.') {
            name[--len] = '\0';
        }
        const char *host = name;
        if (strcmp(name, "_") == 0) {
            host = NULL;
        } else if (name[0] == '.') {
            host = name + 1;
        } else if (name[0] == '*' && name[1] == '.') {
            host = name + 2;
        } else if (name[0] == '[') {
            /* an IPv6 literal, as a Host header carries it (RFC 3986 3.2.2) */
            struct in6_addr a6;
            char inner[256];
            if (len < 2 || name[len - 1] != ']') {
                return lc_conf_fail(p, a->line[i], "%s: '%s' has no closing ']'; %s", d->name,
                                    lc_conf_show(p, a->v[i]), forms);
            }
            memcpy(inner, name + 1, len - 2);
            inner[len - 2] = '\0';
            if (inet_pton(AF_INET6, inner, &a6) != 1) {
                return lc_conf_fail(p, a->line[i], "%s: '%s' is not an IPv6 address; %s", d->name,
                                    lc_conf_show(p, a->v[i]), forms);
            }
            host = NULL;
        }
        if (host != NULL && strchr(host, '*') != NULL) {
            return lc_conf_fail(p, a->line[i],
                                "%s: '%s': only a leading '*.' wildcard is supported; %s", d->name,
                                lc_conf_show(p, a->v[i]), forms);
        }
        if (host != NULL &&
            (!is_host_name(host) || (looks_numeric(host) && inet_pton(AF_INET, host, &a4) != 1))) {
            return lc_conf_fail(p, a->line[i], "%s: '%s' is not a host name; %s", d->name,
                                lc_conf_show(p, a->v[i]), forms);
        }
        if (name[0] == '.') {
            /* ".example.com": "example.com" and "*.example.com" */
            snprintf(wild, sizeof(wild), "*%s", name);
            if (add_name(p, a, name + 1, len - 1) != 0 || add_name(p, a, wild, len + 1) != 0) {
                return -1;
            }
            continue;
        }
        if (add_name(p, a, name, len) != 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- server and location: root, index, location ------------------------------------------ */

static int set_root(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                    const struct lc_conf_args *a)
{
    (void)d;
    char *dir = (char *)path_arg(p, a, 0);
    if (dir == NULL) {
        return -1;
    }
    /* "/srv/www/" and "/srv/www" are one root; request paths bring their own '/'. */
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--) {
        dir[n - 1] = '\0';
    }
    if (p->ctx == LC_CONF_LOCATION) {
        p->loc->root = dir;
    } else {
        p->site->root = dir;
    }
    return 0;
}

static int set_index(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                     const struct lc_conf_args *a)
{
    const char *s = a->v[0];

    /* A file name inside the directory asked for: a '/' or ".." could leave the root. */
    if (s[0] == '\0' || strchr(s, '/') != NULL || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
        return lc_conf_fail(p, a->line[0],
                            "%s: '%s' is not a file name; expected a name without '/', "
                            "such as index.html",
                            d->name, lc_conf_show(p, s));
    }
    const char *kept = lc_conf_copy(p, a->line[0], s, a->len[0]);
    if (kept == NULL) {
        return -1;
    }
    if (p->ctx == LC_CONF_LOCATION) {
        p->loc->index = kept;
    } else {
        p->site->index = kept;
    }
    return 0;
}

/* location PREFIX: only nginx's plain prefix form; the longest prefix wins (server.h). */
static int open_location(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                         const struct lc_conf_args *a)
{
    static const char *const modifiers[] = { "=", "~", "~*", "^~" };
    struct lc_conf_site *s = p->site;
    const char *prefix = a->v[0]; /* not yet checked: a->n may be 0, and v[0] NULL */

    for (size_t i = 0; a->n > 0 && i < LC_CONF_LEN(modifiers); i++) {
        if (strcmp(prefix, modifiers[i]) == 0) {
            return lc_conf_fail(p, a->line[0],
                                "%s: '%s' locations are not supported; expected '%s'", d->name,
                                modifiers[i], d->usage);
        }
    }
    if (lc_conf_check_count(p, d, a) != 0 || lc_conf_no_variables(p, d, a) != 0) {
        return -1;
    }
    if (prefix[0] == '@') {
        return lc_conf_fail(p, a->line[0],
                            "%s: named locations ('%s') are not supported; expected '%s'", d->name,
                            lc_conf_show(p, prefix), d->usage);
    }
    if (prefix[0] != '/') {
        return lc_conf_fail(p, a->line[0], "%s: '%s' does not start with '/'; expected '%s'",
                            d->name, lc_conf_show(p, prefix), d->usage);
    }
    for (const char *c = prefix; *c != '\0'; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            return lc_conf_fail(p, a->line[0], "%s: '%s' holds a control character; expected '%s'",
                                d->name, lc_conf_show(p, prefix), d->usage);
        }
    }
    for (size_t i = 0; i < s->nlocs; i++) {
        if (strcmp(s->locs[i].prefix, prefix) == 0) {
            return lc_conf_fail(
                p, a->line[0],
                "%s: duplicate location '%s' (first on line %u); expected each prefix "
                "once per server",
                d->name, lc_conf_show(p, prefix), s->loc_line[i]);
        }
    }
    if (s->nlocs == LC_CONF_MAX_LOCATIONS) {
        return lc_conf_fail(p, a->name_line,
                            "more than %d locations in one server; expected at most %d",
                            LC_CONF_MAX_LOCATIONS, LC_CONF_MAX_LOCATIONS);
    }
    if ((s->locs[s->nlocs].prefix = lc_conf_copy(p, a->line[0], prefix, a->len[0])) == NULL) {
        return -1;
    }
    s->loc_line[s->nlocs] = a->name_line;
    p->loc = &s->locs[s->nlocs++];
    return 0;
}

static void close_location(struct lc_conf_parser *p)
{
    p->loc = NULL;
}

/* ---- ssl_* (http and server) ------------------------------------------------------------- */

static struct lc_conf_tls *tls_of(struct lc_conf_parser *p)
{
    return p->ctx == LC_CONF_HTTP ? &p->http_tls : &p->site->tls;
}

/* ssl_certificate, ssl_certificate_key, ssl_certificate_chain: lists paired in order. */
static int add_cert_path(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                         const struct lc_conf_args *a, const char **list, size_t *n)
{
    if (*n == LC_CONF_MAX_CERTS) {
        return lc_conf_fail(p, a->name_line, "more than %d '%s' in one block; expected at most %d",
                            LC_CONF_MAX_CERTS, d->name, LC_CONF_MAX_CERTS);
    }
    if ((list[*n] = path_arg(p, a, 0)) == NULL) {
        return -1;
    }
    (*n)++;
    return 0;
}

static int set_cert(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                    const struct lc_conf_args *a)
{
    struct lc_conf_tls *t = tls_of(p);
    return add_cert_path(p, d, a, t->cert, &t->ncert);
}

static int set_cert_key(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                        const struct lc_conf_args *a)
{
    struct lc_conf_tls *t = tls_of(p);
    return add_cert_path(p, d, a, t->key, &t->nkey);
}

static int set_cert_chain(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                          const struct lc_conf_args *a)
{
    struct lc_conf_tls *t = tls_of(p);
    return add_cert_path(p, d, a, t->chain, &t->nchain);
}

/* d->field is a const char * member of struct lc_conf_tls. */
static int set_tls_path(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                        const struct lc_conf_args *a)
{
    const char *path = path_arg(p, a, 0);
    if (path == NULL) {
        return -1;
    }
    memcpy((char *)tls_of(p) + d->field, &path, sizeof(path));
    return 0;
}

/* on|off (|optional): d->field is an int member of struct lc_conf_tls. */
static int set_tls_switch(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                          const struct lc_conf_args *a)
{
    const struct lc_conf_keyword *k = find_keyword(d->words, a->v[0]);
    if (k == NULL) {
        char list[64];
        keyword_list(d->words, list, sizeof(list));
        return lc_conf_fail(p, a->line[0], "%s: '%s' is not a choice; expected %s", d->name,
                            lc_conf_show(p, a->v[0]), list);
    }
    memcpy((char *)tls_of(p) + d->field, &k->value, sizeof(k->value));
    return 0;
}

/* Lucid speaks TLS 1.3 only (README, "Not yet: TLS 1.2"). nginx configurations often say
 * "TLSv1.2 TLSv1.3": older versions beside TLSv1.3 are accepted and not spoken; a list
 * without TLSv1.3 would leave nothing to speak. */
static const struct lc_conf_keyword protocols[] = {
    { "SSLv2", 0 },   { "SSLv3", 0 },   { "TLSv1", 0 }, { "TLSv1.1", 0 },
    { "TLSv1.2", 0 }, { "TLSv1.3", 1 }, { NULL, 0 },
};

static int set_protocols(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                         const struct lc_conf_args *a)
{
    int tls13 = 0;

    for (size_t i = 0; i < a->n; i++) {
        const struct lc_conf_keyword *k = find_keyword(protocols, a->v[i]);
        if (k == NULL) {
            return lc_conf_fail(p, a->line[i], "%s: unknown protocol '%s'; expected TLSv1.3",
                                d->name, lc_conf_show(p, a->v[i]));
        }
        tls13 |= k->value;
    }
    if (!tls13) {
        return lc_conf_fail(p, a->name_line,
                            "%s: Lucid speaks only TLSv1.3, which this list leaves out; expected "
                            "TLSv1.3 in it",
                            d->name);
    }
    tls_of(p)->protocols = "TLSv1.3";
    return 0;
}

/* "", ":a", "a::b", "a," hold an empty name, which Lucid's list setters may skip silently. */
static int has_empty_name(const char *s, size_t len)
{
    int empty = 1; /* no byte of the current name yet */

    for (size_t i = 0; i < len; i++) {
        int sep = s[i] == ':' || s[i] == ',';
        if (sep && empty) {
            return 1;
        }
        empty = sep;
    }
    return empty;
}

/*
 * ssl_ciphers, ssl_groups, ssl_alpn: lists of names that Lucid's own setters check now, on a
 * context made for that, so that "lucid-server -t" finds an unknown name with its line rather
 * than lc_srv_new without one. The arguments are joined with ',' (both separators are
 * accepted: lucid.h). d->field is a const char * member of struct lc_conf_tls.
 */
static int set_tls_list(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                        const struct lc_conf_args *a)
{
    char list[LC_CONF_MAX_ARG_BYTES];
    size_t n = 0;
    lucid_error e;

    for (size_t i = 0; i < a->n; i++) {
        if (has_empty_name(a->v[i], a->len[i])) {
            return lc_conf_fail(p, a->line[i], "%s: an empty name in '%s'; expected %s", d->name,
                                lc_conf_show(p, a->v[i]), d->hint);
        }
        if (i > 0) {
            list[n++] = ',';
        }
        memcpy(list + n, a->v[i], a->len[i]); /* the args fit in buf, which is this size */
        n += a->len[i];
    }
    list[n] = '\0';
    if (p->check == NULL && (p->check = lucid_ctx_new(LUCID_SERVER, &e)) == NULL) {
        return lc_conf_fail(p, a->name_line, "%s: cannot check the list: %s", d->name, e.message);
    }
    if (d->check(p->check, list, &e) != 0) {
        return lc_conf_fail(p, a->line[0], "%s: %s; expected %s", d->name,
                            lc_conf_show(p, e.message), d->hint);
    }
    const char *kept = lc_conf_copy(p, a->name_line, list, n);
    if (kept == NULL) {
        return -1;
    }
    memcpy((char *)tls_of(p) + d->field, &kept, sizeof(kept));
    return 0;
}

static int set_early_size(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                          const struct lc_conf_args *a)
{
    if (parse_size(a->v[0], &tls_of(p)->early_size) != 0) {
        return lc_conf_fail(p, a->line[0],
                            "%s: '%s' is not a size; expected 1 to 4294967295 bytes, "
                            "with k or m for KiB or MiB",
                            d->name, lc_conf_show(p, a->v[0]));
    }
    return 0;
}

/* ---- the table --------------------------------------------------------------------------- */

static const struct lc_conf_keyword on_off[] = { { "on", 1 }, { "off", 0 }, { NULL, 0 } };
static const struct lc_conf_keyword verify_words[] = {
    { "on", 1 },
    { "off", 0 },
    { "optional", 2 },
    { NULL, 0 },
};

#define TLS_BLOCKS (LC_CONF_HTTP | LC_CONF_SERVER)
#define CFG(m) offsetof(struct lc_srv_config, m)
#define TLS(m) offsetof(struct lc_conf_tls, m)

/* In the order messages list them. */
/* clang-format off */
const struct lc_conf_directive lc_conf_directives[] = {
    { .name = "worker_processes", .ctx = LC_CONF_MAIN, .min = 1, .max = 1, .once = 1,
      .usage = "worker_processes N|auto;", .set = set_workers },
    { .name = "error_log", .ctx = LC_CONF_MAIN, .min = 1, .max = 1, .once = 1,
      .usage = "error_log FILE|stderr;", .set = set_error_log },
    { .name = "worker_connections", .ctx = LC_CONF_MAIN | LC_CONF_EVENTS, .min = 1, .max = 1,
      .usage = "worker_connections N;", .set = set_worker_connections },
    { .name = "events", .ctx = LC_CONF_MAIN, .child = LC_CONF_EVENTS, .min = 0, .max = 0, .once = 1,
      .usage = "events { ... }", .set = open_plain },
    { .name = "http", .ctx = LC_CONF_MAIN, .child = LC_CONF_HTTP, .min = 0, .max = 0, .once = 1,
      .usage = "http { ... }", .set = open_http },
    { .name = "access_log", .ctx = LC_CONF_HTTP, .min = 1, .max = 1, .once = 1,
      .usage = "access_log FILE|off;", .set = set_access_log },
    { .name = "keepalive_timeout", .ctx = LC_CONF_HTTP, .min = 1, .max = 1, .once = 1,
      .usage = "keepalive_timeout TIME;", .set = set_timeout, .field = CFG(keepalive_timeout_ms) },
    { .name = "client_header_timeout", .ctx = LC_CONF_HTTP, .min = 1, .max = 1, .once = 1,
      .usage = "client_header_timeout TIME;", .set = set_timeout, .field = CFG(header_timeout_ms) },
    { .name = "ssl_handshake_timeout", .ctx = LC_CONF_HTTP, .min = 1, .max = 1, .once = 1,
      .usage = "ssl_handshake_timeout TIME;", .set = set_timeout,
      .field = CFG(handshake_timeout_ms) },
    { .name = "send_timeout", .ctx = LC_CONF_HTTP, .min = 1, .max = 1, .once = 1,
      .usage = "send_timeout TIME;", .set = set_timeout, .field = CFG(send_timeout_ms) },
    { .name = "server", .ctx = LC_CONF_HTTP, .child = LC_CONF_SERVER, .min = 0, .max = 0,
      .usage = "server { ... }", .set = open_server, .close = close_server },
    { .name = "listen", .ctx = LC_CONF_SERVER, .min = 1, .max = 3,
      .usage = "listen ADDR:PORT|PORT [ssl] [default_server];", .set = set_listen },
    { .name = "server_name", .ctx = LC_CONF_SERVER, .min = 1, .max = LC_CONF_MAX_NAMES, .regex = 1,
      .usage = "server_name NAME ...;", .set = set_server_name },
    { .name = "ssl_certificate", .ctx = TLS_BLOCKS, .min = 1, .max = 1,
      .usage = "ssl_certificate FILE;", .set = set_cert },
    { .name = "ssl_certificate_key", .ctx = TLS_BLOCKS, .min = 1, .max = 1,
      .usage = "ssl_certificate_key FILE;", .set = set_cert_key },
    { .name = "ssl_certificate_chain", .ctx = TLS_BLOCKS, .min = 1, .max = 1,
      .usage = "ssl_certificate_chain FILE;", .set = set_cert_chain },
    { .name = "ssl_protocols", .ctx = TLS_BLOCKS, .min = 1, .max = 6, .once = 1,
      .usage = "ssl_protocols TLSv1.3;", .set = set_protocols },
    { .name = "ssl_ciphers", .ctx = TLS_BLOCKS, .min = 1, .max = 1, .once = 1,
      .usage = "ssl_ciphers SUITE[:SUITE...];", .set = set_tls_list, .field = TLS(ciphers),
      .check = lucid_ctx_set_ciphers,
      .hint = "TLS 1.3 suite names joined by ':', such as "
              "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256" },
    { .name = "ssl_groups", .ctx = TLS_BLOCKS, .min = 1, .max = 1, .once = 1,
      .usage = "ssl_groups GROUP[:GROUP...];", .set = set_tls_list, .field = TLS(groups),
      .check = lucid_ctx_set_groups,
      .hint = "group names joined by ':', such as "
              "x25519:secp256r1:secp384r1:ffdhe2048:ffdhe3072" },
    { .name = "ssl_ecdh_curve", .ctx = TLS_BLOCKS, .min = 1, .max = 1, .once = 1,
      .same_as = "ssl_groups", .usage = "ssl_ecdh_curve GROUP[:GROUP...];", .set = set_tls_list,
      .field = TLS(groups), .check = lucid_ctx_set_groups,
      .hint = "group names joined by ':', such as x25519:secp256r1" },
    { .name = "ssl_alpn", .ctx = TLS_BLOCKS, .min = 1, .max = 16, .once = 1,
      .usage = "ssl_alpn PROTOCOL ...;", .set = set_tls_list, .field = TLS(alpn),
      .check = lucid_ctx_set_alpn,
      .hint = "ALPN protocol names of 1 to 255 bytes, such as http/1.1" },
    { .name = "ssl_session_tickets", .ctx = TLS_BLOCKS, .min = 1, .max = 1, .once = 1,
      .usage = "ssl_session_tickets on|off;", .set = set_tls_switch, .field = TLS(tickets),
      .words = on_off },
    { .name = "ssl_session_ticket_key", .ctx = TLS_BLOCKS, .min = 1, .max = 1, .once = 1,
      .usage = "ssl_session_ticket_key FILE;", .set = set_tls_path, .field = TLS(ticket_key) },
    { .name = "ssl_early_data", .ctx = TLS_BLOCKS, .min = 1, .max = 1, .once = 1,
      .usage = "ssl_early_data on|off;", .set = set_tls_switch, .field = TLS(early),
      .words = on_off },
    { .name = "ssl_early_data_size", .ctx = TLS_BLOCKS, .min = 1, .max = 1, .once = 1,
      .usage = "ssl_early_data_size SIZE;", .set = set_early_size },
    { .name = "ssl_client_certificate", .ctx = TLS_BLOCKS, .min = 1, .max = 1, .once = 1,
      .usage = "ssl_client_certificate FILE;", .set = set_tls_path, .field = TLS(client_ca) },
    { .name = "ssl_verify_client", .ctx = TLS_BLOCKS, .min = 1, .max = 1, .once = 1,
      .usage = "ssl_verify_client on|off|optional;", .set = set_tls_switch, .field = TLS(verify),
      .words = verify_words },
    { .name = "root", .ctx = LC_CONF_SERVER | LC_CONF_LOCATION, .min = 1, .max = 1, .once = 1,
      .usage = "root DIR;", .set = set_root },
    { .name = "index", .ctx = LC_CONF_SERVER | LC_CONF_LOCATION, .min = 1, .max = 1, .once = 1,
      .usage = "index FILE;", .set = set_index },
    { .name = "location", .ctx = LC_CONF_SERVER, .child = LC_CONF_LOCATION, .min = 1, .max = 1,
      .usage = "location /PREFIX { root DIR; }", .set = open_location, .close = close_location },
};
/* clang-format on */

/* The "once" bookkeeping is one bit per row. */
const size_t lc_conf_directive_count = LC_CONF_LEN(lc_conf_directives);

/* The reader keeps one bit per row for "once". */
_Static_assert(LC_CONF_LEN(lc_conf_directives) <= 64, "the reader's mask holds 64 rows");

const struct lc_conf_directive *lc_conf_find_directive(const char *name)
{
    for (size_t i = 0; i < lc_conf_directive_count; i++) {
        if (strcmp(lc_conf_directives[i].name, name) == 0) {
            return &lc_conf_directives[i];
        }
    }
    return NULL;
}
