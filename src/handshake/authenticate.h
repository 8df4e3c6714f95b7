/*
 * Authentication messages as either side sends and checks them (RFC 8446 4.4.2,
 * 4.4.3): a Certificate carrying a chain (or, from a client, none), the
 * CertificateVerify that signs the transcript with the leaf's key, and the
 * check of a peer's CertificateVerify. The server authenticates in every full
 * handshake; a client does when the server asked (handshake/client_auth.h).
 * The two sides differ only in the context string signed (4.4.3) and in who
 * may send an empty Certificate (4.4.2.4), so the code is shared.
 */
#ifndef LC_HANDSHAKE_AUTHENTICATE_H
#define LC_HANDSHAKE_AUTHENTICATE_H

#include <stddef.h>
#include <stdint.h>

#include "handshake/hs.h"

/*
 * Sends Certificate (4.4.2): ck's chain, leaf first, without per-entry
 * extensions, or an empty certificate_list when ck is NULL (a client with
 * nothing that fits the request). context is the CertificateRequest's
 * certificate_request_context (a server's own Certificate has none: NULL, 0).
 */
LC_MUST_CHECK int lc_hs_send_certificate(lc_hs *hs, const lc_cert_key *ck,
                                         const uint8_t *context, size_t context_len);

/*
 * Encodes ck's Certificate message with an empty request context into ck->msg, once, when
 * the certificate is loaded: every full handshake sends that same message (no per-connection
 * work that could be per-context). LC_E_NO_MEMORY leaves ck->msg NULL: each handshake then
 * encodes its own.
 */
int lc_cert_key_encode(lc_cert_key *ck);

/*
 * Sends CertificateVerify (4.4.3): key's signature with scheme over the
 * transcript so far, under our side's context string ("TLS 1.3, server
 * CertificateVerify" or "TLS 1.3, client CertificateVerify").
 */
LC_MUST_CHECK int lc_hs_send_certificate_verify(lc_hs *hs, lc_pkey *key, uint16_t scheme);

/*
 * Checks the peer's CertificateVerify (raw: the whole message) against
 * hs->peer_key and the transcript before it, under the peer's context string,
 * then adds it to the transcript. The scheme must be one of `offered` (what we
 * sent in signature_algorithms), usable in CertificateVerify and fit the key:
 * otherwise illegal_parameter (4.4.3: "MUST be one of those present");
 * a signature that does not verify is decrypt_error. *scheme: the one used.
 */
LC_MUST_CHECK int lc_hs_check_certificate_verify(lc_hs *hs, const lc_prefs *offered,
                                                 const uint8_t *raw, size_t rawlen,
                                                 uint16_t *scheme);

/*
 * The peer's Certificate entries, each parsed once into certs (ct->count of
 * them) for every use the handshake makes of them: the path, the name, the
 * key, the subject. LC_E_BAD_CERTIFICATE (bad_certificate) naming the entry
 * that does not parse; certs is then freed. lc_hs_free_peer_chain after use.
 * trust (may be NULL) lends its cache of certificates parsed before.
 */
struct lc_certificate;
LC_MUST_CHECK int lc_hs_parse_peer_chain(lc_hs *hs, const lc_trust *trust,
                                         const struct lc_certificate *ct, lc_cert **certs);
void lc_hs_free_peer_chain(lc_cert **certs, size_t n);

#endif
