//! Reading an Anki collection (the SQLite file inside a package) into plain rows. Both layouts:
//! schema 11, with note types and decks as JSON in the `col` row, and schema 15–18, with them in
//! tables whose settings are protobuf blobs. The file (a scratch copy) is opened read-only, with
//! SQLite's defensive settings (see [`sqlite`]). A note larger than [`MAX_NOTE_BYTES`] is
//! measured but not read.

use std::collections::HashMap;

use prost::Message;
use rusqlite::Connection;

use super::limits::{
    self, MAX_CARD_DATA_BYTES, MAX_NOTES_TEXT, MAX_NOTE_BYTES, MAX_TIME, MAX_VALUE_BYTES,
};
use super::{proto, sqlite};

/// What can go wrong reading the collection: a message for the learner.
pub type ReadResult<T> = std::result::Result<T, String>;

/// How often reading reports progress (and can be stopped), in rows.
const PROGRESS_ROWS: usize = 1 << 14;

/// The rows read so far of the notes, cards and log together, told to `report(done, total)`
/// every [`PROGRESS_ROWS`]; `report` returns false to stop reading (the caller then knows why).
pub struct RowCount<'p> {
    done: usize,
    total: usize,
    report: &'p mut dyn FnMut(usize, usize) -> bool,
}

impl<'p> RowCount<'p> {
    pub fn new(report: &'p mut dyn FnMut(usize, usize) -> bool) -> Self {
        RowCount {
            done: 0,
            total: 0,
            report,
        }
    }

    fn row(&mut self) -> ReadResult<()> {
        self.done += 1;
        match !self.done.is_multiple_of(PROGRESS_ROWS) || (self.report)(self.done, self.total) {
            true => Ok(()),
            false => Err("reading was stopped".into()),
        }
    }

    fn report(&mut self, done: usize) -> ReadResult<()> {
        match (self.report)(done, self.total) {
            true => Ok(()),
            false => Err("reading was stopped".into()),
        }
    }
}

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
    pub ord: i64,
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

/// Notes left unread for their size: (id, bytes).
pub type Oversized = Vec<(i64, i64)>;

pub struct AnkiCollection {
    /// The collection's creation, at the start of its first day (unix seconds): review cards'
    /// due days count from it.
    pub created: i64,
    pub notetypes: HashMap<i64, Notetype>,
    /// Deck names, levels joined by "::".
    pub decks: HashMap<i64, String>,
    pub notes: Vec<Note>,
    /// Notes larger than [`MAX_NOTE_BYTES`], left unread.
    pub oversized: Oversized,
    /// Ordered by note, then by template (`ord`).
    pub cards: Vec<Card>,
    /// Sorted by card, then time.
    pub reviews: Vec<Review>,
}

/// Opens the collection file's bytes and reads everything the import needs.
pub fn read(file: &std::path::Path, count: &mut RowCount) -> ReadResult<AnkiCollection> {
    let conn = sqlite::open(file)?;
    sqlite::read_while_checked(file, || read_tables(&conn, count))
}

