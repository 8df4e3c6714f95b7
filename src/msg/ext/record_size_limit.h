/*
 * record_size_limit (RFC 8449 4; CH, EE).
 *
 * The largest TLSInnerPlaintext (content, type byte and padding) the sender is
 * willing to receive in a protected record.
 */
#ifndef LC_MSG_EXT_RECORD_SIZE_LIMIT_H
#define LC_MSG_EXT_RECORD_SIZE_LIMIT_H

#include "msg/ext/ext.h"

/* RFC 8449 4: no value under 64 may be sent, and receiving one is illegal_parameter. */
#define LC_EXT_RECORD_SIZE_LIMIT_MIN 64

/* RFC 8449 4: the TLS 1.3 protocol maximum, 2^14 + 1 (content plus the type byte). */
#define LC_EXT_RECORD_SIZE_LIMIT_TLS13 16385

/*
 * Decodes uint16 RecordSizeLimit. A value under 64 is LC_E_ILLEGAL_PARAMETER; a
 * value above 2^14+1 is accepted (see record_size_limit.c).
 */
LC_MUST_CHECK int lc_ext_record_size_limit_decode(lc_reader *r, uint16_t *limit);

/* Writes the value; under 64 is LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_record_size_limit_encode(lc_writer *w, uint16_t limit);

#endif
