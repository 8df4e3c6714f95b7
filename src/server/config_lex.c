/*
 * The configuration file's tokenizer (config_lex.h): nginx's lexical rules (its
 * ngx_conf_read_token, src/core/ngx_conf_file.c), rewritten as a bounded scanner.
 *
 * Implementation notes: every byte is read through peek(), which answers -1 at the end, so no
 * path indexes past text + len; a word is built in the fixed lx->word and a word that would
 * outgrow it is an error, not a truncation. Errors are sticky (tok stays LC_CONF_ERROR) so
 * a caller that ignores one cannot read on into a half-scanned token.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "server/config_lex.h"

void lc_conf_lex_init(struct lc_conf_lex *lx, const char *text, size_t len)
{
    memset(lx, 0, sizeof(*lx));
    lx->text = text;
    lx->len = len;
    lx->line = 1;
    lx->tok = LC_CONF_END;
    /* A UTF-8 byte order mark, as some editors write first, is not text. */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        lx->pos = 3;
    }
}

const char *lc_conf_tok_name(enum lc_conf_tok t)
{
    static const char *const names[] = {
        [LC_CONF_WORD] = "a word",
        [LC_CONF_SEMI] = "';'",
        [LC_CONF_OPEN] = "'{'",
        [LC_CONF_CLOSE] = "'}'",
        [LC_CONF_END] = "the end of the file",
        [LC_CONF_ERROR] = "an error",
    };
    return names[t];
}

/* The byte at pos + ahead, or -1 past the end. */
static int peek(const struct lc_conf_lex *lx, size_t ahead)
{
    if (ahead >= lx->len - lx->pos) {
        return -1;
    }
    return (unsigned char)lx->text[lx->pos + ahead];
}

static void advance(struct lc_conf_lex *lx)
{
    if (lx->text[lx->pos] == '\n') {
        lx->line++;
    }
    lx->pos++;
}

