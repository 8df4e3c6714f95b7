/*
 * The TLS 1.3 client (RFC 8446 2, 4, Appendix A.1).
 *
 *                           START <----+
 *            Send ClientHello |        | Recv HelloRetryRequest
 *                             v        |   (send ClientHello2)
 *                          WAIT_SH ----+
 *            Recv ServerHello |  K_recv = handshake
 *                             v
 *                          WAIT_EE
 *   Recv EncryptedExtensions  |
 *                             v
 *                       WAIT_CERT_CR
 *   Recv CertificateRequest   |  (then WAIT_CERT)
 *            Recv Certificate |
 *                             v
 *                          WAIT_CV
 *    Recv CertificateVerify   |
 *                             v
 *                       WAIT_FINISHED
 *                Recv Finished|  [Send Certificate [+ CertificateVerify]], Send Finished
 *                             v  K_send = K_recv = application
 *                         CONNECTED
 *
 * Authentication is the point (RFC 8446 4.4): the chain is validated to a
 * trusted root for the server's name, the CertificateVerify signature binds the
 * leaf's key to this transcript, and Finished binds the keys. An attacker who
 * relays the handshake with its own key shares cannot sign for the leaf.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/x509.h"
#include "handshake/authenticate.h"
#include "handshake/client_auth.h"
#include "handshake/early_data.h"
#include "handshake/hs.h"
#include "handshake/psk.h"
#include "handshake/trace.h"
#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/ext/alpn.h"
#include "msg/ext/cookie.h"
#include "msg/ext/key_share.h"
#include "msg/ext/server_name.h"
#include "msg/ext/signature_algorithms.h"
#include "msg/ext/supported_groups.h"
#include "msg/ext/supported_versions.h"
#include "msg/finished.h"
#include "msg/new_session_ticket.h"
#include "msg/server_hello.h"
#include "record/write.h"

#define TLS13 0x0304

/* Records of the initial ClientHello may say 0x0301 for old middleboxes (RFC 8446 5.1). */
#define INITIAL_RECORD_VERSION 0x0301

static bool is_ip_literal(const char *name)
{
    uint8_t addr[16];

    return inet_pton(AF_INET, name, addr) == 1 || inet_pton(AF_INET6, name, addr) == 1;
}

/* Appends extension `type` whose body the caller writes into e; list views into e's buffer. */
static void add_ext(lc_ext_list *list, uint16_t type, const lc_writer *e, size_t at)
{
    list->ext[list->count].type = type;
    list->ext[list->count].body = e->buf + at;
    list->ext[list->count].len = e->len - at;
    list->count++;
}

/*
 * Writes our ClientHello (RFC 8446 4.1.2) into w: one key share, for the
 * group hs->kex_group, and the HelloRetryRequest's cookie when there is one.
 */
