/*
 * supported_versions (RFC 8446 4.2.1; CH, SH, HRR).
 *
 * The client lists every version it will negotiate, most preferred first; the
 * server (in ServerHello and HelloRetryRequest alike) names the one it chose.
 */
#ifndef LC_MSG_EXT_SUPPORTED_VERSIONS_H
#define LC_MSG_EXT_SUPPORTED_VERSIONS_H

#include "msg/ext/ext.h"

/*
 * The most versions kept. The list holds at most 127 by its own bound; real
 * clients send two to four (with GREASE). The server picks one it knows, so a
 * longer list is kept up to this bound rather than refused.
 */
#define LC_EXT_VERSIONS_MAX 16

/* The ClientHello form. */
typedef struct lc_ext_supported_versions_ch {
    size_t count;
    uint16_t version[LC_EXT_VERSIONS_MAX]; /* ProtocolVersion values, in the client's order */
} lc_ext_supported_versions_ch;

/* Decodes ProtocolVersion versions<2..254>; an odd length or out of range is LC_E_DECODE. */
LC_MUST_CHECK int lc_ext_supported_versions_ch_decode(lc_reader *r,
                                                      lc_ext_supported_versions_ch *out);

/* Writes the list; an empty list or count > LC_EXT_VERSIONS_MAX is LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_supported_versions_ch_encode(lc_writer *w,
                                                      const lc_ext_supported_versions_ch *in);

/*
 * The ServerHello / HelloRetryRequest form: ProtocolVersion selected_version.
 * Any value decodes; 4.2.1's check (offered by us, and TLS 1.3 or later, else
 * illegal_parameter) is the client handshake's, which knows what it offered.
 */
LC_MUST_CHECK int lc_ext_supported_versions_sh_decode(lc_reader *r, uint16_t *selected);
LC_MUST_CHECK int lc_ext_supported_versions_sh_encode(lc_writer *w, uint16_t selected);

#endif
