//! The installed packs: listing them, disabling one (its cards hidden from study, schedules
//! kept) and removing one, with or without its review history.

use rusqlite::{Connection, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::ids::PackId;
use crate::store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackInfo {
    pub id: PackId,
    pub name: String,
    pub version: String,
    pub enabled: bool,
    pub builtin: bool,
    /// Made in the app ("My cards" and the like): the learner's own notes.
    pub personal: bool,
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

/// Every pack: the built-in areas first, in the curriculum's order, then the others as they
/// were installed.
pub(crate) fn list(conn: &Connection) -> Result<Vec<PackInfo>> {
    let mut packs = store::packs::list(conn)?;
    packs.sort_by_key(|p| crate::content::source::curriculum_rank(&p.id));
    Ok(packs
        .into_iter()
        .map(|p| PackInfo {
            builtin: crate::content::source::is_builtin(&p.id),
            personal: p.personal,
            id: p.id.into(),
            name: p.name,
            version: p.version,
            enabled: p.enabled,
            notes: p.notes,
            cards: p.cards,
        })
        .collect())
}

fn require(conn: &Connection, id: &str) -> Result<()> {
    if store::packs::exists(conn, id)? {
        Ok(())
    } else {
        Err(Error::unknown_pack(id))
    }
}

pub(crate) fn set_enabled(tx: &Transaction, id: &str, enabled: bool) -> Result<()> {
    require(tx, id)?;
    store::packs::set_enabled(tx, id, enabled)
}

/// Refuses a pack that is not installed, and the built-in pack.
pub(crate) fn require_removable(conn: &Connection, id: &str) -> Result<()> {
    require(conn, id)?;
    if crate::content::source::is_builtin(id) {
        return Err(Error::invalid(
            "pack",
            format!(
                "'{id}' is a built-in pack and comes back with every start; disable it instead \
             (`reprise pack disable {id}`)"
            ),
        ));
    }
    Ok(())
}

pub(crate) fn remove(tx: &Connection, id: &str, keep_history: bool) -> Result<Removed> {
    require_removable(tx, id)?;
    let reviews = if keep_history {
        0
    } else {
        store::packs::delete_history(tx, id)?
    };
    crate::undo::forget_cards(tx, store::packs::CARDS_OF_PACK, id)?;
    crate::undo::forget_notes_of_pack(tx, id)?;
    crate::browse::index::forget_pack(tx, id)?;
    let (notes, cards) = store::packs::delete(tx, id)?;
    Ok(Removed {
        notes: notes as u32,
        cards: cards as u32,
        reviews: reviews as u32,
    })
}
