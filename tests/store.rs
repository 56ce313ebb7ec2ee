//! Opening the database: settings that make answers durable, and files we must refuse untouched.

mod common;

use common::at;
use reprise::store::{BigWrite, JournalMode, Store, DB_FILE};
use reprise::{Collection, Error};
use tempfile::TempDir;

#[test]
fn the_store_is_durable_by_configuration() {
    let dir = TempDir::new().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    let conn = store.conn();
    let pragma = |name: &str| -> String {
        conn.query_row(&format!("PRAGMA {name}"), [], |r| {
            r.get::<_, rusqlite::types::Value>(0)
        })
        .map(|v| format!("{v:?}"))
        .unwrap()
    };
    assert_eq!(pragma("journal_mode"), "Text(\"wal\")");
    assert_eq!(pragma("synchronous"), "Integer(2)", "FULL");
    assert_eq!(pragma("foreign_keys"), "Integer(1)");
    assert_eq!(
        pragma("user_version"),
        format!("Integer({})", reprise::store::SCHEMA_VERSION)
    );
}

fn pragma(conn: &rusqlite::Connection, name: &str) -> String {
    conn.query_row(&format!("PRAGMA {name}"), [], |r| {
        r.get::<_, rusqlite::types::Value>(0)
    })
    .map(|v| format!("{v:?}"))
    .unwrap()
}

#[test]
fn a_big_write_leaves_the_wal_only_with_the_file_to_itself_and_stays_durable() {
    let dir = TempDir::new().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    let modes = |store: &Store| {
        let conn = store.conn();
        (pragma(conn, "journal_mode"), pragma(conn, "synchronous"))
    };
    let wal = ("Text(\"wal\")".to_owned(), "Integer(2)".to_owned());
    assert_eq!(
        store.bulk_writes(Some(BigWrite::Import)).unwrap(),
        JournalMode::Rollback
    );
    // EXTRA: the journal's deletion, the commit, is synced to disk.
    let rollback = ("Text(\"delete\")".to_owned(), "Integer(3)".to_owned());
    assert_eq!(modes(&store), rollback);
    assert_eq!(store.bulk_writes(None).unwrap(), JournalMode::Wal);
    assert_eq!(modes(&store), wal);

    // Another connection has the file open: the WAL stays, without an error.
    let other = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    let _: i64 = other
        .query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        store.bulk_writes(Some(BigWrite::Import)).unwrap(),
        JournalMode::Wal
    );
    assert_eq!(modes(&store), wal);
    drop(other);
    assert_eq!(
        store.bulk_writes(Some(BigWrite::Import)).unwrap(),
        JournalMode::Rollback
    );
    assert_eq!(store.bulk_writes(None).unwrap(), JournalMode::Wal);
}

fn bytes(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_unchanged() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(DB_FILE);
    std::fs::write(&path, b"these are my notes, not a database\n").unwrap();
    let before = bytes(&path);
    let err = Collection::open(dir.path(), at("2026-03-10T09:00:00Z"))
        .err()
        .expect("refused");
    assert!(matches!(err, Error::NotADatabase { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains(DB_FILE) && message.contains("--data-dir"),
        "{message}"
    );
    assert_eq!(bytes(&path), before);
}

#[test]
fn another_programs_sqlite_file_is_refused_and_left_unchanged() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);")
            .unwrap();
    }
    let before = bytes(&path);
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, Error::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains("another program"));
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_newer_schema_is_refused_and_left_unchanged() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(DB_FILE);
    drop(Collection::open(dir.path(), at("2026-03-10T09:00:00Z")).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        // Fold the WAL back so the file on disk is the whole database.
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = bytes(&path);
    let err = Collection::open(dir.path(), at("2026-03-10T09:00:00Z"))
        .err()
        .expect("refused");
    match &err {
        Error::NewerSchema { found, known, .. } => {
            assert_eq!((*found, *known), (99, reprise::store::SCHEMA_VERSION))
        }
        other => panic!("expected NewerSchema, got {other}"),
    }
    assert!(err.to_string().contains("update Reprise"));
    assert_eq!(bytes(&path), before, "not even switched to WAL");
    assert!(!dir.path().join(format!("{DB_FILE}-wal")).exists());
}

/// The index on `hidden` holds only hidden cards (schema 16); the queries for them still walk
/// it, and the rows it leaves out are the visible ones.
#[test]
fn queries_for_hidden_cards_walk_the_partial_index_on_hidden() {
    let dir = TempDir::new().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    let conn = store.conn();
    for condition in [reprise::store::sql::HIDDEN, reprise::store::sql::BURIED] {
        let sql = format!("SELECT id FROM cards WHERE {condition}");
        let plan = reprise::store::query_plan(conn, &sql).unwrap();
        assert!(
            plan.iter().any(|step| step.contains("INDEX cards_hidden")),
            "{condition}: {plan:?}"
        );
    }
    let index: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'cards_hidden'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(index.ends_with("WHERE hidden > 0"), "{index}");
}

