/*
 * Client authentication in the TLS 1.3 handshake (RFC 8446 4.3.2, 4.4.2,
 * 4.4.2.4, 4.4.3), both sides.
 *
 * Server (verify_client on or optional, lucid_ctx_set_verify_client): after
 * EncryptedExtensions it sends a CertificateRequest with an empty
 * certificate_request_context, signature_algorithms (its own list) and, when
 * client CAs are set, certificate_authorities (their names). It then waits,
 * past its Finished, for the client's Certificate (state WAIT_CERT), which it
 * validates to one of those CAs for the clientAuth purpose, and for the
 * CertificateVerify that proves the client holds the leaf's key (WAIT_CV);
 * then the client's Finished, over a transcript that now holds both. An empty
 * Certificate is certificate_required when verify_client is on, and skips the
 * CertificateVerify when it is optional.
 *
 * Client: a CertificateRequest makes it choose the first of its certificates
 * (lucid_ctx_add_cert on a client context) issued under one of the listed
 * authorities, else the first of any, whose key can make one of the schemes
 * the server listed; it answers after the server's Finished with that chain
 * and a CertificateVerify, or with an empty Certificate when nothing fits.
 */
#ifndef LC_HANDSHAKE_CLIENT_AUTH_H
#define LC_HANDSHAKE_CLIENT_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "handshake/hs.h"

/* The subject as one RFC 2253 line ("CN=alice,O=Lucid"); longer names are cut. */
#define LC_PEER_SUBJECT_MAX 256

/* The peer's leaf certificate, once its chain is verified: one allocation, in hs->peer. */
struct lc_hs_peer {
    char subject[LC_PEER_SUBJECT_MAX];
    size_t len;
    uint8_t der[]; /* len bytes */
};

/* ---- server --------------------------------------------------------------------------- */

/*
 * Sends a CertificateRequest if the configuration asks for client certificates
 * (and sets hs->cert_requested); does nothing otherwise. Called between
 * EncryptedExtensions and the server's Certificate (4.3.2).
 */
LC_MUST_CHECK int lc_hs_send_certificate_request(lc_hs *hs);

/* WAIT_CERT: the client's Certificate (4.4.2, 4.4.2.4). */
int lc_hs_on_client_certificate(lc_hs *hs, const uint8_t *raw, size_t rawlen);

/* WAIT_CV: the client's CertificateVerify (4.4.3). */
int lc_hs_on_client_certificate_verify(lc_hs *hs, const uint8_t *raw, size_t rawlen);

/* ---- client --------------------------------------------------------------------------- */

/* WAIT_CERT_CR: the server's CertificateRequest (4.3.2); the certificate is chosen here. */
int lc_hs_on_certificate_request(lc_hs *hs, const uint8_t *raw, size_t rawlen);

/*
 * If the server asked: our Certificate and, when it is not empty, our
 * CertificateVerify. Called after the server's Finished, with the client
 * handshake key installed, before our Finished (4.4).
 */
LC_MUST_CHECK int lc_hs_send_client_certificate(lc_hs *hs);

/* ---- both ----------------------------------------------------------------------------- */

/* Keeps a copy of the peer's leaf (its chain verified) in hs->peer, for the application. */
LC_MUST_CHECK int lc_hs_keep_peer(lc_hs *hs, const lc_cert *leaf);

#endif
