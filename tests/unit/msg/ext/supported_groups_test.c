/* Tests for src/msg/ext/supported_groups.c: the NamedGroupList of RFC 8446 4.2.7. */
#include "ext_test_util.h"

#include "msg/ext/supported_groups.h"

static lc_ext_supported_groups sg;

static int dec(lc_reader *r)
{
    return lc_ext_supported_groups_decode(r, &sg);
}

/* Decodes body, checks the groups, re-encodes and compares. */
static void round_trip(lc_ext_view body, const uint16_t *want, size_t n)
{
    uint8_t buf[256];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_supported_groups_decode(&r, &sg));
    CHECK(sg.count == n);
    for (size_t i = 0; i < n && i < sg.count; i++) {
        CHECK(sg.group[i] == want[i]);
    }
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_supported_groups_encode(&w, &sg));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec, body.p, body.len);
}

static void test_rfc8448(void)
{
    /* x25519, secp256r1, secp384r1, secp521r1, ffdhe2048..8192 */
    static const uint16_t all[] = { 0x001d, 0x0017, 0x0018, 0x0019, 0x0100,
                                    0x0101, 0x0102, 0x0103, 0x0104 };
    static const uint16_t hrr[] = { 0x001d, 0x0017, 0x0018 };

    round_trip(ext_rfc_body(3, EXT_CH, 0, "ClientHello", LC_EXT_IN_CH, LC_EXT_SUPPORTED_GROUPS),
               all, LC_ARRAY_LEN(all));
    /* the server's list in EncryptedExtensions has the same form */
    round_trip(ext_rfc_body(3, EXT_EE, 0, "EncryptedExtensions", LC_EXT_IN_EE,
                            LC_EXT_SUPPORTED_GROUPS),
               all, LC_ARRAY_LEN(all));
    round_trip(ext_rfc_body(5, EXT_CH, 0, "ClientHello", LC_EXT_IN_CH, LC_EXT_SUPPORTED_GROUPS),
               hrr, LC_ARRAY_LEN(hrr));
}

static void test_bad_lengths(void)
{
    CHECK_RC(ext_run_hex(dec, "0000"), LC_E_DECODE);          /* <2..2^16-1> */
    CHECK_RC(ext_run_hex(dec, "0003 001d 00"), LC_E_DECODE);  /* odd */
    CHECK_RC(ext_run_hex(dec, "0004 001d"), LC_E_DECODE);     /* longer than the body */
    CHECK_RC(ext_run_hex(dec, "0002 001d 00"), LC_E_TRAILING);
}

static void test_unknown_and_bound(void)
{
    uint8_t buf[2 + 2 * (LC_EXT_GROUPS_MAX + 3)];
    lc_writer w;
    lc_vec_mark m;
    lc_reader r;

    /* GREASE and unknown values are kept */
    CHECK_OK(ext_run_hex(dec, "0004 0a0a 001d"));
    CHECK(sg.count == 2 && sg.group[0] == 0x0a0a && sg.group[1] == 0x001d);
    /* a list longer than the bound keeps its first LC_EXT_GROUPS_MAX groups */
    lc_writer_init(&w, buf, sizeof(buf));
    m = lc_write_vec_begin(&w, 2);
    for (uint16_t i = 0; i < LC_EXT_GROUPS_MAX + 3; i++) {
        lc_write_u16(&w, (uint16_t)(0x100 + i));
    }
    lc_write_vec_end(&w, m);
    CHECK_OK(lc_writer_finish(&w));
    lc_reader_init(&r, buf, w.len);
    CHECK_OK(lc_ext_supported_groups_decode(&r, &sg));
    CHECK(sg.count == LC_EXT_GROUPS_MAX);
    CHECK(sg.group[LC_EXT_GROUPS_MAX - 1] == 0x100 + LC_EXT_GROUPS_MAX - 1);
}

static void test_encode_errors(void)
{
    lc_ext_supported_groups in = { 0 };
    uint8_t buf[8];
    lc_writer w;

    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_supported_groups_encode(&w, &in), LC_E_BAD_ARGUMENT);
    in.count = LC_EXT_GROUPS_MAX + 1;
    CHECK_RC(lc_ext_supported_groups_encode(&w, &in), LC_E_BAD_ARGUMENT);
    in.count = 4;
    CHECK_RC(lc_ext_supported_groups_encode(&w, &in), LC_E_BUFFER_TOO_SMALL);
}

TEST_MAIN(test_rfc8448, test_bad_lengths, test_unknown_and_bound, test_encode_errors)
