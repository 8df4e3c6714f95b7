/*
 * Running a lucid_conn over a blocking file descriptor (a connected socket, or one end of a
 * socketpair), for simple clients and tests; the model is BearSSL's
 * src/ssl/ssl_io.c (run_until). Each call loops on lucid_conn_state(): it sends everything
 * the engine has queued, reads from fd when the engine wants input, and returns once what
 * was asked for is done.
 *
 * Errors: -1, with errno saying which kind. EPROTO: the TLS connection failed, and
 * lucid_conn_error(c) says why (its alert has been sent as far as the socket allowed).
 * ECONNABORTED: the peer closed the connection before the handshake ended or before sending
 * close_notify. Anything else: the socket's own errno from recv() or send().
 * lucid_io_error_text() turns that into one line.
 *
 * The descriptor stays the caller's: these functions never close it. SIGPIPE is never raised
 * on sockets (MSG_NOSIGNAL); a descriptor that is not a socket (a terminal, a character
 * device) is read and written with read() and write().
 */
#ifndef LUCID_IO_H
#define LUCID_IO_H

#include <stddef.h>

#include <lucid/lucid.h>

/* Runs the handshake until the connection can take application data. 0 or -1. */
int lucid_io_handshake(lucid_conn *c, int fd);

/*
 * Reads decrypted application data: the count (1 to cap), 0 once the peer has sent
 * close_notify and nothing is left, or -1. Runs the handshake first if needed.
 */
long lucid_io_read(lucid_conn *c, int fd, void *buf, size_t cap);

/* Writes all of data (running the handshake first if needed) and sends it. 0 or -1. */
int lucid_io_write_all(lucid_conn *c, int fd, const void *data, size_t len);

/* Queues close_notify (RFC 8446 6.1) and sends it, with anything else pending. 0 or -1. */
int lucid_io_close(lucid_conn *c, int fd);

/* One line for a failure of the calls above, given their errno: Lucid's message for EPROTO,
 * a sentence for ECONNABORTED, strerror() otherwise. Valid until c changes. */
const char *lucid_io_error_text(const lucid_conn *c, int err);

#endif
