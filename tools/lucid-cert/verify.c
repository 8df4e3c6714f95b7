/*
 * lucid-cert verify: checks a chain against a root with lc_x509_verify, the
 * path validation lucid-client runs, and says why in the same words.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "crypto/cert.h"
#include "crypto/x509.h"

static const char usage[] =
    "usage: lucid-cert verify --cacert ROOT CHAIN [--host NAME] [--client]\n"
    "\n"
    "Checks the certificates in CHAIN (PEM: the certificate first, then intermediates)\n"
    "against the trusted roots in ROOT (PEM), as lucid-client checks a server: path,\n"
    "signatures, validity dates, CA constraints, key usage for the purpose, and with\n"
    "--host that NAME (a DNS name or an IP address) is among the certificate's names.\n"
    "\n"
    "  --cacert ROOT  the trusted root(s), e.g. lucid-pki/root_cert.pem\n"
    "  --host NAME    the name the certificate must hold\n"
    "  --client       check it as a client certificate (clientAuth) instead\n"
    "\n"
    "Prints OK (exit 0), or 'lucid-cert: ' and what is wrong, in the words lucid-client\n"
    "uses (exit 1).\n";

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        { "cacert", required_argument, NULL, 'r' },
        { "host", required_argument, NULL, 'H' },
        { "client", no_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *root = NULL, *host = NULL, *file;
    enum lc_x509_purpose purpose = LC_X509_SERVER;
    lc_chain chain = { 0 };
    lc_trust *trust = NULL;
    char why[512], *pem;
    size_t len;
    int c, rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            root = optarg;
            break;
        case 'H':
            host = optarg;
            break;
        case 'c':
            purpose = LC_X509_CLIENT;
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("verify", argv, c);
        }
    }
    if (root == NULL) {
        return cli_error(EXIT_USAGE, "verify: --cacert ROOT is required (the root to trust)");
    }
    if (argc - optind != 1) {
        return cli_error(EXIT_USAGE, "verify: give one CHAIN file (lucid-cert verify --cacert "
                                     "ROOT CHAIN)");
    }
    file = argv[optind];

    if ((pem = cli_read_file(file, &len)) == NULL) {
        return cli_error(EXIT_FILE, "cannot read %s: %s", file, strerror(errno));
    }
    rc = lc_chain_from_pem(pem, len, &chain);
    free(pem);
    if (rc != 0) {
        lc_chain_free(&chain);
        return cli_error(EXIT_FILE, "%s holds no PEM certificate (or more than %d)", file,
                         LC_CHAIN_MAX);
    }
    if ((trust = lc_trust_new()) == NULL) {
        lc_chain_free(&chain);
        return cli_error(EXIT_CRYPTO, "out of memory");
    }
    if (lc_trust_add_file(trust, root) != 0) {
        rc = cli_error(EXIT_FILE, "cannot read trusted certificates from %s", root);
    } else if ((rc = lc_x509_verify(trust, chain.cert, chain.count, purpose, host, why,
                                    sizeof(why))) == 0) {
        puts("OK");
    } else {
        /* the message lucid-client gives: the error's text, then what was wrong */
        lc_error e = { 0 };

        lc_fail(&e, rc, "%s", why);
        rc = cli_error(rc == LC_E_NO_MEMORY ? EXIT_CRYPTO : EXIT_REJECTED, "%s", e.msg);
    }
    lc_trust_free(trust);
    lc_chain_free(&chain);
    return rc;
}
