/*
 * The growable byte buffer (see buf.h).
 *
 * Implementation notes: consumed bytes stay at the front until the next
 * reserve needs the room, then the live bytes move down (one memmove per
 * refill, not per consume). A new block is as big as the bytes it must hold,
 * or twice the old one if that is more, so that a burst of records written
 * in one call grows the buffer once (record/write.c reserves the whole burst)
 * and a stream of small appends still grows geometrically.
 *
 * Wiping covers [0, dirty): every byte reserve ever handed out since the block
 * was allocated, committed or not, and nothing past it (lc_wipe_bytes, buf.h).
 */
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* The first block: small enough for a handshake message or an alert, grown on demand. */
#define BUF_MIN_CAP 256

static void wipe_dirty(lc_buf *b)
{
    if (!b->wire) {
        lc_wipe_bytes(b->p, b->dirty);
    }
    b->dirty = 0;
}

/* A new block of at least need bytes holding the live bytes at its front. */
static int grow(lc_buf *b, size_t need)
{
    size_t cap = need;
    uint8_t *p;

    if (cap < BUF_MIN_CAP) {
        cap = BUF_MIN_CAP;
    }
    if (b->cap <= SIZE_MAX / 2 && cap < 2 * b->cap) {
        cap = 2 * b->cap;
    }
    if (b->wire && b->p != NULL) {
        /* Nothing to wipe: realloc may extend the block where it is. */
        if (b->off > 0) {
            memmove(b->p, b->p + b->off, b->len);
            b->off = 0;
        }
        if ((p = realloc(b->p, cap)) == NULL) {
            return LC_E_NO_MEMORY;
        }
    } else {
        /* A fresh block, so that the old one can be wiped before it is freed. */
        if ((p = malloc(cap)) == NULL) {
            return LC_E_NO_MEMORY;
        }
        if (b->p != NULL) {
            memcpy(p, b->p + b->off, b->len);
            wipe_dirty(b);
            free(b->p);
        }
        b->off = 0;
    }
    b->p = p;
    b->cap = cap;
    b->dirty = b->len;
    return 0;
}

uint8_t *lc_buf_reserve(lc_buf *b, size_t n)
{
    if (b->limit != 0 && (n > b->limit || b->len > b->limit - n)) {
        return NULL;
    }
    if (b->p == NULL || b->cap - b->off - b->len < n) {
        if (b->p != NULL && b->off > 0 && b->cap - b->len >= n) {
            /* The bytes behind the moved ones stay within dirty and are wiped with it. */
            memmove(b->p, b->p + b->off, b->len);
            b->off = 0;
        } else if (n > SIZE_MAX - b->len || grow(b, b->len + n) != 0) {
            return NULL;
        }
    }
    if (b->dirty < b->off + b->len + n) {
        b->dirty = b->off + b->len + n;
    }
    return b->p + b->off + b->len;
}

void lc_buf_commit(lc_buf *b, size_t n)
{
    b->len += n;
}

int lc_buf_append(lc_buf *b, const void *p, size_t n)
{
    uint8_t *at;

    if (n == 0) {
        return 0;
    }
    if ((at = lc_buf_reserve(b, n)) == NULL) {
        return b->limit != 0 && b->len + n > b->limit ? LC_E_BUFFER_TOO_SMALL : LC_E_NO_MEMORY;
    }
    memcpy(at, p, n);
    lc_buf_commit(b, n);
    return 0;
}

void lc_buf_consume(lc_buf *b, size_t n)
{
    if (n >= b->len) {
        lc_buf_free(b);
        return;
    }
    b->off += n;
    b->len -= n;
}

void lc_buf_free(lc_buf *b)
{
    size_t limit = b->limit;
    bool wire = b->wire;

    if (b->p != NULL) {
        wipe_dirty(b);
        free(b->p);
    }
    memset(b, 0, sizeof(*b));
    b->limit = limit;
    b->wire = wire;
}
