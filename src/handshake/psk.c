/*
 * Offering and choosing a PSK (psk.h; RFC 8446 4.2.9, 4.2.11, 7.1).
 *
 * Both sides add the ClientHello to the transcript in two parts around its
 * binders, which are its last bytes (pre_shared_key is the last extension,
 * its binders its last field): Truncate(ClientHello) is added, the binder is
 * computed (client) or checked (server) over the transcript hash at that
 * point, which after a HelloRetryRequest also covers message_hash and the HRR
 * (4.2.11.2), and then the binders are added.
 */
#include "handshake/psk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handshake/early_data.h"
#include "handshake/hs.h"
#include "handshake/ticket.h"
#include "handshake/trace.h"
#include "msg/ext/early_data.h"
#include "msg/ext/key_share.h"
#include "msg/ext/pre_shared_key.h"

void lc_psk_free(lc_psk *p)
{
    lc_session_free(p->offer);
    lc_session_free(p->latest);
    if (p->ticket != NULL) {
        lc_wipe(p->ticket, sizeof(*p->ticket));
        free(p->ticket);
    }
    free(p->ext);
    lc_wipe(p, sizeof(*p));
}

static void add_ext(lc_ext_list *list, uint16_t type, const uint8_t *body, size_t len)
{
    if (list->count < LC_EXT_LIST_MAX) {
        list->ext[list->count].type = type;
        list->ext[list->count].body = body;
        list->ext[list->count].len = len;
        list->count++;
    }
}

static enum lc_hash_alg suite_hash(uint16_t suite)
{
    const lc_suite *s = lc_suite_find(suite);

    return s != NULL ? s->hash : LC_SHA256;
}

/* ---- client ----------------------------------------------------------------------------- */

/*
 * The OfferedPsks of our one identity: the ticket, its obfuscated age
 * (4.2.11.1: the age in milliseconds plus ticket_age_add, modulo 2^32), and a
 * binder of the hash's length, given or (binder NULL) zeros to be patched.
 */
static void fill_offer(const lc_hs *hs, lc_ext_pre_shared_key_ch *o, uint32_t age_ms,
                       const uint8_t *binder)
{
    const lc_session *s = hs->psk.offer;

    memset(o, 0, sizeof(*o));
    o->count = 1;
    o->identity[0].identity = (lc_ext_view){ s->ticket, s->ticket_len };
    o->identity[0].obfuscated_ticket_age = age_ms + s->age_add;
    o->binder[0] = (lc_ext_view){ binder, lc_hash_len(suite_hash(s->suite)) };
}

/* The ticket's age now, in milliseconds (the session was checked fresh: no wrap). */
static uint32_t ticket_age(const lc_hs *hs)
{
    uint64_t now = lc_hs_now(hs), got = hs->psk.offer->received_ms;

    return now > got ? (uint32_t)(now - got) : 0;
}

static int write_offer(lc_hs *hs, lc_ext_list *list)
{
    const lc_session *s = hs->psk.offer;
    lc_ext_pre_shared_key_ch o;
    size_t cap = 2 + 2 + s->ticket_len + 4 + 2 + 1 + LC_HASH_MAX, binders_at;
    lc_writer w;
    int rc;

    free(hs->psk.ext);
    if ((hs->psk.ext = malloc(cap)) == NULL) {
        return LC_E_NO_MEMORY;
    }
    /* the age goes into the bytes the binder covers: it is read once */
    hs->psk.client_age = ticket_age(hs);
    fill_offer(hs, &o, hs->psk.client_age, NULL);
    lc_writer_init(&w, hs->psk.ext, cap);
    if ((rc = lc_ext_pre_shared_key_ch_encode(&w, &o, &binders_at)) != 0) {
        return rc;
    }
    hs->psk.ext_len = w.len;
    add_ext(list, LC_EXT_PRE_SHARED_KEY, hs->psk.ext, w.len);
    return 0;
}

/* After a HelloRetryRequest the PSK stays only if its hash is the chosen suite's (4.1.2). */
static void keep_offer_after_retry(lc_hs *hs)
{
    if (hs->psk.offer == NULL || !hs->hello_retry ||
        suite_hash(hs->psk.offer->suite) == hs->suite->hash) {
        return;
    }
    lc_hs_trace(hs, "the server chose %s: our ticket is for another hash, not offered again",
                hs->suite->name);
    lc_session_free(hs->psk.offer);
    hs->psk.offer = NULL;
}

