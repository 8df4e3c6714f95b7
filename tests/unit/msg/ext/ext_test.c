/*
 * Tests for src/msg/ext/ext.c: the extension table and lc_ext_list_decode's
 * rules (RFC 8446 4.2), on the RFC 8448 messages and on hand-made blocks.
 */
#include "ext_test_util.h"

/* Decodes a hex extension block for a message of kind `where`. */
static int decode_hex(const char *hex, size_t min, unsigned where, lc_ext_list *out)
{
    static uint8_t buf[4096];
    size_t n = test_hex(hex, buf, sizeof(buf));
    lc_reader r;

    lc_reader_init(&r, buf, n);
    return lc_ext_list_decode(&r, min, where, out);
}

static void test_rfc8448_client_hello(void)
{
    static const uint16_t want[] = {
        LC_EXT_SERVER_NAME,        LC_EXT_RENEGOTIATION_INFO,   LC_EXT_SUPPORTED_GROUPS,
        LC_EXT_SESSION_TICKET,     LC_EXT_KEY_SHARE,            LC_EXT_SUPPORTED_VERSIONS,
        LC_EXT_SIGNATURE_ALGORITHMS, LC_EXT_PSK_KEY_EXCHANGE_MODES, LC_EXT_RECORD_SIZE_LIMIT,
    };
    lc_ext_list list;
    lc_ext_view block;
    uint8_t buf[512];
    lc_writer w;

    ext_rfc_list(3, EXT_CH, 0, "ClientHello", LC_EXT_IN_CH, &list, &block);
    CHECK(list.count == LC_ARRAY_LEN(want));
    for (size_t i = 0; i < list.count && i < LC_ARRAY_LEN(want); i++) {
        CHECK(list.ext[i].type == want[i]);
    }
    /* server_name "server": 00 09 00 00 06 's' 'e' 'r' 'v' 'e' 'r' */
    CHECK(lc_ext_find(&list, LC_EXT_SERVER_NAME)->len == 11);
    CHECK(lc_ext_find(&list, LC_EXT_SESSION_TICKET)->len == 0);
    CHECK(lc_ext_find(&list, LC_EXT_PRE_SHARED_KEY) == NULL);

    /* decode, encode, same bytes */
    lc_writer_init(&w, buf, sizeof(buf));
    lc_ext_list_encode(&w, &list);
    CHECK_OK(lc_writer_finish(&w));
    CHECK_MEM(buf, w.len, block.p, block.len);
}

/* Every extension block in RFC 8448 decodes for its message and re-encodes to the same bytes. */
static void test_rfc8448_all_messages(void)
{
    static const struct {
        int section;
        const char *step;
        int nth;
        const char *field;
        unsigned where;
        size_t count;
    } msgs[] = {
        { 3, EXT_SH, 0, "ServerHello", LC_EXT_IN_SH, 2 },
        { 3, EXT_EE, 0, "EncryptedExtensions", LC_EXT_IN_EE, 3 },
        { 3, EXT_NST, 0, "NewSessionTicket", LC_EXT_IN_NST, 1 },
        { 4, EXT_CH4, 0, "payload", LC_EXT_IN_CH, 11 },
        { 4, EXT_SH, 0, "ServerHello", LC_EXT_IN_SH, 3 },
        { 4, EXT_EE, 0, "EncryptedExtensions", LC_EXT_IN_EE, 4 },
        { 5, EXT_CH, 0, "ClientHello", LC_EXT_IN_CH, 8 },
        { 5, EXT_SH, 0, "ServerHello", LC_EXT_IN_HRR, 3 }, /* the HelloRetryRequest */
        { 5, EXT_CH, 1, "ClientHello", LC_EXT_IN_CH, 10 },
        { 5, EXT_SH, 1, "ServerHello", LC_EXT_IN_SH, 2 },
        { 6, EXT_CR, 0, "CertificateRequest", LC_EXT_IN_CR, 1 },
        { 7, EXT_CH, 0, "ClientHello", LC_EXT_IN_CH, 8 },
    };

    for (size_t i = 0; i < LC_ARRAY_LEN(msgs); i++) {
        lc_ext_list list;
        lc_ext_view block;
        uint8_t buf[1024];
        lc_writer w;

        ext_rfc_list(msgs[i].section, msgs[i].step, msgs[i].nth, msgs[i].field, msgs[i].where,
                     &list, &block);
        if (list.count != msgs[i].count) {
            fprintf(stderr, "  message %zu: %zu extensions\n", i, list.count);
        }
        CHECK(list.count == msgs[i].count);
        lc_writer_init(&w, buf, sizeof(buf));
        lc_ext_list_encode(&w, &list);
        CHECK_OK(lc_writer_finish(&w));
        CHECK_MEM(buf, w.len, block.p, block.len);
    }
}