static enum lc_conf_tok fail(struct lc_conf_lex *lx, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum lc_conf_tok fail(struct lc_conf_lex *lx, unsigned line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(lx->err, sizeof(lx->err), fmt, ap);
    va_end(ap);
    lx->tok_line = line;
    lx->tok = LC_CONF_ERROR;
    return LC_CONF_ERROR;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A control byte that may not appear raw: everything below 0x20 but tab, CR and LF, and DEL. */
static int is_control(int c)
{
    return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
}

static enum lc_conf_tok bad_control(struct lc_conf_lex *lx, int c)
{
    return fail(lx, lx->line, "control byte 0x%02x in the file; expected text", c);
}

static int put(struct lc_conf_lex *lx, int c)
{
    if (lx->word_len == LC_CONF_MAX_TOKEN) {
        return -1;
    }
    lx->word[lx->word_len++] = (char)c;
    return 0;
}

/* What "\c" stands for; -1 when it is not one of the format's escapes. */
static int unescape(int c)
{
    static const char literal[] = "\\\"'$;{}# ";

    switch (c) {
    case 'n':
        return '\n';
    case 't':
        return '\t';
    case 'r':
        return '\r';
    default:
        return c > 0 && strchr(literal, c) != NULL ? c : -1;
    }
}

/*
 * At a '\': the byte it stands for. A known escape consumes both bytes; any other '\' is
 * kept as itself and the byte after it read as usual, as nginx keeps "\." in a regular
 * expression, so that the directive can say what it does not support.
 */
static int escape(struct lc_conf_lex *lx)
{
    int c = unescape(peek(lx, 1));

    advance(lx);
    if (c >= 0) {
        advance(lx);
        return c;
    }
    return '\\';
}

/* nginx expands "$name" in many directives; Lucid's take plain text. The tokenizer only notes
 * where the first unescaped '$' is: the parser says so, after the directive has had a chance
 * to explain a form it refuses anyway (a regular expression, where '$' is an anchor). */
static void note_dollar(struct lc_conf_lex *lx)
{
    if (lx->dollar_at == LC_CONF_NO_DOLLAR) {
        lx->dollar_at = lx->word_len;
    }
}

static enum lc_conf_tok too_long(struct lc_conf_lex *lx)
{
    return fail(lx, lx->tok_line, "a word longer than %d bytes; expected a shorter one",
                LC_CONF_MAX_TOKEN);
}

static enum lc_conf_tok quoted(struct lc_conf_lex *lx)
{
    int quote = peek(lx, 0);
    unsigned start = lx->line;

    lx->quoted = 1;
    advance(lx);
    for (;;) {
        int c = peek(lx, 0);
        if (c < 0) {
            return fail(lx, start, "unterminated string: the %s opened here is never closed",
                        quote == '"' ? "'\"'" : "\"'\"");
        }
        if (c == quote) {
            advance(lx);
            break;
        }
        if (c == '\\') {
            c = escape(lx);
        } else if (is_control(c)) {
            return bad_control(lx, c);
        } else {
            if (c == '$') {
                note_dollar(lx);
            }
            advance(lx); /* line ends may sit inside a string */
        }
        if (put(lx, c) != 0) {
            return too_long(lx);
        }
    }
    /* nginx asks for a separator after a closing quote: "a"b is not one word. */
    int next = peek(lx, 0);
    if (next >= 0 && !is_space(next) && next != ';' && next != '{' && next != '}') {
        return fail(lx, lx->line,
                    "text right after a closing quote; expected a space, ';' or '{' after it");
    }
    return LC_CONF_WORD;
}

static enum lc_conf_tok bare(struct lc_conf_lex *lx)
{
    lx->quoted = 0;
    for (;;) {
        int c = peek(lx, 0);
        if (c < 0 || is_space(c) || c == ';' || c == '{' || c == '}') {
            return LC_CONF_WORD;
        }
        if (c == '\\') {
            c = escape(lx);
        } else if (c == '"' || c == '\'') {
            return fail(lx, lx->line,
                        "a quote inside a word; expected quotes around the whole word");
        } else if (is_control(c)) {
            return bad_control(lx, c);
        } else {
            if (c == '$') {
                note_dollar(lx);
            }
            advance(lx);
        }
        if (put(lx, c) != 0) {
            return too_long(lx);
        }
    }
}

/* Skips spaces, line ends and comments; -1 after a control byte (lx then holds the error). */
static int skip_blank(struct lc_conf_lex *lx)
{
    for (;;) {
        int c = peek(lx, 0);
        if (c < 0) {
            return 0;
        }
        if (c == '#') {
            /* A comment may hold any text (UTF-8 included) but NUL. */
            while ((c = peek(lx, 0)) >= 0 && c != '\n') {
                if (c == 0) {
                    bad_control(lx, c);
                    return -1;
                }
                advance(lx);
            }
        } else if (is_space(c)) {
            advance(lx);
        } else if (is_control(c)) {
            bad_control(lx, c);
            return -1;
        } else {
            return 0;
        }
    }
}

enum lc_conf_tok lc_conf_lex_next(struct lc_conf_lex *lx)
{
    static const enum lc_conf_tok marks[256] = {
        [';'] = LC_CONF_SEMI,
        ['{'] = LC_CONF_OPEN,
        ['}'] = LC_CONF_CLOSE,
    };

    if (lx->tok == LC_CONF_ERROR) {
        return LC_CONF_ERROR;
    }
    lx->word_len = 0;
    lx->word[0] = '\0';
    lx->quoted = 0;
    lx->dollar_at = LC_CONF_NO_DOLLAR;
    if (skip_blank(lx) != 0) {
        return LC_CONF_ERROR;
    }
    lx->tok_line = lx->line;
    int c = peek(lx, 0);
    if (c < 0) {
        return lx->tok = LC_CONF_END;
    }
    if (marks[c] != LC_CONF_WORD) {
        advance(lx);
        return lx->tok = marks[c];
    }
    enum lc_conf_tok t = c == '"' || c == '\'' ? quoted(lx) : bare(lx);
    lx->word[lx->word_len] = '\0';
    return lx->tok = t;
}
