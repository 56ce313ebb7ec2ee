//! Importing Anki packages made by tools we did not write: a genanki package (schema 11, basic,
//! reversed and cloze notes, HTML and an image) and a package exported by Anki 26.09 (zstd
//! `collection.anki21b`, review history and FSRS states). Expected values are read from the
//! packages themselves, with Anki's own tables, not from our importer.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::{at, fingerprint};
use reprise::{CardId, Collection, NoteId, PackId};
use rusqlite::Connection;
use tempfile::TempDir;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    at("2026-11-25T12:00:00+00:00")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The collection inside a package, opened with SQLite directly (decompressed if zstd).
fn anki_collection(apkg: &Path, dir: &Path) -> Connection {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(apkg).unwrap()).unwrap();
    let (name, zstd) = if zip.by_name("collection.anki21b").is_ok() {
        ("collection.anki21b", true)
    } else {
        ("collection.anki2", false)
    };
    let mut bytes = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    if zstd {
        let mut out = Vec::new();
        ruzstd::decoding::StreamingDecoder::new(bytes.as_slice())
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        bytes = out;
    }
    let path = dir.join("anki.sqlite");
    std::fs::write(&path, bytes).unwrap();
    let conn = Connection::open(path).unwrap();
    conn.create_collation("unicase", |a, b| a.to_lowercase().cmp(&b.to_lowercase()))
        .unwrap();
    conn
}

/// The guid of the one Anki note whose fields are like `pattern`.
fn guid_of(anki: &Connection, pattern: &str) -> String {
    anki.query_row(
        "SELECT guid FROM notes WHERE flds LIKE ?1",
        [pattern],
        |r| r.get(0),
    )
    .unwrap_or_else(|e| panic!("no note like {pattern}: {e}"))
}

