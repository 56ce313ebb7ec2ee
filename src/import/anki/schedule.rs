//! A card's schedule as Anki left it, with the memory state its history gives. The card's
//! numbers were checked against [`super::limits`] first; what is computed from them is checked
//! again here, so nothing from the file reaches arithmetic unchecked.

use chrono::{DateTime, Utc};

use super::collection::Card;
use super::history::History;
use super::limits::{due_of, due_secs, MAX_INTERVAL_DAYS, MAX_TIME};
use crate::error::Result;
use crate::schedule::{CardState, Memory, Schedule, Scheduler};

/// A card's `data`: may hold Anki's FSRS memory (`s`, `d`) and last review time (`lrt`).
#[derive(serde::Deserialize, Default)]
struct CardData {
    s: Option<f32>,
    d: Option<f32>,
    /// Last review, unix seconds.
    lrt: Option<i64>,
}

/// The memory Anki's FSRS stored for the card, if it is one FSRS could give.
fn stored_memory(data: &CardData) -> Option<Memory> {
    let (stability, difficulty) = (data.s?, data.d?);
    let stability_ok = stability.is_finite()
        && stability > 0.0
        && f64::from(stability) <= 10.0 * MAX_INTERVAL_DAYS as f64;
    let difficulty_ok = (1.0..=10.0).contains(&difficulty);
    (stability_ok && difficulty_ok).then_some(Memory {
        stability,
        difficulty,
    })
}

/// The card's schedule: `created` is the collection's first day (unix seconds); the card passed
/// [`super::limits::card_problem`].
pub fn schedule(
    card: &Card,
    history: &History,
    created: i64,
    scheduler: &Scheduler,
) -> Result<Schedule> {
    let state = match card.kind {
        1 => CardState::Learning,
        2 => CardState::Review,
        3 => CardState::Relearning,
        _ => CardState::New,
    };
    if state == CardState::New {
        return Ok(Schedule::new_card());
    }
    let data: CardData = serde_json::from_str(&card.data).unwrap_or_default();
    let interval = card.interval.clamp(0, MAX_INTERVAL_DAYS);
    let memory = match history.memory {
        Some(m) => Some(m),
        None => match stored_memory(&data) {
            Some(m) => Some(m),
            None if interval > 0 => {
                let ease = if (1300..=5000).contains(&card.factor) {
                    card.factor as f32 / 1000.0
                } else {
                    2.5
                };
                Some(scheduler.memory_from_sm2(ease, interval as f32)?)
            }
            None => None,
        },
    };
    let due = due_secs(due_of(card), created).and_then(|s| DateTime::<Utc>::from_timestamp(s, 0));
    let stored_review = data
        .lrt
        .filter(|s| (0..=MAX_TIME).contains(s))
        .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0));
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    Ok(Schedule {
        state,
        memory,
        step: 0,
        due,
        interval_days: interval as f64,
        last_review: history.last_answer.or(stored_review),
        reps: count(card.reps),
        lapses: count(card.lapses),
    })
}
