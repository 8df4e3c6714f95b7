#!/usr/bin/env python3
"""An active attacker between lucid-client and openssl s_server.

The relay on 127.0.0.1 runs its own X25519 exchange with each side: it replaces the key
share in the ClientHello and in the ServerHello with its own, derives both sides' handshake
keys, decrypts the server's flight and re-encrypts it for the client.

- splice: the server's EncryptedExtensions, Certificate, CertificateVerify and Finished go
  on unchanged. The certificate is genuine, so it verifies, but the CertificateVerify
  signature covers the server's transcript, not the client's: lucid-client must abort with
  decrypt_error, send no Finished and no application data, and print no body (for each
  cipher suite, and also with --insecure, which skips the certificate checks but never the
  signature).
- resign: the attacker presents its own certificate, signs CertificateVerify and computes
  Finished itself. Verification refuses the certificate (exit 60). With --insecure the
  attack succeeds end to end: this shows that the relay's crypto is right (so the splice
  failure above really is the signature check), and why --insecure warns.
"""

import os
import select
import socket
import subprocess
import sys
import threading
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clientlib as cl  # noqa: E402

try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.x25519 import (X25519PrivateKey,
                                                                  X25519PublicKey)
    import tls13 as t
except ImportError as e:  # reported by main()
    IMPORT_ERROR = e
else:
    IMPORT_ERROR = None


def raw_pub(priv):
    return priv.public_key().public_bytes(serialization.Encoding.Raw,
                                          serialization.PublicFormat.Raw)


