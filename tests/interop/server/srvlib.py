"""lucid-server run from a configuration file (-c), for the tests of tests/interop/server/:
its master and worker processes, their file descriptors and memory. Builds on lucidtest.py
(tests/interop/), whose Test object makes the PKI and the web root and stops every server.
Python 3 stdlib only."""

import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import lucidtest as lt  # noqa: E402  (the path above is where it lives)

LISTENING = re.compile(r"listening on (https?)://127\.0\.0\.1:(\d+)/")


class ConfServer(lt.Server):
    """lucid-server -c FILE. The configuration's listeners use port 0; the ports the
    kernel picked are read from the "listening on" lines: self.ports["https"] and
    self.ports["http"] (the first of each), and self.port is the TLS one (for lucidtest's
    helpers)."""

    def __init__(self, t, conf_text, name="server", args=(), listeners=None):
        super().__init__(t, [], t.webroot, args, name)
        self.conf_path = os.path.join(t.tmp, "%s.conf" % name)
        self.write_conf(conf_text)
        self.ports = {}
        # one "listening on" line per distinct address
        self.expect = listeners or len(re.findall(r"^\s*listen\s", conf_text, re.M))

    def write_conf(self, text):
        with open(self.conf_path, "w") as f:
            f.write(text)

    def command(self, port):
        return [self.t.lucid_server, "-c", self.conf_path] + self.args

    def start(self, timeout=20):
        cmd = self.command(0)
        self.t.log("start: " + " ".join(cmd))
        # Under ASan, freed memory waits in a quarantine of up to 256 MiB, which reads as
        # growth in the memory checks: none here (LeakSanitizer still runs at exit).
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = ":".join(x for x in (env.get("ASAN_OPTIONS", ""),
                                                   "quarantine_size_mb=0") if x)
        with open(self.stdout_path, "wb") as so, open(self.stderr_path, "wb") as se:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=so, stderr=se,
                                         cwd=self.t.tmp, env=env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = LISTENING.findall(self.output())
            if len(found) >= self.expect:
                for scheme, port in found:
                    self.ports.setdefault(scheme, int(port))
                self.port = self.ports.get("https")
                self.t.log("%s ready: %s" % (self.name, self.ports))
                return self
            if self.proc.poll() is not None:
                raise lt.Failure("lucid-server exited with status %s before it was ready:\n%s"
                                 % (self.proc.returncode, self.output()))
            time.sleep(0.02)
        self._kill()
        raise lt.Failure("lucid-server printed no ready lines within %ds; output:\n%s"
                         % (timeout, self.output()))

    def workers(self):
        """The pids of the master's children (its workers)."""
        kids = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % pid) as f:
                    stat = f.read()
            except OSError:
                continue
            # "pid (comm) state ppid ...": comm may hold spaces, so split after ')'
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == self.proc.pid:
                kids.append(int(pid))
        return sorted(kids)

    def wait_workers(self, n, timeout=10, exclude=()):
        deadline = time.time() + timeout
        while time.time() < deadline:
            w = [p for p in self.workers() if p not in exclude]
            if len(w) >= n:
                return w
            time.sleep(0.05)
        return [p for p in self.workers() if p not in exclude]

    def idle_fds(self, n):
        """The workers' descriptors once n workers have started and finished setting up
        (each takes copies of its sockets, then closes the master's): the count stable for
        half a second, after a first fetch."""
        self.wait_workers(n)
        self.t.fetch_ok(self, "a first fetch")
        last, since = -1, time.time()
        deadline = time.time() + 10
        while time.time() < deadline:
            now = sum(fd_count(p) for p in self.workers())
            if now != last:
                last, since = now, time.time()
            elif time.time() - since >= 0.5:
                break
            time.sleep(0.05)
        return last

    def signal(self, sig):
        os.kill(self.proc.pid, sig)

    def wait_output(self, text, timeout=10, count=1):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.output().count(text) >= count:
                return True
            time.sleep(0.05)
        return False


def fd_count(pid):
    """Open descriptors of pid, not counting the served files a worker keeps open in its
    file cache (src/server/file_cache.c: bounded, and kept on purpose): sockets, pipes and
    logs are what a leak would show in."""
    n = 0
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if "/www/" in target and target.startswith("/tmp/lucid-interop-"):
                continue
            n += 1
    except OSError:
        return -1
    return n


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def site_conf(t, listen, extra_http="", extra_server="", workers=2, certs=None, root=None):
    """A one-site configuration: listen is a list of "127.0.0.1:0 ssl"-style strings."""
    certs = certs if certs is not None else [t.pki.certs["ecdsa"]]
    lines = ["worker_processes %s;" % workers,
             "events { worker_connections 4096; }",
             "http {",
             "    access_log %s;" % os.path.join(t.tmp, "access.log"),
             extra_http,
             "    server {"]
    lines += ["        listen %s;" % l for l in listen]
    lines += ["        server_name localhost;"]
    for c in certs:
        lines += ["        ssl_certificate %s;" % c.chain,
                  "        ssl_certificate_key %s;" % c.key]
    lines += [extra_server,
              "        location / { root %s; }" % (root or t.webroot),
              "    }",
              "}"]
    return "\n".join(lines) + "\n"


def tls_socket(t, port, host="localhost", timeout=10):
    ctx = t.client_context()
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return ctx.wrap_socket(raw, server_hostname=host)


def read_response(sock, buf=b""):
    """One HTTP/1.1 response with a Content-Length from sock: (status, headers, body, rest)."""
    while b"\r\n\r\n" not in buf:
        b = sock.recv(65536)
        if not b:
            raise lt.Failure("connection closed before a response head (%r)" % buf[:200])
        buf += b
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        b = sock.recv(1 << 20)
        if not b:
            raise lt.Failure("connection closed after %d of %d body bytes" % (len(rest), length))
        rest += b
    return lt.http_status(lines[0]), headers, rest[:length], rest[length:]


def leaf_fingerprint(t, port, host="localhost"):
    """SHA-256 of the certificate a new TLS connection gets."""
    import hashlib
    s = tls_socket(t, port, host)
    try:
        return hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest()
    finally:
        s.close()


__all__ = ["lt", "ConfServer", "fd_count", "rss_kib", "site_conf", "tls_socket",
           "read_response", "leaf_fingerprint", "signal", "ssl"]
