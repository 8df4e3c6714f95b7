"""Shared by trace_test.py and keylog_test.py: run bin/lucid-server on 127.0.0.1 (port 0),
fetch from it, stop it. Python 3 stdlib only."""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CERTS = os.path.join(HERE, "..", "..", "vectors", "certs")
CHAIN = os.path.join(CERTS, "ecdsa_chain.pem")
KEY = os.path.join(CERTS, "ecdsa_key.pem")
CA = os.path.join(CERTS, "ca_cert.pem")
BODY = b"<html>trace test: hello over TLS 1.3</html>\n"

failures = []


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True, help="the build's bin/ directory")
    a = p.parse_args()
    a.bin = os.path.abspath(a.bin)
    return a


def check(cond, what, detail=""):
    print(("ok    " if cond else "FAIL  ") + what, flush=True)
    if not cond:
        failures.append(what)
        if detail:
            print("      " + detail.replace("\n", "\n      "), flush=True)
    return cond


def finish():
    if failures:
        print("\n%d check(s) failed:" % len(failures))
        for f in failures:
            print("  - " + f)
        sys.exit(1)
    print("\nall checks passed")
    sys.exit(0)


def skip(why):
    print("SKIPPED: " + why, flush=True)
    sys.exit(77)


def webroot():
    d = tempfile.mkdtemp(prefix="lucid-trace-")
    with open(os.path.join(d, "index.html"), "wb") as f:
        f.write(BODY)
    return d


class Server:
    """bin/lucid-server on 127.0.0.1:0; stderr (the trace) goes to a file."""

    def __init__(self, binp, root, args=(), env=None):
        self.errf = tempfile.NamedTemporaryFile(prefix="lucid-server-", suffix=".err",
                                                delete=False)
        cmd = [os.path.join(binp, "lucid-server"), "--listen", "127.0.0.1:0", "--cert", CHAIN,
               "--key", KEY, "--root", root, "--quiet"] + list(args)
        self.cmd = cmd
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.errf, env=env)
        line = self.p.stdout.readline().decode(errors="replace")
        m = re.search(r"https://127\.0\.0\.1:(\d+)/", line)
        if m is None:
            self.stop()
            raise SystemExit("lucid-server did not start: %r\n%s" % (line, self.stderr()))
        self.port = int(m.group(1))

    def stderr(self):
        with open(self.errf.name, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        time.sleep(0.05)
        return self.stderr()


def run(cmd, timeout=30, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout, **kw)


def lucid_client(binp, port, args=(), env=None):
    cmd = [os.path.join(binp, "lucid-client"), "--cacert", CA] + list(args) + \
          ["https://localhost:%d/" % port]
    return run(cmd, env=env)
