/*
 * Tests for src/msg/client_hello.c: every ClientHello of RFC 8448 decodes and
 * re-encodes byte for byte; cut, lengthened and altered copies fail with the
 * exact code (RFC 8446 4.1.2).
 */
#include "test.h"

#include "msg/client_hello.h"
#include "msg_test_util.h"

#define CH_STEP "{client} construct a ClientHello handshake message"

static lc_client_hello ch; /* static: a ClientHello struct is about 2 KiB */

static int decode_ch(const uint8_t *body, size_t n)
{
    lc_reader r;

    lc_reader_init(&r, body, n);
    return lc_client_hello_decode(&r, &ch);
}

static int encode_ch(lc_writer *w)
{
    return lc_client_hello_encode(w, &ch);
}

/* The body offset just past legacy_compression_methods: where the extensions block starts. */
static size_t extensions_at(const lc_client_hello *c)
{
    return 2 + LC_RANDOM_LEN + 1 + c->legacy_session_id_len + 2 + 2 * c->cipher_suites_count +
           1 + c->legacy_compression_methods_len;
}

static void test_rfc8448_simple(void)
{
    static const uint16_t want_types[] = {
        LC_EXT_SERVER_NAME,          LC_EXT_RENEGOTIATION_INFO,     LC_EXT_SUPPORTED_GROUPS,
        LC_EXT_SESSION_TICKET,       LC_EXT_KEY_SHARE,              LC_EXT_SUPPORTED_VERSIONS,
        LC_EXT_SIGNATURE_ALGORITHMS, LC_EXT_PSK_KEY_EXCHANGE_MODES, LC_EXT_RECORD_SIZE_LIMIT,
    };
    const uint8_t want_random_head[] = { 0xcb, 0x34, 0xec, 0xb1 };
    size_t len;
    lc_msg m;
    const uint8_t *msg = test_rfc_msg(3, CH_STEP, 0, "ClientHello", LC_MT_CLIENT_HELLO, &len, &m);
    const lc_ext *sv;

    CHECK(m.length == 192);
    CHECK_OK(decode_ch(m.body, m.length));
    CHECK(ch.legacy_version == 0x0303);
    CHECK_MEM(ch.random, 4, want_random_head, 4);
    CHECK(ch.legacy_session_id_len == 0);
    CHECK(ch.cipher_suites_count == 3);
    CHECK(ch.cipher_suites[0] == 0x1301 && ch.cipher_suites[1] == 0x1303 &&
          ch.cipher_suites[2] == 0x1302);
    CHECK(ch.legacy_compression_methods_len == 1 && ch.legacy_compression_methods[0] == 0);
    CHECK(lc_client_hello_null_compression(&ch));
    CHECK(ch.extensions.count == LC_ARRAY_LEN(want_types));
    for (size_t i = 0; i < ch.extensions.count && i < LC_ARRAY_LEN(want_types); i++) {
        CHECK(ch.extensions.ext[i].type == want_types[i]);
    }
    /* supported_versions: a view into the message, 02 03 04 */
    sv = lc_ext_find(&ch.extensions, LC_EXT_SUPPORTED_VERSIONS);
    CHECK(sv != NULL && sv->len == 3 && sv->body[0] == 2 && sv->body[1] == 0x03 &&
          sv->body[2] == 0x04);

    test_check_encode(encode_ch, msg, len);
    test_check_prefixes(decode_ch, m.body, m.length, extensions_at(&ch));
    test_check_trailing(decode_ch, m.body, m.length);
}

/* Every ClientHello in RFC 8448 round-trips: PSK resumption, HRR's pair, compatibility mode. */
static void test_rfc8448_all(void)
{
    /*
     * Section 4 prints its ClientHello before the PSK binder is filled in (the
     * "ClientHello" field stops before the binders); the whole message is the
     * payload of the first record the client sends.
     */
    static const struct {
        int section;
        const char *step;
        int nth;
        const char *field;
        size_t session_id_len;
    } cases[] = {
        { 3, CH_STEP, 0, "ClientHello", 0 },
        { 4, "{client} send handshake record", 0, "payload", 0 },
        { 5, CH_STEP, 0, "ClientHello", 0 },
        { 5, CH_STEP, 1, "ClientHello", 0 },
        { 6, CH_STEP, 0, "ClientHello", 0 },
        { 7, CH_STEP, 0, "ClientHello", 32 },
    };

    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        size_t len;
        lc_msg m;
        const uint8_t *msg = test_rfc_msg(cases[i].section, cases[i].step, cases[i].nth,
                                          cases[i].field, LC_MT_CLIENT_HELLO, &len, &m);

        CHECK_OK(decode_ch(m.body, m.length));
        CHECK(ch.legacy_session_id_len == cases[i].session_id_len);
        test_check_encode(encode_ch, msg, len);
        test_check_prefixes(decode_ch, m.body, m.length, extensions_at(&ch));
    }
}

