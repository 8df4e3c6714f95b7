/*
 * 0-RTT data on both sides (early_data.h; RFC 8446 4.2.10, 4.5, 8).
 *
 * The keys: client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic",
 * ClientHello) (7.1), its key and IV as for any traffic secret (7.3). The client
 * writes with them from its first flight until EndOfEarlyData; a server that accepts
 * reads with them from the ServerHello it sends until the EndOfEarlyData it reads. The
 * secret is in the NSS key log as CLIENT_EARLY_TRAFFIC_SECRET, and wiped after
 * EndOfEarlyData or as soon as 0-RTT is rejected.
 */
#include "handshake/early_data.h"

#include <stdlib.h>
#include <string.h>

#include "handshake/hs.h"
#include "handshake/replay.h"
#include "handshake/ticket.h"
#include "handshake/trace.h"
#include "msg/end_of_early_data.h"
#include "msg/ext/early_data.h"

/* ---- client ----------------------------------------------------------------------------- */

/* True if the ALPN list (wire form: length-prefixed names) has name. */
static bool alpn_listed(const uint8_t *list, size_t len, const char *name)
{
    size_t n = strlen(name);
    lc_reader r;

    lc_reader_init(&r, list, len);
    while (!lc_reader_empty(&r)) {
        lc_reader v;

        if (lc_read_vec(&r, 1, 1, 255, &v) != 0) {
            return false;
        }
        if (v.left == n && memcmp(v.p, name, n) == 0) {
            return true;
        }
    }
    return false;
}

bool lc_early_client_possible(const lc_hs *hs, const char **why)
{
    const lc_session *s = hs->psk.offer;

    *why = s == NULL ? "no session to resume"
           : hs->cfg->max_early_data == 0 ? "0-RTT data is not enabled on this context"
           : s->max_early_data == 0 ? "the session's ticket allows no 0-RTT data"
           /* 4.2.10: 0-RTT data is sent for the ALPN protocol of the session */
           : s->alpn[0] != '\0' && !alpn_listed(hs->cfg->alpn, hs->cfg->alpn_len, s->alpn)
               ? "the session's ALPN protocol is not among the context's"
               : NULL;
    return *why == NULL;
}

int lc_early_client_start(lc_hs *hs)
{
    const lc_suite *suite = lc_suite_find(hs->psk.offer->suite);
    uint8_t th[LC_HASH_MAX];
    int rc;

    /* D.4: when offering early data, the dummy CCS goes right after the ClientHello */
    if ((rc = lc_hs_send_ccs(hs)) != 0) {
        return rc;
    }
    if ((rc = lc_transcript_hash_with(&hs->transcript, suite->hash, th)) != 0 ||
        (rc = lc_ks_client_early_traffic_secret(&hs->ks, th, &hs->early.secret)) != 0) {
        return lc_fail(hs->err, rc, "key schedule failed");
    }
    lc_hs_keylog(hs, "CLIENT_EARLY_TRAFFIC_SECRET", &hs->early.secret);
    /* no suite is negotiated yet: the session's is the one 0-RTT data uses (4.2.10) */
    if ((rc = lc_ks_set_traffic_keys(hs->cfg->cr, suite->hash, suite->aead, &hs->early.secret,
                                     hs->io.wd)) != 0) {
        return lc_fail(hs->err, rc, "cannot install the early traffic keys");
    }
    hs->early.max = hs->psk.offer->max_early_data;
    lc_hs_trace(hs, "0-RTT data may follow: up to %u bytes, %s", hs->early.max, suite->name);
    return 0;
}

size_t lc_early_client_room(const lc_hs *hs, size_t len)
{
    uint64_t left = hs->early.bytes < hs->early.max ? hs->early.max - hs->early.bytes : 0;

    return len < left ? len : (size_t)left;
}

