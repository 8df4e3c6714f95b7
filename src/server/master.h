/*
 * The master process of lucid-server: it owns the listening sockets and runs one worker
 * process per core (nginx's model), each a struct lc_srv event loop.
 *
 *   - Sockets: for every address, one socket per worker slot, all bound with SO_REUSEPORT,
 *     so the kernel spreads connections over the workers and no two workers wake for one
 *     connection. The master keeps every socket open for as long as its address is
 *     configured, so a worker that exits (reload, crash) never takes queued connections with
 *     it: the next worker of its slot accepts them.
 *   - SIGTERM, SIGINT: the workers stop accepting, finish the responses under way (10 s at
 *     most), close, and the master exits 0 once they are gone. A second signal stops at once.
 *   - SIGHUP: the configuration is loaded again; if it is good, new workers start with it
 *     (new certificates, sites, settings) and the old ones stop gracefully: open connections
 *     finish on the old workers while new connections go to the new ones. A bad
 *     configuration is reported and the old one keeps running.
 *   - A worker that dies is started again (at most once a second per slot). Workers that die
 *     at once on the first start mean the configuration cannot run: the master exits 1.
 */
#ifndef LC_SERVER_MASTER_H
#define LC_SERVER_MASTER_H

#include <stddef.h>
#include <stdio.h>

#include "server/server.h"

struct lc_srv_master_ops {
    /* Loads the configuration (at start, and again on each SIGHUP): NULL with one line in
     * err when it cannot be used. */
    const struct lc_srv_config *(*load)(void *arg, char *err, size_t errlen);
    /* Gives back what load returned. */
    void (*release)(void *arg, const struct lc_srv_config *cfg);
    void *arg;
    FILE *out; /* "listening on" and "reloaded" lines (stdout); errors go to stderr */
};

/* Runs until SIGTERM or SIGINT: 0 then, or -1 with err set when the first configuration
 * cannot be loaded, bound or run. */
int lc_srv_master_run(const struct lc_srv_master_ops *ops, char *err, size_t errlen);

/* worker_processes auto: the CPUs this process may run on (sched_getaffinity). */
unsigned lc_srv_cpu_count(void);

#endif
