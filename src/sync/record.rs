//! Recording: while sync is on, each transaction turns what it changed into events, in the same
//! transaction, so the events not yet written out are exactly the committed changes. What
//! changed is read from the collection at commit and compared with what the events already say
//! (each card's fold, each register), so a write path cannot forget its event: an answer is a
//! `review`, any other change of schedule a `card_set`, an undone answer a `retract`, and
//! suspension, tags and settings register writes.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use rusqlite::Connection;
use serde_json::Value;
use uuid::{NoContext, Timestamp, Uuid};

use super::event::{Body, DeviceId, Event, Scope};
use super::packs::{self, PackValue};
use super::{fold, hlc};
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::schedule::{Schedule, Scheduler};
use crate::store::packs::CARDS_OF_PACK;
use crate::store::sync::{self as stored, LoggedReview};
use crate::store::AnswerId;
use crate::store::{self, sync_packs, Hidden};

/// The `sync_state` key that holds this device's id while sync is on.
pub const DEVICE_KEY: &str = "device";

/// What a transaction changed, gathered as it runs.
pub(crate) struct Recorder<'s> {
    scheduler: &'s Scheduler,
    device: DeviceId,
    now: DateTime<FixedOffset>,
    answers: Vec<(AnswerId, Schedule)>,
    retracted: Vec<(Uuid, i64)>,
    /// Cards whose schedule undo puts back: this device's `card_set` on each is taken back.
    taken_back: BTreeSet<CardId>,
    cards: BTreeSet<CardId>,
    notes: BTreeSet<NoteId>,
    /// Notes whose text or cards changed (added, edited, deleted).
    contents: BTreeSet<NoteId>,
    settings: bool,
    /// Quiz attempts: pack, lesson, right answers, questions.
    quizzes: Vec<(String, String, u32, u32)>,
    /// Pack register writes: imported, removed, enabled or not.
    packs: Vec<(Scope, String, Value)>,
    /// An import brought history in: it becomes events at commit, as at joining.
    history: bool,
}

/// This device's id if sync is on.
pub fn device(conn: &Connection) -> Result<Option<DeviceId>> {
    Ok(stored::state(conn, DEVICE_KEY)?.and_then(|v| Uuid::parse_str(&v).ok()))
}

