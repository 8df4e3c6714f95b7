#!/usr/bin/env python3
"""curl --cert/--key against a Lucid server asking for client certificates.

The server is tests/support/cauth_server.c, answering with the client's certificate
subject. Checks: ECDSA, RSA and Ed25519 client certificates (curl sends the whole chain
from the --cert file) over TLS 1.3; curl without --cert against verify_client on fails
and the server reports certificate_required; a certificate from another PKI is refused
with unknown_ca; verify_client optional serves curl without a certificate.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cauthlib as ca  # noqa: E402
from cauthlib import cl  # noqa: E402

SCHEMES = {"alice": "ecdsa_secp256r1_sha256", "bob": "rsa_pss_rsae_sha256",
           "carol": "ed25519"}


def curl(port, root, cert=None):
    argv = ["curl", "-sS", "--tlsv1.3", "--max-time", "20", "--cacert", root,
            "--resolve", f"localhost:{port}:127.0.0.1"]
    if cert is not None:
        argv += ["--cert", cert["chain"], "--key", cert["key"]]
    argv.append(f"https://localhost:{port}/")
    cp = subprocess.run(argv, capture_output=True, timeout=30)
    return ca.Result(argv, cp.returncode, cp.stdout.decode("utf-8", "replace"),
                     cp.stderr.decode("utf-8", "replace"))


def main():
    s = cl.Suite("client_auth-curl")
    tools = ca.Tools()
    if cl.tool("curl") is None:
        s.skip("curl is not installed (Debian package curl)")
    pki = ca.Pki(tools, os.path.join(s.tmp, "pki"))

    srv = ca.CauthServer(s, tools, pki, verify="on", client_ca=pki.root)
    for name, scheme in SCHEMES.items():
        c = pki.client[name]
        r = curl(srv.port, pki.root, c)
        line = srv.next()
        s.check(line == f"ok subject={c['subject']} scheme={scheme}",
                f"on, {name}: the server verified curl's certificate ({scheme})",
                f"server: {line}\n" + r.describe())
        s.check(r.rc == 0 and r.out == f"subject={c['subject']}\n",
                f"on, {name}: curl gets the answer naming its subject", r.describe())

    r = curl(srv.port, pki.root, None)
    line = srv.next()
    s.check(line.startswith("failed LC_E_CERT_REQUIRED alert=certificate_required:"),
            "on, curl without --cert: the server refuses with certificate_required",
            f"server: {line}\n" + r.describe())
    # curl reports the alert it read (exit 56 for a failure after the handshake, 35 during)
    s.check(r.rc in (35, 56) and "certificate required" in r.err and r.out == "",
            "on, curl without --cert: curl fails with the certificate_required alert",
            r.describe())

    r = curl(srv.port, pki.root, pki.client["mallory"])
    line = srv.next()
    s.check(line.startswith("failed LC_E_CERT_UNKNOWN_CA alert=unknown_ca:")
            and "CN=mallory" in line,
            "on, curl with a certificate from another PKI: unknown_ca, naming it",
            f"server: {line}\n" + r.describe())
    s.check(r.rc in (35, 56) and "unknown ca" in r.err, "on: curl reports unknown ca",
            r.describe())
    srv.stop()

    srv = ca.CauthServer(s, tools, pki, verify="optional", client_ca=pki.root)
    r = curl(srv.port, pki.root, None)
    line = srv.next()
    s.check(line == "ok subject=(none) scheme=(none)" and r.rc == 0
            and r.out == "subject=(none)\n",
            "optional, curl without --cert: served, with no subject",
            f"server: {line}\n" + r.describe())
    r = curl(srv.port, pki.root, pki.client["alice"])
    line = srv.next()
    s.check(line.startswith("ok subject=CN=alice,") and r.rc == 0,
            "optional, curl with alice's certificate: verified", f"server: {line}\n" +
            r.describe())
    srv.stop()
    s.finish()


if __name__ == "__main__":
    main()
