/*
 * One client connection, from accept to close, as a set of phases (nginx style): each phase
 * has an on_readable and an on_writable handler and a timeout, and a handler moves the
 * connection to the next phase by calling set_phase().
 *
 *   HANDSHAKE --> REQUEST --> RESPONSE --> KEEPALIVE --> REQUEST ...
 *   (TLS only)       ^            |
 *                    +------------+  pipelined request already buffered
 *   any phase --> CLOSING (send close_notify or the alert) --> LINGER --> closed
 *
 * Implementation notes:
 *
 * - Epoll is edge-triggered. An event sets can_read / can_send; EAGAIN (or a short read,
 *   sock_recv) clears them. So a handler may stop reading (backpressure) and come back later
 *   without a new event. A connection is registered for input at accept, and for output too
 *   from the first send that blocks (send_blocked).
 *
 * - TLS sits between two buffers (h2o decode_ssl_input): ciphertext from recv() goes to
 *   lucid_conn_feed, plaintext from lucid_conn_read goes to c->in, and the HTTP parser only
 *   ever sees c->in. New ciphertext is fed only when the engine has no plaintext left for
 *   c->in, and c->in holds one request head at most, so a client that pipelines faster than we
 *   answer fills its own socket buffer, not our memory.
 *
 * - Responses leave through c->out, LC_SRV_OUT_CAP (64 KiB) at a time: the head and the file's
 *   first bytes, then the file chunk by chunk, each chunk read only once the engine's previous
 *   records are all sent (plain connections use sendfile instead). A connection thus holds
 *   one input buffer, one chunk of output and the engine's record buffers, whatever the
 *   file's size, and nothing but the struct and the engine while idle.
 *
 * - Small records wait: handlers queue them in the engine and lc_srv_conn_run sends what is
 *   queued once, at the end of the turn. A full handshake with one request thus costs two
 *   send() calls: the server's flight, then tickets + response + close_notify.
 *
 * - A handler never frees its connection: drop() marks it DEAD and lc_srv_conn_run frees it
 *   once the handlers have returned. Every loop over a socket is bounded (EAGAIN, or the turn
 *   budget after which the connection is posted to run again after the others), so one client
 *   can delay the others by one turn at most.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/internal.h"

/* What the transport helpers report. */
enum io_result {
    IO_DONE,      /* did what was asked: bytes moved, or nothing left to send */
    IO_AGAIN,     /* the socket would block: wait for the next event */
    IO_EOF,       /* the client closed (with close_notify on TLS, or a TCP FIN) */
    IO_ERROR,     /* the socket failed (reset, or the client vanished) */
    IO_TLS_ERROR, /* the engine failed: lucid_conn_error says why; its alert is pending */
    IO_FULL,      /* c->in has no room */
};

/* Time allowed to send the last bytes, and then to see the client close, before closing. */
#define CLOSING_MS 5000
#define LINGER_MS 2000

/* Why a connection ended, for the error log: static strings, all in one place (h2o style). */
static const char why_handshake_timeout[] = "TLS handshake timed out";
static const char why_send_timeout[] = "timed out sending a response";
static const char why_alpn[] = "ALPN chose a protocol this server does not speak";
static const char why_file_shrank[] = "file shrank while being sent";

/* ---- transport: one socket, one engine --------------------------------------------------- */

/*
 * recv into buf: > 0 bytes read, 0 at EOF, -1 would block, -2 failed.
 *
 * A short read drained the socket: TCP's recv takes everything queued, up to cap, and bytes
 * that arrive later raise a new edge. So can_read drops there, which saves the recv() that
 * would only say EAGAIN (nginx does the same). Not once the client's FIN has been signalled
 * (pending_eof): its edge is already spent, and the EOF must still be read.
 */
static ssize_t sock_recv(struct lc_srv_conn *c, uint8_t *buf, size_t cap)
{
    if (!c->can_read) {
        return -1;
    }
    for (;;) {
        ssize_t n = recv(c->fd, buf, cap, 0);
        if (n > 0 && (size_t)n < cap && !c->pending_eof) {
            c->can_read = 0;
        }
        if (n >= 0) {
            return n;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            c->can_read = 0;
            return -1;
        }
        return -2;
    }
}

