//! Reading an Anki collection (the SQLite file inside a package) into plain rows. Both layouts:
//! schema 11, with note types and decks as JSON in the `col` row, and schema 15–18, with them in
//! tables whose settings are protobuf blobs. The file is opened read-only from memory; nothing
//! from it reaches the disk.

use std::collections::HashMap;

use prost::Message;
use rusqlite::{Connection, OpenFlags, MAIN_DB};

use super::proto;

/// What can go wrong reading the collection: a message for the learner.
pub type ReadResult<T> = std::result::Result<T, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotetypeKind {
    Standard,
    Cloze,
}

#[derive(Debug, Clone)]
pub struct Notetype {
    pub name: String,
    pub kind: NotetypeKind,
    /// Field names, by ordinal.
    pub fields: Vec<String>,
    /// (question format, answer format), by ordinal.
    pub templates: Vec<(String, String)>,
}

pub struct Note {
    pub id: i64,
    pub guid: String,
    pub notetype: i64,
    pub tags: String,
    /// Fields joined by U+001F.
    pub fields: String,
}

pub struct Card {
    pub id: i64,
    pub note: i64,
    pub deck: i64,
    pub ord: u32,
    /// 0 new, 1 learning, 2 review, 3 relearning.
    pub kind: i64,
    /// -1 suspended, -2/-3 buried, 0 new, 1/3/4 learning, 2 review.
    pub queue: i64,
    pub due: i64,
    pub interval: i64,
    pub factor: i64,
    pub reps: i64,
    pub lapses: i64,
    pub original_due: i64,
    pub original_deck: i64,
    /// JSON; may hold Anki's FSRS memory (`s`, `d`) and last review time (`lrt`).
    pub data: String,
}

#[derive(Debug, Clone)]
pub struct Review {
    /// Milliseconds since the epoch.
    pub id: i64,
    pub card: i64,
    /// 1–4; 0 for a manual change.
    pub ease: i64,
    /// Days if positive, seconds if negative.
    pub interval: i64,
    pub last_interval: i64,
    pub factor: i64,
    pub time_ms: i64,
    /// 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled.
    pub kind: i64,
}

pub struct AnkiCollection {
    /// The collection's creation, at the start of its first day (unix seconds): review cards'
    /// due days count from it.
    pub created: i64,
    pub notetypes: HashMap<i64, Notetype>,
    /// Deck names, levels joined by "::".
    pub decks: HashMap<i64, String>,
    pub notes: Vec<Note>,
    pub cards: Vec<Card>,
    /// Sorted by card, then time.
    pub reviews: Vec<Review>,
}

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// Opens the collection file's bytes and reads everything the import needs.
pub fn read(mut bytes: Vec<u8>) -> ReadResult<AnkiCollection> {
    if !bytes.starts_with(SQLITE_MAGIC) || bytes.len() < 100 {
        return Err("it is not an SQLite database, so not an Anki collection".into());
    }
    // A WAL-mode header cannot be opened from memory; the file is complete, so read it as a
    // rollback-journal database.
    bytes[18] = bytes[18].min(1);
    bytes[19] = bytes[19].min(1);
    let mut conn = Connection::open_with_flags(
        ":memory:",
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| e.to_string())?;
    // Anki's name columns sort with this collation; a query touching them needs it to exist.
    conn.create_collation("unicase", |a, b| a.to_lowercase().cmp(&b.to_lowercase()))
        .map_err(|e| e.to_string())?;
    let len = bytes.len();
    conn.deserialize_read_exact(MAIN_DB, bytes.as_slice(), len, true)
        .map_err(|e| format!("the collection cannot be opened ({e})"))?;
    drop(bytes);
    let corrupt = |e: rusqlite::Error| format!("the collection is corrupt ({e})");
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(corrupt)?;
    if check != "ok" {
        return Err(format!("the collection is corrupt ({check})"));
    }
    let has_table = |name: &str| -> ReadResult<bool> {
        conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [name],
            |r| r.get(0),
        )
        .map_err(corrupt)
    };
    for table in ["col", "notes", "cards", "revlog"] {
        if !has_table(table)? {
            return Err(format!(
                "it is an SQLite database but not an Anki collection (no '{table}' table)"
            ));
        }
    }
    let (schema, created): (i64, i64) = conn
        .query_row("SELECT ver, crt FROM col", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(|e| format!("its 'col' row cannot be read ({e}); it is not an Anki collection"))?;
    let (notetypes, decks) = match schema {
        11 => legacy_models(&conn)?,
        15..=18 => (table_notetypes(&conn)?, table_decks(&conn)?),
        other => {
            return Err(format!(
                "its collection has schema version {other}, which Reprise does not read (it \
                 reads 11 and 15–18); open it in a current Anki and export it again"
            ))
        }
    };
    let notes = rows(
        &conn,
        "notes",
        "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id",
        |r| {
            Ok(Note {
                id: r.get(0)?,
                guid: r.get(1)?,
                notetype: r.get(2)?,
                tags: r.get(3)?,
                fields: r.get(4)?,
            })
        },
    )?;
    let cards = rows(
        &conn,
        "cards",
        "SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, odue, odid, data
         FROM cards ORDER BY nid, ord",
        |r| {
            Ok(Card {
                id: r.get(0)?,
                note: r.get(1)?,
                deck: r.get(2)?,
                ord: r.get(3)?,
                kind: r.get(4)?,
                queue: r.get(5)?,
                due: r.get(6)?,
                interval: r.get(7)?,
                factor: r.get(8)?,
                reps: r.get(9)?,
                lapses: r.get(10)?,
                original_due: r.get(11)?,
                original_deck: r.get(12)?,
                data: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
            })
        },
    )?;
    let reviews = rows(
        &conn,
        "review log",
        "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY cid, id",
        |r| {
            Ok(Review {
                id: r.get(0)?,
                card: r.get(1)?,
                ease: r.get(2)?,
                interval: r.get(3)?,
                last_interval: r.get(4)?,
                factor: r.get(5)?,
                time_ms: r.get(6)?,
                kind: r.get(7)?,
            })
        },
    )?;
    Ok(AnkiCollection {
        created,
        notetypes,
        decks,
        notes,
        cards,
        reviews,
    })
}