fn count(col: &Collection, sql: &str) -> i64 {
    col.store()
        .conn()
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A new collection in a temporary folder with the fixture `name` imported.
fn imported(name: &str) -> (TempDir, Collection, reprise::import::ImportReport) {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let report = col.import(&fixture(name), now()).unwrap();
    (dir, col, report)
}

/// Our card for Anki card `ord` of the note with `guid`, with its template.
fn our_card(pack: &str, guid: &str, template: &str) -> CardId {
    CardId::derive(NoteId::derive(pack, &format!("anki:{guid}")), template)
}

/// A card as Anki stored it.
struct AnkiCard {
    guid: String,
    notetype: i64,
    ord: i64,
    kind: i64,
    queue: i64,
    due: i64,
    reps: i64,
    lapses: i64,
    data: String,
}

#[test]
fn the_anki_history_package_keeps_its_schedule_history_and_memory() {
    let (dir, col, report) = imported("anki_history_200.apkg");
    assert_eq!(report.format, "anki");
    assert_eq!(report.added, 200, "{report:?}");
    assert_eq!(report.new_cards, 233);
    let anki = anki_collection(&fixture("anki_history_200.apkg"), dir.path());
    let answers: i64 = anki
        .query_row("SELECT count(*) FROM revlog WHERE ease > 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(answers, 1986);
    assert_eq!(report.reviews as i64, answers);
    assert_eq!(count(&col, "SELECT count(*) FROM revlog"), answers);

    let mut stmt = anki
        .prepare(
            "SELECT n.guid, n.mid, c.ord, c.type, c.queue, c.due, c.ivl, c.reps, c.lapses, c.data
             FROM cards c JOIN notes n ON n.id = c.nid",
        )
        .unwrap();
    let cloze_type: i64 = anki
        .query_row("SELECT id FROM notetypes WHERE name = 'Cloze'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let crt: i64 = anki
        .query_row("SELECT crt FROM col", [], |r| r.get(0))
        .unwrap();
    let rows: Vec<AnkiCard> = stmt
        .query_map([], |r| {
            Ok(AnkiCard {
                guid: r.get(0)?,
                notetype: r.get(1)?,
                ord: r.get(2)?,
                kind: r.get(3)?,
                queue: r.get(4)?,
                due: r.get(5)?,
                reps: r.get(7)?,
                lapses: r.get(8)?,
                data: r.get(9)?,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 233);
    let conn = col.store().conn();
    let mut worst_s: f64 = 0.0;
    let mut worst_d: f64 = 0.0;
    let mut compared = 0;
    for AnkiCard {
        guid,
        notetype: mid,
        ord,
        kind,
        queue,
        due,
        reps,
        lapses,
        data,
    } in rows
    {
        let template = if mid == cloze_type {
            format!("c{}", ord + 1)
        } else if ord == 0 {
            "forward".to_owned()
        } else {
            "reverse".to_owned()
        };
        let id = our_card(report.pack.as_str(), &guid, &template);
        let (state, our_due, s, d, our_reps, our_lapses, hidden): (
            i64,
            Option<i64>,
            Option<f64>,
            Option<f64>,
            i64,
            i64,
            i64,
        ) = conn
            .query_row(
                "SELECT state, due, stability, difficulty, reps, lapses, hidden FROM cards
                 WHERE id = ?1",
                [id.0],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                },
            )
            .unwrap_or_else(|e| panic!("card {guid}/{ord}: {e}"));
        assert_eq!(state, kind, "{guid}/{ord}");
        assert_eq!((our_reps, our_lapses), (reps, lapses), "{guid}/{ord}");
        assert_eq!(hidden & 1 == 1, queue == -1, "suspended {guid}/{ord}");
        if kind == 2 {
            assert_eq!(
                our_due,
                Some((crt + due * 86_400) * 1000),
                "due of {guid}/{ord}"
            );
        }
        let stored: serde_json::Value = serde_json::from_str(&data).unwrap();
        if let (Some(want_s), Some(want_d)) = (stored["s"].as_f64(), stored["d"].as_f64()) {
            let (s, d) = (s.unwrap(), d.unwrap());
            let rel = (s - want_s).abs() / want_s;
            worst_s = worst_s.max(rel);
            worst_d = worst_d.max((d - want_d).abs());
            compared += 1;
            if rel > 0.01 || (d - want_d).abs() > 0.05 {
                eprintln!("{guid}/{ord}: ours s={s:.4} d={d:.3}, anki s={want_s} d={want_d}");
            }
        }
    }
    eprintln!("compared {compared}: worst stability error {worst_s:.5}, worst difficulty error {worst_d:.4}");
    // Anki stores s to 4 decimals and d to 3; ours come from the same log through fsrs-rs.
    assert_eq!(compared, 231);
    assert!(worst_s < 0.005, "{worst_s}");
    assert!(worst_d < 0.01, "{worst_d}");
    assert_eq!(
        count(&col, "SELECT count(*) FROM cards WHERE hidden & 1 = 1"),
        2
    );
}

#[test]
fn the_history_rows_carry_anki_answers_and_fsrs_states() {
    let (dir, col, report) = imported("anki_history_200.apkg");
    let anki = anki_collection(&fixture("anki_history_200.apkg"), dir.path());
    // Per rating, the same number of answers as Anki logged.
    for rating in 1..=4 {
        let want: i64 = anki
            .query_row(
                "SELECT count(*) FROM revlog WHERE ease = ?1",
                [rating],
                |r| r.get(0),
            )
            .unwrap();
        let got = count(
            &col,
            &format!("SELECT count(*) FROM revlog WHERE rating = {rating}"),
        );
        assert_eq!(got, want, "rating {rating}");
    }
    let (first, last): (i64, i64) = anki
        .query_row(
            "SELECT min(id), max(id) FROM revlog WHERE ease > 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        count(&col, "SELECT min(reviewed_at) FROM revlog"),
        first,
        "times are Anki's, in milliseconds"
    );
    assert_eq!(count(&col, "SELECT max(reviewed_at) FROM revlog"), last);
    // Each card's last row ends where the card is (unless a reset came after it), and a
    // card's first answer was given to a new card.
    let mismatched = count(
        &col,
        "SELECT count(*) FROM cards c JOIN revlog r ON r.card_id = c.id
         WHERE r.reviewed_at = (SELECT max(reviewed_at) FROM revlog WHERE card_id = c.id)
           AND abs(f32_value(r.stability_after) - c.stability) > 1e-4",
    );
    assert_eq!(mismatched, 0);
    let first_not_new = count(
        &col,
        "SELECT count(*) FROM revlog r
         WHERE r.reviewed_at = (SELECT min(reviewed_at) FROM revlog WHERE card_id = r.card_id)
           AND r.state_before != 0",
    );
    assert_eq!(first_not_new, 0);
    // The report says what was left out and why.
    assert!(report
        .skipped
        .iter()
        .any(|s| s.entry == "review log" && s.reason.starts_with("3 manual changes")));
}

#[test]
fn the_genanki_package_brings_basic_reversed_and_cloze_notes_with_media() {
    let (dir, col, report) = imported("genanki_mixed_30.apkg");
    assert_eq!(report.format, "anki");
    assert_eq!(report.pack, "anki.genanki-vocab");
    assert_eq!(
        (report.added, report.new_cards, report.reviews),
        (30, 43, 0)
    );
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let pack = report.pack.as_str();
    let per_template = |t: &str| {
        count(
            &col,
            &format!(
                "SELECT count(*) FROM cards c JOIN notes n ON n.id = c.note_id
                 WHERE n.pack_id = '{pack}' AND c.template = '{t}'"
            ),
        )
    };
    // 10 basic + 10 reversed notes ask forward; 10 reversed ask back; 13 clozes.
    assert_eq!(per_template("forward"), 20);
    assert_eq!(per_template("reverse"), 10);
    assert_eq!(per_template("c1"), 10);
    assert_eq!(per_template("c2"), 3);
    assert_eq!(
        count(
            &col,
            "SELECT count(*) FROM media WHERE path = 'media/genanki_gradient.png'"
        ),
        1
    );
    let anki = anki_collection(&fixture("genanki_mixed_30.apkg"), dir.path());
    let note = |sql: &str| -> (String, String) {
        anki.query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
    };
    // Tags are kept, and the deck.
    let (guid, tags) = note("SELECT guid, tags FROM notes WHERE flds LIKE 'el gato%'");
    let fields: String = col
        .store()
        .conn()
        .query_row(
            "SELECT unpack_fields(fields) FROM notes WHERE id = ?1",
            [NoteId::derive(pack, &format!("anki:{guid}")).0],
            |r| r.get(0),
        )
        .unwrap();
    let fields: serde_json::Value = serde_json::from_str(&fields).unwrap();
    let want_tags: Vec<&str> = tags.split_whitespace().collect();
    assert_eq!(fields["tags"], serde_json::json!(want_tags));
    assert_eq!(fields["deck"], "Genanki Vocab");
    // The image shows on the answer, inlined from the media store.
    let card = col
        .preview_card(our_card(pack, &guid, "forward"), now())
        .unwrap();
    assert_eq!(card.prompt, "el gato");
    let answer = card.answer_html.unwrap();
    assert!(
        answer.contains("<img src=\"data:image/png;base64,iVBORw0KGgo"),
        "{answer}"
    );
    // HTML is kept but its styles are not.
    let (guid, _) = note("SELECT guid, flds FROM notes WHERE flds LIKE '<b>el perro%'");
    let card = col
        .preview_card(our_card(pack, &guid, "forward"), now())
        .unwrap();
    assert_eq!(
        card.prompt_html.as_deref(),
        Some("<b>el perro</b> <i>(masc.)</i>")
    );
    let answer = card.answer_html.unwrap();
    assert!(
        answer.contains("<li>plural: <u>los perros</u></li>"),
        "{answer}"
    );
    assert!(!answer.contains("style"), "{answer}");
    // A cloze with a hint, and the reverse of a reversed note.
    let (guid, _) = note("SELECT guid, flds FROM notes WHERE flds LIKE '%Au::symbol%'");
    let card = col
        .preview_card(our_card(pack, &guid, "c1"), now())
        .unwrap();
    assert_eq!(
        card.prompt_html.as_deref(),
        Some("The chemical symbol for gold is <span class=\"cloze\">[symbol]</span>.")
    );
    assert_eq!(card.prompt, "The chemical symbol for gold is [symbol].");
    assert!(card
        .answer
        .starts_with("The chemical symbol for gold is Au."));
    assert!(card.answer.ends_with("extra #3"), "{}", card.answer);
    let (guid, _) = note("SELECT guid, flds FROM notes WHERE flds LIKE 'rojo%'");
    let card = col
        .preview_card(our_card(pack, &guid, "reverse"), now())
        .unwrap();
    assert_eq!(
        (card.prompt.as_str(), card.answer.as_str()),
        ("red", "rojo")
    );
}

#[test]
fn sounds_play_from_the_media_store() {
    let (dir, col, report) = imported("anki_history_200.apkg");
    let anki = anki_collection(&fixture("anki_history_200.apkg"), dir.path());
    let guid = guid_of(&anki, "%[sound:%");
    let card = col
        .preview_card(our_card(report.pack.as_str(), &guid, "forward"), now())
        .unwrap();
    let answer = card.answer_html.unwrap();
    assert!(
        answer.contains("<audio controls=\"\" src=\"data:audio/wav;base64,UklGR"),
        "{answer}"
    );
    assert_eq!(card.answer, "Helium (Z = 2) ");
}

#[test]
fn the_older_anki21_layout_reads_like_anki2() {
    let dir = TempDir::new().unwrap();
    let entries = zip_entries(&fixture("genanki_mixed_30.apkg"));
    let renamed: Vec<(String, Vec<u8>)> = entries
        .into_iter()
        .map(|(n, b)| (n.replace("collection.anki2", "collection.anki21"), b))
        .collect();
    let path = dir.path().join("renamed.apkg");
    write_zip(&path, &renamed);
    let mut col = Collection::open(&dir.path().join("data"), now()).unwrap();
    let report = col.import(&path, now()).unwrap();
    assert_eq!((report.added, report.new_cards), (30, 43));
}

#[test]
fn importing_again_keeps_progress_made_in_reprise_and_duplicates_nothing() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    col.set_pack_enabled(&PackId::from("reprise.kubernetes-containers"), false, now())
        .unwrap();
    let first = col
        .import(&fixture("anki_history_200.apkg"), now())
        .unwrap();
    let card = col
        .next_card(now())
        .unwrap()
        .expect("imported cards are due");
    let answered = col
        .answer(card.card_id, reprise::Rating::Good, now(), 4000)
        .unwrap();
    let after_answer = col.card_info(card.card_id, now()).unwrap();
    let rows = count(&col, "SELECT count(*) FROM revlog");
    let again = col
        .import(&fixture("anki_history_200.apkg"), now())
        .unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 200));
    assert_eq!((again.new_cards, again.reviews, again.kept), (0, 0, 1));
    assert_eq!(count(&col, "SELECT count(*) FROM revlog"), rows);
    let kept = col.card_info(card.card_id, now()).unwrap();
    assert_eq!(kept.due, after_answer.due);
    assert_eq!(kept.reps, after_answer.reps);
    assert_eq!(answered.card_id, card.card_id);
    assert_eq!(first.pack, again.pack);
}

#[test]
fn importing_again_logs_the_answers_the_log_lost_and_counts_only_those() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    col.import(&fixture("anki_history_200.apkg"), now())
        .unwrap();
    let rows = count(&col, "SELECT count(*) FROM revlog");
    // Statements write many answers at once: make some of each lose a row or two.
    assert!(rows > 200, "the package logs {rows} answers");
    let summary = |col: &Collection| -> Vec<Vec<i64>> {
        let conn = col.store().conn();
        let mut stmt = conn
            .prepare("SELECT * FROM review_quarters ORDER BY 1, 2, 3")
            .unwrap();
        let width = stmt.column_count();
        let rows = stmt.query_map([], |r| (0..width).map(|i| r.get(i)).collect());
        rows.unwrap().map(Result::unwrap).collect()
    };
    let conn = col.store().conn();
    let lost = conn
        .execute(
            "DELETE FROM revlog WHERE substr(hex(uuid), 32) IN ('1', '2', '3')",
            [],
        )
        .unwrap();
    assert!(lost > 10);
    reprise::store::review_quarters::refill(conn).unwrap();
    let fewer = summary(&col);
    let again = col
        .import(&fixture("anki_history_200.apkg"), now())
        .unwrap();
    assert_eq!(again.reviews as usize, lost);
    assert_eq!(count(&col, "SELECT count(*) FROM revlog"), rows);
    // The summary counted the rows written again, and none of the others twice.
    let after = summary(&col);
    assert_ne!(after, fewer);
    reprise::store::review_quarters::refill(col.store().conn()).unwrap();
    assert_eq!(after, summary(&col));
}

/// Imports `path` into `col`, cancelling at the first progress of reading `unit` past none;
/// checks the import says so and changed nothing, and returns the (done, total) heard.
fn cancelled_while_reading(col: &mut Collection, path: &Path, unit: &str) -> Vec<(u32, u32)> {
    let before = fingerprint(col);
    let mut heard = Vec::new();
    let cancelled = col.import_with_progress(path, now(), &mut |p| {
        if (p.stage.as_str(), p.unit.as_str()) != ("reading", unit) {
            return Ok(());
        }
        heard.push((p.done, p.total));
        match p.done {
            0 => Ok(()),
            _ => Err(reprise::Error::Cancelled),
        }
    });
    assert!(
        matches!(cancelled, Err(reprise::Error::Cancelled)),
        "{cancelled:?}"
    );
    assert_eq!(fingerprint(col), before);
    heard
}

#[test]
fn a_cancel_while_the_log_is_replayed_changes_nothing() {
    let dir = TempDir::new().unwrap();
    // 1,000 daily answers to each card: progress (and a cancel) is heard every 16,384 rows,
    // from the halves replayed side by side.
    let path = altered_genanki(
        dir.path(),
        "long_log.apkg",
        "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 1000)
         INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)
         SELECT 1600000000000 + k.i * 86400000 + (SELECT count(*) FROM cards b WHERE b.id < c.id),
                c.id, 0, 3, 1, 1, 2500, 5000, 1
         FROM cards c, k",
    );
    let mut col = Collection::open(&dir.path().join("data"), now()).unwrap();
    let heard = cancelled_while_reading(&mut col, &path, "reviews");
    let total = heard[0].1;
    assert!(total > 40_000, "{heard:?}");
    assert_eq!(heard.len(), 2, "{heard:?}");
    assert!(
        (1..total).contains(&heard[1].0),
        "stopped before the end: {heard:?}"
    );
    // Nothing was left half done: the same file imports whole.
    let report = col.import(&path, now()).unwrap();
    assert_eq!(report.reviews, total);
    assert_eq!(count(&col, "SELECT count(*) FROM revlog") as u32, total);
}

