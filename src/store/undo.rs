//! The undo steps' tables: `undo_actions` (one row a step), `undo_cards` (each card as it was),
//! `undo_tags` (tags a step added or removed). What a step means is `crate::undo`'s business;
//! this is how it is kept.

use rusqlite::{Connection, OptionalExtension};

use super::cards::CardRow;
use super::revlog::AnswerId;
use super::{Hidden, UNDO_DEPTH};
use crate::error::Result;
use crate::ids::{CardId, NoteId};

/// A step as kept.
pub struct StepRow {
    pub id: i64,
    pub action: String,
    pub card: Option<CardId>,
    /// The answer the step logged.
    pub review: Option<AnswerId>,
    /// JSON: the settings' values before the step, by key.
    pub settings_before: Option<String>,
    /// Whether the step added or removed tags.
    pub tags: bool,
}

/// A card as a step saved it: its schedule as JSON (none when only its hidden bits changed).
pub struct SavedCard {
    pub card: CardId,
    pub schedule: Option<String>,
    pub hidden: Hidden,
    pub buried_until: Option<i64>,
}

/// Writes a new step and forgets the ones past [`UNDO_DEPTH`] (their cards and tags go with them).
pub fn insert_step(
    conn: &Connection,
    action: &str,
    card: Option<CardId>,
    review: Option<AnswerId>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO undo_actions (action, card_id, review_card, review_uuid)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(rusqlite::params![
        action,
        card.map(|c| c.0),
        review.map(|r| r.card.0),
        review.as_ref().map(|r| r.uuid.as_bytes().as_slice()),
    ])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("DELETE FROM undo_actions WHERE id <= ?1 - ?2")?
        .execute([id, UNDO_DEPTH])?;
    Ok(id)
}

/// Keeps `card` as it is in step `step`; the first copy of a card in a step wins.
pub fn save_card(conn: &Connection, step: i64, card: &CardRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO undo_cards (action_id, card_id, schedule, hidden, buried_until)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(rusqlite::params![
        step,
        card.id.0,
        serde_json::to_string(&card.schedule).expect("schedules serialize"),
        card.hidden,
        card.buried_until,
    ])?;
    Ok(())
}

/// Keeps the hidden bits of the cards `filter` selects (`?2`… bound to `params`).
pub fn save_hidden_where(conn: &Connection, step: i64, filter: &str, params: &[i64]) -> Result<()> {
    let mut values = vec![step];
    values.extend_from_slice(params);
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO undo_cards (action_id, card_id, schedule, hidden, buried_until)
         SELECT ?1, id, NULL, hidden, buried_until FROM cards WHERE {filter}"
    ))?
    .execute(rusqlite::params_from_iter(&values))?;
    Ok(())
}

/// The answer the step logged.
pub fn set_review(conn: &Connection, step: i64, review: AnswerId) -> Result<()> {
    conn.prepare_cached(
        "UPDATE undo_actions SET review_card = ?2, review_uuid = ?3 WHERE id = ?1",
    )?
    .execute(rusqlite::params![
        step,
        review.card.0,
        review.uuid.as_bytes().as_slice()
    ])?;
    Ok(())
}

/// A tag the step added (`removed` false) or took off.
pub fn save_tag(
    conn: &Connection,
    step: i64,
    note: NoteId,
    tag: &str,
    removed: bool,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO undo_tags (action_id, note_id, tag, removed) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(rusqlite::params![step, note.0, tag, removed])?;
    Ok(())
}

/// The settings' values before the step (JSON, by key).
pub fn set_settings_before(conn: &Connection, step: i64, json: &str) -> Result<()> {
    conn.prepare_cached("UPDATE undo_actions SET settings_before = ?2 WHERE id = ?1")?
        .execute(rusqlite::params![step, json])?;
    Ok(())
}

