/*
 * Certificate path validation with libcrypto (RFC 5280 6; names per RFC 6125 / RFC 9525).
 *
 * A trust store holds the roots; lc_x509_verify() builds a path from the
 * peer's chain (leaf first, then what it sent as intermediates) to one of them
 * and checks signatures, validity dates, basic constraints, key usage and
 * extended key usage for the purpose, and the name. Each failure comes back as
 * its own code (hence its own alert) with one line that names the certificate
 * and the reason.
 */
#ifndef LC_CRYPTO_X509_H
#define LC_CRYPTO_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "crypto/cert.h"

typedef struct lc_trust lc_trust;

/* An empty store. NULL if out of memory. */
lc_trust *lc_trust_new(void);
void lc_trust_free(lc_trust *t);

/* Adds the system's roots (OpenSSL's default file and directory, /etc/ssl/certs on Debian),
 * loaded at the first verification: a store replaced before it never loads them. */
LC_MUST_CHECK int lc_trust_add_default(lc_trust *t);
/* Adds every certificate of a PEM file. LC_E_CONFIG if none can be read. */
LC_MUST_CHECK int lc_trust_add_file(lc_trust *t, const char *path);
/* Adds a directory of hashed certificate names (c_rehash / openssl rehash layout). */
LC_MUST_CHECK int lc_trust_add_dir(lc_trust *t, const char *path);
/* Adds one DER certificate. LC_E_CONFIG if it does not parse. */
LC_MUST_CHECK int lc_trust_add_der(lc_trust *t, const uint8_t *der, size_t len);

/*
 * A peer's DER certificate parsed (as lc_cert_from_der), from t's small cache
 * of the certificates it parsed last when the same bytes come again: the
 * parse is the dearest part of checking a chain with libcrypto 3. Only the
 * parse is shared; verifying is done in full each time. t may be NULL (no
 * cache). Safe from several threads.
 */
LC_MUST_CHECK int lc_trust_cert_from_der(const lc_trust *t, const uint8_t *der, size_t len,
                                         lc_cert **out);

enum lc_x509_purpose {
    LC_X509_SERVER, /* extendedKeyUsage must allow serverAuth */
    LC_X509_CLIENT, /* ... clientAuth */
};

/*
 * Validates chain (chain[0] is the leaf) against t for purpose at the current
 * time, and checks that host (a DNS name or an IP literal; NULL: no name check)
 * is among the leaf's names. 0, or one of:
 *   LC_E_CERT_UNKNOWN_CA       no path to a trusted root (unknown_ca)
 *   LC_E_CERT_EXPIRED          a certificate on the path has expired (certificate_expired)
 *   LC_E_CERT_NOT_YET_VALID    ... is not valid yet (bad_certificate)
 *   LC_E_CERT_NAME             host is not among the leaf's names (bad_certificate)
 *   LC_E_CERT_USAGE            key usage / extended key usage forbid the purpose
 *   LC_E_BAD_CERTIFICATE       anything else (a bad signature, a malformed certificate)
 * with why (whycap bytes) saying which certificate and what, e.g.
 *   "'example.com' is not in the certificate's names (localhost, 127.0.0.1)".
 */
LC_MUST_CHECK int lc_x509_verify(const lc_trust *t, const lc_der *chain, size_t n,
                                 enum lc_x509_purpose purpose, const char *host, char *why,
                                 size_t whycap);

/*
 * The same at a given time, in seconds since the Unix epoch (a negative one:
 * now): for a connection whose clock is a hook, such as a replayed trace.
 */
LC_MUST_CHECK int lc_x509_verify_at(const lc_trust *t, const lc_der *chain, size_t n,
                                    enum lc_x509_purpose purpose, const char *host,
                                    int64_t when, char *why, size_t whycap);

/*
 * The same over certificates already parsed (a peer's chain, parsed once per
 * handshake for the path, the name, the key and the subject: with libcrypto 3
 * each parse of an EC certificate runs a key decoder, which costs more than
 * the signature check it is for).
 */
LC_MUST_CHECK int lc_x509_verify_certs(const lc_trust *t, lc_cert *const *chain, size_t n,
                                       enum lc_x509_purpose purpose, const char *host,
                                       int64_t when, char *why, size_t whycap);

/* The leaf's subject as one line ("CN=localhost"), for traces and messages. */
void lc_x509_subject(const uint8_t *der, size_t len, char *out, size_t cap);
/* The same from a parsed certificate. */
void lc_cert_subject(const lc_cert *c, char *out, size_t cap);

/* What a trace shows of a certificate; every field is a NUL-terminated line. */
typedef struct lc_x509_info {
    char subject[160];
    char issuer[160];
    char names[200];      /* subjectAltName DNS and IP entries, or "none" */
    char not_before[64];  /* "2026-11-23 10:00:00 UTC" */
    char not_after[64];
    char key[48];         /* "ECDSA P-256", "RSA 2048 bits", "Ed25519" */
} lc_x509_info;

/* Fills info from a DER certificate. LC_E_BAD_CERTIFICATE if it does not parse. */
LC_MUST_CHECK int lc_x509_info_get(const uint8_t *der, size_t len, lc_x509_info *info);

#endif
