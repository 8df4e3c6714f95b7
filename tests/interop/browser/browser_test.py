#!/usr/bin/env python3
"""Headless Chromium against lucid-server (issue 5's and issue 6's browser acceptance).

A fresh PKI from bin/lucid-cert; bin/lucid-server serves site/ over TLS on 127.0.0.1 with
--trace and --access-log; Chromium (Debian's package) loads https://localhost:PORT/ with
--dump-dom from a temporary profile whose NSS database ($HOME/.pki/nssdb, HOME a temporary
folder) trusts the lucid-cert root. Chromium is never told to ignore certificate errors:
the trust path is the real one, which the rejected cases prove.

Cases (--case, default all):
  ecdsa      ECDSA P-256 leaf (lucid-cert's default), root trusted: the page loads
  rsa        RSA-2048 leaf (--key rsa-2048), root trusted: the page loads
  hrr        ECDSA leaf, lucid-server --groups secp256r1: loads after a HelloRetryRequest
  untrusted  ECDSA leaf, empty NSS database: ERR_CERT_AUTHORITY_INVALID, no request served
  expired    ECDSA leaf whose validity ended minutes ago, root trusted: ERR_CERT_DATE_INVALID

A loaded page is checked three ways: the DOM (site/app.js writes its pass marker only when
style.css applied, app.js ran, every image fired onload with naturalWidth > 0 and the page is
a secure context; the sizes it reports must be the image files' own), the access log (every
file of site/ requested, each answered 200 or 304 over TLS 1.3), and the server's trace
(every connection a TLS 1.3 handshake on x25519, Chromium's X25519MLKEM768 share declined
without a retry, or on secp256r1 after one HelloRetryRequest in the hrr case; full
handshakes with the certificate's signature scheme, later ones psk_dhe_ke resumptions when
the server issues tickets). Python 3, stdlib only; exit 77 (skipped)
only when chromium or certutil is missing (scripts/setup.sh test installs both).

    tests/interop/browser/browser_test.py --bin BUILD/bin [--case ecdsa]
"""
import datetime
import html.parser
import os
import re
import signal
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import lucidtest as lt  # noqa: E402  (tests/interop/lucidtest.py: checks, servers, main)

SITE = os.path.join(HERE, "site")
# Chromium starts slowly on a small machine (about 3 s on 2 cores); a minute per run is
# plenty, and the five runs keep the whole test far below ctest's limit.
CHROMIUM_TIMEOUT = 60
ROOT_NICK = "lucid-test-root"
TLS13_SUITES = ("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256")

# What each case sets up and expects: the leaf's key, whether the NSS database trusts the
# root, the server's --groups; for a page that loads, the signature scheme, the group and the
# HelloRetryRequests per connection; for a rejected one, Chromium's net error.
CASES = {
    "ecdsa": {"key": "ecdsa-p256", "trusted": True, "scheme": r"ecdsa_secp256r1_sha256",
              "group": "x25519", "hrr": 0},
    "rsa": {"key": "rsa-2048", "trusted": True, "scheme": r"rsa_pss_rsae_sha(256|384|512)",
            "group": "x25519", "hrr": 0},
    # Chromium sends key shares for X25519MLKEM768 and x25519 only: a server that takes
    # secp256r1 alone must ask for it with a HelloRetryRequest (RFC 8446 4.1.4).
    "hrr": {"key": "ecdsa-p256", "trusted": True, "scheme": r"ecdsa_secp256r1_sha256",
            "groups": "secp256r1", "group": "secp256r1", "hrr": 1},
    "untrusted": {"key": "ecdsa-p256", "trusted": False, "error": "ERR_CERT_AUTHORITY_INVALID"},
    "expired": {"key": "ecdsa-p256", "trusted": True, "expired": True,
                "error": "ERR_CERT_DATE_INVALID"},
}


# ---- the site's files and their sizes ------------------------------------------------------

def site_paths():
    """URL path -> file, for every file of site/ ("/" for index.html)."""
    out = {}
    for dirpath, _, names in os.walk(SITE):
        for n in names:
            full = os.path.join(dirpath, n)
            rel = os.path.relpath(full, SITE).replace(os.sep, "/")
            out["/" if rel == "index.html" else "/" + rel] = full
    return out


