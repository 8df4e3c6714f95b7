/*
 * PEM chains and certificate names (see cert.h), over libcrypto's X.509 code.
 */
#include "crypto/cert.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/error.h"
#include "crypto/internal.h"

int lc_chain_from_pem(const void *pem, size_t len, lc_chain *chain)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    X509 *x;
    int rc = 0;
    size_t before = chain->count;

    if (bio == NULL) {
        return LC_E_NO_MEMORY;
    }
    while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        unsigned char *der = NULL;
        int n = i2d_X509(x, &der);

        X509_free(x);
        if (n <= 0) {
            rc = LC_E_CONFIG;
            break;
        }
        if (chain->count == LC_CHAIN_MAX) {
            OPENSSL_free(der);
            rc = LC_E_CONFIG;
            break;
        }
        /* copy into malloc'd memory so callers free with free() */
        chain->cert[chain->count].der = malloc((size_t)n);
        if (chain->cert[chain->count].der == NULL) {
            OPENSSL_free(der);
            rc = LC_E_NO_MEMORY;
            break;
        }
        memcpy(chain->cert[chain->count].der, der, (size_t)n);
        chain->cert[chain->count].len = (size_t)n;
        chain->count++;
        OPENSSL_free(der);
    }
    /* the loop ends with "no start line" at the end of the buffer: not an error */
    ERR_clear_error();
    BIO_free(bio);
    if (rc == 0 && chain->count == before) {
        rc = LC_E_CONFIG;
    }
    return rc;
}

void lc_chain_free(lc_chain *chain)
{
    for (size_t i = 0; i < chain->count; i++) {
        free(chain->cert[i].der);
    }
    memset(chain, 0, sizeof(*chain));
}

int lc_cert_adopt(X509 *x, const uint8_t *der, size_t len, lc_cert **out)
{
    lc_cert *c = calloc(1, sizeof(*c));

    /* copied into malloc'd memory, as lc_der promises its users */
    if (c == NULL || len == 0 || (c->der.der = malloc(len)) == NULL) {
        free(c);
        X509_free(x);
        return lc_crypto_fail(LC_E_NO_MEMORY);
    }
    memcpy(c->der.der, der, len);
    c->der.len = len;
    c->x509 = x;
    *out = c;
    return 0;
}

int lc_cert_wrap(X509 *x, lc_cert **out)
{
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    int rc = lc_cert_adopt(x, der, n > 0 ? (size_t)n : 0, out);

    OPENSSL_free(der);
    return rc;
}

int lc_cert_from_der(const uint8_t *der, size_t len, lc_cert **out)
{
    const unsigned char *p = der;
    X509 *x = len <= LONG_MAX ? d2i_X509(NULL, &p, (long)len) : NULL;

    *out = NULL;
    if (x == NULL || p != der + len) {
        X509_free(x);
        return lc_crypto_fail(LC_E_BAD_CERTIFICATE);
    }
    /*
     * The bytes are exactly one certificate: keep a copy of them rather than
     * re-encode (lc_cert_wrap), one allocation and a memcpy per peer certificate.
     */
    return lc_cert_adopt(x, der, len, out);
}

void lc_cert_free(lc_cert *c)
{
    if (c != NULL) {
        X509_free(c->x509);
        free(c->der.der);
        free(c);
    }
}

const lc_der *lc_cert_der(const lc_cert *c)
{
    return &c->der;
}

bool lc_cert_matches_name(const lc_cert *c, const char *host)
{
    bool ok;

    /* an IP literal matches iPAddress entries; anything else DNS entries */
    if (X509_check_ip_asc(c->x509, host, 0) == 1) {
        ok = true;
    } else {
        ok = X509_check_host(c->x509, host, strlen(host), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
                             NULL) == 1;
    }
    ERR_clear_error();
    return ok;
}

bool lc_pkey_matches(const struct lc_pkey *a, const struct lc_pkey *b)
{
    /* EVP_PKEY_eq compares the public halves: 1 when they are the same key */
    bool same = a != NULL && b != NULL && EVP_PKEY_eq(a->pkey, b->pkey) == 1;

    ERR_clear_error();
    return same;
}
