/*
 * Sealing, opening and issuing session tickets (ticket.h; RFC 8446 4.6.1).
 *
 * The state is written and read with lc_writer / lc_reader like any message:
 * a ticket that opens was made by us, but the format is still checked to the
 * last byte, so a key shared with another program cannot feed us garbage.
 */
#include "handshake/ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "handshake/hs.h"
#include "handshake/trace.h"
#include "msg/ext/early_data.h"
#include "msg/new_session_ticket.h"

#define STATE_FORMAT 1

/* A fixed salt for deriving AEAD keys from key files: it names what the key is for. */
static const char key_salt[] = "lucid TLS 1.3 session ticket key";

int lc_ticket_keys_add(lc_ticket_keys *keys, const lc_crypto *cr, const uint8_t *material,
                       size_t len)
{
    uint8_t prk[LC_HASH_MAX];
    lc_ticket_key k;
    int rc;

    if (len < LC_TICKET_KEY_FILE_MIN) {
        return LC_E_CONFIG;
    }
    if (keys->own) {
        /* the first key from a file replaces the context's own random one */
        lc_wipe(keys, sizeof(*keys));
    }
    if (keys->count == LC_TICKET_KEYS_MAX) {
        return LC_E_CONFIG;
    }
    memcpy(k.id, material, LC_TICKET_KEY_ID_LEN);
    /* key = HKDF-SHA256(salt, everything after the id): every byte of the file counts */
    rc = lc_hkdf_extract(cr, LC_SHA256, (const uint8_t *)key_salt, sizeof(key_salt) - 1,
                         material + LC_TICKET_KEY_ID_LEN, len - LC_TICKET_KEY_ID_LEN, prk);
    if (rc == 0) {
        rc = lc_hkdf_expand(cr, LC_SHA256, prk, lc_hash_len(LC_SHA256),
                            (const uint8_t *)"aes-256-gcm", 11, k.key, sizeof(k.key));
    }
    if (rc == 0) {
        keys->key[keys->count++] = k;
    }
    lc_wipe(prk, sizeof(prk));
    lc_wipe(&k, sizeof(k));
    return rc;
}

int lc_ticket_keys_random(lc_ticket_keys *keys, const lc_crypto *cr)
{
    uint8_t material[LC_TICKET_KEY_FILE_MIN];
    int rc;

    lc_wipe(keys, sizeof(*keys));
    if ((rc = lc_random(material, sizeof(material))) == 0 &&
        (rc = lc_ticket_keys_add(keys, cr, material, sizeof(material))) == 0) {
        keys->own = true;
    }
    lc_wipe(material, sizeof(material));
    return rc;
}

/* The TicketState of ticket.h. */
static int encode_state(const lc_ticket_state *st, uint8_t *out, size_t cap, size_t *len)
{
    lc_writer w;
    int rc;

    lc_writer_init(&w, out, cap);
    lc_write_u8(&w, STATE_FORMAT);
    lc_write_u16(&w, st->suite);
    lc_write_u32(&w, (uint32_t)(st->issued_ms >> 32));
    lc_write_u32(&w, (uint32_t)st->issued_ms);
    lc_write_u32(&w, st->lifetime);
    lc_write_u32(&w, st->age_add);
    lc_write_u32(&w, st->max_early_data);
    lc_write_vec(&w, 1, st->psk.b, st->psk.len);
    lc_write_vec(&w, 1, st->server_name, strlen(st->server_name));
    lc_write_vec(&w, 1, st->alpn, strlen(st->alpn));
    rc = lc_writer_finish(&w);
    *len = w.len;
    return rc;
}

static int decode_state(const uint8_t *in, size_t len, lc_ticket_state *st)
{
    uint32_t hi, lo;
    uint8_t format;
    lc_reader r, v;
    int rc;

    lc_reader_init(&r, in, len);
    if ((rc = lc_read_u8(&r, &format)) != 0) {
        return rc;
    }
    if (format != STATE_FORMAT) {
        return LC_E_DECODE;
    }
    if ((rc = lc_read_u16(&r, &st->suite)) != 0 || (rc = lc_read_u32(&r, &hi)) != 0 ||
        (rc = lc_read_u32(&r, &lo)) != 0 || (rc = lc_read_u32(&r, &st->lifetime)) != 0 ||
        (rc = lc_read_u32(&r, &st->age_add)) != 0 ||
        (rc = lc_read_u32(&r, &st->max_early_data)) != 0) {
        return rc;
    }
    st->issued_ms = (uint64_t)hi << 32 | lo;
    if ((rc = lc_read_vec(&r, 1, 32, LC_SECRET_MAX, &v)) != 0) {
        return rc;
    }
    st->psk.len = v.left;
    memcpy(st->psk.b, v.p, v.left);
    if ((rc = lc_read_name8(&r, st->server_name, sizeof(st->server_name))) != 0 ||
        (rc = lc_read_name8(&r, st->alpn, sizeof(st->alpn))) != 0) {
        return rc;
    }
    return lc_reader_done(&r);
}

