/*
 * Tests for src/handshake/key_schedule.c.
 *
 * RFC 8448 replayed: for sections 3 (1-RTT), 4 (resumed, 0-RTT), 5
 * (HelloRetryRequest), 6 (client authentication) and 7 (compatibility mode)
 * the transcript hashes are computed from the trace's handshake messages, and
 * every secret of RFC 8446 7.1, the Finished keys and verify_data, the traffic
 * keys and IVs, the ticket PSK and the binder are checked against the trace.
 * RFC 8448 has only SHA-256 suites; SHA-384 with AES-256-GCM is checked
 * against the worked example of "The Illustrated TLS 1.3 Connection"
 * (tls13.xargs.org, TLS_AES_256_GCM_SHA384), whose values are quoted below.
 * Then what has no published vector (KeyUpdate, exporters) is checked against
 * the RFC's formula spelled out with the primitives, and misuse is refused.
 */
#include "test.h"

#include "rfc8448.h"

#include "base/error.h"
#include "crypto/crypto.h"
#include "handshake/key_schedule.h"
#include "handshake/transcript.h"
#include "record/record.h"

static lc_crypto *cr;

static const uint8_t *field(int section, const char *step, int nth, const char *name, size_t *len)
{
    return rfc8448_get(section, step, nth, name, len);
}

/* Checks a secret against a field of the trace. */
static void check_secret(const lc_secret *s, int section, const char *step, int nth,
                         const char *name)
{
    size_t len;
    const uint8_t *want = field(section, step, nth, name, &len);

    CHECK_MEM(s->b, s->len, want, len);
}

/* Checks bytes against a field of the trace. */
static void check_bytes(const uint8_t *got, size_t gotlen, int section, const char *step, int nth,
                        const char *name)
{
    size_t len;
    const uint8_t *want = field(section, step, nth, name, &len);

    CHECK_MEM(got, gotlen, want, len);
}

/* A field of the trace as a secret. */
static lc_secret secret_field(int section, const char *step, int nth, const char *name)
{
    lc_secret s = { .len = 0 };
    const uint8_t *p = field(section, step, nth, name, &s.len);

    CHECK(s.len <= LC_SECRET_MAX);
    memcpy(s.b, p, s.len);
    return s;
}

static lc_secret secret_hex(const char *hex)
{
    lc_secret s;

    s.len = test_hex(hex, s.b, sizeof(s.b));
    return s;
}

/* ---- RFC 8448, whole handshakes ------------------------------------------------------ */

/* A handshake message of the trace: the step that shows it, and its field. */
struct msg {
    const char *step;
    int nth;
    const char *field;
};

/*
 * Where the transcript is read, counted in messages (RFC 8446 7.1):
 *   sh: ClientHello...ServerHello            (handshake traffic secrets)
 *   sv: ... up to the server's Finished      (the server's verify_data)
 *   sf: ClientHello...server Finished        (application secrets, exporter)
 *   cv: ... up to the client's Finished      (the client's verify_data)
 *   cf: ClientHello...client Finished        (resumption master secret)
 */
struct handshake {
    int section;
    bool psk;  /* the early secret's IKM is a PSK (section 4), else no PSK */
    bool hrr;  /* messages 0 and 1 are ClientHello1 and HelloRetryRequest */
    size_t sh, sv, sf, cv, cf;
    struct msg m[12];
};

#define CH(n) { "{client} construct a ClientHello handshake message", n, "ClientHello" }
#define SH(n) { "{server} construct a ServerHello handshake message", n, "ServerHello" }
#define EE { "{server} construct an EncryptedExtensions handshake message", 0, \
             "EncryptedExtensions" }
#define CR { "{server} construct a CertificateRequest handshake message", 0, "CertificateRequest" }
#define CT(who) { "{" who "} construct a Certificate handshake message", 0, "Certificate" }
#define CV(who) { "{" who "} construct a CertificateVerify handshake message", 0, \
                  "CertificateVerify" }
#define FIN(who) { "{" who "} construct a Finished handshake message", 0, "Finished" }

