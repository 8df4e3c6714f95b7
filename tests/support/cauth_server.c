/*
 * cauth_server: a tiny blocking HTTPS server for the client certificate interop
 * tests (tests/interop/client_auth/), over the public API and include/lucid/io.h
 * only, one connection at a time. It answers any request with the client's
 * certificate subject, and prints one line per connection on stdout, which the
 * tests read:
 *
 *   listening on PORT
 *   ok subject=CN=alice,O=Example scheme=ecdsa_secp256r1_sha256
 *   ok subject=(none) scheme=(none)
 *   failed LC_E_CERT_REQUIRED alert=certificate_required: certificate required: ...
 *
 * usage: cauth_server --cert CHAIN --key KEY [--cert CHAIN --key KEY]...
 *                     [--client-ca FILE] [--verify on|optional|off] [--port N]
 *                     [--count N] [--trace]
 *
 * --port 0 (the default) takes a free port, printed on the first line. The
 * server stops after --count connections (default: never; the tests kill it).
 * It is a test tool, not lucid-server: no worker processes, no config file,
 * no timeouts beyond a 10-second socket timeout that keeps a silent peer
 * from holding it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <lucid/io.h>
#include <lucid/lucid.h>

#define MAX_CERTS 4

struct options {
    const char *cert[MAX_CERTS], *key[MAX_CERTS];
    int ncerts, nkeys;
    const char *client_ca;
    int verify;
    int port;
    long count;
    bool trace;
};

static int usage(const char *why)
{
    fprintf(stderr, "cauth_server: %s\n"
                    "usage: cauth_server --cert CHAIN --key KEY [--client-ca FILE]\n"
                    "                    [--verify on|optional|off] [--port N] [--count N] "
                    "[--trace]\n", why);
    return 2;
}

static int parse(int argc, char **argv, struct options *o)
{
    static const struct {
        const char *name;
        int mode;
    } modes[] = {
        { "on", LUCID_VERIFY_CLIENT_ON },
        { "optional", LUCID_VERIFY_CLIENT_OPTIONAL },
        { "off", LUCID_VERIFY_CLIENT_OFF },
    };

    memset(o, 0, sizeof(*o));
    o->verify = LUCID_VERIFY_CLIENT_ON;
    o->count = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--trace") == 0) {
            o->trace = true;
            continue;
        }
        if (v == NULL) {
            return usage("an option without its value");
        }
        i++;
        if (strcmp(a, "--cert") == 0 && o->ncerts < MAX_CERTS) {
            o->cert[o->ncerts++] = v;
        } else if (strcmp(a, "--key") == 0 && o->nkeys < MAX_CERTS) {
            o->key[o->nkeys++] = v;
        } else if (strcmp(a, "--client-ca") == 0) {
            o->client_ca = v;
        } else if (strcmp(a, "--port") == 0) {
            o->port = atoi(v);
        } else if (strcmp(a, "--count") == 0) {
            o->count = atol(v);
        } else if (strcmp(a, "--verify") == 0) {
            size_t m = 0;
            while (m < sizeof(modes) / sizeof(modes[0]) && strcmp(modes[m].name, v) != 0) {
                m++;
            }
            if (m == sizeof(modes) / sizeof(modes[0])) {
                return usage("--verify takes on, optional or off");
            }
            o->verify = modes[m].mode;
        } else {
            return usage("unknown option");
        }
    }
    if (o->ncerts == 0 || o->ncerts != o->nkeys) {
        return usage("give --cert and --key in pairs");
    }
    return 0;
}

static void trace_line(void *arg, const char *line)
{
    (void)arg;
    fprintf(stderr, "trace: %s\n", line);
}

static lucid_ctx *make_ctx(const struct options *o)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_SERVER, &err);

    if (ctx == NULL) {
        fprintf(stderr, "cauth_server: %s\n", err.message);
        return NULL;
    }
    for (int i = 0; i < o->ncerts; i++) {
        if (lucid_ctx_add_cert(ctx, o->cert[i], o->key[i], &err) != 0) {
            fprintf(stderr, "cauth_server: %s\n", err.message);
            lucid_ctx_free(ctx);
            return NULL;
        }
    }
    if (o->client_ca != NULL && lucid_ctx_set_client_ca_file(ctx, o->client_ca, &err) != 0) {
        fprintf(stderr, "cauth_server: %s\n", err.message);
        lucid_ctx_free(ctx);
        return NULL;
    }
    lucid_ctx_set_verify_client(ctx, o->verify);
    if (o->trace) {
        lucid_ctx_set_trace(ctx, trace_line, NULL);
    }
    return ctx;
}

static int listen_on(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    socklen_t alen = sizeof(a);
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        perror("cauth_server: listen");
        return -1;
    }
    printf("listening on %u\n", ntohs(a.sin_port));
    fflush(stdout);
    return fd;
}

/*
 * After a failed handshake the alert is out; the client may still be sending
 * (in TLS 1.3 its request follows its Finished at once). Closing with unread
 * bytes would reset the connection and could destroy the alert before the
 * client reads it, so the write side is shut and the rest read and dropped.
 */
