/*
 * engine_openssl: the same measurements as engine_lucid.c, done by OpenSSL's libssl over
 * memory BIOs. This file lives in bench/ only and is the only reason bench/ links libssl:
 * the library and its tools never do (tests/layering.sh).
 *
 * Who pays for what, matching engine_lucid.c: a side pays for SSL_new (and its BIOs) and
 * SSL_free, and for SSL_do_handshake / SSL_write / SSL_read on its own object. Moving bytes
 * between the BIOs is the network and is not timed (with a socket BIO, libssl would write
 * to the kernel instead). The client processes the server's NewSessionTickets with one
 * SSL_read after the handshake, as a real client does before its first response.
 *
 * Server settings as nginx's with `ssl_session_tickets on` and no session cache: stateless
 * tickets, --tickets of them (default 2, OpenSSL's) after each full handshake.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "engine.h"

#define ENGINE "openssl"

static struct bench_opts o;

static void ssl_die(const char *what)
{
    char msg[512], e[256];

    ERR_error_string_n(ERR_get_error(), e, sizeof(e));
    snprintf(msg, sizeof(msg), "%s: %s", what, e);
    bench_die(ENGINE, msg);
}

static SSL_CTX *make_ctx(bool server)
{
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());

    if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
        !SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256") ||
        !SSL_CTX_set1_groups_list(ctx, "X25519")) {
        ssl_die("SSL_CTX setup");
    }
    if (server) {
        if (SSL_CTX_use_certificate_chain_file(ctx, o.chain) != 1 ||
            SSL_CTX_use_PrivateKey_file(ctx, o.key, SSL_FILETYPE_PEM) != 1) {
            ssl_die("certificate");
        }
        SSL_CTX_set_num_tickets(ctx, (size_t)o.tickets);
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    } else {
        if (SSL_CTX_load_verify_locations(ctx, o.ca, NULL) != 1) {
            ssl_die("CA file");
        }
        SSL_CTX_set_verify(ctx, o.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
                                                SSL_SESS_CACHE_NO_INTERNAL_STORE);
    }
    return ctx;
}

static SSL *new_ssl(SSL_CTX *ctx, bool server)
{
    SSL *ssl = SSL_new(ctx);
    BIO *rb = BIO_new(BIO_s_mem()), *wb = BIO_new(BIO_s_mem());

    if (ssl == NULL || rb == NULL || wb == NULL) {
        ssl_die("SSL_new");
    }
    BIO_set_mem_eof_return(rb, -1); /* empty means "wait for more", not end of file */
    BIO_set_mem_eof_return(wb, -1);
    SSL_set_bio(ssl, rb, wb);
    if (server) {
        SSL_set_accept_state(ssl);
    } else {
        SSL_set_connect_state(ssl);
        if (!SSL_set_tlsext_host_name(ssl, "localhost") ||
            (o.verify && !SSL_set1_host(ssl, "localhost"))) {
            ssl_die("server name");
        }
    }
    return ssl;
}

/* The network: what `from` wrote goes to `to`'s input. Untimed. */
static size_t move(SSL *from, SSL *to)
{
    static char buf[1 << 16];
    size_t moved = 0;
    int n;

    while ((n = BIO_read(SSL_get_wbio(from), buf, sizeof(buf))) > 0) {
        if (BIO_write(SSL_get_rbio(to), buf, n) != n) {
            ssl_die("BIO_write");
        }
        moved += (size_t)n;
    }
    return moved;
}

/* Runs one side's handshake as far as it goes; 1 once done. */
static int step(SSL *ssl, struct bench_clock *clk, const char *side)
{
    bench_start(clk);
    int r = SSL_do_handshake(ssl);
    bench_stop(clk);
    if (r == 1) {
        return 1;
    }
    if (SSL_get_error(ssl, r) != SSL_ERROR_WANT_READ) {
        ssl_die(side);
    }
    return 0;
}

