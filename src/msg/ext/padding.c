/*
 * padding: a body of zero bytes (RFC 7685 3).
 *
 * "The client MUST fill the padding extension completely with zero bytes" is
 * a rule for the sender. RFC 7685 gives the receiver no check and no alert,
 * the bytes carry no meaning and, being in ClientHello, are covered by the
 * transcript; refusing a nonzero byte would only break clients that mean no
 * harm. So the decoder skips whatever is there, and the encoder writes zeros.
 */
#include "msg/ext/padding.h"

#include <string.h>

#include "base/error.h"

int lc_ext_padding_decode(lc_reader *r, size_t *len)
{
    const uint8_t *body;

    *len = lc_reader_left(r);
    return lc_read_bytes(r, *len, &body);
}

int lc_ext_padding_encode(lc_writer *w, size_t len)
{
    uint8_t *zeros = lc_write_reserve(w, len);

    if (zeros != NULL && len > 0) {
        memset(zeros, 0, len);
    }
    return lc_writer_finish(w);
}
