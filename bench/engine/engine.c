/* Options, time and output for both engine harnesses (engine.h says what they measure). */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const op_names[] = { [OP_FULL] = "full", [OP_RESUMED] = "resumed",
                                        [OP_SEAL_1K] = "seal_1k", [OP_OPEN_1K] = "open_1k",
                                        [OP_SEAL_16K] = "seal_16k", [OP_OPEN_16K] = "open_16k" };
#define NOPS (sizeof(op_names) / sizeof(op_names[0]))

static void usage(const char *engine)
{
    fprintf(stderr,
            "usage: engine_%s --chain CHAIN.pem --key KEY.pem --ca ROOT.pem [--seconds S]\n"
            "       [--no-verify] [--tickets N]\n"
            "       [--ops full,resumed,seal_1k,open_1k,seal_16k,open_16k]\n"
            "Runs a client and a server in memory and times each side (bench/engine/engine.h).\n",
            engine);
    exit(2);
}

void bench_parse(int argc, char **argv, const char *engine, struct bench_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->seconds = 2.0;
    o->verify = true;
    o->tickets = 2; /* OpenSSL's default, and so nginx's */
    for (size_t i = 0; i < NOPS; i++) {
        o->want[i] = true;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--no-verify") == 0) {
            o->verify = false;
            continue;
        }
        if (i + 1 >= argc) {
            usage(engine);
        }
        const char *v = argv[++i];
        if (strcmp(a, "--chain") == 0) {
            o->chain = v;
        } else if (strcmp(a, "--key") == 0) {
            o->key = v;
        } else if (strcmp(a, "--ca") == 0) {
            o->ca = v;
        } else if (strcmp(a, "--seconds") == 0) {
            o->seconds = atof(v);
        } else if (strcmp(a, "--tickets") == 0) {
            o->tickets = atoi(v);
        } else if (strcmp(a, "--ops") == 0) {
            memset(o->want, 0, sizeof(o->want));
            char list[256];
            snprintf(list, sizeof(list), "%s", v);
            for (char *save, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                size_t k;
                for (k = 0; k < NOPS && strcmp(t, op_names[k]) != 0; k++) {
                }
                if (k == NOPS) {
                    fprintf(stderr, "engine_%s: unknown op '%s'\n", engine, t);
                    usage(engine);
                }
                o->want[k] = true;
            }
        } else {
            usage(engine);
        }
    }
    if (!o->chain || !o->key || !o->ca || o->seconds <= 0) {
        usage(engine);
    }
}

uint64_t bench_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double clock_cost_ns;

void bench_calibrate(void)
{
    struct bench_clock c = { 0 };

    for (int i = 0; i < 200000; i++) {
        bench_start(&c);
        bench_stop(&c);
    }
    clock_cost_ns = (double)c.total / (double)c.count;
}

double bench_clock_us(const struct bench_clock *c)
{
    double ns = (double)c->total - clock_cost_ns * (double)c->count;
    return ns > 0 ? ns / 1e3 : 0;
}

void bench_sample(struct bench_samples *s, double v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->v = realloc(s->v, s->cap * sizeof(*s->v));
        if (s->v == NULL) {
            bench_die("bench", "out of memory");
        }
    }
    s->v[s->n++] = v;
}

void bench_sample_since(struct bench_samples *s, const struct bench_clock *c,
                        struct bench_clock *before)
{
    struct bench_clock d = { .total = c->total - before->total, .count = c->count - before->count };

    bench_sample(s, bench_clock_us(&d));
    *before = *c;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(struct bench_samples *s)
{
    if (s->n == 0) {
        bench_die("bench", "no samples");
    }
    qsort(s->v, s->n, sizeof(*s->v), cmp_double);
    return s->n % 2 ? s->v[s->n / 2] : (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
}

static double mean(const struct bench_samples *s)
{
    double sum = 0;

    for (size_t i = 0; i < s->n; i++) {
        sum += s->v[i];
    }
    return sum / (double)s->n;
}

void bench_print_handshakes(const char *engine, const char *op, struct bench_samples *server,
                            struct bench_samples *client, const char *extra)
{
    double s_us = median(server), c_us = median(client);

    printf("engine=%s op=%s n=%zu server_us=%.1f client_us=%.1f server_per_s=%.0f "
           "client_per_s=%.0f server_mean_us=%.1f client_mean_us=%.1f clock_ns=%.0f%s%s\n",
           engine, op, server->n, s_us, c_us, 1e6 / s_us, 1e6 / c_us, mean(server),
           mean(client), clock_cost_ns, extra[0] ? " " : "", extra);
    fflush(stdout);
}

void bench_print_records(const char *engine, const char *op, struct bench_samples *s,
                         size_t batch, size_t size)
{
    double us = median(s) / (double)batch; /* per record */

    printf("engine=%s op=%s n=%zu record=%zu mb_per_s=%.1f us_per_record=%.3f "
           "mean_mb_per_s=%.1f\n",
           engine, op, s->n * batch, size, (double)size / us, us,
           (double)size / (mean(s) / (double)batch));
    fflush(stdout);
}

void bench_print_na(const char *engine, const char *op, const char *reason)
{
    printf("engine=%s op=%s status=n/a reason=\"%s\"\n", engine, op, reason);
    fflush(stdout);
}

void bench_die(const char *engine, const char *what)
{
    fprintf(stderr, "engine_%s: %s\n", engine, what);
    exit(1);
}