def image_size(path):
    """(width, height) read from the file itself: PNG IHDR, the ICO directory's first entry,
    or the SVG root's width and height attributes. None for other files."""
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".png"):
        return struct.unpack(">II", data[16:24])  # RFC 2083 / PNG: IHDR after the signature
    if path.endswith(".ico"):
        w, h = data[6], data[7]                   # ICONDIRENTRY: 0 means 256
        return (w or 256, h or 256)
    if path.endswith(".svg"):
        m = re.search(rb'<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"', data)
        return (int(m.group(1)), int(m.group(2))) if m else None
    return None


class ResultParser(html.parser.HTMLParser):
    """Finds <p id="lucid-result">: its data-result attribute and its text."""

    def __init__(self):
        super().__init__()
        self.attrs = None
        self.text = ""
        self._inside = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id") == "lucid-result":
            self.attrs = a
            self._inside = True

    def handle_endtag(self, tag):
        if tag == "p":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.text += data


# ---- logs ----------------------------------------------------------------------------------

# "GET /path HTTP/1.1" 200: the request line in quotes, then the status. Whatever else the
# line holds (time, client, protocol, bytes) is looked at separately, so fields added later
# do not break the parse.
ACCESS = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/1\.[01]" (?P<status>\d{3})'
                    r'(?: (?P<bytes>\d+))?')
# TLS 1.3 as a token of its own ("TLSv1.3/TLS_AES_128_GCM_SHA256", "TLS1.3", "TLS 1.3"),
# outside the quoted request line. A plain request logs "plain" and cannot match.
TLS13 = re.compile(r"(?<![\w.])TLS ?v?1\.3(?![\d.])", re.I)
PEER = re.compile(r"\b(127\.0\.0\.1:\d+)\b")  # the client's address and port, when logged


def parse_access_log(path):
    rows = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [line.rstrip("\n") for line in f if line.strip()]
    except FileNotFoundError:
        return rows
    for line in lines:
        m = ACCESS.search(line)
        outside = line[:m.start()] + line[m.end():] if m else line
        peer = PEER.search(outside)
        rows.append({"line": line, "match": m, "tls13": TLS13.search(outside) is not None,
                     "peer": peer.group(1) if peer else None})
    return rows


def parse_trace(text):
    """The server's --trace, per connection: peer -> list of the lines' text after
    "PEER: server: "."""
    conns = {}
    for line in text.splitlines():
        m = re.match(r"^(\S+): server: (.*)$", line)
        if m:
            conns.setdefault(m.group(1), []).append(m.group(2))
    return conns


def field(lines, name):
    """Values of a traced field ("    supported_groups   GREASE, x25519") in order."""
    return [l.split(None, 1)[1].strip() for l in lines
            if l.startswith(" ") and l.split(None, 1)[0] == name and len(l.split(None, 1)) > 1]


# ---- PKI, NSS database, Chromium -----------------------------------------------------------

def make_pki(t, case):
    d = os.path.join(t.tmp, "pki")
    if not os.path.exists(os.path.join(d, "root_cert.pem")):
        r = t.run([os.path.join(t.bin, "lucid-cert"), "init", "--dir", d])
        t.require(r.rc == 0, "lucid-cert init made a PKI", r.describe())
    args = ["--key", CASES[case]["key"]]
    if CASES[case].get("expired"):
        # Valid from 50 minutes ago until 5 minutes ago: inside the intermediate CA's own
        # validity (lucid-cert init starts it an hour back), so expiry is the leaf's only
        # defect and Chromium's reason must be the date.
        now = datetime.datetime.now(datetime.timezone.utc)
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        args += ["--not-before", (now - datetime.timedelta(minutes=50)).strftime(fmt),
                 "--not-after", (now - datetime.timedelta(minutes=5)).strftime(fmt)]
    prefix = os.path.join(d, case)
    r = t.run([os.path.join(t.bin, "lucid-cert"), "issue", "localhost", "127.0.0.1",
               "--dir", d, "--out", prefix] + args)
    t.require(r.rc == 0, "lucid-cert issue localhost 127.0.0.1 %s" % " ".join(args),
              r.describe())
    return os.path.join(d, "root_cert.pem"), lt.Cert(case, prefix + "_chain.pem",
                                                     prefix + "_key.pem", prefix + "_cert.pem")


