/*
 * Tests for src/handshake/hs.c's lc_hs_expect: what a state refuses from a message's header
 * alone, before its body has come in (RFC 8446 4: unexpected_message; 4.4.4, 4.5, 4.6.3: the
 * fixed sizes of Finished, EndOfEarlyData and KeyUpdate). The dispatcher itself runs in every
 * handshake of the conn and rfc8448 tests.
 */
#include "test.h"

#include "base/error.h"
#include "handshake/hs.h"
#include "msg/msg.h"

static int expect(bool server, enum lc_hs_state state, uint8_t type, uint32_t length)
{
    lc_error err;
    lc_hs hs;

    memset(&err, 0, sizeof(err));
    memset(&hs, 0, sizeof(hs));
    hs.err = &err;
    hs.server = server;
    hs.state = state;
    int rc = lc_hs_expect(&hs, type, length);
    CHECK(rc == err.code);
    return rc;
}

static void test_type_refused_from_the_header(void)
{
    /* a server waiting for ClientHello takes nothing else, whatever the length */
    CHECK_RC(expect(true, LC_HS_WAIT_CH, LC_MT_CLIENT_HELLO, 100000), 0);
    CHECK_RC(expect(true, LC_HS_WAIT_CH, LC_MT_FINISHED, 32), LC_E_UNEXPECTED_MESSAGE);
    CHECK_RC(expect(true, LC_HS_WAIT_CH, 0x77, 0), LC_E_UNEXPECTED_MESSAGE);
    /* a client waiting for ServerHello */
    CHECK_RC(expect(false, LC_HS_WAIT_SH, LC_MT_SERVER_HELLO, 90), 0);
    CHECK_RC(expect(false, LC_HS_WAIT_SH, LC_MT_CERTIFICATE, 3000), LC_E_UNEXPECTED_MESSAGE);
    /* a server waiting for the client's Finished refuses a second ClientHello */
    CHECK_RC(expect(true, LC_HS_WAIT_CFIN, LC_MT_CLIENT_HELLO, 500), LC_E_UNEXPECTED_MESSAGE);
}

static void test_fixed_sizes(void)
{
    /* Finished: one hash, 48 bytes at most (SHA-384) */
    CHECK_RC(expect(true, LC_HS_WAIT_CFIN, LC_MT_FINISHED, 32), 0);
    CHECK_RC(expect(true, LC_HS_WAIT_CFIN, LC_MT_FINISHED, 48), 0);
    CHECK_RC(expect(true, LC_HS_WAIT_CFIN, LC_MT_FINISHED, 49), LC_E_DECODE);
    CHECK_RC(expect(true, LC_HS_WAIT_CFIN, LC_MT_FINISHED, 100000), LC_E_DECODE);
    /* EndOfEarlyData: empty */
    CHECK_RC(expect(true, LC_HS_WAIT_EOED, LC_MT_END_OF_EARLY_DATA, 0), 0);
    CHECK_RC(expect(true, LC_HS_WAIT_EOED, LC_MT_END_OF_EARLY_DATA, 1), LC_E_DECODE);
    /* KeyUpdate after the handshake: one byte */
    CHECK_RC(expect(true, LC_HS_CONNECTED, LC_MT_KEY_UPDATE, 1), 0);
    CHECK_RC(expect(true, LC_HS_CONNECTED, LC_MT_KEY_UPDATE, 131072), LC_E_DECODE);
    /* a type with no fixed size is left to its decoder */
    CHECK_RC(expect(false, LC_HS_CONNECTED, LC_MT_NEW_SESSION_TICKET, 60000), 0);
}

TEST_MAIN(test_type_refused_from_the_header, test_fixed_sizes)
