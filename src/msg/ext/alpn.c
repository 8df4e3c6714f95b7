/*
 * ALPN: the client's ProtocolNameList and the server's selected protocol
 * (RFC 7301 3.1).
 *
 *     opaque ProtocolName<1..2^8-1>;
 *     struct { ProtocolName protocol_name_list<2..2^16-1> } ProtocolNameList;
 *
 * Names are opaque bytes compared byte for byte; the codec keeps them as views.
 * Choosing a protocol, and no_application_protocol when none fits (RFC 7301
 * 3.2), belong to the handshake.
 */
#include "msg/ext/alpn.h"

#include <string.h>

#include "base/error.h"

/* RFC 7301 3.1: "Empty strings MUST NOT be included": the 1 in <1..2^8-1>. */
static int read_name(lc_reader *list, lc_ext_view *name)
{
    return lc_ext_read_view(list, 1, 1, 0xff, name);
}

int lc_ext_alpn_ch_decode(lc_reader *r, lc_ext_alpn_ch *out)
{
    lc_reader list;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = lc_read_vec(r, 2, 2, 0xffff, &list)) != 0) {
        return rc;
    }
    while (!lc_reader_empty(&list)) {
        lc_ext_view name;

        if ((rc = read_name(&list, &name)) != 0) {
            return rc;
        }
        if (out->count < LC_EXT_ALPN_MAX) {
            out->name[out->count++] = name;
        }
    }
    return lc_reader_done(r);
}

int lc_ext_alpn_ch_encode(lc_writer *w, const lc_ext_alpn_ch *in)
{
    lc_vec_mark list;

    if (in->count == 0 || in->count > LC_EXT_ALPN_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    for (size_t i = 0; i < in->count; i++) {
        if (!lc_ext_view_ok(in->name[i], 1, 0xff)) {
            return LC_E_BAD_ARGUMENT;
        }
    }
    list = lc_write_vec_begin(w, 2);
    for (size_t i = 0; i < in->count; i++) {
        lc_ext_write_view(w, 1, in->name[i]);
    }
    lc_write_vec_end(w, list);
    return lc_writer_finish(w);
}

int lc_ext_alpn_ee_decode(lc_reader *r, lc_ext_view *selected)
{
    lc_reader list;
    int rc;

    if ((rc = lc_read_vec(r, 2, 2, 0xffff, &list)) != 0) {
        return rc;
    }
    if ((rc = read_name(&list, selected)) != 0) {
        return rc;
    }
    /*
     * RFC 7301 3.1: the server's list "MUST contain exactly one ProtocolName".
     * A second one is bytes left after the one the structure allows, so
     * decode_error (as OpenSSL and BoringSSL also answer).
     */
    if ((rc = lc_reader_done(&list)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_ext_alpn_ee_encode(lc_writer *w, lc_ext_view selected)
{
    lc_vec_mark list;

    if (!lc_ext_view_ok(selected, 1, 0xff)) {
        return LC_E_BAD_ARGUMENT;
    }
    list = lc_write_vec_begin(w, 2);
    lc_ext_write_view(w, 1, selected);
    lc_write_vec_end(w, list);
    return lc_writer_finish(w);
}
