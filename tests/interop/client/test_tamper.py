#!/usr/bin/env python3
"""A relay that damages what the server sends: lucid-client must end every such connection
in a clean failure (a non-zero exit, no body), never in accepting altered data.

A clean run through the relay (openssl s_server -WWW behind it) first records the server's
byte stream, its records, and where its first flight ends (the bytes before the client's
second flight). Then, for a sample of offsets (every 37th byte of the flight, plus the five
header bytes and the last byte of every record):

- flip: one bit at that offset is flipped. The client must fail, print nothing, never
  reach "handshake complete", and send at most one protected record (its alert): no
  Finished, no request. The only bytes whose change the client may ignore are the
  legacy_record_version of the plaintext records (ServerHello, change_cipher_spec), which
  RFC 8446 5.1 says to ignore; there the run may also succeed, byte-exact.
- cut: the stream is cut at that offset. The client must fail and print nothing.

Past the flight (session tickets, the response, close_notify), flips and cuts must fail too;
those runs use -o FILE, which must not exist afterwards (the body is never half-written).
"""

import concurrent.futures
import os
import queue
import select
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clientlib as cl  # noqa: E402

IDLE = 0.4  # a relay whose two sides are both silent this long closes them (stuck runs)
WORKERS = 3  # runs at a time, each through its own relay to its own s_server


def parse_records(data):
    """[(offset, type, length)] for the complete records in data."""
    out, p = [], 0
    while p + 5 <= len(data):
        n = int.from_bytes(data[p + 3:p + 5], "big")
        out.append((p, data[p], n))
        p += 5 + n
    return out


class Relay(threading.Thread):
    """Relays one connection, damaging the server's stream as told."""

    def __init__(self, server_port, flip=None, cut=None, idle=IDLE):
        super().__init__(daemon=True)
        self.server_port, self.flip, self.cut, self.idle = server_port, flip, cut, idle
        self.lsock = socket.socket()
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(1)
        self.port = self.lsock.getsockname()[1]
        self.from_server = bytearray()   # as the server sent it
        self.from_client = bytearray()
        self.flight_end = None           # server bytes before the client's second flight
        self.error = None

    def run(self):
        c = s = None
        try:
            self.lsock.settimeout(15)
            c, _ = self.lsock.accept()
            s = socket.create_connection(("127.0.0.1", self.server_port), timeout=15)
            self._relay(c, s)
        except Exception as e:
            self.error = repr(e)
        finally:
            for sock in (c, s, self.lsock):
                if sock is not None:
                    sock.close()

    def _client_records_after_hello(self):
        recs = parse_records(bytes(self.from_client))
        return recs[1:]

    def _relay(self, c, s):
        while True:
            ready, _, _ = select.select([c, s], [], [], self.idle)
            if not ready:
                return
            for sock in ready:
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    data = b""
                if not data:
                    return
                if sock is c:
                    self.from_client += data
                    if self.flight_end is None and self._client_records_after_hello():
                        self.flight_end = len(self.from_server)
                    try:
                        s.sendall(data)
                    except OSError:
                        pass
                    continue
                pos = len(self.from_server)
                self.from_server += data
                out = bytearray(data)
                if self.flip is not None and pos <= self.flip[0] < pos + len(out):
                    out[self.flip[0] - pos] ^= 1 << self.flip[1]
                done = False
                if self.cut is not None and pos + len(out) >= self.cut:
                    out = out[:self.cut - pos]
                    done = True
                try:
                    c.sendall(out)
                except OSError:
                    return
                if done:
                    return


def run(s, ports, url_path, extra=(), **relay_kw):
    """One client run through a relay to one of the servers (taken from the queue ports)."""
    port = ports.get()
    try:
        relay = Relay(port, **relay_kw)
        relay.start()
        r = cl.run_client(s, f"https://localhost:{relay.port}{url_path}", "--trace", *extra)
        relay.join(20)
    finally:
        ports.put(port)
    return r, relay


