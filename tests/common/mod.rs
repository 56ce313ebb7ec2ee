//! Shared helpers: fixed moments and real packs written to temporary folders.
#![allow(dead_code)]

pub mod cli;
pub mod history;
pub mod servers;
pub mod sync;

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use reprise::content::{DirSource, Pack};
use reprise::{Collection, Settings};

pub fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("bad time {s}: {e}"))
}

/// Writes a valid pack with `terms` terms (`term-00`, `term-01`, …) into `dir`.
pub fn write_pack(dir: &Path, id: &str, terms: usize, definition_suffix: &str) {
    std::fs::create_dir_all(dir.join("terms")).unwrap();
    std::fs::create_dir_all(dir.join("areas")).unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        format!(
            "format = 1\nid = \"{id}\"\nname = \"Test pack\"\nversion = \"1.0.0\"\n\
             author = \"Tests\"\nlicense = \"CC0-1.0\"\ndescription = \"For tests.\"\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("areas/testing.md"),
        "+++\nid = \"testing\"\nname = \"Testing\"\n+++\n\nAn area for tests.\n",
    )
    .unwrap();
    for i in 0..terms {
        std::fs::write(
            dir.join(format!("terms/term-{i:02}.md")),
            format!(
                "+++\nid = \"term-{i:02}\"\nname = \"Term {i}\"\n\
                 definition = \"Definition number {i}{definition_suffix}.\"\n\
                 area = \"testing\"\nlevel = \"beginner\"\n+++\n\nExplanation {i}.\n"
            ),
        )
        .unwrap();
    }
}

/// A collection in `data_dir` with the built-in pack plus a test pack of `terms` terms.
pub fn collection_with_pack(
    data_dir: &Path,
    terms: usize,
    settings: Settings,
    now: DateTime<FixedOffset>,
) -> Collection {
    let mut col = Collection::open(data_dir, now).unwrap();
    col.set_settings(settings, at("2026-03-10T09:00:00+00:00"))
        .unwrap();
    let pack_dir = data_dir.join("pack-src");
    write_pack(&pack_dir, "test.pack", terms, "");
    col.install_pack(&Pack::load(&DirSource::new(&pack_dir)).unwrap(), now)
        .unwrap();
    col
}

/// Everything an import could touch, to prove a refused one changed nothing.
pub fn fingerprint(col: &Collection) -> Vec<i64> {
    [
        "SELECT count(*) FROM packs",
        "SELECT count(*) FROM notes",
        "SELECT coalesce(sum(id % 1000003), 0) FROM notes",
        "SELECT count(*) FROM cards",
        "SELECT coalesce(sum(state + reps + new_queue), 0) FROM cards",
        "SELECT count(*) FROM revlog",
        "SELECT count(*) FROM lessons",
        "SELECT count(*) FROM media",
        "SELECT count(*) FROM search",
        "SELECT coalesce(sum(length(content_hash)), 0) FROM packs",
    ]
    .iter()
    .map(|sql| col.store().conn().query_row(sql, [], |r| r.get(0)).unwrap())
    .collect()
}

