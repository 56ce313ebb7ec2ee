//! The rows of notes the learner writes, edits and deletes: personal packs, a note's place
//! among its cards (live or retired), deleted notes kept for undo, and the snapshots undo keeps.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::ids::{CardId, NoteId};

/// A note's row as kept, whether live or deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteRecord {
    pub id: NoteId,
    pub pack_id: String,
    pub key: String,
    pub kind: String,
    /// JSON; its shape depends on `kind`.
    pub fields: String,
    pub position: i64,
    /// JSON object: the pack's value of each field the learner changed; `None` for a note as
    /// its pack has it (and for the learner's own notes).
    pub pack_text: Option<String>,
}

/// A note's columns as [`row_to_note`] reads them, from `notes` (whose fields are packed:
/// `store/packed_fields.rs`).
const NOTE_COLUMNS: &str = "id, pack_id, key, kind, unpack_fields(fields), position, pack_text";
/// The same from `deleted_notes`, which keeps the JSON text.
const DELETED_COLUMNS: &str = "id, pack_id, key, kind, fields, position, pack_text";

fn row_to_note(r: &rusqlite::Row) -> rusqlite::Result<NoteRecord> {
    Ok(NoteRecord {
        id: NoteId(r.get(0)?),
        pack_id: r.get(1)?,
        key: r.get(2)?,
        kind: r.get(3)?,
        fields: r.get(4)?,
        position: r.get(5)?,
        pack_text: r.get(6)?,
    })
}

/// The live note `id`, if there is one.
pub fn get(conn: &Connection, id: NoteId) -> Result<Option<NoteRecord>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {NOTE_COLUMNS} FROM notes WHERE id = ?1"))?
        .query_row([id.0], row_to_note)
        .optional()?)
}

/// The deleted note `id` and its tags then, if it was deleted.
pub fn get_deleted(conn: &Connection, id: NoteId) -> Result<Option<(NoteRecord, Vec<String>)>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {DELETED_COLUMNS}, tags FROM deleted_notes WHERE id = ?1"
        ))?
        .query_row([id.0], |r| {
            let tags: String = r.get(7)?;
            Ok((
                row_to_note(r)?,
                serde_json::from_str(&tags).unwrap_or_default(),
            ))
        })
        .optional()?)
}

/// Inserts the note, or replaces its text, place and pack text.
pub fn put(conn: &Connection, note: &NoteRecord) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO notes (id, pack_id, key, kind, fields, position, pack_text)
         VALUES (?1, ?2, ?3, ?4, pack_fields(?5), ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, fields = excluded.fields,
           position = excluded.position, pack_text = excluded.pack_text",
    )?
    .execute(rusqlite::params![
        note.id.0,
        note.pack_id,
        note.key,
        note.kind,
        note.fields,
        note.position,
        note.pack_text
    ])?;
    Ok(())
}

/// Moves a live note (whose cards are retired already) to `deleted_notes` with its tags.
pub fn move_to_deleted(conn: &Connection, id: NoteId, tags: &[String]) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO deleted_notes ({DELETED_COLUMNS}, tags)
         SELECT {NOTE_COLUMNS}, ?2 FROM notes WHERE id = ?1"
    ))?
    .execute(rusqlite::params![
        id.0,
        serde_json::to_string(tags).expect("tags serialize")
    ])?;
    conn.prepare_cached("DELETE FROM notes WHERE id = ?1")?
        .execute([id.0])?;
    Ok(())
}

/// Forgets that note `id` was deleted (it is live again, or never existed).
pub fn forget_deleted(conn: &Connection, id: NoteId) -> Result<()> {
    conn.prepare_cached("DELETE FROM deleted_notes WHERE id = ?1")?
        .execute([id.0])?;
    Ok(())
}

/// Deletes a live note outright (undo of its creation): its cards and tags go with it.
pub fn purge(conn: &Connection, id: NoteId) -> Result<()> {
    super::search_index::forget_note_cards(conn, id)?;
    conn.prepare_cached("DELETE FROM retired_cards WHERE note_id = ?1")?
        .execute([id.0])?;
    conn.prepare_cached("DELETE FROM cards WHERE note_id = ?1")?
        .execute([id.0])?;
    conn.prepare_cached("DELETE FROM notes WHERE id = ?1")?
        .execute([id.0])?;
    forget_deleted(conn, id)
}

/// The ids of the deleted notes of `pack`: an update of the pack leaves them deleted.
pub fn deleted_in_pack(conn: &Connection, pack: &str) -> Result<std::collections::HashSet<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM deleted_notes WHERE pack_id = ?1")?;
    let ids = stmt.query_map([pack], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// The notes of `pack` the learner edited: an update of the pack keeps their edits.
pub fn edited_in_pack(conn: &Connection, pack: &str) -> Result<Vec<NoteRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {NOTE_COLUMNS} FROM notes WHERE pack_id = ?1 AND pack_text IS NOT NULL"
    ))?;
    let rows = stmt.query_map([pack], row_to_note)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The notes the learner made their own: those of personal packs, the pack notes they edited,
/// and the notes they deleted.
pub fn authored(conn: &Connection) -> Result<Vec<NoteId>> {
    let mut stmt = conn.prepare(
        "SELECT n.id FROM notes n JOIN packs p ON p.id = n.pack_id
         WHERE p.personal = 1 OR n.pack_text IS NOT NULL
            OR EXISTS (SELECT 1 FROM retired_cards r WHERE r.note_id = n.id)
         UNION SELECT id FROM deleted_notes ORDER BY 1",
    )?;
    let ids = stmt.query_map([], |r| Ok(NoteId(r.get(0)?)))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// A note's cards by template: those it asks now and those it retired.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteCards {
    pub live: Vec<(CardId, String)>,
    pub retired: Vec<(CardId, String)>,
}

