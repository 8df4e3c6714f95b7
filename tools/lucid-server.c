/*
 * lucid-server: serves a directory over HTTPS with Lucid's TLS 1.3 (and over plain HTTP if
 * asked). This file only parses the command line, installs the signal handlers and prints; the
 * server itself is src/server/.
 *
 * Exit codes: 0 after SIGTERM or SIGINT, 1 when the configuration cannot be used (a
 * certificate that cannot be loaded, an address that cannot be bound), 2 for a command-line
 * mistake.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lucid/lucid.h>

#include "server/server.h"

#define MAX_LISTEN 32
#define MAX_CERTS 16

static const char usage[] =
    "usage: lucid-server --listen ADDR:PORT --cert CHAIN.pem --key KEY.pem --root DIR [options]\n"
    "\n"
    "Serves the files under DIR over HTTPS (TLS 1.3, Lucid) and, if asked, plain HTTP.\n"
    "\n"
    "  --listen ADDR:PORT   an HTTPS listener; repeat for more. ADDR:PORT is 127.0.0.1:8443,\n"
    "                       [::1]:8443, or 8443 alone for every IPv4 address; port 0 picks one\n"
    "  --plain ADDR:PORT    a plain HTTP listener; repeat for more\n"
    "  --cert FILE          a PEM certificate chain, leaf first; with --key after it. Repeat\n"
    "                       the pair for more (ECDSA and RSA, other names): Lucid picks one\n"
    "                       per connection by server name and signature algorithms\n"
    "  --key FILE           the PEM private key of the --cert before it\n"
    "  --root DIR           the directory served; a directory's index is its index.html\n"
    "  --alpn LIST          ALPN protocols offered, comma-separated (default http/1.1; this\n"
    "                       server speaks HTTP/1.1 only, so a client that picks another one\n"
    "                       is disconnected)\n"
    "  --ciphers LIST       TLS 1.3 cipher suites in order of preference, e.g.\n"
    "                       TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256\n"
    "  --groups LIST        key exchange groups in order of preference, e.g. x25519:secp256r1\n"
    "  --access-log FILE    append the access log to FILE (default: standard output)\n"
    "  --quiet              no access log on standard output (--access-log still writes)\n"
    "  --trace              narrate each TLS handshake on standard error, every line prefixed\n"
    "                       with the client's address (\"127.0.0.1:50000: ...\")\n"
    "  --trace-secrets      with --trace, show the value of each secret it names (unsafe)\n"
    "  --keylog FILE        append NSS key log lines (for Wireshark) to FILE\n"
    "                       (default: $SSLKEYLOGFILE when it is set)\n"
    "  --version            print the version and exit\n"
    "  --help               print this help and exit\n"
    "\n"
    "Once every listener is bound, one line per listener goes to standard output:\n"
    "  lucid-server: listening on https://127.0.0.1:8443/ (TLS 1.3)\n"
    "Access log lines: time, client, TLS version/suite or \"plain\", request line, status,\n"
    "body bytes, seconds. Failed TLS connections are logged to standard error with Lucid's\n"
    "reason. SIGTERM or SIGINT stops accepting, lets responses under way finish, and exits 0.\n"
    "\n"
    "Exit codes: 0 stopped by a signal, 1 the configuration cannot be used, 2 usage error.\n";

static lc_srv *volatile running; /* for the signal handler */

static void on_signal(int sig)
{
    (void)sig;
    if (running != NULL) {
        lc_srv_stop(running);
    }
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "lucid-server: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(lucid-server --help lists the options)\n");
    return 2;
}

/* --trace: one line per engine line, prefixed with the client's address. */
static void print_trace(void *arg, const char *peer, const char *line)
{
    (void)arg;
    fprintf(stderr, "%s: %s\n", peer, line);
}

/* --keylog: each line as it comes, flushed, so a capture can be decrypted while we run. */
static void write_keylog(void *arg, const char *line)
{
    FILE *f = arg;

    fprintf(f, "%s\n", line);
    fflush(f);
}

/* "--opt VALUE" or "--opt=VALUE": the value, or NULL when it is missing. */
static const char *value_of(int argc, char **argv, int *i, const char *arg, size_t name_len)
{
    if (arg[name_len] == '=') {
        return arg + name_len + 1;
    }
    if (*i + 1 < argc) {
        return argv[++*i];
    }
    return NULL;
}

