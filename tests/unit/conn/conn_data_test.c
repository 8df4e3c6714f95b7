/*
 * Tests for the application-data paths of src/conn/conn.c (issue 9): what a
 * write puts in the pending view, how a read takes records where they were
 * opened, and that a connection gives its record buffers back once it has
 * nothing in flight (STYLE 3.7). A client engine and a server engine run in
 * memory, as in conn_test.c.
 */
#include "test.h"

#include <stdbool.h>

#include <lucid/lucid.h>

#include "base/error.h"
#include "conn/conn.h"
#include "record/record.h"

#define CERTS "vectors/certs/"

struct pair {
    lucid_ctx *sctx, *cctx;
    lucid_conn *s, *c;
};

/* Moves all `from` has to send into `to`, chunk bytes per feed (0: all at once). */
static size_t move(lucid_conn *from, lucid_conn *to, size_t chunk)
{
    const uint8_t *out;
    size_t n = lucid_conn_pending(from, &out), moved = 0;

    while (n > 0) {
        size_t k = chunk == 0 || chunk > n ? n : chunk;

        CHECK_OK(lucid_conn_feed(to, out, k));
        lucid_conn_consume(from, k);
        moved += k;
        n = lucid_conn_pending(from, &out);
    }
    return moved;
}

/* A handshake done, the server's tickets read by the client: both idle. */
static void pair_connect(struct pair *p)
{
    lucid_error err;
    uint8_t none[16];

    p->sctx = lucid_ctx_new(LUCID_SERVER, &err);
    p->cctx = lucid_ctx_new(LUCID_CLIENT, &err);
    CHECK(p->sctx != NULL && p->cctx != NULL);
    CHECK_OK(lucid_ctx_add_cert(p->sctx, CERTS "ecdsa_chain.pem", CERTS "ecdsa_key.pem", &err));
    CHECK_OK(lucid_ctx_set_ca_file(p->cctx, CERTS "ca_cert.pem", &err));
    p->s = lucid_conn_new(p->sctx, NULL);
    p->c = lucid_conn_new(p->cctx, "localhost");
    CHECK(p->s != NULL && p->c != NULL);
    for (int i = 0; i < 10 && move(p->c, p->s, 0) + move(p->s, p->c, 0) > 0; i++) {
    }
    CHECK(lucid_conn_state(p->c) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_state(p->s) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_read(p->c, none, sizeof(none)) == 0);
}

static void pair_free(struct pair *p)
{
    lucid_conn_free(p->c);
    lucid_conn_free(p->s);
    lucid_ctx_free(p->cctx);
    lucid_ctx_free(p->sctx);
}

/* Nothing in flight: no record buffer, no queue (STYLE 3.7). */
static bool holds_nothing(const lucid_conn *c)
{
    return c->in.body == NULL && c->out.p == NULL && c->plain.p == NULL && c->hsin.p == NULL &&
           c->hs.flight.p == NULL && c->view_len == 0;
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(i * seed + 5);
    }
}

/* An idle connection, after a handshake and after data both ways, holds no buffer. */
static void test_idle_holds_no_buffers(void)
{
    struct pair p = { 0 };
    uint8_t data[3000], got[3000];

    pair_connect(&p);
    CHECK(holds_nothing(p.s) && holds_nothing(p.c));
    fill(data, sizeof(data), 3);
    CHECK(lucid_conn_write(p.c, data, sizeof(data)) == (long)sizeof(data));
    move(p.c, p.s, 0);
    CHECK(lucid_conn_read(p.s, got, sizeof(got)) == (long)sizeof(data));
    CHECK_MEM(got, sizeof(data), data, sizeof(data));
    CHECK(lucid_conn_write(p.s, data, 100) == 100);
    move(p.s, p.c, 0);
    CHECK(lucid_conn_read(p.c, got, sizeof(got)) == 100);
    CHECK(holds_nothing(p.s) && holds_nothing(p.c));
    pair_free(&p);
}

