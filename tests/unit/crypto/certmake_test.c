/*
 * Tests for src/crypto/certmake.c: a root CA, an intermediate and leaves of
 * every key type made in memory, then judged by lc_x509_verify (the same path
 * validation the client runs): accepted for their names, rejected for a wrong
 * name, past or future validity, the wrong purpose and a broken path length;
 * requests that make no sense are refused with a reason.
 */
#include "test.h"

#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "crypto/certmake.h"
#include "crypto/x509.h"

#define DAY (24 * 60 * 60)

/* One local PKI for the whole file: root -> intermediate, and a trust store holding the root. */
static struct {
    lc_crypto *cr;
    lc_pkey *root_key, *int_key;
    lc_cert *root, *inter;
    lc_trust *trust;
    int64_t now;
} pki;

static const char *const localhost_names[] = { "localhost", "127.0.0.1", "::1",
                                               "*.example.test" };

static struct lc_cert_request leaf_request(enum lc_cert_role role, int64_t from, int64_t to)
{
    struct lc_cert_request req = {
        .role = role,
        .organization = "Lucid development certificate",
        .common_name = "localhost",
        .names = localhost_names,
        .name_count = LC_ARRAY_LEN(localhost_names),
        .not_before = from,
        .not_after = to,
    };
    return req;
}

/* A leaf of the given key type, signed by the intermediate. NULL (and a failed check) if not. */
static lc_cert *issue(const struct lc_cert_request *req, enum lc_key_type type, unsigned bits,
                      lc_pkey **key_out)
{
    lc_pkey *key = NULL;
    lc_cert *leaf = NULL;
    char why[256];

    CHECK_OK(lc_pkey_generate(pki.cr, type, bits, &key));
    if (key != NULL) {
        int rc = lc_cert_make(pki.cr, req, key, pki.inter, pki.int_key, &leaf, why, sizeof(why));
        CHECK_OK(rc);
        if (rc != 0) {
            fprintf(stderr, "  lc_cert_make: %s\n", why);
        }
    }
    if (key_out != NULL) {
        *key_out = key;
    } else {
        lc_pkey_free(key);
    }
    return leaf;
}

/* lc_x509_verify on leaf + intermediate; why gets the reason. */
static int verify(const lc_cert *leaf, enum lc_x509_purpose purpose, const char *host, char *why,
                  size_t whycap)
{
    lc_der chain[2] = { *lc_cert_der(leaf), *lc_cert_der(pki.inter) };

    return lc_x509_verify(pki.trust, chain, 2, purpose, host, why, whycap);
}

static void setup(void)
{
    struct lc_cert_request root = {
        .role = LC_CERT_ROOT,
        .organization = "Lucid Local PKI",
        .common_name = "Lucid Local Root CA (test@unit)",
    };
    struct lc_cert_request inter = root;
    char why[256], path[] = "/tmp/lucid-certmake-test-XXXXXX";
    lc_buf pem = { 0 };
    int fd;

    pki.now = (int64_t)time(NULL);
    pki.cr = lc_crypto_new();
    CHECK(pki.cr != NULL);
    root.not_before = pki.now - DAY;
    root.not_after = pki.now + 3650 * (int64_t)DAY;
    inter.role = LC_CERT_INTERMEDIATE;
    inter.common_name = "Lucid Local Intermediate CA (test@unit)";
    inter.not_before = root.not_before;
    inter.not_after = root.not_after;
    CHECK_OK(lc_pkey_generate(pki.cr, LC_KEY_EC_P256, 0, &pki.root_key));
    CHECK_OK(lc_pkey_generate(pki.cr, LC_KEY_EC_P256, 0, &pki.int_key));
    CHECK_OK(lc_cert_make(pki.cr, &root, pki.root_key, NULL, NULL, &pki.root, why, sizeof(why)));
    CHECK_OK(lc_cert_make(pki.cr, &inter, pki.int_key, pki.root, pki.root_key, &pki.inter, why,
                          sizeof(why)));

    /* the trust store reads files: the root goes through one, as lucid-cert verify's does */
    pki.trust = lc_trust_new();
    CHECK_OK(lc_cert_pem(pki.root, &pem));
    fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, lc_buf_data(&pem), pem.len) == (ssize_t)pem.len);
    close(fd);
    CHECK_OK(lc_trust_add_file(pki.trust, path));
    unlink(path);
    lc_buf_free(&pem);
}

