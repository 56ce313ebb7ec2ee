#!/usr/bin/env python3
"""The fault campaign: the real `reprise` CLI killed, crowded and starved of disk space.

Scenarios (each run `--trials N` times, at random moments drawn from `--seed`):

  answers      answer cards one CLI process after another and SIGKILL one at a random moment;
               every answer the CLI acknowledged (exit 0 and its JSON) must be in the review log.
  imports      import a generated CSV or an Anki package, SIGKILL at a random moment; the
               collection holds none or all of it (notes, cards, review history).
  restore      restore a backup, SIGKILL at a random moment; the collection is exactly the old
               one (every acknowledged answer kept) or exactly the backup, never a mix, and a
               second `restore` finishes the job.
  two-procs    two CLI processes answering, reading, importing and backing up at once on one
               data directory (half the trials start from an empty one, the others with one
               process importing or removing a big pack first); no "locked"/"busy" failure
               ever reaches the user and every acknowledged answer is kept.
  full-disk    an import or an answer with the file size limit (RLIMIT_FSIZE, SIGXFSZ ignored,
               so writes fail with EFBIG, as on a full disk) set at a random size; the CLI
               either succeeds or says the disk is full, and with the limit lifted the
               collection opens holding everything acknowledged and none or all of the import.

After every trial the database must pass `PRAGMA integrity_check` (Python's sqlite3 on
DATA_DIR/reprise.sqlite3) and the CLI must open it (`reprise status --json`).

Standard library only. Prints a table, writes the figures as JSON (--json), exits 1 if anything
was lost, corrupt, partial or surfaced a lock. See docs/FAULTS.md.
"""

import argparse
import csv
import json
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DB_FILE = "reprise.sqlite3"
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
SCENARIOS = ["answers", "imports", "restore", "two-procs", "full-disk"]
# A message that says the disk is full, as the CLI must print it when a write fails for lack of
# space.
DISK_FULL = re.compile(r"disk is full", re.I)
LOCKED = re.compile(r"locked|busy", re.I)
# Each acknowledged answer is told apart by its `--duration-ms`, which the review log keeps up to
# a minute.
MAX_TOKEN = 60_000
START = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)


class Failed(Exception):
    """A trial found something lost, corrupt or partial."""


# ---- The CLI -------------------------------------------------------------------------------