int lc_psk_client_extensions(lc_hs *hs, lc_writer *e, lc_ext_list *list)
{
    const lc_hs_config *cfg = hs->cfg;
    size_t at;
    int rc = 0;

    keep_offer_after_retry(hs);
    if (cfg->psk_modes != 0) {
        /* 4.2.9: sent with or without a ticket to offer, so that the server issues some */
        lc_ext_psk_key_exchange_modes m = { 0 };
        if (cfg->psk_modes & (1u << LC_PSK_DHE_KE)) {
            m.mode[m.count++] = LC_PSK_DHE_KE;
        }
        if (cfg->psk_modes & (1u << LC_PSK_KE)) {
            m.mode[m.count++] = LC_PSK_KE;
        }
        at = e->len;
        rc = lc_ext_psk_key_exchange_modes_encode(e, &m);
        add_ext(list, LC_EXT_PSK_KEY_EXCHANGE_MODES, e->buf + at, e->len - at);
    }
    /* 4.2.10: never in the ClientHello after a HelloRetryRequest */
    if (hs->early.state == LC_EARLY_OFFERED && !hs->hello_retry) {
        at = e->len;
        rc = rc != 0 ? rc : lc_ext_early_data_ch_encode(e);
        add_ext(list, LC_EXT_EARLY_DATA, e->buf + at, e->len - at);
    }
    lc_hs_ext_hook(hs, LC_MT_CLIENT_HELLO, list);
    if (rc == 0 && hs->psk.offer != NULL) {
        rc = write_offer(hs, list); /* 4.2.11: the last extension */
    }
    /* 4.2: what a server may answer is what this ClientHello asked */
    hs->sent_ext_count = list->count;
    for (size_t i = 0; i < list->count; i++) {
        hs->sent_ext[i] = list->ext[i].type;
    }
    return rc;
}

/* The PSK's Early Secret into hs->ks, which keeps it for the rest of the handshake. */
static int early_secret(lc_hs *hs, enum lc_hash_alg hash, const lc_secret *psk)
{
    int rc;

    lc_ks_wipe(&hs->ks);
    lc_ks_init(&hs->ks, hs->cfg->cr, hash);
    if ((rc = lc_ks_early_secret(&hs->ks, psk->b, psk->len)) != 0) {
        return lc_fail(hs->err, rc, "key schedule failed");
    }
    lc_trace_secret(hs, "Early Secret", "HKDF-Extract(0, PSK)", &hs->ks.secret);
    return 0;
}

/* binder = HMAC(finished_key(binder_key), th) (4.2.11.2); "res binder": ours are tickets */
static int make_binder(lc_hs *hs, enum lc_hash_alg hash, const uint8_t *th, uint8_t *out)
{
    lc_secret key;
    int rc;

    if ((rc = lc_ks_binder_key(&hs->ks, LC_KS_PSK_RESUMPTION, &key)) == 0) {
        rc = lc_ks_verify_data(hs->cfg->cr, hash, &key, th, out);
    }
    lc_wipe(&key, sizeof(key));
    return rc == 0 ? 0 : lc_fail(hs->err, rc, "cannot compute the PSK binder");
}

int lc_psk_client_add_hello(lc_hs *hs, uint8_t *msg, size_t len)
{
    const lc_session *s = hs->psk.offer;
    enum lc_hash_alg hash;
    uint8_t th[LC_HASH_MAX], binder[LC_HASH_MAX];
    lc_ext_pre_shared_key_ch o;
    size_t trunc;
    int rc;

    if (s == NULL) {
        rc = lc_transcript_add(&hs->transcript, msg, len);
        return rc == 0 ? 0 : lc_fail(hs->err, rc, "transcript");
    }
    hash = suite_hash(s->suite);
    /* the binders vector: its length, then one binder with its length byte */
    trunc = len - (2 + 1 + lc_hash_len(hash));
    if ((rc = lc_transcript_add(&hs->transcript, msg, trunc)) != 0 ||
        (rc = lc_transcript_hash_with(&hs->transcript, hash, th)) != 0) {
        return lc_fail(hs->err, rc, "transcript");
    }
    if ((rc = early_secret(hs, hash, &s->psk)) != 0 || (rc = make_binder(hs, hash, th, binder))) {
        return rc;
    }
    fill_offer(hs, &o, hs->psk.client_age, binder);
    if ((rc = lc_ext_pre_shared_key_ch_patch(msg, len, trunc, &o)) != 0 ||
        (rc = lc_transcript_add(&hs->transcript, msg + trunc, len - trunc)) != 0) {
        return lc_fail(hs->err, rc, "cannot write the PSK binder");
    }
    lc_hs_trace(hs, "offering a ticket for %s (binder over the ClientHello up to the binders): "
                "age %u ms of %u s, 0-RTT %s",
                s->server_name[0] != '\0' ? s->server_name : "(no name)", hs->psk.client_age,
                s->lifetime, hs->early.state == LC_EARLY_OFFERED && !hs->hello_retry
                                 ? "offered" : "not offered");
    free(hs->psk.ext);
    hs->psk.ext = NULL;
    return 0;
}

