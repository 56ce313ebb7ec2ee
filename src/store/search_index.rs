//! The two full-text indexes (SQLite FTS5): `search`, the terms and lessons searched as you
//! type, and `card_search` (its rows numbered by `cards.doc`) with the cards' `facet` and
//! `lessons`, the card browser's text and filters. What goes in them is decided by the domain;
//! this module reads and writes the rows.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::Batch;
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::store::cards::NoteRow;
use crate::study::search::SearchHit;

/// Marks a collection whose cards are not indexed yet (set by migration 0007).
const STALE_KEY: &str = "card_search_stale";

/// Forgets one term or lesson in the `search` index.
pub fn remove_entry(conn: &Connection, kind: &str, pack: &str, key: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM search WHERE kind = ?1 AND pack_id = ?2 AND key = ?3")?
        .execute([kind, pack, key])?;
    Ok(())
}

/// Forgets the pack's terms and lessons in the `search` index.
pub fn clear_entries(conn: &Connection, pack: &str) -> Result<()> {
    conn.execute("DELETE FROM search WHERE pack_id = ?1", [pack])?;
    Ok(())
}

/// Adds a term or lesson (`kind`) to the `search` index: `title` and `body` are matched.
pub fn add_entry(
    batch: &mut Batch,
    kind: &str,
    key: &str,
    pack: &str,
    name: &str,
    title: &str,
    body: &str,
) -> Result<()> {
    batch
        .stmt(
            "INSERT INTO search (kind, key, pack_id, name, title, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(rusqlite::params![kind, key, pack, name, title, body])?;
    Ok(())
}

/// At most `limit` entries matching the FTS5 `query`, best first; a match in the title counts
/// ten times one in the body.
pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, key, name, snippet(search, 5, '', '', '…', 16), pack_id
         FROM search WHERE search MATCH ?1
         ORDER BY bm25(search, 0.0, 0.0, 0.0, 0.0, 10.0, 1.0), kind DESC, key
         LIMIT ?2",
    )?;
    let hits = stmt.query_map(rusqlite::params![query, limit], |r| {
        Ok(SearchHit {
            kind: r.get(0)?,
            pack: r.get(4)?,
            key: r.get(1)?,
            title: r.get(2)?,
            snippet: r.get(3)?,
        })
    })?;
    Ok(hits.collect::<rusqlite::Result<_>>()?)
}

/// Forgets what the card index holds of the cards of `pack` (all cards if `None`).
pub fn forget_cards(conn: &Connection, pack: Option<&str>) -> Result<()> {
    let Some(pack) = pack else {
        // Everything: the index is emptied whole, not row by row.
        conn.execute_batch(
            "INSERT INTO card_search (card_search) VALUES ('delete-all');
             UPDATE cards SET doc = NULL, facet = NULL, lessons = NULL WHERE doc IS NOT NULL;
             DELETE FROM facets;",
        )?;
        return Ok(());
    };
    // A pack new to the index (a first import) has nothing to forget: looking up each of its
    // cards in the index costs a third of a second per 100k.
    let indexed: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM cards
                            WHERE facet IN (SELECT id FROM facets WHERE pack_id = ?1))",
        )?
        .query_row([pack], |r| r.get(0))?;
    if !indexed {
        return Ok(());
    }
    forget_where(
        conn,
        "note_id IN (SELECT id FROM notes WHERE pack_id = ?1)",
        [pack],
    )
}

/// Which cards to index.
#[derive(Debug, Clone, Copy)]
pub enum Cards<'a> {
    All,
    OfPack(&'a str),
    OfNote(NoteId),
}

/// How many cards `cards` chooses.
pub fn count_cards(conn: &Connection, cards: Cards) -> Result<usize> {
    let (sql, param): (&str, Option<rusqlite::types::Value>) = match cards {
        Cards::All => ("SELECT count(*) FROM cards", None),
        Cards::OfPack(pack) => (
            "SELECT count(*) FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.pack_id = ?1",
            Some(pack.to_owned().into()),
        ),
        Cards::OfNote(note) => (
            "SELECT count(*) FROM cards WHERE note_id = ?1",
            Some(note.0.into()),
        ),
    };
    let count: i64 = conn
        .prepare_cached(sql)?
        .query_row(rusqlite::params_from_iter(param), |r| r.get(0))?;
    Ok(count as usize)
}

/// Calls `each(card, template, note)` for the cards chosen, a note's cards together, streaming
/// them from one query.
pub fn each_card(
    conn: &Connection,
    cards: Cards,
    mut each: impl FnMut(CardId, String, NoteRow) -> Result<()>,
) -> Result<()> {
    let (filter, param): (&str, Option<rusqlite::types::Value>) = match cards {
        Cards::All => ("", None),
        Cards::OfPack(pack) => ("WHERE n.pack_id = ?1", Some(pack.to_owned().into())),
        Cards::OfNote(note) => ("WHERE n.id = ?1", Some(note.0.into())),
    };
    // In card id order: the index's and the facets' B-trees then grow at one end.
    let cards_sql = format!(
        "SELECT c.id, c.template, n.id, n.kind, unpack_fields(n.fields), n.pack_id
         FROM cards c JOIN notes n ON n.id = c.note_id {filter} ORDER BY c.id"
    );
    let mut stmt = conn.prepare_cached(&cards_sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(param))?;
    while let Some(row) = rows.next()? {
        let note = NoteRow {
            id: NoteId(row.get(2)?),
            kind: row.get(3)?,
            fields: row.get(4)?,
            pack_id: row.get(5)?,
        };
        each(CardId(row.get(0)?), row.get(1)?, note)?;
    }
    Ok(())
}

