/*
 * End-to-end tests for src/server/ over plain HTTP: the server runs in a thread of this
 * process on 127.0.0.1 (a port the kernel picks) and clients talk to it through real sockets.
 * Covers static files, keep-alive, pipelining, the error statuses, traversal and symlink
 * escapes, a file much larger than any buffer, clients that stall or dribble, the access log,
 * and a clean stop.
 */
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lucid/lucid.h>

#include <lucid/io.h>
#include "server/server.h"

#define CERTS "vectors/certs/"

#define BIG_SIZE (6 * 1024 * 1024 + 123)

static char dir[64];          /* the temporary directory: root/ and files outside it */
static char root[96];
static char log_path[96];
static char err_path[96];
static FILE *err_log;
static uint16_t port, tls_port;
static lc_srv *srv;
static pthread_t loop;
static int loop_rc = -1;

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL || fwrite(data, 1, len, f) != len) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    fclose(f);
}

static uint8_t big_byte(size_t i)
{
    return (uint8_t)((i * 2654435761u) >> 13);
}

static void *run_loop(void *arg)
{
    (void)arg;
    loop_rc = lc_srv_run(srv);
    return NULL;
}

static void start_server(void)
{
    char path[160];

    snprintf(dir, sizeof(dir), "/tmp/lucid-server-test-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        exit(1);
    }
    snprintf(root, sizeof(root), "%s/root", dir);
    snprintf(log_path, sizeof(log_path), "%s/access.log", dir);
    mkdir(root, 0755);
    snprintf(path, sizeof(path), "%s/sub", root);
    mkdir(path, 0755);

    snprintf(path, sizeof(path), "%s/index.html", root);
    write_file(path, "<h1>home</h1>\n", 14);
    snprintf(path, sizeof(path), "%s/style.css", root);
    write_file(path, "body{}\n", 7);
    snprintf(path, sizeof(path), "%s/sub/index.html", root);
    write_file(path, "sub index\n", 10);
    snprintf(path, sizeof(path), "%s/hello world.txt", root);
    write_file(path, "spaces\n", 7);
    snprintf(path, sizeof(path), "%s/outside.txt", dir);
    write_file(path, "SECRET\n", 7);
    snprintf(path, sizeof(path), "%s/escape.txt", root);
    if (symlink("../outside.txt", path) != 0) {
        perror("symlink");
    }
    snprintf(path, sizeof(path), "%s/alias.html", root);
    if (symlink("index.html", path) != 0) {
        perror("symlink");
    }
    uint8_t *big = malloc(BIG_SIZE);
    for (size_t i = 0; i < BIG_SIZE; i++) {
        big[i] = big_byte(i);
    }
    snprintf(path, sizeof(path), "%s/big.bin", root);
    write_file(path, big, BIG_SIZE);
    free(big);

    static struct lc_srv_listen listen[] = { { "127.0.0.1:0", 0, 0 }, { "127.0.0.1:0", 1, 0 } };
    static struct lc_srv_cert cert = { CERTS "ecdsa_chain.pem", CERTS "ecdsa_key.pem", NULL };
    static struct lc_srv_location loc = { "/", NULL, NULL };
    static struct lc_srv_site site;
    struct lc_srv_config cfg;
    char err[256];
    snprintf(err_path, sizeof(err_path), "%s/error.log", dir);
    err_log = fopen(err_path, "w");
    loc.root = root;
    site.listen = listen;
    site.listen_count = 2;
    site.certs = &cert;
    site.cert_count = 1;
    site.locations = &loc;
    site.location_count = 1;
    lc_srv_config_init(&cfg);
    cfg.sites = &site;
    cfg.site_count = 1;
    cfg.access_log = log_path;
    cfg.error_log = err_log;
    cfg.header_timeout_ms = 400;
    cfg.keepalive_timeout_ms = 3000;
    srv = lc_srv_new(&cfg, err, sizeof(err));
    if (srv == NULL) {
        fprintf(stderr, "lc_srv_new: %s\n", err);
        exit(1);
    }
    port = lc_srv_listener_port(srv, 0);
    tls_port = lc_srv_listener_port(srv, 1);
    CHECK(port != 0 && tls_port != 0);
    CHECK(strstr(lc_srv_listener_url(srv, 0), "http://127.0.0.1:") != NULL);
    CHECK(strstr(lc_srv_listener_url(srv, 1), "https://127.0.0.1:") != NULL);
    CHECK(strstr(lc_srv_listener_url(srv, 1), "(TLS 1.3)") != NULL);
    pthread_create(&loop, NULL, run_loop, NULL);
}

