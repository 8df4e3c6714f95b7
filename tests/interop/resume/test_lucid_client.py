"""lucid-client against resume_server (Lucid on both sides, over real sockets).

--session FILE saves the ticket and resumes with it; --early-data sends the request as
0-RTT data, which the server reads marked as early; when the server rejects it (0-RTT
turned off, a retired ticket key) the client sends it again after the handshake and gets the
right answer; a POST in 0-RTT data gets 425 Too Early; --trace narrates the PSK offer, the
ticket and the 0-RTT answer.
"""

import os
import stat

from resumelib import CA, ResumeServer, Suite, key_file, run_client

GET = "GET /early HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n"


def main():
    s = Suite("resume-lucid-client")
    keys = key_file(s.tmp, "ticket.key")
    other = key_file(s.tmp, "other.key", 96)
    sess = os.path.join(s.tmp, "sessions")

    srv = ResumeServer("--ticket-key", keys, "--early-data", "16384")
    url = f"https://localhost:{srv.port}/first"
    r = run_client(s, url, "-v", "--cacert", CA, "--session", sess)
    s.check(r.rc == 0 and b"resumed=0" in r.out, "a full handshake", r.describe())
    s.check(os.path.exists(sess) and stat.S_IMODE(os.stat(sess).st_mode) == 0o600,
            "the session file is written, mode 0600")
    s.check(f"localhost:{srv.port} 4c435331" in open(sess).read(),
            "it holds this server's session")

    r = run_client(s, url, "-v", "--cacert", CA, "--session", sess)
    s.check(r.rc == 0 and r.info.get("resumed", "").startswith("yes") and b"resumed=1" in r.out,
            "the next run resumes", r.describe())

    r = run_client(s, url, "-v", "--cacert", CA, "--session", sess, "--early-data", GET)
    s.check(r.rc == 0 and b"resumed=1 early=accepted request-early=1 request=GET /early" in r.out,
            "--early-data: the request goes as 0-RTT data and is answered", r.describe())
    s.check("accepted by the server" in r.err, "-v says the early data was accepted", r.err)
    data = srv.lines.wait_for(r'^data \d+ early=1 bytes=\d+ text="GET /early')
    s.check(data is not None, "the server read it marked as early", srv.lines.text())

    r = run_client(s, url, "-v", "--cacert", CA, "--session", sess, "--early-data",
                   "POST /pay HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: 0\\r\\n\\r\\n")
    s.check(r.rc == 0 and "425 Too Early" in r.err and b"request-early=1" in r.out,
            "a POST in 0-RTT data gets 425 Too Early", r.describe())

    r = run_client(s, url, "--trace", "--cacert", CA, "--session", sess, "--early-data", GET)
    s.check("offering a ticket for localhost" in r.err and "pre_shared_key" in r.err and
            "0-RTT data accepted by the server" in r.err and "session ticket kept" in r.err and
            "the server accepts the 0-RTT data" in r.err,
            "--trace narrates the offer, the answer and the new ticket", r.err[-3000:])
    srv.stop()
    early_sess = os.path.join(s.tmp, "sessions-early")
    with open(sess) as f, open(early_sess, "w") as g:
        g.write(f.read())

    # the same key file, 0-RTT turned off: resumed, the early data rejected and sent again
    srv = ResumeServer("--ticket-key", keys, "--early-data", "0", port=srv.port)
    r = run_client(s, url, "-v", "--cacert", CA, "--session", sess, "--early-data", GET)
    s.check(r.rc == 0 and b"resumed=1 early=rejected request-early=0 request=GET /early" in r.out,
            "0-RTT off on the server: resumed, and the retried request is answered", r.describe())
    s.check("rejected by the server; sent again" in r.err, "-v says it was sent again", r.err)
    srv.stop()

    # a retired key: a full handshake; the early data is rejected and sent again
    srv = ResumeServer("--ticket-key", other, "--early-data", "16384", port=srv.port)
    sess = early_sess
    r = run_client(s, url, "-v", "--cacert", CA, "--session", sess, "--early-data", GET)
    s.check(r.rc == 0 and b"resumed=0 early=rejected request-early=0 request=GET /early" in r.out,
            "retired ticket key: full handshake, the request answered after it", r.describe())
    s.check(r.info.get("resumed") == "no" and "signature scheme" in r.info,
            "-v shows the full handshake", r.err)
    # and the session saved from that run resumes against the new key
    r = run_client(s, url, "-v", "--cacert", CA, "--session", sess, "--early-data", GET)
    s.check(r.rc == 0 and b"resumed=1 early=accepted" in r.out, "the new ticket is used next",
            r.describe())
    line = srv.lines.wait_for(r"^stats ")
    srv.stop()

    # a damaged session file is reported, not fatal
    with open(sess, "w") as f:
        f.write(f"localhost:{srv.port} 4c43533100\n")
    srv = ResumeServer("--ticket-key", keys, port=srv.port)
    r = run_client(s, url, "-v", "--cacert", CA, "--session", sess)
    s.check(r.rc == 0 and "is not used" in r.err and b"resumed=0" in r.out,
            "a damaged session is skipped with a message", r.describe())
    srv.stop()
    s.finish()


if __name__ == "__main__":
    main()
