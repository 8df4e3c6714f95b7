/*
 * libFuzzer target: the configuration file parser (src/server/config_file.h). There is no
 * encoder to round-trip through, so the properties are those of the result:
 * - a failure writes one line, "FILE:LINE: ..." or "FILE: ...", and nothing else;
 * - a success is usable as config_file.h promises: at least one server, each with a listen
 *   and a location, every location with an absolute root and a prefix that starts with '/',
 *   a certificate and key for every server with a TLS listener, names in lower case;
 * - parsing is deterministic: the same text gives the same result (or the same error);
 * - and ASan/UBSan see every string of the result read to its end.
 * The input is used as it is, not NUL-terminated, so reading past its end is caught too.
 */
#include "fuzz.h"
#include "server/config_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PATH "/fuzz/t.conf"

/* Appends s to out (a running digest of the result): reads every byte of it. */
static size_t add(char *out, size_t cap, size_t n, const char *s)
{
    FUZZ_CHECK(s != NULL);
    size_t len = strlen(s);
    if (n + len + 1 < cap) {
        memcpy(out + n, s, len);
        n += len;
        out[n++] = '|';
    }
    return n;
}

static size_t add_opt(char *out, size_t cap, size_t n, const char *s)
{
    return add(out, cap, n, s != NULL ? s : "(null)");
}

static int lower_case(const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s >= 'A' && *s <= 'Z') {
            return 0;
        }
    }
    return 1;
}

/* Checks the result and writes its digest (every string, every number). */
static size_t check_config(const struct lc_srv_config *c, char *out, size_t cap)
{
    char num[64];
    size_t n = 0;

    FUZZ_CHECK(c->site_count >= 1 && c->sites != NULL);
    FUZZ_CHECK(c->error_log == stderr);
    snprintf(num, sizeof(num), "%u,%u,%u,%u,%u,%u,%u", c->workers, c->handshake_timeout_ms,
             c->header_timeout_ms, c->keepalive_timeout_ms, c->send_timeout_ms, c->max_conns,
             (unsigned)c->site_count);
    n = add(out, cap, n, num);
    n = add_opt(out, cap, n, c->access_log);
    n = add_opt(out, cap, n, c->error_log_path);
    for (size_t i = 0; i < c->site_count; i++) {
        const struct lc_srv_site *s = &c->sites[i];
        int tls = 0;
        FUZZ_CHECK(s->listen_count >= 1 && s->location_count >= 1);
        for (size_t k = 0; k < s->name_count; k++) {
            FUZZ_CHECK(s->names[k][0] != '\0' && lower_case(s->names[k]));
            n = add(out, cap, n, s->names[k]);
        }
        for (size_t k = 0; k < s->listen_count; k++) {
            /* "HOST:PORT", the port in decimal with no leading zero (0 itself allowed) */
            const char *colon = strrchr(s->listen[k].addr, ':');
            FUZZ_CHECK(colon != NULL && colon[1] >= '0' && colon[1] <= '9');
            FUZZ_CHECK(strspn(colon + 1, "0123456789") == strlen(colon + 1));
            FUZZ_CHECK(colon[1] != '0' || colon[2] == '\0');
            tls |= s->listen[k].tls;
            n = add(out, cap, n, s->listen[k].addr);
        }
        FUZZ_CHECK(!tls || s->cert_count >= 1);
        for (size_t k = 0; k < s->cert_count; k++) {
            FUZZ_CHECK(s->certs[k].chain[0] == '/' && s->certs[k].key[0] == '/');
            n = add(out, cap, n, s->certs[k].chain);
            n = add(out, cap, n, s->certs[k].key);
            n = add_opt(out, cap, n, s->certs[k].chain_extra);
        }
        const char *strs[] = { s->protocols, s->ciphers,         s->groups,
                               s->alpn,      s->ticket_key_file, s->client_ca };
        for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++) {
            n = add_opt(out, cap, n, strs[k]);
        }
        FUZZ_CHECK(s->tickets == 0 || s->tickets == 1);
        FUZZ_CHECK(s->verify_client >= 0 && s->verify_client <= 2);
        FUZZ_CHECK(s->verify_client == 0 || !tls || s->client_ca != NULL);
        snprintf(num, sizeof(num), "%d,%u,%d", s->tickets, s->early_data, s->verify_client);
        n = add(out, cap, n, num);
        for (size_t k = 0; k < s->location_count; k++) {
            const struct lc_srv_location *l = &s->locations[k];
            FUZZ_CHECK(l->prefix[0] == '/' && l->root[0] == '/');
            FUZZ_CHECK(l->index == NULL || strchr(l->index, '/') == NULL);
            n = add(out, cap, n, l->prefix);
            n = add(out, cap, n, l->root);
            n = add_opt(out, cap, n, l->index);
        }
    }
    return n;
}

/* The error line: "FUZZ_PATH:LINE: message" or "FUZZ_PATH: message", one printable line. */
static void check_error(const char *err)
{
    size_t plen = strlen(FUZZ_PATH);
    FUZZ_CHECK(strncmp(err, FUZZ_PATH, plen) == 0 && err[plen] == ':');
    const char *rest = err + plen + 1;
    if (*rest >= '0' && *rest <= '9') {
        rest += strspn(rest, "0123456789");
        FUZZ_CHECK(*rest == ':');
        rest++;
    }
    FUZZ_CHECK(rest[0] == ' ' && rest[1] != '\0');
    for (const char *c = err; *c != '\0'; c++) {
        FUZZ_CHECK((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char err[2][1024], digest[2][65536];
    size_t dlen[2] = { 0, 0 };
    int ok[2];

    for (int round = 0; round < 2; round++) {
        /* an exact-size copy: a read past the input is a heap overflow ASan reports */
        char *text = malloc(size > 0 ? size : 1);
        FUZZ_CHECK(text != NULL);
        if (size > 0) {
            memcpy(text, data, size);
        }
        err[round][0] = '\0';
        struct lc_srv_conf *conf =
            lc_srv_conf_parse(FUZZ_PATH, text, size, err[round], sizeof(err[round]));
        free(text);
        ok[round] = conf != NULL;
        if (conf != NULL) {
            FUZZ_CHECK(err[round][0] == '\0');
            dlen[round] = check_config(lc_srv_conf_get(conf), digest[round], sizeof(digest[0]));
            lc_srv_conf_free(conf);
        } else {
            check_error(err[round]);
        }
    }
    FUZZ_CHECK(ok[0] == ok[1]);
    fuzz_same("error", (const uint8_t *)err[0], strlen(err[0]), (const uint8_t *)err[1],
              strlen(err[1]));
    fuzz_same("result", (const uint8_t *)digest[0], dlen[0], (const uint8_t *)digest[1], dlen[1]);
    return 0;
}
