/*
 * The server's life: configuration (listeners, the Lucid context with its certificates, the
 * root, the logs), the epoll loop that accepts connections and hands events to conn.c, the
 * timer tick that enforces every phase's timeout, and a graceful stop.
 *
 * The loop is single-threaded and never blocks except in epoll_wait. Timeouts are checked by
 * a sweep of all connections every tick (a second at most): with the number of connections
 * capped, that costs less than keeping a timer structure up to date on every read, and a
 * timeout may fire up to one tick late. Connections that used up their turn are "posted" and
 * run again after the next epoll_wait, which then does not sleep.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/internal.h"

#define DEFAULT_HANDSHAKE_MS 10000
#define DEFAULT_HEADER_MS 20000
#define DEFAULT_KEEPALIVE_MS 30000
#define DEFAULT_SEND_MS 30000
#define STOP_GRACE_MS 10000 /* after a stop, how long responses under way may take */

uint64_t lc_srv_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void lc_srv_post(struct lc_srv_conn *c)
{
    struct lc_srv *s = c->srv;

    if (c->posted) {
        return;
    }
    c->posted = 1;
    c->post_prev = NULL;
    c->post_next = s->posted;
    if (s->posted != NULL) {
        s->posted->post_prev = c;
    }
    s->posted = c;
}

void lc_srv_unpost(struct lc_srv_conn *c)
{
    struct lc_srv *s = c->srv;

    if (!c->posted) {
        return;
    }
    if (c->post_prev != NULL) {
        c->post_prev->post_next = c->post_next;
    } else {
        s->posted = c->post_next;
    }
    if (c->post_next != NULL) {
        c->post_next->post_prev = c->post_prev;
    }
    c->posted = 0;
}

void lc_srv_config_init(struct lc_srv_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->access_log = "-";
    cfg->error_log = stderr;
}

size_t lc_srv_config_addrs(const struct lc_srv_config *cfg, const struct lc_srv_listen **out,
                           size_t cap)
{
    size_t n = 0;

    for (size_t s = 0; s < cfg->site_count; s++) {
        for (size_t l = 0; l < cfg->sites[s].listen_count; l++) {
            const struct lc_srv_listen *ln = &cfg->sites[s].listen[l];
            size_t k = 0;
            while (k < n && !lc_srv_same_addr(out[k]->addr, ln->addr)) {
                k++;
            }
            if (k == n && n < cap) {
                out[n++] = ln;
            }
        }
    }
    return n;
}

/* Two descriptors per connection at most (socket and file), and a margin for the rest. */
static unsigned default_max_conns(size_t listeners)
{
    struct rlimit rl;
    unsigned long n = 1024;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        n = (unsigned long)rl.rlim_cur;
    }
    n = n > 64 + LC_SRV_FCACHE_SLOTS + listeners ? (n - 64 - LC_SRV_FCACHE_SLOTS - listeners) / 2
                                                 : 16;
    return n > 100000 ? 100000 : (unsigned)n;
}

static int epoll_add(struct lc_srv *s, int fd, uint32_t events, void *ptr)
{
    struct epoll_event ev = { .events = events, .data.ptr = ptr };

    return epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev);
}

static unsigned pick(unsigned v, unsigned dflt)
{
    return v != 0 ? v : dflt;
}

