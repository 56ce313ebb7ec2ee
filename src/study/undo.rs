//! Undo for every action on cards. A step records, before the action changes anything, each card
//! as it was (schedule, hidden bits, burial), plus the review row and tags the action added and
//! any settings it changed. Undoing puts all of it back in one transaction.

use rusqlite::{OptionalExtension, Transaction};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::ids::{CardId, NoteId};
use crate::schedule::Schedule;
use crate::store::cards::{self, CardRow, HIDDEN_BURIED, HIDDEN_BY_PACK};
use crate::store::{self, UNDO_DEPTH};

/// An undo step being recorded; the action's changes follow in the same transaction.
pub(crate) struct Step<'t> {
    tx: &'t Transaction<'t>,
    id: i64,
}

/// An undone step: what it was and the cards it gave back.
pub(crate) struct Undone {
    pub action: String,
    /// The card the step was about, if one.
    pub card: Option<CardId>,
    pub cards: Vec<CardId>,
}

impl<'t> Step<'t> {
    /// `card` is the card the action is about, when there is one (the answered card);
    /// `revlog` the review row an answer added.
    pub fn begin(
        tx: &'t Transaction<'t>,
        action: &str,
        card: Option<CardId>,
        revlog: Option<i64>,
    ) -> Result<Step<'t>> {
        tx.prepare_cached(
            "INSERT INTO undo_actions (action, card_id, revlog_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(rusqlite::params![action, card.map(|c| c.0), revlog])?;
        let id = tx.last_insert_rowid();
        // Only the last UNDO_DEPTH steps are kept; their card rows go with them (cascade).
        tx.prepare_cached("DELETE FROM undo_actions WHERE id <= ?1 - ?2")?
            .execute([id, UNDO_DEPTH])?;
        Ok(Step { tx, id })
    }

    /// Remembers `card` as it is now; the first snapshot of a card in a step wins.
    pub fn save_card(&self, card: &CardRow) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO undo_cards (action_id, card_id, schedule, hidden, buried_until)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(rusqlite::params![
                self.id,
                card.id.0,
                serde_json::to_string(&card.schedule).expect("schedules serialize"),
                card.hidden,
                card.buried_until,
            ])?;
        Ok(())
    }

    /// Buries the cards `filter` selects (a `WHERE` clause over `cards` with `?2`… as its
    /// parameters), remembering only their hidden bits: their schedules do not change.
    pub fn bury_where(&self, filter: &str, params: &[i64], until: i64) -> Result<usize> {
        let mut values = vec![self.id];
        values.extend_from_slice(params);
        self.tx
            .prepare_cached(&format!(
                "INSERT OR IGNORE INTO undo_cards (action_id, card_id, schedule, hidden, buried_until)
                 SELECT ?1, id, NULL, hidden, buried_until FROM cards WHERE {filter}"
            ))?
            .execute(rusqlite::params_from_iter(&values))?;
        values[0] = until;
        Ok(self
            .tx
            .prepare_cached(&format!(
                "UPDATE cards SET hidden = hidden | {HIDDEN_BURIED}, buried_until = ?1 WHERE {filter}"
            ))?
            .execute(rusqlite::params_from_iter(&values))?)
    }

    /// Adds `tag` to the note, to be removed on undo; false if the note had it already.
    pub fn add_tag(&self, note: NoteId, tag: &str) -> Result<bool> {
        let added = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO note_tags (note_id, tag) VALUES (?1, ?2)")?
            .execute(rusqlite::params![note.0, tag])?;
        if added > 0 {
            self.tx
                .prepare_cached(
                    "INSERT INTO undo_tags (action_id, note_id, tag) VALUES (?1, ?2, ?3)",
                )?
                .execute(rusqlite::params![self.id, note.0, tag])?;
        }
        Ok(added > 0)
    }

    /// Removes `tag` from the note, to be put back on undo; false if the note did not have it.
    pub fn remove_tag(&self, note: NoteId, tag: &str) -> Result<bool> {
        let removed = self
            .tx
            .prepare_cached("DELETE FROM note_tags WHERE note_id = ?1 AND tag = ?2")?
            .execute(rusqlite::params![note.0, tag])?;
        if removed > 0 {
            self.tx
                .prepare_cached(
                    "INSERT INTO undo_tags (action_id, note_id, tag, removed) VALUES (?1, ?2, ?3, 1)",
                )?
                .execute(rusqlite::params![self.id, note.0, tag])?;
        }
        Ok(removed > 0)
    }

    /// Remembers the settings' values for `keys` before the action changes them.
    pub fn save_settings(&self, before: &crate::settings::Settings, keys: &[&str]) -> Result<()> {
        let mut saved = serde_json::Map::new();
        for key in keys {
            saved.insert((*key).to_owned(), before.get(key)?);
        }
        self.tx
            .prepare_cached("UPDATE undo_actions SET settings_before = ?2 WHERE id = ?1")?
            .execute(rusqlite::params![self.id, Value::Object(saved).to_string()])?;
        Ok(())
    }
}

