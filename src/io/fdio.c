/*
 * A blocking loop around the sans-IO engine (see fdio.h), after BearSSL's run_until in
 * src/ssl/ssl_io.c: send what is pending, stop if the state asked for is reached, fail if the
 * connection closed, otherwise read more from the peer, and go round again. Sending always
 * comes first, so an alert or a handshake flight is on the wire before we wait for an answer.
 */
#include <lucid/io.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Bytes read per call: one full TLS record's worth. */
#define FDIO_CHUNK 16384

static const char text_aborted[] = "the peer closed the connection without close_notify";
static const char text_stalled[] = "the TLS engine has nothing to send and wants no input";

/* send(), or write() when fd is not a socket (a pipe in a test). */
static ssize_t put(int fd, const uint8_t *p, size_t n)
{
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

    if (w < 0 && errno == ENOTSOCK) {
        w = write(fd, p, n);
    }
    return w;
}

static ssize_t get(int fd, uint8_t *p, size_t n)
{
    ssize_t r = recv(fd, p, n, 0);

    if (r < 0 && errno == ENOTSOCK) {
        r = read(fd, p, n);
    }
    return r;
}

/* Sends everything the engine has queued. */
static int flush(lucid_conn *c, int fd)
{
    const uint8_t *p;
    size_t n;

    while ((n = lucid_conn_pending(c, &p)) > 0) {
        ssize_t w = put(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        lucid_conn_consume(c, (size_t)w);
    }
    return 0;
}

/* Reads once from fd and feeds what came; a failure of the engine shows in its state. */
static int pull(lucid_conn *c, int fd)
{
    uint8_t buf[FDIO_CHUNK];

    for (;;) {
        ssize_t r = get(fd, buf, sizeof(buf));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            errno = ECONNABORTED;
            return -1;
        }
        (void)lucid_conn_feed(c, buf, (size_t)r);
        return 0;
    }
}

/* The connection closed while something else was wanted. */
static int closed(const lucid_conn *c)
{
    errno = lucid_conn_error(c)->code != 0 ? EPROTO : ECONNABORTED;
    return -1;
}

/* Drives c until its state has one of the bits in want. */
static int run_until(lucid_conn *c, int fd, unsigned want)
{
    for (;;) {
        if (flush(c, fd) != 0) {
            return -1;
        }
        unsigned st = lucid_conn_state(c);
        if (st & want) {
            return 0;
        }
        if (st & LUCID_CLOSED) {
            return closed(c);
        }
        if (!(st & LUCID_WANT_INPUT)) {
            errno = EIO; /* an engine that neither sends nor reads would loop for ever */
            return -1;
        }
        if (pull(c, fd) != 0) {
            return -1;
        }
    }
}

int lucid_io_handshake(lucid_conn *c, int fd)
{
    return run_until(c, fd, LUCID_CAN_WRITE);
}

/* What lucid_conn_read's -1 means: 0 after close_notify (code 0), else -1 with EPROTO. */
static long read_closed(lucid_conn *c, int fd)
{
    /* Anything still pending (our own close_notify, an alert) goes out first. */
    if (flush(c, fd) != 0) {
        return -1;
    }
    if (lucid_conn_error(c)->code != 0) {
        errno = EPROTO;
        return -1;
    }
    return 0;
}

long lucid_io_read(lucid_conn *c, int fd, void *buf, size_t cap)
{
    for (;;) {
        long n = lucid_conn_read(c, buf, cap);
        if (n > 0) {
            return n;
        }
        if (n < 0) {
            return read_closed(c, fd);
        }
        /* 0: nothing yet, and neither close_notify nor an error came, so more can. This holds
         * after our own close_notify too (RFC 8446 6.1: closing the write side leaves the read
         * side open), which is why the state's WANT_INPUT is not asked here. The handshake, if
         * not done, runs on the way: its flights go out with the flush. */
        if (flush(c, fd) != 0 || pull(c, fd) != 0) {
            return -1;
        }
    }
}

int lucid_io_write_all(lucid_conn *c, int fd, const void *data, size_t len)
{
    const uint8_t *p = data;

    if (run_until(c, fd, LUCID_CAN_WRITE) != 0) {
        return -1;
    }
    /* A record's worth at a time, so the engine's output buffer stays one record deep. */
    while (len > 0) {
        size_t n = len < FDIO_CHUNK ? len : FDIO_CHUNK;
        if (lucid_conn_write(c, p, n) < 0) {
            return closed(c);
        }
        if (flush(c, fd) != 0) {
            return -1;
        }
        p += n;
        len -= n;
    }
    return 0;
}

int lucid_io_close(lucid_conn *c, int fd)
{
    lucid_conn_close(c);
    return flush(c, fd);
}

const char *lucid_io_error_text(const lucid_conn *c, int err)
{
    if (err == EPROTO && lucid_conn_error(c)->code != 0) {
        const lucid_error *e = lucid_conn_error(c);
        return e->message[0] != '\0' ? e->message : lucid_error_name(e->code);
    }
    if (err == ECONNABORTED) {
        return text_aborted;
    }
    if (err == EIO) {
        return text_stalled;
    }
    return strerror(err);
}
