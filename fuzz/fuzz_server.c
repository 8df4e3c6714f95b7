/*
 * libFuzzer target: the server engine (lucid_conn, LUCID_SERVER) fed arbitrary
 * client bytes. Input: byte 0 picks the server (its top bit, peers.h: tickets
 * and 0-RTT, or client certificates asked for) and the chunking (the other
 * bits, fuzz.h); the rest is what a client sends. Randomness, the clock and
 * the ticket key are fixed, and the first certificate is Ed25519, whose
 * signatures are deterministic, so the client streams recorded by gen_seeds.c
 * (a full handshake, a resumed one with early data, one with a client
 * certificate) replay to the end of the handshake. Properties: engine.h.
 */
#include "engine.h"
#include "peers.h"

#ifndef LUCID_CERTS
#define LUCID_CERTS "tests/vectors/certs/"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_rng rng;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lucid_ctx *servers[2];
    if (servers[0] == NULL) {
        servers[0] = fuzz_server_ctx(&rng, 0, LUCID_CERTS);
        servers[1] = fuzz_server_ctx(&rng, 1, LUCID_CERTS);
    }
    if (size < 1) {
        return 0;
    }
    rng.state = FUZZ_SERVER_RNG;
    lucid_conn *c = lucid_conn_new(servers[(data[0] & FUZZ_VARIANT) != 0], NULL);
    FUZZ_CHECK(c != NULL);
    FUZZ_CHECK(lucid_conn_state(c) & LUCID_WANT_INPUT);
    fuzz_feed_stream(c, (uint8_t)(data[0] & ~FUZZ_VARIANT), data + 1, size - 1);
    lucid_conn_free(c);
    return 0;
}