static void linger_close(int fd)
{
    char sink[4096];
    struct timeval tv = { .tv_sec = 1 };

    shutdown(fd, SHUT_WR);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    while (recv(fd, sink, sizeof(sink), 0) > 0) {
    }
    close(fd);
}

/* Reads the request head (up to the blank line); 0 once it is in, -1 on failure. */
static int read_request(lucid_conn *c, int fd)
{
    char head[8192];
    size_t n = 0;

    while (n < sizeof(head) - 1) {
        long r = lucid_io_read(c, fd, head + n, sizeof(head) - 1 - n);
        if (r <= 0) {
            return -1;
        }
        n += (size_t)r;
        head[n] = '\0';
        if (strstr(head, "\r\n\r\n") != NULL || strstr(head, "\n\n") != NULL) {
            return 0;
        }
    }
    return -1;
}

static void serve(lucid_ctx *ctx, int fd)
{
    struct timeval tv = { .tv_sec = 10 };
    lucid_conn *c = lucid_conn_new(ctx, NULL);
    char body[512], response[1024];
    const char *subject;
    uint16_t scheme;
    int n;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (c == NULL || lucid_io_handshake(c, fd) != 0) {
        int err = errno;
        const lucid_error *e = c != NULL ? lucid_conn_error(c) : NULL;

        if (e != NULL && e->code != 0) {
            printf("failed %s alert=%s%s: %s\n", lucid_error_name(e->code),
                   lucid_alert_name(e->alert), e->from_peer ? " (from the client)" : "",
                   e->message);
        } else {
            printf("failed %s\n", c != NULL ? lucid_io_error_text(c, err) : "out of memory");
        }
        fflush(stdout);
        lucid_conn_free(c);
        linger_close(fd);
        return;
    }
    subject = lucid_conn_peer_subject(c);
    scheme = lucid_conn_client_sig_scheme(c);
    printf("ok subject=%s scheme=%s\n", subject != NULL ? subject : "(none)",
           scheme != 0 ? lucid_sig_scheme_name(scheme) : "(none)");
    fflush(stdout);
    if (read_request(c, fd) == 0) {
        snprintf(body, sizeof(body), "subject=%s\n", subject != NULL ? subject : "(none)");
        n = snprintf(response, sizeof(response),
                     "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s", strlen(body), body);
        (void)lucid_io_write_all(c, fd, response, (size_t)n);
    }
    (void)lucid_io_close(c, fd);
    lucid_conn_free(c);
    linger_close(fd);
}

int main(int argc, char **argv)
{
    struct options o;
    lucid_ctx *ctx;
    int rc, lfd;

    signal(SIGPIPE, SIG_IGN);
    if ((rc = parse(argc, argv, &o)) != 0) {
        return rc;
    }
    if ((ctx = make_ctx(&o)) == NULL || (lfd = listen_on(o.port)) < 0) {
        lucid_ctx_free(ctx);
        return 1;
    }
    for (long served = 0; o.count < 0 || served < o.count; served++) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("cauth_server: accept");
            break;
        }
        serve(ctx, fd);
    }
    close(lfd);
    lucid_ctx_free(ctx);
    return 0;
}
