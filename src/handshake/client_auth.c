/*
 * Client authentication, server and client side (see client_auth.h; RFC 8446
 * 4.3.2 CertificateRequest, 4.4.2 Certificate, 4.4.2.4 receiving one, 4.4.3
 * CertificateVerify, 4.2.3 signature_algorithms, 4.2.4 certificate_authorities).
 *
 * Order matters for the transcript (4.4.1) and so for the keys: the server's
 * CertificateRequest follows EncryptedExtensions; the client's Certificate and
 * CertificateVerify follow the server's Finished and precede the client's, so
 * the client Finished covers them. The application traffic secrets are made
 * over ClientHello..server Finished (7.1) and do not see them; the resumption
 * master secret, over ClientHello..client Finished, does.
 */
#include "handshake/client_auth.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/ca_names.h"
#include "crypto/x509.h"
#include "handshake/authenticate.h"
#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/ext/certificate_authorities.h"
#include "msg/ext/signature_algorithms.h"

/*
 * Room for the names in certificate_authorities: the extensions block of a
 * CertificateRequest is <2..2^16-1> and also holds signature_algorithms (at
 * most 4 + 2 + 2 * LC_PREF_MAX bytes), so the names get what is left, with a margin.
 */
#define CA_NAMES_BUDGET (0xffff - 256)

static const char *const verify_client_names[] = {
    [LC_VERIFY_CLIENT_OFF] = "off",
    [LC_VERIFY_CLIENT_ON] = "on",
    [LC_VERIFY_CLIENT_OPTIONAL] = "optional",
};

int lc_hs_keep_peer(lc_hs *hs, const lc_cert *leaf)
{
    const lc_der *der = lc_cert_der(leaf);
    struct lc_hs_peer *p = malloc(sizeof(*p) + der->len);

    if (p == NULL) {
        return lc_fail(hs->err, LC_E_NO_MEMORY, "the peer's certificate");
    }
    p->len = der->len;
    memcpy(p->der, der->der, der->len);
    lc_cert_subject_line(leaf, p->subject, sizeof(p->subject));
    free(hs->peer);
    hs->peer = p;
    return 0;
}

/* Adds one extension, whose body the caller wrote into e from offset at, to list. */
static void add_ext(lc_ext_list *list, uint16_t type, const lc_writer *e, size_t at)
{
    list->ext[list->count].type = type;
    list->ext[list->count].body = e->buf + at;
    list->ext[list->count].len = e->len - at;
    list->count++;
}

/* certificate_authorities: the names of the client CAs, as many as the message has room for. */
static size_t ca_names(const lc_hs_config *cfg, lc_ext_certificate_authorities *cas)
{
    size_t total = 0;

    cas->count = 0;
    for (size_t i = 0; i < cfg->client_cas.count && cas->count < LC_EXT_CAS_MAX; i++) {
        const lc_der *n = &cfg->client_cas.name[i];

        if (n->len == 0 || n->len > 0xffff || total + 2 + n->len > CA_NAMES_BUDGET) {
            break;
        }
        cas->name[cas->count++] = (lc_ext_view){ n->der, n->len };
        total += 2 + n->len;
    }
    return total;
}

