/*
 * Tests for src/record/unprotect.c: every encrypted record of RFC 8448
 * section 3 opens with the trace's keys to exactly the trace's payload, with
 * the sequence number moving on per direction; an AES-256-GCM record of "The
 * Illustrated TLS 1.3 Connection" (tls13.xargs.org) opens at sequence numbers 0
 * and 3; and each way RFC 8446 5.2 and 5.4 say a record is bad gives its one
 * exact error.
 */
#include "test.h"

#include "rfc8448.h"

#include "base/error.h"
#include "crypto/crypto.h"
#include "record/record.h"

static lc_crypto *cr;

/* The four key sets of section 3, each named by the trace step that derives it. */
enum { S_HS, S_AP, C_HS, C_AP };
static const char *const key_steps[] = {
    [S_HS] = "{server} derive write traffic keys for handshake data",
    [S_AP] = "{server} derive write traffic keys for application data",
    [C_HS] = "{server} derive read traffic keys for handshake data",
    [C_AP] = "{client} derive write traffic keys for application data",
};

/* The encrypted records of section 3, in the order each direction sends them. */
static const struct {
    const char *step;
    int nth;
    int keys;
    uint8_t type; /* the inner content type */
    uint64_t seq; /* the sequence number it was sent with */
} records[] = {
    { "{server} send handshake record", 1, S_HS, LC_CT_HANDSHAKE, 0 },
    { "{client} send handshake record", 1, C_HS, LC_CT_HANDSHAKE, 0 },
    { "{server} send handshake record", 2, S_AP, LC_CT_HANDSHAKE, 0 }, /* NewSessionTicket */
    { "{client} send application_data record", 0, C_AP, LC_CT_APPLICATION_DATA, 0 },
    { "{server} send application_data record", 0, S_AP, LC_CT_APPLICATION_DATA, 1 },
    { "{client} send alert record", 0, C_AP, LC_CT_ALERT, 1 },
    { "{server} send alert record", 0, S_AP, LC_CT_ALERT, 2 },
};

/* A reading direction keyed from the trace. */
static void keyed(lc_rec_dir *d, int keys)
{
    size_t klen, ivlen;
    const uint8_t *key = rfc8448_get(3, key_steps[keys], 0, "key expanded", &klen);
    const uint8_t *iv = rfc8448_get(3, key_steps[keys], 0, "iv expanded", &ivlen);

    CHECK(klen == 16 && ivlen == 12);
    lc_rec_dir_init(d, false);
    CHECK_OK(lc_rec_dir_set_key(d, cr, LC_AES_128_GCM, key, iv));
}

/* A record as the deframer would hand it out, over a copy in buf. */
static lc_record record_in(uint8_t *buf, const uint8_t *wire, size_t len)
{
    lc_record rec;

    memcpy(buf, wire, len);
    rec.type = buf[0];
    rec.legacy_record_version = (uint16_t)(buf[1] << 8 | buf[2]);
    rec.header = buf;
    rec.fragment = buf + LC_REC_HEADER_LEN;
    rec.len = len - LC_REC_HEADER_LEN;
    return rec;
}

static void test_rfc8448_records(void)
{
    lc_rec_dir dirs[4];
    uint8_t buf[1024];

    for (int i = 0; i < 4; i++) {
        keyed(&dirs[i], i);
    }
    for (size_t i = 0; i < LC_ARRAY_LEN(records); i++) {
        lc_rec_dir *d = &dirs[records[i].keys];
        size_t wlen, plen;
        const uint8_t *wire = rfc8448_get(3, records[i].step, records[i].nth, "complete record",
                                          &wlen);
        const uint8_t *payload = rfc8448_get(3, records[i].step, records[i].nth, "payload",
                                             &plen);
        lc_record rec = record_in(buf, wire, wlen);

        CHECK(d->seq == records[i].seq);
        CHECK_OK(lc_rec_unprotect(d, &rec));
        CHECK(rec.type == records[i].type);
        CHECK(rec.fragment == buf + LC_REC_HEADER_LEN);
        CHECK_MEM(rec.fragment, rec.len, payload, plen);
        CHECK(d->seq == records[i].seq + 1);
    }
    for (int i = 0; i < 4; i++) {
        lc_rec_dir_free(&dirs[i]);
    }
}

