/*
 * Path validation over libcrypto's X509_verify_cert (see x509.h).
 *
 * libcrypto does the RFC 5280 work; this file turns its verdict into Lucid's
 * codes and one readable line, and does the name check itself so that the
 * message can list the names the certificate does hold.
 */
#include "crypto/x509.h"

#include <arpa/inet.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "base/error.h"
#include "crypto/internal.h"

/*
 * The peer certificates seen last, parsed: a client talks to the same few
 * servers and a server sees the same few client chains, and libcrypto 3's
 * d2i_X509 costs more than an ECDSA verify (it builds a key decoder per
 * certificate). Only the parse is kept; every handshake still checks every
 * signature, date, name and usage. Small and least-recently-used, so a peer
 * sending junk can only push entries out.
 */
#define SEEN_MAX 8

struct seen {
    X509 *x509;      /* NULL: a free slot */
    uint8_t *der;    /* the exact bytes it was parsed from */
    size_t len;
    uint64_t used;   /* tick of the last hit, for eviction */
};

struct lc_trust {
    X509_STORE *store;
    /* connections of one context may run on several threads: the cache has a lock, which
     * also guards the loading of the system's roots (default_pending) */
    pthread_mutex_t lock;
    int default_pending; /* lc_trust_add_default was called; the roots load at first use */
    uint64_t tick;
    struct seen seen[SEEN_MAX];
};

lc_trust *lc_trust_new(void)
{
    lc_trust *t = OPENSSL_zalloc(sizeof(*t));

    if (t == NULL) {
        return NULL;
    }
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        OPENSSL_free(t);
        return NULL;
    }
    if ((t->store = X509_STORE_new()) == NULL) {
        pthread_mutex_destroy(&t->lock);
        OPENSSL_free(t);
        return NULL;
    }
    return t;
}

void lc_trust_free(lc_trust *t)
{
    if (t != NULL) {
        for (size_t i = 0; i < SEEN_MAX; i++) {
            X509_free(t->seen[i].x509);
            free(t->seen[i].der);
        }
        pthread_mutex_destroy(&t->lock);
        X509_STORE_free(t->store);
        OPENSSL_free(t);
    }
}

/* An lc_cert holding a reference to x and its own copy of the bytes. */
static int share(X509 *x, const uint8_t *der, size_t len, lc_cert **out)
{
    if (X509_up_ref(x) != 1) {
        return lc_crypto_fail(LC_E_NO_MEMORY);
    }
    return lc_cert_adopt(x, der, len, out); /* drops that reference on failure */
}

int lc_trust_cert_from_der(const lc_trust *ct, const uint8_t *der, size_t len, lc_cert **out)
{
    /* the roots are read-only after setup; only the cache changes, under its lock */
    lc_trust *t = (lc_trust *)ct;
    struct seen *victim = NULL;
    uint8_t *copy;
    int rc;

    *out = NULL;
    if (t == NULL) {
        return lc_cert_from_der(der, len, out);
    }
    pthread_mutex_lock(&t->lock);
    for (size_t i = 0; i < SEEN_MAX; i++) {
        struct seen *s = &t->seen[i];

        if (s->x509 != NULL && s->len == len && memcmp(s->der, der, len) == 0) {
            s->used = ++t->tick;
            rc = share(s->x509, der, len, out);
            pthread_mutex_unlock(&t->lock);
            return rc;
        }
        if (victim == NULL || s->x509 == NULL || (victim->x509 != NULL && s->used < victim->used)) {
            victim = s;
        }
    }
    pthread_mutex_unlock(&t->lock);
    /* parsed outside the lock: a miss does not hold up other connections */
    if ((rc = lc_cert_from_der(der, len, out)) != 0) {
        return rc;
    }
    if ((copy = malloc(len)) == NULL || X509_up_ref((*out)->x509) != 1) {
        free(copy);
        return 0; /* not cached; the certificate itself is fine */
    }
    memcpy(copy, der, len);
    pthread_mutex_lock(&t->lock);
    /* another thread may have used the slot meanwhile: whatever is there goes */
    X509_free(victim->x509);
    free(victim->der);
    victim->x509 = (*out)->x509;
    victim->der = copy;
    victim->len = len;
    victim->used = ++t->tick;
    pthread_mutex_unlock(&t->lock);
    return 0;
}

