/*
 * RFC 8448 section 3, "Simple 1-RTT Handshake", replayed end to end
 * (replay.h): x25519, TLS_AES_128_GCM_SHA256, an RSA server certificate with
 * rsa_pss_rsae_sha256, a NewSessionTicket, application data and close_notify.
 * Every key schedule value, key, IV and Finished the trace lists is derived
 * by Lucid and compared, every record is written and read back by our record
 * layer, every message round-trips through its codec, and the server's
 * CertificateVerify verifies. Then each trace field is altered in turn and
 * the replay must notice.
 */
#include "replay.h"

static void test_replay(void)
{
    struct replay *r = rp_run(rp_crypto(), 3, NULL, false);

    CHECK(r->mismatches == 0);
    CHECK(r->n.records_in == 9 && r->n.signatures == 1);
    /* what section 4 resumes with: the PSK of the ticket */
    CHECK(r->session.valid && r->session.ticket_len > 0);
    rp_print(r);
    rp_free(r);
}

static void test_every_field_matters(void)
{
    rp_mutation_sweep(rp_crypto(), 3, NULL);
}

/*
 * The certificate of the trace holds the public half of section 2's RSA key:
 * a signature made with that private key verifies with the certificate's key.
 */
static void test_certificate_key_is_section_2(void)
{
    const lc_crypto *cr = rp_crypto();
    size_t nlen, elen, dlen, ctlen, siglen = 0;
    const uint8_t *n = rfc8448_get(2, "RSA private key", 0, "modulus (public)", &nlen);
    const uint8_t *e = rfc8448_get(2, "RSA private key", 0, "public exponent", &elen);
    const uint8_t *d = rfc8448_get(2, "RSA private key", 0, "private exponent", &dlen);
    const uint8_t *ct = rfc8448_get(3, "{server} construct a Certificate", 0, "Certificate",
                                    &ctlen);
    static const uint8_t msg[] = "RFC 8448 section 2";
    lc_certificate cert;
    lc_pkey *priv = NULL, *pub = NULL;
    uint8_t sig[LC_SIG_MAX];
    lc_reader rd;

    lc_reader_init(&rd, ct + LC_MSG_HEADER_LEN, ctlen - LC_MSG_HEADER_LEN);
    CHECK_OK(lc_certificate_decode(&rd, &cert));
    CHECK_OK(lc_pkey_from_cert_der(cr, cert.certificate_list[0].cert_data,
                                   cert.certificate_list[0].cert_data_len, &pub));
    CHECK_OK(lc_pkey_rsa_from_components(cr, n, nlen, e, elen, d, dlen, &priv));
    CHECK(pub != NULL && lc_pkey_type(pub) == LC_KEY_RSA && lc_pkey_bits(pub) == 1024);
    if (pub == NULL || priv == NULL) {
        lc_pkey_free(pub);
        lc_pkey_free(priv);
        return;
    }
    CHECK_OK(lc_sig_sign(cr, priv, LC_SIG_RSA_PSS_RSAE_SHA256, msg, sizeof(msg), sig, sizeof(sig),
                         &siglen));
    CHECK_OK(lc_sig_verify(cr, pub, LC_SIG_RSA_PSS_RSAE_SHA256, msg, sizeof(msg), sig, siglen));
    lc_pkey_free(pub);
    lc_pkey_free(priv);
}

TEST_MAIN(test_replay, test_every_field_matters, test_certificate_key_is_section_2)