/// Schema 18 builds the cards table again for a cheaper queue check: every card keeps every
/// column, study goes on where it was, and the check still refuses a queue that does not exist.
#[test]
fn rebuilding_the_cards_table_keeps_every_card_and_its_check() {
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+00:00");
    let mut col = Collection::open(dir.path(), t0).unwrap();
    let first = col.next_card(t0).unwrap().unwrap().card_id;
    col.answer(first, reprise::Rating::Good, t0, 1_000).unwrap();
    let second = col.next_card(t0).unwrap().unwrap().card_id;
    col.card_action(reprise::study::CardAction::Bury, &[second], t0)
        .unwrap();
    let every_card = |col: &Collection| -> Vec<String> {
        common::column(
            col,
            "SELECT id || '|' || note_id || '|' || template || '|' || position || '|' || state
               || '|' || ifnull(due, '') || '|' || ifnull(stability, '') || '|'
               || ifnull(difficulty, '') || '|' || step || '|' || interval_days || '|'
               || ifnull(last_review, '') || '|' || reps || '|' || lapses || '|' || new_queue
               || '|' || hidden || '|' || ifnull(buried_until, '')
             FROM cards ORDER BY id",
        )
    };
    let (cards, status) = (every_card(&col), col.status(t0).unwrap());
    drop(col);

    common::rewind_schema(dir.path(), 17);
    let col = Collection::open(dir.path(), t0).unwrap();
    assert_eq!(every_card(&col), cards);
    assert_eq!(col.status(t0).unwrap(), status);
    let conn = col.store().conn();
    let table = common::schema_sql(conn, "cards");
    assert!(
        table.contains("CHECK (new_queue BETWEEN 0 AND 2)"),
        "{table}"
    );
    let indexes: Vec<String> = common::column(
        &col,
        "SELECT name FROM sqlite_schema
         WHERE type = 'index' AND tbl_name = 'cards' AND sql IS NOT NULL
         ORDER BY name",
    );
    // (The random order's index exists while that order is chosen, not in the lessons' order.)
    let expected = [
        "cards_doc",
        "cards_due",
        "cards_facet",
        "cards_hidden",
        "cards_new",
        "cards_note",
    ];
    assert_eq!(indexes, expected);
    for queue in [-1, 3] {
        let refused = conn.execute(
            "UPDATE cards SET new_queue = ?1 WHERE id = ?2",
            rusqlite::params![queue, first.0],
        );
        assert!(refused.is_err(), "queue {queue}");
    }
}

/// A new collection made at this version, then taken back to schema `version`; its start time.
fn collection_at_schema(version: i64) -> (TempDir, chrono::DateTime<chrono::FixedOffset>) {
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+00:00");
    drop(Collection::open(dir.path(), t0).unwrap());
    common::rewind_schema(dir.path(), version);
    (dir, t0)
}

