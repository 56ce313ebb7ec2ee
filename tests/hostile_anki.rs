//! Hostile Anki packages: extreme numbers, SQLite schemas that compute, zstd bombs, giant and
//! deeply nested fields, remote resources in HTML. Each is refused with what, where and how to
//! fix it (and the collection is unchanged), or the part at fault is left out and reported while
//! the rest of the deck is imported. The packages are built here from the genanki fixture.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::{at, fingerprint, revlog_rows};
use reprise::import::ImportReport;
use reprise::Collection;
use rusqlite::Connection;
use tempfile::TempDir;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    at("2026-11-25T12:00:00+00:00")
}

fn genanki() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/genanki_mixed_30.apkg")
}

/// The genanki collection changed by `change`, as SQLite bytes.
fn collection_with(dir: &Path, change: impl FnOnce(&Connection)) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(std::fs::File::open(genanki()).unwrap()).unwrap();
    let mut bytes = Vec::new();
    source
        .by_name("collection.anki2")
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    let db = dir.join("collection.sqlite");
    std::fs::write(&db, bytes).unwrap();
    let conn = Connection::open(&db).unwrap();
    change(&conn);
    drop(conn);
    let out = std::fs::read(&db).unwrap();
    std::fs::remove_file(db).unwrap();
    out
}

/// A package `dir/name` holding `files` (name, bytes), deflated.
fn package(dir: &Path, name: &str, files: Vec<(&str, Vec<u8>)>) -> PathBuf {
    let path = dir.join(name);
    let mut out = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (entry, bytes) in files {
        let options = zip::write::SimpleFileOptions::default();
        out.start_file(entry, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
    path
}

/// The genanki package with its collection changed by `sql` (and no media).
fn altered(dir: &Path, name: &str, sql: &str) -> PathBuf {
    let db = collection_with(dir, |c| c.execute_batch(sql).unwrap());
    package(dir, name, vec![("collection.anki2", db)])
}

/// Imports `path` over the built-in pack and the genanki package, expecting a refusal naming
/// the file and `entry`; returns the message after checking nothing changed.
fn refusal(path: &Path, entry: &str) -> String {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    col.import(&genanki(), now()).unwrap();
    let (before, reviews) = (fingerprint(&col), revlog_rows(&col));
    let message = col.import(path, now()).unwrap_err().to_string();
    assert_eq!(
        fingerprint(&col),
        before,
        "a refusal changed the collection"
    );
    assert_eq!(revlog_rows(&col), reviews);
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains(&format!("(entry '{entry}')")), "{message}");
    assert!(message.ends_with("nothing was imported"), "{message}");
    message
}

/// Imports `path` into a new collection.
fn imported(path: &Path) -> (TempDir, Collection, ImportReport) {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let report = col.import(path, now()).unwrap();
    (dir, col, report)
}

/// The reason given for `entry` in the report.
fn reason<'a>(report: &'a ImportReport, entry: &str) -> &'a str {
    let found = report.skipped.iter().find(|s| s.entry == entry);
    &found
        .unwrap_or_else(|| panic!("{entry} not in {:?}", report.skipped))
        .reason
}

/// The first reason in the report that mentions `needle`.
fn reason_with<'a>(report: &'a ImportReport, needle: &str) -> &'a str {
    let found = report.skipped.iter().find(|s| s.reason.contains(needle));
    &found
        .unwrap_or_else(|| panic!("{needle} not in {:?}", report.skipped))
        .reason
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