int lc_hs_send_certificate_request(lc_hs *hs)
{
    const lc_hs_config *cfg = hs->cfg;
    lc_certificate_request *cr = NULL;
    lc_ext_certificate_authorities *cas = NULL;
    lc_ext_signature_algorithms sa = { .count = cfg->schemes.count };
    uint8_t *ext = NULL, *msg = NULL;
    size_t names_len, cap;
    lc_writer e, w;
    int rc;

    if (cfg->verify_client == LC_VERIFY_CLIENT_OFF) {
        return 0;
    }
    cr = calloc(1, sizeof(*cr));
    cas = calloc(1, sizeof(*cas));
    if (cr == NULL || cas == NULL) {
        rc = lc_fail(hs->err, LC_E_NO_MEMORY, "CertificateRequest");
        goto out;
    }
    /* 4.3.2: signature_algorithms MUST be present: the schemes we accept in CertificateVerify */
    memcpy(sa.scheme, cfg->schemes.id, cfg->schemes.count * sizeof(sa.scheme[0]));
    names_len = ca_names(cfg, cas);
    cap = 64 + 2 * LC_EXT_SIGALGS_MAX + names_len;
    if ((ext = malloc(cap)) == NULL || (msg = malloc(cap + 64)) == NULL) {
        rc = lc_fail(hs->err, LC_E_NO_MEMORY, "CertificateRequest");
        goto out;
    }
    lc_writer_init(&e, ext, cap);
    rc = lc_ext_signature_algorithms_encode(&e, &sa);
    add_ext(&cr->extensions, LC_EXT_SIGNATURE_ALGORITHMS, &e, 0);
    if (rc == 0 && cas->count > 0) {
        /* 4.2.4: the CAs we accept, to guide the client's choice of certificate */
        size_t at = e.len;
        rc = lc_ext_certificate_authorities_encode(&e, cas);
        add_ext(&cr->extensions, LC_EXT_CERTIFICATE_AUTHORITIES, &e, at);
    }
    /* 4.3.2: certificate_request_context "SHALL be zero length" in the main handshake */
    cr->certificate_request_context_len = 0;
    lc_hs_ext_hook(hs, LC_MT_CERTIFICATE_REQUEST, &cr->extensions);
    lc_writer_init(&w, msg, cap + 64);
    if (rc != 0 || (rc = lc_writer_finish(&e)) != 0 ||
        (rc = lc_certificate_request_encode(&w, cr)) != 0) {
        rc = lc_fail(hs->err, rc, "cannot encode CertificateRequest");
        goto out;
    }
    lc_hs_trace(hs, "verify_client %s: asking for a client certificate (%zu signature schemes, "
                "%zu CA name(s))", verify_client_names[cfg->verify_client], sa.count, cas->count);
    if ((rc = lc_hs_send(hs, msg, w.len)) != 0) {
        goto out;
    }
    hs->cert_requested = true;
    hs->cr_context_len = 0;
out:
    free(msg);
    free(ext);
    free(cas);
    free(cr);
    return rc;
}

/* The empty Certificate (4.4.2.4): refused when required, else the client goes unauthenticated. */
static int on_empty_certificate(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    int rc;

    if (hs->cfg->verify_client == LC_VERIFY_CLIENT_ON) {
        /* 4.4.2.4: "MAY abort the handshake with a certificate_required alert" */
        return lc_fail(hs->err, LC_E_CERT_REQUIRED,
                       "the client sent no certificate, and this server requires one "
                       "(verify_client on)");
    }
    lc_hs_trace(hs, "the client sent no certificate: accepted (verify_client optional); no "
                "CertificateVerify follows");
    if ((rc = lc_transcript_add(&hs->transcript, raw, rawlen)) != 0) {
        return lc_fail(hs->err, rc, "transcript");
    }
    hs->state = LC_HS_WAIT_CFIN;
    return 0;
}

/* The client's chain, validated to one of the client CAs for clientAuth (RFC 5280 4.2.1.12). */
static int verify_client_chain(lc_hs *hs, const lc_certificate *ct)
{
    const lc_hs_config *cfg = hs->cfg;
    lc_cert *chain[LC_CERT_MAX_ENTRIES];
    char subject[LC_PEER_SUBJECT_MAX], why[320];
    uint64_t now = lc_hs_now(hs); /* the context's clock, in ms (STYLE 2); 0: none set */
    int rc;

    /* each certificate parsed once, for the path, the key and the subject */
    if ((rc = lc_hs_parse_peer_chain(hs, cfg->client_trust, ct, chain)) != 0) {
        return rc;
    }
    lc_cert_subject_line(chain[0], subject, sizeof(subject));
    lc_hs_trace(hs, "client certificate: '%s' (%zu in chain)", subject, ct->count);
    if (cfg->client_trust == NULL) {
        rc = lc_fail(hs->err, LC_E_CERT_UNKNOWN_CA,
                     "no client CA is configured to verify '%s' against "
                     "(lucid_ctx_set_client_ca_file)", subject);
        goto out;
    }
    if ((rc = lc_x509_verify_certs(cfg->client_trust, chain, ct->count, LC_X509_CLIENT, NULL,
                                   now > 0 ? (int64_t)(now / 1000) : -1, why, sizeof(why))) != 0) {
        rc = lc_fail(hs->err, rc, "client certificate '%s': %s", subject, why);
        goto out;
    }
    lc_hs_trace(hs, "client certificate chain verified: it leads to a trusted client CA, every "
                "certificate is in its validity period, and the leaf allows clientAuth");
    if ((rc = lc_pkey_from_cert(chain[0], &hs->peer_key)) != 0) {
        rc = lc_fail(hs->err, rc, "cannot use the client's public key");
        goto out;
    }
    rc = lc_hs_keep_peer(hs, chain[0]);
out:
    lc_hs_free_peer_chain(chain, ct->count);
    return rc;
}

