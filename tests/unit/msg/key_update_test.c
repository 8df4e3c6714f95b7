/*
 * Tests for src/msg/key_update.c: both request values round-trip; any other
 * value is illegal_parameter and any other length decode_error (RFC 8446
 * 4.6.3). RFC 8448 has no KeyUpdate, so the bytes are written out here.
 */
#include "test.h"

#include "msg/key_update.h"
#include "msg_test_util.h"

static lc_key_update ku;

static int decode_ku(const uint8_t *body, size_t n)
{
    lc_reader r;

    lc_reader_init(&r, body, n);
    return lc_key_update_decode(&r, &ku);
}

static int encode_ku(lc_writer *w)
{
    return lc_key_update_encode(w, &ku);
}

static void test_both_values(void)
{
    for (uint8_t v = 0; v <= 1; v++) {
        const uint8_t msg[] = { LC_MT_KEY_UPDATE, 0x00, 0x00, 0x01, v };
        lc_msg m;
        bool complete;

        CHECK_OK(lc_msg_frame(msg, sizeof(msg), LC_MSG_LENGTH_MAX, &m, &complete));
        CHECK(complete && m.msg_type == LC_MT_KEY_UPDATE);
        CHECK_OK(decode_ku(m.body, m.length));
        CHECK(ku.request_update == v);
        test_check_encode(encode_ku, msg, sizeof(msg));
        test_check_prefixes(decode_ku, m.body, m.length, SIZE_MAX);
        test_check_trailing(decode_ku, m.body, m.length);
    }
    CHECK(LC_UPDATE_NOT_REQUESTED == 0 && LC_UPDATE_REQUESTED == 1);
}

/* RFC 8446 4.6.3: "If an implementation receives any other value, ... illegal_parameter". */
static void test_other_values(void)
{
    for (unsigned v = 2; v <= 0xff; v++) {
        const uint8_t body[] = { (uint8_t)v };

        CHECK_RC(decode_ku(body, sizeof(body)), LC_E_ILLEGAL_PARAMETER);
    }
    /* a length error is reported as one, whatever the value */
    {
        const uint8_t body[] = { 0x02, 0x00 };

        CHECK_RC(decode_ku(body, sizeof(body)), LC_E_TRAILING);
    }
    {
        uint8_t out[8];
        lc_writer w;

        ku.request_update = 2;
        lc_writer_init(&w, out, sizeof(out));
        CHECK_RC(lc_key_update_encode(&w, &ku), LC_E_BAD_ARGUMENT);
    }
}

TEST_MAIN(test_both_values, test_other_values)