/// The first column of every row `sql` reads, in order.
pub fn column<T: rusqlite::types::FromSql>(col: &Collection, sql: &str) -> Vec<T> {
    col.store()
        .conn()
        .prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

pub fn revlog_rows(col: &Collection) -> i64 {
    col.store()
        .conn()
        .query_row("SELECT count(*) FROM revlog", [], |r| r.get(0))
        .unwrap()
}

/// The built-in pack most tests read lessons and terms from.
pub const K8S: &str = "reprise.kubernetes-containers";

/// The built-in Kubernetes & Containers pack, as loaded from the binary.
pub fn k8s_pack() -> Pack {
    Pack::builtins()
        .unwrap()
        .into_iter()
        .find(|p| p.manifest.id == K8S)
        .expect("the Kubernetes pack is built in")
}

/// Hides every built-in pack, leaving a test's own pack alone to study.
pub fn disable_builtins(col: &mut Collection, now: chrono::DateTime<chrono::FixedOffset>) {
    set_builtins_enabled(col, false, now);
}

pub fn set_builtins_enabled(
    col: &mut Collection,
    enabled: bool,
    now: chrono::DateTime<chrono::FixedOffset>,
) {
    for id in reprise::content::source::builtin_ids() {
        col.set_pack_enabled(&reprise::PackId::from(id.as_str()), enabled, now)
            .unwrap();
    }
}

/// How many term cards the built-in packs make (two per term), so tests do not hard-code it.
pub fn builtin_cards() -> u32 {
    Pack::builtins()
        .unwrap()
        .iter()
        .map(|p| 2 * p.terms.len() as u32)
        .sum()
}

/// Every card the built-in packs make: term cards and lessons' quiz questions, as Today's
/// total, the statistics and the browser count them.
pub fn builtin_all_cards() -> u32 {
    let questions: u32 = Pack::builtins()
        .unwrap()
        .iter()
        .flat_map(|p| &p.lessons)
        .map(|l| l.questions.len() as u32)
        .sum();
    builtin_cards() + questions
}

/// New cards available on a fresh day under the default limit of 20.
pub fn builtin_new_today() -> u32 {
    builtin_cards().min(Settings::default().new_per_day)
}

/// The SQL that made table or index `name`, as the schema keeps it.
pub fn schema_sql(conn: &rusqlite::Connection, name: &str) -> String {
    conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE name = ?1",
        [name],
        |r| r.get(0),
    )
    .unwrap()
}

