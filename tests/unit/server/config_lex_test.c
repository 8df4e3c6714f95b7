/*
 * Tests for src/server/config_lex.c: the configuration file's tokens, nginx's lexical rules
 * (quotes, escapes, comments), and the exact error for each malformed input.
 */
#include "test.h"

#include "server/config_lex.h"

/*
 * The tokens of text as one string: words in [], quoted words in "", marks as themselves,
 * each followed by "@LINE", separated by spaces; ends with "END@LINE" or "ERROR@LINE: msg".
 * A word with an unescaped '$' has "$N" before its "@": where the first one is.
 */
static void tokens(const char *text, size_t len, char *out, size_t cap)
{
    static struct lc_conf_lex lx; /* 4 KiB word buffer: not on the stack */
    size_t n = 0;

    lc_conf_lex_init(&lx, text, len);
    out[0] = '\0';
    for (;;) {
        enum lc_conf_tok t = lc_conf_lex_next(&lx);
        switch (t) {
        case LC_CONF_WORD:
            n += (size_t)snprintf(out + n, cap - n, lx.quoted ? "\"%s\"" : "[%s]", lx.word);
            if (lx.dollar_at != LC_CONF_NO_DOLLAR) {
                n += (size_t)snprintf(out + n, cap - n, "$%zu", lx.dollar_at);
            }
            n += (size_t)snprintf(out + n, cap - n, "@%u ", lx.tok_line);
            break;
        case LC_CONF_SEMI:
        case LC_CONF_OPEN:
        case LC_CONF_CLOSE:
            n += (size_t)snprintf(out + n, cap - n, "%c@%u ",
                                  t == LC_CONF_SEMI   ? ';'
                                  : t == LC_CONF_OPEN ? '{'
                                                      : '}',
                                  lx.tok_line);
            break;
        case LC_CONF_END:
            snprintf(out + n, cap - n, "END@%u", lx.tok_line);
            return;
        case LC_CONF_ERROR:
            snprintf(out + n, cap - n, "ERROR@%u: %s", lx.tok_line, lx.err);
            /* sticky */
            CHECK(lc_conf_lex_next(&lx) == LC_CONF_ERROR);
            return;
        }
        CHECK(n < cap);
    }
}

struct case_ {
    const char *text;
    const char *want;
};

static void run_cases(const struct case_ *cases, size_t count)
{
    char got[2048];

    for (size_t i = 0; i < count; i++) {
        tokens(cases[i].text, strlen(cases[i].text), got, sizeof(got));
        CHECK(strcmp(got, cases[i].want) == 0);
        if (strcmp(got, cases[i].want) != 0) {
            fprintf(stderr, "  text: %s\n  got:  %s\n  want: %s\n", cases[i].text, got,
                    cases[i].want);
        }
    }
}