/*
 * The socket's send buffer is full. A connection starts out watched for input only: an
 * EPOLLOUT edge would wake the loop each time the client acknowledges anything, and most
 * connections never fill their buffer. The first time one does, it is watched for output too.
 */
static void send_blocked(struct lc_srv_conn *c)
{
    c->can_send = 0;
    if (!c->watch_out) {
        struct epoll_event ev = {
            .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
            .data.ptr = c,
        };
        /* On failure no EPOLLOUT comes: the send timeout ends the connection. */
        (void)epoll_ctl(c->srv->epfd, EPOLL_CTL_MOD, c->fd, &ev);
        c->watch_out = 1;
    }
}

/* send from buf: > 0 bytes sent, -1 would block, -2 failed. */
static ssize_t sock_send(struct lc_srv_conn *c, const uint8_t *buf, size_t len)
{
    if (!c->can_send) {
        return -1;
    }
    /* MSG_NOSIGNAL: a client that went away is an error here, not a SIGPIPE. In CLOSING a
     * FIN follows at once (close or shutdown): MSG_MORE holds our last bytes back for it, so
     * they leave in one segment, not two. */
    int flags = MSG_NOSIGNAL | (c->phase == LC_SRV_CLOSING ? MSG_MORE : 0);

    for (;;) {
        ssize_t n = send(c->fd, buf, len, flags);
        if (n >= 0) {
            return n;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            send_blocked(c);
            return -1;
        }
        return -2;
    }
}

/* Sends everything the engine has queued. IO_DONE once nothing is left. */
static int tls_flush(struct lc_srv_conn *c)
{
    const uint8_t *p;
    size_t n;

    while ((n = lucid_conn_pending(c->tls, &p)) > 0) {
        ssize_t sent = sock_send(c, p, n);
        if (sent == -1) {
            return IO_AGAIN;
        }
        if (sent < 0) {
            return IO_ERROR;
        }
        lucid_conn_consume(c->tls, (size_t)sent);
        if (c->phase == LC_SRV_RESPONSE) {
            c->deadline_ms = c->srv->now_ms + c->srv->send_ms; /* a slow reader is reading */
        }
    }
    return IO_DONE;
}

/*
 * Adds plaintext to c->in: IO_DONE when some arrived. On TLS, the engine's plaintext is taken
 * first and the socket is read only when it has none, so it never holds more than one recv()
 * worth of records.
 */
/* The input buffer exists only once there is input: an idle connection holds none. */
static int take_in(struct lc_srv_conn *c)
{
    if (c->in == NULL) {
        if ((c->in = malloc(LC_SRV_IN_CAP)) == NULL) {
            return -1;
        }
        c->in_used = 0;
    }
    return 0;
}

static int fill_in(struct lc_srv_conn *c)
{
    struct lc_srv *s = c->srv;
    size_t took = 0; /* ciphertext read this turn */

    for (;;) {
        size_t room = LC_SRV_IN_CAP - c->in_len;
        if (room == 0) {
            return IO_FULL;
        }
        if (c->tls != NULL && (lucid_conn_state(c->tls) & (LUCID_HAS_DATA | LUCID_CLOSED))) {
            if (take_in(c) != 0) {
                return IO_ERROR;
            }
            long got = lucid_conn_read(c->tls, c->in + c->in_len, room);
            if (got > 0) {
                c->in_len += (size_t)got;
                c->in_used = c->in_len > c->in_used ? c->in_len : c->in_used;
                c->saw_data = 1;
                return IO_DONE;
            }
            if (got < 0) {
                return lucid_conn_error(c->tls)->code == 0 ? IO_EOF : IO_TLS_ERROR;
            }
        }
        /* Plain bytes land in the scratch buffer too, and are copied once there are some. */
        uint8_t *dst = s->scratch;
        ssize_t n = sock_recv(c, dst, c->tls != NULL || room > sizeof(s->scratch)
                                          ? sizeof(s->scratch) : room);
        if (n == -1) {
            return IO_AGAIN;
        }
        if (n < 0) {
            return IO_ERROR;
        }
        if (n == 0) {
            /* A TCP FIN without close_notify: a truncation to the engine, but for a server
             * between requests it is just a client that left. */
            return IO_EOF;
        }
        if (c->tls == NULL) {
            if (take_in(c) != 0) {
                return IO_ERROR;
            }
            memcpy(c->in + c->in_len, dst, (size_t)n);
            c->in_len += (size_t)n;
            c->in_used = c->in_len > c->in_used ? c->in_len : c->in_used;
            return IO_DONE;
        }
        if ((took += (size_t)n) > LC_SRV_TURN_READ) {
            /* Records that yield no plaintext (a flood of empty ones) get one turn's worth;
             * the others go first, and this connection comes back after them. */
            lc_srv_post(c);
        }
        /* A failure shows up as lucid_conn_read's -1 on the next turn of the loop. The engine
         * may have queued records of its own (an alert, a KeyUpdate answer): send them now,
         * since no event will come to say the socket is writable. */
        (void)lucid_conn_feed(c->tls, dst, (size_t)n);
        if (tls_flush(c) == IO_ERROR) {
            return IO_ERROR;
        }
        if (c->posted) {
            return IO_AGAIN;
        }
    }
}

