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

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

#[test]
fn an_image_pasted_into_a_note_reaches_the_other_device_checked() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "laptop", now);
    let mut b = device(folder.path(), "desktop", now);
    let path = a.col.add_image(None, PNG, now).unwrap();
    assert!(
        path.starts_with("media/mine-") && path.ends_with(".png"),
        "{path}"
    );
    assert!(a.col.add_image(None, b"GIF89a but not really", now).is_ok());
    let err = a
        .col
        .add_image(None, b"<svg onload=alert(1)>", now)
        .unwrap_err();
    assert_eq!(err.field(), Some("image"), "{err}");
    let added = a
        .col
        .add_note(
            None,
            NoteDraft::Basic(reprise::notes::BasicDraft {
                front: "Which diagram?".into(),
                back: format!("This one: ![the ring]({path})"),
                reverse: false,
                tags: vec![],
                format: reprise::content::flash::TextFormat::Markdown,
            }),
            now,
        )
        .unwrap();
    let shown = a.col.preview_card(added.card_ids[0], now).unwrap();
    assert!(shown
        .answer_html
        .unwrap()
        .contains("data:image/png;base64,"));
    a.col.sync(now).unwrap();

    let report = b.col.sync(now + Duration::minutes(1)).unwrap();
    assert!(report.notices.is_empty(), "{:?}", report.notices);
    let on_b = b.col.preview_card(added.card_ids[0], now).unwrap();
    assert!(
        on_b.answer_html.unwrap().contains("data:image/png;base64,"),
        "the image came with the note"
    );
}

#[test]
fn a_hostile_note_register_changes_nothing() {
    use common::sync::{plant_segment, register_event};
    use reprise::sync::event::Scope;
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "laptop", now);
    let evil = uuid::Uuid::from_u128(0xdead_beef);
    let pack = "mine.my-cards";
    let note = |key: &str| NoteId::derive(pack, key);
    let fields = |front: &str| {
        serde_json::json!({"kind": "basic", "notetype": "Basic", "front": front, "back": "b",
                           "deck": "", "tags": [], "format": "markdown"})
    };
    let value = |key: &str, front: &str| {
        serde_json::json!({"pack": pack, "pack_name": "My cards", "key": key, "kind": "flash",
                           "fields": fields(front), "position": 0, "cards": ["forward"]})
    };
    // Another blob planted under the hash an image register names: an SVG, not a PNG.
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>";
    let hash = blake3::hash(svg).to_hex().to_string();
    std::fs::create_dir_all(folder.path().join("blobs")).unwrap();
    std::fs::write(folder.path().join("blobs").join(&hash), svg).unwrap();
    let mut with_image = value("img", "see ![x](media/mine-0000000000000000.png)");
    with_image["media"] = serde_json::json!({ format!("media/mine-{}.png", &hash[..16]): hash });
    let events = vec![
        // Script in the text.
        register_event(
            evil,
            1,
            1 << 16,
            Scope::Note,
            &note("a").0.to_string(),
            value("a", "<script>alert(1)</script>"),
        ),
        // A key that does not make the note id it is filed under.
        register_event(
            evil,
            2,
            2 << 16,
            Scope::Note,
            &note("b").0.to_string(),
            value("other", "fine"),
        ),
        // Too many cards.
        register_event(evil, 3, 3 << 16, Scope::Note, &note("c").0.to_string(), {
            let mut v = value("c", "fine");
            v["cards"] = serde_json::json!(["forward", "../../etc", "c1"]);
            v
        }),
        register_event(
            evil,
            4,
            4 << 16,
            Scope::Note,
            &note("img").0.to_string(),
            with_image,
        ),
    ];
    plant_segment(folder.path(), &events);
    let report = a.col.sync(now).unwrap();
    assert!(a.col.note(note("a")).is_err(), "script refused");
    assert!(a.col.note(note("b")).is_err(), "mislabelled refused");
    // Only the cards its kind can show: a template that is not one is not made.
    let c = a.col.note(note("c")).unwrap();
    assert_eq!(c.card_ids.len(), 1, "{c:?}");
    assert!(
        report.notices.iter().any(|n| n.contains("still arriving")),
        "the SVG under a PNG's name is not stored: {:?}",
        report.notices
    );
    let images: i64 = a
        .col
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM media WHERE path LIKE 'media/mine-%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(images, 0);
}
