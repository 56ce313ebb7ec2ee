//! Importing packs and tables from real files: the CSV fixture, pack folders and zips, and every
//! kind of hostile or broken file, each refused with a clear message and the collection unchanged.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::{at, fingerprint, write_pack};
use reprise::{CardId, Collection, Error, Rating};
use tempfile::TempDir;
use zip::write::SimpleFileOptions;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    at("2026-03-10T09:00:00+01:00")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn term_named(col: &Collection, pack: &str, name: &str) -> (String, String) {
    col.store()
        .conn()
        .query_row(
            "SELECT key, unpack_fields(fields) FROM notes
             WHERE pack_id = ?1 AND json_extract(unpack_fields(fields), '$.name') = ?2",
            [pack, name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap_or_else(|e| panic!("no term named {name:?}: {e}"))
}

fn definition(col: &Collection, pack: &str, name: &str) -> String {
    let (_, fields) = term_named(col, pack, name);
    let v: serde_json::Value = serde_json::from_str(&fields).unwrap();
    v["definition"].as_str().unwrap().to_owned()
}

#[test]
fn the_semicolon_csv_fixture_imports_with_its_edge_cases() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let report = col.import(&fixture("terms_semicolon.csv"), now()).unwrap();
    assert_eq!(report.format, "csv");
    assert_eq!(report.pack, "csv.terms-semicolon");
    assert_eq!((report.added, report.updated, report.unchanged), (56, 0, 0));
    assert_eq!(report.new_cards, 112);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].entry, "line 58");
    assert!(report.skipped[0].reason.contains("no definition"));

    let pack = "csv.terms-semicolon";
    for (name, expected) in [
        ("le chien", "the dog"),
        (
            "semi;colon",
            "term contains the delimiter ; so it is quoted",
        ),
        (
            "say \"bonjour\"",
            "definition with \"double quotes\" inside",
        ),
        ("multi-line", "first line\nsecond line"),
        ("  padded  ", "  leading/trailing spaces kept  "),
        ("emoji 🐈 / 猫", "non-Latin + astral-plane characters"),
        ("html", "bold & italic"),
    ] {
        assert_eq!(definition(&col, pack, name), expected, "{name}");
    }

    // Its cards are studied like any others, and show up in search.
    let hits = col.search("fromage", 5).unwrap();
    assert_eq!(hits[0].pack, pack);
    let library = col.library().unwrap();
    let area = library.iter().find(|a| a.pack == pack).unwrap();
    assert_eq!(area.name, "terms_semicolon");
    assert_eq!(area.terms.len(), 56);
}

#[test]
fn importing_again_updates_in_place_and_keeps_progress() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let csv = dir.path().join("words.csv");
    std::fs::write(
        &csv,
        "term,definition,tags\nchien,dog,animals\nchat,cat,animals pets\n",
    )
    .unwrap();
    let first = col.import(&csv, now()).unwrap();
    assert_eq!(
        (first.added, first.skipped.len()),
        (2, 0),
        "the header row is not a term"
    );
    let (key, fields) = term_named(&col, "csv.words", "chien");
    assert!(fields.contains(r#""tags":["animals"]"#), "{fields}");

    // Study one of its cards.
    let card = col
        .store()
        .conn()
        .query_row(
            "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id
             WHERE n.pack_id = 'csv.words' AND n.key = ?1 AND c.template = 'forward'",
            [&key],
            |r| r.get(0),
        )
        .map(CardId)
        .unwrap();
    col.answer(card, Rating::Good, now(), 1_000).unwrap();
    let studied = col.card_info(card, now()).unwrap();

    std::fs::write(
        &csv,
        "term,definition,tags\nchien,the dog,animals\nchat,cat,animals pets\noiseau,bird,\n",
    )
    .unwrap();
    let again = col.import(&csv, now()).unwrap();
    assert_eq!(
        (again.added, again.updated, again.unchanged),
        (1, 1, 1),
        "{again:?}"
    );
    assert_eq!(definition(&col, "csv.words", "chien"), "the dog");
    let after = col.card_info(card, now()).unwrap();
    assert_eq!(after.reviews, studied.reviews, "history kept");
    assert_eq!(after.state, studied.state);

    // A row dropped from the file does not delete what was studied.
    std::fs::write(&csv, "term,definition\nchat,cat\n").unwrap();
    col.import(&csv, now()).unwrap();
    assert_eq!(col.card_info(card, now()).unwrap().reviews.len(), 1);
}

#[test]
fn a_tsv_file_and_a_comma_csv_are_told_apart() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let tsv = dir.path().join("tabbed.tsv");
    std::fs::write(&tsv, "pod\tthe smallest deployable unit, in Kubernetes\n").unwrap();
    col.import(&tsv, now()).unwrap();
    assert_eq!(
        definition(&col, "csv.tabbed", "pod"),
        "the smallest deployable unit, in Kubernetes"
    );
    let csv = dir.path().join("comma.csv");
    std::fs::write(&csv, "a;b,first; with semicolon\nc;d,second; too\n").unwrap();
    col.import(&csv, now()).unwrap();
    assert_eq!(
        definition(&col, "csv.comma", "a;b"),
        "first; with semicolon"
    );
}