static void consume_in(struct lc_srv_conn *c, size_t n)
{
    memmove(c->in, c->in + n, c->in_len - n);
    c->in_len -= n;
}

/* Frees the input buffer of an idle connection, wiping what the requests held (cookies,
 * credentials). */
static void release_in(struct lc_srv_conn *c)
{
    if (c->in != NULL && c->in_len == 0) {
        explicit_bzero(c->in, c->in_used); /* what requests wrote, not the whole buffer */
        free(c->in);
        c->in = NULL;
    }
}

/* ---- phases ------------------------------------------------------------------------------ */

static void set_phase(struct lc_srv_conn *c, enum lc_srv_phase p);

/* Marks the connection for freeing; a response under way is logged with what it sent. */
static void drop(struct lc_srv_conn *c)
{
    if (c->phase == LC_SRV_RESPONSE) {
        lc_srv_log_access(c);
    }
    c->phase = LC_SRV_DEAD;
}

/* Ends the connection politely: close_notify on TLS, then the same path as after an error. */
static void begin_close(struct lc_srv_conn *c)
{
    if (c->tls != NULL) {
        lucid_conn_close(c->tls);
    }
    set_phase(c, LC_SRV_CLOSING);
}

/* A connection with nothing under way ends: TLS says close_notify, plain just closes. */
static void end_idle(struct lc_srv_conn *c)
{
    if (c->tls != NULL) {
        begin_close(c);
    } else {
        drop(c);
    }
}

/* The engine failed: log Lucid's one line, then send its alert (already pending) and close. */
static void tls_failed(struct lc_srv_conn *c)
{
    const lucid_error *e = lucid_conn_error(c->tls);
    int handshake = c->phase == LC_SRV_HANDSHAKE || !c->saw_data;

    /* Code 0 is the client's close_notify: an end, not a failure. */
    if (e->code != 0) {
        lc_srv_log_error(c, handshake ? "TLS handshake failed" : "TLS error",
                         e->message[0] != '\0' ? e->message : lucid_error_name(e->code));
    }
    if (c->phase == LC_SRV_RESPONSE) {
        lc_srv_log_access(c);
    }
    set_phase(c, LC_SRV_CLOSING);
}

/* The input side ended or failed (fill_in's result); the request, if any, is abandoned. */
static int input_ended(struct lc_srv_conn *c, int r)
{
    if (r == IO_TLS_ERROR) {
        tls_failed(c);
    } else if (r == IO_FULL) {
        /* Cannot happen while LC_SRV_IN_CAP > LC_HTTP_MAX_HEAD; refuse rather than spin. */
        lc_srv_respond_status(c, 431);
        set_phase(c, LC_SRV_RESPONSE);
    } else if (r == IO_EOF) {
        end_idle(c);
    } else {
        drop(c);
    }
    return LC_SRV_NEXT;
}

static int nothing(struct lc_srv_conn *c)
{
    (void)c;
    return LC_SRV_AGAIN;
}

