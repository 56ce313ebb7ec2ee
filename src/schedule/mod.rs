//! Scheduling: the next state of a card for each rating, computed by the `fsrs` crate.
//!
//! Pure: no database, no clock. [`Scheduler::choices`] takes a card's scheduling state and a
//! [`Context`] (now, the learner's day, days elapsed) and returns the four possible outcomes.
//! FSRS gives memory states and unrounded intervals; this module adds what FSRS leaves to the
//! caller: same-day learning steps, rounding, the maximum interval, ordering and fuzz.

mod fuzz;
mod label;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use fsrs::{MemoryState, NextStates, FSRS};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::day;
use crate::error::{Error, Result};
use crate::settings::Settings;

pub use fuzz::fuzz_range;
pub use label::interval_label;

/// Where a card is in its life. Stored as an integer; the conversions live here only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    New,
    Learning,
    Review,
    Relearning,
}

impl CardState {
    pub fn to_i64(self) -> i64 {
        match self {
            CardState::New => 0,
            CardState::Learning => 1,
            CardState::Review => 2,
            CardState::Relearning => 3,
        }
    }

    pub fn from_i64(value: i64) -> Option<Self> {
        Some(match value {
            0 => CardState::New,
            1 => CardState::Learning,
            2 => CardState::Review,
            3 => CardState::Relearning,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CardState::New => "new",
            CardState::Learning => "learning",
            CardState::Review => "review",
            CardState::Relearning => "relearning",
        }
    }
}

/// The learner's answer: 1 Again … 4 Easy, as FSRS numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Again,
    Hard,
    Good,
    Easy,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    pub fn number(self) -> i64 {
        match self {
            Rating::Again => 1,
            Rating::Hard => 2,
            Rating::Good => 3,
            Rating::Easy => 4,
        }
    }

    pub fn from_number(n: i64) -> Option<Self> {
        Rating::ALL
            .get(usize::try_from(n).ok()?.checked_sub(1)?)
            .copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Again => "again",
            Rating::Hard => "hard",
            Rating::Good => "good",
            Rating::Easy => "easy",
        }
    }
}

impl std::str::FromStr for Rating {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let lower = s.trim().to_ascii_lowercase();
        Rating::ALL
            .into_iter()
            .find(|r| r.as_str() == lower || r.number().to_string() == lower)
            .ok_or_else(|| {
                Error::invalid(
                    "rating",
                    format!("'{s}' is not a rating; use again, hard, good or easy (or 1 to 4)"),
                )
            })
    }
}

/// FSRS memory: stability in days, difficulty from 1 to 10.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    pub stability: f32,
    pub difficulty: f32,
}

