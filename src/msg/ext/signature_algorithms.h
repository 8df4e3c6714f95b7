/*
 * signature_algorithms and signature_algorithms_cert (RFC 8446 4.2.3; CH, CR).
 *
 * Both carry the same SignatureSchemeList, so one codec serves both: the first
 * applies to CertificateVerify, the second to signatures inside certificates.
 */
#ifndef LC_MSG_EXT_SIGNATURE_ALGORITHMS_H
#define LC_MSG_EXT_SIGNATURE_ALGORITHMS_H

#include "msg/ext/ext.h"

/*
 * The most schemes kept. Browsers send 8 to 20; the receiver chooses among
 * them, so a longer list is kept up to this bound (the sender's least
 * preferred are dropped) rather than refused.
 */
#define LC_EXT_SIGALGS_MAX 64

typedef struct lc_ext_signature_algorithms {
    size_t count;
    uint16_t scheme[LC_EXT_SIGALGS_MAX]; /* SignatureScheme code points, sender's order */
} lc_ext_signature_algorithms;

/*
 * Decodes SignatureScheme supported_signature_algorithms<2..2^16-2>; an odd
 * length or one out of range is LC_E_DECODE.
 */
LC_MUST_CHECK int lc_ext_signature_algorithms_decode(lc_reader *r,
                                                     lc_ext_signature_algorithms *out);

/* Writes the list; an empty list or count > LC_EXT_SIGALGS_MAX is LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_signature_algorithms_encode(lc_writer *w,
                                                     const lc_ext_signature_algorithms *in);

#endif
