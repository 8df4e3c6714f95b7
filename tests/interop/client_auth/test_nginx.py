#!/usr/bin/env python3
"""lucid-client --cert/--key against nginx with ssl_verify_client on and optional.

nginx (Debian's package) runs as in tests/interop/client/test_nginx.py: one process, its
configuration, pid file, logs and temp paths in a temporary directory. Its answer is
`return 200 "dn=$ssl_client_s_dn verify=$ssl_client_verify\\n"`, so the test sees what nginx
made of our certificate, in the same RFC 2253 form that Lucid's own server reports.

Checks: ECDSA, RSA and Ed25519 client certificates (verify=SUCCESS, dn matching the
certificate); the subject nginx shows equals what cauth_server (Lucid) shows for the same
certificate; no certificate against `on` (nginx answers 400 "No required SSL certificate
was sent" over TLS, as it does); a certificate from another PKI and an expired one (400
"The SSL certificate error"); `optional` without a certificate (verify=NONE).
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cauthlib as ca  # noqa: E402
from cauthlib import cl  # noqa: E402

SCHEMES = {"alice": "ecdsa_secp256r1_sha256", "bob": "rsa_pss_rsae_sha256",
           "carol": "ed25519"}

CONF = """
worker_processes 1;
daemon off;
master_process off;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_protocols TLSv1.3;
        ssl_certificate {chain};
        ssl_certificate_key {key};
        ssl_client_certificate {ca};
        ssl_verify_client {verify};
        ssl_verify_depth 2;
        location / {{
            default_type text/plain;
            return 200 "dn=$ssl_client_s_dn verify=$ssl_client_verify\\n";
        }}
    }}
}}
"""


def start_nginx(s, nginx, pki, verify):
    d = os.path.join(s.tmp, f"nginx-{verify}")
    os.makedirs(d)
    port = cl.free_port()
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(CONF.format(dir=d, port=port, chain=pki.server["chain"], key=pki.server["key"],
                            ca=pki.root, verify=verify))
    proc = cl.spawn([nginx, "-p", d, "-e", os.path.join(d, "error.log"), "-c", conf])
    log = os.path.join(d, "error.log")
    if not cl.wait_port(port, proc=proc):
        return None, port, open(log).read() if os.path.exists(log) else ""
    return proc, port, log


def main():
    s = cl.Suite("client_auth-nginx")
    tools = ca.Tools()
    nginx = cl.tool("nginx")
    if nginx is None:
        s.skip("nginx is not installed (Debian package nginx)")
    pki = ca.Pki(tools, os.path.join(s.tmp, "pki"))

    proc, port, log = start_nginx(s, nginx, pki, "on")
    if not s.check(proc is not None, "nginx (ssl_verify_client on) starts", log):
        s.finish()
    url = f"https://localhost:{port}/"
    for name, scheme in SCHEMES.items():
        c = pki.client[name]
        r = cl.run_client(s, url, "-v", "--cacert", pki.root, "--cert", c["chain"], "--key",
                          c["key"])
        s.check(r.rc == 0 and r.out == f"dn={c['subject']} verify=SUCCESS\n".encode(),
                f"on, {name}: nginx verified it and shows {c['subject']}", r.describe())
        s.check(r.info.get("client certificate") == f"asked for; sent, signed with {scheme}",
                f"on, {name}: signed with {scheme}", r.describe())

    r = cl.run_client(s, url, "-v", "--cacert", pki.root)
    s.check(r.rc == 0 and b"400 No required SSL certificate was sent" in r.out
            and r.info.get("client certificate") == "asked for; none given (--cert): sent none",
            "on, no --cert: nginx answers 400, no required certificate", r.describe())
    r = cl.run_client(s, url, "--fail", "--cacert", pki.root)
    s.check(r.rc == 22, "on, no --cert, --fail: exit 22", r.describe())
    for name in ("mallory", "expired"):
        c = pki.client[name]
        r = cl.run_client(s, url, "--cacert", pki.root, "--cert", c["chain"], "--key", c["key"])
        s.check(r.rc == 0 and b"400 The SSL certificate error" in r.out,
                f"on, {name}: nginx answers 400, the certificate error", r.describe())
    errlog = open(log).read()
    s.check("certificate has expired" in errlog,
            "on: nginx's log names the expired certificate", errlog[-2000:])
    cl.stop(proc)

    # Lucid's server and nginx write the same subject for the same certificate
    srv = ca.CauthServer(s, tools, pki, verify="on", client_ca=pki.root)
    for name in SCHEMES:
        c = pki.client[name]
        r = cl.run_client(s, f"https://localhost:{srv.port}/", "--cacert", pki.root,
                          "--cert", c["chain"], "--key", c["key"])
        line = srv.next()
        s.check(r.rc == 0 and line.startswith(f"ok subject={c['subject']} "),
                f"cauth_server (Lucid) reports {name}'s subject as nginx does",
                f"server: {line}\n" + r.describe())
    srv.stop()

    proc, port, log = start_nginx(s, nginx, pki, "optional")
    if s.check(proc is not None, "nginx (ssl_verify_client optional) starts", log):
        url = f"https://localhost:{port}/"
        r = cl.run_client(s, url, "--cacert", pki.root)
        s.check(r.rc == 0 and r.out == b"dn= verify=NONE\n",
                "optional, no --cert: served, verify=NONE", r.describe())
        c = pki.client["alice"]
        r = cl.run_client(s, url, "--cacert", pki.root, "--cert", c["chain"], "--key",
                          c["key"])
        s.check(r.rc == 0 and r.out == f"dn={c['subject']} verify=SUCCESS\n".encode(),
                "optional, alice: verified", r.describe())
        cl.stop(proc)
    s.finish()


if __name__ == "__main__":
    main()
