/*
 * RFC 8448 section 6, "Client Authentication", replayed end to end through
 * Lucid's client and server state machines (lucid_conn, src/handshake/), not
 * through the codecs as client_auth_test.c in this folder does.
 *
 * Each engine is given what the trace's implementation drew at random or kept
 * to itself: its random (lucid_ctx_set_random), its x25519 private key
 * (kex_private), and the clock of the trace's time (lucid_ctx_set_time,
 * January 2019, when its certificates were valid). The engines then run: the
 * client writes the ClientHello, the server answers with ServerHello and one
 * record holding EncryptedExtensions, CertificateRequest, Certificate,
 * CertificateVerify and Finished, the client answers with Certificate,
 * CertificateVerify and Finished, and each side closes. Every record each
 * engine writes must equal the trace's, byte for byte, which holds only if
 * the transcript (CertificateRequest in it; the client's Finished after its
 * Certificate and CertificateVerify) and every key of the schedule match.
 *
 * Where the trace's implementation differs from Lucid, and only there, the
 * test stands in (config.h's test hooks), and each stand-in is listed and
 * counted:
 * - Extensions Lucid does not send, or lists with code points it does not
 *   implement (the table `stand_ins` below), are taken from the trace's message
 *   by the ext_hook, which also puts them in the trace's order. Every other
 *   extension is Lucid's own and its bytes are compared with the trace's.
 * - The certificates come without private keys ("private keys for the
 *   certificates used in this example are not shown"), so the sign hook gives
 *   the trace's CertificateVerify signature; before it does, it checks that
 *   the signature verifies, with the certificate's public key, over the content
 *   our state machine built (RFC 8446 4.4.3): that content is the trace's.
 * The other side then verifies that signature as it verifies any: the server
 * the client's RSA-PSS one under "TLS 1.3, client CertificateVerify", with
 * the client's chain checked against the client CA (here the trace's
 * self-signed client certificate) at the trace's time.
 *
 * Two variants check that the checks are real: the same replay at today's
 * date (the trace's client certificate expired in July 2026) ends in
 * certificate_expired, and a CertificateVerify with one bit changed in
 * decrypt_error.
 */
#include "test.h"

#include <stdbool.h>

#include <lucid/lucid.h>

#include "rfc8448.h"

#include "conn/conn.h"
#include "crypto/cert.h"
#include "crypto/x509.h"
#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/server_hello.h"

#define SECTION 6

/* January 1st 2019, ms since the epoch: RFC 8448 is of January 2019. */
#define TRACE_TIME_MS 1546300800000ull

/*
 * Extensions of the trace's messages that Lucid does not make, and why. Any
 * other difference between the trace's extensions and Lucid's is a failure.
 */
static const struct {
    uint8_t msg_type;
    uint16_t ext;
    const char *why;
} stand_ins[] = {
    { LC_MT_CLIENT_HELLO, LC_EXT_RENEGOTIATION_INFO, "TLS 1.2 renegotiation (RFC 5746)" },
    { LC_MT_CLIENT_HELLO, LC_EXT_SUPPORTED_GROUPS,
      "lists secp521r1 and ffdhe4096..8192, which Lucid does not implement" },
    { LC_MT_CLIENT_HELLO, LC_EXT_SIGNATURE_ALGORITHMS,
      "lists SHA-1, PKCS#1 v1.5 and DSA schemes, which Lucid does not offer" },
    { LC_MT_CLIENT_HELLO, LC_EXT_RECORD_SIZE_LIMIT, "RFC 8449, not implemented" },
    { LC_MT_ENCRYPTED_EXTENSIONS, LC_EXT_SUPPORTED_GROUPS, "the same list, from the server" },
    { LC_MT_ENCRYPTED_EXTENSIONS, LC_EXT_RECORD_SIZE_LIMIT, "RFC 8449, not implemented" },
    { LC_MT_ENCRYPTED_EXTENSIONS, LC_EXT_SERVER_NAME,
      "Lucid acknowledges SNI only when it chose the certificate by it" },
    { LC_MT_CERTIFICATE_REQUEST, LC_EXT_SIGNATURE_ALGORITHMS,
      "the same schemes as the ClientHello's" },
};

