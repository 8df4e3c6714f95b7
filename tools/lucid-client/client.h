/*
 * lucid-client's parts, shared between tools/lucid-client.c (options, the run, printing) and
 * the files beside this one: url.c (parsing the URL), net.c (resolving and connecting),
 * http.c (one HTTP/1.1 exchange over a plain or TLS stream).
 *
 * Every function that can fail prints its one line ("lucid-client: ...") itself and returns
 * one of the exit codes below, so main() only passes the code on.
 */
#ifndef LUCID_CLIENT_H
#define LUCID_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <lucid/lucid.h>

/*
 * Exit codes: curl's where curl has one for the same failure, and 60..63 split curl's 60
 * ("peer certificate cannot be authenticated") by reason. The table is also in --help.
 */
enum cli_exit {
    CLI_OK = 0,
    CLI_UNSUPPORTED = 1,   /* not http:// or https://; or ALPN chose a protocol we do not speak */
    CLI_USAGE = 2,         /* bad options (including an unknown group, suite or ALPN list) */
    CLI_BAD_URL = 3,       /* the URL does not parse */
    CLI_RESOLVE = 6,       /* the host name does not resolve */
    CLI_CONNECT = 7,       /* no TCP connection to any of its addresses */
    CLI_BAD_REPLY = 8,     /* the response is not HTTP/1.x */
    CLI_PARTIAL = 18,      /* the body ended before its Content-Length or last chunk */
    CLI_HTTP_ERROR = 22,   /* --fail, and the status is 400 or more */
    CLI_WRITE = 23,        /* the output (stdout or -o FILE, --keylog FILE) cannot be written */
    CLI_TIMEOUT = 28,      /* --max-time ran out */
    CLI_TLS = 35,          /* the TLS handshake failed for a reason other than 60..63 */
    CLI_EMPTY_REPLY = 52,  /* the server closed the connection without a response */
    CLI_SEND = 55,         /* sending the request failed */
    CLI_RECV = 56,         /* receiving the response failed (TLS error, reset, no close_notify) */
    CLI_CLIENT_CERT = 58,  /* --cert / --key cannot be used (curl's CURLE_SSL_CERTPROBLEM) */
    CLI_UNTRUSTED = 60,    /* certificate not trusted: unknown CA, self-signed, chain incomplete,
                              bad or unsupported certificate */
    CLI_CERT_NAME = 61,    /* the host name is not among the certificate's names */
    CLI_CERT_TIME = 62,    /* the certificate has expired or is not yet valid */
    CLI_CERT_USAGE = 63,   /* key usage / extended key usage forbids a TLS server (serverAuth) */
    CLI_CA_FILE = 77,      /* --cacert / --capath cannot be read */
};

/* Prints "lucid-client: <message>" on stderr and returns code. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- url.c --------------------------------------------------------------------------- */

#define CLI_HOST_MAX 256

struct cli_url {
    bool tls;                  /* https:// */
    char host[CLI_HOST_MAX];   /* a name, an IPv4 literal, or an IPv6 literal without brackets */
    bool ipv6;                 /* host is an IPv6 literal: bracket it in Host */
    char port[8];              /* always set: the URL's, or 443 / 80 */
    bool default_port;         /* the URL named no port, or the scheme's own */
    char *target;              /* the request target: path and query, "/" at least (malloc) */
};

/* Parses an http:// or https:// URL. 0, or CLI_BAD_URL / CLI_UNSUPPORTED (printed). */
int cli_url_parse(const char *text, struct cli_url *u);
void cli_url_free(struct cli_url *u);

/*
 * Splits "HOST:PORT" or "[V6]:PORT" (the port may be left out: default_port is used) into
 * host (no brackets) and port. 0 or -1.
 */
int cli_split_host_port(const char *text, const char *default_port, char *host, size_t hostcap,
                        char *port, size_t portcap);

/* ---- net.c --------------------------------------------------------------------------- */

/*
 * Resolves host and connects to the first address that answers. On success *fd is the
 * connected socket and addr (if not NULL) the numeric address it reached. 0, or
 * CLI_RESOLVE / CLI_CONNECT (printed).
 */
int cli_connect(const char *host, const char *port, int *fd, char *addr, size_t addrcap);

/* ---- http.c -------------------------------------------------------------------------- */

/* The connection an HTTP exchange runs over: a plain socket, or TLS over it. */
struct cli_stream {
    int fd;
    lucid_conn *tls; /* NULL for http:// */
};

struct cli_request {
    const char *method;       /* "GET" or "HEAD" */
    const struct cli_url *url;
    bool verbose;             /* print "> " request and "< " response headers on stderr */
    bool head_to_stdout;      /* -I: the status line and headers are the output */
    bool fail_on_error;       /* --fail */
    const uint8_t *raw;       /* --early-data: these bytes are the request, not one we make */
    size_t raw_len;
    size_t raw_done;          /* of which the server already has this many (0-RTT, accepted) */
};

/* Where the body goes: stdout, or a temporary file renamed to -o FILE on success. */
struct cli_sink {
    FILE *f;
    const char *name; /* for messages: "stdout" or the file name */
};

/* ---- session.c: --session FILE and --early-data ------------------------------------------ */

/* What became of --early-data on one connection. */
struct cli_early {
    uint8_t *data;            /* the request to send (malloc'd), NULL without --early-data */
    size_t len;
    long sent;                /* bytes that went as 0-RTT data; -1 when none could */
};

/*
 * Before the handshake: the session saved in file for the URL's server, if any, is set on
 * c; with --early-data (the contents of that file if one exists, else the string with \r
 * \n \t \\ escapes), the data is read into early and sent as 0-RTT data if the session
 * allows. Returns CLI_OK, or CLI_USAGE when --early-data cannot be read (printed).
 */
int cli_session_begin(lucid_conn *c, const char *file, const char *early_arg,
                      const struct cli_url *u, bool verbose, struct cli_early *early);

/* After the handshake: says (with -v) whether it resumed and what became of the 0-RTT data;
 * returns how many bytes of it the server already has (0 when rejected: send it all). */
size_t cli_session_after_handshake(const lucid_conn *c, const struct cli_early *early,
                                   bool verbose);

/* After the exchange: the newest ticket of c goes into file for the URL's server (0600). */
void cli_session_save(const lucid_conn *c, const char *file, const struct cli_url *u,
                      bool verbose);

/*
 * Sends the request and reads the response, writing the body to sink (or, with
 * head_to_stdout, the headers). Returns CLI_OK or an exit code (printed).
 */
int cli_http_exchange(struct cli_stream *s, const struct cli_request *req, struct cli_sink *sink);

#endif
