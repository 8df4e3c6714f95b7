#!/usr/bin/env python3
"""Issue 8, hostile clients: damaged and misused records after a real handshake.

  records.py --bin DIR --case overflow|inner|flip|replay

overflow  record_overflow (22), RFC 8446 5.1, 5.2, 5.4: a protected record whose header says
          2^14 + 256 + 1 bytes (refused from the header alone); one that authenticates but
          holds 2^14 + 1 bytes of content, or 2^14 + 1 with its padding; a plaintext
          handshake record of 2^14 + 1 bytes before the handshake. The control: a record of
          exactly 2^14 + 1 inner bytes (the limit) is served.
inner     The TLSInnerPlaintext (5.4): all zeros, so no content type (unexpected_message,
          10); inner types that do not exist (19, 24, 66, 255: unexpected_message); a
          protected change_cipher_spec (5: unexpected_message); an empty handshake or alert
          record (5.4: unexpected_message); a record too short to hold a tag (bad_record_mac).
flip      One flipped bit in the ciphertext or tag of the request record, at every byte, and
          of the client's Finished record, at every byte: bad_record_mac (20), 5.2.
replay    A record sent twice, records swapped, a record from the handshake key sent after
          it: bad_record_mac (20), since the nonce is the sequence number (5.3).

After each, a normal client is served, all along and afterwards, within 1 s.
"""

import hostile as h

PARTIAL = b"GET /hello.txt HTTP/1.1\r\n"   # a request head not yet whole: the server waits


def attack(t, srv, what, records, want, before_finished=False):
    """A fresh connection through the handshake (or up to our Finished), then the records
    that records(c) returns; the server must answer with alert want and close."""
    c = h.Client(t, srv)
    try:
        if before_finished:
            c.connect()
            c.send(c.hello_record())
            c.read_server_flight()
        else:
            c.handshake()
        c.send(records(c))
        out = c.outcome()
        return h.check_alert(t, out, want, what), out
    finally:
        c.close()


def case_overflow(t, srv):
    # 5.2: TLSCiphertext.length over 2^14 + 256, refused from the header alone
    attack(t, srv, "protected record header of 2^14 + 257 bytes",
           lambda c: bytes([h.CT_APPDATA, 3, 3]) + h.u16(16384 + 257) + bytes(100),
           h.RECORD_OVERFLOW)
    attack(t, srv, "protected record header of 65535 bytes",
           lambda c: bytes([h.CT_APPDATA, 3, 3, 0xff, 0xff]) + bytes(100), h.RECORD_OVERFLOW)
    # 5.4: the content, type and padding over 2^14 + 1
    attack(t, srv, "a record of 2^14 + 1 bytes of application data (inner 2^14 + 2)",
           lambda c: c.seal_inner(bytes(16385) + bytes([h.CT_APPDATA])), h.RECORD_OVERFLOW)
    attack(t, srv, "the request with padding to an inner length of 2^14 + 2",
           lambda c: c.seal(h.CT_APPDATA, h.REQUEST, pad=16386 - len(h.REQUEST) - 1),
           h.RECORD_OVERFLOW)
    attack(t, srv, "a record of 2^14 + 256 bytes, the most a header may say, all padding",
           lambda c: c.seal(h.CT_APPDATA, h.REQUEST, pad=16384 + 256 - 16 - len(h.REQUEST) - 1),
           h.RECORD_OVERFLOW)
    # the control: exactly at the limit is fine
    c = h.Client(t, srv).handshake()
    try:
        c.send(c.seal(h.CT_APPDATA, h.REQUEST, pad=16385 - len(h.REQUEST) - 1))
        out = c.outcome()
        t.check(h.served(out), "the request padded to exactly 2^14 + 1 inner bytes: served",
                out.describe())
    finally:
        c.close()
    # 5.1: before the handshake, a plaintext handshake record over 2^14
    c = h.Client(t, srv).connect()
    try:
        ch = c.client_hello()
        c.send(h.record(h.CT_HANDSHAKE, ch + bytes(16385 - len(ch)), version=0x0301))
        h.check_alert(t, c.outcome(), h.RECORD_OVERFLOW,
                      "plaintext handshake record of 2^14 + 1 bytes (ClientHello + zeros)")
    finally:
        c.close()
    # and during the handshake, the Finished padded over the limit
    attack(t, srv, "Finished padded to an inner length of 2^14 + 2",
           lambda c: c.seal(h.CT_HANDSHAKE, c.finished(), pad=16386 - 37), h.RECORD_OVERFLOW,
           before_finished=True)


