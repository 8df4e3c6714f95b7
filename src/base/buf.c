/*
 * The growable byte buffer (see buf.h).
 *
 * Implementation notes: consumed bytes stay at the front until the next
 * reserve needs the room, then the live bytes move down (one memmove per
 * refill, not per consume). Growth doubles. Freed memory is wiped first with
 * a volatile loop: base sits below crypto, so it cannot call lc_wipe().
 */
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;

    while (n-- > 0) {
        *v++ = 0;
    }
}

uint8_t *lc_buf_reserve(lc_buf *b, size_t n)
{
    size_t need;

    if (b->limit != 0 && (n > b->limit || b->len > b->limit - n)) {
        return NULL;
    }
    if (b->cap - b->off - b->len >= n && b->p != NULL) {
        return b->p + b->off + b->len;
    }
    if (b->off > 0 && b->cap - b->len >= n) {
        memmove(b->p, b->p + b->off, b->len);
        wipe(b->p + b->len, b->off);
        b->off = 0;
        return b->p + b->len;
    }
    need = b->len + n;
    {
        size_t cap = b->cap > 0 ? b->cap : 256;
        uint8_t *p;

        while (cap < need) {
            cap *= 2;
        }
        /* a fresh block, so the old one can be wiped before it is freed */
        if ((p = malloc(cap)) == NULL) {
            return NULL;
        }
        if (b->p != NULL) {
            memcpy(p, b->p + b->off, b->len);
            wipe(b->p, b->cap);
            free(b->p);
        }
        b->p = p;
        b->cap = cap;
        b->off = 0;
    }
    return b->p + b->len;
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

    if (b->p != NULL) {
        wipe(b->p, b->cap);
        free(b->p);
    }
    memset(b, 0, sizeof(*b));
    b->limit = limit;
}
