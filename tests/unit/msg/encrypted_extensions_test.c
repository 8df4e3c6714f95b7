/*
 * Tests for src/msg/encrypted_extensions.c: the EncryptedExtensions of RFC
 * 8448 round-trip byte for byte; the EE column of RFC 8446 4.2 is enforced.
 */
#include "test.h"

#include "msg/encrypted_extensions.h"
#include "msg_test_util.h"

#define EE_STEP "{server} construct an EncryptedExtensions handshake message"

static lc_encrypted_extensions ee;

static int decode_ee(const uint8_t *body, size_t n)
{
    lc_reader r;

    lc_reader_init(&r, body, n);
    return lc_encrypted_extensions_decode(&r, &ee);
}

static int encode_ee(lc_writer *w)
{
    return lc_encrypted_extensions_encode(w, &ee);
}

static void test_rfc8448_simple(void)
{
    size_t len;
    lc_msg m;
    const uint8_t *msg = test_rfc_msg(3, EE_STEP, 0, "EncryptedExtensions",
                                      LC_MT_ENCRYPTED_EXTENSIONS, &len, &m);
    const lc_ext *sni;

    CHECK_OK(decode_ee(m.body, m.length));
    CHECK(ee.extensions.count == 3);
    CHECK(ee.extensions.ext[0].type == LC_EXT_SUPPORTED_GROUPS);
    CHECK(ee.extensions.ext[1].type == LC_EXT_RECORD_SIZE_LIMIT);
    CHECK(ee.extensions.ext[2].type == LC_EXT_SERVER_NAME);
    /* RFC 6066 3: the server's server_name answer is empty */
    sni = lc_ext_find(&ee.extensions, LC_EXT_SERVER_NAME);
    CHECK(sni != NULL && sni->len == 0);

    test_check_encode(encode_ee, msg, len);
    test_check_prefixes(decode_ee, m.body, m.length, SIZE_MAX);
    test_check_trailing(decode_ee, m.body, m.length);
}

static void test_rfc8448_all(void)
{
    static const struct {
        int section;
        bool early_data;
    } cases[] = { { 3, false }, { 4, true }, { 5, false }, { 6, false }, { 7, false } };

    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        size_t len;
        lc_msg m;
        const uint8_t *msg = test_rfc_msg(cases[i].section, EE_STEP, 0, "EncryptedExtensions",
                                          LC_MT_ENCRYPTED_EXTENSIONS, &len, &m);

        CHECK_OK(decode_ee(m.body, m.length));
        /* RFC 8446 4.2.10: early_data in EE says the server accepted 0-RTT */
        CHECK((lc_ext_find(&ee.extensions, LC_EXT_EARLY_DATA) != NULL) == cases[i].early_data);
        test_check_encode(encode_ee, msg, len);
        test_check_prefixes(decode_ee, m.body, m.length, SIZE_MAX);
    }
}

/* extensions<0..2^16-1>: an empty list is fine, but the block itself must be there. */
static void test_empty(void)
{
    const uint8_t empty[] = { 0x00, 0x00 };
    const uint8_t want[] = { LC_MT_ENCRYPTED_EXTENSIONS, 0x00, 0x00, 0x02, 0x00, 0x00 };

    CHECK_OK(decode_ee(empty, sizeof(empty)));
    CHECK(ee.extensions.count == 0);
    test_check_encode(encode_ee, want, sizeof(want));
    CHECK_RC(decode_ee(empty, 0), LC_E_DECODE);
}

/* RFC 8446 4.2 and 4.3.1: duplicates, extensions EE may not carry, and unknown ones. */
static void test_extension_rules(void)
{
    size_t len;
    lc_msg m;
    uint8_t *b;

    (void)test_rfc_msg(3, EE_STEP, 0, "EncryptedExtensions", LC_MT_ENCRYPTED_EXTENSIONS, &len,
                       &m);
    CHECK_OK(decode_ee(m.body, m.length));
    b = test_dup(m.body, m.length);
    test_put16(b, test_ext_type_at(m.body, &ee.extensions.ext[2]), LC_EXT_SUPPORTED_GROUPS);
    CHECK_RC(decode_ee(b, m.length), LC_E_DUPLICATE_EXTENSION);
    test_put16(b, test_ext_type_at(m.body, &ee.extensions.ext[2]), LC_EXT_KEY_SHARE);
    CHECK_RC(decode_ee(b, m.length), LC_E_EXTENSION_NOT_ALLOWED);
    test_put16(b, test_ext_type_at(m.body, &ee.extensions.ext[2]), LC_EXT_SUPPORTED_VERSIONS);
    CHECK_RC(decode_ee(b, m.length), LC_E_EXTENSION_NOT_ALLOWED);
    test_put16(b, test_ext_type_at(m.body, &ee.extensions.ext[2]), 0xfafa);
    CHECK_RC(decode_ee(b, m.length), LC_E_UNSOLICITED_EXTENSION);

    /* the block's length one over, then one under, what is there */
    memcpy(b, m.body, m.length);
    test_put16(b, 0, (uint16_t)(m.length - 2 + 1));
    CHECK_RC(decode_ee(b, m.length), LC_E_DECODE);
    test_put16(b, 0, (uint16_t)(m.length - 2 - 1));
    CHECK_RC(decode_ee(b, m.length), LC_E_DECODE);
    free(b);
}

TEST_MAIN(test_rfc8448_simple, test_rfc8448_all, test_empty, test_extension_rules)
