/*
 * What the three parts of the configuration parser share; nothing else includes this.
 *
 *   config_lex.c         the tokenizer: words, ';', '{', '}'
 *   config_file.c        the API, the reader of blocks and directives, messages, the arena
 *   config_directives.c  the table of directives and their handlers
 *   config_check.c       after the last '}': the checks of a whole file, and the result
 *
 * The reader looks each directive up in the table, checks where it is, how it ends, its
 * argument count and its repeats, then calls its handler, which stores into the parser's
 * struct lc_conf_site (one per server block) or struct lc_conf_tls (the ssl_* of http or of
 * a server). lc_conf_finish then merges, checks and lays the result out as lc_srv_config.
 */
#ifndef LC_SERVER_CONFIG_PARSE_H
#define LC_SERVER_CONFIG_PARSE_H

#include <limits.h>
#include <stddef.h>

#include <lucid/lucid.h>

#include "server/config_file.h"
#include "server/config_lex.h"

/* Bounds (config_file.h): each one past is an error that names it. */
#define LC_CONF_MAX_FILE (1u << 20) /* bytes of configuration text */
#define LC_CONF_MAX_DEPTH 4         /* blocks open at once; the table allows 3 */
#define LC_CONF_MAX_ARGS 64         /* arguments of one directive */
#define LC_CONF_MAX_ARG_BYTES 16384 /* their bytes, NULs included */
#define LC_CONF_MAX_SERVERS 256
#define LC_CONF_MAX_LISTEN 16    /* per server */
#define LC_CONF_MAX_NAMES 64     /* per server */
#define LC_CONF_MAX_CERTS 8      /* per block: what one lucid_ctx holds */
#define LC_CONF_MAX_LOCATIONS 64 /* per server */
#define LC_CONF_MAX_WORKERS 1024
#define LC_CONF_MAX_CONNECTIONS 1048576
#define LC_CONF_MAX_TIME_MS 86400000u    /* one day */
#define LC_CONF_EARLY_DATA_DEFAULT 16384 /* ssl_early_data on, with no size: nginx's */

#define LC_CONF_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The blocks, as bits: a directive's row says where it may appear. */
enum {
    LC_CONF_MAIN = 1,
    LC_CONF_EVENTS = 2,
    LC_CONF_HTTP = 4,
    LC_CONF_SERVER = 8,
    LC_CONF_LOCATION = 16,
};

/* The handle of config_file.h: the result, and the arena everything it points to lives in. */
struct lc_conf_block;
struct lc_srv_conf {
    struct lc_srv_config cfg;
    struct lc_conf_block *blocks;
};

/* The ssl_* directives of one http or server block. -1 / NULL / 0: not set in this block. */
struct lc_conf_tls {
    const char *cert[LC_CONF_MAX_CERTS];
    const char *key[LC_CONF_MAX_CERTS];
    const char *chain[LC_CONF_MAX_CERTS];
    size_t ncert, nkey, nchain;
    const char *protocols, *ciphers, *groups, *alpn, *ticket_key, *client_ca;
    int tickets, early, verify;
    unsigned early_size;
};

/* One server block as read; the lines are for the messages of lc_conf_finish. */
struct lc_conf_site {
    unsigned line; /* of "server {" */
    struct lc_srv_listen listen[LC_CONF_MAX_LISTEN];
    unsigned listen_line[LC_CONF_MAX_LISTEN];
    size_t nlisten;
    const char *names[LC_CONF_MAX_NAMES];
    unsigned name_line[LC_CONF_MAX_NAMES];
    size_t nnames;
    struct lc_conf_tls tls;
    const char *root, *index;                               /* defaults for the locations */
    struct lc_srv_location locs[LC_CONF_MAX_LOCATIONS + 1]; /* + an implicit "/" */
    unsigned loc_line[LC_CONF_MAX_LOCATIONS];
    size_t nlocs;
    struct lc_srv_cert certs[LC_CONF_MAX_CERTS]; /* filled by lc_conf_finish */
};