def make_home(t, case, root, trusted):
    """A HOME whose NSS database (Chromium's on Linux: $HOME/.pki/nssdb) trusts root for
    TLS servers ("C,,"), or is empty when not trusted."""
    home = os.path.join(t.tmp, "home-" + case)
    db = os.path.join(home, ".pki", "nssdb")
    os.makedirs(db)
    r = t.run(["certutil", "-N", "-d", "sql:" + db, "--empty-password"])
    t.require(r.rc == 0, "certutil -N made an empty NSS database", r.describe())
    if trusted:
        r = t.run(["certutil", "-A", "-d", "sql:" + db, "-t", "C,,", "-n", ROOT_NICK,
                   "-i", root])
        t.require(r.rc == 0, "certutil -A added the lucid-cert root", r.describe())
    r = t.run(["certutil", "-L", "-d", "sql:" + db])
    listed = re.search(r"^%s\s+C,," % re.escape(ROOT_NICK), r.stdout, re.M) is not None
    t.require(r.rc == 0 and listed == trusted,
              "NSS database %s the root as a trusted CA" % ("holds" if trusted else "lacks"),
              r.describe())
    return home


def chromium(t, exe, home, case, url):
    """chromium --headless=new --dump-dom url, in its own process group (killed whole on
    timeout, so no renderer outlives the test). Returns (rc, stdout, stderr, seconds)."""
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_CACHE_HOME=os.path.join(home, ".cache"))
    cmd = [exe, "--headless=new",
           # Chromium refuses to start as root with its sandbox on, and the test runs as root
           # in CI (containers also lack the user namespaces its sandbox needs). The page is
           # our own test site, so running the renderer unsandboxed risks nothing.
           "--no-sandbox",
           "--user-data-dir=" + os.path.join(t.tmp, "profile-" + case),
           # No first-run UI and no calls to Google's services (there is no network here):
           # they only slow the start.
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--dump-dom", url]
    t.log("run: HOME=%s %s" % (home, " ".join(cmd)))
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                         cwd=t.tmp, start_new_session=True)
    try:
        out, err = p.communicate(timeout=CHROMIUM_TIMEOUT)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        rc = None
    try:
        os.killpg(p.pid, signal.SIGKILL)  # helpers left behind, if any
    except ProcessLookupError:
        pass
    secs = time.time() - t0
    err = err.decode("utf-8", "replace")
    # D-Bus complaints (no session bus in a container) and the Debian wrapper's /dev/shm test
    # are noise, not findings.
    err = "\n".join(l for l in err.splitlines() if "dbus" not in l and "unexpected operator"
                    not in l)
    return rc, out.decode("utf-8", "replace"), err, secs


# ---- the checks ----------------------------------------------------------------------------