/* 64 KiB written at once: four full records (RFC 8446 5.1) in one pending view. */
static void test_write_64k_is_four_records(void)
{
    static uint8_t data[65536], got[65536];
    struct pair p = { 0 };
    const uint8_t *out;
    size_t n, have = 0;
    long r;

    pair_connect(&p);
    fill(data, sizeof(data), 7);
    CHECK(lucid_conn_write(p.c, data, sizeof(data)) == (long)sizeof(data));
    n = lucid_conn_pending(p.c, &out);
    CHECK(n == sizeof(data) + 4 * LC_REC_PROTECT_OVERHEAD);
    for (size_t i = 0; i < 4; i++) {
        const uint8_t *h = out + i * (LC_REC_PLAINTEXT_MAX + LC_REC_PROTECT_OVERHEAD);
        size_t len = (size_t)h[3] << 8 | h[4];

        /* opaque_type 23, 0x0303, 2^14 of content + type + tag */
        CHECK(h[0] == LC_CT_APPLICATION_DATA && h[1] == 3 && h[2] == 3);
        CHECK(len == LC_REC_PLAINTEXT_MAX + 1 + LC_AEAD_TAG_LEN);
    }
    /* the records leave in one piece; the server reads them in odd sizes */
    move(p.c, p.s, 0);
    while ((r = lucid_conn_read(p.s, got + have, have + 1000 > sizeof(got) ? sizeof(got) - have
                                                                              : 1000)) > 0) {
        have += (size_t)r;
    }
    CHECK_MEM(got, have, data, sizeof(data));
    CHECK(holds_nothing(p.s) && holds_nothing(p.c));
    pair_free(&p);
}

/*
 * A record is read where it was opened: no copy to the plaintext queue while nothing
 * older is unread. When the next record arrives before the first is read out, the rest
 * of the first moves aside and the order holds.
 */
static void test_read_in_place_and_in_order(void)
{
    struct pair p = { 0 };
    uint8_t a[100], b[50], got[200];

    pair_connect(&p);
    memset(a, 'A', sizeof(a));
    memset(b, 'B', sizeof(b));
    CHECK(lucid_conn_write(p.c, a, sizeof(a)) == (long)sizeof(a));
    move(p.c, p.s, 0);
    CHECK(lucid_conn_state(p.s) & LUCID_HAS_DATA);
    CHECK(p.s->view_len == sizeof(a) && p.s->plain.p == NULL);
    CHECK(lucid_conn_read(p.s, got, 30) == 30);
    CHECK(p.s->view_len == 70 && p.s->in.body != NULL);

    /* a second record while 70 bytes of the first are unread */
    CHECK(lucid_conn_write(p.c, b, sizeof(b)) == (long)sizeof(b));
    move(p.c, p.s, 0);
    CHECK(p.s->view_len == 0 && p.s->plain.len == 70 + sizeof(b));
    CHECK(lucid_conn_read(p.s, got + 30, sizeof(got) - 30) == 70 + (long)sizeof(b));
    CHECK(memcmp(got, a, sizeof(a)) == 0 && memcmp(got + sizeof(a), b, sizeof(b)) == 0);
    CHECK(!(lucid_conn_state(p.s) & LUCID_HAS_DATA));
    CHECK(holds_nothing(p.s));

    /* several records in one feed, then one byte at a time */
    CHECK(lucid_conn_write(p.c, a, sizeof(a)) == (long)sizeof(a));
    CHECK(lucid_conn_write(p.c, b, sizeof(b)) == (long)sizeof(b));
    move(p.c, p.s, 7);
    for (size_t i = 0; i < sizeof(a) + sizeof(b); i++) {
        CHECK(lucid_conn_read(p.s, got + i, 1) == 1);
    }
    CHECK(lucid_conn_read(p.s, got, sizeof(got)) == 0);
    CHECK(memcmp(got, a, sizeof(a)) == 0 && memcmp(got + sizeof(a), b, sizeof(b)) == 0);
    CHECK(holds_nothing(p.s));
    pair_free(&p);
}

/* Unread data still comes out after the peer's close_notify, then the end (-1). */
static void test_read_after_close_notify(void)
{
    struct pair p = { 0 };
    uint8_t a[40], got[64];

    pair_connect(&p);
    memset(a, 'x', sizeof(a));
    CHECK(lucid_conn_write(p.c, a, sizeof(a)) == (long)sizeof(a));
    lucid_conn_close(p.c);
    move(p.c, p.s, 0);
    CHECK(lucid_conn_read(p.s, got, sizeof(got)) == (long)sizeof(a));
    CHECK_MEM(got, sizeof(a), a, sizeof(a));
    CHECK(lucid_conn_read(p.s, got, sizeof(got)) == -1);
    CHECK(holds_nothing(p.s));
    pair_free(&p);
}

TEST_MAIN(test_idle_holds_no_buffers, test_write_64k_is_four_records,
          test_read_in_place_and_in_order, test_read_after_close_notify)
