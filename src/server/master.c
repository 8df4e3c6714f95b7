/*
 * The master process (master.h): listening sockets, worker processes, signals.
 *
 * The master does no network work and holds no TLS state: it loads and checks the
 * configuration, binds the sockets, forks the workers and then only waits for signals, which
 * arrive through a self-pipe so that all the work happens in the main loop, not in handlers.
 * Each worker builds its own struct lc_srv after the fork, so certificates, keys and every
 * libcrypto object live in the process that uses them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server/internal.h"
#include "server/master.h"

#define MAX_WORKERS 64
#define MAX_ADDRS (2 * LC_SRV_MAX_LISTENERS) /* those of the old and the new configuration */
#define START_GRACE_MS 2000 /* a worker that dies this soon after the first start: fatal */
#define RESTART_GAP_MS 1000 /* a slot's worker is restarted at most this often */

/* One configured address and its sockets, one per worker slot. */
struct addr_socks {
    char addr[128];
    int tls;
    int fds[MAX_WORKERS];
    unsigned nfds;
    int wanted; /* named by the current configuration */
};

struct worker {
    pid_t pid;
    unsigned slot;
    unsigned gen;  /* the configuration it runs */
    int retiring;  /* runs an old configuration: not restarted */
    int told;      /* has been sent SIGTERM */
    uint64_t started_ms;
};

struct master {
    const struct lc_srv_master_ops *ops;
    const struct lc_srv_config *cfg;
    unsigned gen;
    unsigned nworkers;
    struct addr_socks socks[MAX_ADDRS];
    size_t nsocks;
    size_t order[LC_SRV_MAX_LISTENERS]; /* cfg's addresses (lc_srv_config_addrs) -> socks */
    size_t naddrs;
    struct worker workers[2 * MAX_WORKERS];
    size_t nrun;
    uint64_t restart_at[MAX_WORKERS]; /* 0: the slot's worker runs or none is due */
    uint64_t first_start_ms;
    int stopping;
    /* Made once: reloads keep it, so tickets outlive a reload as they do a worker. */
    uint8_t ticket_key[LC_SRV_TICKET_KEY_LEN];
    /* The 0-RTT anti-replay record of every site of every worker, made before the first
     * fork (shared memory): a replayed 0-RTT ClientHello is taken once, whichever worker
     * each copy reaches. Reloads keep it too. */
    lucid_replay *replay;
};

static int sig_pipe[2] = { -1, -1 };
static lc_srv *volatile worker_srv; /* in a worker: the loop its signal handler stops */

unsigned lc_srv_cpu_count(void)
{
    cpu_set_t set;

    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
        return (unsigned)CPU_COUNT(&set);
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static void on_master_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;

    if (write(sig_pipe[1], &b, 1) < 0) {
        /* the pipe is full: signals already wait there */
    }
    errno = saved;
}

static void on_worker_signal(int sig)
{
    (void)sig;
    if (worker_srv != NULL) {
        lc_srv_stop(worker_srv);
    }
}

static void set_handler(int sig, void (*fn)(int))
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = sig == SIGCHLD ? SA_NOCLDSTOP | SA_RESTART : SA_RESTART;
    sigaction(sig, &sa, NULL);
}

