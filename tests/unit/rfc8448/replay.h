/*
 * The RFC 8448 replay driver shared by the tests in this folder.
 *
 * rp_run() walks the steps of one section of RFC 8448 in the RFC's order
 * (rfc8448_count / rfc8448_step) and dispatches on each step's description.
 * Every value is made by Lucid from the trace's INPUTS and compared with the
 * trace's OUTPUTS, byte for byte:
 *
 *   create an ephemeral ... key pair   lc_kex_from_private gives the public key;
 *                                       the server's step also makes the (EC)DHE
 *                                       secret with lc_kex_derive (both ways)
 *   construct a ... message            framed (lc_msg_frame), decoded, re-encoded
 *                                       to the same bytes, added to lc_transcript
 *                                       (message_hash after a HelloRetryRequest,
 *                                       RFC 8446 4.4.1); key_share, pre_shared_key,
 *                                       CertificateVerify signatures and Finished
 *                                       verify_data checked against our values
 *   calculate PSK binder               binder_key, finished key, binder over the
 *                                       truncated ClientHello (RFC 8446 4.2.11.2)
 *   extract secret / derive secret     lc_ks_*: each PRK, transcript hash, salt,
 *                                       IKM and result of RFC 8446 7.1
 *   derive ... traffic keys            lc_ks_traffic_key (7.3), installed in the
 *                                       record layer with lc_ks_set_traffic_keys
 *   calculate finished                 finished_key and verify_data (4.4.4)
 *   generate resumption secret         lc_ks_resumption_psk (4.6.1)
 *   send ... record                    we write the record from the payload
 *                                       (lc_rec_protect or lc_rec_frame_plaintext)
 *                                       and get the trace's complete record; the
 *                                       receiver feeds it to its deframer one byte
 *                                       at a time, opens it (lc_rec_unprotect) and
 *                                       gets the payload, whose handshake messages
 *                                       are framed and round-tripped again; a
 *                                       tampered copy is refused with
 *                                       bad_record_mac; each flight is also fed
 *                                       whole to a second deframer
 *
 * Steps marked "(same as ...)" restate a value the other side computed; the
 * replay keeps ONE key schedule and ONE transcript for the connection, so they
 * are counted and skipped. A connection has two flows (what the client sends,
 * what the server sends); a flow's writer and reader are keyed together at
 * the first step that derives the key, and its sequence numbers restart at 0
 * with each key (RFC 8446 5.3).
 *
 * Every step must be handled: an unknown description is a failure, and
 * rp_mutation_sweep() flips one byte of each trace field in turn and asserts
 * the replay then reports a mismatch, so a field that nothing compares shows
 * up as a failing test. The HkdfLabel "info" fields are the only ones left
 * out: the key schedule builds HkdfLabel internally and does not expose it,
 * and every "expanded" value made with it is compared.
 *
 * Header-only (static functions): tests/unit/rfc8448/ may not add to
 * tests/support/, and each test binary is one .c file.
 */
#ifndef LUCID_TEST_RFC8448_REPLAY_H
#define LUCID_TEST_RFC8448_REPLAY_H

#include "test.h"

#include <stdbool.h>

#include "rfc8448.h"

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/crypto.h"
#include "handshake/key_schedule.h"
#include "handshake/transcript.h"
#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/end_of_early_data.h"
#include "msg/ext/key_share.h"
#include "msg/ext/pre_shared_key.h"
#include "msg/ext/supported_versions.h"
#include "msg/finished.h"
#include "msg/msg.h"
#include "msg/new_session_ticket.h"
#include "msg/server_hello.h"
#include "record/record.h"

enum rp_side { RP_CLIENT = 0, RP_SERVER = 1 };

#define RP_BUF 8192
#define RP_FLIGHT_MAX 16

/* What a full handshake leaves for a resumption (section 3 for section 4). */
struct rp_session {
    bool valid;
    enum lc_hash_alg hash;
    lc_secret psk;
    uint8_t ticket[1024];
    size_t ticket_len;
};

/* One side of the connection, and the flow of records it sends. */
struct rp_party {
    lc_kex *kex; /* the latest ephemeral key pair */
    uint16_t group;
    uint8_t pub[LC_KEX_PUB_MAX];
    size_t publen;
    lc_pkey *cert_key;                   /* from this side's Certificate */
    uint8_t verify_data[LC_HASH_MAX];    /* this side's Finished, as we computed it */
    size_t verify_data_len;
    uint8_t pending[RP_BUF];             /* messages constructed, not yet seen in a record */
    size_t pending_len;
    /* the flow */
    bool keyed;
    lc_rec_dir send;   /* the sender's write direction */
    lc_rec_dir recv;   /* the receiver's read direction */
    lc_rec_dir forged; /* the same key, for tampered copies */
    lc_rec_in in_bytes; /* the receiver's deframer, fed a byte at a time */
    lc_rec_in in_chunk; /* a second one, fed a whole flight at once */
    size_t records_sent;
    uint8_t flight[RP_BUF]; /* this side's current flight, as on the wire */
    size_t flight_len;
    size_t flight_end[RP_FLIGHT_MAX];
    size_t flight_records;
    size_t flights;
};

/* What the replay checked, for the report. */
struct rp_counts {
    size_t steps, restated;
    size_t secrets;    /* PRK, hash, salt, IKM, secret, expanded of 7.1 and 4.6.1 */
    size_t keys;       /* key and iv values */
    size_t finished;   /* finished keys, verify_data, binders */
    size_t publics;    /* public keys made from the trace's private keys */
    size_t messages;   /* handshake messages framed and round-tripped */
    size_t records_out, records_in; /* written equal to the trace; read back to the payload */
    size_t forgeries;  /* tampered records, Finished, binders and signatures refused */
    size_t signatures; /* CertificateVerify signatures verified */
    size_t flights;    /* flights cut the same by a whole-flight deframer */
};

struct replay {
    int section;
    bool quiet;                /* count mismatches without reporting (the mutation sweep) */
    unsigned long mismatches;
    const lc_crypto *cr;
    const struct rp_session *resume; /* section 4: the session of section 3 */
    struct rp_session session;       /* what this section leaves */
    uint16_t suite;
    enum lc_hash_alg hash;
    enum lc_aead_alg aead;
    size_t hlen;
    lc_transcript t;
    lc_ks ks;
    /* copies of each stage's secret (the schedule overwrites them) and the last "derived" */
    lc_secret early, handshake, master, derived;
    lc_secret c_e, e_exp, c_hs, s_hs, c_ap, s_ap, exp, res, binder_key;
    uint8_t ticket_nonce[255];
    size_t ticket_nonce_len;
    uint8_t shared[LC_KEX_SHARED_MAX];
    size_t shared_len;
    uint8_t binder[LC_HASH_MAX];
    size_t binder_len;
    size_t ch_prefix_len; /* section 4: the ClientHello is constructed up to its binders */
    uint16_t hrr_group;
    int last_sender;
    struct rp_party party[2];
    struct rp_counts n;
};

