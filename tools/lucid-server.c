/*
 * lucid-server: serves a directory over HTTPS with Lucid's TLS 1.3 (and over plain HTTP if
 * asked). This file only parses the command line, loads the configuration and prints; the
 * server itself, its master and worker processes and their signals, is src/server/.
 *
 * Exit codes: 0 after SIGTERM or SIGINT, 1 when the configuration cannot be used (a
 * certificate that cannot be loaded, an address that cannot be bound), 2 for a command-line
 * mistake.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lucid/lucid.h>

#include "server/config_file.h"
#include "server/master.h"
#include "server/server.h"

#define MAX_LISTEN 32
#define MAX_CERTS 16

static const char usage[] =
    "usage: lucid-server -c FILE [-t] [--trace] [--keylog FILE]\n"
    "       lucid-server --listen ADDR:PORT --cert CHAIN.pem --key KEY.pem --root DIR [options]\n"
    "\n"
    "Serves static files over HTTPS (TLS 1.3, Lucid) and, if asked, plain HTTP: the sites of\n"
    "an nginx-like configuration file (-c; conf/lucid.conf shows every directive), or one\n"
    "site from the quick-start options below.\n"
    "\n"
    "  -c, --config FILE    run the configuration in FILE\n"
    "  -t, --test           check the configuration (syntax, certificates, keys, roots) and\n"
    "                       exit: 0 when it is good\n"
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
    "  --workers N|auto     worker processes (default 1; auto: one per CPU)\n"
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
    "Access log lines: time, client, TLS version/suite or \"plain\", site, request line,\n"
    "status, body bytes, seconds, client certificate subject (\"-\" when none). Failed TLS\n"
    "connections are logged to standard error (or error_log) with Lucid's\n"
    "reason. Signals go to the master process (the one started): SIGTERM or SIGINT stops\n"
    "accepting, lets responses under way finish, and exits 0; SIGHUP loads the configuration\n"
    "and the certificates again while open connections finish on the old workers.\n"
    "\n"
    "Exit codes: 0 stopped by a signal, 1 the configuration cannot be used, 2 usage error.\n";

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

/* The quick-start options as one site with one location. */
struct quick {
    struct lc_srv_listen listen[MAX_LISTEN];
    struct lc_srv_cert certs[MAX_CERTS];
    size_t nlisten, ncert, nkey;
    struct lc_srv_location loc;
    struct lc_srv_site site;
};

#define MAX_CONFS 4 /* parsed files in use at once: the running one and a reload's */

/* What the master loads: the file, parsed again on each SIGHUP, or the quick-start site. */
struct source {
    const char *path; /* NULL: quick start */
    struct lc_srv_config quick_cfg;
    struct lc_srv_conf *confs[MAX_CONFS];
    int quiet;
    void (*trace)(void *arg, const char *peer, const char *line);
    int trace_secrets;
    void (*keylog)(void *arg, const char *line);
    void *keylog_arg;
};

static const struct lc_srv_config *load(void *arg, char *err, size_t errlen)
{
    struct source *src = arg;
    size_t slot = 0;

    if (src->path == NULL) {
        return &src->quick_cfg;
    }
    while (slot < MAX_CONFS && src->confs[slot] != NULL) {
        slot++;
    }
    if (slot == MAX_CONFS) {
        snprintf(err, errlen, "too many configurations in use");
        return NULL;
    }
    struct lc_srv_conf *conf = lc_srv_conf_load(src->path, err, errlen);
    if (conf == NULL) {
        return NULL;
    }
    src->confs[slot] = conf;
    struct lc_srv_config *cfg = lc_srv_conf_get(conf);
    if (src->quiet && cfg->access_log != NULL && strcmp(cfg->access_log, "-") == 0) {
        cfg->access_log = NULL;
    }
    cfg->trace = src->trace;
    cfg->trace_secrets = src->trace_secrets;
    cfg->keylog = src->keylog;
    cfg->keylog_arg = src->keylog_arg;
    return cfg;
}

static void release(void *arg, const struct lc_srv_config *cfg)
{
    struct source *src = arg;

    for (size_t i = 0; i < MAX_CONFS; i++) {
        if (src->confs[i] != NULL && lc_srv_conf_get(src->confs[i]) == cfg) {
            lc_srv_conf_free(src->confs[i]);
            src->confs[i] = NULL;
        }
    }
}

/* --workers N|auto: 0 for auto, or -1 when it is neither. */
static long parse_workers(const char *v)
{
    char *end;
    unsigned long n;

    if (strcmp(v, "auto") == 0) {
        return 0;
    }
    n = strtoul(v, &end, 10);
    return (*end != '\0' || n == 0 || n > 64) ? -1 : (long)n;
}

