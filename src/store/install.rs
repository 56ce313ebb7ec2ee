//! The rows an install writes: notes and cards upserted by their stable ids (so progress
//! survives updates), and a pack's lessons and areas. Run once per row inside the caller's
//! transaction, so every statement is cached.

use std::collections::HashSet;

use rusqlite::Connection;

use super::{Batch, NewQueue};
use crate::error::Result;
use crate::ids::{CardId, NoteId};

/// The pack an install writes, and what it leaves as it is: the notes the learner deleted and
/// the cards retired (by an edit, or with their deleted note). Read once per install, so that
/// each row is written by a single-row statement: an `INSERT … SELECT … WHERE NOT EXISTS` makes
/// SQLite keep a statement journal, a copy of every page each row touches (a tenth of a
/// 100k-note import).
#[derive(Debug, Default)]
pub struct Kept {
    pack: String,
    deleted_notes: HashSet<i64>,
    retired_cards: HashSet<i64>,
}

impl Kept {
    pub fn of_pack(conn: &Connection, pack: &str) -> Result<Kept> {
        let deleted_notes = super::notes::deleted_in_pack(conn, pack)?;
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM retired_cards WHERE note_id IN
               (SELECT id FROM notes WHERE pack_id = ?1 UNION ALL
                SELECT id FROM deleted_notes WHERE pack_id = ?1)",
        )?;
        let retired_cards = stmt
            .query_map([pack], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Kept {
            pack: pack.to_owned(),
            deleted_notes,
            retired_cards,
        })
    }

    pub fn is_deleted(&self, note: NoteId) -> bool {
        self.deleted_notes.contains(&note.0)
    }

    /// Whether the card stays out: retired, or of a deleted note.
    pub fn is_retired(&self, card: CardId, note: NoteId) -> bool {
        self.retired_cards.contains(&card.0) || self.is_deleted(note)
    }
}

/// Inserts a note, or updates its text and place: its id never changes, so progress stays.
/// A note the learner deleted stays deleted, with the pack's new text for undo to bring back
/// (unless they had edited it: then it comes back as they had it).
pub fn upsert_note(batch: &mut Batch, kept: &Kept, note: NoteId, row: NoteText) -> Result<()> {
    if kept.is_deleted(note) {
        batch
            .stmt(
                "UPDATE deleted_notes SET fields = ?2, position = ?3
                 WHERE id = ?1 AND pack_text IS NULL",
            )?
            .execute(rusqlite::params![note.0, row.fields, row.position])?;
        return Ok(());
    }
    const UPSERT: &str = "INSERT INTO notes (id, pack_id, key, kind, fields, position)
         VALUES (?1, ?2, ?3, ?4, pack_fields(?5), ?6)
         ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, position = excluded.position";
    let NoteText {
        key,
        kind,
        fields,
        position,
    } = row;
    batch.stmt(UPSERT)?.execute(rusqlite::params![
        note.0, kept.pack, key, kind, fields, position
    ])?;
    Ok(())
}

/// Inserts a note new to the collection, as [`upsert_note`] would, its fields packed already
/// ([`pack_value`](super::packed_fields::pack_value)): for a deck imported the first time,
/// whose notes cannot be there.
pub fn insert_note(batch: &mut Batch, kept: &Kept, note: NoteId, row: PackedNote) -> Result<()> {
    let PackedNote {
        key,
        kind,
        fields,
        position,
    } = row;
    batch
        .stmt(
            "INSERT INTO notes (id, pack_id, key, kind, fields, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(rusqlite::params![
            note.0, kept.pack, key, kind, fields, position
        ])?;
    Ok(())
}

/// A note's row with its fields packed.
#[derive(Debug, Clone, Copy)]
pub struct PackedNote<'a> {
    pub key: &'a str,
    pub kind: &'a str,
    pub fields: &'a [u8],
    pub position: i64,
}

/// A note's row as a pack gives it: its key, kind, fields (JSON) and place.
#[derive(Debug, Clone, Copy)]
pub struct NoteText<'a> {
    pub key: &'a str,
    pub kind: &'a str,
    pub fields: &'a str,
    pub position: i64,
}

/// Adds a new card in `queue`; false if it exists already (it keeps its schedule and queue).
/// The caller checks that it is not retired ([`Kept::is_retired`]).
pub fn insert_new_card(
    batch: &mut Batch,
    card: CardId,
    note: NoteId,
    template: &str,
    position: i64,
    queue: NewQueue,
) -> Result<bool> {
    let added = batch
        .stmt(
            "INSERT INTO cards (id, note_id, template, position, new_queue)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO NOTHING",
        )?
        .execute(rusqlite::params![card.0, note.0, template, position, queue])?;
    Ok(added == 1)
}

/// Moves a card to `position` in the new-card order, writing only if it moved.
pub fn reorder_card(batch: &mut Batch, card: CardId, position: i64) -> Result<()> {
    batch
        .stmt("UPDATE cards SET position = ?2 WHERE id = ?1 AND position != ?2")?
        .execute(rusqlite::params![card.0, position])?;
    Ok(())
}

/// Hides the pack's cards if the pack is disabled: its new cards stay hidden with the rest.
pub fn hide_if_disabled(conn: &Connection, pack: &str) -> Result<()> {
    conn.execute(
        "UPDATE cards SET hidden = hidden | ?2
         WHERE note_id IN (SELECT id FROM notes WHERE pack_id = ?1)
           AND (SELECT enabled FROM packs WHERE id = ?1) = 0",
        rusqlite::params![pack, super::Hidden::BY_PACK],
    )?;
    Ok(())
}

/// A pack's part kept by key beside its notes, each in its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Lesson,
    Area,
}

/// Inserts a lesson or area (`id` derived from its key), or updates its fields and place.
pub fn upsert_part(
    conn: &Connection,
    part: Part,
    id: NoteId,
    pack: &str,
    key: &str,
    fields: &str,
    position: i64,
) -> Result<()> {
    let sql = match part {
        Part::Lesson => {
            "INSERT INTO lessons (id, pack_id, key, fields, position) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, position = excluded.position"
        }
        Part::Area => {
            "INSERT INTO areas (id, pack_id, key, fields, position) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, position = excluded.position"
        }
    };
    conn.prepare_cached(sql)?
        .execute(rusqlite::params![id.0, pack, key, fields, position])?;
    Ok(())
}

/// Replaces the pack's media with `files` (path in the pack, bytes).
pub fn replace_media<'a, P: AsRef<str>>(
    conn: &Connection,
    pack: &str,
    files: impl IntoIterator<Item = (P, &'a [u8])>,
) -> Result<()> {
    // Images the learner pasted into the pack's notes (`media/mine-…`) stay.
    conn.execute(
        "DELETE FROM media WHERE pack_id = ?1 AND path NOT LIKE 'media/mine-%'",
        [pack],
    )?;
    let mut stmt = conn
        .prepare_cached("INSERT OR REPLACE INTO media (pack_id, path, data) VALUES (?1, ?2, ?3)")?;
    for (path, data) in files {
        stmt.execute(rusqlite::params![pack, path.as_ref(), data])?;
    }
    Ok(())
}
