#!/usr/bin/env python3
"""Issue 3, item 7: misbehaving clients get the right alert (or a close), and
lucid-server keeps serving: after each, a normal client fetches a file intact.
  bad_clients.py --bin DIR --case tls12|no_common_suite|no_common_group|
                                  byte_by_byte|random_bytes|stalled"""

import os
import socket
import ssl
import time

import lucidtest as lt

REQUEST = b"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
ALERT_NAMES = {10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
               40: "handshake_failure", 47: "illegal_parameter", 50: "decode_error",
               70: "protocol_version", 80: "internal_error", 109: "missing_extension",
               120: "no_application_protocol"}


def case_tls12(t, srv):
    """A TLS 1.2-only client: protocol_version (70)."""
    logged = srv.stderr_lines()
    r = t.s_client(srv, ["-tls1_2"], request=REQUEST)
    nums, names = lt.s_client_alerts(r.out)
    t.check((70 in nums or "protocol version" in names) and lt.http_status(r.stdout) is None,
            "openssl s_client -tls1_2: protocol_version alert (70), nothing served",
            "alerts %s %s\n%s" % (nums, names, r.describe()))
    # Python's ssl limited to TLS 1.2 as well
    ctx = ssl.create_default_context(cafile=t.pki.root)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    try:
        t.get(srv, "/hello.txt", ctx=ctx, timeout=10)
        t.check(False, "python ssl TLS 1.2-only: refused")
    except ssl.SSLError as e:
        t.check("PROTOCOL_VERSION" in str(e).upper() or "protocol version" in str(e).lower(),
                "python ssl TLS 1.2-only: refused with protocol_version", str(e))
    t.check(srv.logged_since(logged), "lucid-server logged the failures on stderr",
            srv.stderr()[-2000:])


def case_no_common_suite(t, srv):
    """Only TLS_AES_128_CCM_SHA256 offered: handshake_failure (40)."""
    r = t.s_client(srv, ["-tls1_3", "-ciphersuites", "TLS_AES_128_CCM_SHA256"], request=REQUEST)
    nums, names = lt.s_client_alerts(r.out)
    t.check((40 in nums or "handshake failure" in names) and lt.http_status(r.stdout) is None,
            "s_client -ciphersuites TLS_AES_128_CCM_SHA256: handshake_failure alert (40)",
            "alerts %s %s\n%s" % (nums, names, r.describe()))
    r = t.s_client(srv, ["-tls1_3", "-ciphersuites", "TLS_AES_128_CCM_8_SHA256"], request=REQUEST)
    nums, names = lt.s_client_alerts(r.out)
    t.check(40 in nums or "handshake failure" in names,
            "s_client -ciphersuites TLS_AES_128_CCM_8_SHA256: handshake_failure alert (40)",
            "alerts %s %s\n%s" % (nums, names, r.describe()))


def case_no_common_group(t, srv):
    """Server takes only secp384r1, client supports only x25519 and P-256:
    no HelloRetryRequest can help, handshake_failure (40)."""
    srv2 = t.server(args=["--groups", "secp384r1"], name="p384-only")
    r = t.s_client(srv2, ["-tls1_3", "-groups", "X25519:P-256"], request=REQUEST)
    nums, names = lt.s_client_alerts(r.out)
    t.check((40 in nums or "handshake failure" in names) and lt.http_status(r.stdout) is None,
            "s_client -groups X25519:P-256 vs server secp384r1: handshake_failure alert (40)",
            "alerts %s %s\n%s" % (nums, names, r.describe()))
    t.fetch_ok(srv2, "the secp384r1-only server still serves")


def refragment(data, size):
    """The plaintext handshake records in data re-cut into records of at most size
    bytes each (a handshake message may span records, RFC 8446 5.1)."""
    payload = b""
    i = 0
    while i < len(data):
        if data[i] != 22:
            raise ValueError("not a plaintext handshake record: type %d" % data[i])
        n = int.from_bytes(data[i + 3:i + 5], "big")
        payload += data[i + 5:i + 5 + n]
        i += 5 + n
    return b"".join(bytes([22, 3, 1]) + len(payload[k:k + size]).to_bytes(2, "big")
                    + payload[k:k + size] for k in range(0, len(payload), size))


