/*
 * The configuration file: nginx's syntax, a subset of its directives (DESIGN.md, "lucid-server").
 *
 *   worker_processes auto;                 # or N
 *   error_log logs/error.log;
 *   events { worker_connections 1024; }    # also accepted at the top level
 *   http {
 *       access_log logs/access.log;        # or "off"
 *       keepalive_timeout 30s;             # ms, s, m, h; a bare number is seconds
 *       client_header_timeout 20s;
 *       ssl_handshake_timeout 10s;
 *       send_timeout 30s;
 *       server {
 *           listen 8080;
 *           listen [::]:8443 ssl default_server;
 *           server_name example.test *.example.test;
 *           ssl_certificate       certs/server_cert.pem;
 *           ssl_certificate_key   certs/server_key.pem;
 *           ssl_certificate_chain certs/intermediate_cert.pem;
 *           ssl_protocols TLSv1.3;
 *           ssl_ciphers TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256;
 *           ssl_groups x25519:secp256r1;
 *           ssl_alpn http/1.1;
 *           ssl_session_tickets on;  ssl_session_ticket_key ticket.key;
 *           ssl_early_data on;       ssl_early_data_size 16384;
 *           ssl_client_certificate ca.pem;  ssl_verify_client optional;
 *           location / { root html; index index.html; }
 *       }
 *   }
 *
 * Relative paths are taken from the directory of the configuration file and stored absolute
 * (not resolved: "../x" stays). The ssl_* directives of http are inherited, each on its own,
 * by every server that does not set them; a server's root and index by its locations, and a
 * server root with no "location /" also serves what no location matches (nginx's rule), as
 * an added "location /". What the file does not set keeps server.h's default (0 or NULL),
 * except workers, 1 (nginx's default) unless worker_processes says, and access_log, "-".
 * Listen addresses come out in one spelling per address, so that equal ones compare equal:
 * "0.0.0.0:8080" (for "8080" and "*:8080"), "[::1]:8443" (inet_ntop's form), or
 * "localhost:80" for a name, checked for syntax but not resolved.
 *
 * Bounds: 1 MiB of text, 4096 bytes per word, 64 arguments per directive, 256 servers, and
 * per server 16 listens, 64 names, 8 certificates, 64 locations; past one is an error.
 *
 * Parsing is a pure step (text in, struct lc_srv_config out): nothing is opened or bound, so
 * "lucid-server -t" checks a file and the fuzzer feeds it anything. Loading the certificates
 * and binding the listeners happen later, in lc_srv_new, whose errors also name the file.
 * conf/lucid.conf shows and explains every directive.
 */
#ifndef LC_SERVER_CONFIG_FILE_H
#define LC_SERVER_CONFIG_FILE_H

#include <stddef.h>

#include "server/server.h"

/* A parsed configuration: cfg points into memory the handle owns. */
struct lc_srv_conf;

/*
 * Parses text (len bytes; need not be NUL-terminated) read from the file named path. On
 * success returns a handle whose lc_srv_conf_get is filled (sites, workers, timeouts, logs;
 * error_log stays stderr and trace/keylog stay off: those are the caller's). On failure
 * returns NULL and writes one line to err: "FILE:LINE: what was wrong, and what was expected"
 * (for example "site.conf:12: unknown directive 'lisen' in server; expected listen,
 * server_name, ssl_certificate, ..."). Also fails when the configuration is whole but
 * unusable: no server, a server with no listen, a TLS listener with no certificate, a
 * location with no root, the same address both plain and TLS, two default_server on one
 * address, one server_name in two servers on one address, ssl_certificate and
 * ssl_certificate_key that do not pair up, ssl_verify_client without ssl_client_certificate,
 * ssl_early_data on with ssl_session_tickets off. err may be NULL.
 */
struct lc_srv_conf *lc_srv_conf_parse(const char *path, const char *text, size_t len, char *err,
                                      size_t errlen);

/* Reads the file (1 MiB at most) and parses it; err also covers a file that cannot be read
 * ("FILE: cannot open: No such file or directory"). */
struct lc_srv_conf *lc_srv_conf_load(const char *path, char *err, size_t errlen);

/* The configuration itself, valid until lc_srv_conf_free. */
struct lc_srv_config *lc_srv_conf_get(struct lc_srv_conf *conf);

void lc_srv_conf_free(struct lc_srv_conf *conf);

#endif
