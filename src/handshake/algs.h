/*
 * The algorithms TLS 1.3 negotiates, as data (STYLE 3.6): cipher suites
 * (RFC 8446 B.4), key exchange groups (4.2.7) and signature schemes (4.2.3).
 * Each descriptor holds the IANA code point, the registry name (for the trace,
 * configuration and errors) and what the crypto layer needs to run it.
 * Negotiation walks a preference list of code points against these tables.
 */
#ifndef LC_HANDSHAKE_ALGS_H
#define LC_HANDSHAKE_ALGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "crypto/crypto.h"

/* CipherSuite code points (RFC 8446 B.4). */
enum lc_suite_id {
    LC_TLS_AES_128_GCM_SHA256 = 0x1301,
    LC_TLS_AES_256_GCM_SHA384 = 0x1302,
    LC_TLS_CHACHA20_POLY1305_SHA256 = 0x1303,
};

typedef struct lc_suite {
    uint16_t id;
    const char *name;
    enum lc_aead_alg aead;
    enum lc_hash_alg hash;
} lc_suite;

typedef struct lc_group_desc {
    uint16_t id;
    const char *name;
} lc_group_desc;

typedef struct lc_scheme {
    uint16_t id;
    const char *name;
    bool in_cert_verify; /* usable in TLS 1.3 CertificateVerify (not rsa_pkcs1_*, 4.2.3) */
} lc_scheme;

/* The descriptor for a code point, or NULL if Lucid does not implement it. */
const lc_suite *lc_suite_find(uint16_t id);
const lc_group_desc *lc_group_find(uint16_t id);
const lc_scheme *lc_scheme_find(uint16_t id);

/* The descriptor with this registry name (case-insensitive; a few aliases), or NULL. */
const lc_suite *lc_suite_by_name(const char *name);
const lc_group_desc *lc_group_by_name(const char *name);
const lc_scheme *lc_scheme_by_name(const char *name);

/* Registry names for any code point, "unknown" for ones not in the tables. */
const char *lc_suite_name(uint16_t id);
const char *lc_group_name(uint16_t id);
const char *lc_scheme_name(uint16_t id);

/* The default preference lists, most preferred first. */
#define LC_PREF_MAX 16
typedef struct lc_prefs {
    size_t count;
    uint16_t id[LC_PREF_MAX];
} lc_prefs;

extern const lc_prefs lc_default_suites;
extern const lc_prefs lc_default_groups;
extern const lc_prefs lc_default_schemes;

/*
 * Parses "a:b:c" (or commas) of registry names into prefs with `find` (one of
 * the *_by_name lookups, returning the code point or 0). LC_E_CONFIG naming
 * the first unknown name in bad (if not NULL, up to badcap bytes).
 */
typedef uint16_t lc_name_lookup(const char *name);
LC_MUST_CHECK int lc_prefs_parse(const char *list, lc_name_lookup *find, lc_prefs *out,
                                 char *bad, size_t badcap);
uint16_t lc_suite_id_by_name(const char *name);
uint16_t lc_group_id_by_name(const char *name);
uint16_t lc_scheme_id_by_name(const char *name);

#endif
