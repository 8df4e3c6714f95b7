#!/usr/bin/env python3
"""lucid-client against Python's ssl module (http.server over an ssl.SSLContext with
minimum_version TLSv1_3), and lucid-client's HTTP and command-line behaviour.

- byte-exact downloads with each certificate type, over IPv4 and IPv6 ([::1]);
- bodies framed by Content-Length, by chunked coding (with extensions and trailers), and
  by the end of the connection (accepted only after close_notify: exit 56 without it);
- an interim 100 response, 204, a short body (18), an empty reply (52), a reply that is
  not HTTP (8), --fail (22);
- --keylog and SSLKEYLOGFILE write the same secrets Python's server logs;
- --connect-to, http:// URLs, -o FILE (never left half-written), --max-time (28);
- usage errors (2), bad URLs (3), unsupported schemes (1), unresolvable (6) and refused (7)
  hosts.
"""

import http.server
import os
import socket
import socketserver
import ssl
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clientlib as cl  # noqa: E402

CHUNKS = [b"first chunk\n", b"x" * 5000, b"\x00\x01\x02", os.urandom(70000)]


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def raw(self, data):
        self.wfile.write(data)
        self.wfile.flush()

    def close_notify(self):
        """Sends close_notify (and waits for the client's) before the TCP close."""
        if isinstance(self.connection, ssl.SSLSocket):
            try:
                self.connection.unwrap()
            except (OSError, ssl.SSLError):
                pass
        self.close_connection = True

    def do_GET(self):
        p = self.path
        if p == "/chunked":
            out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            for i, c in enumerate(CHUNKS):
                ext = b";name=value" if i == 1 else b""
                out += b"%x%s\r\n%s\r\n" % (len(c), ext, c)
            out += b"0\r\nX-Trailer: yes\r\n\r\n"
            self.raw(out)
        elif p in ("/eof-notify", "/eof-cut"):
            self.raw(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + CHUNKS[3])
            if p == "/eof-notify":
                self.close_notify()
            self.close_connection = True
        elif p == "/short":
            self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789")
            self.close_notify()
        elif p == "/interim":
            self.raw(b"HTTP/1.1 100 Continue\r\n\r\n"
                     b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nfinal\n")
        elif p == "/no-content":
            self.raw(b"HTTP/1.1 204 No Content\r\n\r\n")
        elif p == "/garbage":
            self.raw(b"SSH-2.0-not-http\r\n\r\n")
            self.close_notify()
        elif p == "/empty":
            self.close_notify()
        elif p == "/status/500":
            self.raw(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops\n")
        elif p == "/host":
            body = self.headers.get("Host", "").encode() + b"\n"
            self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        else:
            super().do_GET()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # clients that abort on purpose are the point of some checks


class Server6(Server):
    address_family = socket.AF_INET6


def start(www, ctx=None, host="127.0.0.1"):
    cls = Server6 if ":" in host else Server

    def handler(*a, **kw):
        return Handler(*a, directory=www, **kw)
    srv = cls((host, 0), handler)
    if ctx is not None:
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                     do_handshake_on_connect=False)
    threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
    return srv, srv.server_address[1]


def tls_ctx(leaf, keylog=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_cert_chain(leaf["chain"], leaf["key"])
    ctx.set_alpn_protocols(["http/1.1"])
    if keylog:
        ctx.keylog_filename = keylog
    return ctx


def keylog_lines(path):
    if not os.path.exists(path):
        return set()
    return {ln.strip() for ln in open(path) if ln.strip() and not ln.startswith("#")}


def main():
    s = cl.Suite("python")
    pki = cl.Pki(os.path.join(s.tmp, "pki"))
    www = os.path.join(s.tmp, "www")
    files = cl.make_www(www)
    ca = ["--cacert", pki.root["cert"]]
    chunked_body = b"".join(CHUNKS)

    # ---- each certificate type, IPv4
    for kind, scheme in (("ecdsa", "ecdsa_secp256r1_sha256"), ("rsa", "rsa_pss_rsae_sha256"),
                         ("ed25519", "ed25519")):
        srv, port = start(www, tls_ctx(pki.leaf[kind]))
        r = cl.run_client(s, f"https://localhost:{port}/random-100k.bin", "-v", *ca)
        s.check(r.rc == 0 and r.out == files["random-100k.bin"]
                and r.info.get("signature scheme") == scheme
                and r.info.get("ALPN") == "http/1.1",
                f"python ssl {kind}: byte-exact download, {scheme}, ALPN http/1.1", r.describe())
        srv.shutdown()
        srv.server_close()

    srv_keylog = os.path.join(s.tmp, "server-keylog.txt")
    srv, port = start(www, tls_ctx(pki.leaf["ecdsa"], keylog=srv_keylog))
    base = f"https://localhost:{port}"

    # ---- body framing
    r = cl.run_client(s, f"{base}/chunked", "-v", *ca)
    s.check(r.rc == 0 and r.out == chunked_body and "< X-Trailer: yes" in r.err,
            "chunked body with an extension and a trailer", r.describe())
    r = cl.run_client(s, f"{base}/eof-notify", *ca)
    s.check(r.rc == 0 and r.out == CHUNKS[3], "body to the end, ended by close_notify",
            r.describe())
    r = cl.run_client(s, f"{base}/eof-cut", *ca)
    s.check(r.rc == 56 and "close_notify" in r.err,
            "body to the end, cut without close_notify: exit 56, says so", r.describe())
    out = os.path.join(s.tmp, "cut.bin")
    r = cl.run_client(s, f"{base}/eof-cut", "-o", out, *ca)
    s.check(r.rc == 56 and not os.path.exists(out) and not [
        f for f in os.listdir(s.tmp) if f.startswith("cut.bin")],
            "-o FILE: a cut body leaves no file behind", r.describe())
    r = cl.run_client(s, f"{base}/short", *ca)
    s.check(r.rc == 18 and "990 bytes" in r.err, "Content-Length 1000, 10 sent: exit 18",
            r.describe())
    r = cl.run_client(s, f"{base}/interim", "-v", *ca)
    s.check(r.rc == 0 and r.out == b"final\n" and "< HTTP/1.1 100 Continue" in r.err,
            "an interim 100 response is skipped", r.describe())
    r = cl.run_client(s, f"{base}/no-content", *ca)
    s.check(r.rc == 0 and r.out == b"", "204: no body, exit 0", r.describe())
    r = cl.run_client(s, f"{base}/garbage", *ca)
    s.check(r.rc == 8 and r.out == b"", "a reply that is not HTTP: exit 8", r.describe())
    r = cl.run_client(s, f"{base}/empty", *ca)
    s.check(r.rc == 52 and r.out == b"", "no reply at all: exit 52", r.describe())
    r = cl.run_client(s, f"{base}/status/500", "--fail", *ca)
    s.check(r.rc == 22 and r.out == b"" and "500" in r.err, "--fail on 500: exit 22",
            r.describe())
    r = cl.run_client(s, f"{base}/host", *ca)
    s.check(r.rc == 0 and r.out == f"localhost:{port}\n".encode(), "Host carries the port",
            r.describe())
    r = cl.run_client(s, f"https://localhost:443/host", "--connect-to", f"127.0.0.1:{port}",
                      "-v", *ca)
    s.check(r.rc == 0 and r.out == b"localhost\n" and r.info.get("server name") == "localhost",
            "--connect-to: SNI, verification and Host use the URL's host", r.describe())
    out = os.path.join(s.tmp, "sub", "x.bin")
    r = cl.run_client(s, f"{base}/hello.txt", "-o", out, *ca)
    s.check(r.rc == 23, "-o into a missing directory: exit 23", r.describe())

    # ---- key log: the client's lines are the server's lines
    kl = os.path.join(s.tmp, "client-keylog.txt")
    before = keylog_lines(srv_keylog)
    r = cl.run_client(s, f"{base}/hello.txt", "--keylog", kl, *ca)
    mine = keylog_lines(kl)
    # The server may log an earlier connection's last line late (its thread reads that
    # client's Finished after we move on): compare the lines of this client's random only.
    randoms = {ln.split()[1] for ln in mine}
    theirs = {ln for ln in keylog_lines(srv_keylog) - before if ln.split()[1] in randoms}
    labels = {ln.split()[0] for ln in mine}
    s.check(r.rc == 0 and mine and mine == theirs and {
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"} <= labels,
            "--keylog: the same NSS key log lines as the server's", f"client {sorted(mine)}\n"
            f"server {sorted(theirs)}\n" + r.describe())
    kl2 = os.path.join(s.tmp, "env-keylog.txt")
    env = dict(os.environ, SSLKEYLOGFILE=kl2)
    before = keylog_lines(srv_keylog)
    r = cl.run_client(s, f"{base}/hello.txt", *ca, env=env)
    env_lines = keylog_lines(kl2)
    randoms = {ln.split()[1] for ln in env_lines}
    s.check(r.rc == 0 and env_lines and env_lines == {
        ln for ln in keylog_lines(srv_keylog) - before if ln.split()[1] in randoms},
            "SSLKEYLOGFILE: the same lines", r.describe())
    srv.shutdown()
    srv.server_close()

    # ---- IPv6 literal
    try:
        srv6, port6 = start(www, tls_ctx(pki.leaf["ecdsa"]), host="::1")
    except OSError as e:
        print(f"NOTE: no IPv6 loopback here ({e}); the [::1] checks did not run")
        srv6 = None
    if srv6 is not None:
        r = cl.run_client(s, f"https://[::1]:{port6}/host", "-v", *ca)
        s.check(r.rc == 0 and r.out == f"[::1]:{port6}\n".encode()
                and "none sent" in r.info.get("server name", ""),
                "https://[::1]:port/: verified against the IP SAN, no SNI, Host bracketed",
                r.describe())
        srv6.shutdown()
        srv6.server_close()

    # ---- plain http://
    plain, pport = start(www)
    r = cl.run_client(s, f"http://127.0.0.1:{pport}/random-100k.bin")
    s.check(r.rc == 0 and r.out == files["random-100k.bin"], "http:// download byte-exact",
            r.describe())
    r = cl.run_client(s, f"http://127.0.0.1:{pport}/eof-cut")
    s.check(r.rc == 0 and r.out == CHUNKS[3], "http://: a body to the end of the connection",
            r.describe())
    r = cl.run_client(s, f"https://127.0.0.1:{pport}/hello.txt", *ca)
    s.check(r.rc == 35 and r.out == b"", "https:// to a plain HTTP server: exit 35",
            r.describe())
    plain.shutdown()
    plain.server_close()

    # ---- a server that never answers: --max-time
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)
    out = os.path.join(s.tmp, "never.bin")
    r = cl.run_client(s, f"https://localhost:{silent.getsockname()[1]}/", "--max-time", "1",
                      "-o", out, *ca)
    s.check(r.rc == 28 and "max-time" in r.err and not os.path.exists(out),
            "--max-time 1 against a silent server: exit 28", r.describe())
    silent.close()

    # ---- command line and URL errors
    refused = cl.free_port()
    for args, code, what in [
        (["ftp://localhost/"], 1, "unsupported scheme"),
        (["--bogus", "https://localhost/"], 2, "unknown option"),
        ([], 2, "no URL"),
        (["https://a/", "https://b/"], 2, "two URLs"),
        (["--groups", "x448", "https://localhost/"], 2, "unknown group"),
        (["--ciphers", "RC4", "https://localhost/"], 2, "unknown cipher suite"),
        (["--connect-to", "host:port", "https://localhost/"], 2, "bad --connect-to"),
        (["-m", "0", "https://localhost/"], 2, "bad --max-time"),
        (["localhost"], 3, "no scheme"),
        (["https://"], 3, "no host"),
        (["https://localhost:99999/"], 3, "port out of range"),
        (["https://[::1/"], 3, "unclosed IPv6 bracket"),
        (["https://user@localhost/"], 3, "userinfo"),
        ([f"https://127.0.0.1:{refused}/"], 7, "connection refused"),
    ]:
        cp = subprocess.run([s.client, *args], stdin=subprocess.DEVNULL, capture_output=True,
                            timeout=30)
        s.check(cp.returncode == code and cp.stderr.startswith(b"lucid-client: ")
                and cp.stdout == b"", f"{what}: exit {code}",
                f"$ lucid-client {' '.join(args)}\nexit {cp.returncode}\n{cp.stderr.decode()}")
    r = cl.run_client(s, "https://nonexistent.invalid/", "--max-time", "10")
    if r.rc == 28:
        print("NOTE: the resolver did not answer within 10 s; exit 6 not checked")
    else:
        s.check(r.rc == 6 and "nonexistent.invalid" in r.err, "unresolvable host: exit 6",
                r.describe())
    cp = subprocess.run([s.client, "--help"], capture_output=True)
    s.check(cp.returncode == 0 and b"exit codes" in cp.stdout and b"61" in cp.stdout,
            "--help lists the exit codes")
    s.finish()


if __name__ == "__main__":
    main()
