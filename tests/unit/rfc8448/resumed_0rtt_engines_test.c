/*
 * RFC 8448 section 4, "Resumed 0-RTT Handshake", through the client and the
 * server state machines (not the codecs and key schedule alone, as
 * resumed_0rtt_test.c does): real lucid_conn engines, fed the other side's
 * records from the trace, must write the trace's own records, byte for byte.
 *
 * Client. A Lucid client makes section 3's full handshake (the server's records
 * from the trace; its own ClientHello, Finished, data and alert must come out as
 * the trace has them), keeps the NewSessionTicket, and with that session (the
 * blob of lucid_conn_get_session) resumes in section 4: its ClientHello with the
 * PSK binder, its 0-RTT data "ABCDEF", then EndOfEarlyData, Finished, data and
 * close_notify must be the trace's records.
 *
 * Server. A Lucid server is fed section 4's client records: it must accept the
 * ticket and its binder, accept the 0-RTT data and hand it over as early data,
 * and answer with the trace's ServerHello and EncryptedExtensions + Finished
 * records, then read EndOfEarlyData, Finished and data, and close as the trace.
 *
 * What is injected, as the trace's inputs: the randoms (lucid_ctx_set_random),
 * the x25519 private keys and the clock (6 ms of ticket age: the trace's
 * obfuscated_ticket_age less its ticket_age_add) through the context's test
 * hooks (config.h); the server's ticket, which NSS sealed, through the
 * ticket-opening hook, with the state section 3 gave it. And the extensions the
 * trace's NSS peers send that Lucid does not make itself (renegotiation_info,
 * session_ticket, record_size_limit, padding in the ClientHello;
 * supported_groups and record_size_limit in EncryptedExtensions): the extension
 * hook lays each message out in the trace's order, taking every extension Lucid
 * made from Lucid, and only the others from the trace.
 */
#include "test.h"

#include <lucid/lucid.h>

#include "conn/conn.h"
#include "handshake/ticket.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/ext/early_data.h"
#include "msg/new_session_ticket.h"
#include "rfc8448.h"

/* ---- the trace's values ---------------------------------------------------------------- */

static const uint8_t *field(int section, const char *step, int nth, const char *name,
                            size_t *len)
{
    return rfc8448_get(section, step, nth, name, len);
}

/* The nth "complete record" that side sends in a section. */
static const uint8_t *record(int section, const char *side_step, int nth, size_t *len)
{
    return field(section, side_step, nth, "complete record", len);
}

/* ---- hooks ----------------------------------------------------------------------------- */

/* Randomness: the bytes given, in order. */
struct stream {
    const uint8_t *p;
    size_t left;
};

static int random_from(void *arg, uint8_t *buf, size_t n)
{
    struct stream *s = arg;

    CHECK(n <= s->left);
    if (n > s->left) {
        return -1;
    }
    memcpy(buf, s->p, n);
    s->p += n;
    s->left -= n;
    return 0;
}

/* The x25519 private key of our key share. */
static int kex_from(void *arg, uint16_t group, uint8_t *priv, size_t cap, size_t *len)
{
    const struct stream *key = arg;

    CHECK(group == 0x001d && key->left <= cap);
    memcpy(priv, key->p, key->left);
    *len = key->left;
    return 0;
}

static uint64_t clock_of(void *arg)
{
    return *(const uint64_t *)arg;
}

/*
 * The layout of a message of the trace: its extensions in the trace's order,
 * Lucid's own where Lucid made one of that type, the trace's where not. A
 * type Lucid made that the trace lacks stays, at the end, and the records then
 * differ: the test fails, as it should.
 */
struct layout {
    uint8_t msg_type;
    lc_ext_list trace;
};

static void lay_out(void *arg, uint8_t msg_type, lc_ext_list *list)
{
    const struct layout *l = arg;
    lc_ext_list out = { 0 };
    bool used[LC_EXT_LIST_MAX] = { false };

    if (msg_type != l->msg_type) {
        return;
    }
    for (size_t t = 0; t < l->trace.count; t++) {
        const lc_ext *e = &l->trace.ext[t];

        if (e->type == LC_EXT_PRE_SHARED_KEY) {
            continue; /* Lucid adds it last, itself */
        }
        out.ext[out.count] = *e;
        for (size_t i = 0; i < list->count; i++) {
            if (list->ext[i].type == e->type) {
                out.ext[out.count] = list->ext[i];
                used[i] = true;
            }
        }
        out.count++;
    }
    for (size_t i = 0; i < list->count; i++) {
        if (!used[i]) {
            out.ext[out.count++] = list->ext[i];
        }
    }
    *list = out;
}