/* HANDSHAKE: feed the engine until it can take application data (RFC 8446 2). */
static int hs_readable(struct lc_srv_conn *c)
{
    struct lc_srv *s = c->srv;
    size_t took = 0; /* bytes read this turn */

    for (;;) {
        unsigned st = lucid_conn_state(c->tls);
        /* CAN_WRITE first: a client may send Finished, its request and close_notify in one
         * flight (gnutls-cli at the end of its input), which leaves the engine both done and
         * closed for input; the request is still read and answered (RFC 8446 6.1). */
        if (st & LUCID_CAN_WRITE) {
            /* This server speaks HTTP/1.1 only; another ALPN choice is a misconfiguration
             * (--alpn h2) and the client would wait for frames that never come. */
            const char *alpn = lucid_conn_alpn(c->tls);
            if (alpn != NULL && strcmp(alpn, "http/1.1") != 0) {
                lc_srv_log_error(c, why_alpn, alpn);
                begin_close(c);
            } else {
                /* The site the engine chose for the SNI name serves the requests too. */
                const char *sni = lucid_conn_server_name(c->tls);
                c->vhost = lc_srv_pick_vhost(c, sni != NULL ? sni : "", sni != NULL ? strlen(sni) : 0);
                set_phase(c, LC_SRV_REQUEST);
            }
            return LC_SRV_NEXT;
        }
        if (st & LUCID_CLOSED) {
            tls_failed(c);
            return LC_SRV_NEXT;
        }
        ssize_t n = sock_recv(c, s->scratch, sizeof(s->scratch));
        if (n == -1) {
            return LC_SRV_AGAIN;
        }
        if (n <= 0) {
            /* The client left or reset mid-handshake: nothing to tell it, nothing to log
             * (port scanners and health checks do this all day). */
            drop(c);
            return LC_SRV_NEXT;
        }
        /* What the engine answers (the server's flight, then the tickets) is sent at the end
         * of the turn (lc_srv_conn_run), so the tickets leave with the first response. */
        (void)lucid_conn_feed(c->tls, s->scratch, (size_t)n);
        if ((took += (size_t)n) > LC_SRV_TURN_READ) {
            /* A client that streams records the handshake drops (change_cipher_spec, empty
             * alerts) gets one turn's worth, then waits behind the others. */
            lc_srv_post(c);
            return LC_SRV_AGAIN;
        }
    }
}

/* REQUEST: read until a whole request head is parsed (or refused), then answer it. */
static int req_readable(struct lc_srv_conn *c)
{
    struct lc_http_request req;

    for (;;) {
        if (c->discard > 0 && c->in_len > 0) {
            size_t n = (unsigned long long)c->discard < c->in_len ? (size_t)c->discard
                                                                  : c->in_len;
            consume_in(c, n);
            c->discard -= (long long)n;
        }
        if (c->discard == 0 && c->in_len > 0) {
            int rc = lc_http_parse(c->in, c->in_len, &req);
            if (rc != LC_HTTP_INCOMPLETE) {
                if (req.line_len == 0) {
                    /* Refused before a whole line came: log the start of what did. */
                    req.line = (const char *)c->in;
                    req.line_len = c->in_len < 100 ? c->in_len : 100;
                }
                lc_srv_respond(c, &req, rc);
                consume_in(c, rc == LC_HTTP_COMPLETE ? req.head_len : c->in_len);
                c->requests++;
                set_phase(c, LC_SRV_RESPONSE);
                return LC_SRV_NEXT;
            }
        }
        int r = fill_in(c);
        if (r == IO_AGAIN) {
            return LC_SRV_AGAIN;
        }
        if (r != IO_DONE) {
            return input_ended(c, r);
        }
    }
}

/* KEEPALIVE: idle, buffers freed, until the next request's first byte. */
static int keepalive_readable(struct lc_srv_conn *c)
{
    int r = c->in_len > 0 ? IO_DONE : fill_in(c);

    if (r == IO_DONE) {
        set_phase(c, LC_SRV_REQUEST); /* the header timeout starts with the first byte */
        return LC_SRV_NEXT;
    }
    if (r == IO_AGAIN) {
        release_in(c);
        return LC_SRV_AGAIN;
    }
    return input_ended(c, r);
}

/* The response is sent: log it, then keep the connection for the next request or end it. */
static void response_done(struct lc_srv_conn *c)
{
    lc_srv_log_access(c);
    if (c->file >= 0) {
        lc_srv_file_put(c->srv, c->file_entry, c->file);
        c->file = -1;
        c->file_entry = NULL;
    }
    free(c->out);
    c->out = NULL;
    c->out_len = c->out_off = 0;
    free(c->line);
    c->line = NULL;
    if (!c->keep_alive || c->srv->stopping) {
        begin_close(c);
    } else if (c->in_len > 0 || c->discard > 0) {
        set_phase(c, LC_SRV_REQUEST); /* pipelined: answered in order, one at a time */
    } else {
        set_phase(c, LC_SRV_KEEPALIVE);
    }
}

