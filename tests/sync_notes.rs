//! Notes written, edited and deleted on one device reach the others through sync, with the
//! answers given to their cards.

mod common;

use chrono::Duration;
use common::at;
use common::sync::{card_state, device};
use reprise::notes::{ClozeDraft, NoteDraft, TermDraft};
use reprise::schedule::Rating;
use reprise::NoteId;
use tempfile::TempDir;

fn cloze(text: &str) -> NoteDraft {
    NoteDraft::Cloze(ClozeDraft {
        text: text.into(),
        extra: String::new(),
        tags: vec!["mine".into()],
        format: reprise::content::flash::TextFormat::Markdown,
    })
}

#[test]
fn a_note_written_edited_and_answered_on_one_device_is_the_same_on_the_other() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "laptop", now);
    let mut b = device(folder.path(), "desktop", now);

    // A writes a cloze in a pack of its own, and edits a built-in term.
    let added = a
        .col
        .add_note(
            Some("Interview prep"),
            cloze("{{c1::Raft}} elects a {{c2::leader}}"),
            now,
        )
        .unwrap();
    let builtin = NoteId::derive("reprise.distributed-systems", "raft");
    let view = a.col.note(builtin).unwrap();
    let NoteDraft::Term(mut term) = view.draft.clone() else {
        panic!("raft is a term")
    };
    term.definition = "My own words for Raft.".into();
    a.col
        .edit_note(builtin, NoteDraft::Term(term), now)
        .unwrap();
    let card = added.card_ids[0];
    a.col.answer(card, Rating::Good, now, 3_000).unwrap();
    a.col.sync(now).unwrap();

    let later = now + Duration::minutes(5);
    b.col.sync(later).unwrap();
    let on_b = b.col.note(added.note_id).unwrap();
    assert_eq!(on_b.draft, a.col.note(added.note_id).unwrap().draft);
    assert_eq!(on_b.pack_name, "Interview prep");
    assert!(on_b.personal);
    assert_eq!(on_b.card_ids, added.card_ids);
    assert_eq!(
        card_state(&b.col, card),
        card_state(&a.col, card),
        "the answer came too"
    );
    let raft = b.col.note(builtin).unwrap();
    let NoteDraft::Term(t) = &raft.draft else {
        panic!()
    };
    assert_eq!(t.definition, "My own words for Raft.");
    assert_eq!(raft.edited, vec!["definition"]);
    assert!(raft.pack_draft.is_some(), "B still knows the pack's text");
    let found = b.col.search("own words", 5).unwrap();
    assert!(found.iter().any(|h| h.key == "raft"), "{found:?}");

    // B takes c2 out and deletes nothing; A sees the card retired, its history kept.
    b.col
        .edit_note_fields(
            added.note_id,
            &[("text".into(), "{{c1::Raft}} elects a leader".into())],
            later,
        )
        .unwrap();
    b.col.sync(later).unwrap();
    let even_later = later + Duration::minutes(5);
    a.col.sync(even_later).unwrap();
    assert_eq!(a.col.note(added.note_id).unwrap().card_ids, vec![card]);

    // A deletes the note; B's copy goes too, and B's undo-less view agrees.
    a.col.delete_note(added.note_id, even_later).unwrap();
    a.col.sync(even_later).unwrap();
    b.col.sync(even_later + Duration::minutes(1)).unwrap();
    assert!(b.col.note(added.note_id).is_err());
    assert!(
        b.col.card_info(card, even_later).is_err(),
        "its cards left study"
    );
    let reviews: i64 = b
        .col
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM revlog WHERE card_id = ?1",
            [card.0],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reviews, 1, "the review log keeps its answer");
}

#[test]
fn undo_of_an_add_after_it_was_synced_removes_it_everywhere() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "laptop", now);
    let mut b = device(folder.path(), "desktop", now);
    let added = a
        .col
        .add_note(
            None,
            NoteDraft::Term(TermDraft {
                name: "Fencing token".into(),
                aliases: vec![],
                definition: "A number that rises with each lock grant.".into(),
                explanation: String::new(),
                area: String::new(),
                level: reprise::content::Level::Intermediate,
                see_also: vec![],
                tags: vec![],
            }),
            now,
        )
        .unwrap();
    a.col.sync(now).unwrap();
    b.col.sync(now).unwrap();
    assert!(b.col.note(added.note_id).is_ok());
    assert_eq!(a.col.undo(now).unwrap().unwrap().action, "add_note");
    a.col.sync(now + Duration::seconds(1)).unwrap();
    b.col.sync(now + Duration::seconds(2)).unwrap();
    assert!(b.col.note(added.note_id).is_err());
}
