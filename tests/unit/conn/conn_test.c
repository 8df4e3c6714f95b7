/*
 * Tests for src/conn/conn.c: a client engine and a server engine wired
 * together in memory, no sockets (as picotls t/picotls.c and s2n-tls's
 * self-talk tests do). Full handshakes for every suite, group and certificate
 * type, a HelloRetryRequest, delivery one byte at a time, KeyUpdate, close,
 * and failures that must end in one exact alert on each side.
 */
#include "test.h"

#include <stdbool.h>

#include <lucid/lucid.h>

#include "base/error.h"
#include "conn/conn.h"

#define CERTS "vectors/certs/"

struct pair {
    lucid_ctx *sctx, *cctx;
    lucid_conn *s, *c;
};

static lucid_ctx *server_ctx(void)
{
    static const char *const types[] = { "ecdsa", "rsa", "ed25519" };
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_SERVER, &err);

    for (size_t i = 0; ctx != NULL && i < 3; i++) {
        char chain[128], key[128];
        snprintf(chain, sizeof(chain), CERTS "%s_chain.pem", types[i]);
        snprintf(key, sizeof(key), CERTS "%s_key.pem", types[i]);
        CHECK_OK(lucid_ctx_add_cert(ctx, chain, key, &err));
    }
    return ctx;
}

static lucid_ctx *client_ctx(void)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_CLIENT, &err);

    CHECK(ctx != NULL);
    CHECK_OK(lucid_ctx_set_ca_file(ctx, CERTS "ca_cert.pem", &err));
    return ctx;
}

static void pair_start(struct pair *p, const char *name)
{
    p->s = lucid_conn_new(p->sctx, NULL);
    p->c = lucid_conn_new(p->cctx, name);
    CHECK(p->s != NULL && p->c != NULL);
}

static void pair_free(struct pair *p)
{
    lucid_conn_free(p->c);
    lucid_conn_free(p->s);
    lucid_ctx_free(p->cctx);
    lucid_ctx_free(p->sctx);
    memset(p, 0, sizeof(*p));
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

/* Runs both sides until neither has anything to send. */
static void pump(struct pair *p, size_t chunk)
{
    for (int i = 0; i < 100; i++) {
        if (move(p->c, p->s, chunk) + move(p->s, p->c, chunk) == 0) {
            return;
        }
    }
    CHECK(!"pump did not settle");
}

/* Sends len bytes from a to b and checks they arrive intact. */
static void check_data(struct pair *p, lucid_conn *a, lucid_conn *b, size_t len)
{
    uint8_t *data = malloc(len), *got = malloc(len);
    size_t have = 0;

    for (size_t i = 0; i < len; i++) {
        data[i] = (uint8_t)(i * 7 + 3);
    }
    CHECK(lucid_conn_write(a, data, len) == (long)len);
    pump(p, 0);
    for (;;) {
        long n = lucid_conn_read(b, got + have, len - have);
        if (n <= 0) {
            break;
        }
        have += (size_t)n;
    }
    CHECK_MEM(got, have, data, len);
    free(data);
    free(got);
}

static void test_every_suite_group_and_certificate(void)
{
    static const char *const suites[] = { "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                          "TLS_CHACHA20_POLY1305_SHA256" };
    static const char *const groups[] = { "x25519", "secp256r1", "secp384r1", "ffdhe2048",
                                          "ffdhe3072" };
    static const char *const schemes[] = { "ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256",
                                           "ed25519" };
    lucid_error err;

    for (size_t s = 0; s < 3; s++) {
        for (size_t g = 0; g < 5; g++) {
            for (size_t k = 0; k < 3; k++) {
                struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };

                CHECK_OK(lucid_ctx_set_ciphers(p.cctx, suites[s], &err));
                CHECK_OK(lucid_ctx_set_groups(p.cctx, groups[g], &err));
                CHECK_OK(lucid_ctx_set_sigalgs(p.cctx, schemes[k], &err));
                pair_start(&p, "localhost");
                pump(&p, 0);
                CHECK(lucid_conn_state(p.c) & LUCID_CAN_WRITE);
                CHECK(lucid_conn_state(p.s) & LUCID_CAN_WRITE);
                CHECK(strcmp(lucid_suite_name(lucid_conn_cipher_suite(p.c)), suites[s]) == 0);
                CHECK(strcmp(lucid_group_name(lucid_conn_group(p.s)), groups[g]) == 0);
                CHECK(strcmp(lucid_sig_scheme_name(lucid_conn_sig_scheme(p.c)), schemes[k]) == 0);
                CHECK(lucid_conn_version(p.s) == 0x0304);
                check_data(&p, p.c, p.s, 100);
                check_data(&p, p.s, p.c, 100);
                pair_free(&p);
            }
        }
    }
}

static void test_one_byte_at_a_time(void)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };

    pair_start(&p, "localhost");
    pump(&p, 1);
    CHECK(lucid_conn_state(p.c) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_state(p.s) & LUCID_CAN_WRITE);
    check_data(&p, p.c, p.s, 3000);
    pair_free(&p);
}