static int encode_client_hello(lc_hs *hs, const uint8_t *pub, size_t publen,
                               const lc_ext_view *cookie, lc_writer *w)
{
    const lc_hs_config *cfg = hs->cfg;
    lc_client_hello *ch = calloc(1, sizeof(*ch));
    static const uint8_t null_compression[1] = { 0 };
    uint8_t ext[2048];
    lc_writer e;
    size_t at;
    int rc = 0;

    if (ch == NULL) {
        return LC_E_NO_MEMORY;
    }
    ch->legacy_version = 0x0303;
    memcpy(ch->random, hs->client_random, LC_RANDOM_LEN);
    memcpy(ch->legacy_session_id, hs->legacy_session_id, hs->legacy_session_id_len);
    ch->legacy_session_id_len = hs->legacy_session_id_len;
    memcpy(ch->cipher_suites, cfg->suites.id, cfg->suites.count * sizeof(uint16_t));
    ch->cipher_suites_count = cfg->suites.count;
    ch->legacy_compression_methods = null_compression;
    ch->legacy_compression_methods_len = 1;

    lc_writer_init(&e, ext, sizeof(ext));
    /* RFC 6066 3: host names only; literal IP addresses are not sent */
    if (hs->server_name[0] != '\0' && !is_ip_literal(hs->server_name)) {
        lc_ext_server_name_ch sni = {
            .host_name = { (const uint8_t *)hs->server_name, strlen(hs->server_name) }
        };
        at = e.len;
        rc = rc != 0 ? rc : lc_ext_server_name_ch_encode(&e, &sni);
        add_ext(&ch->extensions, LC_EXT_SERVER_NAME, &e, at);
        hs->sni_sent = true;
    }
    {
        lc_ext_supported_versions_ch v = { .count = 1, .version = { TLS13 } };
        at = e.len;
        rc = rc != 0 ? rc : lc_ext_supported_versions_ch_encode(&e, &v);
        add_ext(&ch->extensions, LC_EXT_SUPPORTED_VERSIONS, &e, at);
    }
    {
        lc_ext_supported_groups g = { .count = cfg->groups.count };
        memcpy(g.group, cfg->groups.id, cfg->groups.count * sizeof(uint16_t));
        at = e.len;
        rc = rc != 0 ? rc : lc_ext_supported_groups_encode(&e, &g);
        add_ext(&ch->extensions, LC_EXT_SUPPORTED_GROUPS, &e, at);
    }
    {
        lc_ext_signature_algorithms s = { .count = cfg->schemes.count };
        memcpy(s.scheme, cfg->schemes.id, cfg->schemes.count * sizeof(uint16_t));
        at = e.len;
        rc = rc != 0 ? rc : lc_ext_signature_algorithms_encode(&e, &s);
        add_ext(&ch->extensions, LC_EXT_SIGNATURE_ALGORITHMS, &e, at);
    }
    {
        lc_ext_key_share_ch ks = { .count = 1 };
        ks.entry[0].group = hs->kex_group;
        ks.entry[0].key_exchange = (lc_ext_view){ pub, publen };
        at = e.len;
        rc = rc != 0 ? rc : lc_ext_key_share_ch_encode(&e, &ks);
        add_ext(&ch->extensions, LC_EXT_KEY_SHARE, &e, at);
    }
    if (cfg->alpn_len > 0) {
        /* the configured list is already the wire's ProtocolNameList body */
        at = e.len;
        lc_write_vec(&e, 2, cfg->alpn, cfg->alpn_len);
        add_ext(&ch->extensions, LC_EXT_ALPN, &e, at);
    }
    if (cookie != NULL) {
        at = e.len;
        rc = rc != 0 ? rc : lc_ext_cookie_encode(&e, *cookie);
        add_ext(&ch->extensions, LC_EXT_COOKIE, &e, at);
    }
    /* psk_key_exchange_modes, early_data, pre_shared_key last (psk.c) */
    rc = rc != 0 ? rc : lc_psk_client_extensions(hs, &e, &ch->extensions);
    if (rc == 0 && (rc = lc_writer_finish(&e)) == 0) {
        rc = lc_client_hello_encode(w, ch);
    }
    free(ch);
    return rc;
}

/* Makes a key share for hs->kex_group and sends a ClientHello carrying it. */
static int send_client_hello(lc_hs *hs, const lc_ext_view *cookie, uint16_t record_version)
{
    uint8_t pub[LC_KEX_PUB_MAX], msg[4096 + LC_SESSION_TICKET_MAX];
    size_t publen;
    lc_writer w;
    int rc;

    lc_kex_free(hs->kex);
    hs->kex = NULL;
    if ((rc = lc_hs_kex_generate(hs, hs->kex_group, &hs->kex, pub, sizeof(pub), &publen)) != 0) {
        return lc_fail(hs->err, rc, "cannot make a %s key", lc_group_name(hs->kex_group));
    }
    lc_writer_init(&w, msg, sizeof(msg));
    if ((rc = encode_client_hello(hs, pub, publen, cookie, &w)) != 0) {
        return lc_fail(hs->err, rc, "cannot encode ClientHello");
    }
    /* with a PSK, the binders are computed on the way (4.2.11.2) */
    if ((rc = lc_psk_client_add_hello(hs, msg, w.len)) != 0) {
        return rc;
    }
    lc_trace_message(hs, true, msg, w.len);
    rc = lc_rec_write(hs->io.wd, LC_CT_HANDSHAKE, record_version, msg, w.len, hs->io.wire);
    return rc == 0 ? 0 : lc_fail(hs->err, rc, "cannot write ClientHello");
}

