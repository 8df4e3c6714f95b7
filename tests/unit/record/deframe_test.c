/*
 * Tests for src/record/deframe.c: the flights of RFC 8448 sections 3 and 7
 * fed in chunks of every size from 1 byte to all at once come out as the
 * same records, which then open to the trace's payloads; each header check
 * of RFC 8446 5.1 and 5.2 fires as soon as the header is in, before any body
 * is awaited; and the buffer exists only while a record needs it.
 */
#include "test.h"

#include "rfc8448.h"

#include "base/error.h"
#include "crypto/crypto.h"
#include "record/record.h"

static lc_crypto *cr;

/* A wire stream of some records of the trace, and where each one starts. */
struct stream {
    uint8_t bytes[4096];
    size_t len;
    size_t n;
    size_t start[8], size[8];
};

static void append(struct stream *s, int section, const char *step, int nth)
{
    size_t len;
    const uint8_t *rec = rfc8448_get(section, step, nth, "complete record", &len);

    CHECK(s->len + len <= sizeof(s->bytes) && s->n < 8);
    memcpy(s->bytes + s->len, rec, len);
    s->start[s->n] = s->len;
    s->size[s->n++] = len;
    s->len += len;
}

/*
 * Feeds the stream chunk bytes at a time, as a connection does: offer the
 * bytes, take each whole record as it appears and consume it, offer the rest.
 * Each record must be the stream's next, byte for byte.
 */
static void feed_in_chunks(const struct stream *s, size_t chunk, bool server)
{
    lc_rec_in in;
    size_t pos = 0, got = 0;

    lc_rec_in_init(&in, server);
    while (pos < s->len) {
        size_t n = s->len - pos < chunk ? s->len - pos : chunk;
        const uint8_t *p = s->bytes + pos;

        pos += n;
        while (n > 0) {
            lc_record rec;
            size_t used;

            CHECK_OK(lc_rec_in_feed(&in, p, n, &used));
            CHECK(used <= n);
            p += used;
            n -= used;
            if (!lc_rec_in_record(&in, &rec)) {
                CHECK(n == 0); /* it takes everything until a record is whole */
                break;
            }
            CHECK(got < s->n);
            CHECK(rec.len + LC_REC_HEADER_LEN == s->size[got]);
            CHECK_MEM(rec.header, LC_REC_HEADER_LEN, s->bytes + s->start[got], LC_REC_HEADER_LEN);
            CHECK_MEM(rec.fragment, rec.len, s->bytes + s->start[got] + LC_REC_HEADER_LEN,
                      s->size[got] - LC_REC_HEADER_LEN);
            CHECK(rec.type == s->bytes[s->start[got]]);
            /* while a record is held, nothing more is taken */
            if (n > 0) {
                CHECK_OK(lc_rec_in_feed(&in, p, n, &used));
                CHECK(used == 0);
            }
            lc_rec_in_consume(&in);
            got++;
        }
        /* the connection waits for more: an idle deframer lets its buffer go */
        lc_rec_in_trim(&in);
        CHECK(in.body == NULL || in.body_len > 0);
    }
    CHECK(got == s->n);
    CHECK(lc_rec_in_empty(&in) && in.body == NULL);
    lc_rec_in_free(&in);
}

static void test_flights_in_chunks(void)
{
    struct stream server3 = { .len = 0 }, client3 = { .len = 0 }, server7 = { .len = 0 };

    /* section 3, the server: ServerHello, its encrypted flight, the ticket, data, an alert */
    append(&server3, 3, "{server} send handshake record", 0);
    append(&server3, 3, "{server} send handshake record", 1);
    append(&server3, 3, "{server} send handshake record", 2);
    append(&server3, 3, "{server} send application_data record", 0);
    append(&server3, 3, "{server} send alert record", 0);
    /* section 3, the client: the ClientHello (record version 0x0301), Finished, data, alert */
    append(&client3, 3, "{client} send handshake record", 0);
    append(&client3, 3, "{client} send handshake record", 1);
    append(&client3, 3, "{client} send application_data record", 0);
    append(&client3, 3, "{client} send alert record", 0);
    /* section 7, compatibility mode: a change_cipher_spec between ServerHello and the rest */
    append(&server7, 7, "{server} send handshake record", 0);
    append(&server7, 7, "{server} send change_cipher_spec record", 0);
    append(&server7, 7, "{server} send handshake record", 1);

    for (size_t chunk = 1; chunk <= 40; chunk++) {
        feed_in_chunks(&server3, chunk, false);
        feed_in_chunks(&client3, chunk, true);
        feed_in_chunks(&server7, chunk, false);
    }
    for (size_t chunk = 100; chunk <= server3.len; chunk += 97) {
        feed_in_chunks(&server3, chunk, false);
    }
    feed_in_chunks(&server3, server3.len, false);
    feed_in_chunks(&client3, client3.len, true);
    feed_in_chunks(&server7, server7.len, false);
}

