/*
 * EndOfEarlyData: decode and encode (RFC 8446 4.5).
 *
 * The client's marker that its 0-RTT data is over and the handshake keys take
 * over; it is the last message under the early traffic keys. The message is
 * empty, so the codec checks only that it is.
 */
#include "msg/end_of_early_data.h"

int lc_end_of_early_data_decode(lc_reader *r)
{
    return lc_reader_done(r);
}

int lc_end_of_early_data_encode(lc_writer *w)
{
    lc_vec_mark m = lc_msg_begin(w, LC_MT_END_OF_EARLY_DATA);

    lc_msg_end(w, m);
    return lc_writer_finish(w);
}