int lc_hs_client_start(lc_hs *hs)
{
    int rc;

    /* RFC 8446 D.4: compatibility mode, a non-empty legacy_session_id */
    hs->legacy_session_id_len = hs->cfg->no_compat_mode ? 0 : LC_SESSION_ID_MAX;
    if ((rc = lc_hs_random(hs, hs->client_random, LC_RANDOM_LEN)) != 0 ||
        (hs->legacy_session_id_len > 0 &&
         (rc = lc_hs_random(hs, hs->legacy_session_id, hs->legacy_session_id_len)) != 0)) {
        return rc;
    }
    hs->kex_group = hs->cfg->groups.id[0];
    if ((rc = send_client_hello(hs, NULL, INITIAL_RECORD_VERSION)) != 0) {
        return rc;
    }
    hs->state = LC_HS_WAIT_SH;
    /* 0-RTT data, when the connection asked for it, follows under the early key */
    if (hs->early.state == LC_EARLY_OFFERED && (rc = lc_early_client_start(hs)) != 0) {
        return rc;
    }
    return 0;
}

/* The checks both ServerHello and HelloRetryRequest pass (RFC 8446 4.1.3, 4.1.4, 4.2.1). */
static int check_hello(lc_hs *hs, const lc_server_hello *sh)
{
    const char *what = sh->is_hrr ? "HelloRetryRequest" : "ServerHello";
    const lc_ext *sv = lc_ext_find(&sh->extensions, LC_EXT_SUPPORTED_VERSIONS);
    uint16_t version = 0;
    lc_reader r;

    if (sv == NULL) {
        /*
         * A TLS 1.2 (or older) ServerHello. RFC 8446 4.1.3: a TLS 1.3 server
         * that was pushed down marks its random; seeing the mark means an
         * attacker removed our offer of TLS 1.3: illegal_parameter.
         */
        if (lc_random_downgrade(sh->random) != LC_DOWNGRADE_NONE) {
            return lc_fail(hs->err, LC_E_DOWNGRADE,
                           "server chose version 0x%04x but its random says it speaks TLS 1.3: "
                           "someone removed TLS 1.3 from our ClientHello",
                           sh->legacy_version);
        }
        return lc_fail(hs->err, LC_E_PROTOCOL_VERSION,
                       "server chose version 0x%04x; this client speaks TLS 1.3 only",
                       sh->legacy_version);
    }
    lc_ext_reader(sv, &r);
    if (lc_ext_supported_versions_sh_decode(&r, &version) != 0 || version != TLS13) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER, "%s selects version 0x%04x, not offered",
                       what, version);
    }
    if (sh->legacy_version != 0x0303) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER, "%s legacy_version 0x%04x", what,
                       sh->legacy_version);
    }
    if (sh->legacy_session_id_echo_len != hs->legacy_session_id_len ||
        memcmp(sh->legacy_session_id_echo, hs->legacy_session_id, hs->legacy_session_id_len)) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "%s does not echo our legacy_session_id", what);
    }
    if (!lc_hs_offered(hs->cfg->suites.id, hs->cfg->suites.count, sh->cipher_suite)) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER, "%s selects cipher suite %s, not offered",
                       what, lc_suite_name(sh->cipher_suite));
    }
    if (hs->suite != NULL && hs->suite->id != sh->cipher_suite) {
        /* 4.1.4: the ServerHello's suite must be the HelloRetryRequest's */
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "ServerHello changes the cipher suite of the HelloRetryRequest");
    }
    hs->suite = lc_suite_find(sh->cipher_suite);
    return 0;
}

