/*
 * Tests for src/io/fdio.c: a client and a server, each driven by the blocking helpers, over a
 * socketpair (the server in a thread). An echo of more than a record's worth of data, a clean
 * close_notify in both directions, a certificate the client does not trust (EPROTO on both
 * sides, with Lucid's reason), and a peer that vanishes without close_notify (ECONNABORTED).
 */
#include "test.h"

#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <lucid/lucid.h>

#include <lucid/io.h>

#define CERTS "vectors/certs/"

enum server_mode { ECHO, DROP_AFTER_HANDSHAKE, HANDSHAKE_ONLY };

struct server {
    int fd;
    enum server_mode mode;
    int hs_rc, hs_errno, close_rc;
    long last_read;
    char error[LUCID_ERROR_MAX];
    int from_peer;
};

static lucid_ctx *server_ctx(void)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_SERVER, &err);

    CHECK(ctx != NULL);
    CHECK_OK(lucid_ctx_add_cert(ctx, CERTS "ecdsa_chain.pem", CERTS "ecdsa_key.pem", &err));
    return ctx;
}

static lucid_ctx *client_ctx(const char *ca)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_CLIENT, &err);

    CHECK(ctx != NULL);
    CHECK_OK(lucid_ctx_set_ca_file(ctx, ca, &err));
    return ctx;
}

static void *serve(void *arg)
{
    struct server *s = arg;
    lucid_ctx *ctx = server_ctx();
    lucid_conn *c = lucid_conn_new(ctx, NULL);
    uint8_t buf[5000];

    s->hs_rc = lucid_io_handshake(c, s->fd);
    s->hs_errno = errno;
    if (s->hs_rc == 0 && s->mode == ECHO) {
        long n;
        while ((n = lucid_io_read(c, s->fd, buf, sizeof(buf))) > 0) {
            if (lucid_io_write_all(c, s->fd, buf, (size_t)n) != 0) {
                break;
            }
        }
        s->last_read = n;
        s->close_rc = lucid_io_close(c, s->fd);
    }
    snprintf(s->error, sizeof(s->error), "%s", lucid_conn_error(c)->message);
    s->from_peer = lucid_conn_error(c)->from_peer;
    if (s->mode == DROP_AFTER_HANDSHAKE) {
        shutdown(s->fd, SHUT_RDWR);
    }
    lucid_conn_free(c);
    lucid_ctx_free(ctx);
    return NULL;
}

static void start(struct server *s, enum server_mode mode, int *client_fd, pthread_t *t)
{
    int sv[2];

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    memset(s, 0, sizeof(*s));
    s->fd = sv[1];
    s->mode = mode;
    *client_fd = sv[0];
    pthread_create(t, NULL, serve, s);
}

static void test_echo_and_close(void)
{
    struct server s;
    pthread_t t;
    int fd;
    lucid_ctx *ctx = client_ctx(CERTS "ca_cert.pem");
    lucid_conn *c = lucid_conn_new(ctx, "localhost");

    start(&s, ECHO, &fd, &t);
    CHECK(lucid_io_handshake(c, fd) == 0);
    CHECK(lucid_conn_version(c) == 0x0304);

    /* 64 KiB in 20000-byte writes (more than a record each), read back as it comes. */
    uint8_t out[20000], in[20000];
    for (int round = 0; round < 4; round++) {
        for (size_t i = 0; i < sizeof(out); i++) {
            out[i] = (uint8_t)(i * 7 + (size_t)round);
        }
        CHECK(lucid_io_write_all(c, fd, out, sizeof(out)) == 0);
        size_t got = 0;
        while (got < sizeof(in)) {
            long n = lucid_io_read(c, fd, in + got, sizeof(in) - got);
            CHECK(n > 0);
            if (n <= 0) {
                break;
            }
            got += (size_t)n;
        }
        CHECK_MEM(in, got, out, sizeof(out));
    }

    /* Our close_notify ends the server's loop; its own close_notify ends ours: 0, not -1. */
    CHECK(lucid_io_close(c, fd) == 0);
    CHECK(lucid_io_read(c, fd, in, sizeof(in)) == 0);
    pthread_join(t, NULL);
    CHECK(s.hs_rc == 0);
    CHECK(s.last_read == 0);
    CHECK(s.close_rc == 0);
    close(fd);
    close(s.fd);
    lucid_conn_free(c);
    lucid_ctx_free(ctx);
}

static void test_untrusted_certificate(void)
{
    struct server s;
    pthread_t t;
    int fd;
    /* A CA file holding an unrelated certificate: the server's chain does not verify. */
    lucid_ctx *ctx = client_ctx(CERTS "rsa_cert.pem");
    lucid_conn *c = lucid_conn_new(ctx, "localhost");

    start(&s, HANDSHAKE_ONLY, &fd, &t);
    CHECK(lucid_io_handshake(c, fd) == -1);
    CHECK(errno == EPROTO);
    CHECK(lucid_conn_error(c)->code != 0);
    CHECK(strlen(lucid_io_error_text(c, EPROTO)) > 0);
    CHECK(strcmp(lucid_io_error_text(c, EPROTO), lucid_conn_error(c)->message) == 0);
    pthread_join(t, NULL);
    /* The client's alert reached the server, which says so. */
    CHECK(s.hs_rc == -1);
    CHECK(s.hs_errno == EPROTO);
    CHECK(s.from_peer == 1);
    close(fd);
    close(s.fd);
    lucid_conn_free(c);
    lucid_ctx_free(ctx);
}

static void test_peer_vanishes(void)
{
    struct server s;
    pthread_t t;
    int fd;
    uint8_t buf[100];
    lucid_ctx *ctx = client_ctx(CERTS "ca_cert.pem");
    lucid_conn *c = lucid_conn_new(ctx, "localhost");

    start(&s, DROP_AFTER_HANDSHAKE, &fd, &t);
    CHECK(lucid_io_handshake(c, fd) == 0);
    pthread_join(t, NULL);
    /* No close_notify, just the end of the stream: a possible truncation, never a clean 0. */
    CHECK(lucid_io_read(c, fd, buf, sizeof(buf)) == -1);
    CHECK(errno == ECONNABORTED);
    CHECK(strstr(lucid_io_error_text(c, ECONNABORTED), "close_notify") != NULL);
    CHECK(strcmp(lucid_io_error_text(c, EPIPE), strerror(EPIPE)) == 0);
    close(fd);
    close(s.fd);
    lucid_conn_free(c);
    lucid_ctx_free(ctx);
}

TEST_MAIN(test_echo_and_close, test_untrusted_certificate, test_peer_vanishes)