int main(int argc, char **argv)
{
    struct lc_srv_listen listen[MAX_LISTEN];
    struct lc_srv_cert certs[MAX_CERTS];
    size_t nlisten = 0, ncert = 0, nkey = 0;
    struct lc_srv_config cfg;
    int quiet = 0, trace = 0, trace_secrets = 0;
    const char *access_log = NULL, *keylog_path = NULL;
    FILE *keylog = NULL;

    lc_srv_config_init(&cfg);
    cfg.root = NULL;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        size_t len = strcspn(arg, "=");
        const char *v = NULL;

        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("lucid-server %s\n", LUCID_VERSION_STRING);
            return 0;
        }
        if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
            quiet = 1;
            continue;
        }
        if (strcmp(arg, "--trace") == 0) {
            trace = 1;
            continue;
        }
        if (strcmp(arg, "--trace-secrets") == 0) {
            trace_secrets = 1;
            continue;
        }
        static const char *const with_value[] = { "--listen", "--plain", "--cert", "--key",
                                                  "--root", "--alpn", "--ciphers", "--groups",
                                                  "--access-log", "--keylog" };
        const char *name = NULL;
        for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++) {
            if (strlen(with_value[k]) == len && strncmp(arg, with_value[k], len) == 0) {
                name = with_value[k];
            }
        }
        if (name == NULL) {
            return usage_error("unknown option '%s'", arg);
        }
        if ((v = value_of(argc, argv, &i, arg, len)) == NULL || v[0] == '\0') {
            return usage_error("%s expects a value", name);
        }
        if (strcmp(name, "--listen") == 0 || strcmp(name, "--plain") == 0) {
            if (nlisten == MAX_LISTEN) {
                return usage_error("at most 32 listeners (%s)", v);
            }
            listen[nlisten].addr = v;
            listen[nlisten++].tls = strcmp(name, "--listen") == 0;
        } else if (strcmp(name, "--cert") == 0) {
            if (ncert == MAX_CERTS) {
                return usage_error("at most 16 certificates (%s)", v);
            }
            if (ncert != nkey) {
                return usage_error("--cert %s: expected --key for the --cert before it", v);
            }
            certs[ncert++].chain = v;
        } else if (strcmp(name, "--key") == 0) {
            if (nkey == ncert) {
                return usage_error("--key %s: expected a --cert before it", v);
            }
            certs[nkey++].key = v;
        } else if (strcmp(name, "--root") == 0) {
            cfg.root = v;
        } else if (strcmp(name, "--alpn") == 0) {
            cfg.alpn = v;
        } else if (strcmp(name, "--ciphers") == 0) {
            cfg.ciphers = v;
        } else if (strcmp(name, "--groups") == 0) {
            cfg.groups = v;
        } else if (strcmp(name, "--keylog") == 0) {
            keylog_path = v;
        } else {
            access_log = v;
        }
    }
    if (ncert != nkey) {
        return usage_error("--cert %s: expected --key after it", certs[ncert - 1].chain);
    }
    if (nlisten == 0) {
        return usage_error("expected --listen ADDR:PORT (HTTPS) or --plain ADDR:PORT");
    }
    if (cfg.root == NULL) {
        return usage_error("expected --root DIR, the directory to serve");
    }
    cfg.listen = listen;
    cfg.listen_count = nlisten;
    cfg.certs = certs;
    cfg.cert_count = ncert;
    cfg.access_log = access_log != NULL ? access_log : (quiet ? NULL : "-");
    if (trace_secrets && !trace) {
        return usage_error("--trace-secrets needs --trace");
    }
    if (trace) {
        cfg.trace = print_trace;
        cfg.trace_secrets = trace_secrets;
    }
    if (keylog_path == NULL) {
        const char *env = getenv("SSLKEYLOGFILE");
        keylog_path = env != NULL && env[0] != '\0' ? env : NULL;
    }
    if (keylog_path != NULL) {
        if ((keylog = fopen(keylog_path, "a")) == NULL) {
            fprintf(stderr, "lucid-server: cannot open the key log %s: %s\n", keylog_path,
                    strerror(errno));
            return 1;
        }
        cfg.keylog = write_keylog;
        cfg.keylog_arg = keylog;
    }

    char err[512];
    lc_srv *srv = lc_srv_new(&cfg, err, sizeof(err));
    if (srv == NULL) {
        fprintf(stderr, "lucid-server: %s\n", err);
        return 1;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    running = srv;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    for (size_t i = 0; i < lc_srv_listener_count(srv); i++) {
        printf("lucid-server: listening on %s\n", lc_srv_listener_url(srv, i));
    }
    fflush(stdout);

    int rc = lc_srv_run(srv);
    running = NULL;
    lc_srv_free(srv);
    if (keylog != NULL) {
        fclose(keylog);
    }
    return rc == 0 ? 0 : 1;
}