/* RFC 8446 4.2.11: section 4's ClientHello offers a PSK, and pre_shared_key comes last. */
static void test_rfc8448_psk_last(void)
{
    size_t len;
    lc_msg m;

    const uint8_t *prefix;
    size_t prefix_len;
    lc_msg pm;
    bool complete = true;

    (void)test_rfc_msg(4, "{client} send handshake record", 0, "payload", LC_MT_CLIENT_HELLO,
                       &len, &m);
    CHECK(len == 512);
    CHECK_OK(decode_ch(m.body, m.length));
    CHECK(ch.extensions.count > 0 &&
          ch.extensions.ext[ch.extensions.count - 1].type == LC_EXT_PRE_SHARED_KEY);
    CHECK(lc_ext_find(&ch.extensions, LC_EXT_EARLY_DATA) != NULL);

    /*
     * RFC 8446 4.2.11.2: the binder is computed over the ClientHello up to the
     * binders list; that prefix (the RFC prints it) is not a whole message.
     */
    prefix = rfc8448_get(4, "{client} calculate PSK binder", 0, "ClientHello prefix",
                         &prefix_len);
    CHECK(prefix_len == 477);
    CHECK_OK(lc_msg_frame(prefix, prefix_len, LC_MSG_LENGTH_MAX, &pm, &complete));
    CHECK(!complete && pm.total == 512);
}

/*
 * RFC 8446 4.1.2: a ClientHello with no bytes after the compression methods is
 * a valid older hello. It decodes with no extensions (the handshake refuses it),
 * and encodes back without an extensions block.
 */
static void test_no_extensions_block(void)
{
    /* legacy_version 0x0303, random 00.., no session id, one suite, null compression */
    uint8_t body[128];
    size_t n = test_hex("0303 0000000000000000000000000000000000000000000000000000000000000000"
                        "00 0002 c02f 0100",
                        body, sizeof(body));
    uint8_t want[128] = { LC_MT_CLIENT_HELLO, 0x00, 0x00, (uint8_t)n };

    memcpy(want + 4, body, n);
    CHECK_OK(decode_ch(body, n));
    CHECK(ch.extensions.count == 0);
    CHECK(ch.cipher_suites_count == 1 && ch.cipher_suites[0] == 0xc02f);
    test_check_encode(encode_ch, want, n + 4);

    /* an extensions block that is present must still be a whole, valid one */
    body[n] = 0x00;
    CHECK_RC(decode_ch(body, n + 1), LC_E_DECODE);
}

/* Each vector's <min..max> (RFC 8446 4.1.2), on altered copies of section 3's ClientHello. */
static void test_bad_lengths(void)
{
    size_t len;
    lc_msg m;
    uint8_t *b;
    size_t ext_at;

    (void)test_rfc_msg(3, CH_STEP, 0, "ClientHello", LC_MT_CLIENT_HELLO, &len, &m);
    CHECK_OK(decode_ch(m.body, m.length));
    ext_at = extensions_at(&ch);
    b = test_dup(m.body, m.length);

    /* legacy_session_id<0..32>: 33 is too long even with the bytes there */
    b[34] = 33;
    CHECK_RC(decode_ch(b, m.length), LC_E_DECODE);
    b[34] = 0;

    /* cipher_suites<2..2^16-2>: empty, and an odd length */
    test_put16(b, 35, 0);
    CHECK_RC(decode_ch(b, m.length), LC_E_DECODE);
    test_put16(b, 35, 5);
    CHECK_RC(decode_ch(b, m.length), LC_E_DECODE);
    test_put16(b, 35, 6);

    /* legacy_compression_methods<1..2^8-1>: empty */
    b[ext_at - 2] = 0;
    CHECK_RC(decode_ch(b, m.length), LC_E_DECODE);
    b[ext_at - 2] = 1;

    /* extensions: one byte longer than what follows, and one byte shorter */
    test_put16(b, ext_at, (uint16_t)(m.length - ext_at - 2 + 1));
    CHECK_RC(decode_ch(b, m.length), LC_E_DECODE);
    test_put16(b, ext_at, (uint16_t)(m.length - ext_at - 2 - 1));
    CHECK_RC(decode_ch(b, m.length), LC_E_DECODE);
    test_put16(b, ext_at, (uint16_t)(m.length - ext_at - 2));
    CHECK_OK(decode_ch(b, m.length));
    free(b);

    /* extensions<8..2^16-1>: a 4-byte block is too short, an 8-byte one is fine */
    {
        uint8_t body[128];
        size_t n = test_hex("0303 0000000000000000000000000000000000000000000000000000000000000000"
                            "00 0002 1301 0100",
                            body, sizeof(body));
        size_t n4 = n + test_hex("0004 fafa 0000", body + n, sizeof(body) - n);
        CHECK_RC(decode_ch(body, n4), LC_E_DECODE);
        n += test_hex("0008 fafa 0000 1a1a 0000", body + n, sizeof(body) - n);
        /* unknown types (here GREASE values) are kept: a server ignores them (4.1.2) */
        CHECK_OK(decode_ch(body, n));
        CHECK(ch.extensions.count == 2 && ch.extensions.ext[1].type == 0x1a1a);
    }
}

