/*
 * KeyUpdate (RFC 8446 4.6.3).
 *
 *     enum { update_not_requested(0), update_requested(1), (255) } KeyUpdateRequest;
 *     struct { KeyUpdateRequest request_update; } KeyUpdate;
 */
#ifndef LC_MSG_KEY_UPDATE_H
#define LC_MSG_KEY_UPDATE_H

#include <stdint.h>

#include "base/bytes.h"
#include "base/common.h"
#include "msg/msg.h"

enum lc_key_update_request {
    LC_UPDATE_NOT_REQUESTED = 0,
    LC_UPDATE_REQUESTED = 1,
};

typedef struct lc_key_update {
    uint8_t request_update; /* an lc_key_update_request */
} lc_key_update;

/*
 * Decodes a KeyUpdate body from r, to its end. Codes: LC_E_DECODE (empty),
 * LC_E_TRAILING, LC_E_ILLEGAL_PARAMETER (request_update neither 0 nor 1).
 */
LC_MUST_CHECK int lc_key_update_decode(lc_reader *r, lc_key_update *out);

/* Writes a whole KeyUpdate message. LC_E_BAD_ARGUMENT for request_update other than 0 or 1. */
LC_MUST_CHECK int lc_key_update_encode(lc_writer *w, const lc_key_update *ku);

#endif
