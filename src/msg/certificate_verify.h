/*
 * CertificateVerify (RFC 8446 4.4.3).
 *
 *     struct {
 *         SignatureScheme algorithm;
 *         opaque signature<0..2^16-1>;
 *     } CertificateVerify;
 */
#ifndef LC_MSG_CERTIFICATE_VERIFY_H
#define LC_MSG_CERTIFICATE_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/common.h"
#include "msg/msg.h"

typedef struct lc_certificate_verify {
    uint16_t algorithm;       /* SignatureScheme (4.2.3) */
    const uint8_t *signature; /* view into the message: 0..65535 bytes */
    size_t signature_len;
} lc_certificate_verify;

/*
 * Decodes a CertificateVerify body from r, to its end. Codes: LC_E_DECODE,
 * LC_E_TRAILING. Whether the algorithm was offered (illegal_parameter) and
 * whether the signature verifies (decrypt_error) are the handshake's.
 */
LC_MUST_CHECK int lc_certificate_verify_decode(lc_reader *r, lc_certificate_verify *out);

/* Writes a whole CertificateVerify message (header and body). */
LC_MUST_CHECK int lc_certificate_verify_encode(lc_writer *w, const lc_certificate_verify *cv);

#endif
