/*
 * Tests for src/conn/client_auth.c and the client certificate handshake
 * behind it (src/handshake/client_auth.c): a client engine and a server
 * engine wired together in memory, as in conn_test.c. verify_client on,
 * optional and off; ECDSA, RSA and Ed25519 client certificates; the choice of
 * certificate by certificate_authorities and signature_algorithms; and each
 * failure with the one alert RFC 8446 6.2 names for it, seen on both sides:
 * no certificate (certificate_required), an unknown CA (unknown_ca), an
 * expired certificate (certificate_expired), no clientAuth purpose
 * (unsupported_certificate), a CertificateVerify made with the wrong key
 * (decrypt_error).
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

/* A server with the ECDSA, RSA and Ed25519 localhost certificates, asking for client ones. */
static lucid_ctx *server_ctx(int mode)
{
    static const char *const types[] = { "ecdsa", "rsa", "ed25519" };
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_SERVER, &err);

    CHECK(ctx != NULL);
    for (size_t i = 0; ctx != NULL && i < 3; i++) {
        char chain[128], key[128];
        snprintf(chain, sizeof(chain), CERTS "%s_chain.pem", types[i]);
        snprintf(key, sizeof(key), CERTS "%s_key.pem", types[i]);
        CHECK_OK(lucid_ctx_add_cert(ctx, chain, key, &err));
    }
    CHECK_OK(lucid_ctx_set_client_ca_file(ctx, CERTS "ca_cert.pem", &err));
    lucid_ctx_set_verify_client(ctx, mode);
    return ctx;
}

/* A client trusting the test root, holding the client certificates named (NULL-terminated). */
static lucid_ctx *client_ctx(const char *const *names)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_CLIENT, &err);

    CHECK(ctx != NULL);
    CHECK_OK(lucid_ctx_set_ca_file(ctx, CERTS "ca_cert.pem", &err));
    for (size_t i = 0; names != NULL && names[i] != NULL; i++) {
        char chain[128], key[128];
        snprintf(chain, sizeof(chain), CERTS "%s_chain.pem", names[i]);
        snprintf(key, sizeof(key), CERTS "%s_key.pem", names[i]);
        CHECK_OK(lucid_ctx_add_cert(ctx, chain, key, &err));
    }
    return ctx;
}

static void pair_start(struct pair *p)
{
    p->s = lucid_conn_new(p->sctx, NULL);
    p->c = lucid_conn_new(p->cctx, "localhost");
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

static void pump(struct pair *p, size_t chunk)
{
    for (int i = 0; i < 100; i++) {
        if (move(p->c, p->s, chunk) + move(p->s, p->c, chunk) == 0) {
            return;
        }
    }
    CHECK(!"pump did not settle");
}

/* A few bytes each way: the application keys agree (the client's Finished was accepted). */
static void check_data(struct pair *p)
{
    static const uint8_t ping[] = "ping", pong[] = "pong";
    uint8_t buf[16];

    CHECK(lucid_conn_write(p->c, ping, sizeof(ping)) == (long)sizeof(ping));
    pump(p, 0);
    CHECK(lucid_conn_read(p->s, buf, sizeof(buf)) == (long)sizeof(ping));
    CHECK(memcmp(buf, ping, sizeof(ping)) == 0);
    CHECK(lucid_conn_write(p->s, pong, sizeof(pong)) == (long)sizeof(pong));
    pump(p, 0);
    CHECK(lucid_conn_read(p->c, buf, sizeof(buf)) == (long)sizeof(pong));
    CHECK(memcmp(buf, pong, sizeof(pong)) == 0);
}

static bool streq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* True if the peer's certificate, as c reports it, is the first one of a PEM file. */
static bool leaf_der_is(const lucid_conn *c, const char *pem_file)
{
    static char pem[16384];
    size_t gotlen = 0, n;
    const uint8_t *got = lucid_conn_peer_cert_der(c, &gotlen);
    lc_chain chain = { 0 };
    FILE *f = fopen(pem_file, "rb");
    bool same;

    if (f == NULL) {
        return false;
    }
    n = fread(pem, 1, sizeof(pem), f);
    fclose(f);
    if (lc_chain_from_pem(pem, n, &chain) != 0) {
        return false;
    }
    same = got != NULL && gotlen == chain.cert[0].len &&
           memcmp(got, chain.cert[0].der, gotlen) == 0;
    lc_chain_free(&chain);
    return same;
}

/* The client is authenticated: both sides agree on what was sent, and data flows. */
static void check_authenticated(struct pair *p, const char *subject, const char *scheme)
{
    CHECK(lucid_conn_state(p->s) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_state(p->c) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_error(p->s)->code == 0 && lucid_conn_error(p->c)->code == 0);
    CHECK(streq(lucid_conn_peer_subject(p->s), subject));
    CHECK(lucid_conn_client_cert_requested(p->s) == 1);
    CHECK(lucid_conn_client_cert_requested(p->c) == 1);
    CHECK(streq(lucid_sig_scheme_name(lucid_conn_client_sig_scheme(p->s)), scheme));
    CHECK(lucid_conn_client_sig_scheme(p->c) == lucid_conn_client_sig_scheme(p->s));
    /* the client knows the server's verified subject too */
    CHECK(streq(lucid_conn_peer_subject(p->c), "CN=localhost"));
    check_data(p);
}

static void test_required_each_key_type(void)
{
    static const struct {
        const char *name, *subject, *scheme;
    } cases[] = {
        { "client_ecdsa", "CN=alice,O=Lucid Test", "ecdsa_secp256r1_sha256" },
        { "client_rsa", "CN=bob,O=Lucid Test", "rsa_pss_rsae_sha256" },
        { "client_ed25519", "CN=carol,O=Lucid Test", "ed25519" },
    };

    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        const char *names[] = { cases[i].name, NULL };
        struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(names) };
        char pem[128];

        pair_start(&p);
        CHECK(lucid_conn_peer_subject(p.s) == NULL); /* nothing before the handshake */
        pump(&p, 0);
        check_authenticated(&p, cases[i].subject, cases[i].scheme);
        snprintf(pem, sizeof(pem), CERTS "%s_cert.pem", cases[i].name);
        CHECK(leaf_der_is(p.s, pem));
        CHECK(leaf_der_is(p.c, CERTS "ecdsa_cert.pem"));
        pair_free(&p);
    }
}

