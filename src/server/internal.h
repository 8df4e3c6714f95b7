/*
 * What the files of src/server/ share: the server, its listeners, and the connection struct
 * with its phases. Nothing outside src/server/ includes this.
 */
#ifndef LC_SERVER_INTERNAL_H
#define LC_SERVER_INTERNAL_H

#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include <lucid/lucid.h>

#include "server/http.h"
#include "server/server.h"

/* What an epoll event points at: the first member of each of these says which it is. */
enum lc_srv_kind {
    LC_SRV_KIND_LISTENER = 1,
    LC_SRV_KIND_CONN,
    LC_SRV_KIND_WAKE,
};

/*
 * Buffers. The input holds at most one request head (LC_HTTP_MAX_HEAD) plus what a client
 * pipelined behind it; the output holds a response head and then one chunk of a file at a
 * time, which is also the most plaintext handed to the TLS engine before its records are sent.
 * 64 KiB chunks make four full records per pread() and per send(): a quarter of the system
 * calls of one record at a time (bench: server CPU per GB 0.84 s -> 0.59 s). Both buffers
 * exist only while a request is read or answered.
 */
#define LC_SRV_IN_CAP (LC_HTTP_MAX_HEAD + 4096)
#define LC_SRV_OUT_CAP 65536
#define LC_SRV_SCRATCH 16384     /* recv buffer for ciphertext, shared by a loop's connections */
#define LC_SRV_TURN_BYTES (1 << 20) /* bytes one connection sends before others get a turn */
#define LC_SRV_TURN_READ (256 << 10) /* and reads, when they yield nothing to answer yet */
#define LC_SRV_LOG_LINE 1024      /* the request line as logged, at most */
#define LC_SRV_MAX_LISTENERS 64   /* distinct listening addresses */
#define LC_SRV_FCACHE_SLOTS 128   /* files a worker keeps open (file_cache.c) */

/* A location of a site, ready to serve: its root resolved by realpath, no trailing '/'. */
struct lc_srv_vloc {
    char *prefix;
    size_t prefix_len;
    char root[PATH_MAX];
    char *index; /* "index.html" unless the location says otherwise */
};

/* A site (struct lc_srv_site) as the running server holds it. */
struct lc_srv_vhost {
    char **names; /* lower case; "*.example.com" keeps its "*" */
    size_t name_count;
    lucid_ctx *ctx; /* its certificates and TLS settings; NULL when it has no TLS listener */
    struct lc_srv_vloc *locs;
    size_t loc_count;
};

struct lc_srv_listener {
    int kind; /* LC_SRV_KIND_LISTENER */
    int fd;
    int tls;
    uint16_t port;
    char url[128];
    /* The sites on this address, the default one first: SNI and Host choose among them. */
    struct lc_srv_vhost **vhosts;
    size_t vhost_count;
    lucid_ctx *ctx; /* TLS: the dispatch context its connections start from (vhost.c) */
};

/*
 * The phases of a connection, in the order they usually come (nginx reassigns rev->handler the
 * same way in ngx_http_request.c). Each has a row in conn.c's table: its readable and writable
 * handlers and its timeout.
 */
enum lc_srv_phase {
    LC_SRV_HANDSHAKE, /* TLS only: until the engine can take application data */
    LC_SRV_REQUEST,   /* reading a request head (and dropping a request body) */
    LC_SRV_RESPONSE,  /* sending a response head and body */
    LC_SRV_KEEPALIVE, /* idle between requests; buffers freed */
    LC_SRV_CLOSING,   /* sending what is left (close_notify, an alert), then shutdown(SHUT_WR) */
    LC_SRV_LINGER,    /* reading and dropping until the client closes, so it sees our last bytes */
    LC_SRV_DEAD,      /* to be freed once its handler returns */
};

struct lc_srv_conn;

/* A phase handler: LC_SRV_AGAIN to wait for the next event, LC_SRV_NEXT to run again (the
 * phase changed or there is more to do at once). */
typedef int lc_srv_handler(struct lc_srv_conn *c);
#define LC_SRV_AGAIN 0
#define LC_SRV_NEXT 1

