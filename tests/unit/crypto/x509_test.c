/*
 * Tests for src/crypto/x509.c as client authentication uses it: validating a
 * client's chain for the clientAuth purpose (RFC 5280 4.2.1.12), at the
 * current time or at a time the connection's clock gives
 * (lc_x509_verify_at), against roots added from a file or as DER. Each
 * failure is its own code, so its own alert (RFC 8446 6.2).
 */
#include "test.h"

#include <stdbool.h>

#include "base/error.h"
#include "crypto/cert.h"
#include "crypto/x509.h"

#define CERTS "vectors/certs/"

static lc_chain load(const char *path)
{
    static char pem[16384];
    lc_chain chain = { 0 };
    FILE *f = fopen(path, "rb");
    size_t n = f != NULL ? fread(pem, 1, sizeof(pem), f) : 0;

    if (f != NULL) {
        fclose(f);
    }
    CHECK_OK(lc_chain_from_pem(pem, n, &chain));
    return chain;
}

/* Verifies a chain file (leaf first) for purpose against t; returns the code. */
static int verify(const lc_trust *t, const char *file, enum lc_x509_purpose purpose,
                  int64_t when, char *why, size_t whycap)
{
    lc_chain chain = load(file);
    int rc = lc_x509_verify_at(t, chain.cert, chain.count, purpose, NULL, when, why, whycap);

    lc_chain_free(&chain);
    return rc;
}

static void test_client_purpose(void)
{
    lc_trust *t = lc_trust_new();
    char why[320];

    CHECK_OK(lc_trust_add_file(t, CERTS "ca_cert.pem"));
    CHECK_OK(verify(t, CERTS "client_ecdsa_chain.pem", LC_X509_CLIENT, -1, why, sizeof(why)));
    CHECK_OK(verify(t, CERTS "client_rsa_chain.pem", LC_X509_CLIENT, -1, why, sizeof(why)));
    /* a clientAuth-only certificate is no server's, and a serverAuth-only one no client's */
    CHECK_RC(verify(t, CERTS "client_ecdsa_chain.pem", LC_X509_SERVER, -1, why, sizeof(why)),
             LC_E_CERT_USAGE);
    CHECK_RC(verify(t, CERTS "client_no_auth_chain.pem", LC_X509_CLIENT, -1, why, sizeof(why)),
             LC_E_CERT_USAGE);
    CHECK(strstr(why, "server only") != NULL && strstr(why, "purpose") != NULL);
    CHECK_RC(verify(t, CERTS "client_other_chain.pem", LC_X509_CLIENT, -1, why, sizeof(why)),
             LC_E_CERT_UNKNOWN_CA);
    lc_trust_free(t);
}

static void test_at_a_given_time(void)
{
    lc_trust *t = lc_trust_new();
    char why[320];

    CHECK_OK(lc_trust_add_file(t, CERTS "ca_cert.pem"));
    /* valid during 2020 only: expired now */
    CHECK_RC(verify(t, CERTS "client_expired_chain.pem", LC_X509_CLIENT, -1, why, sizeof(why)),
             LC_E_CERT_EXPIRED);
    CHECK(strstr(why, "expired client") != NULL);
    /* in June 2020 it was valid, but its CAs were not yet made: the whole path counts */
    CHECK_RC(verify(t, CERTS "client_expired_chain.pem", LC_X509_CLIENT, 1590969600, why,
                    sizeof(why)), LC_E_CERT_NOT_YET_VALID);
    CHECK(strstr(why, "not yet valid") != NULL && strstr(why, "Lucid Test") != NULL &&
          strstr(why, "expired client") == NULL);
    /* alice's certificate (2026 to 2126): good now, not yet in 2020, expired in 2150 */
    CHECK_OK(verify(t, CERTS "client_ecdsa_chain.pem", LC_X509_CLIENT, -1, why, sizeof(why)));
    CHECK_RC(verify(t, CERTS "client_ecdsa_chain.pem", LC_X509_CLIENT, 1590969600, why,
                    sizeof(why)), LC_E_CERT_NOT_YET_VALID);
    CHECK_RC(verify(t, CERTS "client_ecdsa_chain.pem", LC_X509_CLIENT, 5680281600, why,
                    sizeof(why)), LC_E_CERT_EXPIRED);
    lc_trust_free(t);
}

static void test_root_added_as_der(void)
{
    lc_chain other_root = load(CERTS "other_ca_cert.pem");
    lc_trust *t = lc_trust_new();
    char why[320];
    static const uint8_t junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };

    CHECK_RC(verify(t, CERTS "client_other_chain.pem", LC_X509_CLIENT, -1, why, sizeof(why)),
             LC_E_CERT_UNKNOWN_CA);
    CHECK_OK(lc_trust_add_der(t, other_root.cert[0].der, other_root.cert[0].len));
    CHECK_OK(verify(t, CERTS "client_other_chain.pem", LC_X509_CLIENT, -1, why, sizeof(why)));
    CHECK_RC(lc_trust_add_der(t, junk, sizeof(junk)), LC_E_CONFIG);
    CHECK_RC(lc_trust_add_der(t, other_root.cert[0].der, other_root.cert[0].len - 1),
             LC_E_CONFIG);
    lc_chain_free(&other_root);
    lc_trust_free(t);
}

TEST_MAIN(test_client_purpose, test_at_a_given_time, test_root_added_as_der)
