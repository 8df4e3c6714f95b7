/*
 * Tests for src/msg/certificate.c: the Certificate messages of RFC 8448 (RSA
 * and ECDSA server chains, a client's) round-trip byte for byte; the entry
 * bound, vector ranges and per-entry extension rules fail with exact codes
 * (RFC 8446 4.4.2).
 */
#include "test.h"

#include "msg/certificate.h"
#include "msg_test_util.h"

#define SERVER_CT_STEP "{server} construct a Certificate handshake message"
#define CLIENT_CT_STEP "{client} construct a Certificate handshake message"

static lc_certificate ct; /* static: about 15 KiB */

static int decode_ct(const uint8_t *body, size_t n)
{
    lc_reader r;

    lc_reader_init(&r, body, n);
    return lc_certificate_decode(&r, &ct);
}

static int encode_ct(lc_writer *w)
{
    return lc_certificate_encode(w, &ct);
}

/*
 * A Certificate body with an empty context and `count` entries, each with a
 * 1-byte cert_data and the extension block ext (ext_len bytes, prefix included).
 */
static size_t make_chain(uint8_t *out, size_t cap, size_t count, const uint8_t *ext,
                         size_t ext_len)
{
    const uint8_t der[] = { 0x30 };
    lc_writer w;
    lc_vec_mark list;

    lc_writer_init(&w, out, cap);
    lc_write_u8(&w, 0); /* certificate_request_context: empty */
    list = lc_write_vec_begin(&w, 3);
    for (size_t i = 0; i < count; i++) {
        lc_write_vec(&w, 3, der, sizeof(der));
        lc_write_bytes(&w, ext, ext_len);
    }
    lc_write_vec_end(&w, list);
    CHECK_OK(lc_writer_finish(&w));
    return w.len;
}

static void test_rfc8448_simple(void)
{
    const uint8_t der_head[] = { 0x30, 0x82, 0x01, 0xac };
    size_t len;
    lc_msg m;
    const uint8_t *msg = test_rfc_msg(3, SERVER_CT_STEP, 0, "Certificate", LC_MT_CERTIFICATE,
                                      &len, &m);

    CHECK_OK(decode_ct(m.body, m.length));
    CHECK(ct.certificate_request_context_len == 0);
    CHECK(ct.count == 1);
    /* the RSA server certificate: a DER SEQUENCE of 0x1ac bytes, 0x1b0 in all */
    CHECK(ct.certificate_list[0].cert_data_len == 0x1b0);
    CHECK_MEM(ct.certificate_list[0].cert_data, 4, der_head, 4);
    CHECK(ct.certificate_list[0].extensions.count == 0);

    test_check_encode(encode_ct, msg, len);
    test_check_prefixes(decode_ct, m.body, m.length, SIZE_MAX);
    test_check_trailing(decode_ct, m.body, m.length);
}

/* Section 5 and 7 reuse section 3's chain; section 6 has an ECDSA server and an RSA client. */
static void test_rfc8448_all(void)
{
    static const struct {
        int section;
        const char *step;
        size_t cert_len;
    } cases[] = {
        { 5, SERVER_CT_STEP, 0x1b0 },
        { 6, SERVER_CT_STEP, 0x132 },
        { 6, CLIENT_CT_STEP, 0x1b6 },
        { 7, SERVER_CT_STEP, 0x1b0 },
    };

    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        size_t len;
        lc_msg m;
        const uint8_t *msg = test_rfc_msg(cases[i].section, cases[i].step, 0, "Certificate",
                                          LC_MT_CERTIFICATE, &len, &m);

        CHECK_OK(decode_ct(m.body, m.length));
        CHECK(ct.count == 1 && ct.certificate_list[0].cert_data_len == cases[i].cert_len);
        test_check_encode(encode_ct, msg, len);
        test_check_prefixes(decode_ct, m.body, m.length, SIZE_MAX);
    }
}

