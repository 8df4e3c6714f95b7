/*
 * lucid-client --session FILE and --early-data FILE|STRING: resuming TLS sessions across
 * runs and sending the request as 0-RTT data (RFC 8446 2.2, 2.3, 4.2.10).
 *
 * The session file keeps the newest ticket of each server, one line per server:
 *
 *     # lucid-client sessions (secret: whoever has a line can resume that session)
 *     localhost:8443 4c435331...
 *
 * the server's host and port as the URL names them, then the library's session blob in hex
 * (lucid_conn_get_session). Lines are read with a bounded parser; ones that do not parse
 * are dropped. The file is rewritten whole, under a temporary name with mode 0600 that is
 * renamed over the old one, so a reader never sees half a file.
 *
 * With --early-data the given bytes are the request: sent as 0-RTT data in the first flight
 * when the session allows it, and otherwise, or when the server rejects them, sent again
 * once the handshake is done (the library never resends 0-RTT data itself, 4.2.10).
 */
#include "client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A session blob is a few hundred bytes; tickets are at most 4 KiB. */
#define BLOB_MAX 8192
#define LINE_MAX_LEN (CLI_HOST_MAX + 16 + 2 * BLOB_MAX + 2)
#define SERVERS_MAX 256
#define EARLY_FILE_MAX (1 << 20)

struct entry {
    char key[CLI_HOST_MAX + 16]; /* host:port */
    char *hex;                   /* malloc'd */
};

/* "host:port" of the URL: the server a session belongs to. */
static void server_key(const struct cli_url *u, char *key, size_t cap)
{
    snprintf(key, cap, "%s%s%s:%s", u->ipv6 ? "[" : "", u->host, u->ipv6 ? "]" : "", u->port);
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Reads the file's entries (none if it does not exist); returns how many. */
static size_t read_entries(const char *file, struct entry *e, size_t cap)
{
    FILE *f = fopen(file, "r");
    char *line = malloc(LINE_MAX_LEN);
    size_t n = 0;

    if (f == NULL || line == NULL) {
        if (f != NULL) {
            fclose(f);
        }
        free(line);
        return 0;
    }
    while (n < cap && fgets(line, LINE_MAX_LEN, f) != NULL) {
        char *sp = strchr(line, ' ');
        size_t hexlen;

        if (line[0] == '#' || sp == NULL || (size_t)(sp - line) >= sizeof(e[n].key)) {
            continue;
        }
        hexlen = strspn(sp + 1, "0123456789abcdef");
        if (hexlen == 0 || hexlen % 2 != 0 || (sp[1 + hexlen] != '\n' && sp[1 + hexlen] != '\0')) {
            continue;
        }
        memcpy(e[n].key, line, (size_t)(sp - line));
        e[n].key[sp - line] = '\0';
        if ((e[n].hex = strndup(sp + 1, hexlen)) != NULL) {
            n++;
        }
    }
    fclose(f);
    free(line);
    return n;
}

static void free_entries(struct entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].hex);
    }
}

/* The saved session for the URL's server, decoded from hex; NULL when there is none. */
static uint8_t *load(const char *file, const struct cli_url *u, size_t *len)
{
    struct entry *e = calloc(SERVERS_MAX, sizeof(*e));
    char key[CLI_HOST_MAX + 16];
    uint8_t *blob = NULL;
    size_t n;

    if (e == NULL) {
        return NULL;
    }
    n = read_entries(file, e, SERVERS_MAX);
    server_key(u, key, sizeof(key));
    for (size_t i = 0; i < n && blob == NULL; i++) {
        size_t hexlen = strlen(e[i].hex);

        if (strcmp(e[i].key, key) != 0 || hexlen / 2 > BLOB_MAX ||
            (blob = malloc(hexlen / 2)) == NULL) {
            continue;
        }
        for (size_t j = 0; j < hexlen / 2; j++) {
            blob[j] = (uint8_t)(hexval(e[i].hex[2 * j]) << 4 | hexval(e[i].hex[2 * j + 1]));
        }
        *len = hexlen / 2;
    }
    free_entries(e, n);
    free(e);
    return blob;
}