/* A record opened with the wrong sequence number does not authenticate (RFC 8446 5.3). */
static void test_wrong_sequence_number(void)
{
    lc_rec_dir d;
    uint8_t buf[128];
    size_t wlen;
    const uint8_t *wire = rfc8448_get(3, "{server} send application_data record", 0,
                                      "complete record", &wlen);
    lc_record rec = record_in(buf, wire, wlen);

    keyed(&d, S_AP); /* the record was sent second, with seq 1 */
    CHECK_RC(lc_rec_unprotect(&d, &rec), LC_E_BAD_RECORD_MAC);
    CHECK(d.seq == 0);
    rec = record_in(buf, wire, wlen);
    d.seq = 1;
    CHECK_OK(lc_rec_unprotect(&d, &rec));
    lc_rec_dir_free(&d);
}

/* RFC 8446 5.2: any change to header, ciphertext or tag is bad_record_mac. */
static void test_bit_flips(void)
{
    uint8_t buf[128];
    size_t wlen;
    const uint8_t *wire = rfc8448_get(3, "{client} send application_data record", 0,
                                      "complete record", &wlen);

    for (size_t at = 0; at < wlen; at++) {
        lc_rec_dir d;
        lc_record rec;

        /* the type byte is checked before decryption: see test_outer_type */
        if (at == 0) {
            continue;
        }
        keyed(&d, C_AP);
        rec = record_in(buf, wire, wlen);
        /* header bytes are the additional data: a changed version or length fails too */
        buf[at] ^= (uint8_t)(1u << (at % 8));
        CHECK_RC(lc_rec_unprotect(&d, &rec), LC_E_BAD_RECORD_MAC);
        CHECK(d.seq == 0);
        lc_rec_dir_free(&d);
    }
}

/* RFC 8446 5.2: the outer type of a protected record is application_data. */
static void test_outer_type(void)
{
    uint8_t buf[128];
    size_t wlen;
    const uint8_t *wire = rfc8448_get(3, "{client} send application_data record", 0,
                                      "complete record", &wlen);
    lc_rec_dir d;
    lc_record rec = record_in(buf, wire, wlen);

    keyed(&d, C_AP);
    rec.type = LC_CT_HANDSHAKE;
    CHECK_RC(lc_rec_unprotect(&d, &rec), LC_E_UNEXPECTED_RECORD);
    rec.type = LC_CT_CHANGE_CIPHER_SPEC;
    CHECK_RC(lc_rec_unprotect(&d, &rec), LC_E_UNEXPECTED_RECORD);
    /* too short to hold a tag and a type: cannot authenticate */
    rec = record_in(buf, wire, wlen);
    rec.len = LC_AEAD_TAG_LEN;
    CHECK_RC(lc_rec_unprotect(&d, &rec), LC_E_BAD_RECORD_MAC);
    lc_rec_dir_free(&d);
}

/*
 * Seals an arbitrary TLSInnerPlaintext (inner, innerlen) as the peer would,
 * with the AEAD directly, so that records our own protect refuses to make
 * can be tried.
 */
static size_t seal_raw(const uint8_t *key, const uint8_t *iv, uint64_t seq, const uint8_t *inner,
                       size_t innerlen, uint8_t *out)
{
    lc_aead_ctx *c = lc_aead_new(cr, LC_AES_128_GCM, true);
    lc_rec_dir nd;
    uint8_t nonce[12];
    size_t len = innerlen + LC_AEAD_TAG_LEN;

    CHECK(c != NULL);
    CHECK_OK(lc_aead_set_key(c, LC_AES_128_GCM, key));
    out[0] = LC_CT_APPLICATION_DATA;
    out[1] = 0x03;
    out[2] = 0x03;
    out[3] = (uint8_t)(len >> 8);
    out[4] = (uint8_t)len;
    lc_rec_dir_init(&nd, true);
    memcpy(nd.iv, iv, 12);
    nd.seq = seq;
    lc_rec_dir_nonce(&nd, nonce);
    CHECK_OK(lc_aead_seal(c, nonce, out, 5, inner, innerlen, out + 5));
    lc_aead_free(c);
    return 5 + len;
}

