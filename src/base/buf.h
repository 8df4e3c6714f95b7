/*
 * A growable byte buffer: the connection's queues (wire bytes out, handshake
 * bytes being reassembled, plaintext waiting to be read).
 *
 * Bytes are appended at the end and consumed from the front. Memory comes into
 * being on the first append and is released (wiped first: it may have held
 * plaintext or handshake secrets' inputs) when the buffer empties, so an idle
 * connection holds none (STYLE 3.7). A cap bounds growth.
 */
#ifndef LC_BASE_BUF_H
#define LC_BASE_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "base/common.h"

typedef struct lc_buf {
    uint8_t *p;   /* NULL while empty */
    size_t off;   /* consumed bytes at the front */
    size_t len;   /* bytes held, from p + off */
    size_t cap;   /* allocated */
    size_t limit; /* most bytes it may hold (0: no limit) */
} lc_buf;

/* The unread bytes. */
static inline const uint8_t *lc_buf_data(const lc_buf *b)
{
    return b->p != NULL ? b->p + b->off : NULL;
}

/* Room for n more bytes at the end, returned; the caller fills them and calls lc_buf_commit. */
LC_MUST_CHECK uint8_t *lc_buf_reserve(lc_buf *b, size_t n);
void lc_buf_commit(lc_buf *b, size_t n);

/* Appends n bytes. LC_E_NO_MEMORY, or LC_E_BUFFER_TOO_SMALL past the limit. */
LC_MUST_CHECK int lc_buf_append(lc_buf *b, const void *p, size_t n);

/* Drops n bytes from the front; an emptied buffer is wiped and freed. */
void lc_buf_consume(lc_buf *b, size_t n);

/* Wipes and frees. */
void lc_buf_free(lc_buf *b);

#endif