/* RFC 8446 4.1.4: a HelloRetryRequest, answered with ClientHello2. */
static int on_hello_retry(lc_hs *hs, const lc_server_hello *hrr, const uint8_t *raw,
                          size_t rawlen)
{
    const lc_ext *ks = lc_ext_find(&hrr->extensions, LC_EXT_KEY_SHARE);
    const lc_ext *ck = lc_ext_find(&hrr->extensions, LC_EXT_COOKIE);
    uint16_t group = 0;
    lc_ext_view cookie = { 0 };
    lc_reader r;
    int rc;

    if (hs->hello_retry) {
        return lc_fail(hs->err, LC_E_UNEXPECTED_MESSAGE, "a second HelloRetryRequest");
    }
    if (ks != NULL) {
        lc_ext_reader(ks, &r);
        if ((rc = lc_ext_key_share_hrr_decode(&r, &group)) != 0) {
            return lc_fail(hs->err, rc, "HelloRetryRequest key_share");
        }
        /* 4.2.8: the group must be offered, and not the one we already sent a share for */
        if (!lc_hs_offered(hs->cfg->groups.id, hs->cfg->groups.count, group) ||
            group == hs->kex_group) {
            return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                           "HelloRetryRequest asks for %s, %s", lc_group_name(group),
                           group == hs->kex_group ? "for which we sent a share"
                                                  : "which we did not offer");
        }
    }
    if (ck != NULL) {
        lc_ext_reader(ck, &r);
        if ((rc = lc_ext_cookie_decode(&r, &cookie)) != 0) {
            return lc_fail(hs->err, rc, "HelloRetryRequest cookie");
        }
    }
    if (ks == NULL && ck == NULL) {
        /* 4.1.4: an HRR that would change nothing in ClientHello2 is illegal_parameter */
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER, "HelloRetryRequest changes nothing");
    }
    hs->hello_retry = true;
    lc_hs_trace(hs, "HelloRetryRequest: server asks for %s", lc_group_name(group));
    if ((rc = lc_transcript_set_hash(&hs->transcript, hs->suite->hash)) != 0 ||
        (rc = lc_transcript_hello_retry(&hs->transcript)) != 0 ||
        (rc = lc_transcript_add(&hs->transcript, raw, rawlen)) != 0) {
        return lc_fail(hs->err, rc, "transcript");
    }
    if (group != 0) {
        hs->kex_group = group;
    }
    /* D.4: in compatibility mode the client's dummy CCS precedes its second flight */
    if ((rc = lc_hs_send_ccs(hs)) != 0) {
        return rc;
    }
    /* 4.2.10: 0-RTT data is lost; ClientHello2 goes in the clear, without early_data */
    lc_early_client_on_retry(hs);
    return send_client_hello(hs, ck != NULL ? &cookie : NULL, LC_REC_VERSION);
}

/* The server's key share and the (EC)DHE shared secret (4.2.8); none in psk_ke mode. */
static int take_key_share(lc_hs *hs, const lc_server_hello *sh, uint8_t *shared, size_t cap,
                          size_t *sharedlen)
{
    lc_ext_key_share_entry share;
    const lc_ext *ks;
    lc_reader r;
    int rc;

    if (hs->psk.resumed && hs->psk.mode == LC_PSK_KE) {
        return 0;
    }
    if ((ks = lc_ext_find(&sh->extensions, LC_EXT_KEY_SHARE)) == NULL) {
        /* not resuming in psk_ke mode, so the server must answer our key share (4.2.8) */
        return lc_fail(hs->err, LC_E_MISSING_EXTENSION, "ServerHello has no key_share");
    }
    lc_ext_reader(ks, &r);
    if ((rc = lc_ext_key_share_sh_decode(&r, &share)) != 0) {
        return lc_fail(hs->err, rc, "ServerHello key_share");
    }
    if (share.group != hs->kex_group) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "ServerHello key share is for %s; we sent one for %s",
                       lc_group_name(share.group), lc_group_name(hs->kex_group));
    }
    if ((rc = lc_kex_derive(hs->kex, share.key_exchange.p, share.key_exchange.len, shared, cap,
                            sharedlen)) != 0) {
        return lc_fail(hs->err, rc, "server's %s key share is not a valid public key",
                       lc_group_name(share.group));
    }
    hs->group = share.group;
    return 0;
}

