/*
 * The TLS 1.3 key schedule (RFC 8446 7.1 - 7.5, 4.4.4, 4.6.1).
 *
 * The schedule moves one way: Early Secret -> Handshake Secret -> Master
 * Secret. An lc_ks holds only the current one of the three; each step that
 * moves it on (lc_ks_handshake_secret, lc_ks_master_secret) overwrites the
 * spent secret, and lc_ks_wipe() ends it (RFC 8446 7.1: "Once all the values
 * which are to be derived from a given secret have been computed, that secret
 * SHOULD be erased"). The secrets on the right of the RFC's diagram (traffic
 * secrets, exporter and resumption master secrets) are derived from the
 * current stage and handed to the caller, who owns and wipes them.
 *
 * Each function is named after the RFC's name for what it makes and takes the
 * transcript hash the RFC names, already computed (src/handshake/transcript.h):
 *
 *     lc_ks_client_handshake_traffic_secret(ks, Transcript-Hash(ClientHello...ServerHello), out)
 *
 * A transcript hash is lc_hash_len(ks->hash) bytes. Secrets are lc_secret
 * (src/base/secret.h): fixed arrays, wiped by their owner.
 *
 * Every function returns 0 or an LC_E_* code. Calling a step in the wrong stage
 * (a Handshake Secret before an Early Secret) is LC_E_INTERNAL: the state
 * machine above has a bug, and no secret is produced.
 */
#ifndef LC_HANDSHAKE_KEY_SCHEDULE_H
#define LC_HANDSHAKE_KEY_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "base/secret.h"
#include "crypto/crypto.h"
#include "record/record.h"

enum lc_ks_stage {
    LC_KS_START,     /* nothing extracted yet */
    LC_KS_EARLY,     /* secret holds the Early Secret */
    LC_KS_HANDSHAKE, /* secret holds the Handshake Secret */
    LC_KS_MASTER,    /* secret holds the Master Secret */
    LC_KS_DONE,      /* wiped: everything has been derived */
};

/* Which binder_key label (RFC 8446 7.1): the labels keep one kind of PSK from standing in
 * for the other. */
enum lc_ks_psk_kind {
    LC_KS_PSK_EXTERNAL,   /* "ext binder": provisioned outside TLS */
    LC_KS_PSK_RESUMPTION, /* "res binder": from a NewSessionTicket */
};

/*
 * One connection's key schedule: a plain value (no allocation), so a client
 * can hold one per offered PSK while it computes binders.
 */
typedef struct lc_ks {
    const lc_crypto *cr;   /* borrowed; outlives the schedule */
    enum lc_hash_alg hash; /* the cipher suite's hash */
    enum lc_ks_stage stage;
    lc_secret secret;      /* the current stage's secret */
    bool no_psk;           /* Early Secret from no PSK: the next salt is a constant too */
} lc_ks;

/* Starts a schedule for a cipher suite's hash, in LC_KS_START. */
void lc_ks_init(lc_ks *ks, const lc_crypto *cr, enum lc_hash_alg hash);

/* Wipes whatever secret ks holds and moves it to LC_KS_DONE. Safe to call twice. */
void lc_ks_wipe(lc_ks *ks);

/* ---- the two functions of RFC 8446 7.1 ------------------------------------------------ */

/*
 * HKDF-Expand-Label(Secret, Label, Context, Length): HKDF-Expand with info =
 * HkdfLabel { uint16 length; opaque label<7..255> = "tls13 " + Label;
 * opaque context<0..255> }. label is the ASCII label without "tls13 "
 * (at most 249 bytes); context may be NULL when contextlen is 0.
 */
LC_MUST_CHECK int lc_ks_hkdf_expand_label(const lc_crypto *cr, enum lc_hash_alg hash,
                                          const lc_secret *secret, const char *label,
                                          const uint8_t *context, size_t contextlen,
                                          uint8_t *out, size_t outlen);

/*
 * Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label,
 * Transcript-Hash(Messages), Hash.length). transcript_hash is that hash, or
 * NULL for the empty Messages "" (then Hash("") is used).
 */
