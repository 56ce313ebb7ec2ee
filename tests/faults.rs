//! Faults the collection must survive, in process: several programs opening and writing one
//! collection at once, a full disk, and restores tried again. `tests/faults/campaign.py` does
//! the same (and `kill -9`) to the real CLI; see docs/FAULTS.md.

mod common;

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use chrono::Utc;
use common::at;
use reprise::collection::Op;
use reprise::store::{backup, DB_FILE, WAIT_FOR_WRITER};
use reprise::{Collection, Error, ErrorCode, Rating};
use rusqlite::ffi;
use tempfile::TempDir;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    at("2026-03-10T09:00:00+01:00")
}

fn revlog(col: &Collection) -> i64 {
    common::revlog_rows(col)
}

fn integrity(dir: &std::path::Path) -> String {
    rusqlite::Connection::open(dir.join(DB_FILE))
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Runs `f` on `threads` threads released at the same moment; returns their results.
fn at_once<T: Send + 'static>(
    threads: usize,
    f: impl Fn(usize) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let start = Arc::new(Barrier::new(threads));
    let f = Arc::new(f);
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let (start, f) = (start.clone(), f.clone());
            thread::spawn(move || {
                start.wait();
                f(i)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[test]
fn a_new_collection_opened_by_several_programs_at_once_opens_in_each() {
    // The app and a command started together the first time: each creates, migrates and
    // installs the built-in pack, racing the others.
    for round in 0..6 {
        let dir = TempDir::new().unwrap();
        let path = dir.path().to_owned();
        let opened = at_once(3, move |_| Collection::open(&path, now()).map(|_| ()));
        for result in opened {
            if let Err(e) = result {
                panic!("round {round}: opening at once failed: {e}");
            }
        }
        assert_eq!(integrity(dir.path()), "ok");
    }
}

#[test]
fn two_programs_answering_at_once_lose_nothing_and_never_see_a_lock() {
    let dir = TempDir::new().unwrap();
    drop(Collection::open(dir.path(), now()).unwrap());
    let path = dir.path().to_owned();
    let answered = at_once(2, move |_| {
        let mut col = Collection::open(&path, now()).unwrap();
        let mut answered = 0;
        for _ in 0..25 {
            let Some(card) = col.next_card(now()).unwrap() else {
                break;
            };
            match col.answer(card.card_id, Rating::Again, now(), 1_000) {
                Ok(_) => answered += 1,
                // Both picked the same card and the other answered it first.
                Err(Error::NotStudiable { .. }) => {}
                Err(e) => panic!("answering beside another program failed: {e}"),
            }
        }
        answered
    });
    let col = Collection::open(dir.path(), now()).unwrap();
    assert_eq!(revlog(&col), answered.iter().sum::<i64>());
    assert!(answered.iter().all(|&n| n > 0));
    assert_eq!(integrity(dir.path()), "ok");
}

#[test]
fn a_write_waits_for_another_programs_long_write() {
    // Longer than SQLite's usual five seconds: a big import in the app does not make an
    // answer in the command line fail.
    let hold = Duration::from_millis(5_500);
    assert!(WAIT_FOR_WRITER > hold * 2);
    let dir = TempDir::new().unwrap();
    drop(Collection::open(dir.path(), now()).unwrap());
    let path = dir.path().to_owned();
    let results = at_once(2, move |i| {
        let mut col = Collection::open(&path, now()).unwrap();
        if i == 0 {
            col.transact(Op::not_undoable("long import"), |_| {
                thread::sleep(hold);
                Ok(())
            })
            .map(|_| ())
        } else {
            thread::sleep(Duration::from_millis(300));
            let card = col.next_card(now()).unwrap().unwrap();
            col.answer(card.card_id, Rating::Good, now(), 1_000)
                .map(|_| ())
        }
    });
    for result in results {
        result.unwrap();
    }
}

#[test]
fn a_wait_that_runs_out_says_another_program_is_writing_without_sqlite_words() {
    for code in [ffi::SQLITE_BUSY, ffi::SQLITE_LOCKED] {
        let err = Error::from(rusqlite::Error::SqliteFailure(
            ffi::Error::new(code),
            Some("database is locked".into()),
        ));
        assert!(matches!(err, Error::InUse), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("another Reprise program"), "{message}");
        assert!(!message.contains("locked") && !message.contains("busy"));
    }
}

#[test]
fn a_write_that_finds_the_disk_full_says_so_and_keeps_what_was_saved() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let card = col.next_card(now()).unwrap().unwrap();
    col.answer(card.card_id, Rating::Good, now(), 1_000)
        .unwrap();
    let before = common::fingerprint(&col);
    let table = dir.path().join("words.csv");
    let rows: String = (0..2_000)
        .map(|i| format!("word {i},what word {i} means,at some length\n"))
        .collect();
    std::fs::write(&table, format!("term,definition\n{rows}")).unwrap();
    // No room for one more page: SQLite's SQLITE_FULL, as from a full disk.
    let conn = col.store().conn();
    let pages: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    conn.pragma_update(None, "max_page_count", pages).unwrap();

    let err = col.import(&table, now()).unwrap_err();
    assert!(matches!(err, Error::DiskFull { .. }), "{err:?}");
    assert_eq!(err.code(), ErrorCode::Io);
    assert!(err.to_string().contains("the disk is full"), "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(common::fingerprint(&col), before);
    drop(col);

    let col = Collection::open(dir.path(), now()).unwrap();
    assert_eq!(
        common::fingerprint(&col),
        before,
        "the answer kept, no import"
    );
    assert_eq!(integrity(dir.path()), "ok");
}

#[test]
fn a_full_disk_or_a_file_size_limit_reads_as_a_full_disk() {
    use std::io::{Error as IoError, ErrorKind};
    for kind in [ErrorKind::StorageFull, ErrorKind::FileTooLarge] {
        let err = Error::io("/data/reprise.sqlite3", IoError::from(kind));
        assert!(matches!(err, Error::DiskFull { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.starts_with("/data/reprise.sqlite3: the disk is full"));
    }
    // SQLite cannot tell EFBIG from other write failures: a failed write says so too.
    let write = rusqlite::Error::SqliteFailure(
        ffi::Error::new(ffi::SQLITE_IOERR_WRITE),
        Some("disk I/O error".into()),
    );
    assert!(matches!(Error::from(write), Error::DiskFull { .. }));
    let other = Error::io("/data/x", IoError::from(ErrorKind::PermissionDenied));
    assert!(matches!(other, Error::Io { .. }));
}

#[test]
fn a_restore_tried_again_in_the_same_second_succeeds_and_keeps_both_collections() {
    // A restore interrupted (killed after saving the collection it replaces) is tried again at
    // once: its saved copy needs another name, not a refusal.
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let file = backup::backup_now(dir.path(), now().with_timezone(&Utc)).unwrap();
    let card = col.next_card(now()).unwrap().unwrap();
    col.answer(card.card_id, Rating::Good, now(), 1_000)
        .unwrap();
    drop(col);

    let at = now().with_timezone(&Utc);
    let first = backup::restore(dir.path(), &file, at).unwrap().unwrap();
    let second = backup::restore(dir.path(), &file, at).unwrap().unwrap();
    assert_ne!(first, second);
    backup::verify(&first).unwrap();
    backup::verify(&second).unwrap();
    let col = Collection::open(dir.path(), now()).unwrap();
    assert_eq!(revlog(&col), 0, "the backup, from before the answer");
    drop(col);
    // The first saved copy holds the answer.
    backup::restore(dir.path(), &first, at).unwrap();
    assert_eq!(revlog(&Collection::open(dir.path(), now()).unwrap()), 1);
}

#[test]
fn a_restore_that_fails_midway_leaves_the_old_collection_whole_in_its_file_alone() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let file = dir.path().join("copy.sqlite3");
    backup::write(&dir.path().join(DB_FILE), &file).unwrap();
    let card = col.next_card(now()).unwrap().unwrap();
    col.answer(card.card_id, Rating::Good, now(), 1_000)
        .unwrap();
    drop(col);
    // A write left only in the WAL, as a program that died before checkpointing leaves it.
    let db = dir.path().join(DB_FILE);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )
    .unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('in-wal', '1')",
        [],
    )
    .unwrap();
    drop(conn);
    assert!(
        std::fs::metadata(format!("{}-wal", db.display()))
            .unwrap()
            .len()
            > 0
    );
    // The copy of the backup cannot be written: the restore stops after it has saved and
    // prepared the old collection, where a kill could stop it too.
    std::fs::create_dir(db.with_extension("restoring")).unwrap();

    backup::restore(dir.path(), &file, now().with_timezone(&Utc)).unwrap_err();
    // The file alone, without any WAL, is the whole old collection.
    let alone = TempDir::new().unwrap();
    std::fs::copy(&db, alone.path().join(DB_FILE)).unwrap();
    assert_eq!(integrity(alone.path()), "ok");
    let col = Collection::open(alone.path(), now()).unwrap();
    assert_eq!(revlog(&col), 1);
    let kept: i64 = col
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM settings WHERE key = 'in-wal'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1);
    assert_eq!(revlog(&Collection::open(dir.path(), now()).unwrap()), 1);
}
