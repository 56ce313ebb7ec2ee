#!/usr/bin/env python3
"""Anki's side of docs/BENCHMARKS.md "Writing cards": the same writes as `cargo bench --bench
collection` measures for Reprise, through Anki's real Rust backend (the `anki` package from PyPI),
on a collection of 100,000 cards (50,000 "Basic (and reversed card)" notes).

    python3 -m venv v && v/bin/pip install anki
    v/bin/python scripts/anki_authoring.py

Prints the median wall and CPU time of: adding a cloze note with two cards, editing a note's text
(taking a cloze number out: Anki keeps its card until "Empty Cards"; Reprise retires it), and
undoing an edit. Anki commits each
operation (no long-running transaction since 23.10), as Reprise does.
"""

import statistics
import tempfile
import time
from pathlib import Path

import anki.collection  # noqa: F401  (import order the package expects)
from anki.collection import AddNoteRequest, Collection

NOTES = 50_000


def measure(runs, work):
    wall, cpu = [], []
    for i in range(runs):
        w, c = time.perf_counter(), time.thread_time()
        work(i)
        cpu.append(time.thread_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def report(name, sample):
    print(f"{name:<44} median wall {sample[0]:8.3f} ms   median CPU {sample[1]:8.3f} ms")


def main():
    # On the disk the Reprise benchmark writes to (target/), not a RAM disk.
    target = Path(__file__).resolve().parent.parent / "target"
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target) as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        deck = col.decks.id("Bench")
        reversed_type = col.models.by_name("Basic (and reversed card)")
        started = time.perf_counter()
        requests = []
        for n in range(NOTES):
            note = col.new_note(reversed_type)
            note["Front"] = f"Term {n}"
            note["Back"] = f"The definition of term number {n}."
            requests.append(AddNoteRequest(note=note, deck_id=deck))
        col.add_notes(requests)
        print(f"made {col.card_count()} cards in {time.perf_counter() - started:.1f} s")

        cloze_type = col.models.by_name("Cloze")
        added = []

        def add(i):
            note = col.new_note(cloze_type)
            note["Text"] = f"{{{{c1::Raft}}}} elects a {{{{c2::leader}}}} in term {i}"
            note["Back Extra"] = "Terms only go up."
            note.tags = ["bench"]
            col.add_note(note, deck)
            added.append(note.id)

        report("add a cloze note, 2 cards", measure(100, add))

        def edit(i):
            note = col.get_note(added[i])
            note["Text"] = f"{{{{c1::Raft}}}} elects a leader ({i})"
            col.update_note(note)

        # Anki keeps the card of a cloze number taken out until "Empty Cards" (a scan of the
        # whole collection, ~130 ms here) deletes it; Reprise retires it in the same step.
        report("edit a note's text (its c2 card stays)", measure(100, edit))
        # Anki keeps the last 30 steps.
        report("undo an edit", measure(20, lambda _: col.undo()))
        col.close()


if __name__ == "__main__":
    main()
