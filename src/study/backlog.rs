//! Catching up after missed days. The backlog is the review cards that fell due before today.
//! The learner may take them lowest retrievability first (a setting), and may spread them over
//! the next N days: the cards most at risk come first, and new cards pause until the backlog is
//! through.

use chrono::Duration;
use rusqlite::{Connection, Transaction};
use serde::Serialize;
use ts_rs::TS;

use super::queue::Today;
use super::undo::Step;
use crate::error::{Error, Result};
use crate::ids::CardId;
use crate::settings::Settings;
use crate::store::{self, cards};

/// The longest catch-up plan, in days.
pub const MAX_SPREAD_DAYS: u32 = 60;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Backlog {
    /// Review cards due before today.
    pub overdue: u32,
    /// The learner's date new cards wait until, if paused.
    pub new_paused_until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Spread {
    pub cards: u32,
    pub days: u32,
    /// The learner's date new cards come back.
    pub new_paused_until: Option<String>,
}

/// Overdue cards, lowest retrievability first (the largest elapsed time over stability).
const OVERDUE: &str = "SELECT id FROM cards WHERE state = 2 AND due < ?1 AND hidden = 0
                       ORDER BY (?2 - last_review) / stability DESC, id";

pub(crate) fn backlog(conn: &Connection, today: &Today, settings: &Settings) -> Result<Backlog> {
    let overdue: u32 = conn
        .prepare_cached("SELECT count(*) FROM cards WHERE state = 2 AND due < ?1 AND hidden = 0")?
        .query_row([today.start.timestamp()], |r| r.get(0))?;
    Ok(Backlog {
        overdue,
        new_paused_until: settings
            .pause_new_until
            .filter(|until| *until > today.date)
            .map(|d| d.to_string()),
    })
}

/// Gives the overdue cards due dates spread evenly over `days` days from today, the lowest
/// retrievability first, and pauses new cards until the last of those days is over.
pub(crate) fn spread(
    tx: &Transaction,
    today: &Today,
    settings: &Settings,
    days: u32,
) -> Result<(Spread, Settings)> {
    if !(1..=MAX_SPREAD_DAYS).contains(&days) {
        return Err(Error::InvalidInput(format!(
            "the backlog can be spread over 1 to {MAX_SPREAD_DAYS} days, not {days}"
        )));
    }
    let ids: Vec<i64> = tx
        .prepare(OVERDUE)?
        .query_map(
            [today.start.timestamp(), today.now.timestamp_millis()],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    if ids.is_empty() {
        return Err(Error::InvalidInput(
            "there is no backlog to spread: no review card is overdue".into(),
        ));
    }
    let step = Step::begin(tx, "spread_backlog", None, None)?;
    let count = ids.len();
    for (i, id) in ids.into_iter().enumerate() {
        let card = cards::get_card(tx, CardId(id))?;
        step.save_card(&card)?;
        let day = (i * days as usize / count) as i64;
        let mut schedule = card.schedule;
        schedule.due = Some(today.start + Duration::days(day));
        cards::write_schedule(tx, card.id, &schedule)?;
    }
    step.save_settings(settings, &["pause_new_until"])?;
    let until = today.date + Duration::days(i64::from(days));
    let paused = Settings {
        pause_new_until: Some(until),
        ..settings.clone()
    };
    store::write_settings(tx, &paused)?;
    Ok((
        Spread {
            cards: count as u32,
            days,
            new_paused_until: Some(until.to_string()),
        },
        paused,
    ))
}
