#!/usr/bin/env python3
"""Issue 8, hostile clients: how the client's bytes are cut into writes and records.

  framing.py --bin DIR --case split|fragment|several

split     The client's two flights (ClientHello; then Finished and the request) are sent in
          two writes cut at every byte boundary, with a pause between, so lucid-server reads
          every possible partial record header and body; and both flights coalesced into as
          few writes as TLS allows (change_cipher_spec, Finished, request and close_notify in
          one write). Every run must complete and serve the file.
fragment  Handshake messages split across records (RFC 8446 5.1 allows it): the ClientHello
          cut into two records at every byte boundary (both in one write) and into one-byte
          records; the Finished cut into two protected records at every boundary and into
          one-byte records. Every run must complete and serve the file.
several   Records holding several messages where RFC 8446 5.1 forbids it: a message may not
          share a record with what follows a key change (ClientHello + more, Finished +
          KeyUpdate, KeyUpdate + KeyUpdate): unexpected_message (10).

A normal client (Python's ssl) fetches all along and must be served within 1 s each time;
the server's descriptors are counted before and after.
"""

import hostile as h


def full_run(t, srv, flight1, flight2_of, cuts1=(), cuts2=()):
    """One connection: flight1 (bytes, cut at cuts1), the server's flight, then
    flight2_of(client) (cut at cuts2). Returns (served, outcome)."""
    c = h.Client(t, srv).connect()
    try:
        c.send_split(flight1(c), cuts1)
        c.read_server_flight()
        c.send_split(flight2_of(c), cuts2)
        out = c.outcome()
        return h.served(out) and out.closed and out.error is None, out
    finally:
        c.close()


def second_flight(c):
    """Finished and the request, coalesced: two protected records."""
    fin = c.seal(h.CT_HANDSHAKE, c.finished())
    c.to_application_keys()
    return fin + c.seal(h.CT_APPDATA, h.REQUEST)


def each_boundary(t, srv, what, n, run):
    """run(k) for k in 1..n-1; one check listing the boundaries that failed."""
    bad = []
    for k in range(1, n):
        ok, out = run(k)
        if not ok:
            bad.append("%d: %s" % (k, out.describe()))
    return t.check(not bad, "%s, at each of the %d boundaries: handshake done, file served"
                   % (what, n - 1), "\n".join(bad[:5]))


def case_split(t, srv):
    probe = h.Client(t, srv)
    n1 = len(probe.hello_record())
    each_boundary(t, srv, "ClientHello record (%d bytes) in two writes" % n1, n1,
                  lambda k: full_run(t, srv, lambda c: c.hello_record(), second_flight,
                                     cuts1=[k]))
    # the second flight's length is fixed by the suite: measure it on a real run
    c = h.Client(t, srv).connect()
    c.send(c.hello_record())
    c.read_server_flight()
    n2 = len(second_flight(c))
    c.close()
    each_boundary(t, srv, "Finished + request records (%d bytes) in two writes" % n2, n2,
                  lambda k: full_run(t, srv, lambda c: c.hello_record(), second_flight,
                                     cuts2=[k]))
    # everything TLS lets a client send at once, in one write per flight (gnutls-cli style:
    # the dummy change_cipher_spec, Finished, the request and close_notify together)
    def all_at_once(c):
        fin = c.seal(h.CT_HANDSHAKE, c.finished())
        c.to_application_keys()
        return (h.record(h.CT_CCS, b"\x01") + fin + c.seal(h.CT_APPDATA, h.REQUEST)
                + c.seal(h.CT_ALERT, bytes([1, h.CLOSE_NOTIFY])))
    ok, out = full_run(t, srv, lambda c: c.hello_record(), all_at_once)
    t.check(ok, "change_cipher_spec + Finished + request + close_notify in one write: served",
            out.describe())
    # and every byte of both flights in its own write
    c = h.Client(t, srv).connect()
    try:
        hello = c.hello_record()
        c.send_split(hello, range(1, len(hello)), pause=0.0005)
        c.read_server_flight()
        f2 = second_flight(c)
        c.send_split(f2, range(1, len(f2)), pause=0.0005)
        out = c.outcome()
        t.check(h.served(out) and out.closed, "both flights one byte per write (%d + %d writes): "
                "served" % (len(hello), len(f2)), out.describe())
    finally:
        c.close()