/// The newest step, if any.
pub fn last_step(conn: &Connection) -> Result<Option<StepRow>> {
    Ok(conn
        .query_row(
            "SELECT id, action, card_id, settings_before,
                    EXISTS (SELECT 1 FROM undo_tags t WHERE t.action_id = a.id),
                    review_card, review_uuid
             FROM undo_actions a ORDER BY id DESC LIMIT 1",
            [],
            |r| {
                Ok(StepRow {
                    id: r.get(0)?,
                    action: r.get(1)?,
                    card: r.get::<_, Option<i64>>(2)?.map(CardId),
                    settings_before: r.get(3)?,
                    tags: r.get(4)?,
                    review: match r.get_ref(5)? {
                        rusqlite::types::ValueRef::Null => None,
                        _ => Some(AnswerId::from_row(r, 5)?),
                    },
                })
            },
        )
        .optional()?)
}

/// The cards step `step` saved, by id.
pub fn saved_cards(conn: &Connection, step: i64) -> Result<Vec<SavedCard>> {
    Ok(conn
        .prepare_cached(
            "SELECT card_id, schedule, hidden, buried_until FROM undo_cards
             WHERE action_id = ?1 ORDER BY card_id",
        )?
        .query_map([step], |r| {
            Ok(SavedCard {
                card: CardId(r.get(0)?),
                schedule: r.get(1)?,
                hidden: r.get(2)?,
                buried_until: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Puts back a card's hidden bits and burial as saved, except whether its pack is enabled: that
/// is the pack's business, not the step's.
pub fn restore_hidden(conn: &Connection, saved: &SavedCard) -> Result<()> {
    conn.prepare_cached(
        "UPDATE cards SET hidden = (hidden & ?2) | (?3 & ~?2), buried_until = ?4 WHERE id = ?1",
    )?
    .execute(rusqlite::params![
        saved.card.0,
        Hidden::BY_PACK,
        saved.hidden,
        saved.buried_until
    ])?;
    Ok(())
}

/// Takes off the tags step `step` added and puts back those it removed.
pub fn restore_tags(conn: &Connection, step: i64) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM note_tags WHERE (note_id, tag_id) IN
           (SELECT u.note_id, t.id FROM undo_tags u JOIN tags t ON t.name = u.tag
            WHERE u.action_id = ?1 AND u.removed = 0)",
    )?
    .execute([step])?;
    conn.prepare_cached(
        "INSERT OR IGNORE INTO tags (name)
           SELECT tag FROM undo_tags WHERE action_id = ?1 AND removed = 1",
    )?
    .execute([step])?;
    conn.prepare_cached(
        "INSERT OR IGNORE INTO note_tags (note_id, tag_id)
           SELECT u.note_id, t.id FROM undo_tags u JOIN tags t ON t.name = u.tag
           WHERE u.action_id = ?1 AND u.removed = 1",
    )?
    .execute([step])?;
    Ok(())
}

pub fn delete_step(conn: &Connection, step: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM undo_actions WHERE id = ?1")?
        .execute([step])?;
    Ok(())
}

/// Forgets the steps that touch any of the cards `cards_sql` selects (`?1` bound to `pack`):
/// those cards are being deleted.
pub fn forget_cards(conn: &Connection, cards_sql: &str, pack: &str) -> Result<()> {
    conn.execute(
        &format!(
            "DELETE FROM undo_actions WHERE id IN
               (SELECT action_id FROM undo_cards WHERE card_id IN ({cards_sql}))"
        ),
        [pack],
    )?;
    Ok(())
}

/// Forgets the steps that wrote notes of pack `pack` (live or deleted; it is being removed).
pub fn forget_notes_of_pack(conn: &Connection, pack: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM undo_actions WHERE id IN
           (SELECT action_id FROM undo_notes WHERE note_id IN
              (SELECT id FROM notes WHERE pack_id = ?1
               UNION SELECT id FROM deleted_notes WHERE pack_id = ?1))",
        [pack],
    )?;
    Ok(())
}

/// The notes whose tags a step changed.
pub fn tag_notes(conn: &Connection, step: i64) -> Result<Vec<crate::ids::NoteId>> {
    Ok(conn
        .prepare_cached("SELECT DISTINCT note_id FROM undo_tags WHERE action_id = ?1")?
        .query_map([step], |r| Ok(crate::ids::NoteId(r.get(0)?)))?
        .collect::<rusqlite::Result<_>>()?)
}
