/*
 * Certificates as libcrypto sees them: reading PEM chains into DER, and the
 * name checks a server uses to pick a certificate by SNI.
 *
 * The TLS layers above only ever see DER bytes (RFC 8446 4.4.2 cert_data).
 */
#ifndef LC_CRYPTO_CERT_H
#define LC_CRYPTO_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"

/* The most certificates a chain we load or accept may hold. */
#define LC_CHAIN_MAX 10

typedef struct lc_der {
    uint8_t *der; /* owned (malloc'd) */
    size_t len;
} lc_der;

typedef struct lc_chain {
    size_t count;
    lc_der cert[LC_CHAIN_MAX];
} lc_chain;

/*
 * Every CERTIFICATE block of a PEM buffer, in order, appended to chain.
 * LC_E_CONFIG if there is none, a block does not parse, or there are more than
 * LC_CHAIN_MAX.
 */
LC_MUST_CHECK int lc_chain_from_pem(const void *pem, size_t len, lc_chain *chain);
void lc_chain_free(lc_chain *chain);

/*
 * A certificate parsed once: for checks made on every handshake (a server
 * matching SNI against its certificates must not parse DER each time) and
 * for certificate making (certmake.h).
 */
typedef struct lc_cert lc_cert;

/*
 * One DER certificate with nothing after it: LC_E_BAD_CERTIFICATE if it does
 * not parse. *out is the caller's, to lc_cert_free; NULL on failure.
 */
LC_MUST_CHECK int lc_cert_from_der(const uint8_t *der, size_t len, lc_cert **out);
void lc_cert_free(lc_cert *c);

/* The certificate's DER encoding: a view that lives as long as c (for lc_x509_verify). */
const lc_der *lc_cert_der(const lc_cert *c);

/*
 * True if the certificate's names cover host (subjectAltName DNS or IP
 * entries, wildcards in the left-most label only, as RFC 6125 6.4.3 allows).
 */
bool lc_cert_matches_name(const lc_cert *c, const char *host);

/* True if the two keys hold the same public key (a private key and its certificate's). */
struct lc_pkey;
bool lc_pkey_matches(const struct lc_pkey *a, const struct lc_pkey *b);

#endif
