/*
 * Errors and alerts.
 *
 * Every error is born with its alert: one table row per code gives the alert
 * to send (RFC 8446 6.2) and a short text. Codes are at least as specific as
 * alerts; our own faults carry internal_error. Functions return 0 or an
 * LC_E_* code; the site that fails adds one line of context with lc_fail(),
 * and the connection sends the alert once, at its boundary.
 */
#ifndef LC_BASE_ERROR_H
#define LC_BASE_ERROR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/common.h"

/* AlertDescription, RFC 8446 6 (and RFC 8446 B.2 for the full registry). */
enum lc_alert {
    LC_ALERT_CLOSE_NOTIFY = 0,
    LC_ALERT_UNEXPECTED_MESSAGE = 10,
    LC_ALERT_BAD_RECORD_MAC = 20,
    LC_ALERT_RECORD_OVERFLOW = 22,
    LC_ALERT_HANDSHAKE_FAILURE = 40,
    LC_ALERT_BAD_CERTIFICATE = 42,
    LC_ALERT_UNSUPPORTED_CERTIFICATE = 43,
    LC_ALERT_CERTIFICATE_REVOKED = 44,
    LC_ALERT_CERTIFICATE_EXPIRED = 45,
    LC_ALERT_CERTIFICATE_UNKNOWN = 46,
    LC_ALERT_ILLEGAL_PARAMETER = 47,
    LC_ALERT_UNKNOWN_CA = 48,
    LC_ALERT_ACCESS_DENIED = 49,
    LC_ALERT_DECODE_ERROR = 50,
    LC_ALERT_DECRYPT_ERROR = 51,
    LC_ALERT_PROTOCOL_VERSION = 70,
    LC_ALERT_INSUFFICIENT_SECURITY = 71,
    LC_ALERT_INTERNAL_ERROR = 80,
    LC_ALERT_INAPPROPRIATE_FALLBACK = 86,
    LC_ALERT_USER_CANCELED = 90,
    LC_ALERT_MISSING_EXTENSION = 109,
    LC_ALERT_UNSUPPORTED_EXTENSION = 110,
    LC_ALERT_UNRECOGNIZED_NAME = 112,
    LC_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE = 113,
    LC_ALERT_UNKNOWN_PSK_IDENTITY = 115,
    LC_ALERT_CERTIFICATE_REQUIRED = 116,
    LC_ALERT_NO_APPLICATION_PROTOCOL = 120,
};

/* The registry name of an alert ("handshake_failure"), or "unknown_alert". */
const char *lc_alert_name(uint8_t alert);

/*
 * Error codes. 0 is success. The table in error.c gives each its alert and text;
 * keep the two in the same order as this list.
 */
enum lc_err {
    LC_OK = 0,
    /* decode_error: the bytes do not parse */
    LC_E_DECODE,                 /* a field or length is out of range, or the message is cut short */
    LC_E_TRAILING,               /* bytes left after the end of a structure */
    LC_E_EMPTY_RECORD,           /* a record that may not be empty is */
    /* illegal_parameter: it parses, but a value is wrong */
    LC_E_ILLEGAL_PARAMETER,
    LC_E_DUPLICATE_EXTENSION,
    LC_E_EXTENSION_NOT_ALLOWED,  /* a known extension in a message that may not carry it */
    LC_E_BAD_KEY_SHARE,          /* a peer's public value fails validation */
    LC_E_DOWNGRADE,              /* a downgrade sentinel in ServerHello.random */
    LC_E_PSK_NOT_LAST,           /* pre_shared_key is not the last extension */
    /* unexpected_message */
    LC_E_UNEXPECTED_MESSAGE,
    LC_E_UNEXPECTED_RECORD,
    /* record layer */
    LC_E_BAD_RECORD_MAC,         /* every deprotection failure (RFC 8446 5.2) */
    LC_E_RECORD_OVERFLOW,
    /* negotiation */
    LC_E_HANDSHAKE_FAILURE,
    LC_E_NO_COMMON_SUITE,
    LC_E_NO_COMMON_GROUP,
    LC_E_NO_COMMON_SIGNATURE,
    LC_E_PROTOCOL_VERSION,
    LC_E_MISSING_EXTENSION,
    LC_E_UNSOLICITED_EXTENSION,  /* a response carries an extension we did not offer */
    LC_E_NO_APPLICATION_PROTOCOL,
    LC_E_UNRECOGNIZED_NAME,
    LC_E_INSUFFICIENT_SECURITY,
    /* authentication */
    LC_E_BAD_SIGNATURE,          /* decrypt_error */
    LC_E_BAD_FINISHED,           /* decrypt_error */
    LC_E_BAD_BINDER,             /* decrypt_error */
    LC_E_BAD_CERTIFICATE,
    LC_E_UNSUPPORTED_CERTIFICATE,
    LC_E_CERT_EXPIRED,
    LC_E_CERT_NOT_YET_VALID,
    LC_E_CERT_UNKNOWN_CA,
    LC_E_CERT_NAME,              /* the server name is not among the certificate's names */
    LC_E_CERT_USAGE,             /* key usage or extended key usage forbids this use */
    LC_E_CERT_REQUIRED,
    LC_E_UNKNOWN_PSK_IDENTITY,
    LC_E_ACCESS_DENIED,
    /* our own faults: internal_error */
    LC_E_INTERNAL,
    LC_E_NO_MEMORY,
    LC_E_CRYPTO,                 /* a libcrypto call failed */
    LC_E_BUFFER_TOO_SMALL,       /* an encoder's output did not fit */
    LC_E_BAD_ARGUMENT,           /* an API was called wrongly */
    LC_E_CONFIG,                 /* a certificate, key or setting could not be loaded */
    /* the connection's own ends */
    LC_E_PEER_ALERT,             /* the peer sent a fatal alert; never answered */
    LC_E_CLOSED,                 /* the connection is closed (close_notify or error) */
    LC_E_USER_CANCELED,
    LC_E_COUNT
};

/* The alert that an error code sends. */
uint8_t lc_err_alert(int code);

/* A short text for an error code ("duplicate extension"). */
const char *lc_err_text(int code);

/* The enum name for an error code ("LC_E_DUPLICATE_EXTENSION"), for tests and traces. */
const char *lc_err_name(int code);

/*
 * One failure, kept by whoever owns the operation (the connection). It is
 * sticky: the first failure is kept and later ones are ignored.
 */
#define LC_ERROR_MSG_MAX 256

typedef struct lc_error {
    int code;        /* LC_OK while nothing failed */
    uint8_t alert;   /* the alert sent, or received when from_peer */
    bool from_peer;  /* the peer sent this alert: we do not answer it */
    char msg[LC_ERROR_MSG_MAX];
} lc_error;

/*
 * Records a failure (if none is recorded yet) with one line of context, and
 * returns code so a caller can write `return lc_fail(e, LC_E_X, "...")`.
 * The message reads "<text>: <context>".
 */
int lc_fail(lc_error *e, int code, const char *fmt, ...) LC_PRINTF(3, 4);
int lc_vfail(lc_error *e, int code, const char *fmt, va_list ap) LC_PRINTF(3, 0);

/* Records that the peer sent a fatal alert. Returns LC_E_PEER_ALERT. */
int lc_fail_peer_alert(lc_error *e, uint8_t alert);

#endif