#[test]
fn a_pack_folder_and_a_zipped_pack_import() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let folder = dir.path().join("src-pack");
    write_pack(&folder, "test.folder", 3, "");
    let report = col.import(&folder, now()).unwrap();
    assert_eq!((report.format.as_str(), report.added), ("pack", 3));

    let zipped = dir.path().join("pack.zip");
    write_pack(&dir.path().join("zsrc/my-pack"), "test.zipped", 4, "");
    zip_dir(&dir.path().join("zsrc"), &zipped, &[]);
    let report = col.import(&zipped, now()).unwrap();
    assert_eq!((report.pack.as_str(), report.added), ("test.zipped", 4));
}

/// Zips every file under `root` (paths relative to it), then the extra raw entries.
fn zip_dir(root: &Path, out: &Path, extra: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let options = SimpleFileOptions::default();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                zip.start_file(name, options).unwrap();
                zip.write_all(&std::fs::read(&path).unwrap()).unwrap();
            }
        }
    }
    for (name, bytes) in extra {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// Imports `file` into a collection with the built-in pack and a CSV already imported, expects a
/// refusal, and checks the collection did not change. Returns the message.
fn refused(file: &Path) -> String {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    col.import(&fixture("terms_semicolon.csv"), now()).unwrap();
    let before = fingerprint(&col);
    let err = col
        .import(file, now())
        .expect_err("the import should be refused");
    assert_eq!(
        fingerprint(&col),
        before,
        "a refused import changed the collection"
    );
    err.to_string()
}

#[test]
fn not_a_zip_and_a_truncated_zip_are_refused() {
    let dir = TempDir::new().unwrap();
    let fake = dir.path().join("fake.zip");
    std::fs::write(&fake, "this is plain text").unwrap();
    let msg = refused(&fake);
    assert!(
        msg.contains("fake.zip") && msg.contains("not a zip file"),
        "{msg}"
    );

    let good = dir.path().join("good.zip");
    write_pack(&dir.path().join("src"), "test.cut", 3, "");
    zip_dir(&dir.path().join("src"), &good, &[]);
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.path().join("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let msg = refused(&cut);
    assert!(
        msg.contains("cut.zip") && msg.contains("truncated"),
        "{msg}"
    );
}

#[test]
fn zip_slip_entries_are_refused() {
    for evil in [
        "../evil.md",
        "/etc/evil.md",
        "terms/../../evil.md",
        "C:\\evil.md",
    ] {
        let dir = TempDir::new().unwrap();
        write_pack(&dir.path().join("src"), "test.slip", 2, "");
        let file = dir.path().join("slip.zip");
        zip_dir(&dir.path().join("src"), &file, &[(evil, b"x")]);
        let msg = refused(&file);
        assert!(msg.contains(&format!("entry '{evil}'")), "{msg}");
        assert!(msg.contains("leaves the archive"), "{msg}");
        assert!(!dir.path().join("evil.md").exists());
    }
}

#[test]
fn a_zip_bomb_is_stopped_while_unpacking() {
    let dir = TempDir::new().unwrap();
    write_pack(&dir.path().join("src"), "test.bomb", 2, "");
    let file = dir.path().join("bomb.zip");
    let zeros = vec![0u8; 16 << 20];
    zip_dir(
        &dir.path().join("src"),
        &file,
        &[("media/zeros.png", &zeros)],
    );
    assert!(
        std::fs::metadata(&file).unwrap().len() < 1 << 20,
        "it compresses well"
    );
    let msg = refused(&file);
    assert!(
        msg.contains("zip bomb") && msg.contains("media/zeros.png"),
        "{msg}"
    );
}

#[test]
fn a_zip_with_too_many_entries_is_refused() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("many.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..=reprise::import::archive::Limits::PACK.max_entries {
        zip.start_file(format!("media/{i}.png"), options).unwrap();
    }
    zip.finish().unwrap();
    let msg = refused(&file);
    assert!(msg.contains("entries, more than"), "{msg}");
}

#[test]
fn an_invalid_pack_inside_a_zip_reports_file_and_line() {
    let dir = TempDir::new().unwrap();
    let src = dir.path().join("src");
    write_pack(&src, "test.bad", 2, "");
    std::fs::write(
        src.join("terms/term-01.md"),
        "+++\nid = \"term-01\"\nname = \"Term\"\ndefinition = \"D.\"\narea = \"nowhere\"\nlevel = \"beginner\"\n+++\nX\n",
    )
    .unwrap();
    let file = dir.path().join("bad.zip");
    zip_dir(&src, &file, &[]);
    let msg = refused(&file);
    assert!(msg.contains("terms/term-01.md:5"), "{msg}");
    assert!(msg.contains("nowhere"), "{msg}");
}

#[test]
fn bad_tables_are_refused_with_their_line() {
    let dir = TempDir::new().unwrap();
    let latin1 = dir.path().join("latin1.csv");
    std::fs::write(&latin1, b"ok,fine\ncaf\xe9,coffee\n").unwrap();
    let msg = refused(&latin1);
    assert!(msg.contains("line 2") && msg.contains("not UTF-8"), "{msg}");

    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "term,definition\n,\n").unwrap();
    let msg = refused(&empty);
    assert!(
        msg.contains("no row has both a term and a definition"),
        "{msg}"
    );

    let other = dir.path().join("notes.docx");
    std::fs::write(&other, "x").unwrap();
    let msg = refused(&other);
    assert!(msg.contains(".csv/.tsv"), "{msg}");

    let missing = refused(&dir.path().join("missing.csv"));
    assert!(missing.contains("missing.csv"), "{missing}");
}