class Cli:
    def __init__(self, binary):
        self.binary = binary

    def argv(self, data_dir, now, *args):
        return [self.binary, "--data-dir", data_dir, "--now", stamp(now), *args]

    def run(self, data_dir, now, *args, limit=None, timeout=120):
        """Runs to the end; returns (exit code, stdout, stderr)."""
        proc = subprocess.run(
            self.argv(data_dir, now, *args),
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=file_size_limit(limit) if limit is not None else None,
        )
        return proc.returncode, proc.stdout, proc.stderr

    def run_killed(self, data_dir, now, delay, *args):
        """Starts the command and SIGKILLs it after `delay` seconds unless it ended first.
        Returns (killed, exit code, stdout, stderr)."""
        proc = subprocess.Popen(
            self.argv(data_dir, now, *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + delay
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(min(0.002, max(0.0, deadline - time.monotonic())))
        killed = False
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed = True
        out, err = proc.communicate()
        return killed, proc.returncode, out, err


def file_size_limit(limit):
    def apply():
        # Ignored, SIGXFSZ would kill the process; with it ignored a write past the limit fails
        # with EFBIG, the way a full disk fails with ENOSPC.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def stamp(now):
    return now.strftime("%Y-%m-%dT%H:%M:%S+00:00")


# ---- Looking at the database ---------------------------------------------------------------


def db_path(data_dir):
    return os.path.join(data_dir, DB_FILE)


def connect(path):
    return sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=30)


def integrity(data_dir):
    """`PRAGMA integrity_check`'s verdict ('ok' when whole)."""
    path = db_path(data_dir)
    if not os.path.exists(path):
        return "missing"
    try:
        with_conn = connect(path)
        try:
            rows = with_conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            with_conn.close()
    except sqlite3.DatabaseError as e:
        return f"error: {e}"
    return "; ".join(str(r[0]) for r in rows)


def query(data_dir, sql, params=()):
    conn = connect(db_path(data_dir))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def answers_in(data_dir):
    """The review log's answers as (card id, duration token) pairs: each acknowledged answer is
    given a unique `--duration-ms`, which the log keeps."""
    return set(query(data_dir, "SELECT card_id, duration_ms FROM revlog"))


def pack_counts(data_dir, pack):
    """(packs rows, notes, cards, review-log rows) of one pack."""
    (row,) = query(
        data_dir,
        """SELECT (SELECT count(*) FROM packs WHERE id = ?1),
                  (SELECT count(*) FROM notes WHERE pack_id = ?1),
                  (SELECT count(*) FROM cards JOIN notes ON notes.id = cards.note_id
                    WHERE notes.pack_id = ?1),
                  (SELECT count(*) FROM revlog JOIN cards ON cards.id = revlog.card_id
                    JOIN notes ON notes.id = cards.note_id WHERE notes.pack_id = ?1)""",
        (pack,),
    )
    return row


def fingerprint(data_dir):
    """What tells two collections apart: review log ids, card schedules, installed packs."""
    revlog = query(
        data_dir, "SELECT card_id, uuid FROM revlog ORDER BY card_id, reviewed_at, uuid"
    )
    cards = query(data_dir, "SELECT count(*), total(reps), total(due), total(state) FROM cards")
    packs = query(data_dir, "SELECT id FROM packs ORDER BY id")
    return (tuple(revlog), tuple(cards), tuple(packs))


# ---- Figures -------------------------------------------------------------------------------


class Figures:
    FIELDS = [
        "trials",
        "kills",
        "acknowledged",
        "lost",
        "integrity_failures",
        "open_failures",
        "partial_imports",
        "mixed_restores",
        "locked_errors",
        "unclear_errors",
        "disk_full_errors",
    ]

    def __init__(self, name):
        self.name = name
        self.values = {f: 0 for f in self.FIELDS}
        self.messages = []
        self.outcomes = {}
        self.problems = []
        self.seconds = 0.0

    def outcome(self, what):
        """Counts how trials ended (old or restored collection, none or all of an import)."""
        self.outcomes[what] = self.outcomes.get(what, 0) + 1

    def add(self, field, n=1):
        self.values[field] += n

    def problem(self, text):
        self.problems.append(text)

    def bad(self):
        v = self.values
        return (
            v["lost"]
            + v["integrity_failures"]
            + v["open_failures"]
            + v["partial_imports"]
            + v["mixed_restores"]
            + v["locked_errors"]
            + v["unclear_errors"]
        ) > 0 or bool(self.problems)


# ---- Shared steps --------------------------------------------------------------------------


class Trial:
    """A data directory and a clock that moves on with every command."""

    def __init__(self, cli, data_dir, rng, now=START):
        self.cli = cli
        self.dir = data_dir
        self.rng = rng
        self.now = now
        self.acknowledged = set()
        self.token = 1

    def copy(self, data_dir):
        """A trial on a copy of this one's collection, from where it stands."""
        shutil.copytree(self.dir, data_dir)
        other = Trial(self.cli, data_dir, self.rng, self.now)
        other.acknowledged = set(self.acknowledged)
        other.token = self.token
        return other

    def tick(self, minutes=7):
        self.now += timedelta(minutes=minutes)
        return self.now

    def next_card(self):
        """The next card's (id, is_quiz), moving the clock on a day when nothing is due."""
        for _ in range(5):
            code, out, err = self.cli.run(self.dir, self.now, "next", "--json")
            if code != 0:
                raise Failed(f"next failed: {err.strip()}")
            card = json.loads(out)
            if card is not None:
                return card["card_id"], card.get("quiz") is not None
            self.tick(24 * 60)
        raise Failed("nothing due for five days")

    def answer_args(self, card, quiz):
        self.token += 1
        if self.token >= MAX_TOKEN // 2:
            raise Failed("out of answer tokens: fewer trials")
        return answer_argv(card, quiz, self.token), (card, self.token)

    def answer(self):
        """Answers the next card; returns how long the `answer` command took."""
        card, quiz = self.next_card()
        args, key = self.answer_args(card, quiz)
        start = time.monotonic()
        code, out, err = self.cli.run(self.dir, self.tick(), *args)
        span = time.monotonic() - start
        if code != 0:
            raise Failed(f"answer failed: {err.strip()}")
        acknowledge(self.acknowledged, key, out)
        return span

    def check(self, figures, where):
        """After a fault: the file is whole, the CLI opens it, every acknowledged answer is
        there. Returns False (and records why) if not."""
        ok = True
        verdict = integrity(self.dir)
        if verdict != "ok":
            figures.add("integrity_failures")
            figures.problem(f"{where}: integrity_check: {verdict}")
            ok = False
        code, _, err = self.cli.run(self.dir, self.now, "status", "--json")
        if code != 0:
            figures.add("open_failures")
            figures.problem(f"{where}: the collection does not open: {err.strip()}")
            return False
        missing = self.acknowledged - answers_in(self.dir)
        if missing:
            figures.add("lost", len(missing))
            figures.problem(f"{where}: acknowledged answers lost: {sorted(missing)[:5]}")
            ok = False
        return ok


def answer_argv(card, quiz, token):
    """`answer CARD good`, marked with `token`; a quiz card is answered with its first option."""
    argv = ["answer", str(card), "good", "--duration-ms", str(token), "--json"]
    if quiz:
        argv[3:3] = ["--choose", "1"]
    return argv


def acknowledge(acknowledged, key, out):
    """An answer is acknowledged when the CLI exits 0 having printed its outcome."""
    outcome = json.loads(out)
    if outcome.get("card_id") != key[0]:
        raise Failed(f"answer printed another card: {out[:200]}")
    acknowledged.add(key)


def write_csv(path, rows, tag):
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["term", "definition", "tags"])
        for i in range(rows):
            term = f"{tag} term {i}"
            out.writerow([term, f"what {term} means, said at some length", tag])


