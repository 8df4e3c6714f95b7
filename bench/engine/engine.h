/*
 * The in-memory engine benchmark, shared by its two harnesses: engine_lucid.c (Lucid's
 * public API, linking liblucid) and engine_openssl.c (OpenSSL's libssl over memory BIOs).
 * Both run a client and a server in one thread with no sockets and time each side's calls
 * apart, so "server handshakes per second" is what one core could do if it did nothing else.
 *
 * Same certificate (the ECDSA P-256 chain given), same group (x25519), same suite
 * (TLS_AES_128_GCM_SHA256) and the same client checks (chain to --ca and the name
 * "localhost", unless --no-verify) on both sides of both harnesses.
 *
 * Output: one line per measurement, key=value pairs, for example
 *   engine=lucid op=full_handshake n=2000 server_us=91.2 client_us=140.3 server_per_s=10964
 *       client_per_s=7127
 *   engine=lucid op=seal_16k n=6400 mb_per_s=3100.2 us_per_record=5.28
 *   engine=lucid op=resumed_handshake status=n/a reason="..."
 * bench/run.py reads these lines; they are meant to be read by people too.
 */
#ifndef BENCH_ENGINE_H
#define BENCH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bench_opts {
    const char *chain; /* PEM: leaf, then intermediate */
    const char *key;
    const char *ca;    /* the root the client trusts */
    double seconds;    /* per measurement */
    bool verify;       /* the client validates the chain and the name */
    int tickets;       /* NewSessionTickets a libssl server sends after a full handshake */
    bool want[8];      /* which ops to run: see bench_op */
};

enum bench_op { OP_FULL, OP_RESUMED, OP_SEAL_1K, OP_OPEN_1K, OP_SEAL_16K, OP_OPEN_16K };

/* Parses the command line (prints usage and exits on a mistake). */
void bench_parse(int argc, char **argv, const char *engine, struct bench_opts *o);

/* Monotonic time in nanoseconds. */
uint64_t bench_ns(void);

/*
 * A stopwatch that adds up the wall time of many separate intervals: one per side. The cost
 * of reading the clock itself (measured once by bench_calibrate) is taken off per interval,
 * since the two harnesses do not time the same number of intervals.
 */
struct bench_clock {
    uint64_t total, started, count;
};
static inline void bench_start(struct bench_clock *c)
{
    c->started = bench_ns();
}
static inline void bench_stop(struct bench_clock *c)
{
    c->total += bench_ns() - c->started;
    c->count++;
}
void bench_calibrate(void);
/* The clock's time in microseconds, less the clock's own cost. */
double bench_clock_us(const struct bench_clock *c);

/*
 * Samples, one per handshake or per batch of records. The figures printed come from the
 * median sample, so a time slice lost to another process on a busy machine does not count;
 * the mean is printed beside it.
 */
struct bench_samples {
    double *v;
    size_t n, cap;
};
void bench_sample(struct bench_samples *s, double v);
/* Adds, as one sample, the time c gained since *before (which is then updated). */
void bench_sample_since(struct bench_samples *s, const struct bench_clock *c,
                        struct bench_clock *before);

/* Prints one handshake line: each side's samples in microseconds per handshake. */
void bench_print_handshakes(const char *engine, const char *op, struct bench_samples *server,
                            struct bench_samples *client, const char *extra);
/* Prints one record line: samples in microseconds per batch of `batch` records of size bytes. */
void bench_print_records(const char *engine, const char *op, struct bench_samples *s,
                         size_t batch, size_t size);
void bench_print_na(const char *engine, const char *op, const char *reason);
/* Prints the failure and exits 1: a benchmark that went wrong must not print a figure. */
void bench_die(const char *engine, const char *what) __attribute__((noreturn));

#endif