/* One AEAD operation with a context of its own: keys are shared, contexts are not. */
static int aead(const lc_crypto *cr, bool seal, const lc_ticket_key *k,
                const uint8_t iv[LC_AEAD_NONCE_LEN], const uint8_t *in, size_t len, uint8_t *out)
{
    lc_aead_ctx *c = lc_aead_new(cr, LC_AES_256_GCM, seal);
    int rc;

    if (c == NULL) {
        return LC_E_NO_MEMORY;
    }
    rc = lc_aead_set_key(c, LC_AES_256_GCM, k->key);
    if (rc == 0) {
        rc = seal ? lc_aead_seal(c, iv, k->id, sizeof(k->id), in, len, out)
                  : lc_aead_open(c, iv, k->id, sizeof(k->id), in, len, out);
    }
    lc_aead_free(c);
    return rc;
}

int lc_ticket_seal(const lc_crypto *cr, const lc_ticket_keys *keys, const lc_ticket_state *st,
                   const uint8_t iv[LC_AEAD_NONCE_LEN], uint8_t *out, size_t cap, size_t *len)
{
    uint8_t plain[LC_TICKET_STATE_MAX];
    size_t plainlen;
    int rc;

    if (keys->count == 0) {
        return LC_E_INTERNAL;
    }
    if ((rc = encode_state(st, plain, sizeof(plain), &plainlen)) != 0) {
        goto out;
    }
    if (cap < LC_TICKET_OVERHEAD + plainlen) {
        rc = LC_E_BUFFER_TOO_SMALL;
        goto out;
    }
    memcpy(out, keys->key[0].id, LC_TICKET_KEY_ID_LEN);
    memcpy(out + LC_TICKET_KEY_ID_LEN, iv, LC_AEAD_NONCE_LEN);
    rc = aead(cr, true, &keys->key[0], iv, plain, plainlen,
              out + LC_TICKET_KEY_ID_LEN + LC_AEAD_NONCE_LEN);
    *len = LC_TICKET_OVERHEAD + plainlen;
out:
    lc_wipe(plain, sizeof(plain));
    return rc;
}

int lc_ticket_open(const lc_crypto *cr, const lc_ticket_keys *keys, const uint8_t *ticket,
                   size_t len, lc_ticket_state *out)
{
    uint8_t plain[LC_TICKET_STATE_MAX];
    const lc_ticket_key *k = NULL;
    size_t plainlen;
    int rc = LC_E_UNKNOWN_PSK_IDENTITY;

    memset(out, 0, sizeof(*out));
    if (len <= LC_TICKET_OVERHEAD || len > LC_TICKET_MAX) {
        return LC_E_UNKNOWN_PSK_IDENTITY;
    }
    /* the key id says which key sealed it; not constant time: ids are not secret */
    for (size_t i = 0; i < keys->count && k == NULL; i++) {
        if (memcmp(keys->key[i].id, ticket, LC_TICKET_KEY_ID_LEN) == 0) {
            k = &keys->key[i];
        }
    }
    if (k == NULL) {
        return LC_E_UNKNOWN_PSK_IDENTITY;
    }
    plainlen = len - LC_TICKET_OVERHEAD;
    if (aead(cr, false, k, ticket + LC_TICKET_KEY_ID_LEN, ticket + LC_TICKET_KEY_ID_LEN +
             LC_AEAD_NONCE_LEN, plainlen + LC_AEAD_TAG_LEN, plain) == 0 &&
        decode_state(plain, plainlen, out) == 0) {
        rc = 0;
    } else {
        lc_wipe(out, sizeof(*out));
    }
    lc_wipe(plain, sizeof(plain));
    return rc;
}

/* ---- issuing --------------------------------------------------------------------------- */

/* One NewSessionTicket with the given nonce, into the flight. */
/* The random bytes one ticket takes: its ticket_age_add, then its sealing IV. */
#define TICKET_DRAW (sizeof(uint32_t) + LC_AEAD_NONCE_LEN)

