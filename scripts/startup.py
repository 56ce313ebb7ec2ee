#!/usr/bin/env python3
"""How fast the desktop app starts, and how much memory it takes.

Starts the app RUNS times on a collection of about 1,200 cards (the built-in curriculum and a
table of 117 terms), each time until its window is shown with Today's counts drawn (the page asks
for the window once they are), reading the app's own step log (REPRISE_STARTUP_LOG=1) and the
wall time from launch, then the memory (PSS) of the app and its web processes a few seconds after.

Run under an X server, e.g.:
    xvfb-run -a scripts/startup.py --bin target/release/reprise-desktop --cli target/release/reprise

--collection FILE starts on a copy of that collection instead (say the benchmarks' 100k one,
target/bench-data/collection-100k.sqlite3, made by `cargo bench --bench collection`).
"""
import shutil
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def descendants(pid):
    """pid and every process under it."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def pss_kib(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def collection(cli, folder):
    table = os.path.join(folder, "extra.csv")
    with open(table, "w") as f:
        for i in range(117):
            f.write(f"term {i},what term {i} means\n")
    subprocess.run([cli, "--data-dir", folder, "import", table], check=True, capture_output=True)
    os.remove(table)


def one_start(app, folder, settle):
    env = dict(os.environ, REPRISE_STARTUP_LOG="1", NO_AT_BRIDGE="1")
    began = time.monotonic()
    proc = subprocess.Popen([app, "--data-dir", folder], stderr=subprocess.PIPE, text=True, env=env)
    steps = {}
    try:
        for line in proc.stderr:
            if line.startswith("reprise startup:"):
                ms, what = line.split(":", 1)[1].strip().split(" ms ", 1)
                steps[what.strip()] = float(ms)
                if what.strip() == "window shown with Today's counts":
                    steps["wall, launch to window with counts"] = (time.monotonic() - began) * 1000
                    break
        time.sleep(settle)
        steps["PSS MiB after start"] = pss_kib(descendants(proc.pid)) / 1024
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return steps


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the desktop app")
    ap.add_argument("--cli", required=True, help="the reprise command line, to make the collection")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--settle", type=float, default=3.0, help="seconds after start before measuring memory")
    ap.add_argument("--collection", help="a collection file to start on (copied), instead of the curriculum and a table")
    args = ap.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("startup.py: no DISPLAY: run it under xvfb-run or a desktop")
    with tempfile.TemporaryDirectory(prefix="reprise-startup-") as folder:
        if args.collection:
            shutil.copyfile(args.collection, os.path.join(folder, "reprise.sqlite3"))
        else:
            collection(args.cli, folder)
        one_start(args.bin, folder, 0.5)  # warm the page cache, as a second start would be
        runs = [one_start(args.bin, folder, args.settle) for _ in range(args.runs)]
    keys = [k for k in runs[0]]
    print(f"{args.runs} starts of {args.bin} (medians; min–max):")
    for k in keys:
        values = [r[k] for r in runs if k in r]
        unit = "" if k.startswith("PSS") else " ms"
        print(f"  {k:34} {statistics.median(values):8.1f}{unit}   ({min(values):.1f}–{max(values):.1f})")


if __name__ == "__main__":
    main()