/// Turns the collection file in `data_dir` back into what schema version `to` wrote, undoing
/// later migrations in reverse (their user data stays), to test upgrades from real old files.
pub fn rewind_schema(data_dir: &Path, to: i64) {
    let conn = rusqlite::Connection::open(data_dir.join(reprise::store::DB_FILE)).unwrap();
    // Tables are built again below: dropping a parent must not delete its children.
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    reprise::store::register_functions(&conn).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    // Each entry undoes the migration to version index + 2.
    const UNDO: [&str; 31] = [
        "DROP TABLE search; DROP TABLE lessons;",
        "DELETE FROM cards WHERE template = 'quiz'; DELETE FROM notes WHERE kind = 'question';
         DROP TABLE areas; DROP TABLE media; DROP TABLE quiz_attempts; DROP INDEX cards_new;
         ALTER TABLE cards DROP COLUMN new_queue;
         CREATE INDEX cards_new ON cards (position) WHERE state = 0;",
        "ALTER TABLE packs DROP COLUMN manifest;",
        "DROP INDEX cards_hidden; DROP INDEX cards_due; DROP INDEX cards_new;
         ALTER TABLE cards DROP COLUMN hidden; ALTER TABLE packs DROP COLUMN enabled;
         CREATE INDEX cards_due ON cards (state, due);
         CREATE INDEX cards_new ON cards (new_queue, position) WHERE state = 0;",
        "CREATE TABLE undo_steps (id INTEGER PRIMARY KEY, card_id INTEGER NOT NULL,
           revlog_id INTEGER NOT NULL, card_before TEXT NOT NULL) STRICT;
         INSERT INTO undo_steps SELECT a.id, u.card_id, a.revlog_id, u.schedule
           FROM undo_actions a JOIN undo_cards u ON u.action_id = a.id
           WHERE a.action = 'answer' AND u.card_id = a.card_id;
         DROP TABLE undo_tags; DROP TABLE undo_cards; DROP TABLE undo_actions;
         DROP TABLE note_tags; DROP INDEX cards_new_random;
         ALTER TABLE cards DROP COLUMN buried_until;
         DROP INDEX revlog_card; CREATE INDEX revlog_card ON revlog (card_id, reviewed_at);",
        "DROP TABLE card_search; DROP TABLE card_facets; DROP INDEX revlog_time;
         ALTER TABLE revlog DROP COLUMN last_interval_days;
         CREATE INDEX revlog_time ON revlog (reviewed_at);",
        "ALTER TABLE undo_tags DROP COLUMN removed;",
        "UPDATE cards SET due = due / 1000 WHERE due IS NOT NULL;
         UPDATE cards SET buried_until = buried_until / 1000 WHERE buried_until IS NOT NULL;
         UPDATE undo_cards SET buried_until = buried_until / 1000 WHERE buried_until IS NOT NULL;
         UPDATE packs SET installed_at = installed_at / 1000;",
        "DROP TABLE sync_state; DROP TABLE sync_events; DROP TABLE sync_cards;
         DROP TABLE sync_segments; DROP TABLE sync_registers; DROP TABLE sync_devices;",
        "DROP INDEX sync_events_reschedule;",
        "DROP TABLE sync_blobs; DROP TABLE sync_packs;",
        "DROP TABLE undo_notes; DROP TABLE retired_cards; DROP TABLE deleted_notes;
         ALTER TABLE notes DROP COLUMN pack_text; ALTER TABLE packs DROP COLUMN personal;",
        // Schema 13's index held the text (left empty here: migration 14 fills it again).
        "DROP TABLE card_search;
         CREATE VIRTUAL TABLE card_search USING fts5(prompt, answer, context,
           tokenize = 'porter unicode61');",
        "DROP TABLE review_quarters; DROP TABLE facet_counts;",
        "DROP INDEX cards_hidden; CREATE INDEX cards_hidden ON cards (hidden);",
        "DROP INDEX revlog_time; CREATE INDEX revlog_time ON revlog
           (reviewed_at, rating, state_before, duration_ms, last_interval_days);",
        // Schema 17's cards, with its list check and column-by-column additions.
        "CREATE TABLE cards_before (id INTEGER PRIMARY KEY,
           note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
           template TEXT NOT NULL, position INTEGER NOT NULL,
           state INTEGER NOT NULL DEFAULT 0, due INTEGER, stability REAL, difficulty REAL,
           step INTEGER NOT NULL DEFAULT 0, interval_days REAL NOT NULL DEFAULT 0,
           last_review INTEGER, reps INTEGER NOT NULL DEFAULT 0,
           lapses INTEGER NOT NULL DEFAULT 0,
           new_queue INTEGER NOT NULL DEFAULT 1 CHECK (new_queue IN (0, 1, 2)),
           hidden INTEGER NOT NULL DEFAULT 0, buried_until INTEGER,
           UNIQUE (note_id, template)) STRICT;
         INSERT INTO cards_before SELECT * FROM cards;
         DROP TABLE cards; ALTER TABLE cards_before RENAME TO cards;
         CREATE INDEX cards_due ON cards (state, due) WHERE hidden = 0;
         CREATE INDEX cards_new ON cards (new_queue, position) WHERE state = 0 AND hidden = 0;
         CREATE INDEX cards_new_random ON cards (new_queue, id) WHERE state = 0 AND hidden = 0;
         CREATE INDEX cards_hidden ON cards (hidden) WHERE hidden > 0;",
        // Schema 18's index kept places (left empty here: migration 19 fills it again).
        "DROP TABLE card_search;
         CREATE VIRTUAL TABLE card_search USING fts5(prompt, answer, context,
           content = '', contentless_delete = 1, tokenize = 'porter unicode61');",
        // Schema 19's facets had no row number, and its index's rows were card ids (left
        // empty here: migration 20 fills it again).
        "CREATE TABLE card_facets_before (card_id INTEGER PRIMARY KEY, pack_id TEXT NOT NULL,
           area TEXT NOT NULL, lessons TEXT NOT NULL) STRICT;
         INSERT INTO card_facets_before SELECT card_id, pack_id, area, lessons FROM card_facets;
         DROP TABLE card_facets; ALTER TABLE card_facets_before RENAME TO card_facets;
         CREATE INDEX card_facets_area ON card_facets (area);
         DROP TABLE card_search;
         CREATE VIRTUAL TABLE card_search USING fts5(prompt, answer, context, content = '',
           contentless_delete = 1, detail = none, tokenize = 'porter unicode61');",
        // Schema 20's notes and cards, whose (pack, key) and (note, template) were UNIQUE.
        "CREATE TABLE notes_before (id INTEGER PRIMARY KEY,
           pack_id TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
           key TEXT NOT NULL, kind TEXT NOT NULL, fields TEXT NOT NULL,
           position INTEGER NOT NULL, pack_text TEXT, UNIQUE (pack_id, key)) STRICT;
         INSERT INTO notes_before SELECT * FROM notes;
         DROP TABLE notes; ALTER TABLE notes_before RENAME TO notes;
         CREATE TABLE cards_before (id INTEGER PRIMARY KEY,
           note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
           template TEXT NOT NULL, position INTEGER NOT NULL,
           state INTEGER NOT NULL DEFAULT 0, due INTEGER, stability REAL, difficulty REAL,
           step INTEGER NOT NULL DEFAULT 0, interval_days REAL NOT NULL DEFAULT 0,
           last_review INTEGER, reps INTEGER NOT NULL DEFAULT 0,
           lapses INTEGER NOT NULL DEFAULT 0,
           new_queue INTEGER NOT NULL DEFAULT 1 CHECK (new_queue BETWEEN 0 AND 2),
           hidden INTEGER NOT NULL DEFAULT 0, buried_until INTEGER,
           UNIQUE (note_id, template)) STRICT;
         INSERT INTO cards_before SELECT * FROM cards;
         DROP TABLE cards; ALTER TABLE cards_before RENAME TO cards;
         CREATE INDEX cards_due ON cards (state, due) WHERE hidden = 0;
         CREATE INDEX cards_new ON cards (new_queue, position) WHERE state = 0 AND hidden = 0;
         CREATE INDEX cards_new_random ON cards (new_queue, id) WHERE state = 0 AND hidden = 0;
         CREATE INDEX cards_hidden ON cards (hidden) WHERE hidden > 0;",
        // Schema 21 read today's answers from an index of the log by time.
        "ALTER TABLE review_quarters DROP COLUMN introduced;
         CREATE INDEX revlog_time ON revlog (reviewed_at, state_before);",
        // Schema 22's queue indexes held new cards in (state, due) and ids twice.
        "DROP INDEX cards_due; DROP INDEX cards_new_random;
         CREATE INDEX cards_due ON cards (state, due) WHERE hidden = 0;
         CREATE INDEX cards_new_random ON cards (new_queue, id) WHERE state = 0 AND hidden = 0;",
        // Schema 23 kept notes' fields as JSON text.
        "CREATE TABLE notes_before (
           id INTEGER PRIMARY KEY,
           pack_id TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
           key TEXT NOT NULL, kind TEXT NOT NULL, fields TEXT NOT NULL,
           position INTEGER NOT NULL, pack_text TEXT) STRICT;
         INSERT INTO notes_before
           SELECT id, pack_id, key, kind, unpack_fields(fields), position, pack_text FROM notes;
         DROP TABLE notes; ALTER TABLE notes_before RENAME TO notes;
         CREATE INDEX notes_pack ON notes (pack_id);",
        // Schema 24 wrote each tag's name in every row of a note's tags.
        "CREATE TABLE note_tags_before (
           note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
           tag TEXT NOT NULL, PRIMARY KEY (note_id, tag)) STRICT, WITHOUT ROWID;
         INSERT INTO note_tags_before
           SELECT n.note_id, t.name FROM note_tags n JOIN tags t ON t.id = n.tag_id;
         DROP TABLE note_tags; DROP TABLE tags;
         ALTER TABLE note_tags_before RENAME TO note_tags;
         CREATE INDEX note_tags_tag ON note_tags (tag);",
        // Schema 25 wrote each card's pack and area in its facets, and counted them apart.
        "CREATE TABLE facet_counts (pack_id TEXT NOT NULL, area TEXT NOT NULL,
           cards INTEGER NOT NULL, PRIMARY KEY (pack_id, area)) STRICT, WITHOUT ROWID;
         INSERT INTO facet_counts SELECT pack_id, area, cards FROM facets WHERE cards != 0;
         CREATE TABLE card_facets_before (card_id INTEGER PRIMARY KEY,
           doc INTEGER NOT NULL UNIQUE, pack_id TEXT NOT NULL, area TEXT NOT NULL,
           lessons TEXT NOT NULL) STRICT;
         INSERT INTO card_facets_before SELECT f.card_id, f.doc, x.pack_id, x.area, f.lessons
           FROM card_facets f JOIN facets x ON x.id = f.facet;
         DROP TABLE card_facets; DROP TABLE facets;
         ALTER TABLE card_facets_before RENAME TO card_facets;
         CREATE INDEX card_facets_area ON card_facets (area);",
        // Schema 26 kept the random order's index whatever the order.
        "CREATE INDEX IF NOT EXISTS cards_new_random ON cards (new_queue)
           WHERE state = 0 AND hidden = 0;",
        // Schema 27 kept each card's row of the index, facet and lessons in a table of their own.
        "CREATE TABLE card_facets (card_id INTEGER PRIMARY KEY, doc INTEGER NOT NULL UNIQUE,
           facet INTEGER NOT NULL, lessons TEXT NOT NULL) STRICT;
         INSERT INTO card_facets SELECT id, doc, facet, lessons FROM cards WHERE doc IS NOT NULL;
         CREATE INDEX card_facets_facet ON card_facets (facet);
         DROP INDEX cards_doc; DROP INDEX cards_facet;
         ALTER TABLE cards DROP COLUMN doc; ALTER TABLE cards DROP COLUMN facet;
         ALTER TABLE cards DROP COLUMN lessons;",
        // Schema 28 kept sync's events by id.
        "CREATE TABLE sync_events_by_id (id BLOB PRIMARY KEY, device BLOB NOT NULL,
           seq INTEGER, hlc INTEGER NOT NULL, kind TEXT NOT NULL, card_id INTEGER,
           at INTEGER NOT NULL, retracted INTEGER NOT NULL DEFAULT 0, body BLOB NOT NULL)
           STRICT, WITHOUT ROWID;
         INSERT INTO sync_events_by_id SELECT id, device, seq, hlc, kind, card_id, at,
           retracted, body FROM sync_events;
         DROP TABLE sync_events;
         ALTER TABLE sync_events_by_id RENAME TO sync_events;
         CREATE INDEX sync_events_card ON sync_events (card_id, at, hlc, id)
           WHERE card_id IS NOT NULL;
         CREATE INDEX sync_events_outbox ON sync_events (hlc) WHERE seq IS NULL;
         CREATE INDEX sync_events_reschedule ON sync_events (at, hlc, id)
           WHERE kind = 'reschedule';",
        // Schema 29 kept the log's memory values as REAL.
        "CREATE TABLE revlog_real (id INTEGER PRIMARY KEY, uuid BLOB NOT NULL UNIQUE,
           card_id INTEGER NOT NULL, reviewed_at INTEGER NOT NULL,
           rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
           elapsed_days INTEGER NOT NULL, interval_days REAL NOT NULL,
           duration_ms INTEGER NOT NULL, state_before INTEGER NOT NULL,
           state_after INTEGER NOT NULL, stability_before REAL, difficulty_before REAL,
           stability_after REAL NOT NULL, difficulty_after REAL NOT NULL,
           last_interval_days REAL NOT NULL DEFAULT 0) STRICT;
         INSERT INTO revlog_real SELECT id, uuid, card_id, reviewed_at, rating, elapsed_days,
           interval_days, duration_ms, state_before, state_after, f32_value(stability_before),
           f32_value(difficulty_before), f32_value(stability_after),
           f32_value(difficulty_after), last_interval_days FROM revlog;
         DROP TABLE revlog;
         ALTER TABLE revlog_real RENAME TO revlog;
         CREATE INDEX revlog_card ON revlog (card_id, reviewed_at, rating, state_before);",
        // Schema 30 indexed notes by pack and the notes' tags by tag.
        "CREATE INDEX notes_pack ON notes (pack_id);
         CREATE INDEX note_tags_tag ON note_tags (tag_id);",
        // Schema 31 gave the log's rows ids, in time order, and undo named its answer by one.
        "CREATE TABLE revlog_rows (id INTEGER PRIMARY KEY, uuid BLOB NOT NULL UNIQUE,
           card_id INTEGER NOT NULL, reviewed_at INTEGER NOT NULL,
           rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
           elapsed_days INTEGER NOT NULL, interval_days REAL NOT NULL,
           duration_ms INTEGER NOT NULL, state_before INTEGER NOT NULL,
           state_after INTEGER NOT NULL, stability_before INTEGER, difficulty_before INTEGER,
           stability_after INTEGER NOT NULL, difficulty_after INTEGER NOT NULL,
           last_interval_days REAL NOT NULL DEFAULT 0) STRICT;
         INSERT INTO revlog_rows (uuid, card_id, reviewed_at, rating, elapsed_days,
             interval_days, duration_ms, state_before, state_after, stability_before,
             difficulty_before, stability_after, difficulty_after, last_interval_days)
           SELECT uuid, card_id, reviewed_at, rating, elapsed_days, interval_days, duration_ms,
             state_before, state_after, stability_before, difficulty_before, stability_after,
             difficulty_after, last_interval_days
           FROM revlog ORDER BY reviewed_at, uuid;
         ALTER TABLE undo_actions ADD COLUMN revlog_id INTEGER;
         UPDATE undo_actions SET revlog_id =
             (SELECT id FROM revlog_rows r WHERE r.uuid = undo_actions.review_uuid)
           WHERE review_uuid IS NOT NULL;
         ALTER TABLE undo_actions DROP COLUMN review_card;
         ALTER TABLE undo_actions DROP COLUMN review_uuid;
         DROP TABLE revlog;
         ALTER TABLE revlog_rows RENAME TO revlog;
         CREATE INDEX revlog_card ON revlog (card_id, reviewed_at, rating, state_before);",
    ];
    assert_eq!(
        version,
        UNDO.len() as i64 + 1,
        "rewind_schema knows versions up to {}; teach it the newest migration",
        UNDO.len() + 1
    );
    for from in (to + 1..=version).rev() {
        conn.execute_batch(UNDO[from as usize - 2]).unwrap();
    }
    conn.pragma_update(None, "user_version", to).unwrap();
}

