/*
 * Ephemeral key exchange for TLS 1.3 (RFC 8446 4.2.8, 7.4): X25519 (RFC 7748),
 * the NIST curves secp256r1 and secp384r1, and the RFC 7919 groups ffdhe2048
 * and ffdhe3072.
 *
 * The key_exchange encodings are those of RFC 8446 4.2.8.1-2: the raw 32-byte
 * u-coordinate for X25519, the uncompressed point (0x04 || X || Y) for the
 * curves, and Y left-padded to the size of p for FFDHE. Each peer value is
 * checked before use, and a bad one is LC_E_BAD_KEY_SHARE (illegal_parameter),
 * never a crypto failure: it is the peer's fault, not ours.
 */
#include "crypto/crypto.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include "base/error.h"
#include "crypto/internal.h"

enum kind {
    KIND_X25519,
    KIND_EC,
    KIND_FFDHE,
};

/* A NamedGroup as data (STYLE 3.6): its code point and how libcrypto knows it. */
struct group {
    uint16_t id;
    enum kind kind;
    const char *keytype;   /* the EVP_PKEY type: "X25519", "EC", "DH" */
    const char *name;      /* the group name for EC and DH, NULL for X25519 */
    int nid;               /* the curve, for computing a public point */
    size_t publen;         /* the key_exchange value */
    size_t sharedlen;      /* the shared secret */
};

static const struct group groups[] = {
    { LC_GROUP_X25519, KIND_X25519, "X25519", NULL, NID_undef, 32, 32 },
    { LC_GROUP_SECP256R1, KIND_EC, "EC", "P-256", NID_X9_62_prime256v1, 65, 32 },
    { LC_GROUP_SECP384R1, KIND_EC, "EC", "P-384", NID_secp384r1, 97, 48 },
    { LC_GROUP_FFDHE2048, KIND_FFDHE, "DH", "ffdhe2048", NID_undef, 256, 256 },
    { LC_GROUP_FFDHE3072, KIND_FFDHE, "DH", "ffdhe3072", NID_undef, 384, 384 },
};

struct lc_kex {
    EVP_PKEY *pkey;   /* our private key */
    const struct group *g;
    const EVP_PKEY *peer_tmpl; /* X25519: the context's template for peer keys, or NULL */
};

static const struct group *find_group(uint16_t id)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(groups); i++) {
        if (groups[i].id == id) {
            return &groups[i];
        }
    }
    return NULL;
}

bool lc_kex_supported(uint16_t group)
{
    return find_group(group) != NULL;
}

size_t lc_kex_pub_len(uint16_t group)
{
    const struct group *g = find_group(group);

    return g != NULL ? g->publen : 0;
}

uint16_t lc_kex_group(const lc_kex *k)
{
    return k->g->id;
}

void lc_kex_free(lc_kex *k)
{
    if (k == NULL) {
        return;
    }
    /* EVP_PKEY_free clears the private key. */
    EVP_PKEY_free(k->pkey);
    free(k);
}

/* Makes a key of type keytype (and group name, if any) from an OSSL_PARAM list. */
static EVP_PKEY *from_params(const char *keytype, int selection, OSSL_PARAM *params)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, keytype, NULL);
    EVP_PKEY *pkey = NULL;

    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, selection, params) != 1) {
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

/* Writes our key_exchange value for the key in k (RFC 8446 4.2.8.1-2). */
static int write_pub(const lc_kex *k, uint8_t *pub, size_t cap, size_t *publen)
{
    const struct group *g = k->g;
    size_t len = 0;
    BIGNUM *y = NULL;
    int rc = LC_E_CRYPTO;

    if (cap < g->publen) {
        return LC_E_BUFFER_TOO_SMALL;
    }
    switch (g->kind) {
    case KIND_X25519:
        len = cap;
        if (EVP_PKEY_get_raw_public_key(k->pkey, pub, &len) != 1) {
            goto out;
        }
        break;
    case KIND_EC:
        /* libcrypto's default point format is uncompressed, which 4.2.8.2 requires */
        if (EVP_PKEY_get_octet_string_param(k->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pub,
                                            cap, &len) != 1 || pub[0] != 0x04) {
            goto out;
        }
        break;
    case KIND_FFDHE:
        /* 4.2.8.1: Y as a big-endian integer, left-padded with zeros to the size of p */
        if (EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_PUB_KEY, &y) != 1 ||
            BN_bn2binpad(y, pub, (int)g->publen) != (int)g->publen) {
            goto out;
        }
        len = g->publen;
        break;
    }
    if (len != g->publen) {
        goto out;
    }
    *publen = len;
    rc = 0;
out:
    BN_free(y);
    return rc;
}