static const struct handshake handshakes[] = {
    /* 3: CH SH EE CT CV | SF | CF */
    { 3, false, false, 2, 5, 6, 6, 7,
      { CH(0), SH(0), EE, CT("server"), CV("server"), FIN("server"), FIN("client") } },
    /*
     * 4: CH SH EE | SF | EOED CF. The trace's construct step shows the ClientHello
     * without its binders; the record's payload is the whole message.
     */
    { 4, true, false, 2, 3, 4, 5, 6,
      { { "{client} send handshake record", 0, "payload" }, SH(0), EE, FIN("server"),
        { "{client} construct an EndOfEarlyData handshake message", 0, "EndOfEarlyData" },
        FIN("client") } },
    /* 5: CH1 HRR CH2 SH EE CT CV | SF | CF */
    { 5, false, true, 4, 7, 8, 8, 9,
      { CH(0), SH(0), CH(1), SH(1), EE, CT("server"), CV("server"), FIN("server"),
        FIN("client") } },
    /* 6: CH SH EE CR CT CV | SF | CT CV CF */
    { 6, false, false, 2, 6, 7, 9, 10,
      { CH(0), SH(0), EE, CR, CT("server"), CV("server"), FIN("server"), CT("client"),
        CV("client"), FIN("client") } },
    /* 7: as 3; the change_cipher_spec records are not handshake messages */
    { 7, false, false, 2, 5, 6, 6, 7,
      { CH(0), SH(0), EE, CT("server"), CV("server"), FIN("server"), FIN("client") } },
};

/* The transcript hashes at the points named in struct handshake. */
struct hashes {
    uint8_t sh[32], sv[32], sf[32], cv[32], cf[32];
};

static void transcript_hashes(const struct handshake *hs, struct hashes *out)
{
    lc_transcript t;
    size_t n = 0;

    CHECK_OK(lc_transcript_init(&t, cr));
    CHECK_OK(lc_transcript_set_hash(&t, LC_SHA256));
    for (size_t i = 0; i < hs->cf; i++) {
        size_t len;
        const uint8_t *m = field(hs->section, hs->m[i].step, hs->m[i].nth, hs->m[i].field, &len);

        /* RFC 8446 4.4.1: ClientHello1 becomes message_hash before the HRR goes in. */
        if (hs->hrr && i == 1) {
            CHECK_OK(lc_transcript_hello_retry(&t));
        }
        CHECK_OK(lc_transcript_add(&t, m, len));
        n = i + 1;
        if (n == hs->sh) {
            CHECK_OK(lc_transcript_hash(&t, out->sh));
        }
        if (n == hs->sv) {
            CHECK_OK(lc_transcript_hash(&t, out->sv));
        }
        if (n == hs->sf) {
            CHECK_OK(lc_transcript_hash(&t, out->sf));
        }
        if (n == hs->cv) {
            CHECK_OK(lc_transcript_hash(&t, out->cv));
        }
        if (n == hs->cf) {
            CHECK_OK(lc_transcript_hash(&t, out->cf));
        }
    }
    lc_transcript_free(&t);
}

/* Checks a computed transcript hash against the "hash" the trace feeds a Derive-Secret. */
static void check_hash(const uint8_t *th, int section, const char *step)
{
    size_t len;
    const uint8_t *want = field(section, step, 0, "hash", &len);

    CHECK_MEM(th, 32, want, len);
}