/// Logs an answer as a sync does (`store::revlog::write`, its tally keeping the statistics'
/// summary): to `card` at `at_ms`, with the card's state code and interval before it. The same
/// `uuid` again is the answer folded again by a sync.
#[allow(clippy::too_many_arguments, dead_code)]
pub fn log_answer(
    col: &Collection,
    uuid: uuid::Uuid,
    card: i64,
    at_ms: i64,
    rating: i64,
    state_before: i64,
    interval_before: f64,
    duration_ms: i64,
) {
    let mut tally = reprise::store::review_quarters::Tally::default();
    log_answer_into(
        col,
        &mut tally,
        uuid,
        card,
        at_ms,
        rating,
        state_before,
        interval_before,
        duration_ms,
    );
    tally.write(col.store().conn()).unwrap();
}

/// [`log_answer`], counted in `tally` for the caller to write, as a sync folding many cards
/// does.
#[allow(clippy::too_many_arguments, dead_code)]
pub fn log_answer_into(
    col: &Collection,
    tally: &mut reprise::store::review_quarters::Tally,
    uuid: uuid::Uuid,
    card: i64,
    at_ms: i64,
    rating: i64,
    state_before: i64,
    interval_before: f64,
    duration_ms: i64,
) {
    use reprise::schedule::{Memory, Schedule};
    use reprise::CardState;
    let state = match state_before {
        0 => CardState::New,
        1 => CardState::Learning,
        2 => CardState::Review,
        _ => CardState::Relearning,
    };
    let before = Schedule {
        state,
        interval_days: interval_before,
        ..Schedule::new_card()
    };
    let after = Schedule {
        state: CardState::Review,
        memory: Some(Memory {
            stability: 3.0,
            difficulty: 5.0,
        }),
        interval_days: 1.0,
        ..Schedule::new_card()
    };
    let record = reprise::store::ReviewRecord {
        card_id: reprise::CardId(card),
        reviewed_at: chrono::DateTime::from_timestamp_millis(at_ms).unwrap(),
        rating: reprise::Rating::from_number(rating).unwrap(),
        elapsed_days: 0,
        interval_days: 1.0,
        duration_ms: duration_ms as u32,
        before: &before,
        after: &after,
    };
    reprise::store::revlog::write(col.store().conn(), uuid, &record, tally).unwrap();
}
