#!/usr/bin/env python3
"""Issue 3, item 6: KeyUpdate. openssl s_client is driven through a pipe over one
keep-alive connection: a request, then its interactive command "K" (KeyUpdate,
update_requested) or "k" (update_not_requested), then more requests. Asserted:
s_client printed KEYUPDATE and sent a KeyUpdate (-msg ">>> ... KeyUpdate"), every
request after it gets its response (so lucid-server switched its receiving
keys), and after "K" lucid-server sent its own KeyUpdate ("<<< ... KeyUpdate",
RFC 8446 4.6.3) and its later records still decrypt."""

import os
import re
import subprocess
import threading
import time

import lucidtest as lt


class Piped:
    """A process whose stdout and stderr are collected as they come."""

    def __init__(self, cmd, cwd):
        self.cmd = cmd
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=cwd)
        self.out = ""
        self.err = ""
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._pump, args=(self.p.stdout, "out")),
                        threading.Thread(target=self._pump, args=(self.p.stderr, "err"))]
        for th in self.threads:
            th.daemon = True
            th.start()

    def _pump(self, f, attr):
        while True:
            b = os.read(f.fileno(), 65536)
            if not b:
                return
            with self.lock:
                setattr(self, attr, getattr(self, attr) + b.decode("utf-8", "replace"))

    def send(self, text):
        self.p.stdin.write(text.encode())
        self.p.stdin.flush()

    def wait_for(self, pred, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if pred(self.out, self.err):
                    return True
            if self.p.poll() is not None:
                time.sleep(0.1)
                with self.lock:
                    return pred(self.out, self.err)
            time.sleep(0.02)
        return False

    def describe(self):
        with self.lock:
            text = self.out + "\n--- stderr ---\n" + self.err
        if len(text) > 6000:
            text = text[:2000] + "\n[...]\n" + text[-4000:]
        return "$ %s (rc=%s)\n%s" % (" ".join(self.cmd), self.p.poll(), text)

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        try:
            self.p.wait(5)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


SENT_KU = r">>> TLS 1\.3, Handshake \[length [0-9a-f]+\], KeyUpdate"
RECV_KU = r"<<< TLS 1\.3, Handshake \[length [0-9a-f]+\], KeyUpdate"


def count(pattern, text):
    return len(re.findall(pattern, text))


def test(t):
    srv = t.server()
    body = t.file_bytes("hello.txt").decode()
    page = t.file_bytes("dir/page.txt").decode()
    request = "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
    request2 = "GET /dir/page.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"

    cmd = ["openssl", "s_client", "-connect", "127.0.0.1:%d" % srv.port,
           "-servername", "localhost", "-CAfile", t.pki.root, "-verify_return_error",
           "-tls1_3", "-msg"]
    c = Piped(cmd, t.tmp)
    try:
        t.require(c.wait_for(lambda o, e: "Verify return code: 0 (ok)" in o),
                  "s_client handshake done, chain verified", c.describe())
        c.send(request)
        t.require(c.wait_for(lambda o, e: o.count(body) >= 1),
                  "response 1 before any KeyUpdate", c.describe())

        responses = 1
        sent_ku = 0
        recv_ku = 0
        for cmdletter in ("K", "k", "K", "K", "k"):
            c.send(cmdletter + "\n")
            sent_ku += 1
            ok = c.wait_for(lambda o, e: e.count("KEYUPDATE") >= sent_ku
                            and count(SENT_KU, o) >= sent_ku)
            t.check(ok, "s_client '%s': KEYUPDATE printed, KeyUpdate #%d sent"
                    % (cmdletter, sent_ku), c.describe())
            if not ok:
                break
            time.sleep(0.1)  # the next write must be a separate read for s_client
            # two requests in one write, then one more: all must be answered
            c.send(request + request2)
            time.sleep(0.05)
            c.send(request)
            responses += 2
            ok = c.wait_for(lambda o, e: o.count(body) >= responses and o.count(page) >= sent_ku)
            t.check(ok, "after '%s': the next 3 requests are answered (%d responses so far)"
                    % (cmdletter, responses), c.describe())
            if not ok:
                break
            if cmdletter == "K":
                recv_ku += 1
                t.check(count(RECV_KU, c.out) >= recv_ku,
                        "after 'K' (update_requested): lucid-server sent its own KeyUpdate "
                        "(#%d)" % recv_ku, c.describe())
            else:
                t.check(count(RECV_KU, c.out) == recv_ku,
                        "after 'k' (update_not_requested): no KeyUpdate from lucid-server",
                        c.describe())
        t.check(c.p.poll() is None, "s_client still connected after the key updates",
                c.describe())
        c.send("Q\n")
        c.wait_for(lambda o, e: "DONE" in e, timeout=5)
    finally:
        c.close()
    t.check(re.search(r":error:", c.err) is None, "s_client reported no error", c.describe())
    t.fetch_ok(srv)


lt.main(test)
