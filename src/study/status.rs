//! Today's status: how many cards are due by kind, how many there are, and when the next
//! studied card falls due.

use chrono::{DateTime, FixedOffset};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::card_view::rfc3339;
use super::queue::Counts;
use crate::error::Result;
use crate::store::queue;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Status {
    pub new: u32,
    pub learning: u32,
    pub review: u32,
    /// Every card in the collection, hidden ones and quiz questions waiting for their lesson
    /// included: the number the statistics, the browser and the packs add up to.
    pub total_cards: u32,
    /// RFC 3339; the earliest moment a studied card falls due, or null if none was studied.
    pub next_due: Option<String>,
}

/// The status around counts already computed.
pub(crate) fn status(
    conn: &Connection,
    counts: Counts,
    now: DateTime<FixedOffset>,
) -> Result<Status> {
    let total_cards = queue::collection_total(conn)?;
    Ok(Status {
        new: counts.new,
        learning: counts.learning,
        review: counts.review,
        total_cards,
        next_due: queue::next_due(conn)?.map(|d| rfc3339(d, now.offset())),
    })
}
