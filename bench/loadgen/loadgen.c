/*
 * loadgen: the load generator of bench/run.py. One thread, one epoll loop, OpenSSL's libssl
 * as the client (bench/ only: the library never links libssl), so every server is measured
 * against the same client.
 *
 *   loadgen hs    --connect HOST:PORT --path P [--conns N] [--duration S] [--rate R] [--resume]
 *       A new TLS connection per request: TCP connect, TLS 1.3 handshake, one GET with
 *       "Connection: close", read the response until the server closes, close. Without
 *       --resume no session is ever offered, so every handshake is a full one whatever the
 *       server does with tickets; with --resume each connection offers a ticket from an
 *       earlier connection (one not used yet when there is one). Either way the client
 *       counts SSL_session_reused() per connection (resumed=, full=), which is the server's
 *       own answer: it resumed only if its ServerHello accepted the PSK.
 *       --rate R opens R connections per second on a fixed schedule (open loop, for
 *       latency at a moderate load) instead of keeping --conns connections busy.
 *   loadgen get   --connect HOST:PORT --path P [--conns N] [--duration S]
 *       Keep-alive GETs of P over N connections (bulk transfer); a server that closes after
 *       each response gets a new connection.
 *   loadgen idle  --connect HOST:PORT --conns N
 *       Opens N TLS connections and completes their handshakes, sends nothing, prints
 *       "ready established=N", and holds them until standard input reaches end of file.
 *   loadgen tcp-source --listen PORT          accepts one TCP connection, writes until it closes
 *   loadgen tcp-sink   --connect HOST:PORT [--duration S]    reads from it for S seconds
 *
 * Every mode ends with one line of key=value pairs on standard output (bench/run.py reads
 * it); latencies are in microseconds: hs_* from connect() to the client's handshake done,
 * req_* from connect() to the end of the response.
 *
 * The client side is TLS 1.3 only, TLS_AES_128_GCM_SHA256, x25519, and it does not verify
 * the certificate (the server's cost is the same either way; the client's core is the
 * scarce one). Closed connections are reset (SO_LINGER 0) after the server's FIN, so no
 * TIME_WAIT piles up on either side over hundreds of thousands of connections.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

enum mode { M_HS, M_GET, M_IDLE, M_TCP_SOURCE, M_TCP_SINK };
enum st { ST_FREE, ST_CONNECT, ST_HANDSHAKE, ST_SEND, ST_RECV, ST_DRAIN, ST_IDLE };

struct conn {
    enum st st;
    int fd;
    SSL *ssl;
    uint64_t t_start;      /* connect(), or the request's start on a kept-alive connection */
    uint64_t t_hs;         /* the handshake's end, for hs_* latencies */
    size_t req_off;        /* bytes of the request written */
    char head[8192];       /* the response head, until its blank line */
    size_t head_len;
    bool head_done;
    int status;
    long long content_length; /* -1: none, read until close */
    long long body;        /* body bytes received */
};

struct opts {
    enum mode mode;
    const char *connect, *path, *host;
    int listen_port;
    int conns;
    double duration;
    double rate;
    bool resume;
};

static struct opts o = { .conns = 1, .duration = 5, .host = "localhost", .path = "/" };
static struct sockaddr_in peer;
static SSL_CTX *ctx;
static int ep;
static uint64_t end_us; /* when the run stops starting work */
static char request[1024];
static size_t request_len;

/* What the run counted. */
static struct {
    long long ok, errors, resumed, full, tickets, offered, bytes, conns_opened, skipped;
    uint32_t *hs_lat, *req_lat;
    size_t nlat, caplat;
} n;

/* Tickets received and not used yet (a stack: the newest first), and the last one seen. */
#define POOL 256
static SSL_SESSION *pool[POOL];
static int npool;
static SSL_SESSION *last_session;

static uint64_t now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void die(const char *what)
{
    fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int on_new_session(SSL *ssl, SSL_SESSION *sess)
{
    (void)ssl;
    n.tickets++;
    if (last_session != NULL) {
        SSL_SESSION_free(last_session);
    }
    SSL_SESSION_up_ref(sess);
    last_session = sess;
    if (npool < POOL) {
        pool[npool++] = sess; /* the pool owns this reference */
        return 1;
    }
    return 0; /* not kept: OpenSSL frees it */
}

static void setup_tls(void)
{
    ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
        !SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256") ||
        !SSL_CTX_set1_groups_list(ctx, "X25519")) {
        fprintf(stderr, "loadgen: cannot set up the TLS client\n");
        exit(1);
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    /* Sessions go to our callback (tickets are counted even without --resume). */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
                                            SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, on_new_session);
}

