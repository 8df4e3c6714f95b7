/*
 * The configuration file (config_file.h): the API, and the reader of nginx's block structure.
 *
 * The reader takes a directive's name and arguments from the tokenizer (config_lex.c), looks
 * the name up in the table (config_directives.c) and decides the questions every directive
 * shares in one place, as nginx's ngx_conf_handler does (src/core/ngx_conf_file.c): is it
 * known, is it allowed in this block, did it end with ';' (or '{' for a block), does it have
 * the right number of arguments, is it repeated where it may appear once, does an argument
 * use a variable. Only then does the directive's handler see it. After the last '}',
 * lc_conf_finish (config_check.c) checks the whole.
 *
 * Implementation notes:
 * - Pure: text in, struct out. Nothing is opened; relative paths are joined to the directory
 *   of the configuration file (getcwd for a relative one), never resolved through the disk.
 * - Bounded: the text is at most LC_CONF_MAX_FILE bytes, and every list has a cap
 *   (config_parse.h). Blocks nest only as the table allows (top > http > server > location)
 *   and parse_block also refuses a depth past LC_CONF_MAX_DEPTH, so the recursion is bounded
 *   whatever the table says.
 * - Memory: everything the result points to lives in an arena owned by the handle, freed in
 *   one walk by lc_srv_conf_free; a failed parse frees it before returning.
 * - Errors: the first one wins and parsing stops. Whatever the file says is escaped by
 *   lc_srv_copy_line before it reaches a message, so an error is always one line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/config_parse.h"
#include "server/internal.h"

/* ---- messages and memory ---------------------------------------------------------------- */

int lc_conf_fail(struct lc_conf_parser *p, unsigned line, const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (p->err != NULL && p->errlen > 0 && line == 0) {
        snprintf(p->err, p->errlen, "%s: %s", p->file, msg);
    } else if (p->err != NULL && p->errlen > 0) {
        snprintf(p->err, p->errlen, "%s:%u: %s", p->file, line, msg);
    }
    return -1;
}

const char *lc_conf_show(struct lc_conf_parser *p, const char *s)
{
    char *out = p->shown[p->next_shown++ % LC_CONF_LEN(p->shown)];
    lc_srv_copy_line(out, sizeof(p->shown[0]), s, strlen(s));
    return out;
}

static const char *ctx_name(unsigned ctx)
{
    switch (ctx) {
    case LC_CONF_MAIN:
        return "the top level";
    case LC_CONF_EVENTS:
        return "events";
    case LC_CONF_HTTP:
        return "http";
    case LC_CONF_SERVER:
        return "server";
    default:
        return "location";
    }
}

/*
 * The arena: blocks of at least LC_CONF_BLOCK bytes, each allocation zeroed and aligned,
 * freed all at once with the handle. Sizes are bounded by the limits of config_parse.h, so
 * the rounding cannot overflow.
 */
struct lc_conf_block {
    struct lc_conf_block *next;
    size_t used;
    size_t cap;
    max_align_t data[];
};

#define LC_CONF_BLOCK 16384

void *lc_conf_alloc(struct lc_conf_parser *p, unsigned line, size_t n)
{
    const size_t align = sizeof(max_align_t);
    struct lc_conf_block *b = p->conf->blocks;

    n = (n + align - 1) / align * align;
    if (b == NULL || b->cap - b->used < n) {
        size_t cap = n > LC_CONF_BLOCK ? n : LC_CONF_BLOCK;
        if ((b = malloc(sizeof(*b) + cap)) == NULL) {
            lc_conf_fail(p, line, "out of memory");
            return NULL;
        }
        b->next = p->conf->blocks;
        b->used = 0;
        b->cap = cap;
        p->conf->blocks = b;
    }
    void *out = (unsigned char *)b->data + b->used;
    b->used += n;
    memset(out, 0, n);
    return out;
}

