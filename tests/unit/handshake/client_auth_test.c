/*
 * Tests for src/handshake/client_auth.c (and the shared CertificateVerify
 * check of src/handshake/authenticate.c) at the level of handshake messages:
 * each state's handler is given messages made here, so every check the wire
 * cannot easily reach is reached: messages out of order (unexpected_message),
 * a Certificate that does not echo the request's context, a CertificateVerify
 * with a scheme we did not offer or a signature that does not verify, a
 * CertificateRequest with a context or without signature_algorithms. The
 * trace of a whole client-auth handshake is checked to narrate the request,
 * the client's choice and each check, in transcript order.
 */
#include "test.h"

#include <stdbool.h>

#include <lucid/lucid.h>

#include "base/error.h"
#include "conn/conn.h"
#include "handshake/client_auth.h"
#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/ext/signature_algorithms.h"
#include "msg/finished.h"

#define CERTS "vectors/certs/"

static lucid_ctx *server_ctx(void)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_SERVER, &err);

    CHECK_OK(lucid_ctx_add_cert(ctx, CERTS "ecdsa_chain.pem", CERTS "ecdsa_key.pem", &err));
    CHECK_OK(lucid_ctx_set_client_ca_file(ctx, CERTS "ca_cert.pem", &err));
    lucid_ctx_set_verify_client(ctx, LUCID_VERIFY_CLIENT_ON);
    return ctx;
}

static lucid_ctx *client_ctx(bool with_cert)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_CLIENT, &err);

    CHECK_OK(lucid_ctx_set_ca_file(ctx, CERTS "ca_cert.pem", &err));
    if (with_cert) {
        CHECK_OK(lucid_ctx_add_cert(ctx, CERTS "client_ecdsa_chain.pem",
                                    CERTS "client_ecdsa_key.pem", &err));
    }
    return ctx;
}

/* Moves all that `from` has to send into `to`. */
static void move(lucid_conn *from, lucid_conn *to)
{
    const uint8_t *out;
    size_t n;

    while ((n = lucid_conn_pending(from, &out)) > 0) {
        lucid_conn_feed(to, out, n);
        lucid_conn_consume(from, n);
    }
}

/* A server that has answered a ClientHello with its flight and a CertificateRequest. */
struct waiting {
    lucid_ctx *sctx, *cctx;
    lucid_conn *s, *c;
};

static void wait_for_client_cert(struct waiting *w)
{
    w->sctx = server_ctx();
    w->cctx = client_ctx(true);
    w->s = lucid_conn_new(w->sctx, NULL);
    w->c = lucid_conn_new(w->cctx, "localhost");
    move(w->c, w->s);
    CHECK(w->s->hs.state == LC_HS_WAIT_CERT && w->s->hs.cert_requested);
}

static void waiting_free(struct waiting *w)
{
    lucid_conn_free(w->c);
    lucid_conn_free(w->s);
    lucid_ctx_free(w->cctx);
    lucid_ctx_free(w->sctx);
}

/* A Certificate message holding alice's chain (context: ctxlen bytes of 0x5a). */
static size_t alice_certificate(uint8_t *msg, size_t cap, size_t ctxlen)
{
    static const uint8_t context[4] = { 0x5a, 0x5a, 0x5a, 0x5a };
    const lc_cert_key *alice;
    lucid_ctx *ctx = client_ctx(true);
    lc_certificate *ct = calloc(1, sizeof(*ct));
    lc_writer w;

    alice = &ctx->cfg.certs[0];
    ct->certificate_request_context = context;
    ct->certificate_request_context_len = ctxlen;
    for (size_t i = 0; i < alice->chain.count; i++) {
        ct->certificate_list[i].cert_data = alice->chain.cert[i].der;
        ct->certificate_list[i].cert_data_len = alice->chain.cert[i].len;
    }
    ct->count = alice->chain.count;
    lc_writer_init(&w, msg, cap);
    CHECK_OK(lc_certificate_encode(&w, ct));
    free(ct);
    lucid_ctx_free(ctx);
    return w.len;
}

static size_t certificate_verify(uint8_t *msg, size_t cap, uint16_t scheme)
{
    static const uint8_t sig[64] = { 1, 2, 3 };
    lc_certificate_verify cv = { .algorithm = scheme, .signature = sig,
                                 .signature_len = sizeof(sig) };
    lc_writer w;

    lc_writer_init(&w, msg, cap);
    CHECK_OK(lc_certificate_verify_encode(&w, &cv));
    return w.len;
}

