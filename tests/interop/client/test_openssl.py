#!/usr/bin/env python3
"""lucid-client against openssl s_server -WWW -tls1_3.

Every combination of the three TLS 1.3 cipher suites, five groups and three certificate
types (ECDSA P-256, RSA 2048, Ed25519 leaves under a test root and intermediate): the server
is restricted to one suite (-ciphersuites) and one group (-groups), the client offers them
all with x25519 as its only first key share, so every group but x25519 goes through a
HelloRetryRequest. Each run downloads a file byte-exact and checks with -v that the
negotiated suite, group and signature scheme are the expected ones, and with --trace that a
HelloRetryRequest happened exactly when it had to.

Then: a server that accepts only P-384 (HRR asserted from the trace), and larger files.
"""

import concurrent.futures
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clientlib as cl  # noqa: E402

SUITES = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
# openssl's name -> the name lucid-client prints
GROUPS = {"x25519": "x25519", "P-256": "secp256r1", "P-384": "secp384r1",
          "ffdhe2048": "ffdhe2048", "ffdhe3072": "ffdhe3072"}
SCHEMES = {"ecdsa": "ecdsa_secp256r1_sha256", "rsa": "rsa_pss_rsae_sha256",
           "ed25519": "ed25519"}


def hrr_in(trace):
    return "HelloRetryRequest" in trace or "hello_retry_request" in trace


def one(suite_, pki, www, files, suite, group, kind):
    leaf = pki.leaf[kind]
    proc, port = cl.s_server(www, leaf["cert"], leaf["key"], chain=leaf["inter"],
                             extra=["-ciphersuites", suite, "-groups", group])
    try:
        r = cl.run_client(suite_, f"https://localhost:{port}/hello.txt", "-v", "--trace",
                          "--cacert", pki.root["cert"])
    finally:
        cl.stop(proc)
    want = {"TLS version": "TLSv1.3", "cipher suite": suite, "group": GROUPS[group],
            "signature scheme": SCHEMES[kind], "server name": "localhost"}
    got = {k: r.info.get(k) for k in want}
    problems = []
    if r.rc != 0:
        problems.append(f"exit {r.rc}")
    if r.out != files["hello.txt"]:
        problems.append("body differs")
    if got != want:
        problems.append(f"negotiated {got}, expected {want}")
    if hrr_in(r.err) != (group != "x25519"):
        problems.append("HelloRetryRequest " + ("missing" if group != "x25519" else
                                                "unexpected") + " in the trace")
    return (f"s_server {suite} {group} {kind}", not problems,
            "; ".join(problems) + "\n" + r.describe() if problems else "")


def main():
    s = cl.Suite("openssl")
    pki = cl.Pki(os.path.join(s.tmp, "pki"))
    www = os.path.join(s.tmp, "www")
    files = cl.make_www(www)

    jobs = [(suite, group, kind) for suite in SUITES for group in GROUPS for kind in SCHEMES]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
        futs = [ex.submit(one, s, pki, www, files, *j) for j in jobs]
        for f in futs:
            what, ok, detail = f.result()
            s.check(ok, what, detail)

    # A server that takes only P-384: the client's x25519 share is refused, the server asks
    # for secp384r1 in a HelloRetryRequest, and the second ClientHello completes.
    leaf = pki.leaf["ecdsa"]
    proc, port = cl.s_server(www, leaf["cert"], leaf["key"], chain=leaf["inter"],
                             extra=["-groups", "P-384"])
    r = cl.run_client(s, f"https://localhost:{port}/random-100k.bin", "-v", "--trace",
                      "--cacert", pki.root["cert"])
    s.check(r.rc == 0 and r.out == files["random-100k.bin"],
            "P-384-only server: download after HelloRetryRequest", r.describe())
    trace = r.err
    s.check("HelloRetryRequest: server asks for secp384r1" in trace,
            "P-384-only server: the trace shows the HelloRetryRequest for secp384r1", trace)
    s.check(trace.count(">> client_hello") == 2 and r.info.get("group") == "secp384r1",
            "P-384-only server: two ClientHellos, secp384r1 negotiated", trace)

    # larger bodies, read to the server's close_notify (s_server -WWW sends no length)
    r = cl.run_client(s, f"https://localhost:{port}/random-1m.bin", "--cacert",
                      pki.root["cert"])
    s.check(r.rc == 0 and r.out == files["random-1m.bin"],
            "s_server: 1 MiB download byte-exact", r.describe())
    out = os.path.join(s.tmp, "out.bin")
    r = cl.run_client(s, f"https://localhost:{port}/random-100k.bin", "-o", out, "--cacert",
                      pki.root["cert"])
    s.check(r.rc == 0 and r.out == b"" and open(out, "rb").read() == files["random-100k.bin"],
            "s_server: -o FILE writes the body byte-exact", r.describe())
    cl.stop(proc)
    s.finish()


if __name__ == "__main__":
    main()