fn read_tables(conn: &Connection, count: &mut RowCount) -> ReadResult<AnkiCollection> {
    let corrupt = |e: rusqlite::Error| format!("the collection is corrupt ({e})");
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
    if !(0..=MAX_TIME).contains(&created) {
        return Err(format!(
            "its creation time (col.crt {created}) is not a time between 1970 and 2100, so its \
             due dates cannot be read; the collection is damaged"
        ));
    }
    let (notetypes, decks) = match schema {
        11 => legacy_models(conn)?,
        15..=18 => (table_notetypes(conn)?, table_decks(conn)?),
        other => {
            return Err(format!(
                "its collection has schema version {other}, which Reprise does not read (it \
                 reads 11 and 15–18); open it in a current Anki and export it again"
            ))
        }
    };
    limits::check_notetypes(notetypes.values(), decks.values())?;
    let total: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM notes) + (SELECT count(*) FROM cards)
               + (SELECT count(*) FROM revlog)",
            [],
            |r| r.get(0),
        )
        .map_err(corrupt)?;
    count.total = total as usize;
    count.report(0)?;
    let (notes, oversized) = read_notes(conn, MAX_NOTE_BYTES, MAX_NOTES_TEXT, count)?;
    let cards = counted_rows(
        conn,
        count,
        "cards",
        &format!(
            "SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, odue, odid,
               CASE WHEN octet_length(data) <= {MAX_CARD_DATA_BYTES} THEN data END
             FROM cards ORDER BY nid, ord"
        ),
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
    // Read in the table's order and sorted here: through the index on `cid`, each row would be
    // looked up in the table at a random place.
    let mut reviews = counted_rows(
        conn,
        count,
        "review log",
        "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id",
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
    reviews.sort_unstable_by_key(|r| (r.card, r.id));
    count.report(count.total)?;
    Ok(AnkiCollection {
        created,
        notetypes,
        decks,
        notes,
        oversized,
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
        .map_err(|e| unreadable("note types", e))?;
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

/// The notes no larger than `max_note` ([`MAX_NOTE_BYTES`]), and the (id, size) of the larger
/// ones, which are measured without being read; past `max_total` ([`MAX_NOTES_TEXT`]) in all,
/// the collection is refused.
fn read_notes(
    conn: &Connection,
    max_note: i64,
    max_total: u64,
    count: &mut RowCount,
) -> ReadResult<(Vec<Note>, Oversized)> {
    let map = |e: rusqlite::Error| unreadable("notes", e);
    let mut stmt = conn
        .prepare(
            "SELECT id, mid, size, CASE WHEN size <= ?1 THEN guid END,
               CASE WHEN size <= ?1 THEN tags END, CASE WHEN size <= ?1 THEN flds END
             FROM (SELECT id, mid, guid, tags, flds, coalesce(octet_length(guid), 0)
                 + coalesce(octet_length(tags), 0) + coalesce(octet_length(flds), 0) AS size
               FROM notes)
             ORDER BY id",
        )
        .map_err(map)?;
    let mut rows = stmt.query([max_note]).map_err(map)?;
    let (mut notes, mut oversized, mut total) = (Vec::new(), Vec::new(), 0u64);
    while let Some(r) = rows.next().map_err(map)? {
        count.row()?;
        let (id, size): (i64, i64) = (r.get(0).map_err(map)?, r.get(2).map_err(map)?);
        if size > max_note {
            oversized.push((id, size));
            continue;
        }
        total += size as u64;
        if total > max_total {
            return Err(format!(
                "its notes hold more than {} MiB of text, more than Reprise imports at once; \
                 split the deck in Anki and import the parts",
                max_total >> 20
            ));
        }
        notes.push(Note {
            id,
            guid: r.get(3).map_err(map)?,
            notetype: r.get(1).map_err(map)?,
            tags: r.get(4).map_err(map)?,
            fields: r.get(5).map_err(map)?,
        });
    }
    Ok((notes, oversized))
}

/// Why `what` could not be read: a value past SQLite's length limit is named as such.
fn unreadable(what: &str, e: rusqlite::Error) -> String {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::TooBig) {
        return format!(
            "a value in its {what} is larger than the {} MiB Reprise reads; it was not read \
             (shorten it in Anki and export again)",
            MAX_VALUE_BYTES >> 20
        );
    }
    format!("its {what} cannot be read ({e})")
}

/// Every row of `sql`, mapped by `row`; a failure is described as `what` cannot be read.
fn rows<T>(
    conn: &Connection,
    what: &str,
    sql: &str,
    row: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
) -> ReadResult<Vec<T>> {
    counted_rows(conn, &mut RowCount::new(&mut |_, _| true), what, sql, row)
}

/// [`rows`], each counted in `count`.
fn counted_rows<T>(
    conn: &Connection,
    count: &mut RowCount,
    what: &str,
    sql: &str,
    mut row: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
) -> ReadResult<Vec<T>> {
    let map = |e: rusqlite::Error| unreadable(what, e);
    let mut stmt = conn.prepare(sql).map_err(map)?;
    let mut rows = stmt.query([]).map_err(map)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(map)? {
        count.row()?;
        out.push(row(r).map_err(map)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(sizes: &[usize]) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, tags TEXT,
               flds TEXT)",
        )
        .unwrap();
        for (i, size) in sizes.iter().enumerate() {
            conn.execute(
                "INSERT INTO notes VALUES (?1, 'g' || ?1, 7, '', ?2)",
                rusqlite::params![i as i64, "x".repeat(*size)],
            )
            .unwrap();
        }
        conn
    }

    #[test]
    fn notes_over_their_cap_are_measured_not_read() {
        let mut report = |_, _| true;
        let mut count = RowCount::new(&mut report);
        let (read, oversized) =
            read_notes(&notes(&[10, 500, 20]), 100, 1 << 20, &mut count).unwrap();
        assert_eq!(read.iter().map(|n| n.id).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(oversized, [(1, 502)]);
    }

    #[test]
    fn notes_past_the_total_cap_refuse_the_collection() {
        let mut report = |_, _| true;
        let mut count = RowCount::new(&mut report);
        let message = read_notes(&notes(&[90; 5]), 100, 300, &mut count)
            .err()
            .unwrap();
        assert!(message.contains("more than 0 MiB of text"), "{message}");
        assert!(message.contains("split the deck"), "{message}");
    }
}
