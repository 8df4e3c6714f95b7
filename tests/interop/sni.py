#!/usr/bin/env python3
"""Issue 3, item 5: SNI picks the certificate among two server names. lucid-server
holds a.test and b.test (in that order); s_client -servername a.test / b.test
gets the certificate whose subject and subjectAltName match, verified against
the test root with the host name checked. Without SNI, or with a name neither
certificate has, the server falls back to its first certificate (lucid.h)."""

import re
import subprocess

import lucidtest as lt

REQUEST = b"GET /hello.txt HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"


def leaf_names(t, out):
    """(subject, SAN text) of the first certificate in s_client's output."""
    m = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", out, re.S)
    if not m:
        return None, None
    r = subprocess.run(["openssl", "x509", "-noout", "-subject", "-ext", "subjectAltName"],
                       input=m.group(0).encode(), capture_output=True)
    text = r.stdout.decode()
    subj = re.search(r"subject=(.*)", text)
    san = re.search(r"X509v3 Subject Alternative Name:\s*\n\s*(.*)", text)
    return (subj.group(1).strip() if subj else None), (san.group(1).strip() if san else None)


def test(t):
    a, b = t.pki.certs["a.test"], t.pki.certs["b.test"]
    srv = t.server(certs=[a, b])
    body = t.file_bytes("hello.txt").decode()

    for name, other in (("a.test", "b.test"), ("b.test", "a.test"),
                        ("www.b.test", "a.test")):
        want_cn = name.replace("www.", "")
        r = t.s_client(srv, ["-tls1_3"], servername=name, request=REQUEST % name.encode())
        subj, san = leaf_names(t, r.out)
        t.check(subj is not None and subj.endswith("CN = " + want_cn) and san is not None
                and ("DNS:" + name) in san and ("DNS:" + other) not in san
                and lt.s_client_verify_ok(r.out) and lt.http_status(r.stdout) == 200
                and body in r.stdout,
                "-servername %s: certificate %s [%s], verified for %s, HTTP 200"
                % (name, subj, san, name), r.describe())

    r = t.s_client(srv, ["-tls1_3"], servername=None, verify=False,
                   request=REQUEST % b"localhost")
    subj, san = leaf_names(t, r.out)
    t.check(subj is not None and subj.endswith("CN = a.test") and lt.http_status(r.stdout) == 200,
            "no SNI: the first certificate (a.test), got %s" % subj, r.describe())

    r = t.s_client(srv, ["-tls1_3"], servername="c.test", verify=False,
                   request=REQUEST % b"c.test")
    subj, san = leaf_names(t, r.out)
    t.check(subj is not None and subj.endswith("CN = a.test") and lt.http_status(r.stdout) == 200,
            "unknown name c.test: the first certificate (a.test), got %s" % subj, r.describe())

    # Python's ssl checks the name itself: both names verify.
    for name in ("a.test", "b.test"):
        status, _, got, info = t.get(srv, "/hello.txt", host=name)
        t.check(lt.http_status(status) == 200 and got.decode() == body,
                "python ssl with server_hostname=%s: verified and served" % name)
    t.check(srv.alive(), "lucid-server still running")


lt.main(test)