/* What one side is given from the trace, and what its hooks saw. */
struct side {
    const char *name;
    const uint8_t *random, *priv;
    size_t privlen;
    uint8_t msg_types[3];        /* the messages whose extensions this side writes */
    lc_ext_list *trace_ext[3];   /* the trace's extensions of each */
    const uint8_t *cert;         /* the trace's leaf certificate (DER) */
    size_t certlen;
    lc_certificate_verify cv;    /* the trace's CertificateVerify */
    lc_pkey *pub;                /* the certificate's public key */
    const lc_crypto *cr;
    bool flip_signature;         /* the decrypt_error variant */
    unsigned draws, kex, signs, own_ext, taken_ext;
    char taken[400];             /* the extensions taken from the trace, by name */
};

static int draw_random(void *arg, uint8_t *buf, size_t n)
{
    struct side *s = arg;

    /* the only draw of either side in this handshake is its hello's random */
    s->draws++;
    CHECK(n == LC_RANDOM_LEN && s->draws == 1);
    if (n != LC_RANDOM_LEN || s->draws != 1) {
        return -1;
    }
    memcpy(buf, s->random, n);
    return 0;
}

static int kex_private(void *arg, uint16_t group, uint8_t *priv, size_t cap, size_t *len)
{
    struct side *s = arg;

    s->kex++;
    CHECK(group == 0x001d && s->privlen <= cap); /* x25519, as in the trace */
    memcpy(priv, s->priv, s->privlen);
    *len = s->privlen;
    return 0;
}

static const char *stand_in(uint8_t msg_type, uint16_t ext)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(stand_ins); i++) {
        if (stand_ins[i].msg_type == msg_type && stand_ins[i].ext == ext) {
            return stand_ins[i].why;
        }
    }
    return NULL;
}

/*
 * The extensions in the trace's order: ours where we make the extension
 * (compared with the trace's bytes), the trace's where `stand_ins` says Lucid
 * does not. An extension of ours the trace lacks is a failure.
 */
static void shape_extensions(void *arg, uint8_t msg_type, lc_ext_list *ours)
{
    struct side *s = arg;
    const lc_ext_list *trace = NULL;
    lc_ext_list shaped = { 0 };

    for (size_t m = 0; m < 3; m++) {
        if (s->msg_types[m] == msg_type) {
            trace = s->trace_ext[m];
        }
    }
    CHECK(trace != NULL);
    if (trace == NULL) {
        return;
    }
    for (size_t i = 0; i < trace->count; i++) {
        const lc_ext *want = &trace->ext[i];
        const lc_ext *mine = lc_ext_find(ours, want->type);
        const char *why = stand_in(msg_type, want->type);

        if (mine != NULL && mine->len == want->len &&
            memcmp(mine->body, want->body, want->len) == 0) {
            shaped.ext[shaped.count++] = *mine;
            s->own_ext++;
        } else if (why != NULL) {
            size_t n = strlen(s->taken);
            snprintf(s->taken + n, sizeof(s->taken) - n, "%s%s %s", n > 0 ? ", " : "",
                     lc_msg_type_name(msg_type), lc_ext_name(want->type));
            shaped.ext[shaped.count++] = *want;
            s->taken_ext++;
        } else {
            /* one of ours that should match the trace and does not */
            CHECK(mine != NULL);
            if (mine != NULL) {
                CHECK_MEM(mine->body, mine->len, want->body, want->len);
                shaped.ext[shaped.count++] = *mine;
            }
            fprintf(stderr, "  %s %s differs from the trace\n", lc_msg_type_name(msg_type),
                    lc_ext_name(want->type));
        }
    }
    for (size_t i = 0; i < ours->count; i++) {
        bool in_trace = lc_ext_find(trace, ours->ext[i].type) != NULL;
        CHECK(in_trace);
        if (!in_trace) {
            fprintf(stderr, "  we sent %s in %s; the trace did not\n",
                    lc_ext_name(ours->ext[i].type), lc_msg_type_name(msg_type));
        }
    }
    *ours = shaped;
}

/* The trace's CertificateVerify signature, once it is seen to sign our content. */
static int sign(void *arg, uint16_t scheme, const uint8_t *content, size_t len, uint8_t *sig,
                size_t cap, size_t *siglen)
{
    struct side *s = arg;

    s->signs++;
    CHECK(scheme == s->cv.algorithm && s->cv.signature_len <= cap);
    CHECK_OK(lc_sig_verify(s->cr, s->pub, scheme, content, len, s->cv.signature,
                           s->cv.signature_len));
    memcpy(sig, s->cv.signature, s->cv.signature_len);
    if (s->flip_signature) {
        sig[s->cv.signature_len / 2] ^= 0x01;
    }
    *siglen = s->cv.signature_len;
    return 0;
}

