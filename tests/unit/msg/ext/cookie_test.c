/* Tests for src/msg/ext/cookie.c: RFC 8446 4.2.2's opaque cookie<1..2^16-1>. */
#include "ext_test_util.h"

#include "msg/ext/cookie.h"

static lc_ext_view cookie;

static int dec(lc_reader *r)
{
    return lc_ext_cookie_decode(r, &cookie);
}

static void round_trip(lc_ext_view body)
{
    uint8_t buf[256];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_cookie_decode(&r, &cookie));
    CHECK(cookie.len == 0x72 && cookie.p[0] == 0x71 && cookie.p[0x71] == 0xb0);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_cookie_encode(&w, cookie));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec, body.p, body.len);
}

static void test_rfc8448(void)
{
    lc_ext_view hrr = ext_rfc_body(5, EXT_SH, 0, "ServerHello", LC_EXT_IN_HRR, LC_EXT_COOKIE);
    lc_ext_view ch2 = ext_rfc_body(5, EXT_CH, 1, "ClientHello", LC_EXT_IN_CH, LC_EXT_COOKIE);

    round_trip(hrr);
    round_trip(ch2);
    /* 4.2.2: the client copies the server's cookie byte for byte */
    CHECK_MEM(ch2.p, ch2.len, hrr.p, hrr.len);
}

static void test_errors(void)
{
    uint8_t buf[4];
    lc_writer w;

    CHECK_RC(ext_run_hex(dec, "0000"), LC_E_DECODE); /* <1..2^16-1> */
    CHECK_RC(ext_run_hex(dec, ""), LC_E_DECODE);
    CHECK_RC(ext_run_hex(dec, "0002 aa"), LC_E_DECODE);
    CHECK_RC(ext_run_hex(dec, "0001 aa bb"), LC_E_TRAILING);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_cookie_encode(&w, (lc_ext_view){ NULL, 0 }), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_ext_cookie_encode(&w, (lc_ext_view){ (const uint8_t *)"abc", 3 }),
             LC_E_BUFFER_TOO_SMALL);
}

TEST_MAIN(test_rfc8448, test_errors)
