/*
 * lucid_conn: the sans-IO connection (include/lucid/lucid.h, RFC 8446 5 and 6).
 *
 * Implementation notes.
 * - Input: lucid_conn_feed() offers bytes to the deframer, which takes at most
 *   one record at a time; each whole record is unprotected in place in the
 *   deframer's buffer and routed by content type. Handshake bytes gather in
 *   `hsin` until lc_msg_frame() finds a whole message, which goes to the state
 *   machine; application data goes to `plain` for lucid_conn_read().
 * - Application data is read where it was opened: a record whose content the
 *   application has not read yet stays in the deframer's buffer, and
 *   lucid_conn_read() copies from it (`view`), so a payload is copied once on
 *   its way in (opened from the caller's bytes into the deframer's buffer when
 *   the record came whole, lc_rec_in_feed_from; else copied there and opened
 *   in place) and once out (to the caller).
 *   Only when another record arrives while one is unread is the unread rest
 *   moved to `plain`, since the deframer holds one record at a time; a record
 *   read to its end is wiped at once and, if no other is arriving, its buffer
 *   freed (an idle connection holds none, STYLE 3.7).
 * - Output: the handshake and lucid_conn_write() append whole protected records
 *   to `out`; the caller drains it. A fatal error appends exactly one alert and
 *   nothing else is ever written or read after it (STYLE 2: errors are sticky).
 * - RFC 8446 5 record rules enforced here, since they depend on state: the
 *   dummy change_cipher_spec is dropped only between the first ClientHello and
 *   the peer's Finished; plaintext handshake records are refused once keys are
 *   in force; handshake messages may not span a key change nor interleave with
 *   other record types; alerts are two bytes, one per record.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn/conn.h"
#include "handshake/early_data.h"
#include "handshake/session.h"
#include "msg/msg.h"
#include "record/write.h"

/* Largest handshake message we accept: a Certificate chain fits well below it. */
#define HS_MSG_MAX (1u << 17)
/* Rejected 0-RTT data we are willing to skip (RFC 8446 4.2.10). */
#define EARLY_SKIP_MAX (1u << 16)

static void publish(lucid_conn *c)
{
    c->pub_err.code = c->err.code;
    c->pub_err.alert = c->err.code != 0 ? c->err.alert : -1;
    c->pub_err.from_peer = c->err.from_peer;
    memcpy(c->pub_err.message, c->err.msg, sizeof(c->pub_err.message));
}

/* Queues one alert record (RFC 8446 6): close_notify as a warning, the rest fatal. */
static void send_alert(lucid_conn *c, uint8_t desc)
{
    uint8_t alert[2] = { desc == LC_ALERT_CLOSE_NOTIFY ? 1 : 2, desc };

    if (c->sent_close) {
        return;
    }
    c->sent_close = true;
    lc_hs_trace(&c->hs, "!! sent alert %s%s%s", lc_alert_name(desc),
                c->err.code != LC_OK ? ": " : "", c->err.code != LC_OK ? c->err.msg : "");
    if (lc_rec_write(&c->wd, LC_CT_ALERT, LC_REC_VERSION, alert, sizeof(alert), &c->out) != 0) {
        /* out of memory: nothing more can be done, the connection is over either way */
        return;
    }
    if (desc == LC_ALERT_CLOSE_NOTIFY) {
        lc_hs_trace_counts(&c->hs, "at our close_notify");
    }
}

/*
 * Every failure leaves through here: record it (the first one wins), queue its
 * alert unless the peer sent one, and return the connection's code.
 */
static int fail(lucid_conn *c, int code, const char *fmt, ...) LC_PRINTF(3, 4);
static int fail(lucid_conn *c, int code, const char *fmt, ...)
{
    va_list ap;

    if (code != 0 && c->err.code == LC_OK) {
        va_start(ap, fmt);
        lc_vfail(&c->err, code, fmt, ap);
        va_end(ap);
    }
    if (c->err.code != LC_OK && !c->err.from_peer) {
        send_alert(c, c->err.alert);
    }
    publish(c);
    return c->err.code;
}