static void logf_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_err(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "lucid-server: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static unsigned want_workers(const struct lc_srv_config *cfg)
{
    unsigned n = cfg->workers != 0 ? cfg->workers : lc_srv_cpu_count();

    return n > MAX_WORKERS ? MAX_WORKERS : n;
}

/* The sockets for cfg's addresses, nworkers of each: those already open are kept (so a
 * reload loses no queued connection), the others bound now. */
static int open_sockets(struct master *m, const struct lc_srv_config *cfg, unsigned nworkers,
                        size_t *order, size_t *naddrs, char *err, size_t errlen)
{
    const struct lc_srv_listen *addrs[LC_SRV_MAX_LISTENERS];
    size_t n = lc_srv_config_addrs(cfg, addrs, LC_SRV_MAX_LISTENERS);
    int claimed[MAX_ADDRS] = { 0 };

    for (size_t i = 0; i < n; i++) {
        /* The same address as before keeps its sockets: written the same way counts too, so
         * that a ":0" listener keeps the port the kernel chose across reloads. */
        size_t k = 0;
        while (k < m->nsocks &&
               (claimed[k] || m->socks[k].tls != addrs[i]->tls ||
                !(strcmp(m->socks[k].addr, addrs[i]->addr) == 0 ||
                  lc_srv_same_addr(m->socks[k].addr, addrs[i]->addr)))) {
            k++;
        }
        if (k == m->nsocks) {
            if (m->nsocks == MAX_ADDRS) {
                snprintf(err, errlen, "too many listening addresses");
                return -1;
            }
            struct addr_socks *as = &m->socks[m->nsocks++];
            memset(as, 0, sizeof(*as));
            snprintf(as->addr, sizeof(as->addr), "%s", addrs[i]->addr);
            as->tls = addrs[i]->tls;
        }
        struct addr_socks *as = &m->socks[k];
        claimed[k] = 1;
        if (as->nfds == 0) {
            /* SO_REUSEPORT would let this server share a port that another one (a second
             * lucid-server, an nginx with reuseport) already listens on, each getting half
             * the connections. A socket without it cannot: bind one first, and give up with
             * "Address already in use" as any server would. */
            int probe = lc_srv_bind_socket(as->addr, -1, 0, err, errlen);
            if (probe < 0) {
                return -1;
            }
            int port = lc_srv_socket_port(probe);
            close(probe);
            if (port < 0 || (as->fds[0] = lc_srv_bind_socket(as->addr, port, 1, err, errlen)) < 0) {
                return -1;
            }
            as->nfds = 1;
        }
        while (as->nfds < nworkers) {
            /* The first socket may pick the port (":0"); the others take the same one. */
            int port = as->nfds > 0 ? lc_srv_socket_port(as->fds[0]) : -1;
            int fd = lc_srv_bind_socket(as->addr, port, 1, err, errlen);
            if (fd < 0) {
                return -1;
            }
            as->fds[as->nfds++] = fd;
        }
        order[i] = k;
    }
    *naddrs = n;
    return 0;
}

/* Closes the sockets no configuration uses any more: addresses gone, slots beyond nworkers. */
static void close_unused(struct master *m)
{
    size_t kept = 0;

    for (size_t k = 0; k < m->nsocks; k++) {
        m->socks[k].wanted = 0;
    }
    for (size_t i = 0; i < m->naddrs; i++) {
        m->socks[m->order[i]].wanted = 1;
    }
    for (size_t k = 0; k < m->nsocks; k++) {
        struct addr_socks *as = &m->socks[k];
        unsigned keep = as->wanted ? m->nworkers : 0;
        while (as->nfds > keep) {
            close(as->fds[--as->nfds]);
        }
        if (as->wanted) {
            /* order[] follows the sockets as they move down */
            for (size_t i = 0; i < m->naddrs; i++) {
                if (m->order[i] == k) {
                    m->order[i] = kept;
                }
            }
            m->socks[kept++] = *as;
        }
    }
    m->nsocks = kept;
}

/* In the child: the worker's own loop, on its slot's sockets. Never returns. */
static void run_worker(struct master *m, unsigned slot)
{
    int fds[LC_SRV_MAX_LISTENERS];
    struct lc_srv_config cfg = *m->cfg;
    char err[512];

    cfg.ticket_key = m->ticket_key;
    cfg.replay = m->replay;
    set_handler(SIGTERM, on_worker_signal);
    set_handler(SIGINT, on_worker_signal);
    signal(SIGHUP, SIG_IGN); /* the master reloads; a terminal's hangup reaches it too */
    signal(SIGCHLD, SIG_DFL);
    close(sig_pipe[0]);
    close(sig_pipe[1]);
    for (size_t i = 0; i < m->naddrs; i++) {
        fds[i] = m->socks[m->order[i]].fds[slot];
    }
    cfg.listen_fds = fds;
    lc_srv *srv = lc_srv_new(&cfg, err, sizeof(err));
    /* The master's sockets are not this worker's to keep: lc_srv_new took copies of its own. */
    for (size_t k = 0; k < m->nsocks; k++) {
        for (unsigned f = 0; f < m->socks[k].nfds; f++) {
            close(m->socks[k].fds[f]);
        }
    }
    if (srv == NULL) {
        logf_err("worker %u: %s", slot, err);
        _exit(1);
    }
    worker_srv = srv;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int rc = lc_srv_run(srv);
    worker_srv = NULL;
    lc_srv_free(srv);
    fflush(NULL);
    _exit(rc == 0 ? 0 : 1);
}

static int spawn(struct master *m, unsigned slot)
{
    sigset_t all, old;

    if (m->nrun == sizeof(m->workers) / sizeof(m->workers[0])) {
        return -1;
    }
    fflush(NULL); /* nothing buffered is written twice */
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        run_worker(m, slot);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) {
        logf_err("cannot start worker %u: %s", slot, strerror(errno));
        m->restart_at[slot] = lc_srv_now_ms() + RESTART_GAP_MS;
        return -1;
    }
    struct worker *w = &m->workers[m->nrun++];
    w->pid = pid;
    w->slot = slot;
    w->gen = m->gen;
    w->retiring = 0;
    w->told = 0;
    w->started_ms = lc_srv_now_ms();
    m->restart_at[slot] = 0;
    return 0;
}

