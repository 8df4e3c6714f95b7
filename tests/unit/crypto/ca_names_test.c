/*
 * Tests for src/crypto/ca_names.c: the CA names a server lists in
 * certificate_authorities (RFC 8446 4.2.4), read from the client CA file; the
 * issuer names a client compares them with; and names as one RFC 2253 line,
 * with a peer's control characters escaped.
 */
#include "test.h"

#include <stdbool.h>

#include "base/error.h"
#include "crypto/ca_names.h"
#include "crypto/cert.h"

#define CERTS "vectors/certs/"

/* The first certificate of a PEM file, as DER (the caller frees it with lc_chain_free). */
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

static void test_names_from_files(void)
{
    lc_ca_names names = { 0 };
    char line[256];

    CHECK_OK(lc_ca_names_add_file(&names, CERTS "ca_cert.pem"));
    CHECK(names.count == 1);
    lc_x509_name_line(names.name[0].der, names.name[0].len, line, sizeof(line));
    CHECK(strcmp(line, "CN=Lucid Test Root CA") == 0);
    /* a second file adds to the list; a chain file gives one name per certificate */
    CHECK_OK(lc_ca_names_add_file(&names, CERTS "client_ecdsa_chain.pem"));
    CHECK(names.count == 3);
    lc_x509_name_line(names.name[1].der, names.name[1].len, line, sizeof(line));
    CHECK(strcmp(line, "CN=alice,O=Lucid Test") == 0);
    lc_x509_name_line(names.name[2].der, names.name[2].len, line, sizeof(line));
    CHECK(strcmp(line, "CN=Lucid Test Intermediate CA") == 0);
    /* no file, or a file without a certificate, is a configuration error; nothing is added */
    CHECK_RC(lc_ca_names_add_file(&names, CERTS "no-such-file.pem"), LC_E_CONFIG);
    CHECK_RC(lc_ca_names_add_file(&names, CERTS "ca_key.pem"), LC_E_CONFIG);
    CHECK(names.count == 3);
    lc_ca_names_free(&names);
    CHECK(names.count == 0);
}

/* The intermediate's issuer is, byte for byte, the root's subject as the server lists it. */
static void test_issuer_matches_listed_name(void)
{
    lc_ca_names root = { 0 };
    lc_chain inter = load(CERTS "inter_cert.pem"), other = load(CERTS "client_other_cert.pem");
    lc_der issuer = { 0 };
    static const uint8_t junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };

    CHECK_OK(lc_ca_names_add_file(&root, CERTS "ca_cert.pem"));
    CHECK_OK(lc_x509_issuer_der(inter.cert[0].der, inter.cert[0].len, &issuer));
    CHECK_MEM(issuer.der, issuer.len, root.name[0].der, root.name[0].len);
    free(issuer.der);
    CHECK_OK(lc_x509_issuer_der(other.cert[0].der, other.cert[0].len, &issuer));
    CHECK(issuer.len != root.name[0].len ||
          memcmp(issuer.der, root.name[0].der, issuer.len) != 0);
    free(issuer.der);
    CHECK_RC(lc_x509_issuer_der(junk, sizeof(junk), &issuer), LC_E_BAD_CERTIFICATE);
    CHECK(issuer.der == NULL && issuer.len == 0);
    lc_chain_free(&inter);
    lc_chain_free(&other);
    lc_ca_names_free(&root);
}

static void test_lines(void)
{
    /* Name: CN = "a\nb", a newline a peer might hope to put in a log */
    static const uint8_t newline_cn[] = { 0x30, 0x0e, 0x31, 0x0c, 0x30, 0x0a, 0x06, 0x03,
                                          0x55, 0x04, 0x03, 0x0c, 0x03, 0x61, 0x0a, 0x62 };
    lc_chain alice = load(CERTS "client_ecdsa_cert.pem");
    char line[256];

    lc_x509_subject_line(alice.cert[0].der, alice.cert[0].len, line, sizeof(line));
    CHECK(strcmp(line, "CN=alice,O=Lucid Test") == 0);
    lc_x509_name_line(newline_cn, sizeof(newline_cn), line, sizeof(line));
    CHECK(strchr(line, '\n') == NULL && strcmp(line, "CN=a\\0Ab") == 0);
    lc_x509_name_line(newline_cn, sizeof(newline_cn) - 1, line, sizeof(line));
    CHECK(strcmp(line, "(a name that does not parse)") == 0);
    /* a line cut to the room given, still terminated */
    lc_x509_subject_line(alice.cert[0].der, alice.cert[0].len, line, 6);
    CHECK(strcmp(line, "CN=al") == 0);
    lc_x509_subject_line(newline_cn, sizeof(newline_cn), line, sizeof(line));
    CHECK(line[0] == '\0');
    lc_chain_free(&alice);
}

TEST_MAIN(test_names_from_files, test_issuer_matches_listed_name, test_lines)