/* The extensions of a trace message (after its 4-byte header). */
static void trace_extensions(int section, const char *step, const char *name, uint8_t type,
                             struct layout *l)
{
    size_t len;
    const uint8_t *msg = field(section, step, 0, name, &len);
    lc_reader r;

    l->msg_type = type;
    lc_reader_init(&r, msg + 4, len - 4);
    if (type == LC_MT_CLIENT_HELLO) {
        static lc_client_hello ch;
        CHECK_OK(lc_client_hello_decode(&r, &ch));
        l->trace = ch.extensions;
    } else {
        lc_encrypted_extensions ee;
        CHECK_OK(lc_encrypted_extensions_decode(&r, &ee));
        l->trace = ee.extensions;
    }
}

/* ---- moving records -------------------------------------------------------------------- */

/* What c has to send must be exactly the concatenation of the trace records given. */
static void expect_out(lucid_conn *c, const uint8_t *const *recs, const size_t *lens, size_t n)
{
    uint8_t want[4096];
    size_t wantlen = 0, got;
    const uint8_t *out;

    for (size_t i = 0; i < n; i++) {
        memcpy(want + wantlen, recs[i], lens[i]);
        wantlen += lens[i];
    }
    got = lucid_conn_pending(c, &out);
    CHECK_MEM(out, got, want, wantlen);
    lucid_conn_consume(c, got);
}

static void expect_one(lucid_conn *c, const uint8_t *rec, size_t len)
{
    expect_out(c, &rec, &len, 1);
}

static void feed(lucid_conn *c, const uint8_t *rec, size_t len)
{
    CHECK_OK(lucid_conn_feed(c, rec, len));
}

/* ---- the client ------------------------------------------------------------------------ */

static uint64_t client_now = 1548000000000ull;
static struct stream client_random, client_key;
static struct layout client_layout;

/* The NSS client's preferences, as its ClientHellos list them. */
static lucid_ctx *nss_like_client(int section)
{
    static const uint16_t groups[] = { 0x001d, 0x0017, 0x0018, 0x0019, 0x0100,
                                       0x0101, 0x0102, 0x0103, 0x0104 };
    static const uint16_t schemes[] = { 0x0403, 0x0503, 0x0603, 0x0203, 0x0804,
                                        0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
                                        0x0201, 0x0402, 0x0502, 0x0602, 0x0202 };
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_CLIENT, &err);
    size_t len;
    /* the whole ClientHello is the first record's payload (section 4's "construct" step
     * shows it truncated before its binders) */
    const uint8_t *ch = field(section, "{client} send handshake record", 0, "payload", &len);

    CHECK(ctx != NULL);
    CHECK_OK(lucid_ctx_set_ciphers(ctx, "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:"
                                        "TLS_AES_256_GCM_SHA384", &err));
    CHECK_OK(lucid_ctx_set_early_data(ctx, 1, &err));
    /* the trace's certificate is self-signed: its signature is still checked */
    lucid_ctx_set_verify(ctx, 0);
    lucid_ctx_set_time(ctx, clock_of, &client_now);
    /* groups and schemes Lucid lists but does not implement are only listed */
    ctx->cfg.groups.count = LC_ARRAY_LEN(groups);
    memcpy(ctx->cfg.groups.id, groups, sizeof(groups));
    ctx->cfg.schemes.count = LC_ARRAY_LEN(schemes);
    memcpy(ctx->cfg.schemes.id, schemes, sizeof(schemes));
    ctx->cfg.no_compat_mode = true;
    /* ClientHello.random, bytes 6 to 38 of the message */
    client_random = (struct stream){ ch + 6, 32 };
    lucid_ctx_set_random(ctx, random_from, &client_random);
    client_key.p = field(section, "{client} create an ephemeral x25519", 0, "private key",
                         &client_key.left);
    ctx->cfg.kex_private = kex_from;
    ctx->cfg.kex_private_arg = &client_key;
    trace_extensions(section, "{client} send handshake record", "payload", LC_MT_CLIENT_HELLO,
                     &client_layout);
    ctx->cfg.ext_hook = lay_out;
    ctx->cfg.ext_hook_arg = &client_layout;
    return ctx;
}