/* ---- checks that count into the replay ---------------------------------------------- */

static bool rp_check_at(struct replay *r, bool ok, const char *file, int line, const char *what)
{
    if (!r->quiet) {
        test_checks++;
    }
    if (!ok) {
        r->mismatches++;
        if (!r->quiet) {
            test_report(file, line, what);
        }
    }
    return ok;
}

static bool rp_mem_at(struct replay *r, const void *got, size_t gotlen, const void *want,
                      size_t wantlen, const char *file, int line, const char *what)
{
    bool ok = gotlen == wantlen && (wantlen == 0 || memcmp(got, want, wantlen) == 0);

    if (!r->quiet) {
        test_checks++;
    }
    if (!ok) {
        r->mismatches++;
        if (!r->quiet) {
            test_report_mem(file, line, what, got, want, gotlen, wantlen);
        }
    }
    return ok;
}

static bool rp_rc_at(struct replay *r, int got, int want, const char *file, int line,
                     const char *what)
{
    char buf[256];

    if (got == want) {
        return rp_check_at(r, true, file, line, what);
    }
    snprintf(buf, sizeof(buf), "%s: got %s (%d), want %s (%d)", what, test_err_name(got), got,
             test_err_name(want), want);
    return rp_check_at(r, false, file, line, buf);
}

