/*
 * Trace mode (see trace.h): each handshake message decoded once more, only
 * when tracing, and told in the words of RFC 8446 section 4.
 */
#include "handshake/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/ca_names.h"
#include "crypto/x509.h"
#include "handshake/hs.h"
#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/ext/alpn.h"
#include "msg/ext/certificate_authorities.h"
#include "msg/ext/key_share.h"
#include "msg/ext/server_name.h"
#include "msg/ext/signature_algorithms.h"
#include "msg/ext/supported_groups.h"
#include "msg/ext/supported_versions.h"
#include "msg/finished.h"
#include "msg/key_update.h"
#include "msg/new_session_ticket.h"
#include "msg/server_hello.h"

#define FIELD "    %-18s "

/* Long values (keys, signatures) are cut: a trace line is read, not parsed. */
void lc_trace_hex(const uint8_t *p, size_t len, char *out, size_t cap)
{
    size_t n = 0, show = len > 32 ? 32 : len;

    out[0] = '\0';
    for (size_t i = 0; i < show && n + 3 < cap; i++) {
        n += (size_t)snprintf(out + n, cap - n, "%02x", p[i]);
    }
    if (show < len && n + 4 < cap) {
        snprintf(out + n, cap - n, "...");
    }
}

/* Names of a list of code points, comma-separated. */
static void names(const uint16_t *ids, size_t n, const char *(*name)(uint16_t), char *out,
                  size_t cap)
{
    size_t len = 0;

    out[0] = '\0';
    for (size_t i = 0; i < n && len + 2 < cap; i++) {
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i > 0 ? ", " : "", name(ids[i]));
    }
}

static const char *version_name(uint16_t v)
{
    switch (v) {
    case 0x0304: return "TLS 1.3";
    case 0x0303: return "TLS 1.2";
    case 0x0302: return "TLS 1.1";
    case 0x0301: return "TLS 1.0";
    default: return (v & 0x0f0f) == 0x0a0a ? "GREASE" : "unknown";
    }
}

static const char *ext_name(uint16_t t)
{
    const char *n = lc_ext_name(t);
    return n != NULL ? n : ((t & 0x0f0f) == 0x0a0a ? "GREASE" : "unknown");
}

/* The extensions of a message by registry name, in the order they were sent. */
static void trace_ext_names(lc_hs *hs, const lc_ext_list *list)
{
    uint16_t types[LC_EXT_LIST_MAX];
    char buf[400];

    for (size_t i = 0; i < list->count; i++) {
        types[i] = list->ext[i].type;
    }
    names(types, list->count, ext_name, buf, sizeof(buf));
    lc_hs_trace(hs, FIELD "%s", "extensions", list->count > 0 ? buf : "(none)");
}

/* Opens extension `type` of list for reading; false if absent. */
static bool ext_body(const lc_ext_list *list, uint16_t type, lc_reader *r)
{
    const lc_ext *e = lc_ext_find(list, type);

    if (e != NULL) {
        lc_ext_reader(e, r);
    }
    return e != NULL;
}

/*
 * RFC 8446 4.1.2: what the client offers. The extensions that carry the
 * negotiation (versions, groups and key shares, signature schemes, SNI,
 * ALPN) are decoded and shown value by value; the rest by name only.
 */