/* Wraps pkey (taking ownership) in an lc_kex and writes its public value. */
static int finish(const struct group *g, EVP_PKEY *pkey, lc_kex **out, uint8_t *pub, size_t cap,
                  size_t *publen)
{
    lc_kex *k = calloc(1, sizeof(*k));
    int rc;

    if (k == NULL) {
        EVP_PKEY_free(pkey);
        return LC_E_NO_MEMORY;
    }
    k->pkey = pkey;
    k->g = g;
    rc = write_pub(k, pub, cap, publen);
    if (rc != 0) {
        lc_kex_free(k);
        return lc_crypto_fail(rc);
    }
    *out = k;
    return 0;
}

int lc_kex_generate(const lc_crypto *cr, uint16_t group, lc_kex **out, uint8_t *pub, size_t cap,
                    size_t *publen)
{
    const struct group *g = find_group(group);
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;

    *out = NULL;
    if (g == NULL) {
        return LC_E_BAD_ARGUMENT;
    }
    if (cap < g->publen) {
        return LC_E_BUFFER_TOO_SMALL;
    }
    ctx = EVP_PKEY_CTX_new_from_name(NULL, g->keytype, NULL);
    if (ctx == NULL || EVP_PKEY_keygen_init(ctx) != 1 ||
        (g->name != NULL && EVP_PKEY_CTX_set_group_name(ctx, g->name) != 1) ||
        EVP_PKEY_keygen(ctx, &pkey) != 1) {
        EVP_PKEY_CTX_free(ctx);
        return lc_crypto_fail(LC_E_CRYPTO);
    }
    EVP_PKEY_CTX_free(ctx);
    int rc = finish(g, pkey, out, pub, cap, publen);
    if (rc == 0 && g->kind == KIND_X25519) {
        (*out)->peer_tmpl = cr != NULL ? cr->x25519_peer : NULL;
    }
    return rc;
}

/* An X25519 public key: a copy of the template with the peer's bytes, or made by name. */
static EVP_PKEY *x25519_peer(const lc_kex *k, const uint8_t *peer, size_t peerlen)
{
    if (k->peer_tmpl == NULL) {
        return EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, peer, peerlen);
    }
    EVP_PKEY *pkey = EVP_PKEY_dup((EVP_PKEY *)k->peer_tmpl);
    if (pkey != NULL && EVP_PKEY_set1_encoded_public_key(pkey, peer, peerlen) != 1) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    return pkey;
}

/* An EC key pair from the big-endian scalar d: computes Q = dG, then imports both. */
static EVP_PKEY *ec_from_private(const struct group *g, const uint8_t *priv, size_t privlen)
{
    EC_GROUP *grp = EC_GROUP_new_by_curve_name(g->nid);
    EC_POINT *q = NULL;
    BIGNUM *d = BN_secure_new();
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY *pkey = NULL;
    uint8_t pub[LC_KEX_PUB_MAX];

    if (grp == NULL || d == NULL || BN_bin2bn(priv, (int)privlen, d) == NULL) {
        goto out;
    }
    /* A usable scalar is 0 < d < n. */
    if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(grp)) >= 0) {
        goto out;
    }
    q = EC_POINT_new(grp);
    if (q == NULL || EC_POINT_mul(grp, q, d, NULL, NULL, NULL) != 1 ||
        EC_POINT_point2oct(grp, q, POINT_CONVERSION_UNCOMPRESSED, pub, sizeof(pub), NULL) !=
            g->publen) {
        goto out;
    }
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL ||
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, g->name, 0) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, g->publen) != 1) {
        goto out;
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    if (params != NULL) {
        pkey = from_params("EC", EVP_PKEY_KEYPAIR, params);
    }
out:
    /*
     * The built params hold a copy of d; since d is a secure BIGNUM, the copy
     * sits in the params' secure block, which OSSL_PARAM_free clears.
     */
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_clear_free(d);
    EC_POINT_free(q);
    EC_GROUP_free(grp);
    return pkey;
}

