/*
 * Trace mode, resumption and 0-RTT (trace.h; RFC 8446 4.2.9-4.2.11, 4.6.1):
 * the fields of pre_shared_key, psk_key_exchange_modes and early_data, in the
 * message that carries them, as trace.c does for the others. The checks (the
 * binder, the ticket, the 0-RTT rules) are traced where psk.c and
 * early_data.c make them.
 */
#include <stdio.h>

#include "handshake/hs.h"
#include "handshake/trace.h"
#include "msg/ext/early_data.h"
#include "msg/ext/pre_shared_key.h"
#include "msg/ext/psk_key_exchange_modes.h"

#define FIELD "    %-18s "

static const char *mode_name(uint8_t m)
{
    return m == LC_PSK_DHE_KE ? "psk_dhe_ke" : m == LC_PSK_KE ? "psk_ke" : "unknown";
}

static bool body(const lc_ext_list *list, uint16_t type, lc_reader *r)
{
    const lc_ext *e = lc_ext_find(list, type);

    if (e != NULL) {
        lc_ext_reader(e, r);
    }
    return e != NULL;
}

static void client_hello(lc_hs *hs, const lc_ext_list *list)
{
    lc_ext_psk_key_exchange_modes m;
    lc_ext_pre_shared_key_ch o;
    char buf[128];
    lc_reader r;

    if (body(list, LC_EXT_PSK_KEY_EXCHANGE_MODES, &r) &&
        lc_ext_psk_key_exchange_modes_decode(&r, &m) == 0) {
        size_t n = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < m.count && n + 16 < sizeof(buf); i++) {
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i > 0 ? ", " : "",
                                  mode_name(m.mode[i]));
        }
        lc_hs_trace(hs, FIELD "%s", "psk_modes", buf);
    }
    if (lc_ext_find(list, LC_EXT_EARLY_DATA) != NULL) {
        lc_hs_trace(hs, FIELD "%s", "early_data", "0-RTT data follows this ClientHello");
    }
    if (body(list, LC_EXT_PRE_SHARED_KEY, &r) && lc_ext_pre_shared_key_ch_decode(&r, &o) == 0) {
        for (size_t i = 0; i < o.count; i++) {
            lc_hs_trace(hs, FIELD "identity %zu: %zu-byte ticket, obfuscated age %u, "
                        "%zu-byte binder", "pre_shared_key", i, o.identity[i].identity.len,
                        o.identity[i].obfuscated_ticket_age, o.binder[i].len);
        }
    }
}

void lc_trace_psk_fields(lc_hs *hs, uint8_t msg_type, const lc_ext_list *list)
{
    lc_reader r;
    uint16_t selected;
    uint32_t max;

    switch (msg_type) {
    case LC_MT_CLIENT_HELLO:
        client_hello(hs, list);
        break;
    case LC_MT_SERVER_HELLO:
        if (body(list, LC_EXT_PRE_SHARED_KEY, &r) &&
            lc_ext_pre_shared_key_sh_decode(&r, &selected) == 0) {
            lc_hs_trace(hs, FIELD "identity %u chosen: a resumed handshake, no certificate",
                        "pre_shared_key", selected);
        }
        break;
    case LC_MT_ENCRYPTED_EXTENSIONS:
        if (lc_ext_find(list, LC_EXT_EARLY_DATA) != NULL) {
            lc_hs_trace(hs, FIELD "%s", "early_data", "the server accepts the 0-RTT data");
        }
        break;
    case LC_MT_NEW_SESSION_TICKET:
        if (body(list, LC_EXT_EARLY_DATA, &r) && lc_ext_early_data_nst_decode(&r, &max) == 0) {
            lc_hs_trace(hs, FIELD "up to %u bytes of 0-RTT data with this ticket",
                        "early_data", max);
        }
        break;
    default:
        break;
    }
}