/// Each note's id and `column`, in id order.
fn note_texts(conn: &rusqlite::Connection, column: &str) -> Vec<String> {
    let sql = format!("SELECT id || ' ' || {column} FROM notes ORDER BY id");
    let mut stmt = conn.prepare(&sql).unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

/// Schema 24 packs notes' fields: every note reads back as the same JSON text, in fewer bytes,
/// its cards still hang from it, and a note written after reads back as written.
#[test]
fn packing_the_notes_fields_keeps_every_notes_text() {
    let (dir, t0) = collection_at_schema(23);
    let (texts, json_bytes) = {
        let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        let texts = note_texts(&conn, "fields");
        let bytes: i64 = conn
            .query_row(
                "SELECT sum(length(CAST(fields AS BLOB))) FROM notes",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (texts, bytes)
    };
    assert!(texts.len() > 100, "{}", texts.len());
    let mut col = Collection::open(dir.path(), t0).unwrap();
    let conn = col.store().conn();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM notes WHERE typeof(fields) != 'blob'"),
        0
    );
    let packed_bytes = count("SELECT sum(length(fields)) FROM notes");
    // The curriculum's notes are long texts: the keys are a small part of them.
    assert!(packed_bytes < json_bytes, "{packed_bytes} of {json_bytes}");
    assert_eq!(note_texts(conn, "unpack_fields(fields)"), texts);
    let broken: Vec<String> = common::column(&col, "PRAGMA foreign_key_check");
    assert!(broken.is_empty(), "{broken:?}");
    let card = col.next_card(t0).unwrap().unwrap();
    assert!(!card.prompt.is_empty());
    // A note written now is packed, and reads back as written.
    let draft = reprise::notes::NoteDraft::Basic(reprise::notes::BasicDraft {
        front: "Quorum \"reads\"".into(),
        back: "R + W > N".into(),
        reverse: false,
        tags: vec!["dist".into()],
        format: Default::default(),
    });
    let added = col.add_note(None, draft.clone(), t0).unwrap();
    let view = col.note(added.note_id).unwrap();
    assert_eq!(view.draft, draft);
}

/// Schema 25 keeps each tag's name once: every note keeps exactly its tags, the browser lists
/// and filters by them as before, a tag no note has any more leaves the list, and tagging again
/// (or undoing the untag) finds the tag's number.
#[test]
fn the_tag_dictionary_keeps_every_notes_tags() {
    use reprise::browse::BrowseQuery;
    use reprise::study::CardAction;
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+00:00");
    let mut col = Collection::open(dir.path(), t0).unwrap();
    let mut cards = Vec::new();
    for (front, tags) in [
        ("Quorum", vec!["dist", "ch1"]),
        ("Lease", vec!["dist"]),
        ("Fencing token", vec!["dist", "locks"]),
    ] {
        let draft = reprise::notes::NoteDraft::Basic(reprise::notes::BasicDraft {
            front: front.into(),
            back: "…".into(),
            reverse: false,
            tags: tags.into_iter().map(String::from).collect(),
            format: Default::default(),
        });
        cards.push(col.add_note(None, draft, t0).unwrap().card_ids[0]);
    }
    drop(col);
    common::rewind_schema(dir.path(), 24);
    let pairs = "SELECT note_id || ' ' || tag FROM note_tags ORDER BY 1";
    let before: Vec<String> = {
        let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        let mut stmt = conn.prepare(pairs).unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    assert!(before.len() >= 5, "{before:?}");
    let mut col = Collection::open(dir.path(), t0).unwrap();
    let after: Vec<String> = common::column(
        &col,
        "SELECT n.note_id || ' ' || t.name FROM note_tags n JOIN tags t ON t.id = n.tag_id
         ORDER BY 1",
    );
    assert_eq!(after, before);
    let names: Vec<String> = common::column(&col, "SELECT name FROM tags ORDER BY name");
    let mut distinct: Vec<String> = before
        .iter()
        .map(|p| p.split_once(' ').unwrap().1.to_owned())
        .collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(names, distinct, "each name once");
    let broken: Vec<String> = common::column(&col, "PRAGMA foreign_key_check");
    assert!(broken.is_empty(), "{broken:?}");
    assert_eq!(col.browse_facets().unwrap().tags, distinct);
    let tagged = |col: &Collection, tag: &str| {
        let query = BrowseQuery {
            tag: Some(tag.into()),
            ..Default::default()
        };
        let mut found = col.browse(&query, t0).unwrap();
        found.sort();
        found
    };
    let mut dist = cards.clone();
    dist.sort();
    assert_eq!(tagged(&col, "dist"), dist);
    assert_eq!(tagged(&col, "locks"), vec![cards[2]]);
    assert_eq!(tagged(&col, "nothing"), Vec::new());
    // The last note with `locks` loses it: the list drops it, its name stays known.
    let untag = CardAction::Untag {
        tag: "locks".into(),
    };
    col.card_action(untag, &[cards[2]], t0).unwrap();
    assert!(!col
        .browse_facets()
        .unwrap()
        .tags
        .contains(&"locks".to_owned()));
    assert_eq!(tagged(&col, "locks"), Vec::new());
    let number = "SELECT id FROM tags WHERE name = 'locks'";
    let kept: Vec<i64> = common::column(&col, number);
    assert_eq!(kept.len(), 1);
    col.undo(t0).unwrap();
    assert_eq!(tagged(&col, "locks"), vec![cards[2]]);
    let tag = CardAction::Tag {
        tag: "locks".into(),
    };
    col.card_action(tag, &[cards[0]], t0).unwrap();
    assert_eq!(tagged(&col, "locks").len(), 2);
    assert_eq!(common::column::<i64>(&col, number), kept, "one number");
    assert!(col
        .browse_facets()
        .unwrap()
        .tags
        .contains(&"locks".to_owned()));
}

/// Schema 26 numbers each card's pack and area: every card keeps them (and its row of the
/// index and its lessons), the counts by pack and area stay, and the browser filters by pack
/// and by area through the index by facet.
#[test]
fn facet_numbers_keep_every_cards_pack_and_area() {
    use reprise::browse::BrowseQuery;
    let (dir, t0) = collection_at_schema(25);
    // Tab-separated: areas' names have spaces.
    let facets = "SELECT concat_ws(char(9), card_id, doc, pack_id, area, lessons)
                  FROM card_facets ORDER BY card_id";
    let counts = "SELECT pack_id || ' ' || area || ' ' || cards FROM facet_counts ORDER BY 1";
    let (before, counted) = {
        let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        let column = |sql: &str| -> Vec<String> {
            let mut stmt = conn.prepare(sql).unwrap();
            let rows = stmt.query_map([], |r| r.get(0)).unwrap();
            rows.collect::<rusqlite::Result<_>>().unwrap()
        };
        (column(facets), column(counts))
    };
    assert!(before.len() > 100, "{}", before.len());
    assert!(counted.len() > 3, "{counted:?}");
    let col = Collection::open(dir.path(), t0).unwrap();
    let after: Vec<String> = common::column(
        &col,
        "SELECT concat_ws(char(9), c.id, c.doc, x.pack_id, x.area, c.lessons)
         FROM cards c JOIN facets x ON x.id = c.facet ORDER BY c.id",
    );
    assert_eq!(after, before);
    let recounted: Vec<String> = common::column(
        &col,
        "SELECT pack_id || ' ' || area || ' ' || cards FROM facets ORDER BY 1",
    );
    assert_eq!(recounted, counted);
    let broken: Vec<String> = common::column(&col, "PRAGMA foreign_key_check");
    assert!(broken.is_empty(), "{broken:?}");
    // Each filter finds exactly the cards whose facets name the pack or area.
    let (pack, area) = before
        .iter()
        .find_map(|row| {
            let parts: Vec<&str> = row.split('\t').collect();
            (!parts[3].is_empty()).then(|| (parts[2].to_owned(), parts[3].to_owned()))
        })
        .expect("a card with an area");
    let cards_where = |at: usize, value: &str| -> Vec<reprise::ids::CardId> {
        let mut ids: Vec<_> = (before.iter())
            .map(|row| row.split('\t').collect::<Vec<_>>())
            .filter(|parts| parts[at] == value)
            .map(|parts| reprise::ids::CardId(parts[0].parse().unwrap()))
            .collect();
        ids.sort();
        ids
    };
    let found = |query: BrowseQuery| {
        let mut ids = col.browse(&query, t0).unwrap();
        ids.sort();
        ids
    };
    let by_area = found(BrowseQuery {
        area: Some(area.clone()),
        ..Default::default()
    });
    assert!(!by_area.is_empty());
    assert_eq!(by_area, cards_where(3, &area), "area {area}");
    let by_pack = found(BrowseQuery {
        pack: Some(reprise::ids::PackId(pack.clone())),
        ..Default::default()
    });
    assert_eq!(by_pack, cards_where(2, &pack), "pack {pack}");
    let plan = reprise::store::query_plan(
        col.store().conn(),
        "SELECT id FROM cards WHERE facet IN (SELECT id FROM facets WHERE area = ?1)",
    )
    .unwrap();
    assert!(
        plan.iter().any(|step| step.contains("cards_facet")),
        "{plan:?}"
    );
}

/// Schema 28 keeps each card's row of the browser's index, facet and lessons in the card's own
/// row: every card keeps them and the rest of its row, the browser finds the same cards by
/// text, area and lesson, and a card written after takes the index's next row.
#[test]
fn cards_hold_their_index_row_facet_and_lessons() {
    use reprise::browse::BrowseQuery;
    use reprise::notes::{NoteDraft, TermDraft};
    let t0 = at("2026-03-10T09:00:00+00:00");
    let dir = TempDir::new().unwrap();
    let queries = || {
        let text = |text: &str| BrowseQuery {
            text: text.into(),
            ..Default::default()
        };
        [
            text("consist hash"),
            text("kubelet"),
            BrowseQuery {
                area: Some("Distributed Systems".into()),
                ..Default::default()
            },
            BrowseQuery {
                lesson: Some("controllers".into()),
                ..Default::default()
            },
        ]
    };
    let found = |col: &Collection| -> Vec<Vec<reprise::ids::CardId>> {
        queries()
            .iter()
            .map(|q| col.browse(q, t0).unwrap())
            .collect()
    };
    let expected = found(&Collection::open(dir.path(), t0).unwrap());
    assert!(expected.iter().all(|ids| !ids.is_empty()), "{expected:?}");
    common::rewind_schema(dir.path(), 27);
    let columns = "id, note_id, template, position, state, due, stability, difficulty, step,
                   interval_days, last_review, reps, lapses, new_queue, hidden, buried_until";
    let before: Vec<String> = {
        let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        let sql = format!(
            "SELECT concat_ws(char(9), {columns}, f.doc, f.facet, f.lessons)
             FROM cards JOIN card_facets f ON f.card_id = cards.id ORDER BY id"
        );
        let mut stmt = conn.prepare(&sql).unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        let before: Vec<String> = rows.collect::<rusqlite::Result<_>>().unwrap();
        let cards: i64 = conn
            .query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
            .unwrap();
        assert_eq!(before.len() as i64, cards, "every card is indexed");
        before
    };
    assert!(before.len() > 100, "{}", before.len());
    let mut col = Collection::open(dir.path(), t0).unwrap();
    let after: Vec<String> = common::column(
        &col,
        &format!(
            "SELECT concat_ws(char(9), {columns}, doc, facet, lessons) FROM cards ORDER BY id"
        ),
    );
    assert_eq!(after, before);
    let tables: Vec<String> = common::column(
        &col,
        "SELECT name FROM sqlite_schema WHERE name IN ('card_facets', 'cards_doc', 'cards_facet')
         ORDER BY name",
    );
    assert_eq!(tables, ["cards_doc", "cards_facet"]);
    let broken: Vec<String> = common::column(&col, "PRAGMA foreign_key_check");
    assert!(broken.is_empty(), "{broken:?}");
    assert_eq!(found(&col), expected);
    // A card written now takes the index's next row, and is found.
    let last: i64 = common::column(&col, "SELECT max(doc) FROM cards")[0];
    let draft = NoteDraft::Term(TermDraft {
        name: "Zanzibar".into(),
        aliases: vec![],
        definition: "Google's global authorization system.".into(),
        explanation: String::new(),
        area: "security".into(),
        level: reprise::content::Level::Beginner,
        see_also: vec![],
        tags: vec![],
    });
    let added = col.add_note(None, draft, t0).unwrap();
    let docs: Vec<i64> = common::column(
        &col,
        &format!(
            "SELECT doc FROM cards WHERE note_id = {} ORDER BY doc",
            added.note_id.0
        ),
    );
    assert!(!docs.is_empty());
    assert_eq!(docs[0], last + 1, "{docs:?}");
    let zanzibar = BrowseQuery {
        text: "zanzibar".into(),
        ..Default::default()
    };
    let (mut zanzibars, mut cards) = (col.browse(&zanzibar, t0).unwrap(), added.card_ids);
    zanzibars.sort();
    cards.sort();
    assert_eq!(zanzibars, cards);
}

/// What opening would upgrade is known before opening, cheaply, and only when there is
/// something to upgrade: not for a new folder, a current file, a newer one or another file.
#[test]
fn a_pending_upgrade_is_told_before_the_collection_opens() {
    use reprise::store::{pending_upgrade, Upgrade};
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+00:00");
    assert_eq!(pending_upgrade(dir.path()).unwrap(), None, "nothing yet");
    drop(Collection::open(dir.path(), t0).unwrap());
    assert_eq!(pending_upgrade(dir.path()).unwrap(), None, "current");
    common::rewind_schema(dir.path(), 20);
    let upgrade = pending_upgrade(dir.path())
        .unwrap()
        .expect("an upgrade from 20");
    assert_eq!(upgrade.from, 20);
    let latest = upgrade.to;
    assert!(latest > 20);
    drop(Collection::open(dir.path(), t0).unwrap());
    assert_eq!(pending_upgrade(dir.path()).unwrap(), None, "done");
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    conn.pragma_update(None, "user_version", latest + 1)
        .unwrap();
    drop(conn);
    assert_eq!(
        pending_upgrade(dir.path()).unwrap(),
        None,
        "newer: opening refuses it"
    );
    std::fs::write(dir.path().join(DB_FILE), b"not a database at all").unwrap();
    assert_eq!(pending_upgrade(dir.path()).unwrap(), None::<Upgrade>);
}

/// Schema 23 leaves the new cards out of the queue's index on (state, due), and the second
/// copy of each id out of the index of new cards in random order: the index holds exactly the
/// scheduled visible cards, and study goes on where it was.
#[test]
fn the_queue_indexes_hold_only_what_their_queries_read() {
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+00:00");
    let mut col = Collection::open(dir.path(), t0).unwrap();
    for _ in 0..3 {
        let card = col.next_card(t0).unwrap().unwrap().card_id;
        col.answer(card, reprise::Rating::Good, t0, 1_000).unwrap();
    }
    let later = at("2026-03-12T09:00:00+00:00");
    let status = col.status(later).unwrap();
    let next = col.next_card(later).unwrap().map(|c| c.card_id);
    drop(col);
    common::rewind_schema(dir.path(), 22);
    let col = Collection::open(dir.path(), t0).unwrap();
    assert_eq!(col.status(later).unwrap(), status);
    assert_eq!(col.next_card(later).unwrap().map(|c| c.card_id), next);
    let conn = col.store().conn();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let indexed = count(
        "SELECT count(*) FROM cards INDEXED BY cards_due
         WHERE state IN (0, 1, 2, 3) AND hidden = 0 AND due IS NOT NULL",
    );
    let scheduled = count("SELECT count(*) FROM cards WHERE state != 0 AND hidden = 0");
    assert_eq!(indexed, scheduled);
    assert!(scheduled > 0 && scheduled < count("SELECT count(*) FROM cards"));
}

/// The index of new cards in random order exists while that order is chosen: an upgrade drops
/// it from a collection in the lessons' order and keeps it in one in random order, and
/// changing the order builds or drops it; the random queue walks it, in either case the same
/// cards in the same order.
#[test]
fn the_random_orders_index_exists_while_that_order_is_chosen() {
    use reprise::settings::{NewCardOrder, Settings};
    let t0 = at("2026-03-10T09:00:00+00:00");
    let exists = |col: &Collection| -> bool {
        let sql = "SELECT count(*) FROM sqlite_schema WHERE name = 'cards_new_random'";
        common::column::<i64>(col, sql) == [1]
    };
    let with_order = |col: &mut Collection, order| {
        let settings = Settings {
            new_card_order: order,
            ..col.settings().clone()
        };
        col.set_settings(settings, t0).unwrap();
    };
    // The first new cards in random order, as the queue picks them (answered one by one).
    let first_new = |col: &mut Collection| -> Vec<reprise::ids::CardId> {
        let mut ids = Vec::new();
        for _ in 0..5 {
            let card = col.next_card(t0).unwrap().unwrap().card_id;
            let bury = reprise::study::CardAction::Bury;
            col.card_action(bury, &[card], t0).unwrap();
            ids.push(card);
        }
        for _ in 0..5 {
            col.undo(t0).unwrap();
        }
        ids
    };
    for order in [NewCardOrder::Lessons, NewCardOrder::Random] {
        let dir = TempDir::new().unwrap();
        let mut col = Collection::open(dir.path(), t0).unwrap();
        assert!(!exists(&col), "a new collection is in the lessons' order");
        with_order(&mut col, order);
        drop(col);
        common::rewind_schema(dir.path(), 26);
        let mut col = Collection::open(dir.path(), t0).unwrap();
        assert_eq!(exists(&col), order == NewCardOrder::Random, "{order:?}");
        with_order(&mut col, NewCardOrder::Random);
        assert!(exists(&col));
        let index = common::schema_sql(col.store().conn(), "cards_new_random");
        assert!(index.contains("ON cards (new_queue)"), "{index}");
        let indexed = first_new(&mut col);
        with_order(&mut col, NewCardOrder::Lessons);
        assert!(!exists(&col));
        // Without the index (as a test alone can ask): the same cards, in the same order.
        col.store()
            .conn()
            .execute_batch("DROP INDEX IF EXISTS cards_new_random")
            .unwrap();
        let settings = Settings {
            new_card_order: NewCardOrder::Random,
            ..col.settings().clone()
        };
        col.store()
            .conn()
            .execute(
                "UPDATE settings SET value = ?1 WHERE key = 'settings'",
                [serde_json::to_string(&settings).unwrap()],
            )
            .unwrap();
        drop(col);
        let mut col = Collection::open(dir.path(), t0).unwrap();
        assert!(!exists(&col));
        assert_eq!(first_new(&mut col), indexed);
    }
}

/// Schema 21 builds the notes and cards tables again without the UNIQUE constraints their ids
/// already keep: every row stays, foreign keys still hold (the cascade from a note to its cards
/// too), and a pack's notes and a note's cards are still found through an index.
#[test]
fn rebuilding_notes_and_cards_without_their_unique_keys_keeps_every_row() {
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+00:00");
    let mut col = Collection::open(dir.path(), t0).unwrap();
    let first = col.next_card(t0).unwrap().unwrap().card_id;
    col.answer(first, reprise::Rating::Again, t0, 1_000)
        .unwrap();
    let rows = |col: &Collection| -> (Vec<String>, Vec<String>, i64) {
        let notes = common::column(
            col,
            "SELECT id || '|' || pack_id || '|' || key || '|' || kind || '|' || unpack_fields(fields) || '|'
               || position || '|' || ifnull(pack_text, '') FROM notes ORDER BY id",
        );
        let cards = common::column(
            col,
            "SELECT id || '|' || note_id || '|' || template || '|' || position || '|' || state
               || '|' || ifnull(due, '') || '|' || ifnull(stability, '') || '|' || reps
               || '|' || new_queue || '|' || hidden FROM cards ORDER BY id",
        );
        (notes, cards, common::revlog_rows(col))
    };
    let (before, status) = (rows(&col), col.status(t0).unwrap());
    assert!(before.0.len() > 100 && before.1.len() > before.0.len());
    drop(col);

    common::rewind_schema(dir.path(), 20);
    {
        let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        assert!(common::schema_sql(&conn, "notes").contains("UNIQUE (pack_id, key)"));
        assert!(common::schema_sql(&conn, "cards").contains("UNIQUE (note_id, template)"));
    }
    let col = Collection::open(dir.path(), t0).unwrap();
    assert_eq!(rows(&col), before);
    assert_eq!(col.status(t0).unwrap(), status);
    let conn = col.store().conn();
    for table in ["notes", "cards"] {
        assert!(
            !common::schema_sql(conn, table).contains("UNIQUE"),
            "{table}"
        );
    }
    let foreign_keys: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        foreign_keys, 1,
        "foreign keys are on again after the upgrade"
    );
    let broken: Vec<String> = common::column(&col, "PRAGMA foreign_key_check");
    assert!(broken.is_empty(), "{broken:?}");
    let sql = "SELECT id FROM cards WHERE note_id = 1";
    let plan = reprise::store::query_plan(conn, sql).unwrap();
    assert!(
        plan.iter().any(|s| s.contains("cards_note")),
        "{sql}: {plan:?}"
    );
    // The cascade from a note to its cards survived the rebuild.
    let note: i64 = conn
        .query_row("SELECT note_id FROM cards WHERE id = ?1", [first.0], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute("DELETE FROM notes WHERE id = ?1", [note])
        .unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM cards WHERE note_id = ?1",
            [note],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
}

/// An upgrade that rebuilds a parent table checks every foreign key before it commits: a card
/// whose note is missing stops it with a clear error, and the file stays at the old schema.
#[test]
fn an_upgrade_that_finds_a_broken_foreign_key_changes_nothing() {
    let (dir, t0) = collection_at_schema(20);
    {
        let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        conn.execute(
            "INSERT INTO cards (id, note_id, template, position) VALUES (7, 12345, 'forward', 0)",
            [],
        )
        .unwrap();
    }
    let err = Collection::open(dir.path(), t0)
        .err()
        .expect("the upgrade stops");
    assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("`cards`"), "{err}");
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 20);
    assert!(common::schema_sql(&conn, "notes").contains("UNIQUE (pack_id, key)"));
}

