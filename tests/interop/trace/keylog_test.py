#!/usr/bin/env python3
"""Key logs (issue 6): tshark captures one HTTPS fetch on the loopback and must decrypt it
with the NSS key log written by one side, showing the HTTP request line and the 200 status;
without the key log it must show no HTTP at all. Three pairs:
  lucid-client (--keylog) -> lucid-server
  openssl s_client (-keylogfile) -> lucid-server  (and lucid-server's own --keylog /
                                                   SSLKEYLOGFILE must decrypt it too)
  lucid-client (SSLKEYLOGFILE) -> openssl s_server -WWW
Capturing needs root or CAP_NET_RAW (tshark -i lo). Exit 77 only when tshark or openssl is
missing (scripts/setup.sh test installs them)."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import tracelib as tl

LABELS = ("CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
          "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0")


class Capture:
    def __init__(self, port, path):
        self.path = path
        self.log = tempfile.NamedTemporaryFile(prefix="tshark-", suffix=".log", delete=False)
        self.p = subprocess.Popen(["tshark", "-i", "lo", "-f", "tcp port %d" % port, "-w", path],
                                  stdout=self.log, stderr=self.log)
        # tshark says "Capturing on 'Loopback: lo'" once the capture runs.
        deadline = time.time() + 20
        while time.time() < deadline:
            if "Capturing on" in self.text() or self.p.poll() is not None:
                break
            time.sleep(0.1)
        time.sleep(0.3)

    def text(self):
        with open(self.log.name, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        time.sleep(0.5)  # let the last packets reach the capture
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        return os.path.exists(self.path) and os.path.getsize(self.path) > 0


def decrypt(pcap, keylog, port):
    """(request lines, response codes) that tshark finds in the capture."""
    # http.desegment_body off: s_server -WWW answers HTTP/1.0 with no Content-Length, a body
    # that tshark would otherwise wait for until the end of the stream and never dissect.
    cmd = ["tshark", "-r", pcap, "-o", "http.desegment_body:FALSE",
           "-d", "tcp.port==%d,tls" % port, "-Y", "http",
           "-T", "fields", "-E", "separator=|", "-e", "http.request.method",
           "-e", "http.request.uri", "-e", "http.request.version", "-e", "http.response.code"]
    if keylog is not None:
        cmd[3:3] = ["-o", "tls.keylog_file:" + keylog]
    else:
        cmd[3:3] = ["-o", "tls.keylog_file:"]
    r = tl.run(cmd, timeout=60)
    out = r.stdout.decode(errors="replace")
    return r, out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def check_keylog_file(name, path):
    text = open(path).read() if os.path.exists(path) else ""
    ok = all(re.search(r"^%s [0-9a-f]{64} [0-9a-f]{64}$" % l, text, re.M) for l in LABELS)
    tl.check(ok, "%s: key log has the four traffic secrets" % name, text)


def check_decrypt(name, pcap, keylog, port):
    r, out = decrypt(pcap, keylog, port)
    ok = "GET|/|HTTP/1.1|" in out and re.search(r"^\|\|\|200$", out, re.M) is not None
    tl.check(ok, "%s: tshark decrypts GET / and the 200 with the key log" % name,
             "rc=%d\nstdout:\n%s\nstderr:\n%s" % (r.returncode, out,
                                                   r.stderr.decode(errors="replace")))
    r, out = decrypt(pcap, None, port)
    tl.check(out.strip() == "" and "GET" not in out,
             "%s: without the key log tshark shows no HTTP" % name, out)


def case_lucid_lucid(a, root, work):
    name = "lucid-client -> lucid-server"
    pcap, ckl, skl = (os.path.join(work, n) for n in ("ll.pcap", "ll-client.keys", "ll-server.keys"))
    srv = tl.Server(a.bin, root, ["--keylog", skl])
    try:
        cap = Capture(srv.port, pcap)
        r = tl.lucid_client(a.bin, srv.port, ["--keylog", ckl])
        captured = cap.stop()
    finally:
        srv.stop()
    tl.check(r.returncode == 0 and r.stdout == tl.BODY, "%s: fetched" % name,
             r.stderr.decode(errors="replace"))
    if not tl.check(captured, "%s: captured on lo" % name, cap.text()):
        return
    check_keylog_file(name + " (client)", ckl)
    check_keylog_file(name + " (server --keylog)", skl)
    tl.check(open(ckl).read() == open(skl).read(),
             "%s: client and server key logs agree" % name)
    check_decrypt(name, pcap, ckl, srv.port)


def case_openssl_lucid(a, root, work):
    name = "openssl s_client -> lucid-server"
    pcap, ckl, skl = (os.path.join(work, n) for n in ("ol.pcap", "ol-client.keys", "ol-server.keys"))
    env = dict(os.environ, SSLKEYLOGFILE=skl)
    srv = tl.Server(a.bin, root, [], env=env)
    try:
        cap = Capture(srv.port, pcap)
        r = tl.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % srv.port,
                    "-servername", "localhost", "-CAfile", tl.CA, "-verify_return_error",
                    "-tls1_3", "-keylogfile", ckl, "-quiet", "-ign_eof"],
                   input=b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        captured = cap.stop()
    finally:
        srv.stop()
    out = r.stdout.decode(errors="replace")
    tl.check("200 OK" in out and tl.BODY.decode() in out, "%s: fetched" % name,
             out + r.stderr.decode(errors="replace"))
    if not tl.check(captured, "%s: captured on lo" % name, cap.text()):
        return
    check_keylog_file(name + " (openssl)", ckl)
    check_keylog_file(name + " (server SSLKEYLOGFILE)", skl)
    check_decrypt(name, pcap, ckl, srv.port)
    check_decrypt(name + " (lucid-server's key log)", pcap, skl, srv.port)


def case_lucid_openssl(a, root, work):
    name = "lucid-client -> openssl s_server -WWW"
    pcap, ckl = os.path.join(work, "lo.pcap"), os.path.join(work, "lo-client.keys")
    port = free_port()
    p = subprocess.Popen(["openssl", "s_server", "-accept", "127.0.0.1:%d" % port,
                          "-cert", tl.CHAIN, "-cert_chain", tl.CHAIN, "-key", tl.KEY, "-tls1_3", "-WWW", "-quiet"],
                         cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        cap = Capture(port, pcap)
        # s_server -WWW wants a path to a file: /index.html.
        r = tl.run([os.path.join(a.bin, "lucid-client"), "--cacert", tl.CA,
                    "https://localhost:%d/index.html" % port],
                   env=dict(os.environ, SSLKEYLOGFILE=ckl))
        captured = cap.stop()
    finally:
        p.terminate()
        p.wait()
    tl.check(r.returncode == 0 and r.stdout == tl.BODY, "%s: fetched" % name,
             "rc=%d %s" % (r.returncode, r.stderr.decode(errors="replace")))
    if not tl.check(captured, "%s: captured on lo" % name, cap.text()):
        return
    check_keylog_file(name + " (client SSLKEYLOGFILE)", ckl)
    r2, out = decrypt(pcap, ckl, port)
    ok = "GET|/index.html|HTTP/1.1|" in out and re.search(r"^\|\|\|200$", out, re.M)
    tl.check(bool(ok), "%s: tshark decrypts GET /index.html and the 200 with the key log" % name,
             "stdout:\n%s\nstderr:\n%s" % (out, r2.stderr.decode(errors="replace")))
    r2, out = decrypt(pcap, None, port)
    tl.check(out.strip() == "", "%s: without the key log tshark shows no HTTP" % name, out)


def main():
    a = tl.parse_args()
    for tool in ("tshark", "openssl"):
        if shutil.which(tool) is None:
            tl.skip("%s is not installed (scripts/setup.sh test)" % tool)
    root = tl.webroot()
    work = tempfile.mkdtemp(prefix="lucid-keylog-")
    try:
        case_lucid_lucid(a, root, work)
        case_openssl_lucid(a, root, work)
        case_lucid_openssl(a, root, work)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if not tl.failures:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("captures and key logs kept in " + work)
    tl.finish()


if __name__ == "__main__":
    main()
