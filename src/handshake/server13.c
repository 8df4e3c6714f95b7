/*
 * The TLS 1.3 server (RFC 8446 2, 4, Appendix A.2).
 *
 *                               START <-----+
 *                Recv ClientHello |         | Send HelloRetryRequest
 *                                 v         |
 *                            RECVD_CH ------+
 *         Select parameters  |   Send ServerHello, [CCS], EncryptedExtensions,
 *                            |   [CertificateRequest], Certificate, CertificateVerify,
 *                            |   Finished
 *              client auth +---+ no client auth
 *                          v   |
 *                   WAIT_CERT -+   Recv Certificate (client_auth.c); an empty one
 *                          |   |   (verify_client optional) skips WAIT_CV
 *                          v   |
 *                     WAIT_CV  |   Recv CertificateVerify
 *                          |   |
 *                          v   v
 *                       WAIT_FINISHED
 *        Recv Finished  |
 *                       v
 *                    CONNECTED
 *
 * RECVD_CH and NEGOTIATED of the RFC's diagram are not states here: the
 * server answers a ClientHello in the same step that receives it. Resuming
 * with a PSK (psk.c), the server sends no Certificate or CertificateVerify;
 * accepted 0-RTT data (early_data.c) is read in WAIT_EOED, before WAIT_FINISHED,
 * until EndOfEarlyData. NewSessionTickets follow the client's Finished (ticket.c).
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/cert.h"
#include "handshake/authenticate.h"
#include "handshake/client_auth.h"
#include "handshake/early_data.h"
#include "handshake/hs.h"
#include "handshake/psk.h"
#include "handshake/ticket.h"
#include "msg/certificate.h"
#include "msg/certificate_verify.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/ext/alpn.h"
#include "msg/ext/cookie.h"
#include "msg/ext/early_data.h"
#include "msg/ext/key_share.h"
#include "msg/ext/server_name.h"
#include "msg/ext/signature_algorithms.h"
#include "msg/ext/supported_groups.h"
#include "msg/ext/supported_versions.h"
#include "msg/finished.h"
#include "msg/server_hello.h"

#define TLS13 0x0304

/* What a ClientHello's extensions say, decoded once. */
struct offer {
    bool has_versions, has_groups, has_sigalgs, has_shares, has_alpn, has_cookie;
    bool has_early_data;
    lc_ext_supported_versions_ch versions;
    lc_ext_supported_groups groups;
    lc_ext_signature_algorithms sigalgs;
    lc_ext_key_share_ch shares;
    lc_ext_server_name_ch sni;
    bool has_sni;
    lc_ext_alpn_ch alpn;
    lc_ext_view cookie;
};

/* One decoder per extension the server reads, each filling its part of the offer. */
static int dec_versions(lc_reader *r, struct offer *o)
{
    o->has_versions = true;
    return lc_ext_supported_versions_ch_decode(r, &o->versions);
}

static int dec_groups(lc_reader *r, struct offer *o)
{
    o->has_groups = true;
    return lc_ext_supported_groups_decode(r, &o->groups);
}

static int dec_sigalgs(lc_reader *r, struct offer *o)
{
    o->has_sigalgs = true;
    return lc_ext_signature_algorithms_decode(r, &o->sigalgs);
}

static int dec_shares(lc_reader *r, struct offer *o)
{
    o->has_shares = true;
    return lc_ext_key_share_ch_decode(r, &o->shares);
}

static int dec_sni(lc_reader *r, struct offer *o)
{
    o->has_sni = true;
    return lc_ext_server_name_ch_decode(r, &o->sni);
}

static int dec_alpn(lc_reader *r, struct offer *o)
{
    o->has_alpn = true;
    return lc_ext_alpn_ch_decode(r, &o->alpn);
}

static int dec_cookie(lc_reader *r, struct offer *o)
{
    o->has_cookie = true;
    return lc_ext_cookie_decode(r, &o->cookie);
}

static int dec_early_data(lc_reader *r, struct offer *o)
{
    o->has_early_data = true;
    return lc_ext_early_data_ch_decode(r);
}

