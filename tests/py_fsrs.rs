//! Cross-check against py-fsrs, FSRS's reference implementation in Python.
//!
//! `tests/fixtures/py_fsrs/histories.json` holds review histories replayed by py-fsrs (see
//! `generate.py` and the README next to it; these tests never run Python). Each history is
//! replayed here through Reprise's own scheduler with the same settings — no learning or
//! relearning steps, no fuzz, 90% desired retention, FSRS-6 default parameters — answering at
//! 12:00 UTC on the fixture's days, and every memory state and interval must agree.

use chrono::{DateTime, Duration, FixedOffset};
use reprise::schedule::{Choices, Context, Outcome, Rating, Schedule, Scheduler};
use reprise::settings::Settings;
use serde::Deserialize;

const FIXTURE: &str = include_str!("fixtures/py_fsrs/histories.json");

/// Stability and difficulty must agree to 4 significant digits: |ours − py| / |py| < 5e-5.
/// (Reprise computes in f32, py-fsrs in f64; the largest difference seen is 7.2e-6.)
const MAX_RELATIVE_ERROR: f64 = 5e-5;

#[derive(Deserialize)]
struct Fixture {
    py_fsrs_version: String,
    scheduler: PyScheduler,
    start: String,
    histories: Vec<History>,
}

#[derive(Deserialize)]
struct PyScheduler {
    parameters: Vec<f64>,
    desired_retention: f64,
    learning_steps: Vec<u64>,
    relearning_steps: Vec<u64>,
    maximum_interval: u32,
    enable_fuzzing: bool,
}

#[derive(Deserialize)]
struct History {
    name: String,
    reviews: Vec<Review>,
}

#[derive(Deserialize)]
struct Review {
    days_since_previous: i64,
    day: i64,
    rating: i64,
    #[serde(flatten)]
    after: After,
    /// The card after Again, Hard, Good and Easy answered at the same moment.
    all_ratings: Vec<After>,
}

#[derive(Deserialize, Clone, Copy)]
struct After {
    stability: f64,
    difficulty: f64,
    interval_days: u32,
}

fn fixture() -> Fixture {
    serde_json::from_str(FIXTURE).expect("histories.json parses")
}

fn settings() -> Settings {
    Settings {
        learning_steps_minutes: vec![],
        relearning_steps_minutes: vec![],
        fuzz: false,
        desired_retention: 0.9,
        rollover_hour: 4,
        ..Default::default()
    }
}

fn relative_error(ours: f64, theirs: f64) -> f64 {
    (ours - theirs).abs() / theirs.abs()
}

/// Largest relative errors seen, for the summary line.
#[derive(Default)]
struct Worst {
    stability: f64,
    difficulty: f64,
}

/// Compares one outcome with py-fsrs's card, pushing a line per disagreement onto `errors`.
/// `interval` is the interval Reprise should give, normally py-fsrs's own.
fn compare(
    at: &str,
    ours: &Outcome,
    theirs: &After,
    interval: u32,
    worst: &mut Worst,
    errors: &mut Vec<String>,
) {
    let memory = ours.schedule.memory.expect("an answered card has a memory");
    for (what, ours, theirs, worst) in [
        (
            "stability",
            f64::from(memory.stability),
            theirs.stability,
            &mut worst.stability,
        ),
        (
            "difficulty",
            f64::from(memory.difficulty),
            theirs.difficulty,
            &mut worst.difficulty,
        ),
    ] {
        let error = relative_error(ours, theirs);
        *worst = worst.max(error);
        if error.is_nan() || error >= MAX_RELATIVE_ERROR {
            errors.push(format!(
                "{at}: {what} is {ours} here, {theirs} in py-fsrs (relative error {error:.2e})"
            ));
        }
    }
    if ours.interval_days != f64::from(interval) {
        errors.push(format!(
            "{at}: interval is {} days here, {interval} days expected (py-fsrs: {})",
            ours.interval_days, theirs.interval_days
        ));
    }
}

/// Walks every history through Reprise, calling `check` with the choices offered at each
/// review, then continues from the outcome of the rating py-fsrs was given.
fn replay(fixture: &Fixture, mut check: impl FnMut(&str, usize, &Review, &Choices)) {
    let scheduler = Scheduler::new(&settings()).expect("valid settings");
    let start: DateTime<FixedOffset> =
        DateTime::parse_from_rfc3339(&fixture.start).expect("start is RFC 3339");
    for history in &fixture.histories {
        let mut schedule = Schedule::new_card();
        let mut day = 0;
        for (index, review) in history.reviews.iter().enumerate() {
            if index > 0 {
                day += review.days_since_previous;
            }
            assert_eq!(day, review.day, "{} review {index}: day", history.name);
            let now = start + Duration::days(day);
            let rating = Rating::from_number(review.rating).expect("rating is 1 to 4");
            let at = format!(
                "history {:?} review {index} (day {day}, rated {})",
                history.name,
                rating.as_str()
            );
            let choices = scheduler
                .choices(&schedule, Context { now, fuzz_seed: 0 })
                .unwrap_or_else(|e| panic!("{at}: {e}"));
            check(&at, index, review, &choices);
            schedule = choices.into_outcome(rating).schedule;
        }
    }
}

