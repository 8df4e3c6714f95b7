/*
 * Certificate making (see certmake.h): X.509 v3 certificates for a local PKI,
 * over libcrypto's X509 functions.
 *
 * RFC 5280 sections followed: 4.1.2.2 (serial: positive, at most 20 octets),
 * 4.1.2.5 (UTCTime through 2049, GeneralizedTime after: ASN1_TIME_set picks),
 * 4.2.1.1-2 (key identifiers; a self-signed root may omit the authority's),
 * 4.2.1.3 (keyUsage), 4.2.1.6 (subjectAltName: dNSName and iPAddress),
 * 4.2.1.9 (basicConstraints), 4.2.1.12 (extendedKeyUsage).
 *
 * Name constraints (4.2.1.10) are deliberately left out of the intermediate:
 * the names a local PKI will issue for are not known when it is made
 * (localhost, *.test, a LAN address, a staging copy of a real name), so any
 * constraint fixed then would either permit nearly everything or break a
 * later issue. The root's key stays on the machine that made it.
 */
#include "crypto/certmake.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/error.h"
#include "crypto/internal.h"


/* RFC 5280 Appendix A: ub-common-name INTEGER ::= 64 */
#define CN_MAX 64

/* GeneralizedTime holds four-digit years: 0001-01-01 to 9999-12-31 23:59:59 UTC */
#define TIME_MIN (-62135596800LL)
#define TIME_MAX 253402300799LL

/* Writes one line to why and returns LC_E_BAD_ARGUMENT. */
LC_PRINTF(3, 4)
static int bad(char *why, size_t whycap, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, whycap, fmt, ap);
    va_end(ap);
    return LC_E_BAD_ARGUMENT;
}

/* Takes ownership of x (freeing it on failure) and wraps it with its DER encoding. */
/* ---- names --------------------------------------------------------------------------- */

