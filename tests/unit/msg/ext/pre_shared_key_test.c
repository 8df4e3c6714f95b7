/*
 * Tests for src/msg/ext/pre_shared_key.c: OfferedPsks and selected_identity
 * (RFC 8446 4.2.11), and the binder placeholder and patch of 4.2.11.2, checked
 * against RFC 8448 section 4's resumed ClientHello byte for byte.
 */
#include "ext_test_util.h"

#include "msg/ext/pre_shared_key.h"

#define BINDER_STEP "{client} calculate PSK binder"

static lc_ext_pre_shared_key_ch psk;
static uint16_t selected;

static int dec_ch(lc_reader *r)
{
    return lc_ext_pre_shared_key_ch_decode(r, &psk);
}

static int dec_sh(lc_reader *r)
{
    return lc_ext_pre_shared_key_sh_decode(r, &selected);
}

static void test_rfc8448_client_hello(void)
{
    lc_ext_view body = ext_rfc_body(4, EXT_CH4, 0, "payload", LC_EXT_IN_CH,
                                    LC_EXT_PRE_SHARED_KEY);
    const uint8_t *ticket, *binder;
    size_t ticket_len, binder_len;
    lc_ext_view t;
    uint8_t buf[256];
    size_t binders_at;
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_pre_shared_key_ch_decode(&r, &psk));
    CHECK(psk.count == 1);
    /* the identity is the ticket of section 3's NewSessionTicket */
    ticket = rfc8448_get(3, EXT_NST, 0, "NewSessionTicket", &ticket_len);
    lc_reader_init(&r, ticket, ticket_len);
    CHECK_OK(lc_read_bytes(&r, 4 + 4 + 4 + 3, &ticket)); /* header, lifetime, age_add, nonce */
    CHECK_OK(lc_ext_read_view(&r, 2, 1, 0xffff, &t));
    CHECK_MEM(psk.identity[0].identity.p, psk.identity[0].identity.len, t.p, t.len);
    /* 4.2.11.1: the age in ms plus ticket_age_add (0xfad6aac5) */
    CHECK(psk.identity[0].obfuscated_ticket_age == 0xfad6aacb);
    /* the binder is the "finished" value the RFC computes */
    binder = rfc8448_get(4, BINDER_STEP, 0, "finished", &binder_len);
    CHECK_MEM(psk.binder[0].p, psk.binder[0].len, binder, binder_len);
    CHECK(psk.binders_len == 2 + 1 + 32);

    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_pre_shared_key_ch_encode(&w, &psk, &binders_at));
    CHECK_MEM(buf, w.len, body.p, body.len);
    CHECK(binders_at == body.len - psk.binders_len);
    ext_check_cuts(dec_ch, body.p, body.len);
}

/* Truncate(ClientHello) on the server side: the message less its last binders_len bytes. */
static void test_rfc8448_truncate(void)
{
    size_t len, prefix_len;
    const uint8_t *ch = rfc8448_get(4, EXT_CH4, 0, "payload", &len);
    const uint8_t *prefix = rfc8448_get(4, BINDER_STEP, 0, "ClientHello prefix", &prefix_len);
    lc_ext_view body = ext_rfc_body(4, EXT_CH4, 0, "payload", LC_EXT_IN_CH,
                                    LC_EXT_PRE_SHARED_KEY);
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_pre_shared_key_ch_decode(&r, &psk));
    CHECK(len == 512 && prefix_len == 477);
    CHECK_MEM(ch, len - psk.binders_len, prefix, prefix_len);
}

/*
 * The client's two steps: write the ClientHello with zero binders, hash what
 * comes before binders_at, then patch the binders in. The RFC's prefix and
 * whole message come out.
 */