static int on_server_hello(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    lc_server_hello sh;
    uint8_t shared[LC_KEX_SHARED_MAX];
    size_t sharedlen = 0;
    lc_reader r;
    int rc;

    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_server_hello_decode(&r, &sh)) != 0) {
        return lc_fail(hs->err, rc, "cannot decode ServerHello");
    }
    if ((rc = check_hello(hs, &sh)) != 0) {
        return rc;
    }
    if (sh.is_hrr) {
        return on_hello_retry(hs, &sh, raw, rawlen);
    }
    /* pre_shared_key: resumed or not (psk.c), which decides what else must be there */
    if ((rc = lc_psk_client_on_server_hello(hs, &sh)) != 0 ||
        (rc = take_key_share(hs, &sh, shared, sizeof(shared), &sharedlen)) != 0) {
        goto out;
    }
    if ((rc = lc_transcript_set_hash(&hs->transcript, hs->suite->hash)) != 0 ||
        (rc = lc_transcript_add(&hs->transcript, raw, rawlen)) != 0) {
        rc = lc_fail(hs->err, rc, "transcript");
        goto out;
    }
    /* RFC 8446 7.1: Early Secret (no PSK, or the PSK's) -> Handshake Secret -> traffic
     * secrets */
    if ((rc = lc_hs_derive_handshake_secrets(hs, sharedlen > 0 ? shared : NULL, sharedlen)) != 0) {
        goto out;
    }
    if ((rc = lc_hs_set_read_keys(hs, &hs->s_hs)) != 0) {
        goto out;
    }
    hs->state = LC_HS_WAIT_EE;
out:
    lc_wipe(shared, sizeof(shared));
    return rc;
}

/*
 * RFC 8446 4.2: a server may answer only what we asked: an extension of
 * EncryptedExtensions must be one our last ClientHello had (psk.c keeps the list).
 */
static int check_answered(lc_hs *hs, const lc_ext_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        uint16_t t = list->ext[i].type;
        bool asked = lc_hs_offered(hs->sent_ext, hs->sent_ext_count, t);

        if (!asked) {
            return lc_fail(hs->err, LC_E_UNSOLICITED_EXTENSION,
                           "server sent %s, which we did not offer", lc_ext_name(t));
        }
    }
    return 0;
}

/* The server's ALPN choice must be one of ours (RFC 7301 3.2). */
static int take_alpn(lc_hs *hs, const lc_ext_list *list)
{
    const lc_ext *e = lc_ext_find(list, LC_EXT_ALPN);
    lc_ext_view sel;
    lc_reader r, ours;
    int rc;

    if (e == NULL) {
        return 0;
    }
    lc_ext_reader(e, &r);
    if ((rc = lc_ext_alpn_ee_decode(&r, &sel)) != 0) {
        return lc_fail(hs->err, rc, "EncryptedExtensions ALPN");
    }
    lc_reader_init(&ours, hs->cfg->alpn, hs->cfg->alpn_len);
    while (!lc_reader_empty(&ours)) {
        lc_reader name;

        if (lc_read_vec(&ours, 1, 1, 255, &name) != 0) {
            break;
        }
        if (name.left == sel.len && memcmp(name.p, sel.p, sel.len) == 0) {
            memcpy(hs->alpn, sel.p, sel.len);
            hs->alpn[sel.len] = '\0';
            return 0;
        }
    }
    return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER, "server chose ALPN '%.*s', not offered",
                   (int)sel.len, (const char *)sel.p);
}