#define RP_CHECK(r, cond) rp_check_at((r), (cond), __FILE__, __LINE__, #cond)
#define RP_MEM(r, got, gotlen, want, wantlen)                                                 \
    rp_mem_at((r), (got), (gotlen), (want), (wantlen), __FILE__, __LINE__, #got " == " #want)
#define RP_RC(r, got, want) rp_rc_at((r), (got), (want), __FILE__, __LINE__, #got)
#define RP_OK(r, expr) RP_RC((r), (expr), 0)

/* ---- reading a step ----------------------------------------------------------------- */

/* The field `name` of a step; a missing one is a mismatch (NULL returned). */
static const uint8_t *rp_field(struct replay *r, const struct rfc8448_step *st, const char *name,
                               size_t *len)
{
    for (size_t i = 0; i < st->nfields; i++) {
        if (strcmp(st->field[i].name, name) == 0) {
            *len = st->field[i].len;
            return st->field[i].data;
        }
    }
    *len = 0;
    rp_check_at(r, false, __FILE__, __LINE__, name);
    return NULL;
}

/* Compares bytes with a field of the step; counts into *counter. */
static bool rp_expect(struct replay *r, const struct rfc8448_step *st, const char *name,
                      const void *got, size_t gotlen, size_t *counter)
{
    size_t len;
    const uint8_t *want = rp_field(r, st, name, &len);

    (*counter)++;
    return want != NULL && rp_mem_at(r, got, gotlen, want, len, __FILE__, __LINE__, name);
}

static bool rp_expect_secret(struct replay *r, const struct rfc8448_step *st, const char *name,
                             const lc_secret *s, size_t *counter)
{
    return rp_expect(r, st, name, s->b, s->len, counter);
}

static bool rp_has(const struct rfc8448_step *st, const char *s)
{
    return strstr(st->desc, s) != NULL;
}

static int rp_side_of(const struct rfc8448_step *st)
{
    return strncmp(st->desc, "{client}", 8) == 0 ? RP_CLIENT : RP_SERVER;
}

/* The transcript hash so far, with the suite's hash (chosen or not yet). */
static bool rp_th(struct replay *r, uint8_t *out)
{
    if (r->t.chosen) {
        return RP_OK(r, lc_transcript_hash(&r->t, out));
    }
    return RP_OK(r, lc_transcript_hash_with(&r->t, r->hash, out));
}

static bool rp_suite_params(uint16_t suite, enum lc_hash_alg *hash, enum lc_aead_alg *aead)
{
    switch (suite) {
    case 0x1301:
        *hash = LC_SHA256;
        *aead = LC_AES_128_GCM;
        return true;
    case 0x1302:
        *hash = LC_SHA384;
        *aead = LC_AES_256_GCM;
        return true;
    case 0x1303:
        *hash = LC_SHA256;
        *aead = LC_CHACHA20_POLY1305;
        return true;
    default:
        return false;
    }
}

/* ---- handshake messages --------------------------------------------------------------- */

union rp_msg {
    lc_client_hello ch;
    lc_server_hello sh;
    lc_encrypted_extensions ee;
    lc_certificate_request cr;
    lc_certificate ct;
    lc_certificate_verify cv;
    lc_finished fin;
    lc_new_session_ticket nst;
};

/*
 * Decodes a whole message (header included) with its codec into *u and
 * re-encodes it: the bytes must come back the same. Returns the message type,
 * or -1 when it does not decode.
 */
static int rp_roundtrip(struct replay *r, const uint8_t *msg, size_t len, union rp_msg *u)
{
    static uint8_t out[RP_BUF];
    lc_writer w;
    lc_reader rd;
    lc_msg m;
    bool complete;
    int rc = LC_E_INTERNAL, enc = LC_E_INTERNAL;

    if (!RP_OK(r, lc_msg_frame(msg, len, LC_MSG_LENGTH_MAX, &m, &complete)) ||
        !RP_CHECK(r, complete && m.total == len)) {
        return -1;
    }
    lc_reader_init(&rd, m.body, m.length);
    lc_writer_init(&w, out, sizeof(out));
    switch (m.msg_type) {
    case LC_MT_CLIENT_HELLO:
        if ((rc = lc_client_hello_decode(&rd, &u->ch)) == 0) {
            enc = lc_client_hello_encode(&w, &u->ch);
        }
        break;
    case LC_MT_SERVER_HELLO:
        if ((rc = lc_server_hello_decode(&rd, &u->sh)) == 0) {
            enc = lc_server_hello_encode(&w, &u->sh);
        }
        break;
    case LC_MT_ENCRYPTED_EXTENSIONS:
        if ((rc = lc_encrypted_extensions_decode(&rd, &u->ee)) == 0) {
            enc = lc_encrypted_extensions_encode(&w, &u->ee);
        }
        break;
    case LC_MT_CERTIFICATE_REQUEST:
        if ((rc = lc_certificate_request_decode(&rd, &u->cr)) == 0) {
            enc = lc_certificate_request_encode(&w, &u->cr);
        }
        break;
    case LC_MT_CERTIFICATE:
        if ((rc = lc_certificate_decode(&rd, &u->ct)) == 0) {
            enc = lc_certificate_encode(&w, &u->ct);
        }
        break;
    case LC_MT_CERTIFICATE_VERIFY:
        if ((rc = lc_certificate_verify_decode(&rd, &u->cv)) == 0) {
            enc = lc_certificate_verify_encode(&w, &u->cv);
        }
        break;
    case LC_MT_FINISHED:
        if ((rc = lc_finished_decode(&rd, r->hlen, &u->fin)) == 0) {
            enc = lc_finished_encode(&w, &u->fin);
        }
        break;
    case LC_MT_NEW_SESSION_TICKET:
        if ((rc = lc_new_session_ticket_decode(&rd, &u->nst)) == 0) {
            enc = lc_new_session_ticket_encode(&w, &u->nst);
        }
        break;
    case LC_MT_END_OF_EARLY_DATA:
        if ((rc = lc_end_of_early_data_decode(&rd)) == 0) {
            enc = lc_end_of_early_data_encode(&w);
        }
        break;
    default:
        RP_CHECK(r, !"a handshake message type the replay does not know");
        return -1;
    }
    if (!RP_OK(r, rc) || !RP_OK(r, enc) || !RP_MEM(r, out, w.len, msg, len)) {
        return -1;
    }
    return m.msg_type;
}

/* RFC 8446 4.4.3: 64 spaces, the context string, a zero byte, the transcript hash. */
static void rp_check_certificate_verify(struct replay *r, int side, const lc_certificate_verify *cv)
{
    static const char *context[2] = { "TLS 1.3, client CertificateVerify",
                                      "TLS 1.3, server CertificateVerify" };
    uint8_t content[64 + 34 + 1 + LC_HASH_MAX], bad[LC_SIG_MAX];
    size_t clen = 0, ctxlen = strlen(context[side]);
    lc_pkey *key = r->party[side].cert_key;

    if (!RP_CHECK(r, key != NULL) || !RP_CHECK(r, cv->signature_len <= sizeof(bad))) {
        return;
    }
    memset(content, 0x20, 64);
    clen = 64;
    memcpy(content + clen, context[side], ctxlen);
    clen += ctxlen;
    content[clen++] = 0;
    if (!rp_th(r, content + clen)) {
        return;
    }
    clen += r->hlen;

    RP_CHECK(r, lc_sig_scheme_fits(key, cv->algorithm));
    r->n.signatures++;
    RP_OK(r, lc_sig_verify(r->cr, key, cv->algorithm, content, clen, cv->signature,
                           cv->signature_len));

    /* The same signature over the other side's context string, and an altered one, fail. */
    memcpy(content + 64, context[1 - side], ctxlen);
    RP_RC(r, lc_sig_verify(r->cr, key, cv->algorithm, content, clen, cv->signature,
                           cv->signature_len), LC_E_BAD_SIGNATURE);
    memcpy(content + 64, context[side], ctxlen);
    memcpy(bad, cv->signature, cv->signature_len);
    bad[cv->signature_len / 2] ^= 0x01;
    RP_RC(r, lc_sig_verify(r->cr, key, cv->algorithm, content, clen, bad, cv->signature_len),
          LC_E_BAD_SIGNATURE);
    r->n.forgeries += 2;
}

/* The ClientHello's key_share holds the client's public key (RFC 8446 4.2.8). */
static void rp_check_client_hello(struct replay *r, const lc_client_hello *ch, size_t len)
{
    const struct rp_party *c = &r->party[RP_CLIENT];
    const lc_ext *e = lc_ext_find(&ch->extensions, LC_EXT_KEY_SHARE);
    lc_ext_key_share_ch ks;
    lc_reader rd;
    bool found = false;

    if (RP_CHECK(r, e != NULL)) {
        lc_ext_reader(e, &rd);
        if (RP_OK(r, lc_ext_key_share_ch_decode(&rd, &ks))) {
            for (size_t i = 0; i < ks.count; i++) {
                if (ks.entry[i].group == c->group) {
                    found = true;
                    RP_MEM(r, ks.entry[i].key_exchange.p, ks.entry[i].key_exchange.len, c->pub,
                           c->publen);
                }
            }
        }
        RP_CHECK(r, found);
    }

    /* RFC 8446 4.2.11: the ticket of section 3 is offered, with the binder we computed. */
    e = lc_ext_find(&ch->extensions, LC_EXT_PRE_SHARED_KEY);
    RP_CHECK(r, (e != NULL) == (r->resume != NULL));
    if (e != NULL && r->resume != NULL) {
        lc_ext_pre_shared_key_ch psk;
        uint8_t bad[LC_EXT_PSK_BINDER_MAX], th[LC_HASH_MAX];

        lc_ext_reader(e, &rd);
        if (!RP_OK(r, lc_ext_pre_shared_key_ch_decode(&rd, &psk)) ||
            !RP_CHECK(r, psk.count == 1)) {
            return;
        }
        RP_MEM(r, psk.identity[0].identity.p, psk.identity[0].identity.len, r->resume->ticket,
               r->resume->ticket_len);
        RP_MEM(r, psk.binder[0].p, psk.binder[0].len, r->binder, r->binder_len);
        /* 4.2.11.2: Truncate(ClientHello) ends where the binders vector starts. */
        RP_CHECK(r, len - psk.binders_len == r->ch_prefix_len);

        /* The server's check of the received binder, and of an altered one. */
        if (!RP_OK(r, lc_transcript_hash_with(&r->t, r->hash, th))) {
            return;
        }
        RP_OK(r, lc_ks_binder_check(r->cr, r->hash, &r->binder_key, th, psk.binder[0].p,
                                    psk.binder[0].len));
        memcpy(bad, psk.binder[0].p, psk.binder[0].len);
        bad[0] ^= 0x80;
        RP_RC(r, lc_ks_binder_check(r->cr, r->hash, &r->binder_key, th, bad, psk.binder[0].len),
              LC_E_BAD_BINDER);
        r->n.forgeries++;
    }
}

/* ServerHello: the suite, the version, the server's share; HelloRetryRequest: the group. */
static void rp_check_server_hello(struct replay *r, const lc_server_hello *sh)
{
    const struct rp_party *s = &r->party[RP_SERVER];
    const lc_ext *e = lc_ext_find(&sh->extensions, LC_EXT_KEY_SHARE);
    const lc_ext *v = lc_ext_find(&sh->extensions, LC_EXT_SUPPORTED_VERSIONS);
    lc_reader rd;
    uint16_t selected = 0;

    RP_CHECK(r, sh->cipher_suite == r->suite);
    if (RP_CHECK(r, v != NULL)) {
        lc_ext_reader(v, &rd);
        RP_OK(r, lc_ext_supported_versions_sh_decode(&rd, &selected));
        RP_CHECK(r, selected == 0x0304);
    }
    if (!RP_CHECK(r, e != NULL)) {
        return;
    }
    lc_ext_reader(e, &rd);
    if (sh->is_hrr) {
        RP_OK(r, lc_ext_key_share_hrr_decode(&rd, &r->hrr_group));
        return;
    }
    lc_ext_key_share_entry entry;
    if (RP_OK(r, lc_ext_key_share_sh_decode(&rd, &entry))) {
        RP_CHECK(r, entry.group == s->group);
        RP_MEM(r, entry.key_exchange.p, entry.key_exchange.len, s->pub, s->publen);
    }
    e = lc_ext_find(&sh->extensions, LC_EXT_PRE_SHARED_KEY);
    RP_CHECK(r, (e != NULL) == (r->resume != NULL));
    if (e != NULL) {
        uint16_t identity = 0xffff;

        lc_ext_reader(e, &rd);
        RP_OK(r, lc_ext_pre_shared_key_sh_decode(&rd, &identity));
        RP_CHECK(r, identity == 0);
    }
}

/*
 * A message a side constructs: round trip, the checks its type calls for, and
 * the transcript (all but NewSessionTicket, which is post-handshake).
 * `hashed` bytes of it are in the transcript already (the ClientHello prefix
 * of section 4).
 */
static void rp_on_message(struct replay *r, int side, const uint8_t *msg, size_t len,
                          size_t hashed)
{
    static union rp_msg u;
    struct rp_party *p = &r->party[side];
    uint8_t th[LC_HASH_MAX];
    int type = rp_roundtrip(r, msg, len, &u);

    switch (type) {
    case LC_MT_CLIENT_HELLO:
        RP_CHECK(r, side == RP_CLIENT);
        rp_check_client_hello(r, &u.ch, len);
        break;
    case LC_MT_SERVER_HELLO:
        RP_CHECK(r, side == RP_SERVER);
        rp_check_server_hello(r, &u.sh);
        RP_OK(r, lc_transcript_set_hash(&r->t, r->hash));
        if (u.sh.is_hrr) {
            /* RFC 8446 4.4.1: ClientHello1 becomes message_hash before the HRR is added. */
            RP_OK(r, lc_transcript_hello_retry(&r->t));
        }
        break;
    case LC_MT_CERTIFICATE:
        if (RP_CHECK(r, u.ct.count >= 1)) {
            lc_pkey_free(p->cert_key);
            p->cert_key = NULL;
            RP_OK(r, lc_pkey_from_cert_der(r->cr, u.ct.certificate_list[0].cert_data,
                                           u.ct.certificate_list[0].cert_data_len, &p->cert_key));
        }
        break;
    case LC_MT_CERTIFICATE_VERIFY:
        rp_check_certificate_verify(r, side, &u.cv);
        break;
    case LC_MT_FINISHED: {
        /* The peer checks it against its own transcript (RFC 8446 4.4.4). */
        const lc_secret *base = side == RP_SERVER ? &r->s_hs : &r->c_hs;
        uint8_t bad[LC_HASH_MAX];

        RP_MEM(r, u.fin.verify_data, u.fin.verify_data_len, p->verify_data, p->verify_data_len);
        if (rp_th(r, th) && RP_CHECK(r, u.fin.verify_data_len == r->hlen)) {
            RP_OK(r, lc_ks_finished_check(r->cr, r->hash, base, th, u.fin.verify_data,
                                          u.fin.verify_data_len));
            memcpy(bad, u.fin.verify_data, r->hlen);
            bad[r->hlen - 1] ^= 0x01;
            RP_RC(r, lc_ks_finished_check(r->cr, r->hash, base, th, bad, r->hlen),
                  LC_E_BAD_FINISHED);
            r->n.forgeries++;
        }
        break;
    }
    case LC_MT_NEW_SESSION_TICKET:
        RP_CHECK(r, side == RP_SERVER);
        RP_MEM(r, u.nst.ticket_nonce, u.nst.ticket_nonce_len, r->ticket_nonce,
               r->ticket_nonce_len);
        if (RP_CHECK(r, u.nst.ticket_len <= sizeof(r->session.ticket))) {
            memcpy(r->session.ticket, u.nst.ticket, u.nst.ticket_len);
            r->session.ticket_len = u.nst.ticket_len;
        }
        return; /* not part of the transcript */
    default:
        break;
    }
    if (type < 0 || hashed > len) {
        return;
    }
    RP_OK(r, lc_transcript_add(&r->t, msg + hashed, len - hashed));
}

/* ---- the steps ------------------------------------------------------------------------ */

static void rp_key_pair(struct replay *r, const struct rfc8448_step *st)
{
    int side = rp_side_of(st);
    struct rp_party *p = &r->party[side], *c = &r->party[RP_CLIENT];
    uint16_t group = rp_has(st, "x25519") ? LC_GROUP_X25519
                     : rp_has(st, "P-256") ? LC_GROUP_SECP256R1 : 0;
    size_t privlen;
    const uint8_t *priv = rp_field(r, st, "private key", &privlen);

    if (!RP_CHECK(r, group != 0) || priv == NULL) {
        return;
    }
    lc_kex_free(p->kex);
    p->kex = NULL;
    p->group = group;
    if (!RP_OK(r, lc_kex_from_private(r->cr, group, priv, privlen, &p->kex, p->pub,
                                      sizeof(p->pub), &p->publen))) {
        return;
    }
    rp_expect(r, st, "public key", p->pub, p->publen, &r->n.publics);
    if (side == RP_CLIENT && r->hrr_group != 0) {
        RP_CHECK(r, group == r->hrr_group); /* RFC 8446 4.1.4: the group the HRR asked for */
    }
    if (side == RP_CLIENT) {
        return;
    }

    /* The server has the client's share: the (EC)DHE secret, which both sides must agree on. */
    uint8_t other[LC_KEX_SHARED_MAX];
    size_t otherlen = 0;

    r->shared_len = 0;
    if (!RP_CHECK(r, c->kex != NULL && c->group == group) ||
        !RP_OK(r, lc_kex_derive(p->kex, c->pub, c->publen, r->shared, sizeof(r->shared),
                                &r->shared_len)) ||
        !RP_OK(r, lc_kex_derive(c->kex, p->pub, p->publen, other, sizeof(other), &otherlen))) {
        return;
    }
    RP_MEM(r, other, otherlen, r->shared, r->shared_len);
}

static void rp_construct(struct replay *r, const struct rfc8448_step *st)
{
    int side = rp_side_of(st);
    struct rp_party *p = &r->party[side];
    const uint8_t *msg;
    size_t len;
    lc_msg m;
    bool complete;

    if (!RP_CHECK(r, st->nfields == 1)) {
        return;
    }
    msg = st->field[0].data;
    len = st->field[0].len;
    if (!RP_CHECK(r, p->pending_len + len <= sizeof(p->pending))) {
        return;
    }
    memcpy(p->pending + p->pending_len, msg, len);
    p->pending_len += len;

    if (!RP_OK(r, lc_msg_frame(msg, len, LC_MSG_LENGTH_MAX, &m, &complete))) {
        return;
    }
    if (!complete) {
        /*
         * Section 4 shows the ClientHello up to its binders (RFC 8446 4.2.11.2):
         * that much goes into the transcript now, the binders when the whole
         * message is sent.
         */
        if (RP_CHECK(r, r->resume != NULL && m.msg_type == LC_MT_CLIENT_HELLO)) {
            r->ch_prefix_len = len;
            RP_OK(r, lc_transcript_add(&r->t, msg, len));
        }
        return;
    }
    rp_on_message(r, side, msg, len, 0);
}

static void rp_binder(struct replay *r, const struct rfc8448_step *st)
{
    const struct rp_party *c = &r->party[RP_CLIENT];
    uint8_t th[LC_HASH_MAX];
    lc_secret fk;
    size_t len;

    if (!RP_CHECK(r, r->resume != NULL) || !RP_CHECK(r, r->ch_prefix_len > 0)) {
        return;
    }
    rp_expect(r, st, "ClientHello prefix", c->pending, r->ch_prefix_len, &r->n.finished);
    rp_field(r, st, "hash", &len);
    RP_CHECK(r, len == 0);
    if (!RP_OK(r, lc_transcript_hash_with(&r->t, r->resume->hash, th))) {
        return;
    }
    rp_expect(r, st, "binder hash", th, r->hlen, &r->n.finished);
    if (!RP_OK(r, lc_ks_binder_key(&r->ks, LC_KS_PSK_RESUMPTION, &r->binder_key)) ||
        !RP_OK(r, lc_ks_finished_key(r->cr, r->hash, &r->binder_key, &fk)) ||
        !RP_OK(r, lc_ks_verify_data(r->cr, r->hash, &r->binder_key, th, r->binder))) {
        return;
    }
    r->binder_len = r->hlen;
    rp_expect_secret(r, st, "PRK", &r->binder_key, &r->n.finished);
    rp_expect_secret(r, st, "expanded", &fk, &r->n.finished);
    rp_expect(r, st, "finished", r->binder, r->binder_len, &r->n.finished);
}

static void rp_extract(struct replay *r, const struct rfc8448_step *st)
{
    static const uint8_t zeros[LC_HASH_MAX];
    lc_secret *copy;

    if (rp_has(st, "\"early\"")) {
        if (r->resume != NULL) {
            rp_expect_secret(r, st, "IKM", &r->resume->psk, &r->n.secrets);
            RP_OK(r, lc_ks_early_secret(&r->ks, r->resume->psk.b, r->resume->psk.len));
        } else {
            rp_expect(r, st, "IKM", zeros, r->hlen, &r->n.secrets);
            RP_OK(r, lc_ks_early_secret(&r->ks, NULL, 0));
        }
        copy = &r->early;
    } else if (rp_has(st, "\"handshake\"")) {
        rp_expect_secret(r, st, "salt", &r->derived, &r->n.secrets);
        rp_expect(r, st, "IKM", r->shared, r->shared_len, &r->n.secrets);
        RP_OK(r, lc_ks_handshake_secret(&r->ks, r->shared, r->shared_len));
        copy = &r->handshake;
    } else if (rp_has(st, "\"master\"")) {
        rp_expect_secret(r, st, "salt", &r->derived, &r->n.secrets);
        rp_expect(r, st, "IKM", zeros, r->hlen, &r->n.secrets);
        RP_OK(r, lc_ks_master_secret(&r->ks));
        copy = &r->master;
    } else {
        RP_CHECK(r, !"an extract step the replay does not know");
        return;
    }
    *copy = r->ks.secret;
    rp_expect_secret(r, st, "secret", copy, &r->n.secrets);
}

/* "derive secret for handshake|master "tls13 derived"": Derive-Secret(., "derived", ""). */
static void rp_derived(struct replay *r, const struct rfc8448_step *st)
{
    const lc_secret *base = rp_has(st, "for handshake") ? &r->early : &r->handshake;
    uint8_t empty_hash[LC_HASH_MAX];

    rp_expect_secret(r, st, "PRK", base, &r->n.secrets);
    if (RP_OK(r, lc_hash(r->cr, r->hash, "", 0, empty_hash))) {
        rp_expect(r, st, "hash", empty_hash, r->hlen, &r->n.secrets);
    }
    if (RP_OK(r, lc_ks_derive_secret(r->cr, r->hash, base, "derived", NULL, &r->derived))) {
        rp_expect_secret(r, st, "expanded", &r->derived, &r->n.secrets);
    }
}

typedef int (*rp_ks_fn)(const lc_ks *ks, const uint8_t *th, lc_secret *out);

/* The Derive-Secret steps of RFC 8446 7.1, by label. */
static void rp_derive_secret(struct replay *r, const struct rfc8448_step *st)
{
    const struct {
        const char *label;
        enum lc_ks_stage stage;
        rp_ks_fn fn;
        lc_secret *out;
    } table[] = {
        { "\"tls13 c e traffic\"", LC_KS_EARLY, lc_ks_client_early_traffic_secret, &r->c_e },
        { "\"tls13 e exp master\"", LC_KS_EARLY, lc_ks_early_exporter_master_secret, &r->e_exp },
        { "\"tls13 c hs traffic\"", LC_KS_HANDSHAKE, lc_ks_client_handshake_traffic_secret,
          &r->c_hs },
        { "\"tls13 s hs traffic\"", LC_KS_HANDSHAKE, lc_ks_server_handshake_traffic_secret,
          &r->s_hs },
        { "\"tls13 c ap traffic\"", LC_KS_MASTER, lc_ks_client_application_traffic_secret_0,
          &r->c_ap },
        { "\"tls13 s ap traffic\"", LC_KS_MASTER, lc_ks_server_application_traffic_secret_0,
          &r->s_ap },
        { "\"tls13 exp master\"", LC_KS_MASTER, lc_ks_exporter_master_secret, &r->exp },
        { "\"tls13 res master\"", LC_KS_MASTER, lc_ks_resumption_master_secret, &r->res },
    };
    uint8_t th[LC_HASH_MAX];

    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (!rp_has(st, table[i].label)) {
            continue;
        }
        const lc_secret *stage = table[i].stage == LC_KS_EARLY       ? &r->early
                                 : table[i].stage == LC_KS_HANDSHAKE ? &r->handshake
                                                                     : &r->master;
        rp_expect_secret(r, st, "PRK", stage, &r->n.secrets);
        if (!RP_CHECK(r, r->ks.stage == table[i].stage) || !rp_th(r, th)) {
            return;
        }
        rp_expect(r, st, "hash", th, r->hlen, &r->n.secrets);
        if (RP_OK(r, table[i].fn(&r->ks, th, table[i].out))) {
            rp_expect_secret(r, st, "expanded", table[i].out, &r->n.secrets);
        }
        return;
    }
    RP_CHECK(r, !"a Derive-Secret label the replay does not know");
}