char *lc_conf_copy(struct lc_conf_parser *p, unsigned line, const char *s, size_t len)
{
    char *out = lc_conf_alloc(p, line, len + 1);
    if (out == NULL) {
        return NULL;
    }
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

/* ---- blocks ------------------------------------------------------------------------------ */

/* The row whose "once" d shares: itself, or the directive it is an alias of. */
static size_t once_slot(const struct lc_conf_directive *d)
{
    const struct lc_conf_directive *owner =
        d->same_as != NULL ? lc_conf_find_directive(d->same_as) : d;
    return (size_t)((owner != NULL ? owner : d) - lc_conf_directives);
}

/* What one open block has seen: for "duplicate" errors. */
struct frame {
    uint64_t seen;
    unsigned first[64];
};

/* "listen 80 ssl" from a directive's name and its first n arguments, for messages. */
static void directive_text(struct lc_conf_parser *p, const struct lc_conf_args *a, size_t n,
                           char *out, size_t cap)
{
    size_t len = (size_t)snprintf(out, cap, "%s", lc_conf_show(p, a->name));
    for (size_t i = 0; i < n && len < cap; i++) {
        len += (size_t)snprintf(out + len, cap - len, " %s", lc_conf_show(p, a->v[i]));
    }
}

static int unknown_directive(struct lc_conf_parser *p, const struct lc_conf_args *a)
{
    char list[1024];
    size_t n = 0;

    list[0] = '\0';
    for (size_t i = 0; i < lc_conf_directive_count && n < sizeof(list); i++) {
        if (lc_conf_directives[i].ctx & (unsigned)p->ctx) {
            n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n == 0 ? "" : ", ",
                                  lc_conf_directives[i].name);
        }
    }
    return lc_conf_fail(p, a->name_line, "unknown directive '%s' %s %s; expected %s",
                        lc_conf_show(p, a->name), p->ctx == LC_CONF_MAIN ? "at" : "in",
                        ctx_name((unsigned)p->ctx), list);
}

static int wrong_block(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                       const struct lc_conf_args *a)
{
    char where[96];
    size_t n = 0;

    where[0] = '\0';
    for (unsigned bit = LC_CONF_MAIN; bit <= LC_CONF_LOCATION; bit <<= 1) {
        if (d->ctx & bit) {
            n += (size_t)snprintf(where + n, sizeof(where) - n, "%s%s", n == 0 ? "" : " or ",
                                  ctx_name(bit));
        }
    }
    return lc_conf_fail(p, a->name_line, "'%s' is not allowed %s %s; expected it in %s", d->name,
                        p->ctx == LC_CONF_MAIN ? "at" : "in", ctx_name((unsigned)p->ctx), where);
}

/* Reads a directive's arguments up to its ';', '{' or '}', into p->a. */
static int read_args(struct lc_conf_parser *p)
{
    struct lc_conf_args *a = &p->a;

    a->n = 0;
    a->used = 0;
    a->name_line = p->lx.tok_line;
    a->end_line = p->lx.tok_line;
    for (int first = 1;; first = 0) {
        if (!first) {
            enum lc_conf_tok t = lc_conf_lex_next(&p->lx);
            if (t == LC_CONF_ERROR) {
                return lc_conf_fail(p, p->lx.tok_line, "%s", p->lx.err);
            }
            if (t != LC_CONF_WORD) {
                a->term = t;
                return 0;
            }
            if (a->n == LC_CONF_MAX_ARGS) {
                return lc_conf_fail(p, p->lx.tok_line,
                                    "'%s' has more than %d arguments; expected fewer",
                                    lc_conf_show(p, a->name), LC_CONF_MAX_ARGS);
            }
        }
        size_t len = p->lx.word_len;
        if (len + 1 > sizeof(a->buf) - a->used) {
            return lc_conf_fail(p, p->lx.tok_line,
                                "'%s' is longer than %zu bytes; expected a shorter "
                                "directive",
                                lc_conf_show(p, first ? p->lx.word : a->name), sizeof(a->buf));
        }
        char *s = a->buf + a->used;
        memcpy(s, p->lx.word, len + 1);
        a->used += len + 1;
        a->end_line = p->lx.tok_line;
        if (first) {
            a->name = s;
            continue;
        }
        a->v[a->n] = s;
        a->len[a->n] = len;
        a->line[a->n] = p->lx.tok_line;
        a->quoted[a->n] = p->lx.quoted;
        a->dollar[a->n] = p->lx.dollar_at;
        a->n++;
    }
}