/*
 * The system's roots by hashed directory (c_rehash layout, /etc/ssl/certs on
 * Debian), looked up one by one as a chain needs them, rather than OpenSSL's
 * default file, which parses every root of the bundle up front (tens of
 * milliseconds). SSL_CERT_DIR and SSL_CERT_FILE are honoured as OpenSSL does.
 */
static int load_default(lc_trust *t)
{
    const char *dir = getenv(X509_get_default_cert_dir_env());
    const char *file = getenv(X509_get_default_cert_file_env());
    int ok = X509_STORE_load_path(t->store, dir != NULL ? dir : X509_get_default_cert_dir());

    /*
     * Best effort, as X509_STORE_set_default_paths is: a file that holds no
     * certificate adds no root, and verification then fails with unknown_ca.
     */
    if (file != NULL && ok == 1 && X509_STORE_load_file(t->store, file) != 1) {
        ERR_clear_error();
    }
    ERR_clear_error();
    return ok == 1 ? 0 : LC_E_CONFIG;
}

int lc_trust_add_default(lc_trust *t)
{
    /*
     * Loaded at the first verification, not here: SSL_CERT_FILE's bundle takes
     * tens of milliseconds to parse, and a client that goes on to set CA files
     * of its own (curl's --cacert, lucid-client's) replaces this store unused.
     */
    t->default_pending = 1;
    return 0;
}

/* Loads the system's roots if they are still due: once, whichever thread verifies first. */
static int load_pending_default(const lc_trust *ct)
{
    lc_trust *t = (lc_trust *)ct; /* the lock and the flag change; the roots do not */
    int rc = 0;

    pthread_mutex_lock(&t->lock);
    if (t->default_pending) {
        rc = load_default(t);
        t->default_pending = 0;
    }
    pthread_mutex_unlock(&t->lock);
    return rc;
}

int lc_trust_add_file(lc_trust *t, const char *path)
{
    int ok = X509_STORE_load_file(t->store, path);

    ERR_clear_error();
    return ok == 1 ? 0 : LC_E_CONFIG;
}

int lc_trust_add_dir(lc_trust *t, const char *path)
{
    int ok = X509_STORE_load_path(t->store, path);

    ERR_clear_error();
    return ok == 1 ? 0 : LC_E_CONFIG;
}

void lc_x509_subject(const uint8_t *der, size_t len, char *out, size_t cap)
{
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);

    out[0] = '\0';
    if (x != NULL) {
        X509_NAME_oneline(X509_get_subject_name(x), out, (int)cap);
        X509_free(x);
    }
    ERR_clear_error();
}

void lc_cert_subject(const lc_cert *c, char *out, size_t cap)
{
    out[0] = '\0';
    X509_NAME_oneline(X509_get_subject_name(c->x509), out, (int)cap);
    ERR_clear_error();
}

/* The leaf's subjectAltName DNS and IP entries, comma-separated, for messages. */
static void list_names(X509 *x, char *out, size_t cap)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    size_t n = 0;

    out[0] = '\0';
    for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names) && n + 4 < cap; i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        char ip[64];

        if (g->type == GEN_DNS) {
            n += (size_t)snprintf(out + n, cap - n, "%s%.*s", n > 0 ? ", " : "",
                                  ASN1_STRING_length(g->d.dNSName),
                                  (const char *)ASN1_STRING_get0_data(g->d.dNSName));
        } else if (g->type == GEN_IPADD) {
            const unsigned char *a = ASN1_STRING_get0_data(g->d.iPAddress);
            int alen = ASN1_STRING_length(g->d.iPAddress);

            if ((alen != 4 && alen != 16) ||
                inet_ntop(alen == 4 ? AF_INET : AF_INET6, a, ip, sizeof(ip)) == NULL) {
                snprintf(ip, sizeof(ip), "(a malformed address)");
            }
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n > 0 ? ", " : "", ip);
        }
        if (n >= cap) {
            n = cap - 1;
        }
    }
    GENERAL_NAMES_free(names);
    if (out[0] == '\0') {
        snprintf(out, cap, "none");
    }
}