static size_t finished(uint8_t *msg, size_t cap)
{
    static const uint8_t verify_data[32] = { 0 };
    lc_finished fin = { .verify_data = verify_data, .verify_data_len = sizeof(verify_data) };
    lc_writer w;

    lc_writer_init(&w, msg, cap);
    CHECK_OK(lc_finished_encode(&w, &fin));
    return w.len;
}

/* RFC 8446 4: anything but the client's Certificate now is unexpected_message. */
static void test_out_of_order(void)
{
    uint8_t msg[4096];
    struct waiting w;
    size_t n;
    int rc;

    /* Finished without Certificate and CertificateVerify */
    wait_for_client_cert(&w);
    n = finished(msg, sizeof(msg));
    rc = lc_hs_handle(&w.s->hs, LC_MT_FINISHED, msg, n);
    CHECK_RC(rc, LC_E_UNEXPECTED_MESSAGE);
    CHECK(lc_err_alert(rc) == LC_ALERT_UNEXPECTED_MESSAGE);
    CHECK(strstr(w.s->err.msg, "finished") != NULL && strstr(w.s->err.msg, "WAIT_CERT"));
    waiting_free(&w);

    /* CertificateVerify before Certificate */
    wait_for_client_cert(&w);
    n = certificate_verify(msg, sizeof(msg), LC_SIG_ECDSA_SECP256R1_SHA256);
    CHECK_RC(lc_hs_handle(&w.s->hs, LC_MT_CERTIFICATE_VERIFY, msg, n), LC_E_UNEXPECTED_MESSAGE);
    waiting_free(&w);

    /* a second Certificate, or Finished, where the CertificateVerify must come */
    wait_for_client_cert(&w);
    n = alice_certificate(msg, sizeof(msg), 0);
    CHECK_OK(lc_hs_handle(&w.s->hs, LC_MT_CERTIFICATE, msg, n));
    CHECK(w.s->hs.state == LC_HS_WAIT_CV);
    CHECK_RC(lc_hs_handle(&w.s->hs, LC_MT_CERTIFICATE, msg, n), LC_E_UNEXPECTED_MESSAGE);
    waiting_free(&w);

    wait_for_client_cert(&w);
    n = alice_certificate(msg, sizeof(msg), 0);
    CHECK_OK(lc_hs_handle(&w.s->hs, LC_MT_CERTIFICATE, msg, n));
    n = finished(msg, sizeof(msg));
    CHECK_RC(lc_hs_handle(&w.s->hs, LC_MT_FINISHED, msg, n), LC_E_UNEXPECTED_MESSAGE);
    waiting_free(&w);
}

/* RFC 8446 4.4.2: the Certificate echoes the request's (empty) context. */
static void test_context_not_echoed(void)
{
    uint8_t msg[4096];
    struct waiting w;
    size_t n;
    int rc;

    wait_for_client_cert(&w);
    n = alice_certificate(msg, sizeof(msg), 4);
    rc = lc_hs_handle(&w.s->hs, LC_MT_CERTIFICATE, msg, n);
    CHECK_RC(rc, LC_E_ILLEGAL_PARAMETER);
    CHECK(strstr(w.s->err.msg, "certificate_request_context of 4 bytes") != NULL);
    waiting_free(&w);
}

/* RFC 8446 4.4.3: the scheme must be one we offered, and the signature must verify. */
static void test_certificate_verify_checks(void)
{
    static const uint16_t bad_schemes[] = {
        LC_SIG_RSA_PKCS1_SHA256,       /* never in a TLS 1.3 CertificateVerify */
        LC_SIG_ECDSA_SECP384R1_SHA384, /* offered, but not alice's P-256 key */
        0x0203,                        /* ecdsa_sha1: not offered */
    };
    uint8_t msg[4096];
    struct waiting w;
    size_t n;

    for (size_t i = 0; i < LC_ARRAY_LEN(bad_schemes); i++) {
        wait_for_client_cert(&w);
        n = alice_certificate(msg, sizeof(msg), 0);
        CHECK_OK(lc_hs_handle(&w.s->hs, LC_MT_CERTIFICATE, msg, n));
        n = certificate_verify(msg, sizeof(msg), bad_schemes[i]);
        CHECK_RC(lc_hs_handle(&w.s->hs, LC_MT_CERTIFICATE_VERIFY, msg, n),
                 LC_E_ILLEGAL_PARAMETER);
        waiting_free(&w);
    }

    /* the right scheme, a signature that is not alice's: decrypt_error */
    wait_for_client_cert(&w);
    n = alice_certificate(msg, sizeof(msg), 0);
    CHECK_OK(lc_hs_handle(&w.s->hs, LC_MT_CERTIFICATE, msg, n));
    n = certificate_verify(msg, sizeof(msg), LC_SIG_ECDSA_SECP256R1_SHA256);
    CHECK_RC(lc_hs_handle(&w.s->hs, LC_MT_CERTIFICATE_VERIFY, msg, n), LC_E_BAD_SIGNATURE);
    CHECK(lc_err_alert(LC_E_BAD_SIGNATURE) == LC_ALERT_DECRYPT_ERROR);
    waiting_free(&w);
}