lucid_conn *lucid_conn_new(lucid_ctx *ctx, const char *server_name)
{
    lucid_conn *c = calloc(1, sizeof(*c));
    lc_hs_io io;

    if (c == NULL) {
        return NULL;
    }
    c->ctx = ctx;
    lc_rec_in_init(&c->in, ctx->cfg.server);
    lc_rec_dir_init(&c->rd, false);
    lc_rec_dir_init(&c->wd, true);
    c->hsin.limit = HS_MSG_MAX + LC_MSG_HEADER_LEN;
    /* only records as they go on the wire: sealed from the caller's bytes (record/write.c) */
    c->out.wire = true;
    io = (lc_hs_io){ .rd = &c->rd, .wd = &c->wd, .wire = &c->out };
    if (lc_hs_init(&c->hs, &ctx->cfg, &c->err, io, server_name) != 0) {
        lucid_conn_free(c);
        return NULL;
    }
    /* a client's ClientHello waits for its first use (start), so that a session and
     * 0-RTT data can be given to it first */
    c->started = ctx->cfg.server;
    publish(c);
    return c;
}

/*
 * The client's first flight, made when the connection is first used: pending
 * output asked for, input fed, or 0-RTT data written (early: the ClientHello
 * offers it, early_data.h).
 */
static int start(lucid_conn *c, bool early)
{
    lc_hs *hs = &c->hs;

    if (c->started || c->err.code != LC_OK) {
        return c->err.code;
    }
    c->started = true;
    if (c->sent_close) {
        return 0; /* closed before it began: no ClientHello after our close_notify */
    }
    if (hs->psk.offer != NULL && !lc_session_fresh(hs->psk.offer, lc_hs_now(hs))) {
        /* RFC 8446 4.2.11.1: never a ticket past its lifetime */
        lc_hs_trace(hs, "the session's ticket has expired: not offered");
        lc_session_free(hs->psk.offer);
        hs->psk.offer = NULL;
    }
    if (early) {
        hs->early.state = LC_EARLY_OFFERED;
    }
    if (lc_hs_client_start(hs) != 0) {
        return fail(c, c->err.code, NULL);
    }
    return 0;
}

void lucid_conn_set_trace_arg(lucid_conn *c, void *arg)
{
    c->hs.trace_arg = arg;
}

void lc_conn_release(lucid_conn *c)
{
    lc_hs_free(&c->hs);
    lc_rec_in_free(&c->in);
    lc_rec_dir_free(&c->rd);
    lc_rec_dir_free(&c->wd);
    lc_buf_free(&c->out);
    lc_buf_free(&c->hsin);
    lc_buf_free(&c->plain);
    lc_wipe(c, sizeof(*c));
}

void lucid_conn_free(lucid_conn *c)
{
    if (c == NULL) {
        return;
    }
    lc_conn_release(c);
    free(c);
}

/* What a connection counts into its context's statistics (lucid_ctx_get_stats). */
static void count_handshake(lucid_conn *c)
{
    lucid_ctx *ctx = c->ctx;

    atomic_fetch_add(&ctx->handshakes, 1);
    atomic_fetch_add(&ctx->resumed, c->hs.psk.resumed ? 1 : 0);
    atomic_fetch_add(&ctx->tickets, c->hs.psk.tickets_sent);
    atomic_fetch_add(&ctx->early_accepted, c->hs.early.state == LC_EARLY_ACCEPTED ? 1 : 0);
    atomic_fetch_add(&ctx->early_rejected, c->hs.early.state == LC_EARLY_REJECTED ? 1 : 0);
}

