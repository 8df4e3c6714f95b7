/*
 * The lc_crypto handle: every libcrypto algorithm Lucid uses, fetched once.
 *
 * OpenSSL 3 looks algorithms up in a provider on each implicit fetch (a name
 * lookup under a lock); fetching them here, once per lucid_ctx, keeps that
 * out of the handshake and the record path (STYLE 3.6: no global state, the
 * handle is read-only after creation).
 */
#include "crypto/internal.h"

#include <stdlib.h>

#include <openssl/err.h>

#include "base/error.h"

lc_crypto *lc_crypto_new(void)
{
    lc_crypto *cr = calloc(1, sizeof(*cr));

    if (cr == NULL) {
        return NULL;
    }
    /* NULL library context and properties: the default provider. */
    cr->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    cr->sha384 = EVP_MD_fetch(NULL, "SHA384", NULL);
    cr->sha512 = EVP_MD_fetch(NULL, "SHA512", NULL);
    cr->aes128gcm = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
    cr->aes256gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
    cr->chacha20poly1305 = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL);
    /* Any valid public key will do as the template: the base point, u = 9 (RFC 7748 4.1). */
    static const uint8_t base_point[32] = { 9 };
    cr->x25519_peer = EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, base_point,
                                                     sizeof(base_point));
    if (cr->sha256 == NULL || cr->sha384 == NULL || cr->sha512 == NULL ||
        cr->aes128gcm == NULL || cr->aes256gcm == NULL || cr->chacha20poly1305 == NULL ||
        cr->x25519_peer == NULL) {
        lc_crypto_free(cr);
        ERR_clear_error();
        return NULL;
    }
    return cr;
}

void lc_crypto_free(lc_crypto *cr)
{
    if (cr == NULL) {
        return;
    }
    EVP_MD_free(cr->sha256);
    EVP_MD_free(cr->sha384);
    EVP_MD_free(cr->sha512);
    EVP_CIPHER_free(cr->aes128gcm);
    EVP_CIPHER_free(cr->aes256gcm);
    EVP_CIPHER_free(cr->chacha20poly1305);
    EVP_PKEY_free(cr->x25519_peer);
    free(cr);
}

const EVP_MD *lc_crypto_md(const lc_crypto *cr, enum lc_hash_alg alg)
{
    switch (alg) {
    case LC_SHA256:
        return cr->sha256;
    case LC_SHA384:
        return cr->sha384;
    }
    return NULL;
}

const EVP_CIPHER *lc_crypto_cipher(const lc_crypto *cr, enum lc_aead_alg alg)
{
    switch (alg) {
    case LC_AES_128_GCM:
        return cr->aes128gcm;
    case LC_AES_256_GCM:
        return cr->aes256gcm;
    case LC_CHACHA20_POLY1305:
        return cr->chacha20poly1305;
    }
    return NULL;
}

int lc_crypto_fail(int code)
{
    ERR_clear_error();
    return code;
}
