/*
 * Tests for src/msg/ext/signature_algorithms.c: the SignatureSchemeList of
 * RFC 8446 4.2.3, for signature_algorithms and signature_algorithms_cert.
 */
#include "ext_test_util.h"

#include "msg/ext/signature_algorithms.h"

static lc_ext_signature_algorithms sa;

static int dec(lc_reader *r)
{
    return lc_ext_signature_algorithms_decode(r, &sa);
}

static void round_trip(lc_ext_view body)
{
    /* RFC 8448's list: ecdsa (3), sha1 ecdsa, rsa_pss_rsae (3), pkcs1 (3), sha1 rsa, 4 legacy */
    static const uint16_t want[] = { 0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806,
                                     0x0401, 0x0501, 0x0601, 0x0201, 0x0402, 0x0502, 0x0602,
                                     0x0202 };
    uint8_t buf[64];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_signature_algorithms_decode(&r, &sa));
    CHECK(sa.count == LC_ARRAY_LEN(want));
    for (size_t i = 0; i < sa.count && i < LC_ARRAY_LEN(want); i++) {
        CHECK(sa.scheme[i] == want[i]);
    }
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_signature_algorithms_encode(&w, &sa));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec, body.p, body.len);
}

static void test_rfc8448(void)
{
    round_trip(ext_rfc_body(3, EXT_CH, 0, "ClientHello", LC_EXT_IN_CH,
                            LC_EXT_SIGNATURE_ALGORITHMS));
    /* section 6: the server's CertificateRequest carries the same list */
    round_trip(ext_rfc_body(6, EXT_CR, 0, "CertificateRequest", LC_EXT_IN_CR,
                            LC_EXT_SIGNATURE_ALGORITHMS));
}

static void test_bad_lengths(void)
{
    static uint8_t big[2 + 0xffff];
    lc_reader r;

    CHECK_RC(ext_run_hex(dec, "0000"), LC_E_DECODE);         /* <2..2^16-2> */
    CHECK_RC(ext_run_hex(dec, "0003 0804 08"), LC_E_DECODE); /* odd */
    CHECK_RC(ext_run_hex(dec, "0004 0804"), LC_E_DECODE);    /* longer than the body */
    CHECK_RC(ext_run_hex(dec, "0002 0804 00"), LC_E_TRAILING);
    /* the largest list is 2^16-2 bytes; 2^16-1 is out of range */
    big[0] = 0xff;
    big[1] = 0xfe;
    lc_reader_init(&r, big, 2 + 0xfffe);
    CHECK_OK(lc_ext_signature_algorithms_decode(&r, &sa));
    CHECK(sa.count == LC_EXT_SIGALGS_MAX); /* kept up to the bound */
    big[1] = 0xff;
    lc_reader_init(&r, big, 2 + 0xffff);
    CHECK_RC(lc_ext_signature_algorithms_decode(&r, &sa), LC_E_DECODE);
}

static void test_encode_errors(void)
{
    lc_ext_signature_algorithms in = { 0 };
    uint8_t buf[4];
    lc_writer w;

    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_signature_algorithms_encode(&w, &in), LC_E_BAD_ARGUMENT);
    in.count = LC_EXT_SIGALGS_MAX + 1;
    CHECK_RC(lc_ext_signature_algorithms_encode(&w, &in), LC_E_BAD_ARGUMENT);
    in.count = 2;
    CHECK_RC(lc_ext_signature_algorithms_encode(&w, &in), LC_E_BUFFER_TOO_SMALL);
}

TEST_MAIN(test_rfc8448, test_bad_lengths, test_encode_errors)
