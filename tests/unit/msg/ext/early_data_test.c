/* Tests for src/msg/ext/early_data.c: the three forms of RFC 8446 4.2.10. */
#include "ext_test_util.h"

#include "msg/ext/early_data.h"

static uint32_t max_size;

static int dec_ch(lc_reader *r)
{
    return lc_ext_early_data_ch_decode(r);
}

static int dec_ee(lc_reader *r)
{
    return lc_ext_early_data_ee_decode(r);
}

static int dec_nst(lc_reader *r)
{
    return lc_ext_early_data_nst_decode(r, &max_size);
}

static void test_rfc8448_empty_forms(void)
{
    lc_ext_view ch = ext_rfc_body(4, EXT_CH4, 0, "payload", LC_EXT_IN_CH, LC_EXT_EARLY_DATA);
    lc_ext_view ee = ext_rfc_body(4, EXT_EE, 0, "EncryptedExtensions", LC_EXT_IN_EE,
                                  LC_EXT_EARLY_DATA);
    uint8_t buf[4];
    lc_writer w;

    CHECK(ch.len == 0 && ee.len == 0);
    ext_check_cuts(dec_ch, ch.p, ch.len);
    ext_check_cuts(dec_ee, ee.p, ee.len);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_early_data_ch_encode(&w));
    CHECK_OK(lc_ext_early_data_ee_encode(&w));
    CHECK(w.len == 0);
}

static void test_rfc8448_new_session_ticket(void)
{
    lc_ext_view body = ext_rfc_body(3, EXT_NST, 0, "NewSessionTicket", LC_EXT_IN_NST,
                                    LC_EXT_EARLY_DATA);
    uint8_t buf[8];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_early_data_nst_decode(&r, &max_size));
    CHECK(max_size == 1024);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_early_data_nst_encode(&w, max_size));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec_nst, body.p, body.len);
    /* any value decodes, 0 and the largest included */
    CHECK_OK(ext_run_hex(dec_nst, "00000000"));
    CHECK_OK(ext_run_hex(dec_nst, "ffffffff"));
    CHECK(max_size == 0xffffffff);
}

static void test_encode_overflow(void)
{
    uint8_t buf[3];
    lc_writer w;

    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_early_data_nst_encode(&w, 1), LC_E_BUFFER_TOO_SMALL);
}

TEST_MAIN(test_rfc8448_empty_forms, test_rfc8448_new_session_ticket, test_encode_overflow)
