/*
 * lucid-cert issue: a server (or client) certificate for the names given,
 * signed by the PKI's intermediate CA, written as key, certificate and chain.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/error.h"
#include "crypto/cert.h"
#include "crypto/certmake.h"

/* Browsers refuse leaves valid for longer (CA/Browser Forum baseline requirements, 2018). */
#define DEFAULT_DAYS 825
/* A fresh certificate starts an hour back, for clocks running a little behind this one. */
#define BACKDATE 3600

static const char usage[] =
    "usage: lucid-cert issue NAME... [--dir DIR] [--key KIND] [--days N]\n"
    "                        [--not-before DATE] [--not-after DATE] [--client] [--out PREFIX]\n"
    "\n"
    "Issues a certificate for the NAMEs, signed by the PKI's intermediate CA. A NAME is a\n"
    "DNS name (a wildcard such as *.example.test too) or an IPv4 or IPv6 address; all go\n"
    "into subjectAltName, and the first is also the subject's common name.\n"
    "\n"
    "  --dir DIR          the PKI (default: $LUCID_PKI, else ./lucid-pki)\n"
    "  --key KIND         ecdsa-p256 (default), ecdsa-p384, ed25519, rsa-2048, rsa-3072\n"
    "  --days N           valid for N days (default 825, the most browsers accept);\n"
    "                     a negative N: expired -N days ago, after being valid -N days\n"
    "  --not-before DATE  when it starts (default: an hour ago, for clocks running behind)\n"
    "  --not-after DATE   when it ends (default: 825 days after the start); a date in the\n"
    "                     past makes an expired certificate, for tests\n"
    "                     DATE is YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ\n"
    "  --client           a client certificate (extendedKeyUsage clientAuth, not serverAuth)\n"
    "  --out PREFIX       where to write (default: the first NAME, '*' as _wildcard, ':' as _)\n"
    "\n"
    "Writes PREFIX_key.pem (mode 0600), PREFIX_cert.pem, and PREFIX_chain.pem (the\n"
    "certificate, then the intermediate CA: what a server sends). Files of those names\n"
    "are replaced.\n";

struct options {
    const char *dir, *out;
    const struct cli_key_kind *key;
    bool client;
    bool has_days, has_before, has_after;
    long days;
    int64_t before, after;
};

/* The validity period from --days, --not-before and --not-after (see the help above). */
static int validity(const struct options *o, int64_t now, int64_t *from, int64_t *to)
{
    int64_t span = (o->has_days ? o->days : DEFAULT_DAYS) * (int64_t)DAY_SECONDS;
    char a[40], b[40];

    if (o->has_days && o->has_after) {
        return cli_error(EXIT_USAGE, "issue: --days and --not-after both say when it ends: "
                                     "give one");
    }
    if (o->has_days && o->days < 0) {
        if (o->has_before) {
            return cli_error(EXIT_USAGE, "issue: a negative --days cannot go with --not-before");
        }
        *to = now + span;
        *from = *to + span;
        return EXIT_OK;
    }
    if (o->has_before) {
        *from = o->before;
    } else if (o->has_after && o->after <= now - BACKDATE) {
        *from = o->after - span; /* an end in the past: the usual length before it */
    } else {
        *from = now - BACKDATE;
    }
    *to = o->has_after ? o->after : *from + span;
    if (*to <= *from) {
        cli_format_date(*from, a, sizeof(a));
        cli_format_date(*to, b, sizeof(b));
        return cli_error(EXIT_USAGE, "issue: the certificate would end (%s) before it starts (%s)",
                         b, a);
    }
    return EXIT_OK;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option opts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "key", required_argument, NULL, 'k' },
        { "days", required_argument, NULL, 'n' },
        { "not-before", required_argument, NULL, 'b' },
        { "not-after", required_argument, NULL, 'a' },
        { "client", no_argument, NULL, 'c' },
        { "out", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    char *end;
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->dir = optarg;
            break;
        case 'k':
            if ((o->key = cli_key_kind(optarg)) == NULL) {
                return cli_error(EXIT_USAGE, "issue: unknown key kind '%s' (one of: %s)", optarg,
                                 cli_key_kind_list());
            }
            break;
        case 'n':
            errno = 0;
            o->days = strtol(optarg, &end, 10);
            /* a hundred thousand years either way is past what X.509 dates can hold anyway */
            if (errno != 0 || end == optarg || *end != '\0' || o->days == 0 ||
                o->days > 36500000 || o->days < -36500000) {
                return cli_error(EXIT_USAGE, "issue: --days wants a whole number of days other "
                                             "than 0, such as 30 or -1 (got '%s')",
                                 optarg);
            }
            o->has_days = true;
            break;
        case 'b':
        case 'a':
            if (!cli_parse_date(optarg, c == 'b' ? &o->before : &o->after)) {
                return cli_error(EXIT_USAGE, "issue: --not-%s wants a date as YYYY-MM-DD or "
                                             "YYYY-MM-DDTHH:MM:SSZ (got '%s')",
                                 c == 'b' ? "before" : "after", optarg);
            }
            *(c == 'b' ? &o->has_before : &o->has_after) = true;
            break;
        case 'c':
            o->client = true;
            break;
        case 'o':
            o->out = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return -1;
        default:
            return cli_bad_option("issue", argv, c);
        }
    }
    if (optind >= argc) {
        return cli_error(EXIT_USAGE, "issue: name what the certificate is for, as in "
                                     "lucid-cert issue localhost 127.0.0.1");
    }
    return EXIT_OK;
}