class Mitm(threading.Thread):
    """Relays one connection, as an attacker that knows both sides' handshake keys."""

    def __init__(self, server_port, mode, cert_der=None, key=None):
        super().__init__(daemon=True)
        self.server_port, self.mode, self.cert_der, self.key = server_port, mode, cert_der, key
        self.lsock = socket.socket()
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(1)
        self.port = self.lsock.getsockname()[1]
        self.report = {"server_msgs": [], "client_alerts": [], "client_finished": False,
                       "client_appdata": 0, "undecryptable": 0, "client_ccs": 0,
                       "error": None}

    def run(self):
        self.c = self.s = None
        try:
            self._run()
        except Exception:
            self.report["error"] = traceback.format_exc()
        finally:
            for sock in (self.c, self.s, self.lsock):
                if sock is not None:
                    sock.close()

    @staticmethod
    def _send(sock, data):
        """Sends, unless that side has gone: a client that aborts mid-flight closes while
        we still write; what it sent before (its alert) is still read."""
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _first_message(self, sock, reader):
        """The first handshake message on a stream (ClientHello or ServerHello), and the
        records that came after it in the same read."""
        mr = t.MessageReader()
        while True:
            data = sock.recv(65536)
            if not data:
                raise EOFError("closed before the hello")
            reader.feed(data)
            recs = reader.records()
            for i, (ctype, _, body) in enumerate(recs):
                if ctype != t.CT_HANDSHAKE:
                    raise ValueError(f"record type {ctype} before the hello")
                msgs = mr.feed(body)
                if msgs:
                    if len(msgs) > 1 or mr.buf:
                        raise ValueError("the hello shares its record with more")
                    return msgs[0], recs[i + 1:]

    def _run(self):
        self.lsock.settimeout(15)
        self.c, _ = self.lsock.accept()
        self.s = socket.create_connection(("127.0.0.1", self.server_port), timeout=15)
        crr, srr = t.RecordReader(), t.RecordReader()

        # ClientHello: the server gets the attacker's share a
        ch, c_more = self._first_message(self.c, crr)
        a, b = X25519PrivateKey.generate(), X25519PrivateKey.generate()
        ch2, client_pub = t.swap_x25519_share(ch, raw_pub(a), is_ch=True)
        self._send(self.s, t.record(t.CT_HANDSHAKE, ch2))
        # ServerHello: the client gets the attacker's share b
        sh, s_more = self._first_message(self.s, srr)
        if sh[6:38] == t.HRR_RANDOM:
            raise ValueError("the server sent a HelloRetryRequest; the relay handles none")
        suite = t.server_hello_suite(sh)
        sh2, server_pub = t.swap_x25519_share(sh, raw_pub(b), is_ch=False)
        self._send(self.c, t.record(t.CT_HANDSHAKE, sh2))

        self.suite = suite
        self.S = t.Schedule(suite, a.exchange(X25519PublicKey.from_public_bytes(server_pub)),
                            ch2 + sh)
        self.C = t.Schedule(suite, b.exchange(X25519PublicKey.from_public_bytes(client_pub)),
                            ch + sh2)
        self.t_s, self.t_c = ch2 + sh, ch + sh2
        self.s_read = t.Protector(suite, self.S.s_hs)    # the server's flight
        self.s_write = t.Protector(suite, self.S.c_hs)   # our Finished to the server
        self.c_write = t.Protector(suite, self.C.s_hs)   # the flight re-encrypted for the client
        self.c_read = t.Protector(suite, self.C.c_hs)    # the client's alert or Finished
        self.c_app_read = None
        self.server_done = self.client_done = False
        self.smr = t.MessageReader()

        # anything already read past the hellos is handled like the rest
        for rec in s_more + srr.records():
            self._from_server(*rec)
        for rec in c_more + crr.records():
            self._from_client(*rec)
        while True:
            ready, _, _ = select.select([self.c, self.s], [], [], 15)
            if not ready:
                raise TimeoutError("relay: nothing for 15 s")
            for sock in ready:
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    data = b""   # a peer that closes with our bytes unread resets
                if not data:
                    return
                reader = srr if sock is self.s else crr
                reader.feed(data)
                for rec in reader.records():
                    (self._from_server if sock is self.s else self._from_client)(*rec)

    # -- server -> client
    def _from_server(self, ctype, header, body):
        if ctype != t.CT_APPDATA:
            self._send(self.c, header + body)      # change_cipher_spec, or a plaintext alert
            return
        opened = self.s_read.open(header, body)
        if opened is None:
            raise ValueError("relay: cannot decrypt the server's record")
        itype, content = opened
        if itype == t.CT_HANDSHAKE and not self.server_done:
            for msg in self.smr.feed(content):
                self._server_handshake(msg)
        else:
            self._send(self.c, self.c_write.seal(itype, content))

    def _server_handshake(self, msg):
        C = self.C
        self.t_s += msg
        self.report["server_msgs"].append(msg[0])
        out = msg
        if self.mode == "resign":
            if msg[0] == t.HT_CERTIFICATE:
                out = t.certificate_msg(self.cert_der)
            elif msg[0] == t.HT_CERTIFICATE_VERIFY:
                sig = self.key.sign(t.certificate_verify_content(C.h, self.t_c),
                                    ec.ECDSA(hashes.SHA256()))
                out = t.certificate_verify_msg(0x0403, sig)
            elif msg[0] == t.HT_FINISHED:
                out = C.finished(C.s_hs, self.t_c)
        self.t_c += out
        self._send(self.c, self.c_write.seal(t.CT_HANDSHAKE, out))
        if msg[0] == t.HT_FINISHED:
            self.server_done = True
            cs, ss = self.S.app_secrets(self.t_s)
            self.s_read, self.s_app_write = t.Protector(self.suite, ss), t.Protector(self.suite, cs)
            cc, sc = C.app_secrets(self.t_c)
            self.c_write, self.c_app_read = t.Protector(self.suite, sc), t.Protector(self.suite, cc)

    # -- client -> server
    def _from_client(self, ctype, header, body):
        rep = self.report
        if ctype == t.CT_CCS:
            rep["client_ccs"] += 1
            return
        if ctype == t.CT_ALERT:
            rep["client_alerts"].append(body[1] if len(body) > 1 else -1)
            return
        opened = self.c_read.open(header, body)
        if opened is None and not self.client_done and self.c_app_read is not None:
            # application data sent with no Finished of its own would show here
            opened = self.c_app_read.open(header, body)
            if opened is not None and opened[0] == t.CT_APPDATA:
                rep["client_appdata"] += 1
                return
        if opened is None:
            rep["undecryptable"] += 1
            return
        itype, content = opened
        if itype == t.CT_ALERT:
            rep["client_alerts"].append(content[1] if len(content) > 1 else -1)
            if self.client_done:
                self._send(self.s, self.s_write.seal(itype, content))
        elif itype == t.CT_HANDSHAKE and not self.client_done:
            rep["client_finished"] = True
            if self.mode == "resign" and self.server_done:
                fin = self.S.finished(self.S.c_hs, self.t_s)
                self._send(self.s, self.s_write.seal(t.CT_HANDSHAKE, fin))
                self.s_write, self.c_read = self.s_app_write, self.c_app_read
                self.client_done = True
        elif itype == t.CT_APPDATA:
            rep["client_appdata"] += 1
            if self.client_done:
                self._send(self.s, self.s_write.seal(itype, content))