/* Application data both ways and close_notify, as the trace's last records. */
static void client_data_and_close(lucid_conn *c, int section)
{
    size_t plen, len;
    const uint8_t *payload = field(section, "{client} send application_data", 0, "payload", &plen);
    const uint8_t *rec;
    uint8_t buf[128];

    CHECK(lucid_conn_write(c, payload, plen) == (long)plen);
    rec = record(section, "{client} send application_data", 0, &len);
    expect_one(c, rec, len);
    payload = field(section, "{server} send application_data", 0, "payload", &plen);
    rec = record(section, "{server} send application_data", 0, &len);
    feed(c, rec, len);
    CHECK_MEM(buf, (size_t)lucid_conn_read(c, buf, sizeof(buf)), payload, plen);
    lucid_conn_close(c);
    rec = record(section, "{client} send alert", 0, &len);
    expect_one(c, rec, len);
    rec = record(section, "{server} send alert", 0, &len);
    feed(c, rec, len);
    CHECK(lucid_conn_error(c)->code == 0);
}

/* Section 3 as the client: returns the session blob (malloc'd) and its length. */
static uint8_t *client_section3(size_t *bloblen)
{
    lucid_ctx *ctx = nss_like_client(3);
    lucid_conn *c = lucid_conn_new(ctx, "server");
    size_t len;
    const uint8_t *rec;
    uint8_t *blob;

    rec = record(3, "{client} send handshake record", 0, &len);
    expect_one(c, rec, len);
    rec = record(3, "{server} send handshake record", 0, &len);
    feed(c, rec, len);
    rec = record(3, "{server} send handshake record", 1, &len);
    feed(c, rec, len);
    CHECK(lucid_conn_state(c) & LUCID_CAN_WRITE);
    rec = record(3, "{client} send handshake record", 1, &len);
    expect_one(c, rec, len);
    /* the NewSessionTicket: kept as the session */
    rec = record(3, "{server} send handshake record", 2, &len);
    feed(c, rec, len);
    *bloblen = lucid_conn_get_session(c, NULL, 0);
    CHECK(*bloblen > 0);
    blob = malloc(*bloblen);
    CHECK(lucid_conn_get_session(c, blob, *bloblen) == *bloblen);
    client_data_and_close(c, 3);
    lucid_conn_free(c);
    lucid_ctx_free(ctx);
    return blob;
}

static void test_client(void)
{
    size_t bloblen, len[2];
    uint8_t *blob = client_section3(&bloblen);
    lucid_ctx *ctx = nss_like_client(4);
    lucid_conn *c = lucid_conn_new(ctx, "server");
    const uint8_t *rec[2], *early;
    size_t earlylen;
    lucid_error err;

    /* 6 ms later: the obfuscated_ticket_age of the trace less its ticket_age_add */
    client_now += 6;
    CHECK_OK(lucid_conn_set_session(c, blob, bloblen, &err));
    early = field(4, "{client} send application_data", 0, "payload", &earlylen);
    CHECK(lucid_conn_write_early(c, early, earlylen) == (long)earlylen);
    /* the first flight: ClientHello with the PSK binder, then the 0-RTT data */
    rec[0] = record(4, "{client} send handshake record", 0, &len[0]);
    rec[1] = field(4, "{client} send application_data", 0, "complete record", &len[1]);
    expect_out(c, rec, len, 2);
    rec[0] = record(4, "{server} send handshake record", 0, &len[0]);
    feed(c, rec[0], len[0]);
    rec[0] = record(4, "{server} send handshake record", 1, &len[0]);
    feed(c, rec[0], len[0]);
    CHECK(lucid_conn_resumed(c) && lucid_conn_early_data(c) == LUCID_EARLY_ACCEPTED);
    /* EndOfEarlyData under the early key, then Finished under the handshake key */
    rec[0] = record(4, "{client} send handshake record", 1, &len[0]);
    rec[1] = record(4, "{client} send handshake record", 2, &len[1]);
    expect_out(c, rec, len, 2);
    /* section 4's data is the second application_data step of each side */
    size_t plen, rlen;
    const uint8_t *payload = field(4, "{client} send application_data", 1, "payload", &plen);
    const uint8_t *r = record(4, "{client} send application_data", 1, &rlen);
    uint8_t buf[128];
    CHECK(lucid_conn_write(c, payload, plen) == (long)plen);
    expect_one(c, r, rlen);
    payload = field(4, "{server} send application_data", 0, "payload", &plen);
    r = record(4, "{server} send application_data", 0, &rlen);
    feed(c, r, rlen);
    CHECK_MEM(buf, (size_t)lucid_conn_read(c, buf, sizeof(buf)), payload, plen);
    lucid_conn_close(c);
    r = record(4, "{client} send alert", 0, &rlen);
    expect_one(c, r, rlen);
    r = record(4, "{server} send alert", 0, &rlen);
    feed(c, r, rlen);
    CHECK(lucid_conn_error(c)->code == 0);
    lucid_conn_free(c);
    lucid_ctx_free(ctx);
    free(blob);
}

