/*
 * Trace mode: the handshake narrated step by step, for people learning TLS.
 *
 * Each message sent or received becomes one block: its name and size, then
 * its key fields (randoms, session id, suites, groups and key shares,
 * signature schemes, extensions by name, certificates). Each secret is named
 * by its RFC 8446 7.1 label, with its value only when secrets are to be shown.
 * The checks (chain, name, CertificateVerify, Finished) are traced where they
 * are made, by the state machines. Nothing here runs unless a trace callback
 * is set.
 */
#ifndef LC_HANDSHAKE_TRACE_H
#define LC_HANDSHAKE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/secret.h"

struct lc_hs;

/* One handshake message (header included), sent (>>) or received (<<). */
void lc_trace_message(struct lc_hs *hs, bool sent, const uint8_t *raw, size_t len);

/*
 * A secret just derived: its RFC 8446 7.1 name and how it was made (the label
 * in quotes, or the HKDF-Extract step); the value only if secrets are traced.
 */
void lc_trace_secret(struct lc_hs *hs, const char *name, const char *label,
                     const lc_secret *secret);

/*
 * The resumption and 0-RTT fields of a message's extensions (trace_psk.c):
 * the PSK offered or chosen, the key exchange modes, early_data.
 */
struct lc_ext_list;
void lc_trace_psk_fields(struct lc_hs *hs, uint8_t msg_type, const struct lc_ext_list *list);

/* Up to 32 bytes as hex, longer values shortened with "...": for trace lines. */
void lc_trace_hex(const uint8_t *p, size_t len, char *out, size_t cap);

#endif