fn count(col: &Collection, sql: &str) -> i64 {
    col.store().conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Random-looking text SQLite builds: deflate cannot shrink it past the zip ratio cap.
fn noise_sql(bytes: usize) -> String {
    format!("hex(randomblob({}))", bytes / 2)
}

const MAX: i64 = i64::MAX;
const MIN: i64 = i64::MIN;

#[test]
fn extreme_numbers_make_cards_new_and_leave_bad_log_rows_out() {
    let dir = TempDir::new().unwrap();
    let path = altered(
        dir.path(),
        "extreme.apkg",
        &format!(
            "UPDATE cards SET type = 2, queue = 2, due = {MAX}, ivl = {MAX}, factor = {MIN},
               reps = {MAX}, lapses = {MIN}, left = {MAX}, odue = 0, odid = 0
             WHERE id IN (SELECT id FROM cards ORDER BY id LIMIT 4);
             UPDATE cards SET type = 1, queue = 1, due = {MIN} + 1, ivl = {MIN}
             WHERE id IN (SELECT id FROM cards ORDER BY id LIMIT 2 OFFSET 4);
             UPDATE cards SET type = 2, queue = 2, due = 100, ivl = 30, factor = {MAX},
               reps = 3, lapses = 0, data = '{{\"s\": 1e38, \"d\": -5, \"lrt\": {MAX}}}'
             WHERE id IN (SELECT id FROM cards ORDER BY id LIMIT 1 OFFSET 6);
             UPDATE cards SET ord = {MAX} WHERE nid = 1767225600020 AND ord = 1;
             UPDATE cards SET id = {MAX} WHERE id = (SELECT max(id) FROM cards);
             INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)
               SELECT {MAX} - id, id, 0, 3, {MIN}, {MIN}, {MAX}, {MAX}, 1 FROM cards;
             INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)
               SELECT 1767225600000 + id % 1000, id, 0, 3, 5, 2, {MAX}, {MAX}, {MIN} FROM cards;
             INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)
               SELECT 1767225600000, (SELECT max(id) FROM cards), 0, 3, 5, 2, {MAX}, {MAX}, 1;
             UPDATE notes SET mod = {MAX};"
        ),
    );
    let (_dir, col, report) = imported(&path);
    assert_eq!(report.added, 30, "{report:?}");
    let cards = reason(&report, "cards");
    assert!(
        cards.starts_with("6 cards have a schedule value out of range"),
        "{cards}"
    );
    assert!(
        cards.contains("is not a day or time between 1970 and 2100"),
        "{cards}"
    );
    assert!(cards.contains("imported as new cards"), "{cards}");
    let log = reason(&report, "review log");
    assert!(log.starts_with("86 review-log rows"), "{log}");
    assert!(log.contains("is outside"), "{log}");
    // The one well-formed answer is kept; the cards out of range are new, the rest keep theirs.
    assert_eq!(report.reviews, 1);
    assert_eq!(revlog_rows(&col), 1);
    assert_eq!(count(&col, "SELECT count(*) FROM cards WHERE state = 2"), 1);
    let (due, stability): (i64, f64) = col
        .store()
        .conn()
        .query_row(
            "SELECT due, stability FROM cards WHERE state = 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(stability > 0.0 && stability < 1000.0, "{stability}");
    assert!(due > 0);
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.reason.starts_with("1 of its cards")),
        "the card with ord {MAX} is left out: {:?}",
        report.skipped
    );
}

#[test]
fn a_creation_time_out_of_range_refuses_the_collection() {
    let dir = TempDir::new().unwrap();
    let path = altered(
        dir.path(),
        "crt.apkg",
        &format!("UPDATE col SET crt = {MAX}"),
    );
    let message = refusal(&path, "collection.anki2");
    assert!(message.contains(&format!("col.crt {MAX}")), "{message}");
    assert!(message.contains("between 1970 and 2100"), "{message}");
}

#[test]
fn schemas_that_compute_are_refused_before_a_row_is_read() {
    let dir = TempDir::new().unwrap();
    // Each row's fields would be 20 MB, built by SQLite if it were read.
    let generated = altered(
        dir.path(),
        "generated.apkg",
        "ALTER TABLE notes RENAME TO old;
         CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer,
           usn integer, tags text, raw text, flds text GENERATED ALWAYS AS (replace(replace(
             printf('%.*c', 1000, 'x'), 'x', printf('%.*c', 10000, 'y')), 'y', raw)) VIRTUAL,
           sfld integer, csum integer, flags integer, data text);
         INSERT INTO notes (id, guid, mid, mod, usn, tags, raw, sfld, csum, flags, data)
           SELECT id, guid, mid, mod, usn, tags, 'ab', sfld, csum, flags, data FROM old;
         DROP TABLE old;",
    );
    let message = refusal(&generated, "collection.anki2");
    assert!(
        message.contains("a generated column ('notes.flds')"),
        "{message}"
    );
    assert!(
        message.contains("an Anki collection never has"),
        "{message}"
    );
    assert!(
        message.contains("export the deck from Anki again"),
        "{message}"
    );
    for (name, sql, what) in [
        (
            "view.apkg",
            "CREATE VIEW big AS SELECT printf('%.*c', 100000000, 'x')",
            "a view ('big')",
        ),
        (
            "trigger.apkg",
            "CREATE TRIGGER t AFTER INSERT ON notes BEGIN DELETE FROM cards; END",
            "a trigger ('t')",
        ),
        (
            "default.apkg",
            "CREATE TABLE extra (x, y DEFAULT (printf('%.*c', 100000000, 'x')))",
            "a computed default value ('extra.y')",
        ),
    ] {
        let path = altered(dir.path(), name, sql);
        let message = refusal(&path, "collection.anki2");
        assert!(message.contains(what), "{message}");
    }
}