fn fail_if_any(errors: &[String], checked: usize) {
    assert!(
        errors.is_empty(),
        "{} of {checked} comparisons with py-fsrs disagree:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn fixture_matches_the_settings_under_test() {
    let fixture = fixture();
    let py = &fixture.scheduler;
    let ours = settings();
    assert!(fixture.py_fsrs_version.starts_with("6."));
    assert_eq!(py.desired_retention as f32, ours.desired_retention);
    assert!(py.learning_steps.is_empty() && ours.learning_steps_minutes.is_empty());
    assert!(py.relearning_steps.is_empty() && ours.relearning_steps_minutes.is_empty());
    assert!(!py.enable_fuzzing && !ours.fuzz);
    assert_eq!(py.maximum_interval, ours.maximum_interval_days);
    // Reprise's empty parameters mean the fsrs crate's defaults: the same FSRS-6 defaults.
    assert!(ours.fsrs_parameters.is_empty());
    let defaults = fsrs::DEFAULT_PARAMETERS;
    assert_eq!(py.parameters.len(), defaults.len());
    for (i, (&py, &rs)) in py.parameters.iter().zip(&defaults).enumerate() {
        assert_eq!(py as f32, rs, "parameter w[{i}]");
    }
    assert!(fixture.start.ends_with("T12:00:00+00:00"));
}

/// The answers given: stability, difficulty and interval after each rated review.
#[test]
fn rated_answers_match_py_fsrs() {
    let fixture = fixture();
    let mut worst = Worst::default();
    let mut errors = Vec::new();
    let mut checked = 0;
    replay(&fixture, |at, _, review, choices| {
        let rating = Rating::from_number(review.rating).unwrap();
        let ours = choices.get(rating);
        compare(
            at,
            ours,
            &review.after,
            review.after.interval_days,
            &mut worst,
            &mut errors,
        );
        checked += 1;
    });
    println!(
        "py-fsrs {}: {} histories, {checked} reviews; largest relative error: stability {:.2e}, \
         difficulty {:.2e}",
        fixture.py_fsrs_version,
        fixture.histories.len(),
        worst.stability,
        worst.difficulty
    );
    fail_if_any(&errors, checked);
}

/// Reprise's ordering of review intervals (src/schedule/mod.rs, `review_days`): again ≤ hard <
/// good < easy for a review card, good < easy for a new one. py-fsrs has no such rule, so where
/// its rounded intervals tie or cross, Reprise's differ from it by exactly this.
fn reprise_order(py: [u32; 4], new_card: bool) -> [u32; 4] {
    let [again, mut hard, mut good, mut easy] = py;
    if !new_card {
        hard = hard.max(again);
        good = good.max(hard + 1);
        hard = hard.min(good);
    }
    easy = easy.max(good + 1);
    [again, hard, good, easy]
}

/// Every answer that could have been given at each review: memory states agree with py-fsrs
/// for all four ratings; intervals agree wherever py-fsrs's are already in order, and elsewhere
/// differ only by Reprise's ordering rule (counted and printed, not hidden).
#[test]
fn all_four_answers_match_py_fsrs() {
    let fixture = fixture();
    let mut worst = Worst::default();
    let mut errors = Vec::new();
    let mut reordered = Vec::new();
    let mut checked = 0;
    replay(&fixture, |at, index, review, choices| {
        assert_eq!(review.all_ratings.len(), 4, "{at}: all_ratings");
        let py: Vec<u32> = review.all_ratings.iter().map(|a| a.interval_days).collect();
        let py: [u32; 4] = py.try_into().unwrap();
        let expected = reprise_order(py, index == 0);
        for (i, rating) in Rating::ALL.into_iter().enumerate() {
            let at = format!("{at}, answer {}", rating.as_str());
            let theirs = &review.all_ratings[i];
            compare(
                &at,
                choices.get(rating),
                theirs,
                expected[i],
                &mut worst,
                &mut errors,
            );
            if expected[i] != py[i] {
                reordered.push(format!(
                    "{at}: py-fsrs {py:?} days -> Reprise {expected:?} (memory states agree)"
                ));
            }
            checked += 1;
        }
    });
    println!(
        "{checked} answers; largest relative error: stability {:.2e}, difficulty {:.2e}; \
         {} intervals differ from py-fsrs only by Reprise's ordering rule:\n{}",
        worst.stability,
        worst.difficulty,
        reordered.len(),
        reordered.join("\n")
    );
    fail_if_any(&errors, checked);
}
