/*
 * The anti-replay record (replay.h; RFC 8446 8.2, 8.3).
 *
 * Implementation notes. A fixed table of slots, open addressing: a
 * fingerprint's home slot is its first four bytes (an HMAC output, so spread
 * evenly) modulo the table size, and it may sit in any of the LC_REPLAY_PROBE
 * slots from there. A slot whose keep-until time has passed is free. A lookup
 * scans all the probe slots for a live copy before it takes the first free
 * one, so entries never move and nothing is ever deleted: time frees them.
 * The table lives in a MAP_SHARED anonymous mapping behind a robust,
 * process-shared mutex, so processes forked from the one that made it share
 * it, and one that dies holding the lock does not wedge the others.
 */
#include "handshake/replay.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>

struct slot {
    uint8_t fp[LC_REPLAY_FP_LEN];
    uint64_t keep_until_ms; /* 0: never used */
};

struct lc_replay {
    pthread_mutex_t lock;
    uint64_t start_ms; /* when the record was made: what came before is not known here */
    struct slot slot[LC_REPLAY_SLOTS];
};

lc_replay *lc_replay_new(uint64_t now_ms)
{
    pthread_mutexattr_t attr;
    lc_replay *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                        -1, 0);
    int rc;

    if (r == MAP_FAILED) {
        return NULL;
    }
    /* the mapping starts zeroed: every slot free */
    r->start_ms = now_ms;
    if (pthread_mutexattr_init(&attr) != 0) {
        munmap(r, sizeof(*r));
        return NULL;
    }
    rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    rc = rc != 0 ? rc : pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    rc = rc != 0 ? rc : pthread_mutex_init(&r->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    if (rc != 0) {
        munmap(r, sizeof(*r));
        return NULL;
    }
    return r;
}

void lc_replay_free(lc_replay *r)
{
    if (r != NULL) {
        /* other processes may still use the mapping: the lock is left as it is */
        munmap(r, sizeof(*r));
    }
}

static void lock(lc_replay *r)
{
    /* a holder that died left the table as it was between two whole updates at worst */
    if (pthread_mutex_lock(&r->lock) == EOWNERDEAD) {
        pthread_mutex_consistent(&r->lock);
    }
}

static enum lc_replay_verdict check_locked(lc_replay *r, const uint8_t *fp, uint64_t now_ms,
                                           uint64_t keep_until_ms, uint64_t issued_ms,
                                           uint64_t window_ms)
{
    uint32_t home = (uint32_t)fp[0] << 24 | (uint32_t)fp[1] << 16 | (uint32_t)fp[2] << 8 | fp[3];
    struct slot *free_slot = NULL;

    /* RFC 8446 8.2: a ticket older than the record may have been used before it existed; a
     * replay of that stays fresh for up to two windows after (8.3) */
    if (issued_ms < r->start_ms && now_ms < r->start_ms + 2 * window_ms) {
        return LC_REPLAY_STARTING;
    }
    for (uint32_t i = 0; i < LC_REPLAY_PROBE; i++) {
        struct slot *s = &r->slot[(home + i) % LC_REPLAY_SLOTS];
        bool live = s->keep_until_ms > now_ms;

        if (live && memcmp(s->fp, fp, LC_REPLAY_FP_LEN) == 0) {
            return LC_REPLAY_SEEN;
        }
        if (!live && free_slot == NULL) {
            free_slot = s;
        }
    }
    if (free_slot == NULL) {
        return LC_REPLAY_FULL;
    }
    memcpy(free_slot->fp, fp, LC_REPLAY_FP_LEN);
    free_slot->keep_until_ms = keep_until_ms;
    return LC_REPLAY_FRESH;
}

enum lc_replay_verdict lc_replay_check(lc_replay *r, const uint8_t *fp, uint64_t now_ms,
                                       uint64_t keep_until_ms, uint64_t issued_ms,
                                       uint64_t window_ms)
{
    enum lc_replay_verdict v;

    lock(r);
    v = check_locked(r, fp, now_ms, keep_until_ms, issued_ms, window_ms);
    pthread_mutex_unlock(&r->lock);
    return v;
}