/* Whole handshake messages out of hsin, to the state machine. */
static int on_handshake(lucid_conn *c, const uint8_t *data, size_t len)
{
    int rc;

    if ((rc = lc_buf_append(&c->hsin, data, len)) != 0) {
        return fail(c, LC_E_DECODE, "handshake message longer than %u bytes", HS_MSG_MAX);
    }
    for (;;) {
        unsigned epoch = c->hs.read_epoch;
        bool complete, was_done = c->hs.done;
        lc_msg m;

        if ((rc = lc_msg_frame(lc_buf_data(&c->hsin), c->hsin.len, HS_MSG_MAX, &m,
                               &complete)) != 0) {
            return fail(c, rc, "handshake message longer than %u bytes", HS_MSG_MAX);
        }
        if (!complete) {
            /* a message this state refuses is refused now, not after its body (up to
             * HS_MSG_MAX bytes, perhaps never sent) has come in */
            if (c->hsin.len >= LC_MSG_HEADER_LEN &&
                (rc = lc_hs_expect(&c->hs, m.msg_type, (uint32_t)m.length)) != 0) {
                return fail(c, rc, NULL);
            }
            return 0;
        }
        if ((rc = lc_hs_handle(&c->hs, m.msg_type, lc_buf_data(&c->hsin), m.total)) != 0) {
            return fail(c, rc, NULL);
        }
        if (!was_done && c->hs.done) {
            count_handshake(c);
        }
        lc_buf_consume(&c->hsin, m.total);
        if (c->ctx->cfg.server) {
            lc_rec_in_initial_done(&c->in);
        }
        /* RFC 8446 5.1: a key change must fall on a record boundary */
        if (c->hs.read_epoch != epoch && c->hsin.len > 0) {
            return fail(c, LC_E_UNEXPECTED_MESSAGE,
                        "handshake message spans a key change");
        }
    }
}

/*
 * A record that carries nothing: a dropped change_cipher_spec, an empty application data
 * record, a user_canceled warning. Each is allowed, but a peer that sends them without end
 * would keep a server busy for nothing, so more than LC_IDLE_RECORDS_MAX in a row end the
 * connection with unexpected_message (OpenSSL draws the same line at 32 empty records).
 */
#define LC_IDLE_RECORDS_MAX 32

static int idle_record(lucid_conn *c, const char *what)
{
    if (++c->idle_records > LC_IDLE_RECORDS_MAX) {
        return fail(c, LC_E_UNEXPECTED_MESSAGE, "more than %d records in a row carry nothing "
                    "(the last: %s)", LC_IDLE_RECORDS_MAX, what);
    }
    return 0;
}

/* RFC 8446 6: alerts. close_notify ends input; every other alert ends the connection. */
static int on_alert(lucid_conn *c, const uint8_t *data, size_t len)
{
    if (len != 2) {
        /* 5.1: alerts are never fragmented nor coalesced */
        return fail(c, LC_E_DECODE, "alert record of %zu bytes (an alert is 2)", len);
    }
    lc_hs_trace(&c->hs, "!! received alert %s (%s)", lc_alert_name(data[1]),
                data[1] == LC_ALERT_CLOSE_NOTIFY ? "the peer has finished sending"
                : data[1] == LC_ALERT_USER_CANCELED ? "the peer gives up on this handshake"
                                                    : "the peer ends the connection: an error");
    if (data[1] == LC_ALERT_CLOSE_NOTIFY && c->hs.done) {
        c->received_close = true;
        lc_hs_trace_counts(&c->hs, "at the peer's close_notify");
        return 0;
    }
    if (data[1] == LC_ALERT_USER_CANCELED) {
        /* 6.1: a warning, followed by close_notify */
        return idle_record(c, "user_canceled");
    }
    lc_fail_peer_alert(&c->err, data[1]);
    if (data[1] == LC_ALERT_CLOSE_NOTIFY) {
        snprintf(c->err.msg, sizeof(c->err.msg),
                 "peer sent close_notify before the handshake was done");
    }
    publish(c);
    return c->err.code;
}

