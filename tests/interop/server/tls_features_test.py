"""lucid-server's TLS settings from the configuration file (issues 5 and 7), 2 workers:

- ssl_session_tickets on, no key file: openssl s_client resumes (-sess_out, then -sess_in)
  every time, whichever worker takes the connection (the master's key is shared);
- ssl_early_data on: a GET sent as 0-RTT data is answered 200; a POST sent as 0-RTT data is
  answered 425 Too Early (RFC 8470); ten replays of a recorded 0-RTT flight, spread over
  both workers, are never served: lucid-server acts on early data once the client's Finished
  has come, which a replay cannot send (the anti-replay record the workers also share, made
  by the master, is checked in unit/conn/resume_test: test_shared_replay);
- ssl_verify_client optional with ssl_client_certificate (another server: one that asks for
  client certificates issues no tickets, since a ticket does not carry the client's identity):
  curl --cert is served and the access log names the client's subject; without a certificate
  the request is served too ("-").
"""
import os
import select
import socket
import threading
import time

from srvlib import ConfServer, lt, site_conf

HERE = os.path.dirname(os.path.abspath(__file__))
CERTS = os.path.join(HERE, "..", "..", "vectors", "certs")


def s_client(t, port, *args, stdin=b""):
    cmd = ["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, "-servername",
           "localhost", "-tls1_3", "-ign_eof"] + list(args)
    return t.run(cmd, input=stdin, timeout=30)


def through_recorder(t, port, *args):
    """s_client through a relay that keeps the client's first flight (ClientHello and 0-RTT
    records, all it sends before the server answers): what an attacker on the path copies."""
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    flight = bytearray()

    def relay():
        c, _ = lsock.accept()
        c.settimeout(0.5)
        while True:
            try:
                d = c.recv(65536)
            except socket.timeout:
                break
            if not d:
                break
            flight.extend(d)
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(flight)
        socks = [c, s]
        c.settimeout(None)
        while True:
            ready, _, _ = select.select(socks, [], [], 5)
            if not ready:
                break
            d = ready[0].recv(65536)
            if not d:
                break
            (s if ready[0] is c else c).sendall(d)
        c.close()
        s.close()

    th = threading.Thread(target=relay, daemon=True)
    th.start()
    r = s_client(t, lsock.getsockname()[1], *args)
    th.join(10)
    lsock.close()
    return r, bytes(flight)


def check_replays(t, srv, sess):
    """RFC 8446 8: a 0-RTT flight replayed on new connections is never served, whichever
    worker each copy reaches."""
    early = os.path.join(t.tmp, "early_once.txt")
    with open(early, "wb") as f:
        f.write(b"GET /hello.txt?replay-once HTTP/1.1\r\nHost: localhost\r\n"
                b"Connection: close\r\n\r\n")
    r, flight = through_recorder(t, srv.port, "-sess_in", sess, "-sess_out", sess,
                                 "-early_data", early)
    t.check("Early data was accepted" in r.out and lt.http_status(r.out) == 200,
            "a GET in 0-RTT data through a recording relay: accepted", r.describe())
    # Ten copies from ten source ports: SO_REUSEPORT spreads them over both workers.
    for _ in range(10):
        with socket.create_connection(("127.0.0.1", srv.port), timeout=2) as c:
            c.sendall(flight)
            c.settimeout(0.5)
            try:
                while c.recv(65536):
                    pass
            except OSError:
                pass
    time.sleep(0.5)
    with open(os.path.join(t.tmp, "access.log")) as f:
        taken = [l for l in f.read().splitlines() if "replay-once" in l]
    t.check(len(flight) > 0 and len(taken) == 1,
            "10 replays of a %d-byte 0-RTT flight over 2 workers: the request was served once "
            "(%d access log lines)" % (len(flight), len(taken)), "\n".join(taken))


def check_chain_file(t, curl):
    """ssl_certificate with the leaf alone and ssl_certificate_chain with the intermediate:
    the server sends both, so curl verifies the chain to the root."""
    with open(os.path.join(CERTS, "ecdsa_chain.pem")) as f:
        pems = f.read().split("-----END CERTIFICATE-----")
    leaf, inter = os.path.join(t.tmp, "leaf.pem"), os.path.join(t.tmp, "inter.pem")
    with open(leaf, "w") as f:
        f.write(pems[0] + "-----END CERTIFICATE-----\n")
    with open(inter, "w") as f:
        f.write(pems[1].lstrip() + "-----END CERTIFICATE-----\n")
    cert = lt.Cert("split", leaf, os.path.join(CERTS, "ecdsa_key.pem"), leaf)
    srv = ConfServer(t, site_conf(t, ["127.0.0.1:0 ssl"], workers=1, certs=[cert],
                                  extra_server="        ssl_certificate_chain %s;" % inter),
                     name="chain-file")
    t.servers.append(srv)
    srv.start()
    r = t.run([curl, "-sS", "--tlsv1.3", "--cacert", os.path.join(CERTS, "ca_cert.pem"),
               "--resolve", "localhost:%d:127.0.0.1" % srv.port,
               "https://localhost:%d/hello.txt" % srv.port])
    t.check(r.rc == 0 and r.stdout.encode() == t.file_bytes("hello.txt"),
            "ssl_certificate_chain: the intermediate from its own file completes the chain",
            r.describe())


