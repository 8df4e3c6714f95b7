/*
 * lucid-cert: a local PKI in the style of mkcert. It makes a root CA and an
 * intermediate CA once (init), then server and client certificates for the
 * names given (issue), prints what certificates say (show) and checks a chain
 * as lucid-client would (verify).
 *
 * This file picks the command; tools/lucid-cert/ holds one file per command
 * and the helpers they share (cli.h). Exit codes are listed in the help below.
 */
#include <stdio.h>
#include <string.h>

#include "lucid-cert/cli.h"

static const char usage[] =
    "usage: lucid-cert COMMAND [ARGS...]\n"
    "\n"
    "A local PKI in the style of mkcert: a root CA, an intermediate CA under it,\n"
    "and server or client certificates for the names you give (ECDSA P-256 by\n"
    "default; P-384, Ed25519 and RSA on request).\n"
    "\n"
    "commands:\n"
    "  init      make the root and intermediate CAs (once per PKI directory)\n"
    "  issue     issue a certificate for DNS names and IP addresses\n"
    "  show      print what the certificates in a file say\n"
    "  verify    check a chain against a root, with lucid-client's checks and messages\n"
    "\n"
    "  lucid-cert COMMAND --help   (or lucid-cert help COMMAND) tells more about each.\n"
    "\n"
    "The PKI directory is --dir DIR, else $LUCID_PKI, else ./lucid-pki.\n"
    "\n"
    "exit codes:\n"
    "  0  success (verify: the chain is valid)\n"
    "  1  verify: the chain was rejected; the message says why\n"
    "  2  usage: an unknown command or option, a missing or bad argument\n"
    "  3  a file could not be read or written, there is no PKI (run init), or init\n"
    "     found one already there\n"
    "  4  libcrypto could not make a key or a certificate\n"
    "\n"
    "example:\n"
    "  lucid-cert init\n"
    "  lucid-cert issue localhost 127.0.0.1 ::1\n"
    "  lucid-server --listen 8443 --cert localhost_chain.pem --key localhost_key.pem --root .\n"
    "  curl --cacert lucid-pki/root_cert.pem https://localhost:8443/\n";

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    { "init", cmd_init },
    { "issue", cmd_issue },
    { "show", cmd_show },
    { "verify", cmd_verify },
};

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : NULL;

    if (name == NULL) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        (strcmp(name, "help") == 0 && argc == 2)) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    /* "help COMMAND" is "COMMAND --help" */
    if (strcmp(name, "help") == 0) {
        char *args[] = { argv[2], "--help", NULL };

        for (size_t i = 0; i < LC_ARRAY_LEN(commands); i++) {
            if (strcmp(argv[2], commands[i].name) == 0) {
                return commands[i].run(2, args);
            }
        }
        name = argv[2];
    } else {
        for (size_t i = 0; i < LC_ARRAY_LEN(commands); i++) {
            if (strcmp(name, commands[i].name) == 0) {
                return commands[i].run(argc - 1, argv + 1);
            }
        }
    }
    return cli_error(EXIT_USAGE, "unknown command '%s' (commands: init, issue, show, verify; "
                                 "see lucid-cert --help)",
                     name);
}
