/*
 * lucid-client: fetches an https:// (or http://) URL with HTTP/1.1 over Lucid's TLS 1.3,
 * verifying the server as a browser would, and prints the body, like a small curl.
 *
 *   lucid-client [options] URL
 *
 * This file parses the options, sets up the context, runs the connection and prints what
 * was negotiated; tools/lucid-client/ holds the URL parser (url.c), the TCP connect
 * (net.c) and the HTTP/1.1 exchange (http.c). TLS runs over the blocking helpers of
 * src/io/fdio.h.
 *
 * Exit codes (curl's where curl has one for the same failure; 60..63 split curl's 60 by
 * reason). The same table is in --help and in tools/lucid-client/client.h:
 *
 *    0  success
 *    1  unsupported protocol: the URL is not http:// or https://, or the server chose an
 *       ALPN protocol other than http/1.1
 *    2  usage: unknown option, missing argument, unknown suite, group or ALPN name
 *    3  malformed URL
 *    6  the host name cannot be resolved
 *    7  cannot connect (TCP) to any address of the host
 *    8  the server's response is not HTTP/1.x
 *   18  partial body: the connection ended before Content-Length or the last chunk
 *   22  HTTP status 400 or more, with --fail
 *   23  cannot write the output (stdout, -o FILE) or open --keylog FILE
 *   28  --max-time ran out
 *   35  TLS handshake failed (any reason but those of 60..63: a bad signature, a peer alert,
 *       no common parameters, a broken or cut connection during the handshake)
 *   52  the server closed the connection without sending a response
 *   55  sending the request failed
 *   56  receiving the response failed: a TLS error after the handshake, a reset, or (for a
 *       body that runs until the connection closes) no close_notify
 *   60  the certificate is not trusted: unknown CA, self-signed, missing intermediate, bad
 *       or unsupported certificate
 *   61  the certificate does not name the host
 *   62  the certificate has expired or is not yet valid
 *   58  --cert or --key cannot be used: unreadable, not PEM, or the key is not the
 *       certificate's (curl's "problem with the local client certificate")
 *   63  the certificate may not be used by a TLS server (key usage, no serverAuth EKU)
 *   77  --cacert or --capath cannot be read
 *
 * On failure it prints one line, "lucid-client: <what went wrong>", using the library's
 * message for TLS failures (it names the reason and the certificate).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lucid/lucid.h>

#include <lucid/io.h>
#include "lucid-client/client.h"

struct options {
    const char *url;
    const char *output;     /* -o FILE */
    const char *keylog;     /* --keylog FILE, or $SSLKEYLOGFILE */
    const char *cacert;
    const char *capath;
    const char *cert;       /* --cert FILE: our client certificate chain (PEM) */
    const char *key;        /* --key FILE: its private key (default: the --cert file) */
    const char *session;    /* --session FILE: TLS sessions kept between runs */
    const char *early_data; /* --early-data FILE|STRING: the request, as 0-RTT data */
    const char *alpn;       /* "" offers none */
    const char *connect_to; /* HOST:PORT */
    const char *groups;
    const char *ciphers;
    bool verbose, trace, trace_secrets, insecure, head, fail;
    unsigned max_time;      /* seconds; 0 for none */
};

