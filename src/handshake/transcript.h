/*
 * The handshake transcript hash (RFC 8446 4.4.1).
 *
 * Transcript-Hash(M1, ..., Mn) = Hash(M1 || ... || Mn) over the handshake
 * messages as sent, type and length headers included, record headers not.
 * The transcript is kept running: messages are added as they pass and the
 * hash so far is read whenever the key schedule, CertificateVerify, Finished
 * or a binder needs it.
 *
 * The hash is the cipher suite's, which a client learns only from the
 * ServerHello (or HelloRetryRequest), after its ClientHello is already part
 * of the transcript. So a transcript starts by hashing with both SHA-256 and
 * SHA-384 and drops the one not chosen in lc_transcript_set_hash(); see
 * transcript.c for why this rather than buffering the ClientHello.
 */
#ifndef LC_HANDSHAKE_TRANSCRIPT_H
#define LC_HANDSHAKE_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "crypto/crypto.h"

typedef struct lc_transcript {
    lc_hash_ctx *h[2]; /* indexed by enum lc_hash_alg; NULL once dropped */
    bool chosen;       /* lc_transcript_set_hash() has been called */
    enum lc_hash_alg alg; /* the chosen hash, once chosen */
} lc_transcript;

/*
 * Starts an empty transcript hashing with both SHA-256 and SHA-384.
 * LC_E_NO_MEMORY if the hash contexts cannot be made; t is then empty and
 * lc_transcript_free() is still safe.
 */
LC_MUST_CHECK int lc_transcript_init(lc_transcript *t, const lc_crypto *cr);

/*
 * Fixes the cipher suite's hash and frees the other. A server calls it as soon
 * as it has picked the suite (before or after adding the ClientHello: either
 * gives the same hash), a client when the ServerHello or HelloRetryRequest
 * names the suite. Calling it again with the same hash is a no-op; with a
 * different one it is LC_E_INTERNAL (the suite cannot change, RFC 8446 4.1.4).
 */
LC_MUST_CHECK int lc_transcript_set_hash(lc_transcript *t, enum lc_hash_alg alg);

/*
 * Adds bytes of handshake messages, in order. A message may be added in
 * pieces: a ClientHello with PSKs is added up to its binders, hashed for the
 * binders (RFC 8446 4.2.11.2), and then its binders are added.
 */
LC_MUST_CHECK int lc_transcript_add(lc_transcript *t, const void *msg, size_t len);

/*
 * The hash of everything added so far, with the chosen hash, into out
 * (lc_hash_len() bytes, LC_HASH_MAX at most); the transcript goes on.
 * LC_E_INTERNAL before lc_transcript_set_hash().
 */
LC_MUST_CHECK int lc_transcript_hash(const lc_transcript *t, uint8_t *out);

/*
 * The same with a given hash, which must still be running: before the suite is
 * chosen a client computes each offered PSK's binder with that PSK's hash.
 * LC_E_INTERNAL if that hash has been dropped.
 */
LC_MUST_CHECK int lc_transcript_hash_with(const lc_transcript *t, enum lc_hash_alg alg,
                                          uint8_t *out);

/*
 * The HelloRetryRequest rule (RFC 8446 4.4.1): replaces ClientHello1, the only
 * message added so far, by the synthetic message
 *     message_hash(254) || 00 00 Hash.length || Hash(ClientHello1)
 * Call it after lc_transcript_set_hash() with the HelloRetryRequest's suite
 * and before adding the HelloRetryRequest.
 */
LC_MUST_CHECK int lc_transcript_hello_retry(lc_transcript *t);

/*
 * The same from a Hash(ClientHello1) kept elsewhere, for a server that sent a
 * HelloRetryRequest statelessly and finds the hash in the cookie (4.2.2):
 * the transcript restarts as message_hash || 00 00 Hash.length || ch1_hash.
 * The hash must be chosen.
 */
LC_MUST_CHECK int lc_transcript_restart(lc_transcript *t, const uint8_t *ch1_hash);

/* Frees the hash contexts (their state is cleansed). Safe on a zeroed or freed transcript. */
void lc_transcript_free(lc_transcript *t);

#endif
