/*
 * The tokenizer of the configuration file (config_file.h): nginx's lexical rules, bounded.
 *
 * A file is a stream of words and the three punctuation marks ';', '{' and '}', separated by
 * spaces, tabs and line ends. '#' at the start of a token comments out the rest of its line
 * (inside a word it is an ordinary character, as in nginx). A word is bare (up to a space or a
 * punctuation mark) or quoted with '"' or '\'' (and may then hold spaces, punctuation and line
 * ends). In both forms '\' escapes: \n \t \r, and \\ \" \' \$ \; \{ \} \# and "\ " stand for
 * the character itself; before any other byte a '\' is kept, as nginx keeps it. Variables
 * ("$host") are not supported: the tokenizer notes where a word's first unescaped '$' is, for
 * the parser to refuse. A UTF-8 byte order mark at the start is skipped. NUL and other
 * control bytes are errors, and so are a quote inside a bare word and text right after a
 * closing quote: both are far more often a quote put in the wrong place than a word meant to
 * hold one (which quotes and \" can write).
 *
 * Bounds: a word is at most LC_CONF_MAX_TOKEN bytes after unescaping. The tokenizer never
 * reads past text + len and never recurses; the parser above bounds nesting.
 */
#ifndef LC_SERVER_CONFIG_LEX_H
#define LC_SERVER_CONFIG_LEX_H

#include <stddef.h>

#define LC_CONF_MAX_TOKEN 4096 /* bytes in one word: PATH_MAX */
#define LC_CONF_NO_DOLLAR ((size_t)-1)

enum lc_conf_tok {
    LC_CONF_WORD,  /* word, word_len, quoted */
    LC_CONF_SEMI,  /* ';' */
    LC_CONF_OPEN,  /* '{' */
    LC_CONF_CLOSE, /* '}' */
    LC_CONF_END,   /* the end of the text */
    LC_CONF_ERROR, /* err says what; sticky: every later call returns it again */
};

struct lc_conf_lex {
    const char *text;
    size_t len;
    size_t pos;    /* the next byte to read */
    unsigned line; /* the line of text[pos], from 1 */

    /* The token just read. tok_line is where it starts (for LC_CONF_ERROR, where the fault
     * is: the opening quote of an unterminated string). */
    enum lc_conf_tok tok;
    unsigned tok_line;
    char word[LC_CONF_MAX_TOKEN + 1]; /* NUL-terminated; escapes already applied */
    size_t word_len;
    int quoted;
    size_t dollar_at; /* word[dollar_at] is its first '$' not escaped; or LC_CONF_NO_DOLLAR */
    char err[200];    /* one line, without the file and line number */
};

void lc_conf_lex_init(struct lc_conf_lex *lx, const char *text, size_t len);

/* Reads the next token. */
enum lc_conf_tok lc_conf_lex_next(struct lc_conf_lex *lx);

/* How a punctuation token reads in a message: "';'", "'{'", "'}'", "the end of the file"
 * (a word: "a word"). */
const char *lc_conf_tok_name(enum lc_conf_tok t);

#endif
