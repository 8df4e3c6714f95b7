#!/usr/bin/env python3
"""Lucid's benchmark suite: lucid-server, nginx and `openssl s_server` side by side.

Starts the three servers on 127.0.0.1 with the same ECDSA P-256 certificate (made with
lucid-cert), the same files, TLS 1.3 only, x25519, TLS_AES_128_GCM_SHA256, tickets on where a
server has them, access logs off, one process (nginx: one worker) each; pins the servers to
one core and the load generator to the other; and prints, for every row and server, the raw
rate, the server's CPU use (utime+stime from /proc/PID/stat, workers included), the rate per
server core (operations / server CPU seconds), the load generator's own CPU, the median, min
and max over --runs runs, and the ratios lucid/nginx and lucid/s_server.

    bench/run.py                  # everything, 3 runs (about 10 minutes on 2 cores)
    bench/run.py --quick          # 1 short run of each row: a smoke check
    bench/run.py --rows full,keepalive --servers lucid,nginx
    bench/run.py --perf out/perf  # perf profiles of lucid-server (full handshakes, keep-alive)

bench/README.md explains the rows, the options and how to read the figures. These are
benchmark figures, not tests: nothing here passes or fails on a figure, but a row whose
checks fail (a "full" handshake that was resumed, errors, a server that would not start) is
marked INVALID rather than printed as a result.
"""

import argparse
import datetime
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024

ROWS = ["full", "resumed", "keepalive", "bulk", "memory", "latency", "client", "engine"]
SERVERS = ["lucid", "nginx", "s_server"]
SUITE, GROUP = "TLS_AES_128_GCM_SHA256", "x25519"

