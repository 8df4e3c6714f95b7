/* Tests for src/msg/ext/key_share.c: the ClientHello, ServerHello and HRR forms of 4.2.8. */
#include "ext_test_util.h"

#include "msg/ext/key_share.h"

static lc_ext_key_share_ch ks;
static lc_ext_key_share_entry entry;
static uint16_t selected;

static int dec_ch(lc_reader *r)
{
    return lc_ext_key_share_ch_decode(r, &ks);
}

static int dec_sh(lc_reader *r)
{
    return lc_ext_key_share_sh_decode(r, &entry);
}

static int dec_hrr(lc_reader *r)
{
    return lc_ext_key_share_hrr_decode(r, &selected);
}

static void client_round_trip(lc_ext_view body, uint16_t group, size_t key_len)
{
    uint8_t buf[128];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_key_share_ch_decode(&r, &ks));
    CHECK(ks.count == 1);
    CHECK(ks.entry[0].group == group && ks.entry[0].key_exchange.len == key_len);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_key_share_ch_encode(&w, &ks));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec_ch, body.p, body.len);
}

static void test_rfc8448_client_hello(void)
{
    /* section 3: one x25519 share; section 5's second ClientHello: one secp256r1 point */
    client_round_trip(ext_rfc_body(3, EXT_CH, 0, "ClientHello", LC_EXT_IN_CH, LC_EXT_KEY_SHARE),
                      0x001d, 32);
    client_round_trip(ext_rfc_body(5, EXT_CH, 1, "ClientHello", LC_EXT_IN_CH, LC_EXT_KEY_SHARE),
                      0x0017, 65);
}

static void test_rfc8448_server_hello(void)
{
    lc_ext_view body = ext_rfc_body(3, EXT_SH, 0, "ServerHello", LC_EXT_IN_SH, LC_EXT_KEY_SHARE);
    const uint8_t *pub;
    size_t len;
    uint8_t buf[64];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_key_share_sh_decode(&r, &entry));
    CHECK(entry.group == 0x001d);
    /* the same bytes as the server's x25519 public key in the RFC */
    pub = rfc8448_get(3, "{server} create an ephemeral x25519 key pair", 0, "public key", &len);
    CHECK_MEM(entry.key_exchange.p, entry.key_exchange.len, pub, len);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_key_share_sh_encode(&w, &entry));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec_sh, body.p, body.len);
    /* 4.2.8: exactly one entry; a second is trailing bytes */
    CHECK_RC(ext_run_hex(dec_sh, "001d 0001 aa 0017 0001 bb"), LC_E_TRAILING);
    CHECK_RC(ext_run_hex(dec_sh, "001d 0000"), LC_E_DECODE); /* key_exchange<1..2^16-1> */
}

static void test_rfc8448_hello_retry_request(void)
{
    lc_ext_view body = ext_rfc_body(5, EXT_SH, 0, "ServerHello", LC_EXT_IN_HRR, LC_EXT_KEY_SHARE);
    uint8_t buf[4];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_key_share_hrr_decode(&r, &selected));
    CHECK(selected == 0x0017);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_key_share_hrr_encode(&w, selected));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec_hrr, body.p, body.len);
}

static void test_client_list(void)
{
    /* 4.2.8: an empty client_shares asks the server to choose */
    CHECK_OK(ext_run_hex(dec_ch, "0000"));
    CHECK(ks.count == 0);
    /* two groups */
    CHECK_OK(ext_run_hex(dec_ch, "000a 001d 0001 aa 0017 0001 bb"));
    CHECK(ks.count == 2 && ks.entry[1].group == 0x0017 && ks.entry[1].key_exchange.p[0] == 0xbb);
    /* 4.2.8: the same group twice is illegal_parameter */
    CHECK_RC(ext_run_hex(dec_ch, "000a 001d 0001 aa 001d 0001 bb"), LC_E_ILLEGAL_PARAMETER);
    /* an empty key_exchange; an entry past the list; the list past the body; trailing */
    CHECK_RC(ext_run_hex(dec_ch, "0004 001d 0000"), LC_E_DECODE);
    CHECK_RC(ext_run_hex(dec_ch, "0005 001d 0002 aa"), LC_E_DECODE);
    CHECK_RC(ext_run_hex(dec_ch, "0006 001d 0001 aa"), LC_E_DECODE);
    CHECK_RC(ext_run_hex(dec_ch, "0005 001d 0001 aa 00"), LC_E_TRAILING);
}

/* A client_shares list of n one-byte shares for groups first, first+1, ... */
static size_t shares(uint8_t *buf, size_t cap, size_t n, uint16_t first, int dup_of_first)
{
    lc_writer w;
    lc_vec_mark m;

    lc_writer_init(&w, buf, cap);
    m = lc_write_vec_begin(&w, 2);
    for (size_t i = 0; i < n; i++) {
        lc_write_u16(&w, (uint16_t)(first + i));
        lc_write_u16(&w, 1);
        lc_write_u8(&w, (uint8_t)i);
    }
    if (dup_of_first) {
        lc_write_u16(&w, first);
        lc_write_u16(&w, 1);
        lc_write_u8(&w, 0xff);
    }
    lc_write_vec_end(&w, m);
    CHECK_OK(lc_writer_finish(&w));
    return w.len;
}

static void test_bound(void)
{
    uint8_t buf[2 + 5 * (LC_EXT_KEY_SHARES_MAX + 4)];
    size_t n;

    /* more shares than the bound: the first LC_EXT_KEY_SHARES_MAX are kept */
    n = shares(buf, sizeof(buf), LC_EXT_KEY_SHARES_MAX + 2, 0x100, 0);
    CHECK_OK(ext_run(dec_ch, buf, n));
    CHECK(ks.count == LC_EXT_KEY_SHARES_MAX);
    CHECK(ks.entry[LC_EXT_KEY_SHARES_MAX - 1].group == 0x100 + LC_EXT_KEY_SHARES_MAX - 1);
    /* a dropped entry that repeats a kept group is still caught */
    n = shares(buf, sizeof(buf), LC_EXT_KEY_SHARES_MAX + 2, 0x100, 1);
    CHECK_RC(ext_run(dec_ch, buf, n), LC_E_ILLEGAL_PARAMETER);
}

static void test_encode_errors(void)
{
    lc_ext_key_share_ch in = { .count = 1 };
    uint8_t buf[4];
    lc_writer w;

    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_RC(lc_ext_key_share_ch_encode(&w, &in), LC_E_BAD_ARGUMENT); /* empty key_exchange */
    CHECK_RC(lc_ext_key_share_sh_encode(&w, &in.entry[0]), LC_E_BAD_ARGUMENT);
    in.count = LC_EXT_KEY_SHARES_MAX + 1;
    CHECK_RC(lc_ext_key_share_ch_encode(&w, &in), LC_E_BAD_ARGUMENT);
    CHECK(w.len == 0);
    /* an empty list is legal (4.2.8) */
    in.count = 0;
    CHECK_OK(lc_ext_key_share_ch_encode(&w, &in));
    CHECK(w.len == 2 && buf[0] == 0 && buf[1] == 0);
}

TEST_MAIN(test_rfc8448_client_hello, test_rfc8448_server_hello, test_rfc8448_hello_retry_request,
          test_client_list, test_bound, test_encode_errors)
