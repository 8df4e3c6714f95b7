/*
 * cookie: one opaque vector (RFC 8446 4.2.2).
 *
 *     struct { opaque cookie<1..2^16-1>; } Cookie;
 *
 * The content is the server's own business (often an integrity-protected hash
 * of ClientHello1, for a stateless HelloRetryRequest); the codec keeps a view.
 */
#include "msg/ext/cookie.h"

#include "base/error.h"

int lc_ext_cookie_decode(lc_reader *r, lc_ext_view *cookie)
{
    int rc;

    if ((rc = lc_ext_read_view(r, 2, 1, 0xffff, cookie)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_ext_cookie_encode(lc_writer *w, lc_ext_view cookie)
{
    if (!lc_ext_view_ok(cookie, 1, 0xffff)) {
        return LC_E_BAD_ARGUMENT;
    }
    lc_ext_write_view(w, 2, cookie);
    return lc_writer_finish(w);
}