/* "{side} derive write|read traffic keys for early application|handshake|application data" */
static void rp_traffic_keys(struct replay *r, const struct rfc8448_step *st)
{
    int side = rp_side_of(st);
    int writer = rp_has(st, " write ") ? side : 1 - side;
    struct rp_party *p = &r->party[writer];
    const lc_secret *secret;
    uint8_t key[LC_AEAD_KEY_MAX], iv[LC_AEAD_NONCE_LEN];

    if (rp_has(st, "early application data")) {
        secret = &r->c_e;
        RP_CHECK(r, writer == RP_CLIENT);
    } else if (rp_has(st, "handshake data")) {
        secret = writer == RP_CLIENT ? &r->c_hs : &r->s_hs;
    } else if (rp_has(st, "application data")) {
        secret = writer == RP_CLIENT ? &r->c_ap : &r->s_ap;
    } else {
        RP_CHECK(r, !"traffic keys for what?");
        return;
    }
    rp_expect_secret(r, st, "PRK", secret, &r->n.keys);
    if (!RP_OK(r, lc_ks_traffic_key(r->cr, r->hash, r->aead, secret, key, iv))) {
        return;
    }
    rp_expect(r, st, "key expanded", key, lc_aead_key_len(r->aead), &r->n.keys);
    rp_expect(r, st, "iv expanded", iv, sizeof(iv), &r->n.keys);

    /* The flow's writer and reader take the key now; sequence numbers restart at 0. */
    RP_OK(r, lc_ks_set_traffic_keys(r->cr, r->hash, r->aead, secret, &p->send));
    RP_OK(r, lc_ks_set_traffic_keys(r->cr, r->hash, r->aead, secret, &p->recv));
    RP_OK(r, lc_rec_dir_set_key(&p->forged, r->cr, r->aead, key, iv));
    RP_CHECK(r, p->send.seq == 0 && p->recv.seq == 0);
    p->keyed = true;
}