static void record_latency(const struct conn *c, uint64_t hs_done, uint64_t end)
{
    if (n.nlat == n.caplat) {
        n.caplat = n.caplat ? n.caplat * 2 : 65536;
        n.hs_lat = realloc(n.hs_lat, n.caplat * sizeof(*n.hs_lat));
        n.req_lat = realloc(n.req_lat, n.caplat * sizeof(*n.req_lat));
        if (n.hs_lat == NULL || n.req_lat == NULL) {
            die("realloc");
        }
    }
    n.hs_lat[n.nlat] = (uint32_t)(hs_done - c->t_start);
    n.req_lat[n.nlat] = (uint32_t)(end - c->t_start);
    n.nlat++;
}

/*
 * Closes with a reset once the exchange is over: no TIME_WAIT on either side. clean: the
 * exchange succeeded, so the session stays resumable (SSL_free would otherwise mark the
 * connection's current session, its newest ticket, not resumable).
 */
static void conn_close(struct conn *c, bool clean)
{
    struct linger lg = { .l_onoff = 1, .l_linger = 0 };

    if (c->ssl != NULL) {
        if (clean) {
            SSL_set_shutdown(c->ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
        }
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    if (c->fd >= 0) {
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        close(c->fd); /* also leaves the epoll set */
        c->fd = -1;
    }
    c->st = ST_FREE;
}

/* Starts a connection; true when TCP is already connected (loopback often is). */
static bool conn_open(struct conn *c)
{
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = c };
    int one = 1;

    memset(c, 0, sizeof(*c));
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        die("socket");
    }
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    c->t_start = now_us();
    n.conns_opened++;
    int rc = connect(c->fd, (struct sockaddr *)&peer, sizeof(peer));
    if (rc != 0 && errno != EINPROGRESS) {
        die("connect");
    }
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
        die("epoll_ctl");
    }
    c->st = ST_CONNECT;
    return rc == 0; /* otherwise epoll says when it is (EPOLLOUT, or an error) */
}

static void fail(struct conn *c, const char *why)
{
    static int shown;

    if (shown++ < 5) {
        char e[256];
        ERR_error_string_n(ERR_peek_last_error(), e, sizeof(e));
        fprintf(stderr, "loadgen: connection failed: %s (%s; errno %s)\n", why, e,
                strerror(errno));
    }
    ERR_clear_error();
    n.errors++;
    conn_close(c, false);
}

/* Parses the status line and Content-Length once the head is complete. */
static int parse_head(struct conn *c)
{
    c->status = 0;
    c->content_length = -1;
    if (c->head_len < 12 || strncmp(c->head, "HTTP/1.", 7) != 0) {
        return -1;
    }
    c->status = atoi(c->head + 9);
    for (char *line = strstr(c->head, "\r\n"); line != NULL; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "Content-Length:", 15) == 0) {
            c->content_length = atoll(line + 17);
        }
    }
    return 0;
}

/* Takes len response bytes: the head first, then the body. */
static int take(struct conn *c, const char *buf, size_t len)
{
    if (c->head_done) {
        c->body += (long long)len;
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (c->head_len + 1 >= sizeof(c->head)) {
            return -1;
        }
        c->head[c->head_len++] = buf[i];
        if (c->head_len >= 4 && memcmp(c->head + c->head_len - 4, "\r\n\r\n", 4) == 0) {
            c->head[c->head_len] = '\0';
            c->head_done = true;
            if (parse_head(c) != 0) {
                return -1;
            }
            c->body = (long long)(len - i - 1);
            return 0;
        }
    }
    return 0;
}

static bool response_complete(const struct conn *c)
{
    return c->head_done && c->content_length >= 0 && c->body >= c->content_length;
}

