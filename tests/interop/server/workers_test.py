"""lucid-server -c FILE with 2 workers, a plain and a TLS listener (issue 5):

- -t accepts a good file and names FILE:LINE for a bad one; a bad file does not start;
- two worker processes run under the master, each serving both listeners;
- curl and Python fetch over plain HTTP and TLS 1.3; keep-alive and pipelined requests are
  answered in order on both;
- sites chosen by SNI (TLS) and by Host (plain), with the default site for unknown names;
- a worker killed with SIGKILL is replaced and the server keeps serving.
"""
import hashlib
import os
import signal
import socket
import time

from srvlib import ConfServer, lt, read_response, site_conf, tls_socket


def check_config_test(t):
    good = os.path.join(t.tmp, "good.conf")
    with open(good, "w") as f:
        f.write(site_conf(t, ["127.0.0.1:0 ssl", "127.0.0.1:0"]))
    r = t.run([t.lucid_server, "-t", "-c", good])
    t.check(r.rc == 0 and "test is successful" in r.out, "-t accepts a good configuration",
            r.describe())

    bad = os.path.join(t.tmp, "bad.conf")
    with open(bad, "w") as f:
        f.write("worker_processes 1;\nhttp {\n    server {\n        lisen 8443;\n    }\n}\n")
    r = t.run([t.lucid_server, "-t", "-c", bad])
    t.check(r.rc == 1 and "bad.conf:4:" in r.out and "lisen" in r.out,
            "-t names the file, line and directive of a mistake", r.describe())
    r = t.run([t.lucid_server, "-c", bad], timeout=10)
    t.check(r.rc == 1 and "bad.conf:4:" in r.out, "a bad configuration does not start",
            r.describe())

    missing = os.path.join(t.tmp, "missing.conf")
    with open(missing, "w") as f:
        f.write(site_conf(t, ["127.0.0.1:0 ssl"]).replace(t.pki.certs["ecdsa"].chain,
                                                           "/nonexistent/cert.pem"))
    r = t.run([t.lucid_server, "-t", "-c", missing])
    t.check(r.rc == 1 and "/nonexistent/cert.pem" in r.out,
            "-t loads the certificates and names the one it cannot read", r.describe())