DECRYPT_ERROR, BAD_CERTIFICATE, UNKNOWN_CA = 51, 42, 48
SUITES = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]


def attack(s, server_port, mode, args, cert_der=None, key=None):
    m = Mitm(server_port, mode, cert_der, key)
    m.start()
    r = cl.run_client(s, f"https://localhost:{m.port}/hello.txt", "--trace", *args)
    m.join(20)
    rep = m.report
    return r, rep, r.describe() + f"\nrelay: {rep}"


def main():
    s = cl.Suite("mitm")
    if IMPORT_ERROR is not None:
        s.skip(f"python3-cryptography is missing ({IMPORT_ERROR}); scripts/setup.sh test "
               f"installs it")
    pki = cl.Pki(os.path.join(s.tmp, "pki"))
    www = os.path.join(s.tmp, "www")
    files = cl.make_www(www)
    leaf = pki.leaf["ecdsa"]
    proc, port = cl.s_server(www, leaf["cert"], leaf["key"], chain=leaf["inter"])
    ca = ["--cacert", pki.root["cert"]]

    # splice: each suite, then --insecure
    for suite, extra in [(x, []) for x in SUITES] + [(SUITES[0], ["--insecure"])]:
        what = f"splice {suite}{' --insecure' if extra else ''}"
        r, rep, detail = attack(s, port, "splice", ["--ciphers", suite, *ca, *extra])
        s.check(rep["error"] is None and rep["server_msgs"] == [8, 11, 15, 20],
                f"{what}: the relay re-encrypted EE, Certificate, CertificateVerify, Finished",
                detail)
        s.check(r.rc == 35 and "signature verification failed" in r.err and r.out == b"",
                f"{what}: lucid-client aborts on the CertificateVerify signature, exit 35",
                detail)
        if not extra:
            s.check("certificate chain verified" in r.err,
                    f"{what}: (the genuine certificate itself verified)", detail)
        s.check(rep["client_alerts"] == [DECRYPT_ERROR],
                f"{what}: the client's only alert is decrypt_error", detail)
        s.check(not rep["client_finished"] and rep["client_appdata"] == 0
                and rep["undecryptable"] == 0,
                f"{what}: no Finished, no application data from the client", detail)

    # resign: the attacker's own certificate
    akey = os.path.join(s.tmp, "attacker.key")
    acert = os.path.join(s.tmp, "attacker.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", akey, "-out", acert,
                    "-days", "30", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost"], check=True, capture_output=True)
    key = serialization.load_pem_private_key(open(akey, "rb").read(), None)
    der = subprocess.run(["openssl", "x509", "-in", acert, "-outform", "DER"], check=True,
                         capture_output=True).stdout
    r, rep, detail = attack(s, port, "resign", ca, der, key)
    s.check(r.rc == 60 and "unknown CA" in r.err and r.out == b"",
            "resign: the attacker's certificate is refused, exit 60", detail)
    s.check(rep["error"] is None and rep["client_alerts"] in ([UNKNOWN_CA], [BAD_CERTIFICATE])
            and not rep["client_finished"] and rep["client_appdata"] == 0,
            "resign: the client sent an alert, no Finished, no application data", detail)
    r, rep, detail = attack(s, port, "resign", ["--insecure"], der, key)
    s.check(r.rc == 0 and r.out == files["hello.txt"] and rep["client_appdata"] >= 1
            and "warning: --insecure" in r.err,
            "resign with --insecure: the attack succeeds (the relay is sound; hence the "
            "warning)", detail)
    cl.stop(proc)
    s.finish()


if __name__ == "__main__":
    main()