/*
 * The client's view of section 3, one byte at a time and then through
 * unprotect: the ServerHello in the clear, the rest opened to the payloads
 * with the keys the trace derives in between.
 */
static void test_server_flight_opened(void)
{
    static const struct {
        int nth;          /* of "{server} send handshake record" */
        const char *keys; /* NULL: plaintext */
    } recs[] = {
        { 0, NULL },
        { 1, "{server} derive write traffic keys for handshake data" },
        { 2, "{server} derive write traffic keys for application data" },
    };
    struct stream s = { .len = 0 };
    lc_rec_in in;
    lc_rec_dir dir;
    size_t pos = 0;

    for (size_t i = 0; i < LC_ARRAY_LEN(recs); i++) {
        append(&s, 3, "{server} send handshake record", recs[i].nth);
    }
    lc_rec_in_init(&in, false);
    lc_rec_dir_init(&dir, false);
    for (size_t i = 0; i < LC_ARRAY_LEN(recs); i++) {
        lc_record rec;
        size_t used, plen;
        const uint8_t *payload = rfc8448_get(3, "{server} send handshake record", recs[i].nth,
                                             "payload", &plen);

        while (!lc_rec_in_record(&in, &rec)) {
            CHECK(pos < s.len);
            CHECK_OK(lc_rec_in_feed(&in, s.bytes + pos, 1, &used));
            pos += used;
        }
        /* keys change between records: the next record's bytes are not yet taken */
        if (recs[i].keys != NULL) {
            size_t klen, ivlen;
            const uint8_t *key = rfc8448_get(3, recs[i].keys, 0, "key expanded", &klen);
            const uint8_t *iv = rfc8448_get(3, recs[i].keys, 0, "iv expanded", &ivlen);

            CHECK_OK(lc_rec_dir_set_key(&dir, cr, LC_AES_128_GCM, key, iv));
            CHECK_OK(lc_rec_unprotect(&dir, &rec));
        }
        CHECK(rec.type == LC_CT_HANDSHAKE);
        CHECK_MEM(rec.fragment, rec.len, payload, plen);
        lc_rec_in_consume(&in);
    }
    CHECK(pos == s.len && lc_rec_in_empty(&in));
    lc_rec_dir_free(&dir);
    lc_rec_in_free(&in);
}

/* Feeds a header (and nothing else) and returns what the deframer says. */
static int header_only(const char *hex, bool server, size_t *used)
{
    uint8_t h[5];
    lc_rec_in in;
    int rc;

    CHECK(test_hex(hex, h, sizeof(h)) == 5);
    lc_rec_in_init(&in, server);
    rc = lc_rec_in_feed(&in, h, 5, used);
    /* no body buffer is made for a header that fails, nor before any body byte */
    CHECK(in.body == NULL);
    lc_rec_in_free(&in);
    return rc;
}

/* RFC 8446 5.1, 5.2: each header is judged on its own 5 bytes. */
static void test_header_checks(void)
{
    static const struct {
        const char *header;
        bool server;
        int rc;
    } cases[] = {
        /* content types 20-23 only (5) */
        { "13 03 03 00 01", false, LC_E_UNEXPECTED_RECORD },
        { "18 03 03 00 01", false, LC_E_UNEXPECTED_RECORD },
        { "00 03 03 00 01", false, LC_E_UNEXPECTED_RECORD },
        { "47 45 54 20 2f", true, LC_E_UNEXPECTED_RECORD }, /* "GET /": not TLS */
        { "14 03 03 00 01", false, 0 },
        { "15 03 03 00 02", false, 0 },
        { "17 03 03 00 20", false, 0 },
        /* the largest records (5.1, 5.2) and one byte more */
        { "17 03 03 41 00", false, 0 },
        { "17 03 03 41 01", false, LC_E_RECORD_OVERFLOW },
        { "17 03 03 ff ff", false, LC_E_RECORD_OVERFLOW },
        { "16 03 03 40 00", false, 0 },
        { "16 03 03 40 01", false, LC_E_RECORD_OVERFLOW },
        { "15 03 03 40 01", false, LC_E_RECORD_OVERFLOW },
        { "14 03 03 40 01", false, LC_E_RECORD_OVERFLOW },
        /* empty records (5.1, 5.4) */
        { "16 03 03 00 00", false, LC_E_UNEXPECTED_MESSAGE },
        { "15 03 03 00 00", false, LC_E_EMPTY_RECORD },
        /* legacy_record_version: 0x0303, or any 0x03XX on a server's first ClientHello */
        { "16 03 01 00 c4", false, LC_E_PROTOCOL_VERSION },
        { "16 03 01 00 c4", true, 0 },
        { "16 03 00 00 c4", true, 0 },
        { "16 03 04 00 c4", true, 0 },
        { "16 02 00 00 c4", true, LC_E_PROTOCOL_VERSION },
        { "16 04 03 00 c4", true, LC_E_PROTOCOL_VERSION },
        { "16 03 02 00 c4", false, LC_E_PROTOCOL_VERSION },
        { "17 03 04 00 20", false, LC_E_PROTOCOL_VERSION },
        /* only a handshake record can be the first ClientHello */
        { "15 03 01 00 02", true, LC_E_PROTOCOL_VERSION },
    };

    for (size_t i = 0; i < LC_ARRAY_LEN(cases); i++) {
        size_t used = 99;

        CHECK_RC(header_only(cases[i].header, cases[i].server, &used), cases[i].rc);
        CHECK(used == 5);
    }
}

