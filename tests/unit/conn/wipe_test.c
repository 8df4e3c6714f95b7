/*
 * Secrets are wiped when a connection is freed (issue 8; DESIGN.md "Secrets are wiped";
 * STYLE 3.5).
 *
 * A client and a server engine run a handshake in memory for each cipher suite, exchange
 * data both ways, update their keys (RFC 8446 4.6.3) and close. Every secret of the
 * connection is collected on the way: the traffic secrets from the key log (the public
 * lucid_ctx_set_keylog), the updated ones derived from them (7.2), the key schedule's
 * Handshake and Master Secrets read from the engine as it moves, and the traffic key and IV
 * of each secret (7.3). Then nothing of them may be found:
 *
 *  - in the connection's own memory, read between lc_conn_release() and free(): the hook
 *    that is lucid_conn_free() less its last free(), so the test reads the struct exactly
 *    as lucid_conn_free() leaves it, without reading freed memory;
 *  - in any block libcrypto freed while the connections lived (AEAD, HMAC, hash and key
 *    exchange contexts), as the block was when libcrypto let go of it: libcrypto's
 *    allocations come through CRYPTO_set_mem_functions() here, and freed blocks are kept
 *    aside, unreleased, until the end of the test;
 *  - in any libcrypto block still allocated after both connections and contexts are freed.
 *
 * Controls, so that a scan that finds nothing means something: while the connections are
 * alive the same scans must find their current traffic secrets in the structs and their
 * record keys in libcrypto's memory, and a block freed on purpose with a secret in it must
 * be found.
 *
 * What this cannot see: memory Lucid takes from malloc() itself (record buffers, handshake
 * flights), which holds messages and plaintext, never secrets or keys, and is wiped by
 * lc_buf_free() and lc_rec_in_free() (src/base/buf.c, src/record/deframe.c).
 */
#include "test.h"

#include <stdbool.h>

#include <openssl/crypto.h>

#include <lucid/lucid.h>

#include "base/error.h"
#include "conn/conn.h"
#include "handshake/key_schedule.h"

#define CERTS "vectors/certs/"
#define MAX_WATCH 256

/* ---- libcrypto's allocations, tracked ------------------------------------------------ */

/* Each libcrypto block has this header in front; live and freed blocks are listed. */
struct blk {
    struct blk *next, *prev;
    size_t n;
    const char *file; /* where libcrypto freed it (or allocated it, while live) */
    int line;
    int freed;
    uint64_t pad_; /* keeps the payload 16-byte aligned, as malloc's is */
};

static struct blk live = { &live, &live, 0, NULL, 0, 0, 0 };
static struct blk graveyard = { &graveyard, &graveyard, 0, NULL, 0, 0, 0 };
static bool tracking;

static void link_blk(struct blk *head, struct blk *b)
{
    b->next = head->next;
    b->prev = head;
    head->next->prev = b;
    head->next = b;
}

static void unlink_blk(struct blk *b)
{
    b->prev->next = b->next;
    b->next->prev = b->prev;
}

static void *track_malloc(size_t n, const char *file, int line)
{
    struct blk *b = malloc(sizeof(*b) + (n > 0 ? n : 1));

    if (b == NULL) {
        return NULL;
    }
    b->n = n;
    b->file = file;
    b->line = line;
    b->freed = 0;
    link_blk(&live, b);
    return b + 1;
}

/* A freed block keeps its bytes as libcrypto left them, for the scan at the end. */
static void track_free(void *p, const char *file, int line)
{
    struct blk *b;

    if (p == NULL) {
        return;
    }
    b = (struct blk *)p - 1;
    unlink_blk(b);
    b->file = file;
    b->line = line;
    b->freed = 1;
    link_blk(&graveyard, b);
}

