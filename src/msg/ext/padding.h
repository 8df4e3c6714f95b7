/*
 * padding (RFC 7685 3; CH only).
 *
 * Zero bytes a client adds to steer its ClientHello's size.
 */
#ifndef LC_MSG_EXT_PADDING_H
#define LC_MSG_EXT_PADDING_H

#include "msg/ext/ext.h"

/* Accepts a body of any length and content (see padding.c); *len is its length. */
LC_MUST_CHECK int lc_ext_padding_decode(lc_reader *r, size_t *len);

/* Writes len zero bytes (0 is allowed: RFC 7685 3 says the body "may be empty"). */
LC_MUST_CHECK int lc_ext_padding_encode(lc_writer *w, size_t len);

#endif