/*
 * Where the directive ended is checked before its arguments: a forgotten ';' makes the next
 * line's directive look like arguments ("listen 80" then "server_name a;" reads as one), so an
 * unquoted argument on a later line that is itself a directive's name is reported as the
 * missing ';' (or '{') it most likely is.
 */
static int check_end(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                     const struct lc_conf_args *a)
{
    char text[200];
    char mark = d->child != 0 ? '{' : ';';

    for (size_t i = 0; i < a->n; i++) {
        unsigned prev = i == 0 ? a->name_line : a->line[i - 1];
        if (!a->quoted[i] && a->line[i] > prev && lc_conf_find_directive(a->v[i]) != NULL) {
            directive_text(p, a, i, text, sizeof(text));
            return lc_conf_fail(p, prev,
                                "missing '%c' after '%s'; expected '%c' before '%s' on line %u",
                                mark, text, mark, lc_conf_show(p, a->v[i]), a->line[i]);
        }
    }
    if (d->child == 0 && a->term == LC_CONF_OPEN) {
        return lc_conf_fail(p, a->end_line, "'%s' takes no block; expected ';' before '{'",
                            d->name);
    }
    if ((d->child != 0 && a->term != LC_CONF_OPEN) || (d->child == 0 && a->term != LC_CONF_SEMI)) {
        directive_text(p, a, a->n, text, sizeof(text));
        return lc_conf_fail(p, a->end_line, "missing '%c' after '%s'; expected '%c' before %s",
                            mark, text, mark, lc_conf_tok_name(a->term));
    }
    return 0;
}

/*
 * nginx expands "$host" and the like in many directives; Lucid's take plain text, and saying so
 * beats opening a file named "$host". Where nginx takes a regular expression ("~..."), '$' is
 * its anchor: such an argument is left to the directive, which refuses it with its own message.
 */
int lc_conf_no_variables(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                         const struct lc_conf_args *a)
{
    static const char name_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789_{}";

    for (size_t i = 0; i < a->n; i++) {
        if (a->dollar[i] == LC_CONF_NO_DOLLAR || (d->regex && a->v[i][0] == '~')) {
            continue;
        }
        const char *var = a->v[i] + a->dollar[i];
        size_t len = 1 + strspn(var + 1, name_chars);
        return lc_conf_fail(p, a->line[i],
                            "%s: '%.*s': variables are not supported; expected plain "
                            "text (write \\$ for a literal '$')",
                            a->name, len > 40 ? 40 : (int)len, var);
    }
    return 0;
}

int lc_conf_check_count(struct lc_conf_parser *p, const struct lc_conf_directive *d,
                        const struct lc_conf_args *a)
{
    char takes[48];

    if (a->n >= d->min && a->n <= d->max) {
        return 0;
    }
    if (d->min == d->max) {
        snprintf(takes, sizeof(takes),
                 d->min == 0   ? "no arguments"
                 : d->min == 1 ? "1 argument"
                               : "%u arguments",
                 d->min);
    } else {
        snprintf(takes, sizeof(takes), "%u to %u arguments", d->min, d->max);
    }
    return lc_conf_fail(p, a->name_line, "'%s' takes %s, got %zu; expected '%s'", d->name, takes,
                        a->n, d->usage);
}

static int parse_block(struct lc_conf_parser *p, int ctx, unsigned depth, const char *name,
                       unsigned open_line);

