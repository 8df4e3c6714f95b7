#!/usr/bin/env python3
"""Issue 3, item 4: ALPN. A client offering h2,http/1.1 gets http/1.1 (s_client
"ALPN protocol: http/1.1", curl -v "ALPN: server accepted http/1.1", Python's
selected_alpn_protocol()); an offer with nothing in common (foo) ends in the
no_application_protocol alert (120); a client without ALPN is still served."""

import re

import lucidtest as lt

REQUEST = b"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def test(t):
    srv = t.server()  # default --alpn http/1.1
    body = t.file_bytes("hello.txt").decode()

    r = t.s_client(srv, ["-alpn", "h2,http/1.1"], request=REQUEST)
    t.check(lt.s_client_alpn(r.out) == "http/1.1" and lt.http_status(r.stdout) == 200
            and body in r.stdout,
            "s_client -alpn h2,http/1.1: server chose http/1.1, HTTP 200 with the file",
            r.describe())

    r = t.s_client(srv, ["-alpn", "http/1.1"], request=REQUEST)
    t.check(lt.s_client_alpn(r.out) == "http/1.1" and lt.http_status(r.stdout) == 200,
            "s_client -alpn http/1.1: http/1.1", r.describe())

    logged = srv.stderr_lines()
    r = t.s_client(srv, ["-alpn", "foo"], request=REQUEST)
    nums, names = lt.s_client_alerts(r.out)
    t.check((120 in nums or "no application protocol" in names)
            and lt.http_status(r.stdout) is None,
            "s_client -alpn foo: no_application_protocol alert (120), no HTTP response",
            "alerts received: %s %s\n%s" % (nums, names, r.describe()))
    t.check(srv.alive(), "lucid-server alive after the failed ALPN negotiation")
    t.check(srv.logged_since(logged), "lucid-server logged the ALPN failure on stderr",
            srv.stderr()[-2000:])

    r = t.s_client(srv, ["-alpn", "foo,bar,h2"], request=REQUEST)
    nums, names = lt.s_client_alerts(r.out)
    t.check(120 in nums or "no application protocol" in names,
            "s_client -alpn foo,bar,h2 (nothing in common): alert 120", r.describe())

    r = t.s_client(srv, [], request=REQUEST)
    t.check(lt.http_status(r.stdout) == 200 and "No ALPN negotiated" in r.out,
            "s_client without ALPN: served, no ALPN negotiated", r.describe())

    t.need_tool("curl")
    r = t.run(["curl", "--tlsv1.3", "--cacert", t.pki.root, "-sS", "-v",
               "--resolve", "localhost:%d:127.0.0.1" % srv.port,
               "https://localhost:%d/hello.txt" % srv.port], timeout=30)
    offered = re.search(r"ALPN(?::|,) offers h2", r.stderr) is not None
    accepted = re.search(r"ALPN(?::|,) server accepted(?: to use)? (\S+)", r.stderr)
    t.check(r.rc == 0 and offered and accepted is not None
            and accepted.group(1) == "http/1.1" and r.stdout == body,
            "curl (offers h2,http/1.1): server accepted http/1.1, file intact",
            r.describe())

    ctx = t.client_context()
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    status, _, got, info = t.get(srv, "/hello.txt", ctx=ctx)
    t.check(info["alpn"] == "http/1.1" and lt.http_status(status) == 200
            and got.decode() == body,
            "python ssl offering h2,http/1.1: selected %r" % info["alpn"])
    t.fetch_ok(srv)


lt.main(test)