static const struct {
    uint16_t type;
    int (*decode)(lc_reader *r, struct offer *o);
} offer_decoders[] = {
    { LC_EXT_SUPPORTED_VERSIONS, dec_versions },
    { LC_EXT_SUPPORTED_GROUPS, dec_groups },
    { LC_EXT_SIGNATURE_ALGORITHMS, dec_sigalgs },
    { LC_EXT_KEY_SHARE, dec_shares },
    { LC_EXT_SERVER_NAME, dec_sni },
    { LC_EXT_ALPN, dec_alpn },
    { LC_EXT_COOKIE, dec_cookie },
    { LC_EXT_EARLY_DATA, dec_early_data },
};

/* Decodes the ClientHello extensions the server acts on; the others are left alone. */
static int read_offer(lc_hs *hs, const lc_client_hello *ch, struct offer *o)
{
    memset(o, 0, sizeof(*o));
    for (size_t i = 0; i < LC_ARRAY_LEN(offer_decoders); i++) {
        const lc_ext *e = lc_ext_find(&ch->extensions, offer_decoders[i].type);
        lc_reader r;
        int rc;

        if (e == NULL) {
            continue;
        }
        lc_ext_reader(e, &r);
        if ((rc = offer_decoders[i].decode(&r, o)) != 0) {
            return lc_fail(hs->err, rc, "ClientHello extension %s", lc_ext_name(e->type));
        }
    }
    return 0;
}

/* RFC 8446 4.2.1: TLS 1.3 is negotiated through supported_versions only. */
static int check_version(lc_hs *hs, const lc_client_hello *ch, const struct offer *o)
{
    if (!o->has_versions) {
        return lc_fail(hs->err, LC_E_PROTOCOL_VERSION,
                       "client offers only TLS 1.2 or older (legacy_version 0x%04x, "
                       "no supported_versions); this server speaks TLS 1.3",
                       ch->legacy_version);
    }
    if (!lc_hs_offered(o->versions.version, o->versions.count, TLS13)) {
        return lc_fail(hs->err, LC_E_PROTOCOL_VERSION,
                       "client's supported_versions does not include TLS 1.3");
    }
    /* RFC 8446 4.1.2: exactly one compression method, null */
    if (!lc_client_hello_null_compression(ch)) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "TLS 1.3 ClientHello must offer only null compression");
    }
    return 0;
}

/* The first of our suites that the client offers (server preference). */
static int pick_suite(lc_hs *hs, const lc_client_hello *ch, const lc_suite **out)
{
    const lc_prefs *ours = &hs->cfg->suites;

    for (size_t i = 0; i < ours->count; i++) {
        if (lc_hs_offered(ch->cipher_suites, ch->cipher_suites_count, ours->id[i])) {
            *out = lc_suite_find(ours->id[i]);
            return 0;
        }
    }
    return lc_fail(hs->err, LC_E_NO_COMMON_SUITE,
                   "client offered %zu cipher suites, none of them among ours (%s%s)",
                   ch->cipher_suites_count, lc_suite_name(ours->id[0]),
                   ours->count > 1 ? ", ..." : "");
}

/* RFC 8446 9.2: without a PSK, these three extensions are mandatory. */
static int check_mandatory(lc_hs *hs, const struct offer *o)
{
    const char *missing = !o->has_sigalgs ? "signature_algorithms"
                          : !o->has_groups ? "supported_groups"
                          : !o->has_shares ? "key_share"
                                           : NULL;

    if (missing != NULL) {
        return lc_fail(hs->err, LC_E_MISSING_EXTENSION, "ClientHello has no %s", missing);
    }
    return 0;
}