int lc_psk_client_on_server_hello(lc_hs *hs, const lc_server_hello *sh)
{
    const lc_ext *e = lc_ext_find(&sh->extensions, LC_EXT_PRE_SHARED_KEY);
    uint16_t selected;
    lc_reader r;
    int rc;

    hs->psk.resumed = false;
    if (e == NULL) {
        if (hs->psk.offer != NULL) {
            lc_hs_trace(hs, "the server did not take our ticket: a full handshake");
        }
        return 0;
    }
    if (hs->psk.offer == NULL) {
        return lc_fail(hs->err, LC_E_UNSOLICITED_EXTENSION,
                       "ServerHello has pre_shared_key, and we offered no PSK");
    }
    lc_ext_reader(e, &r);
    if ((rc = lc_ext_pre_shared_key_sh_decode(&r, &selected)) != 0) {
        return lc_fail(hs->err, rc, "ServerHello pre_shared_key");
    }
    /* 4.2.11: the index must be one we offered, the suite's hash the PSK's */
    if (selected != 0) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "ServerHello selects PSK identity %u; we offered one", selected);
    }
    if (suite_hash(hs->psk.offer->suite) != hs->suite->hash) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "ServerHello resumes our %s ticket with %s, whose hash differs",
                       lc_suite_name(hs->psk.offer->suite), hs->suite->name);
    }
    /* 4.2.11: a key_share, unless we offered psk_ke */
    if (lc_ext_find(&sh->extensions, LC_EXT_KEY_SHARE) != NULL) {
        hs->psk.mode = LC_PSK_DHE_KE;
    } else if (hs->cfg->psk_modes & (1u << LC_PSK_KE)) {
        hs->psk.mode = LC_PSK_KE;
    } else {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "ServerHello resumes without a key_share; we offered only psk_dhe_ke");
    }
    hs->psk.resumed = true;
    hs->psk.selected = selected;
    lc_hs_trace(hs, "the server took our ticket: resumed with %s",
                hs->psk.mode == LC_PSK_KE ? "psk_ke (no (EC)DHE)" : "psk_dhe_ke");
    return 0;
}

