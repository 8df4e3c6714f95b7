/*
 * libFuzzer target: the record layer's receive side (RFC 8446 5.1, 5.2, 5.4).
 * Input: byte 0 picks the mode (bit 0: a server's initial-ClientHello
 * leniency; bits 1-2: the AEAD), byte 1 the chunking (fuzz_chunk), the rest
 * is wire bytes. They go into the deframer (lc_rec_in_*) in chunks; each whole
 * record of type application_data is opened with lc_rec_unprotect under a
 * fixed key (all 0x11, IV all 0x22), so seeds made with that key
 * (gen_seeds.c) reach the inner-plaintext checks. Failures are fine; the
 * properties are no crash, the deframer's sticky error, and that it never
 * takes bytes past a record it still holds.
 */
#include "crypto/crypto.h"
#include "fuzz.h"
#include "record/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lc_crypto *cr;
    if (cr == NULL) {
        cr = lc_crypto_new();
        FUZZ_CHECK(cr != NULL);
    }
    if (size < 2) {
        return 0;
    }
    static const enum lc_aead_alg algs[] = {LC_AES_128_GCM, LC_AES_256_GCM,
                                            LC_CHACHA20_POLY1305, LC_AES_128_GCM};
    uint8_t key[LC_AEAD_KEY_MAX], iv[LC_AEAD_NONCE_LEN];
    memset(key, 0x11, sizeof(key));
    memset(iv, 0x22, sizeof(iv));
    lc_rec_dir d;
    lc_rec_dir_init(&d, false);
    FUZZ_CHECK(lc_rec_dir_set_key(&d, cr, algs[(data[0] >> 1) & 3], key, iv) == 0);
    lc_rec_in in;
    lc_rec_in_init(&in, data[0] & 1);
    struct fuzz_chunker ch;
    fuzz_chunk_init(&ch, data[1], size - 2);
    const uint8_t *p = data + 2;
    size_t left = size - 2;
    int sticky = 0;
    while (left > 0) {
        size_t n = fuzz_chunk_next(&ch, left);
        /* Offer the chunk until the deframer has taken all of it, one record at a time. */
        while (n > 0) {
            size_t used = 0;
            int rc = lc_rec_in_feed(&in, p, n, &used);
            if (rc != 0) {
                FUZZ_CHECK(sticky == 0 || rc == sticky);
                sticky = rc;
                size_t again = 0;
                FUZZ_CHECK(lc_rec_in_feed(&in, p, n, &again) == rc);
                goto out;
            }
            FUZZ_CHECK(used <= n);
            p += used;
            n -= used;
            left -= used;
            lc_record rec;
            if (lc_rec_in_record(&in, &rec)) {
                FUZZ_CHECK(rec.header != NULL && rec.len <= LC_REC_CIPHERTEXT_MAX);
                if (rec.type == LC_CT_APPLICATION_DATA) {
                    if (lc_rec_unprotect(&d, &rec) == 0) {
                        FUZZ_CHECK(rec.type >= LC_CT_ALERT && rec.type <= LC_CT_APPLICATION_DATA);
                        FUZZ_CHECK(rec.len <= LC_REC_PLAINTEXT_MAX);
                    }
                } else {
                    lc_rec_in_initial_done(&in);
                }
                lc_rec_in_consume(&in);
            } else if (used == 0) {
                FUZZ_CHECK(n == 0); /* a deframer without a whole record takes bytes */
            }
        }
        lc_rec_in_trim(&in);
    }
    (void)lc_rec_in_empty(&in);
out:
    lc_rec_in_free(&in);
    lc_rec_dir_free(&d);
    return 0;
}
