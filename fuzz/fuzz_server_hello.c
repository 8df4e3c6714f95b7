/*
 * libFuzzer target: the ServerHello / HelloRetryRequest decoder (RFC 8446
 * 4.1.3, 4.1.4). The input is a ServerHello body. Properties: is_hrr agrees
 * with lc_server_hello_is_hrr(), and a body that decodes re-encodes, with its
 * header, to exactly the same bytes.
 */
#include "fuzz.h"
#include "msg/server_hello.h"

#define BODY_MAX (1u << 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lc_server_hello sh;
    static uint8_t want[BODY_MAX + 4], got[BODY_MAX + 4];
    if (size > BODY_MAX) {
        return 0;
    }
    bool hrr = lc_server_hello_is_hrr(data, size);
    lc_reader r;
    lc_reader_init(&r, data, size);
    if (lc_server_hello_decode(&r, &sh) != 0) {
        return 0;
    }
    FUZZ_CHECK(sh.is_hrr == hrr);
    (void)lc_random_downgrade(sh.random);
    lc_writer w;
    lc_writer_init(&w, got, sizeof(got));
    FUZZ_CHECK(lc_server_hello_encode(&w, &sh) == 0);
    size_t n = fuzz_msg_wrap(LC_MT_SERVER_HELLO, data, size, want);
    fuzz_same("server_hello", want, n, got, w.len);
    return 0;
}
