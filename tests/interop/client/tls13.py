"""Just enough TLS 1.3 (RFC 8446) for the attackers in the client tests: record framing,
the key schedule (7.1), record protection (5.2) and the few message edits they make.

The hashes and HMAC are python's own; X25519, AES-GCM and ChaCha20-Poly1305 come from
python3-cryptography (Debian's package).
"""

import hashlib
import hmac
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

CT_CCS, CT_ALERT, CT_HANDSHAKE, CT_APPDATA = 20, 21, 22, 23
HT_CLIENT_HELLO, HT_SERVER_HELLO, HT_CERTIFICATE, HT_CERTIFICATE_VERIFY, HT_FINISHED = \
    1, 2, 11, 15, 20
EXT_KEY_SHARE = 51
X25519 = 0x001D
HRR_RANDOM = bytes.fromhex(
    "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C")

# suite -> (hash, AEAD class, key length)
SUITES = {
    0x1301: (hashlib.sha256, AESGCM, 16),
    0x1302: (hashlib.sha384, AESGCM, 32),
    0x1303: (hashlib.sha256, ChaCha20Poly1305, 32),
}


def u16(n):
    return struct.pack(">H", n)


def u24(n):
    return struct.pack(">I", n)[1:]


# ---- framing ------------------------------------------------------------------------------

class RecordReader:
    """Splits a byte stream into records: (type, header, body)."""

    def __init__(self):
        self.buf = bytearray()

    def feed(self, data):
        self.buf += data

    def records(self):
        out = []
        while len(self.buf) >= 5:
            n = struct.unpack(">H", self.buf[3:5])[0]
            if len(self.buf) < 5 + n:
                break
            out.append((self.buf[0], bytes(self.buf[:5]), bytes(self.buf[5:5 + n])))
            del self.buf[:5 + n]
        return out


def record(ctype, body):
    return bytes([ctype, 3, 3]) + u16(len(body)) + body


class MessageReader:
    """Splits handshake bytes into whole messages (type + 3-byte length + body)."""

    def __init__(self):
        self.buf = bytearray()

    def feed(self, data):
        self.buf += data
        out = []
        while len(self.buf) >= 4:
            n = int.from_bytes(self.buf[1:4], "big")
            if len(self.buf) < 4 + n:
                break
            out.append(bytes(self.buf[:4 + n]))
            del self.buf[:4 + n]
        return out


# ---- key schedule (RFC 8446 7.1) ------------------------------------------------------------

def hkdf_extract(h, salt, ikm):
    return hmac.new(salt, ikm, h).digest()


def hkdf_expand(h, prk, info, n):
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = hmac.new(prk, t + info + bytes([i]), h).digest()
        out += t
        i += 1
    return out[:n]


def expand_label(h, secret, label, context, n):
    full = b"tls13 " + label
    info = u16(n) + bytes([len(full)]) + full + bytes([len(context)]) + context
    return hkdf_expand(h, secret, info, n)


def derive_secret(h, secret, label, transcript):
    return expand_label(h, secret, label, h(transcript).digest(), h().digest_size)


class Protector:
    """One direction's record protection (RFC 8446 5.2, 5.3): key, iv, sequence number."""

    def __init__(self, suite, secret):
        h, aead, keylen = SUITES[suite]
        self.secret = secret
        self.aead = aead(expand_label(h, secret, b"key", b"", keylen))
        self.iv = expand_label(h, secret, b"iv", b"", 12)
        self.seq = 0

    def _nonce(self):
        return bytes(a ^ b for a, b in zip(self.iv, self.seq.to_bytes(12, "big")))

    def open(self, header, body):
        """(inner type, content), or None when it does not authenticate (seq unchanged)."""
        try:
            inner = self.aead.decrypt(self._nonce(), body, header)
        except Exception:
            return None
        self.seq += 1
        inner = inner.rstrip(b"\x00")
        return inner[-1], inner[:-1]

    def seal(self, ctype, content):
        inner = content + bytes([ctype])
        header = bytes([CT_APPDATA, 3, 3]) + u16(len(inner) + 16)
        out = header + self.aead.encrypt(self._nonce(), inner, header)
        self.seq += 1
        return out