/// Undoes the newest step, if there is one.
pub(crate) fn undo_last(tx: &Transaction) -> Result<Option<Undone>> {
    type Row = (i64, String, Option<i64>, Option<i64>, Option<String>);
    let step: Option<Row> = tx
        .query_row(
            "SELECT id, action, card_id, revlog_id, settings_before FROM undo_actions
             ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((id, action, card, revlog_id, settings_before)) = step else {
        return Ok(None);
    };
    let unreadable = |e: serde_json::Error| {
        Error::InvalidInput(format!("undo step {id} ({action}) cannot be read: {e}"))
    };
    let saved: Vec<(i64, Option<String>, i64, Option<i64>)> = tx
        .prepare_cached(
            "SELECT card_id, schedule, hidden, buried_until FROM undo_cards
             WHERE action_id = ?1 ORDER BY card_id",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut restored = Vec::with_capacity(saved.len());
    for (card_id, schedule, hidden, buried_until) in saved {
        if let Some(schedule) = schedule {
            let schedule: Schedule = serde_json::from_str(&schedule).map_err(unreadable)?;
            cards::write_schedule(tx, CardId(card_id), &schedule)?;
        }
        // Whether the card's pack is enabled is the pack's business, not this step's.
        tx.prepare_cached(
            "UPDATE cards SET hidden = (hidden & ?2) | (?3 & ~?2), buried_until = ?4
             WHERE id = ?1",
        )?
        .execute(rusqlite::params![
            card_id,
            HIDDEN_BY_PACK,
            hidden,
            buried_until
        ])?;
        restored.push(CardId(card_id));
    }
    if let Some(revlog_id) = revlog_id {
        store::revlog::delete(tx, revlog_id)?;
    }
    tx.prepare_cached(
        "DELETE FROM note_tags WHERE (note_id, tag) IN
           (SELECT note_id, tag FROM undo_tags WHERE action_id = ?1 AND removed = 0)",
    )?
    .execute([id])?;
    tx.prepare_cached(
        "INSERT OR IGNORE INTO note_tags (note_id, tag)
           SELECT note_id, tag FROM undo_tags WHERE action_id = ?1 AND removed = 1",
    )?
    .execute([id])?;
    if let Some(before) = settings_before {
        let before: serde_json::Map<String, Value> =
            serde_json::from_str(&before).map_err(unreadable)?;
        let mut settings = serde_json::to_value(store::read_settings(tx)?).map_err(unreadable)?;
        for (key, value) in before {
            settings[key] = value;
        }
        let settings = serde_json::from_value(settings).map_err(unreadable)?;
        store::write_settings(tx, &settings)?;
    }
    tx.prepare_cached("DELETE FROM undo_actions WHERE id = ?1")?
        .execute([id])?;
    Ok(Some(Undone {
        action,
        card: card.map(CardId),
        cards: restored,
    }))
}

/// Forgets the steps that touch any of `cards` (their cards are being deleted).
pub(crate) fn forget_cards(tx: &Transaction, cards_sql: &str, pack: &str) -> Result<()> {
    tx.execute(
        &format!(
            "DELETE FROM undo_actions WHERE id IN
               (SELECT action_id FROM undo_cards WHERE card_id IN ({cards_sql}))"
        ),
        [pack],
    )?;
    Ok(())
}
