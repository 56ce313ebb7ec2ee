//! Undo for every undoable operation. While an operation runs, its [`Recorder`] keeps, before
//! anything changes, each card as it was (schedule, hidden bits, burial), plus the review row and
//! tags the operation added or removed and the settings it changed; the writers of
//! [`Tx`](crate::collection::Tx) call it, so no write can forget its undo. Undoing puts all of it
//! back in one transaction.

use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, Transaction};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::collection::{Changes, Tx};
use crate::error::{Error, Result};
use crate::ids::{CardId, NoteId};
use crate::schedule::{Schedule, Scheduler};
use crate::settings::Settings;
use crate::store::cards::{self, CardRow};
use crate::store::undo as kept;
use crate::store::{self, AnswerId};
use crate::study::card_view::{self, StudyCard};
use crate::study::queue::{self, Today};
use crate::study::status::{self, Status};

/// The undo step of an operation in progress. Its row is written at the first change, so an
/// operation that changes nothing leaves no step.
pub(crate) struct Recorder {
    action: &'static str,
    about: Option<CardId>,
    review: Option<AnswerId>,
    step: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct UndoOutcome {
    /// What was undone: `answer`, or a card action's name.
    pub action: String,
    /// The card the step was about; null when it was about several cards.
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
        let id = kept::insert_step(tx, self.action, self.about, self.review)?;
        self.step = Some(id);
        Ok(id)
    }

    /// Remembers `card` as it is now; the first snapshot of a card in a step wins.
    pub fn save_card(&mut self, tx: &Transaction, card: &CardRow) -> Result<()> {
        let step = self.step(tx)?;
        kept::save_card(tx, step, card)
    }

    /// Remembers the hidden bits of the cards `filter` selects (`?2`… bound to `params`): a
    /// burial changes nothing else of them.
    pub fn save_cards_where(
        &mut self,
        tx: &Transaction,
        filter: &str,
        params: &[i64],
    ) -> Result<()> {
        let step = self.step(tx)?;
        kept::save_hidden_where(tx, step, filter, params)
    }

    /// The answer's review row, which undo deletes.
    pub fn review_added(&mut self, tx: &Transaction, review: AnswerId) -> Result<()> {
        match self.step {
            // Logged first (as answering does), it goes into the step's row as it is written.
            None => {
                self.review = Some(review);
                Ok(())
            }
            Some(step) => kept::set_review(tx, step, review),
        }
    }

    /// Remembers note `note` as it is, before the step's first change to it.
    pub fn save_note(&mut self, tx: &Transaction, note: NoteId) -> Result<()> {
        let step = self.step(tx)?;
        let before = crate::notes::write::snapshot(tx, note)?;
        store::notes::save_snapshot(tx, step, note, before.as_deref())
    }

    pub fn tag_added(&mut self, tx: &Transaction, note: NoteId, tag: &str) -> Result<()> {
        let step = self.step(tx)?;
        kept::save_tag(tx, step, note, tag, false)
    }

    pub fn tag_removed(&mut self, tx: &Transaction, note: NoteId, tag: &str) -> Result<()> {
        let step = self.step(tx)?;
        kept::save_tag(tx, step, note, tag, true)
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
        kept::set_settings_before(tx, step, &Value::Object(saved).to_string())
    }
}

/// Undoes the newest step, if there is one.
pub(crate) fn undo_last(tx: &mut Tx) -> Result<Option<Undone>> {
    let Some(step) = kept::last_step(tx)? else {
        return Ok(None);
    };
    let saved = kept::saved_cards(tx, step.id)?;
    let notes = kept::tag_notes(tx, step.id)?;
    let contents = store::notes::snapshots(tx, step.id)?;
    let content_ids: Vec<NoteId> = contents.iter().map(|(n, _)| *n).collect();
    let ids: Vec<CardId> = saved.iter().map(|c| c.card).collect();
    // A card action that set a schedule (an answer's is taken back with the answer).
    let rescheduled: Vec<CardId> = match step.review {
        Some(_) => Vec::new(),
        None => saved
            .iter()
            .filter(|c| c.schedule.is_some())
            .map(|c| c.card)
            .collect(),
    };
    tx.undoing(
        &ids,
        &rescheduled,
        &notes,
        &content_ids,
        step.settings_before.is_some(),
        step.review,
    )?;
    let tx = tx.raw(Changes {
        cards: true,
        notes: step.tags || !contents.is_empty(),
        revlog: step.review.is_some(),
        settings: step.settings_before.is_some(),
        ..Changes::NONE
    });
    let unreadable = |e: serde_json::Error| {
        Error::corrupt(format!(
            "undo step {} ({}) cannot be read: {e}",
            step.id, step.action
        ))
    };
    let mut restored = Vec::with_capacity(saved.len());
    for card in saved {
        if let Some(schedule) = &card.schedule {
            let schedule: Schedule = serde_json::from_str(schedule).map_err(unreadable)?;
            cards::write_schedule(tx, card.card, &schedule)?;
        }
        kept::restore_hidden(tx, &card)?;
        restored.push(card.card);
    }
    if let Some(review) = step.review {
        store::revlog::delete(tx, review)?;
    }
    // Notes before their tags: a note the step deleted is back before its tags are.
    for (note, before) in &contents {
        crate::notes::write::restore(tx, *note, before.as_deref())?;
        let cards = store::notes::cards_of(tx, *note)?.live;
        restored.extend(cards.into_iter().map(|(card, _)| card));
    }
    kept::restore_tags(tx, step.id)?;
    if let Some(before) = &step.settings_before {
        let before: serde_json::Map<String, Value> =
            serde_json::from_str(before).map_err(unreadable)?;
        let mut settings = serde_json::to_value(store::read_settings(tx)?).map_err(unreadable)?;
        for (key, value) in before {
            settings[key] = value;
        }
        let settings = serde_json::from_value(settings).map_err(unreadable)?;
        store::write_settings(tx, &settings)?;
    }
    kept::delete_step(tx, step.id)?;
    Ok(Some(Undone {
        action: step.action,
        card: step.card,
        cards: restored,
    }))
}

/// Forgets the steps that touch any of `cards` (their cards are being deleted).
pub(crate) fn forget_cards(tx: &Connection, cards_sql: &str, pack: &str) -> Result<()> {
    kept::forget_cards(tx, cards_sql, pack)
}

/// Forgets the steps that wrote notes of `pack` (the pack is being removed).
pub(crate) fn forget_notes_of_pack(tx: &Connection, pack: &str) -> Result<()> {
    kept::forget_notes_of_pack(tx, pack)
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
