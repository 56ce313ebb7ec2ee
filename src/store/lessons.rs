//! Lessons as kept (their fields as JSON), quiz attempts, and moving new cards between the
//! new-card queues when a lesson is finished.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::{sql, NewQueue};
use crate::error::Result;
use crate::ids::CardId;

/// A lesson's fields (JSON), if the pack has that lesson.
pub fn fields(conn: &Connection, pack: &str, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT fields FROM lessons WHERE pack_id = ?1 AND key = ?2")?
        .query_row([pack, key], |r| r.get(0))
        .optional()?)
}

/// How many times the lesson's quiz was taken.
pub fn attempts(conn: &Connection, pack: &str, key: &str) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM quiz_attempts WHERE pack_id = ?1 AND lesson_key = ?2",
        )?
        .query_row([pack, key], |r| r.get(0))?)
}

/// Whether the lesson's quiz was taken at least once (the lesson is finished).
pub fn was_taken(conn: &Connection, pack: &str, key: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM quiz_attempts WHERE pack_id = ?1 AND lesson_key = ?2)",
        )?
        .query_row([pack, key], |r| r.get(0))?)
}

pub fn record_attempt(
    conn: &Connection,
    pack: &str,
    key: &str,
    at: DateTime<Utc>,
    correct: u32,
    total: u32,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO quiz_attempts (pack_id, lesson_key, taken_at, correct, total)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(rusqlite::params![
        pack,
        key,
        at.timestamp_millis(),
        correct,
        total
    ])?;
    Ok(())
}

/// Moves a new card from queue `from` to `to`; false if it is not new or not in `from`.
pub fn move_new_card(
    conn: &Connection,
    card: CardId,
    from: NewQueue,
    to: NewQueue,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(&format!(
            "UPDATE cards SET new_queue = ?3 WHERE id = ?1 AND {} AND new_queue = ?2",
            sql::IS_NEW
        ))?
        .execute(rusqlite::params![card.0, from, to])?
        > 0)
}
