/*
 * Tables of the cipher suites, groups and signature schemes Lucid speaks.
 *
 * RFC 8446 B.4 (suites), 4.2.7 (groups; RFC 7919 for ffdhe), 4.2.3 (schemes).
 * Names are the IANA registry names, which is also what OpenSSL, GnuTLS and
 * Wireshark print, so a trace can be read side by side with theirs.
 */
#include "handshake/algs.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"

static const lc_suite suites[] = {
    { LC_TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256", LC_AES_128_GCM, LC_SHA256 },
    { LC_TLS_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384", LC_AES_256_GCM, LC_SHA384 },
    { LC_TLS_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256", LC_CHACHA20_POLY1305,
      LC_SHA256 },
};

static const lc_group_desc groups[] = {
    { LC_GROUP_X25519, "x25519" },
    { LC_GROUP_SECP256R1, "secp256r1" },
    { LC_GROUP_SECP384R1, "secp384r1" },
    { LC_GROUP_FFDHE2048, "ffdhe2048" },
    { LC_GROUP_FFDHE3072, "ffdhe3072" },
};

static const lc_scheme schemes[] = {
    { LC_SIG_ECDSA_SECP256R1_SHA256, "ecdsa_secp256r1_sha256", true },
    { LC_SIG_ECDSA_SECP384R1_SHA384, "ecdsa_secp384r1_sha384", true },
    { LC_SIG_RSA_PSS_RSAE_SHA256, "rsa_pss_rsae_sha256", true },
    { LC_SIG_RSA_PSS_RSAE_SHA384, "rsa_pss_rsae_sha384", true },
    { LC_SIG_RSA_PSS_RSAE_SHA512, "rsa_pss_rsae_sha512", true },
    { LC_SIG_ED25519, "ed25519", true },
    /* RFC 8446 4.2.3: PKCS#1 v1.5 only for signatures in certificates */
    { LC_SIG_RSA_PKCS1_SHA256, "rsa_pkcs1_sha256", false },
    { LC_SIG_RSA_PKCS1_SHA384, "rsa_pkcs1_sha384", false },
    { LC_SIG_RSA_PKCS1_SHA512, "rsa_pkcs1_sha512", false },
};

/* Names of code points we see but do not implement, for the trace. */
static const struct {
    uint16_t id;
    const char *name;
} other_names[] = {
    { 0x0019, "secp521r1" },          { 0x001e, "x448" },
    { 0x0102, "ffdhe4096" },          { 0x0103, "ffdhe6144" },
    { 0x0104, "ffdhe8192" },          { 0x11ec, "X25519MLKEM768" },
    { 0x0603, "ecdsa_secp521r1_sha512" }, { 0x0808, "ed448" },
    { 0x0809, "rsa_pss_pss_sha256" }, { 0x080a, "rsa_pss_pss_sha384" },
    { 0x080b, "rsa_pss_pss_sha512" }, { 0x0201, "rsa_pkcs1_sha1" },
    { 0x0203, "ecdsa_sha1" },         { 0x1304, "TLS_AES_128_CCM_SHA256" },
    { 0x1305, "TLS_AES_128_CCM_8_SHA256" },
};

const lc_prefs lc_default_suites = {
    3, { LC_TLS_AES_128_GCM_SHA256, LC_TLS_AES_256_GCM_SHA384, LC_TLS_CHACHA20_POLY1305_SHA256 }
};
const lc_prefs lc_default_groups = {
    5, { LC_GROUP_X25519, LC_GROUP_SECP256R1, LC_GROUP_SECP384R1, LC_GROUP_FFDHE2048,
         LC_GROUP_FFDHE3072 }
};
const lc_prefs lc_default_schemes = {
    6, { LC_SIG_ECDSA_SECP256R1_SHA256, LC_SIG_ECDSA_SECP384R1_SHA384, LC_SIG_RSA_PSS_RSAE_SHA256,
         LC_SIG_RSA_PSS_RSAE_SHA384, LC_SIG_RSA_PSS_RSAE_SHA512, LC_SIG_ED25519 }
};

const lc_suite *lc_suite_find(uint16_t id)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(suites); i++) {
        if (suites[i].id == id) {
            return &suites[i];
        }
    }
    return NULL;
}