#[test]
fn a_cancel_while_the_notes_are_converted_changes_nothing() {
    let dir = TempDir::new().unwrap();
    // 4,000 notes more, converted in two halves side by side: progress (and a cancel) is heard
    // every 1,024 notes of the calling thread's half.
    let path = altered_genanki(
        dir.path(),
        "many_notes.apkg",
        "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 4000)
         INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)
         SELECT 1700000000000 + k.i, 'many' || k.i, n.mid, n.mod, n.usn, n.tags,
                'front ' || k.i || char(31) || 'back ' || k.i, 'front ' || k.i, 0, 0, ''
         FROM k, (SELECT * FROM notes ORDER BY id LIMIT 1) n;
         INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps,
                            lapses, left, odue, odid, flags, data)
         SELECT n.id, n.id, c.did, 0, c.mod, c.usn, 0, 0, n.id % 1000, 0, 0, 0, 0, 0, 0, 0, 0, ''
         FROM notes n, (SELECT * FROM cards ORDER BY id LIMIT 1) c WHERE n.guid LIKE 'many%'",
    );
    let mut col = Collection::open(&dir.path().join("data"), now()).unwrap();
    let heard = cancelled_while_reading(&mut col, &path, "notes");
    let total = heard[0].1;
    assert!(total > 4_000, "{heard:?}");
    let last = heard.last().unwrap().0;
    assert!(
        (1..total).contains(&last),
        "stopped before the end: {heard:?}"
    );
    // Nothing was left half done: the same file imports whole, the notes of both halves in.
    let report = col.import(&path, now()).unwrap();
    assert!(report.added > 4_000, "{report:?}");
    let fronts = count(
        &col,
        "SELECT count(*) FROM notes WHERE json_extract(unpack_fields(fields), '$.front') LIKE 'front %'",
    );
    assert_eq!(fronts, 4_000);
}