static void trace_client_hello(lc_hs *hs, lc_reader *r)
{
    lc_client_hello ch;
    lc_reader e;
    char buf[400];

    if (lc_client_hello_decode(r, &ch) != 0) {
        return;
    }
    lc_trace_hex(ch.random, LC_RANDOM_LEN, buf, sizeof(buf));
    lc_hs_trace(hs, FIELD "%s", "random", buf);
    lc_hs_trace(hs, FIELD "%zu bytes%s", "legacy_session_id", ch.legacy_session_id_len,
                ch.legacy_session_id_len > 0 ? " (middlebox compatibility mode)" : "");
    names(ch.cipher_suites, ch.cipher_suites_count, lc_suite_name, buf, sizeof(buf));
    lc_hs_trace(hs, FIELD "%s", "cipher_suites", buf);
    trace_ext_names(hs, &ch.extensions);
    if (ext_body(&ch.extensions, LC_EXT_SERVER_NAME, &e)) {
        lc_ext_server_name_ch sni;
        if (lc_ext_server_name_ch_decode(&e, &sni) == 0 && sni.host_name.p != NULL) {
            lc_hs_trace(hs, FIELD "%.*s", "server_name", (int)sni.host_name.len,
                        (const char *)sni.host_name.p);
        }
    }
    if (ext_body(&ch.extensions, LC_EXT_SUPPORTED_VERSIONS, &e)) {
        lc_ext_supported_versions_ch v;
        if (lc_ext_supported_versions_ch_decode(&e, &v) == 0) {
            names(v.version, v.count, version_name, buf, sizeof(buf));
            lc_hs_trace(hs, FIELD "%s", "supported_versions", buf);
        }
    }
    if (ext_body(&ch.extensions, LC_EXT_SUPPORTED_GROUPS, &e)) {
        lc_ext_supported_groups g;
        if (lc_ext_supported_groups_decode(&e, &g) == 0) {
            names(g.group, g.count, lc_group_name, buf, sizeof(buf));
            lc_hs_trace(hs, FIELD "%s", "supported_groups", buf);
        }
    }
    if (ext_body(&ch.extensions, LC_EXT_KEY_SHARE, &e)) {
        lc_ext_key_share_ch ks;
        if (lc_ext_key_share_ch_decode(&e, &ks) == 0) {
            for (size_t i = 0; i < ks.count; i++) {
                lc_hs_trace(hs, FIELD "%s, %zu-byte public key", "key_share",
                            lc_group_name(ks.entry[i].group), ks.entry[i].key_exchange.len);
            }
        }
    }
    if (ext_body(&ch.extensions, LC_EXT_SIGNATURE_ALGORITHMS, &e)) {
        lc_ext_signature_algorithms s;
        if (lc_ext_signature_algorithms_decode(&e, &s) == 0) {
            names(s.scheme, s.count, lc_scheme_name, buf, sizeof(buf));
            lc_hs_trace(hs, FIELD "%s", "signature_schemes", buf);
        }
    }
    if (ext_body(&ch.extensions, LC_EXT_ALPN, &e)) {
        lc_ext_alpn_ch a;
        if (lc_ext_alpn_ch_decode(&e, &a) == 0) {
            size_t n = 0;
            buf[0] = '\0';
            for (size_t i = 0; i < a.count && n + 2 < sizeof(buf); i++) {
                n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%.*s", i > 0 ? ", " : "",
                                      (int)a.name[i].len, (const char *)a.name[i].p);
            }
            lc_hs_trace(hs, FIELD "%s", "ALPN", buf);
        }
    }
    lc_trace_psk_fields(hs, LC_MT_CLIENT_HELLO, &ch.extensions);
}

/*
 * RFC 8446 4.1.3: what the server chose. A HelloRetryRequest is a ServerHello
 * with a fixed random; it names the group the client should send a share for.
 */
static void trace_server_hello(lc_hs *hs, lc_reader *r)
{
    lc_server_hello sh;
    lc_reader e;
    char buf[128];

    if (lc_server_hello_decode(r, &sh) != 0) {
        return;
    }
    if (sh.is_hrr) {
        lc_hs_trace(hs, FIELD "%s", "random", "the HelloRetryRequest value (RFC 8446 4.1.3)");
    } else {
        lc_trace_hex(sh.random, LC_RANDOM_LEN, buf, sizeof(buf));
        lc_hs_trace(hs, FIELD "%s", "random", buf);
    }
    lc_hs_trace(hs, FIELD "%zu bytes", "session_id_echo", sh.legacy_session_id_echo_len);
    lc_hs_trace(hs, FIELD "%s", "cipher_suite", lc_suite_name(sh.cipher_suite));
    trace_ext_names(hs, &sh.extensions);
    if (ext_body(&sh.extensions, LC_EXT_SUPPORTED_VERSIONS, &e)) {
        uint16_t v;
        if (lc_ext_supported_versions_sh_decode(&e, &v) == 0) {
            lc_hs_trace(hs, FIELD "%s", "selected_version", version_name(v));
        }
    }
    if (ext_body(&sh.extensions, LC_EXT_KEY_SHARE, &e)) {
        lc_ext_key_share_entry ks;
        uint16_t g;
        if (sh.is_hrr && lc_ext_key_share_hrr_decode(&e, &g) == 0) {
            lc_hs_trace(hs, FIELD "%s (send a key share for it)", "selected_group",
                        lc_group_name(g));
        } else if (!sh.is_hrr && lc_ext_key_share_sh_decode(&e, &ks) == 0) {
            lc_hs_trace(hs, FIELD "%s, %zu-byte public key", "key_share", lc_group_name(ks.group),
                        ks.key_exchange.len);
        }
    }
    lc_trace_psk_fields(hs, LC_MT_SERVER_HELLO, &sh.extensions);
}

