/*
 * engine_lucid: Lucid's client and server engines wired together in memory through the
 * public API (include/lucid/lucid.h), each side's calls timed apart (engine.h).
 *
 * Who pays for what, the same split as engine_openssl.c: a side pays for creating and
 * freeing its connection, for lucid_conn_pending/consume on what it sends (the view a
 * socket write would take) and for lucid_conn_feed/read on what it receives. Moving bytes
 * between the two is the network and is not timed (here it is free: feed reads the view).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lucid/lucid.h>

#include "engine.h"

#define ENGINE "lucid"

/*
 * Resumption (lucid_conn_get_session / lucid_conn_set_session) came to the API after this
 * benchmark: bench/CMakeLists.txt sets this to 1 when the public header declares it, so the
 * benchmark builds against either.
 */
#ifndef LUCID_BENCH_HAVE_SESSION
#define LUCID_BENCH_HAVE_SESSION 0
#endif

static struct bench_opts o;

static void check(int rc, const lucid_error *err, const char *what)
{
    if (rc != 0) {
        char msg[512];
        snprintf(msg, sizeof(msg), "%s: %s", what, err->message);
        bench_die(ENGINE, msg);
    }
}

static lucid_ctx *make_ctx(enum lucid_role role)
{
    lucid_error err = { 0 };
    lucid_ctx *ctx = lucid_ctx_new(role, &err);

    if (ctx == NULL) {
        check(-1, &err, "lucid_ctx_new");
    }
    check(lucid_ctx_set_ciphers(ctx, "TLS_AES_128_GCM_SHA256", &err), &err, "ciphers");
    check(lucid_ctx_set_groups(ctx, "x25519", &err), &err, "groups");
    if (role == LUCID_SERVER) {
        check(lucid_ctx_add_cert(ctx, o.chain, o.key, &err), &err, "certificate");
#if LUCID_BENCH_HAVE_SESSION
        lucid_ctx_set_tickets(ctx, (unsigned)o.tickets); /* as many as libssl sends */
#endif
    } else {
        check(lucid_ctx_set_ca_file(ctx, o.ca, &err), &err, "CA file");
        lucid_ctx_set_verify(ctx, o.verify);
    }
    return ctx;
}

static void conn_failed(lucid_conn *c, const char *side)
{
    char msg[512];

    snprintf(msg, sizeof(msg), "%s: %s", side, lucid_conn_error(c)->message);
    bench_die(ENGINE, msg);
}

/* Moves everything `from` has to send into `to`; returns how many bytes. */
static size_t move(lucid_conn *from, struct bench_clock *fc, lucid_conn *to,
                   struct bench_clock *tc)
{
    size_t moved = 0;

    for (;;) {
        const uint8_t *out;
        bench_start(fc);
        size_t n = lucid_conn_pending(from, &out);
        bench_stop(fc);
        if (n == 0) {
            return moved;
        }
        bench_start(tc);
        int rc = lucid_conn_feed(to, out, n);
        bench_stop(tc);
        bench_start(fc);
        lucid_conn_consume(from, n);
        bench_stop(fc);
        if (rc != 0) {
            conn_failed(to, "feed");
        }
        moved += n;
    }
}

struct pair {
    lucid_conn *s, *c;
};

/* A session blob (lucid_conn_get_session) for the next resumed handshake. */
struct session {
    uint8_t *blob;
    size_t len, cap;
};

/*
 * One handshake, each side's time added to its clock; the pair is left connected. With a
 * session the client offers it and the server must resume it; without one it must not.
 * Afterwards `next` (if not NULL) holds the newest ticket the client received.
 */
static void handshake(lucid_ctx *sctx, lucid_ctx *cctx, struct pair *p,
                      const struct session *resume, struct session *next,
                      struct bench_clock *sc, struct bench_clock *cc)
{
    bench_start(cc);
    p->c = lucid_conn_new(cctx, "localhost");
#if LUCID_BENCH_HAVE_SESSION
    lucid_error err = { 0 };
    if (p->c != NULL && resume != NULL &&
        lucid_conn_set_session(p->c, resume->blob, resume->len, &err) != 0) {
        check(-1, &err, "lucid_conn_set_session");
    }
#endif
    bench_stop(cc);
    bench_start(sc);
    p->s = lucid_conn_new(sctx, NULL);
    bench_stop(sc);
    if (p->c == NULL || p->s == NULL) {
        bench_die(ENGINE, "lucid_conn_new: out of memory");
    }
    /* until neither side has anything to send: the server's tickets have been read too */
    while (move(p->c, cc, p->s, sc) + move(p->s, sc, p->c, cc) > 0) {
    }
    if (!(lucid_conn_state(p->c) & LUCID_CAN_WRITE)) {
        conn_failed(p->c, "client handshake");
    }
    if (!(lucid_conn_state(p->s) & LUCID_CAN_WRITE)) {
        conn_failed(p->s, "server handshake");
    }
#if LUCID_BENCH_HAVE_SESSION
    if (lucid_conn_resumed(p->s) != (resume != NULL)) {
        bench_die(ENGINE, resume != NULL ? "the server did not resume the session offered"
                                         : "a full handshake was resumed");
    }
    if (next != NULL) {
        bench_start(cc);
        size_t len = lucid_conn_get_session(p->c, NULL, 0);
        if (len > next->cap) {
            next->cap = len;
            next->blob = realloc(next->blob, len);
        }
        if (len == 0 || next->blob == NULL ||
            lucid_conn_get_session(p->c, next->blob, next->cap) != len) {
            bench_die(ENGINE, "the client got no session ticket");
        }
        next->len = len;
        bench_stop(cc);
    }
#else
    (void)resume;
    (void)next;
#endif
}

