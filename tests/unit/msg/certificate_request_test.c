/*
 * Tests for src/msg/certificate_request.c: RFC 8448 section 6's
 * CertificateRequest round-trips byte for byte; the extensions block's
 * minimum of 2 and the CR column of RFC 8446 4.2 hold (RFC 8446 4.3.2).
 */
#include "test.h"

#include "msg/certificate_request.h"
#include "msg_test_util.h"

#define CR_STEP "{server} construct a CertificateRequest handshake message"

static lc_certificate_request cr;

static int decode_cr(const uint8_t *body, size_t n)
{
    lc_reader r;

    lc_reader_init(&r, body, n);
    return lc_certificate_request_decode(&r, &cr);
}

static int encode_cr(lc_writer *w)
{
    return lc_certificate_request_encode(w, &cr);
}

static void test_rfc8448(void)
{
    size_t len;
    lc_msg m;
    const uint8_t *msg = test_rfc_msg(6, CR_STEP, 0, "CertificateRequest",
                                      LC_MT_CERTIFICATE_REQUEST, &len, &m);
    const lc_ext *sa;

    CHECK_OK(decode_cr(m.body, m.length));
    /* RFC 8446 4.3.2: in the main handshake the context is empty */
    CHECK(cr.certificate_request_context_len == 0);
    CHECK(cr.extensions.count == 1);
    sa = lc_ext_find(&cr.extensions, LC_EXT_SIGNATURE_ALGORITHMS);
    /* a 2-byte list length of 0x1e, then 15 schemes, ecdsa_secp256r1_sha256 first */
    CHECK(sa != NULL && sa->len == 0x20 && sa->body[1] == 0x1e && sa->body[2] == 0x04 &&
          sa->body[3] == 0x03);

    test_check_encode(encode_cr, msg, len);
    test_check_prefixes(decode_cr, m.body, m.length, SIZE_MAX);
    test_check_trailing(decode_cr, m.body, m.length);
}

static void test_bad_inputs(void)
{
    uint8_t body[64];
    size_t n;

    /* extensions<2..2^16-1>: an empty block is too short */
    n = test_hex("00 0000", body, sizeof(body));
    CHECK_RC(decode_cr(body, n), LC_E_DECODE);

    /* a post-handshake context (4.6.2) and an unknown extension, which CR ignores (4.3.2) */
    n = test_hex("02 beef 0004 fafa 0000", body, sizeof(body));
    CHECK_OK(decode_cr(body, n));
    CHECK(cr.certificate_request_context_len == 2 && cr.extensions.count == 1);

    /* the context runs past the end */
    n = test_hex("09 beef 0004 fafa 0000", body, sizeof(body));
    CHECK_RC(decode_cr(body, n), LC_E_DECODE);

    /* 4.2: a duplicate, and key_share, which a CertificateRequest may not carry */
    n = test_hex("00 0008 000d 0000 000d 0000", body, sizeof(body));
    CHECK_RC(decode_cr(body, n), LC_E_DUPLICATE_EXTENSION);
    n = test_hex("00 0008 000d 0000 0033 0000", body, sizeof(body));
    CHECK_RC(decode_cr(body, n), LC_E_EXTENSION_NOT_ALLOWED);

    /* the block's length one over what is there */
    n = test_hex("00 0005 000d 0000", body, sizeof(body));
    CHECK_RC(decode_cr(body, n), LC_E_DECODE);
}

static void test_encode_bad_arguments(void)
{
    uint8_t out[64];
    lc_writer w;

    cr.certificate_request_context_len = 0;
    cr.extensions.count = 0;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_certificate_request_encode(&w, &cr), LC_E_BAD_ARGUMENT);

    cr.certificate_request_context_len = 256;
    cr.extensions.count = 1;
    cr.extensions.ext[0].type = LC_EXT_SIGNATURE_ALGORITHMS;
    cr.extensions.ext[0].len = 0;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_certificate_request_encode(&w, &cr), LC_E_BAD_ARGUMENT);
}

TEST_MAIN(test_rfc8448, test_bad_inputs, test_encode_bad_arguments)
