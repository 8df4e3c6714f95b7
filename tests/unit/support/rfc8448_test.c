/*
 * Tests for the RFC 8448 loader (tests/support/rfc8448.c): the vectors every
 * other RFC 8448 test relies on are read whole and with the right lengths.
 */
#include "test.h"

#include "rfc8448.h"

static void test_sections_have_steps(void)
{
    for (int s = 3; s <= 7; s++) {
        CHECK(rfc8448_count(s) > 20);
    }
}

static void test_known_values(void)
{
    size_t len;
    const uint8_t *p;
    uint8_t want[64];
    size_t wlen;

    /* section 3, the client's x25519 private key */
    p = rfc8448_get(3, "{client} create an ephemeral x25519 key pair", 0, "private key", &len);
    wlen = test_hex("49 af 42 ba 7f 79 94 85 2d 71 3e f2 78 4b cb ca a7 91 1d e2 6a dc 56 42"
                    "cb 63 45 40 e7 ea 50 05", want, sizeof(want));
    CHECK_MEM(p, len, want, wlen);

    /* a field whose hex continues across a page break */
    p = rfc8448_get(3, "{client} construct a ClientHello handshake message", 0, "ClientHello",
                    &len);
    CHECK(len == 196 && p[0] == 0x01 && p[195] == 0x01);

    /* a description that wraps onto a second line */
    CHECK(rfc8448_step(3, 0) != NULL);

    /* section 2's RSA modulus: 128 bytes */
    p = rfc8448_get(2, "RSA private key", 0, "modulus (public)", &len);
    CHECK(len == 128 && p[0] == 0xb4 && p[127] == 0x3f);

    /* an empty field */
    p = rfc8448_get(3, "{server} calculate finished \"tls13 finished\"", 0, "hash", &len);
    CHECK(p != NULL && len == 0);
    p = rfc8448_get(3, "{server} calculate finished \"tls13 finished\"", 0, "expanded", &len);
    CHECK(p != NULL && len == 32);
}

TEST_MAIN(test_sections_have_steps, test_known_values)
