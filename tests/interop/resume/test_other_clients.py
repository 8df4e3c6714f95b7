"""curl and Python's ssl module resume TLS 1.3 sessions with a Lucid server (resume_server).

curl fetching two URLs in one run opens a second connection (the server says
Connection: close) and resumes it with the ticket of the first; Python's ssl gives
SSLSocket.session to the next connection, which reports session_reused. The server's own
log says which of its connections were resumed.
"""

import socket
import ssl
import subprocess

from resumelib import CA, ResumeServer, Suite, key_file, need


def python_get(ctx, port, session=None):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost", session=session) as tls:
            tls.sendall(b"GET /py HTTP/1.1\r\nHost: localhost\r\n\r\n")
            data = b""
            while True:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data, tls.session, tls.session_reused


def main():
    s = Suite("resume-other-clients")
    need(s, "curl")
    srv = ResumeServer("--ticket-key", key_file(s.tmp, "k.key"))

    ctx = ssl.create_default_context(cafile=CA)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    data, sess, reused = python_get(ctx, srv.port)
    s.check(b"200 OK" in data and not reused and sess is not None,
            "python: a full handshake, a session kept", data)
    data, sess2, reused = python_get(ctx, srv.port, sess)
    s.check(b"resumed=1" in data and reused, "python: the next connection is resumed", data)
    s.check(srv.conn(2).get("resumed") == "1", "the server resumed it", srv.lines.text())

    base = f"https://localhost:{srv.port}"
    cp = subprocess.run(["curl", "-sS", "--tlsv1.3", "--cacert", CA, "-v", f"{base}/a",
                         f"{base}/b"], capture_output=True, timeout=60)
    out, err = cp.stdout.decode(), cp.stderr.decode("utf-8", "replace")
    s.check(cp.returncode == 0 and "resumed=0" in out and "resumed=1" in out,
            "curl: the second URL's connection is resumed", out + err[-2000:])
    s.check(srv.conn(3).get("resumed") == "0" and srv.conn(4).get("resumed") == "1",
            "the server: a full handshake, then a resumed one", srv.lines.text())
    srv.stop()
    s.finish()


if __name__ == "__main__":
    main()
