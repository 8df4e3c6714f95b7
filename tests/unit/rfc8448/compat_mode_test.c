/*
 * RFC 8448 section 7, "Compatibility Mode", replayed end to end (replay.h).
 * The client sends a 32-byte legacy_session_id that the server echoes, and
 * both send a change_cipher_spec record (RFC 8446 D.4): it is never
 * protected, even after the keys are set (5), and takes no sequence number,
 * so the encrypted records around it still count from 0.
 */
#include "replay.h"

static void test_replay(void)
{
    struct replay *r = rp_run(rp_crypto(), 7, NULL, false);

    CHECK(r->mismatches == 0);
    CHECK(r->n.signatures == 1);
    rp_print(r);
    rp_free(r);
}

/* The session id is echoed: the ClientHello's and the ServerHello's are the same 32 bytes. */
static void test_session_id_echo(void)
{
    size_t chlen, shlen;
    const uint8_t *ch = rfc8448_get(7, "construct a ClientHello", 0, "ClientHello", &chlen);
    const uint8_t *sh = rfc8448_get(7, "construct a ServerHello", 0, "ServerHello", &shlen);
    lc_client_hello c;
    lc_server_hello s;
    lc_reader rd;

    lc_reader_init(&rd, ch + LC_MSG_HEADER_LEN, chlen - LC_MSG_HEADER_LEN);
    CHECK_OK(lc_client_hello_decode(&rd, &c));
    lc_reader_init(&rd, sh + LC_MSG_HEADER_LEN, shlen - LC_MSG_HEADER_LEN);
    CHECK_OK(lc_server_hello_decode(&rd, &s));
    CHECK(c.legacy_session_id_len == 32);
    CHECK_MEM(s.legacy_session_id_echo, s.legacy_session_id_echo_len, c.legacy_session_id,
              c.legacy_session_id_len);
}

static void test_every_field_matters(void)
{
    rp_mutation_sweep(rp_crypto(), 7, NULL);
}

TEST_MAIN(test_replay, test_session_id_echo, test_every_field_matters)