/* SIGTERM to the workers (the retiring ones only, if asked) not yet told; with again, to
 * every worker, which makes them stop at once. */
static void stop_workers(struct master *m, int retiring_only, int again)
{
    for (size_t i = 0; i < m->nrun; i++) {
        struct worker *w = &m->workers[i];
        if ((retiring_only && !w->retiring) || (w->told && !again)) {
            continue;
        }
        kill(w->pid, SIGTERM);
        w->told = 1;
    }
}

/* Collects the workers that exited; those not told to stop are due to be started again. */
static int reap(struct master *m, char *err, size_t errlen)
{
    int status;
    pid_t pid;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        size_t i = 0;
        while (i < m->nrun && m->workers[i].pid != pid) {
            i++;
        }
        if (i == m->nrun) {
            continue;
        }
        struct worker w = m->workers[i];
        m->workers[i] = m->workers[--m->nrun];
        if (w.retiring || m->stopping || w.gen != m->gen) {
            continue;
        }
        uint64_t now = lc_srv_now_ms();
        char how[64];
        if (WIFSIGNALED(status)) {
            snprintf(how, sizeof(how), "was killed by signal %d", WTERMSIG(status));
        } else {
            snprintf(how, sizeof(how), "exited with status %d", WEXITSTATUS(status));
        }
        /* A worker that gives up at once (lc_srv_new failed: a log it cannot open) will
         * give up again; one that was killed is only replaced. */
        if (m->gen == 1 && now - m->first_start_ms < START_GRACE_MS && WIFEXITED(status)) {
            snprintf(err, errlen, "worker %u %s as it started", w.slot, how);
            return -1;
        }
        logf_err("worker %u (pid %d) %s; starting another", w.slot, (int)pid, how);
        m->restart_at[w.slot] = now - w.started_ms < RESTART_GAP_MS ? now + RESTART_GAP_MS : now;
    }
    return 0;
}

static void restart_due(struct master *m)
{
    uint64_t now = lc_srv_now_ms();

    for (unsigned s = 0; s < m->nworkers; s++) {
        if (m->restart_at[s] != 0 && now >= m->restart_at[s] && !m->stopping) {
            spawn(m, s);
        }
    }
}

/* SIGHUP: the new configuration's workers start, then the old ones stop gracefully. */
static void reload(struct master *m)
{
    char err[512];
    size_t order[LC_SRV_MAX_LISTENERS], naddrs;
    const struct lc_srv_config *cfg = m->ops->load(m->ops->arg, err, sizeof(err));

    if (cfg == NULL || lc_srv_check(cfg, err, sizeof(err)) != 0) {
        logf_err("reload failed, the old configuration keeps running: %s", err);
        if (cfg != NULL) {
            m->ops->release(m->ops->arg, cfg);
        }
        return;
    }
    unsigned nworkers = want_workers(cfg);
    if (open_sockets(m, cfg, nworkers, order, &naddrs, err, sizeof(err)) != 0) {
        logf_err("reload failed, the old configuration keeps running: %s", err);
        m->ops->release(m->ops->arg, cfg);
        close_unused(m); /* sockets opened for the failed one */
        return;
    }
    for (size_t i = 0; i < m->nrun; i++) {
        m->workers[i].retiring = 1;
    }
    const struct lc_srv_config *old = m->cfg;
    m->cfg = cfg;
    m->gen++;
    m->nworkers = nworkers;
    memcpy(m->order, order, naddrs * sizeof(order[0]));
    m->naddrs = naddrs;
    memset(m->restart_at, 0, sizeof(m->restart_at));
    for (unsigned s = 0; s < nworkers; s++) {
        spawn(m, s);
    }
    stop_workers(m, 1, 0);
    close_unused(m);
    m->ops->release(m->ops->arg, old);
    fprintf(m->ops->out, "lucid-server: reloaded the configuration: %u worker%s\n", nworkers,
            nworkers == 1 ? "" : "s");
    fflush(m->ops->out);
}

