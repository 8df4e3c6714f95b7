"""Shared helpers for lucid-client's interop tests (python3 stdlib only).

- Suite: a tiny test runner: check() records ok/FAIL lines, finish() prints the closing
  "N passed, N failed" line and exits 0 or 1 (77 when a peer tool cannot be had).
- Pki: a test PKI made with the openssl CLI: a root, an intermediate, leaves for
  localhost / 127.0.0.1 / ::1 (ECDSA P-256, RSA 2048, Ed25519) and the broken ones
  (expired, not yet valid, self-signed, from an unknown CA, without serverAuth).
- Servers run as child processes on free 127.0.0.1 ports and are stopped at exit.
- run_client() runs lucid-client and parses its -v lines.

Usage: each test_*.py takes the lucid-client binary as argv[1].
"""

import atexit
import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77


class Suite:
    """Collects check results and prints one line per check."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.t0 = time.monotonic()
        if len(sys.argv) < 2 or not os.access(sys.argv[1], os.X_OK):
            print(f"usage: {sys.argv[0]} PATH/TO/lucid-client", file=sys.stderr)
            sys.exit(2)
        self.client = os.path.abspath(sys.argv[1])
        self.tmp = tempfile.mkdtemp(prefix=f"lucid-client-{name}-")
        atexit.register(shutil.rmtree, self.tmp, True)

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            print(f"ok - {what}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL - {what}", flush=True)
            if detail:
                for line in str(detail).rstrip().splitlines()[-40:]:
                    print(f"    {line}", flush=True)
        return cond

    def skip(self, why):
        print(f"SKIP: {self.name}: {why}", flush=True)
        print(f"0 passed, 0 failed, 1 skipped")
        sys.exit(SKIP)

    def finish(self):
        secs = time.monotonic() - self.t0
        print(f"# {self.name}: {secs:.1f} s")
        print(f"{self.passed} passed, {self.failed} failed")
        stop_all()
        sys.exit(0 if self.failed == 0 and self.passed > 0 else 1)


# ---- processes ----------------------------------------------------------------------------

_children = []


def spawn(argv, **kw):
    """Starts a child process that is killed at exit (its own process group)."""
    kw.setdefault("stdin", subprocess.DEVNULL)
    kw.setdefault("stdout", subprocess.DEVNULL)
    kw.setdefault("stderr", subprocess.DEVNULL)
    p = subprocess.Popen(argv, start_new_session=True, **kw)
    _children.append(p)
    return p


def stop(p):
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout=3)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    for f in (p.stdout, p.stderr):
        if f is not None:
            f.close()


def stop_all():
    while _children:
        stop(_children.pop())


atexit.register(stop_all)


def free_port(host="127.0.0.1"):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(fam, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_port(port, host="127.0.0.1", timeout=10.0, proc=None):
    """Waits until something accepts TCP connections on host:port."""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            return False
        with socket.socket(fam, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            try:
                s.connect((host, port))
                return True
            except OSError:
                time.sleep(0.02)
    return False


def tool(name):
    return shutil.which(name) or (f"/usr/sbin/{name}" if os.access(f"/usr/sbin/{name}", os.X_OK)
                                  else None)


# ---- openssl s_server ----------------------------------------------------------------------

def s_server(www, cert, key, chain=None, extra=(), port=None):
    """openssl s_server -WWW serving www over TLS 1.3 only. Returns (process, port)."""
    port = port or free_port()
    argv = ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-tls1_3", "-WWW",
            "-cert", cert, "-key", key]
    if chain:
        argv += ["-cert_chain", chain]
    argv += list(extra)
    p = spawn(argv, cwd=www, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # s_server prints ACCEPT once it listens
    line = p.stdout.readline()
    while line and b"ACCEPT" not in line:
        line = p.stdout.readline()
    if not line:
        raise RuntimeError(f"openssl s_server did not start: {' '.join(argv)}")
    # from here on its chatter goes nowhere: drain it so it never blocks on a full pipe
    _drain(p.stdout)
    return p, port


def _drain(f):
    import threading

    def run():
        try:
            while f.read(65536):
                pass
        except (OSError, ValueError):
            pass
    threading.Thread(target=run, daemon=True).start()


# ---- the client -----------------------------------------------------------------------------

class Result:
    def __init__(self, argv, cp):
        self.argv = argv
        self.rc = cp.returncode
        self.out = cp.stdout
        self.err = cp.stderr.decode("utf-8", "replace")
        self.info = {}
        for m in re.finditer(r"^\* ([A-Za-z ()]+): (.*)$", self.err, re.M):
            self.info.setdefault(m.group(1), m.group(2))

    def describe(self):
        return (f"$ {' '.join(self.argv)}\nexit {self.rc}\nstdout: {self.out[:200]!r}"
                f"{'...' if len(self.out) > 200 else ''}\nstderr:\n{self.err}")


def run_client(suite, url, *opts, timeout=30, env=None):
    argv = [suite.client, "--max-time", "20", *opts, url]
    try:
        cp = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                            timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:
        cp = subprocess.CompletedProcess(argv, -9, e.stdout or b"", e.stderr or b"")
    return Result(argv, cp)


# ---- the test PKI ---------------------------------------------------------------------------

LEAF_NAMES = "DNS:localhost,IP:127.0.0.1,IP:::1"


class Pki:
    """A test PKI in dir, made with the openssl CLI (openssl ca keeps validity dates exact).

    root, inter: CAs; leaf[kind] for kind in ("ecdsa", "rsa", "ed25519"), each a dict with
    cert (leaf only), chain (leaf + intermediate), key. bad[name]: the broken ones.
    """

    def __init__(self, dir, broken=False):
        self.dir = dir
        os.makedirs(dir, exist_ok=True)
        self.root = self._ca("root", None, "Lucid Test Root")
        self.inter = self._ca("inter", self.root, "Lucid Test Intermediate")
        self.leaf = {
            "ecdsa": self._leaf("ecdsa", "ec"),
            "rsa": self._leaf("rsa", "rsa"),
            "ed25519": self._leaf("ed25519", "ed25519"),
        }
        self.bad = {}
        if broken:
            self._make_broken()

    # -- helpers
    def _run(self, *argv, input=None):
        cp = subprocess.run(argv, cwd=self.dir, capture_output=True, input=input)
        if cp.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed:\n{cp.stderr.decode()}")
        return cp.stdout

    def _key(self, name, kind):
        path = os.path.join(self.dir, f"{name}.key")
        if kind == "ec":
            self._run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                      "ec_paramgen_curve:P-256", "-out", path)
        elif kind == "rsa":
            self._run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                      "rsa_keygen_bits:2048", "-out", path)
        else:
            self._run("openssl", "genpkey", "-algorithm", "ED25519", "-out", path)
        return path

    def _ext(self, name, text):
        path = os.path.join(self.dir, f"{name}.ext")
        with open(path, "w") as f:
            f.write("[ext]\n" + text)
        return path

    def _ca_conf(self, ca):
        """An openssl ca configuration whose CA is ca (a dict with cert and key)."""
        d = os.path.join(self.dir, f"ca-{ca['name']}")
        if not os.path.isdir(d):
            os.makedirs(d)
            open(os.path.join(d, "index.txt"), "w").close()
            with open(os.path.join(d, "serial"), "w") as f:
                f.write("1000\n")
            with open(os.path.join(d, "ca.cnf"), "w") as f:
                f.write(f"""[ca]