/* What only the decrypted inner plaintext shows (RFC 8446 5, 5.4). */
static void test_inner_plaintext(void)
{
    static const struct {
        const char *inner; /* hex */
        int rc;
        uint8_t type;
        size_t len;
    } cases[] = {
        /* no non-zero byte: no content type (5.4) */
        { "00", LC_E_UNEXPECTED_MESSAGE, 0, 0 },
        { "00 00 00 00 00 00 00 00", LC_E_UNEXPECTED_MESSAGE, 0, 0 },
        /* padding is stripped; the type is the last non-zero byte */
        { "01 00 17 00 00 00", 0, LC_CT_APPLICATION_DATA, 2 },
        { "41 42 15", 0, LC_CT_ALERT, 2 },
        /* an empty application_data record is legal cover traffic (5.4) */
        { "17 00 00", 0, LC_CT_APPLICATION_DATA, 0 },
        /* empty handshake or alert content (5.4) */
        { "16", LC_E_UNEXPECTED_MESSAGE, 0, 0 },
        { "15 00 00", LC_E_UNEXPECTED_MESSAGE, 0, 0 },
        /* a protected change_cipher_spec (5) */
        { "01 14", LC_E_UNEXPECTED_MESSAGE, 0, 0 },
        /* content types nobody defined (5) */
        { "01 18", LC_E_UNEXPECTED_RECORD, 0, 0 },
        { "01 02 03 ff 00", LC_E_UNEXPECTED_RECORD, 0, 0 },
    };
    size_t klen, ivlen;
    const uint8_t *key = rfc8448_get(3, key_steps[C_AP], 0, "key expanded", &klen);
    const uint8_t *iv = rfc8448_get(3, key_steps[C_AP], 0, "iv expanded", &ivlen);

    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        uint8_t inner[64], buf[128];
        size_t n = test_hex(cases[i].inner, inner, sizeof(inner));
        size_t wlen = seal_raw(key, iv, 0, inner, n, buf);
        lc_record rec = record_in(buf, buf, wlen);
        lc_rec_dir d;

        keyed(&d, C_AP);
        CHECK_RC(lc_rec_unprotect(&d, &rec), cases[i].rc);
        if (cases[i].rc == 0) {
            CHECK(rec.type == cases[i].type && rec.len == cases[i].len);
            CHECK_MEM(rec.fragment, rec.len, inner, cases[i].len);
        }
        lc_rec_dir_free(&d);
    }
}

/* RFC 8446 5.4: TLSInnerPlaintext over 2^14 + 1, or over our record_size_limit (RFC 8449). */
static void test_overflow(void)
{
    static uint8_t inner[LC_REC_INNER_MAX + 1], buf[LC_REC_HEADER_LEN + LC_REC_CIPHERTEXT_MAX];
    size_t klen, ivlen;
    const uint8_t *key = rfc8448_get(3, key_steps[C_AP], 0, "key expanded", &klen);
    const uint8_t *iv = rfc8448_get(3, key_steps[C_AP], 0, "iv expanded", &ivlen);
    lc_rec_dir d;
    lc_record rec;
    size_t wlen;

    memset(inner, 'x', sizeof(inner));
    inner[LC_REC_INNER_MAX - 1] = LC_CT_APPLICATION_DATA;
    inner[LC_REC_INNER_MAX] = 0;

    /* 2^14 bytes of content and the type: the largest record there is */
    keyed(&d, C_AP);
    wlen = seal_raw(key, iv, 0, inner, LC_REC_INNER_MAX, buf);
    rec = record_in(buf, buf, wlen);
    CHECK_OK(lc_rec_unprotect(&d, &rec));
    CHECK(rec.len == LC_REC_PLAINTEXT_MAX);
    /* one byte of padding more is too much, even though the content is the same */
    wlen = seal_raw(key, iv, 1, inner, LC_REC_INNER_MAX + 1, buf);
    rec = record_in(buf, buf, wlen);
    CHECK_RC(lc_rec_unprotect(&d, &rec), LC_E_RECORD_OVERFLOW);
    lc_rec_dir_free(&d);

    /* with a record_size_limit of 64, 64 inner bytes pass and 65 do not */
    keyed(&d, C_AP);
    CHECK_OK(lc_rec_dir_set_limit(&d, 64));
    inner[63] = LC_CT_HANDSHAKE;
    wlen = seal_raw(key, iv, 0, inner, 64, buf);
    rec = record_in(buf, buf, wlen);
    CHECK_OK(lc_rec_unprotect(&d, &rec));
    CHECK(rec.type == LC_CT_HANDSHAKE && rec.len == 63);
    inner[64] = LC_CT_HANDSHAKE;
    wlen = seal_raw(key, iv, 1, inner, 65, buf);
    rec = record_in(buf, buf, wlen);
    CHECK_RC(lc_rec_unprotect(&d, &rec), LC_E_RECORD_OVERFLOW);
    lc_rec_dir_free(&d);
}

