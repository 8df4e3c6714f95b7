/*
 * Tests for src/crypto/kex.c: X25519 known answers (RFC 7748 5.2 and 6.1),
 * the P-256 exchange of RFC 8448 5 replayed from its private keys, fresh key
 * pairs agreeing for every group, and each kind of bad peer value
 * rejected with LC_E_BAD_KEY_SHARE (RFC 8446 4.2.8.1-2, 7.4).
 */
#include "test.h"

#include <openssl/err.h>

#include "base/error.h"
#include "crypto/crypto.h"

/* RFC 7919 A.1 and A.2: the FFDHE primes. */
static const char FFDHE2048_P[] =
    "FFFFFFFF FFFFFFFF ADF85458 A2BB4A9A AFDC5620 273D3CF1"
    "D8B9C583 CE2D3695 A9E13641 146433FB CC939DCE 249B3EF9"
    "7D2FE363 630C75D8 F681B202 AEC4617A D3DF1ED5 D5FD6561"
    "2433F51F 5F066ED0 85636555 3DED1AF3 B557135E 7F57C935"
    "984F0C70 E0E68B77 E2A689DA F3EFE872 1DF158A1 36ADE735"
    "30ACCA4F 483A797A BC0AB182 B324FB61 D108A94B B2C8E3FB"
    "B96ADAB7 60D7F468 1D4F42A3 DE394DF4 AE56EDE7 6372BB19"
    "0B07A7C8 EE0A6D70 9E02FCE1 CDF7E2EC C03404CD 28342F61"
    "9172FE9C E98583FF 8E4F1232 EEF28183 C3FE3B1B 4C6FAD73"
    "3BB5FCBC 2EC22005 C58EF183 7D1683B2 C6F34A26 C1B2EFFA"
    "886B4238 61285C97 FFFFFFFF FFFFFFFF";
static const char FFDHE3072_P[] =
    "FFFFFFFF FFFFFFFF ADF85458 A2BB4A9A AFDC5620 273D3CF1"
    "D8B9C583 CE2D3695 A9E13641 146433FB CC939DCE 249B3EF9"
    "7D2FE363 630C75D8 F681B202 AEC4617A D3DF1ED5 D5FD6561"
    "2433F51F 5F066ED0 85636555 3DED1AF3 B557135E 7F57C935"
    "984F0C70 E0E68B77 E2A689DA F3EFE872 1DF158A1 36ADE735"
    "30ACCA4F 483A797A BC0AB182 B324FB61 D108A94B B2C8E3FB"
    "B96ADAB7 60D7F468 1D4F42A3 DE394DF4 AE56EDE7 6372BB19"
    "0B07A7C8 EE0A6D70 9E02FCE1 CDF7E2EC C03404CD 28342F61"
    "9172FE9C E98583FF 8E4F1232 EEF28183 C3FE3B1B 4C6FAD73"
    "3BB5FCBC 2EC22005 C58EF183 7D1683B2 C6F34A26 C1B2EFFA"
    "886B4238 611FCFDC DE355B3B 6519035B BC34F4DE F99C0238"
    "61B46FC9 D6E6C907 7AD91D26 91F7F7EE 598CB0FA C186D91C"
    "AEFE1309 85139270 B4130C93 BC437944 F4FD4452 E2D74DD3"
    "64F2E21E 71F54BFF 5CAE82AB 9C9DF69E E86D2BC5 22363A0D"
    "ABC52197 9B0DEADA 1DBF9A42 D5C4484E 0ABCD06B FA53DDEF"
    "3C1B20EE 3FD59D7C 25E41D2B 66C62E37 FFFFFFFF FFFFFFFF";