static int on_application_data(lucid_conn *c, const uint8_t *data, size_t len)
{
    int rc;

    if (!c->hs.done && c->hs.state == LC_HS_WAIT_EOED) {
        /* RFC 8446 4.2.10: accepted 0-RTT data, read under the early key; it goes to the
         * application marked as early (lucid_conn_in_early_data) */
        if ((rc = lc_early_server_received(&c->hs, len)) != 0 ||
            (rc = lc_buf_append(&c->plain, data, len)) != 0) {
            return fail(c, rc, "0-RTT data");
        }
        c->early_plain += len;
        return 0;
    }
    if (!c->hs.done) {
        return fail(c, LC_E_UNEXPECTED_MESSAGE, "application data before the handshake is done");
    }
    if (len > 0 && c->plain.len == 0) {
        /* nothing older is unread: read it where it lies (the feed loop keeps the record) */
        c->view = data;
        c->view_len = len;
        return 0;
    }
    if ((rc = lc_buf_append(&c->plain, data, len)) != 0) {
        return fail(c, rc, "application data");
    }
    return 0;
}

/* A record whose content is in the clear, by type (after unprotect, or never protected). */
static int on_content(lucid_conn *c, uint8_t type, const uint8_t *data, size_t len)
{
    /* RFC 8446 5.1: handshake messages may not be interleaved with other records */
    if (type != LC_CT_HANDSHAKE && c->hsin.len > 0) {
        return fail(c, LC_E_UNEXPECTED_MESSAGE, "a record interrupts a handshake message");
    }
    if (len > 0 && type != LC_CT_ALERT) {
        c->idle_records = 0;
    } else if (type == LC_CT_APPLICATION_DATA) {
        int rc = idle_record(c, "empty application data");
        if (rc != 0) {
            return rc;
        }
    }
    switch (type) {
    case LC_CT_HANDSHAKE:
        return on_handshake(c, data, len);
    case LC_CT_ALERT:
        return on_alert(c, data, len);
    case LC_CT_APPLICATION_DATA:
        return on_application_data(c, data, len);
    default:
        return fail(c, LC_E_UNEXPECTED_RECORD, "record of type %u", type);
    }
}

/*
 * RFC 8446 5: a change_cipher_spec of one byte 0x01 is dropped between the
 * first ClientHello and the peer's Finished; any other is unexpected_message.
 */
static int on_change_cipher_spec(lucid_conn *c, const lc_record *rec)
{
    bool started = !c->ctx->cfg.server || c->hs.state != LC_HS_WAIT_CH;

    if (started && !lc_hs_peer_finished(&c->hs) && rec->len == 1 && rec->fragment[0] == 0x01) {
        return idle_record(c, "change_cipher_spec");
    }
    return fail(c, LC_E_UNEXPECTED_MESSAGE, "change_cipher_spec %s",
                !started || lc_hs_peer_finished(&c->hs) ? "outside the handshake"
                                                         : "with a value other than 1");
}

/*
 * RFC 8446 4.2.10: 0-RTT records the server declined are skipped, up to a
 * bound: the records that fail to open with the handshake key, or, after a
 * HelloRetryRequest, every protected record before ClientHello2. The bound
 * leaves room for twice the max_early_data_size we announce, and 64 KiB at
 * least (record overhead and padding count too).
 */
static bool skip_early(lucid_conn *c, size_t len)
{
    size_t limit = EARLY_SKIP_MAX + 2 * (size_t)c->hs.cfg->max_early_data;

    if (!c->hs.skip_early_data || c->decrypted_any || c->early_skipped + len > limit) {
        return false;
    }
    c->early_skipped += len;
    return true;
}

/*
 * One whole record. src: where its body still lies in the caller's bytes, when the
 * deframer did not copy it (a protected record that came whole, lc_rec_in_feed_from;
 * NULL otherwise): it is then opened from there straight into the deframer's buffer.
 */
