/*
 * Tests for src/msg/server_hello.c: every ServerHello and the
 * HelloRetryRequest of RFC 8448 decode and re-encode byte for byte; the two
 * are told apart by the random and their extensions checked in the right
 * context; bad inputs fail with the exact code (RFC 8446 4.1.3, 4.1.4).
 */
#include "test.h"

#include "msg/server_hello.h"
#include "msg_test_util.h"

#define SH_STEP "{server} construct a ServerHello handshake message"

static lc_server_hello sh;

static int decode_sh(const uint8_t *body, size_t n)
{
    lc_reader r;

    lc_reader_init(&r, body, n);
    return lc_server_hello_decode(&r, &sh);
}

static int encode_sh(lc_writer *w)
{
    return lc_server_hello_encode(w, &sh);
}

/* The body offset just past legacy_compression_method: where the extensions block starts. */
static size_t extensions_at(const lc_server_hello *s)
{
    return 2 + LC_RANDOM_LEN + 1 + s->legacy_session_id_echo_len + 2 + 1;
}

static void test_rfc8448_simple(void)
{
    const uint8_t want_random_head[] = { 0xa6, 0xaf, 0x06, 0xa4 };
    size_t len;
    lc_msg m;
    const uint8_t *msg = test_rfc_msg(3, SH_STEP, 0, "ServerHello", LC_MT_SERVER_HELLO, &len, &m);
    const lc_ext *sv;

    CHECK(!lc_server_hello_is_hrr(m.body, m.length));
    CHECK_OK(decode_sh(m.body, m.length));
    CHECK(!sh.is_hrr);
    CHECK(sh.legacy_version == 0x0303);
    CHECK_MEM(sh.random, 4, want_random_head, 4);
    CHECK(sh.legacy_session_id_echo_len == 0);
    CHECK(sh.cipher_suite == 0x1301);
    CHECK(sh.extensions.count == 2);
    CHECK(sh.extensions.ext[0].type == LC_EXT_KEY_SHARE);
    CHECK(sh.extensions.ext[1].type == LC_EXT_SUPPORTED_VERSIONS);
    sv = lc_ext_find(&sh.extensions, LC_EXT_SUPPORTED_VERSIONS);
    CHECK(sv != NULL && sv->len == 2 && sv->body[0] == 0x03 && sv->body[1] == 0x04);
    CHECK(lc_random_downgrade(sh.random) == LC_DOWNGRADE_NONE);

    test_check_encode(encode_sh, msg, len);
    test_check_prefixes(decode_sh, m.body, m.length, extensions_at(&sh));
    test_check_trailing(decode_sh, m.body, m.length);
}

/* Every ServerHello in RFC 8448: PSK resumption, after HRR, client auth, compatibility mode. */
static void test_rfc8448_all(void)
{
    static const struct {
        int section, nth;
        size_t echo_len;
        bool psk;
    } cases[] = { { 3, 0, 0, false }, { 4, 0, 0, true }, { 5, 1, 0, false },
                  { 6, 0, 0, false }, { 7, 0, 32, false } };

    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        size_t len;
        lc_msg m;
        const uint8_t *msg = test_rfc_msg(cases[i].section, SH_STEP, cases[i].nth, "ServerHello",
                                          LC_MT_SERVER_HELLO, &len, &m);

        CHECK_OK(decode_sh(m.body, m.length));
        CHECK(!sh.is_hrr);
        CHECK(sh.legacy_session_id_echo_len == cases[i].echo_len);
        CHECK((lc_ext_find(&sh.extensions, LC_EXT_PRE_SHARED_KEY) != NULL) == cases[i].psk);
        test_check_encode(encode_sh, msg, len);
        test_check_prefixes(decode_sh, m.body, m.length, extensions_at(&sh));
    }
}

/* RFC 8448 section 5: the HelloRetryRequest, told apart by its random (RFC 8446 4.1.3). */
static void test_rfc8448_hrr(void)
{
    size_t len;
    lc_msg m;
    const uint8_t *msg = test_rfc_msg(5, SH_STEP, 0, "ServerHello", LC_MT_SERVER_HELLO, &len, &m);

    CHECK(lc_server_hello_is_hrr(m.body, m.length));
    CHECK_OK(decode_sh(m.body, m.length));
    CHECK(sh.is_hrr);
    CHECK(lc_random_is_hrr(sh.random));
    CHECK_MEM(sh.random, LC_RANDOM_LEN, lc_hrr_random, LC_RANDOM_LEN);
    CHECK(sh.cipher_suite == 0x1301);
    CHECK(sh.extensions.count == 3);
    CHECK(sh.extensions.ext[0].type == LC_EXT_KEY_SHARE);
    CHECK(sh.extensions.ext[1].type == LC_EXT_COOKIE);
    CHECK(sh.extensions.ext[2].type == LC_EXT_SUPPORTED_VERSIONS);

    test_check_encode(encode_sh, msg, len);
    test_check_prefixes(decode_sh, m.body, m.length, extensions_at(&sh));
    test_check_trailing(decode_sh, m.body, m.length);
}