static void replay(const struct handshake *hs)
{
    int sec = hs->section;
    struct hashes th;
    lc_ks ks;
    lc_secret s, chts, shts;
    uint8_t verify[32];
    const uint8_t *ikm;
    size_t len;

    transcript_hashes(hs, &th);
    check_hash(th.sh, sec, "derive secret \"tls13 c hs traffic\"");
    check_hash(th.sf, sec, "derive secret \"tls13 c ap traffic\"");
    check_hash(th.cf, sec, "derive secret \"tls13 res master\"");

    /* Early Secret: from the PSK, or from no PSK at all (zeros). */
    lc_ks_init(&ks, cr, LC_SHA256);
    ikm = field(sec, "extract secret \"early\"", 0, "IKM", &len);
    CHECK_OK(lc_ks_early_secret(&ks, hs->psk ? ikm : NULL, len));
    CHECK(ks.stage == LC_KS_EARLY);
    check_secret(&ks.secret, sec, "extract secret \"early\"", 0, "secret");

    /* Derive-Secret(., "derived", "") is the salt of the next extract. */
    CHECK_OK(lc_ks_derive_secret(cr, LC_SHA256, &ks.secret, "derived", NULL, &s));
    check_secret(&s, sec, "derive secret for handshake \"tls13 derived\"", 0, "expanded");

    /* Handshake Secret from the (EC)DHE shared secret, the IKM of the trace. */
    ikm = field(sec, "extract secret \"handshake\"", 0, "IKM", &len);
    CHECK_OK(lc_ks_handshake_secret(&ks, ikm, len));
    CHECK(ks.stage == LC_KS_HANDSHAKE);
    check_secret(&ks.secret, sec, "extract secret \"handshake\"", 0, "secret");
    CHECK_OK(lc_ks_client_handshake_traffic_secret(&ks, th.sh, &chts));
    check_secret(&chts, sec, "derive secret \"tls13 c hs traffic\"", 0, "expanded");
    CHECK_OK(lc_ks_server_handshake_traffic_secret(&ks, th.sh, &shts));
    check_secret(&shts, sec, "derive secret \"tls13 s hs traffic\"", 0, "expanded");

    CHECK_OK(lc_ks_derive_secret(cr, LC_SHA256, &ks.secret, "derived", NULL, &s));
    check_secret(&s, sec, "derive secret for master \"tls13 derived\"", 0, "expanded");
    CHECK_OK(lc_ks_master_secret(&ks));
    CHECK(ks.stage == LC_KS_MASTER);
    check_secret(&ks.secret, sec, "extract secret \"master\"", 0, "secret");

    CHECK_OK(lc_ks_client_application_traffic_secret_0(&ks, th.sf, &s));
    check_secret(&s, sec, "derive secret \"tls13 c ap traffic\"", 0, "expanded");
    CHECK_OK(lc_ks_server_application_traffic_secret_0(&ks, th.sf, &s));
    check_secret(&s, sec, "derive secret \"tls13 s ap traffic\"", 0, "expanded");
    CHECK_OK(lc_ks_exporter_master_secret(&ks, th.sf, &s));
    check_secret(&s, sec, "derive secret \"tls13 exp master\"", 0, "expanded");
    CHECK_OK(lc_ks_resumption_master_secret(&ks, th.cf, &s));
    check_secret(&s, sec, "derive secret \"tls13 res master\"", 0, "expanded");

    /* The Finished of each side (RFC 8446 4.4.4): finished_key, then verify_data. */
    CHECK_OK(lc_ks_finished_key(cr, LC_SHA256, &shts, &s));
    check_secret(&s, sec, "{server} calculate finished \"tls13 finished\"", 0, "expanded");
    CHECK_OK(lc_ks_verify_data(cr, LC_SHA256, &shts, th.sv, verify));
    check_bytes(verify, 32, sec, "{server} calculate finished \"tls13 finished\"", 0, "finished");
    CHECK_OK(lc_ks_finished_check(cr, LC_SHA256, &shts, th.sv, verify, 32));
    /* the client's own step is the second match: the first says "(same as server)" */
    CHECK_OK(lc_ks_finished_key(cr, LC_SHA256, &chts, &s));
    check_secret(&s, sec, "{client} calculate finished \"tls13 finished\"", 1, "expanded");
    CHECK_OK(lc_ks_verify_data(cr, LC_SHA256, &chts, th.cv, verify));
    check_bytes(verify, 32, sec, "{client} calculate finished \"tls13 finished\"", 1, "finished");

    /* RFC 8446 7.1: the Master Secret goes once all is derived. */
    lc_ks_wipe(&ks);
    CHECK(ks.stage == LC_KS_DONE);
    CHECK(ks.secret.len == 0 && ks.secret.b[0] == 0 && ks.secret.b[31] == 0);
}

static void test_rfc8448_schedules(void)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(handshakes); i++) {
        replay(&handshakes[i]);
    }
}

