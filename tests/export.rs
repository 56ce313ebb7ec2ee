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

/// A deck of more notes than a pack may hold files (20,000) exports to a zip that imports again
/// elsewhere with the same notes: the notes travel many to a file.
#[test]
fn a_deck_of_more_notes_than_a_pack_holds_files_exports_and_imports_again() {
    const NOTES: usize = 20_500;
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("deck");
    std::fs::create_dir_all(folder.join("flash")).unwrap();
    std::fs::write(
        folder.join("pack.toml"),
        "format = 1\nid = \"test.big-deck\"\nname = \"Big deck\"\nversion = \"1\"\n\
         author = \"Tests\"\nlicense = \"CC0-1.0\"\ndescription = \"For tests.\"\n",
    )
    .unwrap();
    let notes: String = (0..NOTES)
        .map(|i| {
            format!(
                "[[notes]]\nkey = \"n{i}\"\nkind = \"basic\"\ncards = [\"forward\"]\n\
                 front = \"Front {i}\"\nback = \"Back <b>{i}</b>\"\ntags = [\"t{}\"]\n",
                i % 7
            )
        })
        .collect();
    // In files of 4,000 notes (a text file may be 1 MiB).
    for (at, chunk) in notes
        .split_inclusive("\n")
        .collect::<Vec<_>>()
        .chunks(7 * 4000)
        .enumerate()
    {
        std::fs::write(folder.join(format!("flash/{at}.toml")), chunk.concat()).unwrap();
    }
    let mut col = Collection::open(&dir.path().join("a"), now()).unwrap();
    let id = PackId::from("test.big-deck");
    assert_eq!(col.import(&folder, now()).unwrap().added as usize, NOTES);

    let zip = dir.path().join("deck.zip");
    let exported = col.export_pack(&id, &zip).unwrap();
    assert!(exported.items < 100, "{} files", exported.items);
    let mut elsewhere = Collection::open(&dir.path().join("b"), now()).unwrap();
    let report = elsewhere.import(&zip, now()).unwrap();
    assert_eq!(
        (report.added as usize, report.new_cards as usize),
        (NOTES, NOTES)
    );
    let flash = |c: &Collection| {
        let mut f = reprise::export::pack_from_collection(c.store().conn(), id.as_str())
            .unwrap()
            .flash;
        f.sort_by(|a, b| a.key.cmp(&b.key));
        f
    };
    let (mine, theirs) = (flash(&col), flash(&elsewhere));
    assert_eq!(mine.len(), NOTES);
    assert!(mine == theirs, "the notes changed on the way");
    assert_eq!(mine[1].note.back, "Back <b>1</b>");
}

/// A pack that would not import again (here more terms than a pack holds files) is refused with
/// what to do instead, and no file is left behind.
#[test]
fn a_pack_that_would_not_import_again_is_not_written() {
    let dir = TempDir::new().unwrap();
    let table = dir.path().join("many.csv");
    let rows: String = (0..20_001)
        .map(|i| format!("term {i},meaning {i}\n"))
        .collect();
    std::fs::write(&table, rows).unwrap();
    let mut col = Collection::open(&dir.path().join("a"), now()).unwrap();
    let report = col.import(&table, now()).unwrap();
    assert_eq!(report.added, 20_001);

    let zip = dir.path().join("many.zip");
    let err = col.export_pack(&report.pack, &zip).unwrap_err().to_string();
    for expected in [
        "cannot be exported as a pack that imports again",
        "more than the 20000 allowed",
        "reprise backup",
    ] {
        assert!(err.contains(expected), "{expected:?} not in {err}");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !zip.exists() && !zip.with_extension("partial").exists(),
        "{left:?}"
    );
}
