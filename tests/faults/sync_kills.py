#!/usr/bin/env python3
"""`kill -9` at every step of a sync: the real `reprise sync` is killed at the n-th call of each
syscall that makes something durable or visible — write, pwrite64, fsync, fdatasync, rename,
unlink, ftruncate — for n = 1, 2, … until a run gets through unkilled. strace's fault
injection sends the SIGKILL as the syscall is entered, so every step is hit exactly, not by
timing.

Two data directories share one folder. Before each killed run, device A answers a card (an
acknowledged answer). The killed run is A's sync (writing out: segment, rename, the database's
record of it, the device file) or B's (reading in: one transaction). After each kill:

  - both databases pass `PRAGMA integrity_check`;
  - the next `reprise sync` of the killed device completes;
  - A's review log holds every answer it acknowledged, and after B syncs so does B's;
  - `reprise sync verify` passes on both;
  - no unfinished temporary file is left in A's own log folder.

Then the same with a pack: before each killed run A imports a new table of terms, so the killed
sync writes the pack's file out (A) or fetches and imports it (B); afterwards B holds every pack
A imported, and the checks above hold.

Standard library and strace only. Exits 1 if anything was lost, corrupt or stuck. See
docs/FAULTS.md.
"""

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone

DB_FILE = "reprise.sqlite3"
SYSCALLS = ["write", "pwrite64", "fsync", "fdatasync", "rename", "unlink", "ftruncate"]
START = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)


class Failed(Exception):
    pass


class Device:
    def __init__(self, binary, root, name):
        self.binary = binary
        self.dir = os.path.join(root, name)
        self.name = name

    def argv(self, now, *args):
        stamp = now.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        return [self.binary, "--data-dir", self.dir, "--now", stamp, *args]

    def run(self, now, *args):
        proc = subprocess.run(self.argv(now, *args), capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise Failed(f"{self.name}: reprise {' '.join(args)} failed: {proc.stderr.strip()}")
        return proc.stdout

    def killed_at(self, now, syscall, n, *args):
        """Runs the command with SIGKILL injected at the n-th `syscall`; True if it was killed."""
        argv = [
            "strace", "-f", "-qq", "-o", os.devnull,
            "-e", f"trace={syscall}",
            "-e", f"inject={syscall}:signal=KILL:when={n}",
            *self.argv(now, *args),
        ]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        # strace exits with the traced process's status; killed shows as 128 + 9 or -9.
        return proc.returncode in (137, -9)

    def integrity(self):
        conn = sqlite3.connect(os.path.join(self.dir, DB_FILE))
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()

    def reviews(self):
        conn = sqlite3.connect(os.path.join(self.dir, DB_FILE))
        try:
            return {bytes(r[0]).hex() for r in conn.execute("SELECT uuid FROM revlog")}
        finally:
            conn.close()

    def verify(self, now):
        proc = subprocess.run(self.argv(now, "sync", "verify"), capture_output=True, text=True)
        if proc.returncode != 0:
            raise Failed(f"{self.name}: sync verify: {proc.stdout.strip()} {proc.stderr.strip()}")


def answer_one(device, now):
    card = json.loads(device.run(now, "next", "--json"))
    if card is None:
        raise Failed(f"{device.name}: nothing to study at {now}")
    device.run(now, "answer", str(card["card_id"]), "good", "--json")


def check(a, b, folder, acknowledged, now):
    for d in (a, b):
        result = d.integrity()
        if result != "ok":
            raise Failed(f"{d.name}: integrity_check says {result}")
    a.run(now, "sync")
    b.run(now, "sync")
    missing = acknowledged - a.reviews()
    if missing:
        raise Failed(f"a lost {len(missing)} acknowledged answers")
    missing = acknowledged - b.reviews()
    if missing:
        raise Failed(f"b lacks {len(missing)} of a's answers after syncing")
    a.verify(now)
    b.verify(now)
    log = os.path.join(folder, "log")
    for device_dir in os.listdir(log):
        stray = [f for f in os.listdir(os.path.join(log, device_dir)) if f.endswith(".tmp")]
        if stray:
            raise Failed(f"unfinished files left in log/{device_dir}: {stray}")


def packs(device, now):
    return {p["id"] for p in json.loads(device.run(now, "packs", "--json")) if not p["builtin"]}


def import_new_pack(device, root, round_no, now):
    """A imports a table of three terms of its own; returns the pack's id."""
    path = os.path.join(root, f"terms-{round_no}.csv")
    with open(path, "w", encoding="utf-8") as f:
        for i in range(3):
            f.write(f"Term {round_no}.{i};What term {round_no}.{i} means\n")
    return json.loads(device.run(now, "import", path, "--json"))["pack"]


def kill_each_step(who, syscalls, max_n, before_each, after_each):
    """Kills `who`'s sync at each step of each syscall in turn; returns how many kills."""
    kills = 0
    for syscall in syscalls:
        for n in range(1, max_n + 1):
            now = before_each()
            killed = who.killed_at(now, syscall, n, "sync")
            kills += killed
            after_each(now)
            if not killed:
                break
        print(f"  {who.name} sync, killed at each {syscall}: {n - 1 if not killed else n} steps")
    return kills


def campaign(binary, syscalls, max_n):
    root = tempfile.mkdtemp(prefix="reprise-sync-kills-")
    try:
        folder = os.path.join(root, "Shared")
        a, b = Device(binary, root, "a"), Device(binary, root, "b")
        now = START
        a.run(now, "sync", "--to", folder, "--name", "a")
        b.run(now, "sync", "--to", folder, "--name", "b")
        acknowledged, imported = set(), set()
        clock = {"now": now, "round": 0}
        kills = 0
        for who in (a, b):

            def answered():
                # A new day now and then keeps new cards coming (20 a day).
                clock["now"] += timedelta(hours=2)
                before = a.reviews()
                answer_one(a, clock["now"])
                acknowledged.update(a.reviews() - before)
                if who is b:
                    a.run(clock["now"], "sync")
                return clock["now"]

            kills += kill_each_step(
                who, syscalls, max_n, answered,
                lambda now: check(a, b, folder, acknowledged, now),
            )
        print("  with a new pack each time:")
        for who in (a, b):

            def pack_imported():
                clock["now"] += timedelta(minutes=10)
                clock["round"] += 1
                imported.add(import_new_pack(a, root, clock["round"], clock["now"]))
                if who is b:
                    a.run(clock["now"], "sync")
                return clock["now"]

            def packs_arrived(now):
                check(a, b, folder, acknowledged, now)
                missing = imported - packs(b, now)
                if missing:
                    raise Failed(f"b lacks packs a imported: {sorted(missing)}")

            kills += kill_each_step(who, syscalls, max_n, pack_imported, packs_arrived)
        return kills, len(acknowledged), len(imported)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default="target/debug/reprise")
    parser.add_argument("--max", type=int, default=400, help="most kills per syscall")
    args = parser.parse_args()
    if shutil.which("strace") is None:
        print("sync_kills: strace is not installed (apt-get install strace)", file=sys.stderr)
        return 1
    try:
        kills, answers, imported = campaign(os.path.abspath(args.bin), SYSCALLS, args.max)
    except Failed as e:
        print(f"sync_kills: FAILED: {e}", file=sys.stderr)
        return 1
    print(
        f"sync_kills: {kills} kills, {answers} acknowledged answers, {imported} imported packs, "
        "nothing lost"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
