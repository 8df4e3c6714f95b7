/* Tests for src/msg/ext/alpn.c: RFC 7301 3.1's ProtocolNameList, both directions. */
#include "ext_test_util.h"

#include "msg/ext/alpn.h"

static lc_ext_alpn_ch alpn;
static lc_ext_view selected;

static int dec_ch(lc_reader *r)
{
    return lc_ext_alpn_ch_decode(r, &alpn);
}

static int dec_ee(lc_reader *r)
{
    return lc_ext_alpn_ee_decode(r, &selected);
}

static void test_client_list(void)
{
    /* "h2", "http/1.1": RFC 8448 has no ALPN, so this is what browsers send */
    uint8_t body[32], buf[32];
    size_t n = test_hex("000c 02 6832 08 687474702f312e31", body, sizeof(body));
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body, n);
    CHECK_OK(lc_ext_alpn_ch_decode(&r, &alpn));
    CHECK(alpn.count == 2);
    CHECK_MEM(alpn.name[0].p, alpn.name[0].len, "h2", 2);
    CHECK_MEM(alpn.name[1].p, alpn.name[1].len, "http/1.1", 8);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_alpn_ch_encode(&w, &alpn));
    CHECK_MEM(buf, w.len, body, n);
    ext_check_cuts(dec_ch, body, n);
}

static void test_client_list_errors(void)
{
    CHECK_RC(ext_run_hex(dec_ch, "0000"), LC_E_DECODE);             /* list <2..2^16-1> */
    CHECK_RC(ext_run_hex(dec_ch, "0001 00"), LC_E_DECODE);          /* too short a list */
    CHECK_RC(ext_run_hex(dec_ch, "0004 00 02 6832"), LC_E_DECODE);  /* an empty name */
    CHECK_RC(ext_run_hex(dec_ch, "0003 03 6832"), LC_E_DECODE);     /* a name past the list */
    CHECK_RC(ext_run_hex(dec_ch, "0004 02 6832"), LC_E_DECODE);     /* the list past the body */
    CHECK_RC(ext_run_hex(dec_ch, "0003 02 6832 00"), LC_E_TRAILING);
}

static void test_client_list_bound(void)
{
    uint8_t body[2 + 3 * (LC_EXT_ALPN_MAX + 2)];
    lc_writer w;
    lc_vec_mark m;
    lc_reader r;

    /* more names than the bound: the first LC_EXT_ALPN_MAX are kept */
    lc_writer_init(&w, body, sizeof(body));
    m = lc_write_vec_begin(&w, 2);
    for (uint8_t i = 0; i < LC_EXT_ALPN_MAX + 2; i++) {
        lc_write_u8(&w, 2);
        lc_write_u8(&w, 'p');
        lc_write_u8(&w, (uint8_t)('a' + i));
    }
    lc_write_vec_end(&w, m);
    CHECK_OK(lc_writer_finish(&w));
    lc_reader_init(&r, body, w.len);
    CHECK_OK(lc_ext_alpn_ch_decode(&r, &alpn));
    CHECK(alpn.count == LC_EXT_ALPN_MAX);
    CHECK(alpn.name[LC_EXT_ALPN_MAX - 1].p[1] == 'a' + LC_EXT_ALPN_MAX - 1);
}

static void test_server_answer(void)
{
    uint8_t body[16], buf[16];
    size_t n = test_hex("0003 02 6832", body, sizeof(body));
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body, n);
    CHECK_OK(lc_ext_alpn_ee_decode(&r, &selected));
    CHECK_MEM(selected.p, selected.len, "h2", 2);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_alpn_ee_encode(&w, selected));
    CHECK_MEM(buf, w.len, body, n);
    ext_check_cuts(dec_ee, body, n);
    /* RFC 7301 3.1: exactly one name; a second is trailing bytes in the list */
    CHECK_RC(ext_run_hex(dec_ee, "0006 02 6832 02 6833"), LC_E_TRAILING);
    CHECK(lc_err_alert(LC_E_TRAILING) == LC_ALERT_DECODE_ERROR);
    CHECK_RC(ext_run_hex(dec_ee, "0003 00 6832"), LC_E_DECODE); /* an empty name */
}

static void test_encode_errors(void)
{
    static const uint8_t long_name[256] = { 'x' };
    lc_ext_alpn_ch in = { .count = 1 };
    uint8_t buf[512];
    lc_writer w;

    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_alpn_ch_encode(&w, &in), LC_E_BAD_ARGUMENT); /* an empty name */
    in.name[0] = (lc_ext_view){ long_name, sizeof(long_name) };
    CHECK_RC(lc_ext_alpn_ch_encode(&w, &in), LC_E_BAD_ARGUMENT); /* 256 bytes */
    in.count = 0;
    CHECK_RC(lc_ext_alpn_ch_encode(&w, &in), LC_E_BAD_ARGUMENT);
    in.count = LC_EXT_ALPN_MAX + 1;
    CHECK_RC(lc_ext_alpn_ch_encode(&w, &in), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_ext_alpn_ee_encode(&w, (lc_ext_view){ NULL, 0 }), LC_E_BAD_ARGUMENT);
    CHECK(w.len == 0); /* nothing was written */
}

TEST_MAIN(test_client_list, test_client_list_errors, test_client_list_bound,
          test_server_answer, test_encode_errors)
