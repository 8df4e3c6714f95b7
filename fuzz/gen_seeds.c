/*
 * Writes the generated part of the seed corpora (fuzz/README.md):
 *   gen_seeds OUTDIR          (run from tests/, where the RFC 8448 loader looks)
 * - a whole handshake between a lucid client and a lucid server in memory,
 *   with the same fixed randomness as fuzz_client.c / fuzz_server.c, so each
 *   target's seed replays to the end of the handshake: OUTDIR/server/ gets
 *   the client's bytes, OUTDIR/client/ the server's, each behind a chunking
 *   byte of 0; their handshake messages seed the message targets;
 * - records protected under fuzz_record.c's fixed key (OUTDIR/record/);
 * - every handshake message of the RFC 8448 traces, by type.
 */
#include <errno.h>
#include <sys/stat.h>

#include "crypto/crypto.h"
#include "fuzz.h"
#include "lucid/lucid.h"
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

/* Appends everything c has pending to the stream s and hands it to peer. */
struct stream {
    uint8_t buf[1 << 16];
    size_t len;
};

static void move(lucid_conn *c, struct stream *s, lucid_conn *peer)
{
    const uint8_t *out;
    size_t n;
    while ((n = lucid_conn_pending(c, &out)) > 0) {
        FUZZ_CHECK(s->len + n <= sizeof(s->buf));
        memcpy(s->buf + s->len, out, n);
        s->len += n;
        FUZZ_CHECK(lucid_conn_feed(peer, out, n) == 0);
        lucid_conn_consume(c, n);
    }
}

static void handshake_seeds(void)
{
    static struct fuzz_rng crng, srng;
    static struct stream cs, ss;
    lucid_error err;
    lucid_ctx *sctx = lucid_ctx_new(LUCID_SERVER, &err);
    lucid_ctx *cctx = lucid_ctx_new(LUCID_CLIENT, &err);
    FUZZ_CHECK(sctx && cctx);
    FUZZ_CHECK(lucid_ctx_add_cert(sctx, CERTS "ed25519_chain.pem", CERTS "ed25519_key.pem",
                                  &err) == 0);
    FUZZ_CHECK(lucid_ctx_add_cert(sctx, CERTS "ecdsa_chain.pem", CERTS "ecdsa_key.pem", &err) ==
               0);
    FUZZ_CHECK(lucid_ctx_add_cert(sctx, CERTS "rsa_chain.pem", CERTS "rsa_key.pem", &err) == 0);
    FUZZ_CHECK(lucid_ctx_set_alpn(sctx, "h2,http/1.1", &err) == 0);
    FUZZ_CHECK(lucid_ctx_set_ca_file(cctx, CERTS "ca_cert.pem", &err) == 0);
    FUZZ_CHECK(lucid_ctx_set_alpn(cctx, "h2,http/1.1", &err) == 0);
    lucid_ctx_set_random(sctx, fuzz_random, &srng);
    lucid_ctx_set_random(cctx, fuzz_random, &crng);
    srng.state = 0x5e4e4;  /* fuzz_server.c */
    crng.state = 0xc11e47; /* fuzz_client.c */
    lucid_conn *s = lucid_conn_new(sctx, NULL);
    lucid_conn *c = lucid_conn_new(cctx, "localhost");
    for (int round = 0; round < 8; round++) {
        move(c, &cs, s);
        move(s, &ss, c);
    }
    FUZZ_CHECK(lucid_conn_state(c) & LUCID_CAN_WRITE);
    FUZZ_CHECK(lucid_conn_state(s) & LUCID_CAN_WRITE);
    static const uint8_t get[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    FUZZ_CHECK(lucid_conn_write(c, get, sizeof(get) - 1) > 0);
    lucid_conn_close(c);
    move(c, &cs, s);
    put("server", "lucid_client_stream", 0, 1, 0, cs.buf, cs.len);
    put("client", "lucid_server_flight", 0, 1, 0, ss.buf, ss.len);
    /* The plaintext records at the start of each stream carry the hellos. */
    const struct stream *both[] = {&cs, &ss};
    for (int i = 0; i < 2; i++) {
        const uint8_t *p = both[i]->buf;
        if (p[0] == LC_CT_HANDSHAKE) {
            size_t rlen = (size_t)p[3] << 8 | p[4];
            put_msg("lucid", p + 5, rlen);
        }
    }
    lucid_conn_free(c);
    lucid_conn_free(s);
    lucid_ctx_free(cctx);
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
