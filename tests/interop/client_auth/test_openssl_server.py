#!/usr/bin/env python3
"""lucid-client --cert/--key against openssl s_server -Verify 1 -CAfile (TLS 1.3 only).

s_server -WWW serves a file; with -Verify it requires a client certificate and prints each
certificate of the chain it verifies ("depth=0 O = ..., CN = alice" then "verify return:1"),
which is how the test sees that the certificate arrived and verified on the OpenSSL side.

Checks: ECDSA, RSA and Ed25519 client certificates, the file byte-exact and lucid-client -v
saying which scheme it signed with; --key left out with a --cert file holding both; no
--cert (s_server sends certificate_required), a certificate from another PKI (unknown_ca)
and an expired one (certificate_expired): lucid-client fails, names the alert and explains
it; -verify 1 (optional) without --cert; a CertificateRequest whose signature_algorithms
(s_server -client_sigalgs) our key cannot make: an empty Certificate; --cert errors (58).
"""

import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cauthlib as ca  # noqa: E402
from cauthlib import cl  # noqa: E402

SCHEMES = {"alice": "ecdsa_secp256r1_sha256", "bob": "rsa_pss_rsae_sha256",
           "carol": "ed25519"}


class SServer:
    """openssl s_server -WWW with client verification; its output is kept for checks.

    -verify_return_error: without it s_server prints a verification failure and carries on.
    """

    def __init__(self, s, pki, www, verify=("-Verify", "1"), extra=()):
        self.port = cl.free_port()
        argv = ["openssl", "s_server", "-accept", f"127.0.0.1:{self.port}", "-tls1_3", "-WWW",
                "-cert", pki.server["cert"], "-key", pki.server["key"],
                "-cert_chain", pki.inter, *verify, "-CAfile", pki.root,
                "-verify_return_error", *extra]
        self.proc = cl.spawn(argv, cwd=www, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.out = []
        line = self.proc.stdout.readline()
        while line and b"ACCEPT" not in line:
            line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"openssl s_server did not start: {' '.join(argv)}")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in iter(self.proc.stdout.readline, b""):
            self.out.append(line.decode("utf-8", "replace"))

    def log(self):
        return "".join(self.out)

    def wait_for(self, pattern, timeout=5.0):
        """Whether pattern shows in s_server's output within timeout seconds: its lines come
        through a pipe and a reader thread, so they may trail the client's exit a little."""
        deadline = time.monotonic() + timeout
        while re.search(pattern, self.log()) is None:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self):
        cl.stop(self.proc)


def main():
    s = cl.Suite("client_auth-openssl_server")
    tools = ca.Tools()
    if cl.tool("openssl") is None:
        s.skip("the openssl CLI is not installed (Debian package openssl)")
    pki = ca.Pki(tools, os.path.join(s.tmp, "pki"))
    www = os.path.join(s.tmp, "www")
    files = cl.make_www(www)
    url = "https://localhost:{}/hello.txt"

    srv = SServer(s, pki, www)
    for name, scheme in SCHEMES.items():
        c = pki.client[name]
        r = cl.run_client(s, url.format(srv.port), "-v", "--cacert", pki.root,
                          "--cert", c["chain"], "--key", c["key"])
        s.check(r.rc == 0 and r.out == files["hello.txt"],
                f"-Verify 1, {name}: the file arrives byte-exact", r.describe())
        s.check(r.info.get("client certificate") == f"asked for; sent, signed with {scheme}",
                f"-Verify 1, {name}: -v says the certificate went, signed with {scheme}",
                r.describe())
        s.check(srv.wait_for(rf"depth=0 O = Lucid development certificate, CN = {name}\n"
                             r"verify return:1"),
                f"-Verify 1, {name}: s_server verified it", srv.log())

    # curl's rule: without --key, the key is read from the --cert file
    both = cl.write_file(os.path.join(s.tmp, "alice-both.pem"),
                         open(pki.client["alice"]["chain"], "rb").read()
                         + open(pki.client["alice"]["key"], "rb").read())
    r = cl.run_client(s, url.format(srv.port), "-v", "--cacert", pki.root, "--cert", both)
    s.check(r.rc == 0 and r.out == files["hello.txt"],
            "-Verify 1: --cert FILE holding the chain and the key, no --key", r.describe())

    r = cl.run_client(s, url.format(srv.port), "--cacert", pki.root)
    s.check(r.rc == 56 and "certificate_required" in r.err and r.out == b""
            and "refused to go on without one (see --cert)" in r.err,
            "-Verify 1, no --cert: exit 56, the certificate_required alert, explained",
            r.describe())
    for name, alert in (("mallory", "unknown_ca"), ("expired", "certificate_expired")):
        c = pki.client[name]
        r = cl.run_client(s, url.format(srv.port), "--cacert", pki.root, "--cert", c["chain"],
                          "--key", c["key"])
        s.check(r.rc == 56 and alert in r.err and "refused ours" in r.err and r.out == b"",
                f"-Verify 1, {name}: exit 56, s_server's {alert} alert, explained",
                r.describe())
    srv.stop()

    # optional (-verify): no certificate is fine
    srv = SServer(s, pki, www, verify=("-verify", "1"))
    r = cl.run_client(s, url.format(srv.port), "-v", "--cacert", pki.root)
    s.check(r.rc == 0 and r.out == files["hello.txt"]
            and r.info.get("client certificate") == "asked for; none given (--cert): sent none",
            "-verify 1 (optional), no --cert: served; -v says none was sent", r.describe())
    srv.stop()

    # s_server accepts only ed25519 from clients: alice's P-256 key cannot sign for that
    srv = SServer(s, pki, www, extra=("-client_sigalgs", "ed25519"))
    c = pki.client["alice"]
    r = cl.run_client(s, url.format(srv.port), "-v", "--cacert", pki.root, "--cert", c["chain"],
                      "--key", c["key"])
    s.check(r.rc == 56 and "certificate_required" in r.err
            and "ours does not fit" in r.err,
            "-client_sigalgs ed25519, alice (P-256): an empty Certificate, refused", r.describe())
    c = pki.client["carol"]
    r = cl.run_client(s, url.format(srv.port), "-v", "--cacert", pki.root, "--cert", c["chain"],
                      "--key", c["key"])
    s.check(r.rc == 0 and r.info.get("client certificate") == "asked for; sent, signed with "
            "ed25519", "-client_sigalgs ed25519, carol (Ed25519): accepted", r.describe())
    srv.stop()

    # --cert problems are curl's exit 58
    srv = SServer(s, pki, www)
    r = cl.run_client(s, url.format(srv.port), "--cacert", pki.root, "--cert",
                      os.path.join(s.tmp, "no-such.pem"))
    s.check(r.rc == 58 and "--cert" in r.err, "--cert with a missing file: exit 58",
            r.describe())
    r = cl.run_client(s, url.format(srv.port), "--cacert", pki.root, "--cert",
                      pki.client["alice"]["chain"], "--key", pki.client["bob"]["key"])
    s.check(r.rc == 58 and "does not belong" in r.err, "--key of another certificate: exit 58",
            r.describe())
    r = cl.run_client(s, url.format(srv.port), "--cacert", pki.root, "--key",
                      pki.client["bob"]["key"])
    s.check(r.rc == 2, "--key without --cert: a usage error (2)", r.describe())
    srv.stop()
    s.finish()


if __name__ == "__main__":
    main()