/* A move leaves the old bytes behind, as realloc() would: the old block goes to the graveyard. */
static void *track_realloc(void *p, size_t n, const char *file, int line)
{
    void *q;

    if (p == NULL) {
        return track_malloc(n, file, line);
    }
    if (n == 0) {
        track_free(p, file, line);
        return NULL;
    }
    if ((q = track_malloc(n, file, line)) == NULL) {
        return NULL;
    }
    memcpy(q, p, ((struct blk *)p - 1)->n < n ? ((struct blk *)p - 1)->n : n);
    track_free(p, file, line);
    return q;
}

static void release_graveyard(void)
{
    while (graveyard.next != &graveyard) {
        struct blk *b = graveyard.next;
        unlink_blk(b);
        free(b);
    }
}

/* ---- what must not be found ---------------------------------------------------------- */

struct watch {
    uint8_t b[LC_SECRET_MAX];
    size_t len;
    char what[48];
};

static struct watch watched[MAX_WATCH];
static size_t nwatched;

static void watch(const uint8_t *b, size_t len, const char *what)
{
    size_t nonzero = 0;

    for (size_t i = 0; i < len; i++) {
        nonzero += b[i] != 0;
    }
    /* a value is worth watching only if finding it by chance is out of the question */
    CHECK(len >= 12 && nonzero >= len / 2);
    if (len < 12 || nonzero < len / 2) {
        return;
    }
    for (size_t i = 0; i < nwatched; i++) {
        if (watched[i].len == len && memcmp(watched[i].b, b, len) == 0) {
            return;
        }
    }
    CHECK(nwatched < MAX_WATCH);
    if (nwatched == MAX_WATCH) {
        return;
    }
    memcpy(watched[nwatched].b, b, len);
    watched[nwatched].len = len;
    snprintf(watched[nwatched].what, sizeof(watched[nwatched].what), "%s", what);
    nwatched++;
}

static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t len)
{
    for (size_t i = 0; i + len <= n; i++) {
        if (hay[i] == needle[0] && memcmp(hay + i, needle, len) == 0) {
            return true;
        }
    }
    return false;
}

/* The same 4-byte words in the other byte order: how a portable AES key schedule holds a key. */
static void swap_words(const uint8_t *in, size_t len, uint8_t *out)
{
    for (size_t i = 0; i + 4 <= len; i += 4) {
        out[i] = in[i + 3];
        out[i + 1] = in[i + 2];
        out[i + 2] = in[i + 1];
        out[i + 3] = in[i];
    }
}

/* Does memory [p, p + n) hold w, as it is or word-swapped? */
static bool holds(const uint8_t *p, size_t n, const struct watch *w)
{
    uint8_t sw[LC_SECRET_MAX];

    if (contains(p, n, w->b, w->len)) {
        return true;
    }
    swap_words(w->b, w->len, sw);
    return w->len % 4 == 0 && contains(p, n, sw, w->len);
}

/* How many watched values [p, p + n) holds; each one found is printed when loud. */
static size_t scan(const uint8_t *p, size_t n, const char *where, bool loud)
{
    size_t found = 0;

    for (size_t i = 0; i < nwatched; i++) {
        if (holds(p, n, &watched[i])) {
            found++;
            if (loud) {
                printf("    %s still holds the %s\n", where, watched[i].what);
            }
        }
    }
    return found;
}

/* Scans a list of libcrypto blocks; returns how many blocks held some watched value. */
static size_t scan_blocks(struct blk *head, bool loud)
{
    size_t bad = 0;

    for (struct blk *b = head->next; b != head; b = b->next) {
        char where[160];
        snprintf(where, sizeof(where), "a libcrypto block of %zu bytes %s at %s:%d", b->n,
                 b->freed ? "freed" : "allocated", b->file != NULL ? b->file : "?", b->line);
        if (scan((const uint8_t *)(b + 1), b->n, where, loud) > 0) {
            bad++;
        }
    }
    return bad;
}

/* Is this particular value in some live libcrypto block? */
static bool in_live_blocks(const struct watch *w)
{
    for (struct blk *b = live.next; b != &live; b = b->next) {
        if (holds((const uint8_t *)(b + 1), b->n, w)) {
            return true;
        }
    }
    return false;
}

/* ---- the connections ----------------------------------------------------------------- */

