/*
 * libFuzzer target: the server engine (lucid_conn, LUCID_SERVER) fed arbitrary
 * client bytes. Input: byte 0 picks the chunking (fuzz_chunk in fuzz.h), the
 * rest is what a client sends. Randomness is fixed (lucid_ctx_set_random), and
 * the first certificate is Ed25519, whose signatures are deterministic, so a
 * whole client flight recorded by gen_seeds.c (ClientHello, then Finished)
 * replays to the end of the handshake. Properties: engine.h.
 */
#include "engine.h"

#ifndef LUCID_CERTS
#define LUCID_CERTS "tests/vectors/certs/"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_rng rng;

static lucid_ctx *server_ctx(void)
{
    static lucid_ctx *ctx;
    if (ctx != NULL) {
        return ctx;
    }
    lucid_error err;
    ctx = lucid_ctx_new(LUCID_SERVER, &err);
    FUZZ_CHECK(ctx != NULL);
    static const char *const certs[][2] = {
        {LUCID_CERTS "ed25519_chain.pem", LUCID_CERTS "ed25519_key.pem"},
        {LUCID_CERTS "ecdsa_chain.pem", LUCID_CERTS "ecdsa_key.pem"},
        {LUCID_CERTS "rsa_chain.pem", LUCID_CERTS "rsa_key.pem"},
    };
    for (size_t i = 0; i < 3; i++) {
        if (lucid_ctx_add_cert(ctx, certs[i][0], certs[i][1], &err) != 0) {
            fprintf(stderr, "fuzz_server: %s\n", err.message);
            abort();
        }
    }
    FUZZ_CHECK(lucid_ctx_set_alpn(ctx, "h2,http/1.1", &err) == 0);
    lucid_ctx_set_random(ctx, fuzz_random, &rng);
    return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lucid_ctx *ctx = server_ctx();
    if (size < 1) {
        return 0;
    }
    rng.state = 0x5e4e4; /* gen_seeds.c uses the same */
    lucid_conn *c = lucid_conn_new(ctx, NULL);
    FUZZ_CHECK(c != NULL);
    FUZZ_CHECK(lucid_conn_state(c) & LUCID_WANT_INPUT);
    fuzz_feed_stream(c, data[0], data + 1, size - 1);
    lucid_conn_free(c);
    return 0;
}