/* The sites and their locations and contexts, in the configuration's order. */
static int make_vhosts(struct lc_srv *s, const struct lc_srv_config *cfg, char *err,
                       size_t errlen)
{
    if (cfg->site_count == 0) {
        snprintf(err, errlen, "nothing to serve: expected a server (or --root and --listen)");
        return -1;
    }
    if ((s->vhosts = calloc(cfg->site_count, sizeof(*s->vhosts))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < cfg->site_count; i++) {
        s->vhost_count++;
        if (lc_srv_vhost_init(&s->vhosts[i], &cfg->sites[i], cfg, err, errlen) != 0) {
            return -1;
        }
    }
    return 0;
}

/* Which sites listen on ls's address (addr), the default one first: the site marked
 * default_server, or else the first in the file (nginx's rule). */
static int gather_sites(struct lc_srv *s, struct lc_srv_listener *ls,
                        const struct lc_srv_listen *first, const struct lc_srv_config *cfg,
                        char *err, size_t errlen)
{
    if ((ls->vhosts = calloc(cfg->site_count, sizeof(*ls->vhosts))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < cfg->site_count; i++) {
        const struct lc_srv_site *site = &cfg->sites[i];
        for (size_t l = 0; l < site->listen_count; l++) {
            const struct lc_srv_listen *ln = &site->listen[l];
            if (ln != first && !lc_srv_same_addr(ln->addr, first->addr)) {
                continue;
            }
            if (ln->tls != ls->tls) {
                snprintf(err, errlen, "listen %s: one site has it with ssl, another without",
                         ln->addr);
                return -1;
            }
            if (ln->default_server && ls->vhost_count > 0) {
                memmove(ls->vhosts + 1, ls->vhosts, ls->vhost_count * sizeof(*ls->vhosts));
                ls->vhosts[0] = &s->vhosts[i];
            } else {
                ls->vhosts[ls->vhost_count] = &s->vhosts[i];
            }
            ls->vhost_count++;
            break; /* a site that lists an address twice is on it once */
        }
    }
    return 0;
}

static int make_listeners(struct lc_srv *s, const struct lc_srv_config *cfg, char *err,
                          size_t errlen)
{
    const struct lc_srv_listen *addrs[LC_SRV_MAX_LISTENERS];
    size_t n = lc_srv_config_addrs(cfg, addrs, LC_SRV_MAX_LISTENERS);

    if (n == 0) {
        snprintf(err, errlen, "nothing to listen on: expected listen (or --listen, --plain)");
        return -1;
    }
    if ((s->listeners = calloc(n, sizeof(*s->listeners))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct lc_srv_listener *ls = &s->listeners[i];
        int fd = cfg->listen_fds != NULL ? cfg->listen_fds[i] : -1;

        s->listener_count++;
        ls->fd = -1;
        if (fd >= 0 && (fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
            snprintf(err, errlen, "listener %s: %s", addrs[i]->addr, strerror(errno));
            return -1;
        }
        if (lc_srv_listener_open(ls, addrs[i]->addr, addrs[i]->tls, fd, 0, err, errlen) != 0) {
            return -1;
        }
        if (gather_sites(s, ls, addrs[i], cfg, err, errlen) != 0 ||
            (ls->tls && lc_srv_listener_dispatch(ls, cfg, err, errlen) != 0)) {
            return -1;
        }
        /* Edge-triggered too: accept() runs until EAGAIN on each event. */
        if (s->epfd >= 0 && epoll_add(s, ls->fd, EPOLLIN | EPOLLET, ls) != 0) {
            snprintf(err, errlen, "cannot watch %s: %s", addrs[i]->addr, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int open_logs(struct lc_srv *s, const struct lc_srv_config *cfg, char *err,
                     size_t errlen)
{
    if (cfg->error_log_path != NULL) {
        if ((s->error_log = fopen(cfg->error_log_path, "ae")) == NULL) {
            snprintf(err, errlen, "cannot open the error log '%s': %s", cfg->error_log_path,
                     strerror(errno));
            return -1;
        }
        setvbuf(s->error_log, NULL, _IOLBF, 0);
        s->close_error_log = 1;
    }
    if (cfg->access_log != NULL && strcmp(cfg->access_log, "-") == 0) {
        s->access_log = stdout;
    } else if (cfg->access_log != NULL) {
        if ((s->access_log = fopen(cfg->access_log, "ae")) == NULL) {
            snprintf(err, errlen, "cannot open the access log '%s': %s", cfg->access_log,
                     strerror(errno));
            return -1;
        }
        s->close_access_log = 1;
    }
    /* Several workers append to one log: whole lines in one write() each stay whole. */
    if (s->access_log != NULL) {
        setvbuf(s->access_log, NULL, _IOLBF, 0);
    }
    return 0;
}

static struct lc_srv *srv_alloc(const struct lc_srv_config *cfg)
{
    struct lc_srv *s = calloc(1, sizeof(*s));

    if (s == NULL) {
        return NULL;
    }
    s->epfd = s->wakefd = -1;
    s->wake_kind = LC_SRV_KIND_WAKE;
    atomic_init(&s->stops, 0);
    s->error_log = cfg->error_log;
    s->trace = cfg->trace;
    s->trace_arg = cfg->trace_arg;
    s->handshake_ms = pick(cfg->handshake_timeout_ms, DEFAULT_HANDSHAKE_MS);
    s->header_ms = pick(cfg->header_timeout_ms, DEFAULT_HEADER_MS);
    s->keepalive_ms = pick(cfg->keepalive_timeout_ms, DEFAULT_KEEPALIVE_MS);
    s->send_ms = pick(cfg->send_timeout_ms, DEFAULT_SEND_MS);
    return s;
}

int lc_srv_check(const struct lc_srv_config *cfg, char *err, size_t errlen)
{
    struct lc_srv *s = srv_alloc(cfg);
    int rc = -1;

    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (make_vhosts(s, cfg, err, errlen) == 0) {
        rc = 0;
    }
    lc_srv_free(s);
    return rc;
}

lc_srv *lc_srv_new(const struct lc_srv_config *cfg, char *err, size_t errlen)
{
    struct lc_srv *s = srv_alloc(cfg);

    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    /* Tick often enough that the shortest timeout fires within a quarter of itself. */
    unsigned shortest = s->handshake_ms;
    shortest = s->header_ms < shortest ? s->header_ms : shortest;
    shortest = s->keepalive_ms < shortest ? s->keepalive_ms : shortest;
    shortest = s->send_ms < shortest ? s->send_ms : shortest;
    s->tick_ms = shortest / 4 > 1000 ? 1000 : (shortest / 4 < 10 ? 10 : shortest / 4);

    if (make_vhosts(s, cfg, err, errlen) != 0) {
        goto fail;
    }
    if ((s->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
        (s->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0 ||
        epoll_add(s, s->wakefd, EPOLLIN, &s->wake_kind) != 0) {
        snprintf(err, errlen, "cannot set up epoll: %s", strerror(errno));
        goto fail;
    }
    if (make_listeners(s, cfg, err, errlen) != 0 || open_logs(s, cfg, err, errlen) != 0) {
        goto fail;
    }
    s->max_conns = pick(cfg->max_conns, default_max_conns(s->listener_count));
    return s;

fail:
    lc_srv_free(s);
    return NULL;
}

size_t lc_srv_listener_count(const lc_srv *srv)
{
    return srv->listener_count;
}

const char *lc_srv_listener_url(const lc_srv *srv, size_t i)
{
    return i < srv->listener_count ? srv->listeners[i].url : "";
}

uint16_t lc_srv_listener_port(const lc_srv *srv, size_t i)
{
    return i < srv->listener_count ? srv->listeners[i].port : 0;
}

/* Accepts until EAGAIN (the listener is edge-triggered). */
static void accept_all(struct lc_srv *s, struct lc_srv_listener *ls)
{
    while (ls->fd >= 0) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        int fd = accept4(ls->fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* The pending connections stay queued and no new edge will come for them:
                 * try again at the next tick, when some connection may have closed. */
                if (!s->accept_paused && s->error_log != NULL) {
                    fprintf(s->error_log, "lucid-server: accept: %s (retrying)\n",
                            strerror(errno));
                }
                s->accept_paused = 1;
            }
            return;
        }
        if (s->conn_count >= s->max_conns) {
            close(fd); /* full: refused at once rather than left waiting */
            continue;
        }
        lc_srv_conn_accepted(s, ls, fd, (struct sockaddr *)&ss);
    }
}

/* Runs the connections that were posted, each once; those that post again wait a loop. */
static void run_posted(struct lc_srv *s)
{
    struct lc_srv_conn *list = s->posted;

    s->posted = NULL;
    while (list != NULL) {
        struct lc_srv_conn *c = list;
        list = c->post_next;
        c->posted = 0;
        c->post_next = c->post_prev = NULL;
        lc_srv_conn_run(c);
    }
}

/* Every connection whose phase ran out of time; and listeners paused by EMFILE. */
static void tick(struct lc_srv *s)
{
    struct lc_srv_conn *c = s->conns, *next;

    for (; c != NULL; c = next) {
        next = c->next; /* a timer may free c, never another connection */
        if (c->deadline_ms != 0 && s->now_ms >= c->deadline_ms) {
            lc_srv_conn_timer(c);
        }
    }
    if (s->accept_paused) {
        s->accept_paused = 0;
        for (size_t i = 0; i < s->listener_count; i++) {
            accept_all(s, &s->listeners[i]);
        }
    }
}

/* The first stop: no more accepts, idle connections close, busy ones finish. */
static void begin_stop(struct lc_srv *s)
{
    struct lc_srv_conn *c, *next;

    s->stopping = 1;
    s->stop_deadline_ms = s->now_ms + STOP_GRACE_MS;
    for (size_t i = 0; i < s->listener_count; i++) {
        if (s->listeners[i].fd >= 0) {
            close(s->listeners[i].fd);
            s->listeners[i].fd = -1;
        }
    }
    for (c = s->conns; c != NULL; c = next) {
        next = c->next;
        lc_srv_conn_stop(c);
    }
}

int lc_srv_run(lc_srv *s)
{
    struct epoll_event evs[256];
    uint64_t last_tick;

    signal(SIGPIPE, SIG_IGN);
    s->now_ms = last_tick = lc_srv_now_ms();
    for (;;) {
        int stops = atomic_load(&s->stops);
        if (stops > 0 && !s->stopping) {
            begin_stop(s);
        }
        if (s->stopping &&
            (stops > 1 || s->conn_count == 0 || s->now_ms >= s->stop_deadline_ms)) {
            break;
        }
        int n = epoll_wait(s->epfd, evs, sizeof(evs) / sizeof(evs[0]),
                           s->posted != NULL ? 0 : (int)s->tick_ms);
        if (n < 0 && errno != EINTR) {
            if (s->error_log != NULL) {
                fprintf(s->error_log, "lucid-server: epoll_wait: %s\n", strerror(errno));
            }
            return -1;
        }
        s->now_ms = lc_srv_now_ms();
        for (int i = 0; i < n; i++) {
            int kind = *(int *)evs[i].data.ptr;
            if (kind == LC_SRV_KIND_LISTENER) {
                accept_all(s, evs[i].data.ptr);
            } else if (kind == LC_SRV_KIND_CONN) {
                lc_srv_conn_event(evs[i].data.ptr, evs[i].events);
            } else {
                uint64_t count;
                if (read(s->wakefd, &count, sizeof(count)) < 0) {
                    /* EAGAIN: already drained; the stop count is what matters */
                }
            }
        }
        run_posted(s);
        if (s->now_ms - last_tick >= s->tick_ms) {
            last_tick = s->now_ms;
            tick(s);
        }
    }
    while (s->conns != NULL) {
        lc_srv_conn_free(s->conns);
    }
    return 0;
}

void lc_srv_stop(lc_srv *s)
{
    int saved = errno; /* called from signal handlers */
    uint64_t one = 1;

    atomic_fetch_add(&s->stops, 1);
    if (write(s->wakefd, &one, sizeof(one)) < 0) {
        /* the counter is full: the loop is awake already */
    }
    errno = saved;
}

void lc_srv_free(lc_srv *s)
{
    if (s == NULL) {
        return;
    }
    while (s->conns != NULL) {
        lc_srv_conn_free(s->conns);
    }
    for (size_t i = 0; i < s->listener_count; i++) {
        if (s->listeners[i].fd >= 0) {
            close(s->listeners[i].fd);
        }
        if (s->listeners[i].ctx != NULL) {
            lucid_ctx_free(s->listeners[i].ctx);
        }
        free(s->listeners[i].vhosts);
    }
    free(s->listeners);
    lc_srv_file_cache_free(s);
    for (size_t i = 0; i < s->vhost_count; i++) {
        lc_srv_vhost_free(&s->vhosts[i]);
    }
    free(s->vhosts);
    if (s->wakefd >= 0) {
        close(s->wakefd);
    }
    if (s->epfd >= 0) {
        close(s->epfd);
    }
    if (s->close_access_log) {
        fclose(s->access_log);
    }
    if (s->close_error_log) {
        fclose(s->error_log);
    }
    free(s);
}
