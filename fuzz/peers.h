/*
 * The lucid contexts of the two engine targets (fuzz_server.c, fuzz_client.c),
 * shared with gen_seeds.c so that a handshake it records replays byte for byte
 * in a target: the same certificates, ALPN, fixed randomness, a fixed clock
 * and a fixed ticket key.
 *
 * The top bit of a target's first input byte picks a variant (the other seven
 * bits pick the chunking, fuzz.h):
 * - fuzz_server: 0 is a server with tickets and 0-RTT, so resumed handshakes
 *   with early data are decoded, checked and answered; FUZZ_VARIANT asks for
 *   client certificates (OPTIONAL), so a client's Certificate and
 *   CertificateVerify are checked too. (A server that asks for client
 *   certificates never resumes: lucid.h.)
 * - fuzz_client: 0 starts a full handshake; FUZZ_VARIANT offers the session of
 *   an earlier full handshake with the fuzz server, with early data.
 *   The client has an Ed25519 certificate for servers that ask for one.
 *
 * Ed25519 signatures are deterministic, which is what lets a recorded
 * CertificateVerify replay.
 */
#ifndef LC_FUZZ_PEERS_H
#define LC_FUZZ_PEERS_H

#include "fuzz.h"
#include "lucid/lucid.h"

#define FUZZ_SERVER_RNG 0x5e4e4u
#define FUZZ_CLIENT_RNG 0xc11e47u
#define FUZZ_VARIANT 0x80
#define FUZZ_EARLY_MAX 16384
#define FUZZ_EARLY_DATA "GET /early HTTP/1.1\r\nHost: localhost\r\n\r\n"

/* 2100-01-01: inside the validity of every certificate in tests/vectors/certs/. */
static inline uint64_t fuzz_clock(void *arg)
{
    (void)arg;
    return 4102444800000ull;
}

static inline void fuzz_ok(int rc, const lucid_error *err)
{
    if (rc != 0) {
        fprintf(stderr, "fuzz setup: %s\n", err->message);
        abort();
    }
}

/* The fuzz server; certs is the folder of tests/vectors/certs/ with its slash. */
static inline lucid_ctx *fuzz_server_ctx(struct fuzz_rng *rng, int client_auth,
                                         const char *certs)
{
    static const char *const pairs[][2] = {
        {"ed25519_chain.pem", "ed25519_key.pem"},
        {"ecdsa_chain.pem", "ecdsa_key.pem"},
        {"rsa_chain.pem", "rsa_key.pem"},
    };
    /* 16 bytes of key id, then the key material (lucid.h) */
    static const uint8_t ticket_key[80] = "lucid fuzz key..0123456789abcdef0123456789abcdef"
                                          "0123456789abcdef";
    char a[512], b[512];
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_SERVER, &err);

    FUZZ_CHECK(ctx != NULL);
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        snprintf(a, sizeof(a), "%s%s", certs, pairs[i][0]);
        snprintf(b, sizeof(b), "%s%s", certs, pairs[i][1]);
        fuzz_ok(lucid_ctx_add_cert(ctx, a, b, &err), &err);
    }
    fuzz_ok(lucid_ctx_set_alpn(ctx, "h2,http/1.1", &err), &err);
    lucid_ctx_set_random(ctx, fuzz_random, rng);
    lucid_ctx_set_time(ctx, fuzz_clock, NULL); /* before set_early_data (lucid.h) */
    fuzz_ok(lucid_ctx_set_ticket_key(ctx, ticket_key, sizeof(ticket_key), &err), &err);
    fuzz_ok(lucid_ctx_set_early_data(ctx, FUZZ_EARLY_MAX, &err), &err);
    if (client_auth) {
        snprintf(a, sizeof(a), "%s%s", certs, "ca_cert.pem");
        fuzz_ok(lucid_ctx_set_client_ca_file(ctx, a, &err), &err);
        lucid_ctx_set_verify_client(ctx, LUCID_VERIFY_CLIENT_OPTIONAL);
    }
    return ctx;
}