/* The domain parameters of a named FFDHE group, as a key with no key material. */
static EVP_PKEY *ffdhe_domain(const struct group *g)
{
    OSSL_PARAM params[2];

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)g->name, 0);
    params[1] = OSSL_PARAM_construct_end();
    return from_params("DH", EVP_PKEY_KEY_PARAMETERS, params);
}

/* An FFDHE key pair from the big-endian exponent x: computes Y = g^x mod p, imports both. */
static EVP_PKEY *ffdhe_from_private(const struct group *g, const uint8_t *priv, size_t privlen)
{
    EVP_PKEY *domain = ffdhe_domain(g);
    BIGNUM *p = NULL, *gen = NULL, *y = BN_new(), *x = BN_secure_new();
    BN_CTX *bnctx = BN_CTX_secure_new();
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY *pkey = NULL;

    if (domain == NULL || y == NULL || x == NULL || bnctx == NULL ||
        EVP_PKEY_get_bn_param(domain, OSSL_PKEY_PARAM_FFC_P, &p) != 1 ||
        EVP_PKEY_get_bn_param(domain, OSSL_PKEY_PARAM_FFC_G, &gen) != 1 ||
        BN_bin2bn(priv, (int)privlen, x) == NULL) {
        goto out;
    }
    /* An exponent of 0 or 1, or one not below p, is no private key. */
    if (BN_is_zero(x) || BN_is_one(x) || BN_cmp(x, p) >= 0) {
        goto out;
    }
    BN_set_flags(x, BN_FLG_CONSTTIME);
    if (BN_mod_exp_mont_consttime(y, gen, x, p, bnctx, NULL) != 1) {
        goto out;
    }
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL ||
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, g->name, 0) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, x) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y) != 1) {
        goto out;
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    if (params != NULL) {
        pkey = from_params("DH", EVP_PKEY_KEYPAIR, params);
    }
out:
    OSSL_PARAM_free(params);   /* clears the copy of x, as in ec_from_private */
    OSSL_PARAM_BLD_free(bld);
    BN_CTX_free(bnctx);
    BN_clear_free(x);
    BN_free(y);
    BN_free(gen);
    BN_free(p);
    EVP_PKEY_free(domain);
    return pkey;
}

int lc_kex_from_private(const lc_crypto *cr, uint16_t group, const uint8_t *priv, size_t privlen,
                        lc_kex **out, uint8_t *pub, size_t cap, size_t *publen)
{
    const struct group *g = find_group(group);
    EVP_PKEY *pkey = NULL;

    (void)cr;
    *out = NULL;
    if (g == NULL || privlen == 0) {
        return LC_E_BAD_ARGUMENT;
    }
    if (cap < g->publen) {
        return LC_E_BUFFER_TOO_SMALL;
    }
    switch (g->kind) {
    case KIND_X25519:
        /* RFC 7748 5: the 32-byte scalar as given; clamping happens inside X25519 */
        if (privlen != 32) {
            return LC_E_BAD_ARGUMENT;
        }
        pkey = EVP_PKEY_new_raw_private_key_ex(NULL, "X25519", NULL, priv, privlen);
        break;
    case KIND_EC:
        if (privlen > g->sharedlen) {
            return LC_E_BAD_ARGUMENT;
        }
        pkey = ec_from_private(g, priv, privlen);
        break;
    case KIND_FFDHE:
        if (privlen > g->publen) {
            return LC_E_BAD_ARGUMENT;
        }
        pkey = ffdhe_from_private(g, priv, privlen);
        break;
    }
    if (pkey == NULL) {
        /* a bad scalar and a libcrypto failure look alike here; both are ours */
        return lc_crypto_fail(LC_E_BAD_ARGUMENT);
    }
    return finish(g, pkey, out, pub, cap, publen);
}

/*
 * The peer's FFDHE value as a key, after RFC 8446 4.2.8.1's range check
 * 1 < Y < p-1 (which rules out 0, 1, p-1 and anything at or above p: the
 * values that give a trivially known shared secret).
 */
