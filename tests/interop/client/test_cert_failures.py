#!/usr/bin/env python3
"""lucid-client refuses servers it should not trust, each with its own exit code and a
message that names the reason, and prints no body.

Servers are openssl s_server -tls1_3 -WWW with certificates from the test PKI:
wrong host name, expired, not yet valid, unknown CA, self-signed leaf, missing
intermediate (only the leaf is sent), a leaf without the serverAuth EKU. Also: the same
servers are accepted with --insecure (with its warning), and a good chain is accepted
through --capath as well as --cacert.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clientlib as cl  # noqa: E402


def main():
    s = cl.Suite("cert-failures")
    pki = cl.Pki(os.path.join(s.tmp, "pki"), broken=True)
    www = os.path.join(s.tmp, "www")
    files = cl.make_www(www)
    root = pki.root["cert"]
    good = pki.leaf["ecdsa"]

    # name: (certificate, chain file s_server sends after the leaf, URL host, exit code,
    #        words the message must hold)
    cases = [
        ("wrong host name", good, good["inter"], "wrong.example", 61,
         ["'wrong.example' is not in the certificate's names", "localhost", "127.0.0.1"]),
        ("wrong IP address", good, good["inter"], "127.0.0.2", 61,
         ["'127.0.0.2' is not in the certificate's names"]),
        ("expired certificate", pki.bad["expired"], pki.bad["expired"]["inter"], "localhost",
         62, ["expired", "CN=localhost"]),
        ("not-yet-valid certificate", pki.bad["not-yet-valid"],
         pki.bad["not-yet-valid"]["inter"], "localhost", 62, ["not yet valid"]),
        ("unknown CA", pki.bad["unknown-ca"], pki.bad["unknown-ca"]["inter"], "localhost", 60,
         ["unknown CA", "Some Other"]),
        ("self-signed leaf", pki.bad["self-signed"], None, "localhost", 60,
         ["unknown CA", "self-signed"]),
        ("missing intermediate", good, None, "localhost", 60,
         ["unknown CA", "unable to get local issuer certificate"]),
        ("leaf without serverAuth", pki.bad["no-server-auth"],
         pki.bad["no-server-auth"]["inter"], "localhost", 63, ["usage", "purpose"]),
    ]
    for name, leaf, chain, host, code, words in cases:
        proc, port = cl.s_server(www, leaf["cert"], leaf["key"], chain=chain)
        url = f"https://{host}:{port}/hello.txt"
        r = cl.run_client(s, url, "--cacert", root, "--connect-to", f"127.0.0.1:{port}")
        s.check(r.rc == code, f"{name}: exit code {code}", r.describe())
        lines = [ln for ln in r.err.splitlines() if ln.startswith("lucid-client: ")]
        msg = lines[0] if lines else ""
        s.check(len(lines) == 1 and all(w in msg for w in words),
                f"{name}: one line naming the reason ({', '.join(words)})", r.describe())
        s.check(r.out == b"", f"{name}: no body printed", r.describe())
        # --insecure accepts it (the test PKI's leaf is genuine, only its checks fail),
        # and says loudly that it does not verify
        r = cl.run_client(s, url, "--insecure", "-v", "--connect-to", f"127.0.0.1:{port}")
        s.check(r.rc == 0 and r.out == files["hello.txt"] and "warning: --insecure" in r.err
                and r.info.get("certificate") == "NOT verified (--insecure)",
                f"{name}: accepted with --insecure, with a warning", r.describe())
        cl.stop(proc)

    # The system store does not know the test root.
    proc, port = cl.s_server(www, good["cert"], good["key"], chain=good["inter"])
    r = cl.run_client(s, f"https://localhost:{port}/hello.txt")
    s.check(r.rc == 60 and "unknown CA" in r.err and r.out == b"",
            "test root not in the system store: exit 60", r.describe())
    # SSL_CERT_FILE names the system's bundle, as it does for OpenSSL: the test root put there
    # is trusted (the system's roots load when the first chain is verified).
    r = cl.run_client(s, f"https://localhost:{port}/hello.txt",
                      env=dict(os.environ, SSL_CERT_FILE=root))
    s.check(r.rc == 0 and r.out == files["hello.txt"],
            "SSL_CERT_FILE holding the test root: trusted without --cacert", r.describe())

    # --capath: a hashed directory holding the root
    capath = os.path.join(s.tmp, "capath")
    os.makedirs(capath)
    cl.write_file(os.path.join(capath, "root.pem"), open(root, "rb").read())
    subprocess.run(["openssl", "rehash", capath], check=True, capture_output=True)
    r = cl.run_client(s, f"https://localhost:{port}/hello.txt", "--capath", capath)
    s.check(r.rc == 0 and r.out == files["hello.txt"], "--capath with the test root",
            r.describe())
    # a CA file that cannot be read: curl's 77
    r = cl.run_client(s, f"https://localhost:{port}/hello.txt", "--cacert",
                      os.path.join(s.tmp, "missing.pem"))
    s.check(r.rc == 77 and "missing.pem" in r.err, "--cacert with a missing file: exit 77",
            r.describe())
    # trusting the intermediate's issuer chain only through the intermediate file fails:
    # the root is what anchors it
    r = cl.run_client(s, f"https://localhost:{port}/hello.txt", "--cacert",
                      pki.bad["unknown-ca"]["inter"])
    s.check(r.rc == 60, "a CA file with an unrelated CA: exit 60", r.describe())
    cl.stop(proc)
    s.finish()


if __name__ == "__main__":
    main()