static int on_encrypted_extensions(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    lc_encrypted_extensions ee;
    lc_reader r;
    int rc;

    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_encrypted_extensions_decode(&r, &ee)) != 0) {
        return lc_fail(hs->err, rc, "cannot decode EncryptedExtensions");
    }
    if ((rc = check_answered(hs, &ee.extensions)) != 0 ||
        (rc = take_alpn(hs, &ee.extensions)) != 0 ||
        (rc = lc_early_client_on_encrypted_extensions(hs, &ee.extensions)) != 0) {
        return rc;
    }
    if ((rc = lc_transcript_add(&hs->transcript, raw, rawlen)) != 0) {
        return lc_fail(hs->err, rc, "transcript");
    }
    /* resuming, the PSK stands for the server's certificate (2.2) */
    hs->state = hs->psk.resumed ? LC_HS_WAIT_SFIN : LC_HS_WAIT_CERT_CR;
    return 0;
}

/* The server's chain, validated as a browser would (RFC 8446 4.4.2.4, RFC 5280, RFC 9525). */
static int on_certificate(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    lc_certificate ct;
    lc_cert *chain[LC_CERT_MAX_ENTRIES];
    char why[320], subject[200];
    lc_reader r;
    int rc;

    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_certificate_decode(&r, &ct)) != 0) {
        return lc_fail(hs->err, rc, "cannot decode the server's Certificate");
    }
    if (ct.certificate_request_context_len != 0) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "server Certificate has a certificate_request_context");
    }
    if (ct.count == 0) {
        /* 4.4.2.4: an empty server Certificate is decode_error */
        return lc_fail(hs->err, LC_E_DECODE, "server sent no certificate");
    }
    /* each certificate parsed once, for the path, the name, the key and the subject */
    if ((rc = lc_hs_parse_peer_chain(hs, hs->cfg->trust, &ct, chain)) != 0) {
        return rc;
    }
    if (hs->cfg->trace != NULL) {
        lc_cert_subject(chain[0], subject, sizeof(subject));
        lc_hs_trace(hs, "server certificate: %s (%zu in chain)", subject, ct.count);
    }
    if (!hs->cfg->no_verify) {
        /* validity periods on the context's clock (lucid_ctx_set_time), as for client
         * certificates (client_auth.c); 0 means none set: libcrypto's own clock */
        uint64_t now = lc_hs_now(hs);
        rc = lc_x509_verify_certs(hs->cfg->trust, chain, ct.count, LC_X509_SERVER,
                                  hs->server_name[0] != '\0' ? hs->server_name : NULL,
                                  now > 0 ? (int64_t)(now / 1000) : -1, why, sizeof(why));
        if (rc != 0) {
            rc = lc_fail(hs->err, rc, "%s", why);
            goto out;
        }
        lc_hs_trace(hs, "certificate chain verified for '%s'", hs->server_name);
        if ((rc = lc_hs_keep_peer(hs, chain[0])) != 0) {
            goto out;
        }
    }
    if ((rc = lc_pkey_from_cert(chain[0], &hs->peer_key)) != 0) {
        rc = lc_fail(hs->err, rc, "cannot use the server's public key");
        goto out;
    }
    if ((rc = lc_transcript_add(&hs->transcript, raw, rawlen)) != 0) {
        rc = lc_fail(hs->err, rc, "transcript");
        goto out;
    }
    hs->state = LC_HS_WAIT_CV;
out:
    lc_hs_free_peer_chain(chain, ct.count);
    return rc;
}

/* RFC 8446 4.4.3: the server proves it holds the leaf's key, over this transcript. */
static int on_certificate_verify(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    const lc_scheme *scheme;
    uint8_t content[LC_CV_CONTENT_MAX];
    size_t contentlen;
    lc_certificate_verify cv;
    lc_reader r;
    int rc;

    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_certificate_verify_decode(&r, &cv)) != 0) {
        return lc_fail(hs->err, rc, "cannot decode CertificateVerify");
    }
    scheme = lc_scheme_find(cv.algorithm);
    if (scheme == NULL || !scheme->in_cert_verify ||
        !lc_hs_offered(hs->cfg->schemes.id, hs->cfg->schemes.count, cv.algorithm) ||
        !lc_sig_scheme_fits(hs->peer_key, cv.algorithm)) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "server signed with %s, which we did not offer or its key cannot make",
                       lc_scheme_name(cv.algorithm));
    }
    if ((rc = lc_hs_cv_content(hs, true, content, &contentlen)) != 0) {
        return rc;
    }
    if ((rc = lc_sig_verify(hs->cfg->cr, hs->peer_key, cv.algorithm, content, contentlen,
                            cv.signature, cv.signature_len)) != 0) {
        return lc_fail(hs->err, rc, "the server's %s signature over the handshake is wrong",
                       lc_scheme_name(cv.algorithm));
    }
    hs->scheme = cv.algorithm;
    lc_hs_trace(hs, "CertificateVerify (%s) verified", scheme->name);
    if ((rc = lc_transcript_add(&hs->transcript, raw, rawlen)) != 0) {
        return lc_fail(hs->err, rc, "transcript");
    }
    hs->state = LC_HS_WAIT_SFIN;
    return 0;
}