static void reject(lc_hs *hs, const char *why)
{
    hs->early.state = LC_EARLY_REJECTED;
    hs->early.why = why;
    lc_wipe(&hs->early.secret, sizeof(hs->early.secret));
    lc_hs_trace(hs, "0-RTT data rejected: %s", why);
}

void lc_early_client_on_retry(lc_hs *hs)
{
    if (hs->early.state != LC_EARLY_OFFERED) {
        return;
    }
    reject(hs, "the server sent a HelloRetryRequest");
    /* the early key is no longer ours to write with: ClientHello2 is plaintext (5.1) */
    lc_rec_dir_free(hs->io.wd);
}

int lc_early_client_on_encrypted_extensions(lc_hs *hs, const lc_ext_list *ee)
{
    const lc_ext *e = lc_ext_find(ee, LC_EXT_EARLY_DATA);
    bool accepted = e != NULL;
    lc_reader r;
    int rc;

    if (e != NULL) {
        lc_ext_reader(e, &r);
        if ((rc = lc_ext_early_data_ee_decode(&r)) != 0) {
            return lc_fail(hs->err, rc, "EncryptedExtensions early_data");
        }
    }
    if (!accepted) {
        if (hs->early.state == LC_EARLY_OFFERED) {
            reject(hs, hs->psk.resumed ? "the server declined it" : "the server did not resume");
        }
        return 0;
    }
    /* (EncryptedExtensions only has early_data if our last ClientHello had it: hs.c) */
    if (!hs->psk.resumed || hs->psk.selected != 0) {
        /* 4.2.11: early_data needs the first identity chosen */
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "server accepts 0-RTT data without resuming with our first PSK");
    }
    if (hs->suite->id != hs->psk.offer->suite ||
        strcmp(hs->alpn, hs->psk.offer->alpn) != 0) {
        /* 4.2.10: the data was sent for the session's suite and ALPN protocol */
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "server accepts 0-RTT data but changes the %s of the session",
                       hs->suite->id != hs->psk.offer->suite ? "cipher suite" : "ALPN protocol");
    }
    hs->early.state = LC_EARLY_ACCEPTED;
    lc_hs_trace(hs, "0-RTT data accepted by the server (%llu bytes sent)",
                (unsigned long long)hs->early.bytes);
    return 0;
}

int lc_early_client_end(lc_hs *hs)
{
    uint8_t msg[LC_MSG_HEADER_LEN];
    lc_writer w;
    int rc;

    if (hs->early.state != LC_EARLY_ACCEPTED) {
        return 0;
    }
    /* 4.5: EndOfEarlyData, under the early key, ends the 0-RTT data; it is in the transcript */
    lc_writer_init(&w, msg, sizeof(msg));
    if ((rc = lc_end_of_early_data_encode(&w)) != 0) {
        return lc_fail(hs->err, rc, "cannot encode EndOfEarlyData");
    }
    if ((rc = lc_hs_send(hs, msg, w.len)) != 0 || (rc = lc_hs_flush(hs)) != 0) {
        return rc;
    }
    lc_wipe(&hs->early.secret, sizeof(hs->early.secret));
    return 0;
}

/* ---- server ----------------------------------------------------------------------------- */

/*
 * RFC 8446 8.3: the ClientHello's expected arrival time is when we issued the
 * ticket plus the age the client gives it; it must be within the window of now.
 */
static bool fresh(const lc_hs *hs, uint64_t now, uint64_t *expected)
{
    *expected = hs->psk.ticket->issued_ms + hs->psk.client_age;
    return (now >= *expected ? now - *expected : *expected - now) <= LC_EARLY_AGE_WINDOW_MS;
}

