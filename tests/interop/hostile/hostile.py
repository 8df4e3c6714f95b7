"""The hostile-network suite's shared parts (issue 8): a TLS 1.3 client that completes a
real handshake with lucid-server and then misbehaves at the record level, a normal client
that keeps fetching while it does, and the server's file descriptors and memory read from
/proc.

The client is built on tests/interop/client/tls13.py (framing, key schedule, record
protection; python3-cryptography for X25519 and the AEADs) and lucidtest.py (the server,
the test PKI, checks). Every step is explicit so that a test can do it wrong:

    c = Client(t, srv).connect()
    c.send(record(CT_HANDSHAKE, c.client_hello()))   # or split, fragmented, garbled
    c.read_server_flight()                           # ServerHello .. server Finished
    c.send(c.seal(CT_HANDSHAKE, c.finished()))       # under client_handshake_traffic_secret
    c.to_application_keys()
    c.send(c.seal(CT_APPDATA, b"GET / ..."))
    out = c.outcome()                                # what the server said, then whether it closed
    t.check(out.alert == UNEXPECTED_MESSAGE, ...)

The server's records are opened as they come (its handshake keys, then its application
keys, following its KeyUpdates), so an alert is read whichever key protects it.
"""

import os
import re
import resource
import socket
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))                    # lucidtest.py
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "client"))  # tls13.py

import lucidtest as lt  # noqa: E402

try:
    import tls13  # noqa: E402
    from cryptography.hazmat.primitives.asymmetric.x25519 import (  # noqa: E402
        X25519PrivateKey, X25519PublicKey)
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat  # noqa: E402
    HAVE_CRYPTOGRAPHY = True
except ImportError:  # reported by need_cryptography(): the test exits 77, loudly
    HAVE_CRYPTOGRAPHY = False

CT_CCS, CT_ALERT, CT_HANDSHAKE, CT_APPDATA = 20, 21, 22, 23

# handshake types (RFC 8446 4), including the TLS 1.2 ones a renegotiating peer would send
HT = {"hello_request": 0, "client_hello": 1, "server_hello": 2, "new_session_ticket": 4,
      "end_of_early_data": 5, "encrypted_extensions": 8, "certificate": 11,
      "server_key_exchange": 12, "certificate_request": 13, "server_hello_done": 14,
      "certificate_verify": 15, "client_key_exchange": 16, "finished": 20,
      "key_update": 24, "message_hash": 254}

# alerts (RFC 8446 6)
CLOSE_NOTIFY, UNEXPECTED_MESSAGE, BAD_RECORD_MAC, RECORD_OVERFLOW = 0, 10, 20, 22
DECODE_ERROR, DECRYPT_ERROR, PROTOCOL_VERSION, ILLEGAL_PARAMETER = 50, 51, 70, 47
USER_CANCELED = 90
ALERT_NAMES = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
               22: "record_overflow", 40: "handshake_failure", 47: "illegal_parameter",
               50: "decode_error", 51: "decrypt_error", 70: "protocol_version",
               80: "internal_error", 90: "user_canceled", 109: "missing_extension",
               120: "no_application_protocol"}

REQUEST = b"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
KEEPALIVE_REQUEST = b"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"

# lucid-server's TLS handshake timeout when none can be set (src/server/server.c), and the
# one the configuration file sets when the binary takes one (-c FILE).
DEFAULT_HANDSHAKE_TIMEOUT = 10.0
CONFIG_HANDSHAKE_TIMEOUT = 2.0


def alert_name(desc):
    return "%d (%s)" % (desc, ALERT_NAMES.get(desc, "?")) if desc is not None else "none"


def u16(n):
    return struct.pack(">H", n)


def u24(n):
    return struct.pack(">I", n)[1:]


def record(ctype, body, version=0x0303):
    return bytes([ctype]) + u16(version) + u16(len(body)) + body


def handshake_msg(htype, body):
    return bytes([htype]) + u24(len(body)) + body


def need_cryptography(t):
    if not HAVE_CRYPTOGRAPHY:
        t.skip("python3-cryptography is not installed for %s (scripts/setup.sh test installs "
               "Debian's python3-cryptography; run the test with /usr/bin/python3)"
               % sys.executable)