static void test_hello_retry_request(void)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };
    lucid_error err;

    /* the client's first share is x25519, which this server does not accept */
    CHECK_OK(lucid_ctx_set_groups(p.sctx, "secp384r1", &err));
    CHECK_OK(lucid_ctx_set_groups(p.cctx, "x25519:secp384r1", &err));
    pair_start(&p, "localhost");
    pump(&p, 0);
    CHECK(lucid_conn_state(p.c) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_group(p.c) == 0x0018 && lucid_conn_group(p.s) == 0x0018);
    check_data(&p, p.s, p.c, 10);
    pair_free(&p);
}

static void test_large_data_and_key_updates(void)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };

    pair_start(&p, "localhost");
    pump(&p, 0);
    check_data(&p, p.s, p.c, 1 << 20); /* 64 records of 16 KiB */
    for (int i = 0; i < 20; i++) {
        /* each side rotates its keys; the request makes the other rotate too */
        CHECK_OK(lucid_conn_key_update(i % 2 ? p.c : p.s, i % 3 == 0));
        check_data(&p, p.c, p.s, 1000);
        check_data(&p, p.s, p.c, 1000);
    }
    CHECK(lucid_conn_error(p.c)->code == 0 && lucid_conn_error(p.s)->code == 0);
    pair_free(&p);
}

static void test_rekey_before_the_usage_limit(void)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };
    lucid_conn *c;

    pair_start(&p, "localhost");
    pump(&p, 0);
    /* pretend this key has sealed as many records as we allow it (RFC 8446 5.5);
     * the server's read counter moves with it, as it would have */
    c = p.c;
    c->wd.seq = LC_REC_REKEY_AFTER;
    p.s->rd.seq = LC_REC_REKEY_AFTER;
    check_data(&p, p.c, p.s, 5000);
    CHECK(c->wd.seq == 1); /* a fresh key: the data record is its first (the KeyUpdate used the old one) */
    check_data(&p, p.s, p.c, 100);
    CHECK(lucid_conn_error(p.c)->code == 0 && lucid_conn_error(p.s)->code == 0);
    pair_free(&p);
}

static void test_close_notify(void)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };
    uint8_t buf[16];

    pair_start(&p, "localhost");
    pump(&p, 0);
    CHECK(lucid_conn_write(p.c, (const uint8_t *)"bye", 3) == 3);
    lucid_conn_close(p.c);
    pump(&p, 0);
    CHECK(lucid_conn_read(p.s, buf, sizeof(buf)) == 3);
    CHECK(lucid_conn_read(p.s, buf, sizeof(buf)) == -1);
    CHECK(lucid_conn_error(p.s)->code == 0); /* a clean end */
    CHECK(lucid_conn_state(p.s) & LUCID_CLOSED);
    CHECK(lucid_conn_write(p.c, (const uint8_t *)"x", 1) == -1);
    pair_free(&p);
}