/* The first rule of early_data.h that does not hold, or NULL. */
static const char *refusal(lc_hs *hs)
{
    const lc_ticket_state *t = hs->psk.ticket;
    uint64_t now = lc_hs_now(hs), expected = 0;

    if (hs->cfg->max_early_data == 0 || hs->cfg->replay == NULL) {
        return "0-RTT data is off on this server";
    }
    if (!hs->psk.resumed || t == NULL) {
        return "no ticket of ours was accepted";
    }
    if (hs->psk.selected != 0) {
        return "the client's first PSK was not chosen (4.2.10)";
    }
    if (t->max_early_data == 0) {
        return "the ticket allows no 0-RTT data";
    }
    if (hs->hello_retry) {
        return "a HelloRetryRequest was needed (4.2.10)";
    }
    if (hs->suite->id != t->suite) {
        return "the cipher suite is not the ticket's (4.2.10)";
    }
    if (strcmp(hs->alpn, t->alpn) != 0) {
        return "the ALPN protocol is not the ticket's (4.2.10)";
    }
    if (!fresh(hs, now, &expected)) {
        lc_hs_trace(hs, "ticket age: the client says %u ms, we count %lld ms", hs->psk.client_age,
                    (long long)(now - t->issued_ms));
        return "the ticket's age is outside the freshness window (8.3)";
    }
    /* last: a ClientHello is recorded only when its 0-RTT data is accepted */
    switch (lc_replay_check(hs->cfg->replay, hs->psk.binder, now,
                            expected + LC_EARLY_AGE_WINDOW_MS, t->issued_ms,
                            LC_EARLY_AGE_WINDOW_MS)) {
    case LC_REPLAY_FRESH:
        return NULL;
    case LC_REPLAY_SEEN:
        return "this ClientHello was seen before: a replay (8.2)";
    case LC_REPLAY_FULL:
        return "the anti-replay record is full";
    case LC_REPLAY_STARTING:
    default:
        return "the ticket is older than the anti-replay record, which has just started (8.2)";
    }
}

int lc_early_server_decide(lc_hs *hs)
{
    const char *why;

    if (hs->early.state == LC_EARLY_OFFERED) {
        why = refusal(hs);
        if (why == NULL) {
            hs->early.state = LC_EARLY_ACCEPTED;
            hs->early.max = hs->psk.ticket->max_early_data;
            hs->skip_early_data = false;
            lc_hs_keylog(hs, "CLIENT_EARLY_TRAFFIC_SECRET", &hs->early.secret);
            lc_hs_trace(hs, "0-RTT data accepted: up to %u bytes, read as early data",
                        hs->early.max);
        } else {
            /* 4.2.10: the records are skipped, which the connection does */
            hs->skip_early_data = true;
            reject(hs, why);
        }
    }
    if (hs->psk.ticket != NULL) {
        lc_wipe(hs->psk.ticket, sizeof(*hs->psk.ticket));
        free(hs->psk.ticket);
        hs->psk.ticket = NULL;
    }
    return 0;
}

int lc_early_server_on_end(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    lc_reader r;
    int rc;

    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_end_of_early_data_decode(&r)) != 0) {
        return lc_fail(hs->err, rc, "EndOfEarlyData has a body");
    }
    if ((rc = lc_transcript_add(&hs->transcript, raw, rawlen)) != 0) {
        return lc_fail(hs->err, rc, "transcript");
    }
    lc_hs_trace(hs, "end of 0-RTT data: %llu bytes received",
                (unsigned long long)hs->early.bytes);
    lc_wipe(&hs->early.secret, sizeof(hs->early.secret));
    /* 4.5: the client's next records are under its handshake traffic key */
    if ((rc = lc_hs_set_read_keys(hs, &hs->c_hs)) != 0) {
        return rc;
    }
    hs->state = LC_HS_WAIT_CFIN;
    return 0;
}

int lc_early_server_received(lc_hs *hs, size_t len)
{
    hs->early.bytes += len;
    if (hs->early.bytes > hs->early.max) {
        /* 4.2.10 and 4.6.1: more than max_early_data_size is unexpected_message */
        return lc_fail(hs->err, LC_E_UNEXPECTED_MESSAGE,
                       "the client sent %llu bytes of 0-RTT data; its ticket allows %u",
                       (unsigned long long)hs->early.bytes, hs->early.max);
    }
    return 0;
}