/* Copies the SNI host_name into hs->server_name (RFC 6066 3). */
static int take_server_name(lc_hs *hs, const struct offer *o)
{
    const lc_ext_view *h = &o->sni.host_name;

    if (!o->has_sni || h->p == NULL) {
        return 0;
    }
    if (h->len > LC_HOST_NAME_MAX) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER, "server_name longer than 255 bytes");
    }
    for (size_t i = 0; i < h->len; i++) {
        /* RFC 6066 3: an ASCII host name; a NUL or control byte is not one */
        if (h->p[i] <= 0x20 || h->p[i] >= 0x7f) {
            return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                           "server_name holds a byte 0x%02x that no host name has", h->p[i]);
        }
    }
    memcpy(hs->server_name, h->p, h->len);
    hs->server_name[h->len] = '\0';
    return 0;
}

/*
 * The certificate and signature scheme (RFC 8446 4.4.2.2): certificates whose
 * names cover the SNI first, then any; for each, the first of our schemes that
 * the client offers and that fits the certificate's key.
 */
static int pick_cert(lc_hs *hs, const struct offer *o, bool *by_name)
{
    const lc_hs_config *cfg = hs->cfg;

    for (int pass = hs->server_name[0] != '\0' ? 0 : 1; pass < 2; pass++) {
        for (size_t c = 0; c < cfg->ncerts; c++) {
            const lc_cert_key *ck = &cfg->certs[c];

            if (pass == 0 && !lc_cert_matches_name(ck->leaf, hs->server_name)) {
                continue;
            }
            for (size_t s = 0; s < cfg->schemes.count; s++) {
                uint16_t id = cfg->schemes.id[s];

                if (lc_hs_offered(o->sigalgs.scheme, o->sigalgs.count, id) &&
                    lc_sig_scheme_fits(ck->key, id)) {
                    hs->cert = ck;
                    hs->scheme = id;
                    *by_name = pass == 0;
                    return 0;
                }
            }
        }
    }
    if (cfg->ncerts == 0) {
        return lc_fail(hs->err, LC_E_HANDSHAKE_FAILURE, "the server has no certificate");
    }
    return lc_fail(hs->err, LC_E_NO_COMMON_SIGNATURE,
                   "none of the client's %zu signature schemes fits our certificates",
                   o->sigalgs.count);
}

/*
 * The group (RFC 8446 4.2.7, 4.2.8): the first of ours for which the client
 * sent a key share; else the first of ours it supports, asked for with a
 * HelloRetryRequest (*share stays NULL); else none in common.
 */
static int pick_group(lc_hs *hs, const struct offer *o, const lc_ext_key_share_entry **share)
{
    const lc_prefs *ours = &hs->cfg->groups;

    *share = NULL;
    /* RFC 8446 4.2.8: each share must be for a group in supported_groups */
    for (size_t i = 0; i < o->shares.count; i++) {
        if (!lc_hs_offered(o->groups.group, o->groups.count, o->shares.entry[i].group)) {
            return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                           "key_share for %s, which supported_groups does not list",
                           lc_group_name(o->shares.entry[i].group));
        }
    }
    for (size_t g = 0; g < ours->count; g++) {
        for (size_t i = 0; i < o->shares.count; i++) {
            if (o->shares.entry[i].group == ours->id[g]) {
                hs->group = ours->id[g];
                *share = &o->shares.entry[i];
                return 0;
            }
        }
    }
    for (size_t g = 0; g < ours->count; g++) {
        if (lc_hs_offered(o->groups.group, o->groups.count, ours->id[g])) {
            hs->group = ours->id[g];
            return 0;
        }
    }
    return lc_fail(hs->err, LC_E_NO_COMMON_GROUP,
                   "client supports %zu groups, none of them among ours (%s%s)",
                   o->groups.count, lc_group_name(ours->id[0]), ours->count > 1 ? ", ..." : "");
}