/* ---- the server ------------------------------------------------------------------------ */

static uint64_t server_now = 1548000000000ull;
static struct stream server_random, server_key;
static struct layout server_layout;
static lc_ticket_state section3_state;

/* Stands in for our ticket opener: the trace's ticket holds section 3's state. */
static int open_trace_ticket(void *arg, const uint8_t *ticket, size_t len, lc_ticket_state *out)
{
    size_t nstlen;
    const uint8_t *nst = field(3, "{server} construct a NewSessionTicket", 0, "NewSessionTicket",
                               &nstlen);
    lc_new_session_ticket t;
    lc_reader r;

    (void)arg;
    lc_reader_init(&r, nst + 4, nstlen - 4);
    if (lc_new_session_ticket_decode(&r, &t) != 0 || len != t.ticket_len ||
        memcmp(ticket, t.ticket, len) != 0) {
        return LC_E_UNKNOWN_PSK_IDENTITY;
    }
    *out = section3_state;
    return 0;
}

/* What the section 3 server would have sealed: its suite, the PSK, the NST's values. */
static void section3_ticket_state(void)
{
    size_t nstlen, rlen;
    const uint8_t *nst = field(3, "{server} construct a NewSessionTicket", 0, "NewSessionTicket",
                               &nstlen);
    const uint8_t *psk = field(3, "{server} generate resumption secret", 0, "expanded", &rlen);
    lc_new_session_ticket t;
    lc_reader r;

    lc_reader_init(&r, nst + 4, nstlen - 4);
    CHECK_OK(lc_new_session_ticket_decode(&r, &t));
    memset(&section3_state, 0, sizeof(section3_state));
    section3_state.suite = 0x1301;
    section3_state.issued_ms = server_now;
    section3_state.lifetime = t.ticket_lifetime;
    section3_state.age_add = t.ticket_age_add;
    CHECK(t.extensions.count == 1 && t.extensions.ext[0].type == LC_EXT_EARLY_DATA);
    lc_reader_init(&r, t.extensions.ext[0].body, t.extensions.ext[0].len);
    CHECK_OK(lc_ext_early_data_nst_decode(&r, &section3_state.max_early_data));
    memcpy(section3_state.psk.b, psk, rlen);
    section3_state.psk.len = rlen;
    snprintf(section3_state.server_name, sizeof(section3_state.server_name), "server");
}

static lucid_ctx *nss_like_server(void)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_SERVER, &err);
    size_t len;
    const uint8_t *sh = field(4, "{server} construct a ServerHello", 0, "ServerHello", &len);

    CHECK(ctx != NULL);
    section3_ticket_state();
    lucid_ctx_set_time(ctx, clock_of, &server_now);
    CHECK_OK(lucid_ctx_set_early_data(ctx, section3_state.max_early_data, &err));
    lucid_ctx_set_tickets(ctx, 0); /* section 4's server sends none */
    server_random = (struct stream){ sh + 6, 32 };
    lucid_ctx_set_random(ctx, random_from, &server_random);
    server_key.p = field(4, "{server} create an ephemeral x25519", 0, "private key",
                         &server_key.left);
    ctx->cfg.kex_private = kex_from;
    ctx->cfg.kex_private_arg = &server_key;
    ctx->cfg.ticket_open = open_trace_ticket;
    trace_extensions(4, "{server} construct an EncryptedExtensions", "EncryptedExtensions",
                     LC_MT_ENCRYPTED_EXTENSIONS, &server_layout);
    ctx->cfg.ext_hook = lay_out;
    ctx->cfg.ext_hook_arg = &server_layout;
    return ctx;
}