/* The extension rules of RFC 8446 4.2, as lc_ext_list_decode applies them to a ClientHello. */
static void test_extension_rules(void)
{
    size_t len;
    lc_msg m;
    uint8_t *b;

    (void)test_rfc_msg(3, CH_STEP, 0, "ClientHello", LC_MT_CLIENT_HELLO, &len, &m);
    CHECK_OK(decode_ch(m.body, m.length));
    b = test_dup(m.body, m.length);

    /* 4.2: the second extension given the first one's type */
    test_put16(b, test_ext_type_at(m.body, &ch.extensions.ext[1]), ch.extensions.ext[0].type);
    CHECK_RC(decode_ch(b, m.length), LC_E_DUPLICATE_EXTENSION);
    memcpy(b, m.body, m.length);

    /* 4.2.11: pre_shared_key anywhere but last */
    CHECK_OK(decode_ch(b, m.length));
    test_put16(b, test_ext_type_at(b, &ch.extensions.ext[0]), LC_EXT_PRE_SHARED_KEY);
    CHECK_RC(decode_ch(b, m.length), LC_E_PSK_NOT_LAST);
    memcpy(b, m.body, m.length);

    /* 4.2: oid_filters belongs to CertificateRequest only */
    CHECK_OK(decode_ch(b, m.length));
    test_put16(b, test_ext_type_at(b, &ch.extensions.ext[0]), LC_EXT_OID_FILTERS);
    CHECK_RC(decode_ch(b, m.length), LC_E_EXTENSION_NOT_ALLOWED);
    free(b);
}

/* A legacy_version other than 0x0303 and a non-null compression list still decode. */
static void test_values_left_to_the_handshake(void)
{
    uint8_t body[128];
    size_t n = test_hex("0301 0000000000000000000000000000000000000000000000000000000000000000"
                        "00 0002 002f 020100",
                        body, sizeof(body));

    CHECK_OK(decode_ch(body, n));
    CHECK(ch.legacy_version == 0x0301);
    CHECK(ch.legacy_compression_methods_len == 2);
    CHECK(!lc_client_hello_null_compression(&ch));
}

/* More suites than LC_CH_MAX_CIPHER_SUITES: the list parses whole, the first ones are kept. */
static void test_many_suites(void)
{
    const uint8_t null_compression[] = { 0 };
    size_t count = LC_CH_MAX_CIPHER_SUITES + 44;
    uint8_t *body = malloc(64 + 2 * count);
    lc_writer w;
    lc_vec_mark v;

    if (body == NULL) {
        abort();
    }
    lc_writer_init(&w, body, 64 + 2 * count);
    lc_write_u16(&w, 0x0303);
    for (size_t i = 0; i < LC_RANDOM_LEN; i++) {
        lc_write_u8(&w, (uint8_t)i);
    }
    lc_write_u8(&w, 0);
    v = lc_write_vec_begin(&w, 2);
    for (size_t i = 0; i < count; i++) {
        lc_write_u16(&w, (uint16_t)(0x1000 + i));
    }
    lc_write_vec_end(&w, v);
    lc_write_vec(&w, 1, null_compression, sizeof(null_compression));
    CHECK_OK(lc_writer_finish(&w));
    CHECK_OK(decode_ch(body, w.len));
    CHECK(ch.cipher_suites_count == LC_CH_MAX_CIPHER_SUITES);
    CHECK(ch.cipher_suites[LC_CH_MAX_CIPHER_SUITES - 1] == 0x1000 + LC_CH_MAX_CIPHER_SUITES - 1);
    free(body);
}

/* The encoder refuses what the decoder would refuse. */
static void test_encode_bad_arguments(void)
{
    uint8_t out[512];
    lc_writer w;
    size_t len;
    lc_msg m;

    (void)test_rfc_msg(3, CH_STEP, 0, "ClientHello", LC_MT_CLIENT_HELLO, &len, &m);
    CHECK_OK(decode_ch(m.body, m.length));

    ch.legacy_session_id_len = LC_SESSION_ID_MAX + 1;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_client_hello_encode(&w, &ch), LC_E_BAD_ARGUMENT);
    ch.legacy_session_id_len = 0;

    ch.cipher_suites_count = 0;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_client_hello_encode(&w, &ch), LC_E_BAD_ARGUMENT);
    ch.cipher_suites_count = 3;

    ch.legacy_compression_methods_len = 0;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_client_hello_encode(&w, &ch), LC_E_BAD_ARGUMENT);
    ch.legacy_compression_methods_len = 1;

    /* extensions<8..2^16-1>: one empty extension is a 4-byte block */
    ch.extensions.count = 1;
    ch.extensions.ext[0].len = 0;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_client_hello_encode(&w, &ch), LC_E_BAD_ARGUMENT);
}

TEST_MAIN(test_rfc8448_simple, test_rfc8448_all, test_rfc8448_psk_last, test_no_extensions_block,
          test_bad_lengths, test_extension_rules, test_values_left_to_the_handshake,
          test_many_suites, test_encode_bad_arguments)
