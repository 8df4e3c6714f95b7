/*
 * Static files: from a decoded, normalised request path (lc_http_target_path) to an open file
 * under a location's root, and the Content-Type of a name.
 *
 * The path can no longer climb out by "..", but a symbolic link inside the root still could.
 * Links are allowed as long as they resolve inside the root; one that leads out is refused
 * with 403. Two ways make sure of it (files.h):
 *
 * - openat2() with RESOLVE_BENEATH (Linux 5.6 and later) resolves the path relative to the
 *   root's descriptor and fails with EXDEV the moment the resolution would leave it, so
 *   there is no gap between checking and opening for an attacker who can write inside the
 *   root to swap a directory for a link. It also refuses every absolute link, even one that
 *   points back inside the root; for those (EXDEV) the answer comes from realpath() below,
 *   and the resolved path is then opened with openat2() again, beneath the root and with
 *   RESOLVE_NO_SYMLINKS, so a link swapped in after realpath() fails the open.
 * - Otherwise (an older kernel, or a seccomp filter that says ENOSYS or EPERM), realpath():
 *   the resolved file must lie inside the resolved root, and that resolved path, which had
 *   no links left, is opened with O_NOFOLLOW. The gap that remains, a directory inside the
 *   root swapped for a link between realpath() and open(), needs write access to the root.
 *
 * Files are opened with O_NONBLOCK (a FIFO must not stall the event loop in open()) and only
 * regular files are served.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "server/files.h"

#define OPEN_FLAGS (O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)

/* What an open() failure tells the client. */
static int errno_status(int e)
{
    switch (e) {
    case EACCES:
    case EPERM:
    case ELOOP:
    case EXDEV:
        return 403;
    case ENAMETOOLONG:
        return 414;
    case EMFILE:
    case ENFILE:
    case ENOMEM:
        return 503; /* ours to fix, not the client's */
    default:
        return 404; /* ENOENT, ENOTDIR */
    }
}

/* openat2(2) beneath dirfd: a descriptor, or -errno (-ENOSYS where the kernel or the C
 * headers predate it: the only feature test in this file, and it only says "fall back"). */
static int open_beneath(int dirfd, const char *rel, unsigned long long resolve)
{
#ifdef SYS_openat2
    struct open_how how;

    memset(&how, 0, sizeof(how));
    how.flags = OPEN_FLAGS;
    how.resolve = resolve;
    long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
    return fd >= 0 ? (int)fd : -errno;
#else
    (void)dirfd;
    (void)rel;
    (void)resolve;
    return -ENOSYS;
#endif
}

/* The kernel cannot do openat2 here: no such call, filtered, or flags it does not know. */
static int unsupported(int rc)
{
    return rc == -ENOSYS || rc == -EPERM || rc == -EINVAL || rc == -E2BIG;
}

/* The part of full (a path that starts with root) below root, for openat2; "." for root. */
static const char *below(const char *root, const char *full)
{
    const char *rel = full + (strcmp(root, "/") == 0 ? 0 : strlen(root));

    while (*rel == '/') {
        rel++;
    }
    return *rel != '\0' ? rel : ".";
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
 * The realpath() way: resolve every link, check the result is beneath root, then open the
 * resolved path, with openat2 (no links allowed now) when rootfd >= 0, else with O_NOFOLLOW.
 * Returns a descriptor or -status.
 */
static int open_resolved(const char *root, int rootfd, const char *full)
{
    char real[PATH_MAX];

    if (realpath(full, real) == NULL) {
        return -errno_status(errno);
    }
    if (!inside(root, real)) {
        return -403; /* a link that leads out of the root */
    }
    int fd;
    if (rootfd >= 0) {
        fd = open_beneath(rootfd, below(root, real),
                          RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        return fd >= 0 ? fd : -errno_status(-fd);
    }
    fd = open(real, OPEN_FLAGS | O_NOFOLLOW);
    return fd >= 0 ? fd : -errno_status(errno);
}

/*
 * Opens root + path (nginx's "root": the whole path is appended). A path ending in '/' (is_dir)
 * gets index appended. Returns 0 with f filled, 301 when path names a directory but does not
 * end with '/', or 403, 404, 414 or 503.
 */
int lc_srv_file_open_by(const char *root, const char *path, int is_dir, const char *index,
                        enum lc_srv_lookup how, struct lc_srv_file *f)
{
    char full[PATH_MAX];
    struct stat st;
    int fd = -1;

    f->fd = -1;
    if (index == NULL) {
        index = "index.html";
    }
    /* A root of "/" adds nothing before the path; a directory path gets its '/' if the
     * caller's path lacks it (lc_http_target_path always adds it). */
    size_t plen = strlen(path);
    int slash = is_dir && (plen == 0 || path[plen - 1] != '/');
    int n = snprintf(full, sizeof(full), "%s%s%s%s", strcmp(root, "/") == 0 ? "" : root, path,
                     slash ? "/" : "", is_dir ? index : "");
    if (n < 0 || (size_t)n >= sizeof(full)) {
        return 414;
    }

    if (how == LC_SRV_LOOKUP_BENEATH) {
        int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0) {
            return errno_status(errno);
        }
        fd = open_beneath(rootfd, below(root, full), RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
        if (fd == -EXDEV) {
            /* Out of the root, or an absolute link: realpath() tells which. */
            fd = open_resolved(root, rootfd, full);
        } else if (unsupported(fd)) {
            how = LC_SRV_LOOKUP_REALPATH;
        } else if (fd < 0) {
            fd = -errno_status(-fd);
        }
        close(rootfd);
    }
    if (how == LC_SRV_LOOKUP_REALPATH) {
        fd = open_resolved(root, -1, full);
    }
    if (fd < 0) {
        return -fd;
    }

    if (fstat(fd, &st) != 0) {
        close(fd);
        return 404;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        /* "/dir" names a directory: send the client to "/dir/" so its relative links work.
         * "/dir/" whose index is itself a directory has nothing to serve. */
        return is_dir ? 404 : 301;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return 403; /* devices, FIFOs and sockets are never served */
    }
    f->fd = fd;
    f->size = st.st_size;
    f->mtime = st.st_mtim.tv_sec;
    f->mtime_nsec = st.st_mtim.tv_nsec;
    f->ino = st.st_ino;
    f->type = lc_srv_mime_type(full);
    return 0;
}

int lc_srv_file_open(const char *root, const char *path, int is_dir, const char *index,
                     struct lc_srv_file *f)
{
    return lc_srv_file_open_by(root, path, is_dir, index, LC_SRV_LOOKUP_BENEATH, f);
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
    { "webmanifest", "application/manifest+json" },
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
