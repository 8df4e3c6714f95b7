"""Shared harness for Lucid's interop tests: real peers against lucid-server on 127.0.0.1.

Each test script does

    import lucidtest as lt
    def test(t):                      # t: lt.Test
        srv = t.server()              # ECDSA, RSA and Ed25519 certificates for localhost
        r = t.s_client(srv, ["-groups", "X25519"], request=b"GET / ...")
        t.check(lt.s_client_group(r.out) == "x25519", "x25519 negotiated", r.describe())
        t.fetch_ok(srv)               # a normal client is still served, file intact
    lt.main(test)

main() parses --bin DIR (where lucid-server lives, passed by CMake), makes a
temporary directory with a test PKI (made with the openssl CLI) and a web root,
runs the test, always stops every server it started, fails the test when a
server died, or when its stderr holds a sanitizer report, and exits 0 (pass),
1 (fail) or 77 (skipped: a peer tool that cannot be installed; ctest's
SKIP_RETURN_CODE).
"""

import argparse
import hashlib
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback

SKIP = 77
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer",
                   "ERROR: UndefinedBehaviorSanitizer")
BIG_FILE = "big.bin"
BIG_SIZE = 64 * 1024 * 1024


class Failure(Exception):
    """A check that must stop the test."""


class Skipped(Exception):
    pass


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return h.hexdigest()
            h.update(b)


# ---- the test PKI -------------------------------------------------------------------------

class Cert:
    def __init__(self, name, chain, key, leaf):
        self.name = name      # e.g. "ecdsa", "rsa", "ed25519", "a.test"
        self.chain = chain    # PEM: leaf + intermediate
        self.key = key        # PEM private key
        self.leaf = leaf      # PEM: leaf only


