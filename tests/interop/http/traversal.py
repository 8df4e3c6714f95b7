#!/usr/bin/env python3
"""Path traversal: no request reaches a file outside the root, over the plain and the TLS
listener, while the files inside are served all along.

  traversal.py --bin DIR

Outside the root lies a file with a random token; /etc/passwd is another target. Every
spelling is tried with raw sockets (nothing normalised on the way) and again with
curl --path-as-is: "..", "%2e%2e", "%2E%2e%2f", ".%2e", "..%2f", double-encoded
"%252e%252e" (which decodes once, to a literal name: a file named "%2e%2e" inside the root is
served by it), overlong UTF-8 ("%c0%ae", "%e0%80%ae", "%c0%af"), backslashes raw and encoded,
NUL, the absolute form, and symbolic links inside the root that point out (relative and
absolute, to a file and to a directory). Each must be refused (400, 403 or 404), never 200,
and never carry the token; a link that stays inside the root is served.
"""

import os

import httptest as ht

REFUSED = (400, 403, 404)


def attacks():
    """(request-target, the status it must get)."""
    return [
        ("/../secret.txt", 400),
        ("/../../../../../../etc/passwd", 400),
        ("/dir/../../secret.txt", 400),
        ("/./../secret.txt", 400),
        ("//../secret.txt", 400),
        ("/%2e%2e/secret.txt", 400),
        ("/%2E%2E/secret.txt", 400),
        ("/%2E%2e%2fsecret.txt", 400),
        ("/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", 400),
        ("/.%2e/secret.txt", 400),
        ("/%2e./secret.txt", 400),
        ("/dir/..%2f..%2fsecret.txt", 400),
        ("/dir%2f..%2f..%2fsecret.txt", 400),
        ("/%252e%252e/secret.txt", 404),            # decoded once: a name, not a step up
        ("/%252e%252e%252fsecret.txt", 404),
        ("/%25252e%25252e/secret.txt", 404),
        ("/%c0%ae%c0%ae/secret.txt", 400),          # overlong '.'
        ("/%c0%ae%c0%ae%c0%afsecret.txt", 400),     # overlong '.' and '/'
        ("/%e0%80%ae%e0%80%ae/secret.txt", 400),
        ("/%f0%80%80%ae%f0%80%80%ae/secret.txt", 400),
        ("/%c1%9c..%c1%9csecret.txt", 400),         # overlong '\'
        ("/..\\secret.txt", 400),
        ("/..%5csecret.txt", 400),
        ("/%5c..%5c..%5csecret.txt", 400),
        ("/hello.txt%00.html", 400),
        ("/dir/%00/../../secret.txt", 400),
        ("/%0a../secret.txt", 400),
        ("http://localhost/../secret.txt", 400),
        ("http://localhost/%2e%2e/secret.txt", 400),
        ("/leak.txt", 403),                         # ../secret.txt
        ("/leak-abs.txt", 403),                     # /tmp/.../secret.txt
        ("/passwd", 403),                           # /etc/passwd
        ("/leakdir/secret.txt", 403),               # .. as a directory
        ("/leakdir/", 404),                         # no index.html up there
        ("/leakdir-abs/secret.txt", 403),
        ("/dir/inner-leak.txt", 403),               # ../../secret.txt from a subdirectory
    ]


def allowed():
    """Targets that must be served, among the attacks: (target, file under the root)."""
    return [
        ("/hello.txt", "hello.txt"),
        ("/%68%65%6c%6c%6f.txt", "hello.txt"),      # percent-encoded letters
        ("/dir/./../hello.txt", "hello.txt"),       # dot segments that stay inside
        ("/dir%2fpage.txt", "dir/page.txt"),        # an encoded '/' is a '/'
        ("/%252e%252e/x.txt", "%2e%2e/x.txt"),      # the literal name
        ("/inside.txt", "dir/page.txt"),            # a link that stays inside
        ("/inside-abs.txt", "dir/page.txt"),        # an absolute one too
        ("http://localhost/hello.txt", "hello.txt"),
    ]


def setup(t):
    token = os.urandom(12).hex()
    secret = os.path.join(t.tmp, "secret.txt")
    with open(secret, "w") as f:
        f.write("SECRET %s\n" % token)
    w = t.webroot
    os.symlink("../secret.txt", os.path.join(w, "leak.txt"))
    os.symlink(secret, os.path.join(w, "leak-abs.txt"))
    os.symlink("/etc/passwd", os.path.join(w, "passwd"))
    os.symlink("..", os.path.join(w, "leakdir"))
    os.symlink(t.tmp, os.path.join(w, "leakdir-abs"))
    os.symlink("../../secret.txt", os.path.join(w, "dir", "inner-leak.txt"))
    os.symlink("dir/page.txt", os.path.join(w, "inside.txt"))
    os.symlink(os.path.join(w, "dir", "page.txt"), os.path.join(w, "inside-abs.txt"))
    os.makedirs(os.path.join(w, "%2e%2e"))
    t._put("%2e%2e/x.txt", b"a file named x.txt in a directory named %2e%2e\n")
    return token


def raw(t, srv, tls, token):
    tag = ht.name(tls)
    with open("/etc/passwd", "rb") as f:
        passwd = f.read()
    for target, status in attacks():
        # alternate with a normal fetch on the same connection when it stays open
        with ht.Conn(t, srv, tls) as c:
            c.send(("GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n" % target).encode())
            r = c.response()
            leaked = token.encode() in r.body or (passwd and passwd[:64] in r.body)
            t.check(r.status == status and not leaked,
                    "%s: GET %s is refused with %d" % (tag, target, status), r.describe())
            if r.get("connection") == "keep-alive":
                c.send(ht.request("/hello.txt"))
                n = c.response()
                t.check(n.status == 200 and n.body == t.file_bytes("hello.txt"),
                        "%s: ... and the next request on that connection is served" % tag,
                        n.describe())
    for target, rel in allowed():
        r = ht.exchange(t, srv, tls, ("GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                      % target).encode())
        t.check(r.status == 200 and ht.sha256(r.body) == t.file_hash(rel),
                "%s: GET %s serves %s" % (tag, target, rel), r.describe())


def with_curl(t, srv, tls, token):
    curl = t.need_tool("curl")
    tag = ht.name(tls)
    out = os.path.join(t.tmp, "curl-body")
    for target, status in attacks():
        if not target.startswith("/") or "\\" in target:
            continue  # curl sends origin-form only, and rewrites backslashes
        r = t.run([curl, "-sS", "--path-as-is", "--cacert", ht.CA, "-o", out,
                   "-w", "%{http_code}", srv.url(tls, target)])
        with open(out, "rb") as f:
            body = f.read()
        t.check(r.stdout == str(status) and token.encode() not in body,
                "%s: curl --path-as-is %s gets %d" % (tag, target, status), r.describe())


def test(t):
    token = setup(t)
    srv = ht.server(t)
    for tls in (False, True):
        raw(t, srv, tls, token)
        with_curl(t, srv, tls, token)
        t.check(srv.alive(), "%s: lucid-server is still running" % ht.name(tls))
    lines = srv.log_lines()
    t.check(not any(" 200 " in l and ("secret" in l or "passwd" in l) for l in lines),
            "the access log has no 200 for a request naming the secret or passwd")


if __name__ == "__main__":
    ht.main(test)
