#!/usr/bin/env python3
"""valgrind memcheck over a scripted session (issue 8): lucid-server and lucid-client both
run under valgrind (--leak-check=full, definite leaks count as errors, --error-exitcode).

The session: lucid-client fetches a small file and a file of several records; Python's ssl
fetches one; a TLS 1.2-only client is refused (protocol_version); random bytes and a
ClientHello cut in half end in errors; a client goes away mid-handshake. Then SIGTERM.

Asserted: every fetch returns the file intact; lucid-client exits 0 each time with no
memcheck error; lucid-server exits 0 on SIGTERM, which under --error-exitcode means memcheck
found no error and no definite leak in it; and each valgrind log says "ERROR SUMMARY: 0
errors" and "definitely lost: 0 bytes" (or that every block was freed).
  session.py --bin DIR
"""

import glob
import os
import re
import shutil
import socket
import ssl
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
import lucidtest as lt  # noqa: E402

ERROR_EXIT = 97
VALGRIND = ["valgrind", "--tool=memcheck", "--leak-check=full",
            "--errors-for-leak-kinds=definite", "--error-exitcode=%d" % ERROR_EXIT,
            "--trace-children=yes", "--num-callers=30"]


class ValgrindServer(lt.Server):
    def command(self, port):
        log = os.path.join(self.t.tmp, "vg-server-%p.log")
        return VALGRIND + ["--log-file=" + log] + super().command(port) + ["--quiet"]


def check_log(t, path, who):
    with open(path, errors="replace") as f:
        text = f.read()
    summary = re.search(r"ERROR SUMMARY: (\d+) errors", text)
    definite = re.search(r"definitely lost: ([\d,]+) bytes", text)
    freed = "All heap blocks were freed" in text
    errors = int(summary.group(1)) if summary else None
    lost = int(definite.group(1).replace(",", "")) if definite else (0 if freed else None)
    t.check(errors == 0 and lost == 0,
            "%s: memcheck reports 0 errors and %s" % (
                who, "all heap blocks freed" if freed else "0 bytes definitely lost"),
            "%s\n%s" % (path, text[-4000:]))


def test(t):
    t.need_tool("valgrind")
    srv = ValgrindServer(t, [t.pki.certs["ecdsa"]], t.webroot, name="valgrind-server")
    t.servers.append(srv)
    srv.start(timeout=120)

    client = os.path.join(t.bin, "lucid-client")
    for n, path in enumerate(("/hello.txt", "/small.bin")):
        log = os.path.join(t.tmp, "vg-client-%d.log" % n)
        out = os.path.join(t.tmp, "fetched-%d" % n)
        r = t.run(VALGRIND + ["--log-file=" + log, client, "--cacert", t.pki.root, "-o", out,
                              "https://localhost:%d%s" % (srv.port, path)], timeout=240)
        got = open(out, "rb").read() if os.path.exists(out) else b""
        t.check(r.rc == 0 and got == t.file_bytes(path.lstrip("/")),
                "lucid-client under valgrind fetches %s intact, exit 0" % path, r.describe())
        check_log(t, log, "lucid-client %s" % path)

    t.fetch_ok(srv, "Python's ssl against lucid-server under valgrind")
    # failures: the server's error paths free what they made too
    ctx = ssl.create_default_context(cafile=t.pki.root)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    try:
        t.get(srv, "/hello.txt", ctx=ctx, timeout=60)
        t.check(False, "a TLS 1.2-only client is refused")
    except ssl.SSLError as e:
        t.check("PROTOCOL_VERSION" in str(e).upper(), "a TLS 1.2-only client is refused with "
                "protocol_version", str(e))
    hello = lt.client_hello_bytes(t.client_context())
    for what, data in (("random bytes", os.urandom(3000)), ("half a ClientHello",
                                                            hello[:len(hello) // 2])):
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=60)
        s.sendall(data)
        if what == "random bytes":
            lt.recv_until_close(s, 60)
        s.close()
    t.fetch_ok(srv, "after the failed handshakes")

    problems = srv.stop()
    for p in problems:
        t.check(False, p + " (exit %d: memcheck found errors or definite leaks)" % ERROR_EXIT
                if str(ERROR_EXIT) in p else p, srv.stderr()[-3000:])
    if not problems:
        t.check(True, "lucid-server under valgrind exited 0 on SIGTERM: no memcheck error, no "
                "definite leak")
    logs = glob.glob(os.path.join(t.tmp, "vg-server-*.log"))
    t.check(len(logs) >= 1, "valgrind wrote lucid-server's log")
    for log in logs:
        check_log(t, log, "lucid-server (%s)" % os.path.basename(log))


if __name__ == "__main__":
    if shutil.which("valgrind") is None:
        print("*" * 70 + "\n*** SKIPPED: valgrind is not installed (scripts/setup.sh test)\n"
              + "*" * 70)
        sys.exit(lt.SKIP)
    lt.main(test)