static int on_record(lucid_conn *c, lc_record *rec, const uint8_t *src)
{
    int rc;

    c->rd.records++;
    c->rd.bytes += LC_REC_HEADER_LEN + rec->len;

    if (rec->type == LC_CT_CHANGE_CIPHER_SPEC) {
        return on_change_cipher_spec(c, rec);
    }
    if (!lc_rec_dir_protected(&c->rd)) {
        if (rec->type == LC_CT_APPLICATION_DATA && c->hs.hello_retry && skip_early(c, rec->len)) {
            return 0;
        }
        if (rec->type == LC_CT_APPLICATION_DATA) {
            return fail(c, LC_E_UNEXPECTED_MESSAGE, "protected record before keys are agreed");
        }
        return on_content(c, rec->type, rec->fragment, rec->len);
    }
    if (rec->type == LC_CT_ALERT && !c->decrypted_any) {
        /* a peer that failed before it had our keys can only send its alert in the clear */
        return on_content(c, rec->type, rec->fragment, rec->len);
    }
    if (rec->type != LC_CT_APPLICATION_DATA) {
        return fail(c, LC_E_UNEXPECTED_MESSAGE, "unprotected %s record after keys are agreed",
                    rec->type == LC_CT_HANDSHAKE ? "handshake" : "alert");
    }
    rc = lc_rec_unprotect_from(&c->rd, rec, src != NULL ? src : rec->fragment);
    if (rc == LC_E_BAD_RECORD_MAC && skip_early(c, rec->len)) {
        /* declined 0-RTT records fail to open with the handshake key */
        return 0;
    }
    if (rc != 0) {
        return fail(c, rc, "record %llu from the peer",
                    (unsigned long long)c->rd.seq);
    }
    c->decrypted_any = true;
    return on_content(c, rec->type, rec->fragment, rec->len);
}

/* Ends the view of a held record (see the notes at the top). */
static void view_done(lucid_conn *c)
{
    c->view = NULL;
    c->view_len = 0;
    lc_rec_in_consume(&c->in); /* wipes the record, plaintext and all */
}

/* The unread rest of the held record goes to plain, so that the deframer can go on. */
static int unview(lucid_conn *c)
{
    int rc = lc_buf_append(&c->plain, c->view, c->view_len);

    view_done(c);
    if (rc != 0) {
        return fail(c, rc, "application data");
    }
    return 0;
}

int lucid_conn_feed(lucid_conn *c, const uint8_t *data, size_t len)
{
    int rc = 0;

    if (c->err.code != LC_OK || (rc = start(c, false)) != 0) {
        return c->err.code;
    }
    while (len > 0 && !c->received_close) {
        const uint8_t *src = NULL;
        lc_record rec;
        size_t used = 0;

        /* the deframer holds one record: an unread one moves aside for the next */
        if (c->view_len > 0 && (rc = unview(c)) != 0) {
            return rc;
        }
        if ((rc = lc_rec_in_feed_from(&c->in, data, len, &used, &src)) != 0) {
            return fail(c, rc, "bad record from the peer");
        }
        data += used;
        len -= used;
        if (lc_rec_in_record(&c->in, &rec)) {
            rc = on_record(c, &rec, src);
            if (c->view_len == 0) {
                lc_rec_in_consume(&c->in);
            }
            if (rc != 0) {
                return rc;
            }
        } else if (used == 0) {
            break;
        }
    }
    /* RFC 8446 6.1: data after close_notify is ignored */
    lc_rec_in_trim(&c->in);
    if (c->hs.key_update_owed && !c->sent_close &&
        (rc = lc_hs_send_key_update(&c->hs, false)) != 0) {
        return fail(c, rc, NULL);
    }
    return 0;
}

size_t lucid_conn_pending(lucid_conn *c, const uint8_t **out)
{
    (void)start(c, false); /* a failure leaves its alert in out */
    *out = lc_buf_data(&c->out);
    return c->out.len;
}

void lucid_conn_consume(lucid_conn *c, size_t n)
{
    lc_buf_consume(&c->out, n);
}