/* ALPN (RFC 7301 3.2): the first of our protocols that the client offers. */
static int pick_alpn(lc_hs *hs, const struct offer *o)
{
    const lc_hs_config *cfg = hs->cfg;
    lc_reader ours;

    if (!o->has_alpn || cfg->alpn_len == 0) {
        return 0;
    }
    lc_reader_init(&ours, cfg->alpn, cfg->alpn_len);
    while (!lc_reader_empty(&ours)) {
        lc_reader name;

        if (lc_read_vec(&ours, 1, 1, 255, &name) != 0) {
            return lc_fail(hs->err, LC_E_INTERNAL, "bad ALPN configuration");
        }
        for (size_t i = 0; i < o->alpn.count; i++) {
            if (o->alpn.name[i].len == name.left &&
                memcmp(o->alpn.name[i].p, name.p, name.left) == 0) {
                memcpy(hs->alpn, name.p, name.left);
                hs->alpn[name.left] = '\0';
                return 0;
            }
        }
    }
    /* RFC 7301 3.2: no protocol in common is no_application_protocol */
    return lc_fail(hs->err, LC_E_NO_APPLICATION_PROTOCOL,
                   "client offered %zu ALPN protocols (first '%.*s'), none of them ours",
                   o->alpn.count, o->alpn.count > 0 ? (int)o->alpn.name[0].len : 0,
                   o->alpn.count > 0 ? (const char *)o->alpn.name[0].p : "");
}

/* Adds one extension body, written by the caller into `body`, to a list. */
static void add_ext(lc_ext_list *list, uint16_t type, const uint8_t *body, size_t len)
{
    list->ext[list->count].type = type;
    list->ext[list->count].body = body;
    list->ext[list->count].len = len;
    list->count++;
}

/* RFC 8446 4.1.4: HelloRetryRequest with selected_group and a cookie (4.2.2). */
static int send_hello_retry(lc_hs *hs, const lc_client_hello *ch)
{
    lc_server_hello hrr = { .is_hrr = true, .legacy_version = 0x0303 };
    uint8_t ext[64], msg[256];
    lc_writer e, w;
    size_t at;
    int rc;

    memcpy(hrr.random, lc_hrr_random, LC_RANDOM_LEN);
    memcpy(hrr.legacy_session_id_echo, ch->legacy_session_id, ch->legacy_session_id_len);
    hrr.legacy_session_id_echo_len = ch->legacy_session_id_len;
    hrr.cipher_suite = hs->suite->id;
    if ((rc = lc_hs_random(hs, hs->cookie, sizeof(hs->cookie))) != 0) {
        return rc;
    }
    lc_writer_init(&e, ext, sizeof(ext));
    at = e.len;
    rc = lc_ext_supported_versions_sh_encode(&e, TLS13);
    add_ext(&hrr.extensions, LC_EXT_SUPPORTED_VERSIONS, ext + at, e.len - at);
    at = e.len;
    rc = rc != 0 ? rc : lc_ext_key_share_hrr_encode(&e, hs->group);
    add_ext(&hrr.extensions, LC_EXT_KEY_SHARE, ext + at, e.len - at);
    at = e.len;
    rc = rc != 0 ? rc : lc_ext_cookie_encode(&e, (lc_ext_view){ hs->cookie, sizeof(hs->cookie) });
    add_ext(&hrr.extensions, LC_EXT_COOKIE, ext + at, e.len - at);
    lc_writer_init(&w, msg, sizeof(msg));
    if (rc != 0 || (rc = lc_writer_finish(&e)) != 0 ||
        (rc = lc_server_hello_encode(&w, &hrr)) != 0) {
        return lc_fail(hs->err, rc, "cannot encode HelloRetryRequest");
    }
    /* RFC 8446 4.4.1: ClientHello1 becomes message_hash before the HRR is added */
    if ((rc = lc_transcript_hello_retry(&hs->transcript)) != 0) {
        return lc_fail(hs->err, rc, "cannot apply the HelloRetryRequest transcript rule");
    }
    lc_hs_trace(hs, "no key share for a group we accept: HelloRetryRequest for %s",
                lc_group_name(hs->group));
    if ((rc = lc_hs_send(hs, msg, w.len)) != 0) {
        return rc;
    }
    hs->hello_retry = true;
    hs->state = LC_HS_WAIT_CH2;
    /* RFC 8446 D.4: compatibility mode sends the dummy CCS after the first server message */
    return hs->legacy_session_id_len > 0 ? lc_hs_send_ccs(hs) : 0;
}

