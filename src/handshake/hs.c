/*
 * The handshake machinery both sides share (see hs.h): the dispatcher over the
 * state tables, the flight buffer, key installation with key logging, the
 * CertificateVerify content, and KeyUpdate (RFC 8446 4.6.3), which is the same
 * on both sides.
 */
#include "handshake/hs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handshake/trace.h"
#include "msg/finished.h"
#include "msg/key_update.h"
#include "record/write.h"

static const char *const state_names[LC_HS_STATE_COUNT] = {
    [LC_HS_CLIENT_START] = "START",      [LC_HS_WAIT_SH] = "WAIT_SH",
    [LC_HS_WAIT_EE] = "WAIT_EE",         [LC_HS_WAIT_CERT_CR] = "WAIT_CERT_CR",
    [LC_HS_WAIT_CERT] = "WAIT_CERT",     [LC_HS_WAIT_CV] = "WAIT_CV",
    [LC_HS_WAIT_SFIN] = "WAIT_FINISHED", [LC_HS_WAIT_CH] = "WAIT_CH",
    [LC_HS_WAIT_CH2] = "WAIT_CH2",       [LC_HS_WAIT_CFIN] = "WAIT_FINISHED",
    [LC_HS_WAIT_EOED] = "WAIT_EOED",
    [LC_HS_CONNECTED] = "CONNECTED",
};

const char *lc_hs_state_name(enum lc_hs_state s)
{
    return s < LC_HS_STATE_COUNT ? state_names[s] : "?";
}

/*
 * The transcript starts at once: a server hashes the ClientHello before it has
 * chosen a suite, a client before the ServerHello names one (transcript.h says
 * how both hashes run until then).
 */
int lc_hs_init(lc_hs *hs, const lc_hs_config *cfg, lc_error *err, lc_hs_io io,
               const char *server_name)
{
    int rc;

    memset(hs, 0, sizeof(*hs));
    hs->cfg = cfg;
    hs->err = err;
    hs->io = io;
    hs->trace_arg = cfg->trace_arg;
    hs->server = cfg->server;
    hs->state = cfg->server ? LC_HS_WAIT_CH : LC_HS_CLIENT_START;
    if (server_name != NULL && !cfg->server) {
        snprintf(hs->server_name, sizeof(hs->server_name), "%s", server_name);
    }
    if ((rc = lc_transcript_init(&hs->transcript, cfg->cr)) != 0) {
        return lc_fail(err, rc, "cannot start the transcript");
    }
    return 0;
}

/* Every secret the handshake can hold is wiped here, whatever state it stopped in. */
void lc_hs_free(lc_hs *hs)
{
    lc_transcript_free(&hs->transcript);
    lc_ks_wipe(&hs->ks);
    lc_kex_free(hs->kex);
    hs->kex = NULL;
    lc_pkey_free(hs->peer_key);
    hs->peer_key = NULL;
    free(hs->peer); /* one allocation: the peer's leaf and its subject (client_auth.c) */
    hs->peer = NULL;
    lc_buf_free(&hs->flight);
    lc_wipe(&hs->c_hs, sizeof(hs->c_hs));
    lc_wipe(&hs->s_hs, sizeof(hs->s_hs));
    lc_wipe(&hs->c_ap, sizeof(hs->c_ap));
    lc_wipe(&hs->s_ap, sizeof(hs->s_ap));
    lc_wipe(&hs->exporter, sizeof(hs->exporter));
    lc_wipe(&hs->resumption, sizeof(hs->resumption));
    lc_psk_free(&hs->psk);
    lc_wipe(&hs->early, sizeof(hs->early));
}

/* The handler for msg_type in the current state, or NULL when the state takes no such message. */
static lc_hs_handler *handler_for(const lc_hs *hs, uint8_t msg_type)
{
    const lc_hs_step *table = hs->server ? lc_hs_server13 : lc_hs_client13;
    const lc_hs_step *step = &table[hs->state];

    for (size_t i = 0; i < LC_HS_ACCEPTS_MAX && step->accepts[i] != 0; i++) {
        if (step->accepts[i] == msg_type) {
            return step->on[i];
        }
    }
    return NULL;
}

