/*
 * The extension table and the extension block of a message (RFC 8446 4.2).
 *
 * One static table says, for every extension Lucid knows, its code point, its
 * registry name and the messages that may carry it. The TLS 1.3 column of RFC
 * 8446 4.2 (and of the IANA registry, RFC 8447 section 4) fills the masks; an
 * extension that the registry marks "-" (not used in TLS 1.3) but that real
 * clients still send to offer TLS 1.2 is allowed in ClientHello only, where a
 * TLS 1.3 server ignores it. TLS 1.2 would need its own column.
 *
 * lc_ext_list_decode() is the one place that decides "duplicate", "not allowed
 * here" and "unknown", so every message applies the same rules.
 */
#include "msg/ext/ext.h"

#include "base/error.h"

/* One row of the table: what Lucid knows about one extension type. */
struct ext_row {
    uint16_t type;
    const char *name;  /* IANA "TLS ExtensionType Values" name */
    unsigned allowed;  /* LC_EXT_IN_* bits: where TLS 1.3 lets it appear */
};

enum {
    CH = LC_EXT_IN_CH,
    SH = LC_EXT_IN_SH,
    HRR = LC_EXT_IN_HRR,
    EE = LC_EXT_IN_EE,
    CT = LC_EXT_IN_CT,
    CR = LC_EXT_IN_CR,
    NST = LC_EXT_IN_NST,
};

static const struct ext_row table[] = {
    /* RFC 8446 4.2, the table's rows in code point order */
    { LC_EXT_SERVER_NAME, "server_name", CH | EE },
    { LC_EXT_MAX_FRAGMENT_LENGTH, "max_fragment_length", CH | EE },
    { LC_EXT_STATUS_REQUEST, "status_request", CH | CR | CT },
    { LC_EXT_SUPPORTED_GROUPS, "supported_groups", CH | EE },
    { LC_EXT_SIGNATURE_ALGORITHMS, "signature_algorithms", CH | CR },
    { LC_EXT_USE_SRTP, "use_srtp", CH | EE },
    { LC_EXT_HEARTBEAT, "heartbeat", CH | EE },
    { LC_EXT_ALPN, "application_layer_protocol_negotiation", CH | EE },
    { LC_EXT_SIGNED_CERTIFICATE_TIMESTAMP, "signed_certificate_timestamp", CH | CR | CT },
    { LC_EXT_CLIENT_CERTIFICATE_TYPE, "client_certificate_type", CH | EE },
    { LC_EXT_SERVER_CERTIFICATE_TYPE, "server_certificate_type", CH | EE },
    { LC_EXT_PADDING, "padding", CH },
    { LC_EXT_PRE_SHARED_KEY, "pre_shared_key", CH | SH },
    { LC_EXT_EARLY_DATA, "early_data", CH | EE | NST },
    { LC_EXT_SUPPORTED_VERSIONS, "supported_versions", CH | SH | HRR },
    { LC_EXT_COOKIE, "cookie", CH | HRR },
    { LC_EXT_PSK_KEY_EXCHANGE_MODES, "psk_key_exchange_modes", CH },
    { LC_EXT_CERTIFICATE_AUTHORITIES, "certificate_authorities", CH | CR },
    { LC_EXT_OID_FILTERS, "oid_filters", CR },
    { LC_EXT_POST_HANDSHAKE_AUTH, "post_handshake_auth", CH },
    { LC_EXT_SIGNATURE_ALGORITHMS_CERT, "signature_algorithms_cert", CH | CR },
    { LC_EXT_KEY_SHARE, "key_share", CH | SH | HRR },
    /* RFC 8879 7.1: registered for TLS 1.3 as "CH, CR" */
    { LC_EXT_COMPRESS_CERTIFICATE, "compress_certificate", CH | CR },
    /* RFC 8449 7: registered for TLS 1.3 as "CH, EE" (4: the server sends it in EE) */
    { LC_EXT_RECORD_SIZE_LIMIT, "record_size_limit", CH | EE },
    /*
     * TLS 1.2 only (registry column "-"): a client offering TLS 1.2 as well
     * sends them, so a TLS 1.3 ClientHello may carry them; a TLS 1.3 server
     * never answers them, so anywhere else they are illegal_parameter.
     */
    { LC_EXT_EC_POINT_FORMATS, "ec_point_formats", CH },
    { LC_EXT_ENCRYPT_THEN_MAC, "encrypt_then_mac", CH },
    { LC_EXT_EXTENDED_MASTER_SECRET, "extended_master_secret", CH },
    { LC_EXT_SESSION_TICKET, "session_ticket", CH },
    { LC_EXT_RENEGOTIATION_INFO, "renegotiation_info", CH },
};

/* The table's row for a type, or NULL if Lucid does not know the type. */
static const struct ext_row *find_row(uint16_t type)
{
    for (size_t i = 0; i < LC_ARRAY_LEN(table); i++) {
        if (table[i].type == type) {
            return &table[i];
        }
    }
    return NULL;
}

