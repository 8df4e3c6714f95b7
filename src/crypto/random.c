/*
 * Randomness from libcrypto's CSPRNG: ClientHello/ServerHello random (RFC 8446
 * 4.1.2-3), legacy_session_id, ticket nonces and keys, record padding choices.
 * Key pairs are generated inside libcrypto and do not come through here.
 */
#include "crypto/crypto.h"

#include <limits.h>

#include <openssl/rand.h>

#include "base/error.h"
#include "crypto/internal.h"

int lc_random(void *buf, size_t n)
{
    /* RAND_bytes takes an int; nothing in TLS asks for anywhere near that much at once. */
    if (n > INT_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    if (n == 0) {
        return 0;
    }
    if (RAND_bytes(buf, (int)n) != 1) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    return 0;
}
