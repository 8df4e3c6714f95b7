/*
 * libFuzzer target: the ClientHello decoder (RFC 8446 4.1.2). The input is a
 * ClientHello body. Property: a body that decodes re-encodes, with its
 * header, to exactly the same bytes, unless the decoder dropped suites past
 * LC_CH_MAX_CIPHER_SUITES (documented in client_hello.h).
 */
#include "fuzz.h"
#include "msg/client_hello.h"

#define BODY_MAX (1u << 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lc_client_hello ch;
    static uint8_t want[BODY_MAX + 4], got[BODY_MAX + 4];
    if (size > BODY_MAX) {
        return 0;
    }
    lc_reader r;
    lc_reader_init(&r, data, size);
    if (lc_client_hello_decode(&r, &ch) != 0) {
        return 0;
    }
    (void)lc_client_hello_null_compression(&ch);
    lc_writer w;
    lc_writer_init(&w, got, sizeof(got));
    FUZZ_CHECK(lc_client_hello_encode(&w, &ch) == 0);
    if (ch.cipher_suites_count < LC_CH_MAX_CIPHER_SUITES) {
        size_t n = fuzz_msg_wrap(LC_MT_CLIENT_HELLO, data, size, want);
        fuzz_same("client_hello", want, n, got, w.len);
    }
    return 0;
}
