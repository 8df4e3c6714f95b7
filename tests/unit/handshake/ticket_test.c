/*
 * Tests for src/handshake/ticket.c: ticket keys from key files, sealing and
 * opening the TicketState (RFC 8446 4.6.1), rotation, and that a ticket under
 * an unknown key, or altered anywhere, does not open.
 */
#include "test.h"

#include "base/error.h"
#include "crypto/crypto.h"
#include "handshake/ticket.h"

static lc_crypto *cr;

static void material(uint8_t *m, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++) {
        m[i] = (uint8_t)(v * 31 + i);
    }
}

static void keys_from(lc_ticket_keys *k, uint8_t v)
{
    uint8_t m[LC_TICKET_KEY_FILE_MIN];

    memset(k, 0, sizeof(*k));
    material(m, sizeof(m), v);
    CHECK_OK(lc_ticket_keys_add(k, cr, m, sizeof(m)));
}

static lc_ticket_state sample(void)
{
    lc_ticket_state st = { .suite = 0x1302, .issued_ms = 0x0123456789abull, .lifetime = 7200,
                           .age_add = 0xdeadbeef, .max_early_data = 16384 };

    st.psk.len = 48;
    for (size_t i = 0; i < st.psk.len; i++) {
        st.psk.b[i] = (uint8_t)i;
    }
    snprintf(st.server_name, sizeof(st.server_name), "www.example.com");
    snprintf(st.alpn, sizeof(st.alpn), "http/1.1");
    return st;
}

static void test_seal_and_open(void)
{
    lc_ticket_keys k;
    lc_ticket_state st = sample(), got;
    uint8_t iv[LC_AEAD_NONCE_LEN] = { 1, 2, 3 }, t[LC_TICKET_MAX], t2[LC_TICKET_MAX];
    size_t len, len2;

    keys_from(&k, 1);
    CHECK_OK(lc_ticket_seal(cr, &k, &st, iv, t, sizeof(t), &len));
    CHECK(len > LC_TICKET_OVERHEAD && len <= LC_TICKET_MAX);
    CHECK_MEM(t, LC_TICKET_KEY_ID_LEN, k.key[0].id, LC_TICKET_KEY_ID_LEN);
    CHECK_OK(lc_ticket_open(cr, &k, t, len, &got));
    CHECK(got.suite == st.suite && got.issued_ms == st.issued_ms && got.lifetime == 7200 &&
          got.age_add == st.age_add && got.max_early_data == 16384);
    CHECK_MEM(got.psk.b, got.psk.len, st.psk.b, st.psk.len);
    CHECK(strcmp(got.server_name, "www.example.com") == 0 && strcmp(got.alpn, "http/1.1") == 0);
    /* the same key file gives the same key: another process opens it too */
    lc_ticket_keys other;
    keys_from(&other, 1);
    CHECK_OK(lc_ticket_open(cr, &other, t, len, &got));
    /* a fresh IV makes another ticket */
    iv[0] ^= 1;
    CHECK_OK(lc_ticket_seal(cr, &k, &st, iv, t2, sizeof(t2), &len2));
    CHECK(len2 == len && memcmp(t, t2, len) != 0);
    /* too small a buffer */
    CHECK_RC(lc_ticket_seal(cr, &k, &st, iv, t2, LC_TICKET_OVERHEAD + 10, &len2),
             LC_E_BUFFER_TOO_SMALL);
}

static void test_every_byte_matters(void)
{
    lc_ticket_keys k;
    lc_ticket_state st = sample(), got;
    uint8_t iv[LC_AEAD_NONCE_LEN] = { 9 }, t[LC_TICKET_MAX];
    size_t len;

    keys_from(&k, 2);
    CHECK_OK(lc_ticket_seal(cr, &k, &st, iv, t, sizeof(t), &len));
    for (size_t i = 0; i < len; i++) {
        t[i] ^= 0x40;
        CHECK_RC(lc_ticket_open(cr, &k, t, len, &got), LC_E_UNKNOWN_PSK_IDENTITY);
        t[i] ^= 0x40;
    }
    for (size_t cut = 0; cut < len; cut++) {
        CHECK_RC(lc_ticket_open(cr, &k, t, cut, &got), LC_E_UNKNOWN_PSK_IDENTITY);
    }
    CHECK_OK(lc_ticket_open(cr, &k, t, len, &got));
}

