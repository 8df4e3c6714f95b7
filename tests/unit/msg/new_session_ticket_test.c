/*
 * Tests for src/msg/new_session_ticket.c: RFC 8448 section 3's ticket
 * round-trips byte for byte; the vectors' ranges (the extensions block's
 * maximum is 2^16-2 here) and the NST column of RFC 8446 4.2 hold (RFC 8446 4.6.1).
 */
#include "test.h"

#include "msg/new_session_ticket.h"
#include "msg_test_util.h"

#define NST_STEP "{server} construct a NewSessionTicket handshake message"

static lc_new_session_ticket nst;

static int decode_nst(const uint8_t *body, size_t n)
{
    lc_reader r;

    lc_reader_init(&r, body, n);
    return lc_new_session_ticket_decode(&r, &nst);
}

static int encode_nst(lc_writer *w)
{
    return lc_new_session_ticket_encode(w, &nst);
}

static void test_rfc8448(void)
{
    const uint8_t want_nonce[] = { 0x00, 0x00 };
    const uint8_t want_ticket_head[] = { 0x2c, 0x03, 0x5d, 0x82 };
    size_t len;
    lc_msg m;
    const uint8_t *msg = test_rfc_msg(3, NST_STEP, 0, "NewSessionTicket",
                                      LC_MT_NEW_SESSION_TICKET, &len, &m);
    const lc_ext *ed;

    CHECK_OK(decode_nst(m.body, m.length));
    CHECK(nst.ticket_lifetime == 30);
    CHECK(nst.ticket_age_add == 0xfad6aac5);
    CHECK_MEM(nst.ticket_nonce, nst.ticket_nonce_len, want_nonce, sizeof(want_nonce));
    CHECK(nst.ticket_len == 0xb2);
    CHECK_MEM(nst.ticket, 4, want_ticket_head, 4);
    /* RFC 8446 4.2.10: early_data here carries max_early_data_size, 0x400 */
    ed = lc_ext_find(&nst.extensions, LC_EXT_EARLY_DATA);
    CHECK(nst.extensions.count == 1 && ed != NULL && ed->len == 4 && ed->body[2] == 0x04);

    test_check_encode(encode_nst, msg, len);
    test_check_prefixes(decode_nst, m.body, m.length, SIZE_MAX);
    test_check_trailing(decode_nst, m.body, m.length);
}

static void test_bad_inputs(void)
{
    uint8_t body[64];
    size_t n;

    /* the smallest ticket: empty nonce, a 1-byte ticket, no extensions */
    n = test_hex("00000e10 01020304 00 0001 aa 0000", body, sizeof(body));
    CHECK_OK(decode_nst(body, n));
    CHECK(nst.ticket_lifetime == 3600 && nst.ticket_nonce_len == 0 && nst.ticket_len == 1);

    /* ticket<1..2^16-1>: empty */
    n = test_hex("00000e10 01020304 00 0000 0000", body, sizeof(body));
    CHECK_RC(decode_nst(body, n), LC_E_DECODE);

    /* the nonce's length past the end */
    n = test_hex("00000e10 01020304 20 0001 aa 0000", body, sizeof(body));
    CHECK_RC(decode_nst(body, n), LC_E_DECODE);

    /* the extensions block missing */
    n = test_hex("00000e10 01020304 00 0001 aa", body, sizeof(body));
    CHECK_RC(decode_nst(body, n), LC_E_DECODE);

    /* a lifetime over 7 days decodes as sent: capping it is the client's choice */
    n = test_hex("00093a81 01020304 00 0001 aa 0000", body, sizeof(body));
    CHECK_OK(decode_nst(body, n));
    CHECK(nst.ticket_lifetime == LC_TICKET_LIFETIME_MAX + 1);

    /* 4.6.1: unknown extensions are ignored, so kept; 4.2: duplicates and key_share are not */
    n = test_hex("00000e10 01020304 00 0001 aa 0004 fafa 0000", body, sizeof(body));
    CHECK_OK(decode_nst(body, n));
    CHECK(nst.extensions.count == 1);
    n = test_hex("00000e10 01020304 00 0001 aa 0010 002a 0004 00000400 002a 0004 00000400", body,
                 sizeof(body));
    CHECK_RC(decode_nst(body, n), LC_E_DUPLICATE_EXTENSION);
    n = test_hex("00000e10 01020304 00 0001 aa 0004 0033 0000", body, sizeof(body));
    CHECK_RC(decode_nst(body, n), LC_E_EXTENSION_NOT_ALLOWED);
}

/* RFC 8446 4.6.1: Extension extensions<0..2^16-2>, one byte less than the usual maximum. */
static void test_extensions_maximum(void)
{
    size_t head = 4 + 4 + 1 + 3;
    size_t cap = head + 2 + 0xffff;
    uint8_t *body = calloc(1, cap);
    uint8_t *out = malloc(cap + 8);
    lc_writer w;

    if (body == NULL || out == NULL) {
        abort();
    }
    /* lifetime, age_add, empty nonce, a 1-byte ticket */
    test_hex("00000e10 01020304 00 0001 aa", body, head);

    /* 0xfffe bytes: one unknown extension with a 0xfffa-byte body */
    test_put16(body, head, 0xfffe);
    test_put16(body, head + 2, 0xfafa);
    test_put16(body, head + 4, 0xfffa);
    CHECK_OK(decode_nst(body, head + 2 + 0xfffe));
    CHECK(nst.extensions.count == 1 && nst.extensions.ext[0].len == 0xfffa);
    lc_writer_init(&w, out, cap + 8);
    CHECK_OK(lc_new_session_ticket_encode(&w, &nst));

    /* 0xffff bytes: over the maximum, for the decoder and the encoder */
    test_put16(body, head, 0xffff);
    test_put16(body, head + 4, 0xfffb);
    CHECK_RC(decode_nst(body, head + 2 + 0xffff), LC_E_DECODE);
    nst.extensions.ext[0].len = 0xfffb;
    lc_writer_init(&w, out, cap + 8);
    CHECK_RC(lc_new_session_ticket_encode(&w, &nst), LC_E_BAD_ARGUMENT);
    free(body);
    free(out);
}

static void test_encode_bad_arguments(void)
{
    const uint8_t ticket[] = { 0xaa };
    uint8_t out[512];
    lc_writer w;

    memset(&nst, 0, sizeof(nst));
    nst.ticket = ticket;
    nst.ticket_len = sizeof(ticket);
    nst.ticket_lifetime = LC_TICKET_LIFETIME_MAX;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_OK(lc_new_session_ticket_encode(&w, &nst));

    nst.ticket_lifetime = LC_TICKET_LIFETIME_MAX + 1;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_new_session_ticket_encode(&w, &nst), LC_E_BAD_ARGUMENT);
    nst.ticket_lifetime = 0;

    nst.ticket_nonce = out;
    nst.ticket_nonce_len = 256;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_new_session_ticket_encode(&w, &nst), LC_E_BAD_ARGUMENT);
    nst.ticket_nonce_len = 0;

    nst.ticket_len = 0;
    lc_writer_init(&w, out, sizeof(out));
    CHECK_RC(lc_new_session_ticket_encode(&w, &nst), LC_E_BAD_ARGUMENT);
}

TEST_MAIN(test_rfc8448, test_bad_inputs, test_extensions_maximum, test_encode_bad_arguments)
