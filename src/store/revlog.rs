//! The review log: one row per answer, append-only except that undo removes the row it added.
//! Rows are kept by card, then time ([`AnswerId`] finds one).

use chrono::{DateTime, FixedOffset, Utc};

use crate::clock::instant_text;
use rusqlite::Connection;
use serde::Serialize;
use uuid::{NoContext, Timestamp, Uuid};

use super::encoding::F32Bits;
use super::review_quarters::{self, Counted, Tally};
use crate::error::Result;
use crate::ids::CardId;
use crate::schedule::{CardState, Rating, Schedule};

/// A logged answer: its card and its id, which find its row (the primary key is the card, the
/// time and the id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerId {
    pub card: CardId,
    pub uuid: Uuid,
}

impl AnswerId {
    /// The condition that selects the answer's row, bound to [`AnswerId::params`].
    pub(crate) const WHERE: &'static str = "card_id = ?1 AND uuid = ?2";

    /// The values of [`AnswerId::WHERE`]'s parameters.
    pub(crate) fn params(&self) -> (i64, &[u8]) {
        (self.card.0, self.uuid.as_bytes().as_slice())
    }

    /// Reads the card and the id from columns `first` and `first + 1` of `row`.
    pub fn from_row(row: &rusqlite::Row, first: usize) -> rusqlite::Result<AnswerId> {
        let uuid: Vec<u8> = row.get(first + 1)?;
        Ok(AnswerId {
            card: CardId(row.get(first)?),
            uuid: Uuid::from_slice(&uuid).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    first + 1,
                    rusqlite::types::Type::Blob,
                    e.into(),
                )
            })?,
        })
    }
}

/// An answer about to be logged.
pub struct ReviewRecord<'a> {
    pub card_id: CardId,
    pub reviewed_at: DateTime<Utc>,
    pub rating: Rating,
    pub elapsed_days: u32,
    pub interval_days: f64,
    pub duration_ms: u32,
    pub before: &'a Schedule,
    pub after: &'a Schedule,
}

/// A logged answer, as `reprise show` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ReviewEntry {
    pub id: String,
    pub reviewed_at: String,
    pub rating: Rating,
    pub elapsed_days: u32,
    pub interval_days: f64,
    pub duration_ms: u32,
    pub state_before: CardState,
    pub state_after: CardState,
    pub stability_before: Option<f32>,
    pub difficulty_before: Option<f32>,
    pub stability_after: f32,
    pub difficulty_after: f32,
}

/// Appends the answer and returns its id.
pub fn insert(conn: &Connection, r: &ReviewRecord) -> Result<AnswerId> {
    // A new uuid: no row to look for first.
    let id = AnswerId {
        card: r.card_id,
        uuid: review_uuid(r.reviewed_at),
    };
    let now = write_row(conn, id, r, false)?;
    review_quarters::count(conn, &now, 1)?;
    Ok(id)
}

/// Writes the log row of answer `uuid`: a new row, or, for an answer already logged (one a
/// sync folded again), what the answer found and gave. The statistics' summary hears of it
/// through `tally`, which the caller writes once its rows are written.
pub fn write(conn: &Connection, uuid: Uuid, r: &ReviewRecord, tally: &mut Tally) -> Result<()> {
    // An answer logged already is counted again as it is now (its kind may change).
    let id = AnswerId {
        card: r.card_id,
        uuid,
    };
    let logged = Counted::of_answer(conn, id)?;
    let now = write_row(conn, id, r, logged.is_some())?;
    if let Some(logged) = &logged {
        tally.take(logged);
    }
    tally.add(&now);
    Ok(())
}

/// Writes answer `id`'s row (over the row logged if `logged`); returns what the statistics'
/// summary counts of it, for the caller to count.
fn write_row(conn: &Connection, id: AnswerId, r: &ReviewRecord, logged: bool) -> Result<Counted> {
    let after = r.after.memory.expect("an answered card has a memory state");
    conn.prepare_cached(
        "INSERT INTO revlog (uuid, card_id, reviewed_at, rating, elapsed_days, interval_days,
            duration_ms, state_before, state_after, stability_before, difficulty_before,
            stability_after, difficulty_after, last_interval_days)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT DO UPDATE SET elapsed_days = excluded.elapsed_days,
           interval_days = excluded.interval_days, state_before = excluded.state_before,
           state_after = excluded.state_after, stability_before = excluded.stability_before,
           difficulty_before = excluded.difficulty_before,
           stability_after = excluded.stability_after,
           difficulty_after = excluded.difficulty_after,
           last_interval_days = excluded.last_interval_days",
    )?
    .execute(rusqlite::params![
        id.uuid.as_bytes().as_slice(),
        id.card.0,
        r.reviewed_at.timestamp_millis(),
        r.rating.number(),
        r.elapsed_days,
        r.interval_days,
        r.duration_ms,
        r.before.state.to_i64(),
        r.after.state.to_i64(),
        r.before.memory.map(|m| F32Bits(m.stability)),
        r.before.memory.map(|m| F32Bits(m.difficulty)),
        F32Bits(after.stability),
        F32Bits(after.difficulty),
        r.before.interval_days,
    ])?;
    Ok(match logged {
        true => Counted::of_answer(conn, id)?.expect("just written"),
        false => Counted {
            reviewed_at: r.reviewed_at.timestamp_millis(),
            rating: r.rating.number(),
            state_before: r.before.state.to_i64(),
            last_interval_days: r.before.interval_days,
            duration_ms: i64::from(r.duration_ms),
        },
    })
}

