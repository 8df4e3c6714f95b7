/*
 * Resumption and 0-RTT data with a client engine and a server engine wired
 * together in memory (RFC 8446 2.2, 2.3, 4.2.9-4.2.11, 4.6.1, 8): a ticket from
 * a full handshake resumes the next one, in psk_dhe_ke and psk_ke mode; 0-RTT
 * data accepted, and rejected for each rule of early_data.h; a replayed
 * ClientHello; retired and rotated ticket keys; a tampered binder; the age
 * window; HelloRetryRequest with a PSK; one byte at a time; the session blob.
 * Both sides run on a fake clock (lucid_ctx_set_time).
 */
#include "test.h"

#include <stdbool.h>
#include <unistd.h>

#include <lucid/lucid.h>

#include "base/error.h"
#include "conn/conn.h"

#define CERTS "vectors/certs/"
/* A fixed "now" in ms since the epoch (2100-01-01): inside the test certificates' validity,
 * which the client checks on this clock too. */
#define T0 4102444800000ull

static uint64_t clock_of(void *arg)
{
    return *(const uint64_t *)arg;
}

/* One clock per side, so a test can make them disagree. */
static uint64_t server_now = T0, client_now = T0;

/* Both clocks agree again (each test starts with this, through server_ctx). */
static void sync_clocks(void)
{
    server_now = client_now = server_now > client_now ? server_now : client_now;
}

static lucid_ctx *server_ctx(uint32_t early)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_SERVER, &err);

    sync_clocks();
    CHECK(ctx != NULL);
    CHECK_OK(lucid_ctx_add_cert(ctx, CERTS "ecdsa_chain.pem", CERTS "ecdsa_key.pem", &err));
    lucid_ctx_set_time(ctx, clock_of, &server_now);
    CHECK_OK(lucid_ctx_set_early_data(ctx, early, &err));
    return ctx;
}

static lucid_ctx *client_ctx(uint32_t early)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_CLIENT, &err);

    CHECK(ctx != NULL);
    CHECK_OK(lucid_ctx_set_ca_file(ctx, CERTS "ca_cert.pem", &err));
    lucid_ctx_set_time(ctx, clock_of, &client_now);
    CHECK_OK(lucid_ctx_set_early_data(ctx, early, &err));
    return ctx;
}

/* Moves what `from` has to send into `to`, chunk bytes per feed (0: all at once). */
static size_t move(lucid_conn *from, lucid_conn *to, size_t chunk)
{
    const uint8_t *out;
    size_t n = lucid_conn_pending(from, &out), moved = 0;

    while (n > 0) {
        size_t k = chunk == 0 || chunk > n ? n : chunk;

        lucid_conn_feed(to, out, k);
        lucid_conn_consume(from, k);
        moved += k;
        n = lucid_conn_pending(from, &out);
    }
    return moved;
}

static void pump(lucid_conn *c, lucid_conn *s, size_t chunk)
{
    for (int i = 0; i < 100; i++) {
        if (move(c, s, chunk) + move(s, c, chunk) == 0) {
            return;
        }
    }
    CHECK(!"pump did not settle");
}

/* Everything c can read now, into buf; returns the count. */
static size_t read_all(lucid_conn *c, uint8_t *buf, size_t cap)
{
    size_t have = 0;
    long n;

    while (have < cap && (n = lucid_conn_read(c, buf + have, cap - have)) > 0) {
        have += (size_t)n;
    }
    return have;
}

/* A handshake, full or resumed (with session, if not NULL); returns the new session. */
struct run {
    lucid_conn *c, *s;
    uint8_t session[8192];
    size_t session_len;
};

static void run_start(struct run *r, lucid_ctx *sctx, lucid_ctx *cctx, const struct run *from)
{
    lucid_error err;

    r->s = lucid_conn_new(sctx, NULL);
    r->c = lucid_conn_new(cctx, "localhost");
    CHECK(r->s != NULL && r->c != NULL);
    if (from != NULL) {
        CHECK_OK(lucid_conn_set_session(r->c, from->session, from->session_len, &err));
    }
}

static void run_finish(struct run *r)
{
    pump(r->c, r->s, 0);
    CHECK(lucid_conn_state(r->c) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_state(r->s) & LUCID_CAN_WRITE);
    r->session_len = lucid_conn_get_session(r->c, r->session, sizeof(r->session));
    CHECK(r->session_len <= sizeof(r->session));
}

static void run_free(struct run *r)
{
    lucid_conn_free(r->c);
    lucid_conn_free(r->s);
    r->c = r->s = NULL;
}

/* A full handshake whose session is kept in r. */
static void full(struct run *r, lucid_ctx *sctx, lucid_ctx *cctx)
{
    run_start(r, sctx, cctx, NULL);
    run_finish(r);
    CHECK(!lucid_conn_resumed(r->c) && !lucid_conn_resumed(r->s));
    CHECK(r->session_len > 0);
    run_free(r);
}