/* LC_CERT_MAX_ENTRIES entries decode; one more is bad_certificate, not a silent cut. */
static void test_entry_bound(void)
{
    const uint8_t no_ext[] = { 0x00, 0x00 };
    uint8_t body[256];
    uint8_t msg[260] = { LC_MT_CERTIFICATE };
    size_t n;

    n = make_chain(body, sizeof(body), LC_CERT_MAX_ENTRIES, no_ext, sizeof(no_ext));
    CHECK_OK(decode_ct(body, n));
    CHECK(ct.count == LC_CERT_MAX_ENTRIES);
    msg[3] = (uint8_t)n;
    memcpy(msg + 4, body, n);
    test_check_encode(encode_ct, msg, n + 4);

    n = make_chain(body, sizeof(body), LC_CERT_MAX_ENTRIES + 1, no_ext, sizeof(no_ext));
    CHECK_RC(decode_ct(body, n), LC_E_BAD_CERTIFICATE);

    /* and the encoder will not write more than the decoder takes */
    {
        uint8_t out[512];
        lc_writer w;

        CHECK_OK(decode_ct(body, make_chain(body, sizeof(body), 1, no_ext, sizeof(no_ext))));
        ct.count = LC_CERT_MAX_ENTRIES + 1;
        lc_writer_init(&w, out, sizeof(out));
        CHECK_RC(lc_certificate_encode(&w, &ct), LC_E_BAD_ARGUMENT);
        ct.count = 1;
        ct.certificate_list[0].cert_data_len = 0;
        lc_writer_init(&w, out, sizeof(out));
        CHECK_RC(lc_certificate_encode(&w, &ct), LC_E_BAD_ARGUMENT);
    }
}

/* RFC 8446 4.4.2: the vectors' ranges. */
static void test_bad_lengths(void)
{
    uint8_t body[64];
    size_t n;

    /* an empty certificate_list is well formed (a client without a certificate, 4.4.2.4) */
    n = test_hex("00 000000", body, sizeof(body));
    CHECK_OK(decode_ct(body, n));
    CHECK(ct.count == 0);

    /* a post-handshake context of 4 bytes */
    n = test_hex("04 a1a2a3a4 000000", body, sizeof(body));
    CHECK_OK(decode_ct(body, n));
    CHECK(ct.certificate_request_context_len == 4 && ct.certificate_request_context[3] == 0xa4);

    /* cert_data<1..2^24-1>: empty */
    n = test_hex("00 000005 000000 0000", body, sizeof(body));
    CHECK_RC(decode_ct(body, n), LC_E_DECODE);

    /* an entry without its extensions block */
    n = test_hex("00 000004 000001 30", body, sizeof(body));
    CHECK_RC(decode_ct(body, n), LC_E_DECODE);

    /* certificate_list longer, then shorter, than what follows */
    n = test_hex("00 000006 000001 30 0000", body, sizeof(body));
    CHECK_OK(decode_ct(body, n));
    body[3] = 0x07;
    CHECK_RC(decode_ct(body, n), LC_E_DECODE);
    body[3] = 0x05;
    CHECK_RC(decode_ct(body, n), LC_E_DECODE);

    /* the certificate_request_context past the end */
    n = test_hex("05 a1a2a3a4", body, sizeof(body));
    CHECK_RC(decode_ct(body, n), LC_E_DECODE);
}

/* Per-entry extensions use the CT column of RFC 8446 4.2. */
static void test_entry_extensions(void)
{
    uint8_t body[128];
    uint8_t ext[32];
    size_t n, e;

    /* status_request (an OCSP response) is allowed in an entry */
    e = test_hex("0007 0005 0003 01 02 03", ext, sizeof(ext));
    n = make_chain(body, sizeof(body), 2, ext, e);
    CHECK_OK(decode_ct(body, n));
    CHECK(ct.count == 2 && ct.certificate_list[1].extensions.count == 1);
    CHECK(ct.certificate_list[1].extensions.ext[0].type == LC_EXT_STATUS_REQUEST);

    e = test_hex("0008 0005 0000 0005 0000", ext, sizeof(ext));
    n = make_chain(body, sizeof(body), 1, ext, e);
    CHECK_RC(decode_ct(body, n), LC_E_DUPLICATE_EXTENSION);

    e = test_hex("0004 0033 0000", ext, sizeof(ext));
    n = make_chain(body, sizeof(body), 1, ext, e);
    CHECK_RC(decode_ct(body, n), LC_E_EXTENSION_NOT_ALLOWED);

    e = test_hex("0004 fafa 0000", ext, sizeof(ext));
    n = make_chain(body, sizeof(body), 1, ext, e);
    CHECK_RC(decode_ct(body, n), LC_E_UNSOLICITED_EXTENSION);
}

TEST_MAIN(test_rfc8448_simple, test_rfc8448_all, test_entry_bound, test_bad_lengths,
          test_entry_extensions)
