#!/usr/bin/env python3
"""lucid-cert against other PKI code: certificates it makes must satisfy OpenSSL's
`openssl verify`, GnuTLS's `certtool --verify-chain` / `--verify`, and curl; expired
ones must be refused by all of them; `lucid-cert verify` must give lucid-client's
messages; key files must be mode 0600.

    tests/interop/cert/cert_test.py --bin BUILD/bin

Exits 0 (pass), 1 (fail) or 77 (skipped: a peer tool is missing; the Debian packages
openssl, gnutls-bin and curl hold them, and `scripts/setup.sh test` installs them).
Only the standard library is used.
"""

import argparse
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time

SKIP = 77
KEY_KINDS = {
    # --key: what `openssl x509 -text` says about the public key
    "ecdsa-p256": "ASN1 OID: prime256v1",
    "ecdsa-p384": "ASN1 OID: secp384r1",
    "ed25519": "Public Key Algorithm: ED25519",
    "rsa-2048": "Public-Key: (2048 bit)",
    "rsa-3072": "Public-Key: (3072 bit)",
}
SERVER_AUTH = "1.3.6.1.5.5.7.3.1"
CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"


class Test:
    def __init__(self, bindir, tmp):
        self.lucid_cert = os.path.join(bindir, "lucid-cert")
        self.tmp = tmp
        self.pki = os.path.join(tmp, "pki")
        self.root = os.path.join(self.pki, "root_cert.pem")
        self.intermediate = os.path.join(self.pki, "intermediate_cert.pem")
        self.passed = 0
        self.failed = 0
        self.skipped = []

    # ---- reporting ----

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            print("ok     " + what)
        else:
            self.failed += 1
            print("FAILED " + what)
            if detail:
                print("       " + detail.strip().replace("\n", "\n       "))
        return cond

    def skip(self, what):
        self.skipped.append(what)
        print("SKIPPED " + what)

    # ---- running things ----

    def run(self, args, umask=None, timeout=120):
        def preexec():
            if umask is not None:
                os.umask(umask)
        return subprocess.run(args, cwd=self.tmp, capture_output=True, text=True,
                              timeout=timeout, preexec_fn=preexec)

    def cert(self, *args, **kw):
        return self.run([self.lucid_cert] + list(args), **kw)

    def issue(self, prefix, *args, **kw):
        """lucid-cert issue ... --out PREFIX; returns (cert, chain, key) paths or None."""
        out = os.path.join(self.tmp, prefix)
        r = self.cert("issue", "--dir", self.pki, "--out", out, *args, **kw)
        if not self.check(r.returncode == 0, "issue %s %s" % (prefix, " ".join(args)),
                          r.stdout + r.stderr):
            return None
        return out + "_cert.pem", out + "_chain.pem", out + "_key.pem"

    def have(self, tool, package):
        if shutil.which(tool):
            return True
        self.skip("%s checks: %s is not installed (Debian package %s)" % (tool, tool, package))
        return False


def pem_blocks(path):
    with open(path) as f:
        return re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n",
                          f.read(), re.S)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- the checks ------------------------------------------------------------------------

def check_init(t):
    # a umask that would hide certificates and one that would expose keys: modes are exact
    r = t.cert("init", "--dir", t.pki, umask=0o077)
    if not t.check(r.returncode == 0, "lucid-cert init", r.stdout + r.stderr):
        return False
    for name, want in (("root_key.pem", 0o600), ("intermediate_key.pem", 0o600),
                       ("root_cert.pem", 0o644), ("intermediate_cert.pem", 0o644)):
        path = os.path.join(t.pki, name)
        t.check(mode(path) == want, "%s is mode %o" % (name, want), "mode %o" % mode(path))
    r = t.cert("init", "--dir", t.pki)
    t.check(r.returncode == 3 and "already holds a PKI" in r.stderr,
            "init refuses to overwrite a PKI (exit 3)", r.stderr)

    text = t.run(["openssl", "x509", "-in", t.root, "-noout", "-text"]).stdout
    t.check("CA:TRUE, pathlen:1" in text and "Certificate Sign, CRL Sign" in text
            and "Lucid Local Root CA (" in text and "ecdsa-with-SHA256" in text,
            "root: CA:TRUE pathlen 1, keyCertSign+cRLSign, named for user@host", text)
    text = t.run(["openssl", "x509", "-in", t.intermediate, "-noout", "-text"]).stdout
    t.check("CA:TRUE, pathlen:0" in text and "Certificate Sign, CRL Sign" in text
            and "Authority Key Identifier" in text,
            "intermediate: CA:TRUE pathlen 0, keyCertSign+cRLSign, AKI", text)
    r = t.run(["openssl", "verify", "-CAfile", t.root, t.intermediate])
    t.check(r.returncode == 0, "openssl verify accepts the intermediate", r.stdout + r.stderr)
    return True


