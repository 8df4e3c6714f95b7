/*
 * The TLS 1.3 key schedule, RFC 8446 7.1 line by line, with the secrets and
 * keys derived from it: traffic keys (7.3), KeyUpdate (7.2), exporters (7.5),
 * Finished (4.4.4) and binders (4.2.11.2), and the resumption PSK (4.6.1).
 *
 * The RFC's diagram, which the functions below follow from top to bottom:
 *
 *              0
 *              |
 *              v
 *    PSK ->  HKDF-Extract = Early Secret          lc_ks_early_secret
 *              +--> binder_key, client_early_traffic_secret, early_exporter_master_secret
 *              v
 *        Derive-Secret(., "derived", "")
 *              v
 *    (EC)DHE -> HKDF-Extract = Handshake Secret   lc_ks_handshake_secret
 *              +--> client_/server_handshake_traffic_secret
 *              v
 *        Derive-Secret(., "derived", "")
 *              v
 *    0 -> HKDF-Extract = Master Secret            lc_ks_master_secret
 *              +--> client_/server_application_traffic_secret_0,
 *                   exporter_master_secret, resumption_master_secret
 *
 * "0" is Hash.length zero bytes, used where a PSK or (EC)DHE input is absent:
 * rounds are never skipped (7.1). Each step down the left side overwrites the
 * secret above it, so a spent stage is gone as soon as the next exists (7.1:
 * erase a secret once everything derived from it has been). As in rustls'
 * key_schedule.rs and s2n-tls' s2n_tls13_secrets.c, each function is named
 * after what it makes, and a step taken out of order is refused.
 *
 * Secrets live in lc_secret values on the stack or in the caller's struct;
 * every function that holds one of its own ends at a single `out:` that
 * wipes it, failures included (STYLE 3.5).
 */
#include "handshake/key_schedule.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"

/* The "0" of RFC 8446 7.1: Hash.length zero bytes. Read-only. */
static const uint8_t zeros[LC_HASH_MAX];

/* RFC 8446 7.1: opaque label<7..255> = "tls13 " + Label. */
#define LABEL_PREFIX "tls13 "
#define LABEL_PREFIX_LEN 6
#define LABEL_MAX (255 - LABEL_PREFIX_LEN)

/* ---- HKDF-Expand-Label and Derive-Secret (RFC 8446 7.1) ------------------------------ */

/*
 * HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length):
 *
 *     struct {
 *         uint16 length = Length;
 *         opaque label<7..255> = "tls13 " + Label;
 *         opaque context<0..255> = Context;
 *     } HkdfLabel;
 *
 * The label is a byte string here, since exporter labels come from the
 * application (7.5); our own labels are C strings.
 */