/*
 * The random decides the extension context: cookie may appear in an HRR but
 * not a ServerHello, pre_shared_key in a ServerHello but not an HRR (RFC 8446 4.2).
 */
static void test_context_follows_random(void)
{
    size_t len;
    lc_msg m;
    uint8_t *b;

    /* section 5's HRR with one random byte changed is a ServerHello carrying a cookie */
    (void)test_rfc_msg(5, SH_STEP, 0, "ServerHello", LC_MT_SERVER_HELLO, &len, &m);
    b = test_dup(m.body, m.length);
    b[2] ^= 0x01;
    CHECK(!lc_server_hello_is_hrr(b, m.length));
    CHECK_RC(decode_sh(b, m.length), LC_E_EXTENSION_NOT_ALLOWED);
    free(b);

    /* section 4's ServerHello with the HRR random is an HRR carrying pre_shared_key */
    (void)test_rfc_msg(4, SH_STEP, 0, "ServerHello", LC_MT_SERVER_HELLO, &len, &m);
    b = test_dup(m.body, m.length);
    memcpy(b + 2, lc_hrr_random, LC_RANDOM_LEN);
    CHECK(lc_server_hello_is_hrr(b, m.length));
    CHECK_RC(decode_sh(b, m.length), LC_E_EXTENSION_NOT_ALLOWED);
    free(b);

    /* too short to hold a random: not an HRR, and the decoder says why */
    CHECK(!lc_server_hello_is_hrr(lc_hrr_random, LC_RANDOM_LEN));
    CHECK_RC(decode_sh(lc_hrr_random, LC_RANDOM_LEN), LC_E_DECODE);
}

/* RFC 8446 4.1.3: legacy_compression_method "MUST have the value 0". */
static void test_compression_method(void)
{
    size_t len;
    lc_msg m;
    uint8_t *b;

    (void)test_rfc_msg(3, SH_STEP, 0, "ServerHello", LC_MT_SERVER_HELLO, &len, &m);
    CHECK_OK(decode_sh(m.body, m.length));
    b = test_dup(m.body, m.length);
    b[extensions_at(&sh) - 1] = 0x01;
    CHECK_RC(decode_sh(b, m.length), LC_E_ILLEGAL_PARAMETER);
    b[extensions_at(&sh) - 1] = 0xff;
    CHECK_RC(decode_sh(b, m.length), LC_E_ILLEGAL_PARAMETER);
    free(b);
}

static void test_bad_lengths_and_extensions(void)
{
    size_t len;
    lc_msg m;
    uint8_t *b;
    size_t ext_at;

    (void)test_rfc_msg(3, SH_STEP, 0, "ServerHello", LC_MT_SERVER_HELLO, &len, &m);
    CHECK_OK(decode_sh(m.body, m.length));
    ext_at = extensions_at(&sh);
    b = test_dup(m.body, m.length);

    /* legacy_session_id_echo<0..32> */
    b[34] = 33;
    CHECK_RC(decode_sh(b, m.length), LC_E_DECODE);
    b[34] = 0;

    /* the extensions block one byte longer, then shorter, than what is there */
    test_put16(b, ext_at, (uint16_t)(m.length - ext_at - 2 + 1));
    CHECK_RC(decode_sh(b, m.length), LC_E_DECODE);
    test_put16(b, ext_at, (uint16_t)(m.length - ext_at - 2 - 1));
    CHECK_RC(decode_sh(b, m.length), LC_E_DECODE);
    test_put16(b, ext_at, (uint16_t)(m.length - ext_at - 2));

    /* 4.2: a duplicate; and a type we do not know, which no ServerHello may answer with */
    test_put16(b, test_ext_type_at(m.body, &sh.extensions.ext[1]), LC_EXT_KEY_SHARE);
    CHECK_RC(decode_sh(b, m.length), LC_E_DUPLICATE_EXTENSION);
    test_put16(b, test_ext_type_at(m.body, &sh.extensions.ext[1]), 0xfafa);
    CHECK_RC(decode_sh(b, m.length), LC_E_UNSOLICITED_EXTENSION);
    free(b);

    /* extensions<6..2^16-1>: a 4-byte block is too short; no block at all is an older hello */
    {
        uint8_t body[128];
        size_t n = test_hex("0303 1111111111111111111111111111111111111111111111111111111111111111"
                            "00 1301 00",
                            body, sizeof(body));
        uint8_t want[128] = { LC_MT_SERVER_HELLO, 0x00, 0x00, (uint8_t)n };

        memcpy(want + 4, body, n);
        CHECK_OK(decode_sh(body, n));
        CHECK(sh.extensions.count == 0 && !sh.is_hrr);
        test_check_encode(encode_sh, want, n + 4);
        n += test_hex("0004 002b 0000", body + n, sizeof(body) - n);
        CHECK_RC(decode_sh(body, n), LC_E_DECODE);
    }
}