long lucid_conn_read(lucid_conn *c, uint8_t *buf, size_t cap)
{
    /* 0-RTT data is never returned together with what came after it */
    size_t avail = c->early_plain > 0 ? c->early_plain : c->plain.len;
    size_t n = avail < cap ? avail : cap;

    if (avail == 0 && c->view_len > 0) {
        /* plain is empty while a view is held: the view is the oldest data */
        n = c->view_len < cap ? c->view_len : cap;
        memcpy(buf, c->view, n);
        c->view += n;
        c->view_len -= n;
        if (c->view_len == 0) {
            view_done(c);
            lc_rec_in_trim(&c->in);
        }
        c->last_read_early = false;
        return (long)n;
    }
    if (n > 0) {
        memcpy(buf, lc_buf_data(&c->plain), n);
        lc_buf_consume(&c->plain, n);
        c->last_read_early = c->early_plain > 0;
        c->early_plain -= c->last_read_early ? n : 0;
        return (long)n;
    }
    if (c->received_close || c->err.code != LC_OK) {
        return -1;
    }
    return 0;
}

long lucid_conn_write(lucid_conn *c, const uint8_t *data, size_t len)
{
    int rc;

    if (c->err.code != LC_OK || c->sent_close || !c->hs.done) {
        return -1;
    }
    /* the peer asked for a KeyUpdate, or this key has sealed enough (RFC 8446 5.5) */
    if ((c->hs.key_update_owed || c->wd.seq >= LC_REC_REKEY_AFTER) &&
        (rc = lc_hs_send_key_update(&c->hs, false)) != 0) {
        fail(c, rc, NULL);
        return -1;
    }
    if ((rc = lc_rec_write(&c->wd, LC_CT_APPLICATION_DATA, LC_REC_VERSION, data, len,
                           &c->out)) != 0) {
        fail(c, rc, "cannot protect application data");
        return -1;
    }
    return (long)len;
}

void lucid_conn_close(lucid_conn *c)
{
    if (c->err.code == LC_OK) {
        send_alert(c, LC_ALERT_CLOSE_NOTIFY);
    }
}

int lucid_conn_key_update(lucid_conn *c, int request_peer)
{
    int rc;

    if (c->err.code != LC_OK || c->sent_close) {
        return c->err.code != LC_OK ? c->err.code : LC_E_CLOSED;
    }
    if ((rc = lc_hs_send_key_update(&c->hs, request_peer != 0)) != 0) {
        return fail(c, rc, NULL);
    }
    return 0;
}

unsigned lucid_conn_state(const lucid_conn *c)
{
    bool closed = c->err.code != LC_OK || c->received_close || c->sent_close;
    unsigned s = 0;

    /* an unstarted client has its ClientHello to send (start) */
    if (c->out.len > 0 || (!c->started && c->err.code == LC_OK)) {
        s |= LUCID_WANT_SEND;
    }
    if (c->plain.len > 0 || c->view_len > 0) {
        s |= LUCID_HAS_DATA;
    }
    if (!closed) {
        s |= LUCID_WANT_INPUT;
    }
    if (c->hs.done && c->err.code == LC_OK && !c->sent_close) {
        s |= LUCID_CAN_WRITE;
    }
    if (closed) {
        s |= LUCID_CLOSED;
    }
    return s;
}

const lucid_error *lucid_conn_error(const lucid_conn *c)
{
    return &c->pub_err;
}

uint16_t lucid_conn_version(const lucid_conn *c)
{
    return c->hs.done ? 0x0304 : 0;
}

uint16_t lucid_conn_cipher_suite(const lucid_conn *c)
{
    return c->hs.done ? c->hs.suite->id : 0;
}

uint16_t lucid_conn_group(const lucid_conn *c)
{
    return c->hs.done ? c->hs.group : 0;
}

uint16_t lucid_conn_sig_scheme(const lucid_conn *c)
{
    return c->hs.done ? c->hs.scheme : 0;
}

const char *lucid_conn_alpn(const lucid_conn *c)
{
    return c->hs.done && c->hs.alpn[0] != '\0' ? c->hs.alpn : NULL;
}

const char *lucid_conn_server_name(const lucid_conn *c)
{
    /* a client that connects to an IP literal sends no SNI (RFC 6066 3) */
    bool known = c->ctx->cfg.server ? c->hs.server_name[0] != '\0' : c->hs.sni_sent;

    return known ? c->hs.server_name : NULL;
}

