/*
 * post_handshake_auth: an empty body (RFC 8446 4.2.6).
 *
 *     struct {} PostHandshakeAuth;
 *
 * 4.2.6: "The extension_data field of the post_handshake_auth extension is
 * zero length." Servers must not send it; the table in ext.c allows it in
 * ClientHello only, so a server's copy fails there as illegal_parameter.
 */
#include "msg/ext/post_handshake_auth.h"

#include "base/error.h"

int lc_ext_post_handshake_auth_decode(lc_reader *r)
{
    return lc_reader_done(r);
}

int lc_ext_post_handshake_auth_encode(lc_writer *w)
{
    return lc_writer_finish(w);
}