static void test_supported(void)
{
    CHECK(lc_kex_supported(LC_GROUP_X25519) && lc_kex_pub_len(LC_GROUP_X25519) == 32);
    CHECK(lc_kex_supported(LC_GROUP_SECP256R1) && lc_kex_pub_len(LC_GROUP_SECP256R1) == 65);
    CHECK(lc_kex_supported(LC_GROUP_SECP384R1) && lc_kex_pub_len(LC_GROUP_SECP384R1) == 97);
    CHECK(lc_kex_supported(LC_GROUP_FFDHE2048) && lc_kex_pub_len(LC_GROUP_FFDHE2048) == 256);
    CHECK(lc_kex_supported(LC_GROUP_FFDHE3072) && lc_kex_pub_len(LC_GROUP_FFDHE3072) == 384);
    /* x448, secp521r1, ffdhe4096: not offered */
    CHECK(!lc_kex_supported(0x001e) && lc_kex_pub_len(0x001e) == 0);
    CHECK(!lc_kex_supported(0x0019));
    CHECK(!lc_kex_supported(0x0102));
}

/* X25519(k, u) through the API: a key from scalar k, derived with peer value u. */
static int x25519(lc_crypto *cr, const uint8_t k[32], const uint8_t u[32], uint8_t out[32])
{
    uint8_t pub[32];
    size_t publen, outlen;
    lc_kex *kex = NULL;
    int rc = lc_kex_from_private(cr, LC_GROUP_X25519, k, 32, &kex, pub, sizeof(pub), &publen);

    if (rc == 0) {
        rc = lc_kex_derive(kex, u, 32, out, 32, &outlen);
    }
    lc_kex_free(kex);
    return rc;
}

static void test_x25519_rfc7748(void)
{
    /* 5.2: two single computations (the second u has its top bit set, which is ignored) */
    static const char *const vec[][3] = {
        { "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
          "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
          "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552" },
        { "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
          "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
          "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957" },
    };
    lc_crypto *cr = lc_crypto_new();
    uint8_t k[32], u[32], want[32], got[32];

    CHECK(cr != NULL);
    for (size_t i = 0; i < LC_ARRAY_LEN(vec); i++) {
        test_hex(vec[i][0], k, sizeof(k));
        test_hex(vec[i][1], u, sizeof(u));
        test_hex(vec[i][2], want, sizeof(want));
        CHECK_OK(x25519(cr, k, u, got));
        CHECK_MEM(got, 32, want, 32);
    }

    /* 5.2, iterated: k = u = 9; then k, u = X25519(k, u), k; after 1 and 1000 rounds */
    memset(k, 0, sizeof(k));
    k[0] = 9;
    memcpy(u, k, sizeof(u));
    for (int round = 1; round <= 1000; round++) {
        CHECK_OK(x25519(cr, k, u, got));
        memcpy(u, k, 32);
        memcpy(k, got, 32);
        if (round == 1) {
            test_hex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", want,
                     sizeof(want));
            CHECK_MEM(k, 32, want, 32);
        }
    }
    test_hex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", want,
             sizeof(want));
    CHECK_MEM(k, 32, want, 32);
    lc_crypto_free(cr);
}

static void test_x25519_rfc7748_dh(void)
{
    /* 6.1: Alice and Bob */
    lc_crypto *cr = lc_crypto_new();
    uint8_t a[32], b[32], ka[32], kb[32], k[32], pub[64], shared[64];
    size_t publen, sharedlen;
    lc_kex *alice = NULL, *bob = NULL;

    CHECK(cr != NULL);
    test_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a, sizeof(a));
    test_hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", ka, sizeof(ka));
    test_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", b, sizeof(b));
    test_hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", kb, sizeof(kb));
    test_hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", k, sizeof(k));

    CHECK_OK(lc_kex_from_private(cr, LC_GROUP_X25519, a, 32, &alice, pub, sizeof(pub), &publen));
    CHECK_MEM(pub, publen, ka, 32);
    CHECK_OK(lc_kex_from_private(cr, LC_GROUP_X25519, b, 32, &bob, pub, sizeof(pub), &publen));
    CHECK_MEM(pub, publen, kb, 32);
    CHECK(alice != NULL && bob != NULL);
    if (alice == NULL || bob == NULL) {
        goto out;
    }
    CHECK(lc_kex_group(alice) == LC_GROUP_X25519);
    CHECK_OK(lc_kex_derive(alice, kb, 32, shared, sizeof(shared), &sharedlen));
    CHECK_MEM(shared, sharedlen, k, 32);
    CHECK_OK(lc_kex_derive(bob, ka, 32, shared, sizeof(shared), &sharedlen));
    CHECK_MEM(shared, sharedlen, k, 32);