static int directive(struct lc_conf_parser *p, struct frame *f, unsigned depth)
{
    struct lc_conf_args *a = &p->a;

    if (read_args(p) != 0) {
        return -1;
    }
    const struct lc_conf_directive *d = lc_conf_find_directive(a->name);
    if (d == NULL) {
        return unknown_directive(p, a);
    }
    if (!(d->ctx & (unsigned)p->ctx)) {
        return wrong_block(p, d, a);
    }
    if (check_end(p, d, a) != 0) {
        return -1;
    }
    /* open_location checks its own, to explain "location = /x" and "location ~ \.php$" */
    if (d->child != LC_CONF_LOCATION &&
        (lc_conf_check_count(p, d, a) != 0 || lc_conf_no_variables(p, d, a) != 0)) {
        return -1;
    }
    size_t slot = once_slot(d);
    if (d->once && (f->seen >> slot & 1)) {
        return lc_conf_fail(
            p, a->name_line, "duplicate '%s' (first on line %u); expected it once %s %s", d->name,
            f->first[slot], p->ctx == LC_CONF_MAIN ? "at" : "in", ctx_name((unsigned)p->ctx));
    }
    f->seen |= (uint64_t)1 << slot;
    f->first[slot] = a->name_line;
    unsigned line = a->name_line;
    if (d->set(p, d, a) != 0) {
        return -1;
    }
    if (d->child == 0) {
        return 0;
    }
    /* a's buffer is reused by the block's own directives: set copied what it keeps. */
    if (parse_block(p, (int)d->child, depth + 1, d->name, line) != 0) {
        return -1;
    }
    if (d->close != NULL) {
        d->close(p);
    }
    return 0;
}

/* Reads directives until the '}' that closes this block (or the end, at the top level). */
static int parse_block(struct lc_conf_parser *p, int ctx, unsigned depth, const char *name,
                       unsigned open_line)
{
    struct frame f;

    if (depth > LC_CONF_MAX_DEPTH) {
        return lc_conf_fail(p, open_line, "blocks nested deeper than %d; expected fewer",
                            LC_CONF_MAX_DEPTH);
    }
    memset(&f, 0, sizeof(f));
    p->ctx = ctx;
    for (;;) {
        switch (lc_conf_lex_next(&p->lx)) {
        case LC_CONF_WORD:
            if (directive(p, &f, depth) != 0) {
                return -1;
            }
            p->ctx = ctx; /* a block directive's body changed it */
            break;
        case LC_CONF_END:
            if (ctx == LC_CONF_MAIN) {
                return 0;
            }
            return lc_conf_fail(p, open_line,
                                "the '%s' block opened here is not closed; expected '}' "
                                "before the end of the file",
                                name);
        case LC_CONF_CLOSE:
            if (ctx != LC_CONF_MAIN) {
                return 0;
            }
            return lc_conf_fail(p, p->lx.tok_line, "unexpected '}': no block is open");
        case LC_CONF_SEMI:
            return lc_conf_fail(p, p->lx.tok_line,
                                "unexpected ';'; expected a directive before it");
        case LC_CONF_OPEN:
            return lc_conf_fail(p, p->lx.tok_line,
                                "unexpected '{'; expected a directive before it");
        case LC_CONF_ERROR:
            return lc_conf_fail(p, p->lx.tok_line, "%s", p->lx.err);
        }
    }
}

/* ---- the API ----------------------------------------------------------------------------- */

/* The directory relative paths are taken from: the file's own, made absolute. */
static int find_dir(struct lc_conf_parser *p, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dl = slash != NULL ? (size_t)(slash - path) : 0;
    size_t n = 0;

    if (path[0] != '/') {
        if (getcwd(p->dir, sizeof(p->dir)) == NULL) {
            return lc_conf_fail(p, 0, "cannot find the current directory for relative paths: %s",
                                strerror(errno));
        }
        n = strlen(p->dir);
        while (dl >= 2 && path[0] == '.' && path[1] == '/') { /* "./conf/x.conf" */
            path += 2;
            dl -= 2;
        }
        if (dl == 1 && path[0] == '.') {
            dl = 0;
        }
        if (dl > 0 && p->dir[n - 1] != '/' && n + 1 < sizeof(p->dir)) {
            p->dir[n++] = '/';
        }
    } else if (dl == 0) {
        dl = 1; /* "/x.conf": the root directory */
    }
    if (n + dl >= sizeof(p->dir)) {
        return lc_conf_fail(p, 0,
                            "the directory of the configuration file is longer than %zu bytes",
                            sizeof(p->dir) - 1);
    }
    memcpy(p->dir + n, path, dl);
    p->dir[n + dl] = '\0';
    return 0;
}