/// Schema 29 stores sync's events in the order they arrived instead of by id: every event is
/// kept as it was, ids stay unique, and syncing goes on from where it was.
#[test]
fn sync_events_are_stored_by_arrival() {
    use common::sync::{answer_next, device};
    use reprise::Rating;
    let t0 = at("2026-03-10T09:00:00+00:00");
    let folder = TempDir::new().unwrap();
    let mut a = device(folder.path(), "a", t0);
    let mut b = device(folder.path(), "b", t0);
    for minutes in 0..5 {
        answer_next(
            &mut a.col,
            Rating::Good,
            t0 + chrono::Duration::minutes(minutes),
        );
    }
    a.col.sync(t0).unwrap();
    b.col.sync(t0).unwrap();
    // One of b's own, not written out yet.
    answer_next(&mut b.col, Rating::Hard, t0 + chrono::Duration::minutes(9));
    let path = b._dir.path().to_path_buf();
    drop(b.col);
    common::rewind_schema(&path, 28);
    let events = |conn: &rusqlite::Connection| -> Vec<String> {
        let sql = "SELECT concat_ws(char(9), hex(id), hex(device), seq, hlc, kind, card_id, at,
                     retracted, hex(body)) FROM sync_events ORDER BY id";
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    let before = events(&rusqlite::Connection::open(path.join(DB_FILE)).unwrap());
    assert!(before.len() > 6, "{before:?}");

    let mut b = Collection::open(&path, t0).unwrap();
    let conn = b.store().conn();
    assert_eq!(events(conn), before);
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'sync_events'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!sql.contains("WITHOUT ROWID"), "{sql}");
    let by_arrival: Vec<i64> = (conn.prepare("SELECT hlc FROM sync_events ORDER BY rowid"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(
        by_arrival.windows(2).all(|w| w[0] <= w[1]),
        "{by_arrival:?}"
    );
    let indexes: Vec<String> = (conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'sync_events'
         AND sql IS NOT NULL ORDER BY name",
    ))
    .unwrap()
    .query_map([], |r| r.get(0))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap();
    assert_eq!(
        indexes,
        [
            "sync_events_card",
            "sync_events_outbox",
            "sync_events_reschedule"
        ]
    );
    let again = conn
        .execute(
            "INSERT OR IGNORE INTO sync_events (id, device, hlc, kind, at, body)
             SELECT id, device, hlc, kind, at, body FROM sync_events LIMIT 1",
            [],
        )
        .unwrap();
    assert_eq!(again, 0, "an id is stored once");

    // Syncing goes on: b's waiting answer goes out, and a's next answer comes in.
    let waiting = |b: &Collection| -> u32 {
        let sql = "SELECT count(*) FROM sync_events WHERE seq IS NULL";
        b.store().conn().query_row(sql, [], |r| r.get(0)).unwrap()
    };
    let before_sync = waiting(&b);
    assert!(before_sync >= 1);
    let sent = b.sync(t0 + chrono::Duration::minutes(10)).unwrap();
    assert_eq!((sent.sent, waiting(&b)), (before_sync, 0), "{sent:?}");
    answer_next(&mut a.col, Rating::Easy, t0 + chrono::Duration::minutes(11));
    a.col.sync(t0 + chrono::Duration::minutes(11)).unwrap();
    let got = b.sync(t0 + chrono::Duration::minutes(12)).unwrap();
    assert_eq!(
        (got.received, got.cards_merged),
        (1, 1),
        "a's answer: {got:?}"
    );
    assert!(b.sync_verify().unwrap().differ.is_empty());
}