static void test_tokens(void)
{
    static const struct case_ cases[] = {
        { "", "END@1" },
        { "  \t\r\n\n", "END@3" },
        { "a;", "[a]@1 ;@1 END@1" },
        { "listen 80 ssl;", "[listen]@1 [80]@1 [ssl]@1 ;@1 END@1" },
        { "http{server{}}", "[http]@1 {@1 [server]@1 {@1 }@1 }@1 END@1" },
        { "a\n  b\n\n c ;", "[a]@1 [b]@2 [c]@4 ;@4 END@4" },
        /* comments: from a token's start to the end of the line; '#' inside a word is text */
        { "# all\na; # b c ;\nd#e;", "[a]@2 ;@2 [d#e]@3 ;@3 END@3" },
        { "a # \xc3\xa9t\xc3\xa9 { ; }\n}", "[a]@1 }@2 END@2" },
        /* quotes: spaces, marks, '#' and line ends inside; empty strings are words */
        { "root \"/srv/my site\";", "[root]@1 \"/srv/my site\"@1 ;@1 END@1" },
        { "x '{;}#' \"\" '';", "[x]@1 \"{;}#\"@1 \"\"@1 \"\"@1 ;@1 END@1" },
        { "x \"a\nb\" y;", "[x]@1 \"a\nb\"@1 [y]@2 ;@2 END@2" },
        { "x 'a\"b' \"a'b\";", "[x]@1 \"a\"b\"@1 \"a'b\"@1 ;@1 END@1" },
        { "x \"a\";", "[x]@1 \"a\"@1 ;@1 END@1" },
        { "x \"a\"{", "[x]@1 \"a\"@1 {@1 END@1" },
        { "x \"a\"}", "[x]@1 \"a\"@1 }@1 END@1" },
        /* escapes, quoted and bare */
        { "x \"a\\\"b\\\\c\\n\\t\\r\";", "[x]@1 \"a\"b\\c\n\t\r\"@1 ;@1 END@1" },
        { "x a\\ b\\;c\\{\\}\\#\\$\\'\\\";", "[x]@1 [a b;c{}#$'\"]@1 ;@1 END@1" },
        /* '$' is noted, not judged (the parser refuses variables); "\$" is plain text */
        { "x '\\$5';", "[x]@1 \"$5\"@1 ;@1 END@1" },
        { "root $document_root;", "[root]@1 [$document_root]$0@1 ;@1 END@1" },
        { "\n\nx \"/srv/${host}\";", "[x]@3 \"/srv/${host}\"$5@3 ;@3 END@3" },
        { "x a\\$b$c;", "[x]@1 [a$b$c]$3@1 ;@1 END@1" },
        /* any other '\' stays, as nginx keeps it: "\." in a regular expression */
        { "location ~ \\.php$ {", "[location]@1 [~]@1 [\\.php$]$5@1 {@1 END@1" },
        { "x a\\qb \"\\q\";", "[x]@1 [a\\qb]@1 \"\\q\"@1 ;@1 END@1" },
        { "x \\", "[x]@1 [\\]@1 END@1" },
        { "x \"a\\\";", "[x]@1 ERROR@1: unterminated string: the '\"' opened here is never "
                        "closed" },
        /* a byte order mark first is skipped; anywhere else, UTF-8 is text */
        { "\xef\xbb\xbfhttp {", "[http]@1 {@1 END@1" },
        { "x \xef\xbb\xbf;", "[x]@1 [\xef\xbb\xbf]@1 ;@1 END@1" },
        { "root /srv/\xc3\xa9t\xc3\xa9;", "[root]@1 [/srv/\xc3\xa9t\xc3\xa9]@1 ;@1 END@1" },
        /* errors */
        { "x \"abc", "[x]@1 ERROR@1: unterminated string: the '\"' opened here is never closed" },
        { "x\n'a\nb", "[x]@1 ERROR@2: unterminated string: the \"'\" opened here is never closed" },
        { "x \"a\"b;",
          "[x]@1 ERROR@1: text right after a closing quote; expected a space, ';' or '{' after "
          "it" },
        { "x a\"b\";", "[x]@1 ERROR@1: a quote inside a word; expected quotes around the whole "
                       "word" },
        { "x \"\\\x01\";", "[x]@1 ERROR@1: control byte 0x01 in the file; expected text" },
        { "x a\x01;", "[x]@1 ERROR@1: control byte 0x01 in the file; expected text" },
        { "\x1b[31m", "ERROR@1: control byte 0x1b in the file; expected text" },
        { "x '\x7f';", "[x]@1 ERROR@1: control byte 0x7f in the file; expected text" },
    };
    run_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Only the errors carry text that the table's C strings cannot hold: a NUL byte. */
static void test_nul(void)
{
    static const char text[] = "a;\n#x\0y\nb;";
    static const char quoted[] = "a '\0';";
    char got[256];

    tokens(text, sizeof(text) - 1, got, sizeof(got));
    CHECK(strcmp(got, "[a]@1 ;@1 ERROR@2: control byte 0x00 in the file; expected text") == 0);
    tokens(quoted, sizeof(quoted) - 1, got, sizeof(got));
    CHECK(strcmp(got, "[a]@1 ERROR@1: control byte 0x00 in the file; expected text") == 0);
    /* the length bounds the text: the byte after it is never read */
    tokens("a;b", 2, got, sizeof(got));
    CHECK(strcmp(got, "[a]@1 ;@1 END@1") == 0);
    tokens("'ab'", 3, got, sizeof(got));
    CHECK(strcmp(got, "ERROR@1: unterminated string: the \"'\" opened here is never closed") == 0);
}

/* A word of LC_CONF_MAX_TOKEN bytes is one; a byte more is an error, not a cut. */
static void test_long_word(void)
{
    static char text[LC_CONF_MAX_TOKEN + 16];
    static char got[LC_CONF_MAX_TOKEN + 128];

    memset(text, 'a', LC_CONF_MAX_TOKEN);
    text[LC_CONF_MAX_TOKEN] = ';';
    tokens(text, LC_CONF_MAX_TOKEN + 1, got, sizeof(got));
    CHECK(strlen(got) == LC_CONF_MAX_TOKEN + strlen("[]@1 ;@1 END@1"));
    memset(text, 'a', LC_CONF_MAX_TOKEN + 1);
    text[LC_CONF_MAX_TOKEN + 1] = ';';
    tokens(text, LC_CONF_MAX_TOKEN + 2, got, sizeof(got));
    CHECK(strcmp(got, "ERROR@1: a word longer than 4096 bytes; expected a shorter one") == 0);
    /* the same bound inside quotes, counted after unescaping */
    text[0] = '"';
    memset(text + 1, 'a', LC_CONF_MAX_TOKEN);
    text[LC_CONF_MAX_TOKEN + 1] = '\\';
    text[LC_CONF_MAX_TOKEN + 2] = 'n';
    text[LC_CONF_MAX_TOKEN + 3] = '"';
    tokens(text, LC_CONF_MAX_TOKEN + 4, got, sizeof(got));
    CHECK(strcmp(got, "ERROR@1: a word longer than 4096 bytes; expected a shorter one") == 0);
}

static void test_tok_names(void)
{
    CHECK(strcmp(lc_conf_tok_name(LC_CONF_SEMI), "';'") == 0);
    CHECK(strcmp(lc_conf_tok_name(LC_CONF_OPEN), "'{'") == 0);
    CHECK(strcmp(lc_conf_tok_name(LC_CONF_CLOSE), "'}'") == 0);
    CHECK(strcmp(lc_conf_tok_name(LC_CONF_END), "the end of the file") == 0);
}

TEST_MAIN(test_tokens, test_nul, test_long_word, test_tok_names)