impl From<MemoryState> for Memory {
    fn from(m: MemoryState) -> Self {
        Memory {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

impl From<Memory> for MemoryState {
    fn from(m: Memory) -> Self {
        MemoryState {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

/// Everything scheduling needs to know about a card, and all it changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub state: CardState,
    pub memory: Option<Memory>,
    /// Index into the learning or relearning steps while in those states.
    pub step: u32,
    /// When the card is next due; `None` while new.
    pub due: Option<DateTime<Utc>>,
    /// The interval the card was last given, in days (fractions for same-day steps).
    pub interval_days: f64,
    pub last_review: Option<DateTime<Utc>>,
    pub reps: u32,
    pub lapses: u32,
}

impl Schedule {
    pub fn new_card() -> Self {
        Schedule {
            state: CardState::New,
            memory: None,
            step: 0,
            due: None,
            interval_days: 0.0,
            last_review: None,
            reps: 0,
            lapses: 0,
        }
    }
}

/// When an answer happens, from the learner's point of view.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub now: DateTime<FixedOffset>,
    /// Seeds the fuzz, so the same card answered the same way gets the same interval.
    pub fuzz_seed: u64,
}

/// What one rating would do to the card.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub schedule: Schedule,
    /// The time until the card is due again, in days.
    pub interval_days: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choices {
    pub again: Outcome,
    pub hard: Outcome,
    pub good: Outcome,
    pub easy: Outcome,
}

impl Choices {
    pub fn get(&self, rating: Rating) -> &Outcome {
        match rating {
            Rating::Again => &self.again,
            Rating::Hard => &self.hard,
            Rating::Good => &self.good,
            Rating::Easy => &self.easy,
        }
    }

    pub fn into_outcome(self, rating: Rating) -> Outcome {
        match rating {
            Rating::Again => self.again,
            Rating::Hard => self.hard,
            Rating::Good => self.good,
            Rating::Easy => self.easy,
        }
    }
}

/// Fuzz seeds differ per rating; Good's is the one a rescheduled card reuses.
const GOOD_SALT: u64 = 2;

/// The FSRS model with the learner's settings.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: FSRS,
    settings: Settings,
}

/// The scheduler's forgetting curve: a card's chance of recall from its memory and the time
/// since its last review.
#[derive(Debug, Clone, Copy)]
pub struct Recall {
    decay: f32,
}

impl Recall {
    /// Probability of recall at `now` of a card last reviewed at `last_review` (unix ms).
    pub fn at(self, memory: Memory, last_review: i64, now: DateTime<Utc>) -> f32 {
        let days = (now.timestamp_millis() - last_review) as f32 / 86_400_000.0;
        fsrs::current_retrievability(memory.into(), days.max(0.0), self.decay)
    }
}

/// Where an answer sends the card, before it becomes a [`Schedule`].
enum Next {
    /// A same-day step, in minutes.
    Step {
        state: CardState,
        step: u32,
        minutes: f64,
    },
    /// A review in whole days.
    Review { days: u32 },
}

impl Scheduler {
    pub fn new(settings: &Settings) -> Result<Self> {
        settings.validate()?;
        Ok(Scheduler {
            fsrs: FSRS::new(&settings.fsrs_parameters)?,
            settings: settings.clone(),
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Probability of recall after `days` (fractional), by the FSRS forgetting curve.
    pub fn retrievability(&self, memory: Memory, days: f32) -> f32 {
        fsrs::current_retrievability(memory.into(), days, self.fsrs_decay())
    }

    /// Probability of recall at `now` of a card last reviewed at `last_review` (unix ms).
    pub fn retrievability_at(&self, memory: Memory, last_review: i64, now: DateTime<Utc>) -> f32 {
        self.recall().at(memory, last_review, now)
    }

    /// The forgetting curve alone, to compute recall on another thread.
    pub fn recall(&self) -> Recall {
        Recall {
            decay: self.fsrs_decay(),
        }
    }

    /// The memory after each review of a history of (rating, whole days since the previous
    /// review), as FSRS replays it; `start` stands in for a beginning the history lacks.
    pub fn replay(&self, reviews: &[(Rating, u32)], start: Option<Memory>) -> Result<Vec<Memory>> {
        let item = fsrs::FSRSItem {
            reviews: reviews
                .iter()
                .map(|&(rating, delta_t)| fsrs::FSRSReview {
                    rating: rating.number() as u32,
                    delta_t,
                })
                .collect(),
        };
        let states = self
            .fsrs
            .historical_memory_states(item, start.map(MemoryState::from))?;
        // With a start, the first state is the start itself.
        let skip = usize::from(start.is_some());
        Ok(states.into_iter().skip(skip).map(Memory::from).collect())
    }

    /// A memory state approximated from SM-2's ease and interval, for a card whose history is
    /// missing its beginning (as Anki does, assuming SM-2 kept 90% retention).
    pub fn memory_from_sm2(&self, ease: f32, interval_days: f32) -> Result<Memory> {
        Ok(self
            .fsrs
            .memory_state_from_sm2(ease, interval_days, 0.9)?
            .into())
    }

    /// FSRS-6's decay parameter, w[20].
    fn fsrs_decay(&self) -> f32 {
        self.settings
            .fsrs_parameters
            .get(20)
            .copied()
            .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY)
    }

    /// Whole days since the card's last review, counted in the learner's days.
    pub fn days_elapsed(&self, card: &Schedule, now: DateTime<FixedOffset>) -> u32 {
        let hour = self.settings.rollover_hour;
        card.last_review.map_or(0, |last| {
            let elapsed = day::day_number(now, hour) - day::day_of(last, *now.offset(), hour);
            u32::try_from(elapsed).unwrap_or(0)
        })
    }

    pub fn choices(&self, card: &Schedule, ctx: Context) -> Result<Choices> {
        let elapsed = self.days_elapsed(card, ctx.now);
        let memory = card.memory.map(MemoryState::from);
        let states = self
            .fsrs
            .next_states(memory, self.settings.desired_retention, elapsed)?;
        let days = self.review_days(&states, ctx.fuzz_seed, card.state == CardState::Review);
        let plan = |rating| self.next(card, rating, days);
        let outcome = |rating: Rating| {
            let memory = match rating {
                Rating::Again => states.again.memory,
                Rating::Hard => states.hard.memory,
                Rating::Good => states.good.memory,
                Rating::Easy => states.easy.memory,
            };
            self.outcome(card, ctx.now, plan(rating), rating, memory.into())
        };
        Ok(Choices {
            again: outcome(Rating::Again),
            hard: outcome(Rating::Hard),
            good: outcome(Rating::Good),
            easy: outcome(Rating::Easy),
        })
    }

    /// FSRS's intervals rounded, capped, fuzzed and kept in order, so a better answer never
    /// gives a shorter interval: for review cards again ≤ hard < good < easy; for cards in
    /// (re)learning, where Hard stays in the steps, only good < easy.
    fn review_days(&self, states: &NextStates, seed: u64, in_review: bool) -> [u32; 4] {
        let max = self.settings.maximum_interval_days;
        let fuzz = |interval: f32, salt: u64| self.whole_days(interval, seed.wrapping_add(salt));
        let again = fuzz(states.again.interval, 0);
        let mut hard = fuzz(states.hard.interval, 1);
        let mut good = fuzz(states.good.interval, GOOD_SALT);
        let mut easy = fuzz(states.easy.interval, 3);
        if in_review {
            hard = hard.max(again);
            good = good.max(hard + 1).min(max);
            hard = hard.min(good);
        }
        easy = easy.max(good + 1).min(max);
        [again, hard, good, easy]
    }

    /// An FSRS interval as the learner gets it: rounded, at least a day, capped, fuzzed.
    fn whole_days(&self, interval: f32, seed: u64) -> u32 {
        let max = self.settings.maximum_interval_days;
        let days = (interval.round() as u32).clamp(1, max);
        if self.settings.fuzz {
            fuzz::fuzzed_days(days, max, seed)
        } else {
            days
        }
    }

    /// The interval a review card with this memory gets at the desired retention, as a Good
    /// answer that gave it this memory would have (same rounding, cap and fuzz seed).
    pub fn interval_for(&self, memory: Memory, fuzz_seed: u64) -> u32 {
        let interval =
            self.fsrs
                .next_interval(Some(memory.stability), self.settings.desired_retention, 3);
        self.whole_days(interval, fuzz_seed.wrapping_add(GOOD_SALT))
    }

    pub(crate) fn fsrs(&self) -> &FSRS {
        &self.fsrs
    }

    /// The model's 21 parameters (the defaults when the learner has none of their own).
    pub fn parameters(&self) -> Vec<f32> {
        match self.settings.fsrs_parameters.as_slice() {
            [] => fsrs::DEFAULT_PARAMETERS.to_vec(),
            // Validated when the scheduler was made, so filling them in cannot fail.
            own => fsrs::check_and_fill_parameters(own).unwrap_or_else(|_| own.to_vec()),
        }
    }

    fn next(&self, card: &Schedule, rating: Rating, days: [u32; 4]) -> Next {
        let (steps, in_steps_state) = match card.state {
            CardState::New | CardState::Learning => {
                (&self.settings.learning_steps_minutes, CardState::Learning)
            }
            CardState::Review | CardState::Relearning => (
                &self.settings.relearning_steps_minutes,
                CardState::Relearning,
            ),
        };
        let step_at = |i: u32| Next::Step {
            state: in_steps_state,
            step: i,
            minutes: f64::from(steps[i as usize]),
        };
        let review = |r: Rating| Next::Review {
            days: days[(r.number() - 1) as usize],
        };
        if card.state == CardState::Review {
            return match rating {
                Rating::Again if !steps.is_empty() => step_at(0),
                r => review(r),
            };
        }
        // New, learning and relearning cards walk through their steps.
        let current = if card.state == CardState::New {
            0
        } else {
            card.step
        };
        let current = current.min(steps.len().saturating_sub(1) as u32);
        match rating {
            _ if steps.is_empty() => review(rating),
            Rating::Easy => review(Rating::Easy),
            Rating::Again => step_at(0),
            Rating::Hard => Next::Step {
                state: in_steps_state,
                step: current,
                minutes: hard_delay(steps, current),
            },
            Rating::Good => {
                let next = if card.state == CardState::New {
                    1
                } else {
                    current + 1
                };
                if (next as usize) < steps.len() {
                    step_at(next)
                } else {
                    review(Rating::Good)
                }
            }
        }
    }

    fn outcome(
        &self,
        card: &Schedule,
        now: DateTime<FixedOffset>,
        next: Next,
        rating: Rating,
        memory: Memory,
    ) -> Outcome {
        let lapsed = card.state == CardState::Review && rating == Rating::Again;
        let (state, step, due, interval_days) = match next {
            Next::Step {
                state,
                step,
                minutes,
            } => {
                let due = now.with_timezone(&Utc) + Duration::seconds((minutes * 60.0) as i64);
                (state, step, due, minutes / 1440.0)
            }
            Next::Review { days } => {
                let hour = self.settings.rollover_hour;
                let today = day::day_number(now, hour);
                let due = day::day_start(today + i64::from(days), *now.offset(), hour);
                (CardState::Review, 0, due, f64::from(days))
            }
        };
        Outcome {
            schedule: Schedule {
                state,
                memory: Some(memory),
                step,
                due: Some(due),
                interval_days,
                last_review: Some(now.with_timezone(&Utc)),
                reps: card.reps + 1,
                lapses: card.lapses + u32::from(lapsed),
            },
            interval_days,
        }
    }
}

/// Hard repeats the current step; on the first step it waits between the first and second
/// step (or half as long again when there is only one), as Anki does.
fn hard_delay(steps: &[u32], current: u32) -> f64 {
    let this = f64::from(steps[current as usize]);
    match (current, steps.get(1)) {
        (0, Some(&second)) => (this + f64::from(second)) / 2.0,
        (0, None) => (this * 1.5).min(this + 1440.0),
        _ => this,
    }
}

#[cfg(test)]
mod tests;