/*
 * For a handler that must see the engine's records gone before it goes on: FLUSHED when they
 * are (or on a plain connection), else what the handler returns: LC_SRV_AGAIN while the
 * socket is full, LC_SRV_NEXT once a failed socket has dropped the connection.
 */
#define FLUSHED (-1)
static int flushed(struct lc_srv_conn *c)
{
    int r = c->tls != NULL ? tls_flush(c) : IO_DONE;
    if (r == IO_AGAIN) {
        return LC_SRV_AGAIN;
    }
    if (r != IO_DONE) {
        drop(c);
        return LC_SRV_NEXT;
    }
    return FLUSHED;
}

/* Progress resets the send timeout: only a client that stops reading times out. */
static void sent(struct lc_srv_conn *c, size_t n)
{
    c->sent += n;
    c->deadline_ms = c->srv->now_ms + c->srv->send_ms;
}

/* RESPONSE: c->out, then the file, each chunk only once the last one has left. */
static int resp_writable(struct lc_srv_conn *c)
{
    unsigned long long start = c->sent;

    for (;;) {
        if (c->sent - start >= LC_SRV_TURN_BYTES) {
            lc_srv_post(c); /* others get a turn; this one runs again without an event */
            return LC_SRV_AGAIN;
        }
        if (c->tls != NULL && c->out_off < c->out_len) {
            size_t n = c->out_len - c->out_off;
            if (lucid_conn_write(c->tls, c->out + c->out_off, n) < 0) {
                tls_failed(c);
                return LC_SRV_NEXT;
            }
            c->out_off += n;
            sent(c, n);
            continue;
        } else if (c->tls == NULL && c->out_off < c->out_len) {
            ssize_t n = sock_send(c, c->out + c->out_off, c->out_len - c->out_off);
            if (n == -1) {
                return LC_SRV_AGAIN;
            }
            if (n < 0) {
                drop(c);
                return LC_SRV_NEXT;
            }
            c->out_off += (size_t)n;
            sent(c, (size_t)n);
            continue;
        }
        if (c->file_left == 0) {
            /* The engine may still hold the last records: they leave with what comes next
             * (close_notify, the next response) or at the end of the turn, in one send(). */
            response_done(c);
            return LC_SRV_NEXT;
        }
        /* The next chunk is read only once the last one has left: one chunk in memory. */
        int r = flushed(c);
        if (r != FLUSHED) {
            return r;
        }
        size_t want = c->file_left < LC_SRV_OUT_CAP ? (size_t)c->file_left : LC_SRV_OUT_CAP;
        ssize_t n;
        if (c->tls == NULL) {
            /* Plain: the kernel copies from the page cache to the socket. */
            if (!c->can_send) {
                return LC_SRV_AGAIN;
            }
            n = sendfile(c->fd, c->file, &c->file_off, c->file_left < LC_SRV_TURN_BYTES
                                                           ? (size_t)c->file_left
                                                           : LC_SRV_TURN_BYTES);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                send_blocked(c);
                return LC_SRV_AGAIN;
            }
            if (n > 0) {
                c->file_left -= n;
                sent(c, (size_t)n);
                continue;
            }
        } else {
            n = pread(c->file, c->out, want, c->file_off);
            if (n > 0) {
                c->out_off = 0;
                c->out_len = (size_t)n;
                c->file_off += n;
                c->file_left -= n;
                continue;
            }
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n == 0) {
            lc_srv_log_error(c, why_file_shrank, c->line);
        }
        drop(c);
        return LC_SRV_NEXT;
    }
}