/* The fuzz client: trusts the test CA, offers an Ed25519 client certificate when asked. */
static inline lucid_ctx *fuzz_client_ctx(struct fuzz_rng *rng, const char *certs)
{
    char a[512], b[512];
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_CLIENT, &err);

    FUZZ_CHECK(ctx != NULL);
    snprintf(a, sizeof(a), "%s%s", certs, "ca_cert.pem");
    fuzz_ok(lucid_ctx_set_ca_file(ctx, a, &err), &err);
    snprintf(a, sizeof(a), "%s%s", certs, "client_ed25519_chain.pem");
    snprintf(b, sizeof(b), "%s%s", certs, "client_ed25519_key.pem");
    fuzz_ok(lucid_ctx_add_cert(ctx, a, b, &err), &err);
    fuzz_ok(lucid_ctx_set_alpn(ctx, "h2,http/1.1", &err), &err);
    lucid_ctx_set_random(ctx, fuzz_random, rng);
    lucid_ctx_set_time(ctx, fuzz_clock, NULL);
    fuzz_ok(lucid_ctx_set_early_data(ctx, FUZZ_EARLY_MAX, &err), &err);
    return ctx;
}

/* What one side sent, when a recording is wanted. */
struct fuzz_stream {
    uint8_t buf[1 << 16];
    size_t len;
};

/* Moves everything from pending to peer (and into rec, unless NULL). */
static inline void fuzz_move(lucid_conn *from, struct fuzz_stream *rec, lucid_conn *to)
{
    const uint8_t *out;
    size_t n;
    while ((n = lucid_conn_pending(from, &out)) > 0) {
        if (rec != NULL) {
            FUZZ_CHECK(rec->len + n <= sizeof(rec->buf));
            memcpy(rec->buf + rec->len, out, n);
            rec->len += n;
        }
        FUZZ_CHECK(lucid_conn_feed(to, out, n) == 0);
        lucid_conn_consume(from, n);
    }
}

/* Runs the handshake (and the tickets after it) between c and s to the end. */
static inline void fuzz_handshake(lucid_conn *c, struct fuzz_stream *crec, lucid_conn *s,
                                  struct fuzz_stream *srec)
{
    for (int round = 0; round < 8; round++) {
        fuzz_move(c, crec, s);
        fuzz_move(s, srec, c);
    }
    FUZZ_CHECK(lucid_conn_state(c) & LUCID_CAN_WRITE);
    FUZZ_CHECK(lucid_conn_state(s) & LUCID_CAN_WRITE);
}

/*
 * The session the client holds after a full handshake with the fuzz server, both
 * starting from their fixed randomness: its length, written to blob.
 */
static inline size_t fuzz_first_session(lucid_ctx *sctx, struct fuzz_rng *srng, lucid_ctx *cctx,
                                        struct fuzz_rng *crng, uint8_t *blob, size_t cap)
{
    srng->state = FUZZ_SERVER_RNG;
    crng->state = FUZZ_CLIENT_RNG;
    lucid_conn *s = lucid_conn_new(sctx, NULL);
    lucid_conn *c = lucid_conn_new(cctx, "localhost");
    FUZZ_CHECK(s != NULL && c != NULL);
    fuzz_handshake(c, NULL, s, NULL);
    size_t n = lucid_conn_get_session(c, blob, cap);
    FUZZ_CHECK(n > 0 && n <= cap);
    lucid_conn_free(c);
    lucid_conn_free(s);
    return n;
}

/* A client connection to "localhost" that offers session (when n > 0) with early data. */
static inline lucid_conn *fuzz_client_conn(lucid_ctx *cctx, const uint8_t *session, size_t n)
{
    lucid_conn *c = lucid_conn_new(cctx, "localhost");
    FUZZ_CHECK(c != NULL);
    if (n > 0) {
        lucid_error err;
        fuzz_ok(lucid_conn_set_session(c, session, n, &err), &err);
        static const char early[] = FUZZ_EARLY_DATA;
        FUZZ_CHECK(lucid_conn_write_early(c, (const uint8_t *)early, sizeof(early) - 1) ==
                   (long)(sizeof(early) - 1));
    }
    return c;
}

#endif
