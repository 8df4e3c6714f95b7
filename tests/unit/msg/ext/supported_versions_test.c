/* Tests for src/msg/ext/supported_versions.c: both forms of RFC 8446 4.2.1. */
#include "ext_test_util.h"

#include "msg/ext/supported_versions.h"

static lc_ext_supported_versions_ch sv;
static uint16_t selected;

static int dec_ch(lc_reader *r)
{
    return lc_ext_supported_versions_ch_decode(r, &sv);
}

static int dec_sh(lc_reader *r)
{
    return lc_ext_supported_versions_sh_decode(r, &selected);
}

static void test_rfc8448_client_hello(void)
{
    lc_ext_view body = ext_rfc_body(3, EXT_CH, 0, "ClientHello", LC_EXT_IN_CH,
                                    LC_EXT_SUPPORTED_VERSIONS);
    uint8_t buf[8];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_supported_versions_ch_decode(&r, &sv));
    CHECK(sv.count == 1 && sv.version[0] == 0x0304);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_supported_versions_ch_encode(&w, &sv));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec_ch, body.p, body.len);
}

static void check_server(lc_ext_view body)
{
    uint8_t buf[4];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_supported_versions_sh_decode(&r, &selected));
    CHECK(selected == 0x0304);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_supported_versions_sh_encode(&w, selected));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec_sh, body.p, body.len);
}

static void test_rfc8448_server(void)
{
    check_server(ext_rfc_body(3, EXT_SH, 0, "ServerHello", LC_EXT_IN_SH,
                              LC_EXT_SUPPORTED_VERSIONS));
    /* the HelloRetryRequest's form is the same */
    check_server(ext_rfc_body(5, EXT_SH, 0, "ServerHello", LC_EXT_IN_HRR,
                              LC_EXT_SUPPORTED_VERSIONS));
}

static void test_client_list(void)
{
    static uint8_t big[1 + 255];
    lc_reader r;

    /* GREASE, 1.3, 1.2: unknown versions are kept for the server to ignore */
    CHECK_OK(ext_run_hex(dec_ch, "06 7a7a 0304 0303"));
    CHECK(sv.count == 3 && sv.version[0] == 0x7a7a && sv.version[2] == 0x0303);
    CHECK_RC(ext_run_hex(dec_ch, "00"), LC_E_DECODE);           /* <2..254> */
    CHECK_RC(ext_run_hex(dec_ch, "03 0304 03"), LC_E_DECODE);   /* odd */
    CHECK_RC(ext_run_hex(dec_ch, "04 0304"), LC_E_DECODE);      /* past the body */
    CHECK_RC(ext_run_hex(dec_ch, "02 0304 00"), LC_E_TRAILING);
    /* 254 bytes is the most; 255 is out of range */
    big[0] = 254;
    lc_reader_init(&r, big, 1 + 254);
    CHECK_OK(lc_ext_supported_versions_ch_decode(&r, &sv));
    CHECK(sv.count == LC_EXT_VERSIONS_MAX); /* 127 sent, the bound kept */
    big[0] = 255;
    lc_reader_init(&r, big, 1 + 255);
    CHECK_RC(lc_ext_supported_versions_ch_decode(&r, &sv), LC_E_DECODE);
}

static void test_encode_errors(void)
{
    lc_ext_supported_versions_ch in = { 0 };
    uint8_t buf[2];
    lc_writer w;

    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_supported_versions_ch_encode(&w, &in), LC_E_BAD_ARGUMENT);
    in.count = LC_EXT_VERSIONS_MAX + 1;
    CHECK_RC(lc_ext_supported_versions_ch_encode(&w, &in), LC_E_BAD_ARGUMENT);
    in.count = 1;
    CHECK_RC(lc_ext_supported_versions_ch_encode(&w, &in), LC_E_BUFFER_TOO_SMALL);
}

TEST_MAIN(test_rfc8448_client_hello, test_rfc8448_server, test_client_list, test_encode_errors)
