/* Tests for src/msg/ext/certificate_authorities.c: RFC 8446 4.2.4's DN list. */
#include "ext_test_util.h"

#include "msg/ext/certificate_authorities.h"

static lc_ext_certificate_authorities cas;

static int dec(lc_reader *r)
{
    return lc_ext_certificate_authorities_decode(r, &cas);
}

static void test_round_trip(void)
{
    /* two DER names, CN=Roo and CN=Sub (RFC 8448 has no certificate_authorities) */
    uint8_t body[64], buf[64];
    size_t n = test_hex("0024 0010 300e310c300a06035504030c03526f6f"
                        "0010 300e310c300a06035504030c03537562", body, sizeof(body));
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body, n);
    CHECK_OK(lc_ext_certificate_authorities_decode(&r, &cas));
    CHECK(cas.count == 2 && cas.name[0].len == 16 && cas.name[1].len == 16);
    CHECK(cas.name[0].p[0] == 0x30 && cas.name[1].p[15] == 0x62);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_certificate_authorities_encode(&w, &cas));
    CHECK_MEM(buf, w.len, body, n);
    ext_check_cuts(dec, body, n);
}

static void test_errors(void)
{
    CHECK_RC(ext_run_hex(dec, "0002 0000"), LC_E_DECODE);      /* authorities<3..2^16-1> */
    CHECK_RC(ext_run_hex(dec, "0003 0000 00"), LC_E_DECODE);   /* DistinguishedName<1..> */
    CHECK_RC(ext_run_hex(dec, "0003 0002 30"), LC_E_DECODE);   /* a name past the list */
    CHECK_RC(ext_run_hex(dec, "0004 0001 30"), LC_E_DECODE);   /* the list past the body */
    CHECK_RC(ext_run_hex(dec, "0003 0001 30 00"), LC_E_TRAILING);
    /* one stray byte after the last name inside the list */
    CHECK_RC(ext_run_hex(dec, "0004 0001 30 00"), LC_E_DECODE);
}

static void test_bound(void)
{
    static uint8_t body[2 + 3 * (LC_EXT_CAS_MAX + 5)];
    lc_writer w;
    lc_vec_mark m;
    lc_ext_certificate_authorities in = { 0 };

    /* more names than the bound: the first LC_EXT_CAS_MAX are kept */
    lc_writer_init(&w, body, sizeof(body));
    m = lc_write_vec_begin(&w, 2);
    for (size_t i = 0; i < LC_EXT_CAS_MAX + 5; i++) {
        lc_write_u16(&w, 1);
        lc_write_u8(&w, (uint8_t)i);
    }
    lc_write_vec_end(&w, m);
    CHECK_OK(lc_writer_finish(&w));
    CHECK_OK(ext_run(dec, body, w.len));
    CHECK(cas.count == LC_EXT_CAS_MAX);
    /* encoding: nothing, too many, or an empty name is our own bug */
    lc_writer_init(&w, body, sizeof(body));
    CHECK_RC(lc_ext_certificate_authorities_encode(&w, &in), LC_E_BAD_ARGUMENT);
    in.count = 1;
    CHECK_RC(lc_ext_certificate_authorities_encode(&w, &in), LC_E_BAD_ARGUMENT);
    in.count = LC_EXT_CAS_MAX + 1;
    CHECK_RC(lc_ext_certificate_authorities_encode(&w, &in), LC_E_BAD_ARGUMENT);
    CHECK(w.len == 0);
}

TEST_MAIN(test_round_trip, test_errors, test_bound)
