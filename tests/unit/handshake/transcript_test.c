/*
 * Tests for src/handshake/transcript.c: the running transcript hash of RFC
 * 8446 4.4.1 over the handshake messages of RFC 8448, compared with the
 * "hash" values the trace feeds its Derive-Secret steps; the message_hash
 * rule after a HelloRetryRequest (section 5), kept statefully or restarted
 * from a cookie's hash; the hash chosen after the ClientHello is in; and a
 * ClientHello added in two pieces around its binders (section 4).
 */
#include "test.h"

#include "rfc8448.h"

#include "base/error.h"
#include "crypto/crypto.h"
#include "handshake/transcript.h"

static lc_crypto *cr;

static const uint8_t *msg(int section, const char *step, int nth, const char *name, size_t *len)
{
    return rfc8448_get(section, step, nth, name, len);
}

static const char *const CH = "{client} construct a ClientHello handshake message";
static const char *const SH = "{server} construct a ServerHello handshake message";
static const char *const EE = "{server} construct an EncryptedExtensions handshake message";
static const char *const CT = "{server} construct a Certificate handshake message";
static const char *const CV = "{server} construct a CertificateVerify handshake message";
static const char *const SF = "{server} construct a Finished handshake message";
static const char *const CF = "{client} construct a Finished handshake message";

static void add(lc_transcript *t, int section, const char *step, int nth, const char *name)
{
    size_t len;
    const uint8_t *m = msg(section, step, nth, name, &len);

    CHECK_OK(lc_transcript_add(t, m, len));
}

/* The transcript hash now equals the "hash" input of a Derive-Secret step of the trace. */
static void check_at(const lc_transcript *t, int section, const char *step)
{
    uint8_t h[LC_HASH_MAX];
    size_t len;
    const uint8_t *want = msg(section, step, 0, "hash", &len);

    CHECK_OK(lc_transcript_hash(t, h));
    CHECK_MEM(h, 32, want, len);
}

/* Adds the section's server flight after the ServerHello and the client Finished, checking. */
static void finish_handshake(lc_transcript *t, int section)
{
    add(t, section, EE, 0, "EncryptedExtensions");
    add(t, section, CT, 0, "Certificate");
    add(t, section, CV, 0, "CertificateVerify");
    add(t, section, SF, 0, "Finished");
    check_at(t, section, "derive secret \"tls13 c ap traffic\"");
    add(t, section, CF, 0, "Finished");
    check_at(t, section, "derive secret \"tls13 res master\"");
}

/* RFC 8448 section 3: ClientHello...ServerHello, ...server Finished, ...client Finished. */
static void test_rfc8448_1rtt(void)
{
    lc_transcript t;

    CHECK_OK(lc_transcript_init(&t, cr));
    add(&t, 3, CH, 0, "ClientHello");
    /* a client learns the suite from the ServerHello, after its ClientHello is in */
    add(&t, 3, SH, 0, "ServerHello");
    CHECK_OK(lc_transcript_set_hash(&t, LC_SHA256));
    check_at(&t, 3, "derive secret \"tls13 c hs traffic\"");
    finish_handshake(&t, 3);
    lc_transcript_free(&t);
}

/*
 * RFC 8448 section 5: CH1 HRR CH2 SH ..., with ClientHello1 replaced by
 * message_hash || 00 00 20 || Hash(CH1) (RFC 8446 4.4.1).
 */
