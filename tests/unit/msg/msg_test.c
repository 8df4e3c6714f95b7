/*
 * Tests for src/msg/msg.c: type names, cutting a handshake stream into
 * messages however it arrives (RFC 8446 4, 5.1), the header writer, the
 * extensions-block writer, and message_hash (RFC 8446 4.4.1), checked against
 * the transcript hash that RFC 8448 section 5 prints after its HelloRetryRequest.
 */
#include "test.h"

#include "crypto/crypto.h"
#include "msg_test_util.h"

static void test_type_names(void)
{
    static const struct {
        uint8_t type;
        const char *name;
    } names[] = {
        { LC_MT_CLIENT_HELLO, "client_hello" },
        { LC_MT_SERVER_HELLO, "server_hello" },
        { LC_MT_NEW_SESSION_TICKET, "new_session_ticket" },
        { LC_MT_END_OF_EARLY_DATA, "end_of_early_data" },
        { LC_MT_ENCRYPTED_EXTENSIONS, "encrypted_extensions" },
        { LC_MT_CERTIFICATE, "certificate" },
        { LC_MT_CERTIFICATE_REQUEST, "certificate_request" },
        { LC_MT_CERTIFICATE_VERIFY, "certificate_verify" },
        { LC_MT_FINISHED, "finished" },
        { LC_MT_KEY_UPDATE, "key_update" },
        { LC_MT_MESSAGE_HASH, "message_hash" },
    };

    for (size_t i = 0; i < LC_ARRAY_LEN(names); i++) {
        const char *got = lc_msg_type_name(names[i].type);
        CHECK(got != NULL && strcmp(got, names[i].name) == 0);
    }
    /* 0, TLS 1.2's server_key_exchange (12), and an unassigned value */
    CHECK(lc_msg_type_name(0) == NULL);
    CHECK(lc_msg_type_name(12) == NULL);
    CHECK(lc_msg_type_name(255) == NULL);
}

/* Section 3's encrypted server flight: four messages in one record's plaintext. */
static const uint8_t *server_flight(size_t *len)
{
    return rfc8448_get(3, "{server} send handshake record", 1, "payload", len);
}

static const uint8_t flight_types[] = { LC_MT_ENCRYPTED_EXTENSIONS, LC_MT_CERTIFICATE,
                                        LC_MT_CERTIFICATE_VERIFY, LC_MT_FINISHED };
static const size_t flight_totals[] = { 40, 445, 136, 36 };

/* Several messages in one buffer: each is framed in turn, in place. */
static void test_frame_several(void)
{
    size_t len, at = 0;
    const uint8_t *flight = server_flight(&len);

    CHECK(len == 657);
    for (size_t i = 0; i < LC_ARRAY_LEN(flight_types); i++) {
        lc_msg m;
        bool complete = false;

        CHECK_OK(lc_msg_frame(flight + at, len - at, LC_MSG_LENGTH_MAX, &m, &complete));
        CHECK(complete && m.msg_type == flight_types[i] && m.total == flight_totals[i]);
        CHECK(m.length == m.total - LC_MSG_HEADER_LEN && m.body == flight + at + 4);
        at += m.total;
    }
    CHECK(at == len);
}

/*
 * The flight fed one byte at a time, as records of any size may deliver it
 * (RFC 8446 5.1): a message is reported once, when its last byte is in, and
 * until then the framer says how many bytes it waits for.
 */
static void test_frame_byte_by_byte(void)
{
    size_t len, start = 0, found = 0;
    const uint8_t *flight = server_flight(&len);

    for (size_t end = 1; end <= len; end++) {
        lc_msg m;
        bool complete = true;
        uint8_t *copy = test_dup(flight + start, end - start);

        CHECK_OK(lc_msg_frame(copy, end - start, LC_MSG_LENGTH_MAX, &m, &complete));
        if (end - start < LC_MSG_HEADER_LEN) {
            CHECK(!complete && m.total == LC_MSG_HEADER_LEN && m.body == NULL);
        } else if (!complete) {
            CHECK(found < LC_ARRAY_LEN(flight_types) && m.total == flight_totals[found]);
            CHECK(m.body == NULL && end - start < m.total);
        } else {
            CHECK(found < LC_ARRAY_LEN(flight_types) && m.msg_type == flight_types[found]);
            CHECK(m.total == end - start);
            found++;
            start = end;
        }
        free(copy);
    }
    CHECK(found == LC_ARRAY_LEN(flight_types) && start == len);
}

/* A length over the caller's limit is refused from the header alone. */
static void test_frame_limit(void)
{
    size_t len;
    const uint8_t *flight = server_flight(&len);
    const uint8_t *cert = flight + 40; /* the Certificate: a 441-byte body */
    lc_msg m;
    bool complete = true;

    CHECK_RC(lc_msg_frame(cert, LC_MSG_HEADER_LEN, 440, &m, &complete), LC_E_DECODE);
    CHECK(!complete);
    CHECK_OK(lc_msg_frame(cert, LC_MSG_HEADER_LEN, 441, &m, &complete));
    CHECK(!complete && m.total == 445);
    CHECK_OK(lc_msg_frame(cert, 445, 441, &m, &complete));
    CHECK(complete && m.length == 441);

    /* an empty body (EndOfEarlyData) is complete with the header */
    {
        const uint8_t eoed[] = { LC_MT_END_OF_EARLY_DATA, 0, 0, 0 };

        CHECK_OK(lc_msg_frame(eoed, sizeof(eoed), 0, &m, &complete));
        CHECK(complete && m.length == 0 && m.total == 4);
    }
    /* nothing at all */
    CHECK_OK(lc_msg_frame(NULL, 0, 0, &m, &complete));
    CHECK(!complete && m.total == LC_MSG_HEADER_LEN);
}

