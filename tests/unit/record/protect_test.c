/*
 * Tests for src/record/protect.c: each payload of RFC 8448 section 3 sealed
 * with the trace's keys gives exactly the trace's complete record, the
 * sequence number moving on per direction; plaintext records are framed as in
 * sections 3 and 7; padding and size limits; and every record RFC 8446 5
 * forbids us to send is refused before a byte is written.
 */
#include "test.h"

#include "rfc8448.h"

#include "base/error.h"
#include "crypto/crypto.h"
#include "record/record.h"

static lc_crypto *cr;

enum { S_HS, S_AP, C_HS, C_AP };
static const char *const key_steps[] = {
    [S_HS] = "{server} derive write traffic keys for handshake data",
    [S_AP] = "{server} derive write traffic keys for application data",
    [C_HS] = "{server} derive read traffic keys for handshake data",
    [C_AP] = "{client} derive write traffic keys for application data",
};

static const struct {
    const char *step;
    int nth;
    int keys;
    uint8_t type;
} records[] = {
    { "{server} send handshake record", 1, S_HS, LC_CT_HANDSHAKE },
    { "{client} send handshake record", 1, C_HS, LC_CT_HANDSHAKE },
    { "{server} send handshake record", 2, S_AP, LC_CT_HANDSHAKE },
    { "{client} send application_data record", 0, C_AP, LC_CT_APPLICATION_DATA },
    { "{server} send application_data record", 0, S_AP, LC_CT_APPLICATION_DATA },
    { "{client} send alert record", 0, C_AP, LC_CT_ALERT },
    { "{server} send alert record", 0, S_AP, LC_CT_ALERT },
};

/* A writing direction keyed from the trace. */
static void keyed(lc_rec_dir *d, int keys, bool encrypt)
{
    size_t klen, ivlen;
    const uint8_t *key = rfc8448_get(3, key_steps[keys], 0, "key expanded", &klen);
    const uint8_t *iv = rfc8448_get(3, key_steps[keys], 0, "iv expanded", &ivlen);

    lc_rec_dir_init(d, encrypt);
    CHECK_OK(lc_rec_dir_set_key(d, cr, LC_AES_128_GCM, key, iv));
}

static void test_rfc8448_records(void)
{
    lc_rec_dir dirs[4];
    uint8_t buf[1024];

    for (int i = 0; i < 4; i++) {
        keyed(&dirs[i], i, true);
    }
    for (size_t i = 0; i < LC_ARRAY_LEN(records); i++) {
        lc_rec_dir *d = &dirs[records[i].keys];
        uint64_t seq = d->seq;
        size_t plen, wlen, outlen = 0;
        const uint8_t *payload = rfc8448_get(3, records[i].step, records[i].nth, "payload",
                                             &plen);
        const uint8_t *wire = rfc8448_get(3, records[i].step, records[i].nth, "complete record",
                                          &wlen);

        /* the content goes where it will sit in the record; protect adds the rest */
        memcpy(buf + LC_REC_HEADER_LEN, payload, plen);
        CHECK_OK(lc_rec_protect(d, records[i].type, plen, 0, buf, sizeof(buf), &outlen));
        CHECK(outlen == plen + LC_REC_PROTECT_OVERHEAD);
        CHECK_MEM(buf, outlen, wire, wlen);
        CHECK(d->seq == seq + 1);
    }
    /* the server's application key sealed three records: seq 0, 1, 2 */
    CHECK(dirs[S_AP].seq == 3 && dirs[C_AP].seq == 2 && dirs[S_HS].seq == 1);
    for (int i = 0; i < 4; i++) {
        lc_rec_dir_free(&dirs[i]);
    }
}

/* TLSPlaintext (RFC 8446 5.1): sections 3 and 7, the ClientHello's 0x0301 included. */
/*
 * lc_rec_protect_from: the same RFC 8448 records, sealed from the payload where it lies
 * (not copied into the record first), come out byte for byte, and the payload is untouched.
 */