static const char usage_text[] =
    "usage: lucid-client [options] URL\n"
    "\n"
    "Fetches URL (https://host[:port]/path or http://...) with HTTP/1.1 over Lucid's\n"
    "TLS 1.3, verifies the server's certificate, and writes the body to stdout.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE      write the body to FILE once complete (- for stdout)\n"
    "  -I, --head             send HEAD and print the status line and headers\n"
    "  -f, --fail             exit 22, printing no body, when the status is >= 400\n"
    "  -v, --verbose          print the TLS parameters and the HTTP headers on stderr\n"
    "      --trace            narrate the TLS handshake on stderr\n"
    "      --trace-secrets    with --trace, show the value of each secret too\n"
    "      --keylog FILE      append NSS key log lines to FILE (default: $SSLKEYLOGFILE)\n"
    "      --cacert FILE      trust the CAs in FILE (PEM) instead of the system's\n"
    "      --capath DIR       trust the CAs in DIR (hashed, as c_rehash makes)\n"
    "  -E, --cert FILE        a client certificate (PEM: the leaf, then intermediates),\n"
    "                         sent if the server asks for one\n"
    "      --key FILE         its private key (PEM; default: read from the --cert file)\n"
    "      --session FILE     resume the TLS session saved in FILE for this server, and\n"
    "                         save the newest one there (mode 0600: it is a secret)\n"
    "      --early-data DATA  send DATA (a file's contents, or the string itself with\n"
    "                         \\r \\n \\t escapes) as the request, in the first flight\n"
    "                         (0-RTT) when the --session allows it; if the server\n"
    "                         rejects it, it is sent again after the handshake\n"
    "  -k, --insecure         do NOT verify the server's certificate (testing only)\n"
    "      --alpn LIST        ALPN protocols to offer (default http/1.1; \"\" for none)\n"
    "      --connect-to H:P   connect to host H port P, but send SNI and verify the\n"
    "                         certificate for the URL's host\n"
    "      --groups LIST      key exchange groups, most preferred first\n"
    "                         (x25519:secp256r1:secp384r1:ffdhe2048:ffdhe3072)\n"
    "      --ciphers LIST     TLS 1.3 cipher suites, most preferred first\n"
    "  -m, --max-time SECS    give up (exit 28) after SECS seconds\n"
    "  -h, --help             this text\n"
    "      --version          the version\n"
    "\n"
    "exit codes:\n"
    "   0 success                       35 TLS handshake failed (other reasons)\n"
    "   1 unsupported protocol or ALPN  52 empty reply from the server\n"
    "   2 usage                         55 cannot send the request\n"
    "   3 malformed URL                 56 cannot receive the response\n"
    "   6 cannot resolve the host       60 certificate not trusted (unknown CA,\n"
    "   7 cannot connect                   self-signed, missing intermediate, bad)\n"
    "   8 the reply is not HTTP/1.x     61 certificate name mismatch\n"
    "  18 partial body                  62 certificate expired or not yet valid\n"
    "  22 HTTP status >= 400 (--fail)   63 certificate not for TLS servers (usage)\n"
    "  23 cannot write the output       77 cannot read --cacert / --capath\n"
    "  28 --max-time ran out            58 cannot use --cert / --key\n";