LC_MUST_CHECK int lc_ks_derive_secret(const lc_crypto *cr, enum lc_hash_alg hash,
                                      const lc_secret *secret, const char *label,
                                      const uint8_t *transcript_hash, lc_secret *out);

/* ---- the stages (RFC 8446 7.1, top to bottom) -------------------------------------- */

/*
 * Early Secret = HKDF-Extract(0, PSK). psk NULL means no PSK: Hash.length
 * zeros, as RFC 8446 7.1 requires ("this does not mean skipping rounds").
 * START -> EARLY.
 */
LC_MUST_CHECK int lc_ks_early_secret(lc_ks *ks, const uint8_t *psk, size_t psklen);

/* binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder", ""). EARLY. */
LC_MUST_CHECK int lc_ks_binder_key(const lc_ks *ks, enum lc_ks_psk_kind kind, lc_secret *out);

/* client_early_traffic_secret = Derive-Secret(., "c e traffic", ClientHello). EARLY. */
LC_MUST_CHECK int lc_ks_client_early_traffic_secret(const lc_ks *ks, const uint8_t *th_ch,
                                                    lc_secret *out);

/* early_exporter_master_secret = Derive-Secret(., "e exp master", ClientHello). EARLY. */
LC_MUST_CHECK int lc_ks_early_exporter_master_secret(const lc_ks *ks, const uint8_t *th_ch,
                                                     lc_secret *out);

/*
 * Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""),
 * (EC)DHE). ecdhe NULL means none (psk_ke mode): Hash.length zeros.
 * EARLY -> HANDSHAKE; the Early Secret is overwritten.
 */
LC_MUST_CHECK int lc_ks_handshake_secret(lc_ks *ks, const uint8_t *ecdhe, size_t ecdhelen);

/* client_handshake_traffic_secret = Derive-Secret(., "c hs traffic", CH...SH). HANDSHAKE. */
LC_MUST_CHECK int lc_ks_client_handshake_traffic_secret(const lc_ks *ks, const uint8_t *th_ch_sh,
                                                        lc_secret *out);

/* server_handshake_traffic_secret = Derive-Secret(., "s hs traffic", CH...SH). HANDSHAKE. */
LC_MUST_CHECK int lc_ks_server_handshake_traffic_secret(const lc_ks *ks, const uint8_t *th_ch_sh,
                                                        lc_secret *out);

/*
 * Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0).
 * HANDSHAKE -> MASTER; the Handshake Secret is overwritten, so derive both
 * handshake traffic secrets first.
 */
LC_MUST_CHECK int lc_ks_master_secret(lc_ks *ks);

/* client_application_traffic_secret_0 = Derive-Secret(., "c ap traffic", CH...server Finished). */
LC_MUST_CHECK int lc_ks_client_application_traffic_secret_0(const lc_ks *ks,
                                                            const uint8_t *th_ch_sf,
                                                            lc_secret *out);

/* server_application_traffic_secret_0 = Derive-Secret(., "s ap traffic", CH...server Finished). */
LC_MUST_CHECK int lc_ks_server_application_traffic_secret_0(const lc_ks *ks,
                                                            const uint8_t *th_ch_sf,
                                                            lc_secret *out);

/* exporter_master_secret = Derive-Secret(., "exp master", CH...server Finished). MASTER. */
LC_MUST_CHECK int lc_ks_exporter_master_secret(const lc_ks *ks, const uint8_t *th_ch_sf,
                                               lc_secret *out);

/*
 * resumption_master_secret = Derive-Secret(., "res master", CH...client Finished).
 * MASTER. It is the last thing derived from the Master Secret: call
 * lc_ks_wipe() after it.
 */
LC_MUST_CHECK int lc_ks_resumption_master_secret(const lc_ks *ks, const uint8_t *th_ch_cf,
                                                 lc_secret *out);

/* ---- what is derived from the secrets above ---------------------------------------- */

/*
 * The PSK a ticket stands for (RFC 8446 4.6.1):
 * HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length).
 * ticket_nonce is at most 255 bytes.
 */