/* A connection to the server; rcvbuf > 0 sets a receive buffer size before connecting (after
 * it, a shrunken buffer can stall TCP itself). */
static int dial_buf(int rcvbuf)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
    struct timeval tv = { .tv_sec = 10 };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (rcvbuf > 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        perror("connect");
        exit(1);
    }
    return fd;
}

static int dial(void)
{
    return dial_buf(0);
}

static void send_str(int fd, const char *s)
{
    size_t n = strlen(s);

    while (n > 0) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w <= 0) {
            return; /* the server may have closed: the response check says so */
        }
        s += w;
        n -= (size_t)w;
    }
}

struct resp {
    int status;
    char head[4096];
    uint8_t *body;
    size_t body_len;
};

/* The value of a response header field, or "" (names are matched case-sensitively here). */
static const char *field(const struct resp *r, const char *name, char *out, size_t cap)
{
    char key[64];
    const char *p;

    snprintf(key, sizeof(key), "\r\n%s: ", name);
    out[0] = '\0';
    if ((p = strstr(r->head, key)) != NULL) {
        p += strlen(key);
        size_t n = strcspn(p, "\r");
        snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), p);
    }
    return out;
}

/* Reads one response; the body too unless head_only. -1 if the connection ended first. */
static int read_response(int fd, int head_only, struct resp *r)
{
    size_t n = 0;
    char v[64];

    memset(r, 0, sizeof(*r));
    while (n < sizeof(r->head) - 1) {
        if (recv(fd, r->head + n, 1, 0) != 1) {
            return -1;
        }
        n++;
        if (n >= 4 && memcmp(r->head + n - 4, "\r\n\r\n", 4) == 0) {
            break;
        }
    }
    r->head[n] = '\0';
    if (sscanf(r->head, "HTTP/1.1 %d ", &r->status) != 1) {
        return -1;
    }
    r->body_len = (size_t)strtoull(field(r, "Content-Length", v, sizeof(v)), NULL, 10);
    if (head_only) {
        return 0;
    }
    r->body = malloc(r->body_len + 1);
    for (size_t got = 0; got < r->body_len;) {
        ssize_t k = recv(fd, r->body + got, r->body_len - got, 0);
        if (k <= 0) {
            return -1;
        }
        got += (size_t)k;
    }
    r->body[r->body_len] = '\0';
    return 0;
}

/* One request on a new connection; returns the status, with the response in r. */
static int fetch(const char *request, struct resp *r)
{
    int fd = dial();

    send_str(fd, request);
    int rc = read_response(fd, strncmp(request, "HEAD ", 5) == 0, r);
    close(fd);
    return rc == 0 ? r->status : -1;
}

/* Whether the server closes the connection (EOF) within a few seconds. */
static int closed_by_server(int fd)
{
    char buf[256];
    struct pollfd p = { .fd = fd, .events = POLLIN };

    for (;;) {
        if (poll(&p, 1, 5000) != 1) {
            return 0;
        }
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n == 0 || (n < 0 && errno == ECONNRESET)) {
            return 1;
        }
        if (n < 0) {
            return 0;
        }
    }
}

static void free_resp(struct resp *r)
{
    free(r->body);
    r->body = NULL;
}

