#!/usr/bin/env python3
"""Trace mode (issue 6): one handshake between lucid-client --trace and lucid-server --trace,
and one with a HelloRetryRequest. Each side's trace must show every step of the handshake in
order (a forward scan over the expected list: a missing or misordered step fails); secret
values must be absent without --trace-secrets and present, as hex of the hash's length, with
it; server lines carry the client's address."""
import re
import shutil

import tracelib as tl

HEX = r"[0-9a-f]"
# (description, regex on the trace line with its "client: " / "server: " tag removed)
def hello(direction):
    return [
        ("client_hello " + direction, r"^%s client_hello \(\d+ bytes\)$" % direction),
        ("ClientHello random", r"^\s+random\s+%s{64}$" % HEX),
        ("ClientHello session id", r"^\s+legacy_session_id\s+32 bytes"),
        ("ClientHello cipher suites", r"^\s+cipher_suites\s+.*TLS_AES_128_GCM_SHA256"),
        ("ClientHello extensions", r"^\s+extensions\s+.*supported_versions.*key_share"),
        ("ClientHello supported_versions", r"^\s+supported_versions\s+TLS 1\.3"),
        ("ClientHello groups", r"^\s+supported_groups\s+x25519"),
        ("ClientHello key_share", r"^\s+key_share\s+\w+, \d+-byte public key$"),
        ("ClientHello signature schemes", r"^\s+signature_schemes\s+.*ecdsa_secp256r1_sha256"),
    ]


def server_hello(direction):
    return [
        ("server_hello " + direction, r"^%s server_hello \(\d+ bytes\)$" % direction),
        ("ServerHello random", r"^\s+random\s+%s{64}$" % HEX),
        ("ServerHello cipher_suite", r"^\s+cipher_suite\s+TLS_AES_128_GCM_SHA256$"),
        ("ServerHello selected_version", r"^\s+selected_version\s+TLS 1\.3$"),
        ("ServerHello key_share", r"^\s+key_share\s+\w+, \d+-byte public key$"),
    ]


HS_SECRETS = [
    ("client handshake traffic secret derived",
     r"^\s*derived client_handshake_traffic_secret \(\"c hs traffic\"\)"),
    ("server handshake traffic secret derived",
     r"^\s*derived server_handshake_traffic_secret \(\"s hs traffic\"\)"),
]
AP_SECRETS = [
    ("client application traffic secret derived",
     r"^\s*derived client_application_traffic_secret_0 \(\"c ap traffic\"\)"),
    ("server application traffic secret derived",
     r"^\s*derived server_application_traffic_secret_0 \(\"s ap traffic\"\)"),
    ("exporter master secret derived", r"^\s*derived exporter_master_secret \(\"exp master\"\)"),
]


def certificate(direction):
    return [
        ("certificate " + direction, r"^%s certificate \(\d+ bytes\)$" % direction),
        ("Certificate list", r"^\s+certificate_list\s+2 certificate\(s\)$"),
        ("leaf subject", r"^\s+\[0\] subject /CN=localhost$"),
        ("leaf issuer", r"^\s+issuer\s+/CN=Lucid Test Intermediate CA$"),
        ("leaf names", r"^\s+names\s+localhost"),
        ("leaf validity", r"^\s+valid\s+\d{4}-\d\d-\d\d .* to \d{4}-\d\d-\d\d "),
        ("leaf key", r"^\s+key\s+ECDSA P-256$"),
        ("intermediate subject", r"^\s+\[1\] subject /CN=Lucid Test Intermediate CA$"),
        ("intermediate issuer", r"^\s+issuer\s+/CN=Lucid Test Root CA$"),
    ]


