/*
 * A growable byte buffer: the connection's queues (wire bytes out, handshake
 * bytes being reassembled, plaintext waiting to be read).
 *
 * Bytes are appended at the end and consumed from the front. Memory comes into
 * being on the first append and is released when the buffer empties, so an
 * idle connection holds none (STYLE 3.7). A cap bounds growth.
 *
 * Wiping (STYLE 3.5). A buffer that may have held plaintext or handshake
 * secrets' inputs is wiped before its memory is freed or left behind by
 * growth, and only as far as it was ever written (`dirty`), not its whole
 * capacity. A buffer that only ever holds bytes as they go on the wire
 * (protected records, and records that are in the clear by the protocol's
 * design) sets `wire`: there is nothing in it to wipe, and its writers wipe
 * whatever they put in reserved room and did not commit (record/write.c).
 */
#ifndef LC_BASE_BUF_H
#define LC_BASE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/common.h"

typedef struct lc_buf {
    uint8_t *p;    /* NULL while empty */
    size_t off;    /* consumed bytes at the front */
    size_t len;    /* bytes held, from p + off */
    size_t cap;    /* allocated */
    size_t dirty;  /* bytes from p that may have been written since p was allocated */
    size_t limit;  /* most bytes it may hold (0: no limit) */
    bool wire;     /* holds only wire bytes: freed without a wipe (see above) */
} lc_buf;

/*
 * Wipes n bytes at p with explicit_bzero(), which the compiler may not drop as
 * a dead store: the same guarantee as lc_wipe() (OPENSSL_cleanse), which base,
 * below crypto, cannot call, at memset's speed. For plaintext in bulk (record
 * bodies, queues); keys and secrets keep lc_wipe().
 */
static inline void lc_wipe_bytes(void *p, size_t n)
{
    if (p != NULL && n > 0) {
        explicit_bzero(p, n);
    }
}

/* The unread bytes. */
static inline const uint8_t *lc_buf_data(const lc_buf *b)
{
    return b->p != NULL ? b->p + b->off : NULL;
}

/*
 * Room for n more bytes at the end, returned; the caller fills them and calls
 * lc_buf_commit. The room stays valid until the next call that changes b.
 */
LC_MUST_CHECK uint8_t *lc_buf_reserve(lc_buf *b, size_t n);
void lc_buf_commit(lc_buf *b, size_t n);

/* Appends n bytes. LC_E_NO_MEMORY, or LC_E_BUFFER_TOO_SMALL past the limit. */
LC_MUST_CHECK int lc_buf_append(lc_buf *b, const void *p, size_t n);

/* Drops n bytes from the front; an emptied buffer is freed (wiped first unless wire). */
void lc_buf_consume(lc_buf *b, size_t n);

/* Frees, wiping first what was written unless the buffer is wire; limit and wire stay. */
void lc_buf_free(lc_buf *b);

#endif
