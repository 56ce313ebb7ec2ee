//! Packs between devices: an imported pack travels as its file, with its history, its cards'
//! state, and its disabling and removal; a file from another device is as hostile as any import.

mod common;

use std::path::{Path, PathBuf};

use chrono::Duration;
use common::at;
use common::sync::{card_state, device, register_event};
use reprise::study::CardAction;
use reprise::sync::event::Scope;
use reprise::{CardId, Collection, PackId};
use tempfile::TempDir;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn cards_of(col: &Collection, pack: &PackId) -> Vec<i64> {
    col.store()
        .conn()
        .prepare(
            "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.pack_id = ?1
             ORDER BY c.id",
        )
        .unwrap()
        .query_map([pack.as_str()], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn reviews(col: &Collection) -> i64 {
    col.store()
        .conn()
        .query_row("SELECT count(*) FROM revlog", [], |r| r.get(0))
        .unwrap()
}

/// Every review-log row, by answer: what it found and gave, as FSRS, the card's history and
/// the statistics' kinds read it. Not its intervals: an Anki log's are Anki's (learning steps in
/// seconds, an interval a "set due date" changed), while an answer's event carries the
/// schedule it gave, so another device logs the interval before an answer as the one the answer
/// before it gave.
fn log_rows(col: &Collection) -> Vec<String> {
    let sql = "SELECT concat_ws(' ', hex(uuid), card_id, reviewed_at, rating, elapsed_days,
                 duration_ms, state_before, state_after, quote(stability_before),
                 quote(difficulty_before), stability_after, difficulty_after)
               FROM revlog ORDER BY uuid";
    let conn = col.store().conn();
    let mut stmt = conn.prepare(sql).unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

fn pack_enabled(col: &Collection, pack: &PackId) -> Option<bool> {
    col.packs()
        .unwrap()
        .into_iter()
        .find(|p| &p.id == pack)
        .map(|p| p.enabled)
}

#[test]
fn an_imported_pack_travels_with_its_history_state_disabling_and_removal() {
    let folder = TempDir::new().unwrap();
    let day = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", day);
    let mut b = device(folder.path(), "b", day);
    let anki = a
        .col
        .import(&fixture("anki_history_200.apkg"), day)
        .unwrap();
    assert!(anki.reviews > 0, "{anki:?}");
    let csv = a.col.import(&fixture("terms_semicolon.csv"), day).unwrap();
    let studied = cards_of(&a.col, &anki.pack);
    a.col
        .card_action(CardAction::Suspend, &[CardId(studied[0])], day)
        .unwrap();
    // One of its cards answered on a after the import: b folds it in after importing the file.
    let answered = CardId(studied[1]);
    a.col
        .answer(answered, reprise::Rating::Again, day, 3_000)
        .unwrap();
    a.col.sync(day).unwrap();
    let got = b.col.sync(day + Duration::hours(1)).unwrap();
    assert_eq!(got.packs, 2, "{got:?}");
    assert!(got.notices.is_empty(), "{got:?}");
    for pack in [&anki.pack, &csv.pack] {
        let cards = cards_of(&a.col, pack);
        assert!(!cards.is_empty());
        assert_eq!(cards_of(&b.col, pack), cards);
        for card in cards {
            assert_eq!(
                card_state(&b.col, CardId(card)),
                card_state(&a.col, CardId(card)),
                "card {card}"
            );
        }
    }
    assert_eq!(reviews(&b.col), reviews(&a.col));
    let suspended = |col: &Collection| -> bool {
        col.store()
            .conn()
            .query_row(
                "SELECT hidden & 1 FROM cards WHERE id = ?1",
                [studied[0]],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert!(suspended(&b.col), "a's suspension holds on b");
    assert!(a.col.sync_verify().unwrap().differ.is_empty());
    assert!(b.col.sync_verify().unwrap().differ.is_empty());
    // The files were sent once and are not kept on a any more.
    assert!(a.col.sync_unsent_blobs().unwrap().is_empty());
    assert_eq!(
        std::fs::read_dir(folder.path().join("blobs"))
            .unwrap()
            .count(),
        2
    );

    // Disabled on a, disabled on b; removed on a with its history, removed on b, history kept.
    let later = day + Duration::hours(2);
    a.col.set_pack_enabled(&anki.pack, false, later).unwrap();
    a.col.sync(later).unwrap();
    b.col.sync(later).unwrap();
    assert_eq!(pack_enabled(&b.col, &anki.pack), Some(false));
    let logged = reviews(&b.col);
    a.col.remove_pack(&anki.pack, true, later).unwrap();
    a.col.remove_pack(&csv.pack, false, later).unwrap();
    a.col.sync(later).unwrap();
    let got = b.col.sync(later).unwrap();
    assert_eq!(pack_enabled(&b.col, &anki.pack), None, "{got:?}");
    assert_eq!(pack_enabled(&b.col, &csv.pack), None);
    assert_eq!(reviews(&b.col), logged, "the history was kept");
    assert!(b.col.sync_verify().unwrap().differ.is_empty());

    // A device that joins now does not bring the removed packs back.
    let c = device(folder.path(), "c", later + Duration::hours(1));
    assert_eq!(pack_enabled(&c.col, &anki.pack), None);
    assert_eq!(pack_enabled(&c.col, &csv.pack), None);
}

/// Packs imported before sync was turned on travel once it is, as the packs the collection
/// holds (their files are not kept), with their history, state and disabling; a pack another
/// device of the folder sends already is not sent over it.
#[test]
fn packs_imported_before_sync_was_on_travel_when_it_is() {
    let folder = TempDir::new().unwrap();
    let day = at("2026-12-05T09:00:00+01:00");
    let dir = TempDir::new().unwrap();
    let mut a = Collection::open(dir.path(), day).unwrap();
    let anki = a.import(&fixture("anki_history_200.apkg"), day).unwrap();
    let csv = a.import(&fixture("terms_semicolon.csv"), day).unwrap();
    let studied = cards_of(&a, &anki.pack);
    a.card_action(CardAction::Suspend, &[CardId(studied[0])], day)
        .unwrap();
    a.answer(CardId(studied[1]), reprise::Rating::Again, day, 3_000)
        .unwrap();
    a.set_pack_enabled(&csv.pack, false, day).unwrap();

    let sent = a
        .sync_to(folder.path().to_str().unwrap(), Some("a"), day)
        .unwrap();
    assert!(sent.notices.is_empty(), "{sent:?}");
    let blobs = || std::fs::read_dir(folder.path().join("blobs")).map_or(0, |d| d.count());
    assert_eq!(blobs(), 2);
    let mut b = device(folder.path(), "b", day + Duration::hours(1));
    let got = b.col.sync(day + Duration::hours(1)).unwrap();
    assert!(got.notices.is_empty(), "{got:?}");
    assert_eq!(pack_enabled(&b.col, &anki.pack), Some(true));
    assert_eq!(
        pack_enabled(&b.col, &csv.pack),
        Some(false),
        "disabled on a"
    );
    for pack in [&anki.pack, &csv.pack] {
        let cards = cards_of(&a, pack);
        assert_eq!(cards_of(&b.col, pack), cards);
        for card in cards {
            let id = CardId(card);
            assert_eq!(card_state(&b.col, id), card_state(&a, id), "card {card}");
        }
    }
    assert_eq!(reviews(&b.col), reviews(&a));
    // Row for row, what each answer found too: the card Anki reset (the package's "forget")
    // starts over on b as on a, its answer after the reset finding a new card.
    let (on_a, on_b) = (log_rows(&a), log_rows(&b.col));
    let differ: Vec<_> = on_a.iter().zip(&on_b).filter(|(x, y)| x != y).collect();
    assert!(differ.is_empty() && on_a.len() == on_b.len(), "{differ:#?}");
    let found_new_again = "SELECT count(*) FROM revlog r WHERE state_before = 0
        AND stability_before IS NULL AND EXISTS (SELECT 1 FROM revlog p
        WHERE p.card_id = r.card_id AND p.reviewed_at < r.reviewed_at)";
    let count = |col: &Collection| -> i64 {
        col.store()
            .conn()
            .query_row(found_new_again, [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!((count(&a), count(&b.col)), (1, 1));
    let hidden = |col: &Collection| -> i64 {
        let sql = "SELECT hidden & 1 FROM cards WHERE id = ?1";
        col.store()
            .conn()
            .query_row(sql, [studied[0]], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(hidden(&b.col), 1, "a's suspension holds on b");
    assert!(b.col.sync_verify().unwrap().differ.is_empty());

    // Sent once: a later sync of a sends no pack again.
    let again = a.sync(day + Duration::hours(2)).unwrap();
    assert_eq!((again.sent, blobs()), (0, 2), "{again:?}");

    // c imported the same table before joining: a sends it already, so c does not.
    let other = TempDir::new().unwrap();
    let mut c = Collection::open(other.path(), day).unwrap();
    c.import(&fixture("terms_semicolon.csv"), day).unwrap();
    let joined = c
        .sync_to(
            folder.path().to_str().unwrap(),
            Some("c"),
            day + Duration::hours(3),
        )
        .unwrap();
    assert!(joined.notices.is_empty(), "{joined:?}");
    assert_eq!(blobs(), 2);
    let theirs = b.col.sync(day + Duration::hours(4)).unwrap();
    assert_eq!(theirs.packs, 0, "{theirs:?}");
}

/// A pack imported before joining that does not export as a pack that imports again (more
/// terms than a pack holds files) stays here: joining goes on, and each sync says so.
#[test]
fn a_pack_that_cannot_travel_is_named_at_each_sync() {
    let folder = TempDir::new().unwrap();
    let day = at("2026-12-05T09:00:00+01:00");
    let dir = TempDir::new().unwrap();
    let mut a = Collection::open(dir.path(), day).unwrap();
    let table = dir.path().join("many.csv");
    let rows: String = (0..20_001)
        .map(|i| format!("term {i},meaning {i}\n"))
        .collect();
    std::fs::write(&table, rows).unwrap();
    let many = a.import(&table, day).unwrap();
    let small = a.import(&fixture("terms_semicolon.csv"), day).unwrap();

    let joined = a
        .sync_to(folder.path().to_str().unwrap(), Some("a"), day)
        .unwrap();
    let named = |notices: &[String]| {
        notices
            .iter()
            .filter(|n| n.contains(many.pack.as_str()) && n.contains("not sent"))
            .count()
    };
    assert_eq!(named(&joined.notices), 1, "{joined:?}");
    assert_eq!(named(&a.sync(day).unwrap().notices), 1, "said again");
    let b = device(folder.path(), "b", day + Duration::hours(1));
    assert_eq!(
        pack_enabled(&b.col, &small.pack),
        Some(true),
        "the other one travels"
    );
    assert_eq!(pack_enabled(&b.col, &many.pack), None);
}

/// A `pack` register write from a planted device, naming `file` stored as `blob`.
fn pack_event(id: u128, pack: &str, blob: &str, file: &str) -> Vec<u8> {
    let value = serde_json::json!({ "blob": blob, "file": file });
    register_event(
        uuid::Uuid::from_u128(0xdead_beef),
        id,
        1 << 40,
        Scope::Pack,
        pack,
        value,
    )
}

#[test]
fn a_pack_file_from_another_device_is_checked_and_a_bad_one_changes_nothing() {
    use reprise::sync::packs::{blob_key, hash_of};
    let folder = TempDir::new().unwrap();
    let day = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", day);
    let packs_before = a.col.packs().unwrap();
    let garbage = b"not;a\0table\xff".repeat(10);
    let csv = std::fs::read(fixture("terms_semicolon.csv")).unwrap();
    let (garbage_hash, csv_hash) = (hash_of(&garbage), hash_of(&csv));
    common::sync::plant_segment(
        folder.path(),
        &[
            // Names a file whose bytes are not there yet, then are not what the name says.
            pack_event(1, "p.late", &csv_hash, "terms.csv"),
            // A file that is what its hash says, but no pack.
            pack_event(2, "p.garbage", &garbage_hash, "garbage.csv"),
            // Names that must never reach the file system.
            pack_event(3, "p.escape", &csv_hash, "../../escape.csv"),
            pack_event(4, "p.hash", "../../../etc/passwd", "x.csv"),
        ],
    );
    let blobs = folder.path().join("blobs");
    std::fs::create_dir_all(&blobs).unwrap();
    std::fs::write(folder.path().join(blob_key(&garbage_hash)), &garbage).unwrap();
    let report = a.col.sync(day).unwrap();
    let notices = report.notices.join("\n");
    assert!(
        notices.contains("'p.late' from another device is still arriving"),
        "{notices}"
    );
    assert!(
        notices.contains("'p.garbage' from another device could not be imported here"),
        "{notices}"
    );
    assert!(
        !notices.contains("p.escape") && !notices.contains("p.hash"),
        "{notices}"
    );
    assert_eq!(report.packs, 0);

    // Half a file is still arriving; the whole file is imported; the bad one is not tried again.
    std::fs::write(
        folder.path().join(blob_key(&csv_hash)),
        &csv[..csv.len() / 2],
    )
    .unwrap();
    let report = a.col.sync(day).unwrap();
    assert!(report
        .notices
        .join("\n")
        .contains("'p.late' from another device is still arriving"));
    std::fs::write(folder.path().join(blob_key(&csv_hash)), &csv).unwrap();
    let report = a.col.sync(day).unwrap();
    // The file holds another pack than the register says: refused, and said so.
    let notices = report.notices.join("\n");
    assert!(notices.contains("holds pack"), "{notices}");
    assert!(!notices.contains("p.garbage"), "not tried again: {notices}");
    assert_eq!(
        a.col.packs().unwrap(),
        packs_before,
        "nothing was installed"
    );
    assert!(!folder.path().join("escape.csv").exists());
    assert!(a.col.sync(day).unwrap().notices.is_empty());
}

/// Two devices that imported the same Anki package before either turned sync on record its
/// history as the same events, its started-over card included: each folds every card and logs
/// every answer as the other does.
#[test]
fn two_devices_with_the_same_imported_history_join_without_conflict() {
    let folder = TempDir::new().unwrap();
    let day = at("2026-12-05T09:00:00+01:00");
    let (dir_a, dir_b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let mut a = Collection::open(dir_a.path(), day).unwrap();
    let mut b = Collection::open(dir_b.path(), day).unwrap();
    let anki = a.import(&fixture("anki_history_200.apkg"), day).unwrap();
    b.import(&fixture("anki_history_200.apkg"), day).unwrap();
    let target = folder.path().to_str().unwrap();
    a.sync_to(target, Some("a"), day).unwrap();
    let later = day + Duration::hours(1);
    b.sync_to(target, Some("b"), later).unwrap();
    a.sync(later).unwrap();
    assert_eq!(log_rows(&b), log_rows(&a));
    for card in cards_of(&a, &anki.pack) {
        let id = CardId(card);
        assert_eq!(card_state(&b, id), card_state(&a, id), "card {card}");
    }
    assert!(a.sync_verify().unwrap().differ.is_empty());
    assert!(b.sync_verify().unwrap().differ.is_empty());
}
