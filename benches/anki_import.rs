//! Benchmark: importing a generated Anki package in the current layout (`meta` + zstd
//! `collection.anki21b`, schema 18) of 10,000 notes (half basic, half basic-and-reversed: 15,000
//! cards) with 100,000 review-log rows, into a collection that already holds the built-in pack.
//! Each run imports into a fresh data folder: reading the zip, decompressing, replaying every
//! card's history through FSRS, and one transaction writing it all.
//!
//! `cargo bench --bench anki_import` prints the median of 5 imports.
//! The generated package is cached in target/bench-data/ (delete it to regenerate).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::DateTime;
use reprise::Collection;
use rusqlite::Connection;

mod support;
use support::thread_cpu;

const NOTES: i64 = 10_000;
const REVIEWS: i64 = 100_000;
const NOW: &str = "2026-06-15T10:00:00+02:00";
/// 2025-06-15T04:00:00Z: the collection's first day.
const CREATED: i64 = 1_749_960_000;

/// A template's protobuf config: q_format (1) and a_format (2), both short strings.
fn template_config(q: &str, a: &str) -> Vec<u8> {
    let mut out = vec![0x0a, q.len() as u8];
    out.extend_from_slice(q.as_bytes());
    out.extend_from_slice(&[0x12, a.len() as u8]);
    out.extend_from_slice(a.as_bytes());
    out
}

fn generate_collection(path: &Path) {
    let _ = std::fs::remove_file(path);
    let mut conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE col (id INTEGER PRIMARY KEY, crt INTEGER, mod INTEGER, scm INTEGER,
           ver INTEGER, dty INTEGER, usn INTEGER, ls INTEGER, conf TEXT, models TEXT,
           decks TEXT, dconf TEXT, tags TEXT);
         CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, mod INTEGER,
           usn INTEGER, tags TEXT, flds TEXT, sfld TEXT, csum INTEGER, flags INTEGER, data TEXT);
         CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, did INTEGER, ord INTEGER,
           mod INTEGER, usn INTEGER, type INTEGER, queue INTEGER, due INTEGER, ivl INTEGER,
           factor INTEGER, reps INTEGER, lapses INTEGER, left INTEGER, odue INTEGER,
           odid INTEGER, flags INTEGER, data TEXT);
         CREATE TABLE revlog (id INTEGER PRIMARY KEY, cid INTEGER, usn INTEGER, ease INTEGER,
           ivl INTEGER, lastIvl INTEGER, factor INTEGER, time INTEGER, type INTEGER);
         CREATE TABLE notetypes (id INTEGER PRIMARY KEY, name TEXT, mtime_secs INTEGER,
           usn INTEGER, config BLOB);
         CREATE TABLE fields (ntid INTEGER, ord INTEGER, name TEXT, config BLOB);
         CREATE TABLE templates (ntid INTEGER, ord INTEGER, name TEXT, mtime_secs INTEGER,
           usn INTEGER, config BLOB);
         CREATE TABLE decks (id INTEGER PRIMARY KEY, name TEXT, mtime_secs INTEGER,
           usn INTEGER, common BLOB, kind BLOB);",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute(
        "INSERT INTO col (id, crt, ver, models, decks) VALUES (1, ?1, 18, '', '')",
        [CREATED],
    )
    .unwrap();
    let answer = "{{FrontSide}}<hr id=answer>";
    for (id, name, templates) in [
        (1, "Basic", vec![("{{Front}}", "{{Back}}")]),
        (
            2,
            "Basic (and reversed card)",
            vec![("{{Front}}", "{{Back}}"), ("{{Back}}", "{{Front}}")],
        ),
    ] {
        tx.execute(
            "INSERT INTO notetypes (id, name, config) VALUES (?1, ?2, x'')",
            rusqlite::params![id, name],
        )
        .unwrap();
        for (ord, field) in ["Front", "Back"].iter().enumerate() {
            let ord = ord as i64;
            tx.execute(
                "INSERT INTO fields (ntid, ord, name, config) VALUES (?1, ?2, ?3, x'')",
                rusqlite::params![id, ord, field],
            )
            .unwrap();
        }
        for (ord, (q, a)) in templates.into_iter().enumerate() {
            let ord = ord as i64;
            tx.execute(
                "INSERT INTO templates (ntid, ord, name, config) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![
                    id,
                    ord,
                    format!("Card {}", ord + 1),
                    template_config(q, &format!("{answer}{a}"))
                ],
            )
            .unwrap();
        }
    }
    tx.execute(
        "INSERT INTO decks (id, name, kind) VALUES (1, 'Bench\u{1f}Generated', x'0a00')",
        [],
    )
    .unwrap();
    // Reviews go round-robin over the cards, a few days apart, so every card has a history.
    let mut cards = Vec::new();
    for n in 0..NOTES {
        let reversed = n % 2 == 1;
        let note_id = 1_700_000_000_000 + n;
        tx.execute(
            "INSERT INTO notes (id, guid, mid, tags, flds) VALUES (?1, ?2, ?3, ' bench ', ?4)",
            rusqlite::params![
                note_id,
                format!("g{n:08}"),
                if reversed { 2 } else { 1 },
                format!("Term <b>{n}</b>\u{1f}The definition of term number {n}.")
            ],
        )
        .unwrap();
        for ord in 0..if reversed { 2 } else { 1 } {
            cards.push((note_id * 10 + ord, note_id, ord));
        }
    }
    let per_card = REVIEWS / cards.len() as i64;
    let extra = REVIEWS % cards.len() as i64;
    let mut review = tx
        .prepare(
            "INSERT INTO revlog (id, cid, ease, ivl, lastIvl, factor, time, type)
             VALUES (?1, ?2, ?3, ?4, ?5, 2500, 6000, ?6)",
        )
        .unwrap();
    let mut card_stmt = tx
        .prepare(
            "INSERT INTO cards (id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses,
               odue, odid, data)
             VALUES (?1, ?2, 1, ?3, 2, 2, ?4, ?5, 2500, ?6, 0, 0, 0, '{}')",
        )
        .unwrap();
    for (i, &(card, note, ord)) in cards.iter().enumerate() {
        let reviews = per_card + i64::from((i as i64) < extra);
        // Distinct milliseconds per card keep revlog ids unique, as they are in Anki.
        let mut at_ms = (CREATED + (i as i64 % 30) * 3600) * 1000 + i as i64 * 16;
        let mut interval = 0;
        for k in 0..reviews {
            let ease = if k % 7 == 3 { 1 } else { 3 };
            let next = if ease == 1 { 1 } else { (interval * 2).max(1) };
            review
                .execute(rusqlite::params![
                    at_ms + k,
                    card,
                    ease,
                    next,
                    interval,
                    if k == 0 { 0 } else { 1 }
                ])
                .unwrap();
            at_ms += next * 86_400_000;
            interval = next;
        }
        let due_day = (at_ms / 1000 - CREATED) / 86_400;
        card_stmt
            .execute(rusqlite::params![
                card, note, ord, due_day, interval, reviews
            ])
            .unwrap();
    }
    drop(review);
    drop(card_stmt);
    tx.commit().unwrap();
    conn.execute_batch("VACUUM").unwrap();
}

