/*
 * supported_groups (RFC 8446 4.2.7; RFC 7919; CH, EE).
 *
 * The same NamedGroupList in both messages: the client's groups in preference
 * order, and (EE) the server's groups as a hint for later connections.
 */
#ifndef LC_MSG_EXT_SUPPORTED_GROUPS_H
#define LC_MSG_EXT_SUPPORTED_GROUPS_H

#include "msg/ext/ext.h"

/*
 * The most groups kept. Clients send a handful (with GREASE, under ten); the
 * receiver only chooses among them, so a longer list is kept up to this bound
 * and the rest, the sender's least preferred, are dropped rather than refused.
 */
#define LC_EXT_GROUPS_MAX 32

typedef struct lc_ext_supported_groups {
    size_t count;
    uint16_t group[LC_EXT_GROUPS_MAX]; /* NamedGroup code points, in the sender's order */
} lc_ext_supported_groups;

/* Decodes NamedGroup named_group_list<2..2^16-1>; an odd length is LC_E_DECODE. */
LC_MUST_CHECK int lc_ext_supported_groups_decode(lc_reader *r, lc_ext_supported_groups *out);

/* Writes the list; an empty list or count > LC_EXT_GROUPS_MAX is LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_supported_groups_encode(lc_writer *w, const lc_ext_supported_groups *in);

#endif
