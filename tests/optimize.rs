//! The optimizer on real collections: a history simulated from known parameters, too little
//! history, progress and cancelling, and the memory states recomputed afterwards.

mod common;

use chrono::{Duration, Utc};
use common::history::{simulate_history, TRUE_PARAMETERS};
use common::{at, collection_with_pack};
use reprise::optimize::OptimizeProgress;
use reprise::schedule::{Memory, Rating, Scheduler};
use reprise::{Collection, Error, Settings};
use tempfile::TempDir;

const NOW: &str = "2027-03-01T09:00:00+00:00";

/// A collection whose test pack's cards (`cards` of them) have a year of simulated history.
fn studied(dir: &TempDir, cards: usize) -> Collection {
    let col = collection_with_pack(dir.path(), cards / 2, Settings::default(), at(NOW));
    let ids: Vec<i64> = col
        .store()
        .conn()
        .prepare(
            "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id
             WHERE n.pack_id = 'test.pack' ORDER BY c.id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids.len(), cards);
    let start = at(NOW).with_timezone(&Utc) - Duration::days(365);
    simulate_history(col.store().conn(), &ids, &TRUE_PARAMETERS, 365, start, 7);
    col
}

fn stability_of(col: &Collection, card: i64) -> f32 {
    col.store()
        .conn()
        .query_row("SELECT stability FROM cards WHERE id = ?1", [card], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn the_optimizer_fits_a_history_better_than_the_defaults_and_recomputes_memory() {
    let dir = TempDir::new().unwrap();
    let mut col = studied(&dir, 600);
    let mut stages = Vec::new();
    let report = col
        .optimize(at(NOW), &mut |p: OptimizeProgress| {
            stages.push((p.stage, p.done, p.total));
            Ok(())
        })
        .unwrap();

    assert!(report.reviews >= 400, "{} training reviews", report.reviews);
    assert!(report.cards > 500);
    assert!(
        report.new.log_loss < report.old.log_loss,
        "fitted {:?} should beat the defaults {:?}",
        report.new,
        report.old
    );
    assert!(report.new.rmse_bins < report.old.rmse_bins);
    assert!(report.adopted);
    assert_eq!(report.old_parameters, fsrs::DEFAULT_PARAMETERS.to_vec());
    // The fit moves towards the parameters the history came from: the first-answer
    // stabilities (w0..w3) are far from the defaults there.
    let distance = |w: &[f32]| -> f32 { (0..4).map(|i| (w[i] - TRUE_PARAMETERS[i]).abs()).sum() };
    assert!(distance(&report.new_parameters) < distance(&report.old_parameters));
    assert_eq!(col.settings().fsrs_parameters, report.new_parameters);

    // Progress went through every stage in order, training with counts.
    let order: Vec<&str> = stages.iter().map(|(s, ..)| s.as_str()).collect();
    let first = |s: &str| order.iter().position(|x| *x == s).unwrap();
    assert!(first("reading") < first("training"));
    assert!(first("training") < first("evaluating"));
    assert!(first("evaluating") < first("saving"));
    assert!(stages
        .iter()
        .any(|(s, done, total)| s == "training" && *total > 0 && done <= total));

    // Every card's memory is its history replayed with the new parameters.
    let scheduler = Scheduler::new(col.settings()).unwrap();
    let card: i64 = col
        .store()
        .conn()
        .query_row(
            "SELECT card_id FROM revlog GROUP BY card_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let history = col
        .card_info(reprise::CardId(card), at(NOW))
        .unwrap()
        .reviews;
    let mut previous: Option<chrono::DateTime<Utc>> = None;
    let steps: Vec<(Rating, u32)> = history
        .iter()
        .map(|r| {
            let when = chrono::DateTime::parse_from_rfc3339(&r.reviewed_at)
                .unwrap()
                .with_timezone(&Utc);
            // Reviews fall between 9:00 and 19:00 UTC: whole days apart, as the learner's days.
            let days = previous.map_or(0, |p| {
                (when.date_naive() - p.date_naive()).num_days() as u32
            });
            previous = Some(when);
            (r.rating, days)
        })
        .collect();
    let replayed: Memory = *scheduler.replay(&steps, None).unwrap().last().unwrap();
    let stored = stability_of(&col, card);
    assert!(
        (stored - replayed.stability).abs() / replayed.stability < 1e-4,
        "stored {stored}, replayed {}",
        replayed.stability
    );
}

#[test]
fn too_little_history_says_how_much_more_is_needed_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let mut col = studied(&dir, 40);
    let before = col.settings().clone();
    let err = col.optimize(at(NOW), &mut |_| Ok(())).unwrap_err();
    let Error::NotEnoughHistory { have, need } = err else {
        panic!("expected NotEnoughHistory, got {err}");
    };
    assert!(have > 0 && have < need);
    let message = err_message(have, need);
    assert!(message.contains(&format!("{have} reviews")), "{message}");
    assert!(
        message.contains(&format!("about {} more", need - have)),
        "{message}"
    );
    assert!(message.contains("not changed"), "{message}");
    assert_eq!(col.settings(), &before);
}

fn err_message(have: usize, need: usize) -> String {
    Error::NotEnoughHistory { have, need }.to_string()
}

#[test]
fn cancelling_during_training_stops_it_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let mut col = studied(&dir, 600);
    let card: i64 = col
        .store()
        .conn()
        .query_row("SELECT card_id FROM revlog LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let stability = stability_of(&col, card);
    let mut saw_training = false;
    let err = col
        .optimize(at(NOW), &mut |p| {
            if p.stage == "training" {
                saw_training = true;
                return Err(Error::Cancelled);
            }
            Ok(())
        })
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    assert!(saw_training);
    assert!(col.settings().fsrs_parameters.is_empty());
    assert_eq!(stability_of(&col, card), stability);
    // Reopening shows the same: nothing was written.
    drop(col);
    let col = Collection::open(dir.path(), at(NOW)).unwrap();
    assert!(col.settings().fsrs_parameters.is_empty());
}

#[test]
fn parameters_that_do_not_predict_better_are_not_adopted() {
    let dir = TempDir::new().unwrap();
    let mut col = studied(&dir, 600);
    // First fit, adopted. Training is deterministic, so fitting again on the same history
    // gives parameters that predict it no better than the ones now in use: they are not kept.
    let first = col.optimize(at(NOW), &mut |_| Ok(())).unwrap();
    assert!(first.adopted);
    let card: i64 = col
        .store()
        .conn()
        .query_row("SELECT card_id FROM revlog LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let stability = stability_of(&col, card);
    let second = col.optimize(at(NOW), &mut |_| Ok(())).unwrap();
    assert_eq!(second.old_parameters, first.new_parameters);
    assert!(second.new.log_loss >= second.old.log_loss);
    assert!(!second.adopted);
    assert_eq!(second.rescheduled, 0);
    assert_eq!(col.settings().fsrs_parameters, first.new_parameters);
    assert_eq!(stability_of(&col, card), stability);
}