static int issue_one(lc_hs *hs, uint8_t nonce, const uint8_t draw[TICKET_DRAW])
{
    const lc_hs_config *cfg = hs->cfg;
    lc_ticket_state st;
    lc_new_session_ticket nst;
    uint8_t iv[LC_AEAD_NONCE_LEN], ticket[LC_TICKET_MAX], ext[16];
    uint8_t msg[LC_TICKET_MAX + 64];
    size_t ticketlen = 0;
    lc_writer w, e;
    int rc;

    memset(&st, 0, sizeof(st));
    memset(&nst, 0, sizeof(nst));
    st.suite = hs->suite->id;
    st.issued_ms = lc_hs_now(hs);
    st.lifetime = cfg->ticket_lifetime;
    st.max_early_data = cfg->max_early_data;
    snprintf(st.server_name, sizeof(st.server_name), "%s", hs->server_name);
    snprintf(st.alpn, sizeof(st.alpn), "%s", hs->alpn);
    memcpy(&st.age_add, draw, sizeof(st.age_add));
    memcpy(iv, draw + sizeof(st.age_add), sizeof(iv));
    /* 4.6.1: PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce) */
    if ((rc = lc_ks_resumption_psk(cfg->cr, hs->suite->hash, &hs->resumption, &nonce, 1,
                                   &st.psk)) != 0 ||
        (rc = lc_ticket_seal(cfg->cr, cfg->ticket_keys, &st, iv, ticket, sizeof(ticket),
                             &ticketlen)) != 0) {
        rc = lc_fail(hs->err, rc, "cannot make a session ticket");
        goto out;
    }
    nst.ticket_lifetime = st.lifetime;
    nst.ticket_age_add = st.age_add;
    nst.ticket_nonce = &nonce;
    nst.ticket_nonce_len = 1;
    nst.ticket = ticket;
    nst.ticket_len = ticketlen;
    if (st.max_early_data > 0) {
        /* 4.2.10, 4.6.1: the most 0-RTT data the client may send with this ticket */
        lc_writer_init(&e, ext, sizeof(ext));
        rc = lc_ext_early_data_nst_encode(&e, st.max_early_data);
        nst.extensions.ext[0] = (lc_ext){ LC_EXT_EARLY_DATA, ext, e.len };
        nst.extensions.count = 1;
    }
    lc_writer_init(&w, msg, sizeof(msg));
    if (rc != 0 || (rc = lc_new_session_ticket_encode(&w, &nst)) != 0) {
        rc = lc_fail(hs->err, rc, "cannot encode NewSessionTicket");
        goto out;
    }
    /* a post-handshake message: not part of the transcript, sent with the next flush */
    lc_trace_message(hs, true, msg, w.len);
    if ((rc = lc_buf_append(&hs->flight, msg, w.len)) != 0) {
        rc = lc_fail(hs->err, rc, "cannot queue NewSessionTicket");
        goto out;
    }
    hs->psk.tickets_sent++;
out:
    lc_wipe(&st, sizeof(st));
    return rc;
}

int lc_ticket_issue(lc_hs *hs)
{
    const lc_hs_config *cfg = hs->cfg;
    unsigned n = cfg->tickets < LC_TICKETS_MAX ? cfg->tickets : LC_TICKETS_MAX;
    int rc = 0;

    /*
     * A resumed connection already had its spares: one ticket replaces the
     * one just used (each is for one connection, RFC 8446 C.4), as OpenSSL's
     * servers do. The count applies to full handshakes.
     */
    if (hs->psk.resumed && n > 1) {
        n = 1;
    }
    /* a client that sent no mode we take could never use one (4.2.9) */
    if (n > 0 && cfg->ticket_keys != NULL && hs->psk.peer_can_resume &&
        cfg->verify_client == LC_VERIFY_CLIENT_OFF) {
        lc_hs_trace(hs, "issuing %u session ticket(s): lifetime %u s, 0-RTT %s", n,
                    cfg->ticket_lifetime, cfg->max_early_data > 0 ? "allowed" : "not allowed");
        /*
         * Every ticket's random bytes in one draw, in the order the tickets
         * take them: each call to the CSPRNG costs a lock and a getpid()
         * system call (libcrypto's fork check).
         */
        uint8_t draw[LC_TICKETS_MAX][TICKET_DRAW];

        rc = lc_hs_random(hs, draw, n * TICKET_DRAW);
        for (unsigned i = 0; i < n && rc == 0; i++) {
            rc = issue_one(hs, (uint8_t)i, draw[i]);
        }
    }
    /* RFC 8446 7.1: a secret is erased once all that derives from it is made */
    lc_wipe(&hs->resumption, sizeof(hs->resumption));
    return rc;
}