#[test]
fn huge_fields_duplicates_and_script_are_handled_row_by_row() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let csv = dir.path().join("mixed.csv");
    let huge = "x".repeat(reprise::import::MAX_FIELD_BYTES + 1);
    std::fs::write(
        &csv,
        format!(
            "pod,a group of containers\nbig,{huge}\npod,again\n\
             xss,\"<img src=x onerror=alert(1)>safe<script>alert(2)</script>\"\n"
        ),
    )
    .unwrap();
    let report = col.import(&csv, now()).unwrap();
    assert_eq!(report.added, 2);
    let reasons: Vec<(&str, &str)> = report
        .skipped
        .iter()
        .map(|s| (s.entry.as_str(), s.reason.as_str()))
        .collect();
    assert!(
        reasons[0].0 == "line 2" && reasons[0].1.contains("longer than 64 KiB"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].0 == "line 3" && reasons[1].1.contains("line 1 was imported"),
        "{reasons:?}"
    );
    assert_eq!(definition(&col, "csv.mixed", "xss"), "safe");
}

#[test]
fn the_built_in_pack_cannot_be_overwritten_by_an_import() {
    let dir = TempDir::new().unwrap();
    let src = dir.path().join("src");
    write_pack(&src, "reprise.kubernetes-containers", 2, "");
    let msg = refused(&src);
    assert!(msg.contains("built-in pack"), "{msg}");
    assert!(matches!(
        Collection::open(dir.path(), now())
            .unwrap()
            .import(&src, now())
            .unwrap_err(),
        Error::Import { .. }
    ));
}