static int on_server_finished(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    uint8_t th[LC_HASH_MAX];
    int rc;

    if ((rc = lc_hs_check_finished(hs, &hs->s_hs, raw, rawlen)) != 0 ||
        (rc = lc_hs_derive_application_secrets(hs)) != 0 ||
        (rc = lc_hs_set_read_keys(hs, &hs->s_ap)) != 0) {
        return rc;
    }
    /* 4.5: accepted 0-RTT data ends with EndOfEarlyData, under the early key */
    if ((rc = lc_early_client_end(hs)) != 0) {
        return rc;
    }
    /* D.4: our dummy CCS goes before our first protected record, if not sent after an HRR */
    if ((rc = lc_hs_send_ccs(hs)) != 0 || (rc = lc_hs_set_write_keys(hs, &hs->c_hs)) != 0) {
        return rc;
    }
    /* 4.4: our Certificate and CertificateVerify, if asked for, before our Finished */
    if ((rc = lc_hs_send_client_certificate(hs)) != 0) {
        return rc;
    }
    if ((rc = lc_hs_send_finished(hs, &hs->c_hs)) != 0 ||
        (rc = lc_hs_transcript_hash(hs, th)) != 0) {
        return rc;
    }
    if ((rc = lc_ks_resumption_master_secret(&hs->ks, th, &hs->resumption)) != 0) {
        return lc_fail(hs->err, rc, "key schedule failed");
    }
    if ((rc = lc_hs_set_write_keys(hs, &hs->c_ap)) != 0) {
        return rc;
    }
    lc_hs_finish(hs);
    return 0;
}

/* RFC 8446 4.6.1: a ticket, for resuming this session later. */
static int on_new_session_ticket(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    lc_new_session_ticket nst;
    lc_reader r;
    int rc;

    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_new_session_ticket_decode(&r, &nst)) != 0) {
        return lc_fail(hs->err, rc, "cannot decode NewSessionTicket");
    }
    /* kept as the connection's latest session (psk.c) */
    return lc_psk_client_on_ticket(hs, &nst);
}

/* RFC 8446 A.1, one row per state: the messages it accepts and their handlers. */
const lc_hs_step lc_hs_client13[LC_HS_STATE_COUNT] = {
    [LC_HS_WAIT_SH] = { { LC_MT_SERVER_HELLO }, { on_server_hello } },
    [LC_HS_WAIT_EE] = { { LC_MT_ENCRYPTED_EXTENSIONS }, { on_encrypted_extensions } },
    [LC_HS_WAIT_CERT_CR] = { { LC_MT_CERTIFICATE, LC_MT_CERTIFICATE_REQUEST },
                             { on_certificate, lc_hs_on_certificate_request } },
    [LC_HS_WAIT_CERT] = { { LC_MT_CERTIFICATE }, { on_certificate } },
    [LC_HS_WAIT_CV] = { { LC_MT_CERTIFICATE_VERIFY }, { on_certificate_verify } },
    [LC_HS_WAIT_SFIN] = { { LC_MT_FINISHED }, { on_server_finished } },
    [LC_HS_CONNECTED] = { { LC_MT_KEY_UPDATE, LC_MT_NEW_SESSION_TICKET },
                          { lc_hs_on_key_update, on_new_session_ticket } },
};
