/*
 * Tests for src/handshake/authenticate.c: the Certificate and CertificateVerify
 * that both sides send. A CertificateVerify signs 64 spaces, the context
 * string of the signer's side and the transcript hash (RFC 8446 4.4.3): the
 * same signature must not verify under the other side's string, so a server's
 * signature can never pass for a client's. A Certificate carries the chain,
 * or (from a client) none, with the request's context (4.4.2).
 */
#include "test.h"

#include <stdbool.h>

#include <lucid/lucid.h>

#include "base/error.h"
#include "conn/conn.h"
#include "handshake/authenticate.h"
#include "msg/certificate.h"
#include "msg/certificate_verify.h"

#define CERTS "vectors/certs/"

struct setup {
    lucid_ctx *sctx, *cctx;
    lucid_conn *s, *c;
};

/* A server that has read a ClientHello: its handshake has a transcript and a suite. */
static lc_hs *server_after_client_hello(struct setup *st)
{
    lucid_error err;
    const uint8_t *out;
    size_t n;

    st->sctx = lucid_ctx_new(LUCID_SERVER, &err);
    st->cctx = lucid_ctx_new(LUCID_CLIENT, &err);
    CHECK_OK(lucid_ctx_add_cert(st->sctx, CERTS "ecdsa_chain.pem", CERTS "ecdsa_key.pem", &err));
    st->s = lucid_conn_new(st->sctx, NULL);
    st->c = lucid_conn_new(st->cctx, "localhost");
    n = lucid_conn_pending(st->c, &out);
    CHECK_OK(lucid_conn_feed(st->s, out, n));
    CHECK(st->s->hs.suite != NULL && st->s->hs.cert != NULL);
    CHECK(st->s->hs.flight.len == 0); /* the server's flight went out */
    return &st->s->hs;
}

static void setup_free(struct setup *st)
{
    lucid_conn_free(st->c);
    lucid_conn_free(st->s);
    lucid_ctx_free(st->cctx);
    lucid_ctx_free(st->sctx);
}

static void test_context_strings(void)
{
    uint8_t as_server[LC_CV_CONTENT_MAX], as_client[LC_CV_CONTENT_MAX];
    size_t slen, clen;
    struct setup st;
    lc_hs *hs = server_after_client_hello(&st);
    lc_certificate_verify cv;
    lc_reader r;

    CHECK_OK(lc_hs_cv_content(hs, true, as_server, &slen));
    CHECK_OK(lc_hs_cv_content(hs, false, as_client, &clen));
    CHECK(slen == clen && slen == 64 + 33 + 1 + 32);
    CHECK(memcmp(as_server + 64, "TLS 1.3, server CertificateVerify", 33) == 0);
    CHECK(memcmp(as_client + 64, "TLS 1.3, client CertificateVerify", 33) == 0);
    CHECK(as_server[0] == 0x20 && as_server[63] == 0x20 && as_server[97] == 0);

    /* the server signs under its own string */
    CHECK_OK(lc_hs_send_certificate_verify(hs, hs->cert->key, LC_SIG_ECDSA_SECP256R1_SHA256));
    lc_reader_init(&r, lc_buf_data(&hs->flight) + LC_MSG_HEADER_LEN,
                   hs->flight.len - LC_MSG_HEADER_LEN);
    CHECK(lc_buf_data(&hs->flight)[0] == LC_MT_CERTIFICATE_VERIFY);
    CHECK_OK(lc_certificate_verify_decode(&r, &cv));
    CHECK(cv.algorithm == LC_SIG_ECDSA_SECP256R1_SHA256);
    CHECK_OK(lc_sig_verify(hs->cfg->cr, hs->cert->key, cv.algorithm, as_server, slen,
                           cv.signature, cv.signature_len));
    CHECK_RC(lc_sig_verify(hs->cfg->cr, hs->cert->key, cv.algorithm, as_client, clen,
                           cv.signature, cv.signature_len), LC_E_BAD_SIGNATURE);
    setup_free(&st);
}

static void test_certificates(void)
{
    static const uint8_t context[3] = { 7, 8, 9 };
    struct setup st;
    lc_hs *hs = server_after_client_hello(&st);
    lc_certificate *ct = malloc(sizeof(*ct));
    size_t at;
    lc_reader r;

    /* a client with nothing that fits: an empty list, the request's context echoed */
    CHECK_OK(lc_hs_send_certificate(hs, NULL, context, sizeof(context)));
    lc_reader_init(&r, lc_buf_data(&hs->flight) + LC_MSG_HEADER_LEN,
                   hs->flight.len - LC_MSG_HEADER_LEN);
    CHECK_OK(lc_certificate_decode(&r, ct));
    CHECK(ct->count == 0);
    CHECK_MEM(ct->certificate_request_context, ct->certificate_request_context_len, context,
              sizeof(context));
    at = hs->flight.len;

    /* the server's chain: leaf and intermediate, no context */
    CHECK_OK(lc_hs_send_certificate(hs, hs->cert, NULL, 0));
    lc_reader_init(&r, lc_buf_data(&hs->flight) + at + LC_MSG_HEADER_LEN,
                   hs->flight.len - at - LC_MSG_HEADER_LEN);
    CHECK_OK(lc_certificate_decode(&r, ct));
    CHECK(ct->count == 2 && ct->certificate_request_context_len == 0);
    for (size_t i = 0; i < ct->count && i < hs->cert->chain.count; i++) {
        CHECK_MEM(ct->certificate_list[i].cert_data, ct->certificate_list[i].cert_data_len,
                  hs->cert->chain.cert[i].der, hs->cert->chain.cert[i].len);
    }
    free(ct);
    setup_free(&st);
}

TEST_MAIN(test_context_strings, test_certificates)
