//! The workload simulator: for a range of desired retention values, the `fsrs` crate simulates
//! the learner's next year (their cards as they stand, their limits, their parameters) and
//! reports the reviews a day it costs and the knowledge it keeps, so a retention can be chosen
//! knowingly.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use fsrs::SimulatorConfig;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::schedule::Scheduler;
use crate::store;

/// Desired retention values the simulator compares.
pub const RETENTIONS: [f32; 16] = [
    0.70, 0.72, 0.74, 0.76, 0.78, 0.80, 0.82, 0.84, 0.86, 0.88, 0.90, 0.92, 0.94, 0.96, 0.98, 0.99,
];

/// Days simulated.
pub const DAYS: usize = 365;

/// A fixed seed: the same collection gives the same chart.
const SEED: u64 = 42;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct WorkloadPoint {
    pub desired_retention: f32,
    /// Cards studied a day on average over the year (reviews and new cards).
    pub reviews_per_day: f32,
    /// Minutes of study a day on average, at FSRS's typical seconds per answer.
    pub minutes_per_day: f32,
    /// Cards the learner would recall at the end of the year if asked about all of them.
    pub memorized: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Workload {
    pub days: u32,
    /// Cards simulated: those studied so far plus the new ones still to come.
    pub cards: u32,
    pub new_per_day: u32,
    pub points: Vec<WorkloadPoint>,
}

/// Simulates each of [`RETENTIONS`] for the cards in `conn`; `progress(done, total)` after each.
pub(crate) fn workload(
    conn: &Connection,
    scheduler: &Scheduler,
    now: DateTime<FixedOffset>,
    progress: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<Workload> {
    let settings = scheduler.settings();
    let parameters = scheduler.parameters();
    let existing = studied_cards(
        conn,
        &parameters,
        settings.desired_retention,
        now.with_timezone(&Utc),
    )?;
    let new_cards = store::queue::new_count(conn, u32::MAX)?;
    let config = SimulatorConfig {
        deck_size: existing.len() + new_cards as usize,
        learn_span: DAYS,
        max_ivl: settings.maximum_interval_days as f32,
        learn_limit: settings.new_per_day as usize,
        review_limit: settings.reviews_per_day as usize,
        learning_step_count: settings.learning_steps_minutes.len(),
        relearning_step_count: settings.relearning_steps_minutes.len(),
        ..SimulatorConfig::default()
    };
    let mut points = Vec::with_capacity(RETENTIONS.len());
    for (i, &retention) in RETENTIONS.iter().enumerate() {
        let point = if config.deck_size == 0 {
            WorkloadPoint {
                desired_retention: retention,
                reviews_per_day: 0.0,
                minutes_per_day: 0.0,
                memorized: 0.0,
            }
        } else {
            let result = fsrs::simulate(
                &config,
                &parameters,
                retention,
                Some(SEED),
                Some(
                    existing
                        .iter()
                        .map(|card| fsrs::Card {
                            desired_retention: retention,
                            ..card.clone()
                        })
                        .collect(),
                ),
            )
            .map_err(Error::Scheduler)?;
            let studied: usize = result
                .review_cnt_per_day
                .iter()
                .chain(&result.learn_cnt_per_day)
                .sum();
            WorkloadPoint {
                desired_retention: retention,
                reviews_per_day: studied as f32 / DAYS as f32,
                minutes_per_day: result.cost_per_day.iter().sum::<f32>() / DAYS as f32 / 60.0,
                memorized: result.memorized_cnt_per_day.last().copied().unwrap_or(0.0),
            }
        };
        points.push(point);
        progress(i + 1, RETENTIONS.len())?;
    }
    Ok(Workload {
        days: DAYS as u32,
        cards: config.deck_size as u32,
        new_per_day: settings.new_per_day,
        points,
    })
}

/// The studied cards as the simulator takes them: days are relative to today (day 0).
fn studied_cards(
    conn: &Connection,
    parameters: &[f32],
    settings_retention: f32,
    now: DateTime<Utc>,
) -> Result<Vec<fsrs::Card>> {
    let parameters = Arc::new(parameters.to_vec());
    let day = |ms: i64| (ms - now.timestamp_millis()) as f32 / 86_400_000.0;
    let cards = store::memory::visible_studied_cards(conn)?
        .into_iter()
        .map(|card| {
            let last_date = day(card.last_review);
            // Overdue cards are due today in the simulation.
            let due = day(card.due.unwrap_or(0)).max(0.0);
            fsrs::Card {
                id: card.id,
                stability: card.memory.stability,
                difficulty: card.memory.difficulty,
                last_date,
                due,
                interval: due - last_date,
                lapses: card.lapses,
                desired_retention: settings_retention,
                parameters: Arc::clone(&parameters),
            }
        })
        .collect();
    Ok(cards)
}
