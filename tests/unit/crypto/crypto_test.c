/* Tests for src/crypto/crypto.c: the handle fetches everything and frees cleanly. */
#include "test.h"

#include "crypto/crypto.h"

static void test_new_free(void)
{
    lc_crypto *a = lc_crypto_new();
    lc_crypto *b = lc_crypto_new();

    /* two handles coexist: nothing is global */
    CHECK(a != NULL);
    CHECK(b != NULL);
    lc_crypto_free(a);
    lc_crypto_free(b);
    lc_crypto_free(NULL);
}

TEST_MAIN(test_new_free)