/*
 * TLS_AES_256_GCM_SHA384 records from "The Illustrated TLS 1.3 Connection"
 * (tls13.xargs.org): the server's EncryptedExtensions (seq 0) and Finished
 * (seq 3) under its handshake key.
 */
static void test_aes256_records(void)
{
    uint8_t key[32], iv[12], buf[128], want[64];
    lc_rec_dir d;
    lc_record rec;
    size_t n;

    test_hex("9f13575ce3f8cfc1df64a77ceaffe89700b492ad31b4fab01c4792be1b266b7f", key, 32);
    test_hex("9563bc8b590f671f488d2da3", iv, 12);
    lc_rec_dir_init(&d, false);
    CHECK_OK(lc_rec_dir_set_key(&d, cr, LC_AES_256_GCM, key, iv));

    n = test_hex("17 03 03 00 17  6b e0 2f 9d a7 c2 dc"
                 "9d de f5 6f 24 68 b9 0a df a2 51 01 ab 03 44 ae", buf, sizeof(buf));
    rec = record_in(buf, buf, n);
    CHECK_OK(lc_rec_unprotect(&d, &rec));
    CHECK(rec.type == LC_CT_HANDSHAKE);
    CHECK_MEM(rec.fragment, rec.len, want, test_hex("08 00 00 02 00 00", want, sizeof(want)));

    d.seq = 3;
    n = test_hex("17 03 03 00 45"
                 "10 61 de 27 e5 1c 2c 9f 34 29 11 80 6f 28 2b 71 0c 10 63 2c a5 00 67 55"
                 "88 0d bf 70 06 00 2d 0e 84 fe d9 ad f2 7a 43 b5 19 23 03 e4 df 5c 28 5d"
                 "58 e3 c7 62 24"
                 "07 84 40 c0 74 23 74 74 4a ec f2 8c f3 18 2f d0", buf, sizeof(buf));
    rec = record_in(buf, buf, n);
    CHECK_OK(lc_rec_unprotect(&d, &rec));
    CHECK(rec.type == LC_CT_HANDSHAKE && d.seq == 4);
    CHECK_MEM(rec.fragment, rec.len, want,
              test_hex("14 00 00 30 7e 30 ee cc b6 b2 3b e6 c6 ca 36 39 92 e8 42 da 87 7e e6 47"
                       "15 ae 7f c0 cf 87 f9 e5 03 21 82 b5 bb 48 d1 e3 3f 99 79 05 5a 16 0c 8d"
                       "bb b1 56 9c", want, sizeof(want)));
    lc_rec_dir_free(&d);
}

/* Opening needs a reading direction with a key, and a sequence number that will not wrap. */
static void test_misuse(void)
{
    uint8_t buf[128];
    size_t wlen;
    const uint8_t *wire = rfc8448_get(3, "{client} send application_data record", 0,
                                      "complete record", &wlen);
    lc_record rec = record_in(buf, wire, wlen);
    lc_rec_dir d;

    lc_rec_dir_init(&d, false);
    CHECK_RC(lc_rec_unprotect(&d, &rec), LC_E_INTERNAL);
    keyed(&d, C_AP);
    d.seq = UINT64_MAX;
    CHECK_RC(lc_rec_unprotect(&d, &rec), LC_E_INTERNAL);
    CHECK(d.seq == UINT64_MAX);
    lc_rec_dir_free(&d);
    lc_rec_dir_init(&d, true);
    CHECK_OK(lc_rec_dir_set_key(&d, cr, LC_AES_128_GCM, buf, buf));
    CHECK_RC(lc_rec_unprotect(&d, &rec), LC_E_INTERNAL); /* a sealing direction */
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

TEST_MAIN(setup, test_rfc8448_records, test_wrong_sequence_number, test_bit_flips,
          test_outer_type, test_inner_plaintext, test_overflow, test_aes256_records, test_misuse,
          teardown)