/* libcrypto's verdict -> our code (and so our alert, RFC 8446 6.2). */
static int map_verify_error(int err)
{
    switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return LC_E_CERT_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return LC_E_CERT_NOT_YET_VALID;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        return LC_E_CERT_UNKNOWN_CA;
    case X509_V_ERR_INVALID_PURPOSE:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
        return LC_E_CERT_USAGE;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return LC_E_CERT_NAME;
    default:
        return LC_E_BAD_CERTIFICATE;
    }
}

static int check_name(X509 *leaf, const char *host, char *why, size_t whycap)
{
    char names[200];
    int ok;

    /* an IP literal matches only iPAddress entries (RFC 9525 6.2) */
    if (X509_check_ip_asc(leaf, host, 0) == 1) {
        return 0;
    }
    ok = X509_check_host(leaf, host, strlen(host), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL);
    if (ok == 1) {
        return 0;
    }
    list_names(leaf, names, sizeof(names));
    snprintf(why, whycap, "'%s' is not in the certificate's names (%s)", host, names);
    return LC_E_CERT_NAME;
}

int lc_trust_add_der(lc_trust *t, const uint8_t *der, size_t len)
{
    const unsigned char *p = der;
    X509 *x = len <= LONG_MAX ? d2i_X509(NULL, &p, (long)len) : NULL;
    int ok = x != NULL && p == der + len && X509_STORE_add_cert(t->store, x) == 1;

    X509_free(x);
    ERR_clear_error();
    return ok ? 0 : LC_E_CONFIG;
}

int lc_x509_verify(const lc_trust *t, const lc_der *chain, size_t n,
                   enum lc_x509_purpose purpose, const char *host, char *why, size_t whycap)
{
    return lc_x509_verify_at(t, chain, n, purpose, host, -1, why, whycap);
}

int lc_x509_verify_at(const lc_trust *t, const lc_der *chain, size_t n,
                      enum lc_x509_purpose purpose, const char *host, int64_t when, char *why,
                      size_t whycap)
{
    lc_cert *certs[LC_CHAIN_MAX] = { NULL };
    int rc = 0;

    if (n == 0 || n > LC_CHAIN_MAX) {
        snprintf(why, whycap, "a chain of %zu certificates (1 to %d)", n, LC_CHAIN_MAX);
        return LC_E_BAD_CERTIFICATE;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if ((rc = lc_cert_from_der(chain[i].der, chain[i].len, &certs[i])) != 0) {
            snprintf(why, whycap, "certificate %zu of the chain does not parse", i);
        }
    }
    if (rc == 0) {
        rc = lc_x509_verify_certs(t, certs, n, purpose, host, when, why, whycap);
    }
    for (size_t i = 0; i < n; i++) {
        lc_cert_free(certs[i]);
    }
    return rc;
}