struct lc_srv_conn {
    int kind; /* LC_SRV_KIND_CONN */
    int fd;
    lucid_conn *tls; /* NULL on a plain listener */
    struct lc_srv *srv;
    struct lc_srv_listener *listener;
    struct lc_srv_vhost *vhost; /* the site serving it: the listener's default until SNI or
                                   a request's Host chooses another (lc_srv_pick_vhost) */
    char peer[64];   /* "127.0.0.1:50000" or "[::1]:50000", for the logs */

    enum lc_srv_phase phase;
    lc_srv_handler *on_readable;
    lc_srv_handler *on_writable;
    uint64_t deadline_ms; /* when the phase times out (monotonic); 0: never */
    unsigned can_read : 1;  /* edge-triggered: set by an event, cleared by EAGAIN */
    unsigned can_send : 1;
    unsigned pending_eof : 1; /* an event said the client shut its side: read to EOF */
    unsigned watch_out : 1;   /* registered for EPOLLOUT too (after a send blocked) */
    unsigned posted : 1;    /* on the loop's list to run again without an event */
    unsigned keep_alive : 1;
    unsigned saw_data : 1;  /* plaintext arrived: TLS failures are no longer "handshake" */

    /* HTTP input: plaintext only (after lucid_conn_read on a TLS connection). */
    uint8_t *in;            /* LC_SRV_IN_CAP bytes, or NULL while idle */
    size_t in_len;
    size_t in_used;         /* the most of in ever filled: what release_in wipes */
    long long discard;      /* request body bytes still to drop */

    /* The response: out[out_off..out_len) is next, then file[file_off..+file_left). */
    uint8_t *out;           /* LC_SRV_OUT_CAP bytes, or NULL while idle */
    size_t out_len, out_off;
    int file;               /* -1 when none */
    struct lc_srv_fentry *file_entry; /* the cache's entry that owns file, or NULL */
    off_t file_off, file_left;

    /* The request being answered, for the access log. */
    char *line;             /* the request line as logged (LC_SRV_LOG_LINE bytes) while a
                               response is under way; NULL between requests, so that an
                               idle connection does not hold it */
    int status;
    size_t head_len;        /* bytes of the response head */
    unsigned long long sent; /* response bytes handed to the socket or the engine */
    struct timespec started;
    unsigned requests;

    struct lc_srv_conn *prev, *next;           /* every open connection */
    struct lc_srv_conn *post_prev, *post_next; /* connections to run again */
};

struct lc_srv {
    int epfd;
    int wake_kind; /* LC_SRV_KIND_WAKE: what the eventfd's epoll event points at */
    int wakefd;
    atomic_int stops; /* lc_srv_stop calls */
    int stopping;
    uint64_t stop_deadline_ms;

    struct lc_srv_listener *listeners;
    size_t listener_count;
    int accept_paused; /* out of descriptors: accept again at the next timer tick */

    struct lc_srv_vhost *vhosts;
    size_t vhost_count;
    /* The handshake trace (lc_srv_config.trace): each TLS connection passes itself as the
     * engine's trace argument, so its lines go out with its address. */
    void (*trace)(void *arg, const char *peer, const char *line);
    void *trace_arg;
    FILE *access_log;
    int close_access_log;
    FILE *error_log;
    int close_error_log;

    unsigned handshake_ms, header_ms, keepalive_ms, send_ms, tick_ms;
    unsigned max_conns;
    unsigned conn_count;
    struct lc_srv_conn *conns;  /* doubly linked, newest first */
    struct lc_srv_conn *posted; /* doubly linked */

    struct lc_srv_fentry *fcache[LC_SRV_FCACHE_SLOTS]; /* file_cache.c */

    uint64_t now_ms;
    time_t date_second;
    char date[40];  /* RFC 9110 5.6.7 IMF-fixdate of now, for Date headers */

    uint8_t scratch[LC_SRV_SCRATCH];
};

/* vhost.c: sites built from their configuration (the TLS context loads the certificates). */
int lc_srv_vhost_init(struct lc_srv_vhost *vh, const struct lc_srv_site *site,
                      const struct lc_srv_config *cfg, char *err, size_t errlen);
void lc_srv_vhost_free(struct lc_srv_vhost *vh);
/* A TLS listener's dispatch context, whose SNI callback picks among its sites. */
int lc_srv_listener_dispatch(struct lc_srv_listener *ls, const struct lc_srv_config *cfg,
                             char *err, size_t errlen);
