/*
 * lucid-cert's commands and the few helpers they share: messages, exit
 * codes, files with the right modes, dates, key kinds.
 *
 * lucid-cert is a PKI tool, not a TLS program: besides arguments and files it
 * calls the library's certificate maker (crypto/certmake.h) and path
 * validation (crypto/x509.h) directly. Like every tool it never includes
 * OpenSSL headers.
 */
#ifndef LUCID_CERT_CLI_H
#define LUCID_CERT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/common.h"
#include "crypto/crypto.h"

/* Exit codes; lucid-cert --help lists them. */
enum {
    EXIT_OK = 0,
    EXIT_REJECTED = 1, /* verify: the chain does not verify */
    EXIT_USAGE = 2,    /* an unknown command or option, a missing or bad argument */
    EXIT_FILE = 3,     /* a file could not be read or written; no PKI, or init found one */
    EXIT_CRYPTO = 4,   /* libcrypto could not make a key or a certificate */
};

#define DAY_SECONDS (24 * 60 * 60)

/* The commands: argv[0] is the command's name; each returns an exit code. */
int cmd_init(int argc, char **argv);
int cmd_issue(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* Prints "lucid-cert: <message>" to stderr and returns code. */
int cli_error(int code, const char *fmt, ...) LC_PRINTF(2, 3);

/*
 * For getopt_long's '?' and ':' (with opterr = 0 and a ':' in front of the
 * short options): names the bad option, points to --help, returns EXIT_USAGE.
 */
int cli_bad_option(const char *cmd, char **argv, int c);

/* The PKI directory: dir if given, else $LUCID_PKI, else ./lucid-pki. */
const char *cli_pki_dir(const char *dir);

/* "DIR/NAME" into out. false (with a message printed) if it does not fit. */
bool cli_path(char *out, size_t cap, const char *dir, const char *name);

/*
 * A whole file, NUL-terminated (so text functions can scan it), in malloc'd
 * memory; *len excludes the NUL. NULL with errno set on failure; a file over
 * 16 MiB is EFBIG.
 */
char *cli_read_file(const char *path, size_t *len);

/*
 * Writes a file with exactly mode (whatever the umask). replace false: the
 * file must not exist yet (O_EXCL). replace true: written beside it and
 * renamed over it, so an old file keeps neither its content nor its mode.
 * 0, or -1 with errno set.
 */
int cli_write_file(const char *path, const void *data, size_t len, mode_t mode, bool replace);

/* YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ to seconds since 1970. */
bool cli_parse_date(const char *text, int64_t *out);
/* "2027-04-06 12:00:00 UTC" */
void cli_format_date(int64_t t, char *out, size_t cap);

/* The key kinds of --key. */
struct cli_key_kind {
    const char *name;       /* "ecdsa-p256" */
    enum lc_key_type type;
    unsigned bits;          /* RSA modulus; 0 for the others */
};

/* The kind named by --key, NULL if none is. */
const struct cli_key_kind *cli_key_kind(const char *name);
/* "ecdsa-p256, ecdsa-p384, ..." for messages. */
const char *cli_key_kind_list(void);
/* A key type in words: "ECDSA P-256", "RSA 2048". */
void cli_key_words(enum lc_key_type type, unsigned bits, char *out, size_t cap);

#endif
