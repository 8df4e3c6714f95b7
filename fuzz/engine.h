/*
 * Shared by fuzz_server.c and fuzz_client.c: feed a peer's bytes to a
 * connection in input-chosen chunks and check what RFC 8446 and lucid.h
 * promise whatever the bytes: errors are sticky (lucid.h: "the first one is
 * kept and later calls return it again"), a failed connection reports
 * LUCID_CLOSED, takes no more input and no application data, and pending
 * output is always drainable.
 */
#ifndef LC_FUZZ_ENGINE_H
#define LC_FUZZ_ENGINE_H

#include "fuzz.h"
#include "lucid/lucid.h"

/* Sends everything pending (into nowhere) and reads all plaintext. */
static inline void fuzz_drain(lucid_conn *c)
{
    const uint8_t *out;
    size_t n;
    while ((n = lucid_conn_pending(c, &out)) > 0) {
        FUZZ_CHECK(out != NULL);
        lucid_conn_consume(c, n);
    }
    uint8_t buf[4096];
    while (lucid_conn_read(c, buf, sizeof(buf)) > 0) {
    }
}

/* The properties of a failed connection; rc is what lucid_conn_feed returned. */
static inline void fuzz_check_failed(lucid_conn *c, int rc)
{
    static const uint8_t more[] = {0x16, 0x03, 0x03, 0x00, 0x01, 0x00};
    const lucid_error *e = lucid_conn_error(c);
    FUZZ_CHECK(e != NULL && e->code == rc);
    FUZZ_CHECK(e->message[0] != '\0');
    FUZZ_CHECK(lucid_conn_state(c) & LUCID_CLOSED);
    FUZZ_CHECK(!(lucid_conn_state(c) & LUCID_CAN_WRITE));
    fuzz_drain(c);
    /* Never accepts more: later input returns the same error and changes nothing. */
    FUZZ_CHECK(lucid_conn_feed(c, more, sizeof(more)) == rc);
    FUZZ_CHECK(lucid_conn_error(c)->code == rc);
    FUZZ_CHECK(lucid_conn_write(c, more, sizeof(more)) == -1);
    FUZZ_CHECK(lucid_conn_state(c) & LUCID_CLOSED);
    uint8_t buf[16];
    FUZZ_CHECK(lucid_conn_read(c, buf, sizeof(buf)) <= 0);
}

/* Feeds data[0..size) to c in chunks chosen by k; returns when done or failed. */
static inline void fuzz_feed_stream(lucid_conn *c, uint8_t k, const uint8_t *data, size_t size)
{
    struct fuzz_chunker ch;
    fuzz_chunk_init(&ch, k, size);
    while (size > 0) {
        size_t n = fuzz_chunk_next(&ch, size);
        int rc = lucid_conn_feed(c, data, n);
        if (rc != 0) {
            fuzz_check_failed(c, rc);
            return;
        }
        data += n;
        size -= n;
        fuzz_drain(c);
        unsigned st = lucid_conn_state(c);
        if (st & LUCID_CAN_WRITE) {
            static const uint8_t reply[] = "HTTP/1.1 200 OK\r\n\r\n";
            FUZZ_CHECK(lucid_conn_write(c, reply, sizeof(reply) - 1) ==
                       (long)(sizeof(reply) - 1));
            (void)lucid_conn_version(c);
            (void)lucid_conn_alpn(c);
            (void)lucid_conn_server_name(c);
            fuzz_drain(c);
        }
        if (st & LUCID_CLOSED) {
            /* closed by close_notify (code 0) or an error reported by the feed above */
            FUZZ_CHECK(lucid_conn_error(c)->code == 0);
            return;
        }
    }
}

#endif