/* RFC 8446 4.1.3: the special values, byte for byte, and the sentinel check. */
static void test_special_randoms(void)
{
    uint8_t want[LC_RANDOM_LEN];
    uint8_t random[LC_RANDOM_LEN];

    test_hex("CF 21 AD 74 E5 9A 61 11 BE 1D 8C 02 1E 65 B8 91"
             "C2 A2 11 16 7A BB 8C 5E 07 9E 09 E2 C8 A8 33 9C",
             want, sizeof(want));
    CHECK_MEM(lc_hrr_random, LC_RANDOM_LEN, want, LC_RANDOM_LEN);
    test_hex("44 4F 57 4E 47 52 44 01", want, sizeof(want));
    CHECK_MEM(lc_downgrade_tls12, LC_DOWNGRADE_LEN, want, 8);
    test_hex("44 4F 57 4E 47 52 44 00", want, sizeof(want));
    CHECK_MEM(lc_downgrade_tls11, LC_DOWNGRADE_LEN, want, 8);

    memset(random, 0x5a, sizeof(random));
    CHECK(lc_random_downgrade(random) == LC_DOWNGRADE_NONE);
    CHECK(!lc_random_is_hrr(random));
    memcpy(random + LC_RANDOM_LEN - LC_DOWNGRADE_LEN, lc_downgrade_tls12, LC_DOWNGRADE_LEN);
    CHECK(lc_random_downgrade(random) == LC_DOWNGRADE_TLS12);
    memcpy(random + LC_RANDOM_LEN - LC_DOWNGRADE_LEN, lc_downgrade_tls11, LC_DOWNGRADE_LEN);
    CHECK(lc_random_downgrade(random) == LC_DOWNGRADE_TLS11);
    /* only the last 8 bytes count */
    memcpy(random, lc_downgrade_tls12, LC_DOWNGRADE_LEN);
    random[LC_RANDOM_LEN - 1] = 0x02;
    CHECK(lc_random_downgrade(random) == LC_DOWNGRADE_NONE);
}

/* The encoder refuses an is_hrr flag that disagrees with the random, and long session ids. */
static void test_encode_bad_arguments(void)
{
    uint8_t out[256];
    lc_writer w;
    size_t len;
    lc_msg m;

    (void)test_rfc_msg(3, SH_STEP, 0, "ServerHello", LC_MT_SERVER_HELLO, &len, &m);
    CHECK_OK(decode_sh(m.body, m.length));

    sh.is_hrr = true;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_server_hello_encode(&w, &sh), LC_E_BAD_ARGUMENT);
    memcpy(sh.random, lc_hrr_random, LC_RANDOM_LEN);
    lc_writer_init(&w, out, sizeof(out));
    CHECK_OK(lc_server_hello_encode(&w, &sh));
    sh.is_hrr = false;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_server_hello_encode(&w, &sh), LC_E_BAD_ARGUMENT);

    CHECK_OK(decode_sh(m.body, m.length));
    sh.legacy_session_id_echo_len = LC_SESSION_ID_MAX + 1;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_server_hello_encode(&w, &sh), LC_E_BAD_ARGUMENT);
}

TEST_MAIN(test_rfc8448_simple, test_rfc8448_all, test_rfc8448_hrr, test_context_follows_random,
          test_compression_method, test_bad_lengths_and_extensions, test_special_randoms,
          test_encode_bad_arguments)
