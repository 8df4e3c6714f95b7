/*
 * Tests for src/record/write.c: content written as records into an output
 * queue. RFC 8448 section 3's server flight comes out byte for byte (the
 * ServerHello in the clear, the rest under the handshake key); long content is
 * split at 2^14 bytes or at the peer's record_size_limit (RFC 8446 5.1, RFC
 * 8449), and every piece opens again; change_cipher_spec stays in the clear
 * (RFC 8446 5).
 */
#include "test.h"

#include "rfc8448.h"

#include "base/buf.h"
#include "base/error.h"
#include "crypto/crypto.h"
#include "record/record.h"
#include "record/write.h"

static lc_crypto *cr;

static void keyed(lc_rec_dir *d, const char *step, bool encrypt)
{
    size_t klen, ivlen;
    const uint8_t *key = rfc8448_get(3, step, 0, "key expanded", &klen);
    const uint8_t *iv = rfc8448_get(3, step, 0, "iv expanded", &ivlen);

    lc_rec_dir_init(d, encrypt);
    CHECK_OK(lc_rec_dir_set_key(d, cr, LC_AES_128_GCM, key, iv));
}

static void test_rfc8448_server_flight(void)
{
    const char *step = "{server} send handshake record";
    lc_rec_dir d;
    lc_buf out = { .p = NULL };
    uint8_t want[1024];
    size_t len, n = 0;
    const uint8_t *p;

    lc_rec_dir_init(&d, true);
    p = rfc8448_get(3, step, 0, "payload", &len);
    CHECK_OK(lc_rec_write(&d, LC_CT_HANDSHAKE, LC_REC_VERSION, p, len, &out));
    keyed(&d, "{server} derive write traffic keys for handshake data", true);
    p = rfc8448_get(3, step, 1, "payload", &len);
    CHECK_OK(lc_rec_write(&d, LC_CT_HANDSHAKE, LC_REC_VERSION, p, len, &out));

    for (int i = 0; i < 2; i++) {
        p = rfc8448_get(3, step, i, "complete record", &len);
        memcpy(want + n, p, len);
        n += len;
    }
    CHECK_MEM(lc_buf_data(&out), out.len, want, n);
    lc_buf_free(&out);
    lc_rec_dir_free(&d);
}

/* Reads back the protected records in out: their count, and their contents joined. */
static size_t open_all(lc_rec_dir *r, const lc_buf *out, uint8_t *content, size_t *clen,
                       size_t max_fragment)
{
    static uint8_t copy[70000];
    const uint8_t *p = lc_buf_data(out);
    size_t left = out->len, count = 0;

    CHECK(left <= sizeof(copy));
    if (left > sizeof(copy)) {
        return 0;
    }
    memcpy(copy, p, left);
    p = copy;
    *clen = 0;
    while (left >= LC_REC_HEADER_LEN) {
        size_t len = (size_t)(p[3] << 8 | p[4]);
        lc_record rec = { .type = p[0], .header = p, .fragment = (uint8_t *)p + 5, .len = len };

        CHECK(left >= LC_REC_HEADER_LEN + len);
        CHECK_OK(lc_rec_unprotect(r, &rec));
        CHECK(rec.type == LC_CT_APPLICATION_DATA && rec.len <= max_fragment);
        memcpy(content + *clen, rec.fragment, rec.len);
        *clen += rec.len;
        p += LC_REC_HEADER_LEN + len;
        left -= LC_REC_HEADER_LEN + len;
        count++;
    }
    CHECK(left == 0);
    return count;
}

