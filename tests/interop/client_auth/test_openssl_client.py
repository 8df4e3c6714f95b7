#!/usr/bin/env python3
"""openssl s_client -cert/-key against a Lucid server asking for client certificates.

The server is tests/support/cauth_server.c (Lucid's public API over a blocking socket); it
answers each request with the subject of the client's certificate and prints each
connection's outcome. Checks, each from both ends (what s_client saw, what the server
reported):

- verify_client on: ECDSA, RSA and Ed25519 client certificates are accepted, the subject
  reaches the application, and the CertificateVerify scheme is the one the key implies;
- no certificate: certificate_required (116); a certificate from an unknown CA: unknown_ca
  (48); an expired one: certificate_expired (45); one without clientAuth:
  unsupported_certificate (43); a leaf sent without its intermediate: unknown_ca, unless
  the client CA file holds the intermediate too;
- verify_client optional: no certificate is accepted (no subject), a bad one still is not;
- verify_client off: no CertificateRequest, so s_client's certificate is never sent.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cauthlib as ca  # noqa: E402
from cauthlib import cl  # noqa: E402

SCHEMES = {"alice": "ecdsa_secp256r1_sha256", "bob": "rsa_pss_rsae_sha256",
           "carol": "ed25519"}


def expect_ok(s, srv, pki, name, label, r):
    c = pki.client[name] if name else None
    subject = c["subject"] if c else "(none)"
    scheme = SCHEMES.get(name, "(none)")
    line = srv.next()
    s.check(line == f"ok subject={subject} scheme={scheme}",
            f"{label}: the server reports subject {subject}, scheme {scheme}",
            f"server: {line}\n" + r.describe())
    s.check(f"subject={subject}\n" in r.out and "HTTP/1.1 200 OK" in r.out,
            f"{label}: s_client gets the answer naming its subject", r.describe())


def expect_refused(s, srv, label, r, code, alert):
    line = srv.next()
    s.check(line.startswith(f"failed {code} alert={alert}:"),
            f"{label}: the server refuses with {alert} ({code})", f"server: {line}\n" +
            r.describe())
    s.check(ca.openssl_alert_text(alert) in (r.out + r.err) and "HTTP/1.1" not in r.out,
            f"{label}: s_client receives the {alert} alert, and no answer", r.describe())


def main():
    s = cl.Suite("client_auth-openssl_client")
    tools = ca.Tools()
    if cl.tool("openssl") is None:
        s.skip("the openssl CLI is not installed (Debian package openssl)")
    pki = ca.Pki(tools, os.path.join(s.tmp, "pki"))

    srv = ca.CauthServer(s, tools, pki, verify="on", client_ca=pki.root)
    for name in ("alice", "bob", "carol"):
        r = ca.s_client(srv.port, pki.root, pki.client[name])
        expect_ok(s, srv, pki, name, f"on, {name} ({SCHEMES[name]})", r)
    r = ca.s_client(srv.port, pki.root, None)
    expect_refused(s, srv, "on, no certificate", r, "LC_E_CERT_REQUIRED",
                   "certificate_required")
    r = ca.s_client(srv.port, pki.root, pki.client["mallory"])
    expect_refused(s, srv, "on, a certificate from another PKI", r, "LC_E_CERT_UNKNOWN_CA",
                   "unknown_ca")
    r = ca.s_client(srv.port, pki.root, pki.client["expired"])
    expect_refused(s, srv, "on, an expired certificate", r, "LC_E_CERT_EXPIRED",
                   "certificate_expired")
    r = ca.s_client(srv.port, pki.root, pki.client["dave"])
    expect_refused(s, srv, "on, a certificate without clientAuth", r, "LC_E_CERT_USAGE",
                   "unsupported_certificate")
    leaf_only = dict(pki.client["alice"], inter=pki.client["alice"]["cert"])
    r = ca.s_client(srv.port, pki.root, leaf_only)
    expect_refused(s, srv, "on, alice's leaf without its intermediate", r,
                   "LC_E_CERT_UNKNOWN_CA", "unknown_ca")
    srv.stop()

    # a client CA file that holds the intermediate as well completes a leaf-only chain
    both = cl.write_file(os.path.join(s.tmp, "root+inter.pem"),
                         open(pki.root, "rb").read() + open(pki.inter, "rb").read())
    srv = ca.CauthServer(s, tools, pki, verify="on", client_ca=both)
    r = ca.s_client(srv.port, pki.root, leaf_only)
    expect_ok(s, srv, pki, "alice", "on, leaf only, the CA file holds the intermediate", r)
    srv.stop()

    srv = ca.CauthServer(s, tools, pki, verify="optional", client_ca=pki.root)
    r = ca.s_client(srv.port, pki.root, None)
    expect_ok(s, srv, pki, None, "optional, no certificate", r)
    r = ca.s_client(srv.port, pki.root, pki.client["alice"])
    expect_ok(s, srv, pki, "alice", "optional, alice", r)
    r = ca.s_client(srv.port, pki.root, pki.client["mallory"])
    expect_refused(s, srv, "optional, a certificate from another PKI", r,
                   "LC_E_CERT_UNKNOWN_CA", "unknown_ca")
    srv.stop()

    srv = ca.CauthServer(s, tools, pki, verify="off", client_ca=pki.root)
    r = ca.s_client(srv.port, pki.root, pki.client["alice"])
    expect_ok(s, srv, pki, None, "off, alice's certificate is not asked for", r)
    s.check("No client certificate CA names sent" in r.out or "Acceptable client certificate"
            not in r.out, "off: s_client saw no CertificateRequest", r.describe())
    srv.stop()

    # the CA names reach the client: s_client prints what certificate_authorities listed
    srv = ca.CauthServer(s, tools, pki, verify="on", client_ca=pki.root)
    r = ca.s_client(srv.port, pki.root, pki.client["alice"])
    expect_ok(s, srv, pki, "alice", "on, alice, again", r)
    s.check("Acceptable client certificate CA names" in r.out
            and "CN = Lucid Local Root CA" in r.out,
            "on: certificate_authorities names our root, as s_client shows it", r.describe())
    s.check("Requested Signature Algorithms: ECDSA+SHA256" in r.out,
            "on: signature_algorithms of the CertificateRequest, as s_client shows it",
            r.describe())
    srv.stop()
    s.finish()


if __name__ == "__main__":
    main()
