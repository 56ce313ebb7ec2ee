//! Answering a card: the scheduler's choice for the rating, the card's new schedule, its
//! review-log row, siblings buried and a leech marked — all in the caller's one transaction,
//! recorded for undo by the writers of [`Tx`].

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use ts_rs::TS;

use super::actions;
use super::card_view::rfc3339;
use super::present;
use super::queue::{self, Today};
use crate::collection::Tx;
use crate::content;
use crate::error::{Error, Result};
use crate::ids::CardId;
use crate::schedule::{CardState, Context, Rating, Schedule, Scheduler};
use crate::store::{self, CardRow, ReviewRecord};

/// Answers longer than this are logged as this long: the learner probably walked away.
pub const MAX_ANSWER_MS: u32 = 60_000;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AnswerOutcome {
    pub card_id: CardId,
    pub rating: Rating,
    pub state: CardState,
    pub due: String,
    pub interval_days: f64,
    /// The answer made the card a leech: its note is tagged `leech` (and the card suspended, if
    /// the learner chose that).
    pub leech: bool,
    /// Times the card has been forgotten, this answer included.
    pub lapses: u32,
}

/// How the learner answered: a rating for a term card, options chosen for a quiz card.
pub enum Answer<'a> {
    Rated(Rating),
    /// The options chosen (0-based) and the rating asked for if they are right.
    Chosen(&'a [u32], Option<Rating>),
}

/// Fuzz is seeded by the card and its review count: the same card, answered the same way at
/// the same point in its life, gets the same interval on every device.
pub(crate) fn context(id: CardId, schedule: &Schedule, now: DateTime<FixedOffset>) -> Context {
    Context {
        now,
        fuzz_seed: (id.0 as u64).wrapping_add(u64::from(schedule.reps)),
    }
}

/// Schedules the card and writes it, its review-log row and what undo needs; refuses a card that
/// is hidden, not due, or answered the wrong way for its kind.
pub(crate) fn answer(
    tx: &mut Tx,
    scheduler: &Scheduler,
    card_id: CardId,
    answer: Answer,
    now: DateTime<FixedOffset>,
    duration_ms: u32,
) -> Result<AnswerOutcome> {
    let today = Today::new(now, scheduler.settings());
    let card = store::cards::get_card(tx, card_id)?;
    let rating = rating_for(tx, &card, answer)?;
    if !card.hidden.is_visible() {
        return Err(Error::not_studiable(format!(
            "card {card_id} is hidden from study (suspended, or its pack is disabled); \
             `reprise pack enable` brings a pack back"
        )));
    }
    if !queue::is_answerable(&card.schedule, &today) {
        let due = card.schedule.due.map(|d| rfc3339(d, now.offset()));
        return Err(Error::not_studiable(format!(
            "card {card_id} is not due until {}; `reprise next` shows what is due now",
            due.unwrap_or_default()
        )));
    }
    let before = &card.schedule;
    let outcome = scheduler
        .choices(before, context(card_id, before, now))?
        .into_outcome(rating);
    let after = outcome.schedule;
    tx.about(card_id);
    // The review row first: the undo step is then written once, with it.
    tx.log_review(&ReviewRecord {
        card_id,
        reviewed_at: now.to_utc(),
        rating,
        elapsed_days: scheduler.days_elapsed(before, now),
        interval_days: outcome.interval_days,
        duration_ms: duration_ms.min(MAX_ANSWER_MS),
        before,
        after: &after,
    })?;
    tx.write_schedule(&card, &after)?;
    let settings = scheduler.settings();
    if settings.bury_siblings {
        actions::bury_siblings(tx, &card, today.tomorrow)?;
    }
    let lapsed = after.lapses > before.lapses;
    let leech = lapsed && actions::is_leech(after.lapses, settings.leech_threshold);
    if leech {
        actions::mark_leech(tx, &card, settings)?;
    }
    Ok(AnswerOutcome {
        card_id,
        rating,
        state: after.state,
        due: after
            .due
            .map(|d| rfc3339(d, now.offset()))
            .unwrap_or_default(),
        interval_days: outcome.interval_days,
        leech,
        lapses: after.lapses,
    })
}

/// Whether `chosen` answers quiz card `id` right; records nothing (the answer, with its rating,
/// is recorded by [`answer`]).
pub(crate) fn check_quiz(conn: &rusqlite::Connection, id: CardId, chosen: &[u32]) -> Result<bool> {
    let card = store::cards::get_card(conn, id)?;
    let note = store::cards::get_note(conn, card.note_id)?;
    let quiz = present::face(&note, &card.template)?
        .quiz
        .ok_or_else(|| Error::not_studiable(format!("card {id} is not a quiz question")))?;
    // Out-of-range picks are refused as an answer would refuse them.
    present::quiz_rating(&quiz, chosen, None)
        .map(|rating| rating != Rating::Again)
        .map_err(|why| Error::invalid("chosen", format!("card {id}: {why}")))
}

/// The rating an answer gives this card: a term card takes a rating, a quiz card is graded.
fn rating_for(tx: &Tx, card: &CardRow, answer: Answer) -> Result<Rating> {
    let id = card.id;
    let is_quiz = card.template == content::install::QUIZ_TEMPLATE;
    match answer {
        Answer::Rated(_) if is_quiz => Err(Error::not_studiable(format!(
            "card {id} is a quiz question: answer it by choosing options \
             (`reprise answer {id} --choose 1,3`)"
        ))),
        Answer::Rated(rating) => Ok(rating),
        Answer::Chosen(chosen, wanted) => {
            let note = store::cards::get_note(tx, card.note_id)?;
            let quiz = present::face(&note, &card.template)?.quiz.ok_or_else(|| {
                Error::not_studiable(format!(
                    "card {id} is not a quiz question: rate it again, hard, good or easy"
                ))
            })?;
            present::quiz_rating(&quiz, chosen, wanted)
                .map_err(|why| Error::invalid("chosen", format!("card {id}: {why}")))
        }
    }
}
