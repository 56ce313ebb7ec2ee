//! The studied cards' memory and the answers it comes from, as optimizing, rescheduling and
//! simulating read and rewrite them.

use std::sync::LazyLock;

use rusqlite::Connection;

use super::encoding::F32Bits;
use super::{sql, Batch};
use crate::error::Result;
use crate::schedule::{CardState, Memory};

/// One logged answer, as the optimizer reads it.
pub struct LoggedAnswer {
    pub card_id: i64,
    /// Unix milliseconds.
    pub reviewed_at: i64,
    pub rating: u32,
    /// `None` for a state this version does not know.
    pub state_before: Option<CardState>,
}

/// Calls `each` with every logged answer, a card's together and oldest first, in one pass over
/// the log, which is kept in that order.
pub fn each_answer_by_card(conn: &Connection, mut each: impl FnMut(LoggedAnswer)) -> Result<()> {
    let mut stmt = conn.prepare(
        // The log's own order, nothing sorted: answers in the same millisecond by their ids,
        // as a sync fold reads them (`sync::fold`, `sync::reschedule`).
        "SELECT card_id, reviewed_at, rating, state_before FROM revlog
         ORDER BY card_id, reviewed_at, uuid",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        each(LoggedAnswer {
            card_id: row.get(0)?,
            reviewed_at: row.get(1)?,
            rating: row.get(2)?,
            state_before: CardState::from_i64(row.get(3)?),
        });
    }
    Ok(())
}

/// What the log holds of the card before its first answer: stability and difficulty, and the
/// days elapsed since the answer before it.
pub fn before_first_answer(
    batch: &mut Batch,
    card_id: i64,
) -> Result<(Option<f32>, Option<f32>, u32)> {
    Ok(batch
        .stmt(
            "SELECT stability_before, difficulty_before, elapsed_days FROM revlog
             WHERE card_id = ?1 ORDER BY reviewed_at, uuid LIMIT 1",
        )?
        .query_row([card_id], |r| {
            let value = |i| r.get::<_, Option<F32Bits>>(i).map(|v| v.map(|v| v.0));
            Ok((value(0)?, value(1)?, r.get(2)?))
        })?)
}

/// Sets a studied card's memory; false if the card is not studied (or does not exist).
pub fn set_if_studied(batch: &mut Batch, card_id: i64, memory: Memory) -> Result<bool> {
    // Built once: it runs for every studied card.
    static UPDATE: LazyLock<String> = LazyLock::new(|| {
        format!(
            "UPDATE cards SET stability = ?2, difficulty = ?3 WHERE id = ?1 AND {}",
            sql::IS_STUDIED
        )
    });
    let changed = batch.stmt(UPDATE.as_str())?.execute(rusqlite::params![
        card_id,
        memory.stability,
        memory.difficulty
    ])?;
    Ok(changed > 0)
}

/// A studied card's memory and when it falls due.
pub struct StudiedCard {
    pub id: i64,
    pub memory: Memory,
    /// Unix milliseconds.
    pub last_review: i64,
    /// Unix milliseconds; `None` if the card has no due date.
    pub due: Option<i64>,
    pub reps: u32,
    pub lapses: u32,
}

/// The studied cards with a memory that `condition` (over `cards`) selects.
fn studied_where(conn: &Connection, condition: &str) -> Result<Vec<StudiedCard>> {
    Ok(conn
        .prepare(&format!(
            "SELECT id, stability, difficulty, last_review, reps, due, lapses FROM cards
             WHERE {condition} AND stability IS NOT NULL AND last_review IS NOT NULL",
        ))?
        .query_map([], |r| {
            Ok(StudiedCard {
                id: r.get(0)?,
                memory: Memory {
                    stability: r.get(1)?,
                    difficulty: r.get(2)?,
                },
                last_review: r.get(3)?,
                reps: r.get(4)?,
                due: r.get(5)?,
                lapses: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every review card with a memory (hidden ones too).
pub fn review_cards(conn: &Connection) -> Result<Vec<StudiedCard>> {
    studied_where(conn, sql::IS_REVIEW)
}

/// Every visible studied card with a memory.
pub fn visible_studied_cards(conn: &Connection) -> Result<Vec<StudiedCard>> {
    studied_where(conn, &format!("{} AND {}", sql::IS_STUDIED, sql::VISIBLE))
}

/// Moves a card's due date (Unix milliseconds) and sets its interval.
pub fn set_due(batch: &mut Batch, card_id: i64, due: i64, interval_days: f64) -> Result<()> {
    batch
        .stmt("UPDATE cards SET due = ?2, interval_days = ?3 WHERE id = ?1")?
        .execute(rusqlite::params![card_id, due, interval_days])?;
    Ok(())
}