def client_expected(hrr):
    e = hello(">>")
    if hrr:
        e += [("hello_retry_request received", r"^<< hello_retry_request \(\d+ bytes\)$"),
              ("HRR selected_group", r"^\s+selected_group\s+secp384r1"),
              ("second client_hello sent", r"^>> client_hello \(\d+ bytes\)$"),
              ("second ClientHello cookie", r"^\s+extensions\s+.*cookie"),
              ("second ClientHello key_share secp384r1",
               r"^\s+key_share\s+secp384r1, 97-byte public key$")]
    e += server_hello("<<") + HS_SECRETS
    e += [("encrypted_extensions received", r"^<< encrypted_extensions \(\d+ bytes\)$"),
          ("EncryptedExtensions extensions", r"^\s+extensions\s+")]
    e += certificate("<<")
    e += [("certificate chain verified", r"^certificate chain verified for 'localhost'$"),
          ("certificate_verify received", r"^<< certificate_verify \(\d+ bytes\)$"),
          ("CertificateVerify algorithm", r"^\s+algorithm\s+ecdsa_secp256r1_sha256"),
          ("CertificateVerify verified", r"^CertificateVerify \(ecdsa_secp256r1_sha256\) verified$"),
          ("server finished received", r"^<< finished \(\d+ bytes\)$"),
          ("server verify_data", r"^\s+verify_data\s+%s{64}$" % HEX),
          ("server Finished verified", r"^server Finished verified$")]
    e += AP_SECRETS
    e += [("client finished sent", r"^>> finished \(\d+ bytes\)$"),
          ("client verify_data", r"^\s+verify_data\s+%s{64}$" % HEX),
          ("handshake complete", r"^handshake complete: TLS_AES_128_GCM_SHA256, %s, "
                                 r"ecdsa_secp256r1_sha256$" % ("secp384r1" if hrr else "x25519")),
          ("record counts after the handshake", r"^records for the handshake: sent [1-9]\d* "
                                                r"\(\d+ bytes\), received [1-9]\d* \(\d+ bytes\)$"),
          ("close_notify sent", r"^!! sent alert close_notify"),
          ("record counts at close", r"^records at our close_notify: sent \d+")]
    return e


def server_expected(hrr):
    e = hello("<<")
    if hrr:
        e += [("hello_retry_request sent", r"^>> hello_retry_request \(\d+ bytes\)$"),
              ("HRR selected_group", r"^\s+selected_group\s+secp384r1"),
              ("second client_hello received", r"^<< client_hello \(\d+ bytes\)$"),
              ("second ClientHello cookie", r"^\s+extensions\s+.*cookie"),
              ("second ClientHello key_share secp384r1",
               r"^\s+key_share\s+secp384r1, 97-byte public key$")]
    e += [("parameters chosen", r"^chose TLS_AES_128_GCM_SHA256, ")]
    e += server_hello(">>") + HS_SECRETS
    e += [("encrypted_extensions sent", r"^>> encrypted_extensions \(\d+ bytes\)$"),
          ("EncryptedExtensions extensions", r"^\s+extensions\s+")]
    e += certificate(">>")
    e += [("certificate_verify sent", r"^>> certificate_verify \(\d+ bytes\)$"),
          ("CertificateVerify algorithm", r"^\s+algorithm\s+ecdsa_secp256r1_sha256"),
          ("server finished sent", r"^>> finished \(\d+ bytes\)$"),
          ("server verify_data", r"^\s+verify_data\s+%s{64}$" % HEX)]
    e += AP_SECRETS
    e += [("client finished received", r"^<< finished \(\d+ bytes\)$"),
          ("client verify_data", r"^\s+verify_data\s+%s{64}$" % HEX),
          ("client Finished verified", r"^client Finished verified$"),
          ("handshake complete", r"^handshake complete: TLS_AES_128_GCM_SHA256, %s, "
                                 r"ecdsa_secp256r1_sha256$" % ("secp384r1" if hrr else "x25519")),
          ("record counts after the handshake", r"^records for the handshake: sent [1-9]\d* "
                                                r"\(\d+ bytes\), received [1-9]\d* \(\d+ bytes\)$")]
    return e


def forward_scan(name, lines, expected, quiet=False):
    """Each expected step must match a line after the previous step's line."""
    pos = 0
    for what, rx in expected:
        r = re.compile(rx)
        start = pos
        while pos < len(lines) and not r.search(lines[pos]):
            pos += 1
        if pos == len(lines):
            anywhere = [i for i, l in enumerate(lines) if r.search(l)]
            tl.check(False, "%s: %s" % (name, what),
                     ("out of order: found only at line(s) %s, before line %d (the previous step)"
                      % (anywhere, start) if anywhere else "missing: no line matches %r" % rx)
                     + ("" if quiet else "\n--- trace ---\n" + "\n".join(lines)))
            return False
        pos += 1
    tl.check(True, "%s: all %d steps present and in order" % (name, len(expected)))
    return True


def client_lines(stderr):
    out = []
    for l in stderr.splitlines():
        if l.startswith("* trace: client: "):
            out.append(l[len("* trace: client: "):])
    return out


def server_lines(stderr):
    """Server trace lines: "127.0.0.1:PORT: server: ..."; returns {peer: [lines]}."""
    peers = {}
    for l in stderr.splitlines():
        m = re.match(r"^(127\.0\.0\.1:\d+): server: (.*)$", l)
        if m:
            peers.setdefault(m.group(1), []).append(m.group(2))
    return peers