/* Runs a handshake expected to fail; checks each side's code and alert. */
static void expect_failure(struct pair *p, int client_code, int server_code, int alert)
{
    pump(p, 0);
    CHECK_RC(lucid_conn_error(p->c)->code, client_code);
    CHECK_RC(lucid_conn_error(p->s)->code, server_code);
    CHECK(lucid_conn_error(p->c)->alert == alert && lucid_conn_error(p->s)->alert == alert);
    CHECK(lucid_conn_state(p->c) & LUCID_CLOSED);
    CHECK(lucid_conn_state(p->s) & LUCID_CLOSED);
    CHECK(!(lucid_conn_state(p->c) & LUCID_CAN_WRITE));
}

static void test_no_common_suite(void)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };
    lucid_error err;

    CHECK_OK(lucid_ctx_set_ciphers(p.sctx, "TLS_AES_256_GCM_SHA384", &err));
    CHECK_OK(lucid_ctx_set_ciphers(p.cctx, "TLS_CHACHA20_POLY1305_SHA256", &err));
    pair_start(&p, "localhost");
    expect_failure(&p, LC_E_PEER_ALERT, LC_E_NO_COMMON_SUITE, LC_ALERT_HANDSHAKE_FAILURE);
    CHECK(strstr(lucid_conn_error(p.c)->message, "handshake_failure") != NULL);
    pair_free(&p);
}

static void test_no_common_alpn(void)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };
    lucid_error err;

    CHECK_OK(lucid_ctx_set_alpn(p.sctx, "http/1.1", &err));
    CHECK_OK(lucid_ctx_set_alpn(p.cctx, "h2,foo", &err));
    pair_start(&p, "localhost");
    expect_failure(&p, LC_E_PEER_ALERT, LC_E_NO_APPLICATION_PROTOCOL,
                   LC_ALERT_NO_APPLICATION_PROTOCOL);
    pair_free(&p);
}

static void test_alpn_chosen(void)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };
    lucid_error err;

    CHECK_OK(lucid_ctx_set_alpn(p.sctx, "http/1.1", &err));
    CHECK_OK(lucid_ctx_set_alpn(p.cctx, "h2,http/1.1", &err));
    pair_start(&p, "localhost");
    pump(&p, 0);
    CHECK(lucid_conn_alpn(p.c) != NULL && strcmp(lucid_conn_alpn(p.c), "http/1.1") == 0);
    CHECK(lucid_conn_alpn(p.s) != NULL && strcmp(lucid_conn_alpn(p.s), "http/1.1") == 0);
    CHECK(strcmp(lucid_conn_server_name(p.s), "localhost") == 0);
    pair_free(&p);
}

static void test_ip_literal_sends_no_sni(void)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };

    /* RFC 6066 3: no SNI for an address; the certificate's IP entry is checked instead */
    pair_start(&p, "127.0.0.1");
    pump(&p, 0);
    CHECK(lucid_conn_state(p.c) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_server_name(p.s) == NULL);
    CHECK(lucid_conn_server_name(p.c) == NULL);
    pair_free(&p);

    p = (struct pair){ .sctx = server_ctx(), .cctx = client_ctx() };
    pair_start(&p, "127.0.0.2");
    expect_failure(&p, LC_E_CERT_NAME, LC_E_PEER_ALERT, LC_ALERT_BAD_CERTIFICATE);
    pair_free(&p);
}

static void test_wrong_name(void)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };

    pair_start(&p, "example.com");
    expect_failure(&p, LC_E_CERT_NAME, LC_E_PEER_ALERT, LC_ALERT_BAD_CERTIFICATE);
    CHECK(strstr(lucid_conn_error(p.c)->message,
                 "'example.com' is not in the certificate's names (localhost, 127.0.0.1)"));
    pair_free(&p);
}

static void test_unknown_ca(void)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };
    lucid_error err;

    /* trusting only a leaf: no path to a root we trust */
    CHECK_OK(lucid_ctx_set_ca_file(p.cctx, CERTS "rsa_cert.pem", &err));
    lucid_ctx_free(p.cctx);
    p.cctx = lucid_ctx_new(LUCID_CLIENT, &err);
    CHECK_OK(lucid_ctx_set_ca_file(p.cctx, CERTS "rsa_cert.pem", &err));
    pair_start(&p, "localhost");
    expect_failure(&p, LC_E_CERT_UNKNOWN_CA, LC_E_PEER_ALERT, LC_ALERT_UNKNOWN_CA);
    pair_free(&p);
}