#[test]
fn check_constraints_are_not_run_and_values_past_the_sqlite_length_cap_are_refused() {
    let dir = TempDir::new().unwrap();
    // SQLite's integrity check would build a 100 MB string per row, past the length cap.
    let check = altered(
        dir.path(),
        "check.apkg",
        "PRAGMA ignore_check_constraints = ON;
         CREATE TABLE extra (x CHECK (length(printf('%.*c', 100000000, 'x')) < 0));
         INSERT INTO extra VALUES (1), (2), (3);",
    );
    assert_eq!(imported(&check).2.added, 30);
    // One value of 17 MiB (random, so the zip holds it) is past the 16 MiB cap.
    let long = altered(
        dir.path(),
        "long.apkg",
        &format!(
            "UPDATE col SET decks = json_set(decks, '$.\"1\".desc', {})",
            noise_sql(17 << 20)
        ),
    );
    let message = refusal(&long, "collection.anki2");
    assert!(
        message.contains("a value in its note types is larger than the 16 MiB Reprise reads"),
        "{message}"
    );
}

/// A current package (zstd collection, zstd protobuf media list) whose media are `media`.
fn anki21b(dir: &Path, name: &str, media: Vec<(&str, Vec<u8>)>) -> PathBuf {
    let mut list = Vec::new();
    for (file, _) in &media {
        let entry = [&[0x0a, file.len() as u8][..], file.as_bytes()].concat();
        list.extend_from_slice(&[0x0a, entry.len() as u8]);
        list.extend_from_slice(&entry);
    }
    let collection = collection_with(dir, |_| {});
    let mut files = vec![
        ("meta", vec![0x08, 0x03]),
        ("collection.anki21b", zstd(&collection)),
        ("media", zstd(&list)),
    ];
    let names = ["0", "1", "2", "3"];
    files.extend(media.into_iter().zip(names).map(|((_, b), n)| (n, b)));
    package(dir, name, files)
}

#[test]
fn zstd_media_bombs_are_refused_before_they_expand() {
    let dir = TempDir::new().unwrap();
    let bomb = zstd(&vec![0u8; 32 << 20]);
    assert!(bomb.len() < 64 << 10, "{} bytes", bomb.len());
    let path = anki21b(
        dir.path(),
        "bomb.apkg",
        vec![("a.png", b"small".to_vec()), ("b.png", bomb)],
    );
    let message = refusal(&path, "1");
    // Cut at 1 MiB (the floor of the 20-fold cap), not 32 MiB.
    assert!(
        message.contains("expands more than 20-fold (past 1 MiB)"),
        "{message}"
    );
    assert!(
        message.contains("like a zip bomb; it was not unpacked"),
        "{message}"
    );

    // A frame asking for a 1 GiB window is refused from its header.
    let mut window = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 20 << 3];
    window.extend_from_slice(&[0; 16]);
    let path = anki21b(dir.path(), "window.apkg", vec![("w.png", window)]);
    let message = refusal(&path, "0");
    assert!(
        message.contains("asks for a 1024 MiB zstd window"),
        "{message}"
    );

    // Honest media in the same layout are kept.
    let path = anki21b(dir.path(), "fine.apkg", vec![("a.png", vec![7; 5000])]);
    let (_dir, col, report) = imported(&path);
    assert_eq!(report.added, 30);
    let kept = "SELECT count(*) FROM media WHERE path = 'media/a.png'";
    assert_eq!(count(&col, kept), 1);
}

