"""wrk against lucid-server with 2 workers (issue 5): 100 keep-alive TLS connections for
10 s, and a run where every request opens a new TLS connection ("Connection: close"). Zero
errors in both; the workers' open descriptors back to their idle count afterwards; and the
workers' memory does not grow between two equal rounds of both runs."""
import re
import time

from srvlib import ConfServer, fd_count, lt, rss_kib, site_conf

KEEPALIVE_S = 10
CLOSE_S = 5


def wrk(t, srv, seconds, conns, close):
    cmd = [t.need_tool("wrk"), "-t", "2", "-c", str(conns), "-d", "%ds" % seconds,
           "--timeout", "5s", "https://127.0.0.1:%d/hello.txt" % srv.port]
    if close:
        cmd[1:1] = ["-H", "Connection: close"]
    r = t.run(cmd, timeout=seconds + 60)
    m = re.search(r"(\d+) requests in", r.stdout)
    requests = int(m.group(1)) if m else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       r.stdout)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", r.stdout)
    nerr = sum(int(x) for x in errors.groups()) if errors else 0
    nbad = int(non2xx.group(1)) if non2xx else 0
    what = "%s: %d requests in %d s over %d %s connections" % (
        "new connection per request" if close else "keep-alive", requests, seconds, conns,
        "TLS")
    t.check(r.rc == 0 and requests > 0 and nerr == 0 and nbad == 0,
            what + ", no socket errors, no non-2xx", r.describe())
    return requests


def settle(srv, idle_fds, timeout=10):
    """Waits until the workers hold their idle number of descriptors again."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        now = sum(fd_count(p) for p in srv.workers())
        if now == idle_fds:
            return now
        time.sleep(0.1)
    return sum(fd_count(p) for p in srv.workers())


def test(t):
    t.need_tool("wrk")
    conf = site_conf(t, ["127.0.0.1:0 ssl"], workers=2).replace(
        "access_log %s;" % (t.tmp + "/access.log"), "access_log off;")
    srv = ConfServer(t, conf, name="load")
    t.servers.append(srv)
    srv.start()
    idle_fds = srv.idle_fds(2)
    workers = srv.workers()
    rss = []
    for round_ in (1, 2):
        wrk(t, srv, KEEPALIVE_S, 100, close=False)
        wrk(t, srv, CLOSE_S, 20, close=True)
        now = settle(srv, idle_fds)
        t.check(now == idle_fds, "round %d: the workers' descriptors are back to their idle "
                "count (%d, now %d)" % (round_, idle_fds, now))
        rss.append(sum(rss_kib(p) for p in srv.workers()))
        t.log("round %d: workers' RSS %d KiB" % (round_, rss[-1]))
    t.check(srv.workers() == workers, "no worker died under load")
    t.check(rss[1] <= rss[0] * 1.05 + 512,
            "the workers' RSS does not grow between two equal rounds (%d KiB, then %d KiB)"
            % (rss[0], rss[1]))
    t.fetch_ok(srv)


lt.main(test)
