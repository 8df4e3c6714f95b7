"""openssl s_client -sess_out / -sess_in against a Lucid server (resume_server).

The second connection is reported reused (TLS 1.3), with and without -early_data; the early
data reaches the server marked as early and is answered; a POST in early data gets 425; a
server with the new ticket key first and the old one after it still resumes, one with the
old key retired does a full handshake; psk_ke when both sides allow it (-allow_no_dhe_kex).
"""

import os
import subprocess

from resumelib import CA, ResumeServer, Suite, key_file, need

GET = b"GET /early HTTP/1.1\r\nHost: localhost\r\n\r\n"


def s_client(suite, port, *opts, stdin=b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"):
    argv = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
            "-CAfile", CA, "-verify_return_error", "-tls1_3", "-ign_eof", *opts]
    try:
        cp = subprocess.run(argv, input=stdin, capture_output=True, timeout=30)
        out = cp.stdout.decode("utf-8", "replace") + cp.stderr.decode("utf-8", "replace")
        return cp.returncode, out
    except subprocess.TimeoutExpired:
        return -9, "timed out"


def main():
    s = Suite("resume-openssl-client")
    need(s, "openssl")
    k1 = key_file(s.tmp, "k1.key")
    k2 = key_file(s.tmp, "k2.key", 128)
    sess = os.path.join(s.tmp, "sess.pem")
    early = os.path.join(s.tmp, "early.txt")
    post = os.path.join(s.tmp, "post.txt")
    with open(early, "wb") as f:
        f.write(GET)
    with open(post, "wb") as f:
        f.write(b"POST /pay HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n")

    srv = ResumeServer("--ticket-key", k1, "--early-data", "16384")
    rc, out = s_client(s, srv.port, "-sess_out", sess)
    s.check(rc == 0 and "New, TLSv1.3" in out and "resumed=0" in out,
            "s_client: a full handshake, the session saved", out[-2000:])
    c = srv.conn(1)
    s.check(c.get("resumed") == "0", "the server did a full handshake", srv.lines.text())

    rc, out = s_client(s, srv.port, "-sess_in", sess, "-sess_out", sess)
    s.check(rc == 0 and "Reused, TLSv1.3" in out and "resumed=1 early=none" in out,
            "s_client -sess_in: Reused, TLSv1.3", out[-2000:])
    s.check(srv.conn(2).get("resumed") == "1", "the server resumed", srv.lines.text())

    rc, out = s_client(s, srv.port, "-sess_in", sess, "-sess_out", sess, "-early_data", early,
                       stdin=b"")
    s.check(rc == 0 and "Reused, TLSv1.3" in out and "Early data was accepted" in out,
            "s_client -early_data: Reused, early data accepted", out[-2000:])
    s.check("resumed=1 early=accepted request-early=1 request=GET /early" in out,
            "the early request is answered", out[-2000:])
    line = srv.lines.wait_for(r'^data 3 early=1 bytes=\d+ text="GET /early')
    s.check(line is not None and srv.conn(3).get("early") == "accepted",
            "the server read the early data marked as early", srv.lines.text())

    rc, out = s_client(s, srv.port, "-sess_in", sess, "-sess_out", sess, "-early_data", post,
                       stdin=b"")
    s.check("Early data was accepted" in out and "425 Too Early" in out,
            "a POST in early data: 425 Too Early", out[-2000:])
    stats = srv.lines.wait_for(r"^stats handshakes=4 ")
    s.check(stats is not None and "resumed=3" in stats and "early_accepted=2" in stats,
            "the server's counters: 4 handshakes, 3 resumed, 2 with early data", srv.lines.text())
    srv.stop()

    # rotation: the new key first, the old one kept
    srv = ResumeServer("--ticket-key", k2, "--ticket-key", k1, port=srv.port)
    rc, out = s_client(s, srv.port, "-sess_in", sess, "-sess_out", sess)
    s.check(rc == 0 and "Reused, TLSv1.3" in out, "rotated keys: the old ticket still resumes",
            out[-2000:])
    srv.stop()
    # the old key retired: the ticket just issued (under k2) resumes, an old one does not
    old = os.path.join(s.tmp, "old.pem")
    srv = ResumeServer("--ticket-key", k1, port=srv.port)
    s_client(s, srv.port, "-sess_out", old)
    srv.stop()
    srv = ResumeServer("--ticket-key", k2, port=srv.port)
    rc, out = s_client(s, srv.port, "-sess_in", old)
    s.check(rc == 0 and "New, TLSv1.3" in out and "resumed=0" in out,
            "retired key: a full handshake", out[-2000:])
    rc, out = s_client(s, srv.port, "-sess_in", sess)
    s.check(rc == 0 and "Reused, TLSv1.3" in out, "the new key's ticket resumes", out[-2000:])
    srv.stop()

    # psk_ke (no (EC)DHE) only where both sides allow it
    srv = ResumeServer("--ticket-key", k1, "--psk-modes", "psk_ke", port=srv.port)
    pke = os.path.join(s.tmp, "pke.pem")
    s_client(s, srv.port, "-allow_no_dhe_kex", "-sess_out", pke)
    rc, out = s_client(s, srv.port, "-allow_no_dhe_kex", "-sess_in", pke)
    c = srv.conn(2)
    s.check(rc == 0 and "Reused, TLSv1.3" in out and c.get("resumed") == "1" and
            c.get("group") != "x25519", "psk_ke: resumed without a key exchange",
            out[-1500:] + "\n" + srv.lines.text())
    srv.stop()
    s.finish()


if __name__ == "__main__":
    main()
