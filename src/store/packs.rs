//! The installed packs' rows, and deleting a pack's notes, cards and (optionally) history.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::Hidden;
use crate::content::Manifest;
use crate::error::Result;

/// A pack as kept, with how many notes and cards it holds.
pub struct PackRow {
    pub id: String,
    pub name: String,
    pub version: String,
    pub enabled: bool,
    /// Made in the app: the learner's own notes.
    pub personal: bool,
    pub notes: u32,
    pub cards: u32,
}

/// Every installed pack, in the order they were installed.
pub fn list(conn: &Connection) -> Result<Vec<PackRow>> {
    let mut stmt = conn.prepare(
        // One pass over the notes for every pack's count (nothing indexes notes by pack), and
        // the cards from the summary by pack and area, kept with every change to them.
        "SELECT p.id, p.name, p.version, p.enabled, coalesce(n.notes, 0),
           coalesce((SELECT sum(cards) FROM facets f WHERE f.pack_id = p.id), 0), p.personal
         FROM packs p
         LEFT JOIN (SELECT pack_id, count(*) AS notes FROM notes GROUP BY pack_id) n
           ON n.pack_id = p.id
         ORDER BY p.installed_at, p.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(PackRow {
            id: r.get(0)?,
            name: r.get(1)?,
            version: r.get(2)?,
            enabled: r.get(3)?,
            notes: r.get(4)?,
            cards: r.get(5)?,
            personal: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether each pack is enabled, by id (without counting its notes and cards, as `list` does).
pub fn enabled(conn: &Connection) -> Result<std::collections::HashMap<String, bool>> {
    let mut stmt = conn.prepare("SELECT id, enabled FROM packs")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many cards of each pack have been answered at least once.
pub fn studied_cards(conn: &Connection) -> Result<std::collections::HashMap<String, u32>> {
    let mut stmt = conn.prepare(
        "SELECT n.pack_id, count(*) FROM cards c JOIN notes n ON n.id = c.note_id
         WHERE c.reps > 0 GROUP BY n.pack_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM packs WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The hash of the installed pack's content, if the pack is installed.
pub fn content_hash(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT content_hash FROM packs WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Adds the pack to the list of packs, or updates its entry; its enabled flag stays.
pub fn record(
    conn: &Connection,
    manifest: &Manifest,
    content_hash: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO packs (id, name, version, content_hash, installed_at, manifest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version,
           content_hash = excluded.content_hash, installed_at = excluded.installed_at,
           manifest = excluded.manifest",
        rusqlite::params![
            manifest.id,
            manifest.name,
            manifest.version,
            content_hash,
            now.timestamp_millis(),
            serde_json::to_string(manifest).expect("manifests serialize")
        ],
    )?;
    Ok(())
}

/// Whether the installed pack is disabled.
pub fn is_disabled(conn: &Connection, id: &str) -> Result<bool> {
    Ok(
        conn.query_row("SELECT enabled = 0 FROM packs WHERE id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}

/// Whether a pack with exactly this content is installed.
pub fn has_content(conn: &Connection, content_hash: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM packs WHERE content_hash = ?1)",
        [content_hash],
        |r| r.get(0),
    )?)
}

/// Marks the pack enabled or not, and its cards visible or hidden with it (their schedules stay).
pub fn set_enabled(conn: &Connection, id: &str, enabled: bool) -> Result<()> {
    conn.execute(
        "UPDATE packs SET enabled = ?2 WHERE id = ?1",
        rusqlite::params![id, enabled],
    )?;
    let sql = if enabled {
        "UPDATE cards SET hidden = hidden & ~?2 WHERE note_id IN (SELECT id FROM notes WHERE pack_id = ?1)"
    } else {
        "UPDATE cards SET hidden = hidden | ?2 WHERE note_id IN (SELECT id FROM notes WHERE pack_id = ?1)"
    };
    conn.execute(sql, rusqlite::params![id, Hidden::BY_PACK])?;
    Ok(())
}

/// The pack's name, version and manifest (JSON; `None` if it was installed before manifests
/// were kept), if the pack is installed.
pub fn stored_manifest(
    conn: &Connection,
    id: &str,
) -> Result<Option<(String, String, Option<String>)>> {
    Ok(conn
        .query_row(
            "SELECT name, version, manifest FROM packs WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// The first column of the rows `sql` selects for pack `?1`.
fn column_of_pack(conn: &Connection, sql: &str, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let out = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

/// The fields (JSON) of the pack's areas, in the pack's order.
pub fn area_fields(conn: &Connection, id: &str) -> Result<Vec<String>> {
    column_of_pack(
        conn,
        "SELECT fields FROM areas WHERE pack_id = ?1 ORDER BY position",
        id,
    )
}

/// The fields (JSON) of the pack's terms, in the pack's order.
pub fn term_fields(conn: &Connection, id: &str) -> Result<Vec<String>> {
    column_of_pack(
        conn,
        "SELECT unpack_fields(fields) FROM notes WHERE pack_id = ?1 AND kind = 'term' ORDER BY position",
        id,
    )
}

/// The fields (JSON) of the pack's lessons, in the pack's order.
pub fn lesson_fields(conn: &Connection, id: &str) -> Result<Vec<String>> {
    column_of_pack(
        conn,
        "SELECT fields FROM lessons WHERE pack_id = ?1 ORDER BY position",
        id,
    )
}

/// The pack's flash notes in the pack's order: key, fields (JSON) and the templates of their
/// cards (a JSON array).
pub fn flash_notes(conn: &Connection, id: &str) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT n.key, unpack_fields(n.fields), (SELECT json_group_array(c.template) FROM cards c
                                  WHERE c.note_id = n.id ORDER BY c.template)
         FROM notes n WHERE n.pack_id = ?1 AND n.kind = 'flash' ORDER BY n.position",
    )?;
    let notes = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(notes)
}

/// The pack's media files, by their path in the pack.
pub fn media(conn: &Connection, id: &str) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut media = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT path, data FROM media WHERE pack_id = ?1")?;
    for row in stmt.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
    })? {
        let (path, data) = row?;
        media.insert(path, data);
    }
    Ok(media)
}

/// The fields (JSON) of each of the pack's notes, by key.
pub fn note_fields_by_key(conn: &Connection, id: &str) -> Result<HashMap<String, String>> {
    let mut stmt =
        conn.prepare_cached("SELECT key, unpack_fields(fields) FROM notes WHERE pack_id = ?1")?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The cards of pack `?1`, for statements about them.
pub const CARDS_OF_PACK: &str =
    "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.pack_id = ?1";

/// The retired cards of pack `?1`'s notes, live or deleted.
pub const RETIRED_OF_PACK: &str = "SELECT r.id FROM retired_cards r WHERE r.note_id IN
       (SELECT id FROM notes WHERE pack_id = ?1 UNION SELECT id FROM deleted_notes WHERE pack_id = ?1)";

/// Deletes the pack's review log and quiz attempts.
pub fn delete_history(conn: &Connection, id: &str) -> Result<usize> {
    let reviews = super::revlog::delete_counted(
        conn,
        &format!("card_id IN ({CARDS_OF_PACK} UNION {RETIRED_OF_PACK})"),
        [id],
    )?;
    conn.execute("DELETE FROM quiz_attempts WHERE pack_id = ?1", [id])?;
    Ok(reviews)
}

/// Deletes the pack with its cards, notes, lessons, areas, media and search entries; returns
/// how many notes and cards went.
pub fn delete(conn: &Connection, id: &str) -> Result<(usize, usize)> {
    let cards = conn.execute(
        &format!("DELETE FROM cards WHERE id IN ({CARDS_OF_PACK})"),
        [id],
    )?;
    conn.execute(
        &format!("DELETE FROM retired_cards WHERE id IN ({RETIRED_OF_PACK})"),
        [id],
    )?;
    let notes = conn.execute("DELETE FROM notes WHERE pack_id = ?1", [id])?;
    for table in ["lessons", "areas", "media", "search"] {
        conn.execute(&format!("DELETE FROM {table} WHERE pack_id = ?1"), [id])?;
    }
    conn.execute("DELETE FROM packs WHERE id = ?1", [id])?;
    Ok((notes, cards))
}