static void test_static_files(void)
{
    struct resp r;
    char v[128];

    CHECK(fetch("GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 200);
    CHECK_MEM(r.body, r.body_len, "<h1>home</h1>\n", 14);
    CHECK(strcmp(field(&r, "Content-Type", v, sizeof(v)), "text/html; charset=utf-8") == 0);
    CHECK(strcmp(field(&r, "Connection", v, sizeof(v)), "keep-alive") == 0);
    CHECK(field(&r, "Last-Modified", v, sizeof(v))[0] != '\0');
    CHECK(strstr(field(&r, "Date", v, sizeof(v)), " GMT") != NULL);
    free_resp(&r);

    CHECK(fetch("GET / HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 200);
    CHECK_MEM(r.body, r.body_len, "<h1>home</h1>\n", 14);
    free_resp(&r);
    CHECK(fetch("GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 200);
    CHECK(strcmp(field(&r, "Content-Type", v, sizeof(v)), "text/css; charset=utf-8") == 0);
    free_resp(&r);
    CHECK(fetch("GET /hello%20world.txt?x=1 HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 200);
    CHECK_MEM(r.body, r.body_len, "spaces\n", 7);
    free_resp(&r);
    CHECK(fetch("GET http://t/sub/ HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 200);
    CHECK_MEM(r.body, r.body_len, "sub index\n", 10);
    free_resp(&r);
    CHECK(fetch("GET /alias.html HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 200);
    free_resp(&r);

    /* A directory without its '/': redirected, the query kept. */
    CHECK(fetch("GET /sub?a=b HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 301);
    CHECK(strcmp(field(&r, "Location", v, sizeof(v)), "/sub/?a=b") == 0);
    free_resp(&r);

    /* HEAD: the same head, no body (the next response on the connection proves it). */
    int fd = dial();
    send_str(fd, "HEAD /style.css HTTP/1.1\r\nHost: t\r\n\r\n"
                 "GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n");
    CHECK(read_response(fd, 1, &r) == 0 && r.status == 200 && r.body_len == 7);
    CHECK(read_response(fd, 0, &r) == 0 && r.status == 200);
    CHECK_MEM(r.body, r.body_len, "body{}\n", 7);
    free_resp(&r);
    close(fd);
}

static void test_errors(void)
{
    struct resp r;
    char v[128];

    CHECK(fetch("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 404);
    CHECK(strstr((char *)r.body, "404 Not Found") != NULL);
    free_resp(&r);
    CHECK(fetch("DELETE / HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 405);
    CHECK(strcmp(field(&r, "Allow", v, sizeof(v)), "GET, HEAD") == 0);
    free_resp(&r);
    CHECK(fetch("GET / HTTP/2.0\r\nHost: t\r\n\r\n", &r) == 505);
    CHECK(strcmp(field(&r, "Connection", v, sizeof(v)), "close") == 0);
    free_resp(&r);
    CHECK(fetch("BAD\r\n\r\n", &r) == 400);
    free_resp(&r);
    CHECK(fetch("GET / HTTP/1.1\r\n\r\n", &r) == 400); /* no Host */
    free_resp(&r);

    /* Traversal in every spelling, and a symlink out of the root: never the secret. */
    static const char *const escapes[] = {
        "GET /../outside.txt HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /%2e%2e/outside.txt HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /..%2foutside.txt HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /sub/../../outside.txt HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /%252e%252e/outside.txt HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /escape.txt HTTP/1.1\r\nHost: t\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
        int status = fetch(escapes[i], &r);
        CHECK(status == 400 || status == 403 || status == 404);
        CHECK(r.body == NULL || strstr((char *)r.body, "SECRET") == NULL);
        free_resp(&r);
    }
    CHECK(fetch("GET /escape.txt HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 403);
    free_resp(&r);

    /* Limits: a long header (431), a long target (414); both close the connection. */
    char *big = malloc(20000);
    snprintf(big, 20000, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: %09000d\r\n\r\n", 0);
    CHECK(fetch(big, &r) == 431);
    free_resp(&r);
    memset(big, 'a', 20000);
    memcpy(big, "GET /", 5);
    strcpy(big + 9000, " HTTP/1.1\r\nHost: t\r\n\r\n");
    CHECK(fetch(big, &r) == 414);
    free_resp(&r);
    free(big);

    /* Random bytes: 400, then the connection closes. */
    int fd = dial();
    send_str(fd, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 random \x01\x02");
    CHECK(read_response(fd, 0, &r) == 0 && r.status == 400);
    free_resp(&r);
    CHECK(closed_by_server(fd));
    close(fd);
}

static void test_keep_alive_and_pipelining(void)
{
    struct resp r;
    int fd = dial();

    for (int i = 0; i < 3; i++) {
        send_str(fd, "GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n");
        CHECK(read_response(fd, 0, &r) == 0 && r.status == 200);
        free_resp(&r);
    }
    /* Three at once, one of them a 404 and one with a body to skip: answered in order. */
    send_str(fd, "GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n"
                 "GET /nope HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
                 "GET /sub/ HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    CHECK(read_response(fd, 0, &r) == 0 && r.status == 200 && r.body_len == 14);
    free_resp(&r);
    CHECK(read_response(fd, 0, &r) == 0 && r.status == 404);
    free_resp(&r);
    CHECK(read_response(fd, 0, &r) == 0 && r.status == 200 && r.body_len == 10);
    free_resp(&r);
    CHECK(closed_by_server(fd)); /* Connection: close was asked for */
    close(fd);

    /* HTTP/1.0 closes unless asked to keep alive. */
    fd = dial();
    send_str(fd, "GET /style.css HTTP/1.0\r\n\r\n");
    CHECK(read_response(fd, 0, &r) == 0 && r.status == 200);
    free_resp(&r);
    CHECK(closed_by_server(fd));
    close(fd);
    fd = dial();
    send_str(fd, "GET /style.css HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    CHECK(read_response(fd, 0, &r) == 0 && r.status == 200);
    free_resp(&r);
    send_str(fd, "GET /style.css HTTP/1.0\r\n\r\n");
    CHECK(read_response(fd, 0, &r) == 0 && r.status == 200);
    free_resp(&r);
    close(fd);
}

static void test_big_file(void)
{
    struct resp r;
    /* A small receive buffer, read late: the server must wait on us, not buffer the file. */
    int fd = dial_buf(4096);

    send_str(fd, "GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n");
    CHECK(read_response(fd, 1, &r) == 0 && r.status == 200 && r.body_len == BIG_SIZE);

    /* While that transfer is stuck on us, another client is served at once. */
    struct resp other;
    CHECK(fetch("GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n", &other) == 200);
    free_resp(&other);

    uint8_t *buf = malloc(65536);
    size_t got = 0, wrong = 0;
    while (got < BIG_SIZE) {
        ssize_t k = recv(fd, buf, 65536, 0);
        if (k <= 0) {
            break;
        }
        for (ssize_t i = 0; i < k; i++) {
            wrong += buf[i] != big_byte(got + (size_t)i);
        }
        got += (size_t)k;
    }
    CHECK(got == BIG_SIZE);
    CHECK(wrong == 0);
    free(buf);
    close(fd);
}

static void test_slow_clients(void)
{
    struct resp r;

    /* One byte per write. */
    const char *req = "GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n";
    int fd = dial();
    for (const char *p = req; *p != '\0'; p++) {
        char one[2] = { *p, 0 };
        send_str(fd, one);
        usleep(1000);
    }
    CHECK(read_response(fd, 0, &r) == 0 && r.status == 200);
    free_resp(&r);
    close(fd);

    /* A client that stalls mid-head blocks nobody and gets 408 after the header timeout. */
    int stalled = dial();
    send_str(stalled, "GET /index.html HT");
    CHECK(fetch("GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 200);
    free_resp(&r);
    CHECK(read_response(stalled, 0, &r) == 0 && r.status == 408);
    free_resp(&r);
    CHECK(closed_by_server(stalled));
    close(stalled);

    /* One that connects and says nothing is closed after the header timeout too. */
    int silent = dial();
    CHECK(closed_by_server(silent));
    close(silent);
}

/* Everything a TLS client sends until the server's close_notify, through src/io/fdio.c. */
static size_t tls_exchange(const char *request, uint8_t **out)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_CLIENT, &err);
    size_t len = 0, cap = 1 << 16;
    uint8_t *buf = malloc(cap);
    uint16_t saved = port;

    CHECK_OK(lucid_ctx_set_ca_file(ctx, CERTS "ca_cert.pem", &err));
    lucid_conn *c = lucid_conn_new(ctx, "localhost");
    port = tls_port;
    int fd = dial();
    port = saved;
    CHECK(lucid_io_handshake(c, fd) == 0);
    CHECK(lucid_io_write_all(c, fd, request, strlen(request)) == 0);
    for (;;) {
        if (cap - len < 16384) {
            buf = realloc(buf, cap *= 2);
        }
        long n = lucid_io_read(c, fd, buf + len, cap - len);
        if (n <= 0) {
            CHECK(n == 0); /* a clean end: close_notify after "Connection: close" */
            if (n < 0) {
                fprintf(stderr, "  %s\n", lucid_io_error_text(c, errno));
            }
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    lucid_conn_free(c);
    lucid_ctx_free(ctx);
    *out = buf;
    return len;
}

static void test_tls(void)
{
    uint8_t *got;
    size_t len = tls_exchange("GET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n"
                              "GET /big.bin HTTP/1.1\r\nHost: localhost\r\n"
                              "Connection: close\r\n\r\n",
                              &got);
    const char *first = "HTTP/1.1 200 OK\r\n";

    /* Two responses, pipelined: the small one, then the 6 MiB one, streamed intact. */
    CHECK(len > BIG_SIZE && memcmp(got, first, strlen(first)) == 0);
    uint8_t *mid = memmem(got, len, "body{}\nHTTP/1.1 200 OK\r\n", 23);
    CHECK(mid != NULL);
    uint8_t *body = mid != NULL ? memmem(mid, len - (size_t)(mid - got), "\r\n\r\n", 4) : NULL;
    CHECK(body != NULL);
    if (body != NULL) {
        body += 4;
        size_t n = len - (size_t)(body - got), wrong = 0;
        CHECK(n == BIG_SIZE);
        for (size_t i = 0; i < n && i < BIG_SIZE; i++) {
            wrong += body[i] != big_byte(i);
        }
        CHECK(wrong == 0);
    }
    free(got);

    /* Random bytes on the TLS port: an alert, the close, and one line in the error log. */
    uint16_t saved = port;
    port = tls_port;
    int fd = dial();
    port = saved;
    static const uint8_t junk[] = { 0x99, 0x03, 0x03, 0x00, 0x04, 'j', 'u', 'n', 'k' };
    CHECK(send(fd, junk, sizeof(junk), MSG_NOSIGNAL) == sizeof(junk));
    uint8_t alert[7];
    CHECK(recv(fd, alert, sizeof(alert), MSG_WAITALL) == 7);
    CHECK(alert[0] == 21 && alert[5] == 2); /* an alert record: fatal */
    CHECK(closed_by_server(fd));
    close(fd);
}

static void test_error_log(void)
{
    FILE *f = fopen(err_path, "r");
    char line[1024];
    int seen = 0;

    CHECK(f != NULL);
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        seen |= strncmp(line, "lucid-server: 127.0.0.1:", 24) == 0 &&
                strstr(line, ": TLS handshake failed: ") != NULL;
    }
    if (f != NULL) {
        fclose(f);
    }
    CHECK(seen);
}

static void test_access_log(void)
{
    FILE *f = fopen(log_path, "r");
    char line[2048];
    int seen_get = 0, seen_404 = 0, seen_escape = 0, seen_tls = 0;

    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strstr(line, " 127.0.0.1:") != NULL && strstr(line, " plain ") != NULL &&
            strstr(line, "\"GET /index.html HTTP/1.1\" 200 14 ") != NULL) {
            seen_get = 1;
        }
        seen_404 |= strstr(line, "\"GET /nope HTTP/1.1\" 404 ") != NULL;
        seen_tls |= strstr(line, " TLSv1.3/TLS_AES_128_GCM_SHA256 - \"GET /big.bin HTTP/1.1\" 200 "
                                 "6291579 ") != NULL;
        /* Client bytes are escaped: no raw control characters reach the log. */
        seen_escape |= strstr(line, "\\x16\\x03") != NULL;
    }
    fclose(f);
    CHECK(seen_get);
    CHECK(seen_404);
    CHECK(seen_escape);
    CHECK(seen_tls);
}

static void *run_other(void *arg)
{
    lc_srv_run(arg);
    return NULL;
}

/* Over the cap on open connections, a new one is closed at once; the others carry on. */
static void test_max_conns(void)
{
    struct lc_srv_listen listen = { "127.0.0.1:0", 0, 0 };
    struct lc_srv_location loc = { "/", root, NULL };
    struct lc_srv_site site = { .listen = &listen, .listen_count = 1, .locations = &loc,
                                .location_count = 1 };
    struct lc_srv_config cfg;
    char err[256];
    pthread_t t;
    struct resp r;

    lc_srv_config_init(&cfg);
    cfg.sites = &site;
    cfg.site_count = 1;
    cfg.access_log = NULL;
    cfg.max_conns = 2;
    lc_srv *small = lc_srv_new(&cfg, err, sizeof(err));
    CHECK(small != NULL);
    if (small == NULL) {
        return;
    }
    uint16_t main_port = port;
    port = lc_srv_listener_port(small, 0);
    pthread_create(&t, NULL, run_other, small);

    int a = dial(), b = dial();
    send_str(a, "GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n");
    CHECK(read_response(a, 0, &r) == 0 && r.status == 200); /* both are accepted by now */
    free_resp(&r);
    int c = dial();
    CHECK(closed_by_server(c));
    close(c);
    send_str(b, "GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n");
    CHECK(read_response(b, 0, &r) == 0 && r.status == 200);
    free_resp(&r);
    close(a);
    usleep(100 * 1000);
    CHECK(fetch("GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n", &r) == 200); /* room again */
    free_resp(&r);
    close(b);

    lc_srv_stop(small);
    pthread_join(t, NULL);
    lc_srv_free(small);
    port = main_port;
}

static void test_stop(void)
{
    lc_srv_stop(srv);
    pthread_join(loop, NULL);
    CHECK(loop_rc == 0);
    lc_srv_free(srv);
    fclose(err_log);

    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

TEST_MAIN(start_server, test_static_files, test_errors, test_keep_alive_and_pipelining,
          test_big_file, test_slow_clients, test_tls, test_error_log, test_access_log,
          test_max_conns, test_stop)
