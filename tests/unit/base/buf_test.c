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

TEST_MAIN(test_append_consume, test_limit)
