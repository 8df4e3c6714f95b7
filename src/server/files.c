/*
 * Static files: from a decoded, normalised request path (lc_http_target_path) to an open file
 * under the root, and the Content-Type of a name.
 *
 * The path can no longer climb out by "..", but a symbolic link inside the root still could,
 * so the final answer comes from realpath(): the resolved file must lie inside the resolved
 * root, or the request is refused with 403. The resolved path, which has no links left, is
 * then opened with O_NOFOLLOW and O_NONBLOCK (a FIFO must not stall the loop in open()), and
 * only a regular file is served. The remaining gap, a directory inside the root swapped for a
 * link between realpath() and open(), needs write access to the root; openat2() with
 * RESOLVE_BENEATH would close it on Linux 5.6 and later.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/internal.h"

static int errno_status(int e)
{
    return (e == EACCES || e == EPERM || e == ELOOP) ? 403 : 404;
}

/* Whether real is root itself or a path below it. */
static int inside(const char *root, const char *real)
{
    size_t n = strlen(root);

    if (strcmp(root, "/") == 0) {
        return 1;
    }
    return strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/*
 * Opens root + path (path starts with '/'; a directory path ends with '/' and gets
 * index.html). Returns 0 with f filled, 301 when path names a directory but does not end with
 * '/', or 403, 404 or 414.
 */
int lc_srv_file_open(const char *root, const char *path, int is_dir, struct lc_srv_file *f)
{
    char full[PATH_MAX], real[PATH_MAX];
    struct stat st;
    int n;

    f->fd = -1;
    n = snprintf(full, sizeof(full), "%s%s%s%s", strcmp(root, "/") == 0 ? "" : root, path,
                 (is_dir && strcmp(path, "/") != 0) ? "/" : "", is_dir ? "index.html" : "");
    if (n < 0 || (size_t)n >= sizeof(full)) {
        return 414;
    }
    if (realpath(full, real) == NULL) {
        return errno_status(errno);
    }
    if (!inside(root, real)) {
        return 403; /* a link that leads out of the root */
    }
    int fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return errno_status(errno);
    }
    if (fstat(fd, &st) != 0) {
        close(fd);
        return 404;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        /* "/dir" names a directory: send the client to "/dir/" so its relative links work.
         * "/dir/" whose index.html is itself a directory has nothing to serve. */
        return is_dir ? 404 : 301;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return 403; /* devices, FIFOs and sockets are never served */
    }
    f->fd = fd;
    f->size = st.st_size;
    f->mtime = st.st_mtime;
    f->type = lc_srv_mime_type(full);
    return 0;
}

/* Content types by extension (the usual web ones); text types say their charset. */
static const struct {
    const char *ext;
    const char *type;
} mime_types[] = {
    { "html", "text/html; charset=utf-8" },
    { "htm", "text/html; charset=utf-8" },
    { "css", "text/css; charset=utf-8" },
    { "js", "text/javascript; charset=utf-8" },
    { "mjs", "text/javascript; charset=utf-8" },
    { "json", "application/json" },
    { "map", "application/json" },
    { "txt", "text/plain; charset=utf-8" },
    { "md", "text/markdown; charset=utf-8" },
    { "csv", "text/csv; charset=utf-8" },
    { "xml", "application/xml" },
    { "png", "image/png" },
    { "jpg", "image/jpeg" },
    { "jpeg", "image/jpeg" },
    { "gif", "image/gif" },
    { "webp", "image/webp" },
    { "avif", "image/avif" },
    { "svg", "image/svg+xml" },
    { "ico", "image/vnd.microsoft.icon" },
    { "woff", "font/woff" },
    { "woff2", "font/woff2" },
    { "ttf", "font/ttf" },
    { "otf", "font/otf" },
    { "wasm", "application/wasm" },
    { "pdf", "application/pdf" },
    { "zip", "application/zip" },
    { "gz", "application/gzip" },
    { "tar", "application/x-tar" },
    { "mp4", "video/mp4" },
    { "webm", "video/webm" },
    { "mp3", "audio/mpeg" },
    { "ogg", "audio/ogg" },
    { "wav", "audio/wav" },
    { "pem", "application/x-pem-file" },
};

const char *lc_srv_mime_type(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(slash != NULL ? slash : name, '.');

    if (dot != NULL && dot[1] != '\0') {
        for (size_t i = 0; i < sizeof(mime_types) / sizeof(mime_types[0]); i++) {
            if (strcasecmp(dot + 1, mime_types[i].ext) == 0) {
                return mime_types[i].type;
            }
        }
    }
    return "application/octet-stream";
}
