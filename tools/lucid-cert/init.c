/*
 * lucid-cert init: a root CA and an intermediate CA under it, with ECDSA
 * P-256 keys, written to the PKI directory. An existing PKI is never
 * overwritten: its root may already be trusted somewhere.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "crypto/certmake.h"

static const char usage[] =
    "usage: lucid-cert init [--dir DIR]\n"
    "\n"
    "Makes a local PKI in DIR (default: $LUCID_PKI, else ./lucid-pki):\n"
    "  root_cert.pem          a self-signed root CA, valid for 10 years: the file to trust\n"
    "  root_key.pem           its key (mode 0600)\n"
    "  intermediate_cert.pem  an intermediate CA signed by the root; it signs what\n"
    "                         'lucid-cert issue' makes\n"
    "  intermediate_key.pem   its key (mode 0600)\n"
    "Keys are ECDSA P-256. The root says 'Lucid Local Root CA (user@host)'. init\n"
    "refuses to overwrite an existing PKI: remove its files first to start over.\n";

/* A PKI's files, in the order they are written. */
static const struct {
    const char *name;
    mode_t mode;
    const char *what;
} files[] = {
    { "root_key.pem", 0600, "the root CA's key (mode 0600): keep it secret" },
    { "root_cert.pem", 0644, "the root CA: trust it where your certificates should be accepted" },
    { "intermediate_key.pem", 0600, "the intermediate CA's key (mode 0600)" },
    { "intermediate_cert.pem", 0644, "the intermediate CA, which signs what 'issue' makes" },
};
#define NFILES LC_ARRAY_LEN(files)

/* "user@host" for the CA names, cut to fit: "Lucid Local Intermediate CA (...)" stays <= 64. */
static void user_at_host(char *out, size_t cap)
{
    const struct passwd *pw = getpwuid(getuid());
    const char *user = pw != NULL ? pw->pw_name : getenv("USER");
    char host[256] = "localhost";

    if (gethostname(host, sizeof(host)) != 0) {
        snprintf(host, sizeof(host), "localhost");
    }
    host[sizeof(host) - 1] = '\0';
    snprintf(out, cap, "%s@%s", user != NULL ? user : "user", host);
}

/* The two CAs' keys and certificates as PEM, in the order of files[]. */
static int make_cas(lc_buf pem[NFILES], char *why, size_t whycap)
{
    lc_crypto *cr = lc_crypto_new();
    lc_pkey *root_key = NULL, *int_key = NULL;
    lc_cert *root = NULL, *inter = NULL;
    char who[35], root_cn[64 + 1], int_cn[64 + 1];
    int64_t now = (int64_t)time(NULL);
    struct lc_cert_request req = {
        .role = LC_CERT_ROOT,
        .organization = "Lucid Local PKI",
        .common_name = root_cn,
        /* an hour back, for clocks running a little behind this one; then ten years */
        .not_before = now - 3600,
        .not_after = now + 3652 * (int64_t)DAY_SECONDS,
    };
    int rc = LC_E_NO_MEMORY;

    user_at_host(who, sizeof(who));
    snprintf(root_cn, sizeof(root_cn), "Lucid Local Root CA (%s)", who);
    snprintf(int_cn, sizeof(int_cn), "Lucid Local Intermediate CA (%s)", who);
    snprintf(why, whycap, "%s", lc_err_text(rc));
    if (cr == NULL) {
        goto out;
    }
    if ((rc = lc_pkey_generate(cr, LC_KEY_EC_P256, 0, &root_key)) != 0 ||
        (rc = lc_cert_make(cr, &req, root_key, NULL, NULL, &root, why, whycap)) != 0) {
        goto out;
    }
    req.role = LC_CERT_INTERMEDIATE;
    req.common_name = int_cn;
    if ((rc = lc_pkey_generate(cr, LC_KEY_EC_P256, 0, &int_key)) != 0 ||
        (rc = lc_cert_make(cr, &req, int_key, root, root_key, &inter, why, whycap)) != 0) {
        goto out;
    }
    if ((rc = lc_pkey_pem(root_key, &pem[0])) != 0 || (rc = lc_cert_pem(root, &pem[1])) != 0 ||
        (rc = lc_pkey_pem(int_key, &pem[2])) != 0 || (rc = lc_cert_pem(inter, &pem[3])) != 0) {
        snprintf(why, whycap, "%s", lc_err_text(rc));
    }
out:
    lc_cert_free(inter);
    lc_cert_free(root);
    lc_pkey_free(int_key);
    lc_pkey_free(root_key);
    lc_crypto_free(cr);
    return rc;
}