static void test_pre_shared_key_is_last(void)
{
    lc_ext_list list;
    lc_ext_view block;

    /* section 4's ClientHello carries early_data and padding, and ends with pre_shared_key */
    ext_rfc_list(4, EXT_CH4, 0, "payload", LC_EXT_IN_CH, &list, &block);
    CHECK(list.ext[list.count - 1].type == LC_EXT_PRE_SHARED_KEY);
    CHECK(lc_ext_find(&list, LC_EXT_EARLY_DATA) != NULL);
    CHECK(lc_ext_find(&list, LC_EXT_PADDING) != NULL);
}

static void test_duplicate(void)
{
    lc_ext_list list;

    /* supported_versions twice in a ClientHello */
    CHECK_RC(decode_hex("000e 002b 0003 020304 002b 0003 020304", 0, LC_EXT_IN_CH, &list),
             LC_E_DUPLICATE_EXTENSION);
    /* an unknown type twice in a ClientHello: duplicates are refused before "unknown" */
    CHECK_RC(decode_hex("000c fafa 0000 0001 0000 fafa 0000", 0, LC_EXT_IN_CH, &list),
             LC_E_DUPLICATE_EXTENSION);
    CHECK(lc_err_alert(LC_E_DUPLICATE_EXTENSION) == LC_ALERT_ILLEGAL_PARAMETER);
}

static void test_not_allowed(void)
{
    lc_ext_list list;
    lc_ext_view block;

    /* key_share in EncryptedExtensions: 4.2 says illegal_parameter */
    CHECK_RC(decode_hex("0008 0033 0004 0017 0000", 0, LC_EXT_IN_EE, &list),
             LC_E_EXTENSION_NOT_ALLOWED);
    CHECK(lc_err_alert(LC_E_EXTENSION_NOT_ALLOWED) == LC_ALERT_ILLEGAL_PARAMETER);
    /* psk_key_exchange_modes from a server; oid_filters from a client */
    CHECK_RC(decode_hex("0006 002d 0002 0101", 6, LC_EXT_IN_SH, &list),
             LC_E_EXTENSION_NOT_ALLOWED);
    CHECK_RC(decode_hex("0004 0030 0000", 0, LC_EXT_IN_CH, &list), LC_E_EXTENSION_NOT_ALLOWED);
    /* a TLS 1.2 extension answered in a TLS 1.3 ServerHello */
    CHECK_RC(decode_hex("0005 ff01 0001 00", 0, LC_EXT_IN_SH, &list),
             LC_E_EXTENSION_NOT_ALLOWED);
    /* cookie is for HelloRetryRequest, not ServerHello */
    CHECK_RC(decode_hex("0007 002c 0003 000101", 0, LC_EXT_IN_SH, &list),
             LC_E_EXTENSION_NOT_ALLOWED);
    /* RFC 8448's HelloRetryRequest carries a cookie: fine there */
    ext_rfc_list(5, EXT_SH, 0, "ServerHello", LC_EXT_IN_HRR, &list, &block);
    CHECK(lc_ext_find(&list, LC_EXT_COOKIE) != NULL);
}

static void test_unknown(void)
{
    static const unsigned refused[] = { LC_EXT_IN_SH, LC_EXT_IN_HRR, LC_EXT_IN_EE, LC_EXT_IN_CT };
    static const unsigned kept[] = { LC_EXT_IN_CH, LC_EXT_IN_CR, LC_EXT_IN_NST };
    const char *block = "0008 1234 0004 deadbeef"; /* type 0x1234, unknown */
    lc_ext_list list;

    for (size_t i = 0; i < LC_ARRAY_LEN(refused); i++) {
        CHECK_RC(decode_hex(block, 0, refused[i], &list), LC_E_UNSOLICITED_EXTENSION);
    }
    CHECK(lc_err_alert(LC_E_UNSOLICITED_EXTENSION) == LC_ALERT_UNSUPPORTED_EXTENSION);
    for (size_t i = 0; i < LC_ARRAY_LEN(kept); i++) {
        CHECK_OK(decode_hex(block, 0, kept[i], &list));
        CHECK(list.count == 1 && list.ext[0].type == 0x1234 && list.ext[0].len == 4);
        CHECK(list.ext[0].body[0] == 0xde && list.ext[0].body[3] == 0xef);
    }
}