static void test_rfc8448_records_from_elsewhere(void)
{
    lc_rec_dir dirs[4];
    uint8_t buf[1024], copy[1024];

    for (int i = 0; i < 4; i++) {
        keyed(&dirs[i], i, true);
    }
    for (size_t i = 0; i < LC_ARRAY_LEN(records); i++) {
        lc_rec_dir *d = &dirs[records[i].keys];
        size_t plen, wlen, outlen = 0;
        const uint8_t *payload = rfc8448_get(3, records[i].step, records[i].nth, "payload",
                                             &plen);
        const uint8_t *wire = rfc8448_get(3, records[i].step, records[i].nth, "complete record",
                                          &wlen);

        memcpy(copy, payload, plen);
        memset(buf, 0xa5, sizeof(buf));
        CHECK_OK(lc_rec_protect_from(d, records[i].type, copy, plen, 0, buf, sizeof(buf),
                                     &outlen));
        CHECK_MEM(buf, outlen, wire, wlen);
        CHECK_MEM(copy, plen, payload, plen);
    }
    for (int i = 0; i < 4; i++) {
        lc_rec_dir_free(&dirs[i]);
    }
}

static void test_plaintext_records(void)
{
    static const struct {
        int section;
        const char *step;
        int nth;
        uint8_t type;
        uint16_t version;
    } cases[] = {
        { 3, "{client} send handshake record", 0, LC_CT_HANDSHAKE, 0x0301 },
        { 3, "{server} send handshake record", 0, LC_CT_HANDSHAKE, LC_REC_VERSION },
        { 7, "{server} send change_cipher_spec record", 0, LC_CT_CHANGE_CIPHER_SPEC,
          LC_REC_VERSION },
    };
    uint8_t buf[512];

    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        size_t plen, wlen, outlen;
        const uint8_t *payload = rfc8448_get(cases[i].section, cases[i].step, cases[i].nth,
                                             "payload", &plen);
        const uint8_t *wire = rfc8448_get(cases[i].section, cases[i].step, cases[i].nth,
                                          "complete record", &wlen);

        memcpy(buf + LC_REC_HEADER_LEN, payload, plen);
        CHECK_OK(lc_rec_frame_plaintext(cases[i].type, cases[i].version, plen, buf, sizeof(buf),
                                        &outlen));
        CHECK_MEM(buf, outlen, wire, wlen);
    }
}

/* RFC 8446 5.1: what is never sent in the clear. */
static void test_plaintext_refusals(void)
{
    static uint8_t buf[LC_REC_HEADER_LEN + LC_REC_PLAINTEXT_MAX + 1];
    size_t outlen;

    CHECK_RC(lc_rec_frame_plaintext(LC_CT_APPLICATION_DATA, LC_REC_VERSION, 10, buf, sizeof(buf),
                                    &outlen), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_rec_frame_plaintext(0, LC_REC_VERSION, 10, buf, sizeof(buf), &outlen),
             LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_rec_frame_plaintext(LC_CT_HANDSHAKE, LC_REC_VERSION, 0, buf, sizeof(buf),
                                    &outlen), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_rec_frame_plaintext(LC_CT_ALERT, LC_REC_VERSION, 0, buf, sizeof(buf), &outlen),
             LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_rec_frame_plaintext(LC_CT_HANDSHAKE, LC_REC_VERSION, LC_REC_PLAINTEXT_MAX + 1,
                                    buf, sizeof(buf), &outlen), LC_E_BAD_ARGUMENT);
    CHECK_OK(lc_rec_frame_plaintext(LC_CT_HANDSHAKE, LC_REC_VERSION, LC_REC_PLAINTEXT_MAX, buf,
                                    sizeof(buf), &outlen));
    CHECK(outlen == LC_REC_HEADER_LEN + LC_REC_PLAINTEXT_MAX);
    CHECK_RC(lc_rec_frame_plaintext(LC_CT_HANDSHAKE, LC_REC_VERSION, 10, buf, 14, &outlen),
             LC_E_BUFFER_TOO_SMALL);
    CHECK_RC(lc_rec_frame_plaintext(LC_CT_HANDSHAKE, LC_REC_VERSION, 10, buf, 3, &outlen),
             LC_E_BUFFER_TOO_SMALL);
}