/* Every "derive ... traffic keys" step that shows its values (RFC 8446 7.3). */
static void test_rfc8448_traffic_keys(void)
{
    static const struct {
        int section;
        const char *step;
    } steps[] = {
        { 3, "{server} derive write traffic keys for handshake data" },
        { 3, "{server} derive write traffic keys for application data" },
        { 3, "{server} derive read traffic keys for handshake data" },
        { 3, "{client} derive write traffic keys for application data" },
        { 4, "{client} derive write traffic keys for early application data" },
        { 4, "{server} derive write traffic keys for handshake data" },
        { 4, "{client} derive write traffic keys for handshake data" },
        { 5, "{server} derive write traffic keys for handshake data" },
        { 6, "{client} derive write traffic keys for application data" },
    };

    for (size_t i = 0; i < LC_ARRAY_LEN(steps); i++) {
        lc_secret secret = secret_field(steps[i].section, steps[i].step, 0, "PRK");
        uint8_t key[LC_AEAD_KEY_MAX], iv[LC_AEAD_NONCE_LEN];
        size_t len;
        const uint8_t *want;

        CHECK_OK(lc_ks_traffic_key(cr, LC_SHA256, LC_AES_128_GCM, &secret, key, iv));
        want = field(steps[i].section, steps[i].step, 0, "key expanded", &len);
        CHECK_MEM(key, 16, want, len);
        want = field(steps[i].section, steps[i].step, 0, "iv expanded", &len);
        CHECK_MEM(iv, 12, want, len);
    }
}

/*
 * Section 3's ticket (nonce 00 00) gives the PSK that section 4 resumes with;
 * its binder_key, binder and early secrets are section 4's (RFC 8446 4.6.1,
 * 4.2.11.2, 7.1).
 */
static void test_rfc8448_resumption(void)
{
    lc_secret rms = secret_field(3, "{client} derive secret \"tls13 res master\"", 0, "expanded");
    const char *gen = "{server} generate resumption secret \"tls13 resumption\"";
    const char *binder = "{client} calculate PSK binder";
    lc_secret psk, s;
    lc_ks ks;
    uint8_t th[32], out[32];
    size_t len, nlen;
    const uint8_t *nonce = field(3, gen, 0, "hash", &nlen);
    const uint8_t *p;

    CHECK_OK(lc_ks_resumption_psk(cr, LC_SHA256, &rms, nonce, nlen, &psk));
    check_secret(&psk, 3, gen, 0, "expanded");
    check_secret(&psk, 4, "{client} extract secret \"early\"", 0, "IKM");

    lc_ks_init(&ks, cr, LC_SHA256);
    CHECK_OK(lc_ks_early_secret(&ks, psk.b, psk.len));
    check_secret(&ks.secret, 4, "{client} extract secret \"early\"", 0, "secret");

    /* The binder over the ClientHello up to its binders (RFC 8446 4.2.11.2). */
    CHECK_OK(lc_ks_binder_key(&ks, LC_KS_PSK_RESUMPTION, &s));
    check_secret(&s, 4, binder, 0, "PRK");
    p = field(4, binder, 0, "ClientHello prefix", &len);
    CHECK_OK(lc_hash(cr, LC_SHA256, p, len, th));
    check_bytes(th, 32, 4, binder, 0, "binder hash");
    CHECK_OK(lc_ks_verify_data(cr, LC_SHA256, &s, th, out));
    p = field(4, binder, 0, "finished", &len);
    CHECK_MEM(out, 32, p, len);
    CHECK_OK(lc_ks_binder_check(cr, LC_SHA256, &s, th, p, len));
    out[31] ^= 1;
    CHECK_RC(lc_ks_binder_check(cr, LC_SHA256, &s, th, out, 32), LC_E_BAD_BINDER);
    /* the other label makes another key: an external PSK cannot pass for this one */
    CHECK_OK(lc_ks_binder_key(&ks, LC_KS_PSK_EXTERNAL, &s));
    CHECK(memcmp(s.b, field(4, binder, 0, "PRK", &len), 32) != 0);

    /* The early secrets over the whole ClientHello. */
    p = field(4, "{client} send handshake record", 0, "payload", &len);
    CHECK_OK(lc_hash(cr, LC_SHA256, p, len, th));
    CHECK_OK(lc_ks_client_early_traffic_secret(&ks, th, &s));
    check_secret(&s, 4, "{client} derive secret \"tls13 c e traffic\"", 0, "expanded");
    CHECK_OK(lc_ks_early_exporter_master_secret(&ks, th, &s));
    check_secret(&s, 4, "{client} derive secret \"tls13 e exp master\"", 0, "expanded");
    lc_ks_wipe(&ks);
}