def pump_bytewise(t, sock, out, delay, frag=None):
    data = out.read()
    if frag:
        data = refragment(data, frag)
    for i in range(len(data)):
        sock.sendall(data[i:i + 1])
        if delay:
            time.sleep(delay)
    return len(data)


def case_byte_by_byte(t, srv):
    """Every byte the client sends (ClientHello, Finished, request) goes in its own
    send() with TCP_NODELAY and a pause: the handshake and the fetch succeed. The
    third run also cuts the ClientHello into 7-byte records."""
    for host, alpn, frag in (("localhost", None, None), ("127.0.0.1", ["h2", "http/1.1"], None),
                             ("localhost", None, 7)):
        ctx = t.client_context()
        if alpn:
            ctx.set_alpn_protocols(alpn)
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = ctx.wrap_bio(inc, out, server_hostname=host)
        sent = 0
        t0 = time.time()
        try:
            while True:
                try:
                    obj.do_handshake()
                    break
                except ssl.SSLWantReadError:
                    sent += pump_bytewise(t, sock, out, 0.002 if not frag else 0.0005,
                                          frag if sent == 0 else None)
                    b = sock.recv(65536)
                    if not b:
                        raise lt.Failure("server closed during the byte-by-byte handshake")
                    inc.write(b)
            sent += pump_bytewise(t, sock, out, 0.002)  # client Finished
            obj.write(REQUEST)
            sent += pump_bytewise(t, sock, out, 0.0005)
            resp = b""
            while True:
                try:
                    chunk = obj.read(65536)
                    if not chunk:
                        break
                    resp += chunk
                    continue
                except ssl.SSLWantReadError:
                    pass
                except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                    break
                b = sock.recv(65536)
                if not b:
                    inc.write_eof()
                    continue
                inc.write(b)
            ok = lt.http_status(resp[:20].decode("latin-1")) == 200 and resp.endswith(t.file_bytes("hello.txt"))
            detail = repr(resp[:300])
        except Exception as e:  # noqa: BLE001
            ok, detail = False, "%s: %s" % (type(e).__name__, e)
        finally:
            sock.close()
        t.check(ok, "%d bytes sent one per write (host %s, %s, alpn=%s%s): handshake done, file "
                "served (%.1fs)" % (sent, host, obj.cipher()[0] if obj.cipher() else "?",
                             obj.selected_alpn_protocol(),
                             ", ClientHello in %d-byte records" % frag if frag else "",
                             time.time() - t0), detail)


def send_and_watch(t, srv, data, shut_wr, what):
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    try:
        try:
            sock.sendall(data)
            if shut_wr:
                sock.shutdown(socket.SHUT_WR)
        except (ConnectionResetError, BrokenPipeError):
            pass  # the server already gave up on us: fine
        got, closed = lt.recv_until_close(sock, 10)
    finally:
        sock.close()
    alerts = lt.parse_alerts(got)
    t.check(closed and (not got or alerts),
            "%s: server closed the connection%s" % (
                what, (" after alert %s" % ", ".join("%d (%s)" % (d, ALERT_NAMES.get(d, "?"))
                                                     for _, d in alerts)) if alerts else ""),
            "closed=%s, received %r" % (closed, got[:100]))
    t.fetch_ok(srv, "after %s" % what)
    return alerts


def overflow(t, srv):
    """A handshake record header announcing 18433 bytes; the body follows after 2s
    if the server waits for it."""
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    try:
        sock.sendall(bytes([22, 3, 1, 0x48, 0x01]))
        got, closed = lt.recv_until_close(sock, 2)
        if not closed:
            try:
                sock.sendall(os.urandom(0x4801))
            except (ConnectionResetError, BrokenPipeError):
                pass
            more, closed = lt.recv_until_close(sock, 10)
            got += more
    finally:
        sock.close()
    alerts = lt.parse_alerts(got)
    t.check(closed, "handshake record of 18433 bytes: server closed the connection",
            "received %r" % got[:100])
    t.fetch_ok(srv, "after the oversized record")
    return alerts


