/*
 * psk_key_exchange_modes (RFC 8446 4.2.9; CH only).
 *
 * The modes in which the client will use a PSK: psk_ke (PSK alone) and
 * psk_dhe_ke (PSK with (EC)DHE).
 */
#ifndef LC_MSG_EXT_PSK_KEY_EXCHANGE_MODES_H
#define LC_MSG_EXT_PSK_KEY_EXCHANGE_MODES_H

#include "msg/ext/ext.h"

/* PskKeyExchangeMode (RFC 8446 4.2.9). */
enum lc_psk_mode {
    LC_PSK_KE = 0,
    LC_PSK_DHE_KE = 1,
};

/* ke_modes<1..255> of one byte each: at most 255, so every mode fits and none is dropped. */
#define LC_EXT_PSK_MODES_MAX 255

typedef struct lc_ext_psk_key_exchange_modes {
    size_t count;
    uint8_t mode[LC_EXT_PSK_MODES_MAX]; /* as sent, unknown values included */
} lc_ext_psk_key_exchange_modes;

/* Decodes PskKeyExchangeMode ke_modes<1..255>; empty, bad length or trailing: decode_error. */
LC_MUST_CHECK int lc_ext_psk_key_exchange_modes_decode(lc_reader *r,
                                                       lc_ext_psk_key_exchange_modes *out);

/* Writes the list; an empty list or count > 255 is LC_E_BAD_ARGUMENT. */
LC_MUST_CHECK int lc_ext_psk_key_exchange_modes_encode(lc_writer *w,
                                                       const lc_ext_psk_key_exchange_modes *in);

/* True if the list holds this mode. */
bool lc_ext_psk_key_exchange_modes_has(const lc_ext_psk_key_exchange_modes *m, uint8_t mode);

#endif
