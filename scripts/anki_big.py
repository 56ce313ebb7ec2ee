#!/usr/bin/env python3
"""Big Anki collections for docs/BENCHMARKS.md "Big collections", made and measured by Anki's real
Rust backend (the `anki` package from PyPI):

    python3 -m venv v && v/bin/pip install anki
    v/bin/python scripts/anki_big.py make target/bench-data/anki-100k.apkg
    v/bin/python scripts/anki_big.py import target/bench-data/anki-100k.apkg
    v/bin/python scripts/anki_big.py states target/bench-data/anki-100k.apkg states.json

`make` writes Anki's own export (current format, with scheduling) of a collection of NOTES
"Basic" notes with FSRS on, of which REVIEWED cards were answered (Easy: straight to review) and
TWICE of those answered again (Good) — so REVIEWED + TWICE review-log rows; with EARLIER, each
reviewed card also has that many rows logged before (a long history: `--reviewed 50000
--earlier 19` makes the 1M-row package of "Big collections").
`import` prints the median wall time, over RUNS, of Anki importing that package into a new
collection, and the collection's size on disk after it (checkpointed, as Anki leaves it when
closed). `states` imports it once and writes each card's scheduling state as Anki holds it,
keyed by the note's first field; `compare` checks a Reprise collection that imported the same
package against those states, card by card (any Python 3 runs it):

    reprise --data-dir D import target/bench-data/anki-100k.apkg
    python3 scripts/anki_big.py compare states.json D/reprise.sqlite3
"""

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import sqlite3
import sys

TARGET = Path(__file__).resolve().parent.parent / "target"
DAY_MS = 86_400_000


def anki():
    """Anki's modules, loaded only by the commands that drive Anki."""
    import anki.collection as collection  # import order the package expects

    return collection


def make(out: Path, notes: int, reviewed: int, twice: int, earlier: int) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    a = anki()
    with tempfile.TemporaryDirectory(dir=TARGET) as tmp:
        col = a.Collection(str(Path(tmp) / "collection.anki2"))
        col.set_config("fsrs", True)
        deck = col.decks.id("Big")
        basic = col.models.by_name("Basic")
        started = time.perf_counter()
        requests = []
        for n in range(notes):
            note = col.new_note(basic)
            note["Front"] = f"Term {n}"
            note["Back"] = (
                f"The definition of term number {n}: a <b>short</b> sentence, as most decks have."
            )
            note.tags = [f"chapter{n % 50}"]
            requests.append(a.AddNoteRequest(note=note, deck_id=deck))
        col.add_notes(requests)
        print(f"added {col.card_count()} cards in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        cards = col.find_cards("deck:Big", order="c.id")
        for i, cid in enumerate(cards[:reviewed]):
            card = col.get_card(cid)
            card.start_timer()
            col.sched.answerCard(card, 4)
            if i < twice:
                card.start_timer()
                col.sched.answerCard(card, 3)
        print(f"answered in {time.perf_counter() - started:.1f} s")
        if earlier:
            log_earlier(col, cards[:reviewed], earlier)
        if out.exists():
            out.unlink()
        col.export_anki_package(
            out_path=str(out),
            options=a.ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False
            ),
            limit=None,
        )
        col.close()
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


def log_earlier(col, cards, per_card: int) -> None:
    """Logs PER_CARD earlier answers of each card, an interval apart and all before the real
    answers: a learning answer a year and more ago, then reviews (every tenth Again, relearned
    the next day). Anki's own log rows, as a long-used collection holds them."""
    now = int(time.time() * 1000)
    rows = []
    for n, cid in enumerate(cards):
        day, interval = 400 + 20 * per_card, 0
        for i in range(per_card):
            again = i > 0 and (i * 7 + n) % 10 == 0
            after_lapse = i > 1 and ((i - 1) * 7 + n) % 10 == 0
            kind = 0 if i == 0 else 2 if after_lapse else 1
            ease = 1 if again else 3
            last, interval = interval, 1 if again else min(20, max(1, round(interval * 1.8)))
            rows.append((now - day * DAY_MS + n, cid, ease, interval, last, 2500, 6000, kind))
            day -= interval
    col.db.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    print(f"logged {len(rows)} earlier answers")


def import_once(package: Path, tmp: Path):
    a = anki()
    col = a.Collection(str(tmp / "collection.anki2"))
    request = a.ImportAnkiPackageRequest(
        package_path=str(package), options=a.ImportAnkiPackageOptions(with_scheduling=True)
    )
    started = time.perf_counter()
    col.import_anki_package(request)
    return time.perf_counter() - started, col


def import_times(package: Path, runs: int) -> None:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=TARGET) as tmp:
            took, col = import_once(package, Path(tmp))
            times.append(took)
            cards = col.card_count()
            col.close()
            size = (Path(tmp) / "collection.anki2").stat().st_size
            print(f"  {took:.3f} s, {cards} cards, collection {size / 1e6:.1f} MB")
    print(f"Anki import: median {statistics.median(times):.3f} s over {runs} runs")


