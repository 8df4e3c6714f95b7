/*
 * cookie (RFC 8446 4.2.2; CH, HRR).
 *
 * The server may send a cookie in HelloRetryRequest; the client echoes it,
 * byte for byte, in its second ClientHello.
 */
#ifndef LC_MSG_EXT_COOKIE_H
#define LC_MSG_EXT_COOKIE_H

#include "msg/ext/ext.h"

/* Decodes opaque cookie<1..2^16-1> as a view; empty, bad length or trailing: decode_error. */
LC_MUST_CHECK int lc_ext_cookie_decode(lc_reader *r, lc_ext_view *cookie);

/* Writes the cookie; an empty one is LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_cookie_encode(lc_writer *w, lc_ext_view cookie);

#endif