static uint64_t trace_clock(void *arg)
{
    (void)arg;
    return TRACE_TIME_MS;
}

/* ---- the trace ------------------------------------------------------------------------ */

static const uint8_t *field(const char *step, int nth, const char *name, size_t *len)
{
    return rfc8448_get(SECTION, step, nth, name, len);
}

/* The extensions of a trace message (views into the loaded trace, which lives on). */
static lc_ext_list *trace_extensions(const char *step, const char *name)
{
    static lc_client_hello ch;
    static lc_server_hello sh;
    static lc_encrypted_extensions ee;
    static lc_certificate_request cr;
    size_t len;
    const uint8_t *m = field(step, 0, name, &len);
    lc_reader r;

    lc_reader_init(&r, m + LC_MSG_HEADER_LEN, len - LC_MSG_HEADER_LEN);
    switch (m[0]) {
    case LC_MT_CLIENT_HELLO:
        CHECK_OK(lc_client_hello_decode(&r, &ch));
        return &ch.extensions;
    case LC_MT_SERVER_HELLO:
        CHECK_OK(lc_server_hello_decode(&r, &sh));
        return &sh.extensions;
    case LC_MT_ENCRYPTED_EXTENSIONS:
        CHECK_OK(lc_encrypted_extensions_decode(&r, &ee));
        return &ee.extensions;
    default:
        CHECK_OK(lc_certificate_request_decode(&r, &cr));
        return &cr.extensions;
    }
}

/* A side's certificate and CertificateVerify, from its messages in the trace. */
static void trace_auth(struct side *s, const char *who)
{
    static lc_certificate ct;
    char step[96];
    size_t len;
    const uint8_t *m;
    lc_reader r;

    snprintf(step, sizeof(step), "{%s} construct a Certificate handshake message", who);
    m = field(step, 0, "Certificate", &len);
    lc_reader_init(&r, m + LC_MSG_HEADER_LEN, len - LC_MSG_HEADER_LEN);
    CHECK_OK(lc_certificate_decode(&r, &ct));
    CHECK(ct.count == 1);
    s->cert = ct.certificate_list[0].cert_data;
    s->certlen = ct.certificate_list[0].cert_data_len;
    CHECK_OK(lc_pkey_from_cert_der(s->cr, s->cert, s->certlen, &s->pub));
    snprintf(step, sizeof(step), "{%s} construct a CertificateVerify handshake message", who);
    m = field(step, 0, "CertificateVerify", &len);
    lc_reader_init(&r, m + LC_MSG_HEADER_LEN, len - LC_MSG_HEADER_LEN);
    CHECK_OK(lc_certificate_verify_decode(&r, &s->cv));
}

/* Our certificate: the trace's, with its public key where the private one would be. */
static void use_trace_certificate(lucid_ctx *ctx, const struct side *s)
{
    lc_cert_key *ck = &ctx->cfg.certs[0];

    ck->chain.count = 1;
    ck->chain.cert[0].der = malloc(s->certlen);
    memcpy(ck->chain.cert[0].der, s->cert, s->certlen);
    ck->chain.cert[0].len = s->certlen;
    CHECK_OK(lc_cert_from_der(s->cert, s->certlen, &ck->leaf));
    CHECK_OK(lc_pkey_from_cert_der(s->cr, s->cert, s->certlen, &ck->key));
    ctx->cfg.ncerts = 1;
}

static void hook_up(lucid_ctx *ctx, struct side *s)
{
    lucid_ctx_set_random(ctx, draw_random, s);
    ctx->cfg.kex_private = kex_private;
    ctx->cfg.kex_private_arg = s;
    ctx->cfg.ext_hook = shape_extensions;
    ctx->cfg.ext_hook_arg = s;
    ctx->cfg.sign = sign;
    ctx->cfg.sign_arg = s;
    use_trace_certificate(ctx, s);
}

/* The algorithms the sides' own checks use (fetched once per binary). */
static const lc_crypto *crypto(void)
{
    static lc_crypto *cr;

    if (cr == NULL && (cr = lc_crypto_new()) == NULL) {
        fprintf(stderr, "lc_crypto_new failed\n");
        abort();
    }
    return cr;
}

