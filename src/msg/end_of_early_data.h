/*
 * EndOfEarlyData (RFC 8446 4.5).
 *
 *     struct {} EndOfEarlyData;
 */
#ifndef LC_MSG_END_OF_EARLY_DATA_H
#define LC_MSG_END_OF_EARLY_DATA_H

#include "base/bytes.h"
#include "base/common.h"
#include "msg/msg.h"

/* Decodes an EndOfEarlyData body: it must be empty, else LC_E_TRAILING. */
LC_MUST_CHECK int lc_end_of_early_data_decode(lc_reader *r);

/* Writes a whole EndOfEarlyData message: the header alone, 05 00 00 00. */
LC_MUST_CHECK int lc_end_of_early_data_encode(lc_writer *w);

#endif