static void test_optional(void)
{
    const char *alice[] = { "client_ecdsa", NULL };
    struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_OPTIONAL), .cctx = client_ctx(alice) };
    size_t len = 1;

    /* a certificate sent is verified and reported */
    pair_start(&p);
    pump(&p, 0);
    check_authenticated(&p, "CN=alice,O=Lucid Test", "ecdsa_secp256r1_sha256");
    pair_free(&p);

    /* none: an empty Certificate, no CertificateVerify, and the handshake completes */
    p = (struct pair){ .sctx = server_ctx(LUCID_VERIFY_CLIENT_OPTIONAL), .cctx = client_ctx(NULL) };
    pair_start(&p);
    pump(&p, 0);
    CHECK(lucid_conn_state(p.s) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_error(p.s)->code == 0 && lucid_conn_error(p.c)->code == 0);
    CHECK(lucid_conn_client_cert_requested(p.s) == 1 && lucid_conn_client_cert_requested(p.c) == 1);
    CHECK(lucid_conn_peer_subject(p.s) == NULL);
    CHECK(lucid_conn_peer_cert_der(p.s, &len) == NULL && len == 0);
    CHECK(lucid_conn_client_sig_scheme(p.s) == 0 && lucid_conn_client_sig_scheme(p.c) == 0);
    check_data(&p);
    pair_free(&p);
}

static void test_off_sends_no_request(void)
{
    const char *alice[] = { "client_ecdsa", NULL };
    struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_OFF), .cctx = client_ctx(alice) };

    pair_start(&p);
    pump(&p, 0);
    CHECK(lucid_conn_state(p.s) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_client_cert_requested(p.s) == 0 && lucid_conn_client_cert_requested(p.c) == 0);
    CHECK(lucid_conn_peer_subject(p.s) == NULL);
    CHECK(lucid_conn_client_sig_scheme(p.c) == 0);
    check_data(&p);
    pair_free(&p);
}

/*
 * A handshake the server refuses after the client's second flight. In TLS 1.3
 * the client has finished its side by then, so it learns of the refusal from
 * the alert that follows: both sides end closed, with the same alert.
 */
static void expect_refusal(struct pair *p, int server_code, int alert, const char *words)
{
    pump(p, 0);
    CHECK_RC(lucid_conn_error(p->s)->code, server_code);
    CHECK_RC(lucid_conn_error(p->c)->code, LC_E_PEER_ALERT);
    CHECK(lucid_conn_error(p->s)->alert == alert && lucid_conn_error(p->c)->alert == alert);
    CHECK(lucid_conn_error(p->c)->from_peer == 1);
    CHECK(lucid_conn_state(p->s) & LUCID_CLOSED);
    CHECK(lucid_conn_state(p->c) & LUCID_CLOSED);
    CHECK(!(lucid_conn_state(p->s) & LUCID_CAN_WRITE));
    CHECK(lucid_conn_peer_subject(p->s) == NULL);
    if (strstr(lucid_conn_error(p->s)->message, words) == NULL) {
        CHECK(!"the server's message names the reason");
        fprintf(stderr, "  message: %s\n  wanted: %s\n", lucid_conn_error(p->s)->message, words);
    }
}

