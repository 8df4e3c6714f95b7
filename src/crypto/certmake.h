/*
 * Certificate making for a local PKI (lucid-cert, in the style of mkcert):
 * a self-signed root CA, an intermediate CA under it, and server or client
 * certificates under the intermediate. X.509 v3 per RFC 5280, over libcrypto.
 *
 * Everything here works in memory: certificates are made, encoded as PEM or
 * DER, and described; files are the caller's business. Functions return 0 or
 * an LC_E_* code; those that take (why, whycap) also write one line saying
 * what was wrong, like lc_x509_verify().
 */
#ifndef LC_CRYPTO_CERTMAKE_H
#define LC_CRYPTO_CERTMAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/common.h"
#include "crypto/cert.h"
#include "crypto/crypto.h"

/* One X.509 certificate (opaque), made here or read from PEM or DER. */
typedef struct lc_cert lc_cert;

/*
 * What a certificate is for; each role fixes its extensions (RFC 5280 4.2.1):
 *   ROOT          self-signed; basicConstraints critical CA:true pathlen 1,
 *                 keyUsage critical keyCertSign cRLSign, subjectKeyIdentifier
 *   INTERMEDIATE  CA:true pathlen 0, the same keyUsage, subject and authority
 *                 key identifiers
 *   SERVER        basicConstraints critical CA:false, keyUsage critical
 *                 digitalSignature (+ keyEncipherment for an RSA key),
 *                 extendedKeyUsage serverAuth, subjectAltName, key identifiers
 *   CLIENT        the same with extendedKeyUsage clientAuth
 */
enum lc_cert_role {
    LC_CERT_ROOT,
    LC_CERT_INTERMEDIATE,
    LC_CERT_SERVER,
    LC_CERT_CLIENT,
};

struct lc_cert_request {
    enum lc_cert_role role;
    const char *organization;  /* the subject's O=, NULL for none */
    const char *common_name;   /* the subject's CN=, NULL for none; one longer than 64
                                  characters (RFC 5280 ub-common-name) is left out */
    const char *const *names;  /* leaves: the subjectAltName entries, at least one: DNS names
                                  ("*." wildcards allowed as the whole left-most label) and
                                  IPv4/IPv6 literals (which become iPAddress entries) */
    size_t name_count;
    int64_t not_before;        /* validity, seconds since 1970-01-01 UTC, years 0001..9999; */
    int64_t not_after;         /* past dates too (for expired test certificates) */
};

/*
 * Makes a certificate for key's public half, as req says, with a random
 * 128-bit positive serial number, and signs it with issuer_key, the key of
 * the CA certificate issuer (ECDSA with the hash of its curve, RSA PKCS#1
 * v1.5 with SHA-256, or Ed25519). A root has no issuer: issuer and
 * issuer_key are NULL and key signs itself. *out is the caller's
 * (lc_cert_free). LC_E_BAD_ARGUMENT for a bad request (a name that is not a
 * DNS name or IP address, not_after not after not_before, an issuer key that
 * does not belong to the issuer), with why saying which.
 */
LC_MUST_CHECK int lc_cert_make(const lc_crypto *cr, const struct lc_cert_request *req,
                               lc_pkey *key, const lc_cert *issuer, lc_pkey *issuer_key,
                               lc_cert **out, char *why, size_t whycap);

/*
 * The first certificate of a PEM buffer (LC_E_CONFIG if there is none).
 * *out is the caller's, to lc_cert_free (crypto/cert.h); NULL on failure.
 */
LC_MUST_CHECK int lc_cert_from_pem(const void *pem, size_t len, lc_cert **out);

/* Appends the certificate as a PEM "CERTIFICATE" block to out. */
LC_MUST_CHECK int lc_cert_pem(const lc_cert *c, lc_buf *out);

/*
 * Appends the private key as an unencrypted PKCS#8 PEM "PRIVATE KEY" block to
 * out. The bytes are a secret: lc_buf_free wipes them, and so is the copy
 * libcrypto makes on the way.
 */
LC_MUST_CHECK int lc_pkey_pem(const lc_pkey *key, lc_buf *out);

/* What lucid-cert show prints about a certificate. Strings are cut to fit. */
struct lc_cert_info {
    char subject[256];      /* "O=Lucid, CN=localhost" */
    char issuer[256];
    char names[512];        /* subjectAltName: "DNS:localhost, IP:127.0.0.1"; "" if none */
    char serial[72];        /* hex */
    int64_t not_before;     /* seconds since 1970-01-01 UTC */
    int64_t not_after;
    enum lc_key_type key_type;
    unsigned key_bits;
    char signature[64];     /* the signature algorithm: "ecdsa-with-SHA256" */
    bool ca;                /* basicConstraints CA:true */
    int path_len;           /* pathLenConstraint, -1 if none */
    char usage[160];        /* keyUsage and extendedKeyUsage: "digitalSignature; serverAuth" */
    uint8_t sha256[32];     /* SHA-256 of the DER certificate: its fingerprint */
};

/* Fills out from c. LC_E_CRYPTO if the fingerprint cannot be computed. */
LC_MUST_CHECK int lc_cert_describe(const lc_crypto *cr, const lc_cert *c,
                                   struct lc_cert_info *out);

#endif
