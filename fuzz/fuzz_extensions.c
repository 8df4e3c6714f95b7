/*
 * libFuzzer target: extension blocks (RFC 8446 4.2, lc_ext_list_decode) and
 * every typed extension codec in src/msg/ext/. The first input byte picks the
 * message kind (CH, SH, HRR, EE, CT, CR, NST); the rest is an extensions
 * vector. Properties: a block that decodes re-encodes (lc_ext_list_encode) to
 * exactly the bytes it was read from; each extension the table allows there
 * is decoded by its typed codec for that message, and a body that decodes
 * re-encodes to exactly the same bytes, except where a list was cut at its
 * documented "kept" bound (count == *_MAX: the rest is dropped by design)
 * and padding, whose content is not kept (only its length must survive).
 */
#include "fuzz.h"
#include "msg/ext/alpn.h"
#include "msg/ext/certificate_authorities.h"
#include "msg/ext/cookie.h"
#include "msg/ext/early_data.h"
#include "msg/ext/ext.h"
#include "msg/ext/key_share.h"
#include "msg/ext/oid_filters.h"
#include "msg/ext/padding.h"
#include "msg/ext/post_handshake_auth.h"
#include "msg/ext/pre_shared_key.h"
#include "msg/ext/psk_key_exchange_modes.h"
#include "msg/ext/record_size_limit.h"
#include "msg/ext/server_name.h"
#include "msg/ext/signature_algorithms.h"
#include "msg/ext/status_request.h"
#include "msg/ext/supported_groups.h"
#include "msg/ext/supported_versions.h"