class PKI:
    """Root CA -> intermediate CA -> leaves, all made with the openssl CLI.

    Leaves: "ecdsa" (P-256), "rsa" (RSA-2048), "ed25519", each for DNS:localhost
    and IP:127.0.0.1; "a.test" and "b.test" (P-256) for SNI.
    """

    def __init__(self, t, dir):
        self.t = t
        self.dir = dir
        os.makedirs(dir, exist_ok=True)
        self.root = os.path.join(dir, "root.pem")
        self.certs = {}
        self._make()

    def _ossl(self, *args):
        r = subprocess.run(["openssl"] + list(args), cwd=self.dir, capture_output=True,
                           text=True, timeout=60)
        if r.returncode != 0:
            raise Failure("openssl %s failed:\n%s%s" % (" ".join(args), r.stdout, r.stderr))
        return r.stdout

    def _key(self, name, kind):
        path = os.path.join(self.dir, name + ".key")
        if kind == "ecdsa":
            self._ossl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                       "-out", path)
        elif kind == "rsa":
            self._ossl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                       "-out", path)
        elif kind == "ed25519":
            self._ossl("genpkey", "-algorithm", "ED25519", "-out", path)
        else:
            raise ValueError(kind)
        return path

    def _write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def _sign(self, name, key, subject, ca, ca_key, ext):
        csr = os.path.join(self.dir, name + ".csr")
        out = os.path.join(self.dir, name + ".pem")
        extfile = self._write(name + ".ext", "[v3]\n" + ext)
        self._ossl("req", "-new", "-key", key, "-subj", subject, "-out", csr)
        self._ossl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                   "-set_serial", str(int.from_bytes(os.urandom(8), "big")),
                   "-days", "30", "-extfile", extfile, "-extensions", "v3", "-out", out)
        return out

    def _make(self):
        root_key = self._key("root", "ecdsa")
        self._ossl("req", "-x509", "-new", "-key", root_key, "-subj", "/CN=Lucid Test Root CA",
                   "-days", "30", "-out", self.root,
                   "-addext", "basicConstraints=critical,CA:TRUE",
                   "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                   "-addext", "subjectKeyIdentifier=hash")
        int_key = self._key("intermediate", "ecdsa")
        self.intermediate = self._sign(
            "intermediate", int_key, "/CN=Lucid Test Intermediate CA", self.root, root_key,
            "basicConstraints=critical,CA:TRUE,pathlen:0\n"
            "keyUsage=critical,keyCertSign,cRLSign\n"
            "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
        with open(self.intermediate) as f:
            int_pem = f.read()
        leaves = [("ecdsa", "ecdsa", "localhost", "DNS:localhost,IP:127.0.0.1"),
                  ("rsa", "rsa", "localhost", "DNS:localhost,IP:127.0.0.1"),
                  ("ed25519", "ed25519", "localhost", "DNS:localhost,IP:127.0.0.1"),
                  ("a.test", "ecdsa", "a.test", "DNS:a.test,DNS:www.a.test"),
                  ("b.test", "ecdsa", "b.test", "DNS:b.test,DNS:www.b.test")]
        for name, kind, cn, san in leaves:
            key = self._key("leaf-" + name, kind)
            leaf = self._sign("leaf-" + name, key, "/O=Lucid Test/CN=" + cn, self.intermediate,
                              int_key,
                              "basicConstraints=critical,CA:FALSE\n"
                              "keyUsage=critical,digitalSignature\n"
                              "extendedKeyUsage=serverAuth\n"
                              "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
                              "subjectAltName=" + san + "\n")
            with open(leaf) as f:
                chain = self._write("chain-" + name + ".pem", f.read() + int_pem)
            self.certs[name] = Cert(name, chain, key, leaf)

    def all_localhost(self):
        return [self.certs["ecdsa"], self.certs["rsa"], self.certs["ed25519"]]


# ---- lucid-server -------------------------------------------------------------------------

class Server:
    """One lucid-server process on 127.0.0.1."""

    READY = re.compile(r"listening on https://127\.0\.0\.1:(\d+)/")

    def __init__(self, t, certs, root, args=(), name="server"):
        self.t = t
        self.certs = certs
        self.root = root
        self.args = list(args)
        self.name = name
        self.proc = None
        self.port = None
        self.stderr_path = os.path.join(t.tmp, "%s-%d.stderr" % (name, id(self)))
        self.stdout_path = os.path.join(t.tmp, "%s-%d.stdout" % (name, id(self)))
        self.stopped = False

    def command(self, port):
        cmd = [self.t.lucid_server, "--listen", "127.0.0.1:%d" % port, "--root", self.root]
        for c in self.certs:
            cmd += ["--cert", c.chain, "--key", c.key]
        return cmd + self.args

    def start(self, timeout=20):
        """Starts lucid-server on 127.0.0.1 port 0 (it picks a free port and names it in
        its ready line) and waits for that line."""
        cmd = self.command(0)
        self.t.log("start: " + " ".join(cmd))
        with open(self.stdout_path, "wb") as so, open(self.stderr_path, "wb") as se:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=so, stderr=se,
                                         cwd=self.t.tmp)
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.READY.search(self.output())
            if m:
                self.port = int(m.group(1))
                self.t.log("%s ready on port %d" % (self.name, self.port))
                return self
            if self.proc.poll() is not None:
                raise Failure("lucid-server exited with status %s before it was ready:\n%s"
                              % (self.proc.returncode, self.output()))
            time.sleep(0.02)
        self._kill()
        raise Failure("lucid-server printed no ready line within %ds; output:\n%s"
                      % (timeout, self.output()))

    def output(self):
        text = ""
        for p in (self.stdout_path, self.stderr_path):
            try:
                with open(p, "rb") as f:
                    text += f.read().decode("utf-8", "replace")
            except FileNotFoundError:
                pass
        return text

    def stderr(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def stderr_lines(self):
        return len(self.stderr().splitlines())

    def logged_since(self, before, timeout=3):
        """True once stderr has more lines than before (the server logs failures)."""
        deadline = time.time() + timeout
        while self.stderr_lines() <= before:
            if time.time() > deadline:
                return False
            time.sleep(0.05)
        return True

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def _kill(self):
        """SIGTERM, then SIGKILL after 10s. Returns the exit status (negative: a signal)."""
        try:
            os.kill(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return self.proc.wait()
        try:
            return self.proc.wait(10)
        except subprocess.TimeoutExpired:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(10)
            return None

    def stop(self):
        """Stops the server; returns a list of problems (died early, did not stop
        cleanly on SIGTERM, sanitizer report)."""
        if self.stopped or self.proc is None:
            return []
        self.stopped = True
        problems = []
        died = self.proc.poll()
        if died is not None:
            problems.append("lucid-server (%s) died during the test with status %d"
                            % (self.name, died))
        else:
            status = self._kill()
            if status is None:
                problems.append("lucid-server (%s) did not exit within 10s of SIGTERM"
                                % self.name)
            elif status != 0:
                problems.append("lucid-server (%s) exited with status %d on SIGTERM (want 0)"
                                % (self.name, status))
        err = self.stderr()
        for mark in SANITIZER_MARKS:
            if mark in err:
                problems.append("sanitizer report in lucid-server's stderr (%r)" % mark)
                break
        return problems


# ---- the test object ---------------------------------------------------------------------

class Result:
    def __init__(self, cmd, rc, stdout, stderr, timed_out=False):
        self.cmd = cmd
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out

    @property
    def out(self):
        return self.stdout + self.stderr

    def describe(self, limit=3000):
        text = self.out
        if len(text) > limit:
            text = text[:limit // 2] + "\n[...]\n" + text[-limit // 2:]
        return "$ %s\n(rc=%s%s)\n%s" % (" ".join(self.cmd), self.rc,
                                       ", TIMED OUT" if self.timed_out else "", text)


class Test:
    def __init__(self, args):
        self.args = args
        self.bin = os.path.abspath(args.bin)
        self.lucid_server = os.path.join(self.bin, "lucid-server")
        self.tmp = tempfile.mkdtemp(prefix="lucid-interop-")
        self._lock = threading.Lock()
        self.servers = []
        self.failures = []
        self.checks = 0
        self._pki = None
        self.webroot = os.path.join(self.tmp, "www")
        self.files = {}
        self._make_webroot(big=False)

    # -- output and checks
    def log(self, msg):
        with self._lock:
            print(msg, flush=True)

    def check(self, cond, what, detail=""):
        """Records one assertion; a failed one fails the test but lets it go on."""
        with self._lock:
            self.checks += 1
            if cond:
                print("ok   - " + what, flush=True)
            else:
                print("FAIL - " + what, flush=True)
                if detail:
                    print("       " + detail.replace("\n", "\n       "), flush=True)
                self.failures.append(what)
        return cond

    def require(self, cond, what, detail=""):
        if not self.check(cond, what, detail):
            raise Failure(what)

    def skip(self, why):
        raise Skipped(why)

    # -- files
    def _make_webroot(self, big):
        os.makedirs(self.webroot, exist_ok=True)
        if not self.files:
            token = os.urandom(8).hex()
            self._put("hello.txt", ("Hello from Lucid interop test %s\n" % token).encode())
            self._put("index.html", b"<!doctype html><title>Lucid</title><p>interop</p>\n")
            self._put("small.bin", os.urandom(20000))
            os.makedirs(os.path.join(self.webroot, "dir"), exist_ok=True)
            self._put("dir/page.txt", ("page in a folder %s\n" % token).encode())
        if big and BIG_FILE not in self.files:
            path = os.path.join(self.webroot, BIG_FILE)
            h = hashlib.sha256()
            with open(path, "wb") as f:
                left = BIG_SIZE
                while left:
                    b = os.urandom(min(left, 1 << 22))
                    h.update(b)
                    f.write(b)
                    left -= len(b)
            self.files[BIG_FILE] = h.hexdigest()

    def _put(self, rel, data):
        path = os.path.join(self.webroot, rel)
        with open(path, "wb") as f:
            f.write(data)
        self.files[rel] = hashlib.sha256(data).hexdigest()

    def need_big_file(self):
        self._make_webroot(big=True)
        return os.path.join(self.webroot, BIG_FILE)

    def file_bytes(self, rel):
        with open(os.path.join(self.webroot, rel), "rb") as f:
            return f.read()

    def file_hash(self, rel):
        return self.files[rel]

    @property
    def pki(self):
        if self._pki is None:
            t0 = time.time()
            self._pki = PKI(self, os.path.join(self.tmp, "pki"))
            self.log("test PKI made in %.2fs under %s" % (time.time() - t0, self._pki.dir))
        return self._pki

    # -- processes
    def server(self, certs=None, args=(), name="server", start=True):
        if not os.path.exists(self.lucid_server):
            raise Failure("lucid-server is not built: %s does not exist" % self.lucid_server)
        if certs is None:
            certs = self.pki.all_localhost()
        s = Server(self, certs, self.webroot, args, name)
        self.servers.append(s)
        if start:
            s.start()
        return s

    def need_tool(self, name):
        path = shutil.which(name)
        if path is None:
            self.skip("%s is not installed (scripts/setup.sh test installs it)" % name)
        return path

    def run(self, cmd, input=None, timeout=30, env=None):
        try:
            r = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout,
                               cwd=self.tmp, env=env)
            return Result(cmd, r.returncode, r.stdout.decode("utf-8", "replace"),
                          r.stderr.decode("utf-8", "replace"))
        except subprocess.TimeoutExpired as e:
            so = (e.stdout or b"").decode("utf-8", "replace")
            se = (e.stderr or b"").decode("utf-8", "replace")
            return Result(cmd, None, so, se, timed_out=True)

    def s_client(self, srv, args=(), request=None, servername="localhost", timeout=30,
                 verify=True):
        """openssl s_client against srv; request (bytes) goes to its stdin.

        With a request, -ign_eof keeps s_client reading until the server closes
        (the request should say Connection: close)."""
        cmd = ["openssl", "s_client", "-connect", "127.0.0.1:%d" % srv.port]
        if servername:
            cmd += ["-servername", servername]
        else:
            cmd += ["-noservername"]
        if verify:
            cmd += ["-CAfile", self.pki.root, "-verify_return_error"]
            if servername:
                cmd += ["-verify_hostname", servername]
        if request is not None:
            cmd += ["-ign_eof"]
        cmd += list(args)
        return self.run(cmd, input=request if request is not None else b"", timeout=timeout)

    # -- a normal client, Python's ssl
    def client_context(self, cafile=None):
        ctx = ssl.create_default_context(cafile=cafile or self.pki.root)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        return ctx

    def get(self, srv, path, host="localhost", timeout=20, sink=None, ctx=None):
        """GET path over Python's ssl with Connection: close. Returns (status line,
        headers dict, body bytes, info); with sink (a function) the body goes there
        in pieces instead and body is b""."""
        ctx = ctx or self.client_context()
        raw = socket.create_connection(("127.0.0.1", srv.port), timeout=timeout)
        try:
            s = ctx.wrap_socket(raw, server_hostname=host)
            info = {"version": s.version(), "cipher": s.cipher()[0],
                    "alpn": s.selected_alpn_protocol()}
            s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                       % (path, host)).encode())
            buf = b""
            while b"\r\n\r\n" not in buf:
                b = s.recv(65536)
                if not b:
                    raise Failure("connection closed before the response headers: %r" % buf)
                buf += b
            head, body = buf.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            status = lines[0]
            headers = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            length = int(headers.get("content-length", "-1"))
            got = len(body)
            chunks = [body] if sink is None else []
            if sink is not None and body:
                sink(body)
            while length < 0 or got < length:
                try:
                    b = s.recv(1 << 20)
                except ssl.SSLZeroReturnError:
                    break
                if not b:
                    break
                got += len(b)
                if sink is None:
                    chunks.append(b)
                else:
                    sink(b)
            info["received"] = got
            return status, headers, b"".join(chunks), info
        finally:
            raw.close()

    def fetch_ok(self, srv, what="a normal fetch still works", path="/hello.txt"):
        """The server is alive and serves path intact to a normal client."""
        try:
            status, _, body, _ = self.get(srv, path, timeout=10)
            ok = http_status(status) == 200 and \
                hashlib.sha256(body).hexdigest() == self.files[path.lstrip("/")]
            detail = "" if ok else "status %r, %d bytes" % (status, len(body))
        except Exception as e:  # noqa: BLE001 - any failure of the fetch is the finding
            ok, detail = False, "%s: %s" % (type(e).__name__, e)
        self.check(srv.alive(), what + ": lucid-server is still running",
                   "" if srv.alive() else srv.output()[-3000:])
        return self.check(ok, what + ": GET %s returns the file" % path, detail)

    def finish(self):
        for s in self.servers:
            problems = s.stop()
            for p in problems:
                self.check(False, p, "lucid-server stderr (last 4000 chars):\n"
                           + s.stderr()[-4000:])
            if s.proc is not None and not problems:
                self.check(True, "lucid-server (%s) stopped cleanly on SIGTERM, no sanitizer "
                           "report on its stderr" % s.name)
        shutil.rmtree(self.tmp, ignore_errors=True)


# ---- parsing peers' output -----------------------------------------------------------------

def s_client_suite(out):
    m = re.search(r"Cipher is (\S+)", out) or re.search(r"^\s*Cipher\s*:\s*(\S+)", out, re.M)
    return m.group(1) if m else None


def s_client_protocol(out):
    m = re.search(r"New, (TLSv[\d.]+), Cipher is", out) or \
        re.search(r"^\s*Protocol\s*:\s*(\S+)", out, re.M)
    return m.group(1) if m else None


def s_client_group(out):
    """The key exchange group, as a registry name."""
    m = re.search(r"Negotiated TLS1\.3 group:\s*(\S+)", out)
    if m:
        g = m.group(1).lower()
        return {"x25519": "x25519", "secp256r1": "secp256r1", "prime256v1": "secp256r1",
                "p-256": "secp256r1", "secp384r1": "secp384r1", "p-384": "secp384r1"}.get(g, g)
    m = re.search(r"Server Temp Key:\s*([^\n]+)", out)
    if not m:
        return None
    k = m.group(1)
    if k.startswith("X25519"):
        return "x25519"
    if k.startswith("X448"):
        return "x448"
    if "prime256v1" in k or "P-256" in k:
        return "secp256r1"
    if "secp384r1" in k or "P-384" in k:
        return "secp384r1"
    m2 = re.match(r"(?:DH|FFDHE|ffdhe\d+),\s*(\d+) bits", k)
    if m2:
        return "ffdhe" + m2.group(1)
    return k


def s_client_sigalg(out):
    """The server's CertificateVerify scheme, as a registry name."""
    m = re.search(r"Peer signature type:\s*(\S+)", out)
    if not m:
        return None
    kind = m.group(1)
    if "_" in kind:
        return kind  # newer OpenSSL prints the registry name
    d = re.search(r"Peer signing digest:\s*(\S+)", out)
    digest = d.group(1).lower() if d else ""
    if kind == "ECDSA":
        return {"sha256": "ecdsa_secp256r1_sha256", "sha384": "ecdsa_secp384r1_sha384",
                "sha512": "ecdsa_secp521r1_sha512"}.get(digest, "ecdsa_" + digest)
    if kind == "RSA-PSS":
        return "rsa_pss_rsae_" + digest
    if kind == "RSA":
        return "rsa_pkcs1_" + digest
    if kind in ("Ed25519", "ED25519"):
        return "ed25519"
    return kind


def s_client_verify_ok(out):
    return re.search(r"Verify return code: 0 \(ok\)", out) is not None


def s_client_alpn(out):
    m = re.search(r"ALPN protocol: (\S+)", out)
    if m:
        return m.group(1)
    if "No ALPN negotiated" in out:
        return None
    return None


def s_client_alerts(out):
    """Alert numbers and names OpenSSL reports having received."""
    nums = [int(n) for n in re.findall(r"SSL alert number (\d+)", out)]
    names = re.findall(r"(?:tlsv1|sslv3|tlsv13) alert ([a-z ]+?)(?::|\n|$)", out)
    return nums, names


def http_status(text):
    m = re.search(r"HTTP/1\.[01] (\d{3})", text)
    return int(m.group(1)) if m else None


# ---- a raw TLS client over Python's ssl ------------------------------------------------------

def client_hello_bytes(ctx, host="localhost"):
    """A real ClientHello record from Python's ssl (OpenSSL), not sent anywhere."""
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname=host)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def parse_alerts(data):
    """Plaintext alert records in data: list of (level, description)."""
    alerts = []
    i = 0
    while i + 5 <= len(data):
        ctype, length = data[i], int.from_bytes(data[i + 3:i + 5], "big")
        body = data[i + 5:i + 5 + length]
        if ctype == 21 and len(body) == 2:
            alerts.append((body[0], body[1]))
        i += 5 + length
    return alerts