#[test]
fn an_import_reports_progress_and_a_cancel_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let csv = dir.path().join("big.csv");
    let rows: String = (0..1_000)
        .map(|i| format!("term {i},definition {i}\n"))
        .collect();
    std::fs::write(&csv, rows).unwrap();
    let before = fingerprint(&col);

    let mut seen = Vec::new();
    let err = col
        .import_with_progress(&csv, now(), &mut |p| {
            seen.push((p.stage.clone(), p.done, p.total));
            if p.stage == "saving" && p.done >= 400 {
                return Err(Error::Cancelled);
            }
            Ok(())
        })
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    assert_eq!(
        fingerprint(&col),
        before,
        "a cancelled import changed the collection"
    );
    assert_eq!(
        seen,
        [
            ("reading".to_owned(), 0, 0),
            ("reading".to_owned(), 1_000, 1_000),
            ("saving".to_owned(), 0, 1_000),
            ("saving".to_owned(), 200, 1_000),
            ("saving".to_owned(), 400, 1_000),
        ]
    );

    let mut last = None;
    let report = col
        .import_with_progress(&csv, now(), &mut |p| {
            last = Some((p.stage, p.done, p.total));
            Ok(())
        })
        .unwrap();
    assert_eq!(report.added, 1_000);
    assert_eq!(last, Some(("done".to_owned(), 1_000, 1_000)));
}

/// Which of its side files the collection at `db` has: (the WAL, the rollback journal).
fn side_files(db: &Path) -> (bool, bool) {
    let side = |suffix: &str| PathBuf::from(format!("{}{suffix}", db.display())).exists();
    (side("-wal"), side("-journal"))
}

fn journal_mode(conn: &rusqlite::Connection) -> String {
    conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn an_import_writes_its_pages_once_into_the_file_unless_another_program_has_it_open() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let db = dir.path().join("reprise.sqlite3");
    let table = |name: &str, rows: usize| {
        let csv = dir.path().join(name);
        let text: String = (0..rows)
            .map(|i| format!("{name} {i},meaning {i}\n"))
            .collect();
        std::fs::write(&csv, text).unwrap();
        csv
    };
    let import = |col: &mut Collection, csv: &Path| {
        let mut seen = Vec::new();
        let report = col
            .import_with_progress(csv, now(), &mut |p| {
                if p.stage == "saving" && p.done > 0 {
                    seen.push(side_files(&db));
                }
                Ok(())
            })
            .unwrap();
        assert_eq!(report.added, 1_000);
        seen
    };

    // Alone with the file, the import's pages go into it under a rollback journal, not
    // through the WAL (where each page would be written twice).
    let alone = import(&mut col, &table("first.csv", 1_000));
    assert!(!alone.is_empty());
    assert!(alone.iter().all(|&s| s == (false, true)), "{alone:?}");
    // Then study is back in the WAL, and no journal is left.
    assert_eq!(journal_mode(col.store().conn()), "wal");
    let card = col
        .next_card(now())
        .unwrap()
        .expect("new cards to study")
        .card_id;
    col.answer(card, Rating::Good, now(), 1_000).unwrap();
    assert_eq!(side_files(&db), (true, false));

    // Another program has the file open (the app beside a command, a backup): the import goes
    // through the WAL as any write does, and the other reads beside it.
    let other = rusqlite::Connection::open(&db).unwrap();
    let count = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM notes WHERE pack_id = 'csv.second'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(count(&other), 0);
    let shared = import(&mut col, &table("second.csv", 1_000));
    assert!(shared.iter().all(|&s| s == (true, false)), "{shared:?}");
    assert_eq!(count(&other), 1_000);
    assert_eq!(journal_mode(col.store().conn()), "wal");
}

#[test]
fn a_table_preview_shows_how_it_was_read_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let col = Collection::open(dir.path(), now()).unwrap();
    let before = fingerprint(&col);
    let preview = reprise::import::preview_table(&fixture("terms_semicolon.csv")).unwrap();
    assert_eq!(fingerprint(&col), before);
    assert_eq!(preview.pack, "csv.terms-semicolon");
    assert_eq!(preview.delimiter, ";");
    assert!(!preview.header, "its first row is a term");
    assert_eq!(preview.terms, 56);
    assert_eq!(preview.sample.len(), 8);
    assert_eq!(
        (
            preview.sample[0].term.as_str(),
            preview.sample[0].definition.as_str()
        ),
        ("le chien", "the dog")
    );
    assert_eq!(preview.skipped.len(), 1);
    assert_eq!(preview.skipped[0].entry, "line 58");

    let tsv = dir.path().join("plain.tsv");
    std::fs::write(&tsv, "alpha\tfirst letter\tgreek\nbeta\tsecond letter\n").unwrap();
    let preview = reprise::import::preview_table(&tsv).unwrap();
    assert_eq!((preview.delimiter.as_str(), preview.header), ("tab", false));
    assert_eq!(preview.terms, 2);
    assert_eq!(preview.sample[0].tags, vec!["greek".to_owned()]);
}

