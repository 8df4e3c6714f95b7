#!/usr/bin/env python3
"""Keep-alive and pipelining (RFC 9112 9.3, 9.3.2), over the plain and the TLS listener.

  keepalive.py --bin DIR

- Python's http.client sends several requests on one persistent connection; the access log
  shows one client port for all of them.
- A dozen requests of every kind (GET, HEAD, 304, 206, 301, 404, 405 with a body to drop,
  an HTTP/1.0 keep-alive, a last one with Connection: close) are sent in one write, then
  again one byte at a time: the responses come back complete and in order, each with the
  right status and bytes, and the server closes after the last.
- curl fetching several URLs on one command line reuses its connection.
"""

import http.client
import re

import httptest as ht


def pipeline(t):
    """The requests of one pipeline and what each response must be."""
    small = t.file_bytes("small.bin")
    hello = t.file_bytes("hello.txt")
    page = t.file_bytes("dir/page.txt")
    index = t.file_bytes("index.html")
    return [
        (ht.request("/hello.txt"), False, 200, hello),
        (ht.request("/hello.txt", "HEAD"), True, 200, b""),
        (ht.request("/dir/page.txt"), False, 200, page),
        (ht.request("/missing.txt"), False, 404, None),
        (ht.request("/small.bin", extra="Range: bytes=100-1099\r\n"), False, 206,
         small[100:1100]),
        (ht.request("/small.bin", extra="Range: bytes=-10\r\n"), False, 206, small[-10:]),
        (ht.request("/dir"), False, 301, None),
        # a body the server must read past to find the next request
        (ht.request("/hello.txt", "POST", extra="Content-Length: 11\r\n") + b"hello=world",
         False, 405, None),
        (ht.request("/index.html", version="HTTP/1.0", extra="Connection: keep-alive\r\n"),
         False, 200, index),
        (ht.request("/", extra="Accept: */*\r\n"), False, 200, index),
        (ht.request("/small.bin"), False, 200, small),
        (ht.request("/hello.txt", extra="Connection: close\r\n"), False, 200, hello),
    ]


def run_pipeline(t, srv, tls, byte_by_byte):
    how = "one byte at a time" if byte_by_byte else "in one write"
    what = "%s, %d pipelined requests sent %s" % (ht.name(tls), len(pipeline(t)), how)
    reqs = pipeline(t)
    wire = b"".join(r[0] for r in reqs)
    with ht.Conn(t, srv, tls) as c:
        if byte_by_byte:
            for i in range(len(wire)):
                c.send(wire[i:i + 1])
        else:
            c.send(wire)
        ok = True
        for i, (_, head_only, status, body) in enumerate(reqs):
            r = c.response(head_only)
            good = r.status == status and (body is None or r.body == body)
            if status == 200 and head_only:
                good = good and r.get("content-length") == str(len(t.file_bytes("hello.txt")))
            if i == len(reqs) - 1:
                good = good and r.get("connection") == "close"
            else:
                good = good and r.get("connection") == "keep-alive"
            if not good:
                ok = False
                t.check(False, "%s: response %d is %d with the right bytes" % (what, i, status),
                        r.describe())
        t.check(ok, "%s: every response complete, in order, with its status and bytes" % what)
        t.check(c.closed_by_server() and c.buf == b"",
                "%s: the server closes after Connection: close, with nothing more" % what,
                repr(c.buf[:200]))


def persistent_http_client(t, srv, tls):
    before = len(srv.log_lines())
    if tls:
        conn = http.client.HTTPSConnection("localhost", srv.tls_port, timeout=20,
                                           context=ht.client_context())
    else:
        conn = http.client.HTTPConnection("localhost", srv.plain_port, timeout=20)
    paths = ["/hello.txt", "/index.html", "/dir/page.txt", "/small.bin", "/hello.txt"]
    socks = set()
    good = True
    for p in paths:
        conn.request("GET", p)
        r = conn.getresponse()
        body = r.read()
        socks.add(id(conn.sock))
        good &= r.status == 200 and ht.sha256(body) == t.file_hash(p.lstrip("/"))
    conn.close()
    t.check(good, "%s: http.client gets %d files on one connection" % (ht.name(tls), len(paths)))
    t.check(len(socks) == 1, "%s: http.client never had to reconnect" % ht.name(tls))
    lines = srv.wait_log(before + len(paths))[before:]
    ports = {line.split()[1] for line in lines}
    t.check(len(lines) == len(paths) and len(ports) == 1,
            "%s: the access log shows the %d requests from one client port"
            % (ht.name(tls), len(paths)), "\n".join(lines))


def curl_reuse(t, srv, tls):
    curl = t.need_tool("curl")
    urls = [srv.url(tls, p) for p in ("/hello.txt", "/dir/page.txt", "/index.html")]
    cmd = [curl, "-sS", "-v", "--cacert", ht.CA, "-o", "/dev/null", "-o", "/dev/null",
           "-o", "/dev/null", "-w", "%{http_code}\n"] + urls
    r = t.run(cmd)
    codes = r.stdout.split()
    t.check(r.rc == 0 and codes == ["200"] * 3,
            "%s: curl fetches three URLs" % ht.name(tls), r.describe())
    reused = len(re.findall(r"Re-using existing connection", r.stderr))
    t.check(reused == 2, "%s: curl re-used its connection for the 2nd and 3rd URL"
            % ht.name(tls), r.describe())


def test(t):
    srv = ht.server(t)
    for tls in (False, True):
        persistent_http_client(t, srv, tls)
        run_pipeline(t, srv, tls, byte_by_byte=False)
        run_pipeline(t, srv, tls, byte_by_byte=True)
        curl_reuse(t, srv, tls)


if __name__ == "__main__":
    ht.main(test)
