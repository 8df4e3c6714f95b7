/*
 * Tests for src/msg/finished.c: every Finished of RFC 8448 round-trips byte
 * for byte; verify_data's length is the caller's hash length, and any other
 * length is decode_error (RFC 8446 4.4.4).
 */
#include "test.h"

#include "msg/finished.h"
#include "msg_test_util.h"

static lc_finished fin;
static size_t hash_len = 32;

static int decode_fin(const uint8_t *body, size_t n)
{
    lc_reader r;

    lc_reader_init(&r, body, n);
    return lc_finished_decode(&r, hash_len, &fin);
}

static int encode_fin(lc_writer *w)
{
    return lc_finished_encode(w, &fin);
}

/*
 * Each message's verify_data is the "finished" value that the RFC computes
 * just before it. The client's computation is the second step of that name in
 * each section: the first is the client repeating the server's ("same as server").
 */
static void test_rfc8448(void)
{
    static const struct {
        int section;
        const char *who;
        int calc_nth;
    } cases[] = {
        { 3, "{server}", 0 }, { 3, "{client}", 1 }, { 4, "{server}", 0 }, { 4, "{client}", 1 },
        { 5, "{server}", 0 }, { 5, "{client}", 1 }, { 6, "{server}", 0 }, { 6, "{client}", 1 },
        { 7, "{server}", 0 }, { 7, "{client}", 1 },
    };

    hash_len = 32; /* every RFC 8448 trace uses TLS_AES_128_GCM_SHA256 */
    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        char step[128];
        size_t len, want_len;
        lc_msg m;
        const uint8_t *msg, *want;

        snprintf(step, sizeof(step), "%s calculate finished \"tls13 finished\"", cases[i].who);
        want = rfc8448_get(cases[i].section, step, cases[i].calc_nth, "finished", &want_len);
        snprintf(step, sizeof(step), "%s construct a Finished handshake message", cases[i].who);
        msg = test_rfc_msg(cases[i].section, step, 0, "Finished", LC_MT_FINISHED, &len, &m);
        CHECK_OK(decode_fin(m.body, m.length));
        CHECK_MEM(fin.verify_data, fin.verify_data_len, want, want_len);
        test_check_encode(encode_fin, msg, len);
        test_check_prefixes(decode_fin, m.body, m.length, SIZE_MAX);
        test_check_trailing(decode_fin, m.body, m.length);
    }
}

/* The same bytes under SHA-384's length are too short. */
static void test_hash_length(void)
{
    uint8_t body[48] = { 0 };

    hash_len = 48;
    CHECK_RC(decode_fin(body, 32), LC_E_DECODE);
    CHECK_OK(decode_fin(body, 48));
    CHECK(fin.verify_data_len == 48);
    hash_len = 32;
    CHECK_RC(decode_fin(body, 48), LC_E_TRAILING);
    hash_len = 0;
    CHECK_RC(decode_fin(body, 0), LC_E_BAD_ARGUMENT);
    hash_len = 32;

    {
        uint8_t out[64];
        lc_writer w;

        fin.verify_data = body;
        fin.verify_data_len = 0;
        lc_writer_init(&w, out, sizeof(out));
        CHECK_RC(lc_finished_encode(&w, &fin), LC_E_BAD_ARGUMENT);
    }
}

TEST_MAIN(test_rfc8448, test_hash_length)
