/* Tests for src/msg/ext/record_size_limit.c: RFC 8449 4's uint16. */
#include "ext_test_util.h"

#include "msg/ext/record_size_limit.h"

static uint16_t limit;

static int dec(lc_reader *r)
{
    return lc_ext_record_size_limit_decode(r, &limit);
}

static void check_rfc(lc_ext_view body)
{
    uint8_t buf[4];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_record_size_limit_decode(&r, &limit));
    CHECK(limit == LC_EXT_RECORD_SIZE_LIMIT_TLS13); /* 0x4001 */
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_record_size_limit_encode(&w, limit));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec, body.p, body.len);
}

static void test_rfc8448(void)
{
    check_rfc(ext_rfc_body(3, EXT_CH, 0, "ClientHello", LC_EXT_IN_CH, LC_EXT_RECORD_SIZE_LIMIT));
    check_rfc(ext_rfc_body(3, EXT_EE, 0, "EncryptedExtensions", LC_EXT_IN_EE,
                           LC_EXT_RECORD_SIZE_LIMIT));
}

static void test_values(void)
{
    uint8_t buf[4];
    lc_writer w;

    /* RFC 8449 4: under 64 is illegal_parameter */
    CHECK_RC(ext_run_hex(dec, "003f"), LC_E_ILLEGAL_PARAMETER);
    CHECK_RC(ext_run_hex(dec, "0000"), LC_E_ILLEGAL_PARAMETER);
    CHECK_OK(ext_run_hex(dec, "0040"));
    CHECK(limit == 64);
    /* above 2^14+1 decodes: a server "MUST NOT enforce" the ceiling */
    CHECK_OK(ext_run_hex(dec, "ffff"));
    CHECK(limit == 0xffff);
    /* a short or long body is decode_error before the value is looked at */
    CHECK_RC(ext_run_hex(dec, "00"), LC_E_DECODE);
    CHECK_RC(ext_run_hex(dec, "003f 00"), LC_E_TRAILING);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_record_size_limit_encode(&w, 63), LC_E_BAD_ARGUMENT);
}

TEST_MAIN(test_rfc8448, test_values)
