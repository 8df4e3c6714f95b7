/*
 * Helpers shared by the extension tests (tests/unit/msg/ext/ *_test.c).
 *
 * Real extension bodies come from the RFC 8448 messages, read by the loader
 * from the RFC's own text: ext_rfc_list() steps over a message's fixed fields
 * to its extension block, and ext_rfc_body() picks one extension's body.
 * ext_check_cuts() then asserts that every prefix of a valid body is
 * decode_error and that one byte more is decode_error too (LC_E_TRAILING).
 * Inputs are copied into buffers of exactly their length, so that a read past
 * the end shows up under AddressSanitizer.
 */
#ifndef LUCID_TEST_EXT_UTIL_H
#define LUCID_TEST_EXT_UTIL_H

#include "test.h"

#include "base/bytes.h"
#include "base/error.h"
#include "msg/ext/ext.h"
#include "rfc8448.h"

/* A decoder under test: decodes the body in r into some static struct. */
typedef int (*ext_decode_fn)(lc_reader *r);

/* Handshake message types (RFC 8446 4) of the messages that carry extensions. */
enum {
    EXT_TEST_CH = 1,
    EXT_TEST_SH = 2,
    EXT_TEST_NST = 4,
    EXT_TEST_EE = 8,
    EXT_TEST_CR = 13,
};

/* Steps r over the fields of a message body that come before its extensions. */
static inline void ext_skip_to_extensions(lc_reader *r, uint8_t msg_type)
{
    lc_reader skip;
    const uint8_t *p;
    uint32_t u32;
    uint16_t u16;

    switch (msg_type) {
    case EXT_TEST_CH: /* legacy_version, random, session_id, suites, compression */
        CHECK_OK(lc_read_bytes(r, 2 + 32, &p));
        CHECK_OK(lc_read_vec(r, 1, 0, 32, &skip));
        CHECK_OK(lc_read_vec(r, 2, 2, 0xfffe, &skip));
        CHECK_OK(lc_read_vec(r, 1, 1, 0xff, &skip));
        break;
    case EXT_TEST_SH: /* legacy_version, random, session_id echo, suite, compression */
        CHECK_OK(lc_read_bytes(r, 2 + 32, &p));
        CHECK_OK(lc_read_vec(r, 1, 0, 32, &skip));
        CHECK_OK(lc_read_u16(r, &u16));
        CHECK_OK(lc_read_bytes(r, 1, &p));
        break;
    case EXT_TEST_NST: /* lifetime, age_add, nonce, ticket */
        CHECK_OK(lc_read_u32(r, &u32));
        CHECK_OK(lc_read_u32(r, &u32));
        CHECK_OK(lc_read_vec(r, 1, 0, 255, &skip));
        CHECK_OK(lc_read_vec(r, 2, 1, 0xffff, &skip));
        break;
    case EXT_TEST_CR: /* certificate_request_context */
        CHECK_OK(lc_read_vec(r, 1, 0, 255, &skip));
        break;
    default: /* EncryptedExtensions: the block is the whole body */
        break;
    }
}

/*
 * The extension block of the nth RFC 8448 message `field` (from the step
 * `step` of `section`), decoded for a message of kind `where`. *block is set
 * to the block's bytes, length prefix included, for comparing re-encodings.
 */
static inline void ext_rfc_list(int section, const char *step, int nth, const char *field,
                                unsigned where, lc_ext_list *out, lc_ext_view *block)
{
    size_t len, min;
    const uint8_t *msg = rfc8448_get(section, step, nth, field, &len);
    lc_reader r;
    uint8_t msg_type;
    uint32_t body_len;

    lc_reader_init(&r, msg, len);
    CHECK_OK(lc_read_u8(&r, &msg_type));
    CHECK_OK(lc_read_u24(&r, &body_len));
    CHECK(body_len == lc_reader_left(&r));
    ext_skip_to_extensions(&r, msg_type);
    block->len = lc_reader_left(&r);
    CHECK_OK(lc_read_bytes(&r, block->len, &block->p));
    lc_reader_init(&r, block->p, block->len);
    min = msg_type == EXT_TEST_CH ? 8 : msg_type == EXT_TEST_SH ? 6 : 0;
    CHECK_OK(lc_ext_list_decode(&r, min, where, out));
    CHECK_OK(lc_reader_done(&r));
}

/* The body of extension `type` in an RFC 8448 message, as ext_rfc_list finds it. */
static inline lc_ext_view ext_rfc_body(int section, const char *step, int nth, const char *field,
                                       unsigned where, uint16_t type)
{
    lc_ext_list list;
    lc_ext_view block, body = { NULL, 0 };
    const lc_ext *e;

    ext_rfc_list(section, step, nth, field, where, &list, &block);
    e = lc_ext_find(&list, type);
    CHECK(e != NULL);
    if (e != NULL) {
        body.p = e->body;
        body.len = e->len;
    }
    return body;
}

/* Shorthands for the RFC 8448 messages the tests use. */
#define EXT_CH "{client} construct a ClientHello handshake message"
#define EXT_SH "{server} construct a ServerHello handshake message"
#define EXT_EE "{server} construct an EncryptedExtensions handshake message"
#define EXT_NST "{server} construct a NewSessionTicket handshake message"
#define EXT_CR "{server} construct a CertificateRequest handshake message"
/*
 * Section 4's "construct a ClientHello" shows the ClientHello before its
 * binders (Truncate, 4.2.11.2); the whole message is the first record sent.
 */
#define EXT_CH4 "{client} send handshake record"

/*
 * Runs fn over a copy of body[0..n) in a buffer of exactly n bytes. The copy
 * lives until the next call, so views the decoder made can still be checked.
 */
static inline int ext_run(ext_decode_fn fn, const uint8_t *body, size_t n)
{
    static uint8_t *copy;
    lc_reader r;

    free(copy);
    copy = calloc(n > 0 ? n : 1, 1);
    if (copy == NULL) {
        abort();
    }
    if (n > 0) {
        memcpy(copy, body, n);
    }
    lc_reader_init(&r, copy, n);
    return fn(&r);
}

/* Runs fn over a hex body. */
static inline int ext_run_hex(ext_decode_fn fn, const char *hex)
{
    uint8_t buf[1024];
    size_t n = test_hex(hex, buf, sizeof(buf));

    return ext_run(fn, buf, n);
}

/*
 * Every strict prefix of a valid body is LC_E_DECODE (a length or a field runs
 * past the end), and the body with one more byte is LC_E_TRAILING.
 */
static inline void ext_check_cuts(ext_decode_fn fn, const uint8_t *body, size_t n)
{
    uint8_t *longer = malloc(n + 1);

    if (longer == NULL) {
        abort();
    }
    CHECK_OK(ext_run(fn, body, n));
    for (size_t i = 0; i < n; i++) {
        int rc = ext_run(fn, body, i);

        if (rc != LC_E_DECODE) {
            fprintf(stderr, "  prefix of %zu of %zu bytes:\n", i, n);
        }
        CHECK_RC(rc, LC_E_DECODE);
    }
    if (n > 0) {
        memcpy(longer, body, n);
    }
    longer[n] = 0x00;
    CHECK_RC(ext_run(fn, longer, n + 1), LC_E_TRAILING);
    free(longer);
}

/* Encodes with fn-like code into buf and checks the bytes equal want. */
#define EXT_CHECK_ENCODES(call, w, want, wantlen)                                             \
    do {                                                                                      \
        CHECK_OK(call);                                                                       \
        CHECK_MEM((w)->buf, (w)->len, (want), (wantlen));                                     \
    } while (0)

#endif
