/*
 * record_size_limit: one uint16 (RFC 8449 4).
 *
 *     uint16 RecordSizeLimit;
 *
 * The decoder enforces only the floor. RFC 8449 4 says a server "MUST NOT
 * enforce" the 2^14+1 ceiling (a client may advertise more under a future
 * extension), while a client MAY refuse a larger value from the server; that
 * choice, and clamping to the protocol maximum, belong to the handshake.
 */
#include "msg/ext/record_size_limit.h"

#include "base/error.h"

int lc_ext_record_size_limit_decode(lc_reader *r, uint16_t *limit)
{
    int rc;

    if ((rc = lc_read_u16(r, limit)) != 0) {
        return rc;
    }
    if ((rc = lc_reader_done(r)) != 0) {
        return rc;
    }
    /*
     * RFC 8449 4: "An endpoint MUST treat receipt of a smaller value as a fatal
     * error and generate an illegal_parameter alert."
     */
    if (*limit < LC_EXT_RECORD_SIZE_LIMIT_MIN) {
        return LC_E_ILLEGAL_PARAMETER;
    }
    return 0;
}

int lc_ext_record_size_limit_encode(lc_writer *w, uint16_t limit)
{
    if (limit < LC_EXT_RECORD_SIZE_LIMIT_MIN) {
        return LC_E_BAD_ARGUMENT;
    }
    lc_write_u16(w, limit);
    return lc_writer_finish(w);
}