static void setup(struct side *c, struct side *s)
{
    const lc_crypto *cr = crypto();
    size_t len;

    memset(c, 0, sizeof(*c));
    memset(s, 0, sizeof(*s));
    c->name = "client";
    s->name = "server";
    c->cr = s->cr = cr;
    c->priv = field("{client} create an ephemeral x25519 key pair", 0, "private key",
                    &c->privlen);
    s->priv = field("{server} create an ephemeral x25519 key pair", 0, "private key",
                    &s->privlen);
    /* legacy_version (2 bytes) after the 4-byte header, then the random */
    c->random = field("{client} construct a ClientHello", 0, "ClientHello", &len) + 6;
    s->random = field("{server} construct a ServerHello", 0, "ServerHello", &len) + 6;
    c->msg_types[0] = LC_MT_CLIENT_HELLO;
    c->trace_ext[0] = trace_extensions("{client} construct a ClientHello", "ClientHello");
    s->msg_types[0] = LC_MT_SERVER_HELLO;
    s->trace_ext[0] = trace_extensions("{server} construct a ServerHello", "ServerHello");
    s->msg_types[1] = LC_MT_ENCRYPTED_EXTENSIONS;
    s->trace_ext[1] = trace_extensions("{server} construct an EncryptedExtensions",
                                       "EncryptedExtensions");
    s->msg_types[2] = LC_MT_CERTIFICATE_REQUEST;
    s->trace_ext[2] = trace_extensions("{server} construct a CertificateRequest",
                                       "CertificateRequest");
    trace_auth(c, "client");
    trace_auth(s, "server");
}

/* ---- the engines -------------------------------------------------------------------------- */

struct engines {
    lucid_ctx *cctx, *sctx;
    lucid_conn *c, *s;
};

static void start(struct engines *e, struct side *c, struct side *s, bool trace_time)
{
    lucid_error err;

    e->cctx = lucid_ctx_new(LUCID_CLIENT, &err);
    e->sctx = lucid_ctx_new(LUCID_SERVER, &err);
    /* the trace's client offers TLS_AES_128_GCM_SHA256, CHACHA20, AES_256 in that order */
    CHECK_OK(lucid_ctx_set_ciphers(e->cctx, "TLS_AES_128_GCM_SHA256:"
                                   "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384", &err));
    /* its server certificate (CN=ecdsa256, self-signed) names no host: the chain and the
     * name are not checked; its CertificateVerify and Finished still are */
    lucid_ctx_set_verify(e->cctx, 0);
    e->cctx->cfg.no_compat_mode = true; /* an empty legacy_session_id, no dummy CCS */
    hook_up(e->cctx, c);
    hook_up(e->sctx, s);
    e->sctx->cfg.tickets = 0; /* section 6 has no NewSessionTicket */
    lucid_ctx_set_verify_client(e->sctx, LUCID_VERIFY_CLIENT_ON);
    /* the client CA: the trace's client certificate is self-signed */
    e->sctx->cfg.client_trust = lc_trust_new();
    CHECK_OK(lc_trust_add_der(e->sctx->cfg.client_trust, c->cert, c->certlen));
    if (trace_time) {
        lucid_ctx_set_time(e->sctx, trace_clock, NULL);
        lucid_ctx_set_time(e->cctx, trace_clock, NULL);
    }
    e->c = lucid_conn_new(e->cctx, "server");
    e->s = lucid_conn_new(e->sctx, NULL);
    CHECK(e->c != NULL && e->s != NULL);
}

static void stop(struct engines *e, struct side *c, struct side *s)
{
    lucid_conn_free(e->c);
    lucid_conn_free(e->s);
    lucid_ctx_free(e->cctx);
    lucid_ctx_free(e->sctx);
    lc_pkey_free(c->pub);
    lc_pkey_free(s->pub);
}

/* What `from` has written must be the trace's records of the steps given; then it is read. */
static size_t deliver(lucid_conn *from, lucid_conn *to, const char *step1, int nth1,
                      const char *step2, int nth2)
{
    uint8_t want[4096];
    size_t len, wantlen = 0, n;
    const uint8_t *rec = field(step1, nth1, "complete record", &len), *out;

    memcpy(want, rec, len);
    wantlen = len;
    if (step2 != NULL) {
        rec = field(step2, nth2, "complete record", &len);
        memcpy(want + wantlen, rec, len);
        wantlen += len;
    }
    n = lucid_conn_pending(from, &out);
    CHECK_MEM(out, n, want, wantlen);
    lucid_conn_feed(to, out, n);
    lucid_conn_consume(from, n);
    return step2 != NULL ? 2 : 1;
}