#[test]
fn giant_notes_and_fields_are_left_out_and_the_rest_imported() {
    let dir = TempDir::new().unwrap();
    let path = altered(
        dir.path(),
        "giant.apkg",
        &format!(
            "UPDATE notes SET flds = {} || char(31) || 'back' WHERE flds LIKE 'la casa%';
             UPDATE notes SET flds = {} || char(31) || 'back' WHERE flds LIKE '%el perro%';
             UPDATE notes SET flds = 'front' || char(31) || {} WHERE flds LIKE 'el gato%';",
            noise_sql(20 << 20),
            noise_sql(300 << 10),
            noise_sql(70 << 10),
        ),
    );
    let (_dir, col, report) = imported(&path);
    assert_eq!(report.added, 27, "{report:?}");
    let giant: Vec<&str> = report
        .skipped
        .iter()
        .filter(|s| s.reason.contains("a note may be"))
        .map(|s| s.reason.as_str())
        .collect();
    assert_eq!(giant.len(), 2, "{:?}", report.skipped);
    // 20 MiB is past SQLite's 16 MiB length cap: the note was measured, never read.
    assert!(
        giant.iter().any(|r| r.starts_with("it is 20480 KiB")),
        "{giant:?}"
    );
    assert!(
        giant.iter().all(|r| r.contains("more than the 256 KiB")),
        "{giant:?}"
    );
    let field = reason_with(&report, "a field may be");
    assert!(
        field.starts_with("field 'Back' is 70 KiB, more than the 64 KiB"),
        "{field}"
    );
    assert!(field.contains("into a media file"), "{field}");
    let longest = count(&col, "SELECT max(length(unpack_fields(fields))) FROM notes");
    assert!(longest < 64 << 10, "{longest}");
}

/// The genanki package with one cloze note's text set to `text`.
fn with_cloze(dir: &Path, name: &str, text: &str) -> PathBuf {
    let db = collection_with(dir, |c| {
        c.execute(
            "UPDATE notes SET flds = ?1 || char(31) || '' WHERE id =
               (SELECT min(id) FROM notes WHERE flds LIKE '%{{c1::%')",
            [text],
        )
        .unwrap();
    });
    package(dir, name, vec![("collection.anki2", db)])
}

#[test]
fn clozes_nested_past_eight_levels_are_left_out() {
    let dir = TempDir::new().unwrap();
    let deep = format!("{}x{}", "{{c1::".repeat(5000), "}}".repeat(5000));
    let (_dir, _col, report) = imported(&with_cloze(dir.path(), "deep.apkg", &deep));
    assert_eq!(report.added, 29, "{report:?}");
    let left_out = reason_with(&report, "clozes nest");
    assert!(left_out.contains("more than 8 deep"), "{left_out}");
    assert!(left_out.contains("un-nest them in Anki"), "{left_out}");
    // Openers never closed are text (read in one pass): the note asks no cloze.
    let unclosed = "{{c1::a ".repeat(5000);
    let (_dir, _col, report) = imported(&with_cloze(dir.path(), "open.apkg", &unclosed));
    assert_eq!(report.added, 29, "{report:?}");
    reason_with(&report, "no card Reprise can show");
    let eight = format!("{}x{}", "{{c1::".repeat(8), "}}".repeat(8));
    let (_dir, _col, report) = imported(&with_cloze(dir.path(), "eight.apkg", &eight));
    assert_eq!(report.added, 30, "{report:?}");
}