/// The entries of a zip, in order.
fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().to_owned(), bytes)
        })
        .collect()
}

fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// The bytes of a legacy package's collection, among its zip entries.
fn collection_entry(entries: &mut [(String, Vec<u8>)]) -> &mut Vec<u8> {
    let (_, bytes) = (entries.iter_mut())
        .find(|(n, _)| n == "collection.anki2")
        .unwrap();
    bytes
}

/// The genanki package with its collection changed by `sql`, written to `dir/name`.
fn altered_genanki(dir: &Path, name: &str, sql: &str) -> PathBuf {
    let mut entries = zip_entries(&fixture("genanki_mixed_30.apkg"));
    let db = dir.join(format!("{name}.anki2"));
    let bytes = collection_entry(&mut entries);
    std::fs::write(&db, &bytes).unwrap();
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    *bytes = std::fs::read(&db).unwrap();
    let path = dir.join(name);
    write_zip(&path, &entries);
    path
}

/// Imports `path` into a collection that already holds the built-in pack and the genanki
/// package, expecting a refusal; returns the message after checking nothing changed.
fn refused(path: &Path) -> String {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    col.import(&fixture("genanki_mixed_30.apkg"), now())
        .unwrap();
    let before = fingerprint(&col);
    let err = col.import(path, now()).unwrap_err();
    assert_eq!(
        fingerprint(&col),
        before,
        "a refused import changed the collection"
    );
    assert_eq!(err.code(), reprise::ErrorCode::Import, "{err}");
    let message = err.to_string();
    assert!(
        message.contains(&path.display().to_string()),
        "names the file: {message}"
    );
    assert!(message.ends_with("nothing was imported"), "{message}");
    message
}

