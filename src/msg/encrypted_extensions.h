/*
 * EncryptedExtensions (RFC 8446 4.3.1).
 *
 *     struct {
 *         Extension extensions<0..2^16-1>;
 *     } EncryptedExtensions;
 */
#ifndef LC_MSG_ENCRYPTED_EXTENSIONS_H
#define LC_MSG_ENCRYPTED_EXTENSIONS_H

#include "base/bytes.h"
#include "base/common.h"
#include "msg/ext/ext.h"
#include "msg/msg.h"

typedef struct lc_encrypted_extensions {
    lc_ext_list extensions; /* bodies are views into the message */
} lc_encrypted_extensions;

/*
 * Decodes an EncryptedExtensions body from r, to its end. Codes: LC_E_DECODE,
 * LC_E_TRAILING, and those of lc_ext_list_decode() with context LC_EXT_IN_EE.
 */
LC_MUST_CHECK int lc_encrypted_extensions_decode(lc_reader *r, lc_encrypted_extensions *out);

/* Writes a whole EncryptedExtensions message (header and body). */
LC_MUST_CHECK int lc_encrypted_extensions_encode(lc_writer *w, const lc_encrypted_extensions *ee);

#endif