/* A DNS label (RFC 1035 2.3.1, with '_' as mkcert allows): 1..63 letters, digits, '-', '_'. */
static bool label_ok(const char *p, size_t len)
{
    if (len == 0 || len > 63 || p[0] == '-' || p[len - 1] == '-') {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

/*
 * One subjectAltName entry from the text of a name: an IP literal becomes an
 * iPAddress (4 or 16 bytes, RFC 5280 4.2.1.6), anything else must be a DNS
 * name, optionally with a "*." wildcard as its whole left-most label (RFC 6125
 * 6.4.3; verifiers want two more labels after it, so "*.test" is refused).
 */
static int parse_name(const char *name, int *type, uint8_t *value, size_t *len, char *why,
                      size_t whycap)
{
    const char *p = name, *last = name;
    size_t n = strlen(name), labels = 0;
    bool wildcard = false, numeric = true;

    if (inet_pton(AF_INET, name, value) == 1 || inet_pton(AF_INET6, name, value) == 1) {
        *type = GEN_IPADD;
        *len = strchr(name, ':') != NULL ? 16 : 4;
        return 0;
    }
    if (n > 253) {
        return bad(why, whycap, "'%.40s...' is longer than a DNS name may be (253)", name);
    }
    if (strncmp(p, "*.", 2) == 0) {
        wildcard = true;
        p += 2;
    }
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t l = dot != NULL ? (size_t)(dot - p) : strlen(p);

        if (!label_ok(p, l)) {
            return bad(why, whycap,
                       "'%s' is not a DNS name or IP address (labels of letters, digits and "
                       "'-'; a wildcard only as a leading '*.')",
                       name);
        }
        labels++;
        last = p;
        if (dot == NULL) {
            break;
        }
        p = dot + 1;
    }
    /* an all-digit top label is an IP address gone wrong ("10.0.0.256"), not a host name */
    for (const char *q = last; *q != '\0'; q++) {
        numeric = numeric && *q >= '0' && *q <= '9';
    }
    if (numeric) {
        return bad(why, whycap, "'%s' looks like an IP address but is not one", name);
    }
    if (wildcard && labels < 2) {
        return bad(why, whycap,
                   "'%s': a wildcard needs two or more labels after '*.' (as in *.example.test)",
                   name);
    }
    *type = GEN_DNS;
    *len = n;
    memcpy(value, name, n);
    return 0;
}

/* Appends one GENERAL_NAME (a dNSName IA5String or an iPAddress OCTET STRING). */
static int push_name(GENERAL_NAMES *gens, int type, const uint8_t *value, size_t len)
{
    GENERAL_NAME *g = GENERAL_NAME_new();
    ASN1_STRING *s = ASN1_STRING_type_new(type == GEN_DNS ? V_ASN1_IA5STRING
                                                          : V_ASN1_OCTET_STRING);

    if (g == NULL || s == NULL || ASN1_STRING_set(s, value, (int)len) != 1) {
        GENERAL_NAME_free(g);
        ASN1_STRING_free(s);
        return LC_E_NO_MEMORY;
    }
    GENERAL_NAME_set0_value(g, type, s);
    if (sk_GENERAL_NAME_push(gens, g) <= 0) {
        GENERAL_NAME_free(g);
        return LC_E_NO_MEMORY;
    }
    return 0;
}

/*
 * subjectAltName from the request's names. It is critical only when the
 * subject is empty (RFC 5280 4.2.1.6), which happens if a leaf has neither an
 * organization nor a common name that fits.
 */
static int add_names(X509 *x, const struct lc_cert_request *req, char *why, size_t whycap)
{
    GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
    int critical = X509_NAME_entry_count(X509_get_subject_name(x)) == 0;
    int rc = gens != NULL ? 0 : LC_E_NO_MEMORY;

    for (size_t i = 0; rc == 0 && i < req->name_count; i++) {
        uint8_t value[256];
        size_t len;
        int type;

        rc = parse_name(req->names[i], &type, value, &len, why, whycap);
        if (rc == 0) {
            rc = push_name(gens, type, value, len);
        }
    }
    if (rc == 0 && X509_add1_ext_i2d(x, NID_subject_alt_name, gens, critical, 0) != 1) {
        rc = LC_E_CRYPTO;
    }
    GENERAL_NAMES_free(gens);
    return rc;
}

/* ---- making a certificate -------------------------------------------------------------- */

/* The request must make sense before anything is built. */
static int check_request(const struct lc_cert_request *req, const lc_cert *issuer,
                         lc_pkey *issuer_key, char *why, size_t whycap)
{
    bool leaf = req->role == LC_CERT_SERVER || req->role == LC_CERT_CLIENT;

    if ((unsigned)req->role > LC_CERT_CLIENT) {
        return bad(why, whycap, "unknown certificate role %d", (int)req->role);
    }
    if ((req->role == LC_CERT_ROOT) != (issuer == NULL) ||
        (issuer == NULL) != (issuer_key == NULL)) {
        return bad(why, whycap, "a root CA signs itself; every other certificate needs an issuer "
                                "and its key");
    }
    if (leaf && req->name_count == 0) {
        return bad(why, whycap, "a server or client certificate needs at least one name");
    }
    if (!leaf && req->name_count != 0) {
        return bad(why, whycap, "a CA certificate carries no names");
    }
    if (req->not_before < TIME_MIN || req->not_after > TIME_MAX) {
        return bad(why, whycap, "the validity dates must lie in the years 0001 to 9999");
    }
    if (req->not_after <= req->not_before) {
        return bad(why, whycap, "the certificate would end before it begins (not after <= "
                                "not before)");
    }
    if (issuer != NULL && X509_check_ca(issuer->x509) == 0) {
        return bad(why, whycap, "the issuer is not a CA certificate");
    }
    if (issuer != NULL && X509_check_private_key(issuer->x509, issuer_key->pkey) != 1) {
        ERR_clear_error();
        return bad(why, whycap, "the issuer's key does not belong to the issuer's certificate");
    }
    return 0;
}

/* RFC 5280 4.1.2.2: a positive serial of up to 20 octets; 128 random bits, as mkcert uses. */
static int set_serial(X509 *x)
{
    uint8_t r[16];
    BIGNUM *bn = NULL;
    ASN1_INTEGER *serial = NULL;
    int rc;

    do {
        if ((rc = lc_random(r, sizeof(r))) != 0) {
            return rc;
        }
        BN_free(bn);
        /* BN_bin2bn reads unsigned big-endian bytes, so the number is never negative */
        if ((bn = BN_bin2bn(r, sizeof(r), NULL)) == NULL) {
            return LC_E_NO_MEMORY;
        }
    } while (BN_is_zero(bn));
    serial = BN_to_ASN1_INTEGER(bn, NULL);
    rc = serial != NULL && X509_set_serialNumber(x, serial) == 1 ? 0 : LC_E_NO_MEMORY;
    ASN1_INTEGER_free(serial);
    BN_free(bn);
    return rc;
}

/* Subject O= and CN= (each optional; a CN past 64 characters is left out, see certmake.h). */
static int set_subject(X509 *x, const struct lc_cert_request *req)
{
    X509_NAME *name = X509_get_subject_name(x);
    const unsigned char *o = (const unsigned char *)req->organization;
    const unsigned char *cn = (const unsigned char *)req->common_name;

    if (o != NULL &&
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, o, -1, -1, 0) != 1) {
        return LC_E_CRYPTO;
    }
    if (cn != NULL && strlen(req->common_name) <= CN_MAX &&
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0) != 1) {
        return LC_E_CRYPTO;
    }
    return 0;
}