/// Every stage of an Anki import reports counts, names what they count, and runs from none to
/// all of them; a cancel in the last stage (the indexes built again) still changes nothing.
#[test]
fn an_anki_import_counts_what_each_stage_does() {
    let dir = TempDir::new().unwrap();
    // An empty collection (no built-in packs): the deck is larger, so its indexes are rebuilt.
    let store = reprise::store::Store::open_in(dir.path()).unwrap();
    let mut col = Collection::open_store(store).unwrap();
    let apkg = fixture("anki_history_200.apkg");
    let before = fingerprint(&col);
    let cancelled =
        col.import_with_progress(&apkg, now(), &mut |p| match (p.stage.as_str(), p.done) {
            ("indexing", 1..) if p.unit == "tables" => Err(Error::Cancelled),
            _ => Ok(()),
        });
    assert!(matches!(cancelled, Err(Error::Cancelled)), "{cancelled:?}");
    assert_eq!(
        fingerprint(&col),
        before,
        "a cancelled import changed the collection"
    );

    let mut seen: Vec<(String, String, u32, u32)> = Vec::new();
    let report = col
        .import_with_progress(&apkg, now(), &mut |p| {
            seen.push((p.stage, p.unit, p.done, p.total));
            Ok(())
        })
        .unwrap();
    let mut stages: Vec<(&str, &str)> = seen.iter().map(|s| (&*s.0, &*s.1)).collect();
    stages.dedup();
    assert_eq!(
        stages,
        [
            ("reading", ""),
            ("reading", "rows"),
            ("reading", "reviews"),
            ("reading", "notes"),
            ("saving", "reviews"),
            ("saving", "notes"),
            // (A first import indexes the cards for the browser as it saves them.)
            ("saving", "cards"),
            ("indexing", "tables"),
            ("done", "notes"),
        ],
        "{seen:?}"
    );
    let conn = col.store().conn();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, u32>(0)).unwrap();
    let cards = count("SELECT count(*) FROM cards");
    let (log, notes) = (count("SELECT count(*) FROM revlog"), 200);
    assert_eq!(log, report.reviews);
    // Each stage's counts go from none to all, never back, out of one total.
    for (stage, unit) in &stages[1..] {
        let of: Vec<_> = (seen.iter())
            .filter(|s| (&*s.0, &*s.1) == (*stage, *unit))
            .map(|s| (s.2, s.3))
            .collect();
        let total = of[0].1;
        let expected = match (*stage, *unit) {
            // The package's rows: its notes, its cards (some of them not imported), its log.
            ("reading", "rows") => total.max(notes + cards + log),
            // The package's log: a row that is no answer (a manual reschedule) is not taken in.
            ("reading", "reviews") => total.max(log),
            ("saving", "reviews") => log,
            (_, "notes") => notes,
            (_, "cards") => cards,
            // The tables whose indexes are built again: cards (notes, their tags and the log
            // have none but their primary keys).
            ("indexing", "tables") => 1,
            other => panic!("{other:?}"),
        };
        assert_eq!(total, expected, "{stage} {unit}: {of:?}");
        assert!(
            of.iter().all(|&(_, t)| t == total),
            "{stage} {unit}: {of:?}"
        );
        assert!(
            of.windows(2).all(|w| w[0].0 <= w[1].0),
            "{stage} {unit}: {of:?}"
        );
        if *stage != "done" {
            assert_eq!(of[0].0, 0, "{stage} {unit} starts at none: {of:?}");
        }
        assert_eq!(
            of.last().unwrap().0,
            total,
            "{stage} {unit} ends at all: {of:?}"
        );
    }
}