LC_MUST_CHECK int lc_ks_resumption_psk(const lc_crypto *cr, enum lc_hash_alg hash,
                                       const lc_secret *resumption_master_secret,
                                       const uint8_t *ticket_nonce, size_t noncelen,
                                       lc_secret *psk);

/* finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (RFC 8446 4.4.4). */
LC_MUST_CHECK int lc_ks_finished_key(const lc_crypto *cr, enum lc_hash_alg hash,
                                     const lc_secret *base_key, lc_secret *out);

/*
 * verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*,
 * CertificateVerify*)) (RFC 8446 4.4.4), with finished_key made from base_key
 * (a handshake traffic secret) and wiped here. Writes Hash.length bytes.
 * The PSK binder (4.2.11.2) is the same computation with base_key =
 * binder_key over the truncated ClientHello's transcript hash.
 */
LC_MUST_CHECK int lc_ks_verify_data(const lc_crypto *cr, enum lc_hash_alg hash,
                                    const lc_secret *base_key, const uint8_t *transcript_hash,
                                    uint8_t *out);

/*
 * Checks a received Finished's verify_data in constant time (STYLE 3.5):
 * 0, or LC_E_BAD_FINISHED (decrypt_error, RFC 8446 4.4.4) if it differs or
 * has the wrong length.
 */
LC_MUST_CHECK int lc_ks_finished_check(const lc_crypto *cr, enum lc_hash_alg hash,
                                       const lc_secret *base_key, const uint8_t *transcript_hash,
                                       const uint8_t *got, size_t gotlen);

/* The same for a PSK binder: 0, or LC_E_BAD_BINDER (decrypt_error, RFC 8446 4.2.11.2). */
LC_MUST_CHECK int lc_ks_binder_check(const lc_crypto *cr, enum lc_hash_alg hash,
                                     const lc_secret *binder_key, const uint8_t *transcript_hash,
                                     const uint8_t *got, size_t gotlen);

/*
 * The traffic key and IV (RFC 8446 7.3):
 *     key = HKDF-Expand-Label(Secret, "key", "", key_length)   (lc_aead_key_len(aead) bytes)
 *     iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)      (12 bytes for every suite)
 * The caller wipes both.
 */
LC_MUST_CHECK int lc_ks_traffic_key(const lc_crypto *cr, enum lc_hash_alg hash,
                                    enum lc_aead_alg aead, const lc_secret *secret,
                                    uint8_t key[LC_AEAD_KEY_MAX], uint8_t iv[LC_AEAD_NONCE_LEN]);

/*
 * Derives the key and IV from a traffic secret and installs them in one
 * direction of the record layer (its sequence number starts at 0, RFC 8446
 * 5.3). The key and IV are wiped here; the secret stays the caller's.
 */
LC_MUST_CHECK int lc_ks_set_traffic_keys(const lc_crypto *cr, enum lc_hash_alg hash,
                                         enum lc_aead_alg aead, const lc_secret *secret,
                                         lc_rec_dir *dir);

/*
 * KeyUpdate (RFC 8446 7.2): replaces application_traffic_secret_N in place by
 * application_traffic_secret_N+1 = HKDF-Expand-Label(N, "traffic upd", "", Hash.length).
 * Secret N is gone afterwards, as 7.2 asks.
 */
LC_MUST_CHECK int lc_ks_next_application_traffic_secret(const lc_crypto *cr,
                                                        enum lc_hash_alg hash,
                                                        lc_secret *secret);

/*
 * TLS-Exporter(label, context_value, key_length) (RFC 8446 7.5) =
 *     HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter", Hash(context_value),
 *                       key_length)
 * with Secret the exporter_master_secret (or the early one, for 0-RTT).
 * label is labellen bytes (RFC 5705 4 labels, at most 249); context may be
 * NULL when contextlen is 0 (no context and an empty one are the same in
 * TLS 1.3). outlen is at most 255 * Hash.length.
 */
LC_MUST_CHECK int lc_ks_exporter(const lc_crypto *cr, enum lc_hash_alg hash,
                                 const lc_secret *exporter_master_secret, const char *label,
                                 size_t labellen, const uint8_t *context, size_t contextlen,
                                 uint8_t *out, size_t outlen);

#endif
