"""Shared helpers for lucid-server's HTTP/1.1 interop tests (issue 5).

Each test script does

    import httptest as ht
    def test(t):                          # t: lucidtest.Test
        srv = ht.server(t)                # --plain and --listen on 127.0.0.1:0, quick start
        with ht.Conn(t, srv, tls=True) as c:
            c.send(b"GET / HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n")
            r = c.response()
            t.check(r.status == 200, "GET / is 200", r.describe())
    ht.main(test)

The server is lucid-server started with the quick-start flags only (--plain, --listen,
--cert/--key from tests/vectors/certs, --root, --access-log, --workers 2: two worker
processes, as issue 5's acceptance asks), so these tests keep checking
what a person running it from the README gets. Responses are read by a strict little
HTTP/1.1 reader over raw sockets (plain, or Python's ssl trusting the vectors' CA), so that
pipelining, exact bytes and connection closes are visible; curl is used as a second,
independent client where it adds something.
"""

import hashlib
import os
import re
import socket
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import lucidtest as lt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.normpath(os.path.join(HERE, "..", "..", "vectors", "certs"))
CA = os.path.join(VECTORS, "ca_cert.pem")
CHAIN = os.path.join(VECTORS, "ecdsa_chain.pem")
KEY = os.path.join(VECTORS, "ecdsa_key.pem")

# Statuses that never carry content (RFC 9110 6.4.1), whatever their Content-Length says.
NO_BODY = (204, 304)


class HttpServer(lt.Server):
    """lucid-server with one plain and one TLS listener, both on 127.0.0.1 port 0."""

    PLAIN = re.compile(r"listening on http://127\.0\.0\.1:(\d+)/")
    TLS = re.compile(r"listening on https://127\.0\.0\.1:(\d+)/")

    def __init__(self, t, root, args=(), name="server"):
        super().__init__(t, [], root, args, name)
        self.plain_port = None
        self.tls_port = None
        self.access_log = os.path.join(t.tmp, "%s-access.log" % name)

    def command(self, port):
        return [self.t.lucid_server, "--plain", "127.0.0.1:0", "--listen", "127.0.0.1:0",
                "--cert", CHAIN, "--key", KEY, "--root", self.root,
                "--access-log", self.access_log, "--quiet", "--workers", "2"] + self.args

    def start(self, timeout=20):
        cmd = self.command(0)
        self.t.log("start: " + " ".join(cmd))
        with open(self.stdout_path, "wb") as so, open(self.stderr_path, "wb") as se:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=so, stderr=se,
                                         cwd=self.t.tmp)
        deadline = time.time() + timeout
        while time.time() < deadline:
            out = self.output()
            p, s = self.PLAIN.search(out), self.TLS.search(out)
            if p and s:
                self.plain_port, self.tls_port = int(p.group(1)), int(s.group(1))
                self.port = self.tls_port
                self.t.log("%s ready: plain port %d, TLS port %d"
                           % (self.name, self.plain_port, self.tls_port))
                return self
            if self.proc.poll() is not None:
                raise lt.Failure("lucid-server exited with status %s before it was ready:\n%s"
                                 % (self.proc.returncode, out))
            time.sleep(0.02)
        self._kill()
        raise lt.Failure("lucid-server printed no ready lines within %ds; output:\n%s"
                         % (timeout, self.output()))

    def port_for(self, tls):
        return self.tls_port if tls else self.plain_port

    def url(self, tls, path="/"):
        return "%s://localhost:%d%s" % ("https" if tls else "http", self.port_for(tls), path)

    def log_lines(self):
        try:
            with open(self.access_log, "rb") as f:
                return f.read().decode("utf-8", "replace").splitlines()
        except FileNotFoundError:
            return []

    def wait_log(self, count, timeout=5):
        """The access log once it has at least count lines."""
        deadline = time.time() + timeout
        while True:
            lines = self.log_lines()
            if len(lines) >= count or time.time() > deadline:
                return lines
            time.sleep(0.02)