/* The leniency for the first ClientHello ends with it. */
static void test_initial_client_hello(void)
{
    const uint8_t ch1[] = { 0x16, 0x03, 0x01, 0x00, 0x01, 0xaa };
    const uint8_t ccs[] = { 0x14, 0x03, 0x03, 0x00, 0x01, 0x01 };
    lc_rec_in in;
    lc_record rec;
    size_t used;

    /* two ClientHello records with 0x0301, then the connection says it is over */
    lc_rec_in_init(&in, true);
    CHECK_OK(lc_rec_in_feed(&in, ch1, sizeof(ch1), &used));
    CHECK(lc_rec_in_record(&in, &rec) && rec.legacy_record_version == 0x0301 && rec.len == 1);
    lc_rec_in_consume(&in);
    CHECK_OK(lc_rec_in_feed(&in, ch1, sizeof(ch1), &used));
    lc_rec_in_consume(&in);
    lc_rec_in_initial_done(&in);
    CHECK_RC(lc_rec_in_feed(&in, ch1, sizeof(ch1), &used), LC_E_PROTOCOL_VERSION);
    lc_rec_in_free(&in);

    /* any record that is not a handshake record ends it too */
    lc_rec_in_init(&in, true);
    CHECK_OK(lc_rec_in_feed(&in, ccs, sizeof(ccs), &used));
    lc_rec_in_consume(&in);
    CHECK_RC(lc_rec_in_feed(&in, ch1, sizeof(ch1), &used), LC_E_PROTOCOL_VERSION);
    lc_rec_in_free(&in);
}

/* RFC 8446 5.2: an over-long record fails on its header, its body never awaited. */
static void test_overflow_before_body(void)
{
    const uint8_t big[] = { 0x17, 0x03, 0x03, 0x41, 0x01, 0x00, 0x00 };
    lc_rec_in in;
    size_t used;

    lc_rec_in_init(&in, false);
    CHECK_OK(lc_rec_in_feed(&in, big, 4, &used));
    CHECK(used == 4);
    CHECK_RC(lc_rec_in_feed(&in, big + 4, 3, &used), LC_E_RECORD_OVERFLOW);
    CHECK(used == 1 && in.body == NULL);
    /* errors are sticky: nothing more is taken */
    CHECK_RC(lc_rec_in_feed(&in, big + 5, 2, &used), LC_E_RECORD_OVERFLOW);
    CHECK(used == 0);
    CHECK(!lc_rec_in_record(&in, &(lc_record){ 0 }));
    lc_rec_in_free(&in);
}

