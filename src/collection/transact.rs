//! The one change path. Every write to a collection runs in [`Collection::transact`]: it begins
//! an immediate transaction, hands the operation a [`Tx`], commits, and adds what changed to the
//! [`Changes`] front ends drain to refresh what they show. Card, tag and settings writes go
//! through the writers on [`Tx`], which record the undo step's "before" themselves when the
//! operation is undoable, so no write can forget its undo. On error everything rolls back, the
//! undo step included. This is also where sync will record each change as an event.
//!
//! [`Collection::transact`]: crate::Collection::transact

use std::ops::Deref;

use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::schedule::{Schedule, Scheduler};
use crate::settings::Settings;
use crate::store::cards::{self, CardRow};
use crate::store::notes::NoteRecord;
use crate::store::revlog::{self, AnswerId, ReviewRecord};
use crate::store::{self, Hidden};
use crate::sync::record::Recorder as SyncRecorder;
use crate::undo::Recorder;

/// What kinds of things a write changed, for front ends to refresh what shows them. Sent to the
/// UI as the `collection-changed` event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Changes {
    /// Cards' schedules, suspension, burial or presence (counts and queues).
    pub cards: bool,
    /// Notes' text or tags.
    pub notes: bool,
    /// The review log (statistics, history).
    pub revlog: bool,
    pub settings: bool,
    /// Installed packs: added, updated, enabled, disabled or removed.
    pub packs: bool,
    /// Lessons finished and quiz scores.
    pub lessons: bool,
}

impl Changes {
    pub const NONE: Changes = Changes {
        cards: false,
        notes: false,
        revlog: false,
        settings: false,
        packs: false,
        lessons: false,
    };
    pub const CARDS: Changes = Changes {
        cards: true,
        ..Changes::NONE
    };
    pub const NOTES: Changes = Changes {
        notes: true,
        ..Changes::NONE
    };
    pub const REVLOG: Changes = Changes {
        revlog: true,
        ..Changes::NONE
    };
    pub const SETTINGS: Changes = Changes {
        settings: true,
        ..Changes::NONE
    };
    pub const PACKS: Changes = Changes {
        packs: true,
        ..Changes::NONE
    };
    pub const LESSONS: Changes = Changes {
        lessons: true,
        ..Changes::NONE
    };
    /// What installing or removing content can touch.
    pub const CONTENT: Changes = Changes {
        cards: true,
        notes: true,
        revlog: true,
        settings: false,
        packs: true,
        lessons: true,
    };

    pub fn is_empty(&self) -> bool {
        *self == Changes::NONE
    }

    /// Both sets of changes.
    pub fn with(self, other: Changes) -> Changes {
        Changes {
            cards: self.cards || other.cards,
            notes: self.notes || other.notes,
            revlog: self.revlog || other.revlog,
            settings: self.settings || other.settings,
            packs: self.packs || other.packs,
            lessons: self.lessons || other.lessons,
        }
    }
}

/// An operation on the collection: its name (the undo step's name) and whether it can be undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op {
    pub name: &'static str,
    pub undoable: bool,
    /// When the learner did it. While sync is on, an operation with a time records what it
    /// changes as events ([`crate::sync::record`]).
    pub at: Option<DateTime<FixedOffset>>,
}

impl Op {
    /// An operation the learner can take back with undo.
    pub const fn undoable(name: &'static str) -> Op {
        Op {
            name,
            undoable: true,
            at: None,
        }
    }

    /// An operation undo does not cover (imports, packs, settings, lessons, undo itself).
    pub const fn not_undoable(name: &'static str) -> Op {
        Op {
            name,
            undoable: false,
            at: None,
        }
    }

    /// The operation, done at `now`.
    pub const fn at(self, now: DateTime<FixedOffset>) -> Op {
        Op {
            at: Some(now),
            ..self
        }
    }
}

/// A write in progress. Reads go through [`Deref`] to the connection; writes through the
/// writers below, or [`Tx::raw`] for bulk writes of operations undo does not cover.
pub struct Tx<'c> {
    tx: Transaction<'c>,
    undo: Option<Recorder>,
    sync: Option<SyncRecorder<'c>>,
    changes: Changes,
}