static void test_required_but_none(void)
{
    struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(NULL) };

    pair_start(&p);
    expect_refusal(&p, LC_E_CERT_REQUIRED, LC_ALERT_CERTIFICATE_REQUIRED,
                   "the client sent no certificate, and this server requires one");
    CHECK(lucid_conn_error(p.s)->alert == 116);
    CHECK(strstr(lucid_conn_error(p.c)->message, "certificate_required") != NULL);
    pair_free(&p);
}

static void test_unknown_ca(void)
{
    const char *mallory[] = { "client_other", NULL };
    struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(mallory) };

    pair_start(&p);
    expect_refusal(&p, LC_E_CERT_UNKNOWN_CA, LC_ALERT_UNKNOWN_CA, "CN=mallory");
    CHECK(lucid_conn_error(p.s)->alert == 48);
    pair_free(&p);

    /* optional does not mean "anything goes": a certificate sent must verify */
    p = (struct pair){ .sctx = server_ctx(LUCID_VERIFY_CLIENT_OPTIONAL),
                       .cctx = client_ctx(mallory) };
    pair_start(&p);
    expect_refusal(&p, LC_E_CERT_UNKNOWN_CA, LC_ALERT_UNKNOWN_CA,
                   "self-signed certificate in certificate chain");
    pair_free(&p);
}

static void test_expired(void)
{
    const char *expired[] = { "client_expired", NULL };
    struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(expired) };

    pair_start(&p);
    expect_refusal(&p, LC_E_CERT_EXPIRED, LC_ALERT_CERTIFICATE_EXPIRED, "expired client");
    CHECK(lucid_conn_error(p.s)->alert == 45);
    pair_free(&p);
}

static void test_without_client_auth_purpose(void)
{
    /* extendedKeyUsage serverAuth only: not for a client (RFC 5280 4.2.1.12) */
    const char *server_only[] = { "client_no_auth", NULL };
    struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON),
                      .cctx = client_ctx(server_only) };

    pair_start(&p);
    expect_refusal(&p, LC_E_CERT_USAGE, LC_ALERT_UNSUPPORTED_CERTIFICATE, "purpose");
    pair_free(&p);
}

static void test_bad_signature(void)
{
    /* alice's certificate, but mallory's key signs the CertificateVerify (both P-256) */
    const char *alice[] = { "client_ecdsa", NULL }, *mallory[] = { "client_other", NULL };
    struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(alice) };
    lucid_ctx *other = client_ctx(mallory);
    lc_pkey *k = p.cctx->cfg.certs[0].key;

    p.cctx->cfg.certs[0].key = other->cfg.certs[0].key;
    other->cfg.certs[0].key = k;
    pair_start(&p);
    expect_refusal(&p, LC_E_BAD_SIGNATURE, LC_ALERT_DECRYPT_ERROR,
                   "the client's ecdsa_secp256r1_sha256 signature over the handshake is wrong");
    CHECK(lucid_conn_error(p.s)->alert == 51);
    lucid_ctx_free(other);
    pair_free(&p);
}

static void test_no_client_ca_set(void)
{
    const char *alice[] = { "client_ecdsa", NULL };
    lucid_error err;
    struct pair p = { .sctx = lucid_ctx_new(LUCID_SERVER, &err), .cctx = client_ctx(alice) };

    CHECK_OK(lucid_ctx_add_cert(p.sctx, CERTS "ecdsa_chain.pem", CERTS "ecdsa_key.pem", &err));
    lucid_ctx_set_verify_client(p.sctx, LUCID_VERIFY_CLIENT_ON);
    pair_start(&p);
    expect_refusal(&p, LC_E_CERT_UNKNOWN_CA, LC_ALERT_UNKNOWN_CA,
                   "no client CA is configured");
    pair_free(&p);
}

static void test_configuration_errors(void)
{
    lucid_error err;
    lucid_ctx *s = lucid_ctx_new(LUCID_SERVER, &err), *c = lucid_ctx_new(LUCID_CLIENT, &err);

    CHECK_RC(lucid_ctx_set_client_ca_file(s, CERTS "no-such-file.pem", &err), LC_E_CONFIG);
    CHECK(strstr(err.message, "no-such-file.pem") != NULL);
    CHECK_RC(lucid_ctx_set_client_ca_file(c, CERTS "ca_cert.pem", &err), LC_E_BAD_ARGUMENT);
    /* a file and then another: both are trusted, both named */
    CHECK_OK(lucid_ctx_set_client_ca_file(s, CERTS "ca_cert.pem", &err));
    CHECK_OK(lucid_ctx_set_client_ca_file(s, CERTS "other_ca_cert.pem", &err));
    CHECK(s->cfg.client_cas.count == 2);
    /* an unknown mode is the strict one */
    lucid_ctx_set_verify_client(s, 7);
    CHECK(s->cfg.verify_client == LC_VERIFY_CLIENT_ON);
    lucid_ctx_free(s);
    lucid_ctx_free(c);
}