def secret_lines(lines):
    return [l for l in lines if re.match(r"^\s*derived ", l)]


def one_handshake(a, root, hrr, secrets):
    tag = ("HRR " if hrr else "") + ("with --trace-secrets" if secrets else "without secrets")
    sargs = ["--trace"] + (["--trace-secrets"] if secrets else []) + \
            (["--groups", "secp384r1"] if hrr else [])
    srv = tl.Server(a.bin, root, sargs)
    try:
        r = tl.lucid_client(a.bin, srv.port, ["--trace"])
    finally:
        serr = srv.stop()
    tl.check(r.returncode == 0 and r.stdout == tl.BODY, "%s: lucid-client fetched the page" % tag,
             "rc=%d\n%s" % (r.returncode, r.stderr.decode(errors="replace")))
    cl = client_lines(r.stderr.decode(errors="replace"))
    peers = server_lines(serr)
    forward_scan("%s: client trace" % tag, cl, client_expected(hrr))
    tl.check(len(peers) == 1, "%s: server trace lines carry one client address" % tag,
             "peers: %s\n%s" % (list(peers), serr))
    sl = next(iter(peers.values())) if peers else []
    forward_scan("%s: server trace" % tag, sl, server_expected(hrr))
    # Every server stderr line of the trace has the address prefix.
    stray = [l for l in serr.splitlines() if re.match(r"^\s*(server: |derived|<<|>>)", l)]
    tl.check(not stray, "%s: no server trace line without the client address" % tag,
             "\n".join(stray))

    # Secret values: never on the client (it has no --trace-secrets); on the server only
    # with --trace-secrets, as hex of SHA-256's length (TLS_AES_128_GCM_SHA256).
    csec = secret_lines(cl)
    tl.check(len(csec) >= 5 and all(not re.search(HEX + "{32,}", l) for l in csec),
             "%s: client trace names the secrets without their values" % tag, "\n".join(csec))
    ssec = secret_lines(sl)
    if secrets:
        bad = [l for l in ssec if not re.search(r" = %s{64}$" % HEX, l)]
        tl.check(len(ssec) >= 5 and not bad,
                 "%s: server trace shows each secret's value (64 hex digits)" % tag,
                 "\n".join(bad or ssec))
    else:
        tl.check(len(ssec) >= 5 and all(not re.search(HEX + "{32,}", l) for l in ssec),
                 "%s: server trace names the secrets without their values" % tag,
                 "\n".join(ssec))
    return cl, sl


def main():
    a = tl.parse_args()
    root = tl.webroot()
    try:
        one_handshake(a, root, hrr=False, secrets=False)
        one_handshake(a, root, hrr=False, secrets=True)
        one_handshake(a, root, hrr=True, secrets=False)

        # The forward scan must be able to fail: a trace with two steps swapped.
        srv = tl.Server(a.bin, root, ["--trace"])
        try:
            r = tl.lucid_client(a.bin, srv.port, ["--trace"])
        finally:
            srv.stop()
        cl = client_lines(r.stderr.decode(errors="replace"))
        i = next(i for i, l in enumerate(cl) if l.startswith("server Finished verified"))
        j = next(i for i, l in enumerate(cl) if l.startswith("CertificateVerify ("))
        swapped = list(cl)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        saved = list(tl.failures)
        ok = forward_scan("self-check (swapped steps, expected to fail)", swapped,
                          client_expected(False), quiet=True)
        tl.failures[:] = saved
        tl.check(not ok, "self-check: the forward scan rejects a misordered trace")

        # No --trace: no trace lines at all.
        srv = tl.Server(a.bin, root, [])
        try:
            r = tl.lucid_client(a.bin, srv.port, [])
        finally:
            serr = srv.stop()
        tl.check(r.returncode == 0 and "client_hello" not in r.stderr.decode(errors="replace")
                 and "client_hello" not in serr, "without --trace: no trace on either side")

        # --help documents the options.
        h = tl.run([a.bin + "/lucid-server", "--help"]).stdout.decode()
        tl.check(all(o in h for o in ("--trace ", "--trace-secrets", "--keylog FILE",
                                      "SSLKEYLOGFILE")),
                 "lucid-server --help documents --trace, --trace-secrets, --keylog, SSLKEYLOGFILE")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    tl.finish()


if __name__ == "__main__":
    main()