/* ---- resumption and 0-RTT (RFC 8446 2.2, 2.3, 4.2.10, 4.6.1) ----------------------------- */

int lucid_conn_set_session(lucid_conn *c, const uint8_t *session, size_t len, lucid_error *err)
{
    const lc_hs_config *cfg = &c->ctx->cfg;
    lc_session *s = NULL;
    int rc;

    if (cfg->server || c->started) {
        lc_api_error(err, LC_E_BAD_ARGUMENT, "%s",
                     cfg->server ? "a server connection takes no session"
                                 : "set the session before the connection is first used");
        return LC_E_BAD_ARGUMENT;
    }
    if ((rc = lc_session_decode(session, len, &s)) != 0) {
        lc_api_error(err, rc, "not a saved session (%zu bytes): %s", len, lc_err_text(rc));
        return rc;
    }
    /* RFC 8446 4.6.1: resume only for the server name the session was made with */
    rc = LC_E_BAD_ARGUMENT;
    if (strcmp(s->server_name, c->hs.server_name) != 0) {
        lc_api_error(err, rc, "the session is for '%s', not '%s'", s->server_name,
                     c->hs.server_name);
    } else if (!lc_session_fresh(s, lc_hs_now(&c->hs))) {
        lc_api_error(err, rc, "the session's ticket has expired (its lifetime was %u s)",
                     s->lifetime);
    } else if (!lc_hs_offered(cfg->suites.id, cfg->suites.count, s->suite)) {
        lc_api_error(err, rc, "the session's cipher suite %s is not among this context's",
                     lc_suite_name(s->suite));
    } else if (cfg->psk_modes == 0) {
        lc_api_error(err, rc, "%s", "resumption is turned off (no PSK key exchange modes)");
    } else {
        rc = 0;
    }
    if (rc != 0) {
        lc_session_free(s);
        return rc;
    }
    lc_session_free(c->hs.psk.offer);
    c->hs.psk.offer = s;
    return 0;
}

size_t lucid_conn_get_session(const lucid_conn *c, uint8_t *buf, size_t cap)
{
    const lc_session *s = c->hs.psk.latest;

    return s != NULL ? lc_session_encode(s, buf, cap) : 0;
}

long lucid_conn_write_early(lucid_conn *c, const uint8_t *data, size_t len)
{
    lc_hs *hs = &c->hs;
    const char *why = NULL;
    size_t n;
    int rc;

    if (c->ctx->cfg.server || c->err.code != LC_OK || c->sent_close) {
        return -1;
    }
    if (!c->started) {
        if (!lc_early_client_possible(hs, &why)) {
            lc_hs_trace(hs, "no 0-RTT data: %s", why);
            return -1;
        }
        if (start(c, true) != 0) {
            return -1;
        }
    }
    /* until the server's Finished, the write key is still the early one (early_data.c) */
    if (hs->done || (hs->early.state != LC_EARLY_OFFERED && hs->early.state != LC_EARLY_ACCEPTED)) {
        return -1;
    }
    n = lc_early_client_room(hs, len);
    if (n > 0 &&
        (rc = lc_rec_write(&c->wd, LC_CT_APPLICATION_DATA, LC_REC_VERSION, data, n, &c->out))) {
        fail(c, rc, "cannot protect 0-RTT data");
        return -1;
    }
    hs->early.bytes += n;
    return (long)n;
}

int lucid_conn_early_data(const lucid_conn *c)
{
    static const int pub[] = {
        [LC_EARLY_NONE] = LUCID_EARLY_NONE,
        [LC_EARLY_OFFERED] = LUCID_EARLY_PENDING,
        [LC_EARLY_ACCEPTED] = LUCID_EARLY_ACCEPTED,
        [LC_EARLY_REJECTED] = LUCID_EARLY_REJECTED,
    };

    return pub[c->hs.early.state];
}

int lucid_conn_in_early_data(const lucid_conn *c)
{
    return c->early_plain > 0 || c->last_read_early;
}

int lucid_conn_resumed(const lucid_conn *c)
{
    return c->hs.done && c->hs.psk.resumed;
}
