"""1,000 clients that open a TCP connection and send nothing, or half a ClientHello, do not
stop a normal client from being served within 1 s, and are closed when the handshake
timeout expires (issue 5). The server runs 2 workers with ssl_handshake_timeout 3s."""
import resource
import socket
import ssl
import time

from srvlib import ConfServer, fd_count, lt, site_conf

IDLE = 1000
TIMEOUT_S = 3


def test(t):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = IDLE + 200
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(want, soft), hard), hard))
    srv = ConfServer(t, site_conf(t, ["127.0.0.1:0 ssl"], workers=2,
                                  extra_http="    ssl_handshake_timeout %ds;" % TIMEOUT_S))
    t.servers.append(srv)
    srv.start()
    idle_fds = srv.idle_fds(2)

    hello = lt.client_hello_bytes(t.client_context())
    socks = []
    t0 = time.time()
    for i in range(IDLE):
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        if i % 2:
            s.sendall(hello[:len(hello) // 2])
        socks.append(s)
    opened = time.time()
    t.log("%d idle connections opened in %.2fs" % (IDLE, opened - t0))

    t1 = time.time()
    status, _, body, info = t.get(srv, "/hello.txt", timeout=5)
    took = time.time() - t1
    t.check(lt.http_status(status) == 200 and body == t.file_bytes("hello.txt")
            and took < 1.0,
            "with %d idle clients a normal client is served in %.3fs (< 1 s)" % (IDLE, took))

    # Every idle connection is closed by the server once the handshake timeout expires
    deadline = opened + TIMEOUT_S + 5
    closed = 0
    for s in socks:
        s.settimeout(max(0.01, deadline - time.time()))
        try:
            while s.recv(4096):
                pass
            closed += 1
        except (ConnectionResetError, BrokenPipeError):
            closed += 1
        except (socket.timeout, ssl.SSLError):
            pass
        s.close()
    t.check(closed == IDLE, "all %d idle clients closed by the handshake timeout (%d were) "
            "within %d s" % (IDLE, closed, TIMEOUT_S + 5))
    time.sleep(0.5)
    after = sum(fd_count(p) for p in srv.workers())
    t.check(after == idle_fds, "the workers' descriptors are back to their idle count "
            "(%d before, %d after)" % (idle_fds, after))
    t.fetch_ok(srv)


lt.main(test)
