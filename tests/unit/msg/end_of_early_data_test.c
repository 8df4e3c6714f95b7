/*
 * Tests for src/msg/end_of_early_data.c: RFC 8448 section 4's EndOfEarlyData
 * (4 bytes, an empty body) round-trips; a body of any length is decode_error
 * (RFC 8446 4.5).
 */
#include "test.h"

#include "msg/end_of_early_data.h"
#include "msg_test_util.h"

static int decode_eoed(const uint8_t *body, size_t n)
{
    lc_reader r;

    lc_reader_init(&r, body, n);
    return lc_end_of_early_data_decode(&r);
}

static int encode_eoed(lc_writer *w)
{
    return lc_end_of_early_data_encode(w);
}

static void test_rfc8448(void)
{
    const uint8_t want[] = { 0x05, 0x00, 0x00, 0x00 };
    size_t len;
    lc_msg m;
    const uint8_t *msg = test_rfc_msg(4, "{client} construct an EndOfEarlyData handshake message",
                                      0, "EndOfEarlyData", LC_MT_END_OF_EARLY_DATA, &len, &m);

    CHECK_MEM(msg, len, want, sizeof(want));
    CHECK(m.length == 0);
    CHECK_OK(decode_eoed(m.body, m.length));
    test_check_encode(encode_eoed, msg, len);
    test_check_trailing(decode_eoed, m.body, m.length);
}

static void test_not_empty(void)
{
    const uint8_t body[] = { 0x00, 0x00, 0x00, 0x00 };

    CHECK_RC(decode_eoed(body, 1), LC_E_TRAILING);
    CHECK_RC(decode_eoed(body, sizeof(body)), LC_E_TRAILING);
}

TEST_MAIN(test_rfc8448, test_not_empty)
