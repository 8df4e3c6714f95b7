/*
 * Constant-time comparison and wiping.
 *
 * Finished verify_data, PSK binders and ticket MACs are compared with
 * lc_ct_equal so the time taken does not tell an attacker how many leading
 * bytes were right (RFC 8446 4.4.4, 4.2.11.2; STYLE 3.5). Secrets are erased
 * with lc_wipe, which the compiler cannot drop as a dead store.
 */
#include "crypto/crypto.h"

#include <openssl/crypto.h>

int lc_ct_equal(const void *a, const void *b, size_t n)
{
    return CRYPTO_memcmp(a, b, n) == 0;
}

void lc_wipe(void *p, size_t n)
{
    if (p != NULL && n > 0) {
        OPENSSL_cleanse(p, n);
    }
}