struct side {
    const char *name;
    lucid_conn *conn;
};

/* Key log lines (NSS format, "LABEL client_random secret"): each secret is watched. */
static void on_keylog(void *arg, const char *line)
{
    const char *label_end = strchr(line, ' ');
    const char *secret = label_end != NULL ? strchr(label_end + 1, ' ') : NULL;
    uint8_t b[LC_SECRET_MAX];
    char what[48];
    size_t len;

    (void)arg;
    CHECK(secret != NULL);
    if (secret == NULL) {
        return;
    }
    len = test_hex(secret + 1, b, sizeof(b));
    snprintf(what, sizeof(what), "%.*s", (int)(label_end - line), line);
    watch(b, len, what);
}

/* The key and IV of a traffic secret (RFC 8446 7.3), watched with it. */
static void watch_keys(const lucid_conn *c, const lc_secret *s, const char *what)
{
    uint8_t key[LC_AEAD_KEY_MAX], iv[LC_AEAD_NONCE_LEN];
    char name[48];

    CHECK_OK(lc_ks_traffic_key(c->ctx->cfg.cr, c->hs.suite->hash, c->hs.suite->aead, s, key,
                               iv));
    snprintf(name, sizeof(name), "key of %s", what);
    watch(key, lc_aead_key_len(c->hs.suite->aead), name);
    snprintf(name, sizeof(name), "IV of %s", what);
    watch(iv, sizeof(iv), name);
    lc_wipe(key, sizeof(key));
    lc_wipe(iv, sizeof(iv));
}

/* The keys and IVs of every traffic secret the key log gave. */
static void watch_logged_keys(const lucid_conn *c)
{
    size_t n = nwatched;

    for (size_t i = 0; i < n; i++) {
        if (strstr(watched[i].what, "TRAFFIC_SECRET") != NULL) {
            lc_secret s = { .len = watched[i].len };
            char what[48];
            memcpy(s.b, watched[i].b, s.len);
            snprintf(what, sizeof(what), "%s", watched[i].what);
            watch_keys(c, &s, what);
            lc_wipe(&s, sizeof(s));
        }
    }
}

/* The key schedule's current secret (Early, Handshake, Master) as the engine moves. */
static void watch_schedule(const lucid_conn *c)
{
    if (c->hs.ks.secret.len > 0) {
        watch(c->hs.ks.secret.b, c->hs.ks.secret.len, "key schedule secret");
    }
}

static size_t move(lucid_conn *from, lucid_conn *to)
{
    const uint8_t *out;
    size_t n = lucid_conn_pending(from, &out);

    if (n > 0) {
        lucid_conn_feed(to, out, n);
        lucid_conn_consume(from, n);
    }
    watch_schedule(from);
    watch_schedule(to);
    return n;
}

static void pump(lucid_conn *c, lucid_conn *s)
{
    for (int i = 0; i < 100; i++) {
        if (move(c, s) + move(s, c) == 0) {
            return;
        }
    }
    CHECK(!"pump did not settle");
}

static void send_data(lucid_conn *from, lucid_conn *to, lucid_conn *c, lucid_conn *s)
{
    static const uint8_t data[] = "a request, and then a response";
    uint8_t got[sizeof(data)];

    CHECK(lucid_conn_write(from, data, sizeof(data)) == (long)sizeof(data));
    pump(c, s);
    CHECK(lucid_conn_read(to, got, sizeof(got)) == (long)sizeof(data));
    CHECK_MEM(got, sizeof(data), data, sizeof(data));
}

/* Reads the struct lucid_conn_free() would free, as it would free it. */
static void release_and_check(lucid_conn *c, const char *who)
{
    size_t size = sizeof(*c), nonzero = 0;
    uint8_t *mem = (uint8_t *)c;
    char where[64];

    lc_conn_release(c);
    snprintf(where, sizeof(where), "the %s's struct lucid_conn", who);
    CHECK(scan(mem, size, where, true) == 0);
    for (size_t i = 0; i < size; i++) {
        nonzero += mem[i] != 0;
    }
    /* lc_wipe() zeroes: nothing at all is left, not only no secret */
    CHECK(nonzero == 0);
    free(c);
}

