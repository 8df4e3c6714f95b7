#!/usr/bin/env python3
"""Issue 3, item 2: HelloRetryRequest. lucid-server takes only secp384r1; s_client
offers X25519:P-384 with a key share for X25519 only, so the server must ask
again (HelloRetryRequest), and the handshake completes on P-384. Asserted from
s_client -msg output: two ClientHellos sent, two ServerHello-type messages
received (HRR is a ServerHello with the special random), group secp384r1, and
an HTTP exchange over the result."""

import re

import lucidtest as lt

# SHA-256("HelloRetryRequest") without its first 4 bytes (CF21AD74)
HRR_RANDOM_TAIL = "E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C"


def test(t):
    srv = t.server(args=["--groups", "secp384r1"])
    request = b"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    body = t.file_bytes("hello.txt").decode()

    r = t.s_client(srv, ["-tls1_3", "-groups", "X25519:P-384", "-msg"], request=request)
    out = r.out
    hellos = len(re.findall(r">>> TLS 1\.3, Handshake \[length [0-9a-f]+\], ClientHello", out))
    server_hellos = len(re.findall(r"<<< TLS 1\.3, Handshake \[length [0-9a-f]+\], ServerHello",
                                   out))
    t.check(hellos == 2, "the client sent two ClientHellos (the second after the HRR)",
            "ClientHellos: %d\n%s" % (hellos, r.describe()))
    t.check(server_hellos == 2, "the server sent HelloRetryRequest then ServerHello",
            "ServerHello-type messages: %d\n%s" % (server_hellos, r.describe()))
    t.check(lt.s_client_group(out) == "secp384r1", "negotiated group is secp384r1",
            "group %r\n%s" % (lt.s_client_group(out), r.describe()))
    t.check(lt.s_client_verify_ok(out) and lt.http_status(r.stdout) == 200 and body in r.stdout,
            "handshake after the retry verified, HTTP 200 with the file", r.describe())

    # The same with -trace: the first ServerHello carries the HelloRetryRequest
    # random, SHA-256("HelloRetryRequest") (RFC 8446 4.1.3); OpenSSL 3.0's trace
    # prints it as gmt_unix_time + random_bytes, newer ones may name the message.
    r = t.s_client(srv, ["-tls1_3", "-groups", "X25519:P-384", "-trace"], request=request)
    hellos = [m.start() for m in re.finditer(r"ServerHello, Length=", r.out)]
    first = r.out[hellos[0]:hellos[1]] if len(hellos) == 2 else ""
    t.check(HRR_RANDOM_TAIL in first.upper().replace(" ", "")
            or "HelloRetryRequest" in first,
            "s_client -trace: the first ServerHello is a HelloRetryRequest (special random)",
            r.describe())
    t.check(lt.http_status(r.stdout) == 200 and body in r.stdout,
            "HTTP exchange after the retry (-trace run)", r.describe())

    # A client whose key share already fits gets no retry.
    r = t.s_client(srv, ["-tls1_3", "-groups", "P-384", "-msg"], request=request)
    hellos = len(re.findall(r">>> TLS 1\.3, Handshake \[length [0-9a-f]+\], ClientHello", r.out))
    t.check(hellos == 1 and lt.s_client_group(r.out) == "secp384r1"
            and lt.http_status(r.stdout) == 200,
            "a P-384 key share up front: one ClientHello, no retry", r.describe())
    t.fetch_ok(srv)


lt.main(test)