/* CLOSING: the last records (close_notify, or an alert) go out, then our side shuts. */
static int closing_writable(struct lc_srv_conn *c)
{
    int r = flushed(c);
    if (r != FLUSHED) {
        return r;
    }
    /* Closing with unread input would send an RST that can destroy our last bytes before the
     * client reads them; so half-close and drain first (nginx lingering_close). A socket
     * drained by the last read (can_read clear, no event since) has no unread input: close()
     * sends a plain FIN after our last bytes, and the lingering is skipped, as nginx does. */
    if (!c->can_read) {
        drop(c);
        return LC_SRV_NEXT;
    }
    shutdown(c->fd, SHUT_WR);
    set_phase(c, LC_SRV_LINGER);
    return LC_SRV_NEXT;
}

/* LINGER: read and drop until the client closes too (or LINGER_MS pass). */
static int linger_readable(struct lc_srv_conn *c)
{
    size_t total = 0;

    for (;;) {
        ssize_t n = sock_recv(c, c->srv->scratch, sizeof(c->srv->scratch));
        if (n == -1) {
            return LC_SRV_AGAIN;
        }
        if (n <= 0) {
            drop(c);
            return LC_SRV_NEXT;
        }
        total += (size_t)n;
        if (total >= LC_SRV_TURN_BYTES) {
            lc_srv_post(c);
            return LC_SRV_AGAIN;
        }
    }
}

/* The table of phases (STYLE 3.3): handlers per phase; timeouts in set_phase. */
static const struct {
    lc_srv_handler *on_readable;
    lc_srv_handler *on_writable;
} phases[] = {
    [LC_SRV_HANDSHAKE] = { hs_readable, nothing },
    [LC_SRV_REQUEST] = { req_readable, nothing },
    [LC_SRV_RESPONSE] = { nothing, resp_writable },
    [LC_SRV_KEEPALIVE] = { keepalive_readable, nothing },
    [LC_SRV_CLOSING] = { nothing, closing_writable },
    [LC_SRV_LINGER] = { linger_readable, nothing },
    [LC_SRV_DEAD] = { nothing, nothing },
};

static void set_phase(struct lc_srv_conn *c, enum lc_srv_phase p)
{
    struct lc_srv *s = c->srv;
    unsigned ms = 0;

    c->phase = p;
    c->on_readable = phases[p].on_readable;
    c->on_writable = phases[p].on_writable;
    switch (p) {
    case LC_SRV_HANDSHAKE: ms = s->handshake_ms; break;
    case LC_SRV_REQUEST: ms = s->header_ms; break;
    case LC_SRV_RESPONSE: ms = s->send_ms; break;
    case LC_SRV_KEEPALIVE: ms = s->keepalive_ms; break;
    case LC_SRV_CLOSING: ms = CLOSING_MS; break;
    case LC_SRV_LINGER: ms = LINGER_MS; break;
    case LC_SRV_DEAD: ms = 0; break;
    }
    /* The handshake and header timeouts run from the phase's start, not from the last byte:
     * a client sending one byte a second still runs out of time. */
    c->deadline_ms = ms != 0 ? s->now_ms + ms : 0;
}

/* ---- what server.c calls ------------------------------------------------------------------ */

void lc_srv_conn_run(struct lc_srv_conn *c)
{
    /* Both handlers run each turn; each does nothing unless its side can move. A handler that
     * changed the phase returns NEXT so the new phase's handlers look at once. */
    for (int turn = 0; c->phase != LC_SRV_DEAD; turn++) {
        if (turn == 16) {
            lc_srv_post(c);
            break;
        }
        int w = c->on_writable(c);
        if (c->phase == LC_SRV_DEAD) {
            break;
        }
        int r = c->on_readable(c);
        if (w == LC_SRV_AGAIN && r == LC_SRV_AGAIN) {
            break;
        }
    }
    /* Handlers leave the engine's records queued; they go out here, once per turn, so a
     * flight, the tickets, a response and close_notify share a send() when they can. */
    if (c->phase != LC_SRV_DEAD && c->tls != NULL && tls_flush(c) == IO_ERROR) {
        drop(c);
    }
    if (c->phase == LC_SRV_DEAD) {
        lc_srv_conn_free(c);
    }
}

void lc_srv_conn_event(struct lc_srv_conn *c, uint32_t events)
{
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        c->can_read = 1;
    }
    if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        c->pending_eof = 1; /* reads go on until EOF (sock_recv) */
    }
    if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
        c->can_send = 1;
    }
    lc_srv_conn_run(c);
}