/*
 * The longest body a message of a fixed-size type can have (RFC 8446 4.4.4: verify_data is
 * one hash; 4.6.3: KeyUpdate is one byte; 4.5: EndOfEarlyData is empty). Others are judged
 * by their decoders, once whole, within the connection's HS_MSG_MAX.
 */
static const struct {
    uint8_t msg_type;
    uint32_t max;
} fixed_sizes[] = {
    { LC_MT_FINISHED, LC_HASH_MAX },
    { LC_MT_KEY_UPDATE, 1 },
    { LC_MT_END_OF_EARLY_DATA, 0 },
};

int lc_hs_expect(lc_hs *hs, uint8_t msg_type, uint32_t length)
{
    const char *name = lc_msg_type_name(msg_type);

    if (handler_for(hs, msg_type) == NULL) {
        /* RFC 8446 4: a message out of order is unexpected_message */
        return lc_fail(hs->err, LC_E_UNEXPECTED_MESSAGE, "%s %s (type %u) in state %s",
                       hs->server ? "client sent" : "server sent",
                       name != NULL ? name : "unknown", msg_type, lc_hs_state_name(hs->state));
    }
    for (size_t i = 0; i < LC_ARRAY_LEN(fixed_sizes); i++) {
        if (fixed_sizes[i].msg_type == msg_type && length > fixed_sizes[i].max) {
            return lc_fail(hs->err, LC_E_DECODE, "%s of %u bytes (at most %u)", name,
                           (unsigned)length, (unsigned)fixed_sizes[i].max);
        }
    }
    return 0;
}

/*
 * The dispatcher (STYLE 3.3): the state's row lists the message types it
 * accepts; anything else is unexpected_message, decided here once for every
 * state of both sides, so no handler has to check its own message type.
 */
int lc_hs_handle(lc_hs *hs, uint8_t msg_type, const uint8_t *raw, size_t rawlen)
{
    lc_hs_handler *on = handler_for(hs, msg_type);
    int rc;

    if (on == NULL) {
        return lc_hs_expect(hs, msg_type, 0); /* the unexpected_message */
    }
    lc_trace_message(hs, false, raw, rawlen);
    if ((rc = on(hs, raw, rawlen)) != 0) {
        return rc;
    }
    /* a handler's messages leave as soon as it is done: one write per flight */
    return lc_hs_flush(hs);
}

/*
 * Randomness goes through the context's hook when one is set (tests replaying
 * fixed traces, deterministic fuzzing); otherwise the system CSPRNG.
 */
int lc_hs_random(lc_hs *hs, void *buf, size_t n)
{
    int rc;

    if (hs->cfg->random != NULL) {
        rc = hs->cfg->random(hs->cfg->random_arg, buf, n);
    } else {
        rc = lc_random(buf, n);
    }
    return rc == 0 ? 0 : lc_fail(hs->err, LC_E_CRYPTO, "no randomness");
}

/* The engine never reads a clock itself: the context's hook does (STYLE 2). */
uint64_t lc_hs_now(const lc_hs *hs)
{
    return hs->cfg->time != NULL ? hs->cfg->time(hs->cfg->time_arg) : 0;
}

int lc_hs_kex_generate(lc_hs *hs, uint16_t group, lc_kex **out, uint8_t *pub, size_t cap,
                       size_t *publen)
{
    uint8_t priv[LC_KEX_SHARED_MAX];
    size_t privlen = 0;
    int rc;

    if (hs->cfg->kex_private == NULL) {
        return lc_kex_generate(hs->cfg->cr, group, out, pub, cap, publen);
    }
    /* a test replaying a trace gives the trace's private key (config.h) */
    rc = hs->cfg->kex_private(hs->cfg->kex_private_arg, group, priv, sizeof(priv), &privlen);
    if (rc == 0) {
        rc = lc_kex_from_private(hs->cfg->cr, group, priv, privlen, out, pub, cap, publen);
    }
    lc_wipe(priv, sizeof(priv));
    return rc;
}

void lc_hs_ext_hook(lc_hs *hs, uint8_t msg_type, lc_ext_list *list)
{
    if (hs->cfg->ext_hook != NULL) {
        hs->cfg->ext_hook(hs->cfg->ext_hook_arg, msg_type, list);
    }
}

