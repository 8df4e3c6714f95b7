/* Tests for src/base/bytes.c: every read is bounded, every overflow is caught. */
#include "test.h"

#include "base/bytes.h"
#include "base/error.h"

static void test_read_integers(void)
{
    const uint8_t in[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a };
    lc_reader r;
    uint8_t a;
    uint16_t b;
    uint32_t c, d;

    lc_reader_init(&r, in, sizeof(in));
    CHECK_OK(lc_read_u8(&r, &a));
    CHECK_OK(lc_read_u16(&r, &b));
    CHECK_OK(lc_read_u24(&r, &c));
    CHECK_OK(lc_read_u32(&r, &d));
    CHECK(a == 0x01 && b == 0x0203 && c == 0x040506 && d == 0x0708090a);
    CHECK(lc_reader_empty(&r));
    CHECK_OK(lc_reader_done(&r));
    CHECK_RC(lc_read_u8(&r, &a), LC_E_DECODE);
}

static void test_short_reads_leave_reader_unchanged(void)
{
    const uint8_t in[] = { 0x01, 0x02, 0x03 };
    lc_reader r;
    uint32_t v;
    const uint8_t *p;

    lc_reader_init(&r, in, sizeof(in));
    CHECK_RC(lc_read_u32(&r, &v), LC_E_DECODE);
    CHECK(lc_reader_left(&r) == 3);
    CHECK_RC(lc_read_bytes(&r, 4, &p), LC_E_DECODE);
    CHECK_OK(lc_read_u24(&r, &v));
    CHECK(v == 0x010203);
}

static void test_vectors(void)
{
    /* a 2-byte length of 3, body 0a 0b 0c, then one trailing byte */
    const uint8_t in[] = { 0x00, 0x03, 0x0a, 0x0b, 0x0c, 0xff };
    lc_reader r, sub;
    uint8_t x;

    lc_reader_init(&r, in, sizeof(in));
    CHECK_OK(lc_read_vec(&r, 2, 1, 10, &sub));
    CHECK(lc_reader_left(&sub) == 3);
    CHECK_OK(lc_read_u8(&sub, &x));
    CHECK(x == 0x0a);
    CHECK_RC(lc_reader_done(&sub), LC_E_TRAILING);
    CHECK_RC(lc_reader_done(&r), LC_E_TRAILING);

    /* below the minimum, above the maximum, and past the end */
    lc_reader_init(&r, in, sizeof(in));
    CHECK_RC(lc_read_vec(&r, 2, 4, 10, &sub), LC_E_DECODE);
    lc_reader_init(&r, in, sizeof(in));
    CHECK_RC(lc_read_vec(&r, 2, 0, 2, &sub), LC_E_DECODE);
    lc_reader_init(&r, in, 4);
    CHECK_RC(lc_read_vec(&r, 2, 0, 100, &sub), LC_E_DECODE);
    /* a 3-byte length */
    {
        const uint8_t v3[] = { 0x00, 0x00, 0x01, 0x42 };
        lc_reader_init(&r, v3, sizeof(v3));
        CHECK_OK(lc_read_vec(&r, 3, 0, 0xffffff, &sub));
        CHECK(lc_reader_left(&sub) == 1 && sub.p[0] == 0x42);
    }
}

static void test_writer_backpatch(void)
{
    uint8_t buf[16];
    lc_writer w;
    lc_vec_mark outer, inner;
    const uint8_t want[] = { 0x00, 0x05, 0x02, 0xaa, 0xbb, 0x01, 0x02 };

    lc_writer_init(&w, buf, sizeof(buf));
    outer = lc_write_vec_begin(&w, 2);
    inner = lc_write_vec_begin(&w, 1);
    lc_write_u16(&w, 0xaabb);
    lc_write_vec_end(&w, inner);
    lc_write_u16(&w, 0x0102);
    lc_write_vec_end(&w, outer);
    CHECK_OK(lc_writer_finish(&w));
    CHECK_MEM(buf, w.len, want, sizeof(want));
}