int lc_psk_client_on_ticket(lc_hs *hs, const lc_new_session_ticket *nst)
{
    const lc_ext *ed = lc_ext_find(&nst->extensions, LC_EXT_EARLY_DATA);
    lc_session *s;
    lc_reader r;
    int rc;

    if (nst->ticket_lifetime == 0 || nst->ticket_len > LC_SESSION_TICKET_MAX) {
        lc_hs_trace(hs, "session ticket not kept: %s",
                    nst->ticket_lifetime == 0 ? "lifetime 0" : "longer than we keep");
        return 0;
    }
    if ((s = calloc(1, sizeof(*s))) == NULL || (s->ticket = malloc(nst->ticket_len)) == NULL) {
        lc_session_free(s);
        return lc_fail(hs->err, LC_E_NO_MEMORY, "session ticket");
    }
    if (ed != NULL) {
        lc_ext_reader(ed, &r);
        if ((rc = lc_ext_early_data_nst_decode(&r, &s->max_early_data)) != 0) {
            lc_session_free(s);
            return lc_fail(hs->err, rc, "NewSessionTicket early_data");
        }
    }
    memcpy(s->ticket, nst->ticket, nst->ticket_len);
    s->ticket_len = nst->ticket_len;
    s->suite = hs->suite->id;
    s->received_ms = lc_hs_now(hs);
    /* 4.6.1: "Clients MUST NOT cache tickets for longer than 7 days" */
    s->lifetime = nst->ticket_lifetime < LC_TICKET_LIFETIME_MAX ? nst->ticket_lifetime
                                                                : LC_TICKET_LIFETIME_MAX;
    s->age_add = nst->ticket_age_add;
    snprintf(s->server_name, sizeof(s->server_name), "%s", hs->server_name);
    snprintf(s->alpn, sizeof(s->alpn), "%s", hs->alpn);
    if ((rc = lc_ks_resumption_psk(hs->cfg->cr, hs->suite->hash, &hs->resumption,
                                   nst->ticket_nonce, nst->ticket_nonce_len, &s->psk)) != 0) {
        lc_session_free(s);
        return lc_fail(hs->err, rc, "cannot derive the ticket's PSK");
    }
    lc_session_free(hs->psk.latest);
    hs->psk.latest = s;
    if (s->max_early_data > 0) {
        lc_hs_trace(hs, "session ticket kept: lifetime %u s, 0-RTT data up to %u bytes",
                    s->lifetime, s->max_early_data);
    } else {
        lc_hs_trace(hs, "session ticket kept: lifetime %u s, no 0-RTT data", s->lifetime);
    }
    return 0;
}

/* ---- server ----------------------------------------------------------------------------- */

/*
 * The mode (4.2.9): psk_dhe_ke when both allow it and the client sent key
 * shares, for forward secrecy; else psk_ke when both allow it; else -1.
 */
static int pick_mode(const lc_hs *hs, const lc_ext_psk_key_exchange_modes *m, bool can_dhe)
{
    unsigned ours = hs->cfg->psk_modes;

    if ((ours & (1u << LC_PSK_DHE_KE)) && can_dhe &&
        lc_ext_psk_key_exchange_modes_has(m, LC_PSK_DHE_KE)) {
        return LC_PSK_DHE_KE;
    }
    if ((ours & (1u << LC_PSK_KE)) && lc_ext_psk_key_exchange_modes_has(m, LC_PSK_KE)) {
        return LC_PSK_KE;
    }
    return -1;
}

/* A ticket: ours, for this hash and this name, and not expired; why not in *why. */
static bool usable(lc_hs *hs, const lc_ext_view *id, lc_ticket_state *st, const char **why)
{
    const lc_hs_config *cfg = hs->cfg;
    uint64_t now = lc_hs_now(hs);
    const lc_suite *suite;
    int rc;

    if (cfg->ticket_open != NULL) {
        rc = cfg->ticket_open(cfg->ticket_open_arg, id->p, id->len, st);
    } else {
        rc = cfg->ticket_keys == NULL ? LC_E_UNKNOWN_PSK_IDENTITY
                                      : lc_ticket_open(cfg->cr, cfg->ticket_keys, id->p,
                                                       id->len, st);
    }
    if (rc != 0) {
        *why = "not a ticket of ours (unknown or retired key, or damaged)";
        return false;
    }
    suite = lc_suite_find(st->suite);
    if (suite == NULL || suite->hash != hs->suite->hash) {
        /* 4.2.11: "select a compatible PSK (if any) and cipher suite" */
        *why = "made with a cipher suite of another hash";
        return false;
    }
    if (strcmp(st->server_name, hs->server_name) != 0) {
        /* a ticket resumes only the site it was issued for */
        *why = "issued for another server_name";
        return false;
    }
    if (now < st->issued_ms || now - st->issued_ms >= (uint64_t)st->lifetime * 1000) {
        *why = "expired";
        return false;
    }
    return true;
}

