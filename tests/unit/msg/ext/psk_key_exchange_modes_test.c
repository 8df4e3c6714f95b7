/* Tests for src/msg/ext/psk_key_exchange_modes.c: RFC 8446 4.2.9's ke_modes<1..255>. */
#include "ext_test_util.h"

#include "msg/ext/psk_key_exchange_modes.h"

static lc_ext_psk_key_exchange_modes modes;

static int dec(lc_reader *r)
{
    return lc_ext_psk_key_exchange_modes_decode(r, &modes);
}

static void test_rfc8448(void)
{
    lc_ext_view body = ext_rfc_body(3, EXT_CH, 0, "ClientHello", LC_EXT_IN_CH,
                                    LC_EXT_PSK_KEY_EXCHANGE_MODES);
    uint8_t buf[4];
    lc_writer w;
    lc_reader r;

    lc_reader_init(&r, body.p, body.len);
    CHECK_OK(lc_ext_psk_key_exchange_modes_decode(&r, &modes));
    CHECK(modes.count == 1 && modes.mode[0] == LC_PSK_DHE_KE);
    CHECK(lc_ext_psk_key_exchange_modes_has(&modes, LC_PSK_DHE_KE));
    CHECK(!lc_ext_psk_key_exchange_modes_has(&modes, LC_PSK_KE));
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_psk_key_exchange_modes_encode(&w, &modes));
    CHECK_MEM(buf, w.len, body.p, body.len);
    ext_check_cuts(dec, body.p, body.len);
}

static void test_lists(void)
{
    static uint8_t full[1 + 255];
    uint8_t buf[1 + 255];
    lc_writer w;
    lc_reader r;

    CHECK_OK(ext_run_hex(dec, "03 00 01 fe")); /* unknown modes are kept */
    CHECK(modes.count == 3 && lc_ext_psk_key_exchange_modes_has(&modes, LC_PSK_KE));
    CHECK_RC(ext_run_hex(dec, "00"), LC_E_DECODE); /* <1..255> */
    CHECK_RC(ext_run_hex(dec, "02 01"), LC_E_DECODE);
    CHECK_RC(ext_run_hex(dec, "01 01 01"), LC_E_TRAILING);
    /* 255 modes, the most the length allows: all kept, and written back */
    full[0] = 255;
    for (size_t i = 1; i < sizeof(full); i++) {
        full[i] = (uint8_t)i;
    }
    lc_reader_init(&r, full, sizeof(full));
    CHECK_OK(lc_ext_psk_key_exchange_modes_decode(&r, &modes));
    CHECK(modes.count == 255 && modes.mode[254] == 255);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_psk_key_exchange_modes_encode(&w, &modes));
    CHECK_MEM(buf, w.len, full, sizeof(full));
    /* nothing to write is our own bug */
    modes.count = 0;
    CHECK_RC(lc_ext_psk_key_exchange_modes_encode(&w, &modes), LC_E_BAD_ARGUMENT);
}

TEST_MAIN(test_rfc8448, test_lists)