/*
 * ServerHello (4.1.3) with the chosen PSK (psk.c) and our key share (none in
 * psk_ke mode: share NULL); then the handshake keys (7.1).
 */
static int send_server_hello(lc_hs *hs, const lc_ext_key_share_entry *share)
{
    lc_server_hello sh = { .legacy_version = 0x0303 };
    uint8_t pub[LC_KEX_PUB_MAX], shared[LC_KEX_SHARED_MAX];
    uint8_t ext[LC_KEX_PUB_MAX + 64], msg[LC_KEX_PUB_MAX + 256];
    size_t publen, sharedlen = 0, at;
    lc_ext_key_share_entry ours;
    lc_writer e, w;
    int rc;

    /* the key exchange; a bad peer value is illegal_parameter (4.2.8.1-2) */
    if (share != NULL &&
        (rc = lc_hs_kex_generate(hs, hs->group, &hs->kex, pub, sizeof(pub), &publen)) != 0) {
        rc = lc_fail(hs->err, rc, "cannot make a %s key", lc_group_name(hs->group));
        goto out;
    }
    if (share != NULL &&
        (rc = lc_kex_derive(hs->kex, share->key_exchange.p, share->key_exchange.len, shared,
                            sizeof(shared), &sharedlen)) != 0) {
        rc = lc_fail(hs->err, rc, "client's %s key share (%zu bytes) is not a valid public key",
                     lc_group_name(hs->group), share->key_exchange.len);
        goto out;
    }
    lc_kex_free(hs->kex);
    hs->kex = NULL;

    if ((rc = lc_hs_random(hs, sh.random, LC_RANDOM_LEN)) != 0) {
        goto out;
    }
    memcpy(sh.legacy_session_id_echo, hs->legacy_session_id, hs->legacy_session_id_len);
    sh.legacy_session_id_echo_len = hs->legacy_session_id_len;
    sh.cipher_suite = hs->suite->id;
    lc_writer_init(&e, ext, sizeof(ext));
    rc = lc_psk_server_extension(hs, &e, &sh.extensions);
    if (share != NULL) {
        ours.group = hs->group;
        ours.key_exchange = (lc_ext_view){ pub, publen };
        at = e.len;
        rc = rc != 0 ? rc : lc_ext_key_share_sh_encode(&e, &ours);
        add_ext(&sh.extensions, LC_EXT_KEY_SHARE, ext + at, e.len - at);
    }
    at = e.len;
    rc = rc != 0 ? rc : lc_ext_supported_versions_sh_encode(&e, TLS13);
    add_ext(&sh.extensions, LC_EXT_SUPPORTED_VERSIONS, ext + at, e.len - at);
    lc_hs_ext_hook(hs, LC_MT_SERVER_HELLO, &sh.extensions);
    lc_writer_init(&w, msg, sizeof(msg));
    if (rc != 0 || (rc = lc_writer_finish(&e)) != 0 ||
        (rc = lc_server_hello_encode(&w, &sh)) != 0) {
        rc = lc_fail(hs->err, rc, "cannot encode ServerHello");
        goto out;
    }
    if ((rc = lc_hs_send(hs, msg, w.len)) != 0) {
        goto out;
    }
    if (hs->legacy_session_id_len > 0 && (rc = lc_hs_send_ccs(hs)) != 0) {
        goto out;
    }

    /* RFC 8446 7.1: Early Secret (no PSK, or the PSK's) -> Handshake Secret -> traffic
     * secrets */
    if ((rc = lc_hs_derive_handshake_secrets(hs, share != NULL ? shared : NULL, sharedlen)) != 0) {
        goto out;
    }
    /* accepted 0-RTT data is read with the early key until EndOfEarlyData (4.2.10) */
    if ((rc = lc_hs_set_write_keys(hs, &hs->s_hs)) != 0 ||
        (rc = lc_hs_set_read_keys(hs, hs->early.state == LC_EARLY_ACCEPTED ? &hs->early.secret
                                                                          : &hs->c_hs)) != 0) {
        goto out;
    }
out:
    lc_wipe(shared, sizeof(shared));
    return rc;
}