struct pair {
    SSL *s, *c;
};

/*
 * One handshake, each side's time on its clock. With a session the client offers it, and
 * the server must accept it. Afterwards the client has read the server's tickets, and
 * *next (if not NULL) receives the newest one.
 */
static void handshake(SSL_CTX *sctx, SSL_CTX *cctx, struct pair *p, SSL_SESSION *resume,
                      SSL_SESSION **next, struct bench_clock *sc, struct bench_clock *cc)
{
    bench_start(cc);
    p->c = new_ssl(cctx, false);
    if (resume != NULL && SSL_set_session(p->c, resume) != 1) {
        ssl_die("SSL_set_session");
    }
    bench_stop(cc);
    bench_start(sc);
    p->s = new_ssl(sctx, true);
    bench_stop(sc);

    int c_done = 0, s_done = 0;
    for (int rounds = 0; !(c_done && s_done); rounds++) {
        if (rounds > 10) {
            bench_die(ENGINE, "the handshake does not finish");
        }
        if (!c_done) {
            c_done = step(p->c, cc, "client handshake");
        }
        move(p->c, p->s);
        if (!s_done) {
            s_done = step(p->s, sc, "server handshake");
        }
        move(p->s, p->c);
    }
    /* the tickets that came after the server's handshake */
    char b;
    bench_start(cc);
    int r = SSL_read(p->c, &b, 1);
    bench_stop(cc);
    if (r > 0 || SSL_get_error(p->c, r) != SSL_ERROR_WANT_READ) {
        ssl_die("client reading the tickets");
    }
    if (resume != NULL && !SSL_session_reused(p->s)) {
        bench_die(ENGINE, "the server did not resume the session offered");
    }
    if (resume == NULL && SSL_session_reused(p->s)) {
        bench_die(ENGINE, "a full handshake was resumed");
    }
    if (next != NULL) {
        bench_start(cc);
        *next = SSL_get1_session(p->c);
        bench_stop(cc);
    }
}

