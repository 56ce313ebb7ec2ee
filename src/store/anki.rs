//! The rows an Anki import writes beyond a pack install's: cards with the schedule Anki gave
//! them, and Anki's review log. Run once per row inside the caller's transaction.

use rusqlite::OptionalExtension;

use super::encoding::F32Bits;
use super::install::Kept;
use super::review_quarters::{Counted, Tally};
use super::search_index::CardFacet;
use super::{Batch, Hidden, NewQueue};
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::import::anki::history::ImportedReview;
use crate::schedule::Schedule;

/// `None` if the card is new to the collection, else whether it was answered in Reprise.
pub fn answered_here(batch: &mut Batch, card: CardId) -> Result<Option<bool>> {
    // Reprise's answers have UUIDv7 ids, imported ones UUIDv5.
    Ok(batch
        .stmt(
            "SELECT EXISTS (SELECT 1 FROM revlog
                            WHERE card_id = cards.id AND substr(hex(uuid), 13, 1) = '7')
             FROM cards WHERE id = ?1",
        )?
        .query_row([card.0], |r| r.get(0))
        .optional()?)
}

/// Whether the log holds any answer of `card` (a seek in its primary key).
pub fn has_answers(batch: &mut Batch, card: CardId) -> Result<bool> {
    Ok(batch
        .stmt("SELECT EXISTS (SELECT 1 FROM revlog WHERE card_id = ?1)")?
        .query_row([card.0], |r| r.get(0))?)
}

/// The insert of a card with Anki's schedule, shared by [`insert_card`] and [`upsert_card`]
/// (which indexes its cards after).
macro_rules! insert_card_sql {
    ($indexed_columns:literal, $indexed_values:literal) => {
        concat!(
            "INSERT INTO cards (id, note_id, template, position, new_queue, state, due, stability,
               difficulty, step, interval_days, last_review, reps, lapses, hidden",
            $indexed_columns,
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15",
            $indexed_values,
            ")"
        )
    };
}

/// Inserts a card with Anki's schedule (in the normal new-card queue), or overwrites an existing
/// card's place and schedule; Anki's suspension replaces its own, its other hidden bits stay.
pub fn upsert_card(
    batch: &mut Batch,
    kept: &Kept,
    (card, note): (CardId, NoteId),
    (template, position): (&str, i64),
    s: &Schedule,
    hidden: Hidden,
) -> Result<()> {
    // Not a card the learner retired, nor one of a note they deleted.
    if kept.is_retired(card, note) {
        return Ok(());
    }
    const UPSERT: &str = concat!(
        insert_card_sql!("", ""),
        " ON CONFLICT (id) DO UPDATE SET position = excluded.position, state = excluded.state,
           due = excluded.due, stability = excluded.stability, difficulty = excluded.difficulty,
           step = excluded.step, interval_days = excluded.interval_days,
           last_review = excluded.last_review, reps = excluded.reps, lapses = excluded.lapses,
           hidden = (cards.hidden & ~?16) | excluded.hidden"
    );
    let place = (template, position);
    write_card(batch, UPSERT, (card, note), place, s, hidden, None)
}

/// Inserts a card new to the collection with Anki's schedule, as [`upsert_card`] would, and
/// where the browser's index has it (written just before): for a deck imported the first time,
/// whose cards cannot be there (an upsert's conflict handling costs a temporary table per row).
pub fn insert_card(
    batch: &mut Batch,
    (card, note): (CardId, NoteId),
    (template, position): (&str, i64),
    s: &Schedule,
    hidden: Hidden,
    indexed: CardFacet,
) -> Result<()> {
    // (?16 is the upsert's.)
    const INSERT: &str = insert_card_sql!(", doc, facet, lessons", ", ?17, ?18, ''");
    let place = (template, position);
    write_card(batch, INSERT, (card, note), place, s, hidden, Some(indexed))
}

fn write_card(
    batch: &mut Batch,
    sql: &'static str,
    (card, note): (CardId, NoteId),
    (template, position): (&str, i64),
    s: &Schedule,
    hidden: Hidden,
    indexed: Option<CardFacet>,
) -> Result<()> {
    let values: [&dyn rusqlite::ToSql; 18] = [
        &card.0,
        &note.0,
        &template,
        &position,
        &NewQueue::Normal,
        &s.state,
        &s.due.map(|d| d.timestamp_millis()),
        &s.memory.map(|m| m.stability),
        &s.memory.map(|m| m.difficulty),
        &s.step,
        &s.interval_days,
        &s.last_review.map(|d| d.timestamp_millis()),
        &s.reps,
        &s.lapses,
        &hidden,
        &Hidden::SUSPENDED,
        &indexed.map(|i| i.doc),
        &indexed.map(|i| i.facet),
    ];
    let stmt = batch.stmt(sql)?;
    // The upsert also binds which hidden bit Anki's suspension replaces, the insert where the
    // card is indexed.
    let bound = values.into_iter().take(stmt.parameter_count());
    stmt.execute(rusqlite::params_from_iter(bound))?;
    Ok(())
}

