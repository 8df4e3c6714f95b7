/*
 * libFuzzer target: the client engine (lucid_conn, LUCID_CLIENT) fed
 * arbitrary server flights. Each run makes a connection to "localhost",
 * takes its ClientHello (the same every run: randomness and the clock are
 * fixed), then feeds the input: byte 0 picks the client (its top bit, peers.h:
 * a full handshake, or one that offers a session with early data) and the
 * chunking (the other bits, fuzz.h); the rest is what the server sends. The
 * client validates against tests/vectors/certs/ca_cert.pem, so the seeds from
 * gen_seeds.c (real lucid server flights answering those ClientHellos, one of
 * them asking for a client certificate) complete the handshake.
 * Properties: engine.h.
 */
#include "engine.h"
#include "peers.h"

#ifndef LUCID_CERTS
#define LUCID_CERTS "tests/vectors/certs/"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_rng rng, server_rng;
static uint8_t session[4096];
static size_t session_len;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lucid_ctx *ctx;
    if (ctx == NULL) {
        /* The session of a full handshake with the fuzz server, made once (gen_seeds.c
         * makes the same one). */
        ctx = fuzz_client_ctx(&rng, LUCID_CERTS);
        lucid_ctx *sctx = fuzz_server_ctx(&server_rng, 0, LUCID_CERTS);
        session_len = fuzz_first_session(sctx, &server_rng, ctx, &rng, session, sizeof(session));
        lucid_ctx_free(sctx);
    }
    if (size < 1) {
        return 0;
    }
    rng.state = FUZZ_CLIENT_RNG;
    lucid_conn *c = fuzz_client_conn(ctx, session, data[0] & FUZZ_VARIANT ? session_len : 0);
    const uint8_t *out;
    FUZZ_CHECK(lucid_conn_pending(c, &out) > 0); /* the ClientHello */
    fuzz_drain(c);
    fuzz_feed_stream(c, (uint8_t)(data[0] & ~FUZZ_VARIANT), data + 1, size - 1);
    lucid_conn_free(c);
    return 0;
}