/* EncryptedExtensions (4.3.1): ALPN, and an empty server_name if SNI chose the certificate. */
static int send_encrypted_extensions(lc_hs *hs, bool sni_used)
{
    lc_encrypted_extensions ee = { 0 };
    uint8_t ext[300], msg[400];
    lc_writer e, w;
    size_t at;
    int rc = 0;

    lc_writer_init(&e, ext, sizeof(ext));
    if (sni_used) {
        at = e.len;
        rc = lc_ext_server_name_ee_encode(&e);
        add_ext(&ee.extensions, LC_EXT_SERVER_NAME, ext + at, e.len - at);
    }
    if (hs->alpn[0] != '\0') {
        at = e.len;
        rc = rc != 0 ? rc
                     : lc_ext_alpn_ee_encode(&e, (lc_ext_view){ (const uint8_t *)hs->alpn,
                                                                strlen(hs->alpn) });
        add_ext(&ee.extensions, LC_EXT_ALPN, ext + at, e.len - at);
    }
    if (hs->early.state == LC_EARLY_ACCEPTED) {
        /* 4.2.10: early_data here says the 0-RTT data is accepted */
        at = e.len;
        rc = rc != 0 ? rc : lc_ext_early_data_ee_encode(&e);
        add_ext(&ee.extensions, LC_EXT_EARLY_DATA, ext + at, e.len - at);
    }
    lc_hs_ext_hook(hs, LC_MT_ENCRYPTED_EXTENSIONS, &ee.extensions);
    lc_writer_init(&w, msg, sizeof(msg));
    if (rc != 0 || (rc = lc_writer_finish(&e)) != 0 ||
        (rc = lc_encrypted_extensions_encode(&w, &ee)) != 0) {
        return lc_fail(hs->err, rc, "cannot encode EncryptedExtensions");
    }
    return lc_hs_send(hs, msg, w.len);
}

/* Certificate (4.4.2): our chain, leaf first, no per-entry extensions (authenticate.c). */
static int send_certificate(lc_hs *hs)
{
    return lc_hs_send_certificate(hs, hs->cert, NULL, 0);
}

/* CertificateVerify (4.4.3): our signature over the transcript so far (authenticate.c). */
static int send_certificate_verify(lc_hs *hs)
{
    return lc_hs_send_certificate_verify(hs, hs->cert->key, hs->scheme);
}

/* Finished (4.4.4), then the application secrets over ClientHello..server Finished. */
static int send_finished(lc_hs *hs)
{
    int rc;

    if ((rc = lc_hs_send_finished(hs, &hs->s_hs)) != 0 ||
        (rc = lc_hs_derive_application_secrets(hs)) != 0) {
        return rc;
    }
    /* RFC 8446 2: the server may send data right after its Finished (0.5-RTT) */
    return lc_hs_set_write_keys(hs, &hs->s_ap);
}

/* Both ClientHellos: decode, then the checks and choices of 4.1.1 and 4.2. */
static int negotiate(lc_hs *hs, const uint8_t *raw, size_t rawlen, lc_client_hello *ch,
                     struct offer *o)
{
    const lc_suite *suite = NULL;
    lc_reader r;
    int rc;

    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_client_hello_decode(&r, ch)) != 0) {
        return lc_fail(hs->err, rc, "cannot decode ClientHello");
    }
    if ((rc = read_offer(hs, ch, o)) != 0 || (rc = check_version(hs, ch, o)) != 0 ||
        (rc = take_server_name(hs, o)) != 0) {
        return rc;
    }
    if (!hs->hello_retry && hs->cfg->select != NULL) {
        /* A server of several sites (virtual hosts) switches to the configuration of the
         * one named, before any choice is made from the configuration (RFC 6066 3). */
        const lc_hs_config *site = hs->cfg->select(hs->cfg->select_arg, hs->server_name);
        if (site != NULL && site->server) {
            hs->cfg = site;
        }
    }
    if ((rc = pick_suite(hs, ch, &suite)) != 0) {
        return rc;
    }
    if (hs->suite != NULL && hs->suite != suite) {
        /* RFC 8446 4.1.4: the suite of the HelloRetryRequest must stay */
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "second ClientHello changes the cipher suite to %s", suite->name);
    }
    hs->suite = suite;
    /* 9.2: with a PSK offered the mandatory extensions depend on its use (answer) */
    if (lc_ext_find(&ch->extensions, LC_EXT_PRE_SHARED_KEY) != NULL) {
        return 0;
    }
    return check_mandatory(hs, o);
}