def fresh_collection(cli, path, rng, answers=0):
    trial = Trial(cli, path, rng)
    code, _, err = cli.run(path, trial.now, "status", "--json")
    if code != 0:
        raise Failed(f"cannot create a collection: {err}")
    for _ in range(answers):
        trial.answer()
    return trial


def copy_collection(src, dest):
    shutil.copytree(src, dest)


# ---- Scenarios -----------------------------------------------------------------------------


def scenario_answers(cli, work, rng, trials, figures, opts):
    trial = fresh_collection(cli, os.path.join(work, "answers"), rng)
    # How long one `answer` takes (the fastest of three: a busy machine slows some), so a kill
    # can land anywhere in it.
    span = min(trial.answer() for _ in range(3))
    for t in range(trials):
        for _ in range(rng.randint(0, 3)):
            trial.answer()
        card, quiz = trial.next_card()
        args, key = trial.answer_args(card, quiz)
        killed, code, out, err = cli.run_killed(
            trial.dir, trial.tick(), rng.uniform(0, span * 1.2), *args
        )
        figures.add("trials")
        if killed:
            figures.add("kills")
        elif code == 0:
            acknowledge(trial.acknowledged, key, out)
        else:
            figures.problem(f"answers #{t}: answer failed unkilled: {err.strip()}")
        trial.check(figures, f"answers #{t}")
    figures.add("acknowledged", len(trial.acknowledged))


def import_expectations(cli, base, now, files, work):
    """Each file's pack, its counts after an import left to finish, and how long that took."""
    expected = {}
    probe = os.path.join(work, "import-probe")
    for path in files:
        result = {}

        def run():
            shutil.rmtree(probe, ignore_errors=True)
            copy_collection(base, probe)
            start = time.monotonic()
            code, out, err = cli.run(probe, now, "import", path, "--json")
            result["span"] = min(result.get("span", 1e9), time.monotonic() - start)
            if code != 0:
                raise Failed(f"importing {path} failed: {err}")
            result["pack"] = json.loads(out)["pack"]

        for _ in range(3):
            run()
        pack = result["pack"]
        expected[path] = (pack, pack_counts(probe, pack), result["span"])
    shutil.rmtree(probe, ignore_errors=True)
    return expected