void lc_srv_conf_free(struct lc_srv_conf *conf)
{
    if (conf == NULL) {
        return;
    }
    while (conf->blocks != NULL) {
        struct lc_conf_block *next = conf->blocks->next;
        free(conf->blocks);
        conf->blocks = next;
    }
    free(conf);
}

struct lc_srv_config *lc_srv_conf_get(struct lc_srv_conf *conf)
{
    return &conf->cfg;
}

struct lc_srv_conf *lc_srv_conf_parse(const char *path, const char *text, size_t len, char *err,
                                      size_t errlen)
{
    struct lc_srv_conf *conf = calloc(1, sizeof(*conf));
    struct lc_conf_parser *p = calloc(1, sizeof(*p));

    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    if (conf == NULL || p == NULL) {
        if (err != NULL && errlen > 0) {
            char shown[256];
            lc_srv_copy_line(shown, sizeof(shown), path, strlen(path));
            snprintf(err, errlen, "%s: out of memory", shown);
        }
        free(conf);
        free(p);
        return NULL;
    }
    p->conf = conf;
    p->err = err;
    p->errlen = errlen;
    lc_srv_copy_line(p->file, sizeof(p->file), path, strlen(path));
    p->http_tls.tickets = p->http_tls.early = p->http_tls.verify = -1;
    /* Defaults (server.h): what the file does not set stays 0, "use the server's default";
     * the error log stays stderr and the access log goes to stdout unless the file says. */
    conf->cfg.error_log = stderr;
    conf->cfg.access_log = "-";
    conf->cfg.workers = 1;

    int rc;
    if (len > LC_CONF_MAX_FILE) {
        rc = lc_conf_fail(p, 0, "the file is larger than %u bytes; expected a shorter one",
                          LC_CONF_MAX_FILE);
    } else {
        lc_conf_lex_init(&p->lx, text, len);
        rc = find_dir(p, path);
        if (rc == 0) {
            rc = parse_block(p, LC_CONF_MAIN, 0, "main", 1);
        }
        if (rc == 0) {
            rc = lc_conf_finish(p);
        }
    }
    lucid_ctx_free(p->check);
    free(p);
    if (rc != 0) {
        lc_srv_conf_free(conf);
        return NULL;
    }
    return conf;
}

struct lc_srv_conf *lc_srv_conf_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    int saved = errno;
    char shown[256];

    if (err == NULL) {
        errlen = 0; /* snprintf(NULL, 0, ...) writes nothing */
    }
    lc_srv_copy_line(shown, sizeof(shown), path, strlen(path));
    if (f == NULL) {
        snprintf(err, errlen, "%s: cannot open: %s", shown, strerror(saved));
        return NULL;
    }
    /* One byte past the limit tells a file at the limit from a longer one. */
    char *text = malloc(LC_CONF_MAX_FILE + 1);
    if (text == NULL) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", shown);
        return NULL;
    }
    size_t len = fread(text, 1, LC_CONF_MAX_FILE + 1, f);
    int bad = ferror(f);
    saved = errno;
    fclose(f);
    struct lc_srv_conf *conf = NULL;
    if (bad) {
        snprintf(err, errlen, "%s: cannot read: %s", shown, strerror(saved));
    } else {
        conf = lc_srv_conf_parse(path, text, len, err, errlen);
    }
    free(text);
    return conf;
}