def pipelined(t, sock, what):
    """Three requests in one write; the three responses come back in order."""
    paths = ["/hello.txt", "/dir/page.txt", "/index.html"]
    sock.sendall(b"".join(("GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n" % p).encode()
                          for p in paths))
    rest = b""
    ok = True
    for p in paths:
        status, _, body, rest = read_response(sock, rest)
        ok &= status == 200 and hashlib.sha256(body).hexdigest() == t.file_hash(p.lstrip("/"))
    t.check(ok, "%s: 3 pipelined requests answered in order" % what)
    # and the connection stays open for a fourth (keep-alive)
    sock.sendall(b"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
    status, _, body, _ = read_response(sock, rest)
    t.check(status == 200 and body == t.file_bytes("hello.txt"),
            "%s: the kept-alive connection answers another request" % what)


def fetch_all(t, srv, what):
    curl = t.need_tool("curl")
    r = t.run([curl, "-sS", "--cacert", t.pki.root, "--tlsv1.3",
               "https://localhost:%d/hello.txt" % srv.ports["https"],
               "--resolve", "localhost:%d:127.0.0.1" % srv.ports["https"]])
    t.check(r.rc == 0 and r.stdout.encode() == t.file_bytes("hello.txt"),
            "%s: curl over TLS 1.3" % what, r.describe())
    r = t.run([curl, "-sS", "http://127.0.0.1:%d/hello.txt" % srv.ports["http"]])
    t.check(r.rc == 0 and r.stdout.encode() == t.file_bytes("hello.txt"),
            "%s: curl over plain HTTP" % what, r.describe())


def check_workers(t):
    srv = ConfServer(t, site_conf(t, ["127.0.0.1:0 ssl", "127.0.0.1:0"], workers=2))
    t.servers.append(srv)
    srv.start()
    workers = srv.wait_workers(2)
    t.check(len(workers) == 2, "worker_processes 2 runs two workers (%s)" % workers)
    fetch_all(t, srv, "2 workers")

    # Many connections: both workers take some (SO_REUSEPORT spreads them by hash)
    s = tls_socket(t, srv.ports["https"])
    pipelined(t, s, "TLS")
    s.close()
    p = socket.create_connection(("127.0.0.1", srv.ports["http"]), timeout=10)
    pipelined(t, p, "plain")
    p.close()

    victim = workers[0]
    os.kill(victim, signal.SIGKILL)
    after = srv.wait_workers(2, timeout=10, exclude=(victim,))
    t.check(len(after) == 2 and victim not in after,
            "a worker killed with SIGKILL is replaced (%s -> %s)" % (workers, after),
            srv.output()[-2000:])
    t.check(srv.wait_output("starting another", timeout=5),
            "the master logs the dead worker and the new one", srv.output()[-2000:])
    fetch_all(t, srv, "after a worker died")
    for _ in range(20):
        t.fetch_ok(srv, "every connection is served after the restart")


def check_sites(t):
    """Two sites on the same two addresses: SNI picks the TLS site, Host the plain one."""
    a_root = os.path.join(t.tmp, "site-a")
    b_root = os.path.join(t.tmp, "site-b")
    for root, text in ((a_root, b"site A\n"), (b_root, b"site B\n")):
        os.makedirs(root, exist_ok=True)
        with open(os.path.join(root, "who.txt"), "wb") as f:
            f.write(text)
    # ports are fixed here: two sites must name the same address
    ports = []
    for _ in range(2):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        ports.append(s.getsockname()[1])
        s.close()
    tls_port, plain_port = ports
    a, b = t.pki.certs["a.test"], t.pki.certs["b.test"]
    conf = """worker_processes 2;
http {
    access_log off;
    server {
        listen 127.0.0.1:%(tls)d ssl;
        listen 127.0.0.1:%(plain)d;
        server_name a.test www.a.test;
        ssl_certificate %(a_chain)s;
        ssl_certificate_key %(a_key)s;
        location / { root %(a_root)s; }
    }
    server {
        listen 127.0.0.1:%(tls)d ssl default_server;
        listen 127.0.0.1:%(plain)d default_server;
        server_name *.b.test b.test;
        ssl_certificate %(b_chain)s;
        ssl_certificate_key %(b_key)s;
        location / { root %(b_root)s; }
    }
}
""" % {"tls": tls_port, "plain": plain_port, "a_chain": a.chain, "a_key": a.key,
       "b_chain": b.chain, "b_key": b.key, "a_root": a_root, "b_root": b_root}
    srv = ConfServer(t, conf, name="sites", listeners=2)
    t.servers.append(srv)
    srv.start()

    def tls_get(sni):
        ctx = t.client_context()
        ctx.check_hostname = False  # the unknown name gets the default site's certificate
        raw = socket.create_connection(("127.0.0.1", tls_port), timeout=10)
        s = ctx.wrap_socket(raw, server_hostname=sni)
        cn = dict(x[0] for x in s.getpeercert()["subject"])["commonName"]
        s.sendall(("GET /who.txt HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                   % sni).encode())
        status, _, body, _ = read_response(s)
        s.close()
        return cn, status, body

    for sni, cn_want, body_want in (("a.test", "a.test", b"site A\n"),
                                    ("www.a.test", "a.test", b"site A\n"),
                                    ("b.test", "b.test", b"site B\n"),
                                    ("x.y.b.test", "b.test", b"site B\n"),
                                    ("other.test", "b.test", b"site B\n")):
        cn, status, body = tls_get(sni)
        t.check(cn == cn_want and status == 200 and body == body_want,
                "SNI %s: certificate %s and that site's file" % (sni, cn_want),
                "got %s, %s, %r" % (cn, status, body))

    for host, body_want in (("a.test", b"site A\n"), ("A.TEST:%d" % plain_port, b"site A\n"),
                            ("b.test", b"site B\n"), ("nobody.test", b"site B\n")):
        p = socket.create_connection(("127.0.0.1", plain_port), timeout=10)
        p.sendall(("GET /who.txt HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                   % host).encode())
        status, _, body, _ = read_response(p)
        p.close()
        t.check(status == 200 and body == body_want, "Host %s: that site's file" % host,
                "got %s %r" % (status, body))


def test(t):
    check_config_test(t)
    check_workers(t)
    check_sites(t)


lt.main(test)