impl<'s> Recorder<'s> {
    /// A recorder if sync is on.
    pub fn begin(
        conn: &Connection,
        now: DateTime<FixedOffset>,
        scheduler: &'s Scheduler,
    ) -> Result<Option<Recorder<'s>>> {
        if super::target(conn)?.is_none() {
            return Ok(None);
        }
        Ok(device(conn)?.map(|device| Recorder {
            scheduler,
            device,
            now,
            answers: Vec::new(),
            retracted: Vec::new(),
            taken_back: BTreeSet::new(),
            cards: BTreeSet::new(),
            notes: BTreeSet::new(),
            contents: BTreeSet::new(),
            settings: false,
            quizzes: Vec::new(),
            packs: Vec::new(),
            history: false,
        }))
    }

    pub fn answered(&mut self, answer: AnswerId, after: &Schedule) {
        self.answers.push((answer, after.clone()));
    }

    /// An answer about to be deleted (undo): read now, while its row is there.
    pub fn retracting(&mut self, conn: &Connection, answer: AnswerId) -> Result<()> {
        let logged = stored::review_by_id(conn, answer)?;
        self.retracted.push((logged.uuid, logged.card));
        Ok(())
    }

    /// Undo puts back the schedule a card action of this device set on `card`.
    pub fn taking_back(&mut self, card: CardId) {
        self.taken_back.insert(card);
    }

    pub fn card(&mut self, card: CardId) {
        self.cards.insert(card);
    }

    pub fn note(&mut self, note: NoteId) {
        self.notes.insert(note);
    }

    pub fn note_content(&mut self, note: NoteId) {
        self.contents.insert(note);
    }

    pub fn settings(&mut self) {
        self.settings = true;
    }

    pub fn quiz_taken(&mut self, pack: &str, lesson: &str, correct: u32, total: u32) {
        self.quizzes
            .push((pack.to_owned(), lesson.to_owned(), correct, total));
    }

    /// A pack was imported from `file` (its bytes): the file waits to be written to the target,
    /// and the pack's register names it.
    pub fn pack_imported(
        &mut self,
        conn: &Connection,
        pack: &str,
        file: &str,
        bytes: &[u8],
    ) -> Result<()> {
        let hash = packs::hash_of(bytes);
        sync_packs::keep_blob(conn, &hash, file, bytes)?;
        sync_packs::set_pack_source(conn, pack, &hash, None)?;
        let value = PackValue::File {
            blob: hash,
            file: file.to_owned(),
        };
        self.packs
            .push((Scope::Pack, pack.to_owned(), value.to_json()));
        self.history = true;
        Ok(())
    }

    pub fn pack_enabled(&mut self, pack: &str, enabled: bool) {
        self.packs
            .push((Scope::PackEnabled, pack.to_owned(), Value::Bool(enabled)));
    }

    /// A pack is about to be removed; without its history, its cards' events go too.
    pub fn pack_removed(&mut self, conn: &Connection, pack: &str, history: bool) -> Result<()> {
        sync_packs::forget_pack_source(conn, pack)?;
        if !history {
            sync_packs::forget_card_events(conn, CARDS_OF_PACK, pack)?;
        }
        let value = PackValue::Removed {
            removed: true,
            history,
        };
        self.packs
            .push((Scope::Pack, pack.to_owned(), value.to_json()));
        Ok(())
    }

    /// New scheduling settings were adopted and every card moved in bulk: a `reschedule` event,
    /// and each card's fold brought up to it with `scheduler` (the new settings').
    pub fn rescheduled(&mut self, conn: &Connection, scheduler: &Scheduler) -> Result<()> {
        let mut out = Out::new(conn, self.device, self.now)?;
        let id = out.new_id();
        out.emit(id, self.now.timestamp_millis(), Body::Reschedule)?;
        out.close()?;
        super::reschedule::after_bulk_reschedule(
            conn,
            scheduler,
            &BTreeSet::new(),
            &mut |_, _| {},
        )?;
        Ok(())
    }

    /// Writes the events for everything recorded; runs just before the commit.
    pub fn finish(mut self, conn: &Connection) -> Result<()> {
        let mut out = Out::new(conn, self.device, self.now)?;
        for (uuid, card) in &self.retracted {
            out.retract(*uuid, *card)?;
            // Undo put the card back as it was before the answer; answers from other devices
            // that arrived since still count, so the card is what its events now fold to.
            fold::refold(conn, self.scheduler, *card)?;
        }
        // A card action undone: its `card_set` is taken back like an answer, so answers other
        // devices gave the card since still count.
        for &card in &self.taken_back {
            if let Some(event) = own_schedule_set(conn, self.device, card)? {
                out.retract(event, card.0)?;
                fold::refold(conn, self.scheduler, card.0)?;
            }
        }
        let mut answered = BTreeSet::new();
        for (answer, after) in &self.answers {
            let logged = stored::review_by_id(conn, *answer)?;
            out.review(&logged, after)?;
            answered.insert(CardId(logged.card));
        }
        // An answer writes its card, so answered cards are among the changed ones.
        self.cards.extend(&answered);
        let mut scheduled = answered.clone();
        for &card in &self.cards {
            if out.card_changed(card, answered.contains(&card))? {
                scheduled.insert(card);
            }
        }
        // A new event of this device that does not come last in its card's fold order (another
        // device's answer, or a reschedule, carries a later time: its clock is ahead): the card
        // is what its fold says.
        let reschedule = fold::Reschedule::latest(conn)?;
        for card in scheduled {
            let head = stored::folded(conn, card.0)?.map(|(head, _)| head);
            let Some(head) = head else { continue };
            let last = stored::last_card_event(conn, card.0)? == Some(head);
            let before_reschedule = match reschedule {
                Some(r) => stored::event_key(conn, head)?.is_some_and(|key| key < r.key()),
                None => false,
            };
            if !last || before_reschedule {
                fold::refold_under(conn, self.scheduler, reschedule, card.0)?;
            }
        }
        // Before the tags: another device applies a tag only to a note it has.
        for &note in &self.contents {
            out.note_changed(note)?;
        }
        for &note in &self.notes {
            out.tags_changed(note)?;
        }
        if self.settings {
            out.settings_changed()?;
        }
        for (scope, pack, value) in self.packs {
            out.register(scope, &pack, value, true)?;
        }
        for (pack, lesson, correct, total) in self.quizzes {
            let id = out.new_id();
            out.emit(
                id,
                self.now.timestamp_millis(),
                Body::QuizAttempt {
                    pack,
                    lesson,
                    correct,
                    total,
                },
            )?;
        }
        out.close()?;
        if self.history {
            super::join::record_history(conn, self.device, self.now)?;
        }
        Ok(())
    }
}