static void test_psk_not_last(void)
{
    lc_ext_list list;

    /* pre_shared_key, then supported_versions, in a ClientHello */
    CHECK_RC(decode_hex("000d 0029 0002 0000 002b 0003 020304", 0, LC_EXT_IN_CH, &list),
             LC_E_PSK_NOT_LAST);
    /* ... followed by an unknown extension: still refused (kept, but after the PSK) */
    CHECK_RC(decode_hex("000a 0029 0002 0000 fafa 0000", 0, LC_EXT_IN_CH, &list),
             LC_E_PSK_NOT_LAST);
    CHECK(lc_err_alert(LC_E_PSK_NOT_LAST) == LC_ALERT_ILLEGAL_PARAMETER);
    /* the order of checks: a second pre_shared_key is a duplicate first */
    CHECK_RC(decode_hex("000c 0029 0002 0000 0029 0002 0000", 0, LC_EXT_IN_CH, &list),
             LC_E_DUPLICATE_EXTENSION);
    /* ... and a not-allowed type after it is not-allowed first */
    CHECK_RC(decode_hex("000a 0029 0002 0000 0030 0000", 0, LC_EXT_IN_CH, &list),
             LC_E_EXTENSION_NOT_ALLOWED);
    /* 4.2: it "can appear anywhere in the ServerHello extensions block" */
    CHECK_OK(decode_hex("000c 0029 0002 0000 002b 0002 0304", 6, LC_EXT_IN_SH, &list));
    CHECK(list.count == 2);
}

/* A block of n empty extensions of distinct unknown types, as a ClientHello may carry. */
static size_t many(uint8_t *buf, size_t cap, size_t n)
{
    lc_writer w;
    lc_vec_mark m;

    lc_writer_init(&w, buf, cap);
    m = lc_write_vec_begin(&w, 2);
    for (size_t i = 0; i < n; i++) {
        lc_write_u16(&w, (uint16_t)(0x7000 + i));
        lc_write_u16(&w, 0);
    }
    lc_write_vec_end(&w, m);
    CHECK_OK(lc_writer_finish(&w));
    return w.len;
}

static void test_too_many(void)
{
    uint8_t buf[2 + 4 * (LC_EXT_LIST_MAX + 1)];
    lc_ext_list list;
    lc_reader r;
    size_t n;

    n = many(buf, sizeof(buf), LC_EXT_LIST_MAX);
    lc_reader_init(&r, buf, n);
    CHECK_OK(lc_ext_list_decode(&r, 8, LC_EXT_IN_CH, &list));
    CHECK(list.count == LC_EXT_LIST_MAX);

    n = many(buf, sizeof(buf), LC_EXT_LIST_MAX + 1);
    lc_reader_init(&r, buf, n);
    CHECK_RC(lc_ext_list_decode(&r, 8, LC_EXT_IN_CH, &list), LC_E_DECODE);
}

static void test_lengths(void)
{
    lc_ext_list list;

    /* the list says 6 bytes but its one entry needs 7: the entry runs past the list */
    CHECK_RC(decode_hex("0006 002b 0003 020304", 0, LC_EXT_IN_CH, &list), LC_E_DECODE);
    /* the list says 8 bytes: its 7-byte entry and one stray byte, a cut-short entry */
    CHECK_RC(decode_hex("0008 002b 0003 020304 00", 0, LC_EXT_IN_CH, &list), LC_E_DECODE);
    /* the list says 8 bytes but the message ends after 7 */
    CHECK_RC(decode_hex("0008 002b 0003 020304", 0, LC_EXT_IN_CH, &list), LC_E_DECODE);
    /* a body length past the list's end */
    CHECK_RC(decode_hex("0007 002b 0005 020304", 0, LC_EXT_IN_CH, &list), LC_E_DECODE);
    /* below the message's minimum: ClientHello's block is <8..2^16-1> */
    CHECK_RC(decode_hex("0004 0031 0000", 8, LC_EXT_IN_CH, &list), LC_E_DECODE);
    /* an empty block where the minimum is 0 (EncryptedExtensions) */
    CHECK_OK(decode_hex("0000", 0, LC_EXT_IN_EE, &list));
    CHECK(list.count == 0);
    /* no length at all */
    CHECK_RC(decode_hex("00", 0, LC_EXT_IN_EE, &list), LC_E_DECODE);
}

