#!/usr/bin/env python3
"""Issue 3, item 3: curl, gnutls-cli and Python's ssl module each fetch files from
lucid-server over TLS 1.3, verifying the chain against the test root, and the
bytes match the files on disk (SHA-256), the 64 MiB file included.
  fetch.py --bin DIR --client curl|gnutls|python"""

import ctypes
import ctypes.util
import hashlib
import os
import re
import socket
import subprocess
import time

import lucidtest as lt

PATHS = ["/hello.txt", "/small.bin", "/dir/page.txt", "/" + lt.BIG_FILE]


def split_http(data):
    """(status code, headers dict, body) from a raw HTTP/1.1 response."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return None, {}, b""
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return (int(m.group(1)) if m else None), headers, body


def with_curl(t, srv):
    t.need_tool("curl")
    for path in PATHS:
        for host in ("localhost", "127.0.0.1"):
            out = os.path.join(t.tmp, "curl.out")
            url = "https://%s:%d%s" % (host, srv.port, path)
            r = t.run(["curl", "--tlsv1.3", "--cacert", t.pki.root, "-sS", "-v",
                       "--resolve", "localhost:%d:127.0.0.1" % srv.port,
                       "-o", out, "-w", "%{http_code}", url], timeout=120)
            got = lt.sha256_file(out) if os.path.exists(out) else None
            tls = re.search(r"SSL connection using (TLSv1\.3) / (\S+)", r.stderr)
            t.check(r.rc == 0 and r.stdout.strip() == "200" and tls is not None
                    and got == t.file_hash(path[1:]),
                    "curl %s: 200 over %s, %d bytes match the file"
                    % (url, "/".join(tls.groups()) if tls else "?",
                       os.path.getsize(out) if os.path.exists(out) else -1),
                    r.describe())
            if os.path.exists(out):
                os.remove(out)


def with_gnutls(t, srv):
    """gnutls-cli fetches the small files. It writes what it receives one byte per
    write(2) (setbuf(stdout, NULL) + fputc), about 0.3 MB/s, so the 64 MiB file
    goes through GnuTLS itself (libgnutls.so.30, the library gnutls-cli runs on)
    driven from Python with ctypes."""
    t.need_tool("gnutls-cli")
    for path in PATHS[:-1]:
        log = os.path.join(t.tmp, "gnutls.log")
        cmd = ["gnutls-cli", "--x509cafile", t.pki.root, "--port", str(srv.port),
               "--logfile", log, "localhost"]
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=t.tmp)
        # stdin stays open until the server has closed: gnutls-cli ends the session
        # when its stdin ends, which could cut the response short.
        p.stdin.write(("GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                       % path).encode())
        p.stdin.flush()
        try:
            data, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            data, err = p.communicate()
            t.check(False, "gnutls-cli GET %s finished" % path, err.decode(errors="replace"))
            continue
        with open(log, errors="replace") as f:
            info = f.read()
        desc = re.search(r"Description: (\S+)", info)
        status, headers, body = split_http(data)
        ok = (desc is not None and desc.group(1).startswith("(TLS1.3")
              and status == 200 and length_ok(headers, len(body))
              and hashlib.sha256(body).hexdigest() == t.file_hash(path[1:]))
        t.check(ok, "gnutls-cli GET %s: 200 over %s, %d bytes match the file"
                % (path, desc.group(1) if desc else "?", len(body)),
                "status %s, headers %s\n$ %s (rc=%s)\n%s\n%s"
                % (status, headers, " ".join(cmd), p.returncode, info[-3000:],
                   err.decode(errors="replace")[-2000:]))
    for path in PATHS:
        h = hashlib.sha256()
        t0 = time.time()
        try:
            desc, status, headers, n = gnutls_lib_get(t, srv, path, h.update)
            ok = status == 200 and length_ok(headers, n) and \
                h.hexdigest() == t.file_hash(path[1:]) and desc.startswith("(TLS1.3")
            detail = "status %s, headers %s" % (status, headers)
        except Exception as e:  # noqa: BLE001
            ok, desc, n, detail = False, "?", 0, "%s: %s" % (type(e).__name__, e)
        t.check(ok, "libgnutls GET %s: 200 over %s, %d bytes match the file (%.2fs)"
                % (path, desc, n, time.time() - t0), detail)


GNUTLS_CLIENT, GNUTLS_X509_FMT_PEM, GNUTLS_CRD_CERTIFICATE, GNUTLS_NAME_DNS = 2, 1, 1, 1
GNUTLS_E_AGAIN, GNUTLS_E_INTERRUPTED = -28, -52


def gnutls_lib_get(t, srv, path, sink):
    """GET path with GnuTLS (TLS 1.3 only, chain and name verified).
    Returns (session description, status, headers, body bytes)."""
    name = ctypes.util.find_library("gnutls") or "libgnutls.so.30"
    try:
        g = ctypes.CDLL(name)
    except OSError as e:
        t.skip("libgnutls cannot be loaded (%s); gnutls-bin installs it" % e)
    g.gnutls_strerror.restype = ctypes.c_char_p
    g.gnutls_session_get_desc.restype = ctypes.c_char_p
    g.gnutls_record_recv.restype = ctypes.c_ssize_t
    g.gnutls_record_send.restype = ctypes.c_ssize_t
    g.gnutls_record_send.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    g.gnutls_record_recv.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]

    def ck(ret, what):
        if ret < 0:
            raise RuntimeError("%s: %s" % (what, g.gnutls_strerror(ret).decode()))
        return ret

    cred, sess = ctypes.c_void_p(), ctypes.c_void_p()
    ck(g.gnutls_global_init(), "gnutls_global_init")
    ck(g.gnutls_certificate_allocate_credentials(ctypes.byref(cred)), "allocate credentials")
    n = ck(g.gnutls_certificate_set_x509_trust_file(cred, t.pki.root.encode(),
                                                      GNUTLS_X509_FMT_PEM), "trust file")
    if n != 1:
        raise RuntimeError("%d CA certificates loaded from %s, want 1" % (n, t.pki.root))
    ck(g.gnutls_init(ctypes.byref(sess), GNUTLS_CLIENT), "gnutls_init")
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=60)
    try:
        ck(g.gnutls_server_name_set(sess, GNUTLS_NAME_DNS, b"localhost", 9), "server name")
        ck(g.gnutls_priority_set_direct(sess, b"NORMAL:-VERS-ALL:+VERS-TLS1.3", None),
           "priority")
        ck(g.gnutls_credentials_set(sess, GNUTLS_CRD_CERTIFICATE, cred), "credentials")
        g.gnutls_session_set_verify_cert(sess, b"localhost", 0)
        g.gnutls_transport_set_int2(sess, sock.fileno(), sock.fileno())
        while True:
            ret = g.gnutls_handshake(sess)
            if ret >= 0:
                break
            if g.gnutls_error_is_fatal(ret):
                ck(ret, "handshake")
        desc = g.gnutls_session_get_desc(sess).decode()
        req = ("GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
               % path).encode()
        ck(g.gnutls_record_send(sess, req, len(req)), "record_send")
        buf = ctypes.create_string_buffer(1 << 16)
        head = b""
        status, headers, n = None, {}, 0
        while True:
            ret = g.gnutls_record_recv(sess, buf, len(buf))
            if ret in (GNUTLS_E_AGAIN, GNUTLS_E_INTERRUPTED):
                continue
            if ret == 0:
                break
            if ret < 0:
                if n or head:
                    break  # the server closed without close_notify: the length tells
                ck(ret, "record_recv")
            data = buf.raw[:ret]
            if status is None:
                head += data
                if b"\r\n\r\n" not in head:
                    continue
                status, headers, data = split_http(head)
            n += len(data)
            sink(data)
            if length_ok(headers, n) and "content-length" in headers:
                break
        g.gnutls_bye(sess, 1)
        return desc, status, headers, n
    finally:
        sock.close()
        g.gnutls_deinit(sess)
        g.gnutls_certificate_free_credentials(cred)


def length_ok(headers, n):
    """Content-Length, when the server sends one, matches what came."""
    return "content-length" not in headers or int(headers["content-length"]) == n


def with_python(t, srv):
    for path in PATHS:
        for host in ("localhost", "127.0.0.1"):
            h = hashlib.sha256()
            t0 = time.time()
            status, headers, _, info = t.get(srv, path, host=host, timeout=60, sink=h.update)
            t.check(lt.http_status(status) == 200 and info["version"] == "TLSv1.3"
                    and length_ok(headers, info["received"])
                    and h.hexdigest() == t.file_hash(path[1:]),
                    "python ssl https://%s%s: %s over %s %s, %d bytes match the file (%.2fs)"
                    % (host, path, status, info["version"], info["cipher"],
                       info["received"], time.time() - t0),
                    "headers %s" % headers)


CLIENTS = {"curl": with_curl, "gnutls": with_gnutls, "python": with_python}


TOOLS = {"curl": "curl", "gnutls": "gnutls-cli", "python": None}


def test(t):
    if TOOLS[t.args.client]:
        t.need_tool(TOOLS[t.args.client])
    t.need_big_file()
    srv = t.server()
    CLIENTS[t.args.client](t, srv)
    t.fetch_ok(srv)


lt.main(test, lambda ap: ap.add_argument("--client", choices=sorted(CLIENTS), required=True))
