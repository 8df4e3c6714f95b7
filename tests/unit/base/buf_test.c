/* Tests for src/base/buf.c: append, consume, limits, and release when empty. */
#include "test.h"

#include "base/buf.h"
#include "base/error.h"

static void test_append_consume(void)
{
    lc_buf b = { 0 };
    uint8_t chunk[1000];

    for (size_t i = 0; i < sizeof(chunk); i++) {
        chunk[i] = (uint8_t)i;
    }
    CHECK(lc_buf_data(&b) == NULL);
    for (int i = 0; i < 10; i++) {
        CHECK_OK(lc_buf_append(&b, chunk, sizeof(chunk)));
    }
    CHECK(b.len == 10000);
    lc_buf_consume(&b, 999);
    CHECK(b.len == 9001 && lc_buf_data(&b)[0] == (uint8_t)999);
    /* refilling after a consume keeps the order */
    CHECK_OK(lc_buf_append(&b, chunk, 3));
    CHECK(lc_buf_data(&b)[b.len - 1] == 2);
    lc_buf_consume(&b, b.len);
    CHECK(b.p == NULL && b.len == 0 && b.cap == 0); /* released when empty */
    lc_buf_free(&b);
}

static void test_limit(void)
{
    lc_buf b = { .limit = 100 };
    uint8_t chunk[60] = { 0 };

    CHECK_OK(lc_buf_append(&b, chunk, sizeof(chunk)));
    CHECK_RC(lc_buf_append(&b, chunk, sizeof(chunk)), LC_E_BUFFER_TOO_SMALL);
    CHECK(b.len == 60);
    lc_buf_consume(&b, 30);
    CHECK_OK(lc_buf_append(&b, chunk, sizeof(chunk)));
    CHECK(b.len == 90);
    lc_buf_free(&b);
    CHECK(b.limit == 100);
}

/*
 * Growth: a first block as big as asked (a 16 KiB record with its overhead is one block of
 * that size, not 32 KiB), doubling after; the bytes held survive every move, wire or not.
 */
static void test_growth(void)
{
    for (int wire = 0; wire < 2; wire++) {
        lc_buf b = { .wire = wire != 0 };
        uint8_t *at;

        CHECK((at = lc_buf_reserve(&b, 16406)) != NULL);
        CHECK(b.cap == 16406 && b.dirty == 16406);
        for (size_t i = 0; i < 16406; i++) {
            at[i] = (uint8_t)(i % 251);
        }
        lc_buf_commit(&b, 16406);
        lc_buf_consume(&b, 6);
        CHECK((at = lc_buf_reserve(&b, 16406)) != NULL);
        CHECK(b.cap == 2 * 16406 && b.off == 0 && b.len == 16400);
        for (size_t i = 0; i < b.len; i++) {
            CHECK(lc_buf_data(&b)[i] == (uint8_t)((i + 6) % 251));
        }
        /* room reserved but not committed still counts as written, for the wipe */
        CHECK(b.dirty == 16400 + 16406);
        lc_buf_free(&b);
        CHECK(b.p == NULL && b.cap == 0 && b.dirty == 0 && b.wire == (wire != 0));
    }
}

/* Small appends still grow geometrically: 64 appends of 100 bytes, few blocks. */
static void test_small_appends(void)
{
    lc_buf b = { 0 };
    uint8_t chunk[100] = { 7 };
    int blocks = 0;
    size_t cap = 0;

    for (int i = 0; i < 64; i++) {
        CHECK_OK(lc_buf_append(&b, chunk, sizeof(chunk)));
        blocks += b.cap != cap;
        cap = b.cap;
    }
    CHECK(b.len == 6400 && b.cap >= 6400 && blocks <= 6);
    lc_buf_free(&b);
}

/* lc_wipe_bytes zeroes exactly the bytes asked for. */
static void test_wipe_bytes(void)
{
    uint8_t b[64];

    memset(b, 0x5a, sizeof(b));
    lc_wipe_bytes(b + 8, 40);
    for (size_t i = 0; i < sizeof(b); i++) {
        CHECK(b[i] == (i >= 8 && i < 48 ? 0 : 0x5a));
    }
    lc_wipe_bytes(NULL, 0);
}

TEST_MAIN(test_append_consume, test_limit, test_growth, test_small_appends, test_wipe_bytes)
