/*
 * The helpers lucid-cert's commands share (see cli.h): messages, option
 * errors, paths, files written with exact modes, dates and key kinds.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILE_MAX (16u << 20)

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;

    fputs("lucid-cert: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

int cli_bad_option(const char *cmd, char **argv, int c)
{
    /* getopt_long has just stepped past the offending word */
    const char *word = optind > 0 ? argv[optind - 1] : "?";

    if (c == ':') {
        return cli_error(EXIT_USAGE, "%s: %s needs a value (see lucid-cert %s --help)", cmd,
                         word, cmd);
    }
    return cli_error(EXIT_USAGE, "%s: unknown option '%s' (see lucid-cert %s --help)", cmd, word,
                     cmd);
}

const char *cli_pki_dir(const char *dir)
{
    const char *env = getenv("LUCID_PKI");

    if (dir != NULL) {
        return dir;
    }
    return env != NULL && env[0] != '\0' ? env : "lucid-pki";
}

bool cli_path(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);

    if (n < 0 || (size_t)n >= cap) {
        cli_error(EXIT_USAGE, "the path %s/%s is too long", dir, name);
        return false;
    }
    return true;
}

char *cli_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int saved;

    if (f == NULL) {
        return NULL;
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *bigger;

            cap = cap == 0 ? 8192 : cap * 2;
            if (cap > FILE_MAX + 1 || (bigger = realloc(buf, cap)) == NULL) {
                saved = cap > FILE_MAX + 1 ? EFBIG : ENOMEM;
                goto fail;
            }
            buf = bigger;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        saved = EIO;
        goto fail;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
fail:
    fclose(f);
    free(buf);
    errno = saved;
    return NULL;
}

/* Writes all of data to fd, then fixes its mode (open's mode passes through the umask). */
static int fill(int fd, const void *data, size_t len, mode_t mode)
{
    const char *p = data;

    if (fchmod(fd, mode) != 0) {
        return -1;
    }
    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return fsync(fd);
}

int cli_write_file(const char *path, const void *data, size_t len, mode_t mode, bool replace)
{
    char tmp[4096];
    int fd, saved, rc;

    if (!replace) {
        /* 0600 until fill sets the real mode: a key is never readable by others, even briefly */
        if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
            return -1;
        }
        if (fill(fd, data, len, mode) != 0) {
            saved = errno;
            close(fd);
            unlink(path);
            errno = saved;
            return -1;
        }
        return close(fd);
    }
    if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if ((fd = mkstemp(tmp)) < 0) {
        return -1;
    }
    rc = fill(fd, data, len, mode);
    saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        errno = saved;
    }
    return rc;
}

bool cli_parse_date(const char *text, int64_t *out)
{
    struct tm tm = { 0 }, back;
    int y, mo, d, h = 0, mi = 0, s = 0, used = 0;
    size_t len = strlen(text);
    time_t t;

    /* the two forms, and nothing after them: %n tells how far sscanf read */
    if (len == 10) {
        if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10) {
            return false;
        }
    } else if (len == 20) {
        if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &s, &used) != 6 ||
            used != 20) {
            return false;
        }
    } else {
        return false;
    }
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || h < 0 ||
        mi < 0 || s < 0) {
        return false;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    t = timegm(&tm);
    /* timegm rolls 2025-02-30 over to March: a date that does not come back is not a date */
    if (gmtime_r(&t, &back) == NULL || back.tm_mday != d || back.tm_mon != mo - 1) {
        return false;
    }
    *out = (int64_t)t;
    return true;
}

void cli_format_date(int64_t t, char *out, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL || strftime(out, cap, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0) {
        snprintf(out, cap, "(%lld)", (long long)t);
    }
}

static const struct cli_key_kind kinds[] = {
    { "ecdsa-p256", LC_KEY_EC_P256, 0 }, { "ecdsa-p384", LC_KEY_EC_P384, 0 },
    { "ed25519", LC_KEY_ED25519, 0 },    { "rsa-2048", LC_KEY_RSA, 2048 },
    { "rsa-3072", LC_KEY_RSA, 3072 },
};

const struct cli_key_kind *cli_key_kind(const char *name)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(kinds); i++) {
        if (strcmp(kinds[i].name, name) == 0) {
            return &kinds[i];
        }
    }
    return NULL;
}

const char *cli_key_kind_list(void)
{
    return "ecdsa-p256, ecdsa-p384, ed25519, rsa-2048, rsa-3072";
}

void cli_key_words(enum lc_key_type type, unsigned bits, char *out, size_t cap)
{
    switch (type) {
    case LC_KEY_EC_P256:
        snprintf(out, cap, "ECDSA P-256");
        break;
    case LC_KEY_EC_P384:
        snprintf(out, cap, "ECDSA P-384");
        break;
    case LC_KEY_EC_P521:
        snprintf(out, cap, "ECDSA P-521");
        break;
    case LC_KEY_ED25519:
        snprintf(out, cap, "Ed25519");
        break;
    case LC_KEY_RSA:
        snprintf(out, cap, "RSA %u", bits);
        break;
    default:
        snprintf(out, cap, "other (%u bits)", bits);
        break;
    }
}