/* Verifies the chosen identity's binder over the transcript so far (4.2.11.2). */
static int check_binder(lc_hs *hs, const lc_ext_pre_shared_key_ch *o, size_t i,
                        const lc_ticket_state *st)
{
    enum lc_hash_alg hash = hs->suite->hash;
    uint8_t th[LC_HASH_MAX];
    lc_secret key;
    int rc;

    if ((rc = lc_hs_transcript_hash(hs, th)) != 0 || (rc = early_secret(hs, hash, &st->psk))) {
        return rc;
    }
    if ((rc = lc_ks_binder_key(&hs->ks, LC_KS_PSK_RESUMPTION, &key)) == 0) {
        /* constant time: lc_ks_binder_check compares with lc_ct_equal */
        rc = lc_ks_binder_check(hs->cfg->cr, hash, &key, th, o->binder[i].p, o->binder[i].len);
    }
    lc_wipe(&key, sizeof(key));
    if (rc == LC_E_BAD_BINDER) {
        /* 4.2.11: abort; 6.2: a binder that does not validate is decrypt_error */
        return lc_fail(hs->err, rc, "the binder of PSK identity %zu (a ticket of ours) does not "
                       "match this ClientHello", i);
    }
    return rc == 0 ? 0 : lc_fail(hs->err, rc, "cannot check the PSK binder");
}

/* Decodes pre_shared_key and psk_key_exchange_modes; modes NULL when absent. */
static int read_offer(lc_hs *hs, const lc_client_hello *ch, lc_ext_pre_shared_key_ch *o,
                      lc_ext_psk_key_exchange_modes *m, bool *has_modes)
{
    const lc_ext *pe = lc_ext_find(&ch->extensions, LC_EXT_PRE_SHARED_KEY);
    const lc_ext *me = lc_ext_find(&ch->extensions, LC_EXT_PSK_KEY_EXCHANGE_MODES);
    lc_reader r;
    int rc;

    *has_modes = me != NULL;
    if (me != NULL) {
        lc_ext_reader(me, &r);
        if ((rc = lc_ext_psk_key_exchange_modes_decode(&r, m)) != 0) {
            return lc_fail(hs->err, rc, "ClientHello psk_key_exchange_modes");
        }
    }
    if (pe == NULL) {
        return 0;
    }
    if (me == NULL) {
        /* 4.2.9: pre_shared_key without psk_key_exchange_modes aborts the handshake */
        return lc_fail(hs->err, LC_E_MISSING_EXTENSION,
                       "ClientHello offers pre_shared_key without psk_key_exchange_modes");
    }
    lc_ext_reader(pe, &r);
    if ((rc = lc_ext_pre_shared_key_ch_decode(&r, o)) != 0) {
        return lc_fail(hs->err, rc, "ClientHello pre_shared_key");
    }
    return 0;
}

/* The first usable identity, or -1; each refusal is traced. */
static int pick_identity(lc_hs *hs, const lc_ext_pre_shared_key_ch *o, lc_ticket_state *st)
{
    for (size_t i = 0; i < o->count; i++) {
        const char *why = NULL;

        if (usable(hs, &o->identity[i].identity, st, &why)) {
            return (int)i;
        }
        lc_wipe(st, sizeof(*st));
        lc_hs_trace(hs, "PSK identity %zu (%zu bytes): %s", i, o->identity[i].identity.len,
                    why);
    }
    return -1;
}

/* The chosen ticket, its binder and age, kept for the 0-RTT decision. */
static int keep_choice(lc_hs *hs, const lc_ext_pre_shared_key_ch *o, size_t i, int mode,
                       const lc_ticket_state *st)
{
    lc_psk *p = &hs->psk;

    if ((p->ticket = malloc(sizeof(*p->ticket))) == NULL) {
        return lc_fail(hs->err, LC_E_NO_MEMORY, "ticket");
    }
    *p->ticket = *st;
    lc_wipe(&p->ticket->psk, sizeof(p->ticket->psk));
    p->resumed = true;
    p->mode = (uint8_t)mode;
    p->selected = (uint16_t)i;
    /* 4.2.11.1: the client's view of the age, unobfuscated; trusted now that the binder,
     * which covers it, has verified */
    p->client_age = o->identity[i].obfuscated_ticket_age - st->age_add;
    p->binder_len = o->binder[i].len;
    memcpy(p->binder, o->binder[i].p, o->binder[i].len);
    return 0;
}

/* The chosen PSK's client_early_traffic_secret, over the whole ClientHello (7.1). */
static int early_traffic_secret(lc_hs *hs)
{
    uint8_t th[LC_HASH_MAX];
    int rc;

    if ((rc = lc_hs_transcript_hash(hs, th)) != 0) {
        return rc;
    }
    if ((rc = lc_ks_client_early_traffic_secret(&hs->ks, th, &hs->early.secret)) != 0) {
        return lc_fail(hs->err, rc, "key schedule failed");
    }
    return 0;
}

