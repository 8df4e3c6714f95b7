/*
 * A client's sessions (session.h): copying, freeing and the serialised blob.
 * Every byte of a blob is read through lc_reader, as any wire bytes are: a
 * session file is input, and may have been damaged or written by someone else.
 */
#include "handshake/session.h"

#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/crypto.h"

static const uint8_t magic[4] = { 'L', 'C', 'S', '1' };

void lc_session_free(lc_session *s)
{
    if (s == NULL) {
        return;
    }
    if (s->ticket != NULL) {
        lc_wipe(s->ticket, s->ticket_len);
        free(s->ticket);
    }
    lc_wipe(s, sizeof(*s));
    free(s);
}

lc_session *lc_session_dup(const lc_session *s)
{
    lc_session *d = malloc(sizeof(*d));

    if (d == NULL) {
        return NULL;
    }
    *d = *s;
    d->ticket = malloc(s->ticket_len);
    if (d->ticket == NULL) {
        d->ticket_len = 0;
        lc_session_free(d);
        return NULL;
    }
    memcpy(d->ticket, s->ticket, s->ticket_len);
    return d;
}

size_t lc_session_encode(const lc_session *s, uint8_t *buf, size_t cap)
{
    size_t need = sizeof(magic) + 2 + 8 + 4 + 4 + 4 + 1 + s->psk.len + 1 +
                  strlen(s->server_name) + 1 + strlen(s->alpn) + 2 + s->ticket_len;
    lc_writer w;

    if (buf == NULL || cap < need) {
        return need;
    }
    lc_writer_init(&w, buf, cap);
    lc_write_bytes(&w, magic, sizeof(magic));
    lc_write_u16(&w, s->suite);
    lc_write_u32(&w, (uint32_t)(s->received_ms >> 32));
    lc_write_u32(&w, (uint32_t)s->received_ms);
    lc_write_u32(&w, s->lifetime);
    lc_write_u32(&w, s->age_add);
    lc_write_u32(&w, s->max_early_data);
    lc_write_vec(&w, 1, s->psk.b, s->psk.len);
    lc_write_vec(&w, 1, s->server_name, strlen(s->server_name));
    lc_write_vec(&w, 1, s->alpn, strlen(s->alpn));
    lc_write_vec(&w, 2, s->ticket, s->ticket_len);
    return lc_writer_finish(&w) == 0 ? w.len : need;
}

static int decode(lc_reader *r, lc_session *s)
{
    uint8_t got[sizeof(magic)];
    uint32_t hi, lo;
    lc_reader v;
    int rc;

    if ((rc = lc_read_copy(r, got, sizeof(got))) != 0) {
        return rc;
    }
    if (memcmp(got, magic, sizeof(magic)) != 0) {
        return LC_E_DECODE;
    }
    if ((rc = lc_read_u16(r, &s->suite)) != 0 || (rc = lc_read_u32(r, &hi)) != 0 ||
        (rc = lc_read_u32(r, &lo)) != 0 || (rc = lc_read_u32(r, &s->lifetime)) != 0 ||
        (rc = lc_read_u32(r, &s->age_add)) != 0 ||
        (rc = lc_read_u32(r, &s->max_early_data)) != 0) {
        return rc;
    }
    s->received_ms = (uint64_t)hi << 32 | lo;
    /* a PSK is as long as its hash: SHA-256 or SHA-384 */
    if ((rc = lc_read_vec(r, 1, 32, LC_SECRET_MAX, &v)) != 0) {
        return rc;
    }
    s->psk.len = v.left;
    memcpy(s->psk.b, v.p, v.left);
    if ((rc = lc_read_name8(r, s->server_name, sizeof(s->server_name))) != 0 ||
        (rc = lc_read_name8(r, s->alpn, sizeof(s->alpn))) != 0) {
        return rc;
    }
    if ((rc = lc_read_vec(r, 2, 1, LC_SESSION_TICKET_MAX, &v)) != 0) {
        return rc;
    }
    if ((s->ticket = malloc(v.left)) == NULL) {
        return LC_E_NO_MEMORY;
    }
    s->ticket_len = v.left;
    memcpy(s->ticket, v.p, v.left);
    return lc_reader_done(r);
}

int lc_session_decode(const uint8_t *blob, size_t len, lc_session **out)
{
    lc_session *s = calloc(1, sizeof(*s));
    lc_reader r;
    int rc;

    *out = NULL;
    if (s == NULL) {
        return LC_E_NO_MEMORY;
    }
    lc_reader_init(&r, blob, len);
    if ((rc = decode(&r, s)) != 0) {
        lc_session_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

bool lc_session_fresh(const lc_session *s, uint64_t now_ms)
{
    /* RFC 8446 4.2.11.1: no ticket older than its ticket_lifetime is used; nor one
     * from the future (a clock set back): its age would be a lie */
    return now_ms >= s->received_ms && now_ms - s->received_ms < (uint64_t)s->lifetime * 1000;
}
