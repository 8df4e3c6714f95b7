/* Tests for src/msg/ext/padding.c: RFC 7685's zero bytes. */
#include "ext_test_util.h"

#include "msg/ext/padding.h"

static size_t len;

static int dec(lc_reader *r)
{
    return lc_ext_padding_decode(r, &len);
}

static void test_rfc8448(void)
{
    lc_ext_view body = ext_rfc_body(4, EXT_CH4, 0, "payload", LC_EXT_IN_CH, LC_EXT_PADDING);
    uint8_t buf[128];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_padding_decode(&r, &len));
    CHECK(len == 0x57 && lc_reader_empty(&r));
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_padding_encode(&w, len));
    CHECK_MEM(buf, w.len, body.p, body.len);
}

static void test_any_content(void)
{
    uint8_t buf[8];
    lc_writer w;

    /* the receiver does not check the zeros (see padding.c), and empty is allowed */
    CHECK_OK(ext_run_hex(dec, "00 01 ff"));
    CHECK(len == 3);
    CHECK_OK(ext_run_hex(dec, ""));
    CHECK(len == 0);
    /* the sender writes zeros only */
    memset(buf, 0xee, sizeof(buf));
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_padding_encode(&w, 5));
    CHECK_MEM(buf, w.len, "\0\0\0\0\0", 5);
    CHECK_OK(lc_ext_padding_encode(&w, 0));
    CHECK_RC(lc_ext_padding_encode(&w, 4), LC_E_BUFFER_TOO_SMALL);
}

TEST_MAIN(test_rfc8448, test_any_content)