/* Padding (RFC 8446 5.4): zeros after the type, inside the encryption, and opened away. */
static void test_padding_round_trip(void)
{
    lc_rec_dir w, r;
    uint8_t buf[256];
    const uint8_t msg[] = "ping";
    lc_record rec;
    size_t outlen;

    keyed(&w, C_AP, true);
    keyed(&r, C_AP, false);
    memcpy(buf + LC_REC_HEADER_LEN, msg, 4);
    CHECK_OK(lc_rec_protect(&w, LC_CT_APPLICATION_DATA, 4, 100, buf, sizeof(buf), &outlen));
    CHECK(outlen == 4 + 100 + LC_REC_PROTECT_OVERHEAD);
    CHECK(buf[0] == 23 && buf[1] == 3 && buf[2] == 3 && buf[3] == 0 && buf[4] == 4 + 100 + 17);
    rec.type = buf[0];
    rec.header = buf;
    rec.fragment = buf + LC_REC_HEADER_LEN;
    rec.len = outlen - LC_REC_HEADER_LEN;
    CHECK_OK(lc_rec_unprotect(&r, &rec));
    CHECK(rec.type == LC_CT_APPLICATION_DATA);
    CHECK_MEM(rec.fragment, rec.len, msg, 4);
    /* an empty application_data record, padded: cover traffic (5.4) */
    CHECK_OK(lc_rec_protect(&w, LC_CT_APPLICATION_DATA, 0, 7, buf, sizeof(buf), &outlen));
    rec.type = buf[0];
    rec.len = outlen - LC_REC_HEADER_LEN;
    CHECK_OK(lc_rec_unprotect(&r, &rec));
    CHECK(rec.type == LC_CT_APPLICATION_DATA && rec.len == 0);
    lc_rec_dir_free(&w);
    lc_rec_dir_free(&r);
}

/* Every suite's AEAD goes through the same nonce and framing. */
static void test_suites_round_trip(void)
{
    static const enum lc_aead_alg algs[] = { LC_AES_128_GCM, LC_AES_256_GCM,
                                             LC_CHACHA20_POLY1305 };
    uint8_t key[32], iv[12], buf[128];

    memset(key, 0x42, sizeof(key));
    memset(iv, 0x24, sizeof(iv));
    for (size_t i = 0; i < LC_ARRAY_LEN(algs); i++) {
        lc_rec_dir w, r;

        lc_rec_dir_init(&w, true);
        lc_rec_dir_init(&r, false);
        CHECK_OK(lc_rec_dir_set_key(&w, cr, algs[i], key, iv));
        CHECK_OK(lc_rec_dir_set_key(&r, cr, algs[i], key, iv));
        for (int n = 0; n < 3; n++) {
            lc_record rec;
            size_t outlen;

            memset(buf + LC_REC_HEADER_LEN, 'a' + n, 10);
            CHECK_OK(lc_rec_protect(&w, LC_CT_HANDSHAKE, 10, (size_t)n, buf, sizeof(buf),
                                    &outlen));
            rec.type = buf[0];
            rec.header = buf;
            rec.fragment = buf + LC_REC_HEADER_LEN;
            rec.len = outlen - LC_REC_HEADER_LEN;
            CHECK_OK(lc_rec_unprotect(&r, &rec));
            CHECK(rec.type == LC_CT_HANDSHAKE && rec.len == 10 && rec.fragment[9] == 'a' + n);
        }
        CHECK(w.seq == 3 && r.seq == 3);
        lc_rec_dir_free(&w);
        lc_rec_dir_free(&r);
    }
}