def check_key_kind(t, kind):
    paths = t.issue("leaf-" + kind, "localhost", "127.0.0.1", "::1", "--key", kind, umask=0)
    if paths is None:
        return
    cert, chain, key = paths
    t.check(mode(key) == 0o600, "%s: key file is mode 0600 (umask 0)" % kind,
            "mode %o" % mode(key))
    t.check(mode(cert) == 0o644 and mode(chain) == 0o644,
            "%s: certificate and chain are mode 0644" % kind)
    blocks = pem_blocks(chain)
    with open(cert) as f, open(t.intermediate) as g:
        t.check(len(blocks) == 2 and blocks[0] == f.read() and blocks[1] == g.read(),
                "%s: chain is the certificate then the intermediate" % kind)

    text = t.run(["openssl", "x509", "-in", cert, "-noout", "-text"]).stdout
    want_ku = "Digital Signature, Key Encipherment" if kind.startswith("rsa") \
        else "Digital Signature"
    t.check(KEY_KINDS[kind] in text
            and re.search(r"Basic Constraints: critical\s+CA:FALSE", text)
            and re.search(r"Key Usage: critical\s+%s\n" % want_ku, text)
            and "TLS Web Server Authentication" in text
            and "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1" in text
            and "Subject Key Identifier" in text and "Authority Key Identifier" in text
            and "CN = localhost" in text,
            "%s: key, basicConstraints, keyUsage, EKU, SAN, key identifiers" % kind, text)
    serial = t.run(["openssl", "x509", "-in", cert, "-noout", "-serial"]).stdout.strip()
    digits = serial.split("=", 1)[-1]
    t.check(0 < len(digits) <= 34 and int(digits, 16) > 0,
            "%s: serial is positive and at most 128 bits" % kind, serial)

    # the key belongs to the certificate
    pub1 = t.run(["openssl", "pkey", "-in", key, "-pubout"]).stdout
    pub2 = t.run(["openssl", "x509", "-in", cert, "-noout", "-pubkey"]).stdout
    t.check(pub1 != "" and pub1 == pub2, "%s: the key matches the certificate" % kind)

    r = t.run(["openssl", "verify", "-CAfile", t.root, "-untrusted", t.intermediate,
               "-purpose", "sslserver", "-verify_hostname", "localhost", cert])
    t.check(r.returncode == 0 and ": OK" in r.stdout,
            "%s: openssl verify -CAfile root -untrusted intermediate" % kind,
            r.stdout + r.stderr)
    r = t.run(["openssl", "verify", "-CAfile", t.root, "-untrusted", t.intermediate,
               "-verify_ip", "::1", cert])
    t.check(r.returncode == 0, "%s: openssl verify for IP ::1" % kind, r.stdout + r.stderr)

    if shutil.which("certtool"):
        full = os.path.join(t.tmp, "full-%s.pem" % kind)
        with open(full, "w") as f, open(chain) as c, open(t.root) as r0:
            f.write(c.read() + r0.read())
        r = t.run(["certtool", "--verify-chain", "--infile", full, "--verify-hostname",
                   "localhost", "--verify-purpose", SERVER_AUTH])
        t.check(r.returncode == 0 and "Chain verification output: Verified" in r.stdout,
                "%s: certtool --verify-chain" % kind, r.stdout + r.stderr)
        r = t.run(["certtool", "--verify", "--load-ca-certificate", t.root, "--infile", chain,
                   "--verify-hostname", "127.0.0.1", "--verify-purpose", SERVER_AUTH,
                   "--verify-profile", "medium"])
        t.check(r.returncode == 0 and "Chain verification output: Verified" in r.stdout,
                "%s: certtool --verify against the root (profile medium)" % kind,
                r.stdout + r.stderr)

    r = t.cert("verify", "--cacert", t.root, chain, "--host", "localhost")
    t.check(r.returncode == 0 and r.stdout == "OK\n", "%s: lucid-cert verify says OK" % kind,
            r.stdout + r.stderr)
    r = t.cert("show", cert)
    fp = t.run(["openssl", "x509", "-in", cert, "-noout", "-fingerprint", "-sha256"])
    fp = fp.stdout.strip().split("=", 1)[-1]
    t.check(r.returncode == 0 and fp in r.stdout and "DNS:localhost, IP:127.0.0.1, IP:::1"
            in r.stdout and "(expired)" not in r.stdout,
            "%s: lucid-cert show (names, SHA-256 fingerprint as openssl's)" % kind, r.stdout)