/*
 * TLS_AES_256_GCM_SHA384, from "The Illustrated TLS 1.3 Connection"
 * (tls13.xargs.org): an x25519 handshake whose transcript hashes, secrets,
 * keys and IVs are published there and in its captures/keylog.txt.
 */
static void test_sha384_illustrated(void)
{
    uint8_t shared[32], hello_hash[48], handshake_hash[48];
    uint8_t key[LC_AEAD_KEY_MAX], iv[LC_AEAD_NONCE_LEN], want[48];
    lc_secret s, chts, shts;
    lc_ks ks;

    test_hex("df4a291baa1eb7cfa6934b29b474baad2697e29f1f920dcc77c8a0a088447624", shared, 32);
    test_hex("e05f64fcd082bdb0dce473adf669c2769f257a1c75a51b7887468b5e0e7a7de4"
             "f4d34555112077f16e079019d5a845bd", hello_hash, 48);
    test_hex("fa6800169a6baac19159524fa7b9721b41be3c9db6f3f93fa5ff7e3db3ece204"
             "d2b456c51046e40ec5312c55a86126f5", handshake_hash, 48);

    lc_ks_init(&ks, cr, LC_SHA384);
    CHECK_OK(lc_ks_early_secret(&ks, NULL, 0));
    CHECK(ks.secret.len == 48);
    CHECK_OK(lc_ks_handshake_secret(&ks, shared, sizeof(shared)));
    s = secret_hex("bdbbe8757494bef20de932598294ea65b5e6bf6dc5c02a960a2de2eaa9b07c92"
                   "9078d2caa0936231c38d1725f179d299");
    CHECK_MEM(ks.secret.b, ks.secret.len, s.b, s.len);

    CHECK_OK(lc_ks_server_handshake_traffic_secret(&ks, hello_hash, &shts));
    s = secret_hex("23323da031634b241dd37d61032b62a4f450584d1f7f47983ba2f7cc0cdcc39a"
                   "68f481f2b019f9403a3051908a5d1622");
    CHECK_MEM(shts.b, shts.len, s.b, s.len);
    CHECK_OK(lc_ks_client_handshake_traffic_secret(&ks, hello_hash, &chts));
    s = secret_hex("db89d2d6df0e84fed74a2288f8fd4d0959f790ff23946cdf4c26d85e51bebd42"
                   "ae184501972f8d30c4a3e4a3693d0ef0");
    CHECK_MEM(chts.b, chts.len, s.b, s.len);

    CHECK_OK(lc_ks_traffic_key(cr, LC_SHA384, LC_AES_256_GCM, &shts, key, iv));
    CHECK_MEM(key, 32, want, test_hex("9f13575ce3f8cfc1df64a77ceaffe897"
                                      "00b492ad31b4fab01c4792be1b266b7f", want, 48));
    CHECK_MEM(iv, 12, want, test_hex("9563bc8b590f671f488d2da3", want, 48));
    CHECK_OK(lc_ks_traffic_key(cr, LC_SHA384, LC_AES_256_GCM, &chts, key, iv));
    CHECK_MEM(key, 32, want, test_hex("1135b4826a9a70257e5a391ad93093df"
                                      "d7c4214812f493b3e3daae1eb2b1ac69", want, 48));
    CHECK_MEM(iv, 12, want, test_hex("4256d2e0e88babdd05eb2f27", want, 48));

    CHECK_OK(lc_ks_master_secret(&ks));
    CHECK_OK(lc_ks_server_application_traffic_secret_0(&ks, handshake_hash, &s));
    CHECK_MEM(s.b, s.len, want, test_hex("86c967fd7747a36a0685b4ed8d0e6b4c02b4ddaf3cd294aa"
                                         "44e9f6b0183bf911e89a189ba5dfd71fccffb5cc164901f8",
                                         want, 48));
    CHECK_OK(lc_ks_traffic_key(cr, LC_SHA384, LC_AES_256_GCM, &s, key, iv));
    CHECK_MEM(key, 32, want, test_hex("01f78623f17e3edcc09e944027ba3218"
                                      "d57c8e0db93cd3ac419309274700ac27", want, 48));
    CHECK_MEM(iv, 12, want, test_hex("196a750b0c5049c0cc51a541", want, 48));
    CHECK_OK(lc_ks_client_application_traffic_secret_0(&ks, handshake_hash, &s));
    CHECK_MEM(s.b, s.len, want, test_hex("9e47af27cb60d818a9ea7d233cb5ed4cc525fcd74614fb24"
                                         "b0ee59acb8e5aa7ff8d88b89792114208fec291a6fa96bad",
                                         want, 48));
    CHECK_OK(lc_ks_traffic_key(cr, LC_SHA384, LC_AES_256_GCM, &s, key, iv));
    CHECK_MEM(key, 32, want, test_hex("de2f4c7672723a692319873e5c227606"
                                      "691a32d1c59d8b9f51dbb9352e9ca9cc", want, 48));
    CHECK_MEM(iv, 12, want, test_hex("bb007956f474b25de902432f", want, 48));
    CHECK_OK(lc_ks_exporter_master_secret(&ks, handshake_hash, &s));
    CHECK_MEM(s.b, s.len, want, test_hex("5da16dd8325dd8279e4535363384d9ad0dbe370538fc3ad7"
                                         "4e53d533b77ac35ee072d56c90871344e6857ccb2efc9e14",
                                         want, 48));
    lc_ks_wipe(&ks);
}

