/*
 * early_data: the EarlyDataIndication of RFC 8446 4.2.10.
 *
 *     struct {} Empty;
 *     struct {
 *         select (Handshake.msg_type) {
 *             case new_session_ticket:   uint32 max_early_data_size;
 *             case client_hello:         Empty;
 *             case encrypted_extensions: Empty;
 *         };
 *     } EarlyDataIndication;
 *
 * The two empty forms have one function each so that each call site names the
 * message it decodes, as the select above does.
 */
#include "msg/ext/early_data.h"

#include "base/error.h"

int lc_ext_early_data_ch_decode(lc_reader *r)
{
    return lc_reader_done(r);
}

int lc_ext_early_data_ch_encode(lc_writer *w)
{
    return lc_writer_finish(w);
}

int lc_ext_early_data_ee_decode(lc_reader *r)
{
    return lc_reader_done(r);
}

int lc_ext_early_data_ee_encode(lc_writer *w)
{
    return lc_writer_finish(w);
}

int lc_ext_early_data_nst_decode(lc_reader *r, uint32_t *max_early_data_size)
{
    int rc;

    /*
     * Any value decodes, 0 included. 4.6.1 bounds what the client may send, not
     * what the server may announce; the session layer stores it as given.
     */
    if ((rc = lc_read_u32(r, max_early_data_size)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_ext_early_data_nst_encode(lc_writer *w, uint32_t max_early_data_size)
{
    lc_write_u32(w, max_early_data_size);
    return lc_writer_finish(w);
}