int lc_x509_verify_certs(const lc_trust *t, lc_cert *const *chain, size_t n,
                         enum lc_x509_purpose purpose, const char *host, int64_t when, char *why,
                         size_t whycap)
{
    /* the stack and the context take references of their own: the certificates stay ours */
    STACK_OF(X509) *untrusted = sk_X509_new_reserve(NULL, n > 1 ? (int)(n - 1) : 1);
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    X509 *leaf = n > 0 ? chain[0]->x509 : NULL;
    int rc = LC_E_NO_MEMORY;

    snprintf(why, whycap, "out of memory");
    if (untrusted == NULL || ctx == NULL || n == 0) {
        goto out;
    }
    if (load_pending_default(t) != 0) {
        rc = LC_E_CERT_UNKNOWN_CA;
        snprintf(why, whycap, "the system's trusted roots could not be loaded "
                              "(SSL_CERT_DIR, /etc/ssl/certs)");
        goto out;
    }
    for (size_t i = 1; i < n; i++) {
        if (!sk_X509_push(untrusted, chain[i]->x509)) {
            goto out;
        }
    }
    if (X509_STORE_CTX_init(ctx, t->store, leaf, untrusted) != 1) {
        goto out;
    }
    X509_STORE_CTX_set_purpose(ctx, purpose == LC_X509_SERVER ? X509_PURPOSE_SSL_SERVER
                                                              : X509_PURPOSE_SSL_CLIENT);
    if (when >= 0) {
        /* a clock the caller gives (a replayed trace): validity dates are checked against it */
        X509_STORE_CTX_set_time(ctx, 0, (time_t)when);
    }
    if (X509_verify_cert(ctx) != 1) {
        int err = X509_STORE_CTX_get_error(ctx);
        X509 *bad = X509_STORE_CTX_get_current_cert(ctx);
        char subject[200] = "?";

        if (bad != NULL) {
            X509_NAME_oneline(X509_get_subject_name(bad), subject, sizeof(subject));
        }
        snprintf(why, whycap, "'%s': %s", subject, X509_verify_cert_error_string(err));
        rc = map_verify_error(err);
        goto out;
    }
    rc = host != NULL ? check_name(leaf, host, why, whycap) : 0;
out:
    ERR_clear_error();
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted); /* the pointers only: the certificates are the caller's */
    return rc;
}

/* An ASN1_TIME as "YYYY-MM-DD HH:MM:SS UTC". */
static void format_time(const ASN1_TIME *t, char *out, size_t cap)
{
    struct tm tm;

    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
        snprintf(out, cap, "?");
        return;
    }
    snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d UTC", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void describe_key(X509 *x, char *out, size_t cap)
{
    EVP_PKEY *k = X509_get0_pubkey(x);
    char group[32];
    size_t glen = 0;

    if (k == NULL) {
        snprintf(out, cap, "unknown");
    } else if (EVP_PKEY_is_a(k, "RSA")) {
        snprintf(out, cap, "RSA %d bits", EVP_PKEY_get_bits(k));
    } else if (EVP_PKEY_is_a(k, "ED25519")) {
        snprintf(out, cap, "Ed25519");
    } else if (EVP_PKEY_is_a(k, "EC") &&
               EVP_PKEY_get_utf8_string_param(k, "group", group, sizeof(group), &glen) == 1) {
        snprintf(out, cap, "ECDSA %s", strcmp(group, "prime256v1") == 0 ? "P-256"
                                        : strcmp(group, "secp384r1") == 0 ? "P-384"
                                                                          : group);
    } else {
        snprintf(out, cap, "%s", EVP_PKEY_get0_type_name(k));
    }
}

int lc_x509_info_get(const uint8_t *der, size_t len, lc_x509_info *info)
{
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);

    memset(info, 0, sizeof(*info));
    if (x == NULL) {
        ERR_clear_error();
        return LC_E_BAD_CERTIFICATE;
    }
    X509_NAME_oneline(X509_get_subject_name(x), info->subject, sizeof(info->subject));
    X509_NAME_oneline(X509_get_issuer_name(x), info->issuer, sizeof(info->issuer));
    list_names(x, info->names, sizeof(info->names));
    format_time(X509_get0_notBefore(x), info->not_before, sizeof(info->not_before));
    format_time(X509_get0_notAfter(x), info->not_after, sizeof(info->not_after));
    describe_key(x, info->key, sizeof(info->key));
    X509_free(x);
    ERR_clear_error();
    return 0;
}