static void rp_finished(struct replay *r, const struct rfc8448_step *st)
{
    int side = rp_side_of(st);
    struct rp_party *p = &r->party[side];
    const lc_secret *base = side == RP_SERVER ? &r->s_hs : &r->c_hs;
    uint8_t th[LC_HASH_MAX];
    lc_secret fk;
    size_t len;

    rp_expect_secret(r, st, "PRK", base, &r->n.finished);
    rp_field(r, st, "hash", &len);
    RP_CHECK(r, len == 0);
    if (RP_OK(r, lc_ks_finished_key(r->cr, r->hash, base, &fk))) {
        rp_expect_secret(r, st, "expanded", &fk, &r->n.finished);
    }
    if (rp_th(r, th) && RP_OK(r, lc_ks_verify_data(r->cr, r->hash, base, th, p->verify_data))) {
        p->verify_data_len = r->hlen;
        rp_expect(r, st, "finished", p->verify_data, p->verify_data_len, &r->n.finished);
    }
}

/* RFC 8446 4.6.1: the ticket's PSK; the trace's "hash" is the ticket_nonce. */
static void rp_resumption(struct replay *r, const struct rfc8448_step *st)
{
    size_t len;
    const uint8_t *nonce = rp_field(r, st, "hash", &len);

    rp_expect_secret(r, st, "PRK", &r->res, &r->n.secrets);
    if (nonce == NULL || !RP_CHECK(r, len <= sizeof(r->ticket_nonce))) {
        return;
    }
    memcpy(r->ticket_nonce, nonce, len);
    r->ticket_nonce_len = len;
    if (RP_OK(r, lc_ks_resumption_psk(r->cr, r->hash, &r->res, nonce, len, &r->session.psk))) {
        rp_expect_secret(r, st, "expanded", &r->session.psk, &r->n.secrets);
        r->session.valid = true;
        r->session.hash = r->hash;
    }
}