/* One extension from its openssl.cnf-style text ("critical,CA:TRUE,pathlen:0"). */
static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
    X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, ctx, nid, value);
    int ok = ext != NULL && X509_add_ext(x, ext, -1) == 1;

    X509_EXTENSION_free(ext);
    return ok ? 0 : LC_E_CRYPTO;
}

/* The fixed extensions of each role (certmake.h lists them). */
static int add_role_exts(X509 *x, X509 *issuer, const struct lc_cert_request *req,
                         const lc_pkey *key)
{
    static const struct {
        const char *basic, *key_usage, *ext_key_usage;
    } roles[] = {
        [LC_CERT_ROOT] = { "critical,CA:TRUE,pathlen:1", "critical,keyCertSign,cRLSign", NULL },
        [LC_CERT_INTERMEDIATE] = { "critical,CA:TRUE,pathlen:0", "critical,keyCertSign,cRLSign",
                                   NULL },
        [LC_CERT_SERVER] = { "critical,CA:FALSE", "critical,digitalSignature", "serverAuth" },
        [LC_CERT_CLIENT] = { "critical,CA:FALSE", "critical,digitalSignature", "clientAuth" },
    };
    const char *key_usage = roles[req->role].key_usage;
    X509V3_CTX ctx;
    int rc;

    /* a leaf's RSA key may also carry TLS 1.2's RSA key transport (RFC 5246 7.4.7.1) */
    if (roles[req->role].ext_key_usage != NULL && key->type == LC_KEY_RSA) {
        key_usage = "critical,digitalSignature,keyEncipherment";
    }
    /* the context names subject and issuer, for the key identifiers' "hash" and "keyid" */
    X509V3_set_ctx(&ctx, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
    if ((rc = add_ext(x, &ctx, NID_basic_constraints, roles[req->role].basic)) != 0 ||
        (rc = add_ext(x, &ctx, NID_key_usage, key_usage)) != 0 ||
        (rc = add_ext(x, &ctx, NID_subject_key_identifier, "hash")) != 0) {
        return rc;
    }
    /* RFC 5280 4.2.1.1: required but for a self-signed root, which omits it */
    if (issuer != NULL && (rc = add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always"))) {
        return rc;
    }
    if (roles[req->role].ext_key_usage != NULL) {
        return add_ext(x, &ctx, NID_ext_key_usage, roles[req->role].ext_key_usage);
    }
    return 0;
}

/* What a CA key signs with: its curve's hash, SHA-256 for RSA, none for Ed25519 (RFC 8410). */
static const EVP_MD *sign_md(const lc_crypto *cr, const lc_pkey *key)
{
    switch (key->type) {
    case LC_KEY_ED25519:
        return NULL;
    case LC_KEY_EC_P384:
        return lc_crypto_md(cr, LC_SHA384);
    case LC_KEY_EC_P521:
        return cr->sha512;
    default:
        return lc_crypto_md(cr, LC_SHA256);
    }
}

int lc_cert_make(const lc_crypto *cr, const struct lc_cert_request *req, lc_pkey *key,
                 const lc_cert *issuer, lc_pkey *issuer_key, lc_cert **out, char *why,
                 size_t whycap)
{
    X509 *x = NULL;
    X509 *ix = issuer != NULL ? issuer->x509 : NULL;
    lc_pkey *signer = issuer_key != NULL ? issuer_key : key;
    int rc;

    *out = NULL;
    snprintf(why, whycap, "out of memory");
    if ((rc = check_request(req, issuer, issuer_key, why, whycap)) != 0) {
        return rc;
    }
    if ((x = X509_new()) == NULL) {
        return lc_crypto_fail(LC_E_NO_MEMORY);
    }
    snprintf(why, whycap, "libcrypto could not build the certificate");
    if (X509_set_version(x, X509_VERSION_3) != 1 || X509_set_pubkey(x, key->pkey) != 1) {
        rc = LC_E_CRYPTO;
        goto out;
    }
    /* time_t is 64 bits on every platform we build on; check_request bounded the years */
    if (ASN1_TIME_set(X509_getm_notBefore(x), (time_t)req->not_before) == NULL ||
        ASN1_TIME_set(X509_getm_notAfter(x), (time_t)req->not_after) == NULL) {
        rc = LC_E_CRYPTO;
        goto out;
    }
    if ((rc = set_serial(x)) != 0 || (rc = set_subject(x, req)) != 0) {
        goto out;
    }
    if (X509_set_issuer_name(x, X509_get_subject_name(ix != NULL ? ix : x)) != 1) {
        rc = LC_E_CRYPTO;
        goto out;
    }
    if ((rc = add_role_exts(x, ix, req, key)) != 0) {
        goto out;
    }
    if (req->name_count > 0 && (rc = add_names(x, req, why, whycap)) != 0) {
        goto out;
    }
    if (X509_sign(x, signer->pkey, sign_md(cr, signer)) <= 0) {
        rc = LC_E_CRYPTO;
        goto out;
    }
    why[0] = '\0';
    rc = lc_cert_wrap(x, out);
    x = NULL;
out:
    X509_free(x);
    return rc != 0 ? lc_crypto_fail(rc) : 0;
}

/* ---- reading, encoding ------------------------------------------------------------------ */

int lc_cert_from_pem(const void *pem, size_t len, lc_cert **out)
{
    BIO *bio = len <= INT_MAX ? BIO_new_mem_buf(pem, (int)len) : NULL;
    X509 *x = bio != NULL ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

    *out = NULL;
    BIO_free(bio);
    if (x == NULL) {
        return lc_crypto_fail(LC_E_CONFIG);
    }
    return lc_cert_wrap(x, out);
}

/* Appends what a memory BIO holds to out. */
static int append_bio(BIO *bio, lc_buf *out)
{
    char *p;
    long n = BIO_get_mem_data(bio, &p);

    return n > 0 ? lc_buf_append(out, p, (size_t)n) : LC_E_CRYPTO;
}

int lc_cert_pem(const lc_cert *c, lc_buf *out)
{
    BIO *bio = BIO_new(BIO_s_mem());
    int rc = LC_E_NO_MEMORY;

    if (bio != NULL && PEM_write_bio_X509(bio, c->x509) == 1) {
        rc = append_bio(bio, out);
    }
    BIO_free(bio);
    return rc != 0 ? lc_crypto_fail(rc) : 0;
}

int lc_pkey_pem(const lc_pkey *key, lc_buf *out)
{
    /* a secure-memory BIO's buffer is cleansed when freed (BUF_MEM_FLAG_SECURE) */
    BIO *bio = BIO_new(BIO_s_secmem());
    int rc = LC_E_NO_MEMORY;

    if (bio != NULL && PEM_write_bio_PrivateKey(bio, key->pkey, NULL, NULL, 0, NULL, NULL) == 1) {
        rc = append_bio(bio, out);
    }
    BIO_free(bio);
    return rc != 0 ? lc_crypto_fail(rc) : 0;
}

/* ---- describing ------------------------------------------------------------------------- */

/* "O=Lucid, CN=localhost": openssl's one-line form without the spaces around '=' */
static void name_line(const X509_NAME *name, char *out, size_t cap)
{
    BIO *bio = BIO_new(BIO_s_mem());
    unsigned long flags = (XN_FLAG_ONELINE & ~XN_FLAG_SPC_EQ & ~ASN1_STRFLGS_ESC_MSB);
    char *p;
    long n;

    out[0] = '\0';
    if (bio != NULL && X509_NAME_print_ex(bio, name, 0, flags) >= 0) {
        n = BIO_get_mem_data(bio, &p);
        snprintf(out, cap, "%.*s", (int)(n > 0 ? n : 0), p);
    }
    BIO_free(bio);
}

/* Appends text to out (cap bytes, NUL-terminated), ", "-separated; "..." marks a cut. */
static void append_item(char *out, size_t cap, const char *text)
{
    size_t n = strlen(out);

    if (n + 5 >= cap) {
        return;
    }
    snprintf(out + n, cap - n, "%s%s", n > 0 ? ", " : "", text);
    if (strlen(out) == cap - 1) {
        memcpy(out + cap - 4, "...", 4);
    }
}

/* The subjectAltName entries as "DNS:name" and "IP:address". */
static void list_names(X509 *x, char *out, size_t cap)
{
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);

    out[0] = '\0';
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        char item[300], addr[INET6_ADDRSTRLEN];

        if (g->type == GEN_DNS) {
            snprintf(item, sizeof(item), "DNS:%.*s", ASN1_STRING_length(g->d.dNSName),
                     (const char *)ASN1_STRING_get0_data(g->d.dNSName));
        } else if (g->type == GEN_IPADD) {
            int len = ASN1_STRING_length(g->d.iPAddress);
            const unsigned char *a = ASN1_STRING_get0_data(g->d.iPAddress);

            if ((len == 4 && inet_ntop(AF_INET, a, addr, sizeof(addr)) != NULL) ||
                (len == 16 && inet_ntop(AF_INET6, a, addr, sizeof(addr)) != NULL)) {
                snprintf(item, sizeof(item), "IP:%s", addr);
            } else {
                snprintf(item, sizeof(item), "IP:(%d bytes)", len);
            }
        } else if (g->type == GEN_EMAIL || g->type == GEN_URI) {
            snprintf(item, sizeof(item), "%s:%.*s", g->type == GEN_EMAIL ? "email" : "URI",
                     ASN1_STRING_length(g->d.ia5), (const char *)ASN1_STRING_get0_data(g->d.ia5));
        } else {
            snprintf(item, sizeof(item), "(other name)");
        }
        append_item(out, cap, item);
    }
    GENERAL_NAMES_free(gens);
}