/* One exchange is over: count it; keep-alive goes on with the next request. */
static void finish(struct conn *c, bool eof)
{
    uint64_t t = now_us();

    if (!c->head_done || c->status != 200 ||
        (c->content_length >= 0 && c->body != c->content_length)) {
        fail(c, "bad response");
        return;
    }
    n.ok++;
    n.bytes += c->body;
    record_latency(c, c->t_hs, t);
    if (o.mode == M_GET && !eof && t < end_us) {
        c->st = ST_SEND;
        c->req_off = 0;
        c->head_len = 0;
        c->head_done = false;
        c->body = 0;
        c->t_start = c->t_hs = t;
        return;
    }
    conn_close(c, true);
}

/* Drives one connection as far as it can go without blocking. */
static void step(struct conn *c)
{
    static char buf[1 << 16];

    for (;;) {
        switch (c->st) {
        case ST_FREE:
            return;
        case ST_CONNECT: {
            int err = 0;
            socklen_t len = sizeof(err);
            if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
                errno = err;
                fail(c, "connect");
                return;
            }
            c->ssl = SSL_new(ctx);
            if (c->ssl != NULL) {
                SSL_set_connect_state(c->ssl);
            }
            if (c->ssl == NULL || !SSL_set_fd(c->ssl, c->fd) ||
                !SSL_set_tlsext_host_name(c->ssl, o.host)) {
                fail(c, "SSL_new");
                return;
            }
            if (o.resume) {
                SSL_SESSION *s = npool > 0 ? pool[--npool] : NULL;
                if (s == NULL && last_session != NULL) {
                    s = last_session; /* no fresh ticket: offer the newest again */
                    SSL_SESSION_up_ref(s);
                }
                if (s != NULL) {
                    n.offered++;
                    SSL_set_session(c->ssl, s);
                    SSL_SESSION_free(s);
                }
            }
            c->st = ST_HANDSHAKE;
            break;
        }
        case ST_HANDSHAKE: {
            int r = SSL_do_handshake(c->ssl);
            if (r == 1) {
                c->t_hs = now_us();
                if (SSL_session_reused(c->ssl)) {
                    n.resumed++;
                } else {
                    n.full++;
                }
                if (o.mode == M_IDLE) {
                    c->st = ST_IDLE;
                    n.ok++;
                    return;
                }
                c->st = ST_SEND;
                break;
            }
            int e = SSL_get_error(c->ssl, r);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                return;
            }
            fail(c, "handshake");
            return;
        }
        case ST_SEND: {
            int r = SSL_write(c->ssl, request + c->req_off, (int)(request_len - c->req_off));
            if (r > 0) {
                c->req_off += (size_t)r;
                if (c->req_off == request_len) {
                    c->st = ST_RECV;
                }
                break;
            }
            int e = SSL_get_error(c->ssl, r);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                return;
            }
            fail(c, "write");
            return;
        }
        case ST_RECV:
        case ST_DRAIN: {
            int r = SSL_read(c->ssl, buf, sizeof(buf));
            if (r > 0) {
                if (c->st == ST_DRAIN) {
                    continue; /* after a complete response: ignore */
                }
                if (take(c, buf, (size_t)r) != 0) {
                    fail(c, "malformed response");
                    return;
                }
                if (response_complete(c)) {
                    if (o.mode == M_GET) {
                        finish(c, false);
                        break;
                    }
                    /* Connection: close: let the server close first, as it would. */
                    c->st = ST_DRAIN;
                }
                continue;
            }
            int e = SSL_get_error(c->ssl, r);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                return;
            }
            if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && errno == 0)) {
                ERR_clear_error();
                if (!c->head_done) {
                    fail(c, "closed before the response");
                    return;
                }
                finish(c, true); /* in get mode the main loop opens a new one */
                return;
            }
            fail(c, "read");
            return;
        }
        case ST_IDLE:
            return;
        }
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static uint32_t pct(uint32_t *v, size_t count, double p)
{
    if (count == 0) {
        return 0;
    }
    size_t i = (size_t)(p * (double)(count - 1) + 0.5);
    return v[i];
}

static void parse_hostport(const char *s)
{
    char host[256];
    const char *colon = strrchr(s, ':');

    if (colon == NULL || (size_t)(colon - s) >= sizeof(host)) {
        fprintf(stderr, "loadgen: --connect wants HOST:PORT, got '%s'\n", s);
        exit(2);
    }
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    peer.sin_family = AF_INET;
    peer.sin_port = htons((uint16_t)atoi(colon + 1));
    if (inet_pton(AF_INET, host, &peer.sin_addr) != 1) {
        fprintf(stderr, "loadgen: '%s' is not an IPv4 address\n", host);
        exit(2);
    }
}