/* The intermediate CA and its key, from the PKI directory; they must belong together. */
static int load_issuer(const lc_crypto *cr, const char *dir, lc_cert **ca, lc_pkey **key)
{
    char cert_path[4096], key_path[4096];
    lc_pkey *pub = NULL;
    size_t len = 0;
    char *pem;
    int rc;

    if (!cli_path(cert_path, sizeof(cert_path), dir, "intermediate_cert.pem") ||
        !cli_path(key_path, sizeof(key_path), dir, "intermediate_key.pem")) {
        return EXIT_USAGE;
    }
    if ((pem = cli_read_file(cert_path, &len)) == NULL) {
        return cli_error(EXIT_FILE, "no PKI in %s (%s: %s); make one with lucid-cert init%s%s",
                         dir, cert_path, strerror(errno),
                         strcmp(dir, cli_pki_dir(NULL)) != 0 ? " --dir " : "",
                         strcmp(dir, cli_pki_dir(NULL)) != 0 ? dir : "");
    }
    rc = lc_cert_from_pem(pem, len, ca);
    free(pem);
    if (rc != 0) {
        return cli_error(EXIT_FILE, "%s holds no PEM certificate", cert_path);
    }
    if ((pem = cli_read_file(key_path, &len)) == NULL) {
        return cli_error(EXIT_FILE, "cannot read %s: %s", key_path, strerror(errno));
    }
    rc = lc_pkey_from_pem(cr, pem, len, key);
    lc_wipe(pem, len);
    free(pem);
    if (rc != 0) {
        return cli_error(EXIT_FILE, "%s holds no usable PEM private key", key_path);
    }
    rc = lc_pkey_from_cert_der(cr, lc_cert_der(*ca)->der, lc_cert_der(*ca)->len, &pub);
    if (rc != 0 || !lc_pkey_matches(pub, *key)) {
        rc = cli_error(EXIT_FILE, "%s is not the key of %s", key_path, cert_path);
    }
    lc_pkey_free(pub);
    return rc;
}

/* PREFIX from the first name: "*.example.test" -> "_wildcard.example.test", "::1" -> "__1". */
static void default_prefix(const char *name, char *out, size_t cap)
{
    size_t n = 0;

    for (const char *p = name; *p != '\0' && n + sizeof("_wildcard") < cap; p++) {
        if (*p == '*') {
            n += (size_t)snprintf(out + n, cap - n, "_wildcard");
        } else {
            out[n++] = *p == ':' ? '_' : *p;
        }
    }
    out[n] = '\0';
}

/* PREFIX_key.pem (0600), PREFIX_cert.pem and PREFIX_chain.pem (0644). */
static int write_files(const char *prefix, lc_pkey *key, const lc_cert *leaf, const lc_cert *ca)
{
    static const char *const suffix[] = { "_key.pem", "_cert.pem", "_chain.pem" };
    lc_buf pem[3] = { { 0 } };
    int rc = EXIT_OK;

    if (lc_pkey_pem(key, &pem[0]) != 0 || lc_cert_pem(leaf, &pem[1]) != 0 ||
        lc_cert_pem(leaf, &pem[2]) != 0 || lc_cert_pem(ca, &pem[2]) != 0) {
        rc = cli_error(EXIT_CRYPTO, "cannot encode the certificate and key as PEM");
    }
    for (size_t i = 0; rc == EXIT_OK && i < LC_ARRAY_LEN(suffix); i++) {
        char path[4096];

        if (snprintf(path, sizeof(path), "%s%s", prefix, suffix[i]) >= (int)sizeof(path)) {
            rc = cli_error(EXIT_USAGE, "issue: --out %s is too long", prefix);
        } else if (cli_write_file(path, lc_buf_data(&pem[i]), pem[i].len, i == 0 ? 0600 : 0644,
                                  true) != 0) {
            rc = cli_error(EXIT_FILE, "cannot write %s: %s", path, strerror(errno));
        }
    }
    for (size_t i = 0; i < LC_ARRAY_LEN(pem); i++) {
        lc_buf_free(&pem[i]);
    }
    return rc;
}