/// Writes events of this device; [`Out::close`] stores the clock it advanced.
pub(crate) struct Out<'c> {
    conn: &'c Connection,
    device: DeviceId,
    now: DateTime<FixedOffset>,
    hlc: u64,
}

impl<'c> Out<'c> {
    pub fn new(conn: &'c Connection, device: DeviceId, now: DateTime<FixedOffset>) -> Result<Self> {
        Ok(Out {
            conn,
            device,
            now,
            hlc: hlc::last(conn)?,
        })
    }

    pub fn close(self) -> Result<()> {
        hlc::observe(self.conn, self.hlc)
    }

    fn emit(&mut self, id: Uuid, at: i64, body: Body) -> Result<Event> {
        self.hlc = hlc::next(self.hlc, self.now.timestamp_millis());
        let hlc = self.hlc;
        let event = Event {
            id,
            device: self.device,
            hlc,
            at,
            tz_min: self.now.offset().local_minus_utc() / 60,
            body,
        };
        stored::insert_event(
            self.conn,
            event.id,
            event.device,
            None,
            event.hlc,
            event.body.kind(),
            event.body.card(),
            event.at,
            &event.encode(),
        )?;
        Ok(event)
    }

    /// A new id, ordered by the moment of the change.
    fn new_id(&self) -> Uuid {
        let at = self.now.to_utc();
        Uuid::new_v7(Timestamp::from_unix(
            NoContext,
            u64::try_from(at.timestamp()).unwrap_or(0),
            at.timestamp_subsec_nanos(),
        ))
    }

    /// A logged answer, with the schedule it gave: the card's fold goes on from it.
    pub fn review(&mut self, logged: &LoggedReview, outcome: &Schedule) -> Result<()> {
        let parent = stored::folded(self.conn, logged.card)?.map(|(head, _)| head);
        self.review_event(logged, parent, outcome)?;
        stored::set_folded(self.conn, logged.card, logged.uuid, &schedule_json(outcome))
    }

    /// The event of a logged answer after `parent`, leaving the card's fold to the caller (who
    /// records many answers of a card at once).
    pub fn review_event(
        &mut self,
        logged: &LoggedReview,
        parent: Option<Uuid>,
        outcome: &Schedule,
    ) -> Result<()> {
        self.emit(
            logged.uuid,
            logged.at,
            Body::Review {
                card: logged.card,
                rating: logged.rating,
                duration_ms: logged.duration_ms,
                parent,
                outcome: outcome.clone(),
            },
        )
        .map(|_| ())
    }

    /// A card set back to new at `at`, after `parent`, as event `id`; returns the id.
    pub fn reset_event(
        &mut self,
        id: Uuid,
        card: i64,
        parent: Option<Uuid>,
        at: i64,
    ) -> Result<Uuid> {
        let schedule = Schedule::new_card();
        self.emit(
            id,
            at,
            Body::CardSet {
                card,
                parent,
                schedule,
            },
        )
        .map(|e| e.id)
    }

    fn retract(&mut self, uuid: Uuid, card: i64) -> Result<()> {
        match stored::event_seq(self.conn, uuid)? {
            // Never written out: as if it never happened.
            Some(None) => stored::delete_event(self.conn, uuid)?,
            Some(Some(_)) => {
                let id = self.new_id();
                self.emit(
                    id,
                    self.now.timestamp_millis(),
                    Body::Retract { card, event: uuid },
                )?;
            }
            None => {}
        }
        Ok(())
    }

