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
fn what_a_cut_short_backup_left_is_swept_by_the_next_and_never_while_one_runs() {
    let dir = TempDir::new().unwrap();
    drop(Collection::open(dir.path(), now()).unwrap());
    let backups = dir.path().join(backup::BACKUP_DIR);
    std::fs::create_dir_all(&backups).unwrap();
    // What an app closed in the middle of its daily backup leaves: the plain copy, SQLite's
    // journal of it, the compressed file not yet renamed; and a file that is not a backup's.
    let left = [
        "reprise-20261201-080000.sqlite3.copying",
        "reprise-20261201-080000.sqlite3.copying-journal",
        "reprise-20261201-090000.sqlite3.partial",
        "reprise-20261201-100000-before-restore.sqlite3.copying",
    ];
    for name in left {
        std::fs::write(backups.join(name), vec![7u8; 4096]).unwrap();
    }
    std::fs::write(backups.join("notes.txt"), "mine").unwrap();
    let names = || {
        let mut names: Vec<String> = std::fs::read_dir(&backups)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != ".lock")
            .collect();
        names.sort();
        names
    };

    // Another process making a backup holds the lock: nothing is swept, none is made.
    let lock = std::fs::File::create(backups.join(".lock")).unwrap();
    lock.lock().unwrap();
    let t0 = now().with_timezone(&Utc);
    assert_eq!(backup::backup_if_due(dir.path(), t0).unwrap(), None);
    assert_eq!(names().len(), left.len() + 1, "{:?}", names());
    drop(lock);

    let made = backup::backup_if_due(dir.path(), t0).unwrap().unwrap();
    let made = made.file_name().unwrap().to_string_lossy().into_owned();
    let mut kept = vec![made, "notes.txt".to_owned()];
    kept.sort();
    assert_eq!(names(), kept);
    assert_eq!(backup::list(dir.path()).unwrap().len(), 1);
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
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with(DB_FILE) && name != "backups")
        .collect();
    assert!(
        left.is_empty(),
        "nothing left beside the collection: {left:?}"
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

/// A collection with every built-in card studied once: text, history and indexes to compress.
fn studied_collection() -> TempDir {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    while let Some(card) = col.next_card(now()).unwrap() {
        col.answer(card.card_id, Rating::Good, now(), 1_000)
            .unwrap();
        if revlog(&col) >= 300 {
            break;
        }
    }
    dir
}

#[test]
fn rolling_backups_are_compressed_and_restore_whole() {
    let dir = studied_collection();
    let plain = dir.path().join("plain.sqlite3");
    backup::write(&dir.path().join(DB_FILE), &plain).unwrap();
    let file = backup::backup_now(dir.path(), now().with_timezone(&Utc)).unwrap();
    assert!(file.to_string_lossy().ends_with(".sqlite3.zst"), "{file:?}");
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(bytes[..4], [0x28, 0xB5, 0x2F, 0xFD], "a zstd frame");
    let plain_len = std::fs::metadata(&plain).unwrap().len();
    // A small collection is mostly the built-in lessons' text and its search index; the 100k
    // collection's ratio is in docs/BENCHMARKS.md.
    assert!(
        (bytes.len() as u64) * 2 < plain_len,
        "{} bytes compressed of {plain_len}",
        bytes.len()
    );
    assert_eq!(
        backup::list(dir.path()).unwrap()[0].bytes,
        bytes.len() as u64
    );
    backup::verify(&file).unwrap();
    assert_eq!(
        std::fs::read_dir(dir.path().join("backups"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name() != ".lock")
            .count(),
        1,
        "no scratch file left by the backup or the check"
    );

    // `backup FILE.zst` compresses too; the restored collection is the one backed up.
    let named = dir.path().join("mine.sqlite3.zst");
    backup::write(&dir.path().join(DB_FILE), &named).unwrap();
    let answers = revlog(&Collection::open(dir.path(), now()).unwrap());
    backup::restore(dir.path(), &named, now().with_timezone(&Utc)).unwrap();
    assert_eq!(
        revlog(&Collection::open(dir.path(), now()).unwrap()),
        answers
    );
}

#[test]
fn a_plain_backup_from_an_older_version_is_still_listed_and_restored() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    study_one(&mut col);
    let old = dir
        .path()
        .join("backups")
        .join("reprise-20260301-080000.sqlite3");
    backup::write(&dir.path().join(DB_FILE), &old).unwrap();
    study_one(&mut col);
    drop(col);
    let list = backup::list(dir.path()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].created, "2026-03-01T08:00:00Z");
    backup::restore(dir.path(), &old, now().with_timezone(&Utc)).unwrap();
    assert_eq!(revlog(&Collection::open(dir.path(), now()).unwrap()), 1);
}

#[test]
fn damaged_compressed_backups_and_bombs_are_refused_and_change_nothing() {
    let source = studied_collection();
    let good = source.path().join("good.sqlite3.zst");
    backup::write(&source.path().join(DB_FILE), &good).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let dir = TempDir::new().unwrap();

    let cut = dir.path().join("cut.sqlite3.zst");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let msg = restore_refused(&cut);
    assert!(
        msg.contains("cut.sqlite3.zst") && msg.contains("damaged"),
        "{msg}"
    );

    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    for b in &mut flipped[middle..middle + 64] {
        *b ^= 0x5a;
    }
    let damaged = dir.path().join("flipped.sqlite3.zst");
    std::fs::write(&damaged, &flipped).unwrap();
    let msg = restore_refused(&damaged);
    assert!(msg.contains("damaged"), "{msg}");

    // 256 MiB of zeros in a few kilobytes.
    let bomb = dir.path().join("bomb.sqlite3.zst");
    let mut encoder = zstd::Encoder::new(std::fs::File::create(&bomb).unwrap(), 1).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        std::io::Write::write_all(&mut encoder, &zeros).unwrap();
    }
    encoder.finish().unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20);
    let msg = restore_refused(&bomb);
    assert!(msg.contains("expands to more than"), "{msg}");
}