/*
 * A message is hashed as it is queued, so the transcript always equals what
 * went out in order; it is written as records only at the next flush (end of
 * the handler, or a key change), so one flight leaves as few records as its
 * size allows.
 */
int lc_hs_send(lc_hs *hs, const uint8_t *msg, size_t len)
{
    int rc;

    lc_trace_message(hs, true, msg, len);
    if ((rc = lc_transcript_add(&hs->transcript, msg, len)) != 0 ||
        (rc = lc_buf_append(&hs->flight, msg, len)) != 0) {
        return lc_fail(hs->err, rc, "cannot queue a handshake message");
    }
    return 0;
}

int lc_hs_flush(lc_hs *hs)
{
    int rc;

    if (hs->flight.len == 0) {
        return 0;
    }
    rc = lc_rec_write(hs->io.wd, LC_CT_HANDSHAKE, LC_REC_VERSION, lc_buf_data(&hs->flight),
                      hs->flight.len, hs->io.wire);
    lc_buf_free(&hs->flight);
    return rc == 0 ? 0 : lc_fail(hs->err, rc, "cannot write handshake records");
}

int lc_hs_send_ccs(lc_hs *hs)
{
    static const uint8_t ccs = 0x01;
    int rc;

    /* without compatibility mode (an empty legacy_session_id) there is no dummy CCS */
    if (hs->sent_ccs || hs->legacy_session_id_len == 0) {
        return 0;
    }
    hs->sent_ccs = true;
    /* the CCS follows what was gathered so far, in order */
    if ((rc = lc_hs_flush(hs)) != 0) {
        return rc;
    }
    rc = lc_rec_write(hs->io.wd, LC_CT_CHANGE_CIPHER_SPEC, LC_REC_VERSION, &ccs, 1, hs->io.wire);
    return rc == 0 ? 0 : lc_fail(hs->err, rc, "cannot write change_cipher_spec");
}

/* Key and IV from a traffic secret (RFC 8446 7.3), installed with sequence number 0 (5.3). */
static int set_keys(lc_hs *hs, const lc_secret *secret, lc_rec_dir *dir)
{
    int rc = lc_ks_set_traffic_keys(hs->cfg->cr, hs->suite->hash, hs->suite->aead, secret, dir);

    return rc == 0 ? 0 : lc_fail(hs->err, rc, "cannot install traffic keys");
}

int lc_hs_set_read_keys(lc_hs *hs, const lc_secret *secret)
{
    hs->read_epoch++;
    return set_keys(hs, secret, hs->io.rd);
}

int lc_hs_set_write_keys(lc_hs *hs, const lc_secret *secret)
{
    int rc;

    /* messages gathered under the old key leave under it (RFC 8446 5.1) */
    if ((rc = lc_hs_flush(hs)) != 0) {
        return rc;
    }
    return set_keys(hs, secret, hs->io.wd);
}

/* The RFC 8446 7.1 names of the secrets that the NSS key log labels. */
static const struct {
    const char *nss, *name, *label;
} secret_names[] = {
    { "CLIENT_EARLY_TRAFFIC_SECRET", "client_early_traffic_secret", "\"c e traffic\"" },
    { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "client_handshake_traffic_secret", "\"c hs traffic\"" },
    { "SERVER_HANDSHAKE_TRAFFIC_SECRET", "server_handshake_traffic_secret", "\"s hs traffic\"" },
    { "CLIENT_TRAFFIC_SECRET_0", "client_application_traffic_secret_0", "\"c ap traffic\"" },
    { "SERVER_TRAFFIC_SECRET_0", "server_application_traffic_secret_0", "\"s ap traffic\"" },
    { "EXPORTER_SECRET", "exporter_master_secret", "\"exp master\"" },
};

void lc_hs_keylog(lc_hs *hs, const char *label, const lc_secret *secret)
{
    /* NSS key log format: LABEL <client_random hex> <secret hex> */
    char line[64 + 2 * LC_RANDOM_LEN + 2 * LC_SECRET_MAX + 4];
    size_t n;

    for (size_t i = 0; i < LC_ARRAY_LEN(secret_names); i++) {
        if (strcmp(secret_names[i].nss, label) == 0) {
            lc_trace_secret(hs, secret_names[i].name, secret_names[i].label, secret);
        }
    }
    if (hs->cfg->keylog == NULL) {
        return;
    }
    n = (size_t)snprintf(line, sizeof(line), "%s ", label);
    for (size_t i = 0; i < LC_RANDOM_LEN; i++) {
        n += (size_t)snprintf(line + n, sizeof(line) - n, "%02x", hs->client_random[i]);
    }
    line[n++] = ' ';
    for (size_t i = 0; i < secret->len; i++) {
        n += (size_t)snprintf(line + n, sizeof(line) - n, "%02x", secret->b[i]);
    }
    hs->cfg->keylog(hs->cfg->keylog_arg, line);
    lc_wipe(line, sizeof(line));
}

