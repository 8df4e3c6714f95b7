/*
 * oid_filters (RFC 8446 4.2.5; CR only).
 *
 * Certificate extension OIDs, each with the DER values the server wants the
 * client's certificate to carry. OIDs and values stay views; matching them
 * against a certificate is the caller's job.
 */
#ifndef LC_MSG_EXT_OID_FILTERS_H
#define LC_MSG_EXT_OID_FILTERS_H

#include "msg/ext/ext.h"

/*
 * The most filters accepted. Unlike a list of choices, every filter is a
 * requirement (4.2.5: the certificate "MUST contain all of the specified
 * extension OIDs that the client recognizes"), so dropping some would
 * silently ignore requirements: a longer list is refused as LC_E_DECODE, a
 * resource limit like LC_EXT_LIST_MAX. Real servers send one or two.
 */
#define LC_EXT_OID_FILTERS_MAX 16

typedef struct lc_ext_oid_filter {
    lc_ext_view oid;    /* certificate_extension_oid, the OID's DER bytes as sent, 1..255 */
    lc_ext_view values; /* certificate_extension_values, DER, 0..2^16-1 bytes */
} lc_ext_oid_filter;

typedef struct lc_ext_oid_filters {
    size_t count; /* 0 is legal: an empty filter list */
    lc_ext_oid_filter filter[LC_EXT_OID_FILTERS_MAX];
} lc_ext_oid_filters;

/*
 * Decodes OIDFilter filters<0..2^16-1>. Bad lengths, trailing bytes or more
 * than LC_EXT_OID_FILTERS_MAX filters: LC_E_DECODE / LC_E_TRAILING; the same
 * OID twice: LC_E_ILLEGAL_PARAMETER.
 */
LC_MUST_CHECK int lc_ext_oid_filters_decode(lc_reader *r, lc_ext_oid_filters *out);

/* Writes the list; too many filters or an OID of 0 or > 255 bytes: LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_oid_filters_encode(lc_writer *w, const lc_ext_oid_filters *in);

#endif
