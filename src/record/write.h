/*
 * Writing content as records into an output queue (see write.c).
 */
#ifndef LC_RECORD_WRITE_H
#define LC_RECORD_WRITE_H

#include "base/buf.h"
#include "record/record.h"

/*
 * Appends len bytes of content of this type to out as one or more records,
 * protected with d if it has a key (never for change_cipher_spec), framed as
 * TLSPlaintext with legacy_record_version `version` otherwise. len may be 0
 * only for application data (an empty record is legal there, RFC 8446 5.4).
 */
LC_MUST_CHECK int lc_rec_write(lc_rec_dir *d, uint8_t type, uint16_t version,
                               const uint8_t *data, size_t len, lc_buf *out);

#endif
