#!/usr/bin/env python3
"""Long fuzz runs: each target for a fixed amount of CPU time, one after another.

    fuzz/long.py [--seconds 3600] [--chunk S [--resume]] [--build build-fuzz] [--out DIR]
                 [TARGET ...]

Why CPU time and not libFuzzer's -max_total_time (wall clock): on a small
shared machine a run competes with builds and benchmarks, so an "hour" of wall
clock can be much less than an hour of fuzzing. This script polls the
fuzzer's utime+stime in /proc and interrupts it (SIGINT, which libFuzzer
answers with its final stats) once it has had --seconds of CPU. A run can be
paused with SIGSTOP/SIGCONT (e.g. during a benchmark) without losing time;
keep pauses well under libFuzzer's -timeout (1200 s by default), which counts
wall clock per input.

Each target starts from a copy of fuzz/corpus/NAME in OUT/corpus/NAME, logs to
OUT/NAME.log, writes any crash as OUT/crash-NAME-* (slow units included, which are run
again: a pause makes them by wall clock), and the script prints one
Markdown row per target (the table of fuzz/README.md):
executions, executions per CPU second, libFuzzer's final edge coverage (cov)
and feature count (ft), corpus size, and crashes.

A run can also be cut into parts (--chunk 600: a new libFuzzer process every 600 CPU
seconds, each starting from the corpus so far) and taken up again later (--resume), so
that an hour of fuzzing survives a machine that is handed back before it is over.
OUT/NAME.progress keeps the sums (CPU, executions, parts, and the commits fuzzed: for each
build of the target, the last commit made before it); the row says how many parts a run took.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

TARGETS = ["client_hello", "server_hello", "certificate", "handshake_msgs",
           "extensions", "record", "server", "client", "http", "config"]
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the ")" of comm, utime and stime are fields 12 and 13 (0-based).
    return (int(fields[11]) + int(fields[12])) / TICK


def rerun_cpu(binary, unit):
    """CPU seconds the target takes to run one saved input again (process start included)."""
    before = os.times()
    subprocess.run([binary, unit], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = os.times()
    return (after.children_user - before.children_user
            + after.children_system - before.children_system)


def last_int(pattern, text):
    found = re.findall(pattern, text)
    return int(found[-1]) if found else None


def run_chunk(cmd, log, budget):
    """One libFuzzer process until it has had budget CPU seconds (then SIGINT) or stops.
    Returns (CPU seconds, wall seconds)."""
    start = time.monotonic()
    log.write("# " + " ".join(cmd) + "\n")
    log.flush()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    used = 0.0
    while proc.poll() is None:
        time.sleep(2)
        now = cpu_seconds(proc.pid)
        if now is not None:
            used = now
        if used >= budget:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            break
    return used, time.monotonic() - start


def load_progress(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def save_progress(path, progress):
    with open(path + ".tmp", "w") as f:
        json.dump(progress, f, indent=1)
    os.replace(path + ".tmp", path)


def commit_of(root, built):
    """The commit a binary built at time built was most likely built from: the newest
    commit of HEAD's history made before it (so commits made during a long run, such as
    its figures in a README, are not counted as fuzzed)."""
    r = subprocess.run(["git", "-C", root, "log", "-1", "--format=%h", "--before=@%d" % built,
                        "HEAD"], capture_output=True, text=True)
    return r.stdout.strip() or "?"


def run_target(name, args, root):
    binary = os.path.join(args.build, "bin", f"fuzz_{name}")
    corpus = os.path.join(args.out, "corpus", name)
    log_path = os.path.join(args.out, f"{name}.log")
    progress_path = os.path.join(args.out, f"{name}.progress")
    progress = load_progress(progress_path) if args.resume else None
    if progress is None:
        # a fresh run: the committed seeds, an empty log
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.copytree(os.path.join(root, "fuzz", "corpus", name), corpus)
        open(log_path, "w").close()
        progress = {"cpu": 0.0, "wall": 0.0, "execs": 0, "chunks": 0, "commits": [],
                    "done": False}
    cmd = [binary, "-print_final_stats=1",
           f"-artifact_prefix={os.path.join(args.out, 'crash-' + name + '-')}",
           corpus] + args.extra
    chunk = args.chunk if args.chunk > 0 else args.seconds
    crashed = interrupted = False
    cov = ft = corp = None
    while not progress["done"] and progress["cpu"] < args.seconds:
        # each build of the target that a part fuzzes names its commit once
        built = os.stat(binary).st_mtime
        if progress.get("binary_mtime") != built:
            progress["binary_mtime"] = built
            commit = commit_of(root, int(built))
            if commit not in progress["commits"]:
                progress["commits"].append(commit)
        with open(log_path, "a") as log:
            offset = log.tell()
            used, wall = run_chunk(cmd, log, min(chunk, args.seconds - progress["cpu"]))
        with open(log_path, errors="replace") as f:
            f.seek(offset)
            text = f.read()
        execs = last_int(r"stat::number_of_executed_units:\s*(\d+)", text)
        crashed = ("==ERROR" in text or "deadly signal" in text
                   or "SUMMARY: " in text or "ALARM: working on the last Unit" in text)
        interrupted = "run interrupted" in text
        progress["cpu"] += used
        progress["wall"] += wall
        progress["execs"] += execs or 0
        progress["chunks"] += 1
        progress["done"] = crashed or not interrupted or progress["cpu"] >= args.seconds
        save_progress(progress_path, progress)
    with open(log_path, errors="replace") as f:
        text = f.read()
    cov = last_int(r"\bcov: (\d+)", text)
    ft = last_int(r"\bft: (\d+)", text)
    corp = last_int(r"\bcorp: (\d+)", text)
    crashed = ("==ERROR" in text or "deadly signal" in text
               or "SUMMARY: " in text or "ALARM: working on the last Unit" in text)
    # every chunk ends with libFuzzer's answer to SIGINT; one that did not stopped by itself
    interrupted = text.count("run interrupted") == progress["chunks"] and progress["chunks"] > 0
    used, wall, execs = progress["cpu"], progress["wall"], progress["execs"]
    artifacts = sorted(f for f in os.listdir(args.out) if f.startswith(f"crash-{name}-"))
    # libFuzzer saves a "slow unit" (over 10 s) by wall clock, so a run paused with SIGSTOP
    # leaves some behind: each is run again, and only one that is still slow is a finding.
    slow = [f for f in artifacts if "slow-unit-" in f]
    crashes = [f for f in artifacts if f not in slow]
    still_slow, rechecked = [], []
    for f in slow:
        cpu = rerun_cpu(binary, os.path.join(args.out, f))
        rechecked.append(f"{cpu:.2f} s")
        if cpu > 1.0:
            still_slow.append(f)
    ok = not crashed and interrupted and not crashes and not still_slow
    rate = f"{execs / used:.0f}" if execs and used else "?"
    if ok:
        verdict = "none"
        if slow:
            verdict += (f" ({len(slow)} slow-unit artifacts from pauses, each "
                        f"{'/'.join(rechecked)} CPU when run again)")
    elif crashes or still_slow:
        verdict = "FOUND: " + ", ".join(crashes + still_slow)
    else:
        verdict = f"run ended early, see {log_path}"
    if progress["chunks"] > 1:
        verdict += f"; {progress['chunks']} parts"
    verdict += f"; at {', '.join(progress['commits'])}"
    return (f"| fuzz_{name} | {used:.0f} | {wall:.0f} | {execs} | {rate} | "
            f"{cov} | {ft} | {corp} | {verdict} |"), ok


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=3600,
                   help="CPU seconds per target (default 3600)")
    p.add_argument("--build", default=os.path.join(root, "build-fuzz"))
    p.add_argument("--out", default="/tmp/lucid-fuzz")
    p.add_argument("--chunk", type=float, default=0,
                   help="run each target in parts of this many CPU seconds, each a new "
                        "libFuzzer process on the corpus so far (default: one part)")
    p.add_argument("--resume", action="store_true",
                   help="go on from OUT/NAME.progress (left by --chunk parts) instead of "
                        "starting from the seeds")
    p.add_argument("--extra", action="append", default=[],
                   help="one more libFuzzer flag (repeatable)")
    p.add_argument("targets", nargs="*", default=TARGETS)
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    header = ("| target | CPU s | wall s | executions | exec per CPU s | cov | ft "
              "| corpus | crashes |\n|---|---|---|---|---|---|---|---|---|")
    print(header, flush=True)
    failed = 0
    for name in args.targets:
        if name not in TARGETS:
            sys.exit(f"long.py: no target {name!r} (one of {', '.join(TARGETS)})")
        row, ok = run_target(name, args, root)
        failed += not ok
        print(row, flush=True)
        with open(os.path.join(args.out, "results.md"), "a") as f:
            f.write(row + "\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
