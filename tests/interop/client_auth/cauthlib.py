"""Shared helpers for the client certificate interop tests (python3 stdlib only).

Built on tests/interop/client/clientlib.py (Suite, child processes, free ports, run_client):

- Tools: the three binaries the test gets on its command line (lucid-client, cauth_server,
  lucid-cert).
- Pki: certificates made with lucid-cert: a root and an intermediate ("ours"), a server
  certificate for localhost, client certificates (lucid-cert issue NAME --client) with
  ECDSA, RSA and Ed25519 keys, an expired one, one without clientAuth, and one from a
  second, unrelated PKI.
- CauthServer: tests/support/cauth_server.c on a free port; each connection's outcome is
  one line of its stdout ("ok subject=... scheme=..." or "failed CODE alert=...").
- s_client(): openssl s_client sending one HTTP request and reading the answer.
"""

import os
import queue
import re
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "client"))
import clientlib as cl  # noqa: E402

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "SUMMARY: UndefinedBehaviorSanitizer")

REQUEST = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


class Tools:
    def __init__(self):
        if len(sys.argv) < 4 or not all(os.access(p, os.X_OK) for p in sys.argv[1:4]):
            print(f"usage: {sys.argv[0]} LUCID-CLIENT CAUTH_SERVER LUCID-CERT", file=sys.stderr)
            sys.exit(2)
        self.lucid_client, self.cauth_server, self.lucid_cert = map(os.path.abspath,
                                                                    sys.argv[1:4])


def _run(argv):
    cp = subprocess.run(argv, capture_output=True)
    if cp.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{cp.stderr.decode()}")
    return cp.stdout


class Pki:
    """Client certificates from lucid-cert. client[name]: dict(cert, chain, key, subject)."""

    ORG = "Lucid development certificate"  # what lucid-cert puts in O=

    def __init__(self, tools, dir):
        self.dir = dir
        lc = tools.lucid_cert
        _run([lc, "init", "--dir", dir])
        self.root = os.path.join(dir, "root_cert.pem")
        self.inter = os.path.join(dir, "intermediate_cert.pem")
        _run([lc, "issue", "localhost", "127.0.0.1", "--dir", dir,
              "--out", os.path.join(dir, "server")])
        self.server = self._files("server", None)
        self.client = {}
        for name, key, extra in (("alice", "ecdsa-p256", []), ("bob", "rsa-2048", []),
                                 ("carol", "ed25519", []),
                                 ("expired", "ecdsa-p256",
                                  ["--not-before", "2020-01-01", "--not-after", "2021-01-01"])):
            _run([lc, "issue", name, "--client", "--key", key, "--dir", dir,
                  "--out", os.path.join(dir, name), *extra])
            self.client[name] = self._files(name, f"CN={name},O={self.ORG}")
        # a server certificate used as a client's: no clientAuth in extendedKeyUsage
        _run([lc, "issue", "dave", "--dir", dir, "--out", os.path.join(dir, "dave")])
        self.client["dave"] = self._files("dave", f"CN=dave,O={self.ORG}")
        # a PKI nobody here trusts
        other = os.path.join(dir, "other")
        _run([lc, "init", "--dir", other])
        _run([lc, "issue", "mallory", "--client", "--dir", other,
              "--out", os.path.join(other, "mallory")])
        self.client["mallory"] = {**self._files(os.path.join("other", "mallory"),
                                                f"CN=mallory,O={self.ORG}"),
                                  "inter": os.path.join(other, "intermediate_cert.pem")}

    def _files(self, prefix, subject):
        p = os.path.join(self.dir, prefix)
        return {"cert": p + "_cert.pem", "chain": p + "_chain.pem", "key": p + "_key.pem",
                "inter": self.inter, "subject": subject}


class CauthServer:
    """cauth_server on a free port; next() is the outcome line of the next connection."""

    def __init__(self, suite, tools, pki, verify="on", client_ca=None, trace=False):
        self.suite = suite
        argv = [tools.cauth_server, "--cert", pki.server["chain"], "--key", pki.server["key"],
                "--verify", verify]
        if client_ca is not None:
            argv += ["--client-ca", client_ca]
        if trace:
            argv.append("--trace")
        self.errlog = os.path.join(suite.tmp, f"cauth_server-{id(self)}.err")
        self.err = open(self.errlog, "wb")
        self.proc = cl.spawn(argv, stdout=subprocess.PIPE, stderr=self.err)
        self.lines = queue.Queue()
        first = self.proc.stdout.readline().decode()
        m = re.match(r"listening on (\d+)", first)
        if not m:
            raise RuntimeError(f"cauth_server did not start: {first!r}\n{self.stderr()}")
        self.port = int(m.group(1))
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in iter(self.proc.stdout.readline, b""):
            self.lines.put(line.decode("utf-8", "replace").rstrip("\n"))

    def next(self, timeout=15):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            return "(no line: the server reported nothing)"

    def stderr(self):
        if not self.err.closed:
            self.err.flush()
        with open(self.errlog, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self):
        """Stops the server; a check fails if it died or a sanitizer reported."""
        alive = self.proc.poll() is None
        cl.stop(self.proc)
        self.err.close()
        err = self.stderr()
        self.suite.check(alive, "cauth_server was still running at the end", err)
        self.suite.check(not any(m in err for m in SANITIZER_MARKS),
                         "cauth_server: no sanitizer report", err)


class Result:
    def __init__(self, argv, rc, out, err):
        self.argv, self.rc, self.out, self.err = argv, rc, out, err

    def describe(self):
        return (f"$ {' '.join(self.argv)}\nexit {self.rc}\nstdout:\n{self.out[-3000:]}\n"
                f"stderr:\n{self.err[-3000:]}")


def s_client(port, ca, cert=None, extra=(), request=REQUEST, timeout=30):
    """openssl s_client, TLS 1.3 only, sending request and reading until the server closes."""
    argv = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
            "-tls1_3", "-CAfile", ca, "-verify_return_error", "-ign_eof"]
    if cert is not None:
        argv += ["-cert", cert["cert"], "-key", cert["key"], "-cert_chain", cert["inter"]]
    argv += list(extra)
    try:
        cp = subprocess.run(argv, input=request, capture_output=True, timeout=timeout)
        return Result(argv, cp.returncode, cp.stdout.decode("utf-8", "replace"),
                      cp.stderr.decode("utf-8", "replace"))
    except subprocess.TimeoutExpired as e:
        return Result(argv, -9, (e.stdout or b"").decode("utf-8", "replace"),
                      (e.stderr or b"").decode("utf-8", "replace"))


def openssl_alert_text(alert):
    """How OpenSSL 3 names an alert it received, e.g. "alert certificate required"."""
    return "alert " + alert.replace("_", " ")