out:
    lc_kex_free(alice);
    lc_kex_free(bob);
    lc_crypto_free(cr);
}

static void test_x25519_bad_peer(void)
{
    /* RFC 8446 7.4.2 / RFC 7748 6.1: a low-order point gives an all-zero secret */
    lc_crypto *cr = lc_crypto_new();
    uint8_t pub[32], peer[33], shared[32];
    size_t publen, sharedlen;
    lc_kex *k = NULL;
    /* points of order 1, 2 and 8 (u = 0, u = 1, and one of the order-8 points) */
    static const char *const low_order[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    };

    CHECK(cr != NULL);
    CHECK_OK(lc_kex_generate(cr, LC_GROUP_X25519, &k, pub, sizeof(pub), &publen));
    CHECK(k != NULL);
    if (k == NULL) {
        goto out;
    }
    for (size_t i = 0; i < LC_ARRAY_LEN(low_order); i++) {
        test_hex(low_order[i], peer, sizeof(peer));
        memset(shared, 0xcc, sizeof(shared));
        CHECK_RC(lc_kex_derive(k, peer, 32, shared, sizeof(shared), &sharedlen),
                 LC_E_BAD_KEY_SHARE);
        CHECK(ERR_peek_error() == 0);
    }
    /* wrong lengths */
    memcpy(peer, pub, 32);
    peer[32] = 0;
    CHECK_RC(lc_kex_derive(k, peer, 31, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    CHECK_RC(lc_kex_derive(k, peer, 33, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    CHECK_RC(lc_kex_derive(k, peer, 0, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    /* our own value is a fine peer value */
    CHECK_OK(lc_kex_derive(k, peer, 32, shared, sizeof(shared), &sharedlen));
    /* the output must hold the secret */
    CHECK_RC(lc_kex_derive(k, peer, 32, shared, 31, &sharedlen), LC_E_BUFFER_TOO_SMALL);
out:
    lc_kex_free(k);
    lc_crypto_free(cr);
}

static void test_p256_rfc8448(void)
{
    /* RFC 8448 5: after the HelloRetryRequest both sides make P-256 shares */
    lc_crypto *cr = lc_crypto_new();
    uint8_t priv[32], want[65], secret[32], pub[LC_KEX_PUB_MAX], cpub[65], spub[65];
    uint8_t shared[LC_KEX_SHARED_MAX];
    size_t publen, sharedlen;
    lc_kex *client = NULL, *server = NULL;

    CHECK(cr != NULL);
    test_hex("c142ce13ca11b5c2233652e63ad3d97844f1621fbfb9de69d547dc8fedeabeb4", secret,
             sizeof(secret));

    test_hex("ab5473467e19346ceb0a0414e41da21d4d2445bc3025afe97c4e8dc8d513da39", priv,
             sizeof(priv));
    test_hex("04a6da7392ec591e17abfd535964b99894d13befb221b3def2ebe3830eac8f0151812677c4d6d2"
             "237e85cf01d6910cfb83954e76ba7352830534159897e8065780",
             want, sizeof(want));
    CHECK_OK(lc_kex_from_private(cr, LC_GROUP_SECP256R1, priv, 32, &client, pub, sizeof(pub),
                                 &publen));
    CHECK_MEM(pub, publen, want, 65);
    memcpy(cpub, want, 65);

    test_hex("8c510601f9765bfb8ed693449a48989859b5cfa879cb9f5443c41c5ff10634ed", priv,
             sizeof(priv));
    test_hex("04583e054b7a66672ae020ad9d2686fcc85b5ad41a134a0f03ee72b893052bd85b4c8de6776f5b"
             "04ac07d83540eab3e3d9c547bc6528c4317d294686093a6cad7d",
             want, sizeof(want));
    CHECK_OK(lc_kex_from_private(cr, LC_GROUP_SECP256R1, priv, 32, &server, pub, sizeof(pub),
                                 &publen));
    CHECK_MEM(pub, publen, want, 65);
    memcpy(spub, want, 65);

    CHECK(client != NULL && server != NULL);
    if (client != NULL && server != NULL) {
        /* 7.4.2: the shared secret is the x-coordinate, 32 bytes */
        CHECK_OK(lc_kex_derive(client, spub, 65, shared, sizeof(shared), &sharedlen));
        CHECK_MEM(shared, sharedlen, secret, 32);
        CHECK_OK(lc_kex_derive(server, cpub, 65, shared, sizeof(shared), &sharedlen));
        CHECK_MEM(shared, sharedlen, secret, 32);
    }
    lc_kex_free(client);
    lc_kex_free(server);

    /* a scalar of zero, or not below the group order, is no key */
    memset(priv, 0, sizeof(priv));
    CHECK_RC(lc_kex_from_private(cr, LC_GROUP_SECP256R1, priv, 32, &client, pub, sizeof(pub),
                                 &publen),
             LC_E_BAD_ARGUMENT);
    CHECK(client == NULL);
    memset(priv, 0xff, sizeof(priv));
    CHECK_RC(lc_kex_from_private(cr, LC_GROUP_SECP256R1, priv, 32, &client, pub, sizeof(pub),
                                 &publen),
             LC_E_BAD_ARGUMENT);
    CHECK(ERR_peek_error() == 0);
    lc_crypto_free(cr);
}

/* Two fresh key pairs of a group agree; returns the shared length. */
static size_t check_agree(lc_crypto *cr, uint16_t group)
{
    uint8_t apub[LC_KEX_PUB_MAX], bpub[LC_KEX_PUB_MAX];
    uint8_t as[LC_KEX_SHARED_MAX], bs[LC_KEX_SHARED_MAX];
    size_t apublen = 0, bpublen = 0, aslen = 0, bslen = 0;
    lc_kex *a = NULL, *b = NULL;

    CHECK_OK(lc_kex_generate(cr, group, &a, apub, sizeof(apub), &apublen));
    CHECK_OK(lc_kex_generate(cr, group, &b, bpub, sizeof(bpub), &bpublen));
    CHECK(a != NULL && b != NULL);
    if (a != NULL && b != NULL) {
        CHECK(apublen == lc_kex_pub_len(group) && bpublen == apublen);
        CHECK(memcmp(apub, bpub, apublen) != 0);
        CHECK(lc_kex_group(a) == group);
        CHECK_OK(lc_kex_derive(a, bpub, bpublen, as, sizeof(as), &aslen));
        CHECK_OK(lc_kex_derive(b, apub, apublen, bs, sizeof(bs), &bslen));
        CHECK_MEM(as, aslen, bs, bslen);
    }
    lc_kex_free(a);
    lc_kex_free(b);
    return aslen;
}

static void test_all_groups_agree(void)
{
    lc_crypto *cr = lc_crypto_new();
    uint8_t pub[LC_KEX_PUB_MAX];
    size_t publen;
    lc_kex *k = NULL;

    CHECK(cr != NULL);
    CHECK(check_agree(cr, LC_GROUP_X25519) == 32);
    CHECK(check_agree(cr, LC_GROUP_SECP256R1) == 32);
    CHECK(check_agree(cr, LC_GROUP_SECP384R1) == 48);
    /* 7.4.1: FFDHE secrets are the size of p, whatever their leading zeros */
    CHECK(check_agree(cr, LC_GROUP_FFDHE2048) == 256);
    CHECK(check_agree(cr, LC_GROUP_FFDHE3072) == 384);
    /* unsupported group, and a buffer too small for the public value */
    CHECK_RC(lc_kex_generate(cr, 0x001e, &k, pub, sizeof(pub), &publen), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_kex_generate(cr, LC_GROUP_SECP256R1, &k, pub, 64, &publen),
             LC_E_BUFFER_TOO_SMALL);
    CHECK(k == NULL);
    lc_crypto_free(cr);
}

static void check_ec_bad_peer(lc_crypto *cr, uint16_t group)
{
    uint8_t pub[LC_KEX_PUB_MAX], peer[LC_KEX_PUB_MAX + 1], shared[LC_KEX_SHARED_MAX];
    size_t publen = 0, sharedlen, n = lc_kex_pub_len(group), coord = (n - 1) / 2;
    lc_kex *k = NULL, *other = NULL;

    CHECK_OK(lc_kex_generate(cr, group, &k, pub, sizeof(pub), &publen));
    CHECK_OK(lc_kex_generate(cr, group, &other, peer, sizeof(peer), &publen));
    CHECK(k != NULL && other != NULL);
    if (k == NULL || other == NULL) {
        goto out;
    }
    CHECK_OK(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen));

    /* a point off the curve: y changed by one bit */
    peer[n - 1] ^= 0x01;
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    CHECK(ERR_peek_error() == 0);
    peer[n - 1] ^= 0x01;
    /* wrong lengths: cut short, one byte more */
    CHECK_RC(lc_kex_derive(k, peer, n - 1, shared, sizeof(shared), &sharedlen),
             LC_E_BAD_KEY_SHARE);
    CHECK_RC(lc_kex_derive(k, peer, n + 1, shared, sizeof(shared), &sharedlen),
             LC_E_BAD_KEY_SHARE);
    /* compressed (4.2.8.2 allows only uncompressed): 02/03 || X, and with the full length */
    peer[0] = (uint8_t)(0x02 | (peer[n - 1] & 1));
    CHECK_RC(lc_kex_derive(k, peer, 1 + coord, shared, sizeof(shared), &sharedlen),
             LC_E_BAD_KEY_SHARE);
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    /* hybrid form 06/07, which libcrypto would otherwise parse */
    peer[0] = (uint8_t)(0x06 | (peer[n - 1] & 1));
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    /* the point at infinity: the single byte 00, and a full-length value of zeros */
    memset(peer, 0, sizeof(peer));
    CHECK_RC(lc_kex_derive(k, peer, 1, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    /* 04 || 0 || 0: uncompressed, but (0, 0) is not on the curve */
    peer[0] = 0x04;
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    /* a coordinate not below the field prime: x = y = 2^bits - 1 */
    memset(peer + 1, 0xff, n - 1);
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    CHECK(ERR_peek_error() == 0);
out:
    lc_kex_free(k);
    lc_kex_free(other);
}

static void test_ec_bad_peer(void)
{
    lc_crypto *cr = lc_crypto_new();

    CHECK(cr != NULL);
    check_ec_bad_peer(cr, LC_GROUP_SECP256R1);
    check_ec_bad_peer(cr, LC_GROUP_SECP384R1);
    lc_crypto_free(cr);
}

/* Writes v (big-endian, n bytes) = p + delta for a small delta of either sign. */
static void p_plus(const char *p_hex, int delta, uint8_t *v, size_t n)
{
    int carry = delta;

    CHECK(test_hex(p_hex, v, n) == n);
    for (size_t i = n; i-- > 0 && carry != 0;) {
        int x = v[i] + carry;

        v[i] = (uint8_t)(x & 0xff);
        carry = x >> 8; /* arithmetic shift: -1 propagates a borrow */
    }
}

static void check_ffdhe_bad_peer(lc_crypto *cr, uint16_t group, const char *p_hex)
{
    uint8_t pub[LC_KEX_PUB_MAX], peer[LC_KEX_PUB_MAX + 1], shared[LC_KEX_SHARED_MAX];
    size_t publen = 0, sharedlen, n = lc_kex_pub_len(group);
    lc_kex *k = NULL;

    CHECK_OK(lc_kex_generate(cr, group, &k, pub, sizeof(pub), &publen));
    CHECK(k != NULL);
    if (k == NULL) {
        return;
    }
    /* 4.2.8.1: Y must satisfy 1 < Y < p-1 */
    memset(peer, 0, sizeof(peer));
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    peer[n - 1] = 1;
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    p_plus(p_hex, -1, peer, n);
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    p_plus(p_hex, 0, peer, n);
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    p_plus(p_hex, 1, peer, n);
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    memset(peer, 0xff, n);
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    /* p-2 = -2 is in range but outside the prime-order subgroup; libcrypto's check refuses it */
    p_plus(p_hex, -2, peer, n);
    CHECK_RC(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen), LC_E_BAD_KEY_SHARE);
    CHECK(ERR_peek_error() == 0);
    /* wrong lengths: a value not padded to the size of p, and one byte more */
    memcpy(peer, pub, n);
    CHECK_RC(lc_kex_derive(k, peer + 1, n - 1, shared, sizeof(shared), &sharedlen),
             LC_E_BAD_KEY_SHARE);
    peer[n] = 0;
    CHECK_RC(lc_kex_derive(k, peer, n + 1, shared, sizeof(shared), &sharedlen),
             LC_E_BAD_KEY_SHARE);
    /* Y = 2 (in range and in the subgroup) is accepted */
    memset(peer, 0, n);
    peer[n - 1] = 2;
    CHECK_OK(lc_kex_derive(k, peer, n, shared, sizeof(shared), &sharedlen));
    CHECK(sharedlen == n);
    lc_kex_free(k);
}

static void test_ffdhe_bad_peer(void)
{
    lc_crypto *cr = lc_crypto_new();

    CHECK(cr != NULL);
    check_ffdhe_bad_peer(cr, LC_GROUP_FFDHE2048, FFDHE2048_P);
    check_ffdhe_bad_peer(cr, LC_GROUP_FFDHE3072, FFDHE3072_P);
    lc_crypto_free(cr);
}

static void test_ffdhe_from_private(void)
{
    /*
     * With x = 3 our Y is g^3 = 8; with peer Y = 4 the secret is 4^3 = 64.
     * Both are tiny, so they show the left-padding of 4.2.8.1 and 7.4.1.
     */
    lc_crypto *cr = lc_crypto_new();
    uint8_t x[1] = { 3 }, pub[LC_KEX_PUB_MAX], peer[256], shared[LC_KEX_SHARED_MAX];
    uint8_t want[256];
    size_t publen = 0, sharedlen = 0;
    lc_kex *k = NULL;

    CHECK(cr != NULL);
    CHECK_OK(lc_kex_from_private(cr, LC_GROUP_FFDHE2048, x, 1, &k, pub, sizeof(pub), &publen));
    memset(want, 0, sizeof(want));
    want[255] = 8;
    CHECK_MEM(pub, publen, want, 256);
    if (k != NULL) {
        memset(peer, 0, sizeof(peer));
        peer[255] = 4;
        CHECK_OK(lc_kex_derive(k, peer, 256, shared, sizeof(shared), &sharedlen));
        want[255] = 64;
        CHECK_MEM(shared, sharedlen, want, 256);
    }
    lc_kex_free(k);
    k = NULL;
    /* exponents 0 and 1 are refused */
    x[0] = 1;
    CHECK_RC(lc_kex_from_private(cr, LC_GROUP_FFDHE2048, x, 1, &k, pub, sizeof(pub), &publen),
             LC_E_BAD_ARGUMENT);
    CHECK(k == NULL);
    CHECK(ERR_peek_error() == 0);
    lc_crypto_free(cr);
}

TEST_MAIN(test_supported, test_x25519_rfc7748, test_x25519_rfc7748_dh, test_x25519_bad_peer,
          test_p256_rfc8448, test_all_groups_agree, test_ec_bad_peer, test_ffdhe_bad_peer,
          test_ffdhe_from_private)
