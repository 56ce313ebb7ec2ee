//! Today's queue: learning cards due now, then due reviews, then new cards, within the daily
//! limits; learning cards due a little later come last (learn ahead), when nothing else is left.
//! Every query walks an index and stops at the limit, so the cost does not grow with the
//! collection.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::day;
use crate::error::Result;
use crate::ids::CardId;
use crate::settings::{NewCardOrder, ReviewOrder, Settings};
use crate::store::sql;

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

/// Answers already given today: new cards introduced and reviews done.
fn done_today(conn: &Connection, today: &Today) -> Result<(u32, u32)> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(sum(state_before = 0), 0), coalesce(sum(state_before = 2), 0)
             FROM revlog WHERE reviewed_at >= ?1",
        )?
        .query_row([today.start.timestamp_millis()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?)
}

/// Counts up to `limit` rows of `sql` (which must select from cards), cheaply.
fn count_up_to(conn: &Connection, sql: &str, params: &[i64], limit: u32) -> Result<u32> {
    if limit == 0 {
        return Ok(0);
    }
    let wrapped = format!("SELECT count(*) FROM ({sql} LIMIT {limit})");
    Ok(conn
        .prepare_cached(&wrapped)?
        .query_row(rusqlite::params_from_iter(params), |r| r.get(0))?)
}

// Every query names `hidden = 0`, so SQLite uses the partial indexes that leave hidden cards out.
// Built once: they run with every card shown.
static LEARNING_DUE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id FROM cards WHERE {} AND due <= ?1 AND {}",
        sql::IS_LEARNING,
        sql::VISIBLE
    )
});
static REVIEW_DUE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id FROM cards WHERE {} AND due < ?1 AND {}",
        sql::IS_REVIEW,
        sql::VISIBLE
    )
});
/// New cards that may be introduced (not quiz questions still waiting for their lesson).
static NEW_CARDS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id FROM cards WHERE {} AND {}",
        sql::NEW_UNLOCKED,
        sql::VISIBLE
    )
});
static NEXT_DUE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT min(due) FROM cards WHERE {} AND {}",
        sql::IS_STUDIED,
        sql::VISIBLE
    )
});

pub(crate) fn counts(conn: &Connection, today: &Today) -> Result<Counts> {
    let s = today.settings;
    let (new_done, review_done) = done_today(conn, today)?;
    let reviews_left = s.reviews_per_day.saturating_sub(new_done + review_done);
    let learning = count_up_to(
        conn,
        &LEARNING_DUE,
        &[today.learn_ahead_until.timestamp_millis()],
        u32::MAX,
    )?;
    let review = count_up_to(
        conn,
        &REVIEW_DUE,
        &[today.tomorrow.timestamp_millis()],
        reviews_left,
    )?;
    let paused = s.pause_new_until.is_some_and(|until| today.date < until);
    let new_per_day = if paused { 0 } else { s.new_per_day };
    let new_left = new_per_day
        .saturating_sub(new_done)
        .min(reviews_left - review);
    let new = count_up_to(conn, &NEW_CARDS, &[], new_left)?;
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
    let first = |sql: &str, params: &[i64]| -> Result<Option<CardId>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row(rusqlite::params_from_iter(params), |r| r.get(0))
            .optional()?
            .map(CardId))
    };
    let learning_by = |until: DateTime<Utc>| {
        first(
            &format!("{} ORDER BY due, id LIMIT 1", *LEARNING_DUE),
            &[until.timestamp_millis()],
        )
    };
    if let Some(id) = learning_by(today.now)? {
        return Ok(Some(id));
    }
    if counts.review > 0 {
        let next = match today.settings.review_order {
            ReviewOrder::Due => first(
                &format!("{} ORDER BY due, id LIMIT 1", *REVIEW_DUE),
                &[today.tomorrow.timestamp_millis()],
            )?,
            ReviewOrder::Retrievability => first(
                &format!(
                    "{} ORDER BY {}, id LIMIT 1",
                    *REVIEW_DUE,
                    sql::lowest_retrievability_first(2)
                ),
                &[
                    today.tomorrow.timestamp_millis(),
                    today.now.timestamp_millis(),
                ],
            )?,
        };
        if let Some(id) = next {
            return Ok(Some(id));
        }
    }
    if counts.new > 0 {
        let order = match today.settings.new_card_order {
            NewCardOrder::Lessons => "new_queue, position, id",
            NewCardOrder::Random => "new_queue, id",
        };
        if let Some(id) = first(&format!("{} ORDER BY {order} LIMIT 1", *NEW_CARDS), &[])? {
            return Ok(Some(id));
        }
    }
    learning_by(today.learn_ahead_until)
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

/// The earliest moment a studied card falls due, if any card has been studied.
pub(crate) fn next_due(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let due: Option<i64> = conn
        .prepare_cached(&NEXT_DUE)?
        .query_row([], |r| r.get(0))?;
    Ok(due.and_then(DateTime::from_timestamp_millis))
}