static void teardown(void)
{
    lc_trust_free(pki.trust);
    lc_cert_free(pki.inter);
    lc_cert_free(pki.root);
    lc_pkey_free(pki.int_key);
    lc_pkey_free(pki.root_key);
    lc_crypto_free(pki.cr);
    memset(&pki, 0, sizeof(pki));
}

static void test_ca_certificates(void)
{
    struct lc_cert_info info;

    CHECK_OK(lc_cert_describe(pki.cr, pki.root, &info));
    CHECK(info.ca && info.path_len == 1);
    CHECK(strcmp(info.usage, "keyCertSign, cRLSign") == 0);
    CHECK(strcmp(info.subject, "O=Lucid Local PKI, CN=Lucid Local Root CA (test@unit)") == 0);
    CHECK(strcmp(info.subject, info.issuer) == 0);
    CHECK(info.names[0] == '\0');
    CHECK(info.key_type == LC_KEY_EC_P256 && info.key_bits == 256);
    CHECK(strcmp(info.signature, "ecdsa-with-SHA256") == 0);
    CHECK(info.not_before == pki.now - DAY);

    CHECK_OK(lc_cert_describe(pki.cr, pki.inter, &info));
    CHECK(info.ca && info.path_len == 0);
    CHECK(strcmp(info.issuer, "O=Lucid Local PKI, CN=Lucid Local Root CA (test@unit)") == 0);
    CHECK(strcmp(info.usage, "keyCertSign, cRLSign") == 0);
}

/* Every key type lucid-cert offers, as a server certificate, verified for each of its names. */
static void test_leaf_of_every_key_type(void)
{
    static const struct {
        enum lc_key_type type;
        unsigned bits;
        const char *usage;
    } kinds[] = {
        { LC_KEY_EC_P256, 256, "digitalSignature; serverAuth" },
        { LC_KEY_EC_P384, 384, "digitalSignature; serverAuth" },
        { LC_KEY_ED25519, 256, "digitalSignature; serverAuth" },
        { LC_KEY_RSA, 2048, "digitalSignature, keyEncipherment; serverAuth" },
        { LC_KEY_RSA, 3072, "digitalSignature, keyEncipherment; serverAuth" },
    };
    struct lc_cert_request req = leaf_request(LC_CERT_SERVER, pki.now - 60, pki.now + 825 * DAY);

    for (size_t i = 0; i < LC_ARRAY_LEN(kinds); i++) {
        lc_cert *leaf = issue(&req, kinds[i].type, kinds[i].bits, NULL);
        struct lc_cert_info info;
        char why[256] = "";

        if (leaf == NULL) {
            continue;
        }
        CHECK_OK(verify(leaf, LC_X509_SERVER, "localhost", why, sizeof(why)));
        CHECK_OK(verify(leaf, LC_X509_SERVER, "127.0.0.1", why, sizeof(why)));
        CHECK_OK(verify(leaf, LC_X509_SERVER, "::1", why, sizeof(why)));
        CHECK_OK(verify(leaf, LC_X509_SERVER, "www.example.test", why, sizeof(why)));
        CHECK_OK(verify(leaf, LC_X509_SERVER, NULL, why, sizeof(why)));

        CHECK_OK(lc_cert_describe(pki.cr, leaf, &info));
        CHECK(info.key_type == kinds[i].type && info.key_bits == kinds[i].bits);
        CHECK(!info.ca);
        CHECK(strcmp(info.usage, kinds[i].usage) == 0);
        CHECK(strcmp(info.names, "DNS:localhost, IP:127.0.0.1, IP:::1, DNS:*.example.test") == 0);
        CHECK(strcmp(info.subject, "O=Lucid development certificate, CN=localhost") == 0);
        CHECK(strcmp(info.issuer,
                     "O=Lucid Local PKI, CN=Lucid Local Intermediate CA (test@unit)") == 0);
        /* the intermediate's key is P-256, so every leaf is signed with ECDSA and SHA-256 */
        CHECK(strcmp(info.signature, "ecdsa-with-SHA256") == 0);
        CHECK(info.not_before == req.not_before && info.not_after == req.not_after);
        lc_cert_free(leaf);
    }
}

