/*
 * key_share: the three forms of RFC 8446 4.2.8.
 *
 *     struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry;
 *     struct { KeyShareEntry client_shares<0..2^16-1>; } KeyShareClientHello;
 *     struct { NamedGroup selected_group; } KeyShareHelloRetryRequest;
 *     struct { KeyShareEntry server_share; } KeyShareServerHello;
 */
#include "msg/ext/key_share.h"

#include <string.h>

#include "base/error.h"

static int decode_entry(lc_reader *r, lc_ext_key_share_entry *out)
{
    int rc;

    if ((rc = lc_read_u16(r, &out->group)) != 0) {
        return rc;
    }
    return lc_ext_read_view(r, 2, 1, 0xffff, &out->key_exchange);
}

/* key_exchange<1..2^16-1>: an empty public value is our own bug. */
static bool entry_ok(const lc_ext_key_share_entry *e)
{
    return lc_ext_view_ok(e->key_exchange, 1, 0xffff);
}

static void encode_entry(lc_writer *w, const lc_ext_key_share_entry *in)
{
    lc_write_u16(w, in->group);
    lc_ext_write_view(w, 2, in->key_exchange);
}

/* True if a kept entry already has this group. */
static bool has_group(const lc_ext_key_share_ch *ks, uint16_t group)
{
    for (size_t i = 0; i < ks->count; i++) {
        if (ks->entry[i].group == group) {
            return true;
        }
    }
    return false;
}

int lc_ext_key_share_ch_decode(lc_reader *r, lc_ext_key_share_ch *out)
{
    lc_reader list;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = lc_read_vec(r, 2, 0, 0xffff, &list)) != 0) {
        return rc;
    }
    while (!lc_reader_empty(&list)) {
        lc_ext_key_share_entry e;

        if ((rc = decode_entry(&list, &e)) != 0) {
            return rc;
        }
        /*
         * 4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the
         * same group"; servers "MAY check" and answer illegal_parameter. We do:
         * otherwise which of two shares we used would depend on our loop.
         */
        if (has_group(out, e.group)) {
            return LC_E_ILLEGAL_PARAMETER;
        }
        if (out->count < LC_EXT_KEY_SHARES_MAX) {
            out->entry[out->count++] = e;
        }
    }
    return lc_reader_done(r);
}

int lc_ext_key_share_ch_encode(lc_writer *w, const lc_ext_key_share_ch *in)
{
    lc_vec_mark list;

    if (in->count > LC_EXT_KEY_SHARES_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    for (size_t i = 0; i < in->count; i++) {
        if (!entry_ok(&in->entry[i])) {
            return LC_E_BAD_ARGUMENT;
        }
    }
    list = lc_write_vec_begin(w, 2);
    for (size_t i = 0; i < in->count; i++) {
        encode_entry(w, &in->entry[i]);
    }
    lc_write_vec_end(w, list);
    return lc_writer_finish(w);
}

int lc_ext_key_share_sh_decode(lc_reader *r, lc_ext_key_share_entry *out)
{
    int rc;

    /* 4.2.8: "servers offer exactly one KeyShareEntry": a second is trailing bytes. */
    if ((rc = decode_entry(r, out)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_ext_key_share_sh_encode(lc_writer *w, const lc_ext_key_share_entry *in)
{
    if (!entry_ok(in)) {
        return LC_E_BAD_ARGUMENT;
    }
    encode_entry(w, in);
    return lc_writer_finish(w);
}

int lc_ext_key_share_hrr_decode(lc_reader *r, uint16_t *selected_group)
{
    int rc;

    /* 4.2.8's checks (in our supported_groups, not already shared) are the client's. */
    if ((rc = lc_read_u16(r, selected_group)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_ext_key_share_hrr_encode(lc_writer *w, uint16_t selected_group)
{
    lc_write_u16(w, selected_group);
    return lc_writer_finish(w);
}
