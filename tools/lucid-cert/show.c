/*
 * lucid-cert show: what each certificate in a file says, one block per
 * certificate: names, validity (and whether it holds now), key, signature,
 * CA status, usage and the SHA-256 fingerprint.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/certmake.h"

static const char usage[] =
    "usage: lucid-cert show FILE...\n"
    "\n"
    "Prints, for each certificate in each FILE (PEM, any number of certificates, or one\n"
    "DER certificate): subject, issuer, names, validity (and 'expired' or 'not yet\n"
    "valid' if so), key type and size, signature algorithm, CA status, key usage,\n"
    "serial number and SHA-256 fingerprint.\n";

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END "-----END CERTIFICATE-----"

static void print_cert(const lc_crypto *cr, const char *file, size_t nth, size_t count,
                       const lc_cert *c)
{
    struct lc_cert_info info;
    char key[32], from[40], to[40], fp[3 * 32 + 1];
    int64_t now = (int64_t)time(NULL);

    if (lc_cert_describe(cr, c, &info) != 0) {
        printf("%s: certificate %zu of %zu cannot be described\n", file, nth, count);
        return;
    }
    cli_key_words(info.key_type, info.key_bits, key, sizeof(key));
    cli_format_date(info.not_before, from, sizeof(from));
    cli_format_date(info.not_after, to, sizeof(to));
    /* "AB:CD:...", as openssl x509 -fingerprint prints it */
    for (size_t i = 0; i < sizeof(info.sha256); i++) {
        snprintf(fp + 3 * i, sizeof(fp) - 3 * i, "%02X:", info.sha256[i]);
    }
    fp[3 * sizeof(info.sha256) - 1] = '\0';
    printf("%s: certificate %zu of %zu\n", file, nth, count);
    printf("  subject:    %s\n", info.subject[0] != '\0' ? info.subject : "(empty)");
    printf("  issuer:     %s%s\n", info.issuer,
           strcmp(info.subject, info.issuer) == 0 ? " (self-issued)" : "");
    printf("  names:      %s\n", info.names[0] != '\0' ? info.names : "(none)");
    printf("  validity:   %s to %s%s\n", from, to,
           now > info.not_after    ? " (expired)"
           : now < info.not_before ? " (not yet valid)"
                                   : "");
    printf("  key:        %s\n", key);
    printf("  signature:  %s\n", info.signature);
    if (info.ca && info.path_len >= 0) {
        printf("  CA:         yes, path length %d\n", info.path_len);
    } else {
        printf("  CA:         %s\n", info.ca ? "yes" : "no");
    }
    printf("  usage:      %s\n", info.usage[0] != '\0' ? info.usage : "(not limited)");
    printf("  serial:     %s\n", info.serial);
    printf("  SHA-256:    %s\n", fp);
}

/* How many PEM certificate blocks text (NUL-terminated) holds. */
static size_t count_pem(const char *text)
{
    size_t n = 0;

    for (const char *p = strstr(text, PEM_BEGIN); p != NULL; p = strstr(p + 1, PEM_BEGIN)) {
        n++;
    }
    return n;
}

static int show_file(const lc_crypto *cr, const char *file)
{
    size_t len, count, nth = 0;
    char *text = cli_read_file(file, &len);
    lc_cert *c = NULL;
    int rc = EXIT_OK;

    if (text == NULL) {
        return cli_error(EXIT_FILE, "cannot read %s: %s", file, strerror(errno));
    }
    count = count_pem(text);
    if (count == 0) {
        /* not PEM: perhaps one DER certificate */
        if (lc_cert_from_der((const uint8_t *)text, len, &c) != 0) {
            free(text);
            return cli_error(EXIT_FILE, "%s holds no certificate (neither PEM '%s' blocks nor "
                                        "one DER certificate)",
                             file, PEM_BEGIN);
        }
        print_cert(cr, file, 1, 1, c);
        lc_cert_free(c);
        free(text);
        return EXIT_OK;
    }
    for (const char *p = strstr(text, PEM_BEGIN); p != NULL; p = strstr(p + 1, PEM_BEGIN)) {
        const char *end = strstr(p, PEM_END);
        size_t n = end != NULL ? (size_t)(end - p) + strlen(PEM_END) : strlen(p);

        nth++;
        if (lc_cert_from_pem(p, n, &c) != 0) {
            rc = cli_error(EXIT_FILE, "%s: certificate %zu of %zu does not parse", file, nth,
                           count);
            continue;
        }
        print_cert(cr, file, nth, count, c);
        lc_cert_free(c);
    }
    free(text);
    return rc;
}

int cmd_show(int argc, char **argv)
{
    static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    lc_crypto *cr;
    int c, rc = EXIT_OK;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c != 'h') {
            return cli_bad_option("show", argv, c);
        }
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (optind >= argc) {
        return cli_error(EXIT_USAGE, "show: which file? (lucid-cert show FILE...)");
    }
    if ((cr = lc_crypto_new()) == NULL) {
        return cli_error(EXIT_CRYPTO, "libcrypto could not be set up");
    }
    for (int i = optind; i < argc; i++) {
        int r = show_file(cr, argv[i]);

        rc = rc != EXIT_OK ? rc : r;
        if (i + 1 < argc) {
            putchar('\n');
        }
    }
    lc_crypto_free(cr);
    return rc;
}