static void test_rotation(void)
{
    lc_ticket_keys oldk, newk, both;
    lc_ticket_state st = sample(), got;
    uint8_t m[96], iv[LC_AEAD_NONCE_LEN] = { 0 }, told[LC_TICKET_MAX], tnew[LC_TICKET_MAX];
    size_t lold, lnew;

    keys_from(&oldk, 3);
    keys_from(&newk, 4);
    CHECK_OK(lc_ticket_seal(cr, &oldk, &st, iv, told, sizeof(told), &lold));
    /* new key first: it seals; the old one still opens its tickets */
    memset(&both, 0, sizeof(both));
    material(m, LC_TICKET_KEY_FILE_MIN, 4);
    CHECK_OK(lc_ticket_keys_add(&both, cr, m, LC_TICKET_KEY_FILE_MIN));
    material(m, LC_TICKET_KEY_FILE_MIN, 3);
    CHECK_OK(lc_ticket_keys_add(&both, cr, m, LC_TICKET_KEY_FILE_MIN));
    CHECK_OK(lc_ticket_open(cr, &both, told, lold, &got));
    CHECK_OK(lc_ticket_seal(cr, &both, &st, iv, tnew, sizeof(tnew), &lnew));
    CHECK_OK(lc_ticket_open(cr, &newk, tnew, lnew, &got));
    /* retired: the old key alone no longer opens new tickets, the new alone not old ones */
    CHECK_RC(lc_ticket_open(cr, &oldk, tnew, lnew, &got), LC_E_UNKNOWN_PSK_IDENTITY);
    CHECK_RC(lc_ticket_open(cr, &newk, told, lold, &got), LC_E_UNKNOWN_PSK_IDENTITY);
    /* every byte of a longer file counts: the same id and a different tail is another key */
    material(m, sizeof(m), 5);
    lc_ticket_keys a, b;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    CHECK_OK(lc_ticket_keys_add(&a, cr, m, sizeof(m)));
    m[95] ^= 1;
    CHECK_OK(lc_ticket_keys_add(&b, cr, m, sizeof(m)));
    CHECK(memcmp(a.key[0].id, b.key[0].id, LC_TICKET_KEY_ID_LEN) == 0);
    CHECK(memcmp(a.key[0].key, b.key[0].key, sizeof(a.key[0].key)) != 0);
}

static void test_key_limits(void)
{
    lc_ticket_keys k;
    uint8_t m[LC_TICKET_KEY_FILE_MIN];

    CHECK_OK(lc_ticket_keys_random(&k, cr));
    CHECK(k.count == 1 && k.own);
    material(m, sizeof(m), 6);
    CHECK_RC(lc_ticket_keys_add(&k, cr, m, sizeof(m) - 1), LC_E_CONFIG);
    /* the first file replaces the context's own key */
    CHECK_OK(lc_ticket_keys_add(&k, cr, m, sizeof(m)));
    CHECK(k.count == 1 && !k.own && memcmp(k.key[0].id, m, LC_TICKET_KEY_ID_LEN) == 0);
    for (size_t i = 1; i < LC_TICKET_KEYS_MAX; i++) {
        m[0]++;
        CHECK_OK(lc_ticket_keys_add(&k, cr, m, sizeof(m)));
    }
    CHECK_RC(lc_ticket_keys_add(&k, cr, m, sizeof(m)), LC_E_CONFIG);
    CHECK(k.count == LC_TICKET_KEYS_MAX);
    /* no key at all seals nothing */
    memset(&k, 0, sizeof(k));
    lc_ticket_state st = sample();
    uint8_t iv[LC_AEAD_NONCE_LEN] = { 0 }, t[LC_TICKET_MAX];
    size_t len;
    CHECK_RC(lc_ticket_seal(cr, &k, &st, iv, t, sizeof(t), &len), LC_E_INTERNAL);
}

static void setup(void)
{
    cr = lc_crypto_new();
    CHECK(cr != NULL);
}

static void teardown(void)
{
    lc_crypto_free(cr);
    CHECK(true);
}

TEST_MAIN(setup, test_seal_and_open, test_every_byte_matters, test_rotation, test_key_limits,
          teardown)
