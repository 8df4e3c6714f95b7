/*
 * server_name: the client's ServerNameList and the server's empty answer
 * (RFC 6066 3; RFC 8446 4.2 puts the answer in EncryptedExtensions).
 *
 *     struct {
 *         NameType name_type;
 *         select (name_type) { case host_name: HostName; } name;
 *     } ServerName;
 *     enum { host_name(0), (255) } NameType;
 *     opaque HostName<1..2^16-1>;
 *     struct { ServerName server_name_list<1..2^16-1> } ServerNameList;
 */
#include "msg/ext/server_name.h"

#include <string.h>

#include "base/error.h"

/*
 * One ServerName. A name type we do not know is skipped: RFC 6066 3 says every
 * future NameType's data "MUST begin with a 16-bit length field" so that old
 * implementations can step over it, which is what we do.
 */
static int decode_name(lc_reader *list, lc_ext_server_name_ch *out)
{
    uint8_t name_type;
    lc_ext_view name;
    int rc;

    if ((rc = lc_read_u8(list, &name_type)) != 0) {
        return rc;
    }
    if (name_type != LC_SERVER_NAME_HOST_NAME) {
        return lc_ext_read_view(list, 2, 0, 0xffff, &name);
    }
    if ((rc = lc_ext_read_view(list, 2, 1, 0xffff, &name)) != 0) {
        return rc;
    }
    /*
     * RFC 6066 3: the list "MUST NOT contain more than one name of the same
     * name_type". The RFC names no alert; the list parses, but one field is
     * inconsistent with another, which RFC 8446 6.2 calls illegal_parameter.
     */
    if (out->host_name.p != NULL) {
        return LC_E_ILLEGAL_PARAMETER;
    }
    out->host_name = name;
    return 0;
}

int lc_ext_server_name_ch_decode(lc_reader *r, lc_ext_server_name_ch *out)
{
    lc_reader list;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = lc_read_vec(r, 2, 1, 0xffff, &list)) != 0) {
        return rc;
    }
    while (!lc_reader_empty(&list)) {
        if ((rc = decode_name(&list, out)) != 0) {
            return rc;
        }
    }
    return lc_reader_done(r);
}

int lc_ext_server_name_ch_encode(lc_writer *w, const lc_ext_server_name_ch *in)
{
    lc_vec_mark list;

    /* HostName<1..2^16-1>: a client with no name sends no extension at all. */
    if (!lc_ext_view_ok(in->host_name, 1, 0xffff)) {
        return LC_E_BAD_ARGUMENT;
    }
    list = lc_write_vec_begin(w, 2);
    lc_write_u8(w, LC_SERVER_NAME_HOST_NAME);
    lc_ext_write_view(w, 2, in->host_name);
    lc_write_vec_end(w, list);
    return lc_writer_finish(w);
}

int lc_ext_server_name_ee_decode(lc_reader *r)
{
    /* RFC 6066 3: the server's "extension_data" field "SHALL be empty". */
    return lc_reader_done(r);
}

int lc_ext_server_name_ee_encode(lc_writer *w)
{
    return lc_writer_finish(w);
}