static void test_begin_end(void)
{
    const uint8_t want[] = { 0x14, 0x00, 0x00, 0x03, 0xaa, 0xbb, 0xcc };
    uint8_t out[16];
    lc_writer w;
    lc_vec_mark m;
    uint8_t *big;

    lc_writer_init(&w, out, sizeof(out));
    m = lc_msg_begin(&w, LC_MT_FINISHED);
    lc_write_bytes(&w, want + 4, 3);
    lc_msg_end(&w, m);
    CHECK_OK(lc_writer_finish(&w));
    CHECK_MEM(out, w.len, want, sizeof(want));

    /* a body of 2^24 bytes does not fit the uint24 length: the writer fails */
    big = malloc(LC_MSG_HEADER_LEN + LC_MSG_LENGTH_MAX + 1);
    if (big == NULL) {
        abort();
    }
    lc_writer_init(&w, big, LC_MSG_HEADER_LEN + LC_MSG_LENGTH_MAX + 1);
    m = lc_msg_begin(&w, LC_MT_CERTIFICATE);
    CHECK(lc_write_reserve(&w, LC_MSG_LENGTH_MAX + 1) != NULL);
    lc_msg_end(&w, m);
    CHECK_RC(lc_writer_finish(&w), LC_E_BUFFER_TOO_SMALL);
    free(big);
}

/* The extensions block's range is checked on what was written. */
static void test_write_extensions(void)
{
    const uint8_t want[] = { 0x00, 0x06, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04 };
    const uint8_t sv[] = { 0x03, 0x04 };
    lc_ext_list list = { .count = 1, .ext = { { LC_EXT_SUPPORTED_VERSIONS, sv, sizeof(sv) } } };
    uint8_t out[16];
    lc_writer w;

    lc_writer_init(&w, out, sizeof(out));
    CHECK_OK(lc_msg_write_extensions(&w, &list, 6, 0xffff));
    CHECK_MEM(out, w.len, want, sizeof(want));
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_msg_write_extensions(&w, &list, 7, 0xffff), LC_E_BAD_ARGUMENT);
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_msg_write_extensions(&w, &list, 0, 5), LC_E_BAD_ARGUMENT);
    /* an overflow is the writer's to report, once */
    lc_writer_init(&w, out, 4);
    CHECK_OK(lc_msg_write_extensions(&w, &list, 6, 0xffff));
    CHECK_RC(lc_writer_finish(&w), LC_E_BUFFER_TOO_SMALL);
}

/*
 * RFC 8446 4.4.1: after a HelloRetryRequest the transcript is
 *     message_hash(Hash(ClientHello1)) || HelloRetryRequest || ClientHello2 || ServerHello
 * and its hash is the one RFC 8448 section 5 derives "tls13 c hs traffic" from.
 */
static void test_message_hash_rfc8448(void)
{
    const char *ch = "{client} construct a ClientHello handshake message";
    const char *sh = "{server} construct a ServerHello handshake message";
    lc_crypto *cr = lc_crypto_new();
    lc_hash_ctx *h = lc_hash_new(cr, LC_SHA256);
    uint8_t ch1_hash[32], mh[64], got[32];
    size_t ch1_len, hrr_len, ch2_len, sh_len, want_len;
    const uint8_t *ch1 = rfc8448_get(5, ch, 0, "ClientHello", &ch1_len);
    const uint8_t *hrr = rfc8448_get(5, sh, 0, "ServerHello", &hrr_len);
    const uint8_t *ch2 = rfc8448_get(5, ch, 1, "ClientHello", &ch2_len);
    const uint8_t *sh2 = rfc8448_get(5, sh, 1, "ServerHello", &sh_len);
    const uint8_t *want = rfc8448_get(5, "{server} derive secret \"tls13 c hs traffic\"", 0,
                                      "hash", &want_len);
    lc_writer w;

    CHECK(cr != NULL && h != NULL);
    if (cr == NULL || h == NULL) {
        return;
    }
    CHECK_OK(lc_hash(cr, LC_SHA256, ch1, ch1_len, ch1_hash));
    lc_writer_init(&w, mh, sizeof(mh));
    CHECK_OK(lc_message_hash_encode(&w, ch1_hash, sizeof(ch1_hash)));
    CHECK(w.len == 36 && mh[0] == 254 && mh[1] == 0 && mh[2] == 0 && mh[3] == 32);
    CHECK_MEM(mh + 4, 32, ch1_hash, 32);

    CHECK_OK(lc_hash_update(h, mh, w.len));
    CHECK_OK(lc_hash_update(h, hrr, hrr_len));
    CHECK_OK(lc_hash_update(h, ch2, ch2_len));
    CHECK_OK(lc_hash_update(h, sh2, sh_len));
    CHECK_OK(lc_hash_peek(h, got));
    CHECK_MEM(got, sizeof(got), want, want_len);

    /* too small a buffer, and an empty hash */
    lc_writer_init(&w, mh, 35);
    CHECK_RC(lc_message_hash_encode(&w, ch1_hash, sizeof(ch1_hash)), LC_E_BUFFER_TOO_SMALL);
    lc_writer_init(&w, mh, sizeof(mh));
    CHECK_RC(lc_message_hash_encode(&w, ch1_hash, 0), LC_E_BAD_ARGUMENT);

    lc_hash_free(h);
    lc_crypto_free(cr);
}

TEST_MAIN(test_type_names, test_frame_several, test_frame_byte_by_byte, test_frame_limit,
          test_begin_end, test_write_extensions, test_message_hash_rfc8448)
