/*
 * supported_versions: the client's list and the server's choice (RFC 8446 4.2.1).
 *
 *     struct {
 *         select (Handshake.msg_type) {
 *             case client_hello: ProtocolVersion versions<2..254>;
 *             case server_hello: ProtocolVersion selected_version;  (and HelloRetryRequest)
 *         };
 *     } SupportedVersions;
 *
 * Unknown versions are kept: 4.2.1 says servers "MUST ignore any unknown
 * versions", and GREASE values (RFC 8701) must pass through.
 */
#include "msg/ext/supported_versions.h"

#include <string.h>

#include "base/error.h"

int lc_ext_supported_versions_ch_decode(lc_reader *r, lc_ext_supported_versions_ch *out)
{
    lc_reader list;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = lc_read_vec(r, 1, 2, 254, &list)) != 0) {
        return rc;
    }
    while (!lc_reader_empty(&list)) {
        uint16_t v;

        if ((rc = lc_read_u16(&list, &v)) != 0) {
            return rc; /* an odd length ends here: decode_error */
        }
        if (out->count < LC_EXT_VERSIONS_MAX) {
            out->version[out->count++] = v;
        }
    }
    return lc_reader_done(r);
}

int lc_ext_supported_versions_ch_encode(lc_writer *w, const lc_ext_supported_versions_ch *in)
{
    lc_vec_mark list;

    if (in->count == 0 || in->count > LC_EXT_VERSIONS_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    list = lc_write_vec_begin(w, 1);
    for (size_t i = 0; i < in->count; i++) {
        lc_write_u16(w, in->version[i]);
    }
    lc_write_vec_end(w, list);
    return lc_writer_finish(w);
}

int lc_ext_supported_versions_sh_decode(lc_reader *r, uint16_t *selected)
{
    int rc;

    if ((rc = lc_read_u16(r, selected)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_ext_supported_versions_sh_encode(lc_writer *w, uint16_t selected)
{
    lc_write_u16(w, selected);
    return lc_writer_finish(w);
}
