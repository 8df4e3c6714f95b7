#!/usr/bin/env python3
"""lucid-client against nginx (Debian's package) with `ssl_protocols TLSv1.3;`.

nginx runs as the current user in one process (master_process off, daemon off) from a
configuration in a temporary directory, with its pid file, logs and temp paths there too,
serving a directory of test files. Checks: byte-exact downloads (small, empty-ish, 1 MiB)
with each certificate type, ALPN http/1.1, HEAD with -I, --fail on a 404, and a 404 body
without --fail.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clientlib as cl  # noqa: E402

SCHEMES = {"ecdsa": "ecdsa_secp256r1_sha256", "rsa": "rsa_pss_rsae_sha256",
           "ed25519": "ed25519"}

CONF = """
worker_processes 1;
daemon off;
master_process off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    types {{ text/plain txt; application/octet-stream bin; }}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_protocols TLSv1.3;
        ssl_certificate {chain};
        ssl_certificate_key {key};
        root {www};
    }}
}}
"""


def start_nginx(s, nginx, leaf, www, tag):
    d = os.path.join(s.tmp, f"nginx-{tag}")
    os.makedirs(d)
    port = cl.free_port()
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(CONF.format(dir=d, port=port, chain=leaf["chain"], key=leaf["key"], www=www))
    proc = cl.spawn([nginx, "-p", d, "-e", os.path.join(d, "error.log"), "-c", conf])
    if not cl.wait_port(port, proc=proc):
        log = open(os.path.join(d, "error.log")).read() if os.path.exists(
            os.path.join(d, "error.log")) else ""
        return None, port, log
    return proc, port, ""


def main():
    s = cl.Suite("nginx")
    nginx = cl.tool("nginx")
    if nginx is None:
        s.skip("nginx is not installed (Debian package nginx)")
    pki = cl.Pki(os.path.join(s.tmp, "pki"))
    www = os.path.join(s.tmp, "www")
    files = cl.make_www(www)
    ca = pki.root["cert"]

    for kind, scheme in SCHEMES.items():
        proc, port, log = start_nginx(s, nginx, pki.leaf[kind], www, kind)
        if not s.check(proc is not None, f"nginx {kind}: starts", log):
            continue
        base = f"https://localhost:{port}"
        r = cl.run_client(s, f"{base}/hello.txt", "-v", "--cacert", ca)
        s.check(r.rc == 0 and r.out == files["hello.txt"], f"nginx {kind}: small file",
                r.describe())
        want = {"TLS version": "TLSv1.3", "signature scheme": scheme, "ALPN": "http/1.1",
                "server name": "localhost"}
        got = {k: r.info.get(k) for k in want}
        s.check(got == want, f"nginx {kind}: negotiated {want}", f"got {got}\n" + r.describe())
        s.check("< HTTP/1.1 200 OK" in r.err and "< Content-Length: 27" in r.err,
                f"nginx {kind}: -v prints the status line and headers", r.describe())
        for name in ("one.bin", "random-1m.bin"):
            r = cl.run_client(s, f"{base}/{name}", "--cacert", ca)
            s.check(r.rc == 0 and r.out == files[name], f"nginx {kind}: {name} byte-exact",
                    r.describe())
        if kind != "ecdsa":
            cl.stop(proc)
            continue
        # the rest once
        r = cl.run_client(s, f"{base}/random-100k.bin", "-I", "--cacert", ca)
        s.check(r.rc == 0 and r.out.startswith(b"HTTP/1.1 200 OK\r\n")
                and f"Content-Length: {len(files['random-100k.bin'])}\r\n".encode() in r.out
                and r.out.endswith(b"\r\n\r\n"),
                "nginx: -I prints the head only", r.describe())
        r = cl.run_client(s, f"{base}/no-such-file", "--fail", "--cacert", ca)
        s.check(r.rc == 22 and r.out == b"" and "404" in r.err,
                "nginx: --fail on 404: exit 22, no body", r.describe())
        r = cl.run_client(s, f"{base}/no-such-file", "--cacert", ca)
        s.check(r.rc == 0 and b"404" in r.out, "nginx: 404 without --fail: body printed, exit 0",
                r.describe())
        r = cl.run_client(s, f"{base}/random-100k.bin?x=1#frag", "-v", "--cacert", ca)
        s.check(r.rc == 0 and r.out == files["random-100k.bin"]
                and "> GET /random-100k.bin?x=1 HTTP/1.1" in r.err,
                "nginx: query sent, fragment not", r.describe())
        r = cl.run_client(s, f"{base}/hello.txt", "--alpn", "h2", "--cacert", ca)
        s.check(r.rc == 35 and "no_application_protocol" in r.err and r.out == b"",
                "nginx: --alpn h2 only: the server's no_application_protocol alert, exit 35",
                r.describe())
        cl.stop(proc)
    s.finish()


if __name__ == "__main__":
    main()
