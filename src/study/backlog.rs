//! Catching up after missed days. The backlog is the review cards that fell due before today.
//! The learner may take them lowest retrievability first (a setting), and may spread them over
//! the next N days: the cards most at risk come first, and new cards pause until the backlog is
//! through.

use chrono::Duration;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::queue::Today;
use crate::collection::Tx;
use crate::error::{Error, Result};
use crate::schedule::Schedule;
use crate::settings::Settings;
use crate::store::cards;

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

pub(crate) fn backlog(conn: &Connection, today: &Today, settings: &Settings) -> Result<Backlog> {
    let overdue = cards::overdue_count(conn, today.start)?;
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
    tx: &mut Tx,
    today: &Today,
    settings: &Settings,
    days: u32,
) -> Result<(Spread, Settings)> {
    if !(1..=MAX_SPREAD_DAYS).contains(&days) {
        return Err(Error::invalid(
            "days",
            format!("the backlog can be spread over 1 to {MAX_SPREAD_DAYS} days, not {days}"),
        ));
    }
    let ids = cards::overdue_by_risk(tx, today.start, today.now)?;
    if ids.is_empty() {
        return Err(Error::not_studiable(
            "there is no backlog to spread: no review card is overdue",
        ));
    }
    let count = ids.len();
    for (i, id) in ids.into_iter().enumerate() {
        let card = cards::get_card(tx, id)?;
        let day = (i * days as usize / count) as i64;
        let schedule = Schedule {
            due: Some(today.start + Duration::days(day)),
            ..card.schedule.clone()
        };
        tx.write_schedule(&card, &schedule)?;
    }
    let until = today.date + Duration::days(i64::from(days));
    let paused = Settings {
        pause_new_until: Some(until),
        ..settings.clone()
    };
    tx.write_settings(settings, &paused)?;
    Ok((
        Spread {
            cards: count as u32,
            days,
            new_paused_until: Some(until.to_string()),
        },
        paused,
    ))
}
