/*
 * RFC 8448 section 5, "HelloRetryRequest", replayed end to end (replay.h).
 * The client offers x25519; the server answers with a HelloRetryRequest for
 * P-256 carrying a cookie; the second ClientHello has a P-256 share. The
 * transcript replaces ClientHello1 with message_hash (RFC 8446 4.4.1), which
 * every transcript hash of the trace then checks; the (EC)DHE secret is
 * P-256's x-coordinate (7.4.2); the second ClientHello's record carries
 * legacy_record_version 0x0303 (5.1: 0x0301 only for the initial one).
 */
#include "replay.h"

static void test_replay(void)
{
    struct replay *r = rp_run(rp_crypto(), 5, NULL, false);

    CHECK(r->mismatches == 0);
    CHECK(r->hrr_group == LC_GROUP_SECP256R1);
    CHECK(r->n.records_in == 8 && r->n.signatures == 1);
    rp_print(r);
    rp_free(r);
}

static void test_every_field_matters(void)
{
    rp_mutation_sweep(rp_crypto(), 5, NULL);
}

TEST_MAIN(test_replay, test_every_field_matters)
