/*
 * A tiny blocking HTTPS responder over include/lucid/io.h, for the resumption and 0-RTT
 * interop tests (lucid-server is being rebuilt; its own tests come with it). One
 * connection at a time on 127.0.0.1:
 *
 *   resume_server --cert CHAIN --key KEY [--port N] [--ticket-key FILE]... [--early-data N]
 *                 [--tickets N] [--psk-modes LIST] [--alpn LIST] [--count N]
 *
 * It prints "listening PORT" once it listens, then for each connection what the tests check:
 *
 *   conn 1 resumed=1 early=accepted version=0x0304 suite=TLS_AES_128_GCM_SHA256 group=x25519
 *   data 1 early=1 bytes=18 text="GET / HTTP/1.1\r\n\r\n"
 *   stats handshakes=2 resumed=1 tickets=4 early_accepted=1 early_rejected=0
 *
 * It reads a request up to its blank line (or, if none comes, to close_notify) and answers
 * "HTTP/1.1 200 OK" with a one-line body saying the same things, or, for a request with a
 * method other than GET or HEAD that arrived in 0-RTT data, "425 Too Early" (RFC 8470 5.2):
 * 0-RTT data may be a replay, so it is acted on only when repeating it is harmless.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <lucid/io.h>
#include <lucid/lucid.h>

#define REQUEST_MAX 65536

static const char *early_name(int st)
{
    static const char *const names[] = { "none", "pending", "accepted", "rejected" };

    return st >= 0 && st < 4 ? names[st] : "?";
}

static void die(const char *what, const lucid_error *err)
{
    fprintf(stderr, "resume_server: %s%s%s\n", what, err != NULL ? ": " : "",
            err != NULL ? err->message : "");
    exit(2);
}

/* The bytes as one printable line: C escapes for the rest. */
static void print_text(const uint8_t *p, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\r') {
            fputs("\\r", stdout);
        } else if (p[i] == '\n') {
            fputs("\\n", stdout);
        } else if (p[i] == '"' || p[i] == '\\') {
            printf("\\%c", p[i]);
        } else if (p[i] >= 0x20 && p[i] < 0x7f) {
            putchar(p[i]);
        } else {
            printf("\\x%02x", p[i]);
        }
    }
    putchar('"');
}

/* Reads the request; *early says whether any of it came as 0-RTT data. */
static size_t read_request(lucid_conn *c, int fd, unsigned id, uint8_t *req, bool *early)
{
    size_t have = 0;

    *early = false;
    while (have < REQUEST_MAX) {
        long n = lucid_io_read(c, fd, req + have, REQUEST_MAX - have);
        int in_early;

        if (n <= 0) {
            break;
        }
        in_early = lucid_conn_in_early_data(c);
        *early = *early || in_early;
        printf("data %u early=%d bytes=%ld text=", id, in_early, n);
        print_text(req + have, (size_t)n);
        putchar('\n');
        have += (size_t)n;
        if (have >= 4 && memmem(req, have, "\r\n\r\n", 4) != NULL) {
            break;
        }
    }
    return have;
}