def case_random_bytes(t, srv):
    """Garbage instead of a ClientHello: an alert and/or a close, never a crash."""
    for i in range(4):
        send_and_watch(t, srv, os.urandom(16384), True, "16 KiB of random bytes #%d" % (i + 1))
    # A record header with a type that does not exist: an alert, without EOF from us.
    # (Short inputs here, so that the server has read everything when it closes and
    # its close is a FIN, not a reset that could swallow the alert.)
    data = bytes([0x99, 3, 3, 0, 8]) + os.urandom(8)
    alerts = send_and_watch(t, srv, data, False, "a record of type 0x99")
    t.check(bool(alerts), "record type 0x99: an alert was sent before the close")
    # Plain HTTP to the TLS port.
    send_and_watch(t, srv, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", False,
                   "plain HTTP to the TLS port")
    # A handshake record header announcing more than 2^14 bytes: record_overflow
    # (RFC 8446 5.1); the header alone is enough to tell.
    alerts = overflow(t, srv)
    t.check(any(d == 22 for _, d in alerts), "record over 2^14 bytes: record_overflow alert (22)",
            "alerts %s" % alerts)
    # A well-framed handshake record holding random bytes. Whatever the type byte
    # says, the server answers at once: a type it does not expect is refused from
    # the header alone. Only a ClientHello header announcing more than the record
    # holds is (rightly) waited for, so the type is never 1.
    body = bytearray(os.urandom(300))
    body[0] = body[0] if body[0] != 1 else 2
    data = bytes([22, 3, 1]) + len(body).to_bytes(2, "big") + body
    alerts = send_and_watch(t, srv, data, False, "handshake record of random bytes")
    t.check(bool(alerts), "random handshake message: an alert was sent before the close")
    # A real ClientHello with its body garbled after the first 60 bytes.
    hello = bytearray(lt.client_hello_bytes(t.client_context()))
    for k in range(60, len(hello)):
        hello[k] = os.urandom(1)[0]
    alerts = send_and_watch(t, srv, bytes(hello), True, "ClientHello garbled after 60 bytes")
    # Application data before any handshake.
    data = bytes([23, 3, 3, 0, 32]) + os.urandom(32)
    alerts = send_and_watch(t, srv, data, False, "application_data record before the handshake")
    t.check(bool(alerts), "application_data before the handshake: an alert was sent")


def case_stalled(t, srv):
    """Clients that stop mid-handshake (half a ClientHello, a bare record header,
    or nothing) while others are served."""
    hello = lt.client_hello_bytes(t.client_context())
    stalled = []
    for part in (hello[:len(hello) // 2], hello[:3], b"", hello[:len(hello) - 1]):
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        if part:
            s.sendall(part)
        stalled.append(s)
    time.sleep(0.3)
    for i in range(3):
        t0 = time.time()
        t.fetch_ok(srv, "fetch #%d while 4 clients stall mid-handshake" % (i + 1))
        t.check(time.time() - t0 < 8, "fetch #%d was not held up by the stalled clients (%.2fs)"
                % (i + 1, time.time() - t0))
    # the stalled clients are still connected or were cut off by a timeout; either is fine
    for s in stalled:
        s.close()
    time.sleep(0.2)
    t.fetch_ok(srv, "after the stalled clients went away")


CASES = {"tls12": case_tls12, "no_common_suite": case_no_common_suite,
         "no_common_group": case_no_common_group, "byte_by_byte": case_byte_by_byte,
         "random_bytes": case_random_bytes, "stalled": case_stalled}


def test(t):
    srv = t.server()
    t.fetch_ok(srv, "before")
    CASES[t.args.case](t, srv)
    t.fetch_ok(srv, "after the %s case" % t.args.case)


lt.main(test, lambda ap: ap.add_argument("--case", choices=sorted(CASES), required=True))