static lucid_ctx *server_ctx(const char *suite)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_SERVER, &err);

    CHECK(ctx != NULL);
    CHECK_OK(lucid_ctx_add_cert(ctx, CERTS "ecdsa_chain.pem", CERTS "ecdsa_key.pem", &err));
    CHECK_OK(lucid_ctx_set_ciphers(ctx, suite, &err));
    lucid_ctx_set_keylog(ctx, on_keylog, NULL);
    return ctx;
}

static lucid_ctx *client_ctx(const char *suite)
{
    lucid_error err;
    lucid_ctx *ctx = lucid_ctx_new(LUCID_CLIENT, &err);

    CHECK(ctx != NULL);
    CHECK_OK(lucid_ctx_set_ca_file(ctx, CERTS "ca_cert.pem", &err));
    CHECK_OK(lucid_ctx_set_ciphers(ctx, suite, &err));
    lucid_ctx_set_keylog(ctx, on_keylog, NULL);
    return ctx;
}

/* ---- the tests ----------------------------------------------------------------------- */

/* First of all: libcrypto's allocations come here from now on (none may have been made yet). */
static void test_track_libcrypto(void)
{
    CHECK(CRYPTO_set_mem_functions(track_malloc, track_realloc, track_free) == 1);
    tracking = true;
}

/* The control for the graveyard: a block freed with a secret in it is found. */
static void test_scan_finds_a_freed_secret(void)
{
    static const uint8_t secret[32] = "0123456789abcdef-not-wiped-here";
    uint8_t *p;

    CHECK(tracking);
    nwatched = 0;
    watch(secret, sizeof(secret), "planted secret");
    p = OPENSSL_malloc(64);
    CHECK(p != NULL);
    memcpy(p + 7, secret, sizeof(secret));
    OPENSSL_free(p);
    CHECK(scan_blocks(&graveyard, false) == 1);
    /* and wiped before the free, it is not */
    p = OPENSSL_malloc(64);
    memcpy(p + 7, secret, sizeof(secret));
    release_graveyard();
    OPENSSL_clear_free(p, 64);
    CHECK(scan_blocks(&graveyard, false) == 0);
    release_graveyard();
    nwatched = 0;
}

