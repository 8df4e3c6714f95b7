/*
 * Finished (RFC 8446 4.4.4).
 *
 *     struct {
 *         opaque verify_data[Hash.length];
 *     } Finished;
 */
#ifndef LC_MSG_FINISHED_H
#define LC_MSG_FINISHED_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/common.h"
#include "msg/msg.h"

typedef struct lc_finished {
    const uint8_t *verify_data; /* view into the message: hash_len bytes */
    size_t verify_data_len;
} lc_finished;

/*
 * Decodes a Finished body from r, to its end. verify_data has no length
 * prefix: its length is the negotiated suite's hash length, hash_len, which
 * the caller knows. A shorter body is LC_E_DECODE, a longer one LC_E_TRAILING
 * (both decode_error). Comparing verify_data (decrypt_error) is the
 * handshake's, in constant time.
 */
LC_MUST_CHECK int lc_finished_decode(lc_reader *r, size_t hash_len, lc_finished *out);

/* Writes a whole Finished message (header and body). LC_E_BAD_ARGUMENT for an empty verify_data. */
LC_MUST_CHECK int lc_finished_encode(lc_writer *w, const lc_finished *fin);

#endif
