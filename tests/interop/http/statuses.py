#!/usr/bin/env python3
"""Every status lucid-server sends, each produced by a real request over the plain and the TLS
listener, with its fields, its small HTML body, whether the connection stays open, and its
access log line.

  statuses.py --bin DIR

200 206 301 304 400 403 404 405 408 412 413 414 416 431 501 505. An error that leaves the
request's end unknown (every parser error) says "Connection: close" and the server closes;
the others keep the connection, which a second request on it proves. HEAD gets the head a
GET gets. 408 comes from the header timeout (20 s by default): one slow client per listener
is started first and checked last.
"""

import os
import re
import threading
import time

import httptest as ht

# RFC 9110 15: the reason phrases lucid-server sends.
REASONS = {
    200: "OK", 206: "Partial Content", 301: "Moved Permanently", 304: "Not Modified",
    400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    408: "Request Timeout", 412: "Precondition Failed", 413: "Content Too Large",
    414: "URI Too Long", 416: "Range Not Satisfiable",
    431: "Request Header Fields Too Large", 501: "Not Implemented",
    505: "HTTP Version Not Supported",
}

HEADER_TIMEOUT = 20  # lucid-server's default client header timeout, in seconds


def many_fields(n):
    return "".join("X-Field-%d: %d\r\n" % (i, i) for i in range(n))