/// Schema 30 keeps the log's memory values as f32 bit patterns: an upgrade from 29 keeps every
/// answer's values exactly (the first answer's empty "before" too) and its row id, so undo
/// still finds the answer it takes back, and the values go in as 4-byte integers.
#[test]
fn the_logs_memory_values_survive_the_upgrade_to_bits_exactly() {
    use common::sync::answer_next;
    use reprise::Rating;
    let t0 = at("2026-03-10T09:00:00+00:00");
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), t0).unwrap();
    let mut answered = Vec::new();
    for (minutes, rating) in [(0, Rating::Good), (1, Rating::Again), (2, Rating::Easy)] {
        answered.push(answer_next(
            &mut col,
            rating,
            t0 + chrono::Duration::minutes(minutes),
        ));
    }
    // The first card again, the next day: a "before" that is not empty.
    let later = t0 + chrono::Duration::days(3);
    col.answer(answered[0], Rating::Hard, later, 5_000).unwrap();
    let log = |col: &Collection| {
        let mut entries: Vec<_> = answered
            .iter()
            .map(|&card| col.card_detail(card, later).unwrap().info.reviews)
            .collect();
        entries.dedup();
        entries
    };
    let before = log(&col);
    assert_eq!(before[0].len(), 2, "{before:?}");
    assert!(before[0][0].stability_before.is_none());
    assert!(before[0][1].stability_before.is_some());
    let ids = |conn: &rusqlite::Connection| -> Vec<(i64, Vec<u8>)> {
        let mut stmt = conn
            .prepare("SELECT card_id, uuid FROM revlog ORDER BY uuid")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    let ids_before = ids(col.store().conn());
    drop(col);
    common::rewind_schema(dir.path(), 29);
    let types = |conn: &rusqlite::Connection| -> String {
        conn.query_row(
            "SELECT group_concat(DISTINCT typeof(stability_after) || typeof(difficulty_before))
             FROM revlog",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let raw = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    assert!(types(&raw).contains("realreal"), "{}", types(&raw));
    drop(raw);

    let mut col = Collection::open(dir.path(), later).unwrap();
    assert_eq!(log(&col), before);
    assert_eq!(ids(col.store().conn()), ids_before);
    assert_eq!(types(col.store().conn()), "integernull,integerinteger");
    let undone = col.undo(later).unwrap().expect("the last answer to undo");
    assert_eq!(undone.card_id, Some(answered[0]));
    let after_undo = col.card_detail(answered[0], later).unwrap().info.reviews;
    assert_eq!(after_undo, before[0][..1]);
}

/// An upgrade that builds the log again does not leave the file holding the old table's pages:
/// when they are over a quarter of the file, opening writes it again without them.
#[test]
fn an_upgrade_that_rebuilds_the_log_gives_its_old_pages_back() {
    let t0 = at("2026-03-10T09:00:00+00:00");
    let dir = TempDir::new().unwrap();
    drop(Collection::open(dir.path(), t0).unwrap());
    common::rewind_schema(dir.path(), 29);
    let rows = 60_000;
    {
        let mut raw = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        let tx = raw.transaction().unwrap();
        let mut insert = tx
            .prepare(
                "INSERT INTO revlog (uuid, card_id, reviewed_at, rating, elapsed_days,
                   interval_days, duration_ms, state_before, state_after, stability_before,
                   difficulty_before, stability_after, difficulty_after)
                 VALUES (?1, ?2, ?3, 3, 1, 2.5, 6000, 2, 2, ?4, 5.25, ?5, 5.125)",
            )
            .unwrap();
        for i in 0..rows {
            let uuid = uuid::Uuid::from_u128(0x1234_5678_9abc_def0_u128 * (i + 1));
            let s = 1.0 + i as f64 / 7.0;
            insert
                .execute(rusqlite::params![
                    uuid.as_bytes().as_slice(),
                    i as i64 % 500,
                    1_700_000_000_000i64 + i as i64 * 60_000,
                    s as f32 as f64,
                    (s * 1.5) as f32 as f64,
                ])
                .unwrap();
        }
        drop(insert);
        tx.commit().unwrap();
    }
    let pages = |conn: &rusqlite::Connection| -> (i64, i64) {
        let get = |p: &str| {
            conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))
                .unwrap()
        };
        (get("page_count"), get("freelist_count"))
    };
    let col = Collection::open(dir.path(), t0).unwrap();
    let conn = col.store().conn();
    let (count, free) = pages(conn);
    assert!(free * 4 <= count, "{free} of {count} pages free");
    let (n, sum): (i64, f64) = conn
        .query_row(
            "SELECT count(*), sum(f32_value(stability_after)) FROM revlog",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(n, rows as i64);
    let expected: f64 = (0..rows)
        .map(|i| f64::from(((1.0 + i as f64 / 7.0) * 1.5) as f32))
        .sum();
    assert!((sum - expected).abs() < 1e-6 * expected, "{sum} {expected}");
}

