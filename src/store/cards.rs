//! Reading and writing cards and notes. `row_to_card` is the one mapping from a row to a card.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::ids::{CardId, NoteId};
use crate::schedule::{Memory, Schedule};
use crate::store::{sql, Hidden};

#[derive(Debug, Clone)]
pub struct CardRow {
    pub id: CardId,
    pub note_id: NoteId,
    pub template: String,
    pub schedule: Schedule,
    /// Why the card is kept out of study, if it is.
    pub hidden: Hidden,
    /// Unix milliseconds: when a buried card comes back.
    pub buried_until: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NoteRow {
    pub id: NoteId,
    pub pack_id: String,
    pub kind: String,
    /// JSON; its shape depends on `kind`.
    pub fields: String,
}

pub const CARD_COLUMNS: &str = "id, note_id, template, state, due, stability, difficulty, step, \
                                interval_days, last_review, reps, lapses, hidden, buried_until";

pub fn row_to_card(row: &Row) -> rusqlite::Result<CardRow> {
    let state = row.get(3)?;
    let stability: Option<f32> = row.get(5)?;
    let difficulty: Option<f32> = row.get(6)?;
    let memory = stability
        .zip(difficulty)
        .map(|(stability, difficulty)| Memory {
            stability,
            difficulty,
        });
    Ok(CardRow {
        id: CardId(row.get(0)?),
        note_id: NoteId(row.get(1)?),
        template: row.get(2)?,
        schedule: Schedule {
            state,
            memory,
            step: row.get(7)?,
            due: row
                .get::<_, Option<i64>>(4)?
                .and_then(DateTime::<Utc>::from_timestamp_millis),
            interval_days: row.get(8)?,
            last_review: row
                .get::<_, Option<i64>>(9)?
                .and_then(DateTime::<Utc>::from_timestamp_millis),
            reps: row.get(10)?,
            lapses: row.get(11)?,
        },
        hidden: row.get(12)?,
        buried_until: row.get(13)?,
    })
}

pub fn get_card(conn: &Connection, id: CardId) -> Result<CardRow> {
    conn.prepare_cached(&format!("SELECT {CARD_COLUMNS} FROM cards WHERE id = ?1"))?
        .query_row([id.0], row_to_card)
        .optional()?
        .ok_or_else(|| Error::unknown_card(id.0))
}

pub fn get_note(conn: &Connection, id: NoteId) -> Result<NoteRow> {
    Ok(conn
        .prepare_cached("SELECT id, kind, unpack_fields(fields), pack_id FROM notes WHERE id = ?1")?
        .query_row([id.0], |r| {
            Ok(NoteRow {
                id: NoteId(r.get(0)?),
                kind: r.get(1)?,
                fields: r.get(2)?,
                pack_id: r.get(3)?,
            })
        })?)
}

/// A note's fields (JSON), if the note exists.
pub fn note_fields(batch: &mut super::Batch, id: NoteId) -> Result<Option<String>> {
    Ok(batch
        .stmt("SELECT unpack_fields(fields) FROM notes WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))
        .optional()?)
}

pub fn write_schedule(conn: &Connection, id: CardId, s: &Schedule) -> Result<()> {
    if !write_schedule_if_installed(conn, id, s)? {
        return Err(Error::unknown_card(id.0));
    }
    Ok(())
}

/// Writes a card's schedule if the card is installed here; false if it is not.
pub fn write_schedule_if_installed(conn: &Connection, id: CardId, s: &Schedule) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE cards SET state = ?2, due = ?3, stability = ?4, difficulty = ?5, step = ?6,
                interval_days = ?7, last_review = ?8, reps = ?9, lapses = ?10
             WHERE id = ?1",
        )?
        .execute(rusqlite::params![
            id.0,
            s.state,
            s.due.map(|d| d.timestamp_millis()),
            s.memory.map(|m| m.stability),
            s.memory.map(|m| m.difficulty),
            s.step,
            s.interval_days,
            s.last_review.map(|d| d.timestamp_millis()),
            s.reps,
            s.lapses,
        ])?;
    Ok(changed > 0)
}

/// Sets a card's hidden bits and burial end (Unix milliseconds).
pub fn set_hidden(
    conn: &Connection,
    id: CardId,
    hidden: Hidden,
    buried_until: Option<i64>,
) -> Result<()> {
    conn.prepare_cached("UPDATE cards SET hidden = ?2, buried_until = ?3 WHERE id = ?1")?
        .execute(rusqlite::params![id.0, hidden, buried_until])?;
    Ok(())
}

/// Buries the cards `filter` selects (a `WHERE` clause with `?2`… bound to `params`) until
/// `until` (Unix milliseconds); returns how many.
pub fn bury_where(conn: &Connection, filter: &str, params: &[i64], until: i64) -> Result<usize> {
    let mut values = vec![until];
    values.extend_from_slice(params);
    Ok(conn
        .prepare_cached(&format!(
            "UPDATE cards SET hidden = hidden | {}, buried_until = ?1 WHERE {filter}",
            Hidden::BURIED.0
        ))?
        .execute(rusqlite::params_from_iter(&values))?)
}

/// The cards `filter` selects (a `WHERE` clause over `cards`, with `?1`… bound to `params`).
pub fn ids_where(conn: &Connection, filter: &str, params: &[i64]) -> Result<Vec<CardId>> {
    // The filter's parameters start at ?2 (?1 is the burial's end): keep the numbering.
    let mut values = vec![0];
    values.extend_from_slice(params);
    Ok(conn
        .prepare_cached(&format!(
            "SELECT id FROM cards WHERE ?1 = ?1 AND ({filter})"
        ))?
        .query_map(rusqlite::params_from_iter(&values), |r| {
            Ok(CardId(r.get(0)?))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Whether any card's burial ended at or before `now`.
pub fn any_burial_over(conn: &Connection, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM cards WHERE {} AND buried_until <= ?1)",
            sql::BURIED
        ))?
        .query_row([now.timestamp_millis()], |r| r.get(0))?)
}

/// Brings back the cards whose burial ended at or before `now`; returns how many.
pub fn unbury_until(conn: &Connection, now: DateTime<Utc>) -> Result<usize> {
    Ok(conn
        .prepare_cached(&format!(
            "UPDATE cards SET hidden = hidden & ~{}, buried_until = NULL
             WHERE {} AND buried_until <= ?1",
            Hidden::BURIED.0,
            sql::BURIED
        ))?
        .execute([now.timestamp_millis()])?)
}

/// How many visible review cards fell due before `before`.
pub fn overdue_count(conn: &Connection, before: DateTime<Utc>) -> Result<u32> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM cards WHERE {} AND due < ?1 AND {}",
            sql::IS_REVIEW,
            sql::VISIBLE
        ))?
        .query_row([before.timestamp_millis()], |r| r.get(0))?)
}

/// The visible review cards due before `before`, lowest retrievability at `now` first.
pub fn overdue_by_risk(
    conn: &Connection,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<CardId>> {
    Ok(conn
        .prepare(&format!(
            "SELECT id FROM cards WHERE {} AND due < ?1 AND {} ORDER BY {}, id",
            sql::IS_REVIEW,
            sql::VISIBLE,
            sql::lowest_retrievability_first(2)
        ))?
        .query_map([before.timestamp_millis(), now.timestamp_millis()], |r| {
            r.get(0).map(CardId)
        })?
        .collect::<rusqlite::Result<_>>()?)
}