static int expand_label(const lc_crypto *cr, enum lc_hash_alg hash, const lc_secret *secret,
                        const char *label, size_t labellen, const uint8_t *context,
                        size_t contextlen, uint8_t *out, size_t outlen)
{
    uint8_t info[2 + 1 + 255 + 1 + 255];
    lc_writer w;
    lc_vec_mark m;
    int rc;

    if (secret->len == 0 || secret->len > LC_SECRET_MAX) {
        return LC_E_INTERNAL;
    }
    if (labellen > LABEL_MAX || contextlen > 255 || outlen > UINT16_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    lc_writer_init(&w, info, sizeof(info));
    lc_write_u16(&w, (uint16_t)outlen);
    m = lc_write_vec_begin(&w, 1);
    lc_write_bytes(&w, LABEL_PREFIX, LABEL_PREFIX_LEN);
    lc_write_bytes(&w, label, labellen);
    lc_write_vec_end(&w, m);
    lc_write_vec(&w, 1, context, contextlen);
    if ((rc = lc_writer_finish(&w)) != 0) {
        return rc;
    }
    return lc_hkdf_expand(cr, hash, secret->b, secret->len, info, w.len, out, outlen);
}

int lc_ks_hkdf_expand_label(const lc_crypto *cr, enum lc_hash_alg hash, const lc_secret *secret,
                            const char *label, const uint8_t *context, size_t contextlen,
                            uint8_t *out, size_t outlen)
{
    return expand_label(cr, hash, secret, label, strlen(label), context, contextlen, out, outlen);
}

/*
 * Derive-Secret(Secret, Label, Messages) =
 *     HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
 * with th = Transcript-Hash(Messages), or NULL for Messages = "", whose
 * transcript hash is the hash of nothing, Hash("").
 */
static int derive_secret(const lc_crypto *cr, enum lc_hash_alg hash, const lc_secret *secret,
                         const char *label, size_t labellen, const uint8_t *th, lc_secret *out)
{
    uint8_t empty[LC_HASH_MAX];
    size_t hlen = lc_hash_len(hash);
    int rc;

    if (th == NULL) {
        if ((rc = lc_hash(cr, hash, "", 0, empty)) != 0) {
            goto out;
        }
        th = empty;
    }
    out->len = hlen;
    rc = expand_label(cr, hash, secret, label, labellen, th, hlen, out->b, hlen);
out:
    if (rc != 0) {
        lc_wipe(out, sizeof(*out));
    }
    return rc;
}

int lc_ks_derive_secret(const lc_crypto *cr, enum lc_hash_alg hash, const lc_secret *secret,
                        const char *label, const uint8_t *transcript_hash, lc_secret *out)
{
    return derive_secret(cr, hash, secret, label, strlen(label), transcript_hash, out);
}

/* HKDF-Extract(salt, IKM) into a secret of Hash.length bytes. */
static int extract(const lc_ks *ks, const uint8_t *salt, size_t saltlen, const uint8_t *ikm,
                   size_t ikmlen, lc_secret *out)
{
    int rc;

    out->len = lc_hash_len(ks->hash);
    if ((rc = lc_hkdf_extract(ks->cr, ks->hash, salt, saltlen, ikm, ikmlen, out->b)) != 0) {
        lc_wipe(out, sizeof(*out));
    }
    return rc;
}

/* ---- the schedule ----------------------------------------------------------------- */

/*
 * Without a PSK the first two values of the schedule depend on the hash alone
 * (7.1: Early Secret = HKDF-Extract(0, 0), then Derive-Secret(., "derived", ""),
 * the salt of the Handshake Secret), so every full handshake would make the same
 * two HMACs. RFC 8448 section 3 lists the SHA-256 pair; key_schedule_test
 * recomputes both pairs.
 */
static const struct {
    uint8_t early[LC_HASH_MAX];
    uint8_t derived[LC_HASH_MAX];
} no_psk[] = {
    [LC_SHA256] = {
        { 0x33, 0xad, 0x0a, 0x1c, 0x60, 0x7e, 0xc0, 0x3b, 0x09, 0xe6, 0xcd, 0x98, 0x93, 0x68,
          0x0c, 0xe2, 0x10, 0xad, 0xf3, 0x00, 0xaa, 0x1f, 0x26, 0x60, 0xe1, 0xb2, 0x2e, 0x10,
          0xf1, 0x70, 0xf9, 0x2a },
        { 0x6f, 0x26, 0x15, 0xa1, 0x08, 0xc7, 0x02, 0xc5, 0x67, 0x8f, 0x54, 0xfc, 0x9d, 0xba,
          0xb6, 0x97, 0x16, 0xc0, 0x76, 0x18, 0x9c, 0x48, 0x25, 0x0c, 0xeb, 0xea, 0xc3, 0x57,
          0x6c, 0x36, 0x11, 0xba },
    },
    [LC_SHA384] = {
        { 0x7e, 0xe8, 0x20, 0x6f, 0x55, 0x70, 0x02, 0x3e, 0x6d, 0xc7, 0x51, 0x9e, 0xb1, 0x07,
          0x3b, 0xc4, 0xe7, 0x91, 0xad, 0x37, 0xb5, 0xc3, 0x82, 0xaa, 0x10, 0xba, 0x18, 0xe2,
          0x35, 0x7e, 0x71, 0x69, 0x71, 0xf9, 0x36, 0x2f, 0x2c, 0x2f, 0xe2, 0xa7, 0x6b, 0xfd,
          0x78, 0xdf, 0xec, 0x4e, 0xa9, 0xb5 },
        { 0x15, 0x91, 0xda, 0xc5, 0xcb, 0xbf, 0x03, 0x30, 0xa4, 0xa8, 0x4d, 0xe9, 0xc7, 0x53,
          0x33, 0x0e, 0x92, 0xd0, 0x1f, 0x0a, 0x88, 0x21, 0x4b, 0x44, 0x64, 0x97, 0x2f, 0xd6,
          0x68, 0x04, 0x9e, 0x93, 0xe5, 0x2f, 0x2b, 0x16, 0xfa, 0xd9, 0x22, 0xfd, 0xc0, 0x58,
          0x44, 0x78, 0x42, 0x8f, 0x28, 0x2b },
    },
};

void lc_ks_init(lc_ks *ks, const lc_crypto *cr, enum lc_hash_alg hash)
{
    memset(ks, 0, sizeof(*ks));
    ks->cr = cr;
    ks->hash = hash;
    ks->stage = LC_KS_START;
}

void lc_ks_wipe(lc_ks *ks)
{
    lc_wipe(&ks->secret, sizeof(ks->secret));
    ks->stage = LC_KS_DONE;
}

/*
 * A secret on the right of the diagram: Derive-Secret(current, label,
 * Messages), allowed only while the current secret is the one named.
 */
static int derive(const lc_ks *ks, enum lc_ks_stage want, const char *label, const uint8_t *th,
                  lc_secret *out)
{
    if (ks->stage != want) {
        return LC_E_INTERNAL;
    }
    if (th == NULL) {
        return LC_E_BAD_ARGUMENT;
    }
    return lc_ks_derive_secret(ks->cr, ks->hash, &ks->secret, label, th, out);
}

/*
 * A step down the left of the diagram:
 *     Derive-Secret(current, "derived", "") -> salt
 *     IKM -> HKDF-Extract = the next stage's secret
 * The current secret is overwritten. On failure the schedule is wiped: a
 * half-made secret is never used.
 */
static int step(lc_ks *ks, enum lc_ks_stage from, const uint8_t *ikm, size_t ikmlen)
{
    lc_secret derived;
    int rc;

    memset(&derived, 0, sizeof(derived));
    if (ks->stage != from) {
        return LC_E_INTERNAL;
    }
    if (ikm == NULL) {
        ikm = zeros;
        ikmlen = lc_hash_len(ks->hash);
    }
    if (from == LC_KS_EARLY && ks->no_psk) {
        derived.len = lc_hash_len(ks->hash);
        memcpy(derived.b, no_psk[ks->hash].derived, derived.len);
    } else if ((rc = lc_ks_derive_secret(ks->cr, ks->hash, &ks->secret, "derived", NULL,
                                         &derived)) != 0) {
        goto out;
    }
    if ((rc = extract(ks, derived.b, derived.len, ikm, ikmlen, &ks->secret)) != 0) {
        goto out;
    }
    ks->stage = from + 1;
out:
    lc_wipe(&derived, sizeof(derived));
    if (rc != 0) {
        lc_ks_wipe(ks);
    }
    return rc;
}

/*
 *           0
 *           |
 *           v
 * PSK ->  HKDF-Extract = Early Secret
 */
int lc_ks_early_secret(lc_ks *ks, const uint8_t *psk, size_t psklen)
{
    size_t hlen = lc_hash_len(ks->hash);
    int rc;

    if (ks->stage != LC_KS_START) {
        return LC_E_INTERNAL;
    }
    /* RFC 8446 7.1: without a PSK, Early Secret = HKDF-Extract(0, 0): a constant. */
    if (psk == NULL && hlen != 0) {
        ks->secret.len = hlen;
        memcpy(ks->secret.b, no_psk[ks->hash].early, hlen);
        ks->no_psk = true;
        ks->stage = LC_KS_EARLY;
        return 0;
    }
    if ((rc = extract(ks, zeros, hlen, psk, psklen, &ks->secret)) != 0) {
        lc_ks_wipe(ks);
        return rc;
    }
    ks->stage = LC_KS_EARLY;
    return 0;
}

/*
 * +-----> Derive-Secret(., "ext binder" | "res binder", "") = binder_key
 *
 * RFC 8446 7.1: the two labels keep an external PSK from passing for a
 * resumption one and the other way round.
 */
int lc_ks_binder_key(const lc_ks *ks, enum lc_ks_psk_kind kind, lc_secret *out)
{
    const char *label = kind == LC_KS_PSK_EXTERNAL ? "ext binder" : "res binder";

    if (ks->stage != LC_KS_EARLY) {
        return LC_E_INTERNAL;
    }
    return lc_ks_derive_secret(ks->cr, ks->hash, &ks->secret, label, NULL, out);
}

/* +-----> Derive-Secret(., "c e traffic", ClientHello) = client_early_traffic_secret */
int lc_ks_client_early_traffic_secret(const lc_ks *ks, const uint8_t *th_ch, lc_secret *out)
{
    return derive(ks, LC_KS_EARLY, "c e traffic", th_ch, out);
}

/* +-----> Derive-Secret(., "e exp master", ClientHello) = early_exporter_master_secret */
int lc_ks_early_exporter_master_secret(const lc_ks *ks, const uint8_t *th_ch, lc_secret *out)
{
    return derive(ks, LC_KS_EARLY, "e exp master", th_ch, out);
}

/*
 *       Derive-Secret(., "derived", "")
 *           |
 *           v
 * (EC)DHE -> HKDF-Extract = Handshake Secret
 */
int lc_ks_handshake_secret(lc_ks *ks, const uint8_t *ecdhe, size_t ecdhelen)
{
    return step(ks, LC_KS_EARLY, ecdhe, ecdhelen);
}

/* +-----> Derive-Secret(., "c hs traffic", ClientHello...ServerHello) */
int lc_ks_client_handshake_traffic_secret(const lc_ks *ks, const uint8_t *th_ch_sh,
                                          lc_secret *out)
{
    return derive(ks, LC_KS_HANDSHAKE, "c hs traffic", th_ch_sh, out);
}

/* +-----> Derive-Secret(., "s hs traffic", ClientHello...ServerHello) */
int lc_ks_server_handshake_traffic_secret(const lc_ks *ks, const uint8_t *th_ch_sh,
                                          lc_secret *out)
{
    return derive(ks, LC_KS_HANDSHAKE, "s hs traffic", th_ch_sh, out);
}

/*
 *       Derive-Secret(., "derived", "")
 *           |
 *           v
 * 0 -> HKDF-Extract = Master Secret
 */
int lc_ks_master_secret(lc_ks *ks)
{
    return step(ks, LC_KS_HANDSHAKE, NULL, 0);
}

/* +-----> Derive-Secret(., "c ap traffic", ClientHello...server Finished) */
int lc_ks_client_application_traffic_secret_0(const lc_ks *ks, const uint8_t *th_ch_sf,
                                              lc_secret *out)
{
    return derive(ks, LC_KS_MASTER, "c ap traffic", th_ch_sf, out);
}

/* +-----> Derive-Secret(., "s ap traffic", ClientHello...server Finished) */
int lc_ks_server_application_traffic_secret_0(const lc_ks *ks, const uint8_t *th_ch_sf,
                                              lc_secret *out)
{
    return derive(ks, LC_KS_MASTER, "s ap traffic", th_ch_sf, out);
}

/* +-----> Derive-Secret(., "exp master", ClientHello...server Finished) */
int lc_ks_exporter_master_secret(const lc_ks *ks, const uint8_t *th_ch_sf, lc_secret *out)
{
    return derive(ks, LC_KS_MASTER, "exp master", th_ch_sf, out);
}

/* +-----> Derive-Secret(., "res master", ClientHello...client Finished) */
int lc_ks_resumption_master_secret(const lc_ks *ks, const uint8_t *th_ch_cf, lc_secret *out)
{
    return derive(ks, LC_KS_MASTER, "res master", th_ch_cf, out);
}

/* ---- what the secrets are for ------------------------------------------------------ */

/*
 * RFC 8446 4.6.1: the PSK of a ticket is
 *     HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)
 * so each ticket of a connection stands for a different PSK.
 */
int lc_ks_resumption_psk(const lc_crypto *cr, enum lc_hash_alg hash,
                         const lc_secret *resumption_master_secret, const uint8_t *ticket_nonce,
                         size_t noncelen, lc_secret *psk)
{
    size_t hlen = lc_hash_len(hash);
    int rc;

    psk->len = hlen;
    rc = expand_label(cr, hash, resumption_master_secret, "resumption", strlen("resumption"),
                      ticket_nonce, noncelen, psk->b, hlen);
    if (rc != 0) {
        lc_wipe(psk, sizeof(*psk));
    }
    return rc;
}

/* RFC 8446 4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length). */
int lc_ks_finished_key(const lc_crypto *cr, enum lc_hash_alg hash, const lc_secret *base_key,
                       lc_secret *out)
{
    size_t hlen = lc_hash_len(hash);
    int rc;

    out->len = hlen;
    rc = expand_label(cr, hash, base_key, "finished", strlen("finished"), NULL, 0, out->b, hlen);
    if (rc != 0) {
        lc_wipe(out, sizeof(*out));
    }
    return rc;
}

/*
 * RFC 8446 4.4.4:
 *     verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context,
 *                                                      Certificate*, CertificateVerify*))
 * The finished_key is made, used and wiped here.
 */
int lc_ks_verify_data(const lc_crypto *cr, enum lc_hash_alg hash, const lc_secret *base_key,
                      const uint8_t *transcript_hash, uint8_t *out)
{
    size_t hlen = lc_hash_len(hash);
    lc_secret finished_key;
    int rc;

    memset(&finished_key, 0, sizeof(finished_key));
    if ((rc = lc_ks_finished_key(cr, hash, base_key, &finished_key)) != 0) {
        goto out;
    }
    rc = lc_hmac(cr, hash, finished_key.b, finished_key.len, transcript_hash, hlen, out);
out:
    lc_wipe(&finished_key, sizeof(finished_key));
    return rc;
}

/* Recomputes a verify_data and compares it with what the peer sent, in constant time. */
static int check_verify_data(const lc_crypto *cr, enum lc_hash_alg hash,
                             const lc_secret *base_key, const uint8_t *transcript_hash,
                             const uint8_t *got, size_t gotlen, int mismatch)
{
    uint8_t want[LC_HASH_MAX];
    size_t hlen = lc_hash_len(hash);
    int rc;

    if ((rc = lc_ks_verify_data(cr, hash, base_key, transcript_hash, want)) != 0) {
        goto out;
    }
    /* The length is public (it is the suite's); the bytes are compared without a shortcut. */
    if (gotlen != hlen || !lc_ct_equal(want, got, hlen)) {
        rc = mismatch;
    }
out:
    lc_wipe(want, sizeof(want));
    return rc;
}

int lc_ks_finished_check(const lc_crypto *cr, enum lc_hash_alg hash, const lc_secret *base_key,
                         const uint8_t *transcript_hash, const uint8_t *got, size_t gotlen)
{
    /* RFC 8446 4.4.4: a wrong verify_data is decrypt_error. */
    return check_verify_data(cr, hash, base_key, transcript_hash, got, gotlen, LC_E_BAD_FINISHED);
}

int lc_ks_binder_check(const lc_crypto *cr, enum lc_hash_alg hash, const lc_secret *binder_key,
                       const uint8_t *transcript_hash, const uint8_t *got, size_t gotlen)
{
    /* RFC 8446 4.2.11.2: a binder that does not verify is decrypt_error. */
    return check_verify_data(cr, hash, binder_key, transcript_hash, got, gotlen,
                             LC_E_BAD_BINDER);
}

/*
 * RFC 8446 7.3:
 *     [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
 *     [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)
 * iv_length is 12 for every TLS 1.3 AEAD (5.3: the larger of 8 and N_MIN).
 */
int lc_ks_traffic_key(const lc_crypto *cr, enum lc_hash_alg hash, enum lc_aead_alg aead,
                      const lc_secret *secret, uint8_t key[LC_AEAD_KEY_MAX],
                      uint8_t iv[LC_AEAD_NONCE_LEN])
{
    size_t keylen = lc_aead_key_len(aead);
    int rc;

    if (keylen == 0 || keylen > LC_AEAD_KEY_MAX) {
        return LC_E_BAD_ARGUMENT;
    }
    if ((rc = expand_label(cr, hash, secret, "key", 3, NULL, 0, key, keylen)) != 0) {
        goto out;
    }
    rc = expand_label(cr, hash, secret, "iv", 2, NULL, 0, iv, LC_AEAD_NONCE_LEN);
out:
    if (rc != 0) {
        lc_wipe(key, LC_AEAD_KEY_MAX);
        lc_wipe(iv, LC_AEAD_NONCE_LEN);
    }
    return rc;
}

int lc_ks_set_traffic_keys(const lc_crypto *cr, enum lc_hash_alg hash, enum lc_aead_alg aead,
                           const lc_secret *secret, lc_rec_dir *dir)
{
    uint8_t key[LC_AEAD_KEY_MAX];
    uint8_t iv[LC_AEAD_NONCE_LEN];
    int rc;

    if ((rc = lc_ks_traffic_key(cr, hash, aead, secret, key, iv)) != 0) {
        goto out;
    }
    rc = lc_rec_dir_set_key(dir, cr, aead, key, iv);
out:
    /* The direction keeps its own copies (in the AEAD context and its IV). */
    lc_wipe(key, sizeof(key));
    lc_wipe(iv, sizeof(iv));
    return rc;
}

/*
 * RFC 8446 7.2:
 *     application_traffic_secret_N+1 =
 *         HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length)
 * computed aside and then copied over N, so N is gone when this returns 0.
 */
int lc_ks_next_application_traffic_secret(const lc_crypto *cr, enum lc_hash_alg hash,
                                          lc_secret *secret)
{
    size_t hlen = lc_hash_len(hash);
    lc_secret next;
    int rc;

    memset(&next, 0, sizeof(next));
    next.len = hlen;
    if ((rc = expand_label(cr, hash, secret, "traffic upd", strlen("traffic upd"), NULL, 0,
                           next.b, hlen)) != 0) {
        goto out;
    }
    *secret = next;
out:
    lc_wipe(&next, sizeof(next));
    return rc;
}

/*
 * RFC 8446 7.5:
 *     TLS-Exporter(label, context_value, key_length) =
 *         HKDF-Expand-Label(Derive-Secret(Secret, label, ""),
 *                           "exporter", Hash(context_value), key_length)
 * The label gets the "tls13 " prefix like any other, through Derive-Secret.
 */
int lc_ks_exporter(const lc_crypto *cr, enum lc_hash_alg hash,
                   const lc_secret *exporter_master_secret, const char *label, size_t labellen,
                   const uint8_t *context, size_t contextlen, uint8_t *out, size_t outlen)
{
    size_t hlen = lc_hash_len(hash);
    uint8_t context_hash[LC_HASH_MAX];
    lc_secret derived;
    int rc;

    memset(&derived, 0, sizeof(derived));
    /* RFC 5869 2.3: HKDF-Expand gives at most 255 * HashLen bytes. */
    if (outlen > 255 * hlen) {
        return LC_E_BAD_ARGUMENT;
    }
    if ((rc = derive_secret(cr, hash, exporter_master_secret, label, labellen, NULL, &derived)) !=
        0) {
        goto out;
    }
    /* RFC 8446 7.5: no context and an empty context are the same, Hash(""). */
    if ((rc = lc_hash(cr, hash, contextlen > 0 ? (const void *)context : "", contextlen,
                      context_hash)) != 0) {
        goto out;
    }
    rc = expand_label(cr, hash, &derived, "exporter", strlen("exporter"), context_hash, hlen, out,
                      outlen);
out:
    lc_wipe(&derived, sizeof(derived));
    if (rc != 0) {
        lc_wipe(out, outlen);
    }
    return rc;
}
