/*
 * Bounds-checked reading and writing of wire bytes.
 *
 * Every parse in Lucid goes through lc_reader: a view (pointer, bytes left)
 * that only moves forward. Reads past the end fail with LC_E_DECODE, which
 * carries decode_error (RFC 8446 6.2: "a message could not be decoded because
 * some field was out of the specified range or the length of the message was
 * incorrect"). No code above this file does pointer arithmetic on wire bytes.
 *
 * lc_writer fills a caller-provided fixed buffer. Overflow sets a sticky flag
 * that the encoder checks once, with lc_writer_finish(), at the end; a vector's
 * length prefix is reserved by lc_write_vec_begin() and back-patched by
 * lc_write_vec_end(), so nested structures are written in one pass.
 */
#ifndef LC_BASE_BYTES_H
#define LC_BASE_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"

typedef struct lc_reader {
    const uint8_t *p; /* next unread byte */
    size_t left;      /* bytes left to read */
} lc_reader;

void lc_reader_init(lc_reader *r, const uint8_t *p, size_t n);

static inline bool lc_reader_empty(const lc_reader *r)
{
    return r->left == 0;
}

static inline size_t lc_reader_left(const lc_reader *r)
{
    return r->left;
}

LC_MUST_CHECK int lc_read_u8(lc_reader *r, uint8_t *v);
LC_MUST_CHECK int lc_read_u16(lc_reader *r, uint16_t *v);
LC_MUST_CHECK int lc_read_u24(lc_reader *r, uint32_t *v);
LC_MUST_CHECK int lc_read_u32(lc_reader *r, uint32_t *v);

/* A view of the next n bytes (no copy); *out points into the reader's buffer. */
LC_MUST_CHECK int lc_read_bytes(lc_reader *r, size_t n, const uint8_t **out);

/* Copies the next n bytes into out. */
LC_MUST_CHECK int lc_read_copy(lc_reader *r, void *out, size_t n);

/*
 * A length-prefixed vector (RFC 8446 3.4): reads a lenbytes-byte (1, 2 or 3)
 * length, checks min <= length <= max, and makes *sub a reader bounded to the
 * vector's body. A length outside the range or past the end is LC_E_DECODE.
 */
LC_MUST_CHECK int lc_read_vec(lc_reader *r, unsigned lenbytes, size_t min, size_t max,
                              lc_reader *sub);

/*
 * A name<0..cap-1> with a 1-byte length (a server name, an ALPN protocol) into out as a
 * NUL-terminated string; cap is at most 256. A NUL inside is not a name: decode_error.
 */
LC_MUST_CHECK int lc_read_name8(lc_reader *r, char *out, size_t cap);

/* LC_E_TRAILING (decode_error) if bytes are left, else 0. */
LC_MUST_CHECK int lc_reader_done(const lc_reader *r);

typedef struct lc_writer {
    uint8_t *buf;
    size_t cap;
    size_t len;
    bool overflow; /* sticky: set by any write that did not fit */
} lc_writer;

/* A reserved length prefix, returned by lc_write_vec_begin. */
typedef struct lc_vec_mark {
    size_t at;        /* offset of the length prefix in the buffer */
    unsigned lenbytes;
} lc_vec_mark;

void lc_writer_init(lc_writer *w, uint8_t *buf, size_t cap);
void lc_write_u8(lc_writer *w, uint8_t v);
void lc_write_u16(lc_writer *w, uint16_t v);
void lc_write_u24(lc_writer *w, uint32_t v);
void lc_write_u32(lc_writer *w, uint32_t v);
void lc_write_bytes(lc_writer *w, const void *p, size_t n);

/* Reserves n bytes and returns where they start, or NULL (and overflow) if they do not fit. */
uint8_t *lc_write_reserve(lc_writer *w, size_t n);

/* Reserves a lenbytes-byte length prefix for a vector whose body follows. */
lc_vec_mark lc_write_vec_begin(lc_writer *w, unsigned lenbytes);

/* Back-patches the prefix with the body's length; a length too big for the prefix is overflow. */
void lc_write_vec_end(lc_writer *w, lc_vec_mark m);

/* Writes a whole vector: prefix and body. */
void lc_write_vec(lc_writer *w, unsigned lenbytes, const void *p, size_t n);

/* 0, or LC_E_BUFFER_TOO_SMALL if any write overflowed. */
LC_MUST_CHECK int lc_writer_finish(const lc_writer *w);

#endif