/// Calls `each` with every answer as the FSRS tools read it — card id, time (Unix
/// milliseconds), rating, state before, duration (milliseconds) — oldest first, and stops at its
/// first error. Errors come back as I/O errors: the caller is writing the answers to a file.
pub fn each_for_fsrs(
    conn: &Connection,
    mut each: impl FnMut([i64; 5]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut stmt = conn
        .prepare(
            "SELECT card_id, reviewed_at, rating, state_before, duration_ms FROM revlog
             ORDER BY reviewed_at, card_id, uuid",
        )
        .map_err(std::io::Error::other)?;
    let mut query = stmt.query([]).map_err(std::io::Error::other)?;
    while let Some(r) = query.next().map_err(std::io::Error::other)? {
        each([0, 1, 2, 3, 4].map(|i| r.get(i).unwrap_or_default()))?;
    }
    Ok(())
}

/// A UUIDv7 stamped with the answer's own moment, not the wall clock's: a log written with a
/// fixed or travelled clock still sorts as the answers happened, on every device.
fn review_uuid(at: DateTime<Utc>) -> Uuid {
    let seconds = u64::try_from(at.timestamp()).unwrap_or(0);
    Uuid::new_v7(Timestamp::from_unix(
        NoContext,
        seconds,
        at.timestamp_subsec_nanos(),
    ))
}

/// Deletes the answer's row (undo, or another device taking it back).
pub fn delete(conn: &Connection, id: AnswerId) -> Result<()> {
    delete_counted(conn, AnswerId::WHERE, id.params()).map(drop)
}

/// Deletes the log's rows `condition` selects, taking them out of the summary; returns how many.
pub fn delete_counted(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> Result<usize> {
    let deleted: Vec<Counted> = conn
        .prepare_cached(&format!(
            "DELETE FROM revlog WHERE {condition} RETURNING {}",
            Counted::COLUMNS
        ))?
        .query_map(params, |row| Counted::from_row(row, 0))?
        .collect::<rusqlite::Result<_>>()?;
    for answer in &deleted {
        review_quarters::count(conn, answer, -1)?;
    }
    Ok(deleted.len())
}

/// A card's answers, oldest first; times in `offset`.
pub fn for_card(conn: &Connection, card: CardId, offset: &FixedOffset) -> Result<Vec<ReviewEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT uuid, reviewed_at, rating, elapsed_days, interval_days, duration_ms,
                state_before, state_after, stability_before, difficulty_before,
                stability_after, difficulty_after
         FROM revlog WHERE card_id = ?1 ORDER BY reviewed_at, uuid",
    )?;
    let rows = stmt.query_map([card.0], |row| {
        let uuid: Vec<u8> = row.get(0)?;
        let state = |i: usize| -> rusqlite::Result<CardState> {
            let v: i64 = row.get(i)?;
            CardState::from_i64(v).ok_or(rusqlite::Error::IntegralValueOutOfRange(i, v))
        };
        let rating: i64 = row.get(2)?;
        Ok(ReviewEntry {
            id: Uuid::from_slice(&uuid)
                .map(|u| u.to_string())
                .unwrap_or_default(),
            reviewed_at: instant_text(
                DateTime::<Utc>::from_timestamp_millis(row.get(1)?).unwrap_or_default(),
                offset,
            ),
            rating: Rating::from_number(rating)
                .ok_or(rusqlite::Error::IntegralValueOutOfRange(2, rating))?,
            elapsed_days: row.get(3)?,
            interval_days: row.get(4)?,
            duration_ms: row.get(5)?,
            state_before: state(6)?,
            state_after: state(7)?,
            stability_before: row.get::<_, Option<F32Bits>>(8)?.map(|v| v.0),
            difficulty_before: row.get::<_, Option<F32Bits>>(9)?.map(|v| v.0),
            stability_after: row.get::<_, F32Bits>(10)?.0,
            difficulty_after: row.get::<_, F32Bits>(11)?.0,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_id_carries_the_moment_of_the_answer() {
        let at = DateTime::parse_from_rfc3339("2031-02-03T04:05:06.789Z")
            .unwrap()
            .with_timezone(&Utc);
        let (a, b) = (review_uuid(at), review_uuid(at));
        assert_eq!(a.get_version_num(), 7);
        let (secs, nanos) = a.get_timestamp().unwrap().to_unix();
        assert_eq!(
            secs as i64 * 1000 + i64::from(nanos / 1_000_000),
            at.timestamp_millis()
        );
        // Two answers in the same millisecond still get their own ids.
        assert_ne!(a, b);
    }
}
