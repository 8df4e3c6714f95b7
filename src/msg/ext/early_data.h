/*
 * early_data (RFC 8446 4.2.10; CH, EE, NST).
 *
 * In ClientHello it says 0-RTT data follows; in EncryptedExtensions that the
 * server accepts it (both empty); in NewSessionTicket it carries the most
 * 0-RTT bytes the server will take with that ticket (4.6.1).
 */
#ifndef LC_MSG_EXT_EARLY_DATA_H
#define LC_MSG_EXT_EARLY_DATA_H

#include "msg/ext/ext.h"

/* The ClientHello form: empty; any byte is LC_E_TRAILING (decode_error). */
LC_MUST_CHECK int lc_ext_early_data_ch_decode(lc_reader *r);
LC_MUST_CHECK int lc_ext_early_data_ch_encode(lc_writer *w);

/* The EncryptedExtensions form: empty, likewise. */
LC_MUST_CHECK int lc_ext_early_data_ee_decode(lc_reader *r);
LC_MUST_CHECK int lc_ext_early_data_ee_encode(lc_writer *w);

/* The NewSessionTicket form: uint32 max_early_data_size. */
LC_MUST_CHECK int lc_ext_early_data_nst_decode(lc_reader *r, uint32_t *max_early_data_size);
LC_MUST_CHECK int lc_ext_early_data_nst_encode(lc_writer *w, uint32_t max_early_data_size);

#endif