/*
 * The flight a side has sent (its records since the peer last sent) is fed
 * whole to a deframer, which must cut the same records out of it.
 */
static void rp_flush_flight(struct replay *r, int side)
{
    struct rp_party *p = &r->party[side];
    size_t off = 0, k = 0, start = 0;
    lc_record rec;

    if (p->flight_records == 0) {
        return;
    }
    while (off < p->flight_len) {
        size_t used = 0;

        if (!RP_OK(r, lc_rec_in_feed(&p->in_chunk, p->flight + off, p->flight_len - off, &used))) {
            break;
        }
        off += used;
        if (!lc_rec_in_record(&p->in_chunk, &rec)) {
            if (!RP_CHECK(r, used > 0)) {
                break;
            }
            continue;
        }
        if (!RP_CHECK(r, k < p->flight_records)) {
            break;
        }
        RP_MEM(r, rec.header, LC_REC_HEADER_LEN, p->flight + start, LC_REC_HEADER_LEN);
        RP_MEM(r, rec.fragment, rec.len, p->flight + start + LC_REC_HEADER_LEN,
               p->flight_end[k] - start - LC_REC_HEADER_LEN);
        lc_rec_in_consume(&p->in_chunk);
        lc_rec_in_initial_done(&p->in_chunk);
        start = p->flight_end[k++];
    }
    RP_CHECK(r, k == p->flight_records && lc_rec_in_empty(&p->in_chunk));
    lc_rec_in_trim(&p->in_chunk);
    r->n.flights++;
    p->flight_len = 0;
    p->flight_records = 0;
}

