/*
 * The error table: each code with the alert it sends and a short text.
 *
 * RFC 8446 6.2 names the alert for each kind of failure; this table is the one
 * place where that choice is made, so no error leaves without its alert.
 */
#include "base/error.h"

#include <stdio.h>
#include <string.h>

struct err_row {
    uint8_t alert;
    const char *name;
    const char *text;
};

#define ROW(code, alert, text) [code] = { LC_ALERT_##alert, #code, text }

static const struct err_row err_table[LC_E_COUNT] = {
    ROW(LC_OK, CLOSE_NOTIFY, "success"),
    ROW(LC_E_DECODE, DECODE_ERROR, "malformed message"),
    ROW(LC_E_TRAILING, DECODE_ERROR, "trailing bytes after the end of a message"),
    ROW(LC_E_EMPTY_RECORD, DECODE_ERROR, "empty record"),
    ROW(LC_E_ILLEGAL_PARAMETER, ILLEGAL_PARAMETER, "illegal parameter"),
    ROW(LC_E_DUPLICATE_EXTENSION, ILLEGAL_PARAMETER, "duplicate extension"),
    ROW(LC_E_EXTENSION_NOT_ALLOWED, ILLEGAL_PARAMETER, "extension not allowed in this message"),
    ROW(LC_E_BAD_KEY_SHARE, ILLEGAL_PARAMETER, "invalid key share"),
    ROW(LC_E_DOWNGRADE, ILLEGAL_PARAMETER, "downgrade detected"),
    ROW(LC_E_PSK_NOT_LAST, ILLEGAL_PARAMETER, "pre_shared_key is not the last extension"),
    ROW(LC_E_UNEXPECTED_MESSAGE, UNEXPECTED_MESSAGE, "unexpected message"),
    ROW(LC_E_UNEXPECTED_RECORD, UNEXPECTED_MESSAGE, "unexpected record"),
    ROW(LC_E_BAD_RECORD_MAC, BAD_RECORD_MAC, "record failed authentication"),
    ROW(LC_E_RECORD_OVERFLOW, RECORD_OVERFLOW, "record too long"),
    ROW(LC_E_HANDSHAKE_FAILURE, HANDSHAKE_FAILURE, "handshake failure"),
    ROW(LC_E_NO_COMMON_SUITE, HANDSHAKE_FAILURE, "no cipher suite in common"),
    ROW(LC_E_NO_COMMON_GROUP, HANDSHAKE_FAILURE, "no key exchange group in common"),
    ROW(LC_E_NO_COMMON_SIGNATURE, HANDSHAKE_FAILURE, "no signature scheme in common"),
    ROW(LC_E_PROTOCOL_VERSION, PROTOCOL_VERSION, "no protocol version in common"),
    ROW(LC_E_MISSING_EXTENSION, MISSING_EXTENSION, "missing extension"),
    ROW(LC_E_UNSOLICITED_EXTENSION, UNSUPPORTED_EXTENSION, "extension not offered"),
    ROW(LC_E_NO_APPLICATION_PROTOCOL, NO_APPLICATION_PROTOCOL, "no application protocol in common"),
    ROW(LC_E_UNRECOGNIZED_NAME, UNRECOGNIZED_NAME, "unrecognized server name"),
    ROW(LC_E_INSUFFICIENT_SECURITY, INSUFFICIENT_SECURITY, "insufficient security"),
    ROW(LC_E_BAD_SIGNATURE, DECRYPT_ERROR, "signature verification failed"),
    ROW(LC_E_BAD_FINISHED, DECRYPT_ERROR, "Finished verification failed"),
    ROW(LC_E_BAD_BINDER, DECRYPT_ERROR, "PSK binder verification failed"),
    ROW(LC_E_BAD_CERTIFICATE, BAD_CERTIFICATE, "bad certificate"),
    ROW(LC_E_UNSUPPORTED_CERTIFICATE, UNSUPPORTED_CERTIFICATE, "unsupported certificate"),
    ROW(LC_E_CERT_EXPIRED, CERTIFICATE_EXPIRED, "certificate verify failed: expired"),
    ROW(LC_E_CERT_NOT_YET_VALID, BAD_CERTIFICATE, "certificate verify failed: not yet valid"),
    ROW(LC_E_CERT_UNKNOWN_CA, UNKNOWN_CA, "certificate verify failed: unknown CA"),
    ROW(LC_E_CERT_NAME, BAD_CERTIFICATE, "certificate verify failed"),
    ROW(LC_E_CERT_USAGE, UNSUPPORTED_CERTIFICATE, "certificate verify failed: usage"),
    ROW(LC_E_CERT_REQUIRED, CERTIFICATE_REQUIRED, "certificate required"),
    ROW(LC_E_UNKNOWN_PSK_IDENTITY, UNKNOWN_PSK_IDENTITY, "unknown PSK identity"),
    ROW(LC_E_ACCESS_DENIED, ACCESS_DENIED, "access denied"),
    ROW(LC_E_INTERNAL, INTERNAL_ERROR, "internal error"),
    ROW(LC_E_NO_MEMORY, INTERNAL_ERROR, "out of memory"),
    ROW(LC_E_CRYPTO, INTERNAL_ERROR, "cryptographic operation failed"),
    ROW(LC_E_BUFFER_TOO_SMALL, INTERNAL_ERROR, "output buffer too small"),
    ROW(LC_E_BAD_ARGUMENT, INTERNAL_ERROR, "bad argument"),
    ROW(LC_E_CONFIG, INTERNAL_ERROR, "configuration error"),
    ROW(LC_E_PEER_ALERT, CLOSE_NOTIFY, "peer sent alert"),
    ROW(LC_E_CLOSED, CLOSE_NOTIFY, "connection closed"),
    ROW(LC_E_USER_CANCELED, USER_CANCELED, "canceled"),
};