/* One directive as read: its name and arguments (copies in buf) and how it ended. */
struct lc_conf_args {
    const char *name;
    unsigned name_line;
    size_t n;
    const char *v[LC_CONF_MAX_ARGS];
    size_t len[LC_CONF_MAX_ARGS];
    unsigned line[LC_CONF_MAX_ARGS];
    int quoted[LC_CONF_MAX_ARGS];
    size_t dollar[LC_CONF_MAX_ARGS]; /* where its first unescaped '$' is (config_lex.h) */
    unsigned end_line;               /* the line of its last token */
    enum lc_conf_tok term;           /* what ended it: ';', '{', '}' or the end */
    size_t used;
    char buf[LC_CONF_MAX_ARG_BYTES];
};

struct lc_conf_parser {
    struct lc_srv_conf *conf;
    char file[256];     /* the path as messages show it */
    char dir[PATH_MAX]; /* where relative paths start */
    char *err;
    size_t errlen;
    int ctx; /* the block being read (LC_CONF_*) */
    struct lc_conf_lex lx;
    struct lc_conf_args a;
    struct lc_conf_tls http_tls;
    struct lc_conf_site *sites[LC_CONF_MAX_SERVERS];
    size_t nsites;
    struct lc_conf_site *site;   /* the server block being read */
    struct lc_srv_location *loc; /* the location block being read */
    unsigned http_line, wc_line;
    lucid_ctx *check; /* checks cipher, group and ALPN lists; made on first use */
    char shown[4][96];
    unsigned next_shown;
};

struct lc_conf_directive;
typedef int (*lc_conf_set_fn)(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                              const struct lc_conf_args *a);

/* A word and the value it stands for (on/off switches, listen flags, protocol names). */
struct lc_conf_keyword {
    const char *word;
    int value;
};

/* A row of the table (config_directives.c), as nginx's ngx_command_t. */
struct lc_conf_directive {
    const char *name;
    unsigned ctx;           /* the blocks it may appear in */
    unsigned child;         /* a block directive: the block its body is; 0: it ends with ';' */
    unsigned char min, max; /* argument count */
    unsigned char once;     /* at most once per block */
    unsigned char regex;    /* nginx takes a regular expression ("~...") here: its message */
    const char *same_as;    /* an alias: counts as that directive for "once" */
    const char *usage;      /* the whole form, for messages */
    lc_conf_set_fn set;
    void (*close)(struct lc_conf_parser *p); /* a block directive: after its '}' */
    size_t field; /* where set stores its value (an offset), for the shared handlers */
    const struct lc_conf_keyword *words; /* the values a switch takes */
    int (*check)(lucid_ctx *ctx, const char *list, lucid_error *err); /* a list's names */
    const char *hint; /* what a list holds, for messages */
};

/* config_file.c */

/* Writes "FILE:LINE: message" to the caller's err ("FILE: message" for line 0: the file as a
 * whole); always returns -1. */
int lc_conf_fail(struct lc_conf_parser *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Text from the file as a message may hold it (escaped, cut); four are valid at a time. */
const char *lc_conf_show(struct lc_conf_parser *p, const char *s);
/* n zeroed bytes, or a copy of s[0..len) and a NUL, that live as long as the handle; NULL
 * (with the error written, at line) when out of memory. */
void *lc_conf_alloc(struct lc_conf_parser *p, unsigned line, size_t n);
char *lc_conf_copy(struct lc_conf_parser *p, unsigned line, const char *s, size_t len);
/* The reader's checks, for a directive that runs them itself (location). */
int lc_conf_check_count(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                        const struct lc_conf_args *a);
int lc_conf_no_variables(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                         const struct lc_conf_args *a);

/* config_directives.c */
extern const struct lc_conf_directive lc_conf_directives[];
extern const size_t lc_conf_directive_count;
const struct lc_conf_directive *lc_conf_find_directive(const char *name);

/* config_check.c: the checks of the whole file, then p->conf->cfg's sites. */
int lc_conf_finish(struct lc_conf_parser *p);

/* Whether a normalised listen address ("127.0.0.1:0") asks the kernel for any free port:
 * two such listens are two different ports, so they never clash. */
static inline int lc_conf_any_port(const char *addr)
{
    size_t n = strlen(addr);

    return n >= 2 && addr[n - 2] == ':' && addr[n - 1] == '0';
}

#endif