/* The receiver's side of a record: a byte at a time into its deframer, then opened. */
static void rp_receive(struct replay *r, int side, const uint8_t *wire, size_t wirelen,
                       uint8_t inner, const uint8_t *payload, size_t plen)
{
    struct rp_party *p = &r->party[side];
    bool whole_early = false, took_all = true;
    lc_record rec;

    for (size_t i = 0; i < wirelen; i++) {
        size_t used = 0;

        whole_early |= lc_rec_in_record(&p->in_bytes, &rec);
        if (lc_rec_in_feed(&p->in_bytes, wire + i, 1, &used) != 0 || used != 1) {
            took_all = false;
            break;
        }
    }
    if (!RP_CHECK(r, took_all && !whole_early) ||
        !RP_CHECK(r, lc_rec_in_record(&p->in_bytes, &rec))) {
        return;
    }
    RP_MEM(r, rec.header, LC_REC_HEADER_LEN, wire, LC_REC_HEADER_LEN);
    RP_CHECK(r, rec.type == wire[0] && rec.legacy_record_version == (wire[1] << 8 | wire[2]));
    if (!RP_MEM(r, rec.fragment, rec.len, wire + LC_REC_HEADER_LEN,
                wirelen - LC_REC_HEADER_LEN)) {
        lc_rec_in_consume(&p->in_bytes);
        return;
    }

    if (rec.type == LC_CT_APPLICATION_DATA) {
        /* A copy with one ciphertext bit flipped is refused first (RFC 8446 5.2). */
        static uint8_t forged[LC_REC_CIPHERTEXT_MAX];
        lc_record f = rec;

        memcpy(forged, rec.fragment, rec.len);
        forged[rec.len / 2] ^= 0x01;
        f.fragment = forged;
        p->forged.seq = p->recv.seq;
        RP_RC(r, lc_rec_unprotect(&p->forged, &f), LC_E_BAD_RECORD_MAC);
        r->n.forgeries++;

        if (!RP_OK(r, lc_rec_unprotect(&p->recv, &rec))) {
            lc_rec_in_consume(&p->in_bytes);
            return;
        }
    }
    r->n.records_in++;
    RP_CHECK(r, rec.type == inner);
    RP_MEM(r, rec.fragment, rec.len, payload, plen);

    /* The handshake messages of the record, as the receiver frames them. */
    if (rec.type == LC_CT_HANDSHAKE) {
        static union rp_msg u;
        size_t off = 0;

        while (off < rec.len) {
            lc_msg m;
            bool complete = false;

            if (!RP_OK(r, lc_msg_frame(rec.fragment + off, rec.len - off, LC_MSG_LENGTH_MAX, &m,
                                       &complete)) ||
                !RP_CHECK(r, complete)) {
                break;
            }
            if (rp_roundtrip(r, rec.fragment + off, m.total, &u) >= 0) {
                r->n.messages++;
            }
            off += m.total;
        }
    }
    lc_rec_in_consume(&p->in_bytes);
    lc_rec_in_initial_done(&p->in_bytes);
}

/* "{side} send handshake|application_data|alert|change_cipher_spec record" */
static void rp_record(struct replay *r, const struct rfc8448_step *st)
{
    static uint8_t buf[RP_BUF];
    int side = rp_side_of(st);
    struct rp_party *p = &r->party[side];
    uint8_t inner = rp_has(st, "send handshake record")          ? LC_CT_HANDSHAKE
                    : rp_has(st, "send application_data record")  ? LC_CT_APPLICATION_DATA
                    : rp_has(st, "send alert record")             ? LC_CT_ALERT
                    : rp_has(st, "send change_cipher_spec record") ? LC_CT_CHANGE_CIPHER_SPEC
                                                                   : 0;
    size_t plen, wirelen, outlen = 0;
    const uint8_t *payload = rp_field(r, st, "payload", &plen);
    const uint8_t *wire = rp_field(r, st, "complete record", &wirelen);
    /* RFC 8446 5: change_cipher_spec is never protected; all else is once a key is set. */
    bool protect = p->keyed && inner != LC_CT_CHANGE_CIPHER_SPEC;

    if (!RP_CHECK(r, inner != 0) || payload == NULL || wire == NULL ||
        !RP_CHECK(r, wirelen >= LC_REC_HEADER_LEN && plen + 64 <= sizeof(buf))) {
        return;
    }
    if (r->last_sender != side && r->last_sender >= 0) {
        rp_flush_flight(r, r->last_sender);
    }
    r->last_sender = side;

    /* What the sender has constructed since its last handshake record is this payload. */
    if (inner == LC_CT_HANDSHAKE) {
        if (r->ch_prefix_len > 0 && side == RP_CLIENT) {
            /* Section 4: the ClientHello now whole, binders included. */
            RP_CHECK(r, p->pending_len == r->ch_prefix_len && plen > r->ch_prefix_len);
            RP_MEM(r, payload, p->pending_len, p->pending, p->pending_len);
            rp_on_message(r, RP_CLIENT, payload, plen, r->ch_prefix_len);
            r->ch_prefix_len = 0;
        } else {
            RP_MEM(r, payload, plen, p->pending, p->pending_len);
        }
        p->pending_len = 0;
    }

    /* The sender writes it. */
    memcpy(buf + LC_REC_HEADER_LEN, payload, plen);
    if (protect) {
        RP_OK(r, lc_rec_protect(&p->send, inner, plen, 0, buf, sizeof(buf), &outlen));
    } else {
        /* RFC 8446 5.1: 0x0301 is allowed for the initial ClientHello only. */
        uint16_t version = side == RP_CLIENT && p->records_sent == 0 ? 0x0301 : LC_REC_VERSION;

        RP_OK(r, lc_rec_frame_plaintext(inner, version, plen, buf, sizeof(buf), &outlen));
    }
    if (RP_MEM(r, buf, outlen, wire, wirelen)) {
        r->n.records_out++;
    }
    RP_CHECK(r, wire[0] == (protect ? LC_CT_APPLICATION_DATA : inner));
    p->records_sent++;

    /* The receiver reads it. */
    rp_receive(r, side, wire, wirelen, inner, payload, plen);

    if (RP_CHECK(r, p->flight_records < RP_FLIGHT_MAX &&
                        p->flight_len + wirelen <= sizeof(p->flight))) {
        memcpy(p->flight + p->flight_len, wire, wirelen);
        p->flight_len += wirelen;
        p->flight_end[p->flight_records++] = p->flight_len;
    }
}

static void rp_step(struct replay *r, const struct rfc8448_step *st)
{
    r->n.steps++;
    if (rp_has(st, "(same as")) {
        /* A restatement of the other side's value: no fields of its own. */
        r->n.restated++;
        RP_CHECK(r, st->nfields == 0);
    } else if (rp_has(st, "create an ephemeral")) {
        rp_key_pair(r, st);
    } else if (rp_has(st, "} construct a")) {
        rp_construct(r, st);
    } else if (rp_has(st, "calculate PSK binder")) {
        rp_binder(r, st);
    } else if (rp_has(st, "} extract secret")) {
        rp_extract(r, st);
    } else if (rp_has(st, "} derive secret for ")) {
        rp_derived(r, st);
    } else if (rp_has(st, "} derive secret ")) {
        rp_derive_secret(r, st);
    } else if (rp_has(st, " traffic keys for ")) {
        rp_traffic_keys(r, st);
    } else if (rp_has(st, "calculate finished")) {
        rp_finished(r, st);
    } else if (rp_has(st, "generate resumption secret")) {
        rp_resumption(r, st);
    } else if (rp_has(st, "} send ") && rp_has(st, " record")) {
        rp_record(r, st);
    } else {
        RP_CHECK(r, !"a step the replay does not know");
    }
}

