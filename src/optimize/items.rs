//! The review log as FSRS reads it. A card's history counts from its last start as a new card
//! (its first answer, or the first after a reset), as Anki reads its own log. Days between
//! answers are the learner's days, counted from the rollover hour, so two answers on one
//! evening are the same day (`delta_t` 0, FSRS's short-term memory) and one before and one after
//! the rollover are a day apart.

use chrono::{DateTime, FixedOffset, Utc};
use fsrs::{FSRSItem, FSRSReview, MemoryState};
use rusqlite::Connection;

use crate::day;
use crate::error::Result;
use crate::schedule::CardState;
use crate::store::memory;

/// One logged answer, with what FSRS needs of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Answer {
    pub at: DateTime<Utc>,
    pub rating: u32,
    pub state_before: CardState,
}

/// What the log says before the first answer of a history that lacks its beginning.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Beginning {
    pub memory: Option<MemoryState>,
    /// Days between the first logged answer and the one before it, which is not in the log.
    pub elapsed_days: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct CardHistory {
    pub card_id: i64,
    pub answers: Vec<Answer>,
    /// Set for a history with no answer to a new card.
    pub beginning: Option<Beginning>,
}

/// The answers FSRS reads for a card: from its last start as new, with whole days between them.
pub(crate) struct Run {
    pub reviews: Vec<FSRSReview>,
    /// Where the memory stood before the run, when the run does not start from a new card.
    pub start: Option<MemoryState>,
}

/// Every card's answers, oldest first, in one pass over the log.
pub(crate) fn histories(conn: &Connection) -> Result<Vec<CardHistory>> {
    let mut histories: Vec<CardHistory> = Vec::new();
    memory::each_answer_by_card(conn, |logged| {
        let answer = Answer {
            at: DateTime::from_timestamp_millis(logged.reviewed_at).unwrap_or_default(),
            rating: logged.rating,
            state_before: logged.state_before.unwrap_or(CardState::Review),
        };
        match histories.last_mut() {
            Some(h) if h.card_id == logged.card_id => h.answers.push(answer),
            _ => histories.push(CardHistory {
                card_id: logged.card_id,
                answers: vec![answer],
                beginning: None,
            }),
        }
    })?;
    // A history without an answer to a new card (imported without its beginning) starts from
    // what was logged before its first answer: rare, so read apart.
    let mut batch = crate::store::Batch::new(conn);
    for history in histories.iter_mut().filter(|h| !h.is_complete()) {
        let (stability, difficulty, elapsed_days) =
            memory::before_first_answer(&mut batch, history.card_id)?;
        history.beginning = Some(Beginning {
            memory: stability
                .zip(difficulty)
                .map(|(stability, difficulty)| MemoryState {
                    stability,
                    difficulty,
                }),
            elapsed_days,
        });
    }
    Ok(histories)
}

impl CardHistory {
    /// The run FSRS reads: from the last answer given to a new card; a history with no such
    /// answer (imported without its beginning) starts from the memory logged before its first
    /// answer.
    pub fn current_run(&self, offset: FixedOffset, rollover_hour: u32) -> Run {
        let from = self
            .answers
            .iter()
            .rposition(|a| a.state_before == CardState::New);
        let (answers, beginning) = match from {
            Some(i) => (&self.answers[i..], None),
            None => (&self.answers[..], self.beginning),
        };
        let start = beginning.and_then(|b| b.memory);
        // Without its beginning, the run's first answer came the logged number of days after
        // an answer that is not in the log.
        let mut previous = None;
        let first_delta = if start.is_some() {
            beginning.map_or(0, |b| b.elapsed_days)
        } else {
            0
        };
        let reviews = answers
            .iter()
            .map(|a| {
                let today = day::day_of(a.at, offset, rollover_hour);
                let delta_t = previous.map_or(first_delta, |p: i64| (today - p).max(0) as u32);
                previous = Some(today);
                FSRSReview {
                    rating: a.rating,
                    delta_t,
                }
            })
            .collect();
        Run { reviews, start }
    }

    /// Whether the run starts from a new card, so it can teach FSRS (a run without its
    /// beginning cannot).
    fn is_complete(&self) -> bool {
        self.answers
            .iter()
            .any(|a| a.state_before == CardState::New)
    }
}

/// Training items, as Anki builds them: for each answer after the first on a later day, the run
/// up to and including it. Returned with the card each item comes from.
pub(crate) fn training_items(
    histories: &[CardHistory],
    offset: FixedOffset,
    rollover_hour: u32,
) -> (Vec<FSRSItem>, Vec<i64>) {
    let mut items = Vec::new();
    let mut cards = Vec::new();
    for history in histories.iter().filter(|h| h.is_complete()) {
        let run = history.current_run(offset, rollover_hour);
        for end in 1..run.reviews.len() {
            if run.reviews[end].delta_t == 0 {
                continue;
            }
            items.push(FSRSItem {
                reviews: run.reviews[..=end].to_vec(),
            });
            cards.push(history.card_id);
        }
    }
    (items, cards)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(at: &str, rating: u32, state_before: CardState) -> Answer {
        Answer {
            at: DateTime::parse_from_rfc3339(at)
                .unwrap()
                .with_timezone(&Utc),
            rating,
            state_before,
        }
    }

    fn offset() -> FixedOffset {
        FixedOffset::east_opt(3600).unwrap()
    }

    #[test]
    fn days_are_counted_from_the_rollover_and_a_reset_starts_a_new_run() {
        use CardState::*;
        let history = CardHistory {
            card_id: 7,
            beginning: None,
            answers: vec![
                answer("2026-01-01T10:00:00+01:00", 3, New),
                answer("2026-01-05T10:00:00+01:00", 3, Review),
                // Reset, then learned again: two answers on one evening, one after midnight
                // but before the 4:00 rollover (the same day), one the day after.
                answer("2026-02-01T20:00:00+01:00", 1, New),
                answer("2026-02-01T20:10:00+01:00", 3, Learning),
                answer("2026-02-02T02:00:00+01:00", 3, Learning),
                answer("2026-02-03T09:00:00+01:00", 3, Review),
            ],
        };
        let run = history.current_run(offset(), 4);
        let deltas: Vec<u32> = run.reviews.iter().map(|r| r.delta_t).collect();
        assert_eq!(deltas, vec![0, 0, 0, 2]);
        assert!(run.start.is_none());
        let (items, cards) = training_items(&[history], offset(), 4);
        // Only the answer on a later day makes an item: the whole run up to it.
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].reviews.len(), 4);
        assert_eq!(cards, vec![7]);
    }

    #[test]
    fn a_history_without_its_beginning_starts_from_its_logged_memory_and_does_not_train() {
        let start = MemoryState {
            stability: 20.0,
            difficulty: 5.0,
        };
        let history = CardHistory {
            card_id: 1,
            answers: vec![
                answer("2026-01-01T10:00:00+01:00", 3, CardState::Review),
                answer("2026-01-30T10:00:00+01:00", 3, CardState::Review),
            ],
            beginning: Some(Beginning {
                memory: Some(start),
                elapsed_days: 18,
            }),
        };
        let run = history.current_run(offset(), 4);
        assert_eq!(run.start, Some(start));
        let deltas: Vec<u32> = run.reviews.iter().map(|r| r.delta_t).collect();
        assert_eq!(deltas, vec![18, 29]);
        assert!(training_items(&[history], offset(), 4).0.is_empty());
    }
}
