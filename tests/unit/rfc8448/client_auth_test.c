/*
 * RFC 8448 section 6, "Client Authentication", replayed end to end
 * (replay.h). The server sends a CertificateRequest and authenticates with
 * an ECDSA P-256 certificate (ecdsa_secp256r1_sha256); the client answers
 * with its RSA certificate and a CertificateVerify over the client context
 * string (RFC 8446 4.4.3), and its Finished covers both (4.4.4). Both
 * signatures verify with the keys of the certificates in the trace.
 */
#include "replay.h"

static void test_replay(void)
{
    struct replay *r = rp_run(rp_crypto(), 6, NULL, false);

    CHECK(r->mismatches == 0);
    CHECK(r->n.signatures == 2);
    CHECK(r->party[RP_SERVER].cert_key != NULL &&
          lc_pkey_type(r->party[RP_SERVER].cert_key) == LC_KEY_EC_P256);
    CHECK(r->party[RP_CLIENT].cert_key != NULL &&
          lc_pkey_type(r->party[RP_CLIENT].cert_key) == LC_KEY_RSA);
    rp_print(r);
    rp_free(r);
}

static void test_every_field_matters(void)
{
    rp_mutation_sweep(rp_crypto(), 6, NULL);
}

TEST_MAIN(test_replay, test_every_field_matters)
