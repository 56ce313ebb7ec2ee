//! The installed packs: listing them, disabling one (its cards hidden from study, schedules
//! kept) and removing one, with or without its review history.

use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

use crate::store::Hidden;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackInfo {
    pub id: String,
    pub name: String,
    pub version: String,
    pub enabled: bool,
    pub builtin: bool,
    pub notes: u32,
    pub cards: u32,
}

/// What removing a pack deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Removed {
    pub notes: u32,
    pub cards: u32,
    /// Review-log rows deleted (0 when the history was kept).
    pub reviews: u32,
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<PackInfo>> {
    let builtin = crate::content::source::builtin_id();
    let mut stmt = conn.prepare(
        "SELECT p.id, p.name, p.version, p.enabled,
           (SELECT count(*) FROM notes n WHERE n.pack_id = p.id),
           (SELECT count(*) FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.pack_id = p.id)
         FROM packs p ORDER BY p.installed_at, p.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let id: String = r.get(0)?;
        Ok(PackInfo {
            builtin: id == builtin,
            id,
            name: r.get(1)?,
            version: r.get(2)?,
            enabled: r.get(3)?,
            notes: r.get(4)?,
            cards: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn require(tx: &Transaction, id: &str) -> Result<()> {
    let exists = tx
        .query_row("SELECT 1 FROM packs WHERE id = ?1", [id], |_| Ok(()))
        .optional()?;
    exists.ok_or_else(|| Error::unknown_pack(id))
}

pub(crate) fn set_enabled(tx: &Transaction, id: &str, enabled: bool) -> Result<()> {
    require(tx, id)?;
    tx.execute(
        "UPDATE packs SET enabled = ?2 WHERE id = ?1",
        rusqlite::params![id, enabled],
    )?;
    let sql = if enabled {
        "UPDATE cards SET hidden = hidden & ~?2 WHERE note_id IN (SELECT id FROM notes WHERE pack_id = ?1)"
    } else {
        "UPDATE cards SET hidden = hidden | ?2 WHERE note_id IN (SELECT id FROM notes WHERE pack_id = ?1)"
    };
    tx.execute(sql, rusqlite::params![id, Hidden::BY_PACK])?;
    Ok(())
}

pub(crate) fn remove(tx: &Transaction, id: &str, keep_history: bool) -> Result<Removed> {
    require(tx, id)?;
    if id == crate::content::source::builtin_id() {
        return Err(Error::invalid(
            "pack",
            format!(
                "'{id}' is the built-in pack and comes back with every start; disable it instead \
             (`reprise pack disable {id}`)"
            ),
        ));
    }
    let of_pack = "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.pack_id = ?1";
    let mut reviews = 0;
    if !keep_history {
        reviews = tx.execute(
            &format!("DELETE FROM revlog WHERE card_id IN ({of_pack})"),
            [id],
        )?;
        tx.execute("DELETE FROM quiz_attempts WHERE pack_id = ?1", [id])?;
    }
    crate::undo::forget_cards(tx, of_pack, id)?;
    crate::browse::index::forget_pack(tx, id)?;
    let cards = tx.execute(&format!("DELETE FROM cards WHERE id IN ({of_pack})"), [id])?;
    let notes = tx.execute("DELETE FROM notes WHERE pack_id = ?1", [id])?;
    for table in ["lessons", "areas", "media", "search"] {
        tx.execute(&format!("DELETE FROM {table} WHERE pack_id = ?1"), [id])?;
    }
    tx.execute("DELETE FROM packs WHERE id = ?1", [id])?;
    Ok(Removed {
        notes: notes as u32,
        cards: cards as u32,
        reviews: reviews as u32,
    })
}
