/*
 * The running transcript hash (RFC 8446 4.4.1), with the HelloRetryRequest
 * rule that replaces ClientHello1 by a message_hash message.
 *
 * Which hash? Transcript-Hash uses the cipher suite's hash, but a client sends
 * its ClientHello (the transcript's first message) before the server has
 * picked the suite. Two ways out:
 *
 *   - keep a copy of the ClientHello and hash it once the suite is known;
 *   - hash with every candidate from the start and keep the winner.
 *
 * We do the second. TLS 1.3 suites use only SHA-256 and SHA-384, so this is
 * two contexts for the length of one or two messages, and it costs one extra
 * hash of the ClientHello (microseconds, next to a key exchange). The copy
 * would need a heap buffer as long as the ClientHello, which the peer or a
 * post-quantum key share makes large and which the record layer does not
 * keep for us, plus the care to wipe and free it. Running both hashes also
 * gives a client the transcript in each PSK's own hash when it computes
 * binders before the suite is known (4.2.11.2). A server that knows its suite
 * before it adds the ClientHello just drops the other hash first.
 */
#include "handshake/transcript.h"

#include <string.h>

#include "base/error.h"

/* HandshakeType message_hash (RFC 8446 4). */
#define MESSAGE_HASH 254

int lc_transcript_init(lc_transcript *t, const lc_crypto *cr)
{
    memset(t, 0, sizeof(*t));
    t->h[LC_SHA256] = lc_hash_new(cr, LC_SHA256);
    t->h[LC_SHA384] = lc_hash_new(cr, LC_SHA384);
    if (t->h[LC_SHA256] == NULL || t->h[LC_SHA384] == NULL) {
        lc_transcript_free(t);
        return LC_E_NO_MEMORY;
    }
    return 0;
}

int lc_transcript_set_hash(lc_transcript *t, enum lc_hash_alg alg)
{
    enum lc_hash_alg other = alg == LC_SHA256 ? LC_SHA384 : LC_SHA256;

    if (alg != LC_SHA256 && alg != LC_SHA384) {
        return LC_E_INTERNAL;
    }
    if (t->chosen) {
        /* RFC 8446 4.1.4: the ServerHello keeps the HelloRetryRequest's suite. */
        return t->alg == alg ? 0 : LC_E_INTERNAL;
    }
    if (t->h[alg] == NULL) {
        return LC_E_INTERNAL;
    }
    lc_hash_free(t->h[other]);
    t->h[other] = NULL;
    t->alg = alg;
    t->chosen = true;
    return 0;
}

int lc_transcript_add(lc_transcript *t, const void *msg, size_t len)
{
    int rc;

    for (size_t i = 0; i < LC_ARRAY_LEN(t->h); i++) {
        if (t->h[i] != NULL && (rc = lc_hash_update(t->h[i], msg, len)) != 0) {
            return rc;
        }
    }
    return 0;
}

int lc_transcript_hash(const lc_transcript *t, uint8_t *out)
{
    if (!t->chosen) {
        return LC_E_INTERNAL;
    }
    return lc_hash_peek(t->h[t->alg], out);
}

int lc_transcript_hash_with(const lc_transcript *t, enum lc_hash_alg alg, uint8_t *out)
{
    if ((alg != LC_SHA256 && alg != LC_SHA384) || t->h[alg] == NULL) {
        return LC_E_INTERNAL;
    }
    return lc_hash_peek(t->h[alg], out);
}

int lc_transcript_restart(lc_transcript *t, const uint8_t *ch1_hash)
{
    uint8_t msg[4 + LC_HASH_MAX];
    size_t hlen;
    int rc;

    if (!t->chosen) {
        return LC_E_INTERNAL;
    }
    hlen = lc_hash_len(t->alg);
    /*
     * RFC 8446 4.4.1: Hash(message_hash || 00 00 Hash.length || Hash(ClientHello1) ||
     * HelloRetryRequest || ...). The synthetic message has a handshake header
     * like any other: type, then a 3-byte length.
     */
    msg[0] = MESSAGE_HASH;
    msg[1] = 0;
    msg[2] = 0;
    msg[3] = (uint8_t)hlen;
    memcpy(msg + 4, ch1_hash, hlen);
    if ((rc = lc_hash_reset(t->h[t->alg])) != 0) {
        return rc;
    }
    return lc_hash_update(t->h[t->alg], msg, 4 + hlen);
}

int lc_transcript_hello_retry(lc_transcript *t)
{
    uint8_t ch1_hash[LC_HASH_MAX];
    int rc;

    /* Until now the transcript is ClientHello1 alone, so its hash is Hash(ClientHello1). */
    if ((rc = lc_transcript_hash(t, ch1_hash)) != 0) {
        return rc;
    }
    return lc_transcript_restart(t, ch1_hash);
}

void lc_transcript_free(lc_transcript *t)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(t->h); i++) {
        lc_hash_free(t->h[i]);
        t->h[i] = NULL;
    }
    t->chosen = false;
}