const lc_group_desc *lc_group_find(uint16_t id)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(groups); i++) {
        if (groups[i].id == id) {
            return &groups[i];
        }
    }
    return NULL;
}

const lc_scheme *lc_scheme_find(uint16_t id)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(schemes); i++) {
        if (schemes[i].id == id) {
            return &schemes[i];
        }
    }
    return NULL;
}

static const char *other_name(uint16_t id)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(other_names); i++) {
        if (other_names[i].id == id) {
            return other_names[i].name;
        }
    }
    /* RFC 8701: GREASE values are 0x?a?a */
    if ((id & 0x0f0f) == 0x0a0a && (id >> 8) == (id & 0xff)) {
        return "GREASE";
    }
    return "unknown";
}

const char *lc_suite_name(uint16_t id)
{
    const lc_suite *s = lc_suite_find(id);
    return s != NULL ? s->name : other_name(id);
}

const char *lc_group_name(uint16_t id)
{
    const lc_group_desc *g = lc_group_find(id);
    return g != NULL ? g->name : other_name(id);
}

const char *lc_scheme_name(uint16_t id)
{
    const lc_scheme *s = lc_scheme_find(id);
    return s != NULL ? s->name : other_name(id);
}

const lc_suite *lc_suite_by_name(const char *name)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(suites); i++) {
        if (strcasecmp(suites[i].name, name) == 0) {
            return &suites[i];
        }
    }
    return NULL;
}

/* Common aliases: OpenSSL and GnuTLS call secp256r1 "P-256" or "prime256v1". */
static const struct {
    const char *alias;
    uint16_t id;
} group_aliases[] = {
    { "P-256", LC_GROUP_SECP256R1 }, { "prime256v1", LC_GROUP_SECP256R1 },
    { "P-384", LC_GROUP_SECP384R1 }, { "X25519", LC_GROUP_X25519 },
};

const lc_group_desc *lc_group_by_name(const char *name)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(groups); i++) {
        if (strcasecmp(groups[i].name, name) == 0) {
            return &groups[i];
        }
    }
    for (size_t i = 0; i < LC_ARRAY_LEN(group_aliases); i++) {
        if (strcasecmp(group_aliases[i].alias, name) == 0) {
            return lc_group_find(group_aliases[i].id);
        }
    }
    return NULL;
}

const lc_scheme *lc_scheme_by_name(const char *name)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(schemes); i++) {
        if (strcasecmp(schemes[i].name, name) == 0) {
            return &schemes[i];
        }
    }
    return NULL;
}

uint16_t lc_suite_id_by_name(const char *name)
{
    const lc_suite *s = lc_suite_by_name(name);
    return s != NULL ? s->id : 0;
}

uint16_t lc_group_id_by_name(const char *name)
{
    const lc_group_desc *g = lc_group_by_name(name);
    return g != NULL ? g->id : 0;
}

uint16_t lc_scheme_id_by_name(const char *name)
{
    const lc_scheme *s = lc_scheme_by_name(name);
    return s != NULL && s->in_cert_verify ? s->id : 0;
}

int lc_prefs_parse(const char *list, lc_name_lookup *find, lc_prefs *out, char *bad,
                   size_t badcap)
{
    char name[64];
    const char *p = list;

    out->count = 0;
    while (*p != '\0') {
        size_t n = strcspn(p, ":,");
        uint16_t id;

        if (n == 0 || n >= sizeof(name)) {
            if (bad != NULL) {
                snprintf(bad, badcap, "%.*s", (int)n, p);
            }
            return LC_E_CONFIG;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        id = find(name);
        if (id == 0 || out->count == LC_PREF_MAX) {
            if (bad != NULL) {
                snprintf(bad, badcap, "%s", name);
            }
            return LC_E_CONFIG;
        }
        out->id[out->count++] = id;
        p += n;
        if (*p != '\0') {
            p++;
        }
    }
    if (out->count == 0) {
        if (bad != NULL) {
            snprintf(bad, badcap, "(empty list)");
        }
        return LC_E_CONFIG;
    }
    return 0;
}
