/*
 * Tests for src/handshake/session.c: the session blob of
 * lucid_conn_get_session / lucid_conn_set_session round-trips, and anything
 * that is not exactly a blob of ours is refused; ticket lifetimes (RFC 8446
 * 4.2.11.1).
 */
#include "test.h"

#include <stdlib.h>

#include "base/error.h"
#include "handshake/session.h"

static lc_session *sample(void)
{
    lc_session *s = calloc(1, sizeof(*s));

    s->suite = 0x1301;
    s->received_ms = 0x0001020304050607ull;
    s->lifetime = 3600;
    s->age_add = 0x01020304;
    s->max_early_data = 1024;
    s->psk.len = 32;
    memset(s->psk.b, 0xab, 32);
    snprintf(s->server_name, sizeof(s->server_name), "localhost");
    snprintf(s->alpn, sizeof(s->alpn), "h2");
    s->ticket_len = 200;
    s->ticket = malloc(200);
    memset(s->ticket, 0x5a, 200);
    return s;
}

static void test_round_trip(void)
{
    lc_session *s = sample(), *d = NULL, *copy = lc_session_dup(s);
    size_t need = lc_session_encode(s, NULL, 0);
    uint8_t *blob = malloc(need), again[1024];

    CHECK(need > 200 && lc_session_encode(s, blob, need - 1) == need);
    CHECK(lc_session_encode(s, blob, need) == need);
    CHECK(memcmp(blob, "LCS1", 4) == 0);
    CHECK_OK(lc_session_decode(blob, need, &d));
    CHECK(d != NULL && d->suite == 0x1301 && d->received_ms == s->received_ms &&
          d->lifetime == 3600 && d->age_add == s->age_add && d->max_early_data == 1024);
    CHECK_MEM(d->psk.b, d->psk.len, s->psk.b, s->psk.len);
    CHECK(strcmp(d->server_name, "localhost") == 0 && strcmp(d->alpn, "h2") == 0);
    CHECK_MEM(d->ticket, d->ticket_len, s->ticket, s->ticket_len);
    CHECK(lc_session_encode(d, again, sizeof(again)) == need);
    CHECK_MEM(again, need, blob, need);
    CHECK(copy != NULL && copy->ticket != s->ticket);
    CHECK_MEM(copy->ticket, copy->ticket_len, s->ticket, s->ticket_len);
    lc_session_free(d);
    lc_session_free(copy);
    lc_session_free(s);
    free(blob);
}

static void test_bad_blobs(void)
{
    lc_session *s = sample(), *d = NULL;
    size_t need = lc_session_encode(s, NULL, 0);
    uint8_t blob[1024];

    lc_session_encode(s, blob, sizeof(blob));
    for (size_t cut = 0; cut < need; cut++) {
        CHECK(lc_session_decode(blob, cut, &d) != 0 && d == NULL);
    }
    blob[need] = 0;
    CHECK_RC(lc_session_decode(blob, need + 1, &d), LC_E_TRAILING);
    blob[0] = 'X';
    CHECK_RC(lc_session_decode(blob, need, &d), LC_E_DECODE);
    blob[0] = 'L';
    /* a PSK of 31 bytes is no hash's */
    size_t psk_at = 4 + 2 + 8 + 4 + 4 + 4;
    blob[psk_at] = 31;
    CHECK(lc_session_decode(blob, need, &d) != 0);
    blob[psk_at] = 32;
    /* a NUL inside the server name */
    blob[psk_at + 1 + 32 + 1 + 3] = 0;
    CHECK_RC(lc_session_decode(blob, need, &d), LC_E_DECODE);
    lc_session_free(s);
}

static void test_fresh(void)
{
    lc_session *s = sample();

    CHECK(lc_session_fresh(s, s->received_ms));
    CHECK(lc_session_fresh(s, s->received_ms + 3600 * 1000 - 1));
    CHECK(!lc_session_fresh(s, s->received_ms + 3600 * 1000));
    CHECK(!lc_session_fresh(s, s->received_ms - 1)); /* a clock set back */
    lc_session_free(s);
}

TEST_MAIN(test_round_trip, test_bad_blobs, test_fresh)
