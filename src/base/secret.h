/*
 * A secret: a fixed array, never a heap string (STYLE 3.5).
 *
 * 48 bytes holds the largest TLS 1.3 secret (SHA-384). Whoever owns a secret
 * wipes it with lc_wipe() (src/crypto/) on every path out.
 */
#ifndef LC_BASE_SECRET_H
#define LC_BASE_SECRET_H

#include <stddef.h>
#include <stdint.h>

#define LC_SECRET_MAX 48

typedef struct lc_secret {
    uint8_t b[LC_SECRET_MAX];
    size_t len;
} lc_secret;

#endif