class Schedule:
    """One connection's secrets from the (EC)DHE secret and the transcript, step by step."""

    def __init__(self, suite, shared, ch_sh):
        self.suite = suite
        h = self.h = SUITES[suite][0]
        zeros = bytes(h().digest_size)
        early = hkdf_extract(h, zeros, zeros)
        self.hs = hkdf_extract(h, derive_secret(h, early, b"derived", b""), shared)
        self.c_hs = derive_secret(h, self.hs, b"c hs traffic", ch_sh)
        self.s_hs = derive_secret(h, self.hs, b"s hs traffic", ch_sh)
        self.master = hkdf_extract(h, derive_secret(h, self.hs, b"derived", b""), zeros)

    def app_secrets(self, transcript_to_server_finished):
        c = derive_secret(self.h, self.master, b"c ap traffic", transcript_to_server_finished)
        s = derive_secret(self.h, self.master, b"s ap traffic", transcript_to_server_finished)
        return c, s

    def finished(self, base_secret, transcript):
        """A Finished message (RFC 8446 4.4.4) by the side whose traffic secret is base."""
        h = self.h
        key = expand_label(h, base_secret, b"finished", b"", h().digest_size)
        verify = hmac.new(key, h(transcript).digest(), h).digest()
        return bytes([HT_FINISHED]) + u24(len(verify)) + verify


# ---- message edits ---------------------------------------------------------------------------

def _extensions_offset(msg, is_ch):
    """Offset of the extensions<2> vector in a ClientHello or ServerHello message."""
    p = 4 + 2 + 32
    p += 1 + msg[p]                                        # legacy_session_id(_echo)
    if is_ch:
        p += 2 + struct.unpack(">H", msg[p:p + 2])[0]      # cipher_suites
        p += 1 + msg[p]                                    # legacy_compression_methods
    else:
        p += 2 + 1                                         # cipher_suite, compression
    return p


def server_hello_suite(sh):
    p = 4 + 2 + 32
    p += 1 + sh[p]
    return struct.unpack(">H", sh[p:p + 2])[0]


def swap_x25519_share(msg, new_pub, is_ch):
    """Replaces the x25519 key_exchange in a ClientHello's or ServerHello's key_share with
    new_pub (same length, so no length changes). Returns (new message, old public key)."""
    p = _extensions_offset(msg, is_ch)
    end = p + 2 + struct.unpack(">H", msg[p:p + 2])[0]
    p += 2
    while p < end:
        etype, elen = struct.unpack(">HH", msg[p:p + 4])
        body = p + 4
        if etype == EXT_KEY_SHARE:
            q = body + 2 if is_ch else body          # CH: client_shares<2>; SH: one entry
            qend = body + elen
            while q < qend:
                group, klen = struct.unpack(">HH", msg[q:q + 4])
                if group == X25519:
                    old = msg[q + 4:q + 4 + klen]
                    assert klen == len(new_pub)
                    return msg[:q + 4] + new_pub + msg[q + 4 + klen:], old
                q += 4 + klen
                if not is_ch:
                    break
        p = body + elen
    raise ValueError("no x25519 key share")


def certificate_msg(der):
    """A server Certificate message with one certificate and no extensions (RFC 8446 4.4.2)."""
    entry = u24(len(der)) + der + u16(0)
    body = b"\x00" + u24(len(entry)) + entry
    return bytes([HT_CERTIFICATE]) + u24(len(body)) + body


def certificate_verify_content(h, transcript):
    """RFC 8446 4.4.3: what the server signs."""
    return b" " * 64 + b"TLS 1.3, server CertificateVerify" + b"\x00" + h(transcript).digest()


def certificate_verify_msg(scheme, signature):
    body = u16(scheme) + u16(len(signature)) + signature
    return bytes([HT_CERTIFICATE_VERIFY]) + u24(len(body)) + body
