/* Tests for src/msg/ext/server_name.c: RFC 6066 3's ServerNameList and the empty answer. */
#include "ext_test_util.h"

#include "msg/ext/server_name.h"

static lc_ext_server_name_ch sn;

static int dec_ch(lc_reader *r)
{
    return lc_ext_server_name_ch_decode(r, &sn);
}

static int dec_ee(lc_reader *r)
{
    return lc_ext_server_name_ee_decode(r);
}

static void test_rfc8448_client_hello(void)
{
    lc_ext_view body = ext_rfc_body(3, EXT_CH, 0, "ClientHello", LC_EXT_IN_CH, LC_EXT_SERVER_NAME);
    uint8_t buf[64];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_server_name_ch_decode(&r, &sn));
    CHECK_MEM(sn.host_name.p, sn.host_name.len, "server", 6);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_server_name_ch_encode(&w, &sn));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec_ch, body.p, body.len);
}

static void test_rfc8448_encrypted_extensions(void)
{
    lc_ext_view body = ext_rfc_body(3, EXT_EE, 0, "EncryptedExtensions", LC_EXT_IN_EE,
                                    LC_EXT_SERVER_NAME);
    uint8_t buf[4];
    lc_writer w;

    CHECK(body.len == 0);
    CHECK_OK(ext_run(dec_ee, body.p, body.len));
    CHECK_RC(ext_run_hex(dec_ee, "00"), LC_E_TRAILING);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_server_name_ee_encode(&w));
    CHECK(w.len == 0);
}

static void test_bad_lengths(void)
{
    /* an empty list: ServerNameList is <1..2^16-1> */
    CHECK_RC(ext_run_hex(dec_ch, "0000"), LC_E_DECODE);
    /* an empty HostName: <1..2^16-1> */
    CHECK_RC(ext_run_hex(dec_ch, "0003 00 0000"), LC_E_DECODE);
    /* the list's length one more than its content */
    CHECK_RC(ext_run_hex(dec_ch, "000a 00 0006 736572766572"), LC_E_DECODE);
    /* the name's length past the list's end */
    CHECK_RC(ext_run_hex(dec_ch, "0009 00 0007 736572766572 00"), LC_E_DECODE);
    /* a name type with no length */
    CHECK_RC(ext_run_hex(dec_ch, "0001 00"), LC_E_DECODE);
    /* bytes after the list */
    CHECK_RC(ext_run_hex(dec_ch, "0009 00 0006 736572766572 00"), LC_E_TRAILING);
}

static void test_two_host_names(void)
{
    /* RFC 6066 3: no two names of the same name_type */
    CHECK_RC(ext_run_hex(dec_ch, "000a 00 0002 6161 00 0002 6262"), LC_E_ILLEGAL_PARAMETER);
    CHECK(lc_err_alert(LC_E_ILLEGAL_PARAMETER) == LC_ALERT_ILLEGAL_PARAMETER);
}

static void test_unknown_name_type(void)
{
    uint8_t buf[32];
    size_t n;
    lc_reader r;

    /* a future type is stepped over by its 16-bit length; the host_name is kept */
    n = test_hex("000c 07 0003 010203 00 0003 616263", buf, sizeof(buf));
    lc_reader_init(&r, buf, n);
    CHECK_OK(lc_ext_server_name_ch_decode(&r, &sn));
    CHECK_MEM(sn.host_name.p, sn.host_name.len, "abc", 3);
    /* a list of only unknown types: no host_name */
    n = test_hex("0006 07 0003 010203", buf, sizeof(buf));
    lc_reader_init(&r, buf, n);
    CHECK_OK(lc_ext_server_name_ch_decode(&r, &sn));
    CHECK(sn.host_name.p == NULL);
    /* its length past the list's end */
    CHECK_RC(ext_run_hex(dec_ch, "0006 07 0004 010203"), LC_E_DECODE);
}

static void test_encode_errors(void)
{
    lc_ext_server_name_ch in = { { NULL, 0 } };
    uint8_t buf[8];
    lc_writer w;

    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_server_name_ch_encode(&w, &in), LC_E_BAD_ARGUMENT);
    /* a name that does not fit the buffer */
    in.host_name = (lc_ext_view){ (const uint8_t *)"example.com", 11 };
    CHECK_RC(lc_ext_server_name_ch_encode(&w, &in), LC_E_BUFFER_TOO_SMALL);
}

TEST_MAIN(test_rfc8448_client_hello, test_rfc8448_encrypted_extensions, test_bad_lengths,
          test_two_host_names, test_unknown_name_type, test_encode_errors)