def run_all(s, ports, jobs):
    """Runs (extra, relay_kw) jobs on WORKERS threads; returns [(r, relay)] in order."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as ex:
        return list(ex.map(lambda j: run(s, ports, "/hello.txt", j[0], **j[1]), jobs))


def main():
    s = cl.Suite("tamper")
    pki = cl.Pki(os.path.join(s.tmp, "pki"))
    www = os.path.join(s.tmp, "www")
    files = cl.make_www(www)
    # Ed25519: its signatures have one length, so every run has the same record layout
    # (an ECDSA signature's DER length varies, which would shift the offsets from run to run)
    leaf = pki.leaf["ed25519"]
    ports = queue.Queue()
    for _ in range(WORKERS):
        ports.put(cl.s_server(www, leaf["cert"], leaf["key"], chain=leaf["inter"])[1])
    ca = ["--cacert", pki.root["cert"]]
    body = files["hello.txt"]

    # the clean run
    r, relay = run(s, ports, "/hello.txt", ca, idle=10)
    stream = bytes(relay.from_server)
    recs = parse_records(stream)
    flight = relay.flight_end
    if not s.check(r.rc == 0 and r.out == body and flight and recs
                   and recs[-1][0] + 5 + recs[-1][2] == len(stream),
                   "clean run through the relay", r.describe() + f"\nrelay error {relay.error}"):
        s.finish()
    print(f"# server stream: {len(stream)} bytes, flight {flight} bytes, records "
          f"{[(o, t, n) for o, t, n in recs]}")

    # offsets: every 37th byte of the flight, and each record's header bytes and last byte
    marks = set(range(0, flight, 37))
    for off, _, n in recs:
        marks.update(range(off, off + 5))
        marks.add(off + 4 + n)
    in_flight = sorted(m for m in marks if m < flight)
    after = sorted(m for m in marks if m >= flight) + list(range(flight + 11, len(stream), 97))
    after = sorted(set(a for a in after if a < len(stream)))
    # legacy_record_version of the records sent in the clear (RFC 8446 5.1: ignored)
    ignorable = {off + i for off, typ, _ in recs if typ in (20, 22) for i in (1, 2)}

    layout = []  # runs whose server stream differed from the clean run's in length

    def same_layout(relay):
        seen = parse_records(bytes(relay.from_server))
        if seen != recs[:len(seen)]:
            layout.append(seen)

    bad = []
    runs = run_all(s, ports, [(ca, {"flip": (off, off % 8)}) for off in in_flight])
    for off, (r, relay) in zip(in_flight, runs):
        same_layout(relay)
        protected = [t for _, t, _ in parse_records(bytes(relay.from_client))[1:] if t == 23]
        failed_clean = (r.rc != 0 and r.out == b"" and "handshake complete" not in r.err
                        and len(protected) <= 1)
        ok = failed_clean or (off in ignorable and r.rc == 0 and r.out == body)
        if not ok:
            bad.append(f"flip at {off}:\n" + r.describe() +
                       f"\nclient sent {len(protected)} protected records")
    s.check(not bad, f"flip one bit at {len(in_flight)} offsets of the server's flight: each "
            f"a clean failure, no Finished, no request, no body", "\n".join(bad[:3]) +
            f"\n{len(bad)} offsets failed: " + " ".join(b.split(":")[0] for b in bad))

    bad = []
    runs = run_all(s, ports, [(ca, {"cut": off}) for off in in_flight])
    for off, (r, relay) in zip(in_flight, runs):
        if not (r.rc != 0 and r.out == b"" and "handshake complete" not in r.err):
            bad.append(f"cut at {off}:\n" + r.describe())
    s.check(not bad, f"cut the server's flight at {len(in_flight)} offsets: each a clean "
            f"failure, no body", "\n".join(bad[:3]))

    for mode in ("flip", "cut"):
        bad = []
        outs = [os.path.join(s.tmp, f"{mode}-{off}.txt") for off in after]
        jobs = [([*ca, "-o", out], {"flip": (off, off % 8)} if mode == "flip" else {"cut": off})
                for off, out in zip(after, outs)]
        for off, out, (r, relay) in zip(after, outs, run_all(s, ports, jobs)):
            same_layout(relay)
            if not (r.rc != 0 and r.out == b"" and not os.path.exists(out)):
                bad.append(f"{mode} at {off}:\n" + r.describe())
        s.check(not bad, f"{mode} at {len(after)} offsets after the flight (tickets, "
                f"response, close_notify): each a failure, no -o file", "\n".join(bad[:3]))
    s.check(not layout, "the server's records had the same layout in every run",
            f"clean run: {recs}\nothers: {layout[:3]}")
    s.finish()


if __name__ == "__main__":
    main()