static void test_server(void)
{
    lucid_ctx *ctx = nss_like_server();
    lucid_conn *s = lucid_conn_new(ctx, NULL);
    const uint8_t *rec[2], *payload;
    size_t len[2], plen;
    uint8_t buf[128];

    server_now += 6; /* the age the client claims */
    rec[0] = record(4, "{client} send handshake record", 0, &len[0]);
    feed(s, rec[0], len[0]);
    rec[0] = field(4, "{client} send application_data", 0, "complete record", &len[0]);
    feed(s, rec[0], len[0]);
    /* ServerHello; EncryptedExtensions (early_data) and Finished: no certificate */
    rec[0] = record(4, "{server} send handshake record", 0, &len[0]);
    rec[1] = record(4, "{server} send handshake record", 1, &len[1]);
    expect_out(s, rec, len, 2);
    CHECK(lucid_conn_early_data(s) == LUCID_EARLY_ACCEPTED);
    /* the 0-RTT data, before the handshake is done, marked as early */
    payload = field(4, "{client} send application_data", 0, "payload", &plen);
    CHECK(lucid_conn_in_early_data(s) == 1);
    CHECK_MEM(buf, (size_t)lucid_conn_read(s, buf, sizeof(buf)), payload, plen);
    CHECK(!(lucid_conn_state(s) & LUCID_CAN_WRITE));
    /* EndOfEarlyData, then Finished */
    rec[0] = record(4, "{client} send handshake record", 1, &len[0]);
    feed(s, rec[0], len[0]);
    rec[0] = record(4, "{client} send handshake record", 2, &len[0]);
    feed(s, rec[0], len[0]);
    CHECK(lucid_conn_state(s) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_resumed(s));
    rec[0] = record(4, "{client} send application_data", 1, &len[0]);
    payload = field(4, "{client} send application_data", 1, "payload", &plen);
    feed(s, rec[0], len[0]);
    CHECK_MEM(buf, (size_t)lucid_conn_read(s, buf, sizeof(buf)), payload, plen);
    CHECK(lucid_conn_in_early_data(s) == 0);
    payload = field(4, "{server} send application_data", 0, "payload", &plen);
    CHECK(lucid_conn_write(s, payload, plen) == (long)plen);
    rec[0] = record(4, "{server} send application_data", 0, &len[0]);
    expect_one(s, rec[0], len[0]);
    rec[0] = record(4, "{client} send alert", 0, &len[0]);
    feed(s, rec[0], len[0]);
    lucid_conn_close(s);
    rec[0] = record(4, "{server} send alert", 0, &len[0]);
    expect_one(s, rec[0], len[0]);
    CHECK(lucid_conn_error(s)->code == 0);
    lucid_conn_free(s);
    lucid_ctx_free(ctx);
}

/* A binder one bit off: the server refuses with decrypt_error, before any 0-RTT data. */
static void test_server_tampered_binder(void)
{
    lucid_ctx *ctx = nss_like_server();
    lucid_conn *s = lucid_conn_new(ctx, NULL);
    size_t len;
    const uint8_t *rec = record(4, "{client} send handshake record", 0, &len);
    uint8_t *copy = malloc(len);

    server_now += 6;
    memcpy(copy, rec, len);
    copy[len - 1] ^= 0x80;
    lucid_conn_feed(s, copy, len);
    CHECK_RC(lucid_conn_error(s)->code, LC_E_BAD_BINDER);
    CHECK(lucid_conn_error(s)->alert == LC_ALERT_DECRYPT_ERROR);
    free(copy);
    lucid_conn_free(s);
    lucid_ctx_free(ctx);
}

TEST_MAIN(test_client, test_server, test_server_tampered_binder)