static void test_rfc8448_hello_retry(void)
{
    lc_transcript t;
    uint8_t buf[1024], h[32], want[32];
    size_t len, n = 0;
    const uint8_t *m;

    CHECK_OK(lc_transcript_init(&t, cr));
    add(&t, 5, CH, 0, "ClientHello");
    CHECK_OK(lc_transcript_set_hash(&t, LC_SHA256));
    CHECK_OK(lc_transcript_hello_retry(&t));
    add(&t, 5, SH, 0, "ServerHello"); /* the HelloRetryRequest */
    add(&t, 5, CH, 1, "ClientHello");
    add(&t, 5, SH, 1, "ServerHello");
    check_at(&t, 5, "derive secret \"tls13 c hs traffic\"");

    /* the same hash written out by hand */
    CHECK_OK(lc_transcript_hash(&t, h));
    buf[n++] = 254;
    buf[n++] = 0;
    buf[n++] = 0;
    buf[n++] = 32;
    m = msg(5, CH, 0, "ClientHello", &len);
    CHECK_OK(lc_hash(cr, LC_SHA256, m, len, buf + n));
    n += 32;
    m = msg(5, SH, 0, "ServerHello", &len);
    memcpy(buf + n, m, len);
    n += len;
    m = msg(5, CH, 1, "ClientHello", &len);
    CHECK(n + len <= sizeof(buf));
    memcpy(buf + n, m, len);
    n += len;
    m = msg(5, SH, 1, "ServerHello", &len);
    CHECK(n + len <= sizeof(buf));
    memcpy(buf + n, m, len);
    n += len;
    CHECK_OK(lc_hash(cr, LC_SHA256, buf, n, want));
    CHECK_MEM(h, 32, want, 32);

    finish_handshake(&t, 5);
    lc_transcript_free(&t);
}

/* A stateless server finds Hash(ClientHello1) in its cookie and restarts from it (4.2.2). */
static void test_restart_from_cookie(void)
{
    lc_transcript t;
    uint8_t ch1_hash[32];
    size_t len;
    const uint8_t *m = msg(5, CH, 0, "ClientHello", &len);

    CHECK_OK(lc_hash(cr, LC_SHA256, m, len, ch1_hash));
    CHECK_OK(lc_transcript_init(&t, cr));
    CHECK_RC(lc_transcript_restart(&t, ch1_hash), LC_E_INTERNAL); /* hash not chosen yet */
    CHECK_OK(lc_transcript_set_hash(&t, LC_SHA256));
    CHECK_OK(lc_transcript_restart(&t, ch1_hash));
    add(&t, 5, SH, 0, "ServerHello");
    add(&t, 5, CH, 1, "ClientHello");
    add(&t, 5, SH, 1, "ServerHello");
    check_at(&t, 5, "derive secret \"tls13 c hs traffic\"");
    lc_transcript_free(&t);
}

/* Both hashes run until the suite is known; the chosen one is the whole transcript's. */
static void test_hash_chosen_late(void)
{
    lc_transcript t;
    uint8_t h[48], want[48], buf[512];
    size_t chlen, shlen;
    const uint8_t *ch = msg(3, CH, 0, "ClientHello", &chlen);
    const uint8_t *sh = msg(3, SH, 0, "ServerHello", &shlen);

    memcpy(buf, ch, chlen);
    memcpy(buf + chlen, sh, shlen);

    CHECK_OK(lc_transcript_init(&t, cr));
    CHECK_OK(lc_transcript_add(&t, ch, chlen));
    CHECK_OK(lc_transcript_add(&t, sh, shlen));
    CHECK_RC(lc_transcript_hash(&t, h), LC_E_INTERNAL);
    /* before the choice either hash can be read (binders, RFC 8446 4.2.11.2) */
    CHECK_OK(lc_transcript_hash_with(&t, LC_SHA256, h));
    CHECK_OK(lc_hash(cr, LC_SHA256, buf, chlen + shlen, want));
    CHECK_MEM(h, 32, want, 32);
    CHECK_OK(lc_transcript_set_hash(&t, LC_SHA384));
    CHECK_OK(lc_transcript_hash(&t, h));
    CHECK_OK(lc_hash(cr, LC_SHA384, buf, chlen + shlen, want));
    CHECK_MEM(h, 48, want, 48);
    CHECK_OK(lc_transcript_hash_with(&t, LC_SHA384, h));
    CHECK_MEM(h, 48, want, 48);
    /* the other is gone, and the suite cannot change (RFC 8446 4.1.4) */
    CHECK_RC(lc_transcript_hash_with(&t, LC_SHA256, h), LC_E_INTERNAL);
    CHECK_OK(lc_transcript_set_hash(&t, LC_SHA384));
    CHECK_RC(lc_transcript_set_hash(&t, LC_SHA256), LC_E_INTERNAL);
    lc_transcript_free(&t);
    lc_transcript_free(&t); /* twice is harmless */
}