/* RFC 8446 5.1 / RFC 8449: fragments of at most the limit, in order, nothing lost. */
static void test_fragmentation(void)
{
    static uint8_t data[40000], back[40000];
    const char *keys = "{client} derive write traffic keys for application data";
    lc_rec_dir w, r;
    lc_buf out = { .p = NULL };
    size_t blen;

    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 7);
    }
    keyed(&w, keys, true);
    keyed(&r, keys, false);
    /* 40000 bytes: 16384 + 16384 + 7232 */
    CHECK_OK(lc_rec_write(&w, LC_CT_APPLICATION_DATA, LC_REC_VERSION, data, sizeof(data), &out));
    CHECK(open_all(&r, &out, back, &blen, LC_REC_PLAINTEXT_MAX) == 3);
    CHECK_MEM(back, blen, data, sizeof(data));
    lc_buf_free(&out);

    /* the peer asked for records of at most 1000 bytes, type included */
    CHECK_OK(lc_rec_dir_set_limit(&w, 1000));
    CHECK_OK(lc_rec_write(&w, LC_CT_APPLICATION_DATA, LC_REC_VERSION, data, 5000, &out));
    CHECK(open_all(&r, &out, back, &blen, 999) == 6);
    CHECK_MEM(back, blen, data, 5000);
    lc_buf_free(&out);

    /* an empty application_data record is one record (RFC 8446 5.4) */
    CHECK_OK(lc_rec_write(&w, LC_CT_APPLICATION_DATA, LC_REC_VERSION, data, 0, &out));
    CHECK(open_all(&r, &out, back, &blen, 999) == 1 && blen == 0);
    lc_buf_free(&out);
    lc_rec_dir_free(&w);
    lc_rec_dir_free(&r);
}

/*
 * A write of 64 KiB is four full records (RFC 8446 5.1) in one queue, whose room is
 * reserved once for the whole burst: one block, exactly as big as the four records.
 */
static void test_burst_in_one_block(void)
{
    static uint8_t data[65536], back[65536];
    const char *keys = "{client} derive write traffic keys for application data";
    lc_rec_dir w, r;
    lc_buf out = { .wire = true };
    size_t blen;

    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 13 + 1);
    }
    keyed(&w, keys, true);
    keyed(&r, keys, false);
    CHECK_OK(lc_rec_write(&w, LC_CT_APPLICATION_DATA, LC_REC_VERSION, data, sizeof(data), &out));
    CHECK(out.len == sizeof(data) + 4 * LC_REC_PROTECT_OVERHEAD);
    CHECK(out.cap == out.len);
    CHECK(w.records == 4 && w.seq == 4);
    CHECK(open_all(&r, &out, back, &blen, LC_REC_PLAINTEXT_MAX) == 4);
    CHECK_MEM(back, blen, data, sizeof(data));
    lc_buf_free(&out);
    CHECK(out.wire);
    lc_rec_dir_free(&w);
    lc_rec_dir_free(&r);
}

/* RFC 8446 5: change_cipher_spec is never protected, even once keys are in force. */
static void test_change_cipher_spec_in_clear(void)
{
    const uint8_t one = 1, want[] = { 0x14, 0x03, 0x03, 0x00, 0x01, 0x01 };
    lc_rec_dir d;
    lc_buf out = { .p = NULL };

    keyed(&d, "{client} derive write traffic keys for application data", true);
    CHECK_OK(lc_rec_write(&d, LC_CT_CHANGE_CIPHER_SPEC, LC_REC_VERSION, &one, 1, &out));
    CHECK_MEM(lc_buf_data(&out), out.len, want, sizeof(want));
    CHECK(d.seq == 0);
    lc_buf_free(&out);
    lc_rec_dir_free(&d);

    /* and application data is never sent in the clear (RFC 8446 5.1) */
    lc_rec_dir_init(&d, true);
    CHECK_RC(lc_rec_write(&d, LC_CT_APPLICATION_DATA, LC_REC_VERSION, &one, 1, &out),
             LC_E_BAD_ARGUMENT);
    lc_buf_free(&out);
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

TEST_MAIN(setup, test_rfc8448_server_flight, test_fragmentation, test_burst_in_one_block,
          test_change_cipher_spec_in_clear,
          teardown)
