//! Exports: a pack written back out loads as the same pack (the built-in one, with lessons,
//! quizzes and diagrams, and an imported table), and the review log as CSV for FSRS tools.

mod common;

use std::path::Path;

use common::at;
use reprise::content::Pack;
use reprise::{Collection, PackId, Rating};
use tempfile::TempDir;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    at("2026-03-10T09:00:00+01:00")
}

fn same_content(a: &Pack, b: &Pack) {
    assert_eq!(a.manifest, b.manifest);
    assert_eq!(a.areas, b.areas);
    assert_eq!(a.terms, b.terms);
    assert_eq!(a.lessons, b.lessons);
    assert_eq!(a.media, b.media);
}

#[test]
fn the_built_in_pack_exports_losslessly() {
    let dir = TempDir::new().unwrap();
    let col = Collection::open(dir.path(), now()).unwrap();
    let file = dir.path().join("k8s.zip");
    let out = col
        .export_pack(&PackId::from("reprise.kubernetes-containers"), &file)
        .unwrap();
    assert!(out.items > 60);
    let back = reprise::import::load_pack(&file).unwrap();
    same_content(&back, &common::k8s_pack());

    let err = col
        .export_pack(&PackId::from("reprise.kubernetes-containers"), &file)
        .unwrap_err();
    assert!(err.to_string().contains("exists already"), "{err}");
    let err = col
        .export_pack(&PackId::from("nope"), &dir.path().join("x.zip"))
        .unwrap_err();
    assert!(err.to_string().contains("no pack 'nope'"), "{err}");
}

#[test]
fn an_imported_table_exports_and_imports_elsewhere_unchanged() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terms_semicolon.csv");
    col.import(&fixture, now()).unwrap();
    let file = dir.path().join("words.zip");
    col.export_pack(&PackId::from("csv.terms-semicolon"), &file)
        .unwrap();

    let other = TempDir::new().unwrap();
    let mut elsewhere = Collection::open(other.path(), now()).unwrap();
    let report = elsewhere.import(&file, now()).unwrap();
    assert_eq!(
        (report.pack.as_str(), report.added),
        ("csv.terms-semicolon", 56)
    );
    let terms = |c: &Collection| {
        let mut t = reprise::export::pack_from_collection(c.store().conn(), "csv.terms-semicolon")
            .unwrap()
            .terms;
        // A pack orders terms by level and id; a table, by row.
        t.sort_by(|a, b| a.id.cmp(&b.id));
        t
    };
    let mine = terms(&col);
    assert_eq!(mine, terms(&elsewhere));
    assert!(mine
        .iter()
        .any(|t| t.definition == "first line\nsecond line"));
}

#[test]
fn the_review_log_exports_as_csv_for_fsrs_tools() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let mut answered = Vec::new();
    for (i, rating) in [Rating::Good, Rating::Again, Rating::Easy]
        .into_iter()
        .enumerate()
    {
        let t = now() + chrono::Duration::seconds(i as i64 * 30);
        let card = col.next_card(t).unwrap().unwrap();
        col.answer(card.card_id, rating, t, 4_000 + i as u32)
            .unwrap();
        answered.push((card.card_id, t.timestamp_millis(), rating.number()));
    }
    let file = dir.path().join("revlog.csv");
    assert_eq!(col.export_revlog(&file).unwrap().items, 3);
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "card_id,review_time,review_rating,review_state,review_duration"
    );
    for (line, (card, time, rating)) in lines[1..].iter().zip(&answered) {
        let i = answered.iter().position(|a| a.0 == *card).unwrap();
        assert_eq!(
            *line,
            format!("{card},{time},{rating},0,{}", 4_000 + i),
            "new cards: state 0 before the answer"
        );
    }
    assert!(!dir.path().join("revlog.partial").exists());
}
