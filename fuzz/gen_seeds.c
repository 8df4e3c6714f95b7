/*
 * Writes the generated part of the seed corpora (fuzz/README.md):
 *   gen_seeds OUTDIR          (run from tests/, where the RFC 8448 loader looks)
 * - three handshakes between a lucid client and a lucid server in memory,
 *   made with the contexts of fuzz_client.c / fuzz_server.c (peers.h), so each
 *   target's seed replays to the end of the handshake: a full one, one with a
 *   client certificate, and a resumed one with early data. OUTDIR/server/
 *   gets the client's bytes, OUTDIR/client/ the server's, each behind the
 *   byte that picks the target's variant; their hellos seed the message
 *   targets;
 * - records protected under fuzz_record.c's fixed key (OUTDIR/record/);
 * - every handshake message of the RFC 8448 traces, by type.
 */
#include <errno.h>
#include <sys/stat.h>

#include "crypto/crypto.h"
#include "fuzz.h"
#include "lucid/lucid.h"
#include "peers.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/server_hello.h"
#include "record/record.h"
#include "support/rfc8448.h"

#define CERTS "vectors/certs/"

static const char *outdir;

static void put(const char *target, const char *name, uint8_t pre0, int npre, uint8_t pre1,
                const uint8_t *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", outdir, target);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
    snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    if (npre > 0) {
        fputc(pre0, f);
    }
    if (npre > 1) {
        fputc(pre1, f);
    }
    fwrite(p, 1, n, f);
    fclose(f);
}

/* One handshake message (header included): a seed for the target that decodes its type. */
static void put_msg(const char *src, const uint8_t *m, size_t n)
{
    static int seq;
    char name[128];
    snprintf(name, sizeof(name), "%s_%s_%d", src, lc_msg_type_name(m[0]), seq++);
    static lc_client_hello ch;
    static lc_server_hello sh;
    static lc_encrypted_extensions ee;
    static uint8_t ext[1 << 16];
    lc_reader r;
    lc_writer w;
    lc_reader_init(&r, m + 4, n - 4);
    lc_writer_init(&w, ext, sizeof(ext));
    switch (m[0]) {
    case LC_MT_CLIENT_HELLO:
        put("client_hello", name, 0, 0, 0, m + 4, n - 4);
        if (lc_client_hello_decode(&r, &ch) == 0) {
            lc_ext_list_encode(&w, &ch.extensions);
            put("extensions", name, 0, 1, 0, ext, w.len);
        }
        break;
    case LC_MT_SERVER_HELLO:
        put("server_hello", name, 0, 0, 0, m + 4, n - 4);
        if (lc_server_hello_decode(&r, &sh) == 0) {
            lc_ext_list_encode(&w, &sh.extensions);
            put("extensions", name, sh.is_hrr ? 2 : 1, 1, 0, ext, w.len);
        }
        break;
    case LC_MT_CERTIFICATE:
        put("certificate", name, 0, 0, 0, m + 4, n - 4);
        break;
    case LC_MT_ENCRYPTED_EXTENSIONS:
        put("handshake_msgs", name, 0, 0, 0, m, n);
        if (lc_encrypted_extensions_decode(&r, &ee) == 0) {
            lc_ext_list_encode(&w, &ee.extensions);
            put("extensions", name, 3, 1, 0, ext, w.len);
        }
        break;
    default:
        put("handshake_msgs", name, 0, 0, 0, m, n);
    }
}

static void rfc8448_seeds(void)
{
    rfc8448_load();
    for (int s = 3; s <= 7; s++) {
        for (size_t i = 0; i < rfc8448_count(s); i++) {
            const struct rfc8448_step *st = rfc8448_step(s, i);
            for (size_t j = 0; j < st->nfields; j++) {
                const uint8_t *d = st->field[j].data;
                size_t n = st->field[j].len;
                /* A field that is exactly one handshake message of a known type. */
                if (n >= 4 && lc_msg_type_name(d[0]) != NULL &&
                    ((size_t)d[1] << 16 | (size_t)d[2] << 8 | d[3]) == n - 4) {
                    char src[32];
                    snprintf(src, sizeof(src), "rfc8448_s%d", s);
                    put_msg(src, d, n);
                }
            }
        }
    }
}

