/*
 * Deframing: cutting TLS records out of a byte stream (RFC 8446 5.1, 5.2).
 *
 * The peer's bytes come in chunks of any size, a byte at a time included, and
 * a record's boundaries have nothing to do with the chunks'. lc_rec_in
 * gathers the bytes of one record until it is whole, then hands it to the
 * connection, which unprotects and parses it where it lies.
 *
 * IMPLEMENTATION NOTES
 *
 * One record at a time. The deframer never takes bytes past the end of the
 * record it is building: lc_rec_in_feed() reports how many bytes it used and
 * the connection offers the rest again after it has consumed the record. So
 * the buffer never holds more than one record (5 + 2^14 + 256 bytes), and the
 * bytes of the next record are never copied before the keys that will read it
 * are installed (a ServerHello and the first encrypted record often come in
 * one chunk).
 *
 * Header first, inline. The 5 header bytes are gathered into the struct
 * itself, and checked the moment the fifth arrives: a bad type, version or
 * length fails before the body is awaited, let alone buffered (RFC 8446 5.2:
 * an over-long record is record_overflow whatever follows it). A peer that
 * has sent only part of a header costs no heap at all.
 *
 * The body buffer. Once a header says a body follows, a buffer of
 * LC_REC_CIPHERTEXT_MAX bytes is made, unless one is already there; it is
 * always that size, so it is never grown or moved. Consuming a record wipes
 * its bytes (unprotect leaves plaintext there, STYLE 3.5) but keeps the
 * buffer, so a burst of records costs one allocation. When the connection
 * goes back to waiting, lc_rec_in_trim() frees the buffer if no partial
 * record is in it (STYLE 3.7: an idle connection holds no record buffer, as
 * nginx frees an idle connection's buffer in ngx_http_wait_request_handler).
 * This is why the body is not an lc_buf (src/base/buf.h), which frees itself
 * the moment it empties, that is after every record.
 *
 * Views, not copies. A record is handed out as pointers into this buffer; the
 * body is writable so that AEAD opens it in place, and decoded handshake
 * messages borrow from it until lc_rec_in_consume(). A protected record
 * (outer type application_data) that arrives whole in one chunk is not even
 * copied in: lc_rec_in_feed_from() leaves its body in the caller's bytes and
 * the connection opens it from there into the buffer (lc_rec_unprotect_from),
 * so the ciphertext is read once and the plaintext written once.
 *
 * Errors are sticky: after the first one the deframer takes nothing more and
 * returns it again, since nothing after a fatal alert is processed.
 */
#include "record/record.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/bytes.h"
#include "base/error.h"

void lc_rec_in_init(lc_rec_in *in, bool initial_client_hello)
{
    memset(in, 0, sizeof(*in));
    in->initial = initial_client_hello;
}

/*
 * legacy_record_version (RFC 8446 5.1). The field "MUST be ignored for all
 * purposes", yet it is the cheapest sign that the bytes are TLS at all, and
 * 5.1 and 5.2 fix its value: 0x0303 on every record except an initial
 * ClientHello, which "MAY also be 0x0301". On the initial ClientHello we
 * accept any 0x03XX: clients in the wild send 0x0301 (the RFC's own
 * SHOULD), 0x0300 or 0x0303 there, and the version is really negotiated by
 * supported_versions (4.2.1) and checked in the handshake, which answers a
 * client we cannot serve with the right protocol_version alert. Being strict
 * here would only turn those clients away earlier and with less to say. Once
 * that ClientHello is in, TLS 1.3 has been offered and 0x0303 is the only
 * value 5.1 allows; anything else (a TLS 1.0 server's ServerHello record, say)
 * is a protocol_version failure.
 */
static int check_version(const lc_rec_in *in, uint16_t version)
{
    if ((version >> 8) != 0x03) {
        return LC_E_PROTOCOL_VERSION;
    }
    if (!in->initial && version != LC_REC_VERSION) {
        return LC_E_PROTOCOL_VERSION;
    }
    return 0;
}

/* The checks that a header alone allows (RFC 8446 5.1, 5.2, 5.4). */
static int check_header(lc_rec_in *in)
{
    lc_reader r;
    uint8_t type;
    uint16_t version, length;
    int rc;

    lc_reader_init(&r, in->header, LC_REC_HEADER_LEN);
    if ((rc = lc_read_u8(&r, &type)) != 0 || (rc = lc_read_u16(&r, &version)) != 0 ||
        (rc = lc_read_u16(&r, &length)) != 0) {
        return rc;
    }
    /* RFC 8446 5: an unexpected record type is unexpected_message. */
    if (type < LC_CT_CHANGE_CIPHER_SPEC || type > LC_CT_APPLICATION_DATA) {
        return LC_E_UNEXPECTED_RECORD;
    }
    /*
     * Only a handshake record can carry the initial ClientHello; once another
     * type arrives that ClientHello is over, and so is the version leniency.
     */
    if (type != LC_CT_HANDSHAKE) {
        in->initial = false;
    }
    if ((rc = check_version(in, version)) != 0) {
        return rc;
    }
    /*
     * RFC 8446 5.2: TLSCiphertext.length is at most 2^14 + 256. In TLS 1.3
     * every protected record has the outer type application_data, so the other
     * three types are TLSPlaintext, held to 2^14 by 5.1.
     */
    if (length > LC_REC_CIPHERTEXT_MAX ||
        (type != LC_CT_APPLICATION_DATA && length > LC_REC_PLAINTEXT_MAX)) {
        return LC_E_RECORD_OVERFLOW;
    }
    /*
     * RFC 8446 5.1: zero-length handshake fragments are never sent, and 5.4
     * answers an empty handshake record with unexpected_message. An alert
     * record holds exactly one 2-byte alert (5.1), so an empty one cannot be
     * decoded: decode_error. An empty change_cipher_spec is left to the
     * connection, which checks its one byte (5), and an empty application_data
     * record may be legal cover traffic, or is refused by unprotect.
     */
    if (length == 0 && type == LC_CT_HANDSHAKE) {
        return LC_E_UNEXPECTED_MESSAGE;
    }
    if (length == 0 && type == LC_CT_ALERT) {
        return LC_E_EMPTY_RECORD;
    }
    in->body_want = length;
    return 0;
}