/* One trace line, prefixed with the side, so a client's and a server's traces can be merged. */
void lc_hs_trace(lc_hs *hs, const char *fmt, ...)
{
    char line[512];
    int n;
    va_list ap;

    if (hs->cfg->trace == NULL) {
        return;
    }
    n = snprintf(line, sizeof(line), "%s: ", hs->server ? "server" : "client");
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    hs->cfg->trace(hs->trace_arg, line);
}

int lc_hs_transcript_hash(lc_hs *hs, uint8_t *out)
{
    int rc = lc_transcript_hash(&hs->transcript, out);

    return rc == 0 ? 0 : lc_fail(hs->err, rc, "cannot hash the transcript");
}

int lc_hs_cv_content(lc_hs *hs, bool server_signs, uint8_t *out, size_t *len)
{
    /* RFC 8446 4.4.3: the context strings, then a single 0 byte */
    static const char server_ctx[] = "TLS 1.3, server CertificateVerify";
    static const char client_ctx[] = "TLS 1.3, client CertificateVerify";
    const char *ctx = server_signs ? server_ctx : client_ctx;
    size_t ctxlen = sizeof(server_ctx) - 1;
    int rc;

    memset(out, 0x20, 64);
    memcpy(out + 64, ctx, ctxlen);
    out[64 + ctxlen] = 0;
    if ((rc = lc_hs_transcript_hash(hs, out + 64 + ctxlen + 1)) != 0) {
        return rc;
    }
    *len = 64 + ctxlen + 1 + lc_hash_len(hs->suite->hash);
    return 0;
}

/*
 * RFC 8446 7.1: a secret is erased once everything derived from it is made.
 * At this point only the application traffic secrets (for KeyUpdate), the
 * exporter and the resumption master secret are still needed.
 */
void lc_hs_finish(lc_hs *hs)
{
    hs->done = true;
    hs->state = LC_HS_CONNECTED;
    lc_wipe(&hs->c_hs, sizeof(hs->c_hs));
    lc_wipe(&hs->s_hs, sizeof(hs->s_hs));
    lc_ks_wipe(&hs->ks);
    lc_kex_free(hs->kex);
    hs->kex = NULL;
    lc_pkey_free(hs->peer_key);
    hs->peer_key = NULL;
    lc_wipe(&hs->early.secret, sizeof(hs->early.secret));
    if (hs->psk.resumed) {
        lc_hs_trace(hs, "handshake complete: %s, %s, resumed (%s)", hs->suite->name,
                    hs->psk.mode == LC_PSK_KE ? "no (EC)DHE" : lc_group_name(hs->group),
                    hs->psk.mode == LC_PSK_KE ? "psk_ke" : "psk_dhe_ke");
        lc_hs_trace_counts(hs, "for the handshake");
        return;
    }
    lc_hs_trace(hs, "handshake complete: %s, %s, %s", hs->suite->name,
                lc_group_name(hs->group), lc_scheme_name(hs->scheme));
    lc_hs_trace_counts(hs, "for the handshake");
}

void lc_hs_trace_counts(lc_hs *hs, const char *when)
{
    lc_hs_trace(hs, "records %s: sent %llu (%llu bytes), received %llu (%llu bytes)", when,
                (unsigned long long)hs->io.wd->records, (unsigned long long)hs->io.wd->bytes,
                (unsigned long long)hs->io.rd->records, (unsigned long long)hs->io.rd->bytes);
}

bool lc_hs_offered(const uint16_t *list, size_t n, uint16_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i] == v) {
            return true;
        }
    }
    return false;
}