def cases(t):
    """(name, raw request, status, closes, extra check on the response or None)."""
    small = t.file_bytes("small.bin")
    hello = t.file_bytes("hello.txt")

    def fields_200(r):
        return (r.body == hello and r.get("content-type") == "text/plain; charset=utf-8"
                and r.get("content-length") == str(len(hello))
                and r.get("accept-ranges") == "bytes"
                and re.fullmatch(r'(W/)?"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+(-w)?"', r.get("etag", ""))
                and re.fullmatch(r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT",
                                 r.get("last-modified", ""))
                and r.get("server", "").startswith("lucid-server/"))

    return [
        ("GET a file", ht.request("/hello.txt"), 200, False, fields_200),
        ("GET a range", ht.request("/small.bin", extra="Range: bytes=5-9\r\n"), 206, False,
         lambda r: r.body == small[5:10] and r.get("content-range") == "bytes 5-9/%d" % len(small)),
        ("GET a directory without its '/'", ht.request("/dir?a=1"), 301, False,
         lambda r: r.get("location") == "/dir/?a=1"),
        ("GET with If-None-Match: *", ht.request("/hello.txt", extra="If-None-Match: *\r\n"),
         304, False, lambda r: r.body == b"" and r.get("etag") is not None
         and r.get("content-length") is None),
        ("a malformed request line", b"GET  /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n",
         400, True, None),
        ("whitespace before a colon", ht.request("/", extra="Accept : */*\r\n"), 400, True,
         None),
        ("an obs-folded field", ht.request("/", extra="X-A: 1\r\n  2\r\n"), 400, True, None),
        ("two Host fields", ht.request("/", extra="Host: other\r\n"), 400, True, None),
        ("no Host in HTTP/1.1", b"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, True, None),
        ("Content-Length with Transfer-Encoding",
         ht.request("/", "POST", extra="Content-Length: 3\r\nTransfer-Encoding: chunked\r\n"),
         400, True, None),
        ("a link out of the root", ht.request("/leak.txt"), 403, False, None),
        ("a FIFO", ht.request("/fifo"), 403, False, None),
        ("a missing file", ht.request("/no-such-file.txt"), 404, False, None),
        ("POST", ht.request("/hello.txt", "POST", extra="Content-Length: 3\r\n") + b"a=b",
         405, False, lambda r: r.get("allow") == "GET, HEAD"),
        ("DELETE", ht.request("/hello.txt", "DELETE"), 405, False,
         lambda r: r.get("allow") == "GET, HEAD"),
        ("If-Match with another tag", ht.request("/hello.txt", extra='If-Match: "x"\r\n'),
         412, False, None),
        ("a body over 1 MiB", ht.request("/", "POST", extra="Content-Length: 1048577\r\n"), 413,
         True, None),
        ("a 9000-byte request-target", ht.request("/" + "a" * 9000), 414, True, None),
        ("101 header fields", ht.request("/", extra=many_fields(101)), 431, True, None),
        ("9 KiB of header fields", ht.request("/", extra="X-Big: %s\r\n" % ("v" * 9000)), 431,
         True, None),
        ("an unsatisfiable range", ht.request("/small.bin", extra="Range: bytes=99999-\r\n"),
         416, False, lambda r: r.get("content-range") == "bytes */%d" % len(small)),
        ("an unknown transfer coding",
         ht.request("/", "POST", extra="Transfer-Encoding: foo, chunked\r\n"), 501, True, None),
        ("HTTP/2.0 in the request line", b"GET / HTTP/2.0\r\nHost: localhost\r\n\r\n", 505,
         True, None),
        ("HTTP/3.1 in the request line", b"GET / HTTP/3.1\r\nHost: localhost\r\n\r\n", 505,
         True, None),
    ]


def check_case(t, srv, tls, case):
    title, raw, status, closes, extra = case
    what = "%s: %s is %d" % (ht.name(tls), title, status)
    with ht.Conn(t, srv, tls) as c:
        c.send(raw)
        r = c.response()
        ok = (r.status == status and r.reason == REASONS[status]
              and r.count("date") == 1 and r.count("content-length") <= 1)
        if status >= 400 or status == 301:
            # a small page that says what happened
            ok = ok and r.get("content-type") == "text/html; charset=utf-8" \
                and ("<h1>%d %s</h1>" % (status, REASONS[status])).encode() in r.body \
                and len(r.body) < 512
        if extra is not None:
            ok = ok and bool(extra(r))
        t.check(ok, what, r.describe())
        if closes:
            t.check(r.get("connection") == "close" and c.closed_by_server(),
                    "%s: ... says Connection: close and closes" % what, r.describe())
        else:
            c.send(ht.request("/hello.txt"))
            again = c.response()
            t.check(r.get("connection") == "keep-alive" and again.status == 200
                    and again.body == t.file_bytes("hello.txt"),
                    "%s: ... and the connection serves the next request" % what,
                    r.describe() + "\n--\n" + again.describe())
    return r


def head_matches_get(t, srv, tls):
    """RFC 9110 9.3.2: HEAD gets the same fields as GET, and no body."""
    for path in ("/hello.txt", "/small.bin", "/", "/dir", "/no-such-file"):
        with ht.Conn(t, srv, tls) as c:
            c.send(ht.request(path) + ht.request(path, "HEAD") + ht.request("/hello.txt"))
            g = c.response()
            h = c.response(head_request=True)
            nxt = c.response()
        strip = lambda r: [(k, v) for k, v in r.fields if k != "date"]  # noqa: E731
        t.check(strip(g) == strip(h) and h.status == g.status and nxt.status == 200
                and nxt.body == t.file_bytes("hello.txt"),
                "%s: HEAD %s has GET's head (%d) and no body" % (ht.name(tls), path, g.status),
                g.describe() + "\n--\n" + h.describe())


def slow_client(t, srv, tls, result):
    """Sends half a request head and waits for the header timeout's 408."""
    try:
        with ht.Conn(t, srv, tls, timeout=HEADER_TIMEOUT + 20) as c:
            c.send(b"GET /hello.txt HTTP/1.1\r\nHost: loc")
            start = time.time()
            r = c.response()
            result["status"] = r.status
            result["reason"] = r.reason
            result["after"] = time.time() - start
            result["close"] = r.get("connection")
            result["body"] = r.body
            result["closed"] = c.closed_by_server()
    except Exception as e:  # noqa: BLE001 - reported by the main thread
        result["error"] = "%s: %s" % (type(e).__name__, e)


def test(t):
    secret = os.path.join(t.tmp, "secret.txt")
    with open(secret, "w") as f:
        f.write("not for the web\n")
    os.symlink("../secret.txt", os.path.join(t.webroot, "leak.txt"))
    os.mkfifo(os.path.join(t.webroot, "fifo"))
    srv = ht.server(t)

    slow = {}
    threads = []
    for tls in (False, True):
        slow[tls] = {}
        th = threading.Thread(target=slow_client, args=(t, srv, tls, slow[tls]), daemon=True)
        th.start()
        threads.append(th)

    seen = {False: set(), True: set()}
    for tls in (False, True):
        for case in cases(t):
            r = check_case(t, srv, tls, case)
            seen[tls].add(r.status)
        head_matches_get(t, srv, tls)

    for tls, th in zip((False, True), threads):
        th.join(HEADER_TIMEOUT + 30)
        s = slow[tls]
        t.check(s.get("status") == 408 and s.get("reason") == REASONS[408]
                and s.get("close") == "close" and s.get("closed")
                and b"<h1>408 Request Timeout</h1>" in s.get("body", b""),
                "%s: a request head left unfinished is answered 408 (after %.1fs) and closed"
                % (ht.name(tls), s.get("after", -1)), repr(s))
        t.check(HEADER_TIMEOUT - 2 <= s.get("after", 0) <= HEADER_TIMEOUT + 10,
                "%s: ... when the %d s header timeout ends" % (ht.name(tls), HEADER_TIMEOUT))
        if s.get("status") is not None:
            seen[tls].add(s["status"])

    want = set(REASONS)
    for tls in (False, True):
        t.check(seen[tls] >= want, "%s: every status was produced: %s"
                % (ht.name(tls), " ".join(str(s) for s in sorted(seen[tls]))),
                "missing: %s" % sorted(want - seen[tls]))

    # The access log: one line per request, with the protocol and the status.
    lines = srv.wait_log(1)
    tls_lines = [l for l in lines if " TLSv1.3/TLS_" in l]
    plain_lines = [l for l in lines if " plain " in l]
    t.check(len(tls_lines) + len(plain_lines) == len(lines) and tls_lines and plain_lines,
            "every access log line says TLSv1.3 and its suite, or plain (%d lines)" % len(lines),
            "\n".join(lines[:20]))
    line_re = re.compile(r'^\S+ 127\.0\.0\.1:\d+ (plain|TLSv1\.3/TLS_\w+) \S+ "[^"]*" '
                         r'(\d{3}) (\d+) \d+\.\d{3} -$')
    statuses = {False: set(), True: set()}
    bad = [l for l in lines if not line_re.match(l)]
    for l in lines:
        m = line_re.match(l)
        if m:
            statuses[m.group(1) != "plain"].add(int(m.group(2)))
    t.check(not bad, "every access log line has time, client, protocol, site, request, status, "
            "bytes, seconds and client certificate", "\n".join(bad[:10]))
    for tls in (False, True):
        t.check(statuses[tls] >= want, "%s: the access log has a line for every status"
                % ht.name(tls), "missing: %s" % sorted(want - statuses[tls]))
    escaped = [l for l in lines if '"GET /' + "a" * 50 in l]
    t.check(all(len(l) < 1200 for l in lines), "access log lines stay bounded (a 9000-byte "
            "target is cut)", "\n".join(l[:200] for l in escaped))


if __name__ == "__main__":
    ht.main(test)