static void print_listeners(struct master *m)
{
    for (size_t i = 0; i < m->naddrs; i++) {
        struct addr_socks *as = &m->socks[m->order[i]];
        struct lc_srv_listener ls;
        char err[256];

        memset(&ls, 0, sizeof(ls));
        if (lc_srv_listener_open(&ls, as->addr, as->tls, as->fds[0], 0, err, sizeof(err)) == 0) {
            fprintf(m->ops->out, "lucid-server: listening on %s\n", ls.url);
        }
    }
    fflush(m->ops->out);
}

static void shut_all(struct master *m)
{
    for (size_t k = 0; k < m->nsocks; k++) {
        while (m->socks[k].nfds > 0) {
            close(m->socks[k].fds[--m->socks[k].nfds]);
        }
    }
    if (m->cfg != NULL) {
        m->ops->release(m->ops->arg, m->cfg);
        m->cfg = NULL;
    }
    lucid_replay_free(m->replay);
    m->replay = NULL;
}

int lc_srv_master_run(const struct lc_srv_master_ops *ops, char *err, size_t errlen)
{
    static struct master m; /* one per process; large, so not on the stack */
    int rc = 0;

    memset(&m, 0, sizeof(m));
    m.ops = ops;
    if (getrandom(m.ticket_key, sizeof(m.ticket_key), 0) != (ssize_t)sizeof(m.ticket_key)) {
        snprintf(err, errlen, "getrandom: %s", strerror(errno));
        return -1;
    }
    lucid_error e;
    if ((m.replay = lucid_replay_new(0, &e)) == NULL) {
        snprintf(err, errlen, "%s", e.message);
        return -1;
    }
    if ((m.cfg = ops->load(ops->arg, err, errlen)) == NULL) {
        lucid_replay_free(m.replay);
        return -1;
    }
    if (lc_srv_check(m.cfg, err, errlen) != 0) {
        shut_all(&m);
        return -1;
    }
    m.nworkers = want_workers(m.cfg);
    if (open_sockets(&m, m.cfg, m.nworkers, m.order, &m.naddrs, err, errlen) != 0) {
        shut_all(&m);
        return -1;
    }
    if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        shut_all(&m);
        return -1;
    }
    signal(SIGPIPE, SIG_IGN);
    set_handler(SIGCHLD, on_master_signal);
    set_handler(SIGTERM, on_master_signal);
    set_handler(SIGINT, on_master_signal);
    set_handler(SIGHUP, on_master_signal);
    print_listeners(&m);

    m.gen = 1;
    m.first_start_ms = lc_srv_now_ms();
    for (unsigned s = 0; s < m.nworkers; s++) {
        spawn(&m, s);
    }
    while (!(m.stopping && m.nrun == 0)) {
        struct pollfd p = { .fd = sig_pipe[0], .events = POLLIN };
        unsigned char sigs[64];

        poll(&p, 1, 250);
        ssize_t n = read(sig_pipe[0], sigs, sizeof(sigs));
        for (ssize_t i = 0; i < n; i++) {
            if (sigs[i] == SIGTERM || sigs[i] == SIGINT) {
                /* The first stop is graceful; a second one tells the workers again, which
                 * makes them stop at once. */
                stop_workers(&m, 0, m.stopping);
                m.stopping = 1;
            } else if (sigs[i] == SIGHUP && !m.stopping) {
                reload(&m);
            }
        }
        if (reap(&m, err, errlen) != 0) {
            rc = -1;
            m.stopping = 1;
            stop_workers(&m, 0, 0);
            stop_workers(&m, 0, 1);
            while (m.nrun > 0 && waitpid(-1, NULL, 0) > 0) {
                m.nrun--;
            }
            break;
        }
        restart_due(&m);
    }
    shut_all(&m);
    explicit_bzero(m.ticket_key, sizeof(m.ticket_key));
    close(sig_pipe[0]);
    close(sig_pipe[1]);
    sig_pipe[0] = sig_pipe[1] = -1;
    return rc;
}
