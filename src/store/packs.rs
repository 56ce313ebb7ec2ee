//! The installed packs' rows, and deleting a pack's notes, cards and (optionally) history.

use rusqlite::{Connection, OptionalExtension};

use super::Hidden;
use crate::error::Result;

/// A pack as kept, with how many notes and cards it holds.
pub struct PackRow {
    pub id: String,
    pub name: String,
    pub version: String,
    pub enabled: bool,
    pub notes: u32,
    pub cards: u32,
}

/// Every installed pack, in the order they were installed.
pub fn list(conn: &Connection) -> Result<Vec<PackRow>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.name, p.version, p.enabled,
           (SELECT count(*) FROM notes n WHERE n.pack_id = p.id),
           (SELECT count(*) FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.pack_id = p.id)
         FROM packs p ORDER BY p.installed_at, p.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(PackRow {
            id: r.get(0)?,
            name: r.get(1)?,
            version: r.get(2)?,
            enabled: r.get(3)?,
            notes: r.get(4)?,
            cards: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM packs WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
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

/// The cards of pack `?1`, for statements about them.
pub const CARDS_OF_PACK: &str =
    "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.pack_id = ?1";

/// Deletes the pack's review log and quiz attempts.
pub fn delete_history(conn: &Connection, id: &str) -> Result<usize> {
    let reviews = conn.execute(
        &format!("DELETE FROM revlog WHERE card_id IN ({CARDS_OF_PACK})"),
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
    let notes = conn.execute("DELETE FROM notes WHERE pack_id = ?1", [id])?;
    for table in ["lessons", "areas", "media", "search"] {
        conn.execute(&format!("DELETE FROM {table} WHERE pack_id = ?1"), [id])?;
    }
    conn.execute("DELETE FROM packs WHERE id = ?1", [id])?;
    Ok((notes, cards))
}