static void test_wrong_name(void)
{
    struct lc_cert_request req = leaf_request(LC_CERT_SERVER, pki.now - 60, pki.now + DAY);
    lc_cert *leaf = issue(&req, LC_KEY_EC_P256, 0, NULL);
    char why[256] = "";

    if (leaf == NULL) {
        return;
    }
    CHECK_RC(verify(leaf, LC_X509_SERVER, "example.com", why, sizeof(why)), LC_E_CERT_NAME);
    CHECK(strstr(why, "'example.com' is not in the certificate's names") != NULL);
    CHECK(strstr(why, "localhost") != NULL);
    /* a wildcard covers exactly one label */
    CHECK_RC(verify(leaf, LC_X509_SERVER, "a.b.example.test", why, sizeof(why)), LC_E_CERT_NAME);
    CHECK_RC(verify(leaf, LC_X509_SERVER, "example.test", why, sizeof(why)), LC_E_CERT_NAME);
    CHECK_RC(verify(leaf, LC_X509_SERVER, "127.0.0.2", why, sizeof(why)), LC_E_CERT_NAME);
    lc_cert_free(leaf);
}

static void test_validity(void)
{
    struct lc_cert_request past = leaf_request(LC_CERT_SERVER, pki.now - 30 * DAY, pki.now - DAY);
    struct lc_cert_request future = leaf_request(LC_CERT_SERVER, pki.now + DAY, pki.now + 9 * DAY);
    lc_cert *expired = issue(&past, LC_KEY_EC_P256, 0, NULL);
    lc_cert *early = issue(&future, LC_KEY_ED25519, 0, NULL);
    char why[256] = "";

    if (expired != NULL) {
        CHECK_RC(verify(expired, LC_X509_SERVER, "localhost", why, sizeof(why)),
                 LC_E_CERT_EXPIRED);
        CHECK(strstr(why, "expired") != NULL);
    }
    if (early != NULL) {
        CHECK_RC(verify(early, LC_X509_SERVER, "localhost", why, sizeof(why)),
                 LC_E_CERT_NOT_YET_VALID);
        CHECK(strstr(why, "not yet valid") != NULL);
    }
    lc_cert_free(expired);
    lc_cert_free(early);
}

/* Dates before 1950 and after 2049 (GeneralizedTime) and between (UTCTime): RFC 5280 4.1.2.5. */
static void test_date_encodings(void)
{
    static const int64_t dates[][2] = {
        { -62135596800, -2208988800 }, /* 0001-01-01 .. 1900-01-01 */
        { 631152000, 946684799 },      /* 1990-01-01 .. 1999-12-31 23:59:59 */
        { 2524607999, 2524608000 },    /* 2049-12-31 23:59:59 .. 2050-01-01 */
        { 4102444800, 253402300799 },  /* 2100-01-01 .. 9999-12-31 23:59:59 */
    };

    for (size_t i = 0; i < LC_ARRAY_LEN(dates); i++) {
        struct lc_cert_request req = leaf_request(LC_CERT_SERVER, dates[i][0], dates[i][1]);
        lc_cert *leaf = issue(&req, LC_KEY_EC_P256, 0, NULL);
        struct lc_cert_info info;

        if (leaf != NULL) {
            CHECK_OK(lc_cert_describe(pki.cr, leaf, &info));
            CHECK(info.not_before == dates[i][0] && info.not_after == dates[i][1]);
        }
        lc_cert_free(leaf);
    }
}

