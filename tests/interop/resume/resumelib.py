"""Shared helpers for the resumption and 0-RTT interop tests (python3 stdlib only).

Builds on ../client/clientlib.py (the Suite runner, child processes, free ports, running
lucid-client). Each test_*.py takes the lucid-client and resume_server binaries as argv[1]
and argv[2]. Certificates are the test vectors in tests/vectors/certs (localhost, ECDSA).
"""

import os
import queue
import re
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "client"))

import clientlib  # noqa: E402
from clientlib import Suite, free_port, run_client, spawn, stop, tool, wait_port  # noqa: E402,F401

CERTS = os.path.normpath(os.path.join(HERE, "..", "..", "vectors", "certs"))
CA = os.path.join(CERTS, "ca_cert.pem")
CHAIN = os.path.join(CERTS, "ecdsa_chain.pem")
CERT = os.path.join(CERTS, "ecdsa_cert.pem")
INTER = os.path.join(CERTS, "inter_cert.pem")
KEY = os.path.join(CERTS, "ecdsa_key.pem")


def server_binary():
    if len(sys.argv) < 3 or not os.access(sys.argv[2], os.X_OK):
        print(f"usage: {sys.argv[0]} PATH/TO/lucid-client PATH/TO/resume_server", file=sys.stderr)
        sys.exit(2)
    return os.path.abspath(sys.argv[2])


class Lines:
    """Reads a child's output line by line in a thread; wait_for() finds a line by regex."""

    def __init__(self, f):
        self.q = queue.Queue()
        self.seen = []
        threading.Thread(target=self._run, args=(f,), daemon=True).start()

    def _run(self, f):
        for line in iter(f.readline, b""):
            self.q.put(line.decode("utf-8", "replace").rstrip("\r\n"))
        self.q.put(None)

    def wait_for(self, pattern, timeout=15.0):
        """The first line (from the start) matching pattern, or None after timeout."""
        rx = re.compile(pattern)
        for line in self.seen:
            if rx.search(line):
                return line
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.q.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.seen.append(line)
            if rx.search(line):
                return line
        return None

    def text(self):
        while True:
            try:
                line = self.q.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.seen.append(line)
        return "\n".join(self.seen)


class ResumeServer:
    """resume_server on a free port; its lines in .lines."""

    def __init__(self, *opts, port=0):
        argv = [server_binary(), "--cert", CHAIN, "--key", KEY, "--port", str(port), *opts]
        self.p = spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines = Lines(self.p.stdout)
        line = self.lines.wait_for(r"^listening \d+")
        if line is None:
            raise RuntimeError(f"resume_server did not start: {' '.join(argv)}\n"
                               f"{self.lines.text()}")
        self.port = int(line.split()[1])

    def conn(self, n, timeout=15.0):
        """The 'conn N ...' line, as a dict of its key=value fields."""
        line = self.lines.wait_for(rf"^conn {n} ", timeout)
        return dict(re.findall(r"(\w+)=(\S+)", line or ""))

    def stop(self):
        stop(self.p)


def key_file(dir, name, nbytes=80):
    path = os.path.join(dir, name)
    with open(path, "wb") as f:
        f.write(os.urandom(nbytes))
    return path


def need(suite, *tools):
    for t in tools:
        if tool(t) is None:
            suite.skip(f"{t} is not installed (scripts/setup.sh test installs it)")