static void test_writer_overflow_is_sticky(void)
{
    uint8_t buf[3];
    lc_writer w;

    lc_writer_init(&w, buf, sizeof(buf));
    lc_write_u16(&w, 1);
    lc_write_u16(&w, 2); /* does not fit */
    lc_write_u8(&w, 3);  /* would fit, but the writer already failed */
    CHECK(w.len == 2);
    CHECK_RC(lc_writer_finish(&w), LC_E_BUFFER_TOO_SMALL);

    /* a body longer than its 1-byte prefix allows */
    {
        uint8_t big[300];
        uint8_t body[256] = { 0 };
        lc_writer_init(&w, big, sizeof(big));
        lc_write_vec(&w, 1, body, sizeof(body));
        CHECK_RC(lc_writer_finish(&w), LC_E_BUFFER_TOO_SMALL);
    }
}

static void test_error_table(void)
{
    lc_error e = { 0 };

    CHECK(lc_err_alert(LC_E_DECODE) == LC_ALERT_DECODE_ERROR);
    CHECK(lc_err_alert(LC_E_DUPLICATE_EXTENSION) == LC_ALERT_ILLEGAL_PARAMETER);
    CHECK(lc_err_alert(LC_E_BAD_RECORD_MAC) == LC_ALERT_BAD_RECORD_MAC);
    CHECK(lc_err_alert(LC_E_BAD_FINISHED) == LC_ALERT_DECRYPT_ERROR);
    CHECK(strcmp(lc_alert_name(LC_ALERT_HANDSHAKE_FAILURE), "handshake_failure") == 0);
    /* every code has a row with a name and a text */
    for (int c = 0; c < LC_E_COUNT; c++) {
        CHECK(lc_err_name(c) != NULL && lc_err_text(c) != NULL);
        CHECK(strncmp(lc_err_name(c), "LC_", 3) == 0);
    }
    CHECK_RC(lc_fail(&e, LC_E_NO_COMMON_SUITE, "client offered %d suites", 2),
             LC_E_NO_COMMON_SUITE);
    CHECK(strcmp(e.msg, "no cipher suite in common: client offered 2 suites") == 0);
    CHECK(e.alert == LC_ALERT_HANDSHAKE_FAILURE);
    /* sticky: the first failure stays */
    (void)lc_fail(&e, LC_E_INTERNAL, "later");
    CHECK(e.code == LC_E_NO_COMMON_SUITE);
}

/* lc_read_name8: a 1-byte-length name into a string; too long or holding a NUL fails. */
static void test_name8(void)
{
    static const uint8_t ok[] = { 4, 'a', '.', 'b', 'c', 9 }, nul[] = { 2, 'a', 0 },
                         long3[] = { 3, 'a', 'b', 'c' }, empty[] = { 0 };
    char out[4];
    lc_reader r;

    lc_reader_init(&r, ok, sizeof(ok));
    CHECK(lc_read_name8(&r, out, sizeof(out)) != 0); /* 4 bytes do not fit 3 and a NUL */
    char big[8];
    lc_reader_init(&r, ok, sizeof(ok));
    CHECK(lc_read_name8(&r, big, sizeof(big)) == 0 && strcmp(big, "a.bc") == 0 && r.left == 1);
    lc_reader_init(&r, nul, sizeof(nul));
    CHECK(lc_read_name8(&r, out, sizeof(out)) == LC_E_DECODE);
    lc_reader_init(&r, long3, sizeof(long3));
    CHECK(lc_read_name8(&r, out, sizeof(out)) == 0 && strcmp(out, "abc") == 0);
    lc_reader_init(&r, empty, sizeof(empty));
    CHECK(lc_read_name8(&r, out, sizeof(out)) == 0 && out[0] == '\0');
}

TEST_MAIN(test_name8, test_read_integers, test_short_reads_leave_reader_unchanged, test_vectors,
          test_writer_backpatch, test_writer_overflow_is_sticky, test_error_table)
