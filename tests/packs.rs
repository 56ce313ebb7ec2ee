//! Managing installed packs: disabling hides a pack's cards and keeps their schedules, removing
//! asks about history, and the built-in pack cannot be removed.

mod common;

use common::{at, rewind_schema};
use reprise::{CardId, Collection, PackId, Rating, Settings};
use tempfile::TempDir;

const PACK: &str = "csv.words";

fn pack_id() -> PackId {
    PackId::from(PACK)
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    at("2026-03-10T09:00:00+01:00")
}

/// A collection with no daily limits and a 3-term table imported; returns a studied card of it.
fn setup(dir: &TempDir) -> (Collection, CardId) {
    let mut col = Collection::open(dir.path(), now()).unwrap();
    col.set_settings(
        Settings {
            new_per_day: 10_000,
            reviews_per_day: 10_000,
            // The counts below are of the pack's cards, none buried by the answer.
            bury_siblings: false,
            ..Default::default()
        },
        at("2026-03-10T09:00:00+00:00"),
    )
    .unwrap();
    let csv = dir.path().join("words.csv");
    std::fs::write(&csv, "chien,dog\nchat,cat\noiseau,bird\n").unwrap();
    col.import(&csv, now()).unwrap();
    let card: i64 = col
        .store()
        .conn()
        .query_row(
            "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id
             WHERE n.pack_id = ?1 ORDER BY c.id LIMIT 1",
            [PACK],
            |r| r.get(0),
        )
        .unwrap();
    let card = CardId(card);
    col.answer(card, Rating::Good, now(), 1_000).unwrap();
    (col, card)
}