/* A CertificateRequest: context bytes, then the extensions given (type, body) in order. */
static size_t certificate_request(uint8_t *msg, size_t cap, size_t ctxlen,
                                  const uint16_t *schemes, size_t nschemes)
{
    static const uint8_t context[4] = { 9, 9, 9, 9 };
    lc_ext_signature_algorithms sa = { .count = nschemes };
    lc_certificate_request cr = { .certificate_request_context = context,
                                  .certificate_request_context_len = ctxlen };
    uint8_t body[256];
    lc_writer e, w;

    lc_writer_init(&e, body, sizeof(body));
    if (nschemes > 0) {
        memcpy(sa.scheme, schemes, nschemes * sizeof(schemes[0]));
        CHECK_OK(lc_ext_signature_algorithms_encode(&e, &sa));
        cr.extensions.ext[0] = (lc_ext){ LC_EXT_SIGNATURE_ALGORITHMS, body, e.len };
    } else {
        /* something else the client does not know: RFC 8446 4.3.2 allows it */
        cr.extensions.ext[0] = (lc_ext){ 0xfafa, body, 0 };
    }
    cr.extensions.count = 1;
    lc_writer_init(&w, msg, cap);
    CHECK_OK(lc_certificate_request_encode(&w, &cr));
    return w.len;
}

/* A client as it stands after EncryptedExtensions (the state is set: the flight is one record). */
struct asked {
    lucid_ctx *sctx, *cctx;
    lucid_conn *s, *c;
};

static lucid_conn *client_waiting_cert_cr(struct asked *a)
{
    a->sctx = server_ctx();
    a->cctx = client_ctx(true);
    a->s = lucid_conn_new(a->sctx, NULL);
    a->c = lucid_conn_new(a->cctx, "localhost");
    move(a->c, a->s);
    move(a->s, a->c);
    CHECK(a->c->hs.done);
    a->c->hs.state = LC_HS_WAIT_CERT_CR;
    a->c->hs.cert = NULL;
    return a->c;
}

static void asked_free(struct asked *a)
{
    lucid_conn_free(a->c);
    lucid_conn_free(a->s);
    lucid_ctx_free(a->cctx);
    lucid_ctx_free(a->sctx);
}

static void test_client_checks_the_request(void)
{
    static const uint16_t ed25519[] = { LC_SIG_ED25519 };
    static const uint16_t p256[] = { LC_SIG_RSA_PSS_RSAE_SHA256, LC_SIG_ECDSA_SECP256R1_SHA256 };
    struct asked a;
    lucid_conn *c;
    uint8_t msg[512];
    size_t n;

    /* RFC 8446 4.3.2: a context in the main handshake is illegal_parameter */
    c = client_waiting_cert_cr(&a);
    n = certificate_request(msg, sizeof(msg), 4, p256, 2);
    CHECK_RC(lc_hs_handle(&c->hs, LC_MT_CERTIFICATE_REQUEST, msg, n), LC_E_ILLEGAL_PARAMETER);
    asked_free(&a);

    /* no signature_algorithms: missing_extension */
    c = client_waiting_cert_cr(&a);
    n = certificate_request(msg, sizeof(msg), 0, NULL, 0);
    CHECK_RC(lc_hs_handle(&c->hs, LC_MT_CERTIFICATE_REQUEST, msg, n), LC_E_MISSING_EXTENSION);
    CHECK(lc_err_alert(LC_E_MISSING_EXTENSION) == LC_ALERT_MISSING_EXTENSION);
    asked_free(&a);

    /* only ed25519 accepted: alice (P-256) does not fit, so nothing will be sent */
    c = client_waiting_cert_cr(&a);
    n = certificate_request(msg, sizeof(msg), 0, ed25519, 1);
    CHECK_OK(lc_hs_handle(&c->hs, LC_MT_CERTIFICATE_REQUEST, msg, n));
    CHECK(c->hs.state == LC_HS_WAIT_CERT && c->hs.cert_requested);
    CHECK(c->hs.cert == NULL && c->hs.client_scheme == 0);
    asked_free(&a);

    /* the server's order does not matter: ours does, and the key decides */
    c = client_waiting_cert_cr(&a);
    n = certificate_request(msg, sizeof(msg), 0, p256, 2);
    CHECK_OK(lc_hs_handle(&c->hs, LC_MT_CERTIFICATE_REQUEST, msg, n));
    CHECK(c->hs.cert != NULL && c->hs.client_scheme == LC_SIG_ECDSA_SECP256R1_SHA256);
    asked_free(&a);
}

