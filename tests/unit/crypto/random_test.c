/* Tests for src/crypto/random.c: the CSPRNG fills buffers and does not repeat. */
#include "test.h"

#include "base/error.h"
#include "crypto/crypto.h"

static void test_random(void)
{
    uint8_t a[32], b[32], zero[32] = { 0 };

    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    CHECK_OK(lc_random(a, sizeof(a)));
    CHECK_OK(lc_random(b, sizeof(b)));
    /* 2^-256 chances of a false failure */
    CHECK(memcmp(a, zero, sizeof(a)) != 0);
    CHECK(memcmp(a, b, sizeof(a)) != 0);
    CHECK_OK(lc_random(a, 0));
}

TEST_MAIN(test_random)
