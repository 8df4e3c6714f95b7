/* Tests for src/server/log.c: what a client sent reaches the logs escaped and bounded. */
#include "test.h"

#include "server/internal.h"

static void test_copy_line(void)
{
    char out[32];

    lc_srv_copy_line(out, sizeof(out), "GET / HTTP/1.1", 14);
    CHECK(strcmp(out, "GET / HTTP/1.1") == 0);
    /* Quotes, backslashes, controls and non-ASCII bytes become \xHH. */
    lc_srv_copy_line(out, sizeof(out), "a\"b\\c\n\x1b\xff", 8);
    CHECK(strcmp(out, "a\\x22b\\x5cc\\x0a\\x1b\\xff") == 0);
    /* Too long: cut, and marked so. */
    char big[100];
    memset(big, 'x', sizeof(big));
    lc_srv_copy_line(out, sizeof(out), big, sizeof(big));
    CHECK(strlen(out) < sizeof(out));
    CHECK(strcmp(out + strlen(out) - 3, "...") == 0);
    lc_srv_copy_line(out, sizeof(out), "", 0);
    CHECK(out[0] == '\0');
}

TEST_MAIN(test_copy_line)
