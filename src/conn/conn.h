/*
 * The sans-IO connection and its context (the objects behind include/lucid/lucid.h).
 *
 * A connection owns its buffers and the record layer's two directions, and
 * the handshake state that writes through them. Input path:
 *     lucid_conn_feed -> deframe (record/) -> unprotect (record/)
 *       -> by content type: handshake bytes -> lc_msg_frame -> lc_hs_handle
 *                           alert -> close or fail
 *                           application data -> plaintext queue -> lucid_conn_read
 * Output path: the handshake and lucid_conn_write append protected records to
 * `out`, which the caller drains with lucid_conn_pending / lucid_conn_consume.
 */
#ifndef LC_CONN_CONN_H
#define LC_CONN_CONN_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/error.h"
#include "handshake/config.h"
#include "handshake/hs.h"
#include "lucid/lucid.h"
#include "record/record.h"

struct lucid_ctx {
    lc_hs_config cfg;
    lucid_sni_fn *sni;   /* lucid_ctx_set_sni_callback */
    void *sni_arg;
};

struct lucid_conn {
    lucid_ctx *ctx;
    lc_error err;           /* the first failure, sticky */
    lucid_error pub_err;    /* err as the public API shows it */
    lc_rec_in in;           /* records being received */
    lc_rec_dir rd, wd;      /* read and write protection */
    lc_buf out;             /* records to send */
    lc_buf hsin;            /* handshake bytes not yet a whole message */
    lc_buf plain;           /* application data received, not yet read */
    lc_hs hs;
    bool received_close;    /* the peer sent close_notify: no more input */
    bool sent_close;        /* we sent close_notify or a fatal alert: no more output */
    bool decrypted_any;     /* a record from the peer has been unprotected */
    size_t early_skipped;   /* bytes of rejected 0-RTT data dropped (RFC 8446 4.2.10) */
};

#endif