/* ---- the trace ------------------------------------------------------------------------ */

struct lines {
    char text[32768];
    size_t len;
};

static void collect(void *arg, const char *line)
{
    struct lines *l = arg;
    int n = snprintf(l->text + l->len, sizeof(l->text) - l->len, "%s\n", line);

    if (n > 0 && l->len + (size_t)n < sizeof(l->text)) {
        l->len += (size_t)n;
    }
}

/* Where `what` first appears in the trace at or after `from`; -1 (a failed check) if not. */
static long find_after(const struct lines *l, long from, const char *what)
{
    const char *at = from >= 0 ? strstr(l->text + from, what) : NULL;

    if (at == NULL) {
        CHECK(!"a trace line is missing or out of order");
        fprintf(stderr, "  missing after offset %ld: %s\n", from, what);
        return -1;
    }
    return at - l->text;
}

static void test_trace(void)
{
    static struct lines trace;
    lucid_ctx *sctx = server_ctx(), *cctx = client_ctx(true);
    lucid_conn *s, *c;
    long at;

    lucid_ctx_set_trace(sctx, collect, &trace);
    lucid_ctx_set_trace(cctx, collect, &trace);
    s = lucid_conn_new(sctx, NULL);
    c = lucid_conn_new(cctx, "localhost");
    for (int i = 0; i < 4; i++) {
        move(c, s);
        move(s, c);
    }
    CHECK(lucid_conn_state(s) & LUCID_CAN_WRITE);
    /* the server asks, after EncryptedExtensions and before its Certificate */
    at = find_after(&trace, 0, "server: >> encrypted_extensions");
    at = find_after(&trace, at, "server: verify_client on: asking for a client certificate "
                                "(6 signature schemes, 1 CA name(s))");
    at = find_after(&trace, at, "server: >> certificate_request");
    at = find_after(&trace, at, "server:     request_context    0 bytes");
    at = find_after(&trace, at, "signature_schemes  ecdsa_secp256r1_sha256, ");
    at = find_after(&trace, at, "server:     authorities        1 CA name(s)");
    at = find_after(&trace, at, "server:     [0] CN=Lucid Test Root CA");
    at = find_after(&trace, at, "server: >> certificate (");
    /* the client hears it and chooses */
    at = find_after(&trace, at, "client: << certificate_request");
    at = find_after(&trace, at, "client: the server asks for a certificate: we will send "
                                "'CN=alice,O=Lucid Test' and sign with ecdsa_secp256r1_sha256");
    at = find_after(&trace, at, "client: server Finished verified");
    at = find_after(&trace, at, "client: >> certificate (");
    at = find_after(&trace, at, "client: >> certificate_verify");
    at = find_after(&trace, at, "client: >> finished");
    /* the server checks each, in transcript order */
    at = find_after(&trace, at, "server: << certificate (");
    at = find_after(&trace, at, "server:     [0] subject /O=Lucid Test/CN=alice");
    at = find_after(&trace, at, "server: client certificate: 'CN=alice,O=Lucid Test' "
                                "(2 in chain)");
    at = find_after(&trace, at, "server: client certificate chain verified");
    at = find_after(&trace, at, "server: << certificate_verify");
    at = find_after(&trace, at, "server: client CertificateVerify (ecdsa_secp256r1_sha256) "
                                "verified");
    at = find_after(&trace, at, "server: << finished");
    at = find_after(&trace, at, "server: client Finished verified");
    find_after(&trace, at, "server: handshake complete");
    lucid_conn_free(c);
    lucid_conn_free(s);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

TEST_MAIN(test_out_of_order, test_context_not_echoed, test_certificate_verify_checks,
          test_client_checks_the_request, test_trace)
