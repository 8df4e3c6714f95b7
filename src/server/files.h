/*
 * What files.c offers besides lc_srv_file_open (internal.h): the choice of how a path is
 * resolved beneath a root, so that tests run every case through both ways.
 */
#ifndef LC_SERVER_FILES_H
#define LC_SERVER_FILES_H

#include "server/internal.h"

enum lc_srv_lookup {
    /* openat2(RESOLVE_BENEATH) (Linux 5.6 and later): the kernel refuses to leave the root
     * while it resolves, so nothing can change between the check and the open. Falls back
     * to LC_SRV_LOOKUP_REALPATH where the system call is missing or filtered. */
    LC_SRV_LOOKUP_BENEATH,
    /* realpath(), a prefix check, then open() of the resolved path: what older kernels get. */
    LC_SRV_LOOKUP_REALPATH,
};

/* lc_srv_file_open with the lookup chosen; lc_srv_file_open is LC_SRV_LOOKUP_BENEATH. */
int lc_srv_file_open_by(const char *root, const char *path, int is_dir, const char *index,
                        enum lc_srv_lookup how, struct lc_srv_file *f);

#endif
