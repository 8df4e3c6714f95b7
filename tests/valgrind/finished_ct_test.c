/*
 * Finished, binder and cookie comparisons go through lc_ct_equal (issue 8; STYLE 3.5:
 * "Finished, binders and MACs are compared with lc_ct_equal (CRYPTO_memcmp)").
 *
 * The binary is linked with -Wl,--wrap=lc_ct_equal (tests/valgrind/CMakeLists.txt): every
 * call the library makes to lc_ct_equal comes to __wrap_lc_ct_equal below, which records
 * the length and the result and then calls the real one. So the test sees whether a check
 * went through the constant-time compare, and over how many bytes, rather than trusting a
 * grep. Record MACs (the AEAD tags) are checked inside libcrypto's EVP AEAD, which compares
 * tags with CRYPTO_memcmp.
 *
 * - A full handshake for each cipher suite: each side's check of the peer's Finished is one
 *   call over Hash.length bytes (32, or 48 for SHA-384).
 * - A HelloRetryRequest handshake: the echoed cookie is compared the same way.
 * - lc_ks_finished_check and lc_ks_binder_check: a right value passes, a value wrong in its
 *   first or in its last byte fails with the same error after one full-length compare (no
 *   shortcut at the first difference).
 */
#include "test.h"

#include <lucid/lucid.h>

#include "base/error.h"
#include "crypto/crypto.h"
#include "handshake/key_schedule.h"

#define CERTS "vectors/certs/"
#define MAX_CALLS 64

int __real_lc_ct_equal(const void *a, const void *b, size_t n);
int __wrap_lc_ct_equal(const void *a, const void *b, size_t n);

static struct {
    size_t n;
    int equal;
} calls[MAX_CALLS];
static size_t ncalls;

int __wrap_lc_ct_equal(const void *a, const void *b, size_t n)
{
    int r = __real_lc_ct_equal(a, b, n);

    if (ncalls < MAX_CALLS) {
        calls[ncalls].n = n;
        calls[ncalls].equal = r;
    }
    ncalls++;
    return r;
}

/* How many recorded calls compared exactly n bytes and found them equal. */
static size_t equal_calls_of(size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < ncalls && i < MAX_CALLS; i++) {
        k += calls[i].n == n && calls[i].equal;
    }
    return k;
}

static size_t pump_once(lucid_conn *from, lucid_conn *to)
{
    const uint8_t *out;
    size_t n = lucid_conn_pending(from, &out);

    if (n > 0) {
        lucid_conn_feed(to, out, n);
        lucid_conn_consume(from, n);
    }
    return n;
}

/* A handshake in memory; returns 1 when both sides are done. */
static int handshake(const char *suite, const char *server_groups, const char *client_groups)
{
    lucid_error err;
    lucid_ctx *sctx = lucid_ctx_new(LUCID_SERVER, &err);
    lucid_ctx *cctx = lucid_ctx_new(LUCID_CLIENT, &err);
    lucid_conn *s, *c;
    int done;

    CHECK(sctx != NULL && cctx != NULL);
    CHECK_OK(lucid_ctx_add_cert(sctx, CERTS "ecdsa_chain.pem", CERTS "ecdsa_key.pem", &err));
    CHECK_OK(lucid_ctx_set_ca_file(cctx, CERTS "ca_cert.pem", &err));
    CHECK_OK(lucid_ctx_set_ciphers(cctx, suite, &err));
    if (server_groups != NULL) {
        CHECK_OK(lucid_ctx_set_groups(sctx, server_groups, &err));
        CHECK_OK(lucid_ctx_set_groups(cctx, client_groups, &err));
    }
    s = lucid_conn_new(sctx, NULL);
    c = lucid_conn_new(cctx, "localhost");
    CHECK(s != NULL && c != NULL);
    for (int i = 0; i < 20; i++) {
        if (pump_once(c, s) + pump_once(s, c) == 0) {
            break;
        }
    }
    done = (lucid_conn_state(c) & LUCID_CAN_WRITE) && (lucid_conn_state(s) & LUCID_CAN_WRITE);
    lucid_conn_free(c);
    lucid_conn_free(s);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
    return done;
}

