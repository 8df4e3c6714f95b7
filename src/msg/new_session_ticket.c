/*
 * NewSessionTicket: decode and encode (RFC 8446 4.6.1).
 *
 * Sent by the server after the handshake. The ticket itself is opaque to the
 * client (our server's encrypted state is src/handshake/'s); the nonce feeds
 * the resumption PSK (4.6.1: HKDF-Expand-Label(resumption_master_secret,
 * "resumption", ticket_nonce, Hash.length)).
 */
#include "msg/new_session_ticket.h"

#include "base/error.h"

/* RFC 8446 4.6.1: the extensions block runs to 2^16-2 bytes, one less than most. */
#define NST_EXTENSIONS_MAX 0xfffe

/*
 * lc_ext_list_decode() checks the block against the usual 2^16-1; peek at the
 * length on a copy of the reader to hold it to 2^16-2 first.
 */
static int check_extensions_len(const lc_reader *r)
{
    lc_reader peek = *r;
    uint16_t len;
    int rc;

    if ((rc = lc_read_u16(&peek, &len)) != 0) {
        return rc;
    }
    return len > NST_EXTENSIONS_MAX ? LC_E_DECODE : 0;
}

int lc_new_session_ticket_decode(lc_reader *r, lc_new_session_ticket *out)
{
    lc_reader v;
    int rc;

    if ((rc = lc_read_u32(r, &out->ticket_lifetime)) != 0 ||
        (rc = lc_read_u32(r, &out->ticket_age_add)) != 0) {
        return rc;
    }
    if ((rc = lc_read_vec(r, 1, 0, 0xff, &v)) != 0) {
        return rc;
    }
    out->ticket_nonce_len = lc_reader_left(&v);
    if ((rc = lc_read_bytes(&v, out->ticket_nonce_len, &out->ticket_nonce)) != 0) {
        return rc;
    }
    if ((rc = lc_read_vec(r, 2, 1, 0xffff, &v)) != 0) {
        return rc;
    }
    out->ticket_len = lc_reader_left(&v);
    if ((rc = lc_read_bytes(&v, out->ticket_len, &out->ticket)) != 0) {
        return rc;
    }
    if ((rc = check_extensions_len(r)) != 0) {
        return rc;
    }
    if ((rc = lc_ext_list_decode(r, 0, LC_EXT_IN_NST, &out->extensions)) != 0) {
        return rc;
    }
    return lc_reader_done(r);
}

int lc_new_session_ticket_encode(lc_writer *w, const lc_new_session_ticket *nst)
{
    lc_vec_mark m;
    int rc;

    if (nst->ticket_lifetime > LC_TICKET_LIFETIME_MAX || nst->ticket_nonce_len > 0xff ||
        nst->ticket_len == 0) {
        return LC_E_BAD_ARGUMENT;
    }
    m = lc_msg_begin(w, LC_MT_NEW_SESSION_TICKET);
    lc_write_u32(w, nst->ticket_lifetime);
    lc_write_u32(w, nst->ticket_age_add);
    lc_write_vec(w, 1, nst->ticket_nonce, nst->ticket_nonce_len);
    lc_write_vec(w, 2, nst->ticket, nst->ticket_len);
    if ((rc = lc_msg_write_extensions(w, &nst->extensions, 0, NST_EXTENSIONS_MAX)) != 0) {
        return rc;
    }
    lc_msg_end(w, m);
    return lc_writer_finish(w);
}