const char *lc_ext_name(uint16_t type)
{
    const struct ext_row *row = find_row(type);

    return row != NULL ? row->name : NULL;
}

bool lc_ext_allowed(uint16_t type, unsigned where)
{
    const struct ext_row *row = find_row(type);

    return row != NULL && (row->allowed & where) != 0;
}

const lc_ext *lc_ext_find(const lc_ext_list *list, uint16_t type)
{
    for (size_t i = 0; i < list->count; i++) {
        if (list->ext[i].type == type) {
            return &list->ext[i];
        }
    }
    return NULL;
}

/* True for the messages that MUST ignore extensions they do not recognize. */
static bool ignores_unknown(unsigned where)
{
    /* RFC 8446 4.1.2 (CH), 4.3.2 (CR) and 4.6.1 (NST): unrecognized extensions are ignored. */
    return (where & (LC_EXT_IN_CH | LC_EXT_IN_CR | LC_EXT_IN_NST)) != 0;
}

/* The checks of RFC 8446 4.2 for one entry, in the order ext.h documents. */
static int check_entry(const lc_ext_list *seen, uint16_t type, unsigned where)
{
    const struct ext_row *row = find_row(type);

    /* 4.2: "There MUST NOT be more than one extension of the same type". */
    if (lc_ext_find(seen, type) != NULL) {
        return LC_E_DUPLICATE_EXTENSION;
    }
    /* 4.2: a recognized extension "not specified for the message" is illegal_parameter. */
    if (row != NULL && (row->allowed & where) == 0) {
        return LC_E_EXTENSION_NOT_ALLOWED;
    }
    /*
     * 4.2: a response may only carry what we asked for, and we only ask for what
     * we know; so an unknown type in SH, HRR, EE or CT is unsupported_extension.
     */
    if (row == NULL && !ignores_unknown(where)) {
        return LC_E_UNSOLICITED_EXTENSION;
    }
    /* 4.2.11: pre_shared_key "MUST be the last extension in the ClientHello". */
    if ((where & LC_EXT_IN_CH) != 0 && seen->count > 0 &&
        seen->ext[seen->count - 1].type == LC_EXT_PRE_SHARED_KEY) {
        return LC_E_PSK_NOT_LAST;
    }
    return 0;
}

int lc_ext_list_decode(lc_reader *r, size_t min, unsigned where, lc_ext_list *out)
{
    lc_reader list;
    int rc;

    out->count = 0;
    /* RFC 8446 4.1.2 and friends: Extension extensions<min..2^16-1> */
    if ((rc = lc_read_vec(r, 2, min, 0xffff, &list)) != 0) {
        return rc;
    }
    while (!lc_reader_empty(&list)) {
        uint16_t type;
        lc_reader body;

        /* A resource limit, not an RFC rule: more entries than we keep is refused. */
        if (out->count == LC_EXT_LIST_MAX) {
            return LC_E_DECODE;
        }
        /* 4.2: ExtensionType extension_type; opaque extension_data<0..2^16-1>; */
        if ((rc = lc_read_u16(&list, &type)) != 0) {
            return rc;
        }
        if ((rc = lc_read_vec(&list, 2, 0, 0xffff, &body)) != 0) {
            return rc; /* an entry that runs past the list's end: decode_error */
        }
        if ((rc = check_entry(out, type, where)) != 0) {
            return rc;
        }
        out->ext[out->count].type = type;
        out->ext[out->count].len = lc_reader_left(&body);
        if ((rc = lc_read_bytes(&body, out->ext[out->count].len,
                                &out->ext[out->count].body)) != 0) {
            return rc;
        }
        out->count++;
    }
    return 0;
}

void lc_ext_list_encode(lc_writer *w, const lc_ext_list *list)
{
    lc_vec_mark m;

    if (list->count > LC_EXT_LIST_MAX) {
        w->overflow = true; /* a list no decoder could make: fail the writer (sticky) */
        return;
    }
    m = lc_write_vec_begin(w, 2);
    for (size_t i = 0; i < list->count; i++) {
        lc_write_u16(w, list->ext[i].type);
        lc_write_vec(w, 2, list->ext[i].body, list->ext[i].len);
    }
    lc_write_vec_end(w, m);
}

int lc_ext_read_view(lc_reader *r, unsigned lenbytes, size_t min, size_t max, lc_ext_view *out)
{
    lc_reader sub;
    int rc;

    if ((rc = lc_read_vec(r, lenbytes, min, max, &sub)) != 0) {
        return rc;
    }
    out->len = lc_reader_left(&sub);
    return lc_read_bytes(&sub, out->len, &out->p);
}

void lc_ext_write_view(lc_writer *w, unsigned lenbytes, lc_ext_view v)
{
    lc_write_vec(w, lenbytes, v.p, v.len);
}

lc_vec_mark lc_ext_begin(lc_writer *w, uint16_t type)
{
    lc_write_u16(w, type);
    return lc_write_vec_begin(w, 2);
}

void lc_ext_end(lc_writer *w, lc_vec_mark m)
{
    lc_write_vec_end(w, m);
}