/* The site of ls whose names match name (a server_name, a Host value), or its default. */
struct lc_srv_vhost *lc_srv_vhost_by_name(const struct lc_srv_listener *ls, const char *name,
                                          size_t len);
/* vhost.c: the site whose names match name (a Host header, a server_name), among those of
 * c's listener; the listener's default when none does. name may end with ":port". */
struct lc_srv_vhost *lc_srv_pick_vhost(struct lc_srv_conn *c, const char *name, size_t len);
/* The location of vh that serves path (longest prefix); NULL when none matches. */
const struct lc_srv_vloc *lc_srv_find_location(const struct lc_srv_vhost *vh, const char *path);

/* conn.c */
void lc_srv_conn_accepted(struct lc_srv *s, struct lc_srv_listener *ls, int fd,
                          const struct sockaddr *sa);
void lc_srv_conn_event(struct lc_srv_conn *c, uint32_t events);
void lc_srv_conn_run(struct lc_srv_conn *c);
void lc_srv_conn_timer(struct lc_srv_conn *c);
void lc_srv_conn_stop(struct lc_srv_conn *c);
void lc_srv_conn_free(struct lc_srv_conn *c);

/* request.c: turns a parsed request (or a parse error) into a response in c->out. */
void lc_srv_respond(struct lc_srv_conn *c, const struct lc_http_request *req, int parse_rc);
void lc_srv_respond_status(struct lc_srv_conn *c, int status);

/* files.c */
struct lc_srv_fentry;

struct lc_srv_file {
    int fd;
    struct lc_srv_fentry *entry; /* file_cache.c's, which owns fd; NULL: the caller's own fd */
    off_t size;
    time_t mtime;
    long mtime_nsec; /* with ino: the ETag (conditional.c) */
    ino_t ino;
    const char *type;
};
int lc_srv_file_open(const char *root, const char *path, int is_dir, const char *index,
                     struct lc_srv_file *f);
const char *lc_srv_mime_type(const char *name);

/* file_cache.c: lc_srv_file_open through the worker's cache of open files; each file got is
 * given back with lc_srv_file_put (its entry, or NULL and an fd of the caller's to close). */
int lc_srv_file_get(struct lc_srv *s, const struct lc_srv_vloc *loc, const char *path,
                    int is_dir, struct lc_srv_file *f);
void lc_srv_file_put(struct lc_srv *s, struct lc_srv_fentry *entry, int fd);
/* The file changed under a response (it read short): check it again at the next request. */
void lc_srv_file_stale(struct lc_srv_fentry *entry);
void lc_srv_file_cache_free(struct lc_srv *s);

/* listen.c */
int lc_srv_parse_addr(const char *text, struct sockaddr_storage *ss, socklen_t *len, char *err,
                      size_t errlen);
/* Binds and listens on text (SO_REUSEPORT when reuseport, for one socket per worker), or
 * takes fd >= 0, a socket already listening, as its own. Names it for lc_srv_listener_url. */
int lc_srv_listener_open(struct lc_srv_listener *ls, const char *text, int tls, int fd,
                         int reuseport, char *err, size_t errlen);
/* A new listening socket on text, its port replaced by port unless that is -1. */
int lc_srv_bind_socket(const char *text, int port, int reuseport, char *err, size_t errlen);
/* The port a socket is bound to, or -1. */
int lc_srv_socket_port(int fd);
/* Whether two listen addresses are the same once parsed ("8443" and "0.0.0.0:8443" are). */
int lc_srv_same_addr(const char *a, const char *b);
void lc_srv_format_addr(const struct sockaddr *sa, char *out, size_t cap);

/* log.c */
void lc_srv_log_access(struct lc_srv_conn *c);
void lc_srv_log_error(struct lc_srv_conn *c, const char *what, const char *detail);
void lc_srv_copy_line(char *out, size_t cap, const char *line, size_t len);

/* server.c */
uint64_t lc_srv_now_ms(void);
void lc_srv_post(struct lc_srv_conn *c);
void lc_srv_unpost(struct lc_srv_conn *c);

#endif
