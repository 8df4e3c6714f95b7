/* Tests for src/msg/ext/post_handshake_auth.c: RFC 8446 4.2.6's empty body. */
#include "ext_test_util.h"

#include "msg/ext/post_handshake_auth.h"

static int dec(lc_reader *r)
{
    return lc_ext_post_handshake_auth_decode(r);
}

static void test_empty(void)
{
    uint8_t buf[4];
    lc_writer w;
    lc_ext_list list;
    uint8_t block[] = { 0x00, 0x04, 0x00, 0x31, 0x00, 0x00 };
    lc_reader r;

    ext_check_cuts(dec, (const uint8_t *)"", 0); /* one byte is LC_E_TRAILING */
    CHECK_RC(ext_run_hex(dec, "0000"), LC_E_TRAILING);
    lc_writer_init(&w, buf, sizeof(buf));
    CHECK_OK(lc_ext_post_handshake_auth_encode(&w));
    CHECK(w.len == 0);
    /* 4.2.6: "Servers MUST NOT send this extension": the table refuses it from them */
    lc_reader_init(&r, block, sizeof(block));
    CHECK_RC(lc_ext_list_decode(&r, 0, LC_EXT_IN_EE, &list), LC_E_EXTENSION_NOT_ALLOWED);
}

TEST_MAIN(test_empty)
