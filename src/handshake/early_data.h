/*
 * 0-RTT data (RFC 8446 2.3, 4.2.10, 4.5, 8).
 *
 * Client. With a session whose ticket allows early data (max_early_data_size > 0), a
 * context that allows it, and the session's ALPN among the context's, the first
 * lucid_conn_write_early() starts the handshake with early_data in the ClientHello;
 * the data goes right after it, protected with keys from client_early_traffic_secret
 * (7.1, 7.3), up to the ticket's max_early_data_size. The server answers in
 * EncryptedExtensions: early_data there means accepted (then, after the server's
 * Finished, EndOfEarlyData ends it under the same key, 4.5); its absence, or a
 * HelloRetryRequest, or a full handshake, means rejected, and the application may send
 * the data again once the handshake is done (4.2.10: the library never resends it itself).
 *
 * Server. 0-RTT is accepted only when every rule holds, checked in this order and traced
 * with the first that fails: the context allows it; the client chose the first PSK, a
 * ticket that allows it; no HelloRetryRequest; the suite and ALPN are the ticket's
 * (4.2.10); the ticket's age as the client tells it is within LC_EARLY_AGE_WINDOW_MS of
 * the time since we issued it (8.3); and the ClientHello is not a replay (replay.h, 8.2).
 * Accepted data is read with the early keys until EndOfEarlyData, handed to the
 * application marked as early (lucid_conn_in_early_data), and counted against the
 * ticket's max_early_data_size (4.6.1: more is unexpected_message). Rejected data is
 * skipped (4.2.10), which the connection does.
 */
#ifndef LC_HANDSHAKE_EARLY_DATA_H
#define LC_HANDSHAKE_EARLY_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "base/secret.h"
#include "msg/ext/ext.h"

/*
 * The freshness window of RFC 8446 8.3: a ClientHello whose ticket age is off
 * by more than this from ours is too old (or too new) for 0-RTT. Ten seconds,
 * the order the RFC gives for clients on the Internet.
 */
#define LC_EARLY_AGE_WINDOW_MS 10000u

enum lc_early_state {
    LC_EARLY_NONE,     /* no 0-RTT offered */
    LC_EARLY_OFFERED,  /* offered; the server has not answered yet */
    LC_EARLY_ACCEPTED,
    LC_EARLY_REJECTED,
};

/* One connection's 0-RTT state, in lc_hs. */
typedef struct lc_early {
    enum lc_early_state state;
    uint32_t max;        /* the ticket's max_early_data_size */
    uint64_t bytes;      /* 0-RTT application data sent (client) or received (server) */
    lc_secret secret;    /* client_early_traffic_secret, wiped with EndOfEarlyData */
    const char *why;     /* why it was rejected (static text) */
} lc_early;

struct lc_hs;

/*
 * Client: whether the offered session allows 0-RTT with this context (the reason
 * in *why when not). Called before the ClientHello is made.
 */
bool lc_early_client_possible(const struct lc_hs *hs, const char **why);

/*
 * Client, after the ClientHello with early_data went out: derives
 * client_early_traffic_secret over the ClientHello, logs it
 * (CLIENT_EARLY_TRAFFIC_SECRET) and installs its key for writing.
 */
LC_MUST_CHECK int lc_early_client_start(struct lc_hs *hs);

/* Client: how many of len bytes the ticket still takes as 0-RTT data (0 when none). */
size_t lc_early_client_room(const struct lc_hs *hs, size_t len);

/*
 * Client, on EncryptedExtensions (ee, its extensions): early_data there is
 * acceptance (only after we offered it, with the first PSK chosen and the
 * session's suite and ALPN: illegal_parameter otherwise, 4.2.10, 4.2.11); its
 * absence is rejection.
 */
LC_MUST_CHECK int lc_early_client_on_encrypted_extensions(struct lc_hs *hs,
                                                          const lc_ext_list *ee);

/*
 * Client, on a HelloRetryRequest: offered 0-RTT data is rejected (4.2.10), and
 * the write direction goes back to plaintext for ClientHello2.
 */
void lc_early_client_on_retry(struct lc_hs *hs);

/* Client, after the server's Finished: EndOfEarlyData, if accepted (4.5). */
LC_MUST_CHECK int lc_early_client_end(struct lc_hs *hs);

/*
 * Server, once the suite, group and ALPN are chosen: accepts or rejects the
 * 0-RTT data the first ClientHello offered (psk.c marks it offered), by the
 * rules above, and sets what the record layer does with it.
 */
LC_MUST_CHECK int lc_early_server_decide(struct lc_hs *hs);

/* Server: the EndOfEarlyData handler (4.5): handshake keys for reading from here on. */
int lc_early_server_on_end(struct lc_hs *hs, const uint8_t *raw, size_t rawlen);

/*
 * Server: len more bytes of 0-RTT data arrived; unexpected_message past the
 * ticket's max_early_data_size (4.6.1).
 */
LC_MUST_CHECK int lc_early_server_received(struct lc_hs *hs, size_t len);

#endif