/* RFC 8446 7.2: secret N+1 = HKDF-Expand-Label(N, "traffic upd", "", Hash.length), in place. */
static void test_key_update(void)
{
    lc_secret n0 = secret_field(3, "{server} derive secret \"tls13 s ap traffic\"", 0, "expanded");
    lc_secret s = n0;
    uint8_t want[32], want2[32];
    lc_secret mid;

    CHECK_OK(lc_ks_hkdf_expand_label(cr, LC_SHA256, &n0, "traffic upd", NULL, 0, want, 32));
    CHECK_OK(lc_ks_next_application_traffic_secret(cr, LC_SHA256, &s));
    CHECK_MEM(s.b, s.len, want, 32);
    /* a second update starts from the first, not from 0 */
    mid = s;
    CHECK_OK(lc_ks_hkdf_expand_label(cr, LC_SHA256, &mid, "traffic upd", NULL, 0, want2, 32));
    CHECK_OK(lc_ks_next_application_traffic_secret(cr, LC_SHA256, &s));
    CHECK_MEM(s.b, s.len, want2, 32);
    CHECK(memcmp(want, want2, 32) != 0);
}

/*
 * RFC 8446 7.5: TLS-Exporter(label, context, length) =
 * HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter", Hash(context), length).
 */
static void test_exporter(void)
{
    lc_secret ems = secret_field(3, "{server} derive secret \"tls13 exp master\"", 0, "expanded");
    const char label[] = "EXPERIMENTAL lucid";
    const uint8_t ctx[] = { 1, 2, 3 };
    uint8_t out[100], out2[100], want[100], h[32];
    lc_secret derived;

    CHECK_OK(lc_ks_derive_secret(cr, LC_SHA256, &ems, label, NULL, &derived));
    CHECK_OK(lc_hash(cr, LC_SHA256, ctx, sizeof(ctx), h));
    CHECK_OK(lc_ks_hkdf_expand_label(cr, LC_SHA256, &derived, "exporter", h, 32, want, 100));
    CHECK_OK(lc_ks_exporter(cr, LC_SHA256, &ems, label, strlen(label), ctx, sizeof(ctx), out,
                            100));
    CHECK_MEM(out, 100, want, 100);

    /* no context and an empty context are the same (7.5); another context differs */
    CHECK_OK(lc_ks_exporter(cr, LC_SHA256, &ems, label, strlen(label), NULL, 0, out, 32));
    CHECK_OK(lc_ks_exporter(cr, LC_SHA256, &ems, label, strlen(label), (const uint8_t *)"", 0,
                            out2, 32));
    CHECK_MEM(out, 32, out2, 32);
    CHECK(memcmp(out, want, 32) != 0);
    /* HKDF-Expand stops at 255 * Hash.length bytes */
    CHECK_RC(lc_ks_exporter(cr, LC_SHA256, &ems, label, strlen(label), NULL, 0, out,
                            255 * 32 + 1), LC_E_BAD_ARGUMENT);
}