/* The hellos are in the plaintext record at the start of each stream. */
static void put_hello(const struct fuzz_stream *st)
{
    const uint8_t *p = st->buf;
    if (st->len > 5 && p[0] == LC_CT_HANDSHAKE) {
        size_t rlen = (size_t)p[3] << 8 | p[4];
        put_msg("lucid", p + 5, rlen);
    }
}

static void check_replay(int client_auth, const uint8_t *session, size_t session_len,
                         const struct fuzz_stream *cs, const struct fuzz_stream *ss);

/*
 * One recorded handshake, then a GET and close_notify from the client:
 * server/NAME gets the client's bytes, client/NAME the server's, each behind
 * the first byte the target expects (peers.h: which server, which client).
 */
static void record(const char *name, lucid_ctx *sctx, uint8_t server_variant, lucid_ctx *cctx,
                   const uint8_t *session, size_t session_len, struct fuzz_rng *srng,
                   struct fuzz_rng *crng)
{
    static struct fuzz_stream cs, ss;
    cs.len = ss.len = 0;
    srng->state = FUZZ_SERVER_RNG;
    crng->state = FUZZ_CLIENT_RNG;
    lucid_conn *s = lucid_conn_new(sctx, NULL);
    lucid_conn *c = fuzz_client_conn(cctx, session, session_len);
    FUZZ_CHECK(s != NULL);
    fuzz_handshake(c, &cs, s, &ss);
    static const uint8_t get[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    FUZZ_CHECK(lucid_conn_write(c, get, sizeof(get) - 1) > 0);
    lucid_conn_close(c);
    fuzz_move(c, &cs, s);
    char file[64];
    snprintf(file, sizeof(file), "lucid_client_%s", name);
    put("server", file, server_variant, 1, 0, cs.buf, cs.len);
    snprintf(file, sizeof(file), "lucid_server_%s", name);
    put("client", file, session_len > 0 ? FUZZ_VARIANT : 0, 1, 0, ss.buf, ss.len);
    put_hello(&cs);
    put_hello(&ss);
    lucid_conn_free(c);
    lucid_conn_free(s);
    check_replay(server_variant != 0, session, session_len, &cs, &ss);
}

/* Feeds a whole recorded stream to c; returns the plaintext it yields (early data included). */
static size_t replay(lucid_conn *c, const struct fuzz_stream *st, uint8_t *plain, size_t cap)
{
    size_t got = 0;
    if (lucid_conn_feed(c, st->buf, st->len) != 0) {
        fprintf(stderr, "gen_seeds: a recording does not replay: %s\n",
                lucid_conn_error(c)->message);
        exit(1);
    }
    for (long n; got < cap && (n = lucid_conn_read(c, plain + got, cap - got)) > 0;) {
        got += (size_t)n;
    }
    return got;
}

/*
 * Checks that a recording replays as the targets will run it: in fresh contexts (as a new
 * fuzzing process has), from the fixed randomness, the server reads the client's GET and
 * the client completes its handshake.
 */
static void check_replay(int client_auth, const uint8_t *session, size_t session_len,
                         const struct fuzz_stream *cs, const struct fuzz_stream *ss)
{
    static struct fuzz_rng srng, crng;
    uint8_t plain[1024];
    lucid_ctx *sctx = fuzz_server_ctx(&srng, client_auth, CERTS);
    lucid_ctx *cctx = fuzz_client_ctx(&crng, CERTS);

    srng.state = FUZZ_SERVER_RNG;
    lucid_conn *s = lucid_conn_new(sctx, NULL);
    size_t n = replay(s, cs, plain, sizeof(plain));
    FUZZ_CHECK(lucid_conn_state(s) & LUCID_CAN_WRITE);
    static const char tail[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    FUZZ_CHECK(n >= sizeof(tail) - 1 && memcmp(plain + n - (sizeof(tail) - 1), tail,
                                                sizeof(tail) - 1) == 0);
    FUZZ_CHECK(session_len == 0 || lucid_conn_resumed(s));
    lucid_conn_free(s);

    crng.state = FUZZ_CLIENT_RNG;
    lucid_conn *c = fuzz_client_conn(cctx, session, session_len);
    const uint8_t *out;
    while ((n = lucid_conn_pending(c, &out)) > 0) {
        lucid_conn_consume(c, n);
    }
    replay(c, ss, plain, sizeof(plain));
    FUZZ_CHECK(lucid_conn_state(c) & LUCID_CAN_WRITE);
    lucid_conn_free(c);
    lucid_ctx_free(cctx);
    lucid_ctx_free(sctx);
}

static void handshake_seeds(void)
{
    static struct fuzz_rng crng, srng;
    static uint8_t session[4096];
    lucid_ctx *sctx = fuzz_server_ctx(&srng, 0, CERTS);
    lucid_ctx *auth = fuzz_server_ctx(&srng, 1, CERTS);
    lucid_ctx *cctx = fuzz_client_ctx(&crng, CERTS);

    record("full", sctx, 0, cctx, NULL, 0, &srng, &crng);
    record("client_cert", auth, FUZZ_VARIANT, cctx, NULL, 0, &srng, &crng);
    /* The session fuzz_client.c offers: the same full handshake, made the same way. */
    size_t n = fuzz_first_session(sctx, &srng, cctx, &crng, session, sizeof(session));
    record("resumed_early_data", sctx, 0, cctx, session, n, &srng, &crng);
    lucid_ctx_free(cctx);
    lucid_ctx_free(auth);
    lucid_ctx_free(sctx);
}

static void record_seeds(void)
{
    lc_crypto *cr = lc_crypto_new();
    uint8_t key[LC_AEAD_KEY_MAX], iv[LC_AEAD_NONCE_LEN];
    memset(key, 0x11, sizeof(key));
    memset(iv, 0x22, sizeof(iv));
    lc_rec_dir d;
    lc_rec_dir_init(&d, true);
    FUZZ_CHECK(lc_rec_dir_set_key(&d, cr, LC_AES_128_GCM, key, iv) == 0);
    static uint8_t wire[4096];
    size_t at = 0, n;
    /* A plaintext handshake record, then protected handshake, alert and data records. */
    static const uint8_t hs[] = {0x16, 0x03, 0x01, 0x00, 0x04, 0x14, 0x00, 0x00, 0x00};
    memcpy(wire, hs, sizeof(hs));
    at += sizeof(hs);
    static const struct { uint8_t type; size_t len, pad; } recs[] = {
        {LC_CT_HANDSHAKE, 36, 0}, {LC_CT_APPLICATION_DATA, 100, 12}, {LC_CT_ALERT, 2, 0}};
    for (size_t i = 0; i < 3; i++) {
        memset(wire + at + LC_REC_HEADER_LEN, 0x41 + (int)i, recs[i].len);
        FUZZ_CHECK(lc_rec_protect(&d, recs[i].type, recs[i].len, recs[i].pad, wire + at,
                                  sizeof(wire) - at, &n) == 0);
        at += n;
    }
    put("record", "aes128gcm_records", 0, 2, 0, wire, at);
    put("record", "aes128gcm_records_split", 0, 2, 3, wire, at);
    lc_rec_dir_free(&d);
    lc_crypto_free(cr);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_seeds OUTDIR (run in tests/)\n");
        return 2;
    }
    outdir = argv[1];
    handshake_seeds();
    record_seeds();
    rfc8448_seeds();
    return 0;
}