def case_fragment(t, srv):
    probe = h.Client(t, srv)
    ch_len = len(probe.client_hello())
    each_boundary(t, srv, "ClientHello (%d bytes) cut into two handshake records" % ch_len,
                  ch_len, lambda k: full_run(
                      t, srv, lambda c: h.refragment(c.client_hello(), [k], version=0x0301),
                      second_flight))
    ok, out = full_run(t, srv, lambda c: h.refragment(c.client_hello(), range(1, ch_len)),
                       second_flight)
    t.check(ok, "ClientHello in %d one-byte records: served" % ch_len, out.describe())

    def finished_cut(cuts):
        def flight(c):
            fin = c.finished()
            recs, last = b"", 0
            for k in list(cuts) + [len(fin)]:
                recs += c.seal(h.CT_HANDSHAKE, fin[last:k])
                last = k
            c.to_application_keys()
            return recs + c.seal(h.CT_APPDATA, h.REQUEST)
        return flight
    fin_len = 4 + 32  # SHA-256 suites
    each_boundary(t, srv, "Finished (%d bytes) cut into two protected records" % fin_len,
                  fin_len, lambda k: full_run(t, srv, lambda c: c.hello_record(),
                                              finished_cut([k])))
    ok, out = full_run(t, srv, lambda c: c.hello_record(), finished_cut(range(1, fin_len)))
    t.check(ok, "Finished in %d one-byte protected records: served" % fin_len, out.describe())
    # the same with the padding RFC 8446 5.4 allows on each of them
    def padded(c):
        fin = c.finished()
        recs = c.seal(h.CT_HANDSHAKE, fin[:10], pad=100) + c.seal(h.CT_HANDSHAKE, fin[10:],
                                                                   pad=3000)
        c.to_application_keys()
        return recs + c.seal(h.CT_APPDATA, h.REQUEST, pad=16384 - len(h.REQUEST))
    ok, out = full_run(t, srv, lambda c: c.hello_record(), padded)
    t.check(ok, "Finished in two padded records, the request padded to the 2^14 + 1 limit: "
            "served", out.describe())


def case_several(t, srv):
    # ClientHello and another message in one record: the ClientHello changes the read key,
    # so the second message would span a key change (RFC 8446 5.1)
    for extra_name, extra in (("a Finished-sized message", h.handshake_msg(20, bytes(32))),
                              ("a second ClientHello", None)):
        c = h.Client(t, srv).connect()
        try:
            ch = c.client_hello()
            more = extra if extra is not None else h.Client(t, srv).client_hello()
            c.send(h.record(h.CT_HANDSHAKE, ch + more))
            out = c.outcome()
            h.check_alert(t, out, h.UNEXPECTED_MESSAGE,
                          "ClientHello and %s in one record" % extra_name)
        finally:
            c.close()
    # Finished + KeyUpdate in one record: the Finished switches the read key
    c = h.Client(t, srv).connect()
    try:
        c.send(c.hello_record())
        c.read_server_flight()
        c.send(c.seal(h.CT_HANDSHAKE, c.finished() + h.handshake_msg(h.HT["key_update"], b"\x00")))
        h.check_alert(t, c.outcome(), h.UNEXPECTED_MESSAGE, "Finished and KeyUpdate in one record")
    finally:
        c.close()
    # two KeyUpdates in one record after the handshake
    c = h.Client(t, srv).handshake()
    try:
        ku = h.handshake_msg(h.HT["key_update"], b"\x00")
        c.send(c.seal(h.CT_HANDSHAKE, ku + ku))
        h.check_alert(t, c.outcome(), h.UNEXPECTED_MESSAGE, "two KeyUpdates in one record")
    finally:
        c.close()
    # a KeyUpdate whose last byte comes in the next record, after the key change it asks
    # for would have to happen: the first record ends mid-message, which is allowed; the
    # message completes under the same key, so this one is legal and served
    c = h.Client(t, srv).handshake()
    try:
        ku = h.handshake_msg(h.HT["key_update"], b"\x00")
        c.send(c.seal(h.CT_HANDSHAKE, ku[:3]) + c.seal(h.CT_HANDSHAKE, ku[3:]))
        c.c_ap = h.next_secret(c.sched.h, c.c_ap)
        c.to_application_keys()
        c.send(c.seal(h.CT_APPDATA, h.REQUEST))
        out = c.outcome()
        t.check(h.served(out) and out.error is None,
                "a KeyUpdate split over two records, then the request under the new key: served",
                out.describe())
    finally:
        c.close()


CASES = {"split": case_split, "fragment": case_fragment, "several": case_several}


def test(t):
    srv = h.server(t)
    guard = h.FdGuard(t, srv)
    with h.NormalClient(t, srv) as normal:
        CASES[t.args.case](t, srv)
    normal.check("during the %s case" % t.args.case)
    t.fetch_ok(srv, "after the %s case" % t.args.case)
    guard.check()


h.main(test, lambda ap: ap.add_argument("--case", choices=sorted(CASES), required=True))