/* The message_hash rule with SHA-384: the synthetic message says 48 bytes. */
static void test_hello_retry_sha384(void)
{
    lc_transcript t;
    uint8_t h[48], want[48], buf[4 + 48 + 8];
    const uint8_t ch1[] = { 1, 0, 0, 2, 3, 3 };
    const uint8_t hrr[] = { 2, 0, 0, 4, 1, 2, 3, 4 };

    CHECK_OK(lc_transcript_init(&t, cr));
    CHECK_OK(lc_transcript_add(&t, ch1, sizeof(ch1)));
    CHECK_OK(lc_transcript_set_hash(&t, LC_SHA384));
    CHECK_OK(lc_transcript_hello_retry(&t));
    CHECK_OK(lc_transcript_add(&t, hrr, sizeof(hrr)));
    CHECK_OK(lc_transcript_hash(&t, h));
    buf[0] = 254;
    buf[1] = 0;
    buf[2] = 0;
    buf[3] = 48;
    CHECK_OK(lc_hash(cr, LC_SHA384, ch1, sizeof(ch1), buf + 4));
    memcpy(buf + 52, hrr, sizeof(hrr));
    CHECK_OK(lc_hash(cr, LC_SHA384, buf, sizeof(buf), want));
    CHECK_MEM(h, 48, want, 48);
    lc_transcript_free(&t);

    /* no hash chosen, no message_hash */
    CHECK_OK(lc_transcript_init(&t, cr));
    CHECK_RC(lc_transcript_hello_retry(&t), LC_E_INTERNAL);
    lc_transcript_free(&t);
}

/*
 * RFC 8448 section 4: a ClientHello with a PSK goes in up to its binders, is
 * hashed for the binder, and then the binders go in (RFC 8446 4.2.11.2).
 */
static void test_client_hello_in_pieces(void)
{
    lc_transcript t;
    uint8_t h[32];
    size_t plen, chlen, len;
    const uint8_t *prefix = msg(4, "{client} calculate PSK binder", 0, "ClientHello prefix", &plen);
    const uint8_t *ch = msg(4, "{client} send handshake record", 0, "payload", &chlen);
    const uint8_t *want;

    CHECK(plen < chlen && memcmp(prefix, ch, plen) == 0);
    CHECK_OK(lc_transcript_init(&t, cr));
    CHECK_OK(lc_transcript_add(&t, ch, plen));
    CHECK_OK(lc_transcript_hash_with(&t, LC_SHA256, h));
    want = msg(4, "{client} calculate PSK binder", 0, "binder hash", &len);
    CHECK_MEM(h, 32, want, len);
    CHECK_OK(lc_transcript_add(&t, ch + plen, chlen - plen));
    CHECK_OK(lc_transcript_set_hash(&t, LC_SHA256));
    check_at(&t, 4, "{client} derive secret \"tls13 c e traffic\"");
    lc_transcript_free(&t);
}

static void setup(void)
{
    cr = lc_crypto_new();
    CHECK(cr != NULL);
    rfc8448_load();
}

static void teardown(void)
{
    lc_crypto_free(cr);
}

TEST_MAIN(setup, test_rfc8448_1rtt, test_rfc8448_hello_retry, test_restart_from_cookie,
          test_hash_chosen_late, test_hello_retry_sha384, test_client_hello_in_pieces, teardown)