static void test_choice_by_certificate_authorities(void)
{
    /* mallory is first, but the server lists only the test root: alice goes */
    const char *both[] = { "client_other", "client_ecdsa", NULL };
    struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(both) };
    lucid_error err;

    pair_start(&p);
    pump(&p, 0);
    check_authenticated(&p, "CN=alice,O=Lucid Test", "ecdsa_secp256r1_sha256");
    pair_free(&p);

    /* a server trusting both roots lists both: the first of ours, mallory, goes */
    p = (struct pair){ .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(both) };
    CHECK_OK(lucid_ctx_set_client_ca_file(p.sctx, CERTS "other_ca_cert.pem", &err));
    pair_start(&p);
    pump(&p, 0);
    check_authenticated(&p, "CN=mallory,O=Elsewhere", "ecdsa_secp256r1_sha256");
    pair_free(&p);
}

static void test_choice_by_signature_algorithms(void)
{
    const char *keys[] = { "client_ecdsa", "client_rsa", "client_ed25519", NULL };
    const char *alice[] = { "client_ecdsa", NULL };
    struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(keys) };
    lucid_error err;

    /* the server accepts only ed25519: carol's certificate is the one that can */
    CHECK_OK(lucid_ctx_set_sigalgs(p.sctx, "ed25519", &err));
    pair_start(&p);
    pump(&p, 0);
    check_authenticated(&p, "CN=carol,O=Lucid Test", "ed25519");
    pair_free(&p);

    /* nothing fits: an empty Certificate, which "on" refuses ... */
    p = (struct pair){ .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(alice) };
    CHECK_OK(lucid_ctx_set_sigalgs(p.sctx, "rsa_pss_rsae_sha256", &err));
    pair_start(&p);
    expect_refusal(&p, LC_E_CERT_REQUIRED, LC_ALERT_CERTIFICATE_REQUIRED, "no certificate");
    pair_free(&p);

    /* ... and "optional" lets through, unauthenticated */
    p = (struct pair){ .sctx = server_ctx(LUCID_VERIFY_CLIENT_OPTIONAL),
                       .cctx = client_ctx(alice) };
    CHECK_OK(lucid_ctx_set_sigalgs(p.sctx, "rsa_pss_rsae_sha256", &err));
    pair_start(&p);
    pump(&p, 0);
    CHECK(lucid_conn_state(p.s) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_peer_subject(p.s) == NULL && lucid_conn_client_sig_scheme(p.c) == 0);
    check_data(&p);
    pair_free(&p);
}

static void test_one_byte_at_a_time_and_hello_retry(void)
{
    const char *bob[] = { "client_rsa", NULL };
    struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(bob) };
    lucid_error err;

    pair_start(&p);
    pump(&p, 1);
    check_authenticated(&p, "CN=bob,O=Lucid Test", "rsa_pss_rsae_sha256");
    pair_free(&p);

    /* after a HelloRetryRequest the transcript starts with message_hash: still agreed */
    p = (struct pair){ .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(bob) };
    CHECK_OK(lucid_ctx_set_groups(p.sctx, "secp384r1", &err));
    CHECK_OK(lucid_ctx_set_groups(p.cctx, "x25519:secp384r1", &err));
    CHECK_OK(lucid_ctx_set_ciphers(p.cctx, "TLS_AES_256_GCM_SHA384", &err));
    pair_start(&p);
    pump(&p, 0);
    check_authenticated(&p, "CN=bob,O=Lucid Test", "rsa_pss_rsae_sha256");
    CHECK(lucid_conn_group(p.s) == 0x0018);
    pair_free(&p);
}

static void test_key_updates_after_client_auth(void)
{
    const char *alice[] = { "client_ecdsa", NULL };
    struct pair p = { .sctx = server_ctx(LUCID_VERIFY_CLIENT_ON), .cctx = client_ctx(alice) };

    pair_start(&p);
    pump(&p, 0);
    for (int i = 0; i < 4; i++) {
        CHECK_OK(lucid_conn_key_update(i % 2 ? p.c : p.s, 1));
        check_data(&p);
    }
    CHECK(streq(lucid_conn_peer_subject(p.s), "CN=alice,O=Lucid Test"));
    pair_free(&p);
}

TEST_MAIN(test_required_each_key_type, test_optional, test_off_sends_no_request,
          test_required_but_none, test_unknown_ca, test_expired,
          test_without_client_auth_purpose, test_bad_signature, test_no_client_ca_set,
          test_configuration_errors, test_choice_by_certificate_authorities,
          test_choice_by_signature_algorithms, test_one_byte_at_a_time_and_hello_retry,
          test_key_updates_after_client_auth)