static void check_data(lucid_conn *a, lucid_conn *b, lucid_conn *c, lucid_conn *s)
{
    uint8_t buf[64];

    CHECK(lucid_conn_write(a, (const uint8_t *)"ping", 4) == 4);
    pump(c, s, 0);
    CHECK_MEM(buf, read_all(b, buf, sizeof(buf)), "ping", 4);
}

static void test_resumption(void)
{
    lucid_ctx *sctx = server_ctx(0), *cctx = client_ctx(0);
    struct run first, second, third;
    lucid_stats st;

    full(&first, sctx, cctx);
    lucid_ctx_get_stats(sctx, &st);
    CHECK(st.handshakes == 1 && st.resumed == 0 && st.tickets_issued == 2);

    client_now += 5000;
    server_now += 5000;
    run_start(&second, sctx, cctx, &first);
    run_finish(&second);
    CHECK(lucid_conn_resumed(second.c) && lucid_conn_resumed(second.s));
    /* no certificate, no signature: the PSK authenticates (RFC 8446 2.2) */
    CHECK(lucid_conn_sig_scheme(second.c) == 0 && lucid_conn_sig_scheme(second.s) == 0);
    CHECK(lucid_conn_group(second.c) == 0x001d); /* psk_dhe_ke: an (EC)DHE exchange too */
    CHECK(lucid_conn_early_data(second.c) == LUCID_EARLY_NONE);
    check_data(second.c, second.s, second.c, second.s);
    check_data(second.s, second.c, second.c, second.s);
    /* a resumed connection gets tickets of its own, and they resume too */
    CHECK(second.session_len > 0);
    run_free(&second);
    run_start(&third, sctx, cctx, &second);
    run_finish(&third);
    CHECK(lucid_conn_resumed(third.s));
    run_free(&third);

    lucid_ctx_get_stats(sctx, &st);
    /* 2 after the full handshake, 1 after each resumed one (lucid_ctx_set_tickets) */
    CHECK(st.handshakes == 3 && st.resumed == 2 && st.tickets_issued == 4);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/* psk_ke (RFC 8446 4.2.9) only when both sides allow it; psk_dhe_ke preferred. */
static void resume_with_modes(const char *server_modes, const char *client_modes, int resumed,
                              uint16_t group)
{
    lucid_ctx *sctx = server_ctx(0), *cctx = client_ctx(0);
    struct run first, second;
    lucid_error err;

    CHECK_OK(lucid_ctx_set_psk_modes(sctx, server_modes, &err));
    CHECK_OK(lucid_ctx_set_psk_modes(cctx, client_modes, &err));
    run_start(&first, sctx, cctx, NULL);
    run_finish(&first);
    run_free(&first);
    if (!resumed) {
        /* 4.2.9: no ticket for a client that could not use it */
        CHECK(first.session_len == 0);
        lucid_ctx_free(cctx);
        lucid_ctx_free(sctx);
        return;
    }
    run_start(&second, sctx, cctx, &first);
    run_finish(&second);
    CHECK(lucid_conn_resumed(second.s) == resumed && lucid_conn_resumed(second.c) == resumed);
    CHECK(lucid_conn_group(second.s) == group && lucid_conn_group(second.c) == group);
    check_data(second.c, second.s, second.c, second.s);
    run_free(&second);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

static void test_psk_modes(void)
{
    resume_with_modes("psk_ke", "psk_ke", 1, 0);                    /* no (EC)DHE at all */
    resume_with_modes("psk_dhe_ke,psk_ke", "psk_ke:psk_dhe_ke", 1, 0x001d);
    resume_with_modes("psk_dhe_ke:psk_ke", "psk_ke", 1, 0);
    resume_with_modes("psk_dhe_ke", "psk_ke:psk_dhe_ke", 1, 0x001d);
    /* default psk_dhe_ke on the server: a psk_ke-only client gets no tickets at all */
    resume_with_modes("psk_dhe_ke", "psk_ke", 0, 0x001d);
}

static void test_bad_psk_modes(void)
{
    lucid_ctx *ctx = client_ctx(0);
    lucid_error err;

    CHECK_RC(lucid_ctx_set_psk_modes(ctx, "psk_dhe_ke:psk_xx", &err), LC_E_CONFIG);
    CHECK(strstr(err.message, "psk_xx") != NULL);
    lucid_ctx_free(ctx);
}

/* Starts a resumption that sends early data; returns what write_early took. */
static long start_early(struct run *r, lucid_ctx *sctx, lucid_ctx *cctx, const struct run *from,
                        const char *data)
{
    run_start(r, sctx, cctx, from);
    return lucid_conn_write_early(r->c, (const uint8_t *)data, strlen(data));
}

static void test_early_data_accepted(void)
{
    lucid_ctx *sctx = server_ctx(16384), *cctx = client_ctx(1);
    struct run first, second;
    uint8_t buf[256];
    size_t n;

    full(&first, sctx, cctx);
    client_now += 1200;
    server_now += 1200;
    CHECK(start_early(&second, sctx, cctx, &first, "GET / HTTP/1.1\r\n\r\n") == 18);
    CHECK(lucid_conn_early_data(second.c) == LUCID_EARLY_PENDING);
    /* the client's first flight alone: the server reads the data before the handshake ends */
    move(second.c, second.s, 0);
    CHECK(!(lucid_conn_state(second.s) & LUCID_CAN_WRITE));
    CHECK(lucid_conn_in_early_data(second.s) == 1);
    n = read_all(second.s, buf, sizeof(buf));
    CHECK_MEM(buf, n, "GET / HTTP/1.1\r\n\r\n", 18);
    CHECK(lucid_conn_in_early_data(second.s) == 1); /* what was just read was early */
    run_finish(&second);
    CHECK(lucid_conn_early_data(second.c) == LUCID_EARLY_ACCEPTED);
    CHECK(lucid_conn_early_data(second.s) == LUCID_EARLY_ACCEPTED);
    CHECK(lucid_conn_resumed(second.c) && lucid_conn_resumed(second.s));
    /* data after the handshake is not early */
    CHECK(lucid_conn_write(second.c, (const uint8_t *)"more", 4) == 4);
    pump(second.c, second.s, 0);
    CHECK_MEM(buf, read_all(second.s, buf, sizeof(buf)), "more", 4);
    CHECK(lucid_conn_in_early_data(second.s) == 0);
    /* the early secret is gone once EndOfEarlyData has passed */
    static const uint8_t zero[sizeof(lc_secret)];
    CHECK(memcmp(&second.s->hs.early.secret, zero, sizeof(zero)) == 0);
    CHECK(memcmp(&second.c->hs.early.secret, zero, sizeof(zero)) == 0);
    CHECK(memcmp(&second.s->hs.resumption, zero, sizeof(zero)) == 0);
    run_free(&second);
    lucid_stats st;
    lucid_ctx_get_stats(sctx, &st);
    CHECK(st.early_accepted == 1 && st.early_rejected == 0);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/* Early data split and mixed with later data, delivered a byte at a time. */
static void test_early_data_byte_by_byte(void)
{
    lucid_ctx *sctx = server_ctx(16384), *cctx = client_ctx(1);
    struct run first, second;
    uint8_t buf[256];
    size_t n = 0;
    long k;

    full(&first, sctx, cctx);
    CHECK(start_early(&second, sctx, cctx, &first, "early one, ") == 11);
    CHECK(lucid_conn_write_early(second.c, (const uint8_t *)"early two", 9) == 9);
    pump(second.c, second.s, 1);
    CHECK(lucid_conn_early_data(second.c) == LUCID_EARLY_ACCEPTED);
    CHECK(lucid_conn_write_early(second.c, (const uint8_t *)"late", 4) == -1);
    CHECK(lucid_conn_write(second.c, (const uint8_t *)"; late", 6) == 6);
    pump(second.c, second.s, 1);
    /* reads stop at the end of the early data */
    while ((k = lucid_conn_read(second.s, buf + n, sizeof(buf) - n)) > 0) {
        CHECK(lucid_conn_in_early_data(second.s) == (n < 20));
        n += (size_t)k;
        if (n == 20) {
            CHECK_MEM(buf, n, "early one, early two", 20);
        }
    }
    CHECK_MEM(buf, n, "early one, early two; late", 26);
    run_free(&second);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/*
 * 0-RTT offered and rejected with the handshake otherwise fine: the server
 * reads none of it, the client learns it was rejected and sends it again.
 */
static void expect_rejected(struct run *r, int resumed, const char *why)
{
    uint8_t buf[64];

    run_finish(r);
    /* the server's reason, as the trace tells it (early_data.c) */
    CHECK(r->s->hs.early.why != NULL && strstr(r->s->hs.early.why, why) != NULL);
    CHECK(lucid_conn_early_data(r->c) == LUCID_EARLY_REJECTED);
    CHECK(lucid_conn_early_data(r->s) == LUCID_EARLY_REJECTED);
    CHECK(lucid_conn_resumed(r->c) == resumed && lucid_conn_resumed(r->s) == resumed);
    CHECK(lucid_conn_read(r->s, buf, sizeof(buf)) == 0); /* skipped, never delivered */
    CHECK(lucid_conn_write(r->c, (const uint8_t *)"again", 5) == 5);
    pump(r->c, r->s, 0);
    CHECK_MEM(buf, read_all(r->s, buf, sizeof(buf)), "again", 5);
    CHECK(lucid_conn_in_early_data(r->s) == 0);
}

static void test_early_data_off_on_the_server(void)
{
    lucid_ctx *sctx = server_ctx(16384), *cctx = client_ctx(1);
    struct run first, second;
    lucid_error err;
    lucid_stats st;

    full(&first, sctx, cctx);
    /* the ticket allows 0-RTT, but the server has since turned it off */
    CHECK_OK(lucid_ctx_set_early_data(sctx, 0, &err));
    CHECK(start_early(&second, sctx, cctx, &first, "data") == 4);
    expect_rejected(&second, 1, "0-RTT data is off on this server");
    run_free(&second);
    lucid_ctx_get_stats(sctx, &st);
    CHECK(st.early_rejected == 1 && st.early_accepted == 0);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

static void test_early_data_not_possible(void)
{
    lucid_ctx *sctx = server_ctx(0), *cctx = client_ctx(1), *cctx2 = client_ctx(0);
    struct run first, second;

    /* a ticket that allows none: the client does not even offer it */
    full(&first, sctx, cctx);
    CHECK(start_early(&second, sctx, cctx, &first, "data") == -1);
    run_finish(&second);
    CHECK(lucid_conn_resumed(second.c) && lucid_conn_early_data(second.c) == LUCID_EARLY_NONE);
    run_free(&second);
    lucid_ctx_free(sctx);
    /* a client context without lucid_ctx_set_early_data, with a ticket that allows it */
    sctx = server_ctx(100);
    full(&first, sctx, cctx2);
    CHECK(start_early(&second, sctx, cctx2, &first, "data") == -1);
    run_free(&second);
    /* no session at all */
    CHECK(start_early(&second, sctx, cctx, NULL, "data") == -1);
    run_free(&second);
    lucid_ctx_free(cctx2);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/* The ticket's max_early_data_size, on both sides (RFC 8446 4.6.1). */
static void test_early_data_limit(void)
{
    lucid_ctx *sctx = server_ctx(100), *cctx = client_ctx(1);
    struct run first, second;
    char big[300];

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    full(&first, sctx, cctx);
    CHECK(start_early(&second, sctx, cctx, &first, big) == 100);
    CHECK(lucid_conn_write_early(second.c, (const uint8_t *)"y", 1) == 0);
    run_finish(&second);
    CHECK(lucid_conn_early_data(second.s) == LUCID_EARLY_ACCEPTED);
    run_free(&second);

    /* a client that sends more than the ticket allows: unexpected_message */
    run_start(&second, sctx, cctx, &first);
    CHECK(lucid_conn_write_early(second.c, (const uint8_t *)"y", 1) == 1);
    second.c->hs.early.max = 1000; /* pretend the ticket said so */
    CHECK(lucid_conn_write_early(second.c, (const uint8_t *)big, 200) == 200);
    move(second.c, second.s, 0);
    CHECK_RC(lucid_conn_error(second.s)->code, LC_E_UNEXPECTED_MESSAGE);
    CHECK(lucid_conn_error(second.s)->alert == LC_ALERT_UNEXPECTED_MESSAGE);
    run_free(&second);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/*
 * A full handshake (first), then a resumed one with 0-RTT data (second) that the server
 * takes: returns a copy (malloc) of the client's first flight, *n bytes, for replaying.
 */
static uint8_t *accepted_0rtt(struct run *first, struct run *second, lucid_ctx *sctx,
                              lucid_ctx *cctx, const char *data, size_t *n)
{
    const uint8_t *out;
    uint8_t *flight;

    full(first, sctx, cctx);
    CHECK(start_early(second, sctx, cctx, first, data) == (long)strlen(data));
    *n = lucid_conn_pending(second->c, &out);
    flight = malloc(*n);
    memcpy(flight, out, *n);
    run_finish(second);
    CHECK(lucid_conn_early_data(second->s) == LUCID_EARLY_ACCEPTED);
    return flight;
}

/* RFC 8446 8.2: the same 0-RTT ClientHello twice is accepted at most once. */
static void test_replay(void)
{
    lucid_ctx *sctx = server_ctx(16384), *cctx = client_ctx(1);
    struct run first, second;
    lucid_conn *again;
    uint8_t *flight, buf[64];
    size_t n;
    lucid_stats st;

    flight = accepted_0rtt(&first, &second, sctx, cctx, "POST /pay", &n);
    CHECK_MEM(buf, read_all(second.s, buf, sizeof(buf)), "POST /pay", 9);

    /* an attacker sends the same bytes again, a second later, to the same server */
    server_now += 1000;
    again = lucid_conn_new(sctx, NULL);
    CHECK_OK(lucid_conn_feed(again, flight, n));
    CHECK(lucid_conn_early_data(again) == LUCID_EARLY_REJECTED);
    CHECK(strstr(again->hs.early.why, "a replay") != NULL);
    CHECK(lucid_conn_read(again, buf, sizeof(buf)) == 0);
    CHECK(lucid_conn_error(again)->code == 0); /* the handshake goes on, without 0-RTT */
    lucid_conn_free(again);
    /* and once more, much later: out of the freshness window */
    server_now += 60000;
    again = lucid_conn_new(sctx, NULL);
    CHECK_OK(lucid_conn_feed(again, flight, n));
    CHECK(lucid_conn_early_data(again) == LUCID_EARLY_REJECTED);
    CHECK(strstr(again->hs.early.why, "freshness window") != NULL);
    CHECK(lucid_conn_read(again, buf, sizeof(buf)) == 0);
    lucid_conn_free(again);
    free(flight);
    run_free(&second);
    lucid_ctx_get_stats(sctx, &st);
    CHECK(st.early_accepted == 1);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/*
 * Contexts made apart (as in worker processes forked before them) that share one record
 * (lucid_ctx_set_replay) take a 0-RTT ClientHello once among them; a context with a record
 * of its own takes the replay again, which is why lucid-server's workers share one.
 */
static void test_shared_replay(void)
{
    static const uint8_t key[80] = "shared ticket key for three servers, as workers have";
    lucid_ctx *cctx = client_ctx(1), *a = server_ctx(16384), *b = server_ctx(16384);
    lucid_ctx *own = server_ctx(16384);
    lucid_error err;
    lucid_replay *rec = lucid_replay_new(server_now, &err);
    struct run first, second;
    uint8_t *flight;
    size_t n;

    CHECK(rec != NULL);
    CHECK_RC(lucid_ctx_set_replay(cctx, rec, &err), LC_E_CONFIG);
    CHECK_OK(lucid_ctx_set_replay(a, rec, &err));
    CHECK_OK(lucid_ctx_set_replay(b, rec, &err));
    for (lucid_ctx **x = (lucid_ctx *[]){ a, b, own, NULL }; *x != NULL; x++) {
        CHECK_OK(lucid_ctx_set_ticket_key(*x, key, sizeof(key), &err));
    }
    flight = accepted_0rtt(&first, &second, a, cctx, "GET /once", &n);

    server_now += 1000;
    lucid_conn *on_b = lucid_conn_new(b, NULL), *on_own = lucid_conn_new(own, NULL);
    CHECK_OK(lucid_conn_feed(on_b, flight, n));
    CHECK(lucid_conn_early_data(on_b) == LUCID_EARLY_REJECTED);
    CHECK(strstr(on_b->hs.early.why, "a replay") != NULL);
    CHECK_OK(lucid_conn_feed(on_own, flight, n));
    CHECK(lucid_conn_early_data(on_own) == LUCID_EARLY_ACCEPTED);
    lucid_conn_free(on_b);
    lucid_conn_free(on_own);
    free(flight);
    run_free(&first);
    run_free(&second);
    lucid_ctx_free(own);
    lucid_ctx_free(b);
    lucid_ctx_free(a);
    lucid_ctx_free(cctx);
    lucid_replay_free(rec);
    server_now = client_now = server_now > client_now ? server_now : client_now;
}

/* RFC 8446 8.3: the client's ticket age must match the server's count within the window. */
static void test_age_out_of_window(void)
{
    lucid_ctx *sctx = server_ctx(16384), *cctx = client_ctx(1);
    struct run first, second;

    full(&first, sctx, cctx);
    /* 30 s pass for the server, none for the client: the age is 30 s off */
    server_now += 30000;
    CHECK(start_early(&second, sctx, cctx, &first, "data") == 4);
    expect_rejected(&second, 1, "freshness window");
    run_free(&second);
    /* 9 s off is within the 10 s window */
    server_now += 9000;
    client_now = server_now - 9000;
    CHECK(start_early(&second, sctx, cctx, &first, "data") == 4);
    run_finish(&second);
    CHECK(lucid_conn_early_data(second.s) == LUCID_EARLY_ACCEPTED);
    run_free(&second);
    client_now = server_now;
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/* A ticket past its lifetime is not used: by the client, nor by the server. */
static void test_expired_ticket(void)
{
    lucid_ctx *sctx = server_ctx(0), *cctx = client_ctx(0);
    struct run first, second;
    lucid_error err;

    CHECK_OK(lucid_ctx_set_ticket_lifetime(sctx, 60, &err));
    CHECK_RC(lucid_ctx_set_ticket_lifetime(sctx, 604801, &err), LC_E_CONFIG);
    full(&first, sctx, cctx);
    client_now += 61000;
    run_start(&second, sctx, cctx, NULL);
    CHECK_RC(lucid_conn_set_session(second.c, first.session, first.session_len, &err),
             LC_E_BAD_ARGUMENT);
    CHECK(strstr(err.message, "expired") != NULL);
    run_free(&second);
    /* the client's clock lags: the server refuses the ticket itself */
    client_now -= 61000;
    server_now += 61000;
    run_start(&second, sctx, cctx, &first);
    run_finish(&second);
    CHECK(!lucid_conn_resumed(second.s) && !lucid_conn_resumed(second.c));
    run_free(&second);
    client_now = server_now;
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/* The server resumes a ticket only for the server_name it was issued for. */
static void test_ticket_for_another_name(void)
{
    lucid_ctx *sctx = server_ctx(0), *cctx = client_ctx(0);
    struct run first, second;

    full(&first, sctx, cctx);
    lucid_ctx_set_verify(cctx, 0); /* the certificate does not name it: not the point here */
    run_start(&second, sctx, cctx, &first);
    snprintf(second.c->hs.server_name, sizeof(second.c->hs.server_name), "www.example.com");
    run_finish(&second);
    CHECK(!lucid_conn_resumed(second.s));
    CHECK(strcmp(lucid_conn_server_name(second.s), "www.example.com") == 0);
    run_free(&second);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/* 4.2.10: the ALPN protocol and the cipher suite must be the ticket's for 0-RTT. */
static void test_alpn_and_suite_must_match(void)
{
    lucid_ctx *sctx = server_ctx(16384), *cctx = client_ctx(1);
    struct run first, second;
    lucid_error err;

    CHECK_OK(lucid_ctx_set_alpn(sctx, "http/1.1,h2", &err));
    CHECK_OK(lucid_ctx_set_alpn(cctx, "h2,http/1.1", &err));
    full(&first, sctx, cctx); /* the server's preference: http/1.1 */
    CHECK_OK(lucid_ctx_set_alpn(sctx, "h2,http/1.1", &err));
    CHECK(start_early(&second, sctx, cctx, &first, "data") == 4);
    expect_rejected(&second, 1, "ALPN protocol is not the ticket's");
    CHECK(strcmp(lucid_conn_alpn(second.c), "h2") == 0);
    run_free(&second);
    CHECK_OK(lucid_ctx_set_alpn(sctx, "http/1.1", &err));

    /* same hash (SHA-256), another suite: resumed, but no 0-RTT */
    CHECK_OK(lucid_ctx_set_ciphers(sctx, "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256",
                                   &err));
    CHECK(start_early(&second, sctx, cctx, &first, "data") == 4);
    expect_rejected(&second, 1, "cipher suite is not the ticket's");
    CHECK(lucid_conn_cipher_suite(second.s) == 0x1303);
    run_free(&second);

    /* another hash: the ticket cannot be used at all (4.2.11) */
    CHECK_OK(lucid_ctx_set_ciphers(sctx, "TLS_AES_256_GCM_SHA384", &err));
    CHECK(start_early(&second, sctx, cctx, &first, "data") == 4);
    expect_rejected(&second, 0, "no ticket of ours was accepted");
    run_free(&second);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/* A key file of n bytes, with byte value v; the name is written to path. */
static void key_file(char *path, size_t cap, size_t n, uint8_t v)
{
    uint8_t bytes[128];
    int fd;

    snprintf(path, cap, "/tmp/lucid-ticket-key-XXXXXX");
    fd = mkstemp(path);
    CHECK(fd >= 0);
    for (size_t i = 0; i < n; i++) {
        bytes[i] = (uint8_t)(v + i);
    }
    CHECK(write(fd, bytes, n) == (ssize_t)n);
    close(fd);
}

/* Ticket keys (ticket.h): shared, rotated, retired. */
static void test_ticket_keys(void)
{
    char k1[64], k2[64], shortkey[64];
    lucid_ctx *a = server_ctx(0), *b = server_ctx(0), *cctx = client_ctx(0);
    struct run first, second;
    lucid_error err;

    key_file(k1, sizeof(k1), 80, 1);
    key_file(k2, sizeof(k2), 96, 2);
    key_file(shortkey, sizeof(shortkey), 79, 3);
    CHECK_RC(lucid_ctx_set_ticket_key_file(a, shortkey, &err), LC_E_CONFIG);
    CHECK(strstr(err.message, "openssl rand 80") != NULL);
    CHECK_RC(lucid_ctx_set_ticket_key_file(cctx, k1, &err), LC_E_CONFIG);

    /* two servers with the same key file resume each other's sessions */
    CHECK_OK(lucid_ctx_set_ticket_key_file(a, k1, &err));
    CHECK_OK(lucid_ctx_set_ticket_key_file(b, k1, &err));
    full(&first, a, cctx);
    run_start(&second, b, cctx, &first);
    run_finish(&second);
    CHECK(lucid_conn_resumed(second.s));
    run_free(&second);
    lucid_ctx_free(b);

    /* rotation: the new key first, the old one kept: old tickets still resume */
    b = server_ctx(0);
    CHECK_OK(lucid_ctx_set_ticket_key_file(b, k2, &err));
    CHECK_OK(lucid_ctx_set_ticket_key_file(b, k1, &err));
    run_start(&second, b, cctx, &first);
    run_finish(&second);
    CHECK(lucid_conn_resumed(second.s));
    lucid_ctx_free(a);

    /* the old key retired: its tickets get a full handshake; new ones (under k2) resume */
    a = server_ctx(0);
    CHECK_OK(lucid_ctx_set_ticket_key_file(a, k2, &err));
    run_free(&second);
    struct run third, fourth;
    run_start(&third, a, cctx, &first);
    run_finish(&third);
    CHECK(!lucid_conn_resumed(third.s) && !lucid_conn_resumed(third.c));
    check_data(third.c, third.s, third.c, third.s);
    run_free(&third);
    run_start(&fourth, b, cctx, &first);
    run_finish(&fourth); /* a ticket sealed by b under k2 */
    run_free(&fourth);
    run_start(&third, a, cctx, &fourth);
    run_finish(&third);
    CHECK(lucid_conn_resumed(third.s));
    run_free(&third);

    /* a server without a key file has a key of its own: another server cannot open it */
    lucid_ctx *own = server_ctx(0);
    full(&first, own, cctx);
    run_start(&second, a, cctx, &first);
    run_finish(&second);
    CHECK(!lucid_conn_resumed(second.s));
    run_free(&second);
    lucid_ctx_free(own);
    unlink(k1);
    unlink(k2);
    unlink(shortkey);
    lucid_ctx_free(a);
    lucid_ctx_free(b);
    lucid_ctx_free(cctx);
}

/* RFC 8446 4.2.11: a binder that does not verify ends the handshake with decrypt_error. */
static void test_tampered_binder(void)
{
    lucid_ctx *sctx = server_ctx(0), *cctx = client_ctx(0);
    struct run first, second;
    const uint8_t *out;
    uint8_t *hello;
    size_t n;

    full(&first, sctx, cctx);
    run_start(&second, sctx, cctx, &first);
    n = lucid_conn_pending(second.c, &out);
    hello = malloc(n);
    memcpy(hello, out, n);
    lucid_conn_consume(second.c, n);
    hello[n - 1] ^= 0x01; /* the last byte of the ClientHello is its binder's */
    lucid_conn_feed(second.s, hello, n);
    CHECK_RC(lucid_conn_error(second.s)->code, LC_E_BAD_BINDER);
    CHECK(lucid_conn_error(second.s)->alert == LC_ALERT_DECRYPT_ERROR);
    move(second.s, second.c, 0);
    CHECK_RC(lucid_conn_error(second.c)->code, LC_E_PEER_ALERT);
    CHECK(lucid_conn_error(second.c)->alert == LC_ALERT_DECRYPT_ERROR);
    free(hello);
    run_free(&second);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/* A HelloRetryRequest keeps the PSK (new binder) but loses the 0-RTT data (4.1.2, 4.2.10). */
static void test_hello_retry_with_psk(void)
{
    lucid_ctx *sctx = server_ctx(16384), *cctx = client_ctx(1);
    struct run first, second;
    lucid_error err;

    CHECK_OK(lucid_ctx_set_groups(sctx, "secp384r1", &err));
    CHECK_OK(lucid_ctx_set_groups(cctx, "x25519:secp384r1", &err));
    full(&first, sctx, cctx);
    CHECK(start_early(&second, sctx, cctx, &first, "early") == 5);
    expect_rejected(&second, 1, "HelloRetryRequest");
    CHECK(lucid_conn_group(second.c) == 0x0018);
    run_free(&second);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

static void test_session_blob(void)
{
    lucid_ctx *sctx = server_ctx(0), *cctx = client_ctx(0);
    struct run first, second;
    lucid_error err;
    uint8_t bad[600];

    full(&first, sctx, cctx);
    /* the size is asked with cap 0, and nothing is written */
    run_start(&second, sctx, cctx, NULL);
    run_finish(&second);
    CHECK(lucid_conn_get_session(second.c, NULL, 0) == second.session_len);
    CHECK(lucid_conn_get_session(second.s, NULL, 0) == 0);
    run_free(&second);
    /* made for another name */
    second.c = lucid_conn_new(cctx, "example.com");
    CHECK_RC(lucid_conn_set_session(second.c, first.session, first.session_len, &err),
             LC_E_BAD_ARGUMENT);
    CHECK(strstr(err.message, "'localhost', not 'example.com'") != NULL);
    lucid_conn_free(second.c);
    /* not a blob of ours, or cut short */
    second.c = lucid_conn_new(cctx, "localhost");
    memset(bad, 0x41, sizeof(bad));
    CHECK_RC(lucid_conn_set_session(second.c, bad, sizeof(bad), &err), LC_E_DECODE);
    for (size_t cut = 0; cut < first.session_len; cut += 7) {
        CHECK(lucid_conn_set_session(second.c, first.session, cut, &err) != 0);
    }
    memcpy(bad, first.session, first.session_len);
    bad[first.session_len] = 0;
    CHECK_RC(lucid_conn_set_session(second.c, bad, first.session_len + 1, &err), LC_E_TRAILING);
    /* too late once used */
    const uint8_t *out;
    (void)lucid_conn_pending(second.c, &out);
    CHECK_RC(lucid_conn_set_session(second.c, first.session, first.session_len, &err),
             LC_E_BAD_ARGUMENT);
    lucid_conn_free(second.c);
    /* no tickets when the server sends none */
    lucid_ctx_set_tickets(sctx, 0);
    run_start(&second, sctx, cctx, NULL);
    run_finish(&second);
    CHECK(second.session_len == 0);
    run_free(&second);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/* The key log has the early secret on both sides, the same. */
static char keylogs[2][200];

static void keylog_line(void *arg, const char *line)
{
    if (strncmp(line, "CLIENT_EARLY_TRAFFIC_SECRET ", 28) == 0) {
        snprintf(keylogs[arg != NULL], sizeof(keylogs[0]), "%s", line);
    }
}

static void test_keylog_early_secret(void)
{
    lucid_ctx *sctx = server_ctx(16384), *cctx = client_ctx(1);
    struct run first, second;

    full(&first, sctx, cctx);
    lucid_ctx_set_keylog(cctx, keylog_line, NULL);
    lucid_ctx_set_keylog(sctx, keylog_line, sctx);
    CHECK(start_early(&second, sctx, cctx, &first, "x") == 1);
    run_finish(&second);
    CHECK(strlen(keylogs[0]) == 28 + 64 + 1 + 64);
    CHECK(strcmp(keylogs[0], keylogs[1]) == 0);
    run_free(&second);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

/* The trace narrates the offer, the binder check, the tickets and the 0-RTT answer. */
static char trace_text[2][16384];

static void trace_line(void *arg, const char *line)
{
    char *t = trace_text[arg != NULL];
    size_t n = strlen(t);

    snprintf(t + n, sizeof(trace_text[0]) - n, "%s\n", line);
}

static void test_trace(void)
{
    lucid_ctx *sctx = server_ctx(16384), *cctx = client_ctx(1);
    struct run first, second;
    static const char *const client_says[] = {
        "offering a ticket for localhost", "pre_shared_key     identity 0:",
        "early_data         0-RTT data follows", "the server took our ticket",
        "0-RTT data accepted by the server", ">> end_of_early_data",
        "resumed (psk_dhe_ke)", "session ticket kept",
    };
    static const char *const server_says[] = {
        "PSK binder of identity 0 verified", "0-RTT data accepted: up to 16384 bytes",
        "chose TLS_AES_128_GCM_SHA256, x25519, resumed", "<< end_of_early_data",
        "end of 0-RTT data: 4 bytes received", "issuing 1 session ticket(s)", /* resumed: 1 */
    };

    lucid_ctx_set_trace(cctx, trace_line, NULL);
    lucid_ctx_set_trace(sctx, trace_line, sctx);
    full(&first, sctx, cctx);
    trace_text[0][0] = trace_text[1][0] = '\0';
    CHECK(start_early(&second, sctx, cctx, &first, "data") == 4);
    run_finish(&second);
    for (size_t i = 0; i < LC_ARRAY_LEN(client_says); i++) {
        CHECK(strstr(trace_text[0], client_says[i]) != NULL);
    }
    for (size_t i = 0; i < LC_ARRAY_LEN(server_says); i++) {
        CHECK(strstr(trace_text[1], server_says[i]) != NULL);
    }
    run_free(&second);
    /* and a rejection says why */
    server_now += 30000;
    trace_text[1][0] = '\0';
    CHECK(start_early(&second, sctx, cctx, &first, "data") == 4);
    run_finish(&second);
    CHECK(strstr(trace_text[1], "0-RTT data rejected: the ticket's age is outside") != NULL);
    run_free(&second);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

TEST_MAIN(test_trace, test_resumption, test_psk_modes, test_bad_psk_modes, test_early_data_accepted,
          test_early_data_byte_by_byte, test_early_data_off_on_the_server,
          test_early_data_not_possible, test_early_data_limit, test_replay, test_shared_replay,
          test_age_out_of_window, test_expired_ticket, test_ticket_for_another_name,
          test_alpn_and_suite_must_match,
          test_ticket_keys, test_tampered_binder, test_hello_retry_with_psk, test_session_blob,
          test_keylog_early_secret)