/// The name of the pack's area `key`, if it has one.
pub fn area_name(batch: &mut Batch, pack: &str, key: &str) -> Result<Option<String>> {
    Ok(batch
        .stmt("SELECT json_extract(fields, '$.name') FROM areas WHERE pack_id = ?1 AND key = ?2")?
        .query_row([pack, key], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// The row of `card_search` the next card indexed takes: after every row in use. Rows are
/// numbered in the order cards are indexed (migration 20): the index stores each entry as the
/// gap to the one before, which card ids, hashes, made large.
pub fn next_doc(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(doc), 0) + 1 FROM cards")?
        .query_row([], |r| r.get(0))?)
}

/// A card as the browser's index holds it: its text, of which the prompt, answer and context
/// are matched, and what the browser filters it by, its facet (from [`facet`]: its pack and
/// area) and lessons (space-separated).
pub struct IndexedCard<'a> {
    pub card: CardId,
    pub prompt: &'a str,
    pub answer: &'a str,
    pub context: &'a str,
    pub facet: i64,
    pub lessons: &'a str,
}

/// Where a card not stored yet is in the browser's index, for its writer to store in its row
/// (a flash card, in no lesson): its row of the text index, and its facet.
#[derive(Debug, Clone, Copy)]
pub struct CardFacet {
    pub doc: i64,
    pub facet: i64,
}

/// The number of the facet of pack `pack` and area `area`, made (counting no cards) if new.
pub fn facet(batch: &mut Batch, pack: &str, area: &str) -> Result<i64> {
    let known = batch
        .stmt("SELECT id FROM facets WHERE pack_id = ?1 AND area = ?2")?
        .query_row([pack, area], |r| r.get(0))
        .optional()?;
    match known {
        Some(number) => Ok(number),
        None => Ok(batch
            .stmt("INSERT INTO facets (pack_id, area, cards) VALUES (?1, ?2, 0) RETURNING id")?
            .query_row([pack, area], |r| r.get(0))?),
    }
}

/// Adds a stored card to the browser's index as row `doc` (from [`next_doc`], one more each
/// card). The caller counts the card under its facet with [`count_facet`].
pub fn add_card(batch: &mut Batch, doc: i64, c: &IndexedCard) -> Result<()> {
    batch
        .stmt("UPDATE cards SET doc = ?2, facet = ?3, lessons = ?4 WHERE id = ?1")?
        .execute(rusqlite::params![c.card.0, doc, c.facet, c.lessons])?;
    add_text(batch, doc, c)
}

/// Writes a card's text into the browser's index as row `doc`, for a card not stored yet: its
/// writer stores `doc`, its facet and lessons in its row (an import, which would otherwise
/// write each card's row twice, and split its pages as it grew).
pub fn add_text(batch: &mut Batch, doc: i64, c: &IndexedCard) -> Result<()> {
    batch
        .stmt("INSERT INTO card_search (rowid, prompt, answer, context) VALUES (?1, ?2, ?3, ?4)")?
        .execute(rusqlite::params![doc, c.prompt, c.answer, c.context])?;
    Ok(())
}

/// Adds `cards` to (or, negative, takes them from) the cards counted under facet `facet`, for
/// the statistics screen.
pub fn count_facet(conn: &Connection, facet: i64, cards: i64) -> Result<()> {
    conn.prepare_cached("UPDATE facets SET cards = cards + ?2 WHERE id = ?1")?
        .execute([facet, cards])?;
    Ok(())
}

/// Forgets the indexed cards `condition` (on `cards`) selects: their facets, their rows of
/// the text index, and their counts by pack and area (kept here, where the facets are written,
/// for the statistics screen).
pub fn forget_where(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params + Clone,
) -> Result<()> {
    let mut gone: HashMap<i64, i64> = HashMap::new();
    let mut docs = Vec::new();
    let indexed = format!("doc IS NOT NULL AND ({condition})");
    let mut stmt = conn.prepare_cached(&format!("SELECT facet, doc FROM cards WHERE {indexed}"))?;
    let mut rows = stmt.query(params.clone())?;
    while let Some(row) = rows.next()? {
        *gone.entry(row.get(0)?).or_default() += 1;
        docs.push(row.get::<_, i64>(1)?);
    }
    // One statement for all the rows: an update per card made a 100k re-import 0.3 s slower.
    conn.prepare_cached(&format!(
        "UPDATE cards SET doc = NULL, facet = NULL, lessons = NULL WHERE {indexed}"
    ))?
    .execute(params)?;
    let mut text = conn.prepare_cached("DELETE FROM card_search WHERE rowid = ?1")?;
    for doc in docs {
        text.execute([doc])?;
    }
    for (facet, n) in gone {
        count_facet(conn, facet, -n)?;
    }
    Ok(())
}

/// Forgets what the card index holds of note `note`'s cards.
pub fn forget_note_cards(conn: &Connection, note: NoteId) -> Result<()> {
    forget_where(conn, "note_id = ?1", [note.0])
}

/// Forgets the indexed cards of a pack being removed.
pub fn forget_pack(conn: &Connection, pack: &str) -> Result<()> {
    forget_where(
        conn,
        "facet IN (SELECT id FROM facets WHERE pack_id = ?1)",
        [pack],
    )?;
    conn.execute("DELETE FROM facets WHERE pack_id = ?1", [pack])?;
    Ok(())
}

/// Whether the collection still has to be indexed (it predates the index).
pub fn is_stale(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?1)")?
        .query_row([STALE_KEY], |r| r.get(0))?)
}

/// Records that the whole collection is indexed.
pub fn mark_fresh(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM settings WHERE key = ?1", [STALE_KEY])?;
    Ok(())
}
