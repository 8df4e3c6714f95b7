/*
 * oid_filters: the OIDFilterExtension of RFC 8446 4.2.5.
 *
 *     struct {
 *         opaque certificate_extension_oid<1..2^8-1>;
 *         opaque certificate_extension_values<0..2^16-1>;
 *     } OIDFilter;
 *     struct { OIDFilter filters<0..2^16-1>; } OIDFilterExtension;
 */
#include "msg/ext/oid_filters.h"

#include <string.h>

#include "base/error.h"

static bool same_bytes(lc_ext_view a, lc_ext_view b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* True if a filter already kept has this OID. */
static bool has_oid(const lc_ext_oid_filters *f, lc_ext_view oid)
{
    for (size_t i = 0; i < f->count; i++) {
        if (same_bytes(f->filter[i].oid, oid)) {
            return true;
        }
    }
    return false;
}

int lc_ext_oid_filters_decode(lc_reader *r, lc_ext_oid_filters *out)
{
    lc_reader list;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = lc_read_vec(r, 2, 0, 0xffff, &list)) != 0) {
        return rc;
    }
    while (!lc_reader_empty(&list)) {
        lc_ext_oid_filter f;

        if (out->count == LC_EXT_OID_FILTERS_MAX) {
            return LC_E_DECODE; /* a resource limit: see oid_filters.h */
        }
        if ((rc = lc_ext_read_view(&list, 1, 1, 0xff, &f.oid)) != 0) {
            return rc;
        }
        if ((rc = lc_ext_read_view(&list, 2, 0, 0xffff, &f.values)) != 0) {
            return rc;
        }
        /*
         * 4.2.5: "Any given OID MUST NOT appear more than once in the filters
         * list." It parses, but two fields conflict: illegal_parameter (6.2).
         */
        if (has_oid(out, f.oid)) {
            return LC_E_ILLEGAL_PARAMETER;
        }
        out->filter[out->count++] = f;
    }
    return lc_reader_done(r);
}

int lc_ext_oid_filters_encode(lc_writer *w, const lc_ext_oid_filters *in)
{
    lc_vec_mark list;

    if (in->count > LC_EXT_OID_FILTERS_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    for (size_t i = 0; i < in->count; i++) {
        const lc_ext_oid_filter *f = &in->filter[i];

        if (!lc_ext_view_ok(f->oid, 1, 0xff) || !lc_ext_view_ok(f->values, 0, 0xffff)) {
            return LC_E_BAD_ARGUMENT;
        }
    }
    list = lc_write_vec_begin(w, 2);
    for (size_t i = 0; i < in->count; i++) {
        lc_ext_write_view(w, 1, in->filter[i].oid);
        lc_ext_write_view(w, 2, in->filter[i].values);
    }
    lc_write_vec_end(w, list);
    return lc_writer_finish(w);
}
