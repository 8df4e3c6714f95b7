/*
 * The RFC 8448 loader: turns the RFC's text into steps and fields (see rfc8448.h).
 *
 * The RFC's layout: section headings at column 0 ("3.  Simple 1-RTT Handshake");
 * steps indented 3 spaces, opening with "{client}" or "{server}" and ending at
 * a colon (sometimes on the next line); fields indented 6 spaces as
 * "NAME (N octets):  hex ...", or "NAME:  hex" 3 spaces in (section 2), with hex continued
 * on lines of their own, possibly across a page break (footer, form feed,
 * header). Every field's byte count is checked against its "(N octets)".
 */
#include "rfc8448.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 1024

static struct rfc8448_step steps[MAX_STEPS];
static size_t nsteps;
static bool loaded;

static void die(const char *what, int line)
{
    fprintf(stderr, "rfc8448: %s at line %d of tests/vectors/rfc8448.txt\n", what, line);
    abort();
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);

    if (d == NULL) {
        abort();
    }
    return d;
}

/* Collapses runs of whitespace to one space and trims both ends, in place. */
static void collapse(char *s)
{
    char *out = s;
    bool space = false;

    for (char *p = s; *p != '\0'; p++) {
        if (isspace((unsigned char)*p)) {
            space = out != s;
            continue;
        }
        if (space) {
            *out++ = ' ';
            space = false;
        }
        *out++ = *p;
    }
    *out = '\0';
}

/* True if s (after leading spaces) is only two-digit hex tokens separated by spaces. */
static bool is_hex_line(const char *s)
{
    int digits = 0, tokens = 0;

    for (; *s != '\0' && *s != '\n'; s++) {
        if (*s == ' ') {
            if (digits != 0 && digits != 2) {
                return false;
            }
            tokens += digits == 2;
            digits = 0;
        } else if (isxdigit((unsigned char)*s) && !isupper((unsigned char)*s)) {
            digits++;
        } else {
            return false;
        }
    }
    if (digits != 0 && digits != 2) {
        return false;
    }
    return tokens + (digits == 2) > 0;
}

static void append_hex(struct rfc8448_field *f, const char *s, size_t *cap, int line)
{
    while (*s != '\0' && *s != '\n') {
        unsigned v;

        if (*s == ' ') {
            s++;
            continue;
        }
        if (sscanf(s, "%2x", &v) != 1) {
            die("bad hex", line);
        }
        if (f->len == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            f->data = realloc(f->data, *cap);
            if (f->data == NULL) {
                abort();
            }
        }
        f->data[f->len++] = (uint8_t)v;
        s += 2;
    }
}

static bool is_page_furniture(const char *line)
{
    return line[0] == '\f' || strncmp(line, "Thomson ", 8) == 0 ||
           strncmp(line, "RFC 8448 ", 9) == 0;
}

/* "NAME (N octets):  hex" or "NAME:  hex": splits into name, declared length (-1), rest. */
static bool parse_field_line(char *line, char **name, long *declared, char **rest)
{
    char *colon = strstr(line, ":  ");
    char *octets;
    size_t indent = strspn(line, " ");

    /* fields sit 6 spaces in; section 2's RSA key components 3 */
    if ((indent != 6 && indent != 3) || colon == NULL) {
        return false;
    }
    *colon = '\0';
    *rest = colon + 3;
    while (**rest == ' ') {
        (*rest)++;
    }
    *declared = -1;
    if ((octets = strstr(line, " octets)")) != NULL) {
        char *open = strrchr(line, '(');
        if (open == NULL || open > octets) {
            return false;
        }
        *declared = strtol(open + 1, NULL, 10);
        *open = '\0';
    }
    *name = line + indent;
    collapse(*name);
    return **rest == '\0' || strcmp(*rest, "(empty)") == 0 || is_hex_line(*rest);
}

static void check_length(const struct rfc8448_field *f, long declared, int line)
{
    if (declared >= 0 && (size_t)declared != f->len) {
        die("field length differs from its (N octets)", line);
    }
}

