/*
 * Randomness from libcrypto's CSPRNG: ClientHello/ServerHello random (RFC 8446
 * 4.1.2-3), legacy_session_id, ticket nonces and keys, record padding choices.
 * Key pairs are generated inside libcrypto and do not come through here.
 *
 * Small draws come from a per-thread pool refilled 4 KiB at a time. A RAND_bytes
 * call costs about 2 us on our machines whatever its size up to a few KiB (a
 * getpid() for fork detection, locks, the DRBG's reseed check), and a full
 * handshake makes two or three small draws on each side. Bytes are wiped from
 * the pool as they are handed out, so it never holds a value already in use,
 * only values not drawn yet, as the DRBG's own state does.
 *
 * The pool's page is MADV_WIPEONFORK: a child process finds it zeroed, so empty,
 * and refills from its own DRBG (which libcrypto reseeds after fork). Without
 * that guarantee (madvise refused) draws go straight to RAND_bytes.
 */
#include "crypto/crypto.h"

#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/rand.h>

#include "base/error.h"
#include "crypto/internal.h"

#define POOL_PAGE 4096
#define POOL_MAX_DRAW 256 /* larger draws skip the pool */

struct pool {
    size_t left; /* unused bytes, at the end of bytes[]; 0 after a fork (page wiped) */
    uint8_t bytes[POOL_PAGE - sizeof(size_t)];
};

static pthread_key_t pool_key;
static int pool_key_ok;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void pool_free(void *p)
{
    explicit_bzero(p, POOL_PAGE);
    munmap(p, POOL_PAGE);
}

static void pool_key_make(void)
{
    pool_key_ok = pthread_key_create(&pool_key, pool_free) == 0;
}

/* This thread's pool, made on first use; NULL where no pool can be had. */
static struct pool *pool_get(void)
{
    struct pool *p;

    if (pthread_once(&pool_once, pool_key_make) != 0 || !pool_key_ok) {
        return NULL;
    }
    if ((p = pthread_getspecific(pool_key)) != NULL) {
        return p;
    }
    p = mmap(NULL, POOL_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return NULL;
    }
    if (madvise(p, POOL_PAGE, MADV_WIPEONFORK) != 0 || pthread_setspecific(pool_key, p) != 0) {
        munmap(p, POOL_PAGE);
        return NULL;
    }
    return p; /* left == 0: fresh anonymous memory */
}

static int draw_direct(void *buf, size_t n)
{
    /* RAND_bytes takes an int; nothing in TLS asks for anywhere near that much at once. */
    if (n > INT_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    if (RAND_bytes(buf, (int)n) != 1) {
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    return 0;
}

int lc_random(void *buf, size_t n)
{
    struct pool *p;

    if (n == 0) {
        return 0;
    }
    if (n > POOL_MAX_DRAW || (p = pool_get()) == NULL) {
        return draw_direct(buf, n);
    }
    if (p->left < n) {
        int rc = draw_direct(p->bytes, sizeof(p->bytes));
        if (rc != 0) {
            p->left = 0;
            return rc;
        }
        p->left = sizeof(p->bytes);
    }
    uint8_t *src = p->bytes + sizeof(p->bytes) - p->left;
    memcpy(buf, src, n);
    explicit_bzero(src, n);
    p->left -= n;
    return 0;
}