#undef ROW

/* An unknown code is our own bug: it is reported as internal_error, never as success. */
static const struct err_row *row(int code)
{
    if (code < 0 || code >= LC_E_COUNT || err_table[code].name == NULL) {
        return &err_table[LC_E_INTERNAL];
    }
    return &err_table[code];
}

uint8_t lc_err_alert(int code)
{
    return row(code)->alert;
}

const char *lc_err_text(int code)
{
    return row(code)->text;
}

const char *lc_err_name(int code)
{
    return row(code)->name;
}

/* Registry names, RFC 8446 6 and the IANA TLS Alerts registry. */
static const char *const alert_names[256] = {
    [LC_ALERT_CLOSE_NOTIFY] = "close_notify",
    [LC_ALERT_UNEXPECTED_MESSAGE] = "unexpected_message",
    [LC_ALERT_BAD_RECORD_MAC] = "bad_record_mac",
    [LC_ALERT_RECORD_OVERFLOW] = "record_overflow",
    [LC_ALERT_HANDSHAKE_FAILURE] = "handshake_failure",
    [LC_ALERT_BAD_CERTIFICATE] = "bad_certificate",
    [LC_ALERT_UNSUPPORTED_CERTIFICATE] = "unsupported_certificate",
    [LC_ALERT_CERTIFICATE_REVOKED] = "certificate_revoked",
    [LC_ALERT_CERTIFICATE_EXPIRED] = "certificate_expired",
    [LC_ALERT_CERTIFICATE_UNKNOWN] = "certificate_unknown",
    [LC_ALERT_ILLEGAL_PARAMETER] = "illegal_parameter",
    [LC_ALERT_UNKNOWN_CA] = "unknown_ca",
    [LC_ALERT_ACCESS_DENIED] = "access_denied",
    [LC_ALERT_DECODE_ERROR] = "decode_error",
    [LC_ALERT_DECRYPT_ERROR] = "decrypt_error",
    [LC_ALERT_PROTOCOL_VERSION] = "protocol_version",
    [LC_ALERT_INSUFFICIENT_SECURITY] = "insufficient_security",
    [LC_ALERT_INTERNAL_ERROR] = "internal_error",
    [LC_ALERT_INAPPROPRIATE_FALLBACK] = "inappropriate_fallback",
    [LC_ALERT_USER_CANCELED] = "user_canceled",
    [LC_ALERT_MISSING_EXTENSION] = "missing_extension",
    [LC_ALERT_UNSUPPORTED_EXTENSION] = "unsupported_extension",
    [LC_ALERT_UNRECOGNIZED_NAME] = "unrecognized_name",
    [LC_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE] = "bad_certificate_status_response",
    [LC_ALERT_UNKNOWN_PSK_IDENTITY] = "unknown_psk_identity",
    [LC_ALERT_CERTIFICATE_REQUIRED] = "certificate_required",
    [LC_ALERT_NO_APPLICATION_PROTOCOL] = "no_application_protocol",
};

const char *lc_alert_name(uint8_t alert)
{
    return alert_names[alert] != NULL ? alert_names[alert] : "unknown_alert";
}

/*
 * The message is the code's text, then the site's context: "no cipher suite
 * in common: client offered 29 cipher suites, ...". The text says what kind
 * of failure, the context what exactly, in words a user can act on.
 */
int lc_vfail(lc_error *e, int code, const char *fmt, va_list ap)
{
    size_t n;

    if (e == NULL || e->code != LC_OK) {
        return code; /* sticky: the first failure is the one reported */
    }
    e->code = code;
    e->alert = lc_err_alert(code);
    e->from_peer = false;
    n = (size_t)snprintf(e->msg, sizeof(e->msg), "%s", lc_err_text(code));
    if (fmt != NULL && fmt[0] != '\0' && n + 2 < sizeof(e->msg)) {
        e->msg[n++] = ':';
        e->msg[n++] = ' ';
        vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
    }
    return code;
}

int lc_fail(lc_error *e, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    code = lc_vfail(e, code, fmt, ap);
    va_end(ap);
    return code;
}

int lc_fail_peer_alert(lc_error *e, uint8_t alert)
{
    if (e == NULL || e->code != LC_OK) {
        return LC_E_PEER_ALERT;
    }
    e->code = LC_E_PEER_ALERT;
    e->alert = alert;
    e->from_peer = true;
    snprintf(e->msg, sizeof(e->msg), "peer sent %s", lc_alert_name(alert));
    return LC_E_PEER_ALERT;
}