static void test_client_certificate(void)
{
    struct lc_cert_request req = leaf_request(LC_CERT_CLIENT, pki.now - 60, pki.now + DAY);
    lc_cert *leaf = issue(&req, LC_KEY_EC_P384, 0, NULL);
    struct lc_cert_info info;
    char why[256] = "";

    if (leaf == NULL) {
        return;
    }
    CHECK_OK(verify(leaf, LC_X509_CLIENT, NULL, why, sizeof(why)));
    CHECK_RC(verify(leaf, LC_X509_SERVER, "localhost", why, sizeof(why)), LC_E_CERT_USAGE);
    CHECK(strstr(why, "CN=localhost") != NULL);
    CHECK_OK(lc_cert_describe(pki.cr, leaf, &info));
    CHECK(strcmp(info.usage, "digitalSignature; clientAuth") == 0);
    lc_cert_free(leaf);

    /* and a server certificate is no client certificate */
    req.role = LC_CERT_SERVER;
    leaf = issue(&req, LC_KEY_EC_P256, 0, NULL);
    if (leaf != NULL) {
        CHECK_RC(verify(leaf, LC_X509_CLIENT, NULL, why, sizeof(why)), LC_E_CERT_USAGE);
    }
    lc_cert_free(leaf);
}

/* pathlen 0 on the intermediate: a CA under it cannot issue anything that verifies. */
static void test_path_length(void)
{
    struct lc_cert_request sub = { .role = LC_CERT_INTERMEDIATE, .common_name = "Sub CA",
                                   .not_before = pki.now - 60, .not_after = pki.now + DAY };
    struct lc_cert_request req = leaf_request(LC_CERT_SERVER, pki.now - 60, pki.now + DAY);
    lc_pkey *sub_key = NULL, *leaf_key = NULL;
    lc_cert *sub_ca = NULL, *leaf = NULL, *direct = NULL;
    char why[256] = "";

    CHECK_OK(lc_pkey_generate(pki.cr, LC_KEY_EC_P256, 0, &sub_key));
    CHECK_OK(lc_pkey_generate(pki.cr, LC_KEY_EC_P256, 0, &leaf_key));
    CHECK_OK(lc_cert_make(pki.cr, &sub, sub_key, pki.inter, pki.int_key, &sub_ca, why,
                          sizeof(why)));
    CHECK_OK(lc_cert_make(pki.cr, &req, leaf_key, sub_ca, sub_key, &leaf, why, sizeof(why)));
    if (sub_ca != NULL && leaf != NULL) {
        lc_der chain[3] = { *lc_cert_der(leaf), *lc_cert_der(sub_ca), *lc_cert_der(pki.inter) };

        CHECK_RC(lc_x509_verify(pki.trust, chain, 3, LC_X509_SERVER, "localhost", why,
                                sizeof(why)),
                 LC_E_BAD_CERTIFICATE);
        CHECK(strstr(why, "path length") != NULL);
    }
    /* pathlen 1 on the root: a leaf straight under it is fine */
    CHECK_OK(lc_cert_make(pki.cr, &req, leaf_key, pki.root, pki.root_key, &direct, why,
                          sizeof(why)));
    if (direct != NULL) {
        lc_der chain[1] = { *lc_cert_der(direct) };
        CHECK_OK(lc_x509_verify(pki.trust, chain, 1, LC_X509_SERVER, "localhost", why,
                                sizeof(why)));
    }
    lc_cert_free(direct);
    lc_cert_free(leaf);
    lc_cert_free(sub_ca);
    lc_pkey_free(leaf_key);
    lc_pkey_free(sub_key);
}

