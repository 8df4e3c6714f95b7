/*
 * Tests for src/crypto/random.c: the CSPRNG fills buffers and does not repeat,
 * across pool refills, threads and fork().
 */
#include "test.h"

#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/error.h"
#include "crypto/crypto.h"

static void test_random(void)
{
    uint8_t a[32], b[32], zero[32] = { 0 };

    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    CHECK_OK(lc_random(a, sizeof(a)));
    CHECK_OK(lc_random(b, sizeof(b)));
    /* 2^-256 chances of a false failure */
    CHECK(memcmp(a, zero, sizeof(a)) != 0);
    CHECK(memcmp(a, b, sizeof(a)) != 0);
    CHECK_OK(lc_random(a, 0));
}

/* Draws of every size from 1 to 300 bytes (past the pool's 256-byte limit), many refills:
 * no two 16-byte heads are equal and no draw is all zero. */
static void test_sizes_and_refills(void)
{
    enum { DRAWS = 600 };
    static uint8_t heads[DRAWS][16];
    uint8_t buf[300], zero[300] = { 0 };

    for (size_t i = 0; i < DRAWS; i++) {
        size_t n = 16 + i % 285;
        memset(buf, 0, sizeof(buf));
        CHECK_OK(lc_random(buf, n));
        CHECK(memcmp(buf, zero, n) != 0);
        memcpy(heads[i], buf, 16);
    }
    int repeats = 0;
    for (size_t i = 0; i < DRAWS; i++) {
        for (size_t j = i + 1; j < DRAWS; j++) {
            repeats += memcmp(heads[i], heads[j], 16) == 0;
        }
    }
    CHECK(repeats == 0);
}

/* After fork() parent and child must not hand out the same bytes: the pool is wiped in the
 * child (MADV_WIPEONFORK), so what the parent draws next differs from what the child draws. */
static void test_fork(void)
{
    uint8_t mine[32], theirs[32];
    int fds[2];

    CHECK_OK(lc_random(mine, 1)); /* the pool now holds bytes not drawn yet */
    if (pipe(fds) != 0) {
        CHECK(!"pipe");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        uint8_t out[32];
        int ok = lc_random(out, sizeof(out)) == 0 && write(fds[1], out, sizeof(out)) == 32;
        _exit(ok ? 0 : 1);
    }
    CHECK(pid > 0);
    CHECK_OK(lc_random(mine, sizeof(mine)));
    CHECK(read(fds[0], theirs, sizeof(theirs)) == (ssize_t)sizeof(theirs));
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(memcmp(mine, theirs, sizeof(mine)) != 0);
    close(fds[0]);
    close(fds[1]);
}

/* Each thread has a pool of its own: two threads never see the same bytes. */
static void *draw_in_thread(void *arg)
{
    return lc_random(arg, 32) == 0 ? arg : NULL;
}

static void test_threads(void)
{
    uint8_t a[32], b[32];
    pthread_t ta, tb;

    CHECK(pthread_create(&ta, NULL, draw_in_thread, a) == 0);
    CHECK(pthread_create(&tb, NULL, draw_in_thread, b) == 0);
    void *ra = NULL, *rb = NULL;
    pthread_join(ta, &ra);
    pthread_join(tb, &rb);
    CHECK(ra == a && rb == b);
    CHECK(memcmp(a, b, sizeof(a)) != 0);
}

TEST_MAIN(test_random, test_sizes_and_refills, test_fork, test_threads)
