#!/usr/bin/env python3
"""Issue 3, item 1: openssl s_client completes a handshake and an HTTP exchange
for every suite x group x certificate type (3 x 5 x 3 = 45 cases) against one
lucid-server holding the ECDSA, RSA and Ed25519 certificates. Each case verifies
the chain against the test root (-verify_return_error, host name localhost) and
asserts the negotiated suite, group and signature scheme from s_client's output,
and that the response carries the file's content."""

import concurrent.futures
import itertools

import lucidtest as lt

SUITES = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
# (s_client -groups name, registry name)
GROUPS = [("X25519", "x25519"), ("P-256", "secp256r1"), ("P-384", "secp384r1"),
          ("ffdhe2048", "ffdhe2048"), ("ffdhe3072", "ffdhe3072")]
# (certificate, the only scheme the client offers)
CERTS = [("ecdsa", "ecdsa_secp256r1_sha256"), ("rsa", "rsa_pss_rsae_sha256"),
         ("ed25519", "ed25519")]


def test(t):
    srv = t.server()  # all three certificates for localhost
    body = t.file_bytes("hello.txt").decode()
    request = b"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"

    def one(case):
        suite, (ogroup, group), (cert, scheme) = case
        r = t.s_client(srv, ["-tls1_3", "-ciphersuites", suite, "-groups", ogroup,
                             "-sigalgs", scheme], request=request)
        return case, r

    cases = list(itertools.product(SUITES, GROUPS, CERTS))
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, cases))

    for (suite, (_, group), (cert, scheme)), r in results:
        out = r.out
        got = (lt.s_client_protocol(out), lt.s_client_suite(out), lt.s_client_group(out),
               lt.s_client_sigalg(out))
        want = ("TLSv1.3", suite, group, scheme)
        ok = (got == want and lt.s_client_verify_ok(out)
              and lt.http_status(r.stdout) == 200 and body in r.stdout)
        t.check(ok, "%s %s %s (%s): handshake, chain verified, negotiated %s, HTTP 200 + file"
                % (suite, group, cert, scheme, "/".join(str(x) for x in got)),
                "wanted %s, verify ok=%s, http status=%s, body present=%s\n%s"
                % ("/".join(want), lt.s_client_verify_ok(out), lt.http_status(r.stdout),
                   body in r.stdout, r.describe()))
    t.check(srv.alive(), "lucid-server still running after the 45 cases")


lt.main(test)