void lc_srv_conn_accepted(struct lc_srv *s, struct lc_srv_listener *ls, int fd,
                          const struct sockaddr *sa)
{
    int tls = ls->tls;
    struct lc_srv_conn *c = calloc(1, sizeof(*c));

    if (c == NULL) {
        close(fd);
        return;
    }
    c->kind = LC_SRV_KIND_CONN;
    c->fd = fd;
    c->srv = s;
    c->listener = ls;
    c->vhost = ls->vhosts[0];
    c->file = -1;
    lc_srv_format_addr(sa, c->peer, sizeof(c->peer));
    /* TCP_NODELAY comes from the listening socket (lc_srv_listener_open). A new connection
     * starts in quick-ACK mode, which acknowledges each of the client's first segments at
     * once, in a packet of its own, though our answer follows within a millisecond; off, the
     * ACK rides on that answer (the server's flight, the response). */
    int zero = 0;
    setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &zero, sizeof(zero));
    if (tls && (c->tls = lucid_conn_new(ls->ctx, NULL)) == NULL) {
        close(fd);
        free(c);
        return;
    }
    if (c->tls != NULL) {
        lucid_conn_set_trace_arg(c->tls, c);
    }
    struct epoll_event ev = {
        .events = EPOLLIN | EPOLLRDHUP | EPOLLET, /* EPOLLOUT once needed: send_blocked */
        .data.ptr = c,
    };
    if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        if (c->tls != NULL) {
            lucid_conn_free(c->tls);
        }
        close(fd);
        free(c);
        return;
    }
    c->next = s->conns;
    if (s->conns != NULL) {
        s->conns->prev = c;
    }
    s->conns = c;
    s->conn_count++;
    set_phase(c, tls ? LC_SRV_HANDSHAKE : LC_SRV_REQUEST);
    /* Not read yet: the first bytes often trail the accept, and a recv() now would mostly say
     * EAGAIN. Epoll reports a socket that is already readable when it is added, so the first
     * event comes either way. */
    c->can_read = 0;
    c->can_send = 1;
}

void lc_srv_conn_timer(struct lc_srv_conn *c)
{
    switch (c->phase) {
    case LC_SRV_HANDSHAKE:
        lc_srv_log_error(c, why_handshake_timeout, NULL);
        drop(c);
        break;
    case LC_SRV_REQUEST:
        if (c->in_len > 0 && c->discard == 0) {
            /* RFC 9110 15.5.9: a head that never finished is answered 408. */
            lc_srv_respond_status(c, 408);
            c->in_len = 0;
            set_phase(c, LC_SRV_RESPONSE);
        } else {
            end_idle(c);
        }
        break;
    case LC_SRV_KEEPALIVE:
        end_idle(c);
        break;
    case LC_SRV_RESPONSE:
        lc_srv_log_error(c, why_send_timeout, c->line);
        drop(c);
        break;
    default:
        drop(c);
        break;
    }
    lc_srv_conn_run(c);
}

void lc_srv_conn_stop(struct lc_srv_conn *c)
{
    /* Idle connections end now; a request being read or answered finishes first and its
     * response says "Connection: close" (lc_srv_respond looks at srv->stopping). */
    switch (c->phase) {
    case LC_SRV_HANDSHAKE:
        drop(c);
        break;
    case LC_SRV_REQUEST:
        if (c->in_len == 0) {
            end_idle(c);
        }
        break;
    case LC_SRV_KEEPALIVE:
        end_idle(c);
        break;
    case LC_SRV_RESPONSE:
        c->keep_alive = 0;
        break;
    default:
        break;
    }
    lc_srv_conn_run(c);
}

void lc_srv_conn_free(struct lc_srv_conn *c)
{
    struct lc_srv *s = c->srv;

    lc_srv_unpost(c);
    if (c->prev != NULL) {
        c->prev->next = c->next;
    } else {
        s->conns = c->next;
    }
    if (c->next != NULL) {
        c->next->prev = c->prev;
    }
    s->conn_count--;
    close(c->fd); /* also takes it out of the epoll set */
    if (c->file >= 0) {
        lc_srv_file_put(s, c->file_entry, c->file);
    }
    if (c->tls != NULL) {
        lucid_conn_free(c->tls);
    }
    c->in_len = 0;
    release_in(c);
    free(c->out);
    free(c->line);
    free(c);
}