def recv_until_close(sock, timeout):
    """Reads until the peer closes (b"" or a reset). Returns (data, closed)."""
    sock.settimeout(0.2)
    data = b""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            b = sock.recv(65536)
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return data, True
        if not b:
            return data, True
        data += b
    return data, False


# ---- main ---------------------------------------------------------------------------------

def main(test, extra_args=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="the build's bin/ folder (lucid-server)")
    if extra_args:
        extra_args(ap)
    args = ap.parse_args()
    t = Test(args)
    # ctest's timeout: stop the servers on the way out
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("interrupted by SIGTERM"))
    code = 0
    start = time.time()
    try:
        test(t)
    except Skipped as e:
        print("\n" + "*" * 70)
        print("*** SKIPPED: %s" % e)
        print("*" * 70, flush=True)
        code = SKIP
    except Failure as e:
        t.failures.append(str(e))
        print("FAIL - " + str(e), flush=True)
    except Exception:  # noqa: BLE001 - a crash of the test is a failure
        t.failures.append("test raised")
        traceback.print_exc()
    finally:
        t.finish()
    if t.failures:
        print("\n%d of %d checks FAILED (%.1fs):" % (len(t.failures), t.checks,
                                                   time.time() - start))
        for f in t.failures:
            print("  - " + f)
        code = 1
    elif code == 0:
        print("\nall %d checks passed (%.1fs)" % (t.checks, time.time() - start))
    sys.stdout.flush()
    sys.exit(code)
