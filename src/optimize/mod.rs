//! Fitting FSRS to the learner: parameters trained on their own review log with the `fsrs`
//! crate, judged against the parameters in use on the same log, and kept only if they predict
//! it better. After new parameters (or a new desired retention), every card's memory and due
//! date follow.

pub(crate) mod items;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use fsrs::{CombinedProgressState, ComputeParametersInput, FSRSError, FSRSItem, FSRS};
use rusqlite::{Connection, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::collection::{Changes, Tx};
use crate::day;
use crate::error::{Error, Result};
use crate::schedule::{Memory, Scheduler};
use crate::settings::Settings;
use crate::store;

/// Training items (answers on a later day than the card's previous one) below which the
/// optimizer refuses: with fewer, the fit follows noise. Anki asks for about as many.
pub const MIN_TRAINING_REVIEWS: usize = 400;

/// How well a set of parameters predicts the learner's answers (lower is better).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Evaluation {
    /// Mean log loss of the predicted recall against what happened.
    pub log_loss: f32,
    /// Root mean square error between predicted and actual recall, over bins of similar reviews.
    pub rmse_bins: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OptimizeReport {
    /// Reviews the parameters were fitted to (training items).
    pub reviews: u32,
    /// Cards those reviews come from.
    pub cards: u32,
    pub old: Evaluation,
    pub new: Evaluation,
    pub old_parameters: Vec<f32>,
    pub new_parameters: Vec<f32>,
    /// Whether the new parameters predicted better and are now in use.
    pub adopted: bool,
    /// Review cards given a new due date from their recomputed memory.
    pub rescheduled: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OptimizeProgress {
    /// `reading`, `training`, `evaluating` or `saving`.
    pub stage: String,
    pub done: u32,
    pub total: u32,
}

/// The fitted parameters and how both sets score; nothing is written.
pub(crate) struct Fitted {
    pub items: usize,
    pub cards: usize,
    pub old: Evaluation,
    pub new: Evaluation,
    pub old_parameters: Vec<f32>,
    pub new_parameters: Vec<f32>,
}

impl Fitted {
    pub fn is_better(&self) -> bool {
        self.new.log_loss < self.old.log_loss
    }

    /// `current` with the new parameters, when they predict the log better than the old ones.
    pub fn adopted_settings(
        &self,
        current: &Settings,
        progress: &mut dyn FnMut(OptimizeProgress) -> Result<()>,
    ) -> Result<Option<Settings>> {
        if !self.is_better() {
            return Ok(None);
        }
        progress(OptimizeProgress {
            stage: "saving".into(),
            done: 0,
            total: 1,
        })?;
        Ok(Some(Settings {
            fsrs_parameters: self.new_parameters.clone(),
            ..current.clone()
        }))
    }

    /// The report of this fit, after `rescheduled` cards moved for it.
    pub fn report(self, rescheduled: u32) -> OptimizeReport {
        OptimizeReport {
            reviews: self.items as u32,
            cards: self.cards as u32,
            adopted: self.is_better(),
            old: self.old,
            new: self.new,
            old_parameters: self.old_parameters,
            new_parameters: self.new_parameters,
            rescheduled,
        }
    }
}

/// Stores the settings of `scheduler` in place of `old`. New FSRS parameters, a new desired
/// retention or a new maximum interval recompute every studied card's memory from its history
/// and reschedule every review card from its memory. Returns how many cards moved.
pub(crate) fn adopt_settings(
    tx: &mut Tx,
    old: &Settings,
    scheduler: &Scheduler,
    offset: FixedOffset,
) -> Result<u32> {
    let settings = scheduler.settings();
    tx.write_settings(old, settings)?;
    if !old.reschedules_with(settings) {
        return Ok(0);
    }
    // Every review card at once: a bulk write, not an undo step. The memory is recomputed even
    // when only the retention changed, so that the result depends on the history and the
    // settings alone, as a synced device's fold computes it.
    let raw = tx.raw(Changes::CARDS);
    recompute_memory(raw, scheduler, offset)?;
    let moved = reschedule(raw, scheduler, offset)?;
    tx.rescheduled(scheduler)?;
    Ok(moved)
}

/// Fits parameters to the log in `conn` and scores them against the scheduler's own; `progress`
/// returning an error (the learner cancelled) stops it.
pub(crate) fn fit(
    conn: &Connection,
    scheduler: &Scheduler,
    offset: FixedOffset,
    progress: &mut dyn FnMut(OptimizeProgress) -> Result<()>,
) -> Result<Fitted> {
    let report = |stage: &str, done: usize, total: usize| OptimizeProgress {
        stage: stage.into(),
        done: done as u32,
        total: total as u32,
    };
    progress(report("reading", 0, 0))?;
    let histories = items::histories(conn)?;
    let (items, card_ids) =
        items::training_items(&histories, offset, scheduler.settings().rollover_hour);
    if items.len() < MIN_TRAINING_REVIEWS {
        return Err(Error::NotEnoughHistory {
            have: items.len(),
            need: MIN_TRAINING_REVIEWS,
        });
    }
    let cards = {
        let mut ids = card_ids.clone();
        ids.dedup();
        ids.len()
    };
    let new_parameters = train(items.clone(), card_ids, progress)?;
    let old_parameters = scheduler.parameters();
    progress(report("evaluating", 0, 2))?;
    let old = evaluate(&old_parameters, items.clone())?;
    progress(report("evaluating", 1, 2))?;
    let new = evaluate(&new_parameters, items.clone())?;
    progress(report("evaluating", 2, 2))?;
    Ok(Fitted {
        items: items.len(),
        cards,
        old,
        new,
        old_parameters,
        new_parameters,
    })
}

/// Runs the `fsrs` trainer on another thread and reports its progress from this one, so a
/// cancel takes effect within a tenth of a second.
fn train(
    items: Vec<FSRSItem>,
    card_ids: Vec<i64>,
    progress: &mut dyn FnMut(OptimizeProgress) -> Result<()>,
) -> Result<Vec<f32>> {
    let state = CombinedProgressState::new_shared();
    let input = ComputeParametersInput {
        train_set: items,
        card_ids: Some(card_ids),
        progress: Some(Arc::clone(&state)),
        ..Default::default()
    };
    std::thread::scope(|scope| {
        let trainer = scope.spawn(move || fsrs::compute_parameters(input));
        let mut cancelled = None;
        // One update at least, and one after the trainer is done, however fast it is.
        loop {
            let finished = trainer.is_finished();
            let (done, total) = {
                let s = lock(&state);
                (s.current(), s.total())
            };
            let update = OptimizeProgress {
                stage: "training".into(),
                done: done as u32,
                total: total as u32,
            };
            if let Err(e) = progress(update) {
                lock(&state).want_abort = true;
                cancelled = Some(e);
                break;
            }
            if finished {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let result = trainer.join().unwrap_or(Err(FSRSError::Interrupted));
        match (cancelled, result) {
            (Some(e), _) => Err(e),
            (None, Err(FSRSError::Interrupted)) => Err(Error::Cancelled),
            (None, result) => Ok(result?),
        }
    })
}

fn lock(state: &Mutex<CombinedProgressState>) -> std::sync::MutexGuard<'_, CombinedProgressState> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn evaluate(parameters: &[f32], items: Vec<FSRSItem>) -> Result<Evaluation> {
    let model = FSRS::new(parameters)?;
    let scored = model.evaluate(items, |_| true)?;
    Ok(Evaluation {
        log_loss: scored.log_loss,
        rmse_bins: scored.rmse_bins,
    })
}

/// Recomputes the memory of every studied card from its history with the scheduler's
/// parameters; returns how many cards got a new memory.
pub(crate) fn recompute_memory(
    tx: &Transaction,
    scheduler: &Scheduler,
    offset: FixedOffset,
) -> Result<u32> {
    let mut changed = 0;
    let mut batch = store::Batch::new(tx);
    for history in items::histories(tx)? {
        let memory = memory_from(&history, scheduler, offset)?;
        changed += u32::from(store::memory::set_if_studied(
            &mut batch,
            history.card_id,
            memory,
        )?);
    }
    Ok(changed)
}

/// Gives every review card the due date its memory calls for at the desired retention, counted
/// from its last review (overdue cards stay due); returns how many moved.
pub(crate) fn reschedule(
    tx: &Transaction,
    scheduler: &Scheduler,
    offset: FixedOffset,
) -> Result<u32> {
    let mut moved = 0;
    let mut batch = store::Batch::new(tx);
    for card in store::memory::review_cards(tx)? {
        let (due, days) = due_from(
            scheduler,
            offset,
            card.id,
            card.memory,
            card.reps,
            card.last_review,
        );
        if card.due != Some(due) {
            store::memory::set_due(&mut batch, card.id, due, f64::from(days))?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// The memory a card's history gives with the scheduler's parameters. (The one rule for it:
/// the bulk recompute above and a sync fold's `reschedule` both use it.)
pub(crate) fn memory_from(
    history: &items::CardHistory,
    scheduler: &Scheduler,
    offset: FixedOffset,
) -> Result<Memory> {
    let run = history.current_run(offset, scheduler.settings().rollover_hour);
    let memory = scheduler.fsrs().memory_state(
        FSRSItem {
            reviews: run.reviews,
        },
        run.start,
    )?;
    Ok(memory.into())
}

/// When a review card with `memory` falls due (Unix milliseconds) and its interval in days,
/// counted from its last review (Unix milliseconds) in the learner's days.
pub(crate) fn due_from(
    scheduler: &Scheduler,
    offset: FixedOffset,
    card: i64,
    memory: Memory,
    reps: u32,
    last_review: i64,
) -> (i64, u32) {
    let rollover = scheduler.settings().rollover_hour;
    // The seed the answer that set this memory used, so fuzz lands the same way.
    let seed = (card as u64).wrapping_add(u64::from(reps.saturating_sub(1)));
    let days = scheduler.interval_for(memory, seed);
    let last = DateTime::<Utc>::from_timestamp_millis(last_review).unwrap_or_default();
    let due = day::day_start(
        day::day_of(last, offset, rollover) + i64::from(days),
        offset,
        rollover,
    )
    .timestamp_millis();
    (due, days)
}
