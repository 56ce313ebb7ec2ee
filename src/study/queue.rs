//! Today's queue: learning cards due now, then due reviews, then new cards, within the daily
//! limits; learning cards due a little later come last (learn ahead), when nothing else is left.
//! Every query walks an index and stops at the limit, so the cost does not grow with the
//! collection.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::day;
use crate::error::Result;
use crate::ids::CardId;
use crate::settings::Settings;
use crate::store::queue;

/// What is available to study right now under today's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
pub struct Counts {
    pub new: u32,
    pub learning: u32,
    pub review: u32,
}

impl Counts {
    pub fn total(&self) -> u32 {
        self.new + self.learning + self.review
    }
}

/// The learner's day as instants, plus the limits that apply to it.
pub(crate) struct Today<'a> {
    pub now: DateTime<Utc>,
    /// The learner's date today (the day that started at the last rollover).
    pub date: NaiveDate,
    pub start: DateTime<Utc>,
    pub tomorrow: DateTime<Utc>,
    pub learn_ahead_until: DateTime<Utc>,
    settings: &'a Settings,
}

impl<'a> Today<'a> {
    pub fn new(now: DateTime<FixedOffset>, settings: &'a Settings) -> Self {
        let hour = settings.rollover_hour;
        let today = day::day_number(now, hour);
        let now_utc = now.with_timezone(&Utc);
        Today {
            now: now_utc,
            date: day::date(today),
            start: day::day_start(today, *now.offset(), hour),
            tomorrow: day::day_start(today + 1, *now.offset(), hour),
            learn_ahead_until: now_utc + Duration::minutes(i64::from(settings.learn_ahead_minutes)),
            settings,
        }
    }
}

pub(crate) fn counts(conn: &Connection, today: &Today) -> Result<Counts> {
    let s = today.settings;
    let (new_done, review_done) = queue::answered_since(conn, today.start)?;
    let reviews_left = s.reviews_per_day.saturating_sub(new_done + review_done);
    let learning = queue::learning_due_count(conn, today.learn_ahead_until)?;
    let review = queue::review_due_count(conn, today.tomorrow, reviews_left)?;
    let paused = s.pause_new_until.is_some_and(|until| today.date < until);
    let new_per_day = if paused { 0 } else { s.new_per_day };
    let new_left = new_per_day
        .saturating_sub(new_done)
        .min(reviews_left - review);
    let new = queue::new_count(conn, new_left)?;
    Ok(Counts {
        new,
        learning,
        review,
    })
}

/// The card to show next, if any.
pub(crate) fn next_card(
    conn: &Connection,
    today: &Today,
    counts: &Counts,
) -> Result<Option<CardId>> {
    if let Some(id) = queue::first_learning_due(conn, today.now)? {
        return Ok(Some(id));
    }
    if counts.review > 0 {
        let order = today.settings.review_order;
        if let Some(id) = queue::first_review_due(conn, today.tomorrow, order, today.now)? {
            return Ok(Some(id));
        }
    }
    if counts.new > 0 {
        if let Some(id) = queue::first_new(conn, today.settings.new_card_order)? {
            return Ok(Some(id));
        }
    }
    queue::first_learning_due(conn, today.learn_ahead_until)
}

/// Whether a card may be answered now: it is new, or due by the end of the learn-ahead window
/// (learning) or of today (review).
pub(crate) fn is_answerable(schedule: &crate::schedule::Schedule, today: &Today) -> bool {
    use crate::schedule::CardState::*;
    match (schedule.state, schedule.due) {
        (New, _) | (_, None) => true,
        (Learning | Relearning, Some(due)) => due <= today.learn_ahead_until,
        (Review, Some(due)) => due < today.tomorrow,
    }
}