def check_import(trial, figures, where, path, expected, code):
    """None or all of the import; all of it if the CLI acknowledged it."""
    pack, full, _ = expected[path]
    counts = pack_counts(trial.dir, pack)
    figures.outcome("import held none" if counts == (0, 0, 0, 0) else "import held all"
                    if counts == full else "import partial")
    if counts not in ((0, 0, 0, 0), full):
        figures.add("partial_imports")
        figures.problem(
            f"{where}: {os.path.basename(path)} holds {counts}, neither nothing nor {full}"
        )
    elif code == 0 and counts != full:
        figures.add("lost")
        figures.problem(f"{where}: an acknowledged import is missing")


def scenario_imports(cli, work, rng, trials, figures, opts):
    base = os.path.join(work, "imports-base")
    seed = fresh_collection(cli, base, rng, answers=3)
    csv_file = os.path.join(work, "faults.csv")
    write_csv(csv_file, opts.csv_rows, "faults")
    files = [csv_file] + [
        os.path.join(FIXTURES, f) for f in sorted(os.listdir(FIXTURES)) if f.endswith(".apkg")
    ]
    expected = import_expectations(cli, base, seed.now, files, work)
    for t in range(trials):
        # The big CSV most of the time: its transaction is the long one.
        path = csv_file if rng.random() < 0.6 else rng.choice(files)
        trial = seed.copy(os.path.join(work, f"imports-{t}"))
        killed, code, out, err = cli.run_killed(
            trial.dir, trial.tick(), rng.uniform(0, expected[path][2]), "import", path,
            "--json"
        )
        figures.add("trials")
        figures.add("kills", killed)
        if not killed and code != 0:
            figures.problem(f"imports #{t}: import failed unkilled: {err.strip()}")
        if trial.check(figures, f"imports #{t}"):
            check_import(trial, figures, f"imports #{t}", path, expected, code)
        figures.add("acknowledged", len(trial.acknowledged))
        shutil.rmtree(trial.dir, ignore_errors=True)