static int answer(lc_hs *hs, const lc_client_hello *ch, const struct offer *o)
{
    const lc_ext_key_share_entry *share = NULL;
    bool by_name = false, psk_ke = hs->psk.resumed && hs->psk.mode == LC_PSK_KE;
    int rc;

    /* resuming (psk.c), the PSK authenticates: no certificate, and no (EC)DHE in psk_ke */
    if (!hs->psk.resumed &&
        ((rc = check_mandatory(hs, o)) != 0 || (rc = pick_cert(hs, o, &by_name)) != 0)) {
        return rc;
    }
    if ((!psk_ke && (rc = pick_group(hs, o, &share)) != 0) || (rc = pick_alpn(hs, o)) != 0) {
        return rc;
    }
    if (share == NULL && !psk_ke) {
        if (hs->hello_retry) {
            /* RFC 8446 4.2.8: ClientHello2 must hold a share for the selected group */
            return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                           "second ClientHello has no key share for %s",
                           lc_group_name(hs->group));
        }
        return send_hello_retry(hs, ch);
    }
    /* a resumed handshake acknowledges the server_name its ticket was checked against */
    by_name = by_name || (hs->psk.resumed && hs->server_name[0] != '\0');
    if ((rc = lc_early_server_decide(hs)) != 0) {
        return rc;
    }
    lc_hs_trace(hs, "chose %s, %s, %s%s%s", hs->suite->name,
                psk_ke ? "no (EC)DHE" : lc_group_name(hs->group),
                hs->psk.resumed ? "resumed" : lc_scheme_name(hs->scheme),
                hs->alpn[0] != '\0' ? ", ALPN " : "", hs->alpn);
    if ((rc = send_server_hello(hs, share)) != 0 ||
        (rc = send_encrypted_extensions(hs, by_name)) != 0) {
        return rc;
    }
    if (!hs->psk.resumed &&
        ((rc = lc_hs_send_certificate_request(hs)) != 0 || (rc = send_certificate(hs)) != 0 ||
         (rc = send_certificate_verify(hs)) != 0)) {
        return rc;
    }
    if ((rc = send_finished(hs)) != 0) {
        return rc;
    }
    /* A.2: after a CertificateRequest, the client's Certificate comes first (client_auth.c);
     * accepted 0-RTT data comes before anything else (early_data.c) */
    hs->state = hs->early.state == LC_EARLY_ACCEPTED ? LC_HS_WAIT_EOED
                : hs->cert_requested                 ? LC_HS_WAIT_CERT
                                                     : LC_HS_WAIT_CFIN;
    return 0;
}

static int on_client_hello(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    lc_client_hello *ch = malloc(sizeof(*ch));
    struct offer *o = malloc(sizeof(*o));
    int rc;

    if (ch == NULL || o == NULL) {
        rc = lc_fail(hs->err, LC_E_NO_MEMORY, "ClientHello");
        goto out;
    }
    if ((rc = negotiate(hs, raw, rawlen, ch, o)) != 0) {
        goto out;
    }
    memcpy(hs->client_random, ch->random, LC_RANDOM_LEN);
    /* offered 0-RTT data is skipped unless lc_early_server_decide accepts it */
    hs->skip_early_data = o->has_early_data;
    memcpy(hs->legacy_session_id, ch->legacy_session_id, ch->legacy_session_id_len);
    hs->legacy_session_id_len = ch->legacy_session_id_len;
    if ((rc = lc_transcript_set_hash(&hs->transcript, hs->suite->hash)) != 0) {
        rc = lc_fail(hs->err, rc, "transcript");
        goto out;
    }
    /* the ClientHello goes into the transcript there, around the PSK binders it may hold */
    if ((rc = lc_psk_server_choose(hs, ch, raw, rawlen, o->has_groups && o->has_shares)) != 0) {
        goto out;
    }
    rc = answer(hs, ch, o);
out:
    free(ch);
    free(o);
    return rc;
}

