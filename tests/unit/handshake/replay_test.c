/*
 * Tests for src/handshake/replay.c, the 0-RTT anti-replay record (RFC 8446
 * 8.2, 8.3): a fingerprint is accepted once while it is kept, again once it
 * has expired; a full neighbourhood refuses; a young record refuses older
 * tickets; and processes forked after it was made share it.
 */
#include "test.h"

#include <sys/wait.h>
#include <unistd.h>

#include "handshake/replay.h"

#define W 10000u
#define T 1000000ull

static void fp(uint8_t out[32], uint32_t home, uint32_t n)
{
    memset(out, 0, 32);
    out[0] = (uint8_t)(home >> 24);
    out[1] = (uint8_t)(home >> 16);
    out[2] = (uint8_t)(home >> 8);
    out[3] = (uint8_t)home;
    memcpy(out + 4, &n, sizeof(n));
}

static void test_once(void)
{
    lc_replay *r = lc_replay_new(T);
    uint8_t a[32], b[32];

    fp(a, 7, 1);
    fp(b, 7, 2);
    CHECK(lc_replay_check(r, a, T + 10, T + 20000, T, W) == LC_REPLAY_FRESH);
    CHECK(lc_replay_check(r, a, T + 11, T + 20000, T, W) == LC_REPLAY_SEEN);
    CHECK(lc_replay_check(r, b, T + 12, T + 20000, T, W) == LC_REPLAY_FRESH);
    CHECK(lc_replay_check(r, a, T + 19999, T + 40000, T, W) == LC_REPLAY_SEEN);
    /* once its keep-until time has passed, the slot is free: out of the window anyway */
    CHECK(lc_replay_check(r, a, T + 20000, T + 40000, T, W) == LC_REPLAY_FRESH);
    CHECK(lc_replay_check(r, a, T + 20001, T + 40000, T, W) == LC_REPLAY_SEEN);
    lc_replay_free(r);
}

static void test_full(void)
{
    lc_replay *r = lc_replay_new(T);
    uint8_t f[32];

    /* LC_REPLAY_PROBE fingerprints with the same home slot fill its neighbourhood */
    for (uint32_t i = 0; i < LC_REPLAY_PROBE; i++) {
        fp(f, 100, i);
        CHECK(lc_replay_check(r, f, T, T + 100, T, W) == LC_REPLAY_FRESH);
    }
    fp(f, 100, 999);
    CHECK(lc_replay_check(r, f, T + 1, T + 100, T, W) == LC_REPLAY_FULL);
    /* a neighbour further on still finds room past it */
    fp(f, 100 + LC_REPLAY_PROBE, 1);
    CHECK(lc_replay_check(r, f, T + 1, T + 100, T, W) == LC_REPLAY_FRESH);
    /* and when they expire, the slots come back; the last slot of the table wraps */
    fp(f, 100, 999);
    CHECK(lc_replay_check(r, f, T + 100, T + 200, T, W) == LC_REPLAY_FRESH);
    fp(f, LC_REPLAY_SLOTS - 1, 5);
    CHECK(lc_replay_check(r, f, T, T + 100, T, W) == LC_REPLAY_FRESH);
    CHECK(lc_replay_check(r, f, T, T + 100, T, W) == LC_REPLAY_SEEN);
    lc_replay_free(r);
}

static void test_young_record(void)
{
    lc_replay *r = lc_replay_new(T);
    uint8_t f[32];

    fp(f, 1, 1);
    /* a ticket from before the record, while a replay of its use could still be fresh */
    CHECK(lc_replay_check(r, f, T + 2 * W - 1, T + 3 * W, T - 1, W) == LC_REPLAY_STARTING);
    CHECK(lc_replay_check(r, f, T + 2 * W, T + 3 * W, T - 1, W) == LC_REPLAY_FRESH);
    /* a ticket issued since the record started is fine at once */
    fp(f, 1, 2);
    CHECK(lc_replay_check(r, f, T + 1, T + W, T, W) == LC_REPLAY_FRESH);
    lc_replay_free(r);
}

/* A worker forked after the record was made sees what another accepted. */
static void test_shared_across_fork(void)
{
    lc_replay *r = lc_replay_new(T);
    uint8_t f[32];
    int status = -1;
    pid_t pid;

    fp(f, 42, 42);
    pid = fork();
    if (pid == 0) {
        _exit(lc_replay_check(r, f, T + 5, T + 20000, T, W) == LC_REPLAY_FRESH ? 0 : 1);
    }
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(lc_replay_check(r, f, T + 6, T + 20000, T, W) == LC_REPLAY_SEEN);
    lc_replay_free(r);
}

TEST_MAIN(test_once, test_full, test_young_record, test_shared_across_fork)