/// The review log is keyed by card, time and answer id, with no other index: an upgrade from
/// the log with row ids keeps every answer and the undo of the last one, a card's history is a
/// range of the key, and a fresh answer is found by its card and id.
#[test]
fn the_log_is_kept_by_card_and_time_with_no_other_index() {
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+00:00");
    let mut col = Collection::open(dir.path(), t0).unwrap();
    let mut answered = Vec::new();
    for minute in 0..4 {
        let now = t0 + chrono::Duration::minutes(minute);
        let card = col.next_card(now).unwrap().unwrap().card_id;
        col.answer(card, reprise::Rating::Again, now, 1_000)
            .unwrap();
        answered.push(card);
    }
    let log = |col: &Collection| -> Vec<(i64, i64, Vec<u8>, i64)> {
        let conn = col.store().conn();
        let mut stmt = conn
            .prepare("SELECT card_id, reviewed_at, uuid, rating FROM revlog ORDER BY uuid")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)));
        rows.unwrap().map(Result::unwrap).collect()
    };
    let before = log(&col);
    assert_eq!(before.len(), 4);
    drop(col);
    common::rewind_schema(dir.path(), 31);
    {
        let raw = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        let undo: Option<i64> = raw
            .query_row(
                "SELECT revlog_id FROM undo_actions ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(undo.is_some(), "schema 31's undo names the answer's row");
    }
    let mut col = Collection::open(dir.path(), t0).unwrap();
    assert_eq!(log(&col), before);
    let conn = col.store().conn();
    let indexes: Vec<String> = common::column(
        &col,
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'revlog'",
    );
    assert!(
        indexes.is_empty(),
        "the table is its key's B-tree: {indexes:?}"
    );
    let without_rowid: bool = conn
        .query_row(
            "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_schema WHERE name = 'revlog'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(without_rowid);
    let history = "SELECT rating FROM revlog WHERE card_id = 1 ORDER BY reviewed_at, uuid";
    let plan = reprise::store::query_plan(conn, history).unwrap();
    assert!(
        plan.iter().any(|s| s.contains("PRIMARY KEY (card_id=?)")),
        "{plan:?}"
    );
    assert!(!plan.iter().any(|s| s.contains("TEMP B-TREE")), "{plan:?}");
    // The last answer's undo, named by its row id before the upgrade, takes that answer out.
    let undone = col.undo(t0).unwrap().expect("the last answer to undo");
    assert_eq!(undone.card_id, Some(answered[3]));
    let last = before.iter().max_by_key(|(_, at, ..)| *at).unwrap();
    assert_eq!(last.0, answered[3].0);
    let kept: Vec<_> = before.iter().filter(|row| *row != last).cloned().collect();
    assert_eq!(log(&col), kept);
    // A new answer is logged and found by its card and id.
    let now = t0 + chrono::Duration::minutes(10);
    let card = col.next_card(now).unwrap().unwrap().card_id;
    col.answer(card, reprise::Rating::Good, now, 1_000).unwrap();
    let entries = col.card_detail(card, now).unwrap().info.reviews;
    assert_eq!(
        entries.last().map(|e| e.rating),
        Some(reprise::Rating::Good)
    );
    assert_eq!(log(&col).len(), 4);
}
