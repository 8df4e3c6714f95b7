/*
 * supported_groups: the NamedGroupList (RFC 8446 4.2.7).
 *
 *     struct { NamedGroup named_group_list<2..2^16-1>; } NamedGroupList;
 *
 * Unknown group values are kept: the server ignores what it does not support,
 * and GREASE values (RFC 8701) must pass through.
 */
#include "msg/ext/supported_groups.h"

#include <string.h>

#include "base/error.h"

int lc_ext_supported_groups_decode(lc_reader *r, lc_ext_supported_groups *out)
{
    lc_reader list;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = lc_read_vec(r, 2, 2, 0xffff, &list)) != 0) {
        return rc;
    }
    while (!lc_reader_empty(&list)) {
        uint16_t group;

        if ((rc = lc_read_u16(&list, &group)) != 0) {
            return rc; /* an odd length ends here: decode_error */
        }
        if (out->count < LC_EXT_GROUPS_MAX) {
            out->group[out->count++] = group;
        }
    }
    return lc_reader_done(r);
}

int lc_ext_supported_groups_encode(lc_writer *w, const lc_ext_supported_groups *in)
{
    lc_vec_mark list;

    if (in->count == 0 || in->count > LC_EXT_GROUPS_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    list = lc_write_vec_begin(w, 2);
    for (size_t i = 0; i < in->count; i++) {
        lc_write_u16(w, in->group[i]);
    }
    lc_write_vec_end(w, list);
    return lc_writer_finish(w);
}
