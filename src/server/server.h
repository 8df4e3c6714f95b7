/*
 * lucid-server as a library: an epoll-driven, non-blocking HTTP/1.1 static file server whose
 * TLS listeners run Lucid's engine through the public API only (include/lucid/lucid.h).
 *
 * Use: fill a struct lc_srv_config (lc_srv_config_init sets the defaults), create the server
 * with lc_srv_new (it binds every listener and loads every certificate, so a configuration
 * error is found before anything is served), print lc_srv_listener_url lines, then call
 * lc_srv_run until lc_srv_stop is called (from a signal handler or another thread).
 *
 * One struct lc_srv is one event loop in one thread; later, one per worker process.
 */
#ifndef LC_SERVER_SERVER_H
#define LC_SERVER_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * A listener: "127.0.0.1:8443", "[::1]:8443", "8443" (every IPv4 address) or "[::]:8443".
 * Several sites may name the same address; the server opens it once (a worker is given its
 * sockets by the master process: lc_srv_config.listen_fds).
 */
struct lc_srv_listen {
    const char *addr;
    int tls;            /* 1: HTTPS with Lucid; 0: plain HTTP */
    int default_server; /* this site answers clients that name no known site on this address */
};

#define LC_SRV_TICKET_KEY_LEN 80

/* A certificate chain file (leaf first) and its private key, both PEM. chain_extra: an
 * optional file of intermediates appended to the chain (nginx's ssl_certificate_chain). */
struct lc_srv_cert {
    const char *chain;
    const char *key;
    const char *chain_extra;
};

/*
 * location PREFIX { root DIR; index FILE; }: requests whose decoded path starts with PREFIX
 * are served from DIR + path (nginx's "root": the whole path is appended, so /img/a.png under
 * "location /img/ { root /srv; }" is /srv/img/a.png). The longest matching prefix wins.
 */
struct lc_srv_location {
    const char *prefix;
    const char *root;
    const char *index; /* the file a directory path serves; NULL: "index.html" */
};

/*
 * One site (an nginx "server" block). A TLS connection is given the site whose names match
 * its server_name (SNI), its HTTP requests then served by that site; a plain connection's
 * request is given the site whose names match its Host. Names are exact ("example.com"),
 * a leading wildcard ("*.example.com") or "_" (matches nothing; nginx's catch-all idiom).
 * With no match, the listener's default site answers: the one marked default_server, or else
 * the first site that listens on that address.
 */
struct lc_srv_site {
    const char *const *names;
    size_t name_count;
    const struct lc_srv_listen *listen;
    size_t listen_count;
    const struct lc_srv_cert *certs; /* needed when a listener is TLS */
    size_t cert_count;
    const char *protocols; /* "TLSv1.3"; NULL: the same (Lucid speaks TLS 1.3 only) */
    const char *ciphers;   /* NULL: Lucid's default preference */
    const char *groups;    /* NULL: Lucid's default preference */
    const char *alpn;      /* ALPN list offered; NULL: "http/1.1" */
    const struct lc_srv_location *locations;
    size_t location_count;
    /* Resumption, 0-RTT and client certificates (issue 7). */
    const char *ticket_key_file; /* ssl_session_ticket_key; NULL: a random key per process */
    int tickets;                 /* ssl_session_tickets on|off: 1 (default) or 0 */
    unsigned early_data;         /* ssl_early_data: max_early_data_size, 0 = off */
    const char *client_ca;       /* ssl_client_certificate: the CAs client certs chain to */
    int verify_client;           /* ssl_verify_client: 0 off, 1 on, 2 optional */
};

/* The whole configuration: what a config file says, or what the quick-start flags make. */
struct lc_srv_config {
    const struct lc_srv_site *sites;
    size_t site_count;
    unsigned workers;                /* worker_processes: 0 = one per core ("auto") */
    const char *access_log;          /* a file to append to, "-" for stdout, NULL for none */
    const char *error_log_path;      /* error_log FILE; NULL: error_log below */
    FILE *error_log;                 /* per-connection failures (TLS errors); stderr */
    /* Timeouts in milliseconds; 0 keeps the default shown. */
    unsigned handshake_timeout_ms;   /* accept to handshake done: 10 s */
    unsigned header_timeout_ms;      /* first byte of a request to its end of head: 20 s */
    unsigned keepalive_timeout_ms;   /* idle between requests: 30 s */
    unsigned send_timeout_ms;        /* no progress sending a response: 30 s */
    unsigned max_conns;              /* worker_connections; 0: from RLIMIT_NOFILE */
    /* The handshake trace, one call per line with the client's address ("127.0.0.1:50000")
     * so that concurrent connections can be told apart; NULL for none. trace_secrets: the
     * trace shows the secrets' values too. keylog: one call per NSS key log line. */
    void (*trace)(void *arg, const char *peer, const char *line);
    void *trace_arg;
    int trace_secrets;
    void (*keylog)(void *arg, const char *line);
    void *keylog_arg;
    /* Listening sockets opened by a master process, in lc_srv_config_addrs order; NULL: the
     * server binds its own. */
    const int *listen_fds;
    /* The ticket key of sites without ssl_session_ticket_key (LC_SRV_TICKET_KEY_LEN bytes,
     * made once by the master so every worker opens every worker's tickets); NULL: each
     * context makes its own. */
    const uint8_t *ticket_key;
    /* The 0-RTT anti-replay record every site shares (made by the master before it forks the
     * workers, lucid_ctx_set_replay); NULL: each context makes its own. */
    struct lucid_replay *replay;
};

typedef struct lc_srv lc_srv;

/* Defaults: no site, access log on stdout, errors on stderr, default timeouts. */
void lc_srv_config_init(struct lc_srv_config *cfg);

/* The distinct listening addresses of the configuration, in order of first appearance (at
 * most cap): the order of lc_srv_config.listen_fds and of the listeners. */
size_t lc_srv_config_addrs(const struct lc_srv_config *cfg, const struct lc_srv_listen **out,
                           size_t cap);

/* Checks what lc_srv_new would, except binding: roots, certificates and keys, TLS settings.
 * 0, or -1 with one line in err. */
int lc_srv_check(const struct lc_srv_config *cfg, char *err, size_t errlen);

/*
 * Binds the listeners, loads the certificates and opens the logs. On failure returns NULL and
 * writes one line to err (for example "cannot listen on 127.0.0.1:8443: Address already in
 * use", or Lucid's own message for a certificate it cannot load). The configuration's strings
 * are copied or used only during the call.
 */
lc_srv *lc_srv_new(const struct lc_srv_config *cfg, char *err, size_t errlen);

/* The listeners, in the configuration's order: "https://127.0.0.1:8443/ (TLS 1.3)" or
 * "http://[::1]:8080/ (plain)", with the port actually bound (useful with port 0). */
size_t lc_srv_listener_count(const lc_srv *srv);
const char *lc_srv_listener_url(const lc_srv *srv, size_t i);
uint16_t lc_srv_listener_port(const lc_srv *srv, size_t i);

/*
 * Runs the event loop until lc_srv_stop: then it stops accepting, lets responses under way
 * finish (for at most 10 s), closes every connection and returns 0; -1 if epoll itself fails.
 * SIGPIPE is set to be ignored (sendfile has no MSG_NOSIGNAL).
 */
int lc_srv_run(lc_srv *srv);

/* Asks the loop to stop; a second call stops it at once. Async-signal-safe and thread-safe. */
void lc_srv_stop(lc_srv *srv);

/* Closes everything; the loop must not be running. */
void lc_srv_free(lc_srv *srv);

#endif