/*
 * RFC 8446 4.4.2: the chain, leaf first. Each certificate is shown as a
 * person checks one: who it names, who vouches for it, the names it covers,
 * when it is valid, and its key. (The checks themselves are traced by the
 * state machine where they are made.) The struct is large: on the heap.
 */
static void trace_certificate(lc_hs *hs, lc_reader *r)
{
    lc_certificate *ct = malloc(sizeof(*ct));

    if (ct == NULL || lc_certificate_decode(r, ct) != 0) {
        free(ct);
        return;
    }
    lc_hs_trace(hs, FIELD "%zu certificate(s)%s%s", "certificate_list", ct->count,
                ct->certificate_request_context_len > 0 ? ", with a request context" : "",
                ct->count == 0 ? " (empty: no certificate for the request)" : "");
    for (size_t i = 0; i < ct->count; i++) {
        lc_x509_info info;

        if (lc_x509_info_get(ct->certificate_list[i].cert_data,
                             ct->certificate_list[i].cert_data_len, &info) != 0) {
            lc_hs_trace(hs, "    [%zu] (does not parse)", i);
            continue;
        }
        lc_hs_trace(hs, "    [%zu] subject %s", i, info.subject);
        lc_hs_trace(hs, "        issuer  %s", info.issuer);
        lc_hs_trace(hs, "        names   %s", info.names);
        lc_hs_trace(hs, "        valid   %s to %s", info.not_before, info.not_after);
        lc_hs_trace(hs, "        key     %s", info.key);
    }
    free(ct);
}

/*
 * RFC 8446 4.3.2: what a server asks of the client's certificate: the schemes
 * it accepts in CertificateVerify (4.2.3) and, when it lists them, the CAs it
 * trusts (4.2.4), by name. The structs are large: on the heap.
 */
static void trace_certificate_request(lc_hs *hs, lc_reader *r)
{
    lc_certificate_request *cr = malloc(sizeof(*cr));
    lc_ext_certificate_authorities *cas = malloc(sizeof(*cas));
    lc_ext_signature_algorithms s;
    lc_reader e;
    char buf[400];

    if (cr == NULL || cas == NULL || lc_certificate_request_decode(r, cr) != 0) {
        free(cas);
        free(cr);
        return;
    }
    lc_hs_trace(hs, FIELD "%zu bytes%s", "request_context", cr->certificate_request_context_len,
                cr->certificate_request_context_len == 0 ? " (in the handshake: always empty)"
                                                         : "");
    trace_ext_names(hs, &cr->extensions);
    if (ext_body(&cr->extensions, LC_EXT_SIGNATURE_ALGORITHMS, &e) &&
        lc_ext_signature_algorithms_decode(&e, &s) == 0) {
        names(s.scheme, s.count, lc_scheme_name, buf, sizeof(buf));
        lc_hs_trace(hs, FIELD "%s", "signature_schemes", buf);
    }
    if (ext_body(&cr->extensions, LC_EXT_CERTIFICATE_AUTHORITIES, &e) &&
        lc_ext_certificate_authorities_decode(&e, cas) == 0) {
        lc_hs_trace(hs, FIELD "%zu CA name(s): a certificate under one of them is wanted",
                    "authorities", cas->count);
        for (size_t i = 0; i < cas->count && i < 8; i++) {
            lc_x509_name_line(cas->name[i].p, cas->name[i].len, buf, sizeof(buf));
            lc_hs_trace(hs, "    [%zu] %s", i, buf);
        }
        if (cas->count > 8) {
            lc_hs_trace(hs, "    ... and %zu more", cas->count - 8);
        }
    }
    free(cas);
    free(cr);
}