#[test]
fn files_that_are_not_anki_packages_are_refused_with_what_to_do() {
    let dir = TempDir::new().unwrap();
    let text = dir.path().join("notes.apkg");
    std::fs::write(&text, "just some text").unwrap();
    assert!(refused(&text).contains("it is not a zip file, or it is truncated"));

    let whole = std::fs::read(fixture("genanki_mixed_30.apkg")).unwrap();
    let truncated = dir.path().join("truncated.apkg");
    std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    assert!(refused(&truncated).contains("not a zip file, or it is truncated"));

    let empty = dir.path().join("empty.apkg");
    write_zip(&empty, &[("readme.txt".into(), b"hi".to_vec())]);
    assert!(refused(&empty).contains("holds no Anki collection"));

    let not_sqlite = dir.path().join("not-sqlite.apkg");
    write_zip(
        &not_sqlite,
        &[(
            "collection.anki2".into(),
            b"definitely not a database".to_vec(),
        )],
    );
    let message = refused(&not_sqlite);
    assert!(message.contains("(entry 'collection.anki2')"), "{message}");
    assert!(message.contains("not an SQLite database"), "{message}");

    let other_db = dir.path().join("other.sqlite");
    let conn = Connection::open(&other_db).unwrap();
    conn.execute_batch("CREATE TABLE things (x); INSERT INTO things VALUES (1);")
        .unwrap();
    drop(conn);
    let other = dir.path().join("other.apkg");
    write_zip(
        &other,
        &[("collection.anki2".into(), std::fs::read(&other_db).unwrap())],
    );
    assert!(refused(&other).contains("not an Anki collection (no 'col' table)"));
}

#[test]
fn corrupt_collections_and_unknown_versions_are_refused() {
    let dir = TempDir::new().unwrap();
    // Garbage over the pages after the header: SQLite's own check finds it.
    let mut entries = zip_entries(&fixture("genanki_mixed_30.apkg"));
    let db = collection_entry(&mut entries);
    for b in &mut db[4096..20_000] {
        *b = 0xA5;
    }
    let corrupt = dir.path().join("corrupt.apkg");
    write_zip(&corrupt, &entries);
    let message = refused(&corrupt);
    assert!(message.contains("corrupt"), "{message}");

    let future = altered_genanki(dir.path(), "future.apkg", "UPDATE col SET ver = 99");
    let message = refused(&future);
    assert!(message.contains("schema version 99"), "{message}");
    assert!(message.contains("export it again"), "{message}");

    let mut entries = zip_entries(&fixture("anki_history_200.apkg"));
    entries.iter_mut().find(|(n, _)| n == "meta").unwrap().1 = vec![0x08, 0x09];
    let newer = dir.path().join("newer.apkg");
    write_zip(&newer, &entries);
    let message = refused(&newer);
    assert!(
        message.contains("newer Anki (package version 9"),
        "{message}"
    );

    let broken_models = altered_genanki(dir.path(), "models.apkg", "UPDATE col SET models = '{'");
    assert!(refused(&broken_models).contains("note types (col.models) are not valid JSON"));
}

/// A damaged page that reading the notes, cards and log never touches (an index on Anki's sync
/// counters) is still found: SQLite's check of every page runs beside the reading, and what was
/// read is dropped when it fails.
#[test]
fn damage_only_the_page_check_sees_refuses_the_package() {
    let dir = TempDir::new().unwrap();
    let mut entries = zip_entries(&fixture("genanki_mixed_30.apkg"));
    let db = collection_entry(&mut entries);
    let copy = dir.path().join("copy.anki2");
    std::fs::write(&copy, &db).unwrap();
    let (page_size, root): (i64, i64) = {
        let conn = Connection::open(&copy).unwrap();
        let page_size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'ix_notes_usn'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (page_size, root)
    };
    // The page's header says it is an interior table page, in an index: not a valid B-tree.
    let (page, page_size) = ((root - 1) as usize * page_size as usize, page_size as usize);
    db[page..page + page_size].fill(0);
    db[page] = 0x05;
    let damaged = dir.path().join("damaged.apkg");
    write_zip(&damaged, &entries);
    let message = refused(&damaged);
    assert!(message.contains("corrupt"), "{message}");
}