int lc_hs_derive_handshake_secrets(lc_hs *hs, const uint8_t *shared, size_t sharedlen)
{
    uint8_t th[LC_HASH_MAX];
    int rc;

    if ((rc = lc_hs_transcript_hash(hs, th)) != 0) {
        return rc;
    }
    /* resuming, the schedule already holds the PSK's Early Secret (psk.c) */
    if (!hs->psk.resumed) {
        lc_ks_wipe(&hs->ks);
        lc_ks_init(&hs->ks, hs->cfg->cr, hs->suite->hash);
        /* each stage is traced while the schedule holds it: the next step overwrites it */
        if ((rc = lc_ks_early_secret(&hs->ks, NULL, 0)) != 0) {
            return lc_fail(hs->err, rc, "key schedule failed");
        }
        lc_trace_secret(hs, "Early Secret", "HKDF-Extract(0, 0): no PSK", &hs->ks.secret);
    }
    if ((rc = lc_ks_handshake_secret(&hs->ks, shared, sharedlen)) != 0) {
        return lc_fail(hs->err, rc, "key schedule failed");
    }
    lc_trace_secret(hs, "Handshake Secret",
                    shared != NULL ? "HKDF-Extract(\"derived\", (EC)DHE)"
                                   : "HKDF-Extract(\"derived\", 0): psk_ke, no (EC)DHE",
                    &hs->ks.secret);
    if ((rc = lc_ks_client_handshake_traffic_secret(&hs->ks, th, &hs->c_hs)) != 0 ||
        (rc = lc_ks_server_handshake_traffic_secret(&hs->ks, th, &hs->s_hs)) != 0 ||
        (rc = lc_ks_master_secret(&hs->ks)) != 0) {
        return lc_fail(hs->err, rc, "key schedule failed");
    }
    lc_hs_keylog(hs, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", &hs->c_hs);
    lc_hs_keylog(hs, "SERVER_HANDSHAKE_TRAFFIC_SECRET", &hs->s_hs);
    lc_trace_secret(hs, "Master Secret", "HKDF-Extract(\"derived\", 0)", &hs->ks.secret);
    return 0;
}

int lc_hs_derive_application_secrets(lc_hs *hs)
{
    uint8_t th[LC_HASH_MAX];
    int rc;

    if ((rc = lc_hs_transcript_hash(hs, th)) != 0) {
        return rc;
    }
    if ((rc = lc_ks_client_application_traffic_secret_0(&hs->ks, th, &hs->c_ap)) != 0 ||
        (rc = lc_ks_server_application_traffic_secret_0(&hs->ks, th, &hs->s_ap)) != 0 ||
        (rc = lc_ks_exporter_master_secret(&hs->ks, th, &hs->exporter)) != 0) {
        return lc_fail(hs->err, rc, "key schedule failed");
    }
    lc_hs_keylog(hs, "CLIENT_TRAFFIC_SECRET_0", &hs->c_ap);
    lc_hs_keylog(hs, "SERVER_TRAFFIC_SECRET_0", &hs->s_ap);
    lc_hs_keylog(hs, "EXPORTER_SECRET", &hs->exporter);
    return 0;
}

int lc_hs_send_finished(lc_hs *hs, const lc_secret *base_key)
{
    enum lc_hash_alg hash = hs->suite->hash;
    uint8_t th[LC_HASH_MAX], verify[LC_HASH_MAX], msg[LC_HASH_MAX + LC_MSG_HEADER_LEN];
    lc_finished fin = { .verify_data = verify, .verify_data_len = lc_hash_len(hash) };
    lc_writer w;
    int rc;

    if ((rc = lc_hs_transcript_hash(hs, th)) != 0) {
        return rc;
    }
    if ((rc = lc_ks_verify_data(hs->cfg->cr, hash, base_key, th, verify)) != 0) {
        return lc_fail(hs->err, rc, "cannot compute Finished");
    }
    lc_writer_init(&w, msg, sizeof(msg));
    if ((rc = lc_finished_encode(&w, &fin)) != 0) {
        return lc_fail(hs->err, rc, "cannot encode Finished");
    }
    return lc_hs_send(hs, msg, w.len);
}

int lc_hs_check_finished(lc_hs *hs, const lc_secret *base_key, const uint8_t *raw, size_t rawlen)
{
    enum lc_hash_alg hash = hs->suite->hash;
    const char *peer = hs->server ? "client" : "server";
    uint8_t th[LC_HASH_MAX];
    lc_finished fin;
    lc_reader r;
    int rc;

    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_finished_decode(&r, lc_hash_len(hash), &fin)) != 0) {
        return lc_fail(hs->err, rc, "cannot decode the %s's Finished", peer);
    }
    if ((rc = lc_hs_transcript_hash(hs, th)) != 0) {
        return rc;
    }
    /* RFC 8446 4.4.4: a wrong verify_data is decrypt_error, compared in constant time */
    if ((rc = lc_ks_finished_check(hs->cfg->cr, hash, base_key, th, fin.verify_data,
                                   fin.verify_data_len)) != 0) {
        return lc_fail(hs->err, rc, "the %s's Finished does not match the transcript", peer);
    }
    lc_hs_trace(hs, "%s Finished verified", peer);
    if ((rc = lc_transcript_add(&hs->transcript, raw, rawlen)) != 0) {
        return lc_fail(hs->err, rc, "transcript");
    }
    return 0;
}