pub fn cards_of(conn: &Connection, note: NoteId) -> Result<NoteCards> {
    // Sorted here: `ORDER BY id` would have SQLite walk every card in id order instead of
    // looking up the note's few by the index on (note_id, template).
    let read = |sql: &str| -> Result<Vec<(CardId, String)>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([note.0], |r| Ok((CardId(r.get(0)?), r.get(1)?)))?;
        let mut cards: Vec<(CardId, String)> = rows.collect::<rusqlite::Result<_>>()?;
        cards.sort_unstable();
        Ok(cards)
    };
    Ok(NoteCards {
        live: read("SELECT id, template FROM cards WHERE note_id = ?1")?,
        retired: read("SELECT id, template FROM retired_cards WHERE note_id = ?1")?,
    })
}

const CARD_ROW: &str = "id, note_id, template, position, state, due, stability, difficulty, \
                        step, interval_days, last_review, reps, lapses, new_queue, hidden, \
                        buried_until";

/// Takes a card out of study, keeping its schedule in `retired_cards`.
pub fn retire_card(conn: &Connection, card: CardId) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO retired_cards ({CARD_ROW}) SELECT {CARD_ROW} FROM cards WHERE id = ?1"
    ))?
    .execute([card.0])?;
    // (Before the row goes: it says where the index has the card.)
    forget_indexed(conn, card)?;
    conn.prepare_cached("DELETE FROM cards WHERE id = ?1")?
        .execute([card.0])?;
    Ok(())
}

/// Brings a retired card back as it was (hidden with its pack if the pack is off now).
pub fn restore_card(conn: &Connection, card: CardId) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO cards ({CARD_ROW}) SELECT {CARD_ROW} FROM retired_cards WHERE id = ?1"
    ))?
    .execute([card.0])?;
    conn.prepare_cached("DELETE FROM retired_cards WHERE id = ?1")?
        .execute([card.0])?;
    match_pack_bit(conn, card)
}

/// Gives a card its pack's hidden bit: set while the pack is disabled, clear while it is on
/// (a card made or brought back while its pack is off stays out of study with the rest).
pub fn match_pack_bit(conn: &Connection, card: CardId) -> Result<()> {
    conn.prepare_cached(
        "UPDATE cards SET hidden = CASE
           WHEN (SELECT p.enabled FROM packs p JOIN notes n ON n.pack_id = p.id
                 WHERE n.id = cards.note_id) = 0 THEN hidden | ?2
           ELSE hidden & ~?2 END
         WHERE id = ?1",
    )?
    .execute(rusqlite::params![card.0, super::Hidden::BY_PACK])?;
    Ok(())
}

/// Whether a live card was ever answered.
pub fn is_studied(conn: &Connection, card: CardId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT reps > 0 OR state != 0 FROM cards WHERE id = ?1")?
        .query_row([card.0], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

/// Deletes a card outright, live or retired (undo of the step that made it).
pub fn delete_card(conn: &Connection, card: CardId) -> Result<()> {
    forget_indexed(conn, card)?;
    conn.prepare_cached("DELETE FROM cards WHERE id = ?1")?
        .execute([card.0])?;
    conn.prepare_cached("DELETE FROM retired_cards WHERE id = ?1")?
        .execute([card.0])?;
    Ok(())
}

/// Drops a card from the browser's index (while its row is there: it says where).
pub fn forget_indexed(conn: &Connection, card: CardId) -> Result<()> {
    super::search_index::forget_where(conn, "id = ?1", [card.0])
}

/// The position a card the learner writes takes: after the other new cards that come first
/// (read from the new-card index, not a scan of every card).
pub fn next_card_position(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(max(position) + 1, 0) FROM cards
             WHERE new_queue = 0 AND state = 0 AND hidden = 0",
        )?
        .query_row([], |r| r.get(0))?)
}

/// Whether pack `id` is one the learner made in the app.
pub fn is_personal(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT personal FROM packs WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

/// Makes a personal pack (nothing if it exists).
pub fn create_personal_pack(
    conn: &Connection,
    manifest: &crate::content::Manifest,
    now_ms: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO packs (id, name, version, content_hash, installed_at, manifest, personal)
         VALUES (?1, ?2, ?3, '', ?4, ?5, 1) ON CONFLICT (id) DO NOTHING",
    )?
    .execute(rusqlite::params![
        manifest.id,
        manifest.name,
        manifest.version,
        now_ms,
        serde_json::to_string(manifest).expect("manifests serialize")
    ])?;
    Ok(())
}

/// The personal packs: id and name, by name.
pub fn personal_packs(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name FROM packs WHERE personal = 1 ORDER BY name, id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds a media file to a pack (nothing if the path holds it already).
pub fn add_media(conn: &Connection, pack: &str, path: &str, data: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO media (pack_id, path, data) VALUES (?1, ?2, ?3)")?
        .execute(rusqlite::params![pack, path, data])?;
    Ok(())
}

/// Keeps `before` (JSON, or `None`: the note did not exist) as note `note` was when undo step
/// `step` first touched it; the first snapshot wins.
pub fn save_snapshot(
    conn: &Connection,
    step: i64,
    note: NoteId,
    before: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO undo_notes (action_id, note_id, before) VALUES (?1, ?2, ?3)",
    )?
    .execute(rusqlite::params![step, note.0, before])?;
    Ok(())
}

/// The notes step `step` kept, with their snapshots.
pub fn snapshots(conn: &Connection, step: i64) -> Result<Vec<(NoteId, Option<String>)>> {
    let mut stmt =
        conn.prepare_cached("SELECT note_id, before FROM undo_notes WHERE action_id = ?1")?;
    let rows = stmt.query_map([step], |r| Ok((NoteId(r.get(0)?), r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
