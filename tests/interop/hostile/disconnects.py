#!/usr/bin/env python3
"""Issue 8, hostile clients: the client goes away at every point of the handshake.

  disconnects.py --bin DIR [--seed N]

A connection is cut, by a FIN (close) and by a reset (SO_LINGER 0), after each byte count of
the client's first flight (0 .. all of the ClientHello record), after the ClientHello
without reading, after reading part of the server's flight, after each byte count of the
second flight (Finished and the request), before reading the response and after reading
part of it; then RANDOM_RUNS more at random points with random pauses (the seed is printed
so a failure can be replayed with --seed).

Asserted: lucid-server stays up, a normal client (Python's ssl) fetching all along is served
within 1 s each time, and afterwards the server holds exactly the descriptors it held before
(/proc/PID/fd): every cut connection was closed.
"""

import random
import time

import hostile as h

RANDOM_RUNS = 200


def cut(c, how):
    if how == "reset":
        c.reset()
    else:
        c.close()


def run_until(t, srv, point, k, how, pause=0.001):
    """One connection, cut at (point, k): point names the phase, k a byte count in it."""
    c = h.Client(t, srv).connect()
    try:
        hello = c.hello_record()
        if point == "hello":
            c.send(hello[:k])
            time.sleep(pause)
            return
        c.send(hello)
        if point == "no_read":
            time.sleep(pause)
            return
        if point == "part_flight":
            c.sock.settimeout(5)
            c.sock.recv(k)
            return
        c.read_server_flight()
        fin = c.seal(h.CT_HANDSHAKE, c.finished())
        c.to_application_keys()
        flight2 = fin + c.seal(h.CT_APPDATA, h.REQUEST)
        if point == "second":
            c.send(flight2[:k])
            time.sleep(pause)
            return
        c.send(flight2)
        if point == "no_response":
            time.sleep(pause)
            return
        if point == "part_response":
            c.sock.settimeout(5)
            c.sock.recv(k)
            return
        raise ValueError(point)
    finally:
        cut(c, how)


def test(t):
    srv = h.server(t)
    guard = h.FdGuard(t, srv)
    n1 = len(h.Client(t, srv).hello_record())
    probe = h.Client(t, srv).connect()
    probe.send(probe.hello_record())
    probe.read_server_flight()
    n2 = len(probe.seal(h.CT_HANDSHAKE, probe.finished())) + len(
        h.record(h.CT_APPDATA, bytes(len(h.REQUEST) + 17)))
    probe.close()
    points = ([("hello", k) for k in range(n1)] + [("no_read", 0)]
              + [("part_flight", k) for k in (1, 5, 100, 400)]
              + [("second", k) for k in range(n2)] + [("no_response", 0)]
              + [("part_response", k) for k in (1, 5, 100)])
    seed = t.args.seed if t.args.seed is not None else random.randrange(1 << 30)
    t.log("random points: --seed %d" % seed)
    rnd = random.Random(seed)
    with h.NormalClient(t, srv) as normal:
        for how in ("close", "reset"):
            errors = []
            for point, k in points:
                try:
                    run_until(t, srv, point, k, how)
                except Exception as e:  # noqa: BLE001 - the client's own failure is the finding
                    errors.append("%s %d: %s: %s" % (point, k, type(e).__name__, e))
            t.check(not errors and srv.alive(),
                    "%d connections cut by %s at every point (ClientHello bytes 0..%d, server's "
                    "flight, second flight bytes 0..%d, response): lucid-server still running"
                    % (len(points), "a FIN" if how == "close" else "a reset", n1 - 1, n2 - 1),
                    "\n".join(errors[:5]))
        errors = []
        for _ in range(RANDOM_RUNS):
            point, k = rnd.choice(points)
            how = rnd.choice(("close", "reset"))
            try:
                run_until(t, srv, point, k, how, pause=rnd.random() * 0.005)
            except Exception as e:  # noqa: BLE001
                errors.append("%s %d %s: %s: %s" % (point, k, how, type(e).__name__, e))
        t.check(not errors and srv.alive(), "%d connections cut at random points (seed %d): "
                "lucid-server still running" % (RANDOM_RUNS, seed), "\n".join(errors[:5]))
    normal.check("while connections were cut")
    t.fetch_ok(srv, "after the cut connections")
    guard.check("after %d cut connections" % (2 * len(points) + RANDOM_RUNS))


h.main(test, lambda ap: ap.add_argument("--seed", type=int, default=None))
