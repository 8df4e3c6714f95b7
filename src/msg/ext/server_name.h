/*
 * server_name (RFC 6066 3; RFC 8446 4.2: CH, EE).
 *
 * In ClientHello the body is a ServerNameList; in EncryptedExtensions the
 * server's answer is empty (RFC 6066 3: "The extension_data field of this
 * extension SHALL be empty").
 */
#ifndef LC_MSG_EXT_SERVER_NAME_H
#define LC_MSG_EXT_SERVER_NAME_H

#include "msg/ext/ext.h"

/* NameType host_name(0), the only name type defined (RFC 6066 3). */
#define LC_SERVER_NAME_HOST_NAME 0

/* The ClientHello form: the host_name, if the list holds one. */
typedef struct lc_ext_server_name_ch {
    /*
     * The HostName bytes as sent (a view into the message), or p == NULL when
     * the list holds only name types we do not know. The codec checks the
     * structure only: whether the bytes are a valid DNS name is for the caller.
     */
    lc_ext_view host_name;
} lc_ext_server_name_ch;

/*
 * Decodes a ServerNameList<1..2^16-1>. Errors: LC_E_DECODE / LC_E_TRAILING for
 * bad lengths (decode_error); two host_name entries: LC_E_ILLEGAL_PARAMETER.
 */
LC_MUST_CHECK int lc_ext_server_name_ch_decode(lc_reader *r, lc_ext_server_name_ch *out);

/* Writes a list of one host_name; an empty host_name is LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_server_name_ch_encode(lc_writer *w, const lc_ext_server_name_ch *in);

/* The EncryptedExtensions form: an empty body; anything else is LC_E_TRAILING. */
LC_MUST_CHECK int lc_ext_server_name_ee_decode(lc_reader *r);
LC_MUST_CHECK int lc_ext_server_name_ee_encode(lc_writer *w);

#endif