int lc_hs_on_client_certificate(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    lc_certificate *ct = malloc(sizeof(*ct));
    lc_reader r;
    int rc;

    if (ct == NULL) {
        return lc_fail(hs->err, LC_E_NO_MEMORY, "the client's Certificate");
    }
    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_certificate_decode(&r, ct)) != 0) {
        rc = lc_fail(hs->err, rc, "cannot decode the client's Certificate");
        goto out;
    }
    /* 4.4.2: in answer to a CertificateRequest, the request's context comes back */
    if (ct->certificate_request_context_len != hs->cr_context_len ||
        (hs->cr_context_len > 0 &&
         memcmp(ct->certificate_request_context, hs->cr_context, hs->cr_context_len) != 0)) {
        rc = lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                     "the client's Certificate carries a certificate_request_context of %zu "
                     "bytes; ours was %zu", ct->certificate_request_context_len,
                     hs->cr_context_len);
        goto out;
    }
    if (ct->count == 0) {
        rc = on_empty_certificate(hs, raw, rawlen);
        goto out;
    }
    if ((rc = verify_client_chain(hs, ct)) != 0) {
        goto out;
    }
    if ((rc = lc_transcript_add(&hs->transcript, raw, rawlen)) != 0) {
        rc = lc_fail(hs->err, rc, "transcript");
        goto out;
    }
    /* 4.4.3: a client that sent a certificate proves it holds the key, next */
    hs->state = LC_HS_WAIT_CV;
out:
    free(ct);
    return rc;
}

int lc_hs_on_client_certificate_verify(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    int rc;

    /* the schemes we offered are those of our CertificateRequest: the configured list */
    if ((rc = lc_hs_check_certificate_verify(hs, &hs->cfg->schemes, raw, rawlen,
                                             &hs->client_scheme)) != 0) {
        return rc;
    }
    hs->state = LC_HS_WAIT_CFIN;
    return 0;
}

/* True if a certificate of ck's chain was issued by one of the authorities listed. */
static bool issued_by_one_of(const lc_cert_key *ck, const lc_ext_certificate_authorities *cas)
{
    for (size_t i = 0; i < ck->chain.count; i++) {
        lc_der issuer;
        bool found = false;

        if (lc_x509_issuer_der(ck->chain.cert[i].der, ck->chain.cert[i].len, &issuer) != 0) {
            continue;
        }
        for (size_t n = 0; n < cas->count && !found; n++) {
            found = cas->name[n].len == issuer.len &&
                    memcmp(cas->name[n].p, issuer.der, issuer.len) == 0;
        }
        free(issuer.der);
        if (found) {
            return true;
        }
    }
    return false;
}

/*
 * The certificate and scheme to answer with: certificates under a listed
 * authority first (4.2.4), then any; for each, the first of our schemes that
 * the server listed and the key can make (4.2.3). hs->cert stays NULL when
 * nothing fits: an empty Certificate, and the server decides (4.4.2.4).
 */
static void choose_certificate(lc_hs *hs, const lc_ext_signature_algorithms *sa,
                               const lc_ext_certificate_authorities *cas)
{
    const lc_hs_config *cfg = hs->cfg;

    hs->cert = NULL;
    hs->client_scheme = 0;
    for (int pass = cas != NULL ? 0 : 1; pass < 2; pass++) {
        for (size_t c = 0; c < cfg->ncerts; c++) {
            const lc_cert_key *ck = &cfg->certs[c];

            if (pass == 0 && !issued_by_one_of(ck, cas)) {
                continue;
            }
            for (size_t s = 0; s < cfg->schemes.count; s++) {
                uint16_t id = cfg->schemes.id[s];

                if (lc_hs_offered(sa->scheme, sa->count, id) && lc_sig_scheme_fits(ck->key, id)) {
                    hs->cert = ck;
                    hs->client_scheme = id;
                    return;
                }
            }
        }
    }
}