static int on_client_hello2(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    lc_client_hello *ch = malloc(sizeof(*ch));
    struct offer *o = malloc(sizeof(*o));
    int rc;

    if (ch == NULL || o == NULL) {
        rc = lc_fail(hs->err, LC_E_NO_MEMORY, "ClientHello");
        goto out;
    }
    if ((rc = negotiate(hs, raw, rawlen, ch, o)) != 0) {
        goto out;
    }
    /* RFC 8446 4.2.2: the cookie comes back unchanged; 4.2.10: no early_data after HRR */
    if (!o->has_cookie || o->cookie.len != sizeof(hs->cookie) ||
        !lc_ct_equal(o->cookie.p, hs->cookie, sizeof(hs->cookie))) {
        rc = lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                     "second ClientHello does not echo our cookie");
        goto out;
    }
    if (o->has_early_data) {
        rc = lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER, "second ClientHello offers early_data");
        goto out;
    }
    /* 4.1.2: ClientHello2 carries exactly one share, for the group we asked for */
    if (o->shares.count != 1 || o->shares.entry[0].group != hs->group) {
        rc = lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                     "second ClientHello must hold one key share, for %s",
                     lc_group_name(hs->group));
        goto out;
    }
    if ((rc = lc_psk_server_choose(hs, ch, raw, rawlen, o->has_groups && o->has_shares)) != 0) {
        goto out;
    }
    rc = answer(hs, ch, o);
out:
    free(ch);
    free(o);
    return rc;
}

static int on_client_finished(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    uint8_t th[LC_HASH_MAX];
    int rc;

    if ((rc = lc_hs_check_finished(hs, &hs->c_hs, raw, rawlen)) != 0 ||
        (rc = lc_hs_transcript_hash(hs, th)) != 0) {
        return rc;
    }
    if ((rc = lc_ks_resumption_master_secret(&hs->ks, th, &hs->resumption)) != 0) {
        return lc_fail(hs->err, rc, "key schedule failed");
    }
    if ((rc = lc_hs_set_read_keys(hs, &hs->c_ap)) != 0) {
        return rc;
    }
    lc_hs_finish(hs);
    /* 4.6.1: tickets for resuming this session, once the handshake is done */
    return lc_ticket_issue(hs);
}

/* RFC 8446 A.2, one row per state: the messages it accepts and their handlers. */
const lc_hs_step lc_hs_server13[LC_HS_STATE_COUNT] = {
    [LC_HS_WAIT_CH] = { { LC_MT_CLIENT_HELLO }, { on_client_hello } },
    [LC_HS_WAIT_CH2] = { { LC_MT_CLIENT_HELLO }, { on_client_hello2 } },
    [LC_HS_WAIT_EOED] = { { LC_MT_END_OF_EARLY_DATA }, { lc_early_server_on_end } },
    [LC_HS_WAIT_CERT] = { { LC_MT_CERTIFICATE }, { lc_hs_on_client_certificate } },
    [LC_HS_WAIT_CV] = { { LC_MT_CERTIFICATE_VERIFY }, { lc_hs_on_client_certificate_verify } },
    [LC_HS_WAIT_CFIN] = { { LC_MT_FINISHED }, { on_client_finished } },
    [LC_HS_CONNECTED] = { { LC_MT_KEY_UPDATE }, { lc_hs_on_key_update } },
};
