/*
 * psk_key_exchange_modes: a list of one-byte modes (RFC 8446 4.2.9).
 *
 *     enum { psk_ke(0), psk_dhe_ke(1), (255) } PskKeyExchangeMode;
 *     struct { PskKeyExchangeMode ke_modes<1..255>; } PskKeyExchangeModes;
 *
 * Unknown modes are kept and ignored: 4.2.9 only forbids the server to select
 * a mode the client did not list, and GREASE values (RFC 8701) must pass.
 */
#include "msg/ext/psk_key_exchange_modes.h"

#include <string.h>

#include "base/error.h"

int lc_ext_psk_key_exchange_modes_decode(lc_reader *r, lc_ext_psk_key_exchange_modes *out)
{
    lc_reader list;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = lc_read_vec(r, 1, 1, 255, &list)) != 0) {
        return rc;
    }
    /* The 1-byte length bounds the list to 255 entries, the size of out->mode. */
    while (!lc_reader_empty(&list)) {
        if ((rc = lc_read_u8(&list, &out->mode[out->count])) != 0) {
            return rc;
        }
        out->count++;
    }
    return lc_reader_done(r);
}

int lc_ext_psk_key_exchange_modes_encode(lc_writer *w, const lc_ext_psk_key_exchange_modes *in)
{
    if (in->count == 0 || in->count > LC_EXT_PSK_MODES_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    lc_write_vec(w, 1, in->mode, in->count);
    return lc_writer_finish(w);
}

bool lc_ext_psk_key_exchange_modes_has(const lc_ext_psk_key_exchange_modes *m, uint8_t mode)
{
    for (size_t i = 0; i < m->count; i++) {
        if (m->mode[i] == mode) {
            return true;
        }
    }
    return false;
}