/* Reads the extensions of a CertificateRequest that steer our answer. */
static int read_request(lc_hs *hs, const lc_certificate_request *cr,
                        lc_ext_signature_algorithms *sa, lc_ext_certificate_authorities *cas,
                        bool *has_cas)
{
    const lc_ext *e = lc_ext_find(&cr->extensions, LC_EXT_SIGNATURE_ALGORITHMS);
    lc_reader r;
    int rc;

    if (e == NULL) {
        /* 4.3.2: "The signature_algorithms extension MUST be specified" */
        return lc_fail(hs->err, LC_E_MISSING_EXTENSION,
                       "CertificateRequest has no signature_algorithms");
    }
    lc_ext_reader(e, &r);
    if ((rc = lc_ext_signature_algorithms_decode(&r, sa)) != 0) {
        return lc_fail(hs->err, rc, "CertificateRequest signature_algorithms");
    }
    *has_cas = (e = lc_ext_find(&cr->extensions, LC_EXT_CERTIFICATE_AUTHORITIES)) != NULL;
    if (*has_cas) {
        lc_ext_reader(e, &r);
        if ((rc = lc_ext_certificate_authorities_decode(&r, cas)) != 0) {
            return lc_fail(hs->err, rc, "CertificateRequest certificate_authorities");
        }
    }
    return 0;
}

int lc_hs_on_certificate_request(lc_hs *hs, const uint8_t *raw, size_t rawlen)
{
    lc_certificate_request *cr = malloc(sizeof(*cr));
    lc_ext_certificate_authorities *cas = malloc(sizeof(*cas));
    lc_ext_signature_algorithms sa;
    bool has_cas = false;
    lc_reader r;
    int rc;

    if (cr == NULL || cas == NULL) {
        rc = lc_fail(hs->err, LC_E_NO_MEMORY, "CertificateRequest");
        goto out;
    }
    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_certificate_request_decode(&r, cr)) != 0) {
        rc = lc_fail(hs->err, rc, "cannot decode CertificateRequest");
        goto out;
    }
    if (cr->certificate_request_context_len != 0) {
        /* 4.3.2: the context is for post-handshake authentication; zero length here */
        rc = lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                     "CertificateRequest in the handshake with a %zu-byte "
                     "certificate_request_context (must be empty)",
                     cr->certificate_request_context_len);
        goto out;
    }
    if ((rc = read_request(hs, cr, &sa, cas, &has_cas)) != 0) {
        goto out;
    }
    choose_certificate(hs, &sa, has_cas ? cas : NULL);
    if (hs->cert != NULL) {
        char subject[LC_PEER_SUBJECT_MAX];

        lc_x509_subject_line(hs->cert->chain.cert[0].der, hs->cert->chain.cert[0].len, subject,
                             sizeof(subject));
        lc_hs_trace(hs, "the server asks for a certificate: we will send '%s' and sign with %s",
                    subject, lc_scheme_name(hs->client_scheme));
    } else {
        lc_hs_trace(hs, "the server asks for a certificate: none of our %zu has a key for "
                    "its signature_algorithms; we will send an empty Certificate",
                    hs->cfg->ncerts);
    }
    hs->cert_requested = true;
    hs->cr_context_len = 0;
    if ((rc = lc_transcript_add(&hs->transcript, raw, rawlen)) != 0) {
        rc = lc_fail(hs->err, rc, "transcript");
        goto out;
    }
    hs->state = LC_HS_WAIT_CERT;
out:
    free(cas);
    free(cr);
    return rc;
}

int lc_hs_send_client_certificate(lc_hs *hs)
{
    int rc;

    if (!hs->cert_requested) {
        return 0;
    }
    /* 4.4.2: the request's context comes back; an empty list when nothing fits (4.4.2.4) */
    if ((rc = lc_hs_send_certificate(hs, hs->cert, hs->cr_context, hs->cr_context_len)) != 0 ||
        hs->cert == NULL) {
        return rc;
    }
    /* 4.4.3: the CertificateVerify covers the transcript through the Certificate just sent */
    return lc_hs_send_certificate_verify(hs, hs->cert->key, hs->client_scheme);
}
