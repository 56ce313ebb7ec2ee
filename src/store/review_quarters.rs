//! The review log summed per quarter hour (migration 15's `review_quarters`, kept in step by
//! triggers on `revlog`): what the statistics screen reads instead of a year of the log.

use rusqlite::Connection;

use crate::error::Result;

/// A quarter hour in milliseconds: the finest step of any time zone's offset, so every answer in
/// one quarter falls on the same learner's day.
pub const QUARTER_MS: i64 = 900_000;

/// The kind of an answer, as the summary counts it: by the card's state before the answer and
/// its interval then (young under 21 days, mature from 21, as Anki counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    Learning = 0,
    Young = 1,
    Mature = 2,
}

/// One quarter hour's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quarter {
    /// Its start, in quarter hours since the epoch.
    pub quarter: i64,
    /// Time spent answering, in milliseconds.
    pub millis: i64,
    /// Answers by kind ([`AnswerKind`] as index) and rating (Again first).
    pub answers: [[u32; 4]; 3],
}

impl Quarter {
    pub fn reviews(&self) -> u32 {
        self.answers.iter().flatten().sum()
    }
}

/// The quarters from `first` on (in quarter hours since the epoch), in time order.
pub fn since(conn: &Connection, first: i64, mut each: impl FnMut(Quarter)) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT quarter, millis, learning_again, learning_hard, learning_good, learning_easy,
           young_again, young_hard, young_good, young_easy,
           mature_again, mature_hard, mature_good, mature_easy
         FROM review_quarters WHERE quarter >= ?1 ORDER BY quarter",
    )?;
    let mut rows = stmt.query([first])?;
    while let Some(row) = rows.next()? {
        let mut answers = [[0u32; 4]; 3];
        for (i, slot) in answers.iter_mut().flatten().enumerate() {
            // Never negative: the triggers take away only what they added.
            *slot = row.get::<_, i64>(2 + i)?.max(0) as u32;
        }
        each(Quarter {
            quarter: row.get(0)?,
            millis: row.get(1)?,
            answers,
        });
    }
    Ok(())
}

/// Fills the summary from the whole log (migration 15). The log is read in time order through
/// its `revlog_time` index and folded here: a `GROUP BY` in SQL sorted 10M rows in a temporary
/// B-tree and took 8× as long. The answer's kind is the triggers' own expression.
pub(super) fn fill(conn: &Connection) -> Result<()> {
    let mut read = conn.prepare(
        "SELECT reviewed_at / 900000, max(duration_ms, 0), rating,
           CASE WHEN state_before != 2 THEN 0 WHEN last_interval_days < 21 THEN 1 ELSE 2 END
         FROM revlog ORDER BY reviewed_at",
    )?;
    let mut write = conn.prepare(
        "INSERT INTO review_quarters VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
           ?13, ?14)",
    )?;
    let mut flush = |q: &Quarter| -> Result<()> {
        let mut values: Vec<i64> = vec![q.quarter, q.millis];
        values.extend(q.answers.iter().flatten().map(|&n| i64::from(n)));
        write.execute(rusqlite::params_from_iter(values))?;
        Ok(())
    };
    let mut current: Option<Quarter> = None;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let quarter: i64 = row.get(0)?;
        let (millis, rating, kind): (i64, i64, i64) = (row.get(1)?, row.get(2)?, row.get(3)?);
        if current.is_some_and(|c| c.quarter != quarter) {
            flush(&current.take().expect("checked"))?;
        }
        let q = current.get_or_insert(Quarter {
            quarter,
            millis: 0,
            answers: [[0; 4]; 3],
        });
        q.millis += millis;
        q.answers[kind.clamp(0, 2) as usize][(rating.clamp(1, 4) - 1) as usize] += 1;
    }
    if let Some(q) = current {
        flush(&q)?;
    }
    Ok(())
}
