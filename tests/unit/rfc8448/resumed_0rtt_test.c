/*
 * RFC 8448 section 4, "Resumed 0-RTT Handshake", replayed end to end
 * (replay.h). The PSK is not taken from the trace: section 3 is replayed
 * first and its resumption_master_secret and ticket_nonce give the PSK
 * (lc_ks_resumption_psk, RFC 8446 4.6.1), which must equal section 4's
 * "early" IKM. The binder is computed with the res binder key over the
 * ClientHello truncated before its binders (4.2.11.2) and must be the one in
 * the ClientHello that is sent; the early data record is protected with the
 * client_early_traffic_secret, EndOfEarlyData goes under the same key with
 * sequence number 1, then the handshake keys start again at 0.
 */
#include "replay.h"

static struct replay *full;

static const struct rp_session *section3_session(void)
{
    if (full == NULL) {
        full = rp_run(rp_crypto(), 3, NULL, true);
    }
    CHECK(full->mismatches == 0 && full->session.valid);
    return &full->session;
}

static void test_replay(void)
{
    struct replay *r = rp_run(rp_crypto(), 4, section3_session(), false);

    CHECK(r->mismatches == 0);
    /* early data, EndOfEarlyData, client Finished, app data and alerts, both ways */
    CHECK(r->n.records_in == 10 && r->n.signatures == 0);
    rp_print(r);
    rp_free(r);
}

static void test_every_field_matters(void)
{
    rp_mutation_sweep(rp_crypto(), 4, section3_session());
}

/* Without the PSK of section 3 the same trace does not replay. */
static void test_wrong_psk_is_noticed(void)
{
    struct rp_session other = *section3_session();
    struct replay *r;

    other.psk.b[0] ^= 0x01;
    r = rp_run(rp_crypto(), 4, &other, true);
    CHECK(r->mismatches > 0);
    rp_free(r);
}

static void test_cleanup(void)
{
    rp_free(full);
    full = NULL;
    CHECK(true);
}

TEST_MAIN(test_replay, test_every_field_matters, test_wrong_psk_is_noticed, test_cleanup)