def check_loaded(t, case, rc, dom, err, access_log, trace):
    t.check(rc == 0, "[%s] chromium exited 0" % case, "rc=%s\n%s" % (rc, err[-3000:]))
    # 1. The DOM: the marker app.js writes, and the image sizes it read.
    p = ResultParser()
    p.feed(dom)
    passed = p.attrs is not None and p.attrs.get("data-result") == "pass" and \
        p.text.startswith("LUCID-BROWSER-PASS ")
    t.check(passed, "[%s] the page's script wrote its pass marker (stylesheet applied, script "
            "ran, every image loaded, secure context)" % case,
            "#lucid-result: %r %r\nchromium stderr:\n%s\nDOM:\n%s"
            % (p.attrs, p.text, err[-2000:], dom[-2000:]))
    reported = dict(item.split("=", 1) for item in p.text.split()[1:] if "=" in item) \
        if passed else {}
    images = {u: f for u, f in site_paths().items() if image_size(f) is not None}
    for url, path in sorted(images.items()):
        want = "%dx%d" % image_size(path)
        t.check(reported.get(url) == want, "[%s] %s decoded by Chromium at its own size %s"
                % (case, url, want), "the page reported %r" % reported.get(url))

    # 2. The access log: every file requested, each answered 200/304, each over TLS 1.3.
    rows = parse_access_log(access_log)
    t.log("[%s] access log:\n  %s" % (case, "\n  ".join(r["line"] for r in rows)))
    bad = [r["line"] for r in rows if not r["match"]]
    t.check(not bad, "[%s] every access log line holds a request line and a status" % case,
            "\n".join(bad))
    seen = {}
    for r in rows:
        if r["match"]:
            seen.setdefault(r["match"].group("path"), []).append(r)
    for url, path in sorted(site_paths().items()):
        got = seen.get(url, [])
        t.check(got, "[%s] %s was requested" % (case, url),
                "requested: %s" % ", ".join(sorted(seen)))
        for r in got:
            m = r["match"]
            status = int(m.group("status"))
            t.check(status in (200, 304), "[%s] %s %s answered %d" % (case, m.group("method"),
                    url, status), r["line"])
            if status == 200 and m.group("bytes") is not None and m.group("method") == "GET":
                size = os.path.getsize(path)
                t.check(int(m.group("bytes")) == size, "[%s] %s: %s body bytes logged, the "
                        "file's size" % (case, url, size), r["line"])
    t.check(rows and all(r["tls13"] for r in rows),
            "[%s] all %d access log lines show TLS 1.3" % (case, len(rows)),
            "\n".join(r["line"] for r in rows if not r["tls13"]) or "no lines")

    # 3. The trace: every handshake it shows completed is TLS 1.3 on the case's group, with the
    # expected number of HelloRetryRequests (Chromium's X25519MLKEM768 is not Lucid's: the
    # server must take the x25519 share, or ask for a group it takes with a retry).
    conns = parse_trace(trace)
    completed = sorted(p for p, lines in conns.items()
                       if any(l.startswith("handshake complete:") for l in lines))
    t.check(completed, "[%s] the trace shows completed handshakes (%d)" % (case, len(completed)),
            trace[-3000:])
    # Every connection the access log names (when it logs the client's port) is one of them.
    for peer in sorted({r["peer"] for r in rows if r["peer"]}):
        t.check(peer in completed, "[%s] %s, in the access log, completed a traced handshake"
                % (case, peer), "\n".join(conns.get(peer, [])[-40:]) or "no trace lines")
    summary = {}
    full = 0
    for peer in completed:
        lines = conns[peer]
        done = [l for l in lines if l.startswith("handshake complete:")]
        suite, group, scheme = [s.strip() for s in done[0].split(":", 1)[1].split(",")][:3]
        t.check(field(lines, "selected_version")[-1:] == ["TLS 1.3"],
                "[%s] %s: ServerHello selected TLS 1.3" % (case, peer),
                "\n".join(lines[:60]))
        want = CASES[case]
        # Chromium resumes its later connections with the first one's ticket when the server
        # issues tickets: no certificate is sent then, and RFC 8446 4.2.9 lets only psk_dhe_ke
        # keep forward secrecy (Chromium offers nothing else), so the group still applies.
        resumed = scheme == "resumed (psk_dhe_ke)"
        full += 0 if resumed else 1
        t.check(suite in TLS13_SUITES and group == want["group"] and
                (resumed or re.fullmatch(want["scheme"], scheme) is not None),
                "[%s] %s: %s, %s, %s (want a TLS 1.3 suite, %s, %s or a psk_dhe_ke resumption)"
                % (case, peer, suite, group, scheme, want["group"], want["scheme"]), done[0])
        # The first ClientHello's fields: the lines before the server's first message.
        first = next((i for i, l in enumerate(lines) if l.startswith(">> ")), len(lines))
        groups = field(lines[:first], "supported_groups")
        shares = [k.split(",")[0] for k in field(lines[:first], "key_share")]
        hrr = sum(1 for l in lines if re.match(r"^>> hello_retry_request\b", l))
        t.check(hrr == want["hrr"], "[%s] %s: %d HelloRetryRequest(s) sent" % (case, peer, hrr),
                "\n".join(l for l in lines if not l.startswith(" ")))
        offered = "%s; key shares %s" % (groups[0] if groups else "?", ", ".join(shares))
        summary.setdefault((suite, group, scheme, hrr, offered), []).append(peer)
    t.check(full > 0, "[%s] %d full handshake(s): Chromium checked the certificate at least "
            "once" % (case, full))
    # What Chromium offered and what it got, for the report (recent Chromium sends an
    # X25519MLKEM768 share first; Lucid must fall back to x25519, which the checks above hold).
    for (suite, group, scheme, hrr, offered), ps in sorted(summary.items()):
        t.log("[%s] %d connection(s): Chromium offered groups %s; negotiated %s, %s, %s with "
              "%d HelloRetryRequest(s)" % (case, len(ps), offered, suite, group, scheme, hrr))