#[derive(serde::Deserialize)]
struct LegacyModel {
    name: String,
    #[serde(rename = "type", default)]
    kind: i64,
    flds: Vec<LegacyField>,
    tmpls: Vec<LegacyTemplate>,
}

#[derive(serde::Deserialize)]
struct LegacyField {
    name: String,
    ord: usize,
}

#[derive(serde::Deserialize)]
struct LegacyTemplate {
    ord: usize,
    qfmt: String,
    afmt: String,
}

#[derive(serde::Deserialize)]
struct LegacyDeck {
    name: String,
}

type Models = (HashMap<i64, Notetype>, HashMap<i64, String>);

/// Schema 11: `col.models` and `col.decks` are JSON objects keyed by id.
fn legacy_models(conn: &Connection) -> ReadResult<Models> {
    let (models, decks): (String, String) = conn
        .query_row("SELECT models, decks FROM col", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(|e| format!("its note types cannot be read ({e})"))?;
    let models: HashMap<String, LegacyModel> = serde_json::from_str(&models)
        .map_err(|e| format!("its note types (col.models) are not valid JSON ({e})"))?;
    let decks: HashMap<String, LegacyDeck> = serde_json::from_str(&decks)
        .map_err(|e| format!("its decks (col.decks) are not valid JSON ({e})"))?;
    let id = |key: &str| {
        key.parse::<i64>()
            .map_err(|_| format!("a note type or deck has a non-numeric id '{key}'"))
    };
    let mut notetypes = HashMap::new();
    for (key, mut model) in models {
        model.flds.sort_by_key(|f| f.ord);
        model.tmpls.sort_by_key(|t| t.ord);
        notetypes.insert(
            id(&key)?,
            Notetype {
                name: model.name,
                kind: if model.kind == 1 {
                    NotetypeKind::Cloze
                } else {
                    NotetypeKind::Standard
                },
                fields: model.flds.into_iter().map(|f| f.name).collect(),
                templates: model.tmpls.into_iter().map(|t| (t.qfmt, t.afmt)).collect(),
            },
        );
    }
    let mut out = HashMap::new();
    for (key, deck) in decks {
        out.insert(id(&key)?, deck.name);
    }
    Ok((notetypes, out))
}

/// Schema 15–18: the `notetypes`, `fields`, `templates` and `decks` tables.
fn table_notetypes(conn: &Connection) -> ReadResult<HashMap<i64, Notetype>> {
    let blobs = |sql| {
        rows(conn, "note types", sql, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })
    };
    let mut notetypes = HashMap::new();
    for (id, name, config) in blobs("SELECT id, name, config FROM notetypes")? {
        let config = proto::NotetypeConfig::decode(config.as_slice())
            .map_err(|e| format!("note type '{name}' has unreadable settings ({e})"))?;
        let kind = if config.kind == 1 {
            NotetypeKind::Cloze
        } else {
            NotetypeKind::Standard
        };
        notetypes.insert(
            id,
            Notetype {
                name,
                kind,
                fields: vec![],
                templates: vec![],
            },
        );
    }
    let fields = rows(
        conn,
        "note fields",
        "SELECT ntid, name FROM fields ORDER BY ntid, ord",
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
    )?;
    for (ntid, name) in fields {
        if let Some(nt) = notetypes.get_mut(&ntid) {
            nt.fields.push(name);
        }
    }
    for (ntid, name, config) in
        blobs("SELECT ntid, name, config FROM templates ORDER BY ntid, ord")?
    {
        let config = proto::TemplateConfig::decode(config.as_slice())
            .map_err(|e| format!("card template '{name}' cannot be read ({e})"))?;
        if let Some(nt) = notetypes.get_mut(&ntid) {
            nt.templates.push((config.q_format, config.a_format));
        }
    }
    Ok(notetypes)
}

fn table_decks(conn: &Connection) -> ReadResult<HashMap<i64, String>> {
    let decks = rows(conn, "decks", "SELECT id, name FROM decks", |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    Ok(decks
        .into_iter()
        .map(|(id, name)| (id, name.split('\u{1f}').collect::<Vec<_>>().join("::")))
        .collect())
}

/// Every row of `sql`, mapped by `row`; a failure is described as `what` cannot be read.
fn rows<T>(
    conn: &Connection,
    what: &str,
    sql: &str,
    row: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
) -> ReadResult<Vec<T>> {
    let map = |e: rusqlite::Error| format!("its {what} cannot be read ({e})");
    let mut stmt = conn.prepare(sql).map_err(map)?;
    let out = stmt
        .query_map([], row)
        .map_err(map)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(map);
    out
}