/* RFC 8446 5, 5.3, 5.4: what protect refuses, with nothing written and seq unchanged. */
static void test_refusals(void)
{
    static uint8_t buf[LC_REC_HEADER_LEN + LC_REC_CIPHERTEXT_MAX];
    lc_rec_dir d;
    size_t outlen;

    lc_rec_dir_init(&d, true);
    CHECK_RC(lc_rec_protect(&d, LC_CT_HANDSHAKE, 10, 0, buf, sizeof(buf), &outlen),
             LC_E_INTERNAL); /* no key yet */
    lc_rec_dir_free(&d);

    keyed(&d, C_AP, true);
    memset(buf, 0xaa, sizeof(buf));
    CHECK_RC(lc_rec_protect(&d, LC_CT_CHANGE_CIPHER_SPEC, 1, 0, buf, sizeof(buf), &outlen),
             LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_rec_protect(&d, 24, 1, 0, buf, sizeof(buf), &outlen), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_rec_protect(&d, LC_CT_HANDSHAKE, 0, 0, buf, sizeof(buf), &outlen),
             LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_rec_protect(&d, LC_CT_ALERT, 0, 5, buf, sizeof(buf), &outlen),
             LC_E_BAD_ARGUMENT);
    /* 2^14 bytes of content fit; one more, or one byte of padding more, do not */
    CHECK_RC(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, LC_REC_PLAINTEXT_MAX + 1, 0, buf,
                            sizeof(buf), &outlen), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, LC_REC_PLAINTEXT_MAX, 1, buf,
                            sizeof(buf), &outlen), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, 100, SIZE_MAX, buf, sizeof(buf),
                            &outlen), LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, 10, 0, buf, 10 + 21, &outlen),
             LC_E_BUFFER_TOO_SMALL);
    CHECK(d.seq == 0 && buf[0] == 0xaa && buf[LC_REC_HEADER_LEN + 10] == 0xaa);
    CHECK_OK(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, 10, 0, buf, 10 + 22, &outlen));
    CHECK_OK(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, LC_REC_PLAINTEXT_MAX, 0, buf,
                            sizeof(buf), &outlen));
    CHECK(outlen == LC_REC_HEADER_LEN + LC_REC_PLAINTEXT_MAX + 1 + LC_AEAD_TAG_LEN);

    /* the peer's record_size_limit (RFC 8449) bounds content, type and padding together */
    CHECK_OK(lc_rec_dir_set_limit(&d, 100));
    CHECK(lc_rec_dir_max_fragment(&d) == 99);
    CHECK_OK(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, 99, 0, buf, sizeof(buf), &outlen));
    CHECK_RC(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, 100, 0, buf, sizeof(buf), &outlen),
             LC_E_BAD_ARGUMENT);
    CHECK_RC(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, 90, 10, buf, sizeof(buf), &outlen),
             LC_E_BAD_ARGUMENT);

    /* RFC 8446 5.3: never wrap the sequence number */
    d.seq = UINT64_MAX - 1;
    CHECK_OK(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, 10, 0, buf, sizeof(buf), &outlen));
    CHECK(d.seq == UINT64_MAX);
    CHECK_RC(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, 10, 0, buf, sizeof(buf), &outlen),
             LC_E_INTERNAL);
    CHECK(d.seq == UINT64_MAX);
    /* a new key starts again at 0 */
    CHECK_OK(lc_rec_dir_set_key(&d, cr, LC_AES_128_GCM, buf, buf));
    CHECK(d.seq == 0);
    lc_rec_dir_free(&d);

    /* a reading direction does not seal */
    keyed(&d, C_AP, false);
    CHECK_RC(lc_rec_protect(&d, LC_CT_APPLICATION_DATA, 10, 0, buf, sizeof(buf), &outlen),
             LC_E_INTERNAL);
    lc_rec_dir_free(&d);
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

TEST_MAIN(setup, test_rfc8448_records, test_rfc8448_records_from_elsewhere, test_plaintext_records,
          test_plaintext_refusals, test_padding_round_trip, test_suites_round_trip, test_refusals, teardown)