/* hs, get and idle: the epoll loop over o.conns connection slots. */
static void run_tls(void)
{
    struct conn *cs = calloc((size_t)o.conns, sizeof(*cs));
    struct epoll_event evs[256];
    uint64_t start = now_us(), end = start + (uint64_t)(o.duration * 1e6);
    uint64_t next = start, interval = o.rate > 0 ? (uint64_t)(1e6 / o.rate) : 0;
    bool ready_printed = false;
    int idle_inflight_cap = 64; /* handshakes under way at once while opening idle ones */

    if (cs == NULL) {
        die("calloc");
    }
    end_us = end;
    for (int i = 0; i < o.conns; i++) {
        cs[i].fd = -1;
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        die("epoll_create1");
    }
    for (;;) {
        uint64_t t = now_us();
        bool open_more = t < end;
        int active = 0, inflight = 0;

        for (int i = 0; i < o.conns; i++) {
            if (cs[i].st != ST_FREE) {
                active++;
                inflight += cs[i].st != ST_IDLE;
            }
        }
        if (o.mode == M_IDLE) {
            /* slots open in order, at most idle_inflight_cap handshakes at once */
            for (long long i = n.conns_opened; i < o.conns && inflight < idle_inflight_cap;
                 i++, inflight++) {
                if (conn_open(&cs[i])) {
                    step(&cs[i]);
                }
            }
            if (!ready_printed && n.ok + n.errors >= o.conns) {
                /* let the server process every client Finished before it is measured */
                usleep(1000000);
                printf("ready established=%lld errors=%lld\n", n.ok, n.errors);
                fflush(stdout);
                ready_printed = true;
                struct pollfd pf = { .fd = 0, .events = POLLIN };
                char tmp[256];
                for (;;) { /* hold them until stdin closes */
                    if (poll(&pf, 1, -1) > 0 && read(0, tmp, sizeof(tmp)) <= 0) {
                        break;
                    }
                }
                break;
            }
        } else if (o.rate > 0) {
            while (open_more && next <= t) {
                int i;
                for (i = 0; i < o.conns && cs[i].st != ST_FREE; i++) {
                }
                if (i == o.conns) {
                    n.skipped++; /* the schedule is ahead of the server: counted */
                } else {
                    if (conn_open(&cs[i])) {
                        step(&cs[i]);
                    }
                }
                next += interval;
            }
        } else if (open_more) {
            for (int i = 0; i < o.conns; i++) {
                if (cs[i].st == ST_FREE) {
                    if (conn_open(&cs[i])) {
                        step(&cs[i]);
                    }
                }
            }
        }
        if (!open_more && o.mode != M_IDLE) {
            if (active == 0) {
                break;
            }
            if (t > end + 5000000) { /* in flight for 5 s after the end: give up on them */
                for (int i = 0; i < o.conns; i++) {
                    if (cs[i].st != ST_FREE) {
                        fail(&cs[i], "still in flight 5 s after the end");
                    }
                }
                break;
            }
        }
        int timeout = 100;
        if (o.rate > 0 && open_more) {
            uint64_t t2 = now_us();
            timeout = next > t2 ? (int)((next - t2) / 1000) : 0;
        }
        int k = epoll_wait(ep, evs, 256, timeout);
        if (k < 0 && errno != EINTR) {
            die("epoll_wait");
        }
        for (int i = 0; i < k; i++) {
            step(evs[i].data.ptr);
        }
    }
    double secs = (double)(now_us() - start) / 1e6;
    const char *names[] = { [M_HS] = "hs", [M_GET] = "get", [M_IDLE] = "idle" };
    qsort(n.hs_lat, n.nlat, sizeof(uint32_t), cmp_u32);
    qsort(n.req_lat, n.nlat, sizeof(uint32_t), cmp_u32);
    printf("mode=%s conns=%d seconds=%.3f ok=%lld errors=%lld full=%lld resumed=%lld "
           "tickets=%lld offered=%lld opened=%lld skipped=%lld bytes=%lld rate=%.1f "
           "hs_p50_us=%u hs_p99_us=%u hs_max_us=%u req_p50_us=%u req_p99_us=%u\n",
           names[o.mode], o.conns, secs, n.ok, n.errors, n.full, n.resumed, n.tickets, n.offered,
           n.conns_opened, n.skipped, n.bytes, (double)n.ok / secs,
           pct(n.hs_lat, n.nlat, 0.5), pct(n.hs_lat, n.nlat, 0.99),
           pct(n.hs_lat, n.nlat, 1.0), pct(n.req_lat, n.nlat, 0.5),
           pct(n.req_lat, n.nlat, 0.99));
}