static void test_rfc8448_placeholder_and_patch(void)
{
    size_t len, prefix_len, binder_len;
    const uint8_t *ch = rfc8448_get(4, EXT_CH4, 0, "payload", &len);
    const uint8_t *prefix = rfc8448_get(4, BINDER_STEP, 0, "ClientHello prefix", &prefix_len);
    const uint8_t *binder = rfc8448_get(4, BINDER_STEP, 0, "finished", &binder_len);
    lc_ext_view body = ext_rfc_body(4, EXT_CH4, 0, "payload", LC_EXT_IN_CH,
                                    LC_EXT_PRE_SHARED_KEY);
    uint8_t msg[512];
    size_t binders_at;
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_pre_shared_key_ch_decode(&r, &psk));
    /* step 1: everything before the extension's body as the RFC has it, then a placeholder */
    psk.binder[0].p = NULL;
    lc_writer_init(&w, msg, sizeof(msg));
    lc_write_bytes(&w, ch, len - body.len);
    CHECK_OK(lc_ext_pre_shared_key_ch_encode(&w, &psk, &binders_at));
    CHECK(w.len == len && binders_at == prefix_len);
    CHECK_MEM(msg, binders_at, prefix, prefix_len);
    /* the placeholder: the binder's length, then zeros */
    CHECK(msg[binders_at + 2] == 32 && msg[binders_at + 3] == 0 && msg[len - 1] == 0);
    /* a patch that still has no binder is refused */
    CHECK_RC(lc_ext_pre_shared_key_ch_patch(msg, len, binders_at, &psk), LC_E_BAD_ARGUMENT);
    /* step 2: the real binder */
    psk.binder[0] = (lc_ext_view){ binder, binder_len };
    CHECK_OK(lc_ext_pre_shared_key_ch_patch(msg, len, binders_at, &psk));
    CHECK_MEM(msg, len, ch, len);
}

static void test_patch_errors(void)
{
    static const uint8_t id[] = { 'i', 'd' };
    static const uint8_t b32[32] = { 1 }, b48[48] = { 2 };
    uint8_t msg[64], copy[64];
    size_t binders_at, len;
    lc_ext_pre_shared_key_ch in = { .count = 1 };
    lc_writer w;

    in.identity[0] = (lc_ext_psk_identity){ { id, sizeof(id) }, 7 };
    in.binder[0] = (lc_ext_view){ NULL, 32 };
    lc_writer_init(&w, msg, sizeof(msg));
    CHECK_OK(lc_ext_pre_shared_key_ch_encode(&w, &in, &binders_at));
    len = w.len;
    memcpy(copy, msg, len);
    /* a binder of another length would not end at the message's end */
    in.binder[0] = (lc_ext_view){ b48, sizeof(b48) };
    CHECK_RC(lc_ext_pre_shared_key_ch_patch(msg, len, binders_at, &in), LC_E_BAD_ARGUMENT);
    /* an offset past the message, or one that leaves bytes after the binders */
    in.binder[0] = (lc_ext_view){ b32, sizeof(b32) };
    CHECK_RC(lc_ext_pre_shared_key_ch_patch(msg, len, len + 1, &in), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_ext_pre_shared_key_ch_patch(msg, len, binders_at - 1, &in), LC_E_BAD_ARGUMENT);
    CHECK_MEM(msg, len, copy, len); /* refused patches leave the message alone */
    CHECK_OK(lc_ext_pre_shared_key_ch_patch(msg, len, binders_at, &in));
    CHECK(msg[len - 32] == 1);
}

static void test_rfc8448_server_hello(void)
{
    lc_ext_view body = ext_rfc_body(4, EXT_SH, 0, "ServerHello", LC_EXT_IN_SH,
                                    LC_EXT_PRE_SHARED_KEY);
    uint8_t buf[4];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_pre_shared_key_sh_decode(&r, &selected));
    CHECK(selected == 0);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_pre_shared_key_sh_encode(&w, selected));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec_sh, body.p, body.len);
}

/* OfferedPsks with n identities of one byte and m binders of binder_len bytes. */
static size_t offer(uint8_t *buf, size_t cap, size_t n, size_t m, size_t binder_len)
{
    lc_writer w;
    lc_vec_mark list;

    lc_writer_init(&w, buf, cap);
    list = lc_write_vec_begin(&w, 2);
    for (size_t i = 0; i < n; i++) {
        lc_write_u16(&w, 1);
        lc_write_u8(&w, (uint8_t)i);
        lc_write_u32(&w, (uint32_t)i);
    }
    lc_write_vec_end(&w, list);
    list = lc_write_vec_begin(&w, 2);
    for (size_t i = 0; i < m; i++) {
        uint8_t *b;

        lc_write_u8(&w, (uint8_t)binder_len);
        b = lc_write_reserve(&w, binder_len);
        if (b != NULL) {
            memset(b, (int)i, binder_len);
        }
    }
    lc_write_vec_end(&w, list);
    CHECK_OK(lc_writer_finish(&w));
    return w.len;
}

