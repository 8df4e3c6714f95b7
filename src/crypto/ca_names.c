/*
 * CA names for certificate_authorities (see ca_names.h), and names as text,
 * over libcrypto's X509_NAME.
 */
#include "crypto/ca_names.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "base/error.h"
#include "crypto/internal.h"

/* Copies a name's DER encoding into malloc'd memory (lc_der's promise to its users). */
static int name_der(const X509_NAME *name, lc_der *out)
{
    unsigned char *der = NULL;
    int n = i2d_X509_NAME(name, &der);

    out->der = NULL;
    out->len = 0;
    if (n <= 0 || (out->der = malloc((size_t)n)) == NULL) {
        OPENSSL_free(der);
        return lc_crypto_fail(LC_E_NO_MEMORY);
    }
    memcpy(out->der, der, (size_t)n);
    out->len = (size_t)n;
    OPENSSL_free(der);
    return 0;
}

int lc_ca_names_add_file(lc_ca_names *names, const char *path)
{
    BIO *bio = BIO_new_file(path, "r");
    size_t before = names->count;
    X509 *x;
    int rc = 0;

    if (bio == NULL) {
        return lc_crypto_fail(LC_E_CONFIG);
    }
    while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        if (names->count < LC_CA_NAMES_MAX) {
            rc = name_der(X509_get_subject_name(x), &names->name[names->count]);
            names->count += rc == 0;
        }
        X509_free(x);
        if (rc != 0) {
            break;
        }
    }
    /* the loop ends with "no start line" at the end of the file: not an error */
    ERR_clear_error();
    BIO_free(bio);
    if (rc == 0 && names->count == before) {
        rc = LC_E_CONFIG;
    }
    return rc;
}

void lc_ca_names_free(lc_ca_names *names)
{
    for (size_t i = 0; i < names->count; i++) {
        free(names->name[i].der);
    }
    memset(names, 0, sizeof(*names));
}

static X509 *parse(const uint8_t *der, size_t len)
{
    const unsigned char *p = der;
    X509 *x = len <= LONG_MAX ? d2i_X509(NULL, &p, (long)len) : NULL;

    if (x != NULL && p != der + len) {
        X509_free(x);
        x = NULL;
    }
    ERR_clear_error();
    return x;
}

int lc_x509_issuer_der(const uint8_t *der, size_t len, lc_der *out)
{
    X509 *x = parse(der, len);
    int rc;

    if (x == NULL) {
        out->der = NULL;
        out->len = 0;
        return LC_E_BAD_CERTIFICATE;
    }
    rc = name_der(X509_get_issuer_name(x), out);
    X509_free(x);
    return rc;
}

/*
 * RFC 2253 order and escaping: control characters and bytes above 0x7f come
 * out escaped, so a name a peer chose cannot break a log line or a terminal.
 */
static void name_line(const X509_NAME *name, char *out, size_t cap)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *text = NULL;
    long n;

    out[0] = '\0';
    if (bio == NULL || cap == 0) {
        BIO_free(bio);
        return;
    }
    if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0 &&
        (n = BIO_get_mem_data(bio, &text)) >= 0) {
        snprintf(out, cap, "%.*s", (int)(n < INT_MAX ? n : INT_MAX), text);
    }
    BIO_free(bio);
    ERR_clear_error();
}

void lc_x509_name_line(const uint8_t *der, size_t len, char *out, size_t cap)
{
    const unsigned char *p = der;
    X509_NAME *name = len <= LONG_MAX ? d2i_X509_NAME(NULL, &p, (long)len) : NULL;

    if (name == NULL || p != der + len) {
        snprintf(out, cap, "(a name that does not parse)");
    } else {
        name_line(name, out, cap);
    }
    X509_NAME_free(name);
    ERR_clear_error();
}

void lc_x509_subject_line(const uint8_t *der, size_t len, char *out, size_t cap)
{
    X509 *x = parse(der, len);

    if (cap > 0) {
        out[0] = '\0';
    }
    if (x != NULL) {
        name_line(X509_get_subject_name(x), out, cap);
        X509_free(x);
    }
}

void lc_cert_subject_line(const lc_cert *c, char *out, size_t cap)
{
    if (cap > 0) {
        name_line(X509_get_subject_name(c->x509), out, cap);
    }
}