/*
 * Flips one bit of the server's first flight: at byte `at`, or at byte
 * `at` from the end when from_end (flight sizes vary: ECDSA signatures do).
 */
static void tamper_server_flight(size_t at, bool from_end, int client_code, int alert)
{
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };
    const uint8_t *out;
    uint8_t *copy;
    size_t n;

    pair_start(&p, "localhost");
    move(p.c, p.s, 0);
    n = lucid_conn_pending(p.s, &out);
    CHECK(n > at);
    if (n <= at) {
        pair_free(&p);
        return;
    }
    copy = malloc(n);
    memcpy(copy, out, n);
    copy[from_end ? n - 1 - at : at] ^= 0x01;
    lucid_conn_consume(p.s, n);
    lucid_conn_feed(p.c, copy, n);
    free(copy);
    CHECK_RC(lucid_conn_error(p.c)->code, client_code);
    CHECK(lucid_conn_error(p.c)->alert == alert);
    CHECK(!(lucid_conn_state(p.c) & LUCID_CAN_WRITE));
    /* the alert goes out, and the server hears it */
    move(p.c, p.s, 0);
    CHECK_RC(lucid_conn_error(p.s)->code, LC_E_PEER_ALERT);
    pair_free(&p);
}

static void test_tampered_flight(void)
{
    /* a bit of ServerHello.random: the transcript differs, so the keys do */
    tamper_server_flight(5 + 4 + 2 + 3, false, LC_E_BAD_RECORD_MAC, LC_ALERT_BAD_RECORD_MAC);
    /* the last byte of the flight: the tag of the record holding Finished */
    tamper_server_flight(0, true, LC_E_BAD_RECORD_MAC, LC_ALERT_BAD_RECORD_MAC);
}

static void test_bad_records_after_handshake(void)
{
    /* a change_cipher_spec once the handshake is over is unexpected_message (RFC 8446 5) */
    static const uint8_t ccs[] = { 20, 3, 3, 0, 1, 1 };
    /* an unprotected application_data record after keys */
    static const uint8_t plain[] = { 23, 3, 3, 0, 2, 'h', 'i' };
    struct pair p = { .sctx = server_ctx(), .cctx = client_ctx() };

    pair_start(&p, "localhost");
    pump(&p, 0);
    lucid_conn_feed(p.s, ccs, sizeof(ccs));
    CHECK_RC(lucid_conn_error(p.s)->code, LC_E_UNEXPECTED_MESSAGE);
    pair_free(&p);

    p = (struct pair){ .sctx = server_ctx(), .cctx = client_ctx() };
    pair_start(&p, "localhost");
    pump(&p, 0);
    lucid_conn_feed(p.s, plain, sizeof(plain));
    CHECK_RC(lucid_conn_error(p.s)->code, LC_E_BAD_RECORD_MAC);
    pair_free(&p);
}

/* A TLS 1.2 ServerHello to a fresh client: random ending in `tail`, suite 0xc02f. */
static int client_gets_tls12_server_hello(const uint8_t tail[8])
{
    uint8_t rec[5 + 4 + 2 + 32 + 1 + 32 + 2 + 1] = { 22, 3, 3, 0, 4 + 2 + 32 + 1 + 32 + 2 + 1,
                                                     2, 0, 0, 2 + 32 + 1 + 32 + 2 + 1, 3, 3 };
    lucid_ctx *ctx = client_ctx();
    lucid_conn *c = lucid_conn_new(ctx, "localhost");
    const uint8_t *out;
    int code;

    memcpy(rec + 11 + 24, tail, 8);
    rec[11 + 32] = 32; /* legacy_session_id_echo length; its bytes stay zero */
    rec[11 + 32 + 1 + 32] = 0xc0;
    rec[11 + 32 + 1 + 32 + 1] = 0x2f;
    lucid_conn_consume(c, lucid_conn_pending(c, &out));
    lucid_conn_feed(c, rec, sizeof(rec));
    code = lucid_conn_error(c)->code;
    lucid_conn_free(c);
    lucid_ctx_free(ctx);
    return code;
}

