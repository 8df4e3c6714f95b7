/*
 * The server's two logs. The access log has one line per response, with the time, the client,
 * the protocol ("TLSv1.3/TLS_AES_128_GCM_SHA256" or "plain"), the site (its first server_name,
 * "-" when it has none), the request line, the status, the body bytes sent, the seconds taken
 * and the client certificate's subject ("-" when none):
 *
 *   2025-05-06T12:00:00+0000 127.0.0.1:50000 TLSv1.3/TLS_AES_128_GCM_SHA256 localhost
 *   "GET / HTTP/1.1" 200 1234 0.001 -       (on one line)
 *
 * The error log has one line per failed connection, with the client and the reason. Whatever
 * the client sent is escaped before it reaches a log, so a request line cannot forge log lines
 * or terminal escapes; so are names from the configuration, which may be anything.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server/internal.h"

void lc_srv_copy_line(char *out, size_t cap, const char *line, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)line[i];
        int plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        if (n + (plain ? 1 : 4) + 4 >= cap) {
            memcpy(out + n, "...", 3);
            n += 3;
            break;
        }
        if (plain) {
            out[n++] = (char)c;
        } else {
            out[n++] = '\\';
            out[n++] = 'x';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        }
    }
    out[n] = '\0';
}

/* "TLSv1.3/TLS_AES_128_GCM_SHA256", or "plain". */
static void protocol(const struct lc_srv_conn *c, char *out, size_t cap)
{
    if (c->tls == NULL) {
        snprintf(out, cap, "plain");
        return;
    }
    uint16_t v = lucid_conn_version(c->tls);
    const char *suite = lucid_suite_name(lucid_conn_cipher_suite(c->tls));
    if (v >= 0x0301 && v <= 0x0304) {
        snprintf(out, cap, "TLSv1.%u/%s", (unsigned)(v - 0x0301), suite);
    } else {
        snprintf(out, cap, "TLS(0x%04x)/%s", v, suite);
    }
}

/* The site serving c: its first name, escaped, or "-". */
static void site(const struct lc_srv_conn *c, char *out, size_t cap)
{
    const struct lc_srv_vhost *vh = c->vhost;

    if (vh == NULL || vh->name_count == 0 || vh->names[0][0] == '\0') {
        snprintf(out, cap, "-");
        return;
    }
    lc_srv_copy_line(out, cap, vh->names[0], strlen(vh->names[0]));
}

/* The client certificate's subject ("CN=alice,O=Example"), escaped, or "-" when none. */
static void client_subject(const struct lc_srv_conn *c, char *out, size_t cap)
{
    const char *subject = c->tls != NULL ? lucid_conn_peer_subject(c->tls) : NULL;

    if (subject == NULL || subject[0] == '\0') {
        snprintf(out, cap, "-");
        return;
    }
    lc_srv_copy_line(out, cap, subject, strlen(subject));
}

void lc_srv_log_access(struct lc_srv_conn *c)
{
    FILE *f = c->srv->access_log;
    struct timespec now;
    char when[40], proto[96], name[256], subject[LC_SRV_LOG_LINE];
    struct tm tm;

    if (f == NULL) {
        return;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    localtime_r(&c->started.tv_sec, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &tm);
    double secs = (double)(now.tv_sec - c->started.tv_sec) +
                  (double)(now.tv_nsec - c->started.tv_nsec) / 1e9;
    unsigned long long body = c->sent > c->head_len ? c->sent - c->head_len : 0;
    protocol(c, proto, sizeof(proto));
    site(c, name, sizeof(name));
    client_subject(c, subject, sizeof(subject));
    fprintf(f, "%s %s %s %s \"%s\" %d %llu %.3f %s\n", when, c->peer, proto, name,
            c->line != NULL && c->line[0] != '\0' ? c->line : "-", c->status, body, secs < 0 ? 0.0 : secs,
            subject);
    /* One line at a time reaches the file: tests and tail -f see each request at once. */
    fflush(f);
}

void lc_srv_log_error(struct lc_srv_conn *c, const char *what, const char *detail)
{
    FILE *f = c->srv->error_log;
    char safe[LC_SRV_LOG_LINE];

    if (f == NULL) {
        return;
    }
    if (detail != NULL && detail[0] != '\0') {
        /* Lucid's messages may quote what the client sent (a server name, say). */
        lc_srv_copy_line(safe, sizeof(safe), detail, strlen(detail));
        fprintf(f, "lucid-server: %s: %s: %s\n", c->peer, what, safe);
    } else {
        fprintf(f, "lucid-server: %s: %s\n", c->peer, what);
    }
    fflush(f);
}