static void trace_body(lc_hs *hs, uint8_t type, lc_reader *r)
{
    char buf[128];

    switch (type) {
    case LC_MT_CLIENT_HELLO:
        trace_client_hello(hs, r);
        break;
    case LC_MT_SERVER_HELLO:
        trace_server_hello(hs, r);
        break;
    case LC_MT_ENCRYPTED_EXTENSIONS: {
        lc_encrypted_extensions ee;
        if (lc_encrypted_extensions_decode(r, &ee) == 0) {
            trace_ext_names(hs, &ee.extensions);
            lc_trace_psk_fields(hs, LC_MT_ENCRYPTED_EXTENSIONS, &ee.extensions);
        }
        break;
    }
    case LC_MT_CERTIFICATE:
        trace_certificate(hs, r);
        break;
    case LC_MT_CERTIFICATE_REQUEST:
        trace_certificate_request(hs, r);
        break;
    case LC_MT_CERTIFICATE_VERIFY: {
        lc_certificate_verify cv;
        if (lc_certificate_verify_decode(r, &cv) == 0) {
            lc_hs_trace(hs, FIELD "%s, %zu-byte signature over the transcript", "algorithm",
                        lc_scheme_name(cv.algorithm), cv.signature_len);
        }
        break;
    }
    case LC_MT_FINISHED:
        lc_trace_hex(r->p, r->left, buf, sizeof(buf));
        lc_hs_trace(hs, FIELD "%s", "verify_data", buf);
        break;
    case LC_MT_NEW_SESSION_TICKET: {
        lc_new_session_ticket nst;
        if (lc_new_session_ticket_decode(r, &nst) == 0) {
            lc_hs_trace(hs, FIELD "%u s; ticket %zu bytes", "lifetime", nst.ticket_lifetime,
                        nst.ticket_len);
            lc_trace_psk_fields(hs, LC_MT_NEW_SESSION_TICKET, &nst.extensions);
        }
        break;
    }
    case LC_MT_KEY_UPDATE: {
        lc_key_update ku;
        if (lc_key_update_decode(r, &ku) == 0) {
            lc_hs_trace(hs, FIELD "%s", "request_update",
                        ku.request_update ? "update_requested" : "update_not_requested");
        }
        break;
    }
    default:
        break;
    }
}

/*
 * The message is decoded again here rather than handed over by the state
 * machine, so tracing stays out of the handlers and costs nothing when off.
 */
void lc_trace_message(lc_hs *hs, bool sent, const uint8_t *raw, size_t len)
{
    const char *name;
    lc_reader r;

    if (hs->cfg->trace == NULL || len < LC_MSG_HEADER_LEN) {
        return;
    }
    name = lc_msg_type_name(raw[0]);
    if (raw[0] == LC_MT_SERVER_HELLO && lc_server_hello_is_hrr(raw + 4, len - 4)) {
        name = "hello_retry_request";
    }
    lc_hs_trace(hs, "%s %s (%zu bytes)", sent ? ">>" : "<<", name != NULL ? name : "unknown",
                len);
    lc_reader_init(&r, raw + LC_MSG_HEADER_LEN, len - LC_MSG_HEADER_LEN);
    trace_body(hs, raw[0], &r);
}

/* Secret values appear only on request (--trace-secrets): a trace is often shared. */
void lc_trace_secret(lc_hs *hs, const char *name, const char *label, const lc_secret *secret)
{
    char hex[2 * LC_SECRET_MAX + 1];
    size_t n = 0;

    if (hs->cfg->trace == NULL) {
        return;
    }
    if (!hs->cfg->trace_secrets) {
        lc_hs_trace(hs, "    derived %s (%s)", name, label);
        return;
    }
    for (size_t i = 0; i < secret->len; i++) {
        n += (size_t)snprintf(hex + n, sizeof(hex) - n, "%02x", secret->b[i]);
    }
    lc_hs_trace(hs, "    derived %s (%s) = %s", name, label, hex);
    lc_wipe(hex, sizeof(hex));
}
