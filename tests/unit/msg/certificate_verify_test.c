/*
 * Tests for src/msg/certificate_verify.c: the CertificateVerify messages of
 * RFC 8448 (rsa_pss_rsae_sha256 and ecdsa_secp256r1_sha256) round-trip byte
 * for byte; cut and lengthened copies fail with the exact code (RFC 8446 4.4.3).
 */
#include "test.h"

#include "msg/certificate_verify.h"
#include "msg_test_util.h"

static lc_certificate_verify cv;

static int decode_cv(const uint8_t *body, size_t n)
{
    lc_reader r;

    lc_reader_init(&r, body, n);
    return lc_certificate_verify_decode(&r, &cv);
}

static int encode_cv(lc_writer *w)
{
    return lc_certificate_verify_encode(w, &cv);
}

static void test_rfc8448(void)
{
    static const struct {
        int section;
        const char *step;
        uint16_t algorithm;
        size_t signature_len;
    } cases[] = {
        { 3, "{server} construct a CertificateVerify handshake message", 0x0804, 128 },
        { 5, "{server} construct a CertificateVerify handshake message", 0x0804, 128 },
        { 6, "{server} construct a CertificateVerify handshake message", 0x0403, 71 },
        { 6, "{client} construct a CertificateVerify handshake message", 0x0804, 128 },
        { 7, "{server} construct a CertificateVerify handshake message", 0x0804, 128 },
    };

    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        size_t len;
        lc_msg m;
        const uint8_t *msg = test_rfc_msg(cases[i].section, cases[i].step, 0, "CertificateVerify",
                                          LC_MT_CERTIFICATE_VERIFY, &len, &m);

        CHECK_OK(decode_cv(m.body, m.length));
        CHECK(cv.algorithm == cases[i].algorithm);
        CHECK(cv.signature_len == cases[i].signature_len);
        test_check_encode(encode_cv, msg, len);
        test_check_prefixes(decode_cv, m.body, m.length, SIZE_MAX);
        test_check_trailing(decode_cv, m.body, m.length);
    }
}

static void test_bad_lengths(void)
{
    uint8_t body[16];
    size_t n;

    /* signature<0..2^16-1>: empty parses (verification then fails, in the handshake) */
    n = test_hex("0804 0000", body, sizeof(body));
    CHECK_OK(decode_cv(body, n));
    CHECK(cv.algorithm == 0x0804 && cv.signature_len == 0);

    /* the signature's length one over, then one under, what is there */
    n = test_hex("0403 0004 aabbcc", body, sizeof(body));
    CHECK_RC(decode_cv(body, n), LC_E_DECODE);
    n = test_hex("0403 0002 aabbcc", body, sizeof(body));
    CHECK_RC(decode_cv(body, n), LC_E_TRAILING);
}

TEST_MAIN(test_rfc8448, test_bad_lengths)