/* --early-data: a file's contents, or the string with its escapes. */
static int early_bytes(const char *arg, struct cli_early *early)
{
    FILE *f = fopen(arg, "rb");
    size_t n = 0;

    if (f != NULL) {
        early->data = malloc(EARLY_FILE_MAX);
        if (early->data != NULL) {
            n = fread(early->data, 1, EARLY_FILE_MAX, f);
        }
        fclose(f);
        if (early->data == NULL || n == 0 || n == EARLY_FILE_MAX) {
            return cli_fail(CLI_USAGE, "--early-data %s: the file is empty, unreadable, or "
                            "1 MiB or more", arg);
        }
        early->len = n;
        return CLI_OK;
    }
    if ((early->data = malloc(strlen(arg) + 1)) == NULL) {
        return cli_fail(CLI_USAGE, "out of memory");
    }
    for (const char *p = arg; *p != '\0'; p++) {
        char c = *p;
        if (c == '\\' && p[1] != '\0') {
            static const char from[] = "rnt\\", to[] = "\r\n\t\\";
            const char *k = strchr(from, p[1]);
            if (k != NULL) {
                c = to[k - from];
                p++;
            }
        }
        early->data[n++] = (uint8_t)c;
    }
    if (n == 0) {
        return cli_fail(CLI_USAGE, "--early-data: nothing to send");
    }
    early->len = n;
    return CLI_OK;
}

int cli_session_begin(lucid_conn *c, const char *file, const char *early_arg,
                      const struct cli_url *u, bool verbose, struct cli_early *early)
{
    lucid_error err = { 0 };
    uint8_t *blob;
    size_t len = 0;
    int rc;

    early->sent = -1;
    if (file != NULL && (blob = load(file, u, &len)) != NULL) {
        if (lucid_conn_set_session(c, blob, len, &err) != 0) {
            fprintf(stderr, "lucid-client: the session in %s is not used: %s\n", file,
                    err.message);
        } else if (verbose) {
            fprintf(stderr, "* session: offering the ticket saved in %s\n", file);
        }
        memset(blob, 0, len);
        free(blob);
    }
    if (early_arg == NULL) {
        return CLI_OK;
    }
    if ((rc = early_bytes(early_arg, early)) != CLI_OK) {
        return rc;
    }
    early->sent = lucid_conn_write_early(c, early->data, early->len);
    if (verbose) {
        if (early->sent < 0) {
            fprintf(stderr, "* early data: not possible here (no session that allows it); "
                            "sent after the handshake\n");
        } else {
            fprintf(stderr, "* early data: %ld of %zu bytes sent in the first flight\n",
                    early->sent, early->len);
        }
    }
    return CLI_OK;
}

size_t cli_session_after_handshake(const lucid_conn *c, const struct cli_early *early,
                                   bool verbose)
{
    int st = lucid_conn_early_data(c);

    if (verbose) {
        fprintf(stderr, "* resumed: %s\n", lucid_conn_resumed(c) ? "yes (session ticket)" : "no");
    }
    if (early->data == NULL || early->sent < 0) {
        return 0;
    }
    if (st == LUCID_EARLY_ACCEPTED) {
        if (verbose) {
            fprintf(stderr, "* early data: accepted by the server (%ld bytes)\n", early->sent);
        }
        return (size_t)early->sent;
    }
    /* RFC 8446 4.2.10: rejected 0-RTT data is lost; the request goes again, now in 1-RTT */
    if (verbose) {
        fprintf(stderr, "* early data: rejected by the server; sent again after the "
                        "handshake\n");
    }
    return 0;
}

void cli_session_save(const lucid_conn *c, const char *file, const struct cli_url *u,
                      bool verbose)
{
    struct entry *e = NULL;
    char key[CLI_HOST_MAX + 16], *tmp = NULL;
    size_t len = lucid_conn_get_session(c, NULL, 0), n = 0;
    uint8_t *blob = NULL;
    FILE *f = NULL;
    int fd;

    if (file == NULL || len == 0 || len > BLOB_MAX) {
        return;
    }
    if ((blob = malloc(len)) == NULL || (e = calloc(SERVERS_MAX, sizeof(*e))) == NULL ||
        asprintf(&tmp, "%s.lucid-XXXXXX", file) < 0) {
        goto out;
    }
    lucid_conn_get_session(c, blob, len);
    n = read_entries(file, e, SERVERS_MAX);
    server_key(u, key, sizeof(key));
    /* mkstemp makes the file 0600: the sessions are secrets */
    if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "w")) == NULL) {
        fprintf(stderr, "lucid-client: cannot save the session in %s: %s\n", file,
                strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        goto out;
    }
    fprintf(f, "# lucid-client sessions (secret: whoever has a line can resume that "
               "session)\n%s ", key);
    for (size_t i = 0; i < len; i++) {
        fprintf(f, "%02x", blob[i]);
    }
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e[i].key, key) != 0) {
            fprintf(f, "%s %s\n", e[i].key, e[i].hex);
        }
    }
    if (fclose(f) != 0 || rename(tmp, file) != 0) {
        fprintf(stderr, "lucid-client: cannot save the session in %s: %s\n", file,
                strerror(errno));
        unlink(tmp);
    } else if (verbose) {
        fprintf(stderr, "* session: the newest ticket is saved in %s\n", file);
    }
out:
    if (blob != NULL) {
        memset(blob, 0, len);
    }
    free(blob);
    free(tmp);
    free_entries(e, n);
    free(e);
}