/* keyUsage then extendedKeyUsage, by their RFC 5280 names: "digitalSignature; serverAuth". */
static void list_usage(X509 *x, char *out, size_t cap)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } ku[] = {
        { KU_DIGITAL_SIGNATURE, "digitalSignature" }, { KU_NON_REPUDIATION, "nonRepudiation" },
        { KU_KEY_ENCIPHERMENT, "keyEncipherment" },   { KU_DATA_ENCIPHERMENT, "dataEncipherment" },
        { KU_KEY_AGREEMENT, "keyAgreement" },         { KU_KEY_CERT_SIGN, "keyCertSign" },
        { KU_CRL_SIGN, "cRLSign" },
    }, xku[] = {
        { XKU_SSL_SERVER, "serverAuth" },   { XKU_SSL_CLIENT, "clientAuth" },
        { XKU_SMIME, "emailProtection" },   { XKU_CODE_SIGN, "codeSigning" },
        { XKU_OCSP_SIGN, "OCSPSigning" },   { XKU_TIMESTAMP, "timeStamping" },
        { XKU_ANYEKU, "anyExtendedKeyUsage" },
    };
    /* both return UINT32_MAX when the extension is absent (any use): nothing to list */
    uint32_t k = X509_get_key_usage(x), e = X509_get_extended_key_usage(x);
    char kus[128] = "", xkus[128] = "";

    for (size_t i = 0; k != UINT32_MAX && i < LC_ARRAY_LEN(ku); i++) {
        if (k & ku[i].bit) {
            append_item(kus, sizeof(kus), ku[i].name);
        }
    }
    for (size_t i = 0; e != UINT32_MAX && i < LC_ARRAY_LEN(xku); i++) {
        if (e & xku[i].bit) {
            append_item(xkus, sizeof(xkus), xku[i].name);
        }
    }
    snprintf(out, cap, "%s%s%s", kus, kus[0] != '\0' && xkus[0] != '\0' ? "; " : "", xkus);
}