#[test]
fn zstd_bombs_and_unsafe_entries_are_refused() {
    let dir = TempDir::new().unwrap();
    let zeros = vec![0u8; 8 << 20];
    let bomb = ruzstd::encoding::compress_to_vec(
        zeros.as_slice(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    assert!(bomb.len() < 8 << 10, "{} bytes", bomb.len());
    let path = dir.path().join("bomb.apkg");
    write_zip(
        &path,
        &[
            ("meta".into(), vec![0x08, 0x03]),
            ("collection.anki21b".into(), bomb),
        ],
    );
    let message = refused(&path);
    assert!(message.contains("like a zip bomb"), "{message}");
    assert!(
        message.contains("(entry 'collection.anki21b')"),
        "{message}"
    );

    let mut entries = zip_entries(&fixture("genanki_mixed_30.apkg"));
    entries.push(("../../escape.txt".into(), b"x".to_vec()));
    let slip = dir.path().join("slip.apkg");
    write_zip(&slip, &entries);
    assert!(refused(&slip).contains("leaves the archive"));
}

#[test]
fn script_in_fields_never_reaches_the_card_and_unsafe_media_names_are_left_out() {
    let dir = TempDir::new().unwrap();
    let path = altered_genanki(
        dir.path(),
        "hostile.apkg",
        "UPDATE notes SET flds = '<script>alert(1)</script>Front<img src=x onerror=alert(2)>'
            || char(31) || '<a href=\"javascript:alert(3)\">back</a><img src=\"data:image/svg+xml,<svg onload=alert(4)>\">'
         WHERE flds LIKE 'la casa%';",
    );
    let mut entries = zip_entries(&path);
    entries.retain(|(n, _)| n != "media");
    entries.push((
        "media".into(),
        br#"{"0": "genanki_gradient.png", "1": "../../etc/passwd"}"#.to_vec(),
    ));
    entries.push(("1".into(), b"root:x:0:0".to_vec()));
    write_zip(&path, &entries);
    let data = dir.path().join("data");
    let mut col = Collection::open(&data, now()).unwrap();
    let report = col.import(&path, now()).unwrap();
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    assert_eq!(report.skipped[0].entry, "media '../../etc/passwd'");
    assert_eq!(
        count(
            &col,
            "SELECT count(*) FROM media WHERE path LIKE '%passwd%'"
        ),
        0
    );
    let stored: String = col
        .store()
        .conn()
        .query_row(
            "SELECT unpack_fields(fields) FROM notes
             WHERE unpack_fields(fields) LIKE '%Front%' AND kind = 'flash'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for bad in ["<script", "onerror", "javascript:", "onload", "data:"] {
        assert!(!stored.contains(bad), "{bad} kept in {stored}");
    }
    let guid = guid_of(&anki_collection(&path, dir.path()), "%Front%");
    let card = col
        .preview_card(our_card(report.pack.as_str(), &guid, "forward"), now())
        .unwrap();
    let shown = format!("{:?} {:?}", card.prompt_html, card.answer_html);
    for bad in ["<script", "onerror", "javascript:", "onload", "alert"] {
        assert!(!shown.contains(bad), "{bad} shown in {shown}");
    }
    assert_eq!(card.prompt, "Front");
}

#[test]
fn an_imported_anki_pack_exports_in_the_pack_format_and_imports_back_unchanged() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(&dir.path().join("a"), now()).unwrap();
    let report = col
        .import(&fixture("genanki_mixed_30.apkg"), now())
        .unwrap();
    let zip = dir.path().join("vocab.zip");
    let exported = col.export_pack(&report.pack, &zip).unwrap();
    assert_eq!(
        exported.items, 3,
        "pack.toml, one file holding the 30 notes, and the image"
    );
    // The zip is a valid pack holding the flash notes and the image.
    let pack = reprise::import::load_pack(&zip).unwrap();
    assert_eq!(pack.flash.len(), 30);
    assert!(pack.media.contains_key("media/genanki_gradient.png"));
    let cards: usize = pack.flash.iter().map(|f| f.cards.len()).sum();
    assert_eq!(cards, 43);

    // Elsewhere it brings the same notes and cards, shown the same way.
    let mut other = Collection::open(&dir.path().join("b"), now()).unwrap();
    let again = other.import(&zip, now()).unwrap();
    assert_eq!(
        (again.pack.as_str(), again.added, again.new_cards),
        (report.pack.as_str(), 30, 43)
    );
    let notes = |c: &Collection| -> Vec<(String, String)> {
        let mut stmt = c
            .store()
            .conn()
            .prepare(
                "SELECT n.key || '/' || c.template, unpack_fields(n.fields) FROM cards c
                 JOIN notes n ON n.id = c.note_id WHERE n.pack_id = ?1 ORDER BY 1",
            )
            .unwrap();
        stmt.query_map([&report.pack], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(notes(&other), notes(&col));
    let anki = anki_collection(&fixture("genanki_mixed_30.apkg"), dir.path());
    let guid = guid_of(&anki, "el gato%");
    let card = other
        .preview_card(our_card(report.pack.as_str(), &guid, "forward"), now())
        .unwrap();
    assert!(card.answer_html.unwrap().contains("data:image/png;base64,"));

    // Back into the first collection: nothing changes.
    let same = col.import(&zip, now()).unwrap();
    assert_eq!((same.added, same.updated, same.new_cards), (0, 0, 0));
}

#[test]
fn flash_notes_in_a_pack_are_checked_like_everything_else() {
    let dir = TempDir::new().unwrap();
    let pack = dir.path().join("pack");
    common::write_pack(&pack, "my.flash", 1, "");
    std::fs::create_dir_all(pack.join("flash")).unwrap();
    std::fs::write(
        pack.join("flash/a.toml"),
        "key = \"one\"\nkind = \"cloze\"\ncards = [\"c1\", \"c3\"]\n\
         front = \"Gold is {{c1::Au}}.<script>alert(1)</script>\"\n",
    )
    .unwrap();
    std::fs::write(
        pack.join("flash/b.toml"),
        "key = \"one\"\nkind = \"basic\"\ncards = [\"sideways\"]\nfront = \"\"\n",
    )
    .unwrap();
    let err = reprise::import::load_pack(&pack).unwrap_err().to_string();
    for expected in [
        "flash/a.toml:1: card 'c3' asks no cloze of `front`",
        "flash/b.toml:1: `front` is empty",
        "flash/b.toml:1: card 'sideways' is not one of \"forward\" and \"reverse\"",
        "flash/b.toml:1: key 'one' is also the key of flash/a.toml",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    std::fs::remove_file(pack.join("flash/b.toml")).unwrap();
    std::fs::write(
        pack.join("flash/a.toml"),
        "key = \"one\"\nkind = \"cloze\"\ncards = [\"c1\"]\n\
         front = \"Gold is {{c1::Au}}.<script>alert(1)</script>\"\n",
    )
    .unwrap();
    let loaded = reprise::import::load_pack(&pack).unwrap();
    assert_eq!(
        loaded.flash[0].note.front, "Gold is {{c1::Au}}.",
        "script removed on load"
    );

    // A file may hold several notes, each under `[[notes]]`: a problem names its note's line.
    let many = |text: &str| {
        std::fs::write(pack.join("flash/many.toml"), text).unwrap();
        reprise::import::load_pack(&pack)
    };
    let two =
        "[[notes]]\nkey = \"two\"\nkind = \"basic\"\ncards = [\"forward\"]\nfront = \"Two\"\n";
    let err = many(&format!(
        "# Two notes.\n{two}\n[[notes]]\nkey = \"one\"\nkind = \"basic\"\n\
         cards = [\"forward\", \"reverse\"]\nfront = \"One\"\nback = \"\"\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("flash/many.toml:8: key 'one' is also the key of flash/a.toml"),
        "{err}"
    );
    let three =
        "[[notes]]\nkey = \"three\"\nkind = \"basic\"\ncards = [\"forward\"]\nfront = \"3\"\n";
    let err = many(&format!("{two}{three}colour = \"red\"\n"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("flash/many.toml:11: unknown field `colour`"),
        "{err}"
    );
    let keys: Vec<String> = (many(&format!("{two}{three}")).unwrap().flash)
        .into_iter()
        .map(|f| f.key)
        .collect();
    assert_eq!(keys, ["one", "two", "three"]);
}

/// All the browser's index holds: each word's cards (FTS5's own listing of its index, whose rows
/// are cards by their facets' `doc`; it keeps no places), each card's facets, the counts by pack
/// and area, and the notes' tags.
type IndexDump = (
    Vec<(String, i64)>,
    Vec<(i64, String, String, String)>,
    Vec<(String, String, i64)>,
    Vec<(i64, String)>,
);

fn index_dump(conn: &Connection) -> IndexDump {
    fn rows<T>(
        conn: &Connection,
        sql: &str,
        f: impl Fn(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Vec<T> {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt.query_map([], f).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.words USING fts5vocab(main, card_search, instance)",
    )
    .unwrap();
    (
        rows(
            conn,
            "SELECT w.term, c.id FROM temp.words w JOIN cards c ON c.doc = w.doc
             ORDER BY 1, 2",
            |r| Ok((r.get(0)?, r.get(1)?)),
        ),
        rows(
            conn,
            "SELECT c.id, x.pack_id, x.area, c.lessons
             FROM cards c JOIN facets x ON x.id = c.facet ORDER BY 1",
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        ),
        rows(
            conn,
            "SELECT pack_id, area, cards FROM facets WHERE cards != 0 ORDER BY 1, 2",
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        ),
        rows(
            conn,
            "SELECT n.note_id, t.name FROM note_tags n JOIN tags t ON t.id = n.tag_id ORDER BY 1, 2",
            |r| Ok((r.get(0)?, r.get(1)?)),
        ),
    )
}

/// A first import indexes its cards from the notes in memory, not read back from the store:
/// what it writes is exactly what indexing the stored notes writes.
#[test]
fn a_first_import_indexes_its_cards_as_indexing_the_stored_notes_does() {
    for name in ["genanki_mixed_30.apkg", "anki_history_200.apkg"] {
        let (dir, col, report) = imported(name);
        let path = col.store().path().to_path_buf();
        drop(col);
        let conn = Connection::open(&path).unwrap();
        let imported = index_dump(&conn);
        let pack = report.pack.as_str();
        let in_pack = |(_, p, _, _): &&(i64, String, String, String)| p == pack;
        assert_eq!(
            imported.1.iter().filter(in_pack).count() as u32,
            report.new_cards,
            "{name}: every card has its facets"
        );
        assert!(imported.0.len() > 100, "{name}: {} words", imported.0.len());
        let mut counted: Vec<(String, String, i64)> = Vec::new();
        for (_, pack, area, _) in &imported.1 {
            match counted.iter_mut().find(|(p, a, _)| p == pack && a == area) {
                Some(row) => row.2 += 1,
                None => counted.push((pack.clone(), area.clone(), 1)),
            }
        }
        counted.sort();
        assert_eq!(imported.2, counted, "{name}: the counts by pack and area");
        // Forget it all (the index, facets, counts and pack-given tags); the next open indexes
        // every stored note again.
        conn.execute_batch(
            "DELETE FROM card_search; DELETE FROM facets;
             UPDATE cards SET doc = NULL, facet = NULL, lessons = NULL;
             DELETE FROM note_tags;
             INSERT INTO settings (key, value) VALUES ('card_search_stale', 'true')",
        )
        .unwrap();
        assert!(index_dump(&conn).0.is_empty());
        drop(conn);
        drop(Collection::open(dir.path(), now()).unwrap());
        let conn = Connection::open(&path).unwrap();
        assert_eq!(index_dump(&conn), imported, "{name}");
    }
}

/// The indexes of a fresh collection, by name, as its schema writes them.
fn index_schema(conn: &Connection) -> Vec<(String, String)> {
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

/// A deck larger than the collection goes in with the indexes of cards, facets, tags and the
/// log dropped and built again after: they come back as the schema has them, holding every row
/// (SQLite's integrity check compares each index with its table); a cancelled import puts them
/// back untouched with everything else.
#[test]
fn a_deck_larger_than_the_collection_has_its_indexes_built_after_it() {
    let dir = TempDir::new().unwrap();
    let store = reprise::store::Store::open_in(dir.path()).unwrap();
    let schema = index_schema(store.conn());
    assert!(schema.len() > 10, "{schema:?}");
    // Without the built-in packs, the collection is empty: every deck is larger.
    let mut col = Collection::open_store(store).unwrap();

    let cancelled =
        col.import_with_progress(&fixture("anki_history_200.apkg"), now(), &mut |p| match p
            .stage
            .as_str()
        {
            "saving" if p.done > 0 => Err(reprise::Error::Cancelled),
            _ => Ok(()),
        });
    assert!(cancelled.is_err());
    assert_eq!(count(&col, "SELECT count(*) FROM cards"), 0);
    assert_eq!(index_schema(col.store().conn()), schema);

    let report = col
        .import(&fixture("anki_history_200.apkg"), now())
        .unwrap();
    assert!(report.reviews > 0 && report.new_cards > 100, "{report:?}");
    let conn = col.store().conn();
    assert_eq!(index_schema(conn), schema);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_summary_is_the_logs(conn);
    // Each index answers as before: the log by card (its primary key), the due cards, the
    // tags.
    let by_card = count(&col, "SELECT count(*) FROM revlog WHERE card_id > 0");
    assert_eq!(by_card, report.reviews as i64);
    let due = count(
        &col,
        "SELECT count(*) FROM cards INDEXED BY cards_due
         WHERE state > 0 AND hidden = 0 AND due IS NOT NULL",
    );
    assert_eq!(
        due,
        count(
            &col,
            "SELECT count(*) FROM cards WHERE state > 0 AND hidden = 0"
        )
    );
}

/// The statistics' per-quarter summary holds what summing the whole log again gives.
fn assert_summary_is_the_logs(conn: &Connection) {
    let summary = |conn: &Connection| -> Vec<Vec<i64>> {
        let mut stmt = conn
            .prepare("SELECT * FROM review_quarters ORDER BY quarter")
            .unwrap();
        let width = stmt.column_count();
        stmt.query_map([], |r| (0..width).map(|i| r.get(i)).collect())
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let kept = summary(conn);
    conn.execute_batch("SAVEPOINT again").unwrap();
    reprise::store::review_quarters::refill(conn).unwrap();
    let again = summary(conn);
    conn.execute_batch("ROLLBACK TO again; RELEASE again")
        .unwrap();
    assert!(!again.is_empty());
    assert_eq!(kept, again);
}

/// An import's answers are summed for the statistics in memory and written once per quarter
/// hour: into an empty log (its indexes built after), and into a log that holds them already
/// (kept when a pack is removed; its indexes kept, every row a duplicate that counts nothing).
#[test]
fn imported_answers_are_counted_once_in_the_statistics_summary() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    let first = col
        .import(&fixture("anki_history_200.apkg"), now())
        .unwrap();
    assert!(first.reviews > 100, "{first:?}");
    assert_summary_is_the_logs(col.store().conn());
    let logged = count(&col, "SELECT count(*) FROM revlog");
    let kinds = ["learning", "young", "mature"].map(|kind| {
        ["again", "hard", "good", "easy"]
            .map(|rating| format!("{kind}_{rating}"))
            .join(" + ")
    });
    let summed = count(
        &col,
        &format!("SELECT sum({}) FROM review_quarters", kinds.join(" + ")),
    );
    assert_eq!(summed, logged);

    col.remove_pack(&first.pack, true, now()).unwrap();
    let again = col
        .import(&fixture("anki_history_200.apkg"), now())
        .unwrap();
    assert_eq!(again.reviews, 0, "every answer is in the log already");
    assert_eq!(count(&col, "SELECT count(*) FROM revlog"), logged);
    assert_summary_is_the_logs(col.store().conn());
}