def scenario_restore(cli, work, rng, trials, figures, opts):
    base = os.path.join(work, "restore-base")
    seed = fresh_collection(cli, base, rng, answers=2)
    # Some bulk, so that copying takes long enough for kills to land in every step.
    csv_file = os.path.join(work, "restore.csv")
    write_csv(csv_file, opts.csv_rows // 4, "restore")
    code, _, err = cli.run(base, seed.tick(), "import", csv_file)
    if code != 0:
        raise Failed(f"import for restore failed: {err}")
    backup_file = os.path.join(work, "restore-backup.sqlite3")
    code, _, err = cli.run(base, seed.tick(), "backup", backup_file)
    if code != 0:
        raise Failed(f"backup failed: {err}")
    for _ in range(3):
        seed.answer()
    backup_dir = os.path.join(work, "restore-backup")
    os.makedirs(backup_dir)
    shutil.copy(backup_file, db_path(backup_dir))
    restored = fingerprint(backup_dir)

    def timed_restore():
        shutil.rmtree(os.path.join(work, "restore-probe"), ignore_errors=True)
        copy_collection(base, os.path.join(work, "restore-probe"))
        start = time.monotonic()
        code, _, err = cli.run(os.path.join(work, "restore-probe"), seed.tick(), "restore",
                               backup_file)
        if code != 0:
            raise Failed(f"restore failed: {err}")
        return time.monotonic() - start

    # The fastest of three: a busy machine slows some.
    span = min(timed_restore() for _ in range(3))
    for t in range(trials):
        trial = seed.copy(os.path.join(work, f"restore-{t}"))
        for _ in range(rng.randint(0, 2)):
            trial.answer()
        old = fingerprint(trial.dir)
        killed, code, out, err = cli.run_killed(
            trial.dir, trial.tick(), rng.uniform(0, span * 1.2), "restore", backup_file
        )
        figures.add("trials")
        figures.add("kills", killed)
        if not killed and code != 0:
            figures.problem(f"restore #{t}: restore failed unkilled: {err.strip()}")
        verdict = integrity(trial.dir)
        if verdict != "ok":
            figures.add("integrity_failures")
            figures.problem(f"restore #{t}: integrity_check: {verdict}")
        now = fingerprint(trial.dir) if verdict == "ok" else None
        figures.outcome("restore left the backup" if now == restored else
                        "restore left the old collection" if now == old else "restore mixed")
        if now == restored:
            trial.acknowledged = {k for k in trial.acknowledged if k in answers_in(backup_dir)}
        elif now != old:
            figures.add("mixed_restores")
            figures.problem(f"restore #{t}: the collection is neither the old one nor the backup")
        elif code == 0:
            figures.add("lost")
            figures.problem(f"restore #{t}: an acknowledged restore did not happen")
        trial.check(figures, f"restore #{t}")
        # Whatever the kill left, restoring again (the same second, too) finishes the job.
        code, _, err = cli.run(trial.dir, trial.now, "restore", backup_file)
        if code != 0:
            figures.problem(f"restore #{t}: restoring again failed: {err.strip()}")
        elif fingerprint(trial.dir) != restored:
            figures.add("mixed_restores")
            figures.problem(f"restore #{t}: restoring again did not give the backup")
        figures.add("acknowledged", len(trial.acknowledged))
        shutil.rmtree(trial.dir, ignore_errors=True)


def scenario_two_procs(cli, work, rng, trials, figures, opts):
    shared = os.path.join(work, "two-procs")
    small_csv = os.path.join(work, "two-procs-csv")
    os.makedirs(small_csv)
    # A long write for the other process to wait on: the big import, then its removal.
    bulk = os.path.join(work, "bulk.csv")
    write_csv(bulk, opts.csv_rows // 2, "bulk")
    bulk_in = [False]
    acknowledged = set()
    tokens = iter(range(MAX_TOKEN // 2, MAX_TOKEN + 1))
    lock = threading.Lock()
    benign = []
    for t in range(trials):
        # Half the trials start both processes on an empty directory: both create, migrate and
        # install at once, as when the app and the CLI are started together the first time.
        cold = t % 2 == 0
        data_dir = os.path.join(work, f"two-procs-cold-{t}") if cold else shared
        now = START + timedelta(days=t)
        acked = set()
        errors = []
        start = threading.Barrier(2)

        def worker(me, seed):
            wrng = random.Random(seed)
            clock = [now]
            start.wait()
            for r in range(opts.rounds):
                clock[0] += timedelta(minutes=3)
                op = wrng.choices(
                    ["answer", "read", "import", "backup"], weights=[6, 3, 1, 1]
                )[0]
                if r == 0 and me == 0 and not cold:
                    op = "bulk"
                if op == "bulk":
                    if bulk_in[0]:
                        argv = ["pack", "remove", "csv.bulk", "--keep-history"]
                    else:
                        argv = ["import", bulk, "--json"]
                    code, out, err = cli.run(data_dir, clock[0], *argv)
                    if code == 0:
                        bulk_in[0] = not bulk_in[0]
                elif op == "answer":
                    code, out, err = cli.run(data_dir, clock[0], "next", "--json")
                    if code == 0 and json.loads(out) is not None:
                        card = json.loads(out)
                        with lock:
                            token = next(tokens)
                        args = answer_argv(card["card_id"], card.get("quiz") is not None, token)
                        code, out, err = cli.run(data_dir, clock[0], *args)
                        if code == 0:
                            with lock:
                                acknowledge(acked, (card["card_id"], token), out)
                elif op == "read":
                    what = wrng.choice([["status", "--json"], ["stats", "--json"],
                                        ["browse", "--limit", "5", "--json"], ["packs", "--json"]])
                    code, out, err = cli.run(data_dir, clock[0], *what)
                elif op == "import":
                    path = os.path.join(small_csv, f"t{t}w{me}r{r}.csv")
                    write_csv(path, 300, f"t{t}w{me}r{r}")
                    code, out, err = cli.run(data_dir, clock[0], "import", path, "--json")
                else:
                    dest = os.path.join(work, f"two-procs-backup-{t}-{me}-{r}.sqlite3")
                    code, out, err = cli.run(data_dir, clock[0], "backup", dest, "--json")
                    if code == 0:
                        os.remove(dest)
                if code != 0:
                    with lock:
                        errors.append((op, err.strip()))

        threads = [
            threading.Thread(target=worker, args=(me, rng.random())) for me in range(2)
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        figures.add("trials")
        for op, err in errors:
            if LOCKED.search(err):
                figures.add("locked_errors")
                figures.problem(f"two-procs #{t}: {op}: {err}")
            elif op == "answer" and ("not due" in err or "no card with id" in err):
                # Both processes picked the same card (or the other removed its pack); the
                # answer is refused, as it should be, and not acknowledged.
                benign.append(err)
            else:
                figures.add("unclear_errors")
                figures.problem(f"two-procs #{t}: {op} failed: {err}")
        if not cold:
            acknowledged |= acked
        trial = Trial(cli, data_dir, rng, now + timedelta(days=1))
        trial.acknowledged = acked if cold else acknowledged
        if trial.check(figures, f"two-procs #{t}") and cold:
            shutil.rmtree(data_dir, ignore_errors=True)
        figures.add("acknowledged", len(acked))
    if benign:
        figures.messages.append(
            f"{len(benign)} answers refused: the other process had answered or removed the card"
        )


def scenario_full_disk(cli, work, rng, trials, figures, opts):
    base = os.path.join(work, "full-disk-base")
    seed = fresh_collection(cli, base, rng, answers=3)
    csv_file = os.path.join(work, "full-disk.csv")
    write_csv(csv_file, opts.csv_rows // 4, "fulldisk")
    files = [csv_file, os.path.join(FIXTURES, "anki_history_200.apkg")]
    expected = import_expectations(cli, base, seed.now, files, work)
    seen = {}
    for t in range(trials):
        trial = seed.copy(os.path.join(work, f"full-disk-{t}"))
        size = os.path.getsize(db_path(trial.dir))
        # The limit: room for a few pages only (the WAL cannot grow), below the file's size
        # (a checkpoint cannot write back), or a little above it.
        limit = rng.choice([
            rng.randint(0, 32 * 1024),
            rng.randint(size // 2, size),
            rng.randint(size, size + 512 * 1024),
        ])
        figures.add("trials")
        kind = rng.choice(["import", "answer"])
        if kind == "import":
            path = rng.choice(files)
            code, out, err = cli.run(trial.dir, trial.tick(), "import", path, "--json",
                                     limit=limit)
        else:
            card, quiz = trial.next_card()
            args, key = trial.answer_args(card, quiz)
            code, out, err = cli.run(trial.dir, trial.tick(), *args, limit=limit)
            if code == 0:
                acknowledge(trial.acknowledged, key, out)
        figures.outcome(f"{kind} {'refused' if code else 'done'}")
        if code != 0:
            figures.add("disk_full_errors")
            message = err.strip()
            if not DISK_FULL.search(message):
                figures.add("unclear_errors")
                figures.problem(f"full-disk #{t}: {kind} with limit {limit}: unclear: {message}")
            seen.setdefault(kind, message)
        if trial.check(figures, f"full-disk #{t}") and kind == "import":
            check_import(trial, figures, f"full-disk #{t}", path, expected, code)
        figures.add("acknowledged", len(trial.acknowledged))
        shutil.rmtree(trial.dir, ignore_errors=True)
    for kind, message in sorted(seen.items()):
        figures.messages.append(f"{kind} on a full disk printed: {message}")


RUNNERS = {
    "answers": scenario_answers,
    "imports": scenario_imports,
    "restore": scenario_restore,
    "two-procs": scenario_two_procs,
    "full-disk": scenario_full_disk,
}


# ---- Main ----------------------------------------------------------------------------------


def table(all_figures):
    cols = ["scenario"] + Figures.FIELDS + ["seconds"]
    rows = [
        [f.name] + [str(f.values[c]) for c in Figures.FIELDS] + [f"{f.seconds:.0f}"]
        for f in all_figures
    ]
    totals = ["total"] + [
        str(sum(f.values[c] for f in all_figures)) for c in Figures.FIELDS
    ] + [f"{sum(f.seconds for f in all_figures):.0f}"]
    rows.append(totals)
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
    line = lambda r: "  ".join(v.rjust(w) if i else v.ljust(w) for i, (v, w) in
                               enumerate(zip(r, widths)))
    return "\n".join([line(cols), line(["-" * w for w in widths]), *map(line, rows)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=50, help="trials per scenario")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--quick", action="store_true",
                        help="CI: a few trials of each scenario, smaller imports")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help=f"comma-separated, of {', '.join(SCENARIOS)}")
    parser.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "reprise"),
                        help="the reprise CLI to test (default: target/release/reprise)")
    parser.add_argument("--build", action="store_true",
                        help="cargo build --release --bin reprise first")
    parser.add_argument("--json", default=os.path.join(ROOT, "target", "faults.json"),
                        help="where to write the figures")
    parser.add_argument("--csv-rows", type=int, default=20_000,
                        help="rows of the generated CSV import")
    parser.add_argument("--rounds", type=int, default=12,
                        help="commands each process runs per two-procs trial")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    opts = parser.parse_args()
    if opts.quick:
        opts.trials = min(opts.trials, 8)
        opts.csv_rows = min(opts.csv_rows, 5_000)
        opts.rounds = min(opts.rounds, 8)
    seed = opts.seed if opts.seed is not None else random.randrange(2**32)
    if opts.build:
        cargo = shutil.which("cargo") or os.path.expanduser("~/.cargo/bin/cargo")
        subprocess.run([cargo, "build", "--release", "--locked", "--bin", "reprise"],
                       cwd=ROOT, check=True)
    if not os.access(opts.bin, os.X_OK):
        sys.exit(f"{opts.bin} not found: build it (cargo build --release --bin reprise) or "
                 "pass --build")
    cli = Cli(opts.bin)
    scenarios = [s.strip() for s in opts.scenarios.split(",") if s.strip()]
    for s in scenarios:
        if s not in RUNNERS:
            sys.exit(f"unknown scenario '{s}'; the scenarios are {', '.join(SCENARIOS)}")
    work = tempfile.mkdtemp(prefix="reprise-faults-")
    print(f"fault campaign: seed {seed}, {opts.trials} trials per scenario, work in {work}",
          flush=True)
    all_figures = []
    started = time.monotonic()
    for i, name in enumerate(scenarios):
        figures = Figures(name)
        rng = random.Random(f"{seed}-{name}")
        begin = time.monotonic()
        try:
            RUNNERS[name](cli, work, rng, opts.trials, figures, opts)
        except Failed as e:
            figures.problem(f"{name}: stopped: {e}")
        figures.seconds = time.monotonic() - begin
        all_figures.append(figures)
        print(f"  {name}: {figures.values['trials']} trials, {figures.values['kills']} kills, "
              f"{len(figures.problems)} problems, {figures.seconds:.1f} s", flush=True)
    elapsed = time.monotonic() - started
    print()
    print(table(all_figures))
    for f in all_figures:
        if f.outcomes:
            print(f"  {f.name}: " + ", ".join(f"{k}: {v}" for k, v in sorted(f.outcomes.items())))
        for m in f.messages:
            print(f"  {f.name}: {m}")
    problems = [p for f in all_figures for p in f.problems]
    for p in problems[:40]:
        print(f"PROBLEM {p}")
    failed = any(f.bad() for f in all_figures)
    report = {
        "seed": seed,
        "trials_per_scenario": opts.trials,
        "quick": opts.quick,
        "csv_rows": opts.csv_rows,
        "seconds": round(elapsed, 1),
        "passed": not failed,
        "scenarios": {
            f.name: {**f.values, "seconds": round(f.seconds, 1), "outcomes": f.outcomes,
                     "messages": f.messages, "problems": f.problems}
            for f in all_figures
        },
        "totals": {c: sum(f.values[c] for f in all_figures) for c in Figures.FIELDS},
    }
    os.makedirs(os.path.dirname(os.path.abspath(opts.json)), exist_ok=True)
    with open(opts.json, "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2)
    print(f"\n{'FAILED' if failed else 'passed'} in {elapsed:.0f} s; figures in {opts.json}")
    if failed or opts.keep:
        print(f"work directory kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
