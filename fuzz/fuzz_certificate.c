/*
 * libFuzzer target: the Certificate decoder (RFC 8446 4.4.2). The input is a
 * Certificate body. Property: a body that decodes re-encodes, with its
 * header, to exactly the same bytes. (lc_certificate only frames the DER;
 * parsing and validating it is the handshake's, reached by fuzz_client.)
 */
#include "fuzz.h"
#include "msg/certificate.h"

#define BODY_MAX (1u << 17)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lc_certificate ct;
    static uint8_t want[BODY_MAX + 4], got[BODY_MAX + 4];
    if (size > BODY_MAX) {
        return 0;
    }
    lc_reader r;
    lc_reader_init(&r, data, size);
    if (lc_certificate_decode(&r, &ct) != 0) {
        return 0;
    }
    FUZZ_CHECK(ct.count <= LC_CERT_MAX_ENTRIES);
    lc_writer w;
    lc_writer_init(&w, got, sizeof(got));
    FUZZ_CHECK(lc_certificate_encode(&w, &ct) == 0);
    size_t n = fuzz_msg_wrap(LC_MT_CERTIFICATE, data, size, want);
    fuzz_same("certificate", want, n, got, w.len);
    return 0;
}