bool lc_hs_peer_finished(const lc_hs *hs)
{
    /* the server has the client's Finished once connected; the client the server's
     * once past WAIT_FINISHED */
    return hs->done;
}

/* Our application write secret moves on (RFC 8446 7.2) and its keys are installed. */
static int update_write(lc_hs *hs)
{
    lc_secret *ours = hs->server ? &hs->s_ap : &hs->c_ap;
    int rc;

    if ((rc = lc_ks_next_application_traffic_secret(hs->cfg->cr, hs->suite->hash, ours)) != 0) {
        return lc_fail(hs->err, rc, "cannot update the write secret");
    }
    return lc_hs_set_write_keys(hs, ours);
}

/*
 * KeyUpdate is a post-handshake message: it is not part of the transcript,
 * and it goes out at once, under the old key, before our key moves on.
 */
int lc_hs_send_key_update(lc_hs *hs, bool request_peer)
{
    lc_key_update ku = { .request_update = request_peer ? 1 : 0 };
    uint8_t msg[LC_MSG_HEADER_LEN + 1];
    lc_writer w;
    int rc;

    if (!hs->done) {
        return lc_fail(hs->err, LC_E_BAD_ARGUMENT, "KeyUpdate before the handshake is done");
    }
    lc_writer_init(&w, msg, sizeof(msg));
    if ((rc = lc_key_update_encode(&w, &ku)) != 0) {
        return lc_fail(hs->err, rc, "cannot encode KeyUpdate");
    }
    lc_trace_message(hs, true, msg, w.len);
    /* post-handshake messages are not part of the transcript */
    if ((rc = lc_rec_write(hs->io.wd, LC_CT_HANDSHAKE, LC_REC_VERSION, msg, w.len,
                           hs->io.wire)) != 0) {
        return lc_fail(hs->err, rc, "cannot write KeyUpdate");
    }
    hs->key_update_owed = false;
    /* RFC 8446 4.6.3: the sender updates its keys after sending KeyUpdate */
    return update_write(hs);
}

int lc_hs_on_key_update(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    lc_secret *theirs = hs->server ? &hs->c_ap : &hs->s_ap;
    lc_key_update ku;
    lc_reader r;
    int rc;

    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_key_update_decode(&r, &ku)) != 0) {
        return lc_fail(hs->err, rc, "bad KeyUpdate");
    }
    /* the peer's next records use its next secret (RFC 8446 4.6.3) */
    if ((rc = lc_ks_next_application_traffic_secret(hs->cfg->cr, hs->suite->hash, theirs)) != 0) {
        return lc_fail(hs->err, rc, "cannot update the read secret");
    }
    if ((rc = lc_hs_set_read_keys(hs, theirs)) != 0) {
        return rc;
    }
    /*
     * RFC 8446 4.6.3: update_requested asks us to answer with our own
     * KeyUpdate(update_not_requested). The connection sends it once it has
     * handled all the input it was given, so several requests in one burst
     * get one answer ("multiple KeyUpdates while it is silent" get "a single
     * update") and a flood of requests cannot make us send a flood.
     */
    if (ku.request_update == 1) {
        hs->key_update_owed = true;
    }
    return 0;
}