fn generate_package(path: &Path) {
    let started = Instant::now();
    let db = path.with_extension("anki21b.sqlite");
    generate_collection(&db);
    let bytes = std::fs::read(&db).unwrap();
    let compressed = ruzstd::encoding::compress_to_vec(
        bytes.as_slice(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in [
        ("meta", vec![0x08, 0x03]),
        ("collection.anki21b", compressed),
        // An empty media list, zstd-compressed like Anki's.
        (
            "media",
            ruzstd::encoding::compress_to_vec(&[][..], ruzstd::encoding::CompressionLevel::Fastest),
        ),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(&data).unwrap();
    }
    zip.finish().unwrap();
    let _ = std::fs::remove_file(&db);
    eprintln!(
        "generated {} ({} MiB collection) in {:.1?}",
        path.display(),
        bytes.len() >> 20,
        started.elapsed()
    );
}

fn main() {
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let package = dir.join("anki-10k-notes-100k-reviews.apkg");
    if !package.exists() {
        generate_package(&package);
    }
    let mut times: Vec<Duration> = Vec::new();
    let mut cpu: Vec<Duration> = Vec::new();
    for run in 0..5 {
        let data = dir.join(format!("anki-import-{run}"));
        let _ = std::fs::remove_dir_all(&data);
        let mut col = Collection::open(&data, now).unwrap();
        let started = Instant::now();
        let cpu_started = thread_cpu();
        let report = col.import(&package, now).unwrap();
        times.push(started.elapsed());
        cpu.push(thread_cpu() - cpu_started);
        assert_eq!(report.added as i64, NOTES);
        assert_eq!(report.reviews as i64, REVIEWS);
        drop(col);
        let _ = std::fs::remove_dir_all(&data);
    }
    times.sort();
    cpu.sort();
    println!(
        "import 10k-note .apkg, 100k review-log rows: median {:.1?} wall (min {:.1?}, max \
         {:.1?}), {:.1?} CPU; 5 runs",
        times[2], times[0], times[4], cpu[2]
    );
}