static void test_pem_round_trip(void)
{
    struct lc_cert_request req = leaf_request(LC_CERT_SERVER, pki.now - 60, pki.now + DAY);
    lc_pkey *key = NULL, *back = NULL;
    lc_cert *leaf = issue(&req, LC_KEY_ED25519, 0, &key), *again = NULL;
    lc_buf pem = { 0 }, keypem = { 0 };
    lc_chain chain = { 0 };

    if (leaf == NULL) {
        lc_pkey_free(key);
        return;
    }
    CHECK_OK(lc_cert_pem(leaf, &pem));
    CHECK_OK(lc_cert_pem(pki.inter, &pem));
    CHECK(pem.len > 0 && memcmp(lc_buf_data(&pem), "-----BEGIN CERTIFICATE-----\n", 28) == 0);
    CHECK_OK(lc_cert_from_pem(lc_buf_data(&pem), pem.len, &again));
    if (again != NULL) {
        CHECK_MEM(lc_cert_der(again)->der, lc_cert_der(again)->len, lc_cert_der(leaf)->der,
                  lc_cert_der(leaf)->len);
    }
    CHECK_OK(lc_chain_from_pem(lc_buf_data(&pem), pem.len, &chain));
    CHECK(chain.count == 2);

    CHECK_OK(lc_pkey_pem(key, &keypem));
    CHECK(keypem.len > 0 && memcmp(lc_buf_data(&keypem), "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
    CHECK_OK(lc_pkey_from_pem(pki.cr, lc_buf_data(&keypem), keypem.len, &back));
    CHECK(lc_pkey_matches(back, key));

    /* DER too: one certificate, nothing after it */
    lc_cert_free(again);
    CHECK_OK(lc_cert_from_der(lc_cert_der(leaf)->der, lc_cert_der(leaf)->len, &again));
    lc_cert_free(again);
    CHECK_RC(lc_cert_from_der(lc_cert_der(leaf)->der, lc_cert_der(leaf)->len - 1, &again),
             LC_E_BAD_CERTIFICATE);
    CHECK(again == NULL);
    CHECK_RC(lc_cert_from_pem("no certificate here", 19, &again), LC_E_CONFIG);
    CHECK(again == NULL);

    lc_chain_free(&chain);
    lc_buf_free(&keypem);
    lc_buf_free(&pem);
    lc_pkey_free(back);
    lc_pkey_free(key);
    lc_cert_free(leaf);
}

/* Serials are random, positive and at most 128 bits; fingerprints are SHA-256 of the DER. */
static void test_serial_and_fingerprint(void)
{
    struct lc_cert_request req = leaf_request(LC_CERT_SERVER, pki.now - 60, pki.now + DAY);
    lc_pkey *key = NULL;
    lc_cert *a = issue(&req, LC_KEY_EC_P256, 0, &key), *b = NULL;
    struct lc_cert_info ia, ib;
    uint8_t digest[32];
    char why[256];

    CHECK_OK(lc_cert_make(pki.cr, &req, key, pki.inter, pki.int_key, &b, why, sizeof(why)));
    if (a != NULL && b != NULL) {
        CHECK_OK(lc_cert_describe(pki.cr, a, &ia));
        CHECK_OK(lc_cert_describe(pki.cr, b, &ib));
        CHECK(strcmp(ia.serial, ib.serial) != 0);
        CHECK(strlen(ia.serial) > 0 && strlen(ia.serial) <= 32 && ia.serial[0] != '-');
        CHECK_OK(lc_hash(pki.cr, LC_SHA256, lc_cert_der(a)->der, lc_cert_der(a)->len, digest));
        CHECK_MEM(ia.sha256, sizeof(ia.sha256), digest, sizeof(digest));
    }
    lc_cert_free(a);
    lc_cert_free(b);
    lc_pkey_free(key);
}

/* A first name too long for a CN leaves the CN out; the names still verify. */
static void test_long_common_name(void)
{
    static const char *const names[] = {
        "a-very-long-host-name-that-goes-on.and-on-past-sixty-four.example.test" };
    struct lc_cert_request req = leaf_request(LC_CERT_SERVER, pki.now - 60, pki.now + DAY);
    lc_cert *leaf;
    struct lc_cert_info info;
    char why[256] = "";

    req.common_name = names[0];
    req.names = names;
    req.name_count = 1;
    leaf = issue(&req, LC_KEY_EC_P256, 0, NULL);
    if (leaf != NULL) {
        CHECK_OK(lc_cert_describe(pki.cr, leaf, &info));
        CHECK(strcmp(info.subject, "O=Lucid development certificate") == 0);
        CHECK_OK(verify(leaf, LC_X509_SERVER, names[0], why, sizeof(why)));
    }
    lc_cert_free(leaf);
}

/* Requests that make no sense are refused before anything is signed, with a reason. */
static void test_bad_requests(void)
{
    static const char *const bad_names[] = {
        "",           "foo bar",       "*.test",          "a..b",         "-a.test",
        "a-.test",    "*.*.x.test",    "a*.example.test", "example.com.", "10.0.0.256",
        "1.2.3.4.5",  "fe80::1%eth0",  "h\xc3\xa9.test",  "*",            "a/b",
    };
    struct lc_cert_request req = leaf_request(LC_CERT_SERVER, pki.now - 60, pki.now + DAY);
    lc_pkey *key = NULL;
    lc_cert *out = NULL;
    char why[256];

    CHECK_OK(lc_pkey_generate(pki.cr, LC_KEY_EC_P256, 0, &key));
    for (size_t i = 0; i < LC_ARRAY_LEN(bad_names); i++) {
        req.names = &bad_names[i];
        req.name_count = 1;
        why[0] = '\0';
        CHECK_RC(lc_cert_make(pki.cr, &req, key, pki.inter, pki.int_key, &out, why, sizeof(why)),
                 LC_E_BAD_ARGUMENT);
        CHECK(why[0] != '\0');
        if (strstr(why, bad_names[i]) == NULL) {
            fprintf(stderr, "  the reason for '%s' does not name it: %s\n", bad_names[i], why);
            CHECK(strstr(why, bad_names[i]) != NULL);
        }
    }
    req = leaf_request(LC_CERT_SERVER, pki.now - 60, pki.now + DAY);

    req.name_count = 0;
    CHECK_RC(lc_cert_make(pki.cr, &req, key, pki.inter, pki.int_key, &out, why, sizeof(why)),
             LC_E_BAD_ARGUMENT);
    CHECK(strstr(why, "at least one name") != NULL);
    req.name_count = 1;

    req.not_after = req.not_before;
    CHECK_RC(lc_cert_make(pki.cr, &req, key, pki.inter, pki.int_key, &out, why, sizeof(why)),
             LC_E_BAD_ARGUMENT);
    CHECK(strstr(why, "end before it begins") != NULL);
    req.not_after = pki.now + DAY;

    /* a leaf needs an issuer; a root has none */
    CHECK_RC(lc_cert_make(pki.cr, &req, key, NULL, NULL, &out, why, sizeof(why)),
             LC_E_BAD_ARGUMENT);
    req.role = LC_CERT_ROOT;
    req.names = NULL;
    req.name_count = 0;
    CHECK_RC(lc_cert_make(pki.cr, &req, key, pki.inter, pki.int_key, &out, why, sizeof(why)),
             LC_E_BAD_ARGUMENT);
    req = leaf_request(LC_CERT_SERVER, pki.now - 60, pki.now + DAY);

    /* the issuer's key must be the issuer's; the issuer must be a CA */
    CHECK_RC(lc_cert_make(pki.cr, &req, key, pki.inter, pki.root_key, &out, why, sizeof(why)),
             LC_E_BAD_ARGUMENT);
    CHECK(strstr(why, "does not belong") != NULL);
    {
        lc_cert *leaf = issue(&req, LC_KEY_EC_P256, 0, NULL);
        if (leaf != NULL) {
            CHECK_RC(lc_cert_make(pki.cr, &req, key, leaf, key, &out, why, sizeof(why)),
                     LC_E_BAD_ARGUMENT);
            CHECK(strstr(why, "not a CA") != NULL);
        }
        lc_cert_free(leaf);
    }
    /* dates past 9999 cannot be encoded */
    req.not_after = 253402300800; /* 10000-01-01 */
    CHECK_RC(lc_cert_make(pki.cr, &req, key, pki.inter, pki.int_key, &out, why, sizeof(why)),
             LC_E_BAD_ARGUMENT);
    CHECK(out == NULL);
    lc_pkey_free(key);
}

/* setup runs first and teardown last: one PKI serves every test (RSA keys and CAs are not free) */
TEST_MAIN(setup, test_ca_certificates, test_leaf_of_every_key_type, test_wrong_name,
          test_validity, test_date_encodings, test_client_certificate, test_path_length,
          test_pem_round_trip, test_serial_and_fingerprint, test_long_common_name,
          test_bad_requests, teardown)
