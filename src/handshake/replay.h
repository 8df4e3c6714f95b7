/*
 * The anti-replay record for 0-RTT data (RFC 8446 8.2, 8.3).
 *
 * 0-RTT data can be replayed: an attacker who copies a ClientHello and the
 * early data after it can send them again. RFC 8446 8 asks that each server
 * instance accept the same 0-RTT handshake at most once. This record does it
 * by "Client Hello Recording" (8.2) within the freshness window of 8.3: it
 * keeps a fingerprint of each ClientHello whose 0-RTT data was accepted, for
 * as long as that ClientHello would still pass the freshness check, and
 * rejects 0-RTT (never the handshake: 1-RTT goes on) for a ClientHello seen
 * before. The fingerprint is the first 16 bytes of the verified PSK binder, a
 * value only the holder of the PSK can make, which covers the whole
 * ClientHello (8.2: "derive the storage key only from validated sections").
 *
 * Limits, stated:
 * - Size: LC_REPLAY_SLOTS entries of 24 bytes (1.5 MiB), allocated once when 0-RTT is
 *   turned on; nothing grows. An entry lives at most two freshness windows (20 s), so
 *   about LC_REPLAY_SLOTS / 20 s = 3,000 0-RTT handshakes a second fit; a fingerprint
 *   finds a free slot among LC_REPLAY_PROBE from its own, and when none is free 0-RTT is
 *   rejected (safe: the data comes again after the handshake).
 * - Scope: one record per context. The memory is a shared mapping with a process-shared
 *   lock, so worker processes forked after the context was configured share it and a
 *   replay is accepted at most once across all of them; contexts made in each worker,
 *   or on other machines, each keep their own (RFC 8446 8: at most once per instance).
 * - Start: a record knows nothing of what came before it. While any of its first two
 *   windows could still hold a ClientHello that a previous process accepted, 0-RTT
 *   is rejected for tickets issued before the record started (8.2: "when
 *   implementations are freshly started, they SHOULD reject 0-RTT ...").
 */
#ifndef LC_HANDSHAKE_REPLAY_H
#define LC_HANDSHAKE_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#define LC_REPLAY_SLOTS (1u << 16)
#define LC_REPLAY_PROBE 32
#define LC_REPLAY_FP_LEN 16

typedef struct lc_replay lc_replay;

/*
 * A new, empty record in shared memory, started at now_ms (the context's
 * clock). NULL when it cannot be mapped.
 */
lc_replay *lc_replay_new(uint64_t now_ms);
void lc_replay_free(lc_replay *r);

enum lc_replay_verdict {
    LC_REPLAY_FRESH,    /* not seen: recorded now, 0-RTT may be accepted */
    LC_REPLAY_SEEN,     /* a replay: reject 0-RTT */
    LC_REPLAY_FULL,     /* no free slot near it: reject 0-RTT */
    LC_REPLAY_STARTING, /* the ticket is older than the record, which is too young */
};

/*
 * Looks up the fingerprint fp (at least LC_REPLAY_FP_LEN bytes) at now_ms and
 * records it, to be kept until keep_until_ms, when it is new. issued_ms is
 * when the ticket was issued; window_ms the freshness window.
 */
enum lc_replay_verdict lc_replay_check(lc_replay *r, const uint8_t *fp, uint64_t now_ms,
                                       uint64_t keep_until_ms, uint64_t issued_ms,
                                       uint64_t window_ms);

#endif