static void run_suite(const char *suite)
{
    lucid_ctx *sctx = server_ctx(suite), *cctx = client_ctx(suite);
    lucid_conn *s = lucid_conn_new(sctx, NULL), *c = lucid_conn_new(cctx, "localhost");
    lc_secret c_ap, s_ap;
    size_t before;

    printf("  %s\n", suite);
    nwatched = 0;
    release_graveyard();
    CHECK(s != NULL && c != NULL);
    pump(c, s);
    CHECK(lucid_conn_state(c) & LUCID_CAN_WRITE);
    CHECK(lucid_conn_state(s) & LUCID_CAN_WRITE);
    /* the key log gave the handshake, application and exporter secrets of both sides */
    CHECK(nwatched >= 5);
    send_data(c, s, c, s);
    send_data(s, c, c, s);

    /* KeyUpdate both ways (4.6.3): the secrets _0 are replaced; their successors are watched */
    c_ap = c->hs.c_ap;
    s_ap = c->hs.s_ap;
    watch_logged_keys(c);
    CHECK_OK(lucid_conn_key_update(c, 1));
    pump(c, s);
    CHECK_OK(lc_ks_next_application_traffic_secret(c->ctx->cfg.cr, c->hs.suite->hash, &c_ap));
    CHECK_OK(lc_ks_next_application_traffic_secret(c->ctx->cfg.cr, c->hs.suite->hash, &s_ap));
    /* both sides moved on, and agree */
    CHECK_MEM(c->hs.c_ap.b, c->hs.c_ap.len, c_ap.b, c_ap.len);
    CHECK_MEM(s->hs.s_ap.b, s->hs.s_ap.len, s_ap.b, s_ap.len);
    watch(c_ap.b, c_ap.len, "CLIENT_TRAFFIC_SECRET_1");
    watch(s_ap.b, s_ap.len, "SERVER_TRAFFIC_SECRET_1");
    watch_keys(c, &c_ap, "CLIENT_TRAFFIC_SECRET_1");
    watch_keys(c, &s_ap, "SERVER_TRAFFIC_SECRET_1");
    send_data(c, s, c, s);
    send_data(s, c, c, s);
    lucid_conn_close(c);
    lucid_conn_close(s);
    pump(c, s);
    printf("    %zu secrets, keys and IVs watched\n", nwatched);

    /* Controls: alive, each struct holds its current secrets, libcrypto holds its keys. */
    CHECK(scan((const uint8_t *)c, sizeof(*c), "client", false) >= 2);
    CHECK(scan((const uint8_t *)s, sizeof(*s), "server", false) >= 2);
    for (size_t i = 0; i < nwatched; i++) {
        if (strstr(watched[i].what, "key of") != NULL &&
            strstr(watched[i].what, "SECRET_1") != NULL) {
            if (!in_live_blocks(&watched[i])) {
                printf("    control: the %s is not in libcrypto's live memory\n",
                       watched[i].what);
            }
            CHECK(in_live_blocks(&watched[i]));
        }
    }

    /* Freed: nothing left in the structs, in what libcrypto freed, in what it still holds. */
    release_and_check(s, "server");
    release_and_check(c, "client");
    before = scan_blocks(&graveyard, true);
    CHECK(before == 0);
    CHECK(scan_blocks(&live, true) == 0);
    lucid_ctx_free(sctx);
    lucid_ctx_free(cctx);
    CHECK(scan_blocks(&graveyard, true) == 0);
    CHECK(scan_blocks(&live, true) == 0);
    release_graveyard();
    lc_wipe(&c_ap, sizeof(c_ap));
    lc_wipe(&s_ap, sizeof(s_ap));
}

static void test_secrets_wiped_at_free(void)
{
    CHECK(tracking);
    run_suite("TLS_AES_128_GCM_SHA256");
    run_suite("TLS_AES_256_GCM_SHA384");
    run_suite("TLS_CHACHA20_POLY1305_SHA256");
}

/* A connection that fails mid-handshake is freed the same way. */
static void test_secrets_wiped_after_a_failure(void)
{
    lucid_ctx *sctx = server_ctx("TLS_AES_128_GCM_SHA256");
    lucid_ctx *cctx = client_ctx("TLS_AES_128_GCM_SHA256");
    lucid_conn *s = lucid_conn_new(sctx, NULL), *c = lucid_conn_new(cctx, "localhost");
    const uint8_t *out;
    size_t n;

    nwatched = 0;
    release_graveyard();
    /* ClientHello to the server, its flight back to the client, but a damaged Finished */
    move(c, s);
    move(s, c);
    n = lucid_conn_pending(c, &out);
    CHECK(n > 10);
    {
        uint8_t *bad = malloc(n);
        memcpy(bad, out, n);
        bad[n - 3] ^= 0x40;
        lucid_conn_feed(s, bad, n);
        free(bad);
        lucid_conn_consume(c, n);
    }
    CHECK(lucid_conn_error(s)->alert == LC_ALERT_BAD_RECORD_MAC);
    CHECK(nwatched >= 2);
    watch_logged_keys(s);
    release_and_check(s, "failed server");
    release_and_check(c, "client");
    CHECK(scan_blocks(&graveyard, true) == 0);
    lucid_ctx_free(sctx);
    lucid_ctx_free(cctx);
    CHECK(scan_blocks(&graveyard, true) == 0);
    CHECK(scan_blocks(&live, true) == 0);
    release_graveyard();
}

TEST_MAIN(test_track_libcrypto, test_scan_finds_a_freed_secret, test_secrets_wiped_at_free,
          test_secrets_wiped_after_a_failure)