static void pair_free(struct pair *p, struct bench_clock *sc, struct bench_clock *cc)
{
    bench_start(cc);
    lucid_conn_free(p->c);
    bench_stop(cc);
    bench_start(sc);
    lucid_conn_free(p->s);
    bench_stop(sc);
}

static void handshakes(lucid_ctx *sctx, lucid_ctx *cctx, bool resumed)
{
    struct bench_clock sc = { 0 }, cc = { 0 }, sc0 = { 0 }, cc0 = { 0 }, warm = { 0 };
    struct bench_samples ss = { 0 }, cs = { 0 };
    struct session sess[2] = { { 0 } };
    int cur = 0; /* sess[cur] is offered; the ticket it brings goes to the other */
    struct pair p;

    if (resumed && !LUCID_BENCH_HAVE_SESSION) {
        bench_print_na(ENGINE, "resumed_handshake",
                       "no lucid_conn_get_session/lucid_conn_set_session in this build");
        return;
    }
    /* warm-up (lazy loads, caches) and, for resumption, the first ticket */
    for (int i = 0; i < 20; i++) {
        handshake(sctx, cctx, &p, resumed && i > 0 ? &sess[cur] : NULL,
                  resumed ? &sess[!cur] : NULL, &warm, &warm);
        pair_free(&p, &warm, &warm);
        cur = resumed ? !cur : cur;
    }
    uint64_t end = bench_ns() + (uint64_t)(o.seconds * 1e9);
    while (bench_ns() < end) {
        handshake(sctx, cctx, &p, resumed ? &sess[cur] : NULL, resumed ? &sess[!cur] : NULL,
                  &sc, &cc);
        pair_free(&p, &sc, &cc);
        cur = resumed ? !cur : cur;
        bench_sample_since(&ss, &sc, &sc0);
        bench_sample_since(&cs, &cc, &cc0);
    }
    char extra[96];
    snprintf(extra, sizeof(extra), "verify=%s tickets=%d", o.verify ? "chain+name" : "off",
             LUCID_BENCH_HAVE_SESSION ? o.tickets : 0);
    bench_print_handshakes(ENGINE, resumed ? "resumed_handshake" : "full_handshake", &ss, &cs,
                           extra);
    free(sess[0].blob);
    free(sess[1].blob);
}

/*
 * Records of `size` bytes from the client to the server, in batches of about 1 MiB: the
 * client seals each record and hands it over before the next (lucid_conn_write, then the
 * pending view taken and consumed), as a server writing to a socket does; the wire bytes
 * are copied aside untimed; then the server opens them one record at a time
 * (lucid_conn_feed, lucid_conn_read), as a server reading a socket would.
 */
static void records(lucid_ctx *sctx, lucid_ctx *cctx, size_t size, bool seal_wanted,
                    bool open_wanted)
{
    struct bench_clock seal = { 0 }, open = { 0 }, seal0 = { 0 }, open0 = { 0 }, none = { 0 };
    struct bench_samples seals = { 0 }, opens = { 0 };
    size_t batch = (1u << 20) / size, wire_cap = batch * (size + 64);
    uint8_t *data = malloc(size), *plain = malloc(size), *wire = malloc(wire_cap);
    size_t *ends = calloc(batch, sizeof(*ends));
    struct pair p;

    if (data == NULL || plain == NULL || wire == NULL || ends == NULL) {
        bench_die(ENGINE, "out of memory");
    }
    for (size_t i = 0; i < size; i++) {
        data[i] = (uint8_t)(i * 31 + 7);
    }
    handshake(sctx, cctx, &p, NULL, NULL, &none, &none);
    uint64_t end = bench_ns() + (uint64_t)(o.seconds * 1e9);
    for (int round = 0; round < 2 || bench_ns() < end; round++) {
        struct bench_clock *sc = round == 0 ? &none : &seal, *oc = round == 0 ? &none : &open;
        size_t len = 0;
        for (size_t i = 0; i < batch; i++) {
            const uint8_t *out;
            bench_start(sc);
            if (lucid_conn_write(p.c, data, size) != (long)size) {
                conn_failed(p.c, "write");
            }
            size_t n = lucid_conn_pending(p.c, &out);
            bench_stop(sc);
            if (len + n > wire_cap) {
                bench_die(ENGINE, "a record is larger than expected");
            }
            memcpy(wire + len, out, n); /* the network: untimed */
            len += n;
            ends[i] = len;
            bench_start(sc);
            lucid_conn_consume(p.c, n);
            bench_stop(sc);
        }
        size_t got = 0;
        for (size_t i = 0, off = 0; i < batch; off = ends[i++]) {
            bench_start(oc);
            if (lucid_conn_feed(p.s, wire + off, ends[i] - off) != 0) {
                conn_failed(p.s, "feed");
            }
            long r;
            while ((r = lucid_conn_read(p.s, plain, size)) > 0) {
                got += (size_t)r;
            }
            bench_stop(oc);
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
    free(ends);
    free(wire);
    free(data);
    free(plain);
}

int main(int argc, char **argv)
{
    bench_parse(argc, argv, ENGINE, &o);
    bench_calibrate();
    lucid_ctx *sctx = make_ctx(LUCID_SERVER), *cctx = make_ctx(LUCID_CLIENT);

    printf("engine=%s version=%s\n", ENGINE, LUCID_VERSION_STRING);
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
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
    return 0;
}