# The targets, shown beside the ratios: (figure compared, lucid/nginx needed, sense).
TARGETS = {
    "full": ("per core", 2.0, "higher"),
    "resumed": ("per core", 2.0, "higher"),
    "keepalive": ("per core", 1.3, "higher"),
    "bulk": ("CPU per GB", 0.8, "lower"),
    "memory": ("KiB per connection", 0.5, "lower"),
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def die(msg):
    log("bench: " + msg)
    sys.exit(1)


# ---- processes and /proc ------------------------------------------------------------------


def raise_nofile():
    """preexec for every child: as many file descriptors as the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def pinned(cpu, argv):
    return ["taskset", "-c", str(cpu)] + argv


def proc_stat(pid):
    """(ppid, utime+stime, cutime+cstime) in ticks, or None if the process is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()  # the name may hold spaces
    # fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def tree(root):
    """root and every live descendant (nginx's workers, lucid-server's if it forks)."""
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = proc_stat(int(d))
            if st is not None:
                children.setdefault(st[0], []).append(int(d))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_cpu(root):
    """CPU seconds used by root's tree so far: live processes plus the reaped ones."""
    ticks = 0
    for i, p in enumerate(tree(root)):
        st = proc_stat(p)
        if st is not None:
            ticks += st[1] + (st[2] if i == 0 else 0)
    return ticks / CLK_TCK


def tree_rss_kib(root):
    total = 0
    for p in tree(root):
        try:
            with open("/proc/%d/statm" % p) as f:
                total += int(f.read().split()[1]) * PAGE_KIB
        except OSError:
            pass
    return total


def cpu_busy():
    """Busy ticks of each CPU (user+nice+system+irq+softirq+steal), from /proc/stat."""
    busy = {}
    with open("/proc/stat") as f:
        for line in f:
            m = re.match(r"cpu(\d+) (.*)", line)
            if m:
                v = [int(x) for x in m.group(2).split()]
                busy[int(m.group(1))] = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
    return busy


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, what, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            die("%s exited with status %s while starting" % (what, proc.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    die("%s does not accept connections on port %d" % (what, port))


def run_client(argv, cpu, stdin=None, stdout=subprocess.PIPE):
    """Runs argv pinned to cpu; returns (stdout text, wall seconds, its CPU seconds)."""
    argv = [str(a) for a in argv]
    t0 = time.monotonic()
    p = subprocess.Popen(pinned(cpu, argv), stdin=stdin, stdout=stdout,
                         stderr=subprocess.PIPE, text=True, preexec_fn=raise_nofile)
    out, err = p.communicate()
    wall = time.monotonic() - t0
    # communicate() reaped it; its CPU comes from the children's rusage
    return out, err, p.returncode, wall


def kv(line):
    return {m.group(1): m.group(2).strip('"')
            for m in re.finditer(r'(\w+)=("[^"]*"|\S+)', line)}


# ---- the servers --------------------------------------------------------------------------


class Server:
    """One server under test: started pinned to the server core, stopped with SIGTERM."""

    def __init__(self, name, env):
        self.name, self.env = name, env
        self.proc = None
        self.port = None

    def start(self):
        self.port = free_port()
        argv, cwd = self.argv()
        self.proc = subprocess.Popen(pinned(self.env.server_cpu, argv), cwd=cwd,
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.env.work, self.name +
                                                              ".stderr"), "a"),
                                     preexec_fn=raise_nofile, start_new_session=True)
        wait_port(self.port, self.proc, self.name)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None

    def restart(self):
        self.stop()
        self.start()

    @property
    def pid(self):
        return self.proc.pid

    def url(self, path):
        return "https://127.0.0.1:%d%s" % (self.port, path)


class Lucid(Server):
    def argv(self):
        e = self.env
        exe = os.path.join(e.bin, "lucid-server")
        argv = [exe, "--listen", "127.0.0.1:%d" % self.port, "--cert", e.chain, "--key", e.key,
                "--root", e.www, "--quiet", "--ciphers", SUITE, "--groups", GROUP]
        # one worker, as nginx's worker_processes 1 (older builds have no workers at all)
        if "--workers" in subprocess.run([exe, "--help"], text=True,
                                         capture_output=True).stdout:
            argv += ["--workers", "1"]
        return (argv, e.work)


class Nginx(Server):
    CONF = """# bench/run.py: nginx as the reference, same certificate, files and TLS settings
daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 20000;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 16384; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
    types {{ text/html html; application/octet-stream bin; }}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate {chain};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.3;
        ssl_ecdh_curve X25519;
        ssl_conf_command Ciphersuites {suite};
        ssl_session_tickets on;
        root {www};
    }}
}}
"""

    def argv(self):
        e = self.env
        d = os.path.join(e.work, "nginx")
        os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write(self.CONF.format(dir=d, port=self.port, chain=e.chain, key=e.key,
                                     suite=SUITE, www=e.www))
        return ([e.nginx, "-p", d, "-c", conf, "-e", os.path.join(d, "error.log")], d)


class SServer(Server):
    def argv(self):
        e = self.env
        # -WWW serves ./PATH from its working directory, one connection at a time.
        return (["openssl", "s_server", "-accept", "127.0.0.1:%d" % self.port,
                 "-cert", e.leaf, "-cert_chain", e.inter, "-key", e.key, "-tls1_3",
                 "-ciphersuites", SUITE, "-groups", "X25519", "-WWW", "-quiet"], e.www)


SERVER_CLASSES = {"lucid": Lucid, "nginx": Nginx, "s_server": SServer}


# ---- one measurement ----------------------------------------------------------------------


def measure(env, server, argv, stdin=None):
    """Runs a load generator against server; returns what it printed and what both used."""
    busy0 = cpu_busy()
    s0 = tree_cpu(server.pid) if server else 0.0
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    out, err, rc, wall = run_client(argv, env.client_cpu, stdin=stdin)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    s1 = tree_cpu(server.pid) if server else 0.0
    busy1 = cpu_busy()
    # Everything but the server and the client on the two cores: other people's builds.
    client_cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    busy = sum(busy1[c] - busy0[c] for c in (env.server_cpu, env.client_cpu)) / CLK_TCK
    proc = getattr(server, "proc", None)
    if proc is not None and proc.poll() is not None:
        # the run says nothing about a server that died in it: INVALID, and a new one
        err = "%s exited with status %s during the run (its stderr: %s)" % (
            server.name, proc.returncode, os.path.join(env.work, server.name + ".stderr"))
        log("bench: " + err)
        server.start()
        rc = -1
    return {
        "out": out, "err": err, "rc": rc, "wall": wall,
        "server_cpu": s1 - s0, "client_cpu": client_cpu,
        "others": max(0.0, busy - (s1 - s0) - client_cpu) / wall,
    }


def loadgen(env, mode, server, *args):
    return [os.path.join(env.tools, "loadgen"), mode, "--connect",
            "127.0.0.1:%d" % server.port] + [str(a) for a in args]


# ---- figures and tables -------------------------------------------------------------------


class Cell:
    """The runs of one row for one server: each run a dict of figures, or a reason."""

    def __init__(self):
        self.runs, self.invalid, self.na = [], [], None

    def add(self, figures):
        self.runs.append(figures)

    def values(self, key):
        return [r[key] for r in self.runs if r.get(key) is not None]

    def median(self, key):
        v = self.values(key)
        return statistics.median(v) if v else None


def fmt_num(x, digits=None):
    if x is None:
        return "-"
    if digits is not None:
        return "%.*f" % (digits, x)
    if abs(x) >= 1000:
        return "%.0f" % x
    if abs(x) >= 100:
        return "%.1f" % x
    if abs(x) >= 10:
        return "%.2f" % x
    return "%.3g" % x


def spread(cell, key, digits=None):
    v = cell.values(key)
    if not v:
        return "-"
    med = fmt_num(statistics.median(v), digits)
    if len(v) == 1:
        return med
    return "%s [%s..%s]" % (med, fmt_num(min(v), digits), fmt_num(max(v), digits))


class Report:
    def __init__(self):
        self.lines = []

    def out(self, line=""):
        print(line, flush=True)
        self.lines.append(line)

    def table(self, header, rows):
        self.out("| " + " | ".join(header) + " |")
        self.out("|" + "|".join(" --- " for _ in header) + "|")
        for r in rows:
            self.out("| " + " | ".join(r) + " |")
        self.out()


def run_by_run(a, b, key):
    """' (run by run 1.90x [1.80..2.10])': run i of a over run i of b. The two take turns
    within each run, so run i of both met the same moment of a shared host; the spread shows
    how much of its drift they shared. '' when the runs do not pair up."""
    x, y = a.values(key), b.values(key)
    if len(x) != len(y) or len(x) < 2 or a.invalid or b.invalid or not all(y):
        return ""
    rs = [p / q for p, q in zip(x, y)]
    return " (run by run %.2fx [%.2f..%.2f])" % (statistics.median(rs), min(rs), max(rs))


def ratio_text(row, key, cells, sense):
    """lucid/nginx and lucid/s_server for one figure, with the issue's target beside it."""
    parts = []
    lu = cells.get("lucid")
    for other in ("nginx", "s_server"):
        o = cells.get(other)
        if lu is None or o is None or lu.median(key) is None or o.median(key) is None:
            continue
        r = lu.median(key) / o.median(key) if o.median(key) else None
        if r is None:
            continue
        paired = run_by_run(lu, o, key)
        t = ""
        if other == "nginx" and row in TARGETS:
            _, want, _ = TARGETS[row]
            ok = r >= want if sense == "higher" else r <= want
            t = " (target %s %.2gx: %s)" % (">=" if sense == "higher" else "<=", want,
                                           "met" if ok else "not met")
        parts.append("lucid/%s %.2fx%s%s" % (other, r, paired, t))
    return "; ".join(parts) if parts else "no ratio (a server is n/a)"


# ---- the rows -----------------------------------------------------------------------------


def per_op(figs, ops, server_cpu, wall, client_cpu, others):
    figs.update({
        "rate": ops / wall if wall else None,
        "share": server_cpu / wall,
        "per_core": ops / server_cpu if server_cpu > 0 else None,
        "us_per_op": server_cpu / ops * 1e6 if ops else None,
        "client": client_cpu / wall,
        "others": others,
    })
    return figs


def row_handshakes(env, rep, resumed):
    row = "resumed" if resumed else "full"
    cells = {s: Cell() for s in env.servers}
    for run in range(env.runs):
        for name in env.servers:
            srv = env.server[name]
            args = ["--path", "/small.html", "--conns", env.conns, "--duration", env.duration]
            if resumed:
                args.append("--resume")
            m = measure(env, srv, loadgen(env, "hs", srv, *args))
            r = kv(m["out"].strip().splitlines()[-1]) if m["out"].strip() else {}
            cell = cells[name]
            if m["rc"] != 0 or not r:
                cell.invalid.append("loadgen failed: %s" % m["err"].strip()[-200:])
                continue
            ok, errors = int(r["ok"]), int(r["errors"])
            full_n, res_n, tickets = int(r["full"]), int(r["resumed"]), int(r["tickets"])
            if resumed and tickets == 0:
                cell.na = "n/a (no tickets)"
                continue
            if not resumed and res_n != 0:
                cell.invalid.append("%d of %d 'full' handshakes were resumed" % (res_n, ok))
            if resumed and full_n > env.conns:
                # the first connection of each slot has no ticket yet: only those are full
                cell.invalid.append("%d of %d handshakes were full" % (full_n, ok))
            if errors > 0.01 * max(ok, 1):
                cell.invalid.append("%d errors for %d handshakes" % (errors, ok))
            figs = {"ok": ok, "resumed": res_n, "full": full_n, "errors": errors}
            cell.add(per_op(figs, ok, m["server_cpu"], float(r["seconds"]), m["client_cpu"],
                            m["others"]))
    title = ("Resumed TLS 1.3 handshakes (tickets, psk_dhe_ke)" if resumed else
             "Full TLS 1.3 handshakes (x25519, ECDSA P-256)")
    rep.out("### %s: one GET of a %d-byte file per connection, %s concurrent" %
            (title, env.small_size, env.conns))
    rep.out()
    handshake_table(rep, cells, "handshakes/s", row)


def handshake_table(rep, cells, unit, row):
    rows = []
    for name, cell in cells.items():
        if cell.na or not cell.runs:
            rows.append([name, cell.na or "INVALID: no run"] + ["-"] * 5)
            continue
        check = ("INVALID: " + "; ".join(cell.invalid)) if cell.invalid else "ok"
        if "resumed" in cell.runs[0] and check == "ok":
            check = "ok: %d of %d resumed" % (sum(cell.values("resumed")),
                                              sum(cell.values("ok")))
            if sum(cell.values("resumed")):
                check += " (the first connection of each slot is full: no ticket yet)"
        rows.append([name, spread(cell, "rate"), spread(cell, "share", 2),
                     spread(cell, "per_core"), spread(cell, "us_per_op"),
                     "%s (others %s)" % (spread(cell, "client", 2),
                                         fmt_num(cell.median("others"), 2)), check])
    rep.table(["server", unit, "server CPU (cores)", unit + " per server core",
               "server CPU us per op", "loadgen CPU (cores)", "checks"], rows)
    rep.out("Ratios (per server core): " + ratio_text(row, "per_core", cells, "higher"))
    rep.out()


def row_keepalive(env, rep):
    cells = {s: Cell() for s in env.servers}
    for run in range(env.runs):
        for name in env.servers:
            cell = cells[name]
            if name == "s_server":
                cell.na = "n/a (s_server -WWW closes after each response)"
                continue
            srv = env.server[name]
            argv = [env.wrk, "-t1", "-c%d" % env.ka_conns, "-d%ds" % max(1, round(env.duration)),
                    srv.url("/1k.bin")]
            m = measure(env, srv, argv)
            mm = re.search(r"(\d+) requests in ([\d.]+)(m?s)", m["out"])
            if m["rc"] != 0 or not mm:
                cell.invalid.append("wrk failed: " + (m["err"] + m["out"]).strip()[-200:])
                continue
            n = int(mm.group(1))
            errs = re.search(r"Socket errors: (.*)", m["out"])
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", m["out"])
            if errs:
                cell.invalid.append("wrk socket errors: " + errs.group(1))
            if non2xx:
                cell.invalid.append("%s non-2xx responses" % non2xx.group(1))
            cell.add(per_op({}, n, m["server_cpu"], m["wall"], m["client_cpu"], m["others"]))
    rep.out("### Keep-alive requests: GET of a 1 KiB file, wrk -t1 -c%d" % env.ka_conns)
    rep.out()
    handshake_table(rep, cells, "requests/s", "keepalive")


def row_bulk(env, rep):
    cells = {s: Cell() for s in env.servers}
    ref = {"aes": Cell(), "tcp": Cell()}
    for run in range(env.runs):
        for name in env.servers:
            srv = env.server[name]
            m = measure(env, srv, loadgen(env, "get", srv, "--path", "/64m.bin", "--conns", 1,
                                          "--duration", env.duration))
            r = kv(m["out"].strip().splitlines()[-1]) if m["out"].strip() else {}
            cell = cells[name]
            if m["rc"] != 0 or not r or int(r["ok"]) == 0:
                cell.invalid.append("loadgen failed: %s" % m["err"].strip()[-200:])
                continue
            if int(r["errors"]):
                cell.invalid.append("%s errors" % r["errors"])
            gb = int(r["bytes"]) / 1e9
            secs = float(r["seconds"])
            cell.add({"gbps": gb / secs, "share": m["server_cpu"] / m["wall"],
                      "per_core": gb / m["server_cpu"] if m["server_cpu"] else None,
                      "cpu_per_gb": m["server_cpu"] / gb, "client": m["client_cpu"] / m["wall"],
                      "others": m["others"], "conns": int(r["opened"])})
        # the bounds: AES-128-GCM on one core, and a plain TCP stream over loopback
        out, err, rc, wall = run_client(["openssl", "speed", "-evp", "aes-128-gcm", "-bytes",
                                         "16384", "-seconds", str(max(1, round(env.duration)))],
                                        env.server_cpu)
        mm = re.search(r"AES-128-GCM\s+([\d.]+)k", out)
        if mm:
            gbps = float(mm.group(1)) * 1000 / 1e9
            ref["aes"].add({"gbps": gbps, "cpu_per_gb": 1 / gbps, "per_core": gbps})
        src = subprocess.Popen(pinned(env.server_cpu, [os.path.join(env.tools, "loadgen"),
                                                       "tcp-source", "--listen",
                                                       str(env.tcp_port)]),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            src.stdout.readline()
            fake = type("S", (), {"pid": src.pid, "port": env.tcp_port})()
            m = measure(env, fake, [os.path.join(env.tools, "loadgen"), "tcp-sink",
                                    "--connect", "127.0.0.1:%d" % env.tcp_port,
                                    "--duration", env.duration])
        finally:
            src.terminate()
            src.wait()
        r = kv(m["out"].strip().splitlines()[-1]) if m["out"].strip() else {}
        if r:
            gb = int(r["bytes"]) / 1e9
            ref["tcp"].add({"gbps": gb / float(r["seconds"]), "share": m["server_cpu"] / m["wall"],
                            "cpu_per_gb": m["server_cpu"] / gb,
                            "per_core": gb / m["server_cpu"] if m["server_cpu"] else None,
                            "client": m["client_cpu"] / m["wall"], "others": m["others"]})
    rep.out("### Bulk: a 64 MiB file over one connection (keep-alive GETs; s_server: one "
            "connection per GET)")
    rep.out()
    rows = []
    for name, cell in cells.items():
        if not cell.runs:
            rows.append([name, "INVALID: " + "; ".join(cell.invalid)] + ["-"] * 5)
            continue
        rows.append([name, spread(cell, "gbps", 3), spread(cell, "share", 2),
                     spread(cell, "per_core", 3), spread(cell, "cpu_per_gb", 3),
                     "%s (others %s)" % (spread(cell, "client", 2),
                                         fmt_num(cell.median("others"), 2)),
                     ("INVALID: " + "; ".join(cell.invalid)) if cell.invalid else "ok"])
    rows.append(["openssl speed -evp aes-128-gcm, 16 KiB, one core", spread(ref["aes"], "gbps", 3),
                 "1.00", spread(ref["aes"], "per_core", 3), spread(ref["aes"], "cpu_per_gb", 3),
                 "-", "bound: encryption alone"])
    rows.append(["plain TCP over loopback (64 KiB writes)", spread(ref["tcp"], "gbps", 3),
                 spread(ref["tcp"], "share", 2), spread(ref["tcp"], "per_core", 3),
                 spread(ref["tcp"], "cpu_per_gb", 3),
                 "%s (others %s)" % (spread(ref["tcp"], "client", 2),
                                     fmt_num(ref["tcp"].median("others"), 2)),
                 "bound: sending alone"])
    rep.table(["server", "GB/s", "server CPU (cores)", "GB/s per server core",
               "server CPU s per GB", "loadgen CPU (cores)", "checks"], rows)
    rep.out("Ratios (server CPU per GB, lower is better): " +
            ratio_text("bulk", "cpu_per_gb", cells, "lower"))
    rep.out()


def row_memory(env, rep):
    cells = {s: Cell() for s in env.servers}
    n = env.idle_conns
    for run in range(env.runs):
        for name in env.servers:
            cell = cells[name]
            if name == "s_server":
                cell.na = "n/a (s_server serves one connection at a time)"
                continue
            srv = env.server[name]
            srv.restart()  # a fresh server each time
            time.sleep(0.5)
            before = tree_rss_kib(srv.pid)
            p = subprocess.Popen(pinned(env.client_cpu, loadgen(env, "idle", srv, "--conns", n)),
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, preexec_fn=raise_nofile)
            ready = p.stdout.readline()
            r = kv(ready)
            during = tree_rss_kib(srv.pid)
            out, err = p.communicate()  # closes its standard input: it lets go and exits
            if not ready.startswith("ready") or int(r.get("established", 0)) != n:
                cell.invalid.append("only %s of %d connections established: %s" %
                                    (r.get("established", 0), n, err.strip()[-200:]))
                continue
            cell.add({"before": before / 1024, "during": during / 1024,
                      "per_conn": (during - before) / n})
            srv.restart()  # the next rows get a server without that history
    rep.out("### Memory per idle TLS connection: server RSS with %d established idle TLS "
            "connections minus RSS with none, / %d (fresh server each run)" % (n, n))
    rep.out()
    rows = []
    for name, cell in cells.items():
        if cell.na or not cell.runs:
            rows.append([name, cell.na or "INVALID: " + "; ".join(cell.invalid), "-", "-", "-"])
            continue
        rows.append([name, spread(cell, "before", 1), spread(cell, "during", 1),
                     spread(cell, "per_conn", 2),
                     ("INVALID: " + "; ".join(cell.invalid)) if cell.invalid else "ok"])
    rep.table(["server", "RSS idle (MiB)", "RSS with connections (MiB)",
               "KiB per connection", "checks"], rows)
    rep.out("Ratios (KiB per connection, lower is better): " +
            ratio_text("memory", "per_conn", cells, "lower") +
            "; the issue's absolute target: <= 8 KiB")
    rep.out()


def row_latency(env, rep):
    cells = {s: Cell() for s in env.servers}
    for run in range(env.runs):
        for name in env.servers:
            srv = env.server[name]
            m = measure(env, srv, loadgen(env, "hs", srv, "--path", "/small.html", "--conns",
                                          256, "--rate", env.latency_rate, "--duration",
                                          env.duration))
            r = kv(m["out"].strip().splitlines()[-1]) if m["out"].strip() else {}
            cell = cells[name]
            if m["rc"] != 0 or not r:
                cell.invalid.append("loadgen failed")
                continue
            if int(r["skipped"]) or int(r["errors"]):
                cell.invalid.append("%s skipped, %s errors: the rate is too high for it" %
                                    (r["skipped"], r["errors"]))
            elif float(r["rate"]) < 0.9 * env.latency_rate:
                cell.invalid.append("kept up with %.0f/s only: queueing, not latency" %
                                    float(r["rate"]))
            if int(r["resumed"]):
                cell.invalid.append("%s resumed" % r["resumed"])
            cell.add({k: int(r[k]) / 1000 for k in ("hs_p50_us", "hs_p99_us", "req_p50_us",
                                                    "req_p99_us")} |
                     {"share": m["server_cpu"] / m["wall"], "client": m["client_cpu"] / m["wall"],
                      "others": m["others"]})
    rep.out("### Handshake latency at a moderate load: %d new connections/s (full handshakes), "
            "ms from connect() to the client's handshake done, and to the response's end"
            % env.latency_rate)
    rep.out()
    rows = []
    for name, cell in cells.items():
        if not cell.runs:
            rows.append([name, "INVALID"] + ["-"] * 6)
            continue
        rows.append([name, spread(cell, "hs_p50_us", 2), spread(cell, "hs_p99_us", 2),
                     spread(cell, "req_p50_us", 2), spread(cell, "req_p99_us", 2),
                     spread(cell, "share", 2),
                     "%s (others %s)" % (spread(cell, "client", 2),
                                         fmt_num(cell.median("others"), 2)),
                     ("INVALID: " + "; ".join(cell.invalid)) if cell.invalid else "ok"])
    rep.table(["server", "handshake p50 (ms)", "handshake p99 (ms)", "request p50 (ms)",
               "request p99 (ms)", "server CPU (cores)", "loadgen CPU (cores)", "checks"], rows)


def row_client(env, rep):
    srv = env.server.get("lucid")
    if srv is None:
        rep.out("### lucid-client vs curl: skipped (needs the lucid server)")
        return
    url = "https://localhost:%d/small.html" % srv.port
    clients = {
        "lucid-client": [os.path.join(env.bin, "lucid-client"), "--cacert", env.ca,
                         "--connect-to", "127.0.0.1:%d" % srv.port, "-o", "/dev/null", url],
        "curl": ["curl", "-sS", "--fail", "--tlsv1.3", "--cacert", env.ca, "--resolve",
                 "localhost:%d:127.0.0.1" % srv.port, "-o", "/dev/null", url],
    }
    cells = {c: Cell() for c in clients}
    for i in range(env.fetches):
        for name, argv in clients.items():
            m = measure(env, srv, argv)
            if m["rc"] != 0:
                cells[name].invalid.append("exit %d: %s" % (m["rc"], m["err"].strip()[-200:]))
                continue
            cells[name].add({"wall": m["wall"] * 1000, "cpu": m["client_cpu"] * 1000,
                             "server": m["server_cpu"] * 1000})
    rep.out("### One fetch: lucid-client vs curl (%d fetches each of a small file from "
            "lucid-server, certificate verified, process start to exit)" % env.fetches)
    rep.out()
    rows = [[name, spread(c, "wall", 2), spread(c, "cpu", 2),
             ("INVALID: " + "; ".join(c.invalid)) if c.invalid else "ok"]
            for name, c in cells.items()]
    rep.table(["client", "wall ms", "client CPU ms (user+sys)", "checks"], rows)
    a, b = cells["lucid-client"].median("wall"), cells["curl"].median("wall")
    if a and b:
        rep.out("Ratio lucid-client/curl: wall %.2fx, CPU %.2fx" %
                (a / b, cells["lucid-client"].median("cpu") / cells["curl"].median("cpu")))
        rep.out()


def row_engine(env, rep):
    cells = {"lucid": {}, "openssl": {}}
    for run in range(env.runs):
        for eng in cells:
            argv = [os.path.join(env.tools, "engine_" + eng), "--chain", env.chain, "--key",
                    env.key, "--ca", env.ca, "--seconds", env.engine_seconds]
            out, err, rc, wall = run_client([str(a) for a in argv], env.server_cpu)
            if rc != 0:
                die("engine_%s failed: %s" % (eng, err.strip()))
            for line in out.splitlines():
                r = kv(line)
                if "op" not in r:
                    continue
                cell = cells[eng].setdefault(r["op"], Cell())
                if r.get("status") == "n/a":
                    cell.na = "n/a (%s)" % r.get("reason", "")
                    continue
                cell.add({k: float(v) for k, v in r.items()
                          if re.fullmatch(r"[\d.]+", v)})
    rep.out("### Engine in memory (no sockets, one core): client and server in one thread, each "
            "side's calls timed apart; libssl over memory BIOs beside it")
    rep.out()
    rows = []
    ops = ["full_handshake", "resumed_handshake", "seal_1k", "open_1k", "seal_16k", "open_16k"]
    for op in ops:
        lu, os_ = cells["lucid"].get(op), cells["openssl"].get(op)
        if op.endswith("handshake"):
            for side in ("server", "client"):
                key = side + "_per_s"
                rows.append(["%s, %s side (handshakes/s)" % (op.replace("_", " "), side),
                             lu.na if lu and lu.na else spread(lu, key) if lu else "-",
                             os_.na if os_ and os_.na else spread(os_, key) if os_ else "-",
                             engine_ratio(lu, os_, key)])
        else:
            rows.append(["%s records (MB/s)" % op.replace("_", " "),
                         spread(lu, "mb_per_s") if lu else "-",
                         spread(os_, "mb_per_s") if os_ else "-",
                         engine_ratio(lu, os_, "mb_per_s")])
    rep.table(["operation", "Lucid", "OpenSSL libssl", "Lucid/OpenSSL"], rows)
    rep.out("Target: full handshakes >= 2x libssl on both sides. libssl's server sends 2 "
            "tickets per full handshake (its default, as nginx's); the client verifies the "
            "chain and the name in both.")
    rep.out()


def engine_ratio(lu, os_, key):
    if not lu or not os_ or lu.na or os_.na or not lu.runs or not os_.runs:
        return "-"
    return "%.2fx%s" % (lu.median(key) / os_.median(key), run_by_run(lu, os_, key))


# ---- setup --------------------------------------------------------------------------------


def sh(argv, **kw):
    return subprocess.run(argv, check=True, text=True, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, **kw).stdout


def build(env, args):
    if not args.no_build and args.bin == parser_default_bin():
        log("bench: building Lucid (Release) in %s" % os.path.dirname(env.bin))
        d = os.path.dirname(env.bin)
        sh(["cmake", "-S", ROOT, "-B", d, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release"])
        try:  # only what the benchmarks use; everything if those targets have other names
            sh(["cmake", "--build", d, "-j2", "--target", "lucid-server", "lucid-client",
                "lucid-cert", "lucid_static"])
        except subprocess.CalledProcessError:
            sh(["cmake", "--build", d, "-j2"])
    if not os.path.exists(os.path.join(env.bin, "lucid-server")):
        die("no lucid-server in %s (build Lucid first, or give --bin)" % env.bin)
    lib = os.path.join(os.path.dirname(env.bin))
    if not args.no_build or not os.path.exists(os.path.join(env.tools, "loadgen")):
        log("bench: building the bench programs in %s" % env.tools)
        sh(["cmake", "-S", HERE, "-B", env.tools, "-G", "Ninja", "-DLUCID_BUILD_DIR=" + lib,
            "-DCMAKE_BUILD_TYPE=Release"])
        sh(["cmake", "--build", env.tools, "-j2"])


def parser_default_bin():
    return os.path.join(ROOT, "build-bench", "bin")


def make_files(env):
    """The certificate (lucid-cert: root, intermediate, ECDSA P-256 leaf) and the site."""
    pki = os.path.join(env.work, "pki")
    cert = os.path.join(env.bin, "lucid-cert")
    sh([cert, "init", "--dir", pki])
    sh([cert, "issue", "--dir", pki, "--out", os.path.join(env.work, "localhost"), "localhost",
        "127.0.0.1"])
    env.chain = os.path.join(env.work, "localhost_chain.pem")
    env.leaf = os.path.join(env.work, "localhost_cert.pem")
    env.key = os.path.join(env.work, "localhost_key.pem")
    env.inter = os.path.join(pki, "intermediate_cert.pem")
    env.ca = os.path.join(pki, "root_cert.pem")
    env.www = os.path.join(env.work, "www")
    os.makedirs(env.www)
    small = b"<!doctype html><title>bench</title><p>a small page for the handshake rows</p>\n"
    env.small_size = len(small)
    with open(os.path.join(env.www, "small.html"), "wb") as f:
        f.write(small)
    with open(os.path.join(env.www, "1k.bin"), "wb") as f:
        f.write(os.urandom(1024))
    with open(os.path.join(env.www, "64m.bin"), "wb") as f:
        for _ in range(64):
            f.write(os.urandom(1 << 20))


def machine(env):
    def first(cmd, pattern=None):
        try:
            r = subprocess.run(cmd, text=True, capture_output=True)
            out = r.stdout + r.stderr
        except OSError:
            return "?"
        if pattern:
            m = re.search(pattern, out, re.M)
            return m.group(1).strip() if m else "?"
        return out.strip().splitlines()[0] if out.strip() else "?"
    src = ROOT
    try:
        cache = open(os.path.join(os.path.dirname(env.bin), "CMakeCache.txt")).read()
        m = re.search(r"^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$", cache, re.M)
        src = m.group(1) if m else ROOT
    except OSError:
        pass
    git = subprocess.run(["git", "-C", src, "rev-parse", "--short", "HEAD"], text=True,
                         capture_output=True)
    commit = git.stdout.strip() if git.returncode == 0 else "?"
    dirty = subprocess.run(["git", "-C", src, "status", "--porcelain", "--untracked-files=no"],
                           text=True, capture_output=True).stdout.strip() if commit != "?" else ""
    version = first([os.path.join(env.bin, "lucid-server"), "--version"])
    return [
        ("CPU", "%s, %d cores" % (first(["lscpu"], r"^Model name:\s*(.*)$"), os.cpu_count())),
        ("kernel", os.uname().release),
        ("OpenSSL", first(["openssl", "version"])),
        ("nginx", first([env.nginx, "-v"], r"nginx version: (.*)")),
        ("wrk", first([env.wrk, "-v"], r"^(wrk \S+)")),
        ("Lucid", "%s, built from %s (%s)" % (
            version, src, ("commit " + commit + (" with uncommitted changes" if dirty else ""))
            if commit != "?" else "not a git checkout")),
        ("load average at start", "%.2f %.2f %.2f" % os.getloadavg()),
    ]


def perf_profiles(env, rep):
    """perf record of lucid-server during the full-handshake and keep-alive loads."""
    os.makedirs(env.perf, exist_ok=True)
    perf = shutil.which("perf") or die("no perf: scripts/setup.sh bench installs linux-perf")
    srv = env.server["lucid"]
    loads = {  # argv once the server is up: a restarted server has a new port
        "full": lambda: loadgen(env, "hs", srv, "--path", "/small.html", "--conns", env.conns,
                                "--duration", env.duration),
        "keepalive": lambda: [env.wrk, "-t1", "-c%d" % env.ka_conns,
                              "-d%ds" % max(1, round(env.duration)), srv.url("/1k.bin")],
    }
    for name, make_argv in loads.items():
        srv.restart()
        data = os.path.join(env.perf, name + ".data")
        # the whole server core, kept to this server's processes at report time: workers
        # forked after the listener opened are caught too
        rec = subprocess.Popen([perf, "record", "-F", "2999", "-a", "-C", str(env.server_cpu),
                                "-o", data], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        out, err, rc, wall = run_client(make_argv(), env.client_cpu)
        if rc != 0 or " ok=0 " in out or re.search(r"(^|\s)0 requests in", out):
            die("the %s load failed: %s" % (name, (err + out).strip()[-300:]))
        pids = ",".join(str(p) for p in tree(srv.pid))  # this server's processes only
        rec.send_signal(signal.SIGINT)
        rec.wait()
        report = subprocess.run([perf, "report", "--stdio", "--no-children", "-i", data,
                                 "--pid", pids, "--percentage", "relative",
                                 "--sort", "dso,symbol"],
                                text=True, capture_output=True).stdout
        txt = os.path.join(env.perf, name + ".txt")
        with open(txt, "w") as f:
            f.write(report)
        lines = [l for l in report.splitlines() if re.match(r"\s+[\d.]+%", l)]
        top = lines[:15]
        by_dso = {}
        for l in lines:  # perf's own --sort dso disagrees with its symbol rows: add them up
            pct, dso = l.split()[:2]
            by_dso[dso] = by_dso.get(dso, 0.0) + float(pct.rstrip("%"))
        dsos = ["%s %.1f%%" % (d, p) for d, p in sorted(by_dso.items(), key=lambda x: -x[1])]
        rep.out("### perf: lucid-server during the %s load (self %%, top symbols; full report "
                "in %s)" % (name, txt))
        rep.out()
        rep.out("By object: " + ", ".join(dsos[:6]))
        rep.out()
        rep.out("```")
        for l in top:
            rep.out(re.sub(r"\s+-\s+-\s*$", "", l))
        rep.out("```")
        rep.out()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=parser_default_bin(),
                    help="Lucid's bin directory: lucid-server, lucid-client, lucid-cert, with "
                         "lib/liblucid.a beside it (default build-bench/bin, built in Release "
                         "by this script unless --no-build)")
    ap.add_argument("--tools", default=os.path.join(ROOT, "build-bench-tools"),
                    help="where the bench programs (loadgen, engine_*) are built "
                         "(default build-bench-tools)")
    ap.add_argument("--no-build", action="store_true", help="use the builds as they are")
    ap.add_argument("--rows", default=",".join(ROWS), help="rows to run: " + ",".join(ROWS))
    ap.add_argument("--servers", default=",".join(SERVERS), help="servers: " + ",".join(SERVERS))
    ap.add_argument("--runs", type=int, default=3, help="runs of each row (default 3)")
    ap.add_argument("--duration", type=float, default=5, help="seconds per load run (default 5)")
    ap.add_argument("--conns", type=int, default=32,
                    help="concurrent connections of the handshake rows (default 32)")
    ap.add_argument("--ka-conns", type=int, default=50, help="wrk connections (default 50)")
    ap.add_argument("--idle-conns", type=int, default=2000,
                    help="idle connections of the memory row (default 2000)")
    ap.add_argument("--latency-rate", type=int, default=200,
                    help="new connections per second in the latency row (default 200)")
    ap.add_argument("--fetches", type=int, default=20,
                    help="fetches per client in the client row (default 20)")
    ap.add_argument("--engine-seconds", type=float, default=2,
                    help="seconds per engine measurement (default 2)")
    ap.add_argument("--server-cpu", type=int, default=0)
    ap.add_argument("--client-cpu", type=int, default=1)
    ap.add_argument("--quick", action="store_true",
                    help="a smoke check: 1 run, 1 s loads, 200 idle connections")
    ap.add_argument("--perf", metavar="DIR",
                    help="instead of the rows: perf profiles of lucid-server under the "
                         "full-handshake and keep-alive loads, written to DIR")
    ap.add_argument("--markdown", metavar="FILE", help="also write the report to FILE")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()

    env = argparse.Namespace(**vars(args))
    env.bin = os.path.abspath(args.bin)
    env.tools = os.path.abspath(args.tools)
    if args.quick:
        env.runs, env.duration, env.idle_conns = 1, 1.0, 200
        env.fetches, env.engine_seconds = 3, 0.3
    env.rows = [r for r in args.rows.split(",") if r]
    env.servers = [s for s in args.servers.split(",") if s]
    for r in env.rows:
        if r not in ROWS:
            die("unknown row %r (rows: %s)" % (r, ", ".join(ROWS)))
    for s in env.servers:
        if s not in SERVERS:
            die("unknown server %r (servers: %s)" % (s, ", ".join(SERVERS)))
    if os.cpu_count() < 2:
        die("needs 2 CPUs: the server on one, the load generator on the other")
    env.nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    env.wrk = shutil.which("wrk") or "wrk"
    for tool, what in ((env.nginx, "nginx"), (env.wrk, "wrk"), ("openssl", "openssl"),
                       ("taskset", "taskset"), ("curl", "curl")):
        if not shutil.which(tool) and not os.path.exists(tool):
            die("no %s: scripts/setup.sh bench installs what the benchmarks need" % what)
    build(env, args)
    env.work = tempfile.mkdtemp(prefix="lucid-bench-")
    os.chmod(env.work, 0o755)  # nginx's worker runs as nobody and reads the site from here
    env.tcp_port = free_port()
    make_files(env)

    rep = Report()
    rep.out("## Lucid benchmarks, %s" % datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
    rep.out()
    for k, v in machine(env):
        rep.out("- %s: %s" % (k, v))
    rep.out("- command: `%s`" % " ".join(["bench/run.py"] + sys.argv[1:]))
    rep.out("- servers pinned to CPU %d, load generators to CPU %d; %d run(s) per row, %g s "
            "each; figures are median [min..max]" % (env.server_cpu, env.client_cpu, env.runs,
                                                     env.duration))
    rep.out("- \"others\": CPU time on the two cores used by neither the server nor the load "
            "generator during the run (other people's builds), in cores")
    rep.out()

    env.server = {}
    try:
        need_servers = env.perf or any(r != "engine" for r in env.rows)
        if need_servers:
            for name in (["lucid"] if env.perf else env.servers):
                env.server[name] = SERVER_CLASSES[name](name, env)
                env.server[name].start()
                # warm-up: first connections load certificates, fill caches
                run_client(loadgen(env, "hs", env.server[name], "--path", "/small.html",
                                   "--conns", 4, "--duration", 0.3), env.client_cpu)
        if env.perf:
            perf_profiles(env, rep)
        else:
            for row in env.rows:
                log("bench: row %s" % row)
                {"full": lambda: row_handshakes(env, rep, False),
                 "resumed": lambda: row_handshakes(env, rep, True),
                 "keepalive": lambda: row_keepalive(env, rep),
                 "bulk": lambda: row_bulk(env, rep),
                 "memory": lambda: row_memory(env, rep),
                 "latency": lambda: row_latency(env, rep),
                 "client": lambda: row_client(env, rep),
                 "engine": lambda: row_engine(env, rep)}[row]()
    finally:
        for s in env.server.values():
            s.stop()
        if args.keep:
            log("bench: work directory kept: %s" % env.work)
        else:
            shutil.rmtree(env.work, ignore_errors=True)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join(rep.lines) + "\n")


if __name__ == "__main__":
    main()