/* The directory exists (made if need be) and holds none of a PKI's files. */
static int check_fresh(const char *dir)
{
    struct stat st;
    char path[4096];

    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        return cli_error(EXIT_FILE, "cannot make the directory %s: %s", dir, strerror(errno));
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return cli_error(EXIT_FILE, "%s is not a directory", dir);
    }
    for (size_t i = 0; i < NFILES; i++) {
        if (!cli_path(path, sizeof(path), dir, files[i].name)) {
            return EXIT_USAGE;
        }
        if (lstat(path, &st) == 0) {
            return cli_error(EXIT_FILE,
                             "%s already holds a PKI (%s exists); init never overwrites one: "
                             "remove its files to start over, or use --dir",
                             dir, path);
        }
    }
    return EXIT_OK;
}

/* Writes every file, or none: on a failure the ones written are removed again. */
static int write_pki(const char *dir, const lc_buf pem[NFILES])
{
    char path[4096];

    for (size_t i = 0; i < NFILES; i++) {
        int rc;

        if (!cli_path(path, sizeof(path), dir, files[i].name)) {
            return EXIT_USAGE;
        }
        if (cli_write_file(path, lc_buf_data(&pem[i]), pem[i].len, files[i].mode, false) == 0) {
            continue;
        }
        rc = cli_error(EXIT_FILE, "cannot write %s: %s", path, strerror(errno));
        for (size_t j = 0; j < i; j++) {
            if (cli_path(path, sizeof(path), dir, files[j].name)) {
                unlink(path);
            }
        }
        return rc;
    }
    return EXIT_OK;
}

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL;
    lc_buf pem[NFILES] = { { 0 } };
    char why[256];
    int c, rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("init", argv, c);
        }
    }
    if (optind < argc) {
        return cli_error(EXIT_USAGE, "init: unexpected argument '%s' (names go to lucid-cert "
                                     "issue)",
                         argv[optind]);
    }
    dir = cli_pki_dir(dir);
    if ((rc = check_fresh(dir)) != EXIT_OK) {
        return rc;
    }
    if (make_cas(pem, why, sizeof(why)) != 0) {
        rc = cli_error(EXIT_CRYPTO, "cannot make the CAs: %s", why);
    } else if ((rc = write_pki(dir, pem)) == EXIT_OK) {
        /* the next command needs --dir only if the directory is not the default one */
        bool custom = strcmp(dir, cli_pki_dir(NULL)) != 0;

        printf("made a local PKI in %s:\n", dir);
        for (size_t i = 0; i < NFILES; i++) {
            printf("  %s/%-22s %s\n", dir, files[i].name, files[i].what);
        }
        printf("next: lucid-cert issue%s%s localhost 127.0.0.1 ::1\n"
               "to trust the root system-wide on Debian:\n"
               "  sudo cp %s/root_cert.pem /usr/local/share/ca-certificates/lucid-root.crt\n"
               "  sudo update-ca-certificates\n",
               custom ? " --dir " : "", custom ? dir : "", dir);
    }
    for (size_t i = 0; i < NFILES; i++) {
        lc_buf_free(&pem[i]);
    }
    return rc;
}