int cli_fail(int code, const char *fmt, ...)
{
    va_list ap;

    fputs("lucid-client: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

/* ---- options ------------------------------------------------------------------------------ */

enum { OPT_TRACE = 256, OPT_TRACE_SECRETS, OPT_KEYLOG, OPT_CACERT, OPT_CAPATH, OPT_ALPN, OPT_CONNECT_TO,
       OPT_GROUPS, OPT_CIPHERS, OPT_VERSION, OPT_KEY, OPT_SESSION, OPT_EARLY_DATA };

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longs[] = {
        { "output", required_argument, NULL, 'o' },
        { "head", no_argument, NULL, 'I' },
        { "fail", no_argument, NULL, 'f' },
        { "verbose", no_argument, NULL, 'v' },
        { "insecure", no_argument, NULL, 'k' },
        { "max-time", required_argument, NULL, 'm' },
        { "help", no_argument, NULL, 'h' },
        { "trace", no_argument, NULL, OPT_TRACE },
        { "trace-secrets", no_argument, NULL, OPT_TRACE_SECRETS },
        { "keylog", required_argument, NULL, OPT_KEYLOG },
        { "cacert", required_argument, NULL, OPT_CACERT },
        { "capath", required_argument, NULL, OPT_CAPATH },
        { "cert", required_argument, NULL, 'E' },
        { "key", required_argument, NULL, OPT_KEY },
        { "session", required_argument, NULL, OPT_SESSION },
        { "early-data", required_argument, NULL, OPT_EARLY_DATA },
        { "alpn", required_argument, NULL, OPT_ALPN },
        { "connect-to", required_argument, NULL, OPT_CONNECT_TO },
        { "groups", required_argument, NULL, OPT_GROUPS },
        { "ciphers", required_argument, NULL, OPT_CIPHERS },
        { "version", no_argument, NULL, OPT_VERSION },
        { NULL, 0, NULL, 0 },
    };
    int opt;

    memset(o, 0, sizeof(*o));
    o->alpn = "http/1.1";
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:Ifvkm:hE:", longs, NULL)) != -1) {
        switch (opt) {
        case 'o': o->output = optarg; break;
        case 'I': o->head = true; break;
        case 'f': o->fail = true; break;
        case 'v': o->verbose = true; break;
        case 'k': o->insecure = true; break;
        case 'm': {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (*end != '\0' || optarg[0] == '\0' || v == 0 || v > 86400) {
                return cli_fail(CLI_USAGE, "--max-time wants whole seconds (1 to 86400), "
                                "not '%s'", optarg);
            }
            o->max_time = (unsigned)v;
            break;
        }
        case 'h': fputs(usage_text, stdout); exit(CLI_OK);
        case OPT_VERSION: printf("lucid-client %s\n", LUCID_VERSION_STRING); exit(CLI_OK);
        case OPT_TRACE: o->trace = true; break;
        case OPT_TRACE_SECRETS: o->trace_secrets = true; break;
        case OPT_KEYLOG: o->keylog = optarg; break;
        case OPT_CACERT: o->cacert = optarg; break;
        case OPT_CAPATH: o->capath = optarg; break;
        case 'E': o->cert = optarg; break;
        case OPT_KEY: o->key = optarg; break;
        case OPT_SESSION: o->session = optarg; break;
        case OPT_EARLY_DATA: o->early_data = optarg; break;
        case OPT_ALPN: o->alpn = optarg; break;
        case OPT_CONNECT_TO: o->connect_to = optarg; break;
        case OPT_GROUPS: o->groups = optarg; break;
        case OPT_CIPHERS: o->ciphers = optarg; break;
        case ':':
            return cli_fail(CLI_USAGE, "%s needs an argument (see --help)", argv[optind - 1]);
        default:
            if (optopt != 0) {
                return cli_fail(CLI_USAGE, "unknown option '-%c' (see --help)", optopt);
            }
            return cli_fail(CLI_USAGE, "unknown option '%s' (see --help)", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return cli_fail(CLI_USAGE, optind >= argc ? "no URL given (see --help)"
                                                  : "give exactly one URL (see --help)");
    }
    o->url = argv[optind];
    if (o->key != NULL && o->cert == NULL) {
        return cli_fail(CLI_USAGE, "--key needs --cert: the key of which certificate?");
    }
    if (o->keylog == NULL) {
        const char *env = getenv("SSLKEYLOGFILE");
        o->keylog = env != NULL && env[0] != '\0' ? env : NULL;
    }
    return CLI_OK;
}

/* ---- output file: written under a temporary name, renamed once complete --------------- */

/* The temporary file's name, for the --max-time handler to remove (async-signal-safe). */
static char part_name[4096];

static int open_sink(const struct options *o, struct cli_sink *sink)
{
    if (o->output == NULL || strcmp(o->output, "-") == 0) {
        sink->f = stdout;
        sink->name = "stdout";
        return CLI_OK;
    }
    int n = snprintf(part_name, sizeof(part_name), "%s.lucid-XXXXXX", o->output);
    if (n < 0 || (size_t)n >= sizeof(part_name)) {
        return cli_fail(CLI_WRITE, "output file name too long");
    }
    int fd = mkstemp(part_name);
    if (fd < 0) {
        part_name[0] = '\0';
        return cli_fail(CLI_WRITE, "cannot create %s: %s", o->output, strerror(errno));
    }
    /* mkstemp makes 0600; a finished download gets the usual 0666 less umask, as curl's */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    sink->f = fdopen(fd, "wb");
    sink->name = o->output;
    if (sink->f == NULL) {
        close(fd);
        unlink(part_name);
        part_name[0] = '\0';
        return cli_fail(CLI_WRITE, "cannot open %s: %s", o->output, strerror(errno));
    }
    return CLI_OK;
}

/* Flushes the output; with -o, the file takes its name only when everything went well. */
static int close_sink(const struct options *o, struct cli_sink *sink, int rc)
{
    if (sink->f == NULL) {
        return rc;
    }
    if (fflush(sink->f) != 0 && rc == CLI_OK) {
        rc = cli_fail(CLI_WRITE, "cannot write to %s: %s", sink->name, strerror(errno));
    }
    if (o->output == NULL || strcmp(o->output, "-") == 0) {
        return rc;
    }
    if (fclose(sink->f) != 0 && rc == CLI_OK) {
        rc = cli_fail(CLI_WRITE, "cannot write to %s: %s", sink->name, strerror(errno));
    }
    sink->f = NULL;
    if (rc == CLI_OK && rename(part_name, o->output) != 0) {
        rc = cli_fail(CLI_WRITE, "cannot rename the download to %s: %s", o->output,
                      strerror(errno));
    }
    if (rc != CLI_OK) {
        unlink(part_name);
    }
    part_name[0] = '\0';
    return rc;
}

static void on_alarm(int sig)
{
    static const char msg[] = "lucid-client: --max-time ran out\n";

    (void)sig;
    if (part_name[0] != '\0') {
        unlink(part_name);
    }
    (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
    _exit(CLI_TIMEOUT);
}

/* ---- TLS ------------------------------------------------------------------------------------ */

static void print_trace(void *arg, const char *line)
{
    (void)arg;
    fprintf(stderr, "* trace: %s\n", line);
}

static void write_keylog(void *arg, const char *line)
{
    FILE *f = arg;

    /* NSS key log format: one line per secret; flushed so a live capture can use it */
    fprintf(f, "%s\n", line);
    fflush(f);
}

/* Builds the client context from the options. */
static int make_ctx(const struct options *o, FILE *keylog, lucid_ctx **out)
{
    lucid_error err = { 0 };
    lucid_ctx *ctx = lucid_ctx_new(LUCID_CLIENT, &err);

    if (ctx == NULL) {
        return cli_fail(CLI_TLS, "cannot make a TLS context: %s", err.message);
    }
    *out = ctx;
    if (o->ciphers != NULL && lucid_ctx_set_ciphers(ctx, o->ciphers, &err) != 0) {
        return cli_fail(CLI_USAGE, "--ciphers: %s", err.message);
    }
    if (o->groups != NULL && lucid_ctx_set_groups(ctx, o->groups, &err) != 0) {
        return cli_fail(CLI_USAGE, "--groups: %s", err.message);
    }
    if (o->alpn[0] != '\0' && lucid_ctx_set_alpn(ctx, o->alpn, &err) != 0) {
        return cli_fail(CLI_USAGE, "--alpn: %s", err.message);
    }
    if (o->cacert != NULL && lucid_ctx_set_ca_file(ctx, o->cacert, &err) != 0) {
        return cli_fail(CLI_CA_FILE, "--cacert: %s", err.message);
    }
    if (o->capath != NULL && lucid_ctx_set_ca_path(ctx, o->capath, &err) != 0) {
        return cli_fail(CLI_CA_FILE, "--capath: %s", err.message);
    }
    /* 0-RTT data only when asked for (--early-data): it can be replayed (RFC 8446 8) */
    if (o->early_data != NULL && lucid_ctx_set_early_data(ctx, 1, &err) != 0) {
        return cli_fail(CLI_TLS, "--early-data: %s", err.message);
    }
    /* offered only if the server asks (RFC 8446 4.3.2); like curl, the key may share the file */
    if (o->cert != NULL &&
        lucid_ctx_add_cert(ctx, o->cert, o->key != NULL ? o->key : o->cert, &err) != 0) {
        return cli_fail(CLI_CLIENT_CERT, "--cert: %s", err.message);
    }
    if (o->insecure) {
        fprintf(stderr, "lucid-client: warning: --insecure: the server's certificate is NOT "
                        "verified; anyone on the path can pose as the server\n");
        lucid_ctx_set_verify(ctx, 0);
    }
    if (o->trace) {
        lucid_ctx_set_trace(ctx, print_trace, NULL);
        lucid_ctx_set_trace_secrets(ctx, o->trace_secrets);
    }
    if (keylog != NULL) {
        lucid_ctx_set_keylog(ctx, write_keylog, keylog);
    }
    return CLI_OK;
}

/* A failed handshake's exit code: the certificate failures get their own (60..63). */
static int handshake_exit_code(const lucid_error *e)
{
    static const struct {
        const char *name;
        int code;
    } map[] = {
        { "LC_E_CERT_NAME", CLI_CERT_NAME },
        { "LC_E_CERT_EXPIRED", CLI_CERT_TIME },
        { "LC_E_CERT_NOT_YET_VALID", CLI_CERT_TIME },
        { "LC_E_CERT_USAGE", CLI_CERT_USAGE },
        { "LC_E_CERT_UNKNOWN_CA", CLI_UNTRUSTED },
        { "LC_E_BAD_CERTIFICATE", CLI_UNTRUSTED },
        { "LC_E_UNSUPPORTED_CERTIFICATE", CLI_UNTRUSTED },
    };
    const char *name = lucid_error_name(e->code);

    /* an alert from the server is about us, never about its certificate */
    if (!e->from_peer) {
        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
            if (strcmp(name, map[i].name) == 0) {
                return map[i].code;
            }
        }
    }
    return CLI_TLS;
}

static int handshake(lucid_conn *c, int fd)
{
    if (lucid_io_handshake(c, fd) == 0) {
        return CLI_OK;
    }
    int err = errno;
    if (err == EPROTO) {
        const lucid_error *e = lucid_conn_error(c);
        return cli_fail(handshake_exit_code(e), "%s", lucid_io_error_text(c, err));
    }
    if (err == ECONNABORTED) {
        return cli_fail(CLI_TLS, "the server closed the connection during the TLS handshake");
    }
    return cli_fail(CLI_TLS, "TLS handshake: %s", lucid_io_error_text(c, err));
}

static void print_negotiated(const lucid_conn *c, const struct options *o, const char *host)
{
    const char *alpn = lucid_conn_alpn(c);
    const char *sni = lucid_conn_server_name(c);

    fprintf(stderr, "* TLS version: %s\n",
            lucid_conn_version(c) == 0x0304 ? "TLSv1.3" : "unknown");
    fprintf(stderr, "* cipher suite: %s\n", lucid_suite_name(lucid_conn_cipher_suite(c)));
    fprintf(stderr, "* group: %s\n", lucid_group_name(lucid_conn_group(c)));
    /* a resumed handshake has no certificate: the session's ticket stands for it */
    fprintf(stderr, "* signature scheme: %s\n",
            lucid_conn_resumed(c) ? "none (resumed: the ticket authenticates)"
                                  : lucid_sig_scheme_name(lucid_conn_sig_scheme(c)));
    fprintf(stderr, "* ALPN: %s\n", alpn != NULL ? alpn : "none");
    /* RFC 6066 3: an IP literal is never sent as SNI; the certificate's IP SANs are checked */
    uint8_t ip[16];
    if (inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1) {
        fprintf(stderr, "* server name: none sent (%s is an IP address)\n", host);
    } else {
        fprintf(stderr, "* server name: %s\n", sni != NULL ? sni : "none");
    }
    if (o->insecure) {
        fprintf(stderr, "* certificate: NOT verified (--insecure)\n");
    } else {
        fprintf(stderr, "* certificate: verified for '%s'\n", host);
    }
    /* RFC 8446 4.3.2: the server decides whether it wants ours; it may still refuse it */
    uint16_t ours = lucid_conn_client_sig_scheme(c);
    if (!lucid_conn_client_cert_requested(c)) {
        fprintf(stderr, "* client certificate: not asked for%s\n",
                o->cert != NULL ? " (--cert unused)" : "");
    } else if (ours != 0) {
        fprintf(stderr, "* client certificate: asked for; sent, signed with %s\n",
                lucid_sig_scheme_name(ours));
    } else {
        fprintf(stderr, "* client certificate: asked for; %s\n",
                o->cert != NULL ? "ours does not fit the server's signature schemes: sent none"
                                : "none given (--cert): sent none");
    }
}

/*
 * In TLS 1.3 a server judges the client's certificate after the client has
 * finished its handshake (RFC 8446 4.4.2.4), so a refusal arrives as an alert
 * while the request is under way. One more line says what the alert means here.
 */
static void explain_refusal(const lucid_conn *c, const struct options *o)
{
    static const int about_us[] = { 42, 43, 45, 48, 49, 51, 116 };
    const lucid_error *e = lucid_conn_error(c);

    if (!e->from_peer || !lucid_conn_client_cert_requested(c)) {
        return;
    }
    for (size_t i = 0; i < sizeof(about_us) / sizeof(about_us[0]); i++) {
        if (e->alert == about_us[i]) {
            fprintf(stderr, "lucid-client: the server asked for a client certificate and %s\n",
                    lucid_conn_client_sig_scheme(c) != 0 ? "refused ours"
                    : o->cert != NULL ? "refused to go on without one (ours does not fit)"
                                      : "refused to go on without one (see --cert)");
            return;
        }
    }
}

/* ---- the run --------------------------------------------------------------------------------- */

static int run(const struct options *o, const struct cli_url *u)
{
    char host[CLI_HOST_MAX], port[8], addr[64] = "?";
    struct cli_stream s = { .fd = -1, .tls = NULL };
    struct cli_sink sink = { 0 };
    struct cli_early early = { 0 };
    size_t early_done = 0;
    lucid_ctx *ctx = NULL;
    FILE *keylog = NULL;
    int rc;

    snprintf(host, sizeof(host), "%s", u->host);
    snprintf(port, sizeof(port), "%s", u->port);
    if (o->connect_to != NULL && cli_split_host_port(o->connect_to, u->port, host, sizeof(host),
                                                     port, sizeof(port)) != 0) {
        return cli_fail(CLI_USAGE, "--connect-to wants HOST:PORT, not '%s'", o->connect_to);
    }
    if (u->tls) {
        if (o->keylog != NULL && (keylog = fopen(o->keylog, "a")) == NULL) {
            return cli_fail(CLI_WRITE, "cannot open the key log %s: %s", o->keylog,
                            strerror(errno));
        }
        if ((rc = make_ctx(o, keylog, &ctx)) != 0) {
            goto out;
        }
    } else if (o->insecure || o->cacert != NULL || o->capath != NULL || o->cert != NULL) {
        fprintf(stderr, "lucid-client: warning: http:// has no TLS: the TLS options are unused\n");
    }

    if ((rc = cli_connect(host, port, &s.fd, addr, sizeof(addr))) != 0) {
        goto out;
    }
    if (o->verbose) {
        fprintf(stderr, "* connected to %s (%s) port %s\n", host, addr, port);
    }
    if (u->tls) {
        /* SNI and verification use the URL's host, whatever --connect-to reached */
        s.tls = lucid_conn_new(ctx, u->host);
        if (s.tls == NULL) {
            rc = cli_fail(CLI_TLS, "out of memory");
            goto out;
        }
        /* --session, --early-data: before the ClientHello is made (tools/lucid-client/session.c) */
        if ((rc = cli_session_begin(s.tls, o->session, o->early_data, u, o->verbose, &early))) {
            goto out;
        }
        if ((rc = handshake(s.tls, s.fd)) != 0) {
            goto out;
        }
        if (o->verbose) {
            print_negotiated(s.tls, o, u->host);
        }
        early_done = cli_session_after_handshake(s.tls, &early, o->verbose);
        const char *alpn = lucid_conn_alpn(s.tls);
        if (alpn != NULL && strcmp(alpn, "http/1.1") != 0) {
            rc = cli_fail(CLI_UNSUPPORTED, "the server chose ALPN '%s'; lucid-client speaks "
                          "only http/1.1", alpn);
            goto out;
        }
    }

    struct cli_request req = {
        .method = o->head ? "HEAD" : "GET",
        .url = u,
        .verbose = o->verbose,
        .head_to_stdout = o->head,
        .fail_on_error = o->fail,
        .raw = early.data,
        .raw_len = early.len,
        .raw_done = early_done,
    };
    if (early.data != NULL && early.len >= 5 && memcmp(early.data, "HEAD ", 5) == 0) {
        req.method = "HEAD"; /* its response has no body (RFC 9112 6.3) */
    }
    if ((rc = open_sink(o, &sink)) != 0) {
        goto out;
    }
    rc = cli_http_exchange(&s, &req, &sink);
    if (s.tls != NULL) {
        cli_session_save(s.tls, o->session, u, o->verbose);
    }
    rc = close_sink(o, &sink, rc);
out:
    if (s.tls != NULL) {
        if (rc != CLI_OK) {
            explain_refusal(s.tls, o);
        }
        /* RFC 8446 6.1: close_notify before closing, also in answer to the server's; a
         * failed handshake has sent its alert instead. The server may be gone already. */
        if (lucid_conn_error(s.tls)->code == 0 && lucid_conn_version(s.tls) != 0) {
            (void)lucid_io_close(s.tls, s.fd);
        }
        lucid_conn_free(s.tls);
    }
    if (early.data != NULL) {
        free(early.data);
    }
    if (s.fd >= 0) {
        close(s.fd);
    }
    lucid_ctx_free(ctx);
    if (keylog != NULL) {
        fclose(keylog);
    }
    return rc;
}

int main(int argc, char **argv)
{
    struct options o;
    struct cli_url u;
    int rc;

    /* a closed stdout or socket is an error to report, not a signal to die of */
    signal(SIGPIPE, SIG_IGN);
    if ((rc = parse_options(argc, argv, &o)) != 0) {
        return rc;
    }
    if ((rc = cli_url_parse(o.url, &u)) != 0) {
        cli_url_free(&u);
        return rc;
    }
    if (o.max_time > 0) {
        signal(SIGALRM, on_alarm);
        alarm(o.max_time);
    }
    rc = run(&o, &u);
    cli_url_free(&u);
    return rc;
}
