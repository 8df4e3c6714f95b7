#!/usr/bin/env python3
"""Issue 8, hostile clients: messages at the wrong time.

  messages.py --bin DIR --case early_data|client_hello|ccs|renegotiation

early_data     Application data before the client's Finished: under the handshake key
               (unexpected_message, 10: RFC 8446 4.4.4, "prior to Finished"); under the
               application key the server cannot yet have (bad_record_mac, 20); and a
               plaintext application_data record in place of the ClientHello
               (unexpected_message).
client_hello   A second ClientHello after the handshake (RFC 8446 4.1.2: only after a
               HelloRetryRequest; 4: unexpected_message), protected and in the clear, and
               in place of the Finished.
ccs            change_cipher_spec (RFC 8446 5): the value 1 between the ClientHello and the
               Finished is dropped (control: served). Any other value, two bytes, none,
               before the ClientHello, after the Finished: unexpected_message. (5 names
               unexpected_message for every one of these; decode_error is not used.)
renegotiation  TLS 1.3 has no renegotiation (4.6): HelloRequest and every other handshake
               message a TLS 1.2 peer would send to renegotiate, and each TLS 1.3 message a
               client never sends after the handshake, are unexpected_message, whether
               they come after the handshake or in place of the Finished.

After each, a normal client is served, all along and afterwards, within 1 s.
"""

import hostile as h


def after_flight(t, srv):
    """A client that has sent its ClientHello and read the server's flight."""
    c = h.Client(t, srv).connect()
    c.send(c.hello_record())
    c.read_server_flight()
    return c


def run(t, what, c, data, want):
    try:
        c.send(data)
        return h.check_alert(t, c.outcome(), want, what)
    finally:
        c.close()


def case_early_data(t, srv):
    c = after_flight(t, srv)
    run(t, "application data under the handshake key before the Finished", c,
        c.seal(h.CT_APPDATA, h.REQUEST), h.UNEXPECTED_MESSAGE)
    c = after_flight(t, srv)
    fin = c.finished()                  # computed, never sent
    c.to_application_keys()
    run(t, "application data under the application key before the Finished", c,
        c.seal(h.CT_APPDATA, h.REQUEST), h.BAD_RECORD_MAC)
    c = after_flight(t, srv)
    c.finished()
    run(t, "an empty application data record under the handshake key before the Finished",
        c, c.seal(h.CT_APPDATA, b""), h.UNEXPECTED_MESSAGE)
    c = h.Client(t, srv).connect()
    run(t, "a plaintext application_data record in place of the ClientHello", c,
        h.record(h.CT_APPDATA, h.REQUEST), h.UNEXPECTED_MESSAGE)
    # the control: the same request right after the Finished is served
    c = after_flight(t, srv)
    fin = c.seal(h.CT_HANDSHAKE, c.finished())
    c.to_application_keys()
    c.send(fin + c.seal(h.CT_APPDATA, h.REQUEST))
    out = c.outcome()
    c.close()
    t.check(h.served(out), "control: the request right after the Finished is served",
            out.describe())


def case_client_hello(t, srv):
    c = h.Client(t, srv).handshake()
    ch2 = h.Client(t, srv).client_hello()
    run(t, "a second ClientHello after the handshake, protected", c,
        c.seal(h.CT_HANDSHAKE, ch2), h.UNEXPECTED_MESSAGE)
    c = h.Client(t, srv).handshake()
    run(t, "a second ClientHello after the handshake, in the clear", c,
        h.record(h.CT_HANDSHAKE, ch2), h.UNEXPECTED_MESSAGE)
    c = after_flight(t, srv)
    run(t, "a second ClientHello in place of the Finished, protected", c,
        c.seal(h.CT_HANDSHAKE, ch2), h.UNEXPECTED_MESSAGE)
    c = after_flight(t, srv)
    run(t, "a second ClientHello in place of the Finished, in the clear", c,
        h.record(h.CT_HANDSHAKE, ch2), h.UNEXPECTED_MESSAGE)
    # after the request has been answered, on a kept-alive connection
    c = h.Client(t, srv).handshake()
    c.send(c.seal(h.CT_APPDATA, h.KEEPALIVE_REQUEST))
    run(t, "a second ClientHello after a request was answered (keep-alive)", c,
        c.seal(h.CT_HANDSHAKE, ch2), h.UNEXPECTED_MESSAGE)


