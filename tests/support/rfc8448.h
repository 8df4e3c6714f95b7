/*
 * RFC 8448 as data: the test vectors read straight from the RFC's own text
 * (tests/vectors/rfc8448.txt, a copy of the RFC), so no hex is typed by hand.
 *
 * The RFC is a sequence of steps per section, each opening with a line such as
 *     {server}  derive secret for handshake "tls13 s hs traffic":
 * and followed by fields such as
 *     PRK (32 octets):  ... hex ...
 * A step's description is its opening text up to the colon, whitespace collapsed
 * to single spaces, with the leading "{client}" / "{server}" kept.
 */
#ifndef LUCID_TEST_RFC8448_H
#define LUCID_TEST_RFC8448_H

#include <stddef.h>
#include <stdint.h>

#define RFC8448_MAX_FIELDS 8

struct rfc8448_field {
    const char *name; /* "PRK", "expanded", "payload", "complete record", "ClientHello", ... */
    uint8_t *data;
    size_t len;
};

struct rfc8448_step {
    int section;      /* 3 to 7 (section 2's RSA key is section 2) */
    const char *desc; /* e.g. "{server} derive secret for handshake \"tls13 s hs traffic\"" */
    size_t nfields;
    struct rfc8448_field field[RFC8448_MAX_FIELDS];
};

/* Loads tests/vectors/rfc8448.txt (relative to the tests/ directory ctest runs in) once. */
void rfc8448_load(void);

/* The steps of a section, in RFC order. */
size_t rfc8448_count(int section);
const struct rfc8448_step *rfc8448_step(int section, size_t i);

/*
 * The field `field` of the nth (0-based) step of `section` whose description
 * contains `step` (a substring after whitespace is collapsed). Aborts the test
 * binary when absent: that is a mistake in the test, not in the code under test.
 */
const uint8_t *rfc8448_get(int section, const char *step, int nth, const char *field,
                           size_t *len);

#endif
