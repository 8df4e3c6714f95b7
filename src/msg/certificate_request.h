/*
 * CertificateRequest (RFC 8446 4.3.2).
 *
 *     struct {
 *         opaque certificate_request_context<0..2^8-1>;
 *         Extension extensions<2..2^16-1>;
 *     } CertificateRequest;
 */
#ifndef LC_MSG_CERTIFICATE_REQUEST_H
#define LC_MSG_CERTIFICATE_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/common.h"
#include "msg/ext/ext.h"
#include "msg/msg.h"

typedef struct lc_certificate_request {
    const uint8_t *certificate_request_context; /* view: 0..255 bytes */
    size_t certificate_request_context_len;
    lc_ext_list extensions; /* bodies are views into the message */
} lc_certificate_request;

/*
 * Decodes a CertificateRequest body from r, to its end. Codes: LC_E_DECODE
 * (including an extensions block under 2 bytes), LC_E_TRAILING, and those of
 * lc_ext_list_decode() with context LC_EXT_IN_CR. That signature_algorithms is
 * present (4.3.2: "MUST be specified") is the handshake's missing_extension.
 */
LC_MUST_CHECK int lc_certificate_request_decode(lc_reader *r, lc_certificate_request *out);

/* Writes a whole CertificateRequest message (header and body). */
LC_MUST_CHECK int lc_certificate_request_encode(lc_writer *w, const lc_certificate_request *cr);

#endif
