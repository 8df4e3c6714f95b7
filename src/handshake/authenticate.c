/*
 * Certificate and CertificateVerify, sent and checked the same way by both
 * sides (see authenticate.h; RFC 8446 4.4.2, 4.4.3).
 */
#include "handshake/authenticate.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/x509.h"
#include "msg/certificate.h"
#include "msg/certificate_verify.h"

/* The Certificate message (RFC 8446 4.4.2) for ck (NULL: an empty list), in a new buffer. */
static int encode_certificate(const lc_cert_key *ck, const uint8_t *context, size_t context_len,
                              uint8_t **out, size_t *outlen)
{
    /* about 15 KiB (LC_CERT_MAX_ENTRIES entries with their extension lists): on the heap */
    lc_certificate *ct = calloc(1, sizeof(*ct));
    size_t cap = 64 + context_len;
    lc_writer w;
    int rc = LC_E_NO_MEMORY;

    *out = NULL;
    if (ct == NULL) {
        return rc;
    }
    ct->certificate_request_context = context;
    ct->certificate_request_context_len = context_len;
    for (size_t i = 0; ck != NULL && i < ck->chain.count; i++) {
        ct->certificate_list[i].cert_data = ck->chain.cert[i].der;
        ct->certificate_list[i].cert_data_len = ck->chain.cert[i].len;
        cap += ck->chain.cert[i].len + 5; /* a 3-byte length and 2 for no extensions */
        ct->count++;
    }
    if ((*out = malloc(cap)) != NULL) {
        lc_writer_init(&w, *out, cap);
        if ((rc = lc_certificate_encode(&w, ct)) != 0) {
            free(*out);
            *out = NULL;
        }
        *outlen = w.len;
    }
    free(ct);
    return rc;
}

int lc_cert_key_encode(lc_cert_key *ck)
{
    return encode_certificate(ck, NULL, 0, &ck->msg, &ck->msg_len);
}

int lc_hs_send_certificate(lc_hs *hs, const lc_cert_key *ck, const uint8_t *context,
                           size_t context_len)
{
    uint8_t *msg;
    size_t len;
    int rc;

    /* the usual case: the message made when the certificate was loaded */
    if (ck != NULL && ck->msg != NULL && context_len == 0) {
        return lc_hs_send(hs, ck->msg, ck->msg_len);
    }
    if ((rc = encode_certificate(ck, context, context_len, &msg, &len)) != 0) {
        return lc_fail(hs->err, rc, "cannot encode Certificate");
    }
    rc = lc_hs_send(hs, msg, len);
    free(msg);
    return rc;
}

int lc_hs_send_certificate_verify(lc_hs *hs, lc_pkey *key, uint16_t scheme)
{
    uint8_t content[LC_CV_CONTENT_MAX], sig[LC_SIG_MAX], msg[LC_SIG_MAX + 16];
    lc_certificate_verify cv = { .algorithm = scheme, .signature = sig };
    size_t contentlen;
    lc_writer w;
    int rc;

    /* 4.4.3: the transcript up to and including our Certificate, under our context string */
    if ((rc = lc_hs_cv_content(hs, hs->server, content, &contentlen)) != 0) {
        return rc;
    }
    if (hs->cfg->sign != NULL) {
        /* a replayed trace signs for a key it does not show (config.h, test hooks) */
        rc = hs->cfg->sign(hs->cfg->sign_arg, scheme, content, contentlen, sig, sizeof(sig),
                           &cv.signature_len);
    } else {
        rc = lc_sig_sign(hs->cfg->cr, key, scheme, content, contentlen, sig, sizeof(sig),
                         &cv.signature_len);
    }
    if (rc != 0) {
        return lc_fail(hs->err, rc, "cannot sign with %s", lc_scheme_name(scheme));
    }
    lc_writer_init(&w, msg, sizeof(msg));
    if ((rc = lc_certificate_verify_encode(&w, &cv)) != 0) {
        return lc_fail(hs->err, rc, "cannot encode CertificateVerify");
    }
    return lc_hs_send(hs, msg, w.len);
}

int lc_hs_check_certificate_verify(lc_hs *hs, const lc_prefs *offered, const uint8_t *raw,
                                   size_t rawlen, uint16_t *scheme)
{
    const char *peer = hs->server ? "client" : "server";
    uint8_t content[LC_CV_CONTENT_MAX];
    const lc_scheme *desc;
    size_t contentlen;
    lc_certificate_verify cv;
    lc_reader r;
    int rc;

    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, rawlen - LC_MSG_HEADER_LEN);
    if ((rc = lc_certificate_verify_decode(&r, &cv)) != 0) {
        return lc_fail(hs->err, rc, "cannot decode the %s's CertificateVerify", peer);
    }
    desc = lc_scheme_find(cv.algorithm);
    if (desc == NULL || !desc->in_cert_verify ||
        !lc_hs_offered(offered->id, offered->count, cv.algorithm) ||
        !lc_sig_scheme_fits(hs->peer_key, cv.algorithm)) {
        return lc_fail(hs->err, LC_E_ILLEGAL_PARAMETER,
                       "%s signed with %s, which we did not offer or its key cannot make", peer,
                       lc_scheme_name(cv.algorithm));
    }
    /* the peer signed the transcript up to its Certificate, under its own context string */
    if ((rc = lc_hs_cv_content(hs, !hs->server, content, &contentlen)) != 0) {
        return rc;
    }
    if ((rc = lc_sig_verify(hs->cfg->cr, hs->peer_key, cv.algorithm, content, contentlen,
                            cv.signature, cv.signature_len)) != 0) {
        return lc_fail(hs->err, rc, "the %s's %s signature over the handshake is wrong", peer,
                       desc->name);
    }
    lc_hs_trace(hs, "%s CertificateVerify (%s) verified: it holds the key of its certificate",
                peer, desc->name);
    if ((rc = lc_transcript_add(&hs->transcript, raw, rawlen)) != 0) {
        return lc_fail(hs->err, rc, "transcript");
    }
    *scheme = cv.algorithm;
    return 0;
}

int lc_hs_parse_peer_chain(lc_hs *hs, const lc_trust *trust, const lc_certificate *ct,
                           lc_cert **certs)
{
    for (size_t i = 0; i < ct->count; i++) {
        const lc_certificate_entry *e = &ct->certificate_list[i];

        certs[i] = NULL;
        if (lc_trust_cert_from_der(trust, e->cert_data, e->cert_data_len, &certs[i]) != 0) {
            lc_hs_free_peer_chain(certs, i);
            return lc_fail(hs->err, LC_E_BAD_CERTIFICATE,
                           "certificate %zu of the %s's chain does not parse", i,
                           hs->server ? "client" : "server");
        }
    }
    return 0;
}

void lc_hs_free_peer_chain(lc_cert **certs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lc_cert_free(certs[i]);
        certs[i] = NULL;
    }
}
