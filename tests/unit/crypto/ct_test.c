/* Tests for src/crypto/ct.c: constant-time equality and wiping. */
#include "test.h"

#include "crypto/crypto.h"

static void test_ct_equal(void)
{
    const uint8_t a[] = { 1, 2, 3, 4, 5 };
    const uint8_t b[] = { 1, 2, 3, 4, 5 };
    const uint8_t c[] = { 1, 2, 3, 4, 6 };
    const uint8_t d[] = { 0, 2, 3, 4, 5 };

    CHECK(lc_ct_equal(a, b, sizeof(a)) == 1);
    CHECK(lc_ct_equal(a, c, sizeof(a)) == 0);
    CHECK(lc_ct_equal(a, d, sizeof(a)) == 0);
    /* only the first n bytes count, and zero bytes are always equal */
    CHECK(lc_ct_equal(a, c, 4) == 1);
    CHECK(lc_ct_equal(a, d, 0) == 1);
}

static void test_wipe(void)
{
    uint8_t buf[37];
    uint8_t zero[37] = { 0 };

    memset(buf, 0xa5, sizeof(buf));
    lc_wipe(buf, sizeof(buf));
    CHECK_MEM(buf, sizeof(buf), zero, sizeof(zero));
    /* NULL and empty are no-ops */
    lc_wipe(NULL, 0);
    lc_wipe(buf, 0);
}

TEST_MAIN(test_ct_equal, test_wipe)