static bool whole(const lc_rec_in *in)
{
    return in->header_len == LC_REC_HEADER_LEN && in->body_len == in->body_want;
}

/* lc_rec_in_feed, or with src lc_rec_in_feed_from: see record.h. */
static int feed(lc_rec_in *in, const uint8_t *data, size_t len, size_t *used,
                const uint8_t **src)
{
    size_t n = 0;

    *used = 0;
    if (src != NULL) {
        *src = NULL;
    }
    if (in->err != 0) {
        return in->err;
    }
    if (len == 0) {
        return 0;
    }
    /* The header, up to 5 bytes, into the struct; checked when complete. */
    if (in->header_len < LC_REC_HEADER_LEN) {
        size_t take = LC_REC_HEADER_LEN - in->header_len;

        if (take > len) {
            take = len;
        }
        memcpy(in->header + in->header_len, data, take);
        in->header_len += take;
        n += take;
        if (in->header_len < LC_REC_HEADER_LEN) {
            *used = n;
            return 0;
        }
        if ((in->err = check_header(in)) != 0) {
            *used = n;
            return in->err;
        }
    }
    /* The body, into the buffer, made now if it is not there. */
    if (in->body_len < in->body_want) {
        size_t take = in->body_want - in->body_len;

        if (take > len - n) {
            take = len - n;
        }
        if (take > 0 && in->body == NULL) {
            in->body = malloc(LC_REC_CIPHERTEXT_MAX);
            if (in->body == NULL) {
                *used = n;
                return in->err = LC_E_NO_MEMORY;
            }
        }
        if (src != NULL && take > 0 && in->body_len == 0 && take == in->body_want &&
            in->header[0] == LC_CT_APPLICATION_DATA) {
            /* The whole body is in the caller's bytes: left there, opened from there. */
            *src = data + n;
        } else if (take > 0) {
            memcpy(in->body + in->body_len, data + n, take);
        }
        in->body_len += take;
        n += take;
    }
    *used = n;
    return 0;
}

int lc_rec_in_feed(lc_rec_in *in, const uint8_t *data, size_t len, size_t *used)
{
    return feed(in, data, len, used, NULL);
}

int lc_rec_in_feed_from(lc_rec_in *in, const uint8_t *data, size_t len, size_t *used,
                        const uint8_t **src)
{
    return feed(in, data, len, used, src);
}

bool lc_rec_in_record(lc_rec_in *in, lc_record *rec)
{
    if (in->err != 0 || !whole(in)) {
        return false;
    }
    rec->type = in->header[0];
    rec->legacy_record_version = (uint16_t)(in->header[1] << 8 | in->header[2]);
    rec->header = in->header;
    /* An empty body has no buffer behind it; point past the header rather than at NULL. */
    rec->fragment = in->body != NULL ? in->body : in->header + LC_REC_HEADER_LEN;
    rec->len = in->body_len;
    return true;
}

void lc_rec_in_consume(lc_rec_in *in)
{
    if (!whole(in)) {
        return;
    }
    /*
     * STYLE 3.5: the body may hold plaintext now; the buffer itself stays for the next
     * record. Exactly the record's bytes, at memset's speed (lc_wipe_bytes, buf.h): this
     * runs once per record, on up to 2^14 bytes.
     */
    lc_wipe_bytes(in->body, in->body_len);
    in->header_len = 0;
    in->body_len = 0;
    in->body_want = 0;
}

void lc_rec_in_initial_done(lc_rec_in *in)
{
    in->initial = false;
}

bool lc_rec_in_empty(const lc_rec_in *in)
{
    return in->header_len == 0 && in->body_len == 0;
}

void lc_rec_in_trim(lc_rec_in *in)
{
    /* Only between records: a partial body must stay, and the buffer is wiped on consume. */
    if (in->body_len == 0 && in->body != NULL) {
        free(in->body);
        in->body = NULL;
    }
}

void lc_rec_in_free(lc_rec_in *in)
{
    if (in->body != NULL) {
        lc_wipe_bytes(in->body, in->body_len);
        free(in->body);
    }
    lc_wipe(in->header, sizeof(in->header));
    in->body = NULL;
    in->header_len = 0;
    in->body_len = 0;
    in->body_want = 0;
}
