"""lucid-client against openssl s_server: resumption and 0-RTT data.

s_server -early_data (its echo mode: what the client sends goes to its stdout, what the test
writes to its stdin goes to the client) issues tickets allowing early data. lucid-client
--session resumes with one, and --early-data sends the request in the first flight: s_server
prints it under "Early data received:", reports the session reused, and the answer written
to its stdin comes back. Then a new s_server (-WWW, new ticket keys) on the same port cannot
open the ticket: the early data is rejected, lucid-client sends the request again after the
handshake and gets the file it asked for.
"""

import os
import subprocess
import time

from resumelib import (CA, CERT, INTER, KEY, Lines, Suite, free_port, need, run_client,
                       spawn, stop)

ANSWER = b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"


def s_server(port, *opts, cwd=None):
    argv = ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-tls1_3", "-cert", CERT,
            "-key", KEY, "-cert_chain", INTER, *opts]
    p = spawn(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
              cwd=cwd)
    lines = Lines(p.stdout)
    if lines.wait_for(r"^ACCEPT") is None:
        raise RuntimeError(f"openssl s_server did not start: {lines.text()}")
    return p, lines


def answer(p, body):
    p.stdin.write(ANSWER % (len(body), body))
    p.stdin.flush()


def client_bg(suite, url, *opts):
    argv = [suite.client, "--max-time", "20", *opts, url]
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def main():
    s = Suite("resume-openssl-server")
    need(s, "openssl")
    port = free_port()
    sess = os.path.join(s.tmp, "sessions")
    url = f"https://localhost:{port}/hello.txt"
    common = ("-v", "--cacert", CA, "--session", sess)

    p, lines = s_server(port, "-early_data")
    c = client_bg(s, url, *common)
    got = lines.wait_for(r"^Connection: close")
    answer(p, b"first\n")
    out, err = c.communicate(timeout=30)
    err = err.decode()
    s.check(got is not None and c.returncode == 0 and out == b"first\n" and
            "* resumed: no" in err, "a full handshake with s_server -early_data",
            err + lines.text())
    s.check(os.path.exists(sess), "the ticket is saved")

    request = "GET /early HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n"
    c = client_bg(s, url, *common, "--early-data", request)
    got = lines.wait_for(r"End of early data")
    answer(p, b"early\n")
    out, err = c.communicate(timeout=30)
    err = err.decode()
    log = lines.text()
    s.check(got is not None and "Early data received:" in log and "GET /early HTTP/1.1" in log,
            "s_server received the request as early data", log)
    s.check(c.returncode == 0 and out == b"early\n", "and its answer came back", err)
    s.check("* resumed: yes" in err and "accepted by the server" in err,
            "lucid-client: resumed, early data accepted", err)
    s.check(log.count("Reused session-id") >= 1, "s_server: the session was reused", log)
    stop(p)

    # a new s_server on the same port: new ticket keys, so the ticket means nothing to it
    www = os.path.join(s.tmp, "www")
    os.makedirs(www)
    with open(os.path.join(www, "hello.txt"), "wb") as f:
        f.write(b"hello from s_server -WWW\n")
    time.sleep(0.2)
    p, lines = s_server(port, "-WWW", cwd=www)
    r = run_client(s, url, *common, "--early-data",
                   "GET /hello.txt HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n")
    s.check(r.rc == 0 and r.out == b"hello from s_server -WWW\n",
            "early data rejected: sent again after the handshake, the right answer",
            r.describe())
    s.check("* resumed: no" in r.err and "rejected by the server; sent again" in r.err,
            "lucid-client: not resumed, early data rejected and retried", r.err)
    # the ticket of that server resumes it (no early data: -WWW allows none)
    r = run_client(s, url, *common, "--early-data",
                   "GET /hello.txt HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n")
    s.check(r.rc == 0 and r.out == b"hello from s_server -WWW\n" and "* resumed: yes" in r.err
            and "not possible here" in r.err,
            "its own ticket resumes; it allows no 0-RTT, so none is tried", r.describe())
    stop(p)
    s.finish()


if __name__ == "__main__":
    main()