#define BUF_MAX (1u << 17)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Typed decode, then encode into w. 1: compare; 0: did not decode or is lossy by design. */
static int typed(const lc_ext *e, unsigned where, lc_writer *w)
{
    static lc_ext_alpn_ch alpn;
    static lc_ext_certificate_authorities cas;
    static lc_ext_key_share_ch ks;
    static lc_ext_oid_filters oids;
    static lc_ext_pre_shared_key_ch psk;
    static lc_ext_psk_key_exchange_modes modes;
    static lc_ext_signature_algorithms sigs;
    static lc_ext_status_request_ch sr;
    static lc_ext_supported_groups groups;
    static lc_ext_supported_versions_ch vers;
    lc_ext_server_name_ch sni;
    lc_ext_key_share_entry kse;
    lc_ext_view v;
    uint16_t u16;
    uint32_t u32;
    size_t len, binders_at;
    bool ch = where == LC_EXT_IN_CH;
    lc_reader r;
    lc_ext_reader(e, &r);

#define TRY(dec, enc)                                                                      \
    do {                                                                                   \
        if ((dec) != 0) {                                                                  \
            return 0;                                                                      \
        }                                                                                  \
        FUZZ_CHECK((enc) == 0);                                                            \
    } while (0)

    switch (e->type) {
    case LC_EXT_SERVER_NAME:
        if (ch) {
            TRY(lc_ext_server_name_ch_decode(&r, &sni), 0);
            if (sni.host_name.p == NULL) {
                return 0; /* only unknown name types: nothing to write back */
            }
            FUZZ_CHECK(lc_ext_server_name_ch_encode(w, &sni) == 0);
            /* Entries of unknown NameType are skipped (server_name.h): then only the
             * host_name must survive, so it is compared after decoding again. */
            if (e->len != 5 + sni.host_name.len) {
                lc_ext_server_name_ch sni2;
                lc_reader r2;
                lc_reader_init(&r2, w->buf, w->len);
                FUZZ_CHECK(lc_ext_server_name_ch_decode(&r2, &sni2) == 0);
                fuzz_same("server_name host_name", sni.host_name.p, sni.host_name.len,
                          sni2.host_name.p, sni2.host_name.len);
                return 0;
            }
            return 1;
        }
        TRY(lc_ext_server_name_ee_decode(&r), lc_ext_server_name_ee_encode(w));
        return 1;
    case LC_EXT_STATUS_REQUEST:
        if (ch) {
            TRY(lc_ext_status_request_ch_decode(&r, &sr), lc_ext_status_request_ch_encode(w, &sr));
        } else if (where == LC_EXT_IN_CR) {
            TRY(lc_ext_status_request_cr_decode(&r), lc_ext_status_request_cr_encode(w));
        } else if (where == LC_EXT_IN_CT) {
            TRY(lc_ext_status_request_ct_decode(&r, &v), lc_ext_status_request_ct_encode(w, v));
        } else {
            return 0;
        }
        return 1;
    case LC_EXT_SUPPORTED_GROUPS:
        TRY(lc_ext_supported_groups_decode(&r, &groups),
            lc_ext_supported_groups_encode(w, &groups));
        return groups.count < LC_EXT_GROUPS_MAX;
    case LC_EXT_SIGNATURE_ALGORITHMS:
    case LC_EXT_SIGNATURE_ALGORITHMS_CERT:
        TRY(lc_ext_signature_algorithms_decode(&r, &sigs),
            lc_ext_signature_algorithms_encode(w, &sigs));
        return sigs.count < LC_EXT_SIGALGS_MAX;
    case LC_EXT_ALPN:
        if (ch) {
            TRY(lc_ext_alpn_ch_decode(&r, &alpn), lc_ext_alpn_ch_encode(w, &alpn));
            return alpn.count < LC_EXT_ALPN_MAX;
        }
        TRY(lc_ext_alpn_ee_decode(&r, &v), lc_ext_alpn_ee_encode(w, v));
        return 1;
    case LC_EXT_PADDING:
        /* Any content decodes and zeros are written back (padding.h): only the length holds. */
        TRY(lc_ext_padding_decode(&r, &len), lc_ext_padding_encode(w, len));
        FUZZ_CHECK(len == e->len && w->len == e->len);
        return 0;
    case LC_EXT_RECORD_SIZE_LIMIT:
        TRY(lc_ext_record_size_limit_decode(&r, &u16), lc_ext_record_size_limit_encode(w, u16));
        return 1;
    case LC_EXT_PRE_SHARED_KEY:
        if (ch) {
            TRY(lc_ext_pre_shared_key_ch_decode(&r, &psk),
                lc_ext_pre_shared_key_ch_encode(w, &psk, &binders_at));
            return psk.count < LC_EXT_PSK_IDENTITIES_MAX;
        }
        TRY(lc_ext_pre_shared_key_sh_decode(&r, &u16), lc_ext_pre_shared_key_sh_encode(w, u16));
        return 1;
    case LC_EXT_EARLY_DATA:
        if (ch) {
            TRY(lc_ext_early_data_ch_decode(&r), lc_ext_early_data_ch_encode(w));
        } else if (where == LC_EXT_IN_EE) {
            TRY(lc_ext_early_data_ee_decode(&r), lc_ext_early_data_ee_encode(w));
        } else if (where == LC_EXT_IN_NST) {
            TRY(lc_ext_early_data_nst_decode(&r, &u32), lc_ext_early_data_nst_encode(w, u32));
        } else {
            return 0;
        }
        return 1;
    case LC_EXT_SUPPORTED_VERSIONS:
        if (ch) {
            TRY(lc_ext_supported_versions_ch_decode(&r, &vers),
                lc_ext_supported_versions_ch_encode(w, &vers));
            return vers.count < LC_EXT_VERSIONS_MAX;
        }
        TRY(lc_ext_supported_versions_sh_decode(&r, &u16),
            lc_ext_supported_versions_sh_encode(w, u16));
        return 1;
    case LC_EXT_COOKIE:
        TRY(lc_ext_cookie_decode(&r, &v), lc_ext_cookie_encode(w, v));
        return 1;
    case LC_EXT_PSK_KEY_EXCHANGE_MODES:
        TRY(lc_ext_psk_key_exchange_modes_decode(&r, &modes),
            lc_ext_psk_key_exchange_modes_encode(w, &modes));
        (void)lc_ext_psk_key_exchange_modes_has(&modes, LC_PSK_DHE_KE);
        return 1;
    case LC_EXT_CERTIFICATE_AUTHORITIES:
        TRY(lc_ext_certificate_authorities_decode(&r, &cas),
            lc_ext_certificate_authorities_encode(w, &cas));
        return cas.count < LC_EXT_CAS_MAX;
    case LC_EXT_OID_FILTERS:
        TRY(lc_ext_oid_filters_decode(&r, &oids), lc_ext_oid_filters_encode(w, &oids));
        return 1;
    case LC_EXT_POST_HANDSHAKE_AUTH:
        TRY(lc_ext_post_handshake_auth_decode(&r), lc_ext_post_handshake_auth_encode(w));
        return 1;
    case LC_EXT_KEY_SHARE:
        if (ch) {
            TRY(lc_ext_key_share_ch_decode(&r, &ks), lc_ext_key_share_ch_encode(w, &ks));
            return ks.count < LC_EXT_KEY_SHARES_MAX;
        } else if (where == LC_EXT_IN_SH) {
            TRY(lc_ext_key_share_sh_decode(&r, &kse), lc_ext_key_share_sh_encode(w, &kse));
        } else if (where == LC_EXT_IN_HRR) {
            TRY(lc_ext_key_share_hrr_decode(&r, &u16), lc_ext_key_share_hrr_encode(w, u16));
        } else {
            return 0;
        }
        return 1;
    default:
        return 0;
    }
#undef TRY
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned kinds[] = {LC_EXT_IN_CH, LC_EXT_IN_SH, LC_EXT_IN_HRR, LC_EXT_IN_EE,
                                     LC_EXT_IN_CT, LC_EXT_IN_CR, LC_EXT_IN_NST};
    static const size_t mins[] = {8, 6, 6, 0, 0, 0, 0};
    static lc_ext_list list;
    static uint8_t got[BUF_MAX];
    if (size < 1 || size > BUF_MAX) {
        return 0;
    }
    size_t k = data[0] % 7;
    lc_reader r;
    lc_reader_init(&r, data + 1, size - 1);
    if (lc_ext_list_decode(&r, mins[k], kinds[k], &list) != 0) {
        return 0;
    }
    size_t used = size - 1 - lc_reader_left(&r);
    lc_writer w;
    lc_writer_init(&w, got, sizeof(got));
    lc_ext_list_encode(&w, &list);
    FUZZ_CHECK(lc_writer_finish(&w) == 0);
    fuzz_same("extension list", data + 1, used, got, w.len);

    for (size_t i = 0; i < list.count; i++) {
        const lc_ext *e = &list.ext[i];
        FUZZ_CHECK(lc_ext_find(&list, e->type) == e);
        (void)lc_ext_name(e->type);
        if (!lc_ext_allowed(e->type, kinds[k])) {
            continue; /* an unknown type kept in CH, CR or NST */
        }
        lc_writer_init(&w, got, sizeof(got));
        if (typed(e, kinds[k], &w)) {
            fuzz_same(lc_ext_name(e->type), e->body, e->len, got, w.len);
        }
    }
    return 0;
}
