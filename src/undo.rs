//! Undo for every undoable operation. While an operation runs, its [`Recorder`] keeps, before
//! anything changes, each card as it was (schedule, hidden bits, burial), plus the review row and
//! tags the operation added or removed and the settings it changed; the writers of
//! [`Tx`](crate::collection::Tx) call it, so no write can forget its undo. Undoing puts all of it
//! back in one transaction.

use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::collection::{Changes, Tx};
use crate::error::{Error, Result};
use crate::ids::{CardId, NoteId};
use crate::schedule::{Schedule, Scheduler};
use crate::settings::Settings;
use crate::store::cards::{self, CardRow};
use crate::store::{self, Hidden, UNDO_DEPTH};
use crate::study::card_view::{self, StudyCard};
use crate::study::queue::{self, Today};
use crate::study::status::{self, Status};

/// The undo step of an operation in progress. Its row is written at the first change, so an
/// operation that changes nothing leaves no step.
pub(crate) struct Recorder {
    action: &'static str,
    about: Option<CardId>,
    review: Option<i64>,
    step: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct UndoOutcome {
    /// What was undone: `answer`, or a card action's name.
    pub action: String,
    /// The card the step was about; null when it was about several cards.
    #[ts(type = "number | null")]
    pub card_id: Option<CardId>,
    /// How many cards the undone step changed.
    pub cards: u32,
    pub status: Status,
    /// The card the step was about, ready to study again; null when the step was about several
    /// cards, or the card is not studiable now.
    pub card: Option<StudyCard>,
}

/// An undone step: what it was and the cards it gave back.
pub(crate) struct Undone {
    pub action: String,
    /// The card the step was about, if one.
    pub card: Option<CardId>,
    pub cards: Vec<CardId>,
}

impl Recorder {
    pub fn new(action: &'static str) -> Recorder {
        Recorder {
            action,
            about: None,
            review: None,
            step: None,
        }
    }

    pub fn about(&mut self, card: CardId) {
        debug_assert!(
            self.step.is_none(),
            "say what a step is about before changing anything"
        );
        self.about = Some(card);
    }

    /// The step's row id, writing the row first if this is the step's first change.
    fn step(&mut self, tx: &Transaction) -> Result<i64> {
        if let Some(id) = self.step {
            return Ok(id);
        }
        tx.prepare_cached(
            "INSERT INTO undo_actions (action, card_id, revlog_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(rusqlite::params![
            self.action,
            self.about.map(|c| c.0),
            self.review
        ])?;
        let id = tx.last_insert_rowid();
        // Only the last UNDO_DEPTH steps are kept; their card rows go with them (cascade).
        tx.prepare_cached("DELETE FROM undo_actions WHERE id <= ?1 - ?2")?
            .execute([id, UNDO_DEPTH])?;
        self.step = Some(id);
        Ok(id)
    }

    /// Remembers `card` as it is now; the first snapshot of a card in a step wins.
    pub fn save_card(&mut self, tx: &Transaction, card: &CardRow) -> Result<()> {
        let step = self.step(tx)?;
        tx.prepare_cached(
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

    /// Remembers the hidden bits of the cards `filter` selects (`?2`… bound to `params`): a
    /// burial changes nothing else of them.
    pub fn save_cards_where(
        &mut self,
        tx: &Transaction,
        filter: &str,
        params: &[i64],
    ) -> Result<()> {
        let mut values = vec![self.step(tx)?];
        values.extend_from_slice(params);
        tx.prepare_cached(&format!(
            "INSERT OR IGNORE INTO undo_cards (action_id, card_id, schedule, hidden, buried_until)
             SELECT ?1, id, NULL, hidden, buried_until FROM cards WHERE {filter}"
        ))?
        .execute(rusqlite::params_from_iter(&values))?;
        Ok(())
    }

    /// The answer's review row, which undo deletes.
    pub fn review_added(&mut self, tx: &Transaction, revlog: i64) -> Result<()> {
        match self.step {
            // Logged first (as answering does), it goes into the step's row as it is written.
            None => self.review = Some(revlog),
            Some(step) => {
                tx.prepare_cached("UPDATE undo_actions SET revlog_id = ?2 WHERE id = ?1")?
                    .execute([step, revlog])?;
            }
        }
        Ok(())
    }

    pub fn tag_added(&mut self, tx: &Transaction, note: NoteId, tag: &str) -> Result<()> {
        self.save_tag(tx, note, tag, false)
    }

    pub fn tag_removed(&mut self, tx: &Transaction, note: NoteId, tag: &str) -> Result<()> {
        self.save_tag(tx, note, tag, true)
    }

    fn save_tag(&mut self, tx: &Transaction, note: NoteId, tag: &str, removed: bool) -> Result<()> {
        let step = self.step(tx)?;
        tx.prepare_cached(
            "INSERT INTO undo_tags (action_id, note_id, tag, removed) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(rusqlite::params![step, note.0, tag, removed])?;
        Ok(())
    }

    /// Remembers the values `before` had for the settings `after` changes.
    pub fn save_settings(
        &mut self,
        tx: &Transaction,
        before: &Settings,
        after: &Settings,
    ) -> Result<()> {
        let mut saved = serde_json::Map::new();
        for key in Settings::keys() {
            let was = before.get(&key)?;
            if was != after.get(&key)? {
                saved.insert(key, was);
            }
        }
        if saved.is_empty() {
            return Ok(());
        }
        let step = self.step(tx)?;
        tx.prepare_cached("UPDATE undo_actions SET settings_before = ?2 WHERE id = ?1")?
            .execute(rusqlite::params![step, Value::Object(saved).to_string()])?;
        Ok(())
    }
}

/// Undoes the newest step, if there is one.
pub(crate) fn undo_last(tx: &mut Tx) -> Result<Option<Undone>> {
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
    let tags: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM undo_tags WHERE action_id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    let tx = tx.raw(Changes {
        cards: true,
        notes: tags,
        revlog: revlog_id.is_some(),
        settings: settings_before.is_some(),
        ..Changes::NONE
    });
    let unreadable = |e: serde_json::Error| {
        Error::corrupt(format!("undo step {id} ({action}) cannot be read: {e}"))
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
            Hidden::BY_PACK,
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

/// What the learner sees after undoing `undone`: the status, and the card it was about when that
/// card can be studied again now.
pub(crate) fn outcome(
    conn: &Connection,
    scheduler: &Scheduler,
    today: &Today,
    undone: Undone,
    now: DateTime<FixedOffset>,
) -> Result<Option<UndoOutcome>> {
    let counts = queue::counts(conn, today)?;
    let card = match undone.card {
        Some(id) => {
            let row = cards::get_card(conn, id)?;
            let studiable = row.hidden.is_visible() && queue::is_answerable(&row.schedule, today);
            if studiable {
                Some(card_view::study_card(conn, scheduler, id, now, counts)?)
            } else {
                None
            }
        }
        None => None,
    };
    Ok(Some(UndoOutcome {
        action: undone.action,
        card_id: undone.card,
        cards: undone.cards.len() as u32,
        status: status::status(conn, counts, now)?,
        card,
    }))
}