# ---- the server: quick-start flags, or a configuration file when the binary takes one -----

def server_takes_config(t):
    """True when lucid-server reads an nginx-style file (-c FILE): then the handshake timeout
    and the connection cap are set there; otherwise they are the built-in defaults and the
    descriptor limit (src/server/server.c: default_max_conns)."""
    r = subprocess.run([t.lucid_server, "--help"], capture_output=True, text=True, timeout=10)
    return re.search(r"^\s*-c[ ,]", r.stdout + r.stderr, re.M) is not None


def sanitized(t):
    """True when lucid-server is the AddressSanitizer build (scripts/test.sh builds both)."""
    with open(t.lucid_server, "rb") as f:
        return b"__asan_init" in f.read()


# Under ASan, freed memory waits in a quarantine (256 MiB by default) before it is reused,
# so resident memory grows with every allocation and says nothing about leaks: the server
# runs without it. LeakSanitizer still reports leaks when the server exits (lucidtest.py
# fails the test on any sanitizer report).
ASAN_NO_QUARANTINE = "quarantine_size_mb=0:thread_local_quarantine_size_kb=0"


class HostileServer(lt.Server):
    """lt.Server with the knobs the resource tests need: a connection cap and the handshake
    timeout (in a configuration file when lucid-server takes one) and the descriptor limit
    it starts with."""

    def __init__(self, t, certs, root, name="server", max_conns=None, nofile=None,
                 handshake_timeout=CONFIG_HANDSHAKE_TIMEOUT):
        super().__init__(t, certs, root, (), name)
        self.use_config = server_takes_config(t)
        self.max_conns = max_conns
        self.nofile = nofile
        # settable only in a configuration file; the built-in default otherwise
        self.handshake_timeout = (handshake_timeout if self.use_config
                                  else DEFAULT_HANDSHAKE_TIMEOUT)

    def command(self, port):
        if not self.use_config:
            return super().command(port)
        conf = os.path.join(self.t.tmp, "%s.conf" % self.name)
        cert = self.certs[0]
        with open(conf, "w") as f:
            f.write("worker_processes 1;\n"
                    "events { worker_connections %d; }\n"
                    "http {\n"
                    "    access_log off;\n"
                    "    ssl_handshake_timeout %ds;\n"
                    "    server {\n"
                    "        listen 127.0.0.1:%d ssl;\n"
                    "        ssl_certificate %s;\n"
                    "        ssl_certificate_key %s;\n"
                    "        location / { root %s; }\n"
                    "    }\n"
                    "}\n" % (self.max_conns or 1024, int(self.handshake_timeout), port,
                             cert.chain, cert.key, self.root))
        return [self.t.lucid_server, "-c", conf]

    def start(self, timeout=20):
        if sanitized(self.t):
            old_env = os.environ.get("ASAN_OPTIONS")
            os.environ["ASAN_OPTIONS"] = ((old_env + ":") if old_env else "") + ASAN_NO_QUARANTINE
            try:
                return self._start(timeout)
            finally:
                if old_env is None:
                    del os.environ["ASAN_OPTIONS"]
                else:
                    os.environ["ASAN_OPTIONS"] = old_env
        return self._start(timeout)

    def _start(self, timeout):
        if self.nofile is not None:
            # the server computes its connection cap from this limit (server.c) and must be
            # able to hold what the test opens
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            want = min(self.nofile, hard) if hard != resource.RLIM_INFINITY else self.nofile
            old = (soft, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
            try:
                return super().start(timeout)
            finally:
                resource.setrlimit(resource.RLIMIT_NOFILE, old)
        return super().start(timeout)

    def cap(self):
        """The number of connections the server holds at once, as configured or derived."""
        if self.use_config:
            return self.max_conns or 1024
        n = self.nofile if self.nofile is not None else resource.getrlimit(
            resource.RLIMIT_NOFILE)[0]
        # src/server/server.c default_max_conns: (RLIMIT_NOFILE - 64 - listeners) / 2
        return (n - 64 - 1) // 2 if n > 65 else 16


def server(t, name="server", certs=None, **kw):
    """Starts a HostileServer with the ECDSA certificate (the cheapest handshake)."""
    if not os.path.exists(t.lucid_server):
        raise lt.Failure("lucid-server is not built: %s does not exist" % t.lucid_server)
    s = HostileServer(t, certs or [t.pki.certs["ecdsa"]], t.webroot, name=name, **kw)
    t.servers.append(s)
    s.start()
    return s


# ---- the server process seen from /proc ------------------------------------------------------

def process_tree(pid):
    """pid and its descendants (a master and its workers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, task)) as f:
                    todo += [int(x) for x in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def fd_count(srv):
    """Open descriptors of the server and its workers."""
    n = 0
    for p in process_tree(srv.proc.pid):
        try:
            fds = os.listdir("/proc/%d/fd" % p)
        except FileNotFoundError:
            continue
        for fd in fds:
            try:
                target = os.readlink("/proc/%d/fd/%s" % (p, fd))
            except OSError:
                continue
            # served files the worker keeps open in its file cache (bounded, on purpose)
            if "/www/" in target and target.startswith("/tmp/lucid-interop-"):
                continue
            n += 1
    return n


def rss_kib(srv):
    """Resident memory of the server and its workers, KiB."""
    total = 0
    for p in process_tree(srv.proc.pid):
        try:
            with open("/proc/%d/status" % p) as f:
                m = re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M)
                total += int(m.group(1)) if m else 0
        except FileNotFoundError:
            pass
    return total


def wait_fds(srv, want, timeout=8.0):
    """Waits until the server holds at most want descriptors (closing connections linger a
    moment); returns the last count."""
    deadline = time.time() + timeout
    n = fd_count(srv)
    while n > want and time.time() < deadline:
        time.sleep(0.05)
        n = fd_count(srv)
    return n


class FdGuard:
    """Counts the server's descriptors before a test and checks they come back after."""

    def __init__(self, t, srv):
        self.t, self.srv = t, srv
        t.fetch_ok(srv, "before: a normal fetch")
        self.before = self._settled()

    def _settled(self):
        # the warm-up fetch's connection may still be closing: wait for the count to stop
        # falling
        last, stable_since = fd_count(self.srv), time.time()
        deadline = time.time() + 5
        while time.time() < deadline and time.time() - stable_since < 0.5:
            time.sleep(0.05)
            n = fd_count(self.srv)
            if n != last:
                last, stable_since = n, time.time()
        return last

    def check(self, what="after the test"):
        n = wait_fds(self.srv, self.before)
        return self.t.check(n == self.before, "%s: lucid-server holds %d descriptors, as before "
                            "(%d): none leaked" % (what, n, self.before),
                            "ls -l /proc/%d/fd:\n%s" % (self.srv.proc.pid, fd_listing(self.srv)))


def fd_listing(srv):
    lines = []
    for p in process_tree(srv.proc.pid):
        try:
            for fd in sorted(os.listdir("/proc/%d/fd" % p), key=int):
                try:
                    lines.append("%d: %s -> %s" % (p, fd, os.readlink("/proc/%d/fd/%s" % (p, fd))))
                except OSError:
                    pass
        except FileNotFoundError:
            pass
    return "\n".join(lines)


# ---- a normal client, fetching while the attack goes on ----------------------------------------

class NormalClient(threading.Thread):
    """Fetches /hello.txt with Python's ssl every interval seconds until stopped, timing each
    fetch. check() asserts every fetch succeeded, each within max_s."""

    def __init__(self, t, srv, interval=0.1, max_s=1.0):
        super().__init__(daemon=True)
        self.t, self.srv, self.interval, self.max_s = t, srv, interval, max_s
        self.times, self.errors = [], []
        self.stopping = threading.Event()
        self.want = t.file_bytes("hello.txt")

    def run(self):
        while not self.stopping.is_set():
            t0 = time.time()
            try:
                status, _, body, _ = self.t.get(self.srv, "/hello.txt", timeout=5)
                if lt.http_status(status) != 200 or body != self.want:
                    self.errors.append("status %r, %d bytes" % (status, len(body)))
            except Exception as e:  # noqa: BLE001 - every failure is the finding
                self.errors.append("%s: %s" % (type(e).__name__, e))
            self.times.append(time.time() - t0)
            self.stopping.wait(self.interval)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.join(15)

    def check(self, what):
        worst = max(self.times) if self.times else 0.0
        self.t.check(len(self.times) > 0 and not self.errors,
                     "%s: a normal client fetched /hello.txt %d times meanwhile, every time intact"
                     % (what, len(self.times)), "; ".join(self.errors[:5]))
        return self.t.check(len(self.times) > 0 and worst <= self.max_s,
                            "%s: each of those fetches took at most %.2fs (slowest %.3fs)"
                            % (what, self.max_s, worst))


# ---- the hostile client ------------------------------------------------------------------------

def x25519_pub(key):
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


class Outcome:
    """What the server did after the attack: the alerts it sent (level, description), the
    application data it sent, whether it closed, and the error if its records could not be
    read."""

    def __init__(self):
        self.alerts = []
        self.app_data = b""
        self.closed = False
        self.error = None
        self.records = 0

    @property
    def alert(self):
        """The description of the last fatal alert (or of close_notify), None if none."""
        return self.alerts[-1][1] if self.alerts else None

    def describe(self):
        return ("alerts %s, closed=%s, %d records, %d bytes of application data%s"
                % ([alert_name(d) for _, d in self.alerts], self.closed, self.records,
                   len(self.app_data), ", error: %s" % self.error if self.error else ""))


class Client:
    """A scriptable TLS 1.3 client over one TCP connection (see the module's docstring)."""

    def __init__(self, t, srv, suite=0x1301, host="localhost", alpn=None, timeout=10):
        self.t, self.srv, self.suite, self.host, self.alpn = t, srv, suite, host, alpn
        self.timeout = timeout
        self.sock = None
        self.transcript = b""
        self.reader = tls13.RecordReader()
        self.msgs = tls13.MessageReader()
        self.read_prot = None     # the server's current write key, as we open its records
        self.write_prot = None    # ours
        self.sched = None
        self.c_ap = self.s_ap = None
        self.server_msgs = []     # handshake types the server sent
        self.server_done = False  # its Finished is in
        self.outcome_so_far = Outcome()

    # -- transport
    def connect(self):
        self.sock = socket.create_connection(("127.0.0.1", self.srv.port), timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self

    def send(self, data, pause=0.0):
        """Sends data; False if the server had already closed (reset or broken pipe)."""
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            return False
        if pause:
            time.sleep(pause)
        return True

    def send_split(self, data, cuts, pause=0.002):
        """Sends data in one write per piece, cut at the offsets in cuts, pausing between the
        writes so that the server reads them apart."""
        last = 0
        for k in list(cuts) + [len(data)]:
            if k > last:
                if not self.send(data[last:k], pause if k < len(data) else 0):
                    return False
                last = k
        return True

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def reset(self):
        """Closes with a TCP reset (SO_LINGER 0) rather than a FIN."""
        if self.sock is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close()

    # -- our messages
    def client_hello(self, session_id=None):
        """A ClientHello offering TLS 1.3, one suite and an x25519 share; added to the
        transcript."""
        self.key = X25519PrivateKey.generate()
        sid = os.urandom(32) if session_id is None else session_id
        sigalgs = [0x0403, 0x0503, 0x0804, 0x0805, 0x0806, 0x0807]
        exts = b""
        name = self.host.encode()
        sni = b"\x00" + u16(len(name)) + name
        exts += u16(0) + u16(len(sni) + 2) + u16(len(sni)) + sni
        exts += u16(10) + u16(4) + u16(2) + u16(tls13.X25519)
        algs = b"".join(u16(a) for a in sigalgs)
        exts += u16(13) + u16(len(algs) + 2) + u16(len(algs)) + algs
        exts += u16(43) + u16(3) + b"\x02\x03\x04"
        share = u16(tls13.X25519) + u16(32) + x25519_pub(self.key)
        exts += u16(51) + u16(len(share) + 2) + u16(len(share)) + share
        if self.alpn:
            names = b"".join(bytes([len(a)]) + a for a in self.alpn)
            exts += u16(16) + u16(len(names) + 2) + u16(len(names)) + names
        body = (b"\x03\x03" + os.urandom(32) + bytes([len(sid)]) + sid
                + u16(2) + u16(self.suite) + b"\x01\x00" + u16(len(exts)) + exts)
        msg = handshake_msg(HT["client_hello"], body)
        self.transcript += msg
        return msg

    def hello_record(self):
        return record(CT_HANDSHAKE, self.client_hello(), version=0x0301)

    def finished(self):
        """Our Finished (RFC 8446 4.4.4), added to the transcript."""
        msg = self.sched.finished(self.sched.c_hs, self.transcript)
        self.transcript += msg
        return msg

    def seal(self, ctype, content, pad=0):
        """A protected record under our current write key (handshake keys until
        to_application_keys)."""
        return self.seal_inner(content + bytes([ctype]) + bytes(pad))

    def seal_inner(self, inner, outer_len=None):
        """A protected record whose TLSInnerPlaintext is exactly inner (content, type and
        padding as given: an all-zero or a bad type is possible). outer_len overrides the
        header's length field."""
        p = self.write_prot
        n = len(inner) + 16 if outer_len is None else outer_len
        header = bytes([CT_APPDATA, 3, 3]) + u16(n)
        out = header + p.aead.encrypt(p._nonce(), inner, header)
        p.seq += 1
        return out

    def to_application_keys(self):
        self.write_prot = tls13.Protector(self.suite, self.c_ap)

    def key_update(self, request):
        """A KeyUpdate record under the current key; our key moves on after it (4.6.3)."""
        rec = self.seal(CT_HANDSHAKE, handshake_msg(HT["key_update"], bytes([1 if request
                                                                             else 0])))
        self.c_ap = next_secret(self.sched.h, self.c_ap)
        self.write_prot = tls13.Protector(self.suite, self.c_ap)
        return rec

    # -- the server's records
    def _recv(self, timeout):
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(65536)
        except socket.timeout:
            return None
        except (ConnectionResetError, BrokenPipeError):
            return b""

    def _on_record(self, ctype, header, body, out):
        out.records += 1
        if ctype == CT_CCS:
            return
        if ctype == CT_HANDSHAKE and self.read_prot is None:
            self._on_handshake(body)
            return
        if ctype == CT_ALERT and len(body) == 2:
            out.alerts.append((body[0], body[1]))
            return
        if ctype != CT_APPDATA or self.read_prot is None:
            raise ValueError("server record of type %d, %d bytes, not expected here"
                             % (ctype, len(body)))
        opened = self.read_prot.open(header, body)
        if opened is None:
            raise ValueError("cannot open the server's record %d (%d bytes)"
                             % (self.read_prot.seq, len(body)))
        itype, content = opened
        if itype == CT_ALERT:
            out.alerts.append((content[0], content[1]))
        elif itype == CT_HANDSHAKE:
            self._on_handshake(content)
        elif itype == CT_APPDATA:
            out.app_data += content
        else:
            raise ValueError("server record with inner type %d" % itype)

    def _on_handshake(self, data):
        for msg in self.msgs.feed(data):
            htype = msg[0]
            self.server_msgs.append(htype)
            if htype == HT["server_hello"]:
                if msg[6:38] == tls13.HRR_RANDOM:
                    raise ValueError("the server sent a HelloRetryRequest")
                self.transcript += msg
                self._on_server_hello(msg)
            elif htype == HT["key_update"]:
                # the server's next records use its next secret (4.6.3)
                self.s_ap = next_secret(self.sched.h, self.s_ap)
                self.read_prot = tls13.Protector(self.suite, self.s_ap)
            elif not self.server_done:
                if htype == HT["finished"]:
                    want = self.sched.finished(self.sched.s_hs, self.transcript)
                    if msg != want:
                        raise ValueError("the server's Finished does not verify")
                    self.transcript += msg
                    self.server_done = True
                    self.c_ap, self.s_ap = self.sched.app_secrets(self.transcript)
                    self.read_prot = tls13.Protector(self.suite, self.s_ap)
                else:
                    self.transcript += msg

    def _on_server_hello(self, sh):
        suite = tls13.server_hello_suite(sh)
        if suite != self.suite:
            raise ValueError("the server chose suite %04x" % suite)
        pub = server_share(sh)
        shared = self.key.exchange(X25519PublicKey.from_public_bytes(pub))
        self.sched = tls13.Schedule(self.suite, shared, self.transcript)
        self.read_prot = tls13.Protector(self.suite, self.sched.s_hs)
        self.write_prot = tls13.Protector(self.suite, self.sched.c_hs)

    def read_server_flight(self, timeout=None):
        """Reads until the server's Finished has been checked; raises if the server does
        anything else."""
        deadline = time.time() + (timeout or self.timeout)
        out = self.outcome_so_far
        while not self.server_done:
            data = self._recv(max(0.05, deadline - time.time()))
            if data is None:
                raise lt.Failure("the server's flight did not arrive within %ss"
                                 % (timeout or self.timeout))
            if not data:
                raise lt.Failure("the server closed before its Finished: " + out.describe())
            self.reader.feed(data)
            for rec in self.reader.records():
                self._on_record(*rec, out)
        return self

    def handshake(self):
        """A whole, correct handshake: ClientHello, the server's flight, our Finished; we
        are then on application keys."""
        self.connect()
        self.send(self.hello_record())
        self.read_server_flight()
        self.send(self.seal(CT_HANDSHAKE, self.finished()))
        self.to_application_keys()
        return self

    def outcome(self, timeout=10.0):
        """Reads what the server sends until it closes (or timeout passes)."""
        out = self.outcome_so_far
        deadline = time.time() + timeout
        while time.time() < deadline:
            data = self._recv(max(0.05, deadline - time.time()))
            if data is None:
                break
            if not data:
                out.closed = True
                break
            self.reader.feed(data)
            try:
                for rec in self.reader.records():
                    self._on_record(*rec, out)
            except ValueError as e:
                out.error = str(e)
        return out


def next_secret(h, secret):
    """application_traffic_secret_N+1 (RFC 8446 7.2)."""
    return tls13.expand_label(h, secret, b"traffic upd", b"", h().digest_size)


def server_share(sh):
    """The x25519 public key in a ServerHello's key_share."""
    p = 4 + 2 + 32
    p += 1 + sh[p] + 2 + 1
    end = p + 2 + struct.unpack(">H", sh[p:p + 2])[0]
    p += 2
    while p < end:
        etype, elen = struct.unpack(">HH", sh[p:p + 4])
        if etype == 51:
            group, klen = struct.unpack(">HH", sh[p + 4:p + 8])
            if group != tls13.X25519:
                raise ValueError("the server chose group %04x" % group)
            return sh[p + 8:p + 8 + klen]
        p += 4 + elen
    raise ValueError("no key_share in the ServerHello")


def refragment(msgs, cuts, ctype=CT_HANDSHAKE, version=0x0303):
    """The bytes of msgs as plaintext records cut at the given offsets."""
    out, last = b"", 0
    for k in list(cuts) + [len(msgs)]:
        if k > last:
            out += record(ctype, msgs[last:k], version)
            last = k
    return out


def served(out):
    """True if the server answered REQUEST with the test file (HTTP 200)."""
    return lt.http_status(out.app_data[:40].decode("latin-1")) == 200


def check_alert(t, out, want, what):
    """The server sent exactly the fatal alert want (possibly after records it was sending
    anyway) and closed."""
    fatal = [d for lvl, d in out.alerts]
    ok = out.closed and fatal[-1:] == [want] and len(fatal) == 1 and out.error is None
    return t.check(ok, "%s: alert %s, then the server closed" % (what, alert_name(want)),
                   out.describe())


def main(test, extra_args=None):
    def wrapped(t):
        need_cryptography(t)
        test(t)
    lt.main(wrapped, extra_args)
