/*
 * post_handshake_auth (RFC 8446 4.2.6; CH only).
 *
 * The client says it will answer a CertificateRequest after the handshake.
 */
#ifndef LC_MSG_EXT_POST_HANDSHAKE_AUTH_H
#define LC_MSG_EXT_POST_HANDSHAKE_AUTH_H

#include "msg/ext/ext.h"

/* The body is empty; any byte is LC_E_TRAILING (decode_error). */
LC_MUST_CHECK int lc_ext_post_handshake_auth_decode(lc_reader *r);
LC_MUST_CHECK int lc_ext_post_handshake_auth_encode(lc_writer *w);

#endif
