/*
 * Bounds-checked reader and writer over byte buffers (see bytes.h).
 *
 * Integers on the wire are big-endian (RFC 8446 3.3). The reader never reads
 * past its count; the writer never writes past its capacity, and remembers
 * that it tried so that an encoder checks for overflow once at the end.
 */
#include "base/bytes.h"

#include <string.h>

#include "base/error.h"

void lc_reader_init(lc_reader *r, const uint8_t *p, size_t n)
{
    r->p = p;
    r->left = n;
}

/* Reads an n-byte (n <= 4) big-endian unsigned integer. */
static int read_uint(lc_reader *r, unsigned n, uint32_t *v)
{
    uint32_t x = 0;

    if (r->left < n) {
        return LC_E_DECODE;
    }
    for (unsigned i = 0; i < n; i++) {
        x = (x << 8) | r->p[i];
    }
    r->p += n;
    r->left -= n;
    *v = x;
    return 0;
}

int lc_read_u8(lc_reader *r, uint8_t *v)
{
    uint32_t x;
    int rc;

    if ((rc = read_uint(r, 1, &x)) != 0) {
        return rc;
    }
    *v = (uint8_t)x;
    return 0;
}

int lc_read_u16(lc_reader *r, uint16_t *v)
{
    uint32_t x;
    int rc;

    if ((rc = read_uint(r, 2, &x)) != 0) {
        return rc;
    }
    *v = (uint16_t)x;
    return 0;
}

int lc_read_u24(lc_reader *r, uint32_t *v)
{
    return read_uint(r, 3, v);
}

int lc_read_u32(lc_reader *r, uint32_t *v)
{
    return read_uint(r, 4, v);
}

int lc_read_bytes(lc_reader *r, size_t n, const uint8_t **out)
{
    if (r->left < n) {
        return LC_E_DECODE;
    }
    *out = r->p;
    r->p += n;
    r->left -= n;
    return 0;
}

int lc_read_copy(lc_reader *r, void *out, size_t n)
{
    const uint8_t *p;
    int rc;

    if ((rc = lc_read_bytes(r, n, &p)) != 0) {
        return rc;
    }
    if (n > 0) {
        memcpy(out, p, n);
    }
    return 0;
}

int lc_read_name8(lc_reader *r, char *out, size_t cap)
{
    lc_reader v;
    int rc;

    if ((rc = lc_read_vec(r, 1, 0, cap - 1, &v)) != 0) {
        return rc;
    }
    if (memchr(v.p, 0, v.left) != NULL) {
        return LC_E_DECODE;
    }
    memcpy(out, v.p, v.left);
    out[v.left] = '\0';
    return 0;
}

int lc_read_vec(lc_reader *r, unsigned lenbytes, size_t min, size_t max, lc_reader *sub)
{
    const uint8_t *body;
    uint32_t len;
    int rc;

    if ((rc = read_uint(r, lenbytes, &len)) != 0) {
        return rc;
    }
    /* RFC 8446 3.4: a vector's length must lie within its declared range. */
    if (len < min || len > max) {
        return LC_E_DECODE;
    }
    if ((rc = lc_read_bytes(r, len, &body)) != 0) {
        return rc;
    }
    lc_reader_init(sub, body, len);
    return 0;
}

int lc_reader_done(const lc_reader *r)
{
    return r->left == 0 ? 0 : LC_E_TRAILING;
}

void lc_writer_init(lc_writer *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->overflow = false;
}

uint8_t *lc_write_reserve(lc_writer *w, size_t n)
{
    uint8_t *at;

    if (w->overflow || w->cap - w->len < n) {
        w->overflow = true;
        return NULL;
    }
    at = w->buf + w->len;
    w->len += n;
    return at;
}

static void write_uint(lc_writer *w, unsigned n, uint32_t v)
{
    uint8_t *at = lc_write_reserve(w, n);

    if (at == NULL) {
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        at[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    }
}

void lc_write_u8(lc_writer *w, uint8_t v)
{
    write_uint(w, 1, v);
}

void lc_write_u16(lc_writer *w, uint16_t v)
{
    write_uint(w, 2, v);
}

void lc_write_u24(lc_writer *w, uint32_t v)
{
    write_uint(w, 3, v);
}

void lc_write_u32(lc_writer *w, uint32_t v)
{
    write_uint(w, 4, v);
}

void lc_write_bytes(lc_writer *w, const void *p, size_t n)
{
    uint8_t *at = lc_write_reserve(w, n);

    if (at != NULL && n > 0) {
        memcpy(at, p, n);
    }
}

lc_vec_mark lc_write_vec_begin(lc_writer *w, unsigned lenbytes)
{
    lc_vec_mark m = { .at = w->len, .lenbytes = lenbytes };

    write_uint(w, lenbytes, 0);
    return m;
}

void lc_write_vec_end(lc_writer *w, lc_vec_mark m)
{
    size_t body;

    if (w->overflow) {
        return;
    }
    body = w->len - m.at - m.lenbytes;
    if (m.lenbytes < 4 && body >= ((size_t)1 << (8 * m.lenbytes))) {
        w->overflow = true; /* the body does not fit its length prefix */
        return;
    }
    for (unsigned i = 0; i < m.lenbytes; i++) {
        w->buf[m.at + i] = (uint8_t)(body >> (8 * (m.lenbytes - 1 - i)));
    }
}

void lc_write_vec(lc_writer *w, unsigned lenbytes, const void *p, size_t n)
{
    lc_vec_mark m = lc_write_vec_begin(w, lenbytes);

    lc_write_bytes(w, p, n);
    lc_write_vec_end(w, m);
}

int lc_writer_finish(const lc_writer *w)
{
    return w->overflow ? LC_E_BUFFER_TOO_SMALL : 0;
}