def test(t):
    t.need_tool("openssl")
    curl = t.need_tool("curl")
    ca = os.path.join(CERTS, "ca_cert.pem")
    extra = ("        ssl_session_tickets on;\n"
             "        ssl_early_data on;")
    srv = ConfServer(t, site_conf(t, ["127.0.0.1:0 ssl"], workers=2, extra_server=extra))
    t.servers.append(srv)
    srv.start()
    srv.wait_workers(2)

    sess = os.path.join(t.tmp, "sess.pem")
    get = b"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    r = s_client(t, srv.port, "-sess_out", sess, stdin=get)
    t.check(r.rc == 0 and "New, TLSv1.3" in r.out and lt.http_status(r.out) == 200,
            "a full handshake; the session saved", r.describe())
    reused = 0
    for _ in range(8):
        r = s_client(t, srv.port, "-sess_in", sess, "-sess_out", sess, stdin=get)
        reused += "Reused, TLSv1.3" in r.out and lt.http_status(r.out) == 200
    t.check(reused == 8, "8 of 8 connections resumed with 2 workers (%d did)" % reused)

    early_get = os.path.join(t.tmp, "early_get.txt")
    with open(early_get, "wb") as f:
        f.write(get)
    r = s_client(t, srv.port, "-sess_in", sess, "-sess_out", sess, "-early_data", early_get)
    t.check("Early data was accepted" in r.out and lt.http_status(r.out) == 200
            and t.file_bytes("hello.txt").decode() in r.out,
            "a GET in 0-RTT data is accepted and answered 200", r.describe())
    early_post = os.path.join(t.tmp, "early_post.txt")
    with open(early_post, "wb") as f:
        f.write(b"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
                b"Connection: close\r\n\r\n")
    r = s_client(t, srv.port, "-sess_in", sess, "-sess_out", sess, "-early_data", early_post)
    t.check("Early data was accepted" in r.out and lt.http_status(r.out) == 425,
            "a POST in 0-RTT data is answered 425 Too Early", r.describe())
    check_replays(t, srv, sess)

    extra = ("        ssl_client_certificate %s;\n"
             "        ssl_verify_client optional;" % ca)
    srv = ConfServer(t, site_conf(t, ["127.0.0.1:0 ssl"], workers=2, extra_server=extra),
                     name="client-certs")
    t.servers.append(srv)
    srv.start()
    open(os.path.join(t.tmp, "access.log"), "w").close()
    url = "https://localhost:%d/hello.txt" % srv.port
    resolve = ["--resolve", "localhost:%d:127.0.0.1" % srv.port, "--cacert", t.pki.root]
    r = t.run([curl, "-sS", "--tlsv1.3", "--cert", os.path.join(CERTS, "client_ecdsa_chain.pem"),
               "--key", os.path.join(CERTS, "client_ecdsa_key.pem"), url] + resolve)
    t.check(r.rc == 0 and r.stdout.encode() == t.file_bytes("hello.txt"),
            "curl --cert: served with a client certificate", r.describe())
    r = t.run([curl, "-sS", "--tlsv1.3", url] + resolve)
    t.check(r.rc == 0 and r.stdout.encode() == t.file_bytes("hello.txt"),
            "curl without a certificate: served (ssl_verify_client optional)", r.describe())
    time.sleep(0.3)
    with open(os.path.join(t.tmp, "access.log")) as f:
        log = f.read().splitlines()
    with_cert = [l for l in log if "CN=" in l.rsplit(" ", 1)[-1] or "CN=" in l.split('"')[-1]]
    t.check(len(with_cert) == 1, "the access log names the client's subject once",
            "\n".join(log[-4:]))
    t.check(log and log[-1].endswith(" -"), "a request without a certificate logs \"-\"",
            "\n".join(log[-2:]))
    check_chain_file(t, curl)


lt.main(test)
