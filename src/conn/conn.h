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

#include <stdatomic.h>
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
    /* lucid_ctx_get_stats: counted by the connections made from this context */
    _Atomic uint64_t handshakes, resumed, tickets, early_accepted, early_rejected;
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
    const uint8_t *view;    /* or, while plain is empty: the unread rest of the last record, */
    size_t view_len;        /* opened in place in `in` and read from there (conn.c) */
    lc_hs hs;
    bool received_close;    /* the peer sent close_notify: no more input */
    bool sent_close;        /* we sent close_notify or a fatal alert: no more output */
    bool decrypted_any;     /* a record from the peer has been unprotected */
    size_t early_skipped;   /* bytes of rejected 0-RTT data dropped (RFC 8446 4.2.10) */
    bool started;           /* a client's ClientHello is made at its first use, not at new */
    size_t early_plain;     /* server: bytes at the front of plain that came as 0-RTT data */
    bool last_read_early;   /* server: the last lucid_conn_read returned 0-RTT data */
    unsigned idle_records;  /* records in a row that carried nothing (idle_record) */
};

/*
 * Everything lucid_conn_free does but the final free(): what the connection holds is
 * released and wiped, and so is the struct itself, whose memory stays the caller's.
 * lucid_conn_free is this and free(c); tests/unit/conn/wipe_test.c reads the memory in
 * between to show that no secret or key is left in it (STYLE 3.5).
 */
void lc_conn_release(lucid_conn *c);

/* A new context's clock, ticket key (servers) and resumption defaults; their end (resume.c). */
LC_MUST_CHECK int lc_ctx_resume_init(lucid_ctx *ctx);
void lc_ctx_resume_free(lucid_ctx *ctx);

/* Fills a public error (if err is not NULL) for a call that failed (resume.c). */
void lc_api_error(lucid_error *err, int code, const char *fmt, ...) LC_PRINTF(3, 4);

#endif