default_ca = this
[this]
dir = {d}
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir
certificate = {ca['cert']}
private_key = {ca['key']}
default_md = sha256
policy = anything
unique_subject = no
email_in_dn = no
[anything]
commonName = supplied
""")
        return os.path.join(d, "ca.cnf")

    def _issue(self, name, key, subject, issuer, ext, start=None, end=None, days=365):
        """A certificate for key, signed by issuer (None: self-signed), with extensions ext."""
        csr = os.path.join(self.dir, f"{name}.csr")
        cert = os.path.join(self.dir, f"{name}.pem")
        self._run("openssl", "req", "-new", "-key", key, "-subj", subject, "-out", csr)
        extfile = self._ext(name, ext)
        if issuer is None:
            self._run("openssl", "x509", "-req", "-in", csr, "-signkey", key, "-days", "3650",
                      "-extfile", extfile, "-extensions", "ext", "-out", cert)
            return cert
        argv = ["openssl", "ca", "-batch", "-notext", "-config", self._ca_conf(issuer),
                "-in", csr, "-out", cert, "-extfile", extfile, "-extensions", "ext"]
        if start is not None:
            argv += ["-startdate", start, "-enddate", end]
        else:
            argv += ["-days", str(days)]
        self._run(*argv)
        return cert

    def _ca(self, name, issuer, cn):
        key = self._key(name, "ec")
        ca = {"name": name, "key": key}
        ca["cert"] = self._issue(name, key, f"/CN={cn}", issuer,
                                 "basicConstraints=critical,CA:TRUE\n"
                                 "keyUsage=critical,keyCertSign,cRLSign\n"
                                 "subjectKeyIdentifier=hash\n", days=3650)
        return ca

    def _leaf(self, name, kind, issuer=None, eku="serverAuth", names=LEAF_NAMES,
              start=None, end=None, chain_with=None):
        issuer = issuer or self.inter
        key = self._key(name, kind)
        ku = "digitalSignature,keyEncipherment" if kind == "rsa" else "digitalSignature"
        ext = (f"basicConstraints=critical,CA:FALSE\nkeyUsage=critical,{ku}\n"
               f"extendedKeyUsage={eku}\nsubjectAltName={names}\n")
        cert = self._issue(name, key, "/CN=localhost", issuer, ext, start=start, end=end)
        chain = os.path.join(self.dir, f"{name}-chain.pem")
        with open(chain, "w") as f:
            for part in (cert, (chain_with or issuer)["cert"]):
                f.write(open(part).read())
        return {"cert": cert, "chain": chain, "key": key,
                "inter": (chain_with or issuer)["cert"]}

    def _make_broken(self):
        now = datetime.datetime.now(datetime.timezone.utc)

        def stamp(days):
            return (now + datetime.timedelta(days=days)).strftime("%Y%m%d%H%M%SZ")

        self.bad["expired"] = self._leaf("expired", "ec", start=stamp(-730), end=stamp(-365))
        self.bad["not-yet-valid"] = self._leaf("future", "ec", start=stamp(365),
                                               end=stamp(730))
        self.bad["no-server-auth"] = self._leaf("clientonly", "ec", eku="clientAuth")
        other_root = self._ca("other-root", None, "Some Other Root")
        other_inter = self._ca("other-inter", other_root, "Some Other Intermediate")
        self.bad["unknown-ca"] = self._leaf("unknown", "ec", issuer=other_inter)
        # self-signed: the leaf is its own issuer
        key = self._key("selfsigned", "ec")
        cert = self._issue("selfsigned", key, "/CN=localhost", None,
                           f"basicConstraints=critical,CA:FALSE\n"
                           f"keyUsage=critical,digitalSignature\n"
                           f"extendedKeyUsage=serverAuth\nsubjectAltName={LEAF_NAMES}\n")
        self.bad["self-signed"] = {"cert": cert, "chain": cert, "key": key, "inter": None}


def write_file(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def make_www(dir):
    """A directory of test files: small text, empty, 1 byte, 100 KiB and 1 MiB random."""
    os.makedirs(dir, exist_ok=True)
    files = {
        "hello.txt": b"hello from the test server\n",
        "one.bin": b"\x00",
        "random-100k.bin": os.urandom(100 * 1024 + 7),
        "random-1m.bin": os.urandom(1024 * 1024 + 13),
    }
    for name, data in files.items():
        write_file(os.path.join(dir, name), data)
    return files
