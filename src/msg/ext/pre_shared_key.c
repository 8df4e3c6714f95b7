/*
 * pre_shared_key: the client's OfferedPsks and the server's selected_identity
 * (RFC 8446 4.2.11), with the binder placeholder-and-patch of 4.2.11.2.
 *
 *     struct { opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age; } PskIdentity;
 *     opaque PskBinderEntry<32..255>;
 *     struct {
 *         PskIdentity identities<7..2^16-1>;
 *         PskBinderEntry binders<33..2^16-1>;
 *     } OfferedPsks;
 *     struct {
 *         select (Handshake.msg_type) {
 *             case client_hello: OfferedPsks;
 *             case server_hello: uint16 selected_identity;
 *         };
 *     } PreSharedKeyExtension;
 */
#include "msg/ext/pre_shared_key.h"

#include <string.h>

#include "base/error.h"

/* Reads the identities; *n counts all of them, kept or not. */
static int decode_identities(lc_reader *r, lc_ext_pre_shared_key_ch *out, size_t *n)
{
    lc_reader list;
    int rc;

    /* 7: the smallest PskIdentity, a 1-byte identity with its 2-byte length and the age. */
    if ((rc = lc_read_vec(r, 2, 7, 0xffff, &list)) != 0) {
        return rc;
    }
    for (*n = 0; !lc_reader_empty(&list); (*n)++) {
        lc_ext_psk_identity id;

        if ((rc = lc_ext_read_view(&list, 2, 1, 0xffff, &id.identity)) != 0) {
            return rc;
        }
        if ((rc = lc_read_u32(&list, &id.obfuscated_ticket_age)) != 0) {
            return rc;
        }
        if (*n < LC_EXT_PSK_IDENTITIES_MAX) {
            out->identity[*n] = id;
        }
    }
    return 0;
}

/* Reads the binders; *n counts all of them, kept or not. */
static int decode_binders(lc_reader *r, lc_ext_pre_shared_key_ch *out, size_t *n)
{
    lc_reader list;
    int rc;

    /* 33: the smallest PskBinderEntry, 32 bytes, with its 1-byte length. */
    if ((rc = lc_read_vec(r, 2, 33, 0xffff, &list)) != 0) {
        return rc;
    }
    out->binders_len = 2 + lc_reader_left(&list);
    for (*n = 0; !lc_reader_empty(&list); (*n)++) {
        lc_ext_view b;

        if ((rc = lc_ext_read_view(&list, 1, LC_EXT_PSK_BINDER_MIN, LC_EXT_PSK_BINDER_MAX,
                                   &b)) != 0) {
            return rc;
        }
        if (*n < LC_EXT_PSK_IDENTITIES_MAX) {
            out->binder[*n] = b;
        }
    }
    return 0;
}

int lc_ext_pre_shared_key_ch_decode(lc_reader *r, lc_ext_pre_shared_key_ch *out)
{
    size_t identities, binders;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = decode_identities(r, out, &identities)) != 0) {
        return rc;
    }
    if ((rc = decode_binders(r, out, &binders)) != 0) {
        return rc;
    }
    if ((rc = lc_reader_done(r)) != 0) {
        return rc;
    }
    /*
     * 4.2.11: "binders: A series of HMAC values, one for each value in the
     * identities list". Both lists parse, but they disagree: illegal_parameter.
     */
    if (identities != binders) {
        return LC_E_ILLEGAL_PARAMETER;
    }
    out->count = identities < LC_EXT_PSK_IDENTITIES_MAX ? identities : LC_EXT_PSK_IDENTITIES_MAX;
    return 0;
}

/* The struct is one we could send: 1..MAX identities, each non-empty, binders 32..255. */
static bool offer_ok(const lc_ext_pre_shared_key_ch *in)
{
    if (in->count == 0 || in->count > LC_EXT_PSK_IDENTITIES_MAX) {
        return false;
    }
    for (size_t i = 0; i < in->count; i++) {
        if (!lc_ext_view_ok(in->identity[i].identity, 1, 0xffff)) {
            return false;
        }
        if (in->binder[i].len < LC_EXT_PSK_BINDER_MIN ||
            in->binder[i].len > LC_EXT_PSK_BINDER_MAX) {
            return false;
        }
    }
    return true;
}

/* The binders vector's size on the wire, its 2-byte length included. */
static size_t binders_size(const lc_ext_pre_shared_key_ch *in)
{
    size_t n = 2;

    for (size_t i = 0; i < in->count; i++) {
        n += 1 + in->binder[i].len;
    }
    return n;
}

/* Writes the binders vector; a binder with no bytes yet is written as zeros. */
static void encode_binders(lc_writer *w, const lc_ext_pre_shared_key_ch *in)
{
    lc_vec_mark list = lc_write_vec_begin(w, 2);

    for (size_t i = 0; i < in->count; i++) {
        if (in->binder[i].p != NULL) {
            lc_ext_write_view(w, 1, in->binder[i]);
            continue;
        }
        lc_write_u8(w, (uint8_t)in->binder[i].len);
        uint8_t *zeros = lc_write_reserve(w, in->binder[i].len);
        if (zeros != NULL) {
            memset(zeros, 0, in->binder[i].len);
        }
    }
    lc_write_vec_end(w, list);
}

int lc_ext_pre_shared_key_ch_encode(lc_writer *w, const lc_ext_pre_shared_key_ch *in,
                                    size_t *binders_at)
{
    lc_vec_mark list;

    if (!offer_ok(in)) {
        return LC_E_BAD_ARGUMENT;
    }
    list = lc_write_vec_begin(w, 2);
    for (size_t i = 0; i < in->count; i++) {
        lc_ext_write_view(w, 2, in->identity[i].identity);
        lc_write_u32(w, in->identity[i].obfuscated_ticket_age);
    }
    lc_write_vec_end(w, list);
    /* 4.2.11.2: the binder's transcript covers everything before this point. */
    *binders_at = w->len;
    encode_binders(w, in);
    return lc_writer_finish(w);
}

int lc_ext_pre_shared_key_ch_patch(uint8_t *msg, size_t len, size_t binders_at,
                                   const lc_ext_pre_shared_key_ch *in)
{
    lc_writer w;

    if (!offer_ok(in) || binders_at > len || len - binders_at != binders_size(in)) {
        return LC_E_BAD_ARGUMENT;
    }
    for (size_t i = 0; i < in->count; i++) {
        if (in->binder[i].p == NULL) {
            return LC_E_BAD_ARGUMENT; /* step 2 needs the real binders */
        }
    }
    /* A writer over the whole message, moved past what the binders do not touch. */
    lc_writer_init(&w, msg, len);
    (void)lc_write_reserve(&w, binders_at);
    encode_binders(&w, in);
    return lc_writer_finish(&w);
}

int lc_ext_pre_shared_key_sh_decode(lc_reader *r, uint16_t *selected_identity)
{
    int rc;

    if ((rc = lc_read_u16(r, selected_identity)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_ext_pre_shared_key_sh_encode(lc_writer *w, uint16_t selected_identity)
{
    lc_write_u16(w, selected_identity);
    return lc_writer_finish(w);
}