/* HkdfLabel's vectors: label<7..255> with "tls13 " in front, context<0..255>. */
static void test_expand_label_bounds(void)
{
    lc_secret sec = secret_field(3, "{server} extract secret \"early\"", 0, "secret");
    char label[251];
    uint8_t ctx[256] = { 0 }, out[32];
    lc_secret psk;

    memset(label, 'a', sizeof(label) - 1);
    label[250] = '\0';
    CHECK_RC(lc_ks_hkdf_expand_label(cr, LC_SHA256, &sec, label, NULL, 0, out, 32),
             LC_E_BAD_ARGUMENT);
    label[249] = '\0';
    CHECK_OK(lc_ks_hkdf_expand_label(cr, LC_SHA256, &sec, label, NULL, 0, out, 32));
    CHECK_RC(lc_ks_hkdf_expand_label(cr, LC_SHA256, &sec, "key", ctx, 256, out, 32),
             LC_E_BAD_ARGUMENT);
    CHECK_OK(lc_ks_hkdf_expand_label(cr, LC_SHA256, &sec, "key", ctx, 255, out, 32));
    /* the ticket nonce is a context too: at most 255 bytes */
    CHECK_RC(lc_ks_resumption_psk(cr, LC_SHA256, &sec, ctx, 256, &psk), LC_E_BAD_ARGUMENT);
}

/* The schedule moves one way; a step out of order produces nothing. */
static void test_stage_order(void)
{
    uint8_t th[32] = { 0 }, dh[32] = { 0 };
    lc_secret s;
    lc_ks ks;

    lc_ks_init(&ks, cr, LC_SHA256);
    CHECK_RC(lc_ks_handshake_secret(&ks, dh, 32), LC_E_INTERNAL);
    CHECK_RC(lc_ks_master_secret(&ks), LC_E_INTERNAL);
    CHECK_RC(lc_ks_binder_key(&ks, LC_KS_PSK_EXTERNAL, &s), LC_E_INTERNAL);
    CHECK_OK(lc_ks_early_secret(&ks, NULL, 0));
    CHECK_RC(lc_ks_early_secret(&ks, NULL, 0), LC_E_INTERNAL);
    CHECK_RC(lc_ks_client_handshake_traffic_secret(&ks, th, &s), LC_E_INTERNAL);
    CHECK_RC(lc_ks_client_early_traffic_secret(&ks, NULL, &s), LC_E_BAD_ARGUMENT);
    /* psk_ke: no (EC)DHE, zeros instead (RFC 8446 7.1) */
    CHECK_OK(lc_ks_handshake_secret(&ks, NULL, 0));
    CHECK_RC(lc_ks_client_early_traffic_secret(&ks, th, &s), LC_E_INTERNAL);
    CHECK_RC(lc_ks_client_application_traffic_secret_0(&ks, th, &s), LC_E_INTERNAL);
    CHECK_OK(lc_ks_master_secret(&ks));
    CHECK_RC(lc_ks_master_secret(&ks), LC_E_INTERNAL);
    CHECK_RC(lc_ks_server_handshake_traffic_secret(&ks, th, &s), LC_E_INTERNAL);
    CHECK_OK(lc_ks_resumption_master_secret(&ks, th, &s));
    lc_ks_wipe(&ks);
    CHECK_RC(lc_ks_resumption_master_secret(&ks, th, &s), LC_E_INTERNAL);
    lc_ks_wipe(&ks);
    CHECK(ks.stage == LC_KS_DONE);
}

