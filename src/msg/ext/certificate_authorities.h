/*
 * certificate_authorities (RFC 8446 4.2.4; CH, CR).
 *
 * The distinguished names of CAs the sender trusts, to guide the peer's choice
 * of certificate. The names stay DER views into the message; comparing them
 * with a certificate's issuer is the caller's job.
 */
#ifndef LC_MSG_EXT_CERTIFICATE_AUTHORITIES_H
#define LC_MSG_EXT_CERTIFICATE_AUTHORITIES_H

#include "msg/ext/ext.h"

/*
 * The most names kept. Some servers list a hundred CAs or more; the list only
 * guides which certificate to send (4.2.4: "SHOULD be used ... to guide
 * certificate selection"), so a longer list is kept up to this bound, and the
 * rest dropped, rather than failing a handshake over a hint.
 */
#define LC_EXT_CAS_MAX 128

typedef struct lc_ext_certificate_authorities {
    size_t count;
    lc_ext_view name[LC_EXT_CAS_MAX]; /* DER DistinguishedName, 1..2^16-1 bytes each */
} lc_ext_certificate_authorities;

/*
 * Decodes DistinguishedName authorities<3..2^16-1>, each <1..2^16-1>. Bad
 * lengths or trailing bytes: LC_E_DECODE / LC_E_TRAILING. The DER itself is
 * not parsed here.
 */
LC_MUST_CHECK int lc_ext_certificate_authorities_decode(lc_reader *r,
                                                        lc_ext_certificate_authorities *out);

/* Writes the list; no names, too many, or an empty name: LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_certificate_authorities_encode(lc_writer *w,
                                                        const lc_ext_certificate_authorities *in);

#endif
