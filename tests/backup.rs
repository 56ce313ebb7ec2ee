//! Backups and restore on real files: rolling backups, a restore that brings history back, and
//! every unusable backup refused with the collection left as it was.

mod common;

use chrono::{Duration, Utc};
use common::at;
use reprise::store::backup::{self, KEEP};
use reprise::store::DB_FILE;
use reprise::{CardId, Collection, Rating};
use tempfile::TempDir;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    at("2026-03-10T09:00:00+01:00")
}

/// Answers the next card Good and returns its id.
fn study_one(col: &mut Collection) -> CardId {
    let card = col.next_card(now()).unwrap().unwrap();
    let id = card.card_id;
    col.answer(id, Rating::Good, now(), 1_000).unwrap();
    id
}

fn revlog(col: &Collection) -> i64 {
    common::revlog_rows(col)
}

#[test]
fn a_restore_brings_back_the_collection_as_it_was_and_keeps_the_replaced_one() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let first = study_one(&mut col);
    let at_backup = col.card_info(first, now()).unwrap();
    let file = backup::backup_now(dir.path(), now().with_timezone(&Utc)).unwrap();
    let second = study_one(&mut col);
    assert_eq!(revlog(&col), 2);
    drop(col);

    let later = now().with_timezone(&Utc) + Duration::minutes(5);
    let saved = backup::restore(dir.path(), &file, later).unwrap().unwrap();
    let col = Collection::open(dir.path(), now()).unwrap();
    assert_eq!(revlog(&col), 1);
    assert_eq!(col.card_info(first, now()).unwrap(), at_backup);
    assert!(col.card_info(second, now()).unwrap().reviews.is_empty());
    drop(col);

    // The replaced collection, with both answers, was kept and is itself restorable.
    assert!(saved.to_string_lossy().contains("before-restore"));
    backup::restore(dir.path(), &saved, later + Duration::minutes(1)).unwrap();
    let col = Collection::open(dir.path(), now()).unwrap();
    assert_eq!(revlog(&col), 2);
}

#[test]
fn rolling_backups_are_daily_and_only_the_newest_are_kept() {
    let dir = TempDir::new().unwrap();
    drop(Collection::open(dir.path(), now()).unwrap());
    let t0 = now().with_timezone(&Utc);
    assert!(backup::backup_if_due(dir.path(), t0).unwrap().is_some());
    assert!(
        backup::backup_if_due(dir.path(), t0 + Duration::hours(23))
            .unwrap()
            .is_none(),
        "one a day"
    );
    for day in 1..=(KEEP as i64 + 2) {
        assert!(
            backup::backup_if_due(dir.path(), t0 + Duration::hours(25 * day))
                .unwrap()
                .is_some()
        );
    }
    let list = backup::list(dir.path()).unwrap();
    assert_eq!(list.len(), KEEP);
    let newest = (t0 + Duration::hours(25 * (KEEP as i64 + 2)))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(list[0].created, newest);
    assert!(
        list.windows(2).all(|w| w[0].created > w[1].created),
        "newest first"
    );
    for b in &list {
        backup::verify(&b.path).unwrap();
    }
}

#[test]
fn a_backup_never_overwrites_a_file() {
    let dir = TempDir::new().unwrap();
    drop(Collection::open(dir.path(), now()).unwrap());
    let dest = dir.path().join("mine.sqlite3");
    std::fs::write(&dest, "precious").unwrap();
    let err = backup::write(&dir.path().join(DB_FILE), &dest).unwrap_err();
    assert!(err.to_string().contains("exists already"), "{err}");
    assert_eq!(std::fs::read_to_string(&dest).unwrap(), "precious");
}

/// Tries to restore `file` over a collection with one answer and checks nothing changed.
fn restore_refused(file: &std::path::Path) -> String {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let id = study_one(&mut col);
    let before = col.card_info(id, now()).unwrap();
    drop(col);
    let err = backup::restore(dir.path(), file, now().with_timezone(&Utc)).unwrap_err();
    let col = Collection::open(dir.path(), now()).unwrap();
    assert_eq!(
        col.card_info(id, now()).unwrap(),
        before,
        "collection changed"
    );
    assert!(
        backup::list(dir.path()).unwrap().is_empty(),
        "nothing written"
    );
    err.to_string()
}

#[test]
fn unusable_backups_are_refused_and_change_nothing() {
    let dir = TempDir::new().unwrap();
    let text = dir.path().join("notes.sqlite3");
    std::fs::write(&text, "not a database at all").unwrap();
    let msg = restore_refused(&text);
    assert!(
        msg.contains("notes.sqlite3") && msg.contains("not an SQLite file"),
        "{msg}"
    );

    let foreign = dir.path().join("foreign.sqlite3");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let msg = restore_refused(&foreign);
    assert!(msg.contains("not written by Reprise"), "{msg}");

    // A real backup from a newer Reprise, and one cut short.
    let source = TempDir::new().unwrap();
    drop(Collection::open(source.path(), now()).unwrap());
    let good = source.path().join("good.sqlite3");
    backup::write(&source.path().join(DB_FILE), &good).unwrap();
    let newer = dir.path().join("newer.sqlite3");
    std::fs::copy(&good, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let msg = restore_refused(&newer);
    assert!(msg.contains("newer Reprise"), "{msg}");

    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.path().join("cut.sqlite3");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let msg = restore_refused(&cut);
    assert!(msg.contains("not a usable Reprise backup"), "{msg}");
}

#[test]
fn a_restore_is_refused_while_the_collection_is_open() {
    let dir = TempDir::new().unwrap();
    let col = Collection::open(dir.path(), now()).unwrap();
    let file = backup::backup_now(dir.path(), now().with_timezone(&Utc)).unwrap();
    let err = backup::restore(dir.path(), &file, now().with_timezone(&Utc)).unwrap_err();
    assert!(err.to_string().contains("close the app"), "{err}");
    assert!(col.status(now()).is_ok(), "the open collection still works");
}