def check_wildcard_and_names(t):
    r = t.cert("issue", "--dir", t.pki, "*.example.test", "example.test")
    t.check(r.returncode == 0 and os.path.exists(os.path.join(
        t.tmp, "_wildcard.example.test_cert.pem")), "a wildcard's files are named _wildcard...",
        r.stdout + r.stderr)
    cert = os.path.join(t.tmp, "_wildcard.example.test_cert.pem")
    for host, ok in (("www.example.test", True), ("example.test", True),
                     ("a.b.example.test", False)):
        r = t.run(["openssl", "verify", "-CAfile", t.root, "-untrusted", t.intermediate,
                   "-verify_hostname", host, cert])
        t.check((r.returncode == 0) == ok, "openssl verify %s the wildcard certificate for %s"
                % ("accepts" if ok else "rejects", host), r.stdout + r.stderr)
    for bad in ("foo bar", "*.test", "10.0.0.256", "a..b"):
        r = t.cert("issue", "--dir", t.pki, bad)
        t.check(r.returncode == 2 and ("'%s'" % bad) in r.stderr,
                "issue refuses the name %r (exit 2, names it)" % bad, r.stderr)


def serve_and_fetch(t, chain, key, host):
    """openssl s_server with this chain on 127.0.0.1; curl --cacert root. (rc, stderr)."""
    blocks = pem_blocks(chain)
    extra = os.path.join(t.tmp, "served-intermediate.pem")
    with open(extra, "w") as f:
        f.write("".join(blocks[1:]))
    for attempt in range(5):
        port = free_port()
        # -cert takes the chain file's first certificate; -cert_chain sends the rest
        srv = subprocess.Popen(["openssl", "s_server", "-accept", "127.0.0.1:%d" % port,
                                "-cert", chain, "-cert_chain", extra, "-key", key, "-www"],
                               cwd=t.tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        try:
            line = ""
            deadline = time.time() + 20
            while time.time() < deadline:
                line = srv.stdout.readline()
                if line == "" or "ACCEPT" in line:
                    break
            if "ACCEPT" not in line:
                continue  # the port was taken meanwhile, or it died: try another
            r = t.run(["curl", "-sS", "--max-time", "20", "--cacert", t.root, "--resolve",
                       "%s:%d:127.0.0.1" % (host, port), "https://%s:%d/" % (host, port)])
            return r.returncode, r.stderr
        finally:
            srv.kill()
            srv.wait()
    return None, "openssl s_server did not start"


def check_expired(t):
    good = t.issue("good", "localhost")
    days = t.issue("expired-days", "localhost", "--days", "-1")
    after = t.issue("expired-after", "localhost", "--not-after", "2024-01-01")
    future = t.issue("future", "localhost", "--not-before", "2099-01-01T00:00:00Z")
    if None in (good, days, after, future):
        return
    for name, (cert, chain, key) in (("--days -1", days), ("--not-after 2024-01-01", after)):
        r = t.run(["openssl", "verify", "-CAfile", t.root, "-untrusted", t.intermediate, cert])
        t.check(r.returncode != 0 and "certificate has expired" in r.stdout + r.stderr,
                "openssl verify rejects %s as expired" % name, r.stdout + r.stderr)
        if shutil.which("certtool"):
            r = t.run(["certtool", "--verify", "--load-ca-certificate", t.root, "--infile",
                       chain])
            t.check(r.returncode != 0 and "expired" in r.stdout,
                    "certtool rejects %s as expired" % name, r.stdout + r.stderr)
        r = t.cert("verify", "--cacert", t.root, chain, "--host", "localhost")
        t.check(r.returncode == 1 and r.stdout == "" and r.stderr.startswith(
            "lucid-cert: certificate verify failed: expired: ") and "certificate has expired"
            in r.stderr, "lucid-cert verify: %s is expired (exit 1)" % name, r.stderr)
        r = t.cert("show", cert)
        t.check("(expired)" in r.stdout, "lucid-cert show says %s is expired" % name, r.stdout)

    r = t.run(["openssl", "verify", "-CAfile", t.root, "-untrusted", t.intermediate, future[0]])
    t.check(r.returncode != 0 and "not yet valid" in r.stdout + r.stderr,
            "openssl verify rejects --not-before 2099 as not yet valid", r.stdout + r.stderr)
    r = t.cert("verify", "--cacert", t.root, future[1])
    t.check(r.returncode == 1 and "certificate verify failed: not yet valid: " in r.stderr,
            "lucid-cert verify: not yet valid", r.stderr)

    if not t.have("curl", "curl"):
        return
    rc, err = serve_and_fetch(t, good[1], good[2], "localhost")
    t.check(rc == 0, "curl --cacert root accepts the valid chain from openssl s_server", err)
    for name, paths in (("--days -1", days), ("--not-after 2024-01-01", after)):
        rc, err = serve_and_fetch(t, paths[1], paths[2], "localhost")
        t.check(rc == 60 and "expired" in err,
                "curl --cacert root rejects the %s certificate as expired (exit 60)" % name,
                "curl exit %s: %s" % (rc, err))


def check_verify_messages(t):
    chain = os.path.join(t.tmp, "leaf-ecdsa-p256_chain.pem")
    r = t.cert("verify", "--cacert", t.root, chain, "--host", "example.com")
    t.check(r.returncode == 1 and r.stderr.strip() ==
            "lucid-cert: certificate verify failed: 'example.com' is not in the certificate's "
            "names (localhost, 127.0.0.1, ::1)",
            "lucid-cert verify: wrong name", r.stderr)

    client = t.issue("client", "alice.example.test", "--client")
    if client is not None:
        r = t.cert("verify", "--cacert", t.root, client[1])
        t.check(r.returncode == 1 and "certificate verify failed: usage: " in r.stderr
                and "unsuitable certificate purpose" in r.stderr,
                "lucid-cert verify: a client certificate is no server certificate", r.stderr)
        r = t.cert("verify", "--client", "--cacert", t.root, client[1])
        t.check(r.returncode == 0 and r.stdout == "OK\n", "lucid-cert verify --client: OK",
                r.stdout + r.stderr)
        r = t.run(["openssl", "verify", "-CAfile", t.root, "-untrusted", t.intermediate,
                   "-purpose", "sslclient", client[0]])
        t.check(r.returncode == 0, "openssl verify -purpose sslclient accepts it",
                r.stdout + r.stderr)
        if shutil.which("certtool"):
            r = t.run(["certtool", "--verify", "--load-ca-certificate", t.root, "--infile",
                       client[1], "--verify-purpose", CLIENT_AUTH])
            t.check(r.returncode == 0, "certtool --verify-purpose clientAuth accepts it",
                    r.stdout + r.stderr)

    other = os.path.join(t.tmp, "other-pki")
    r = t.cert("init", "--dir", other)
    if t.check(r.returncode == 0, "a second PKI", r.stderr):
        r = t.cert("verify", "--cacert", os.path.join(other, "root_cert.pem"), chain)
        t.check(r.returncode == 1 and "certificate verify failed: unknown CA: " in r.stderr,
                "lucid-cert verify: another PKI's root is an unknown CA", r.stderr)


def check_cli(t):
    r = t.cert("--help")
    t.check(r.returncode == 0 and "exit codes:" in r.stdout, "lucid-cert --help (exit 0)")
    for cmd in ("init", "issue", "show", "verify"):
        r = t.cert(cmd, "--help")
        t.check(r.returncode == 0 and r.stdout.startswith("usage: lucid-cert " + cmd),
                "lucid-cert %s --help" % cmd, r.stdout + r.stderr)
    r = t.cert("frobnicate")
    t.check(r.returncode == 2 and "unknown command 'frobnicate'" in r.stderr,
            "an unknown command is exit 2", r.stderr)
    r = t.cert("issue", "x.test", "--bogus")
    t.check(r.returncode == 2 and "'--bogus'" in r.stderr, "an unknown option is exit 2",
            r.stderr)
    r = t.cert("issue", "x.test", "--dir", os.path.join(t.tmp, "nowhere"))
    t.check(r.returncode == 3 and "no PKI in" in r.stderr, "issue without a PKI is exit 3",
            r.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="the build's bin/ directory")
    args = ap.parse_args()
    if not os.access(os.path.join(args.bin, "lucid-cert"), os.X_OK):
        print("FAILED: no lucid-cert in %s" % args.bin)
        return 1

    tmp = tempfile.mkdtemp(prefix="lucid-cert-interop-")
    t = Test(os.path.abspath(args.bin), tmp)
    try:
        if not t.have("openssl", "openssl"):
            print("SKIPPED: every check needs the openssl CLI")
            return SKIP
        t.have("certtool", "gnutls-bin")
        if check_init(t):
            for kind in KEY_KINDS:
                check_key_kind(t, kind)
            check_wildcard_and_names(t)
            check_expired(t)
            check_verify_messages(t)
        check_cli(t)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("%d passed, %d failed" % (t.passed, t.failed))
    if t.failed:
        return 1
    if t.skipped:
        print("SKIPPED (in part): " + "; ".join(t.skipped))
        return SKIP
    return 0


if __name__ == "__main__":
    sys.exit(main())
