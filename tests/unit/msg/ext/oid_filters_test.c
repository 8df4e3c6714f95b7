/* Tests for src/msg/ext/oid_filters.c: RFC 8446 4.2.5's OIDFilter list. */
#include "ext_test_util.h"

#include "msg/ext/oid_filters.h"

static lc_ext_oid_filters of;

static int dec(lc_reader *r)
{
    return lc_ext_oid_filters_decode(r, &of);
}

/*
 * keyUsage (2.5.29.15) with digitalSignature and keyEncipherment, and
 * extKeyUsage (2.5.29.37) with clientAuth: RFC 8448 has no oid_filters.
 */
#define FILTERS "001c 03 551d0f 0004 030205a0 03 551d25 000c 300a06082b06010505070302"

static void test_round_trip(void)
{
    uint8_t body[64], buf[64];
    size_t n = test_hex(FILTERS, body, sizeof(body));
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body, n);
    CHECK_OK(lc_ext_oid_filters_decode(&r, &of));
    CHECK(of.count == 2);
    CHECK_MEM(of.filter[0].oid.p, of.filter[0].oid.len, "\x55\x1d\x0f", 3);
    CHECK_MEM(of.filter[0].values.p, of.filter[0].values.len, "\x03\x02\x05\xa0", 4);
    CHECK(of.filter[1].values.len == 12);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_oid_filters_encode(&w, &of));
    CHECK_MEM(buf, w.len, body, n);
    ext_check_cuts(dec, body, n);
}

static void test_values(void)
{
    /* filters<0..2^16-1>: an empty list is legal, and so are empty values */
    CHECK_OK(ext_run_hex(dec, "0000"));
    CHECK(of.count == 0);
    CHECK_OK(ext_run_hex(dec, "0006 03 551d0f 0000"));
    CHECK(of.count == 1 && of.filter[0].values.len == 0);
    /* 4.2.5: an OID at most once */
    CHECK_RC(ext_run_hex(dec, "000c 03 551d0f 0000 03 551d0f 0000"), LC_E_ILLEGAL_PARAMETER);
    /* an empty OID; values past the list; the list past the body; trailing */
    CHECK_RC(ext_run_hex(dec, "0003 00 0000"), LC_E_DECODE);
    CHECK_RC(ext_run_hex(dec, "0006 03 551d0f 0001"), LC_E_DECODE);
    CHECK_RC(ext_run_hex(dec, "0007 03 551d0f 0000"), LC_E_DECODE);
    CHECK_RC(ext_run_hex(dec, "0006 03 551d0f 0000 00"), LC_E_TRAILING);
}

/* A list of n filters with distinct one-byte OIDs and no values. */
static size_t filters(uint8_t *buf, size_t cap, size_t n)
{
    lc_writer w;
    lc_vec_mark m;

    lc_writer_init(&w, buf, cap);
    m = lc_write_vec_begin(&w, 2);
    for (size_t i = 0; i < n; i++) {
        lc_write_u8(&w, 1);
        lc_write_u8(&w, (uint8_t)i);
        lc_write_u16(&w, 0);
    }
    lc_write_vec_end(&w, m);
    CHECK_OK(lc_writer_finish(&w));
    return w.len;
}

static void test_bound(void)
{
    uint8_t buf[2 + 4 * (LC_EXT_OID_FILTERS_MAX + 1)];
    size_t n;
    lc_ext_oid_filters in = { .count = 1 };
    lc_writer w;

    /* every filter is a requirement: more than the bound is refused, not cut */
    n = filters(buf, sizeof(buf), LC_EXT_OID_FILTERS_MAX);
    CHECK_OK(ext_run(dec, buf, n));
    CHECK(of.count == LC_EXT_OID_FILTERS_MAX);
    n = filters(buf, sizeof(buf), LC_EXT_OID_FILTERS_MAX + 1);
    CHECK_RC(ext_run(dec, buf, n), LC_E_DECODE);
    /* encoding an empty OID or too many filters is our own bug */
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_oid_filters_encode(&w, &in), LC_E_BAD_ARGUMENT);
    in.count = LC_EXT_OID_FILTERS_MAX + 1;
    CHECK_RC(lc_ext_oid_filters_encode(&w, &in), LC_E_BAD_ARGUMENT);
    in.count = 0;
    CHECK_OK(lc_ext_oid_filters_encode(&w, &in));
    CHECK(w.len == 2);
}

TEST_MAIN(test_round_trip, test_values, test_bound)