static void pair_free(struct pair *p, struct bench_clock *sc, struct bench_clock *cc)
{
    /* a clean end: libssl would otherwise mark the client's session not resumable */
    SSL_set_shutdown(p->c, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_set_shutdown(p->s, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    bench_start(cc);
    SSL_free(p->c);
    bench_stop(cc);
    bench_start(sc);
    SSL_free(p->s);
    bench_stop(sc);
}

static void handshakes(SSL_CTX *sctx, SSL_CTX *cctx, bool resumed)
{
    struct bench_clock sc = { 0 }, cc = { 0 }, sc0 = { 0 }, cc0 = { 0 }, warm = { 0 };
    struct bench_samples ss = { 0 }, cs = { 0 };
    SSL_SESSION *sess = NULL;
    struct pair p;

    for (int i = 0; i < 20; i++) { /* warm-up, and the first ticket */
        SSL_SESSION *next = NULL;
        handshake(sctx, cctx, &p, resumed ? sess : NULL, resumed ? &next : NULL, &warm, &warm);
        pair_free(&p, &warm, &warm);
        SSL_SESSION_free(sess);
        sess = next;
    }
    uint64_t end = bench_ns() + (uint64_t)(o.seconds * 1e9);
    while (bench_ns() < end) {
        SSL_SESSION *next = NULL;
        handshake(sctx, cctx, &p, resumed ? sess : NULL, resumed ? &next : NULL, &sc, &cc);
        pair_free(&p, &sc, &cc);
        bench_start(&cc);
        SSL_SESSION_free(sess);
        bench_stop(&cc);
        sess = next;
        bench_sample_since(&ss, &sc, &sc0);
        bench_sample_since(&cs, &cc, &cc0);
    }
    SSL_SESSION_free(sess);
    char extra[96];
    snprintf(extra, sizeof(extra), "verify=%s tickets=%d", o.verify ? "chain+name" : "off",
             o.tickets);
    bench_print_handshakes(ENGINE, resumed ? "resumed_handshake" : "full_handshake", &ss, &cs,
                           extra);
}

/*
 * Records of `size` bytes, client to server, in batches of about 1 MiB (engine_lucid.c):
 * each SSL_write is timed and its record taken out of the memory BIO untimed (a socket BIO
 * would send it), then the server reads them back with SSL_read.
 */
static void records(SSL_CTX *sctx, SSL_CTX *cctx, size_t size, bool seal_wanted,
                    bool open_wanted)
{
    struct bench_clock seal = { 0 }, open = { 0 }, seal0 = { 0 }, open0 = { 0 }, none = { 0 };
    struct bench_samples seals = { 0 }, opens = { 0 };
    size_t batch = (1u << 20) / size;
    uint8_t *data = malloc(size), *plain = malloc(size);
    struct pair p;

    if (data == NULL || plain == NULL) {
        bench_die(ENGINE, "out of memory");
    }
    for (size_t i = 0; i < size; i++) {
        data[i] = (uint8_t)(i * 31 + 7);
    }
    handshake(sctx, cctx, &p, NULL, NULL, &none, &none);
    uint64_t end = bench_ns() + (uint64_t)(o.seconds * 1e9);
    for (int round = 0; round < 2 || bench_ns() < end; round++) {
        struct bench_clock *sc = round == 0 ? &none : &seal, *oc = round == 0 ? &none : &open;
        for (size_t i = 0; i < batch; i++) {
            bench_start(sc);
            if (SSL_write(p.c, data, (int)size) != (int)size) {
                ssl_die("SSL_write");
            }
            bench_stop(sc);
            move(p.c, p.s); /* the network: untimed */
        }

        size_t got = 0;
        for (;;) {
            bench_start(oc);
            int r = SSL_read(p.s, plain, (int)size);
            bench_stop(oc);
            if (r <= 0) {
                if (SSL_get_error(p.s, r) != SSL_ERROR_WANT_READ) {
                    ssl_die("SSL_read");
                }
                break;
            }
            got += (size_t)r;
        }
        if (got != batch * size || memcmp(plain, data, size) != 0) {
            bench_die(ENGINE, "the server did not get back what the client sealed");
        }
        if (round > 0) {
            bench_sample_since(&seals, &seal, &seal0);
            bench_sample_since(&opens, &open, &open0);
        }
    }
    char seal_op[32], open_op[32];
    snprintf(seal_op, sizeof(seal_op), "seal_%zuk", size / 1024);
    snprintf(open_op, sizeof(open_op), "open_%zuk", size / 1024);
    if (seal_wanted) {
        bench_print_records(ENGINE, seal_op, &seals, batch, size);
    }
    if (open_wanted) {
        bench_print_records(ENGINE, open_op, &opens, batch, size);
    }
    pair_free(&p, &none, &none);
    free(data);
    free(plain);
}

int main(int argc, char **argv)
{
    bench_parse(argc, argv, ENGINE, &o);
    bench_calibrate();
    SSL_CTX *sctx = make_ctx(true), *cctx = make_ctx(false);

    printf("engine=%s version=\"%s\"\n", ENGINE, OpenSSL_version(OPENSSL_VERSION));
    if (o.want[OP_FULL]) {
        handshakes(sctx, cctx, false);
    }
    if (o.want[OP_RESUMED]) {
        handshakes(sctx, cctx, true);
    }
    if (o.want[OP_SEAL_1K] || o.want[OP_OPEN_1K]) {
        records(sctx, cctx, 1024, o.want[OP_SEAL_1K], o.want[OP_OPEN_1K]);
    }
    if (o.want[OP_SEAL_16K] || o.want[OP_OPEN_16K]) {
        records(sctx, cctx, 16384, o.want[OP_SEAL_16K], o.want[OP_OPEN_16K]);
    }
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    return 0;
}