def case_ccs(t, srv):
    ccs = h.record(h.CT_CCS, b"\x01")
    # control: RFC 8446 5 and D.4, the compatibility change_cipher_spec is dropped
    c = h.Client(t, srv).connect()
    c.send(c.hello_record() + ccs)
    c.read_server_flight()
    fin = c.seal(h.CT_HANDSHAKE, c.finished())
    c.to_application_keys()
    c.send(ccs + fin + c.seal(h.CT_APPDATA, h.REQUEST))
    out = c.outcome()
    c.close()
    t.check(h.served(out), "control: change_cipher_spec 0x01 after the ClientHello and before "
            "the Finished is dropped; served", out.describe())
    for what, body in (("value 0x02", b"\x02"), ("value 0x00", b"\x00"),
                       ("two bytes 0x01 0x01", b"\x01\x01"), ("no byte", b"")):
        c = after_flight(t, srv)
        run(t, "change_cipher_spec with %s during the handshake" % what, c,
            h.record(h.CT_CCS, body), h.UNEXPECTED_MESSAGE)
    c = h.Client(t, srv).connect()
    run(t, "change_cipher_spec before the ClientHello", c, ccs, h.UNEXPECTED_MESSAGE)
    c = h.Client(t, srv).handshake()
    run(t, "change_cipher_spec 0x01 after the handshake", c, ccs, h.UNEXPECTED_MESSAGE)
    c = h.Client(t, srv).handshake()
    c.send(c.seal(h.CT_APPDATA, h.KEEPALIVE_REQUEST))
    run(t, "change_cipher_spec 0x01 after a request was answered", c, ccs, h.UNEXPECTED_MESSAGE)


# what a TLS 1.2 client would send to renegotiate, and TLS 1.3 messages a client never sends
# after its Finished (RFC 8446 4.6: only KeyUpdate, and Certificate/CertificateVerify/
# Finished when post-handshake authentication was asked for, which this server never does)
RENEGOTIATION = [("hello_request", b""), ("server_hello", bytes(38)),
                 ("new_session_ticket", bytes(13)), ("end_of_early_data", b""),
                 ("encrypted_extensions", b"\x00\x00"), ("certificate", b"\x00\x00\x00\x00"),
                 ("server_key_exchange", bytes(8)), ("certificate_request", b"\x00\x00\x00"),
                 ("server_hello_done", b""), ("certificate_verify", b"\x04\x03\x00\x00"),
                 ("client_key_exchange", b"\x20" + bytes(32)), ("finished", bytes(32)),
                 ("message_hash", bytes(32))]


def case_renegotiation(t, srv):
    for name, body in RENEGOTIATION + [("an unassigned type (99)", bytes(4))]:
        htype = h.HT.get(name, 99)
        msg = h.handshake_msg(htype, body)
        c = h.Client(t, srv).handshake()
        run(t, "%s after the handshake" % name, c, c.seal(h.CT_HANDSHAKE, msg),
            h.UNEXPECTED_MESSAGE)
        c = after_flight(t, srv)
        run(t, "%s in place of the Finished" % name, c, c.seal(h.CT_HANDSHAKE, msg),
            h.UNEXPECTED_MESSAGE if htype != h.HT["finished"] else h.DECRYPT_ERROR)
    # HelloRequest in the clear, as a TLS 1.2 server would send it, after the handshake
    c = h.Client(t, srv).handshake()
    run(t, "hello_request in the clear after the handshake", c,
        h.record(h.CT_HANDSHAKE, h.handshake_msg(0, b"")), h.UNEXPECTED_MESSAGE)
    # a KeyUpdate before the handshake is done (4.6.3: only after Finished)
    c = after_flight(t, srv)
    run(t, "key_update in place of the Finished", c,
        c.seal(h.CT_HANDSHAKE, h.handshake_msg(h.HT["key_update"], b"\x00")),
        h.UNEXPECTED_MESSAGE)
    # a KeyUpdate whose request_update is neither 0 nor 1 (4.6.3: illegal_parameter)
    c = h.Client(t, srv).handshake()
    run(t, "key_update with request_update 2", c,
        c.seal(h.CT_HANDSHAKE, h.handshake_msg(h.HT["key_update"], b"\x02")),
        h.ILLEGAL_PARAMETER)


CASES = {"early_data": case_early_data, "client_hello": case_client_hello, "ccs": case_ccs,
         "renegotiation": case_renegotiation}


def test(t):
    srv = h.server(t)
    guard = h.FdGuard(t, srv)
    with h.NormalClient(t, srv) as normal:
        CASES[t.args.case](t, srv)
    normal.check("during the %s case" % t.args.case)
    t.fetch_ok(srv, "after the %s case" % t.args.case)
    guard.check()


h.main(test, lambda ap: ap.add_argument("--case", choices=sorted(CASES), required=True))
