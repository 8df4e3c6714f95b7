/*
 * The names of certificate authorities, as DER-encoded X.501 Names: what a
 * server that asks for client certificates lists in the certificate_authorities
 * extension of its CertificateRequest (RFC 8446 4.2.4, 4.3.2), and what a
 * client compares the issuers of its own chains with to pick one.
 *
 * The names are read from the same PEM file that holds the CAs the client's
 * chain is verified against (lucid_ctx_set_client_ca_file), so the list the
 * server sends is exactly the set it trusts.
 */
#ifndef LC_CRYPTO_CA_NAMES_H
#define LC_CRYPTO_CA_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "crypto/cert.h"

/*
 * The most names kept. certificate_authorities only guides the client's choice
 * (RFC 8446 4.2.4: "SHOULD be used ... to guide certificate selection"), so a
 * CA file with more certificates still verifies them all; the list sent names
 * the first LC_CA_NAMES_MAX.
 */
#define LC_CA_NAMES_MAX 128

typedef struct lc_ca_names {
    size_t count;
    lc_der name[LC_CA_NAMES_MAX]; /* DER Name (RFC 5280 4.1.2.6), owned (malloc'd) */
} lc_ca_names;

/*
 * Appends the subject name of every certificate in the PEM file at path.
 * LC_E_CONFIG if the file cannot be read or holds no certificate,
 * LC_E_NO_MEMORY if out of memory.
 */
LC_MUST_CHECK int lc_ca_names_add_file(lc_ca_names *names, const char *path);

void lc_ca_names_free(lc_ca_names *names);

/*
 * The issuer name (DER) of a certificate, into out (malloc'd, the caller's to
 * free). LC_E_BAD_CERTIFICATE if the certificate does not parse.
 */
LC_MUST_CHECK int lc_x509_issuer_der(const uint8_t *der, size_t len, lc_der *out);

/*
 * A DER Name as one line, most specific part first, as RFC 2253 writes it
 * ("CN=Lucid Test Root CA,O=Lucid"); "(a name that does not parse)" if it
 * does not.
 */
void lc_x509_name_line(const uint8_t *der, size_t len, char *out, size_t cap);

/*
 * A certificate's subject as one RFC 2253 line (what nginx's $ssl_client_s_dn
 * shows), for applications and logs; "" if the certificate does not parse.
 */
void lc_x509_subject_line(const uint8_t *der, size_t len, char *out, size_t cap);
/* The same from a certificate already parsed. */
void lc_cert_subject_line(const lc_cert *c, char *out, size_t cap);

#endif
