#!/usr/bin/env python3
"""lucid-client against gnutls-serv --http (GnuTLS), TLS 1.3 only
(--priority NORMAL:-VERS-ALL:+VERS-TLS1.3).

The server answers every request with the file given by --httpdata, so each run checks a
byte-exact download and, with -v, what was negotiated: each certificate type, each group
forced by the priority string (all but x25519 through a HelloRetryRequest), each suite.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clientlib as cl  # noqa: E402

BASE = "NORMAL:-VERS-ALL:+VERS-TLS1.3"
GROUPS = {"GROUP-X25519": "x25519", "GROUP-SECP256R1": "secp256r1",
          "GROUP-SECP384R1": "secp384r1", "GROUP-FFDHE2048": "ffdhe2048",
          "GROUP-FFDHE3072": "ffdhe3072"}
SUITES = {"AES-128-GCM": "TLS_AES_128_GCM_SHA256", "AES-256-GCM": "TLS_AES_256_GCM_SHA384",
          "CHACHA20-POLY1305": "TLS_CHACHA20_POLY1305_SHA256"}
SCHEMES = {"ecdsa": "ecdsa_secp256r1_sha256", "rsa": "rsa_pss_rsae_sha256",
           "ed25519": "ed25519"}


def main():
    s = cl.Suite("gnutls")
    gs = cl.tool("gnutls-serv")
    if gs is None:
        s.skip("gnutls-serv is not installed (Debian package gnutls-bin)")
    pki = cl.Pki(os.path.join(s.tmp, "pki"))
    data = cl.write_file(os.path.join(s.tmp, "data.bin"), os.urandom(64 * 1024 + 3))
    body = open(data, "rb").read()

    # (priority string, certificate type, expected group, expected suite)
    cases = [(BASE, kind, "x25519", None) for kind in SCHEMES]
    cases += [(f"{BASE}:-GROUP-ALL:+{g}", "ecdsa", name, None) for g, name in GROUPS.items()]
    cases += [(f"{BASE}:-CIPHER-ALL:+{c}", "rsa", "x25519", name) for c, name in SUITES.items()]

    for prio, kind, group, suite in cases:
        leaf = pki.leaf[kind]
        port = cl.free_port()
        proc = cl.spawn([gs, "--http", "--port", str(port), "--x509certfile", leaf["chain"],
                         "--x509keyfile", leaf["key"], "--priority", prio, "--httpdata", data])
        what = f"gnutls-serv {kind} {prio[len(BASE):] or 'default'}"
        if not s.check(cl.wait_port(port, proc=proc), f"{what}: server starts"):
            continue
        r = cl.run_client(s, f"https://localhost:{port}/", "-v", "--trace", "--cacert",
                          pki.root["cert"])
        cl.stop(proc)
        want = {"TLS version": "TLSv1.3", "group": group, "signature scheme": SCHEMES[kind]}
        if suite:
            want["cipher suite"] = suite
        got = {k: r.info.get(k) for k in want}
        s.check(r.rc == 0 and r.out == body, f"{what}: byte-exact download", r.describe())
        s.check(got == want, f"{what}: negotiated {want}", f"got {got}\n" + r.describe())
        hrr = "HelloRetryRequest" in r.err
        s.check(hrr == (group != "x25519"), f"{what}: HelloRetryRequest only when needed",
                r.describe())
    s.finish()


if __name__ == "__main__":
    main()