static void test_decoder_leaves_rest(void)
{
    uint8_t buf[16];
    size_t n = test_hex("0004 0031 0000 ff", buf, sizeof(buf));
    lc_ext_list list;
    lc_reader r;

    /* the block is decoded; what follows it is the message decoder's business */
    lc_reader_init(&r, buf, n);
    CHECK_OK(lc_ext_list_decode(&r, 0, LC_EXT_IN_CH, &list));
    CHECK(lc_reader_left(&r) == 1);
}

/* The 4.2 table, row by row. */
static void test_table(void)
{
    static const struct {
        uint16_t type;
        unsigned where;
    } rows[] = {
        { LC_EXT_SERVER_NAME, LC_EXT_IN_CH | LC_EXT_IN_EE },
        { LC_EXT_MAX_FRAGMENT_LENGTH, LC_EXT_IN_CH | LC_EXT_IN_EE },
        { LC_EXT_STATUS_REQUEST, LC_EXT_IN_CH | LC_EXT_IN_CR | LC_EXT_IN_CT },
        { LC_EXT_SUPPORTED_GROUPS, LC_EXT_IN_CH | LC_EXT_IN_EE },
        { LC_EXT_SIGNATURE_ALGORITHMS, LC_EXT_IN_CH | LC_EXT_IN_CR },
        { LC_EXT_USE_SRTP, LC_EXT_IN_CH | LC_EXT_IN_EE },
        { LC_EXT_HEARTBEAT, LC_EXT_IN_CH | LC_EXT_IN_EE },
        { LC_EXT_ALPN, LC_EXT_IN_CH | LC_EXT_IN_EE },
        { LC_EXT_SIGNED_CERTIFICATE_TIMESTAMP, LC_EXT_IN_CH | LC_EXT_IN_CR | LC_EXT_IN_CT },
        { LC_EXT_CLIENT_CERTIFICATE_TYPE, LC_EXT_IN_CH | LC_EXT_IN_EE },
        { LC_EXT_SERVER_CERTIFICATE_TYPE, LC_EXT_IN_CH | LC_EXT_IN_EE },
        { LC_EXT_PADDING, LC_EXT_IN_CH },
        { LC_EXT_KEY_SHARE, LC_EXT_IN_CH | LC_EXT_IN_SH | LC_EXT_IN_HRR },
        { LC_EXT_PRE_SHARED_KEY, LC_EXT_IN_CH | LC_EXT_IN_SH },
        { LC_EXT_PSK_KEY_EXCHANGE_MODES, LC_EXT_IN_CH },
        { LC_EXT_EARLY_DATA, LC_EXT_IN_CH | LC_EXT_IN_EE | LC_EXT_IN_NST },
        { LC_EXT_COOKIE, LC_EXT_IN_CH | LC_EXT_IN_HRR },
        { LC_EXT_SUPPORTED_VERSIONS, LC_EXT_IN_CH | LC_EXT_IN_SH | LC_EXT_IN_HRR },
        { LC_EXT_CERTIFICATE_AUTHORITIES, LC_EXT_IN_CH | LC_EXT_IN_CR },
        { LC_EXT_OID_FILTERS, LC_EXT_IN_CR },
        { LC_EXT_POST_HANDSHAKE_AUTH, LC_EXT_IN_CH },
        { LC_EXT_SIGNATURE_ALGORITHMS_CERT, LC_EXT_IN_CH | LC_EXT_IN_CR },
        /* outside 8446's table */
        { LC_EXT_COMPRESS_CERTIFICATE, LC_EXT_IN_CH | LC_EXT_IN_CR },
        { LC_EXT_RECORD_SIZE_LIMIT, LC_EXT_IN_CH | LC_EXT_IN_EE },
        { LC_EXT_EC_POINT_FORMATS, LC_EXT_IN_CH },
        { LC_EXT_ENCRYPT_THEN_MAC, LC_EXT_IN_CH },
        { LC_EXT_EXTENDED_MASTER_SECRET, LC_EXT_IN_CH },
        { LC_EXT_SESSION_TICKET, LC_EXT_IN_CH },
        { LC_EXT_RENEGOTIATION_INFO, LC_EXT_IN_CH },
    };
    size_t known = 0;

    for (size_t i = 0; i < LC_ARRAY_LEN(rows); i++) {
        for (unsigned bit = LC_EXT_IN_CH; bit <= LC_EXT_IN_NST; bit <<= 1) {
            if (lc_ext_allowed(rows[i].type, bit) != ((rows[i].where & bit) != 0)) {
                fprintf(stderr, "  type %u, where %u\n", rows[i].type, bit);
            }
            CHECK(lc_ext_allowed(rows[i].type, bit) == ((rows[i].where & bit) != 0));
        }
        CHECK(lc_ext_name(rows[i].type) != NULL);
    }
    /* the table holds exactly these rows */
    for (uint32_t t = 0; t <= 0xffff; t++) {
        if (lc_ext_name((uint16_t)t) != NULL) {
            known++;
        }
    }
    CHECK(known == LC_ARRAY_LEN(rows));
    CHECK(strcmp(lc_ext_name(LC_EXT_KEY_SHARE), "key_share") == 0);
    CHECK(strcmp(lc_ext_name(LC_EXT_ALPN), "application_layer_protocol_negotiation") == 0);
    CHECK(strcmp(lc_ext_name(LC_EXT_RENEGOTIATION_INFO), "renegotiation_info") == 0);
    CHECK(lc_ext_name(0x0a0a) == NULL); /* GREASE */
    CHECK(!lc_ext_allowed(0x0a0a, LC_EXT_IN_CH));
}