/* The suite the server picks, as its (last) ServerHello says. */
static bool rp_find_suite(struct replay *r)
{
    for (size_t i = rfc8448_count(r->section); i-- > 0;) {
        const struct rfc8448_step *st = rfc8448_step(r->section, i);
        lc_server_hello sh;
        lc_reader rd;

        if (!rp_has(st, "construct a ServerHello") || st->nfields != 1 ||
            st->field[0].len < LC_MSG_HEADER_LEN) {
            continue;
        }
        lc_reader_init(&rd, st->field[0].data + LC_MSG_HEADER_LEN,
                       st->field[0].len - LC_MSG_HEADER_LEN);
        if (!RP_OK(r, lc_server_hello_decode(&rd, &sh))) {
            return false;
        }
        r->suite = sh.cipher_suite;
        return RP_CHECK(r, rp_suite_params(r->suite, &r->hash, &r->aead));
    }
    return RP_CHECK(r, !"no ServerHello in the section");
}

static void rp_free(struct replay *r)
{
    if (r == NULL) {
        return;
    }
    for (int i = 0; i < 2; i++) {
        struct rp_party *p = &r->party[i];

        lc_kex_free(p->kex);
        lc_pkey_free(p->cert_key);
        lc_rec_dir_free(&p->send);
        lc_rec_dir_free(&p->recv);
        lc_rec_dir_free(&p->forged);
        lc_rec_in_free(&p->in_bytes);
        lc_rec_in_free(&p->in_chunk);
    }
    lc_transcript_free(&r->t);
    lc_ks_wipe(&r->ks);
    free(r);
}

/*
 * Replays a section of RFC 8448. resume is the session a resumption starts
 * from (section 4), else NULL. quiet: mismatches are only counted, in
 * r->mismatches (the mutation sweep). The caller frees the result with rp_free().
 */
static struct replay *rp_run(const lc_crypto *cr, int section, const struct rp_session *resume,
                             bool quiet)
{
    struct replay *r = calloc(1, sizeof(*r));

    if (r == NULL) {
        abort();
    }
    r->section = section;
    r->quiet = quiet;
    r->cr = cr;
    r->resume = resume;
    r->last_sender = -1;
    for (int i = 0; i < 2; i++) {
        lc_rec_dir_init(&r->party[i].send, true);
        lc_rec_dir_init(&r->party[i].recv, false);
        lc_rec_dir_init(&r->party[i].forged, false);
        /* The server reads the initial ClientHello with any 0x03XX version (RFC 8446 5.1). */
        lc_rec_in_init(&r->party[i].in_bytes, i == RP_CLIENT);
        lc_rec_in_init(&r->party[i].in_chunk, i == RP_CLIENT);
    }
    if (!RP_OK(r, lc_transcript_init(&r->t, cr)) || !rp_find_suite(r)) {
        return r;
    }
    r->hlen = lc_hash_len(r->hash);
    if (resume != NULL) {
        RP_CHECK(r, resume->valid && resume->hash == r->hash);
    }
    lc_ks_init(&r->ks, cr, r->hash);

    size_t count = rfc8448_count(section);
    RP_CHECK(r, count > 0);
    for (size_t i = 0; i < count; i++) {
        const struct rfc8448_step *st = rfc8448_step(section, i);
        unsigned long before = r->mismatches;

        rp_step(r, st);
        if (r->mismatches != before && !quiet) {
            fprintf(stderr, "  ^ RFC 8448 section %d, step %zu: %s\n", section, i, st->desc);
        }
    }
    if (r->last_sender >= 0) {
        rp_flush_flight(r, r->last_sender);
    }
    /* Nothing left over: every constructed message was sent, every record read. */
    RP_CHECK(r, r->party[RP_CLIENT].pending_len == 0 && r->party[RP_SERVER].pending_len == 0);
    RP_CHECK(r, lc_rec_in_empty(&r->party[RP_CLIENT].in_bytes) &&
                    lc_rec_in_empty(&r->party[RP_SERVER].in_bytes));
    RP_CHECK(r, r->n.steps == count);

    /* Every record of the trace was written and read back. */
    size_t records = 0;
    for (size_t i = 0; i < count; i++) {
        const struct rfc8448_step *st = rfc8448_step(section, i);

        for (size_t f = 0; f < st->nfields; f++) {
            records += strcmp(st->field[f].name, "complete record") == 0;
        }
    }
    RP_CHECK(r, r->n.records_out == records && r->n.records_in == records);
    return r;
}

/* The crypto handle the tests share (fetched once per binary). */
static const lc_crypto *rp_crypto(void)
{
    static lc_crypto *cr;

    if (cr == NULL) {
        cr = lc_crypto_new();
        if (cr == NULL) {
            fprintf(stderr, "lc_crypto_new failed\n");
            abort();
        }
    }
    return cr;
}

/* One line per section: what was compared with the trace. */
static void rp_print(const struct replay *r)
{
    const struct rp_counts *n = &r->n;

    printf("RFC 8448 section %d: %zu steps (%zu restated); compared with the trace: %zu key "
           "schedule values, %zu keys/IVs, %zu finished/binder values, %zu public keys, "
           "%zu records written, %zu records read, %zu messages round-tripped; "
           "%zu signatures verified, %zu forgeries refused, %zu flights deframed whole\n",
           r->section, n->steps, n->restated, n->secrets, n->keys, n->finished, n->publics,
           n->records_out, n->records_in, n->messages, n->signatures, n->forgeries, n->flights);
}

/*
 * Replays the section once per trace field with one bit of that field's last
 * byte flipped, and checks that each replay reports a mismatch: every value
 * of the trace is compared with something we computed (or feeds something
 * that is). The HkdfLabel "info" fields are left out (see the top of this file).
 */
static void rp_mutation_sweep(const lc_crypto *cr, int section, const struct rp_session *resume)
{
    size_t flipped = 0, noticed = 0;

    for (size_t i = 0; i < rfc8448_count(section); i++) {
        const struct rfc8448_step *st = rfc8448_step(section, i);

        for (size_t f = 0; f < st->nfields; f++) {
            const struct rfc8448_field *fld = &st->field[f];

            if (fld->len == 0 || strstr(fld->name, "info") != NULL) {
                continue;
            }
            fld->data[fld->len - 1] ^= 0x01;
            struct replay *r = rp_run(cr, section, resume, true);
            fld->data[fld->len - 1] ^= 0x01;

            test_checks++;
            flipped++;
            if (r->mismatches > 0) {
                noticed++;
            } else {
                char what[256];

                snprintf(what, sizeof(what), "section %d step %zu (%s): \"%s\" altered, "
                         "nothing noticed", section, i, st->desc, fld->name);
                test_report(__FILE__, __LINE__, what);
            }
            rp_free(r);
        }
    }
    printf("RFC 8448 section %d: %zu trace fields altered one at a time, %zu noticed\n",
           section, flipped, noticed);
}

#endif