/* STYLE 3.7: no buffer while idle or on a partial header; kept while a body is partial. */
static void test_buffer_lifetime(void)
{
    const uint8_t rec1[] = { 0x17, 0x03, 0x03, 0x00, 0x03, 0xa1, 0xa2, 0xa3 };
    const uint8_t empty[] = { 0x17, 0x03, 0x03, 0x00, 0x00 };
    lc_rec_in in;
    lc_record rec;
    size_t used;

    lc_rec_in_init(&in, false);
    CHECK(lc_rec_in_empty(&in) && in.body == NULL);
    CHECK_OK(lc_rec_in_feed(&in, rec1, 5, &used));
    CHECK(in.body == NULL && !lc_rec_in_empty(&in));
    CHECK(!lc_rec_in_record(&in, &rec));
    CHECK_OK(lc_rec_in_feed(&in, rec1 + 5, 1, &used));
    CHECK(in.body != NULL);
    lc_rec_in_trim(&in); /* a partial body stays */
    CHECK(in.body != NULL);
    CHECK_OK(lc_rec_in_feed(&in, rec1 + 6, 2, &used));
    CHECK(lc_rec_in_record(&in, &rec) && rec.len == 3 && rec.fragment[2] == 0xa3);
    lc_rec_in_trim(&in); /* so does a whole one not yet consumed */
    CHECK(in.body != NULL);
    lc_rec_in_consume(&in);
    /* consumed bytes are wiped (they may be plaintext by now); the buffer waits for a burst */
    CHECK(in.body != NULL && in.body[0] == 0 && in.body[2] == 0);
    CHECK(lc_rec_in_empty(&in));
    lc_rec_in_trim(&in);
    CHECK(in.body == NULL);

    /* an empty application_data record needs no buffer */
    CHECK_OK(lc_rec_in_feed(&in, empty, sizeof(empty), &used));
    CHECK(lc_rec_in_record(&in, &rec) && rec.len == 0 && rec.fragment != NULL);
    CHECK(in.body == NULL);
    lc_rec_in_consume(&in);
    /* a feed of nothing takes nothing */
    CHECK_OK(lc_rec_in_feed(&in, empty, 0, &used));
    CHECK(used == 0 && lc_rec_in_empty(&in));
    lc_rec_in_free(&in);
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
 * lc_rec_in_feed_from: the server's section 3 flight fed whole. The ServerHello (a
 * plaintext handshake record) is copied as usual; each protected record that arrives
 * whole is left where it lies (src points at its body in the fed bytes) and opened from
 * there into the deframer's buffer; one fed in two pieces is copied and opened in place.
 */
static void test_whole_records_opened_from_the_input(void)
{
    static const char *const keys[] = {
        NULL,
        "{server} derive write traffic keys for handshake data",
        "{server} derive write traffic keys for application data",
    };
    struct stream s = { .len = 0 };

    for (int i = 0; i < 3; i++) {
        append(&s, 3, "{server} send handshake record", i);
    }
    for (int split = 0; split < 2; split++) {
        lc_rec_in in;
        lc_rec_dir dir;
        uint8_t copy[4096];

        memcpy(copy, s.bytes, s.len);
        lc_rec_in_init(&in, false);
        lc_rec_dir_init(&dir, false);
        for (int i = 0; i < 3; i++) {
            const uint8_t *at = s.bytes + s.start[i], *src = (const uint8_t *)"x";
            size_t used, plen, half = split && i > 0 ? 9 : 0;
            const uint8_t *payload = rfc8448_get(3, "{server} send handshake record", i,
                                                 "payload", &plen);
            lc_record rec;

            if (half > 0) {
                CHECK_OK(lc_rec_in_feed_from(&in, at, half, &used, &src));
                CHECK(used == half && src == NULL && !lc_rec_in_record(&in, &rec));
            }
            /* offered the rest of the stream, it takes this record only */
            CHECK_OK(lc_rec_in_feed_from(&in, at + half, s.len - s.start[i] - half, &used,
                                         &src));
            CHECK(used == s.size[i] - half);
            CHECK(lc_rec_in_record(&in, &rec));
            if (keys[i] == NULL) {
                CHECK(src == NULL);
            } else {
                size_t klen, ivlen;
                const uint8_t *key = rfc8448_get(3, keys[i], 0, "key expanded", &klen);
                const uint8_t *iv = rfc8448_get(3, keys[i], 0, "iv expanded", &ivlen);

                CHECK(half > 0 ? src == NULL : src == at + LC_REC_HEADER_LEN);
                CHECK_OK(lc_rec_dir_set_key(&dir, cr, LC_AES_128_GCM, key, iv));
                CHECK_OK(lc_rec_unprotect_from(&dir, &rec, src != NULL ? src : rec.fragment));
            }
            CHECK(rec.type == LC_CT_HANDSHAKE);
            CHECK(rec.fragment != at + LC_REC_HEADER_LEN);
            CHECK_MEM(rec.fragment, rec.len, payload, plen);
            lc_rec_in_consume(&in);
        }
        /* the fed bytes are read, never written */
        CHECK_MEM(s.bytes, s.len, copy, s.len);
        CHECK(lc_rec_in_empty(&in));
        lc_rec_dir_free(&dir);
        lc_rec_in_free(&in);
    }
}

TEST_MAIN(setup, test_flights_in_chunks, test_server_flight_opened,
          test_whole_records_opened_from_the_input, test_header_checks,
          test_initial_client_hello, test_overflow_before_body, test_buffer_lifetime, teardown)