static void test_encode_helpers(void)
{
    uint8_t buf[32];
    const uint8_t cookie[] = { 0xaa, 0xbb };
    const uint8_t want[] = { 0x00, 0x2c, 0x00, 0x04, 0x00, 0x02, 0xaa, 0xbb };
    lc_writer w;
    lc_vec_mark m;
    lc_ext_view v;
    lc_reader r;
    lc_ext_list list = { .count = LC_EXT_LIST_MAX + 1 };

    lc_writer_init(&w, buf, sizeof(buf));
    m = lc_ext_begin(&w, LC_EXT_COOKIE);
    lc_ext_write_view(&w, 2, (lc_ext_view){ cookie, sizeof(cookie) });
    lc_ext_end(&w, m);
    CHECK_OK(lc_writer_finish(&w));
    CHECK_MEM(buf, w.len, want, sizeof(want));

    /* lc_ext_read_view reads it back, and refuses a range it does not meet */
    lc_reader_init(&r, want + 4, 4);
    CHECK_OK(lc_ext_read_view(&r, 2, 1, 0xffff, &v));
    CHECK_MEM(v.p, v.len, cookie, sizeof(cookie));
    lc_reader_init(&r, want + 4, 4);
    CHECK_RC(lc_ext_read_view(&r, 2, 3, 0xffff, &v), LC_E_DECODE);

    /* a list no decoder could make fails the writer */
    lc_writer_init(&w, buf, sizeof(buf));
    lc_ext_list_encode(&w, &list);
    CHECK_RC(lc_writer_finish(&w), LC_E_BUFFER_TOO_SMALL);
    /* and so does a list that does not fit */
    list.count = 1;
    list.ext[0] = (lc_ext){ .type = 1, .body = buf, .len = 40 };
    {
        uint8_t small[8];
        lc_writer_init(&w, small, sizeof(small));
        lc_ext_list_encode(&w, &list);
        CHECK_RC(lc_writer_finish(&w), LC_E_BUFFER_TOO_SMALL);
    }
}

TEST_MAIN(test_rfc8448_client_hello, test_rfc8448_all_messages, test_pre_shared_key_is_last,
          test_duplicate, test_not_allowed, test_unknown, test_psk_not_last, test_too_many,
          test_lengths, test_decoder_leaves_rest, test_table, test_encode_helpers)
