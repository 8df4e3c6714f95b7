/*
 * A worker's cache of open files (nginx's open_file_cache): the files requests name stay open,
 * so that a request for a file asked for recently costs no open(), fstat() or close(), only the
 * pread() of its bytes. With keep-alive requests for small files those three system calls, and
 * the path walk of openat2(), are most of the server's own work.
 *
 * Each use reads the open file's metadata again (fstat: no path walk), so a file written in
 * place is served with its current size, Last-Modified and ETag at once. That the path still
 * leads to the same file is trusted for LC_SRV_FCACHE_VALID_MS; after that the next request
 * checks it with one stat(): the same file (device, inode, size, mtime) stays, anything else
 * is opened again through files.c's lookup beneath the root. So a file renamed over another
 * is seen within that time, as with nginx's open_file_cache_valid. A file replaced meanwhile by a link that
 * leads out of the root cannot be served through the cache: the stat() then names another
 * inode, and the new path goes through the full lookup, which refuses it.
 *
 * Entries are counted by the responses using them (a large file streams for a while): an entry
 * pushed out of its slot while in use is closed when its last response ends.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/internal.h"

#define LC_SRV_FCACHE_VALID_MS 1000

struct lc_srv_fentry {
    char *key;      /* root + path (+ index): the file's full name */
    struct lc_srv_file file;
    dev_t dev;
    uint64_t checked_ms;
    unsigned refs;  /* responses using it */
    int in_slot;    /* still in the table; if not, freed at the last release */
};

/* FNV-1a: cheap and good enough to spread file names over the slots. */
static size_t slot_of(const char *key)
{
    uint64_t h = 1469598103934665603ull;

    for (; *key != '\0'; key++) {
        h = (h ^ (unsigned char)*key) * 1099511628211ull;
    }
    return (size_t)(h % LC_SRV_FCACHE_SLOTS);
}

static void entry_drop(struct lc_srv_fentry *e)
{
    close(e->file.fd);
    free(e->key);
    free(e);
}

/* Takes e out of its slot; it goes once no response uses it. */
static void evict(struct lc_srv *s, size_t slot)
{
    struct lc_srv_fentry *e = s->fcache[slot];

    s->fcache[slot] = NULL;
    e->in_slot = 0;
    if (e->refs == 0) {
        entry_drop(e);
    }
}

/*
 * Whether e still names the file on disk. Its own metadata is read on every use (fstat of
 * the open file: no path walk), so a file written in place always gets the size, mtime and
 * so the ETag of what is served; whether the path still leads to this file (and not to one
 * renamed over it) is checked once a second with a stat() of the path.
 */
static int still_valid(struct lc_srv *s, struct lc_srv_fentry *e)
{
    struct stat st;

    if (fstat(e->file.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        return 0;
    }
    e->file.size = st.st_size;
    e->file.mtime = st.st_mtim.tv_sec;
    e->file.mtime_nsec = st.st_mtim.tv_nsec;
    if (s->now_ms - e->checked_ms < LC_SRV_FCACHE_VALID_MS) {
        return 1;
    }
    if (stat(e->key, &st) != 0 || st.st_dev != e->dev || st.st_ino != e->file.ino ||
        st.st_size != e->file.size || st.st_mtim.tv_sec != e->file.mtime ||
        st.st_mtim.tv_nsec != e->file.mtime_nsec) {
        return 0;
    }
    e->checked_ms = s->now_ms;
    return 1;
}

int lc_srv_file_get(struct lc_srv *s, const struct lc_srv_vloc *loc, const char *path,
                    int is_dir, struct lc_srv_file *f)
{
    char key[PATH_MAX];
    struct stat st;
    int n, rc;

    n = snprintf(key, sizeof(key), "%s%s%s", strcmp(loc->root, "/") == 0 ? "" : loc->root, path,
                 is_dir ? loc->index : "");
    if (n < 0 || (size_t)n >= sizeof(key)) {
        return 414;
    }
    size_t slot = slot_of(key);
    struct lc_srv_fentry *e = s->fcache[slot];
    if (e != NULL && strcmp(e->key, key) == 0) {
        if (still_valid(s, e)) {
            e->refs++;
            *f = e->file;
            f->entry = e;
            return 0;
        }
        evict(s, slot);
    }

    if ((rc = lc_srv_file_open(loc->root, path, is_dir, loc->index, f)) != 0) {
        return rc;
    }
    f->entry = NULL;
    /* Kept only if it can be: memory, and the device for later checks. */
    if ((e = calloc(1, sizeof(*e))) == NULL || (e->key = strdup(key)) == NULL ||
        fstat(f->fd, &st) != 0) {
        if (e != NULL) {
            free(e->key);
            free(e);
        }
        return 0; /* served uncached: the caller closes it */
    }
    if (s->fcache[slot] != NULL) {
        evict(s, slot);
    }
    e->file = *f;
    e->dev = st.st_dev;
    e->checked_ms = s->now_ms;
    e->refs = 1;
    e->in_slot = 1;
    s->fcache[slot] = e;
    f->entry = e;
    return 0;
}

void lc_srv_file_put(struct lc_srv *s, struct lc_srv_fentry *entry, int fd)
{
    (void)s;
    if (entry == NULL) {
        if (fd >= 0) {
            close(fd);
        }
        return;
    }
    if (--entry->refs == 0 && !entry->in_slot) {
        entry_drop(entry);
    }
}

void lc_srv_file_stale(struct lc_srv_fentry *entry)
{
    if (entry != NULL) {
        entry->checked_ms = 0;
    }
}

void lc_srv_file_cache_free(struct lc_srv *s)
{
    for (size_t i = 0; i < LC_SRV_FCACHE_SLOTS; i++) {
        if (s->fcache[i] != NULL) {
            evict(s, i);
        }
    }
}