static EVP_PKEY *ffdhe_peer(const lc_kex *k, const uint8_t *peer, size_t peerlen)
{
    BIGNUM *p = NULL, *y = BN_bin2bn(peer, (int)peerlen, NULL), *pm1 = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY *pkey = NULL;

    if (y == NULL || EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_FFC_P, &p) != 1) {
        goto out;
    }
    pm1 = BN_dup(p);
    if (pm1 == NULL || BN_sub_word(pm1, 1) != 1) {
        goto out;
    }
    if (BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, pm1) >= 0) {
        goto out;
    }
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL ||
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, k->g->name, 0) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y) != 1) {
        goto out;
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    if (params != NULL) {
        pkey = from_params("DH", EVP_PKEY_PUBLIC_KEY, params);
    }
out:
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(pm1);
    BN_free(p);
    BN_free(y);
    return pkey;
}

/*
 * The peer's key_exchange value as a key, or NULL if it is malformed. The
 * length was checked by the caller. libcrypto's import rejects a point that
 * is not on the curve; the public-key check in derive covers the rest.
 */
static EVP_PKEY *peer_key(const lc_kex *k, const uint8_t *peer, size_t peerlen)
{
    const struct group *g = k->g;
    OSSL_PARAM params[3];

    switch (g->kind) {
    case KIND_X25519:
        return x25519_peer(k, peer, peerlen);
    case KIND_EC:
        /*
         * 4.2.8.2: only the uncompressed form (legacy_form 4). This also rules
         * out the one-byte encoding of the point at infinity.
         */
        if (peer[0] != 0x04) {
            return NULL;
        }
        params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)g->name,
                                                     0);
        params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)peer,
                                                      peerlen);
        params[2] = OSSL_PARAM_construct_end();
        return from_params("EC", EVP_PKEY_PUBLIC_KEY, params);
    case KIND_FFDHE:
        return ffdhe_peer(k, peer, peerlen);
    }
    return NULL;
}

int lc_kex_derive(lc_kex *k, const uint8_t *peer, size_t peerlen, uint8_t *shared, size_t cap,
                  size_t *sharedlen)
{
    const struct group *g = k->g;
    EVP_PKEY *peerkey = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    size_t len = 0;
    uint8_t acc = 0;
    int rc;

    if (cap < g->sharedlen) {
        return LC_E_BUFFER_TOO_SMALL;
    }
    /* 4.2.8: the key_exchange value has exactly the group's length */
    if (peerlen != g->publen) {
        return LC_E_BAD_KEY_SHARE;
    }
    rc = LC_E_BAD_KEY_SHARE;
    peerkey = peer_key(k, peer, peerlen);
    if (peerkey == NULL) {
        goto out;
    }
    rc = LC_E_CRYPTO;
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL);
    if (ctx == NULL || EVP_PKEY_derive_init(ctx) != 1) {
        goto out;
    }
    /* 7.4.1: the FFDHE secret keeps its leading zeros, the size of p */
    if (g->kind == KIND_FFDHE && EVP_PKEY_CTX_set_dh_pad(ctx, 1) != 1) {
        goto out;
    }
    /*
     * validate_peer: the full public-key check (on the curve, in the subgroup)
     * for the NIST curves and FFDHE. X25519 takes any 32 bytes (RFC 7748 5);
     * its one check is the all-zero result below (RFC 8446 7.4.2), so the
     * validation pass, which costs about 2 us per handshake, is skipped.
     */
    if (EVP_PKEY_derive_set_peer_ex(ctx, peerkey, g->kind != KIND_X25519) != 1) {
        rc = LC_E_BAD_KEY_SHARE;
        goto out;
    }
    len = cap;
    if (EVP_PKEY_derive(ctx, shared, &len) != 1) {
        /* libcrypto's X25519 refuses an all-zero result: a low-order peer point (7.4.2) */
        rc = g->kind == KIND_X25519 ? LC_E_BAD_KEY_SHARE : LC_E_CRYPTO;
        goto out;
    }
    if (len != g->sharedlen) {
        goto out;
    }
    /* 7.4.2: check for the all-zero X25519 value here too, without branching on the bytes */
    for (size_t i = 0; i < len; i++) {
        acc |= shared[i];
    }
    if (g->kind == KIND_X25519 && acc == 0) {
        rc = LC_E_BAD_KEY_SHARE;
        goto out;
    }
    *sharedlen = len;
    rc = 0;
out:
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(peerkey);
    if (rc != 0) {
        lc_wipe(shared, g->sharedlen);
        lc_crypto_fail(rc);
    }
    return rc;
}