static const char *const CREC = "{client} send handshake record";
static const char *const SREC = "{server} send handshake record";

static void test_replay(void)
{
    static struct side c, s;
    struct engines e = { 0 };
    const uint8_t *out;
    size_t records = 0;

    setup(&c, &s);
    start(&e, &c, &s, true);

    records += deliver(e.c, e.s, CREC, 0, NULL, 0);   /* ClientHello */
    records += deliver(e.s, e.c, SREC, 0, SREC, 1);   /* ServerHello; EE, CR, CT, CV, FIN */
    records += deliver(e.c, e.s, CREC, 1, NULL, 0);   /* CT, CV, FIN */
    CHECK(lucid_conn_state(e.s) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_state(e.c) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_pending(e.s, &out) == 0); /* no NewSessionTicket here */
    lucid_conn_close(e.c);
    records += deliver(e.c, e.s, "{client} send alert record", 0, NULL, 0);
    lucid_conn_close(e.s);
    records += deliver(e.s, e.c, "{server} send alert record", 0, NULL, 0);

    /* what each engine made of the other */
    CHECK(lucid_conn_error(e.s)->code == 0 && lucid_conn_error(e.c)->code == 0);
    CHECK(lucid_conn_peer_subject(e.s) != NULL &&
          strcmp(lucid_conn_peer_subject(e.s), "CN=client") == 0);
    CHECK(lucid_conn_client_sig_scheme(e.s) == LC_SIG_RSA_PSS_RSAE_SHA256);
    CHECK(lucid_conn_client_sig_scheme(e.c) == LC_SIG_RSA_PSS_RSAE_SHA256);
    CHECK(lucid_conn_sig_scheme(e.c) == LC_SIG_ECDSA_SECP256R1_SHA256);
    CHECK(lucid_conn_cipher_suite(e.s) == 0x1301 && lucid_conn_group(e.c) == 0x001d);
    CHECK(c.draws == 1 && s.draws == 1 && c.kex == 1 && s.kex == 1);
    CHECK(c.signs == 1 && s.signs == 1);
    CHECK(records == 6);
    printf("RFC 8448 section 6 through the state machines: %zu records, all of the "
           "trace's, written byte for byte by Lucid's engines (client: %u extensions its own, "
           "%u from the trace; server: %u its own, %u from the trace: %s; %s); both "
           "CertificateVerify signatures checked over our content and verified by the peer "
           "engine\n",
           records, c.own_ext, c.taken_ext, s.own_ext, s.taken_ext, s.taken, c.taken);
    stop(&e, &c, &s);
}

/* The same handshake today: the trace's client certificate expired on 2026-07-30. */
static void test_checks_are_real_expired(void)
{
    static struct side c, s;
    struct engines e = { 0 };

    setup(&c, &s);
    start(&e, &c, &s, false);
    deliver(e.c, e.s, CREC, 0, NULL, 0);
    deliver(e.s, e.c, SREC, 0, SREC, 1);
    deliver(e.c, e.s, CREC, 1, NULL, 0);
    CHECK_RC(lucid_conn_error(e.s)->code, LC_E_CERT_EXPIRED);
    CHECK(lucid_conn_error(e.s)->alert == LC_ALERT_CERTIFICATE_EXPIRED);
    stop(&e, &c, &s);
}

/* One bit of the client's signature changed: the server's verification fails. */
static void test_checks_are_real_signature(void)
{
    static struct side c, s;
    struct engines e = { 0 };
    const uint8_t *out;
    size_t n;

    setup(&c, &s);
    start(&e, &c, &s, true);
    c.flip_signature = true;
    deliver(e.c, e.s, CREC, 0, NULL, 0);
    deliver(e.s, e.c, SREC, 0, SREC, 1);
    n = lucid_conn_pending(e.c, &out);
    lucid_conn_feed(e.s, out, n);
    lucid_conn_consume(e.c, n);
    CHECK_RC(lucid_conn_error(e.s)->code, LC_E_BAD_SIGNATURE);
    CHECK(lucid_conn_error(e.s)->alert == LC_ALERT_DECRYPT_ERROR);
    stop(&e, &c, &s);
}

static void load(void)
{
    rfc8448_load();
}

TEST_MAIN(load, test_replay, test_checks_are_real_expired, test_checks_are_real_signature)