/* Finished: a flipped bit or a cut verify_data is decrypt_error (RFC 8446 4.4.4). */
static void test_finished_check(void)
{
    lc_secret base = secret_field(3, "{server} derive secret \"tls13 s hs traffic\"", 0,
                                  "expanded");
    uint8_t th[32] = { 7 }, vd[32];

    CHECK_OK(lc_ks_verify_data(cr, LC_SHA256, &base, th, vd));
    CHECK_OK(lc_ks_finished_check(cr, LC_SHA256, &base, th, vd, 32));
    CHECK_RC(lc_ks_finished_check(cr, LC_SHA256, &base, th, vd, 31), LC_E_BAD_FINISHED);
    vd[0] ^= 0x80;
    CHECK_RC(lc_ks_finished_check(cr, LC_SHA256, &base, th, vd, 32), LC_E_BAD_FINISHED);
}

/* Keys go from a secret into a record direction whose sequence number starts at 0. */
static void test_set_traffic_keys(void)
{
    const char *step = "{server} send handshake record";
    lc_secret shts = secret_field(3, "{server} derive secret \"tls13 s hs traffic\"", 0,
                                  "expanded");
    lc_rec_dir dir;
    uint8_t want_iv[12], rec[700];
    size_t len, outlen;
    const uint8_t *payload = field(3, step, 1, "payload", &len);
    const uint8_t *record;

    lc_rec_dir_init(&dir, true);
    dir.seq = 5;
    CHECK_OK(lc_ks_set_traffic_keys(cr, LC_SHA256, LC_AES_128_GCM, &shts, &dir));
    CHECK(dir.seq == 0 && lc_rec_dir_protected(&dir));
    test_hex("5d313eb2671276ee13000b30", want_iv, 12);
    CHECK_MEM(dir.iv, 12, want_iv, 12);
    /* and the server's encrypted flight comes out as in the trace */
    memcpy(rec + LC_REC_HEADER_LEN, payload, len);
    CHECK_OK(lc_rec_protect(&dir, LC_CT_HANDSHAKE, len, 0, rec, sizeof(rec), &outlen));
    record = field(3, step, 1, "complete record", &len);
    CHECK_MEM(rec, outlen, record, len);
    lc_rec_dir_free(&dir);
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

/*
 * Without a PSK the schedule starts from constants (key_schedule.c, no_psk[]): the same
 * schedule computed with the PSK given as HashLen zeros, which RFC 8446 7.1 says is the
 * same thing, must reach the same Handshake and Master Secrets, for both hashes.
 */
static void test_no_psk_constants(void)
{
    static const enum lc_hash_alg hashes[] = { LC_SHA256, LC_SHA384 };
    static const uint8_t zeros[LC_HASH_MAX], ecdhe[32] = { 1, 2, 3 };

    for (size_t i = 0; i < 2; i++) {
        lc_ks a, b;
        size_t hlen = lc_hash_len(hashes[i]);
        lc_ks_init(&a, cr, hashes[i]);
        lc_ks_init(&b, cr, hashes[i]);
        CHECK_OK(lc_ks_early_secret(&a, NULL, 0));
        CHECK_OK(lc_ks_early_secret(&b, zeros, hlen));
        CHECK_MEM(a.secret.b, a.secret.len, b.secret.b, b.secret.len);
        CHECK(a.no_psk && !b.no_psk);
        CHECK_OK(lc_ks_handshake_secret(&a, ecdhe, sizeof(ecdhe)));
        CHECK_OK(lc_ks_handshake_secret(&b, ecdhe, sizeof(ecdhe)));
        CHECK_MEM(a.secret.b, a.secret.len, b.secret.b, b.secret.len);
        CHECK_OK(lc_ks_master_secret(&a));
        CHECK_OK(lc_ks_master_secret(&b));
        CHECK_MEM(a.secret.b, a.secret.len, b.secret.b, b.secret.len);
        lc_ks_wipe(&a);
        lc_ks_wipe(&b);
    }
}

TEST_MAIN(setup, test_no_psk_constants, test_rfc8448_schedules, test_rfc8448_traffic_keys, test_rfc8448_resumption,
          test_sha384_illustrated, test_key_update, test_exporter, test_expand_label_bounds,
          test_stage_order, test_finished_check, test_set_traffic_keys, teardown)