/// Imported answers one statement writes: a statement per row cost a third of a million-row
/// log's writing in binding and stepping alone. 64 rows bind 896 values (SQLite allows 32,766).
const REVIEWS_AT_ONCE: usize = 64;

/// The columns of an imported answer's row, in the order [`bind_review`] binds them.
const REVIEW_COLUMNS: usize = 14;

/// An imported answer to log: its card, the answer, and whether the log held answers of that
/// card before this import (only then may the answer be there already).
pub type ReviewRow<'a> = (CardId, &'a ImportedReview, bool);

/// Logs imported answers, skipping those the log has already (the same card, time and id);
/// returns how many were added. What is logged is added to `tally`, for the caller to write to
/// the statistics' summary.
pub fn insert_reviews(batch: &mut Batch, rows: &[ReviewRow], tally: &mut Tally) -> Result<usize> {
    let mut chunks = rows.chunks_exact(REVIEWS_AT_ONCE);
    let mut added = 0;
    for chunk in chunks.by_ref() {
        added += insert_chunk(batch, chunk, tally)?;
    }
    for row in chunks.remainder() {
        added += insert_chunk(batch, std::slice::from_ref(row), tally)?;
    }
    Ok(added)
}

/// The insert of `rows` answers (64 or 1); `returning` the rows it added, for a chunk some of
/// whose answers may be logged already.
fn insert_reviews_sql(rows: usize, returning: bool) -> &'static str {
    static SQL: [std::sync::OnceLock<String>; 4] = [const { std::sync::OnceLock::new() }; 4];
    let at = usize::from(rows == 1) * 2 + usize::from(returning);
    SQL[at].get_or_init(|| {
        let values = format!("({})", ["?"; REVIEW_COLUMNS].join(", "));
        let returned = match returning {
            true => format!(" RETURNING {}", Counted::COLUMNS),
            false => String::new(),
        };
        format!(
            "INSERT INTO revlog (uuid, card_id, reviewed_at, rating, elapsed_days, interval_days,
                duration_ms, state_before, state_after, stability_before, difficulty_before,
                stability_after, difficulty_after, last_interval_days)
             VALUES {} ON CONFLICT DO NOTHING{returned}",
            vec![values; rows].join(", ")
        )
    })
}

/// Writes `chunk` (64 rows, or 1); returns how many were added.
fn insert_chunk(batch: &mut Batch, chunk: &[ReviewRow], tally: &mut Tally) -> Result<usize> {
    debug_assert!(chunk.len() == REVIEWS_AT_ONCE || chunk.len() == 1);
    let known = chunk.iter().any(|&(_, _, known)| known);
    let stmt = batch.stmt(insert_reviews_sql(chunk.len(), known))?;
    for (at, &(card, r, _)) in chunk.iter().enumerate() {
        bind_review(stmt, at * REVIEW_COLUMNS, card, r)?;
    }
    if !known {
        // No answer of these cards was logged: every row is added.
        let added = stmt.raw_execute()?;
        for (_, r, _) in chunk {
            tally.add(&counted(r));
        }
        return Ok(added);
    }
    // Some may be logged already (a package imported again, or its answers synced from a
    // device that imported it): only the rows added are returned, and counted.
    let mut added = 0;
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next()? {
        tally.add(&Counted::from_row(row, 0)?);
        added += 1;
    }
    Ok(added)
}

/// Binds answer `r` of `card` to the 14 parameters after the first `before`.
fn bind_review(
    stmt: &mut rusqlite::Statement,
    before: usize,
    card: CardId,
    r: &ImportedReview,
) -> Result<()> {
    let at = |i: usize| before + i;
    stmt.raw_bind_parameter(at(1), r.uuid.as_bytes().as_slice())?;
    stmt.raw_bind_parameter(at(2), card.0)?;
    stmt.raw_bind_parameter(at(3), r.reviewed_ms)?;
    stmt.raw_bind_parameter(at(4), r.rating.number())?;
    stmt.raw_bind_parameter(at(5), r.elapsed_days)?;
    stmt.raw_bind_parameter(at(6), r.interval_days())?;
    stmt.raw_bind_parameter(at(7), r.duration_ms)?;
    stmt.raw_bind_parameter(at(8), r.state_before.to_i64())?;
    stmt.raw_bind_parameter(at(9), r.state_after.to_i64())?;
    stmt.raw_bind_parameter(at(10), r.before.map(|m| F32Bits(m.stability)))?;
    stmt.raw_bind_parameter(at(11), r.before.map(|m| F32Bits(m.difficulty)))?;
    stmt.raw_bind_parameter(at(12), F32Bits(r.after.stability))?;
    stmt.raw_bind_parameter(at(13), F32Bits(r.after.difficulty))?;
    stmt.raw_bind_parameter(at(14), r.last_interval_days())?;
    Ok(())
}

fn counted(r: &ImportedReview) -> Counted {
    Counted {
        reviewed_at: r.reviewed_ms,
        rating: r.rating.number(),
        state_before: r.state_before.to_i64(),
        last_interval_days: r.last_interval_days(),
        duration_ms: i64::from(r.duration_ms),
    }
}
