"""lucid-server's signals (issue 5):

- SIGHUP with a changed certificate: new connections get the new certificate, while a
  64 MiB download started before it finishes intact on the old worker; a reload with a
  broken configuration is refused and the old one keeps serving;
- SIGTERM during a 64 MiB download: the download finishes intact, then the server exits 0.
"""
import hashlib
import shutil
import signal
import threading
import time

from srvlib import ConfServer, lt, leaf_fingerprint, site_conf, tls_socket


class SlowDownload(threading.Thread):
    """GET /big.bin over TLS, read slowly at first so it is still under way when the
    signal comes; records the status, byte count and SHA-256."""

    def __init__(self, t, port):
        super().__init__(daemon=True)
        self.t, self.port = t, port
        self.started = threading.Event()
        self.status = None
        self.got = 0
        self.digest = None
        self.error = None

    def run(self):
        try:
            s = tls_socket(self.t, self.port, timeout=60)
            s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            h = hashlib.sha256()
            buf = b""
            while b"\r\n\r\n" not in buf:
                buf += s.recv(65536)
            head, body = buf.split(b"\r\n\r\n", 1)
            self.status = lt.http_status(head.decode("latin-1"))
            length = int([l.split(b":")[1] for l in head.split(b"\r\n")
                          if l.lower().startswith(b"content-length:")][0])
            h.update(body)
            self.got = len(body)
            self.started.set()
            t0 = time.time()
            while self.got < length:
                if time.time() - t0 < 1.5:
                    time.sleep(0.01)  # slow at first: the signal lands mid-response
                b = s.recv(1 << 16)
                if not b:
                    break
                h.update(b)
                self.got += len(b)
            self.digest = h.hexdigest()
            s.close()
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.error = "%s: %s" % (type(e).__name__, e)
            self.started.set()


def check_reload(t):
    big = t.need_big_file()
    chain = t.tmp + "/live_chain.pem"
    key = t.tmp + "/live_key.pem"
    ecdsa, rsa = t.pki.certs["ecdsa"], t.pki.certs["rsa"]
    shutil.copy(ecdsa.chain, chain)
    shutil.copy(ecdsa.key, key)
    live = lt.Cert("live", chain, key, None)
    srv = ConfServer(t, site_conf(t, ["127.0.0.1:0 ssl"], certs=[live], workers=2),
                     name="reload")
    t.servers.append(srv)
    srv.start()
    old_workers = srv.wait_workers(2)
    before = leaf_fingerprint(t, srv.port)

    dl = SlowDownload(t, srv.port)
    dl.start()
    dl.started.wait(20)
    shutil.copy(rsa.chain, chain)
    shutil.copy(rsa.key, key)
    srv.signal(signal.SIGHUP)
    t.check(srv.wait_output("reloaded the configuration", timeout=10),
            "SIGHUP: the master reloads", srv.output()[-2000:])
    after = leaf_fingerprint(t, srv.port)
    t.check(before != after, "a new connection after SIGHUP gets the new certificate")
    dl.join(120)
    t.check(dl.error is None and dl.status == 200 and dl.digest == t.file_hash("big.bin"),
            "the 64 MiB download under way during SIGHUP finishes intact",
            "error %s, status %s, %d bytes" % (dl.error, dl.status, dl.got))
    new_workers = srv.wait_workers(2, timeout=15, exclude=old_workers)
    deadline = time.time() + 15
    while time.time() < deadline and set(old_workers) & set(srv.workers()):
        time.sleep(0.1)
    t.check(not (set(old_workers) & set(srv.workers())) and len(new_workers) == 2,
            "the old workers exit once their connections finish; two new ones run")

    # A broken configuration: refused, the running one keeps serving
    srv.write_conf("http { server { listen 127.0.0.1:0 ssl; } ")
    srv.signal(signal.SIGHUP)
    t.check(srv.wait_output("reload failed", timeout=10),
            "SIGHUP with a broken file: the reload is refused and says why",
            srv.output()[-2000:])
    t.fetch_ok(srv, "the old configuration still serves after a failed reload")
    del big


def check_term(t):
    t.need_big_file()
    srv = ConfServer(t, site_conf(t, ["127.0.0.1:0 ssl"], workers=2), name="term")
    t.servers.append(srv)
    srv.start()
    dl = SlowDownload(t, srv.port)
    dl.start()
    dl.started.wait(20)
    srv.signal(signal.SIGTERM)
    dl.join(120)
    t.check(dl.error is None and dl.status == 200 and dl.digest == t.file_hash("big.bin"),
            "SIGTERM: the 64 MiB download under way finishes intact",
            "error %s, status %s, %d bytes" % (dl.error, dl.status, dl.got))
    try:
        rc = srv.proc.wait(20)
    except Exception:  # noqa: BLE001
        rc = None
    t.check(rc == 0, "SIGTERM: the server then exits 0 (status %s)" % rc,
            srv.output()[-2000:])
    srv.stopped = True
    err = srv.stderr()
    t.check(not any(m in err for m in lt.SANITIZER_MARKS),
            "no sanitizer report on the server's stderr", err[-3000:])


def test(t):
    check_reload(t)
    check_term(t)


lt.main(test)