void rfc8448_load(void)
{
    FILE *fp;
    char buf[512];
    int section = 0, lineno = 0, field_line = 0;
    struct rfc8448_step *step = NULL;
    struct rfc8448_field *field = NULL;
    size_t fieldcap = 0;
    long declared = -1;
    char desc[512];
    bool in_desc = false;

    if (loaded) {
        return;
    }
    if ((fp = fopen("vectors/rfc8448.txt", "r")) == NULL) {
        perror("rfc8448: vectors/rfc8448.txt (tests run from the tests/ directory)");
        abort();
    }
    while (fgets(buf, sizeof(buf), fp) != NULL) {
        char *name, *rest;

        lineno++;
        buf[strcspn(buf, "\n")] = '\0';
        if (is_page_furniture(buf)) {
            continue;
        }
        if (isdigit((unsigned char)buf[0])) {
            /* a section heading ends every step and field */
            section = atoi(buf);
            if (field != NULL) {
                check_length(field, declared, field_line);
            }
            step = NULL;
            field = NULL;
            continue;
        }
        if (in_desc) {
            /* a step's description continued on the next line */
            strncat(desc, " ", sizeof(desc) - strlen(desc) - 1);
            strncat(desc, buf, sizeof(desc) - strlen(desc) - 1);
            if (strchr(buf, ':') != NULL || buf[0] == '\0') {
                char *colon = strrchr(desc, ':');
                in_desc = false;
                if (colon != NULL) {
                    *colon = '\0';
                }
                collapse(desc);
                step->desc = xstrdup(desc);
            }
            continue;
        }
        if (strncmp(buf, "   {", 4) == 0 && section >= 2) {
            if (field != NULL) {
                check_length(field, declared, field_line);
            }
            if (nsteps == MAX_STEPS) {
                die("too many steps", lineno);
            }
            step = &steps[nsteps++];
            step->section = section;
            field = NULL;
            snprintf(desc, sizeof(desc), "%s", buf);
            if (strchr(buf, ':') == NULL) {
                in_desc = true;
                continue;
            }
            *strrchr(desc, ':') = '\0';
            collapse(desc);
            step->desc = xstrdup(desc);
            continue;
        }
        if (section >= 2 && section <= 7 && parse_field_line(buf, &name, &declared, &rest)) {
            if (step == NULL) {
                /* section 2: the server's RSA key, fields with no step line */
                step = &steps[nsteps++];
                step->section = section;
                step->desc = xstrdup("{server} RSA private key");
            }
            if (step->nfields == RFC8448_MAX_FIELDS) {
                die("too many fields in one step", lineno);
            }
            field = &step->field[step->nfields++];
            field->name = xstrdup(name);
            fieldcap = 0;
            field_line = lineno;
            if (strcmp(rest, "(empty)") != 0) {
                append_hex(field, rest, &fieldcap, lineno);
            }
            continue;
        }
        if (field != NULL && strspn(buf, " ") >= 6 && is_hex_line(buf + strspn(buf, " "))) {
            append_hex(field, buf + strspn(buf, " "), &fieldcap, lineno);
            continue;
        }
        if (field != NULL && buf[0] != '\0') {
            /* prose ends a field */
            check_length(field, declared, field_line);
            field = NULL;
        }
    }
    fclose(fp);
    if (field != NULL) {
        check_length(field, declared, field_line);
    }
    loaded = true;
}

size_t rfc8448_count(int section)
{
    size_t n = 0;

    rfc8448_load();
    for (size_t i = 0; i < nsteps; i++) {
        n += steps[i].section == section;
    }
    return n;
}

const struct rfc8448_step *rfc8448_step(int section, size_t i)
{
    rfc8448_load();
    for (size_t j = 0; j < nsteps; j++) {
        if (steps[j].section == section && i-- == 0) {
            return &steps[j];
        }
    }
    return NULL;
}

const uint8_t *rfc8448_get(int section, const char *step, int nth, const char *field,
                           size_t *len)
{
    char want[512];

    rfc8448_load();
    snprintf(want, sizeof(want), "%s", step);
    collapse(want);
    for (size_t i = 0; i < nsteps; i++) {
        const struct rfc8448_step *s = &steps[i];

        if (s->section != section || s->desc == NULL || strstr(s->desc, want) == NULL) {
            continue;
        }
        if (nth-- > 0) {
            continue;
        }
        for (size_t f = 0; f < s->nfields; f++) {
            if (strcmp(s->field[f].name, field) == 0) {
                *len = s->field[f].len;
                return s->field[f].data != NULL ? s->field[f].data : (const uint8_t *)"";
            }
        }
        break;
    }
    fprintf(stderr, "rfc8448: no field '%s' in step '%s' of section %d\n", field, step, section);
    abort();
}