    /// A card changed other than by an answer: its schedule (a `card_set` if it differs from
    /// its fold) and its suspension (a register write if it differs). True if it wrote a
    /// `card_set`.
    pub fn card_changed(&mut self, card: CardId, answered: bool) -> Result<bool> {
        let Ok(row) = store::cards::get_card(self.conn, card) else {
            return Ok(false);
        };
        let mut set = false;
        if !answered {
            let folded = stored::folded(self.conn, card.0)?;
            let known = match &folded {
                Some((_, json)) => serde_json::from_str(json).ok(),
                None => Some(Schedule::new_card()),
            };
            if known.as_ref() != Some(&row.schedule) {
                let id = self.new_id();
                // Never before the card's last event (another device's clock may be ahead):
                // what the learner did here comes after what this device knew of the card.
                let at = stored::last_card_event_at(self.conn, card.0)?
                    .map_or(self.now.timestamp_millis(), |last| {
                        last.max(self.now.timestamp_millis())
                    });
                self.emit(
                    id,
                    at,
                    Body::CardSet {
                        card: card.0,
                        parent: folded.map(|(head, _)| head),
                        schedule: row.schedule.clone(),
                    },
                )?;
                stored::set_folded(self.conn, card.0, id, &schedule_json(&row.schedule))?;
                set = true;
            }
        }
        let key = card.0.to_string();
        let suspended = row.hidden.has(Hidden::SUSPENDED);
        self.register(Scope::Suspended, &key, Value::Bool(suspended), false)?;
        let buried = match (row.hidden.has(Hidden::BURIED), row.buried_until) {
            (true, Some(until)) => Value::from(until),
            _ => Value::Null,
        };
        self.register(Scope::Buried, &key, buried, false)?;
        Ok(set)
    }

    /// Writes `value` to the register unless it holds it already. A register never written
    /// counts as `false` or null, unless `write_absent` (settings: every value is worth sending).
    pub(crate) fn register(
        &mut self,
        scope: Scope,
        key: &str,
        value: Value,
        write_absent: bool,
    ) -> Result<()> {
        let current = stored::register(self.conn, scope.name(), key)?;
        let same = match &current {
            Some(r) => serde_json::from_str::<Value>(&r.value).ok().as_ref() == Some(&value),
            // Never written: false, or null (not buried).
            None => !write_absent && matches!(value, Value::Bool(false) | Value::Null),
        };
        if same {
            return Ok(());
        }
        let id = self.new_id();
        let event = self.emit(
            id,
            self.now.timestamp_millis(),
            Body::Register {
                scope,
                key: key.to_owned(),
                value: value.clone(),
            },
        )?;
        stored::set_register(
            self.conn,
            scope.name(),
            key,
            &stored::RegisterValue {
                value: value.to_string(),
                hlc: event.hlc,
                device: self.device,
            },
        )
    }

    /// Writes note `note`'s register: the learner's version of it ([`crate::notes::write::sync_value`]).
    pub fn note_changed(&mut self, note: NoteId) -> Result<()> {
        let value = crate::notes::write::sync_value(self.conn, note)?;
        self.register(Scope::Note, &note.0.to_string(), value, true)
    }

    pub fn tags_changed(&mut self, note: NoteId) -> Result<()> {
        let prefix = format!("{} ", note.0);
        let now: BTreeSet<String> = store::tags::of_note(self.conn, note)?.into_iter().collect();
        let mut keys: BTreeSet<String> = now.iter().map(|t| format!("{prefix}{t}")).collect();
        for (key, _) in stored::registers_with_prefix(self.conn, Scope::Tag.name(), &prefix)? {
            keys.insert(key);
        }
        for key in keys {
            let present = now.contains(&key[prefix.len()..]);
            self.register(Scope::Tag, &key, Value::Bool(present), false)?;
        }
        Ok(())
    }

    pub fn settings_changed(&mut self) -> Result<()> {
        let settings = store::read_settings(self.conn)?;
        for key in crate::settings::Settings::keys() {
            let value = settings.get(&key)?;
            self.register(Scope::Setting, &key, value, true)?;
        }
        Ok(())
    }
}

/// This device's last live event on `card`, if it is a `card_set` (what undo of a card action
/// takes back). None if it is an answer, or there is none: then undo writes the schedule back as
/// a `card_set` of its own.
fn own_schedule_set(conn: &Connection, device: DeviceId, card: CardId) -> Result<Option<Uuid>> {
    let events = fold::events_of(conn, card.0)?;
    let (_, live) = fold::live_events(&events);
    let last = live
        .into_iter()
        .filter(|e| e.device == device)
        .max_by_key(|e| e.hlc);
    Ok(last
        .filter(|e| matches!(e.body, Body::CardSet { .. }))
        .map(|e| e.id))
}

pub(crate) fn schedule_json(schedule: &Schedule) -> String {
    serde_json::to_string(schedule).expect("a schedule serializes")
}