def case_inner(t, srv):
    # 5.4: "If a receiving implementation does not find a non-zero octet in the cleartext,
    # it MUST terminate the connection with an unexpected_message alert."
    for n in (1, 20, 16385):
        attack(t, srv, "an all-zero inner plaintext of %d bytes" % n,
               lambda c, n=n: c.seal_inner(bytes(n)), h.UNEXPECTED_MESSAGE)
    attack(t, srv, "an all-zero inner plaintext instead of the Finished",
           lambda c: c.seal_inner(bytes(40)), h.UNEXPECTED_MESSAGE, before_finished=True)
    # 5: an unknown content type is unexpected_message
    for ctype in (0x13, 0x18, 0x42, 0xff):
        attack(t, srv, "the request with inner content type %d" % ctype,
               lambda c, ctype=ctype: c.seal_inner(h.REQUEST + bytes([ctype])),
               h.UNEXPECTED_MESSAGE)
    # 5: change_cipher_spec is never protected
    attack(t, srv, "a protected change_cipher_spec (inner type 20, value 1)",
           lambda c: c.seal_inner(b"\x01" + bytes([h.CT_CCS])), h.UNEXPECTED_MESSAGE)
    attack(t, srv, "a protected change_cipher_spec during the handshake",
           lambda c: c.seal_inner(b"\x01" + bytes([h.CT_CCS])), h.UNEXPECTED_MESSAGE,
           before_finished=True)
    # 5.4: handshake and alert records never have empty content
    attack(t, srv, "an empty protected handshake record",
           lambda c: c.seal_inner(bytes([h.CT_HANDSHAKE])), h.UNEXPECTED_MESSAGE)
    attack(t, srv, "an empty protected alert record",
           lambda c: c.seal_inner(bytes([h.CT_ALERT])), h.UNEXPECTED_MESSAGE)
    # 5.2: too short to hold a tag cannot authenticate
    for n in (0, 1, 16):
        attack(t, srv, "a protected record of %d bytes (no room for tag and type)" % n,
               lambda c, n=n: bytes([h.CT_APPDATA, 3, 3]) + h.u16(n) + bytes(n),
               h.BAD_RECORD_MAC)
    # an alert that is not two bytes (5.1: alerts are never fragmented nor coalesced)
    attack(t, srv, "a protected alert of 3 bytes", lambda c: c.seal(h.CT_ALERT, b"\x01\x5a\x00"),
           h.DECODE_ERROR)


def flip_each(t, srv, what, make, before_finished):
    """make(c) -> (record, prefix) : flips one bit at each byte of the record body (the
    bit position moves with the byte), one connection each; every one must be
    bad_record_mac."""
    c = h.Client(t, srv)
    if before_finished:
        c.connect()
        c.send(c.hello_record())
        c.read_server_flight()
    else:
        c.handshake()
    n = len(make(c)) - 5
    c.close()
    bad = []
    for i in range(n):
        c = h.Client(t, srv)
        try:
            if before_finished:
                c.connect()
                c.send(c.hello_record())
                c.read_server_flight()
            else:
                c.handshake()
            rec = bytearray(make(c))
            rec[5 + i] ^= 1 << (i % 8)
            c.send(bytes(rec))
            out = c.outcome()
            if not (out.closed and [d for _, d in out.alerts] == [h.BAD_RECORD_MAC]):
                bad.append("byte %d: %s" % (i, out.describe()))
        finally:
            c.close()
    return t.check(not bad, "%s with one bit flipped, at each of its %d body bytes: "
                   "bad_record_mac (20), then the server closed" % (what, n),
                   "\n".join(bad[:5]))


def case_flip(t, srv):
    flip_each(t, srv, "the request record", lambda c: c.seal(h.CT_APPDATA, h.REQUEST), False)
    flip_each(t, srv, "the client's Finished record",
              lambda c: c.seal(h.CT_HANDSHAKE, c.finished()), True)
    # the header is the additional data (5.2): a different, still valid, length field
    # makes the record end elsewhere; a header that lies about the length by one byte
    # (record shortened) cannot authenticate
    def shortened(c):
        rec = c.seal(h.CT_APPDATA, h.REQUEST)
        return rec[:3] + h.u16(len(rec) - 6) + rec[5:-1]
    attack(t, srv, "the request record one byte short, its header saying so", shortened,
           h.BAD_RECORD_MAC)


def case_replay(t, srv):
    # the same record twice: the second is opened with the next sequence number's nonce
    def replay(c):
        rec = c.seal(h.CT_APPDATA, PARTIAL)
        return rec + rec
    attack(t, srv, "a record sent twice (replayed)", replay, h.BAD_RECORD_MAC)
    # swapped: record 1 arrives first
    def swap(c):
        r0 = c.seal(h.CT_APPDATA, PARTIAL)
        r1 = c.seal(h.CT_APPDATA, b"Host: localhost\r\n\r\n")
        return r1 + r0
    attack(t, srv, "two records swapped (reordered)", swap, h.BAD_RECORD_MAC)
    # a record skipped: record 1 sent, record 0 never
    def skip(c):
        c.seal(h.CT_APPDATA, PARTIAL)
        return c.seal(h.CT_APPDATA, h.REQUEST)
    attack(t, srv, "a record dropped (the next one sent in its place)", skip, h.BAD_RECORD_MAC)
    # the Finished replayed after the handshake, under the handshake key it was made with
    c = h.Client(t, srv).connect()
    try:
        c.send(c.hello_record())
        c.read_server_flight()
        fin = c.seal(h.CT_HANDSHAKE, c.finished())
        c.to_application_keys()
        c.send(fin + c.seal(h.CT_APPDATA, PARTIAL) + fin)
        h.check_alert(t, c.outcome(), h.BAD_RECORD_MAC,
                      "the Finished record replayed after the handshake")
    finally:
        c.close()
    # a whole earlier connection's request record replayed on a new connection
    c1 = h.Client(t, srv).handshake()
    rec = c1.seal(h.CT_APPDATA, h.REQUEST)
    c1.close()
    attack(t, srv, "a request record from another connection", lambda c: rec, h.BAD_RECORD_MAC)


CASES = {"overflow": case_overflow, "inner": case_inner, "flip": case_flip,
         "replay": case_replay}


def test(t):
    srv = h.server(t)
    guard = h.FdGuard(t, srv)
    with h.NormalClient(t, srv) as normal:
        CASES[t.args.case](t, srv)
    normal.check("during the %s case" % t.args.case)
    t.fetch_ok(srv, "after the %s case" % t.args.case)
    guard.check()


h.main(test, lambda ap: ap.add_argument("--case", choices=sorted(CASES), required=True))
