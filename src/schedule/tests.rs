use chrono::DateTime;

use super::*;

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-03-10T09:00:00+01:00").unwrap()
}

fn ctx() -> Context {
    Context {
        now: now(),
        fuzz_seed: 42,
    }
}

fn no_fuzz() -> Scheduler {
    Scheduler::new(&Settings {
        fuzz: false,
        ..Default::default()
    })
    .unwrap()
}

fn minutes(outcome: &Outcome) -> f64 {
    (outcome.interval_days * 1440.0 * 100.0).round() / 100.0
}

#[test]
fn a_new_card_walks_the_learning_steps() {
    let choices = no_fuzz().choices(&Schedule::new_card(), ctx()).unwrap();
    assert_eq!(choices.again.schedule.state, CardState::Learning);
    assert_eq!(minutes(&choices.again), 1.0);
    assert_eq!(minutes(&choices.hard), 5.5, "between the 1m and 10m steps");
    assert_eq!(choices.good.schedule.state, CardState::Learning);
    assert_eq!(choices.good.schedule.step, 1);
    assert_eq!(minutes(&choices.good), 10.0);
    assert_eq!(choices.easy.schedule.state, CardState::Review);
    assert!(choices.easy.interval_days >= 1.0);
    let due = choices.good.schedule.due.unwrap();
    assert_eq!((due - now().with_timezone(&Utc)).num_minutes(), 10);
    assert_eq!(choices.good.schedule.reps, 1);
}

#[test]
fn memory_comes_from_the_fsrs_crate() {
    let fsrs = FSRS::new(&[]).unwrap();
    let expected = fsrs.next_states(None, 0.9, 0).unwrap();
    let choices = no_fuzz().choices(&Schedule::new_card(), ctx()).unwrap();
    assert_eq!(
        choices.good.schedule.memory.unwrap(),
        Memory::from(expected.good.memory)
    );
    assert_eq!(
        choices.again.schedule.memory.unwrap(),
        Memory::from(expected.again.memory)
    );
}

#[test]
fn the_last_learning_step_graduates_with_the_fsrs_interval() {
    let scheduler = no_fuzz();
    let first = scheduler
        .choices(&Schedule::new_card(), ctx())
        .unwrap()
        .good
        .schedule;
    let later = Context {
        now: now() + Duration::minutes(10),
        ..ctx()
    };
    let graduated = scheduler.choices(&first, later).unwrap().good;
    assert_eq!(graduated.schedule.state, CardState::Review);
    let memory = graduated.schedule.memory.unwrap();
    let fsrs = FSRS::new(&[]).unwrap();
    let expected = fsrs
        .next_states(Some(first.memory.unwrap().into()), 0.9, 0)
        .unwrap()
        .good;
    assert_eq!(memory, Memory::from(expected.memory));
    assert_eq!(
        graduated.interval_days,
        f64::from((expected.interval.round() as u32).max(1))
    );
    // Due at the start of the learner's day `interval` days ahead.
    let due = graduated.schedule.due.unwrap();
    let today = day::day_number(later.now, 4);
    assert_eq!(
        day::day_of(due, *later.now.offset(), 4),
        today + graduated.interval_days as i64
    );
}

fn review_card(stability: f32, days_ago: i64) -> Schedule {
    Schedule {
        state: CardState::Review,
        memory: Some(Memory {
            stability,
            difficulty: 5.0,
        }),
        step: 0,
        due: Some(now().with_timezone(&Utc)),
        interval_days: days_ago as f64,
        last_review: Some((now() - Duration::days(days_ago)).with_timezone(&Utc)),
        reps: 3,
        lapses: 0,
    }
}

#[test]
fn a_lapse_goes_to_relearning_and_counts() {
    let choices = no_fuzz().choices(&review_card(10.0, 10), ctx()).unwrap();
    let again = &choices.again.schedule;
    assert_eq!(again.state, CardState::Relearning);
    assert_eq!(again.lapses, 1);
    assert_eq!(minutes(&choices.again), 10.0);
    assert_eq!(choices.good.schedule.lapses, 0);
    // Relearning Good graduates back to review.
    let back = no_fuzz()
        .choices(
            again,
            Context {
                now: now() + Duration::minutes(10),
                ..ctx()
            },
        )
        .unwrap();
    assert_eq!(back.good.schedule.state, CardState::Review);
    assert_eq!(back.good.schedule.lapses, 1);
}

#[test]
fn review_intervals_are_ordered_and_capped() {
    for fuzz in [false, true] {
        let scheduler = Scheduler::new(&Settings {
            fuzz,
            maximum_interval_days: 30,
            ..Default::default()
        })
        .unwrap();
        for (stability, days_ago) in [(1.0, 1), (5.0, 4), (40.0, 30), (400.0, 200)] {
            for seed in 0..20 {
                let c = scheduler
                    .choices(
                        &review_card(stability, days_ago),
                        Context {
                            now: now(),
                            fuzz_seed: seed,
                        },
                    )
                    .unwrap();
                let (h, g, e) = (
                    c.hard.interval_days,
                    c.good.interval_days,
                    c.easy.interval_days,
                );
                assert!(h <= g && g <= e, "hard {h} good {g} easy {e}");
                assert!(e <= 30.0, "capped at the maximum interval: {e}");
                assert!(h >= 1.0);
            }
        }
    }
}

#[test]
fn without_learning_steps_a_new_card_goes_straight_to_review() {
    let scheduler = Scheduler::new(&Settings {
        learning_steps_minutes: vec![],
        fuzz: false,
        ..Default::default()
    })
    .unwrap();
    let choices = scheduler.choices(&Schedule::new_card(), ctx()).unwrap();
    for rating in Rating::ALL {
        assert_eq!(choices.get(rating).schedule.state, CardState::Review);
        assert!(choices.get(rating).interval_days >= 1.0);
    }
}

#[test]
fn ratings_parse_from_words_and_numbers() {
    assert_eq!("good".parse::<Rating>().unwrap(), Rating::Good);
    assert_eq!("EASY".parse::<Rating>().unwrap(), Rating::Easy);
    assert_eq!("1".parse::<Rating>().unwrap(), Rating::Again);
    let err = "great".parse::<Rating>().unwrap_err();
    assert!(err.to_string().contains("again, hard, good or easy"));
    assert_eq!(Rating::from_number(5), None);
    assert_eq!(Rating::from_number(0), None);
}
