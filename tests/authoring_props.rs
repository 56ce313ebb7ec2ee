//! Authoring's promises as properties. A learner adds cloze notes, changes which numbers they
//! ask, deletes them, answers their cards and undoes, at random. After every step each live
//! note asks exactly the cards its text makes, no card is both live and retired, and no answer
//! is lost but by undoing it; undoing every step leaves the collection as it started.

mod common;

use common::at;
use proptest::prelude::*;
use reprise::content::flash::TextFormat;
use reprise::notes::{ClozeDraft, NoteDraft};
use reprise::store::Store;
use reprise::{Collection, NoteId, Rating};
use tempfile::TempDir;

#[derive(Debug, Clone)]
enum Step {
    /// A note asking these cloze numbers.
    Add(Vec<u8>),
    /// The `i`-th note (mod the count) now asks these numbers.
    Edit(usize, Vec<u8>),
    Delete(usize),
    /// Answer the `i`-th note's first card.
    Answer(usize),
    Undo,
}

fn numbers() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::btree_set(1u8..6, 1..4).prop_map(|s| s.into_iter().collect())
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => numbers().prop_map(Step::Add),
        3 => (0usize..8, numbers()).prop_map(|(i, n)| Step::Edit(i, n)),
        1 => (0usize..8).prop_map(Step::Delete),
        2 => (0usize..8).prop_map(Step::Answer),
        2 => Just(Step::Undo),
    ]
}

fn text(numbers: &[u8]) -> String {
    numbers
        .iter()
        .map(|n| format!("{{{{c{n}::word{n}}}}}"))
        .collect::<Vec<_>>()
        .join(" and ")
}

fn cloze(numbers: &[u8]) -> NoteDraft {
    NoteDraft::Cloze(ClozeDraft {
        text: text(numbers),
        extra: String::new(),
        tags: vec![],
        format: TextFormat::Markdown,
    })
}

/// Every row the authoring tables hold, to compare whole collections.
fn rows(col: &Collection) -> Vec<String> {
    let conn = col.store().conn();
    let mut out = Vec::new();
    for sql in [
        "SELECT id || ' ' || unpack_fields(fields) FROM notes ORDER BY id",
        "SELECT id || ' ' || template || ' ' || state || ' ' || reps FROM cards ORDER BY id",
        "SELECT id || ' ' || template || ' ' || state FROM retired_cards ORDER BY id",
        "SELECT CAST(id AS TEXT) FROM deleted_notes ORDER BY id",
        "SELECT hex(uuid) || ' ' || card_id FROM revlog ORDER BY uuid",
        // The index's rows by the cards they are (a card indexed again takes a new row).
        "SELECT CAST(c.id AS TEXT) FROM card_search s JOIN cards c ON c.doc = s.rowid
         ORDER BY c.id",
        "SELECT n.note_id || ' ' || t.name FROM note_tags n JOIN tags t ON t.id = n.tag_id
         ORDER BY 1",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let found: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.push(found.join("\n"));
    }
    out
}

/// The invariants that hold after every step.
fn check(col: &Collection, notes: &[NoteId]) {
    let conn = col.store().conn();
    for &note in notes {
        let Ok(view) = col.note(note) else { continue };
        let NoteDraft::Cloze(c) = &view.draft else {
            panic!("a cloze")
        };
        let wanted = reprise::content::flash::cloze_numbers_of(&c.text);
        let templates: Vec<String> = view
            .card_ids
            .iter()
            .map(|id| {
                conn.query_row("SELECT template FROM cards WHERE id = ?1", [id.0], |r| {
                    r.get(0)
                })
                .unwrap()
            })
            .collect();
        let expected: Vec<String> = wanted.iter().map(|n| format!("c{n}")).collect();
        assert_eq!(
            templates, expected,
            "note {note:?} asks what its text makes"
        );
    }
    let both: i64 = conn
        .query_row(
            "SELECT count(*) FROM cards WHERE id IN (SELECT id FROM retired_cards)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(both, 0, "no card both live and retired");
    let indexed: i64 = conn
        .query_row("SELECT count(*) FROM card_search", [], |r| r.get(0))
        .unwrap();
    let live: i64 = conn
        .query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    assert_eq!(indexed, live, "the browser indexes exactly the live cards");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_authoring_keeps_cards_true_to_their_text_and_undo_takes_all_back(
        steps in prop::collection::vec(step(), 1..30)
    ) {
        let dir = TempDir::new().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        let mut col = Collection::open_store(store).unwrap();
        let now = at("2026-05-04T09:00:00+02:00");
        let start = rows(&col);
        let mut notes: Vec<NoteId> = Vec::new();
        // Steps that made an undo step (so undoing that many takes everything back).
        let mut done = 0usize;
        let mut answers = 0i64;
        for step in &steps {
            match step {
                Step::Add(n) => {
                    let added = col.add_note(None, cloze(n), now).unwrap();
                    notes.push(added.note_id);
                    done += 1;
                }
                Step::Edit(i, n) if !notes.is_empty() => {
                    let note = notes[i % notes.len()];
                    if col.note(note).is_ok() {
                        let before = rows(&col);
                        col.edit_note(note, cloze(n), now).unwrap();
                        done += usize::from(rows(&col) != before);
                    }
                }
                Step::Delete(i) if !notes.is_empty() => {
                    let note = notes[i % notes.len()];
                    if col.note(note).is_ok() {
                        col.delete_note(note, now).unwrap();
                        done += 1;
                    }
                }
                Step::Answer(i) if !notes.is_empty() => {
                    let note = notes[i % notes.len()];
                    if let Ok(view) = col.note(note) {
                        let card = view.card_ids[0];
                        if col.answer(card, Rating::Good, now, 1_000).is_ok() {
                            done += 1;
                            answers += 1;
                        }
                    }
                }
                Step::Undo if done > 0 => {
                    let undone = col.undo(now).unwrap().expect("a step to undo");
                    if undone.action == "answer" {
                        answers -= 1;
                    }
                    done -= 1;
                }
                _ => {}
            }
            check(&col, &notes);
            let logged: i64 = col.store().conn()
                .query_row("SELECT count(*) FROM revlog", [], |r| r.get(0)).unwrap();
            prop_assert_eq!(logged, answers, "every answer not undone is in the log");
        }
        for _ in 0..done {
            col.undo(now).unwrap().expect("a step to undo");
        }
        prop_assert!(col.undo(now).unwrap().is_none());
        prop_assert_eq!(rows(&col), start);
    }
}
