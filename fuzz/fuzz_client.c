/*
 * libFuzzer target: the client engine (lucid_conn, LUCID_CLIENT) fed
 * arbitrary server flights. Each run makes a connection to "localhost",
 * takes its ClientHello (the same every run: randomness is fixed with
 * lucid_ctx_set_random), then feeds the input: byte 0 picks the chunking
 * (fuzz.h), the rest is what the server sends. The client validates against
 * tests/vectors/certs/ca_cert.pem, so the seed from gen_seeds.c (a real
 * lucid server flight answering that ClientHello with the Ed25519 chain)
 * completes the handshake. Properties: engine.h.
 */
#include "engine.h"

#ifndef LUCID_CERTS
#define LUCID_CERTS "tests/vectors/certs/"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_rng rng;

static lucid_ctx *client_ctx(void)
{
    static lucid_ctx *ctx;
    if (ctx != NULL) {
        return ctx;
    }
    lucid_error err;
    ctx = lucid_ctx_new(LUCID_CLIENT, &err);
    FUZZ_CHECK(ctx != NULL);
    if (lucid_ctx_set_ca_file(ctx, LUCID_CERTS "ca_cert.pem", &err) != 0) {
        fprintf(stderr, "fuzz_client: %s\n", err.message);
        abort();
    }
    FUZZ_CHECK(lucid_ctx_set_alpn(ctx, "h2,http/1.1", &err) == 0);
    lucid_ctx_set_random(ctx, fuzz_random, &rng);
    return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lucid_ctx *ctx = client_ctx();
    if (size < 1) {
        return 0;
    }
    rng.state = 0xc11e47; /* gen_seeds.c uses the same */
    lucid_conn *c = lucid_conn_new(ctx, "localhost");
    FUZZ_CHECK(c != NULL);
    const uint8_t *out;
    FUZZ_CHECK(lucid_conn_pending(c, &out) > 0); /* the ClientHello */
    fuzz_drain(c);
    fuzz_feed_stream(c, data[0], data + 1, size - 1);
    lucid_conn_free(c);
    return 0;
}