impl<'c> Tx<'c> {
    /// `scheduler` folds a card again when undo takes back an answer other devices' answers
    /// followed.
    pub(crate) fn begin(conn: &'c Connection, op: Op, scheduler: &'c Scheduler) -> Result<Tx<'c>> {
        // Unchecked: the collection is used from one thread at a time (front ends hold it behind
        // a lock), and a nested transaction is refused by SQLite itself.
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let sync = match op.at {
            Some(now) => SyncRecorder::begin(&tx, now, scheduler)?,
            None => None,
        };
        Ok(Tx {
            tx,
            undo: op.undoable.then(|| Recorder::new(op.name)),
            sync,
            changes: Changes::NONE,
        })
    }

    pub(crate) fn commit(mut self) -> Result<Changes> {
        if let Some(sync) = self.sync.take() {
            sync.finish(&self.tx)?;
        }
        self.tx.commit()?;
        Ok(self.changes)
    }

    /// The card the undo step is about (the one answered, or the only one an action changed).
    pub fn about(&mut self, card: CardId) {
        if let Some(undo) = &mut self.undo {
            undo.about(card);
        }
    }

    /// Keeps `card` as it is now in the undo step without changing it (so undo names it).
    pub fn keep(&mut self, card: &CardRow) -> Result<()> {
        match &mut self.undo {
            Some(undo) => undo.save_card(&self.tx, card),
            None => Ok(()),
        }
    }

    /// Gives `card` a new schedule.
    pub fn write_schedule(&mut self, card: &CardRow, schedule: &Schedule) -> Result<()> {
        self.keep(card)?;
        cards::write_schedule(&self.tx, card.id, schedule)?;
        if let Some(sync) = &mut self.sync {
            sync.card(card.id);
        }
        self.changes.cards = true;
        Ok(())
    }

    /// Sets `card`'s hidden bits and burial end (Unix milliseconds).
    pub fn set_hidden(
        &mut self,
        card: &CardRow,
        hidden: Hidden,
        buried_until: Option<i64>,
    ) -> Result<()> {
        self.keep(card)?;
        cards::set_hidden(&self.tx, card.id, hidden, buried_until)?;
        if let Some(sync) = &mut self.sync {
            sync.card(card.id);
        }
        self.changes.cards = true;
        Ok(())
    }

    /// Buries the cards `filter` selects (a `WHERE` clause over `cards`, with `?2`… bound to
    /// `params`) until `until` (Unix milliseconds); returns how many.
    pub fn bury_where(&mut self, filter: &str, params: &[i64], until: i64) -> Result<usize> {
        if let Some(undo) = &mut self.undo {
            undo.save_cards_where(&self.tx, filter, params)?;
        }
        if let Some(sync) = &mut self.sync {
            for card in cards::ids_where(&self.tx, filter, params)? {
                sync.card(card);
            }
        }
        let buried = cards::bury_where(&self.tx, filter, params, until)?;
        self.changes.cards |= buried > 0;
        Ok(buried)
    }

    /// Adds `tag` to the note; false if it had it already.
    pub fn add_tag(&mut self, note: NoteId, tag: &str) -> Result<bool> {
        let added = store::tags::add(&mut store::Batch::new(&self.tx), note, tag)?;
        if added {
            if let Some(undo) = &mut self.undo {
                undo.tag_added(&self.tx, note, tag)?;
            }
            if let Some(sync) = &mut self.sync {
                sync.note(note);
            }
            self.changes.notes = true;
        }
        Ok(added)
    }

    /// Takes `tag` off the note; false if it did not have it.
    pub fn remove_tag(&mut self, note: NoteId, tag: &str) -> Result<bool> {
        let removed = store::tags::remove(&self.tx, note, tag)?;
        if removed {
            if let Some(undo) = &mut self.undo {
                undo.tag_removed(&self.tx, note, tag)?;
            }
            if let Some(sync) = &mut self.sync {
                sync.note(note);
            }
            self.changes.notes = true;
        }
        Ok(removed)
    }

    /// Keeps note `note` as it is now (row, cards) in the undo step, before the step's first
    /// change to it, and tells sync the note changed.
    fn keep_note(&mut self, note: NoteId) -> Result<()> {
        if let Some(undo) = &mut self.undo {
            undo.save_note(&self.tx, note)?;
        }
        if let Some(sync) = &mut self.sync {
            sync.note_content(note);
        }
        self.changes.notes = true;
        Ok(())
    }

    /// Writes a note's row: a new note, or new text for one.
    pub fn put_note(&mut self, note: &NoteRecord) -> Result<()> {
        self.keep_note(note.id)?;
        store::notes::put(&self.tx, note)
    }

    /// Gives `note` its card `template`: the retired one back as it was, else a new card at
    /// `position` of the new cards that come first. Returns the card.
    pub fn add_note_card(&mut self, note: NoteId, template: &str, position: i64) -> Result<CardId> {
        self.keep_note(note)?;
        let card = CardId::derive(note, template);
        store::notes::restore_card(&self.tx, card)?;
        store::install::insert_new_card(
            &mut store::Batch::new(&self.tx),
            card,
            note,
            template,
            position,
            store::NewQueue::First,
        )?;
        store::notes::match_pack_bit(&self.tx, card)?;
        self.changes.cards = true;
        Ok(card)
    }

    /// Takes `card` of `note` out of study; it keeps its schedule and history.
    pub fn retire_card(&mut self, note: NoteId, card: CardId) -> Result<()> {
        self.keep_note(note)?;
        store::notes::retire_card(&self.tx, card)?;
        self.changes.cards = true;
        Ok(())
    }

    /// Deletes `note`: its cards retire, the note and its tags are kept aside for undo.
    pub fn delete_note(&mut self, note: NoteId) -> Result<()> {
        self.keep_note(note)?;
        for (card, _) in store::notes::cards_of(&self.tx, note)?.live {
            store::notes::retire_card(&self.tx, card)?;
        }
        let tags = store::tags::of_note(&self.tx, note)?;
        store::notes::move_to_deleted(&self.tx, note, &tags)?;
        self.changes.cards = true;
        Ok(())
    }

    /// Stores `after` (validated), keeping the values of the keys that differ from `before` in
    /// the undo step.
    pub fn write_settings(&mut self, before: &Settings, after: &Settings) -> Result<()> {
        if let Some(undo) = &mut self.undo {
            undo.save_settings(&self.tx, before, after)?;
        }
        store::write_settings(&self.tx, after)?;
        if let Some(sync) = &mut self.sync {
            sync.settings();
        }
        self.changes.settings = true;
        Ok(())
    }

    /// Whether sync records this transaction's changes.
    pub(crate) fn syncing(&self) -> bool {
        self.sync.is_some()
    }

    /// A pack was imported from `file` (its bytes): it travels to the other devices.
    pub(crate) fn pack_imported(&mut self, pack: &str, file: &str, bytes: &[u8]) -> Result<()> {
        match &mut self.sync {
            Some(sync) => sync.pack_imported(&self.tx, pack, file, bytes),
            None => Ok(()),
        }
    }

    pub(crate) fn pack_enabled(&mut self, pack: &str, enabled: bool) {
        if let Some(sync) = &mut self.sync {
            sync.pack_enabled(pack, enabled);
        }
    }

    /// A pack is about to be removed (with its history or not).
    pub(crate) fn pack_removed(&mut self, pack: &str, history: bool) -> Result<()> {
        match &mut self.sync {
            Some(sync) => sync.pack_removed(&self.tx, pack, history),
            None => Ok(()),
        }
    }

    /// New scheduling settings moved every card (a bulk write): while sync is on, the other
    /// devices are told, and each card's fold takes it in.
    pub(crate) fn rescheduled(&mut self, scheduler: &Scheduler) -> Result<()> {
        match &mut self.sync {
            Some(sync) => sync.rescheduled(&self.tx, scheduler),
            None => Ok(()),
        }
    }

    /// Appends an answer to the review log; undo takes it out again.
    pub fn log_review(&mut self, record: &ReviewRecord) -> Result<AnswerId> {
        let id = revlog::insert(&self.tx, record)?;
        if let Some(undo) = &mut self.undo {
            undo.review_added(&self.tx, id)?;
        }
        if let Some(sync) = &mut self.sync {
            sync.answered(id, record.after);
        }
        self.changes.revlog = true;
        Ok(id)
    }

    /// A lesson's quiz was taken (with this score).
    pub fn quiz_taken(
        &mut self,
        pack: &crate::ids::PackId,
        lesson: &str,
        correct: u32,
        total: u32,
    ) {
        if let Some(sync) = &mut self.sync {
            sync.quiz_taken(pack.as_str(), lesson, correct, total);
        }
    }

    /// Undo is about to put these back as they were: the cards (`rescheduled`: those whose
    /// schedule a card action changed), the notes' tags, the settings, and the answer (by
    /// review-log row) it deletes.
    pub(crate) fn undoing(
        &mut self,
        cards: &[CardId],
        rescheduled: &[CardId],
        notes: &[NoteId],
        contents: &[NoteId],
        settings: bool,
        answer: Option<AnswerId>,
    ) -> Result<()> {
        if let Some(sync) = &mut self.sync {
            contents.iter().for_each(|&n| sync.note_content(n));
            cards.iter().for_each(|&c| sync.card(c));
            rescheduled.iter().for_each(|&c| sync.taking_back(c));
            notes.iter().for_each(|&n| sync.note(n));
            if settings {
                sync.settings();
            }
            if let Some(answer) = answer {
                sync.retracting(&self.tx, answer)?;
            }
        }
        Ok(())
    }

    /// The transaction itself, for bulk writes (imports, packs, lessons, undo restoring a step)
    /// that undo does not cover; `changes` says what they touch.
    pub fn raw(&mut self, changes: Changes) -> &Transaction<'c> {
        self.changes = self.changes.with(changes);
        &self.tx
    }
}

impl Deref for Tx<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.tx
    }
}