static void test_client_errors(void)
{
    uint8_t buf[1024];
    size_t n;

    n = offer(buf, sizeof(buf), 2, 2, 32);
    CHECK_OK(ext_run(dec_ch, buf, n));
    CHECK(psk.count == 2 && psk.identity[1].obfuscated_ticket_age == 1);
    CHECK(psk.binder[1].len == 32 && psk.binder[1].p[0] == 1);
    /* 4.2.11: one binder per identity */
    n = offer(buf, sizeof(buf), 2, 1, 32);
    CHECK_RC(ext_run(dec_ch, buf, n), LC_E_ILLEGAL_PARAMETER);
    n = offer(buf, sizeof(buf), 1, 2, 32);
    CHECK_RC(ext_run(dec_ch, buf, n), LC_E_ILLEGAL_PARAMETER);
    /* PskBinderEntry<32..255>: 31 bytes is too short */
    n = offer(buf, sizeof(buf), 2, 2, 31);
    CHECK_RC(ext_run(dec_ch, buf, n), LC_E_DECODE);
    /* no identities, no binders (the vectors' minimums) */
    n = offer(buf, sizeof(buf), 0, 1, 32);
    CHECK_RC(ext_run(dec_ch, buf, n), LC_E_DECODE);
    n = offer(buf, sizeof(buf), 1, 0, 32);
    CHECK_RC(ext_run(dec_ch, buf, n), LC_E_DECODE);
    /* an empty identity: identity<1..2^16-1> (the list still meets its minimum of 7) */
    CHECK_RC(ext_run_hex(dec_ch, "0007 0000 00000000 00 0021 20"
                                 "00000000000000000000000000000000"
                                 "00000000000000000000000000000000"),
             LC_E_DECODE);
    /* more than the bound: the first LC_EXT_PSK_IDENTITIES_MAX are kept, counts still compared */
    n = offer(buf, sizeof(buf), LC_EXT_PSK_IDENTITIES_MAX + 2, LC_EXT_PSK_IDENTITIES_MAX + 2, 32);
    CHECK_OK(ext_run(dec_ch, buf, n));
    CHECK(psk.count == LC_EXT_PSK_IDENTITIES_MAX);
    n = offer(buf, sizeof(buf), LC_EXT_PSK_IDENTITIES_MAX + 2, LC_EXT_PSK_IDENTITIES_MAX + 1,
              32);
    CHECK_RC(ext_run(dec_ch, buf, n), LC_E_ILLEGAL_PARAMETER);
}

static void test_encode_errors(void)
{
    static const uint8_t id[] = { 'i' };
    lc_ext_pre_shared_key_ch in = { .count = 0 };
    uint8_t buf[128];
    size_t at;
    lc_writer w;

    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_pre_shared_key_ch_encode(&w, &in, &at), LC_E_BAD_ARGUMENT); /* none */
    in.count = 1;
    in.binder[0].len = 32;
    CHECK_RC(lc_ext_pre_shared_key_ch_encode(&w, &in, &at), LC_E_BAD_ARGUMENT); /* empty id */
    in.identity[0].identity = (lc_ext_view){ id, sizeof(id) };
    in.binder[0].len = 31;
    CHECK_RC(lc_ext_pre_shared_key_ch_encode(&w, &in, &at), LC_E_BAD_ARGUMENT); /* short binder */
    in.binder[0].len = 256;
    CHECK_RC(lc_ext_pre_shared_key_ch_encode(&w, &in, &at), LC_E_BAD_ARGUMENT);
    in.count = LC_EXT_PSK_IDENTITIES_MAX + 1;
    CHECK_RC(lc_ext_pre_shared_key_ch_encode(&w, &in, &at), LC_E_BAD_ARGUMENT);
    CHECK(w.len == 0);
}

TEST_MAIN(test_rfc8448_client_hello, test_rfc8448_truncate, test_rfc8448_placeholder_and_patch,
          test_patch_errors, test_rfc8448_server_hello, test_client_errors, test_encode_errors)