def states(package: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory(dir=TARGET) as tmp:
        _, col = import_once(package, Path(tmp))
        rows = col.db.all(
            "SELECT n.flds, c.type, c.queue, c.due, c.ivl, c.reps, c.lapses, c.data,"
            " (SELECT count(*) FROM revlog r WHERE r.cid = c.id)"
            " FROM cards c JOIN notes n ON n.id = c.nid"
        )
        result = {}
        for flds, ctype, queue, due, ivl, reps, lapses, data, logs in rows:
            memory = json.loads(data) if data else {}
            result[flds.split("\x1f")[0]] = {
                "type": ctype,
                "queue": queue,
                "due": due,
                "ivl": ivl,
                "reps": reps,
                "lapses": lapses,
                "stability": memory.get("s"),
                "difficulty": memory.get("d"),
                "reviews": logs,
            }
        result["_today"] = col.sched.today
        col.close()
    out.write_text(json.dumps(result))
    print(f"wrote {len(result) - 1} cards' states to {out}")


# The key and word tables of packed note fields (src/store/packed_fields.rs).
PACKED_KEYS = ["kind", "notetype", "front", "back", "deck", "tags", "format", "id", "name",
               "aliases", "definition", "explanation", "area", "level", "lessons", "see_also",
               "sources", "lesson", "lesson_title", "question"]
PACKED_WORDS = ["basic", "cloze", "Basic", "Cloze", "Basic (and reversed card)", "markdown",
                "Default"]


def unpack_fields(packed: bytes) -> str:
    """A note's fields as JSON text, from the packed form src/store/packed_fields.rs writes."""
    if isinstance(packed, str):
        return packed
    assert packed[0] == 1, "unknown packed format"
    at, members = 1, {}

    def text():
        nonlocal at
        length, shift = 0, 0
        while True:
            byte = packed[at]
            at += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        value = packed[at:at + length].decode()
        at += length
        return value

    while at < len(packed):
        code = packed[at]
        at += 1
        key = text() if code == 0 else PACKED_KEYS[code - 1]
        tag = packed[at]
        at += 1
        members[key] = text() if tag == 0 else json.loads(text()) if tag == 1 else PACKED_WORDS[tag - 2]
    return json.dumps(members)


def compare(states_file: Path, db: Path) -> int:
    """Prints each way Reprise's cards differ from Anki's states; returns how many differ."""
    theirs = json.loads(states_file.read_text())
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.create_function("unpack_fields", 1, unpack_fields, deterministic=True)
    rows = conn.execute(
        "SELECT json_extract(unpack_fields(n.fields), '$.front'), c.state, c.due, c.interval_days, c.reps,"
        " c.lapses, c.stability, c.difficulty,"
        " (SELECT count(*) FROM revlog r WHERE r.card_id = c.id)"
        " FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.pack_id LIKE 'anki.%'"
    ).fetchall()
    wrong, offsets, seen = 0, set(), 0

    def differs(front, what, ours, anki_value):
        nonlocal wrong
        wrong += 1
        if wrong <= 20:
            print(f"  {front}: {what} is {ours} here, {anki_value} in Anki")

    for front, state, due, interval, reps, lapses, stability, difficulty, logs in rows:
        card = theirs.get(front)
        if card is None:
            differs(front, "card", "present", "absent")
            continue
        seen += 1
        # Anki: type 0 new, 2 review; the same numbers here.
        for what, ours, anki_value in [
            ("state", state, card["type"]),
            ("reps", reps, card["reps"]),
            ("lapses", lapses, card["lapses"]),
            ("review-log rows", logs, card["reviews"]),
        ]:
            if ours != anki_value:
                differs(front, what, ours, anki_value)
        if card["type"] == 2:
            if round(interval) != card["ivl"]:
                differs(front, "interval (days)", interval, card["ivl"])
            # Anki counts due days from its collection's creation; the offset to Reprise's
            # days is the same for every card.
            offsets.add(due // DAY_MS - card["due"])
            for what, ours, anki_value in [
                ("stability", stability, card["stability"]),
                ("difficulty", difficulty, card["difficulty"]),
            ]:
                if ours is None or abs(ours - anki_value) > 0.01 * max(1.0, anki_value):
                    differs(front, what, ours, anki_value)
    missing = len(theirs) - 1 - seen
    if missing:
        differs(f"{missing} cards", "imported", "no", "yes")
    if len(offsets) > 1:
        differs("due days", "offset from Anki's", sorted(offsets)[:5], "one offset")
    print(f"compared {seen} cards: {wrong} differences")
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("out", type=Path)
    m.add_argument("--notes", type=int, default=100_000)
    m.add_argument("--reviewed", type=int, default=20_000)
    m.add_argument("--twice", type=int, default=1_000)
    m.add_argument("--earlier", type=int, default=0, help="earlier log rows of each reviewed card")
    i = sub.add_parser("import")
    i.add_argument("package", type=Path)
    i.add_argument("--runs", type=int, default=3)
    s = sub.add_parser("states")
    s.add_argument("package", type=Path)
    s.add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("states", type=Path)
    c.add_argument("db", type=Path)
    args = parser.parse_args()
    if args.command == "make":
        make(args.out, args.notes, args.reviewed, args.twice, args.earlier)
    elif args.command == "import":
        import_times(args.package, args.runs)
    elif args.command == "states":
        states(args.package, args.out)
    else:
        sys.exit(1 if compare(args.states, args.db) else 0)


if __name__ == "__main__":
    main()