#[test]
fn html_is_stored_inert_without_remote_resources_and_deep_nesting_is_left_out() {
    let dir = TempDir::new().unwrap();
    let remote = "<img src=\"https://e.example/a.png\"><img src=\"//e.example/b.png\">\
        <img srcset=\"https://e.example/c.png 2x\" src=\"genanki_gradient.png\">\
        <div style=\"background:url(https://e.example/d)\">Front</div>\
        <style>b{background:url(//e.example/e)}</style><a href=\"/\\e.example\">x</a>";
    let deep = "<div>".repeat(1000) + "deep";
    let db = collection_with(dir.path(), |c| {
        c.execute(
            "UPDATE notes SET flds = ?1 || char(31) || 'back' WHERE flds LIKE 'la casa%'",
            [remote],
        )
        .unwrap();
        c.execute(
            "UPDATE notes SET flds = ?1 || char(31) || 'back' WHERE flds LIKE '%el perro%'",
            [&deep],
        )
        .unwrap();
    });
    let path = package(dir.path(), "html.apkg", vec![("collection.anki2", db)]);
    let (_dir, col, report) = imported(&path);
    assert_eq!(report.added, 29, "{report:?}");
    let nested = reason_with(&report, "nests HTML");
    assert!(nested.contains("more than 64 deep"), "{nested}");
    let stored: String = col
        .store()
        .conn()
        .query_row(
            "SELECT unpack_fields(fields) FROM notes
             WHERE unpack_fields(fields) LIKE '%>Front<%' AND kind = 'flash'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for gone in ["e.example", "style", "srcset", "url("] {
        assert!(!stored.contains(gone), "{gone} kept in {stored}");
    }
    assert!(stored.contains("genanki_gradient.png"), "{stored}");
}

/// The package's collection is read from a scratch copy in the temporary folder, which is gone
/// when the import ends, imported or refused.
#[test]
fn the_scratch_copy_of_a_collection_is_removed_after_an_import_or_a_refusal() {
    let dir = TempDir::new().unwrap();
    let trigger = altered(
        dir.path(),
        "trigger.apkg",
        "CREATE TRIGGER t AFTER INSERT ON notes BEGIN SELECT 1; END;",
    );
    let history =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anki_history_200.apkg");
    for (package, imports) in [(trigger, false), (genanki(), true), (history, true)] {
        let (data, temp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_reprise"))
            .arg("--data-dir")
            .arg(data.path())
            .args(["--now", "2026-11-25T12:00:00+00:00", "import"])
            .arg(&package)
            .env_remove("REPRISE_DATA_DIR")
            .env("TMPDIR", temp.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.success(), imports, "{package:?}: {stderr}");
        let left: Vec<_> = std::fs::read_dir(temp.path()).unwrap().collect();
        assert!(left.is_empty(), "{package:?} left {left:?}");
    }
}

/// A scratch copy an import killed while reading left behind (over an hour old) is removed by
/// the next import; a copy that may still be read, and other files, stay.
#[test]
fn an_import_removes_the_scratch_copies_killed_imports_left() {
    let (data, temp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let hours_ago =
        |h: u64| std::time::SystemTime::now() - std::time::Duration::from_secs(h * 3600);
    let file = |name: &str, modified| {
        let path = temp.path().join(name);
        let f = std::fs::File::create(&path).unwrap();
        f.set_modified(modified).unwrap();
        path
    };
    let stale = file("reprise-anki-Ab12Cd.sqlite3", hours_ago(2));
    let recent = file("reprise-anki-Ef34Gh.sqlite3", hours_ago(0));
    let other = file("notes.sqlite3", hours_ago(2));
    let named_alike = file("reprise-anki-Ij56Kl.txt", hours_ago(2));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reprise"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["--now", "2026-11-25T12:00:00+00:00", "import"])
        .arg(genanki())
        .env_remove("REPRISE_DATA_DIR")
        .env("TMPDIR", temp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!stale.exists(), "the stale scratch copy is still there");
    for kept in [recent, other, named_alike] {
        assert!(kept.exists(), "{kept:?} was removed");
    }
}

/// Notes that share a guid are one note: the first of a known note type is kept and each later
/// one is reported; a note whose type is missing does not claim its guid.
#[test]
fn of_notes_sharing_a_guid_the_first_of_a_known_type_is_kept() {
    let dir = TempDir::new().unwrap();
    let mut ids = Vec::new();
    let db = collection_with(dir.path(), |c| {
        let mut stmt = c
            .prepare("SELECT id FROM notes ORDER BY id LIMIT 3")
            .unwrap();
        ids = stmt
            .query_map([], |r| r.get::<_, i64>(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        c.execute_batch(&format!(
            "UPDATE notes SET guid = 'same' WHERE id IN ({}, {}, {});
             UPDATE notes SET mid = 42 WHERE id = {};",
            ids[0], ids[1], ids[2], ids[0]
        ))
        .unwrap();
    });
    let path = package(dir.path(), "guids.apkg", vec![("collection.anki2", db)]);
    let (_dir, col, report) = imported(&path);
    assert_eq!(report.added, 28, "{report:?}");
    assert!(reason(&report, &format!("note {}", ids[0])).contains("note type 42 is missing"));
    let repeated = reason(&report, &format!("note {}", ids[2]));
    assert_eq!(repeated, "another note has the same id (guid 'same')");
    assert!(!report
        .skipped
        .iter()
        .any(|s| s.entry == format!("note {}", ids[1])));
    let kept = "SELECT count(*) FROM notes WHERE key = 'anki:same'";
    assert_eq!(count(&col, kept), 1);
}