static void run_tcp_source(void)
{
    static char buf[1 << 16];
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o.listen_port) };
    int one = 1, ls = socket(AF_INET, SOCK_STREAM, 0);

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(ls, 4) != 0) {
        die("tcp-source: listen");
    }
    printf("listening\n");
    fflush(stdout);
    for (;;) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) {
            die("accept");
        }
        while (send(fd, buf, sizeof(buf), MSG_NOSIGNAL) > 0) {
        }
        close(fd);
    }
}

static void run_tcp_sink(void)
{
    static char buf[1 << 16];
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    uint64_t start, end;
    long long bytes = 0;

    if (fd < 0 || connect(fd, (struct sockaddr *)&peer, sizeof(peer)) != 0) {
        die("tcp-sink: connect");
    }
    start = now_us();
    end = start + (uint64_t)(o.duration * 1e6);
    while (now_us() < end) {
        ssize_t r = recv(fd, buf, sizeof(buf), 0);
        if (r <= 0) {
            break;
        }
        bytes += r;
    }
    double secs = (double)(now_us() - start) / 1e6;
    close(fd);
    printf("mode=tcp-sink seconds=%.3f bytes=%lld ok=1 errors=0 rate=%.1f\n", secs, bytes,
           (double)bytes / secs);
}

static const char usage[] =
    "usage: loadgen hs|get|idle --connect IP:PORT [--path P] [--conns N] [--duration S]\n"
    "                [--rate R] [--resume] [--host NAME]\n"
    "       loadgen tcp-source --listen PORT\n"
    "       loadgen tcp-sink --connect IP:PORT [--duration S]\n"
    "(the comment at the top of bench/loadgen/loadgen.c says what each mode does)\n";

int main(int argc, char **argv)
{
    static const char *const modes[] = { [M_HS] = "hs", [M_GET] = "get", [M_IDLE] = "idle",
                                         [M_TCP_SOURCE] = "tcp-source",
                                         [M_TCP_SINK] = "tcp-sink" };
    size_t m;

    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    for (m = 0; m < sizeof(modes) / sizeof(modes[0]) && strcmp(argv[1], modes[m]) != 0; m++) {
    }
    if (m == sizeof(modes) / sizeof(modes[0])) {
        fputs(usage, stderr);
        return 2;
    }
    o.mode = (enum mode)m;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--resume") == 0) {
            o.resume = true;
            continue;
        }
        if (v == NULL) {
            fprintf(stderr, "loadgen: %s needs a value\n%s", a, usage);
            return 2;
        }
        i++;
        if (strcmp(a, "--connect") == 0) {
            o.connect = v;
        } else if (strcmp(a, "--listen") == 0) {
            o.listen_port = atoi(v);
        } else if (strcmp(a, "--path") == 0) {
            o.path = v;
        } else if (strcmp(a, "--host") == 0) {
            o.host = v;
        } else if (strcmp(a, "--conns") == 0) {
            o.conns = atoi(v);
        } else if (strcmp(a, "--duration") == 0) {
            o.duration = atof(v);
        } else if (strcmp(a, "--rate") == 0) {
            o.rate = atof(v);
        } else {
            fprintf(stderr, "loadgen: unknown option %s\n%s", a, usage);
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    if (o.mode == M_TCP_SOURCE) {
        run_tcp_source();
        return 0;
    }
    if (o.connect == NULL || o.conns < 1) {
        fputs(usage, stderr);
        return 2;
    }
    parse_hostport(o.connect);
    if (o.mode == M_TCP_SINK) {
        run_tcp_sink();
        return 0;
    }
    request_len = (size_t)snprintf(request, sizeof(request),
                                   "GET %s HTTP/1.1\r\nHost: %s\r\n%s\r\n", o.path, o.host,
                                   o.mode == M_HS ? "Connection: close\r\n" : "");
    setup_tls();
    run_tls();
    return 0;
}