static int choose(lc_hs *hs, const lc_ext_pre_shared_key_ch *o,
                  const lc_ext_psk_key_exchange_modes *m, bool can_dhe)
{
    lc_ticket_state st;
    int mode = pick_mode(hs, m, can_dhe), i, rc;

    memset(&st, 0, sizeof(st));
    if (hs->cfg->verify_client != LC_VERIFY_CLIENT_OFF) {
        lc_hs_trace(hs, "client certificates are asked for: no resumption, a full handshake");
        return 0;
    }
    if (mode < 0) {
        lc_hs_trace(hs, "no PSK key exchange mode in common: a full handshake");
        return 0;
    }
    if ((i = pick_identity(hs, o, &st)) < 0) {
        return 0;
    }
    if ((rc = check_binder(hs, o, (size_t)i, &st)) == 0) {
        lc_hs_trace(hs, "PSK binder of identity %d verified: resuming with %s", i,
                    mode == LC_PSK_KE ? "psk_ke" : "psk_dhe_ke");
        rc = keep_choice(hs, o, (size_t)i, mode, &st);
    }
    lc_wipe(&st, sizeof(st));
    return rc;
}

int lc_psk_server_choose(lc_hs *hs, const lc_client_hello *ch, const uint8_t *raw, size_t rawlen,
                         bool can_dhe)
{
    lc_ext_pre_shared_key_ch *o = calloc(1, sizeof(*o));
    lc_ext_psk_key_exchange_modes *m = calloc(1, sizeof(*m));
    bool has_modes = false, offered;
    size_t trunc = rawlen;
    int rc;

    /* a ClientHello2 chooses again (4.1.2: its PSK binders are new) */
    if (hs->psk.ticket != NULL) {
        lc_wipe(hs->psk.ticket, sizeof(*hs->psk.ticket));
        free(hs->psk.ticket);
        hs->psk.ticket = NULL;
    }
    hs->psk.resumed = false;
    lc_wipe(&hs->early.secret, sizeof(hs->early.secret));
    if (o == NULL || m == NULL) {
        rc = lc_fail(hs->err, LC_E_NO_MEMORY, "ClientHello");
        goto out;
    }
    if ((rc = read_offer(hs, ch, o, m, &has_modes)) != 0) {
        goto out;
    }
    if (!hs->hello_retry && lc_ext_find(&ch->extensions, LC_EXT_EARLY_DATA) != NULL) {
        hs->early.state = LC_EARLY_OFFERED; /* decided in lc_early_server_decide */
    }
    hs->psk.peer_can_resume = has_modes && pick_mode(hs, m, true) >= 0;
    offered = lc_ext_find(&ch->extensions, LC_EXT_PRE_SHARED_KEY) != NULL;
    if (offered) {
        /* the binders are the message's last bytes (pre_shared_key is last, 4.2.11) */
        trunc = rawlen - o->binders_len;
    }
    if ((rc = lc_transcript_add(&hs->transcript, raw, trunc)) != 0) {
        rc = lc_fail(hs->err, rc, "transcript");
        goto out;
    }
    if (offered && (rc = choose(hs, o, m, can_dhe)) != 0) {
        goto out;
    }
    if ((rc = lc_transcript_add(&hs->transcript, raw + trunc, rawlen - trunc)) != 0) {
        rc = lc_fail(hs->err, rc, "transcript");
        goto out;
    }
    /* 4.2.10: 0-RTT data is protected under the first PSK's keys, over the whole ClientHello */
    if (hs->psk.resumed && hs->psk.selected == 0 &&
        lc_ext_find(&ch->extensions, LC_EXT_EARLY_DATA) != NULL) {
        rc = early_traffic_secret(hs);
    }
out:
    free(o);
    free(m);
    return rc;
}

int lc_psk_server_extension(lc_hs *hs, lc_writer *e, lc_ext_list *list)
{
    size_t at = e->len;
    int rc;

    if (!hs->psk.resumed) {
        return 0;
    }
    rc = lc_ext_pre_shared_key_sh_encode(e, hs->psk.selected);
    add_ext(list, LC_EXT_PRE_SHARED_KEY, e->buf + at, e->len - at);
    return rc;
}
