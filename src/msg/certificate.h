/*
 * Certificate (RFC 8446 4.4.2).
 *
 *     struct {
 *         opaque cert_data<1..2^24-1>;      (X509; RawPublicKey has the same shape)
 *         Extension extensions<0..2^16-1>;
 *     } CertificateEntry;
 *
 *     struct {
 *         opaque certificate_request_context<0..2^8-1>;
 *         CertificateEntry certificate_list<0..2^24-1>;
 *     } Certificate;
 */
#ifndef LC_MSG_CERTIFICATE_H
#define LC_MSG_CERTIFICATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/common.h"
#include "msg/ext/ext.h"
#include "msg/msg.h"

/*
 * The most entries one Certificate may hold. Real chains have 1 to 4
 * certificates; a longer list is refused with LC_E_BAD_CERTIFICATE
 * (bad_certificate) rather than cut short, since a chain missing its tail
 * would fail later with a less helpful error.
 */
#define LC_CERT_MAX_ENTRIES 10

typedef struct lc_certificate_entry {
    const uint8_t *cert_data; /* DER, a view into the message: 1..2^24-1 bytes */
    size_t cert_data_len;
    lc_ext_list extensions;   /* per-entry (status_request, SCT): context LC_EXT_IN_CT */
} lc_certificate_entry;

/*
 * About 15 KiB with LC_CERT_MAX_ENTRIES lists of LC_EXT_LIST_MAX extensions;
 * it lives in a handler's frame while the message is handled, not in the connection.
 */
typedef struct lc_certificate {
    const uint8_t *certificate_request_context; /* view: 0..255 bytes */
    size_t certificate_request_context_len;
    size_t count; /* entries in certificate_list; the first is the end-entity (4.4.2) */
    lc_certificate_entry certificate_list[LC_CERT_MAX_ENTRIES];
} lc_certificate;

/*
 * Decodes a Certificate body from r, to its end. Codes: LC_E_DECODE,
 * LC_E_TRAILING, LC_E_BAD_CERTIFICATE (more than LC_CERT_MAX_ENTRIES entries),
 * and those of lc_ext_list_decode() with context LC_EXT_IN_CT. An empty
 * certificate_list decodes (count 0); whether that is allowed is the
 * handshake's call (4.4.2.4: a client may send one, a server may not).
 */
LC_MUST_CHECK int lc_certificate_decode(lc_reader *r, lc_certificate *out);

/*
 * Writes a whole Certificate message (header and body). LC_E_BAD_ARGUMENT for
 * count above LC_CERT_MAX_ENTRIES, an empty cert_data, or a context over 255 bytes.
 */
LC_MUST_CHECK int lc_certificate_encode(lc_writer *w, const lc_certificate *ct);

#endif