def check_rejected(t, case, rc, dom, err, access_log, trace, srv):
    want = CASES[case]["error"]
    t.check("LUCID-BROWSER-PASS" not in dom, "[%s] no pass marker in the dumped DOM" % case,
            dom[-2000:])
    t.check(re.search(r"\bnet::%s\b" % want, err) is not None,
            "[%s] Chromium refused the page with %s" % (case, want), err[-3000:])
    rows = parse_access_log(access_log)
    t.check(not rows, "[%s] no HTTP request reached lucid-server" % case,
            "\n".join(r["line"] for r in rows))
    # Chromium did connect, got the certificate and ended the handshake with an alert: the
    # refusal came from checking the certificate, not from a refused connection.
    conns = parse_trace(trace)
    refused = []
    for peer, lines in conns.items():
        sent_cert = any(re.match(r"^>> certificate \(", l) for l in lines)
        alert = [l for l in lines if re.search(r"received alert (\w+)", l)]
        if sent_cert and alert:
            refused.append("%s: %s" % (peer, re.search(r"received alert (\w+)",
                                                     alert[0]).group(1)))
    t.check(refused, "[%s] the server sent its certificate and Chromium answered with an alert "
            "(%s)" % (case, "; ".join(refused) or "none"), trace[-3000:])
    t.check(srv.alive(), "[%s] lucid-server is still running" % case, srv.output()[-3000:])


def run_case(t, exe, case):
    t.log("\n== %s ==" % case)
    root, cert = make_pki(t, case)
    home = make_home(t, case, root, CASES[case]["trusted"])
    access_log = os.path.join(t.tmp, "access-%s.log" % case)
    args = ["--access-log", access_log, "--trace"]
    if "groups" in CASES[case]:
        args += ["--groups", CASES[case]["groups"]]
    srv = lt.Server(t, [cert], SITE, args, name=case)
    t.servers.append(srv)  # stopped by lt.main, which fails the test if it did not stop cleanly
    srv.start()
    rc, dom, err, secs = chromium(t, exe, home, case, "https://localhost:%d/" % srv.port)
    t.log("[%s] chromium took %.1fs (rc=%s)" % (case, secs, rc))
    t.require(rc is not None, "[%s] chromium finished within %ds" % (case, CHROMIUM_TIMEOUT),
              err[-3000:])
    if "error" in CASES[case]:
        # The server logs the alert once it reads it, which may be a moment after Chromium
        # has gone.
        deadline = time.time() + 5
        while "received alert" not in srv.stderr() and time.time() < deadline:
            time.sleep(0.05)
        check_rejected(t, case, rc, dom, err, access_log, srv.stderr(), srv)
    else:
        time.sleep(0.2)  # the trace's last lines after Chromium closes its connections
        check_loaded(t, case, rc, dom, err, access_log, srv.stderr())


def test(t):
    exe = t.need_tool("chromium")
    t.need_tool("certutil")
    for tool in ("lucid-cert", "lucid-server"):
        t.require(os.path.exists(os.path.join(t.bin, tool)), "%s is built" % tool, t.bin)
    v = t.run([exe, "--version"])
    t.log("browser: %s" % (v.stdout.strip() or v.stderr.strip()))
    cases = list(CASES) if t.args.case == "all" else [t.args.case]
    for case in cases:
        run_case(t, exe, case)


if __name__ == "__main__":
    lt.main(test, lambda ap: ap.add_argument("--case", default="all",
                                             choices=["all"] + list(CASES)))