/* An ASN1_TIME as seconds since 1970 (UTC). */
static int64_t unix_time(const ASN1_TIME *t)
{
    struct tm tm;

    if (ASN1_TIME_to_tm(t, &tm) != 1) {
        return 0;
    }
    return (int64_t)timegm(&tm);
}

int lc_cert_describe(const lc_crypto *cr, const lc_cert *c, struct lc_cert_info *out)
{
    X509 *x = c->x509;
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    char *hex = bn != NULL ? BN_bn2hex(bn) : NULL;
    lc_pkey *pub = NULL;
    unsigned int mdlen = 0;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    name_line(X509_get_subject_name(x), out->subject, sizeof(out->subject));
    name_line(X509_get_issuer_name(x), out->issuer, sizeof(out->issuer));
    list_names(x, out->names, sizeof(out->names));
    snprintf(out->serial, sizeof(out->serial), "%s", hex != NULL ? hex : "?");
    out->not_before = unix_time(X509_get0_notBefore(x));
    out->not_after = unix_time(X509_get0_notAfter(x));
    /* an unknown key algorithm is not an error here: show says "other" */
    out->key_type = LC_KEY_OTHER;
    if (lc_pkey_from_cert_der(cr, c->der.der, c->der.len, &pub) == 0) {
        out->key_type = lc_pkey_type(pub);
        out->key_bits = lc_pkey_bits(pub);
    }
    snprintf(out->signature, sizeof(out->signature), "%s",
             OBJ_nid2ln(X509_get_signature_nid(x)));
    /* X509_get_extension_flags caches what the extensions say (and flags bad ones) */
    out->ca = (X509_get_extension_flags(x) & EXFLAG_CA) != 0;
    out->path_len = (int)X509_get_pathlen(x);
    list_usage(x, out->usage, sizeof(out->usage));
    if (X509_digest(x, lc_crypto_md(cr, LC_SHA256), out->sha256, &mdlen) != 1 ||
        mdlen != sizeof(out->sha256)) {
        rc = LC_E_CRYPTO;
    }
    lc_pkey_free(pub);
    OPENSSL_free(hex);
    BN_free(bn);
    return lc_crypto_fail(rc);
}
