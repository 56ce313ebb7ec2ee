//! New scheduling settings inside the fold: the last `reschedule` event is where each card's
//! memory and due date are recomputed, by the same rules as the bulk write of
//! `optimize::adopt_settings` (docs/SYNC.md, "New scheduling settings").

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use rusqlite::Connection;
use uuid::Uuid;

use super::event::Event;
use super::fold::{self, sort_key, Walked};
use super::record::schedule_json;
use crate::error::Result;
use crate::optimize::{
    self,
    items::{Answer, Beginning, CardHistory},
};
use crate::schedule::{CardState, Schedule, Scheduler};
use crate::store::sync as stored;

/// The last `reschedule` event: new scheduling settings adopted on some device. Every card's
/// fold recomputes its memory and due date at that point, with the settings the registers hold
/// and in the time zone of the device that adopted them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reschedule {
    pub(crate) key: (i64, u64, Uuid),
    pub(crate) offset: FixedOffset,
}

impl Reschedule {
    /// The last one stored.
    pub fn latest(conn: &Connection) -> Result<Option<Reschedule>> {
        let Some(body) = stored::latest_reschedule(conn)? else {
            return Ok(None);
        };
        Ok(Event::decode(&body)?.1.map(|e| Reschedule {
            key: sort_key(&e),
            offset: *e.at_local().offset(),
        }))
    }

    /// Where it stands in fold order: its time, clock and id.
    pub fn key(&self) -> (i64, u64, Uuid) {
        self.key
    }

    /// The time zone of the device that adopted the settings.
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }
}

/// What new scheduling settings make of the card the answers in `reviews` left as `state`:
/// the same rule as the bulk write on the device that adopted them (`optimize::adopt_settings`).
pub(crate) fn readopt(
    card: i64,
    state: &mut Schedule,
    reviews: &[Walked],
    scheduler: &Scheduler,
    offset: FixedOffset,
) -> Result<()> {
    if state.state == CardState::New || reviews.is_empty() {
        return Ok(());
    }
    let history = history(card, reviews);
    let memory = optimize::memory_from(&history, scheduler, offset)?;
    state.memory = Some(memory);
    if state.state != CardState::Review {
        return Ok(());
    }
    let Some(last) = state.last_review else {
        return Ok(());
    };
    let (due, days) = optimize::due_from(
        scheduler,
        offset,
        card,
        memory,
        state.reps,
        last.timestamp_millis(),
    );
    if state.due.map(|d| d.timestamp_millis()) != Some(due) {
        state.due = DateTime::from_timestamp_millis(due);
        state.interval_days = f64::from(days);
    }
    Ok(())
}

/// The card's history as the review log written from `reviews` reads it: by time, then — for
/// answers in the same millisecond — by id, as `optimize::items` does.
fn history(card: i64, reviews: &[Walked]) -> CardHistory {
    let mut reviews: Vec<&Walked> = reviews.iter().collect();
    reviews.sort_by_key(|r| (r.at, r.id));
    let answers = reviews
        .iter()
        .map(|r| Answer {
            at: DateTime::from_timestamp_millis(r.at).unwrap_or_default(),
            rating: r.rating.number() as u32,
            state_before: r.before.state,
        })
        .collect::<Vec<_>>();
    let complete = answers.iter().any(|a| a.state_before == CardState::New);
    CardHistory {
        card_id: card,
        answers,
        beginning: (!complete).then(|| Beginning {
            memory: reviews[0].before.memory.map(Into::into),
            elapsed_days: reviews[0].elapsed_days,
        }),
    }
}

/// After the bulk write of new scheduling settings (`optimize::adopt_settings`): a card whose
/// events all come before the last reschedule folds to what the bulk write made of it (the
/// fold's [`readopt`] is the same rule, and an answer scheduled again before it changes nothing
/// that rule does not set), so its fold is brought up to the card. The others — with events
/// after it, new events in this sync (`arrived`), or not installed here — are folded again.
/// Without a reschedule, every card is folded again. Returns how many cards were folded again.
pub fn after_bulk_reschedule(
    conn: &Connection,
    scheduler: &Scheduler,
    arrived: &BTreeSet<i64>,
    progress: &mut dyn FnMut(u32, u32),
) -> Result<u32> {
    let Some(reschedule) = Reschedule::latest(conn)? else {
        return fold::refold_all(conn, scheduler, arrived, progress);
    };
    let mut again: BTreeSet<i64> = arrived.clone();
    again.extend(stored::cards_with_events_after(conn, reschedule.key)?);
    again.extend(stored::folded_not_installed(conn)?);
    let mut brought = Vec::new();
    stored::each_folded_card(conn, |head, json, card| {
        if !again.contains(&card.id.0) {
            let now = schedule_json(&card.schedule);
            if now != json {
                brought.push((card.id.0, head, now));
            }
        }
        Ok(())
    })?;
    for (card, head, json) in brought {
        stored::set_folded(conn, card, head, &json)?;
    }
    let total = again.len() as u32;
    for (done, &card) in again.iter().enumerate() {
        if done % 1_000 == 0 {
            progress(done as u32, total);
        }
        fold::refold_under(conn, scheduler, Some(reschedule), card)?;
    }
    Ok(total)
}