static void test_downgrade_sentinel(void)
{
    /* RFC 8446 4.1.3: "DOWNGRD" then 01 (TLS 1.2) or 00 (TLS 1.1 and below) */
    static const uint8_t tls12[8] = { 0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01 };
    static const uint8_t tls11[8] = { 0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00 };
    static const uint8_t plain[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    CHECK_RC(client_gets_tls12_server_hello(tls12), LC_E_DOWNGRADE);
    CHECK_RC(client_gets_tls12_server_hello(tls11), LC_E_DOWNGRADE);
    CHECK_RC(client_gets_tls12_server_hello(plain), LC_E_PROTOCOL_VERSION);
    CHECK(lc_err_alert(LC_E_DOWNGRADE) == LC_ALERT_ILLEGAL_PARAMETER);
}

static void test_tls12_client_and_garbage(void)
{
    /* a ClientHello with no supported_versions: TLS 1.2 only */
    static const uint8_t ch12[] = {
        0x16, 0x03, 0x01, 0x00, 0x2d, 0x01, 0x00, 0x00, 0x29, 0x03, 0x03,
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
        25, 26, 27, 28, 29, 30, 31, 32, 0x00, 0x00, 0x02, 0xc0, 0x2f, 0x01, 0x00,
    };
    static const uint8_t garbage[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    lucid_ctx *ctx = server_ctx();
    lucid_conn *s = lucid_conn_new(ctx, NULL);
    const uint8_t *out;

    lucid_conn_feed(s, ch12, sizeof(ch12));
    CHECK_RC(lucid_conn_error(s)->code, LC_E_PROTOCOL_VERSION);
    /* the alert is queued in the clear: 21 03 03 00 02 02 70 */
    CHECK(lucid_conn_pending(s, &out) == 7 && out[0] == 21 && out[6] == LC_ALERT_PROTOCOL_VERSION);
    lucid_conn_free(s);

    s = lucid_conn_new(ctx, NULL);
    lucid_conn_feed(s, garbage, sizeof(garbage) - 1);
    CHECK(lucid_conn_error(s)->code != 0);
    CHECK(lucid_conn_state(s) & LUCID_CLOSED);
    lucid_conn_free(s);
    lucid_ctx_free(ctx);
}

/*
 * A handshake header whose type the state refuses is answered at once, not after its
 * announced body: a peer must not make the server wait for (and buffer) 100 KiB it will
 * refuse. A ClientHello header announcing the same is legitimately waited for.
 */
static void test_unexpected_type_before_its_body(void)
{
    /* record header, then a handshake header: finished (20) or client_hello (1), 100000 bytes */
    uint8_t head[] = { 0x16, 0x03, 0x01, 0x00, 0x08, 20, 0x01, 0x86, 0xa0, 0, 0, 0, 0 };
    lucid_ctx *ctx = server_ctx();
    lucid_conn *s = lucid_conn_new(ctx, NULL);
    const uint8_t *out;

    lucid_conn_feed(s, head, sizeof(head));
    CHECK_RC(lucid_conn_error(s)->code, LC_E_UNEXPECTED_MESSAGE);
    CHECK(lucid_conn_pending(s, &out) == 7 && out[0] == 21 &&
          out[6] == LC_ALERT_UNEXPECTED_MESSAGE);
    lucid_conn_free(s);

    head[5] = 1;
    s = lucid_conn_new(ctx, NULL);
    lucid_conn_feed(s, head, sizeof(head));
    CHECK(lucid_conn_error(s)->code == 0);
    CHECK(lucid_conn_pending(s, &out) == 0);
    lucid_conn_free(s);
    lucid_ctx_free(ctx);
}

TEST_MAIN(test_every_suite_group_and_certificate, test_one_byte_at_a_time,
          test_hello_retry_request, test_large_data_and_key_updates,
          test_rekey_before_the_usage_limit, test_close_notify,
          test_no_common_suite, test_no_common_alpn, test_alpn_chosen, test_ip_literal_sends_no_sni, test_wrong_name,
          test_unknown_ca, test_tampered_flight, test_bad_records_after_handshake,
          test_downgrade_sentinel, test_tls12_client_and_garbage,
          test_unexpected_type_before_its_body)