def server(t, args=(), name="server"):
    if not os.path.exists(t.lucid_server):
        raise lt.Failure("lucid-server is not built: %s does not exist" % t.lucid_server)
    s = HttpServer(t, t.webroot, args, name)
    t.servers.append(s)
    return s.start()


def client_context():
    ctx = ssl.create_default_context(cafile=CA)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


class Response:
    def __init__(self, status_line, headers, body, raw_head):
        self.status_line = status_line
        m = re.match(r"HTTP/1\.1 (\d{3}) (.*)$", status_line)
        self.status = int(m.group(1)) if m else None
        self.reason = m.group(2) if m else None
        self.fields = headers            # [(name lower, value)] in order
        self.headers = {}
        for k, v in headers:
            self.headers.setdefault(k, v)
        self.body = body
        self.raw_head = raw_head

    def get(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def count(self, name):
        return sum(1 for k, _ in self.fields if k == name.lower())

    def describe(self):
        body = self.body[:200]
        return "%s\n(%d body bytes) %r" % (self.raw_head.decode("latin-1").rstrip(),
                                          len(self.body), body)


class Conn:
    """One connection to srv, plain or TLS, that sends raw bytes and reads responses."""

    def __init__(self, t, srv, tls, timeout=20):
        self.t = t
        self.tls = tls
        raw = socket.create_connection(("127.0.0.1", srv.port_for(tls)), timeout=timeout)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = client_context().wrap_socket(raw, server_hostname="localhost") \
            if tls else raw
        self.buf = b""
        self.eof = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data):
        self.sock.sendall(data)

    def _more(self):
        if self.eof:
            return False
        try:
            b = self.sock.recv(1 << 20)
        except (ssl.SSLZeroReturnError, ConnectionResetError, BrokenPipeError):
            b = b""
        if not b:
            self.eof = True
            return False
        self.buf += b
        return True

    def response(self, head_request=False):
        """Reads one response (after a HEAD: its head only). Raises lt.Failure if the
        connection closes first."""
        while b"\r\n\r\n" not in self.buf:
            if not self._more():
                raise lt.Failure("connection closed before a whole response head (got %r)"
                                 % self.buf[:300])
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        fields = []
        for line in lines[1:]:
            k, sep, v = line.partition(":")
            if not sep or k != k.strip():
                raise lt.Failure("malformed response field line %r" % line)
            fields.append((k.lower(), v.strip()))
        r = Response(lines[0], fields, b"", head + b"\r\n\r\n")
        if head_request or r.status in NO_BODY:
            return r
        length = r.get("content-length")
        if length is None or r.get("transfer-encoding") is not None:
            raise lt.Failure("response without Content-Length: %s" % r.describe())
        length = int(length)
        while len(self.buf) < length:
            if not self._more():
                raise lt.Failure("connection closed after %d of %d body bytes"
                                 % (len(self.buf), length))
        r.body, self.buf = self.buf[:length], self.buf[length:]
        return r

    def closed_by_server(self, timeout=5):
        """True once the server closes the connection with nothing more to read (extra bytes
        after the responses are an error: the caller sees them in self.buf)."""
        self.sock.settimeout(0.2)
        deadline = time.time() + timeout
        try:
            while time.time() < deadline:
                try:
                    if not self._more():
                        return True
                except (socket.timeout, ssl.SSLWantReadError):
                    continue
                except OSError:
                    return True
            return False
        finally:
            self.sock.settimeout(20)


def request(path, method="GET", host="localhost", extra="", version="HTTP/1.1"):
    """A request head; extra holds more field lines, each ending in CRLF."""
    return ("%s %s %s\r\nHost: %s\r\n%s\r\n" % (method, path, version, host, extra)).encode()


def exchange(t, srv, tls, raw, head_request=False):
    """One request on a fresh connection: its response."""
    with Conn(t, srv, tls) as c:
        c.send(raw)
        return c.response(head_request)


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def both(fn):
    """Runs fn(tls) over the plain listener and then the TLS one."""
    for tls in (False, True):
        fn(tls)


def name(tls):
    return "TLS" if tls else "plain"


def main(test):
    lt.main(test)