static void test_handshake_finished_checks(void)
{
    static const struct {
        const char *suite;
        size_t hash_len;
    } suites[] = { { "TLS_AES_128_GCM_SHA256", 32 },
                   { "TLS_AES_256_GCM_SHA384", 48 },
                   { "TLS_CHACHA20_POLY1305_SHA256", 32 } };

    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
        ncalls = 0;
        CHECK(handshake(suites[i].suite, NULL, NULL));
        /* the server checks the client's Finished and the client the server's: two
         * constant-time compares of Hash.length bytes, both equal */
        if (equal_calls_of(suites[i].hash_len) != 2) {
            printf("  %s: %zu calls of lc_ct_equal over %zu bytes found equal (want 2), "
                   "%zu calls in all\n", suites[i].suite, equal_calls_of(suites[i].hash_len),
                   suites[i].hash_len, ncalls);
        }
        CHECK(equal_calls_of(suites[i].hash_len) == 2);
    }
}

static void test_hello_retry_cookie(void)
{
    ncalls = 0;
    /* the client's first share is x25519, which this server does not take: a
     * HelloRetryRequest with a cookie, which the second ClientHello must echo */
    CHECK(handshake("TLS_AES_128_GCM_SHA256", "secp384r1", "x25519:secp384r1"));
    /* two Finished checks and one check of the 32-byte cookie (src/handshake/hs.h) */
    CHECK(equal_calls_of(32) == 3);
    CHECK(ncalls == 3);
}

/* check(...) with got, gotlen: its return code, and whether lc_ct_equal saw all n bytes. */
static void check_one(int (*check)(const lc_crypto *, enum lc_hash_alg, const lc_secret *,
                                   const uint8_t *, const uint8_t *, size_t),
                      const lc_crypto *cr, const lc_secret *key, const uint8_t *th,
                      const uint8_t *want, size_t flip, int bad_rc)
{
    uint8_t got[LC_HASH_MAX];

    memcpy(got, want, 32);
    if (flip < 32) {
        got[flip] ^= 0x01;
    }
    ncalls = 0;
    CHECK_RC(check(cr, LC_SHA256, key, th, got, 32), flip < 32 ? bad_rc : 0);
    /* one compare over the whole value, whatever byte differs */
    CHECK(ncalls == 1 && calls[0].n == 32 && calls[0].equal == (flip >= 32));
}

static void test_direct_checks(void)
{
    lc_crypto *cr = lc_crypto_new();
    lc_secret key = { .len = 32 };
    uint8_t th[32], want[LC_HASH_MAX];

    CHECK(cr != NULL);
    for (size_t i = 0; i < 32; i++) {
        key.b[i] = (uint8_t)(0xa0 + i);
        th[i] = (uint8_t)i;
    }
    CHECK_OK(lc_ks_verify_data(cr, LC_SHA256, &key, th, want));
    /* Finished (RFC 8446 4.4.4): right, wrong first byte, wrong last byte */
    check_one(lc_ks_finished_check, cr, &key, th, want, 99, LC_E_BAD_FINISHED);
    check_one(lc_ks_finished_check, cr, &key, th, want, 0, LC_E_BAD_FINISHED);
    check_one(lc_ks_finished_check, cr, &key, th, want, 31, LC_E_BAD_FINISHED);
    /* the binder (4.2.11.2) is the same computation with the binder key */
    check_one(lc_ks_binder_check, cr, &key, th, want, 99, LC_E_BAD_BINDER);
    check_one(lc_ks_binder_check, cr, &key, th, want, 0, LC_E_BAD_BINDER);
    check_one(lc_ks_binder_check, cr, &key, th, want, 31, LC_E_BAD_BINDER);
    /* a wrong length fails too (the length is public: no compare is needed for it) */
    ncalls = 0;
    CHECK_RC(lc_ks_finished_check(cr, LC_SHA256, &key, th, want, 31), LC_E_BAD_FINISHED);
    lc_crypto_free(cr);
}

TEST_MAIN(test_handshake_finished_checks, test_hello_retry_cookie, test_direct_checks)