fn revlog_of(col: &Collection, card: CardId) -> i64 {
    col.store()
        .conn()
        .query_row(
            "SELECT count(*) FROM revlog WHERE card_id = ?1",
            [card.0],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_disabled_pack_is_hidden_from_study_and_comes_back_as_it_was() {
    let dir = TempDir::new().unwrap();
    let (mut col, card) = setup(&dir);
    let before = col.status(now()).unwrap();
    let info = col.card_info(card, now()).unwrap();
    assert_eq!(before.learning, 1);

    col.set_pack_enabled(&pack_id(), false, now()).unwrap();
    let hidden = col.status(now()).unwrap();
    assert_eq!(hidden.learning, 0, "its learning card is hidden");
    assert_eq!(hidden.new, before.new - 5, "its 5 new cards are hidden");
    assert_eq!(
        hidden.total_cards, before.total_cards,
        "still in the collection, only hidden"
    );
    let err = col.answer(card, Rating::Good, now(), 1_000).unwrap_err();
    assert!(err.to_string().contains("hidden from study"), "{err}");
    let listed = col.packs().unwrap();
    assert!(!listed.iter().find(|p| p.id == PACK).unwrap().enabled);

    // Updating a disabled pack keeps its new cards hidden too.
    std::fs::write(
        dir.path().join("words.csv"),
        "chien,dog\nchat,cat\noiseau,bird\nvache,cow\n",
    )
    .unwrap();
    col.import(&dir.path().join("words.csv"), now()).unwrap();
    assert_eq!(col.status(now()).unwrap().new, hidden.new);

    col.set_pack_enabled(&pack_id(), true, now()).unwrap();
    let back = col.status(now()).unwrap();
    assert_eq!((back.learning, back.new), (1, before.new + 2));
    assert_eq!(
        col.card_info(card, now()).unwrap(),
        info,
        "schedule untouched"
    );
}

#[test]
fn removing_a_pack_keeps_or_deletes_its_history_as_asked() {
    let dir = TempDir::new().unwrap();
    let (mut col, card) = setup(&dir);
    let builtin_card = col.next_card(now()).unwrap().unwrap().card_id;
    col.answer(builtin_card, Rating::Good, now(), 1_000)
        .unwrap();

    let removed = col.remove_pack(&pack_id(), true, now()).unwrap();
    assert_eq!((removed.notes, removed.cards, removed.reviews), (3, 6, 0));
    assert!(col.packs().unwrap().iter().all(|p| p.id != PACK));
    assert!(col.search("oiseau", 5).unwrap().is_empty());
    assert_eq!(revlog_of(&col, card), 1, "history kept");

    // The pack comes back: the same card id, its history joined again.
    col.import(&dir.path().join("words.csv"), now()).unwrap();
    assert_eq!(col.card_info(card, now()).unwrap().reviews.len(), 1);

    let removed = col.remove_pack(&pack_id(), false, now()).unwrap();
    assert_eq!(removed.reviews, 1);
    assert_eq!(revlog_of(&col, card), 0, "history deleted");
    assert_eq!(
        revlog_of(&col, builtin_card),
        1,
        "other packs' history untouched"
    );
}

#[test]
fn the_built_in_pack_and_unknown_packs_cannot_be_removed() {
    let dir = TempDir::new().unwrap();
    let (mut col, _) = setup(&dir);
    let status = col.status(now()).unwrap();
    let err = col
        .remove_pack(&PackId::from("reprise.kubernetes-containers"), false, now())
        .unwrap_err();
    assert!(err.to_string().contains("disable it instead"), "{err}");
    let err = col
        .set_pack_enabled(&PackId::from("nope"), false, now())
        .unwrap_err();
    assert!(err.to_string().contains("no pack 'nope'"), "{err}");
    assert_eq!(col.status(now()).unwrap(), status);
    assert!(col.packs().unwrap().iter().find(|p| p.builtin).is_some());
}

#[test]
fn upgrading_a_version_4_collection_keeps_history() {
    let dir = TempDir::new().unwrap();
    let (col, card) = setup(&dir);
    let info = col.card_info(card, now()).unwrap();
    drop(col);
    rewind_schema(dir.path(), 4);
    let col = Collection::open(dir.path(), now()).unwrap();
    assert_eq!(col.card_info(card, now()).unwrap(), info);
    assert_eq!(col.status(now()).unwrap().learning, 1);
    assert!(col.packs().unwrap().iter().all(|p| p.enabled));
}

/// Each pack's notes and cards as the Packs screen lists them (the notes counted in one pass,
/// the cards from the summary by pack and area), against the rows themselves: after an import,
/// an update that adds a note, a deleted note, and a removed pack.
#[test]
fn the_packs_list_counts_each_packs_notes_and_cards() {
    let dir = TempDir::new().unwrap();
    let (mut col, _) = setup(&dir);
    let check = |col: &Collection, when: &str| {
        let mut listed: Vec<(String, u32, u32)> = (col.packs().unwrap().into_iter())
            .map(|p| (p.id.to_string(), p.notes, p.cards))
            .collect();
        listed.sort();
        let conn = col.store().conn();
        let mut stmt = conn
            .prepare(
                "SELECT p.id, (SELECT count(*) FROM notes n WHERE n.pack_id = p.id),
                   (SELECT count(*) FROM cards c JOIN notes n ON n.id = c.note_id
                    WHERE n.pack_id = p.id)
                 FROM packs p ORDER BY p.id",
            )
            .unwrap();
        let counted: Vec<(String, u32, u32)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(listed, counted, "{when}");
        listed
    };
    let words = |listed: &[(String, u32, u32)]| {
        let (_, notes, cards) = listed.iter().find(|(id, ..)| id == PACK).unwrap().clone();
        (notes, cards)
    };
    let listed = check(&col, "imported");
    assert!(listed.len() > 1, "the curriculum's packs and the table");
    assert_eq!(words(&listed), (3, 6));

    std::fs::write(
        dir.path().join("words.csv"),
        "chien,dog\nchat,cat\noiseau,bird\nvache,cow\n",
    )
    .unwrap();
    col.import(&dir.path().join("words.csv"), now()).unwrap();
    assert_eq!(words(&check(&col, "updated")), (4, 8));

    let note: i64 = common::column(
        &col,
        &format!("SELECT id FROM notes WHERE pack_id = '{PACK}' ORDER BY id LIMIT 1"),
    )[0];
    col.delete_note(reprise::NoteId(note), now()).unwrap();
    assert_eq!(words(&check(&col, "a note deleted")), (3, 6));

    col.remove_pack(&pack_id(), false, now()).unwrap();
    let listed = check(&col, "removed");
    assert!(listed.iter().all(|(id, ..)| id != PACK));
}