static void serve(lucid_ctx *ctx, int fd, unsigned id)
{
    lucid_conn *c = lucid_conn_new(ctx, NULL);
    uint8_t *req = malloc(REQUEST_MAX);
    char body[512], head[256];
    bool early = false;
    size_t n, line;
    int blen, hlen;

    if (c == NULL || req == NULL) {
        die("out of memory", NULL);
    }
    if (lucid_io_handshake(c, fd) != 0) {
        printf("conn %u failed: %s\n", id, lucid_io_error_text(c, errno));
        goto out;
    }
    printf("conn %u resumed=%d early=%s version=0x%04x suite=%s group=%s alpn=%s\n", id,
           lucid_conn_resumed(c), early_name(lucid_conn_early_data(c)), lucid_conn_version(c),
           lucid_suite_name(lucid_conn_cipher_suite(c)), lucid_group_name(lucid_conn_group(c)),
           lucid_conn_alpn(c) != NULL ? lucid_conn_alpn(c) : "none");
    n = read_request(c, fd, id, req, &early);
    line = strcspn((const char *)req, "\r\n");
    line = line < n ? line : n;
    bool safe = n >= 4 && (memcmp(req, "GET ", 4) == 0 || (n >= 5 && !memcmp(req, "HEAD ", 5)));
    bool too_early = early && !safe;
    blen = snprintf(body, sizeof(body), "resumed=%d early=%s request-early=%d request=%.*s\n",
                    lucid_conn_resumed(c), early_name(lucid_conn_early_data(c)), early,
                    (int)(line < 200 ? line : 200), (const char *)req);
    hlen = snprintf(head, sizeof(head),
                    "HTTP/1.1 %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
                    too_early ? "425 Too Early" : "200 OK", blen);
    if (lucid_io_write_all(c, fd, head, (size_t)hlen) != 0 ||
        lucid_io_write_all(c, fd, body, (size_t)blen) != 0) {
        printf("conn %u write failed: %s\n", id, lucid_io_error_text(c, errno));
    }
    (void)lucid_io_close(c, fd);
out:
    fflush(stdout);
    free(req);
    lucid_conn_free(c);
}

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        { "cert", required_argument, NULL, 'c' },   { "key", required_argument, NULL, 'k' },
        { "port", required_argument, NULL, 'p' },   { "ticket-key", required_argument, NULL, 't' },
        { "early-data", required_argument, NULL, 'e' }, { "tickets", required_argument, NULL, 'n' },
        { "psk-modes", required_argument, NULL, 'm' }, { "alpn", required_argument, NULL, 'a' },
        { "count", required_argument, NULL, 'N' },  { NULL, 0, NULL, 0 },
    };
    const char *cert = NULL, *key = NULL;
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_SERVER, &err);
    unsigned port = 0, count = 0;
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t salen = sizeof(sa);
    lucid_stats st;
    int opt, lfd, one = 1;

    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (ctx == NULL) {
        die("cannot make a context", &err);
    }
    while ((opt = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (opt) {
        case 'c': cert = optarg; break;
        case 'k': key = optarg; break;
        case 'p': port = (unsigned)atoi(optarg); break;
        case 'N': count = (unsigned)atoi(optarg); break;
        case 'n': lucid_ctx_set_tickets(ctx, (unsigned)atoi(optarg)); break;
        case 't':
            if (lucid_ctx_set_ticket_key_file(ctx, optarg, &err) != 0) {
                die("--ticket-key", &err);
            }
            break;
        case 'e':
            if (lucid_ctx_set_early_data(ctx, (uint32_t)strtoul(optarg, NULL, 10), &err) != 0) {
                die("--early-data", &err);
            }
            break;
        case 'm':
            if (lucid_ctx_set_psk_modes(ctx, optarg, &err) != 0) {
                die("--psk-modes", &err);
            }
            break;
        case 'a':
            if (lucid_ctx_set_alpn(ctx, optarg, &err) != 0) {
                die("--alpn", &err);
            }
            break;
        default:
            die("usage: resume_server --cert CHAIN --key KEY [options]", NULL);
        }
    }
    if (cert == NULL || key == NULL || lucid_ctx_add_cert(ctx, cert, key, &err) != 0) {
        die("--cert and --key", cert != NULL && key != NULL ? &err : NULL);
    }
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
        setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(lfd, 16) != 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &salen) != 0) {
        perror("resume_server: listen");
        return 2;
    }
    printf("listening %u\n", ntohs(sa.sin_port));
    for (unsigned id = 1; count == 0 || id <= count; id++) {
        int fd = accept(lfd, NULL, NULL);

        if (fd < 0) {
            if (errno == EINTR) {
                id--;
                continue;
            }
            perror("resume_server: accept");
            break;
        }
        serve(ctx, fd, id);
        close(fd);
        lucid_ctx_get_stats(ctx, &st);
        printf("stats handshakes=%llu resumed=%llu tickets=%llu early_accepted=%llu "
               "early_rejected=%llu\n",
               (unsigned long long)st.handshakes, (unsigned long long)st.resumed,
               (unsigned long long)st.tickets_issued, (unsigned long long)st.early_accepted,
               (unsigned long long)st.early_rejected);
    }
    close(lfd);
    lucid_ctx_free(ctx);
    return 0;
}