/* Quick start: the options as one site (struct quick) in src->quick_cfg. */
static int quick_site(struct quick *q, struct source *src, const char *workers,
                      const char *access_log)
{
    struct lc_srv_config *cfg = &src->quick_cfg;

    if (q->ncert != q->nkey) {
        return usage_error("--cert %s: expected --key after it", q->certs[q->ncert - 1].chain);
    }
    if (q->nlisten == 0) {
        return usage_error("expected --listen ADDR:PORT (HTTPS) or --plain ADDR:PORT, or -c FILE");
    }
    if (q->loc.root == NULL) {
        return usage_error("expected --root DIR, the directory to serve");
    }
    q->loc.prefix = "/";
    q->site.listen = q->listen;
    q->site.listen_count = q->nlisten;
    q->site.certs = q->certs;
    q->site.cert_count = q->ncert;
    q->site.locations = &q->loc;
    q->site.location_count = 1;
    q->site.tickets = 1;
    cfg->sites = &q->site;
    cfg->site_count = 1;
    cfg->workers = 1;
    if (workers != NULL) {
        long n = parse_workers(workers);
        if (n < 0) {
            return usage_error("--workers %s: expected a number from 1 to 64, or auto", workers);
        }
        cfg->workers = (unsigned)n;
    }
    cfg->access_log = access_log != NULL ? access_log : (src->quiet ? NULL : "-");
    return 0;
}

/* -t: nginx -t's two lines, so that scripts written for one read the other. */
static int test_config(struct source *src)
{
    char err[512];
    const struct lc_srv_config *c = load(src, err, sizeof(err));

    if (c == NULL || lc_srv_check(c, err, sizeof(err)) != 0) {
        fprintf(stderr, "lucid-server: %s\n", err);
        fprintf(stderr, "lucid-server: configuration file %s test failed\n", src->path);
        return 1;
    }
    release(src, c);
    fprintf(stderr, "lucid-server: the configuration file %s syntax is ok\n", src->path);
    fprintf(stderr, "lucid-server: configuration file %s test is successful\n", src->path);
    return 0;
}

int main(int argc, char **argv)
{
    static struct quick q;
    static struct source src;
    int test_only = 0, trace = 0, trace_secrets = 0, site_options = 0;
    const char *access_log = NULL, *keylog_path = NULL, *workers = NULL;
    FILE *keylog = NULL;

    lc_srv_config_init(&src.quick_cfg);
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
            src.quiet = 1;
            continue;
        }
        if (strcmp(arg, "--test") == 0 || strcmp(arg, "-t") == 0) {
            test_only = 1;
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
        if (strcmp(arg, "-c") == 0) {
            arg = "--config";
            len = strlen(arg);
        }
        static const char *const with_value[] = { "--listen", "--plain", "--cert", "--key",
                                                  "--root", "--alpn", "--ciphers", "--groups",
                                                  "--access-log", "--keylog", "--config",
                                                  "--workers" };
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
        if (strcmp(name, "--config") == 0) {
            src.path = v;
        } else if (strcmp(name, "--keylog") == 0) {
            keylog_path = v;
        } else if (strcmp(name, "--access-log") == 0) {
            access_log = v;
        } else if (strcmp(name, "--workers") == 0) {
            workers = v;
        } else if (strcmp(name, "--listen") == 0 || strcmp(name, "--plain") == 0) {
            if (q.nlisten == MAX_LISTEN) {
                return usage_error("at most 32 listeners (%s)", v);
            }
            q.listen[q.nlisten].addr = v;
            q.listen[q.nlisten++].tls = strcmp(name, "--listen") == 0;
        } else if (strcmp(name, "--cert") == 0) {
            if (q.ncert == MAX_CERTS) {
                return usage_error("at most 16 certificates (%s)", v);
            }
            if (q.ncert != q.nkey) {
                return usage_error("--cert %s: expected --key for the --cert before it", v);
            }
            q.certs[q.ncert++].chain = v;
        } else if (strcmp(name, "--key") == 0) {
            if (q.nkey == q.ncert) {
                return usage_error("--key %s: expected a --cert before it", v);
            }
            q.certs[q.nkey++].key = v;
        } else if (strcmp(name, "--root") == 0) {
            q.loc.root = v;
        } else if (strcmp(name, "--alpn") == 0) {
            q.site.alpn = v;
        } else if (strcmp(name, "--ciphers") == 0) {
            q.site.ciphers = v;
        } else {
            q.site.groups = v;
        }
        site_options |= name != NULL && strcmp(name, "--config") != 0 &&
                        strcmp(name, "--keylog") != 0;
    }
    if (trace_secrets && !trace) {
        return usage_error("--trace-secrets needs --trace");
    }
    if (src.path != NULL && site_options) {
        return usage_error("with -c, the sites, workers and logs come from the file; only "
                           "-t, --trace, --trace-secrets, --keylog and --quiet go with it");
    }
    if (src.path == NULL && test_only) {
        return usage_error("-t checks a configuration file: expected -c FILE");
    }
    if (src.path == NULL) {
        int rc = quick_site(&q, &src, workers, access_log);
        if (rc != 0) {
            return rc;
        }
    }
    if (trace) {
        src.trace = src.quick_cfg.trace = print_trace;
        src.trace_secrets = src.quick_cfg.trace_secrets = trace_secrets;
    }
    if (test_only) {
        return test_config(&src);
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
        src.keylog = src.quick_cfg.keylog = write_keylog;
        src.keylog_arg = src.quick_cfg.keylog_arg = keylog;
    }

    char err[512];
    struct lc_srv_master_ops ops = { .load = load, .release = release, .arg = &src,
                                     .out = stdout };
    int rc = lc_srv_master_run(&ops, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "lucid-server: %s\n", err);
    }
    if (keylog != NULL) {
        fclose(keylog);
    }
    return rc == 0 ? 0 : 1;
}
