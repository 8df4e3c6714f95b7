/*
 * Tests for src/msg/ext/status_request.c: RFC 6066 8's CertificateStatusRequest
 * and CertificateStatus, placed as RFC 8446 4.4.2.1 says.
 */
#include "ext_test_util.h"

#include "msg/ext/status_request.h"

static lc_ext_status_request_ch req;
static lc_ext_view resp;

static int dec_ch(lc_reader *r)
{
    return lc_ext_status_request_ch_decode(r, &req);
}

static int dec_cr(lc_reader *r)
{
    return lc_ext_status_request_cr_decode(r);
}

static int dec_ct(lc_reader *r)
{
    return lc_ext_status_request_ct_decode(r, &resp);
}

/* Decodes hex as a ClientHello request, checks it round-trips and its prefixes fail. */
static void round_trip(const char *hex, bool cuts)
{
    uint8_t body[64], buf[64];
    size_t n = test_hex(hex, body, sizeof(body));
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body, n);
    CHECK_OK(lc_ext_status_request_ch_decode(&r, &req));
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_status_request_ch_encode(&w, &req));
    CHECK_MEM(buf, w.len, body, n);
    if (cuts) {
        ext_check_cuts(dec_ch, body, n);
    }
}

static void test_client_hello(void)
{
    /* what browsers send: ocsp, no responder IDs, no extensions */
    round_trip("01 0000 0000", true);
    CHECK(req.status_type == LC_STATUS_TYPE_OCSP);
    CHECK(req.responder_id_list.len == 0 && req.request_extensions.len == 0);
    /* two responder IDs and some request extensions */
    round_trip("01 0009 0002 aabb 0003 ccddee 0002 3000", true);
    CHECK(req.responder_id_list.len == 9 && req.request_extensions.len == 2);
    /* an unknown status type: kept as it is, since it cannot be parsed */
    round_trip("07 abcdef", false);
    CHECK(req.status_type == 7 && req.other.len == 3 && req.other.p[0] == 0xab);
}

static void test_client_hello_errors(void)
{
    CHECK_RC(ext_run_hex(dec_ch, ""), LC_E_DECODE);
    CHECK_RC(ext_run_hex(dec_ch, "01 0002 0000 0000"), LC_E_DECODE);   /* ResponderID<1..> */
    CHECK_RC(ext_run_hex(dec_ch, "01 0003 0002 aa 0000"), LC_E_DECODE); /* an ID past the list */
    CHECK_RC(ext_run_hex(dec_ch, "01 0000 0001"), LC_E_DECODE);        /* extensions past the end */
    CHECK_RC(ext_run_hex(dec_ch, "01 0000 0000 00"), LC_E_TRAILING);
}

static void test_client_hello_encode_errors(void)
{
    lc_ext_status_request_ch in = { .status_type = LC_STATUS_TYPE_OCSP };
    uint8_t buf[8];
    lc_writer w;

    lc_writer_init(&w, buf, sizeof(buf));
    in.request_extensions.len = 4; /* a length with no bytes */
    CHECK_RC(lc_ext_status_request_ch_encode(&w, &in), LC_E_BAD_ARGUMENT);
    CHECK(w.len == 0);
}

static void test_certificate_request(void)
{
    uint8_t buf[4];
    lc_writer w;

    /* RFC 8446 4.4.2.1: the server's request is empty */
    ext_check_cuts(dec_cr, (const uint8_t *)"", 0);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_status_request_cr_encode(&w));
    CHECK(w.len == 0);
}

static void test_certificate(void)
{
    uint8_t body[16], buf[16];
    size_t n = test_hex("01 000003 308201", body, sizeof(body));
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body, n);
    CHECK_OK(lc_ext_status_request_ct_decode(&r, &resp));
    CHECK(resp.len == 3 && resp.p[0] == 0x30);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_status_request_ct_encode(&w, resp));
    CHECK_MEM(buf, w.len, body, n);
    ext_check_cuts(dec_ct, body, n);
    /* a status type we never ask for cannot be decoded */
    CHECK_RC(ext_run_hex(dec_ct, "02 000003 308201"), LC_E_DECODE);
    /* OCSPResponse<1..2^24-1> */
    CHECK_RC(ext_run_hex(dec_ct, "01 000000"), LC_E_DECODE);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_status_request_ct_encode(&w, (lc_ext_view){ NULL, 0 }), LC_E_BAD_ARGUMENT);
}

TEST_MAIN(test_client_hello, test_client_hello_errors, test_client_hello_encode_errors,
          test_certificate_request, test_certificate)