/* What was made, on stdout. */
static void report(const lc_crypto *cr, const struct options *o, const lc_cert *leaf,
                   const lc_cert *ca, const char *prefix, int64_t now, char **names, int count)
{
    struct lc_cert_info info, ca_info;
    char key[32], from[40], to[40];

    if (lc_cert_describe(cr, leaf, &info) != 0 || lc_cert_describe(cr, ca, &ca_info) != 0) {
        return;
    }
    cli_key_words(info.key_type, info.key_bits, key, sizeof(key));
    cli_format_date(info.not_before, from, sizeof(from));
    cli_format_date(info.not_after, to, sizeof(to));
    printf("issued a %s certificate (%s) for", o->client ? "client" : "server", key);
    for (int i = 0; i < count; i++) {
        printf("%s %s", i > 0 ? "," : "", names[i]);
    }
    printf("\n  valid %s to %s%s\n", from, to,
           info.not_after < now     ? " (already expired)"
           : info.not_before > now ? " (not valid yet)"
                                   : "");
    printf("  %s_cert.pem   the certificate\n"
           "  %s_chain.pem  the certificate and the intermediate CA: what a %s sends\n"
           "  %s_key.pem    its private key (mode 0600)\n",
           prefix, prefix, o->client ? "client" : "server", prefix);
    /* path validation does not mind, but the certificate is only as good as its issuer */
    if (info.not_after > ca_info.not_after) {
        cli_format_date(ca_info.not_after, to, sizeof(to));
        fprintf(stderr, "lucid-cert: note: the certificate outlives the intermediate CA "
                        "(valid to %s)\n",
                to);
    }
}

int cmd_issue(int argc, char **argv)
{
    struct options o = { .key = cli_key_kind("ecdsa-p256") };
    int64_t now = (int64_t)time(NULL);
    struct lc_cert_request req = { .organization = "Lucid development certificate" };
    lc_crypto *cr = NULL;
    lc_pkey *ca_key = NULL, *key = NULL;
    lc_cert *ca = NULL, *leaf = NULL;
    char prefix[4096], why[256];
    int rc;

    if ((rc = parse_options(argc, argv, &o)) != EXIT_OK) {
        return rc < 0 ? EXIT_OK : rc; /* -1: --help was printed */
    }
    if ((rc = validity(&o, now, &req.not_before, &req.not_after)) != EXIT_OK) {
        return rc;
    }
    req.role = o.client ? LC_CERT_CLIENT : LC_CERT_SERVER;
    req.names = (const char *const *)&argv[optind];
    req.name_count = (size_t)(argc - optind);
    req.common_name = argv[optind];
    if ((cr = lc_crypto_new()) == NULL) {
        return cli_error(EXIT_CRYPTO, "libcrypto could not be set up");
    }
    if ((rc = load_issuer(cr, cli_pki_dir(o.dir), &ca, &ca_key)) != EXIT_OK) {
        goto out;
    }
    if (lc_pkey_generate(cr, o.key->type, o.key->bits, &key) != 0) {
        rc = cli_error(EXIT_CRYPTO, "cannot make a %s key", o.key->name);
        goto out;
    }
    if ((rc = lc_cert_make(cr, &req, key, ca, ca_key, &leaf, why, sizeof(why))) != 0) {
        /* a bad request is the user's (a name that is no name); anything else is libcrypto's */
        rc = cli_error(rc == LC_E_BAD_ARGUMENT ? EXIT_USAGE : EXIT_CRYPTO, "issue: %s", why);
        goto out;
    }
    if (o.out != NULL) {
        snprintf(prefix, sizeof(prefix), "%s", o.out);
    } else {
        default_prefix(argv[optind], prefix, sizeof(prefix));
    }
    if ((rc = write_files(prefix, key, leaf, ca)) == EXIT_OK) {
        report(cr, &o, leaf, ca, prefix, now, &argv[optind], argc - optind);
    }
out:
    lc_cert_free(leaf);
    lc_cert_free(ca);
    lc_pkey_free(key);
    lc_pkey_free(ca_key);
    lc_crypto_free(cr);
    return rc;
}
