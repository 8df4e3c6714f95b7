/*
 * EncryptedExtensions: decode and encode (RFC 8446 4.3.1).
 *
 * The first message under handshake keys: the server's answers that are not
 * needed to set up those keys (ALPN, server_name, early_data, ...). The block
 * may be empty, and unlike the hellos it is never absent. Which extensions may
 * appear here is the EE column of RFC 8446 4.2, applied by lc_ext_list_decode();
 * "the client MUST check EncryptedExtensions for the presence of any forbidden
 * extensions" (4.3.1) is that check.
 */
#include "msg/encrypted_extensions.h"

int lc_encrypted_extensions_decode(lc_reader *r, lc_encrypted_extensions *out)
{
    int rc;

    if ((rc = lc_ext_list_decode(r, 0, LC_EXT_IN_EE, &out->extensions)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_encrypted_extensions_encode(lc_writer *w, const lc_encrypted_extensions *ee)
{
    lc_vec_mark m = lc_msg_begin(w, LC_MT_ENCRYPTED_EXTENSIONS);
    int rc;

    if ((rc = lc_msg_write_extensions(w, &ee->extensions, 0, 0xffff)) != 0) {
        return rc;
    }
    lc_msg_end(w, m);
    return lc_writer_finish(w);
}
