//! The learner's scheduling controls on a real collection: each setting's effect, card actions
//! and their undo, a new retention rescheduling due dates, and catching up a backlog.

mod common;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use common::history::{simulate_history, TRUE_PARAMETERS};
use common::{at, collection_with_pack};
use reprise::schedule::{fuzz_range, Context, Memory, Schedule, Scheduler};
use reprise::settings::{LeechAction, NewCardOrder, ReviewOrder};
use reprise::study::CardAction;
use reprise::{CardId, CardState, Collection, Error, Rating, Settings};
use tempfile::TempDir;

const T0: &str = "2026-03-10T09:00:00+01:00";

/// A collection with only a test pack of `terms` terms to study (the built-in pack disabled).
fn only_test_pack(dir: &TempDir, terms: usize, settings: Settings) -> Collection {
    let mut col = collection_with_pack(dir.path(), terms, settings, at(T0));
    common::disable_builtins(&mut col, at(T0));
    col
}

fn test_pack_cards(col: &Collection) -> Vec<i64> {
    col.store()
        .conn()
        .prepare(
            "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id
             WHERE n.pack_id = 'test.pack' ORDER BY c.id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn sibling_of(col: &Collection, card: i64) -> i64 {
    col.store()
        .conn()
        .query_row(
            "SELECT id FROM cards WHERE note_id = (SELECT note_id FROM cards WHERE id = ?1)
               AND id != ?1",
            [card],
            |r| r.get(0),
        )
        .unwrap()
}

fn hidden(col: &Collection, card: i64) -> i64 {
    col.store()
        .conn()
        .query_row("SELECT hidden FROM cards WHERE id = ?1", [card], |r| {
            r.get(0)
        })
        .unwrap()
}

fn tags(col: &Collection, card: i64) -> Vec<String> {
    col.store()
        .conn()
        .prepare(
            "SELECT t.name FROM note_tags n JOIN tags t ON t.id = n.tag_id
             WHERE n.note_id = (SELECT note_id FROM cards WHERE id = ?1)",
        )
        .unwrap()
        .query_map([card], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Everything about a card that an action or its undo could change.
fn snapshot(col: &Collection, card: i64, now: DateTime<FixedOffset>) -> String {
    let info = col.card_info(CardId(card), now).unwrap();
    format!(
        "{:?} hidden={} tags={:?}",
        (
            info.state,
            info.stability,
            info.difficulty,
            &info.due,
            info.interval_days,
            info.reps,
            info.lapses,
            &info.last_review,
            info.reviews.len()
        ),
        hidden(col, card),
        tags(col, card)
    )
}

#[test]
fn answering_a_card_buries_its_sibling_until_the_next_day() {
    let dir = TempDir::new().unwrap();
    let mut col = only_test_pack(&dir, 3, Settings::default());
    let t0 = at(T0);
    assert_eq!(col.status(t0).unwrap().new, 6);
    let first = col.next_card(t0).unwrap().unwrap().card_id.0;
    let sibling = sibling_of(&col, first);
    col.answer(CardId(first), Rating::Easy, t0, 1_000).unwrap();
    // The answered card and its buried sibling are both out of today's new cards.
    assert_eq!(col.status(t0).unwrap().new, 4);
    let mut shown = Vec::new();
    while let Some(card) = col.next_card(t0).unwrap() {
        shown.push(card.card_id.0);
        col.answer(card.card_id, Rating::Easy, t0, 1_000).unwrap();
    }
    assert!(
        !shown.contains(&sibling),
        "the sibling waits until tomorrow"
    );
    assert_eq!(
        shown.len(),
        2,
        "one card of each other term; their siblings buried"
    );
    let answer_err = col
        .answer(CardId(sibling), Rating::Good, t0, 1_000)
        .unwrap_err();
    assert!(answer_err.to_string().contains("hidden"), "{answer_err}");

    // The next day starts at 4:00: the buried cards are back.
    let tomorrow = at("2026-03-11T04:00:00+01:00");
    assert_eq!(col.status(at("2026-03-11T03:59:00+01:00")).unwrap().new, 0);
    assert_eq!(col.status(tomorrow).unwrap().new, 3);
    assert_eq!(hidden(&col, sibling), 0);
}

#[test]
fn without_burying_both_directions_come_the_same_day_and_undo_unburies() {
    let dir = TempDir::new().unwrap();
    let t0 = at(T0);
    let mut col = only_test_pack(
        &dir,
        3,
        Settings {
            bury_siblings: false,
            ..Default::default()
        },
    );
    let first = col.next_card(t0).unwrap().unwrap().card_id.0;
    col.answer(CardId(first), Rating::Easy, t0, 1_000).unwrap();
    assert_eq!(col.status(t0).unwrap().new, 5);

    // With burying on, undoing the answer brings the sibling back with the card.
    let dir = TempDir::new().unwrap();
    let mut col = only_test_pack(&dir, 3, Settings::default());
    let first = col.next_card(t0).unwrap().unwrap().card_id.0;
    let sibling = sibling_of(&col, first);
    let before = snapshot(&col, sibling, t0);
    col.answer(CardId(first), Rating::Easy, t0, 1_000).unwrap();
    assert_ne!(hidden(&col, sibling), 0);
    let undone = col.undo(t0).unwrap().unwrap();
    assert_eq!(undone.action, "answer");
    assert_eq!(undone.card_id, Some(CardId(first)));
    assert_eq!(undone.cards, 2);
    assert_eq!(undone.card.unwrap().card_id.0, first);
    assert_eq!(snapshot(&col, sibling, t0), before);
    assert_eq!(col.status(t0).unwrap().new, 6);
}

/// Answers `card` at `now` and returns when it is due next.
fn answer_at(col: &mut Collection, card: i64, rating: Rating, now: DateTime<FixedOffset>) -> bool {
    col.answer(CardId(card), rating, now, 1_000).unwrap().leech
}

fn due_of(col: &Collection, card: i64, now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let info = col.card_info(CardId(card), now).unwrap();
    DateTime::parse_from_rfc3339(&info.due.unwrap()).unwrap()
}

#[test]
fn a_card_forgotten_leech_threshold_times_is_tagged_or_suspended() {
    for action in [LeechAction::Tag, LeechAction::Suspend] {
        let dir = TempDir::new().unwrap();
        let mut col = only_test_pack(
            &dir,
            1,
            Settings {
                learning_steps_minutes: vec![],
                relearning_steps_minutes: vec![],
                leech_threshold: 2,
                leech_action: action,
                ..Default::default()
            },
        );
        let card = test_pack_cards(&col)[0];
        let mut now = at(T0);
        assert!(!answer_at(&mut col, card, Rating::Good, now));
        now = due_of(&col, card, now);
        assert!(!answer_at(&mut col, card, Rating::Again, now), "1 lapse");
        assert!(tags(&col, card).is_empty());
        now = due_of(&col, card, now);
        let before = snapshot(&col, card, now);
        assert!(answer_at(&mut col, card, Rating::Again, now), "2 lapses");
        assert_eq!(tags(&col, card), vec!["leech"]);
        let suspended = hidden(&col, card) & 1 != 0;
        assert_eq!(suspended, action == LeechAction::Suspend, "{action:?}");

        // Undo takes the tag (and the suspension) back with the answer.
        col.undo(now).unwrap().unwrap();
        assert_eq!(snapshot(&col, card, now), before);
        assert!(answer_at(&mut col, card, Rating::Again, now));
        if action == LeechAction::Tag {
            // Half the threshold later, it is a leech again; the tag is not doubled.
            now = due_of(&col, card, now);
            assert!(answer_at(&mut col, card, Rating::Again, now), "3 lapses");
            assert_eq!(tags(&col, card), vec!["leech"]);
        }
    }
}

#[test]
fn card_actions_change_cards_and_undo_restores_them_exactly() {
    let dir = TempDir::new().unwrap();
    let mut col = only_test_pack(&dir, 4, Settings::default());
    let t0 = at(T0);
    let cards = test_pack_cards(&col);
    // Study one card into review, so it has a memory and a due date.
    let studied = cards[0];
    col.answer(CardId(studied), Rating::Easy, t0, 1_000)
        .unwrap();
    let t1 = t0 + Duration::minutes(1);

    // A tag to take off.
    col.card_action(
        CardAction::Tag { tag: "keep".into() },
        &[CardId(cards[3])],
        t1,
    )
    .unwrap();
    let cases: [(CardAction, i64); 8] = [
        (CardAction::Suspend, cards[2]),
        (CardAction::Bury, cards[2]),
        (CardAction::Reset, studied),
        (CardAction::SetDue { days: 0 }, studied),
        (CardAction::SetDue { days: 5 }, studied),
        (CardAction::Suspend, studied),
        (
            CardAction::Tag {
                tag: "tricky".into(),
            },
            cards[1],
        ),
        (CardAction::Untag { tag: "keep".into() }, cards[3]),
    ];
    for (action, card) in cases {
        let before = snapshot(&col, card, t1);
        let status_before = col.status(t1).unwrap();
        let report = col
            .card_action(action.clone(), &[CardId(card)], t1)
            .unwrap();
        assert_eq!(report.changed, 1, "{action:?}");
        let after = col.card_info(CardId(card), t1).unwrap();
        match action {
            CardAction::Suspend => assert_eq!(hidden(&col, card) & 1, 1),
            CardAction::Bury => assert_eq!(hidden(&col, card) & 4, 4),
            CardAction::Reset => {
                assert_eq!(after.state, CardState::New);
                assert_eq!((after.stability, after.reps, after.lapses), (None, 0, 0));
                assert_eq!(after.reviews.len(), 1, "the history stays in the log");
            }
            CardAction::SetDue { days } => {
                let due = DateTime::parse_from_rfc3339(&after.due.unwrap()).unwrap();
                let expected = at("2026-03-10T04:00:00+01:00") + Duration::days(i64::from(days));
                assert_eq!(due, expected);
                assert_eq!(after.state, CardState::Review);
                let status = col.status(t1).unwrap();
                assert_eq!(status.review, u32::from(days == 0));
            }
            CardAction::Tag { .. } => assert_eq!(tags(&col, card), vec!["tricky"]),
            CardAction::Untag { .. } => assert!(tags(&col, card).is_empty()),
            CardAction::Unsuspend => unreachable!(),
        }
        let undone = col.undo(t1).unwrap().unwrap();
        assert_eq!(undone.action, report.action);
        assert_eq!((undone.card_id, undone.cards), (Some(CardId(card)), 1));
        assert_eq!(snapshot(&col, card, t1), before, "{action:?} undone");
        assert_eq!(col.status(t1).unwrap(), status_before);
    }

    // Several cards at once are one step; cards already suspended are left out of it.
    col.card_action(CardAction::Suspend, &[CardId(cards[1])], t1)
        .unwrap();
    let report = col
        .card_action(
            CardAction::Suspend,
            &[CardId(cards[1]), CardId(cards[3])],
            t1,
        )
        .unwrap();
    assert_eq!(report.changed, 1);
    let unsuspended = col
        .card_action(
            CardAction::Unsuspend,
            &[CardId(cards[1]), CardId(cards[3])],
            t1,
        )
        .unwrap();
    assert_eq!(unsuspended.changed, 2);
    let undone = col.undo(t1).unwrap().unwrap();
    assert_eq!((undone.card_id, undone.cards, undone.card), (None, 2, None));
    assert_eq!(hidden(&col, cards[1]) & 1, 1);
    assert_eq!(hidden(&col, cards[3]) & 1, 1);
}

#[test]
fn a_bad_card_action_is_refused_whole_and_says_why() {
    let dir = TempDir::new().unwrap();
    let mut col = only_test_pack(&dir, 2, Settings::default());
    let t0 = at(T0);
    let cards = test_pack_cards(&col);
    let before = snapshot(&col, cards[0], t0);

    let err = col
        .card_action(CardAction::Suspend, &[CardId(cards[0]), CardId(42)], t0)
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { what: "card", id, .. } if id == "42"),
        "{err}"
    );
    assert_eq!(
        snapshot(&col, cards[0], t0),
        before,
        "the known card is unchanged"
    );

    let err = col
        .card_action(CardAction::SetDue { days: 3 }, &[CardId(cards[0])], t0)
        .unwrap_err();
    assert!(
        err.to_string().contains("is new and has no schedule"),
        "{err}"
    );
    col.answer(CardId(cards[0]), Rating::Easy, t0, 1_000)
        .unwrap();
    // With a studied card among them, new cards are left out of a due date rather than refused.
    let mixed = col
        .card_action(
            CardAction::SetDue { days: 2 },
            &[CardId(cards[0]), CardId(cards[1])],
            t0,
        )
        .unwrap();
    assert_eq!(mixed.changed, 1);
    assert_eq!(col.undo(t0).unwrap().unwrap().action, "set_due");
    let err = col
        .card_action(CardAction::SetDue { days: 40_000 }, &[CardId(cards[0])], t0)
        .unwrap_err();
    assert!(err.to_string().contains("0 (today) to 36500"), "{err}");
    let err = col
        .card_action(
            CardAction::Tag {
                tag: "two words".into(),
            },
            &[CardId(cards[0])],
            t0,
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("'two words' is not a tag"),
        "{err}"
    );
    // Nothing above left an undo step: undo takes back the answer.
    assert_eq!(col.undo(t0).unwrap().unwrap().action, "answer");
}

fn review_card(stability: f32) -> Schedule {
    Schedule {
        state: CardState::Review,
        memory: Some(Memory {
            stability,
            difficulty: 5.0,
        }),
        step: 0,
        due: Some(at("2026-03-10T04:00:00+00:00").with_timezone(&Utc)),
        interval_days: stability as f64,
        last_review: Some(
            (at("2026-03-10T04:00:00+00:00") - Duration::days(stability as i64))
                .with_timezone(&Utc),
        ),
        reps: 5,
        lapses: 0,
    }
}

fn good_days(scheduler: &Scheduler, card: &Schedule, seed: u64) -> u32 {
    let ctx = Context {
        now: at("2026-03-10T09:00:00+00:00"),
        fuzz_seed: seed,
    };
    let good = scheduler.choices(card, ctx).unwrap().good.interval_days;
    good as u32
}

#[test]
fn fuzz_spreads_intervals_within_its_range_and_off_means_exact() {
    let card = review_card(40.0);
    let exact = Scheduler::new(&Settings {
        fuzz: false,
        ..Default::default()
    })
    .unwrap();
    let unfuzzed = good_days(&exact, &card, 0);
    assert!((0..50).all(|seed| good_days(&exact, &card, seed) == unfuzzed));

    let fuzzed = Scheduler::new(&Settings::default()).unwrap();
    let (low, high) = fuzz_range(unfuzzed, 36_500);
    assert!(low < unfuzzed && unfuzzed < high);
    let picks: std::collections::BTreeSet<u32> = (0..300)
        .map(|seed| good_days(&fuzzed, &card, seed))
        .collect();
    assert!(
        picks.iter().all(|d| (low..=high).contains(d)),
        "{picks:?} in {low}..={high}"
    );
    assert!(
        picks.len() as u32 > (high - low) / 2,
        "spread over the range: {picks:?}"
    );
}

#[test]
fn the_maximum_interval_caps_answers_and_reschedules_long_intervals() {
    let capped = Scheduler::new(&Settings {
        maximum_interval_days: 30,
        fuzz: false,
        ..Default::default()
    })
    .unwrap();
    let ctx = Context {
        now: at("2026-03-10T09:00:00+00:00"),
        fuzz_seed: 1,
    };
    let choices = capped.choices(&review_card(200.0), ctx).unwrap();
    assert_eq!(choices.good.interval_days, 30.0);
    assert_eq!(choices.easy.interval_days, 30.0);

    // Lowering it in a collection pulls later due dates in to the cap.
    let dir = TempDir::new().unwrap();
    let mut col = studied(&dir, 60);
    let now = at(HISTORY_END);
    let moved = col
        .set_settings(
            Settings {
                maximum_interval_days: 30,
                ..col.settings().clone()
            },
            now,
        )
        .unwrap();
    assert!(moved > 0);
    for card in test_pack_cards(&col) {
        let info = col.card_info(CardId(card), now).unwrap();
        assert!(info.interval_days <= 30.0, "{}", info.interval_days);
        let last = DateTime::parse_from_rfc3339(&info.last_review.unwrap()).unwrap();
        let due = DateTime::parse_from_rfc3339(&info.due.unwrap()).unwrap();
        assert!(due - last <= Duration::days(31));
    }
}

const HISTORY_END: &str = "2027-03-01T09:00:00+00:00";

/// A collection whose test pack's cards have a year of simulated history up to HISTORY_END.
fn studied(dir: &TempDir, cards: usize) -> Collection {
    let col = only_test_pack(dir, cards / 2, Settings::default());
    let ids = test_pack_cards(&col);
    let start = at(HISTORY_END).with_timezone(&Utc) - Duration::days(365);
    simulate_history(col.store().conn(), &ids, &TRUE_PARAMETERS, 365, start, 11);
    col
}

/// Each card's (due, interval) in days after its last review, by the learner's days.
fn intervals(col: &Collection, now: DateTime<FixedOffset>) -> Vec<(i64, f64)> {
    test_pack_cards(col)
        .into_iter()
        .map(|card| {
            let info = col.card_info(CardId(card), now).unwrap();
            let last = DateTime::parse_from_rfc3339(&info.last_review.unwrap()).unwrap();
            let due = DateTime::parse_from_rfc3339(&info.due.unwrap()).unwrap();
            let day = |t: DateTime<FixedOffset>| reprise::day::day_number(t, 4);
            (day(due) - day(last), info.interval_days)
        })
        .collect()
}

#[test]
fn a_new_desired_retention_reschedules_every_review_card_from_its_memory() {
    let dir = TempDir::new().unwrap();
    let mut col = studied(&dir, 80);
    let now = at(HISTORY_END);
    let set = |col: &mut Collection, retention: f32| {
        let settings = Settings {
            desired_retention: retention,
            ..col.settings().clone()
        };
        col.set_settings(settings, now).unwrap()
    };
    assert!(set(&mut col, 0.80) > 0);
    let at_80 = intervals(&col, now);
    assert!(set(&mut col, 0.90) > 0);
    let at_90 = intervals(&col, now);
    assert!(set(&mut col, 0.97) > 0);
    let at_97 = intervals(&col, now);
    for i in 0..at_90.len() {
        // Due dates are the stored interval after the last review, in the learner's days.
        for set in [&at_80, &at_90, &at_97] {
            assert_eq!(set[i].0 as f64, set[i].1);
        }
        assert!(at_80[i].0 >= at_90[i].0 && at_90[i].0 >= at_97[i].0, "{i}");
    }
    let longer = (0..at_90.len())
        .filter(|&i| at_80[i].0 > at_90[i].0)
        .count();
    assert!(
        longer > at_90.len() / 2,
        "lower retention, longer intervals"
    );
    // Back to 0.9: the same dates as before, fuzz and all.
    set(&mut col, 0.90);
    assert_eq!(intervals(&col, now), at_90);
    // An unchanged retention moves nothing.
    assert_eq!(set(&mut col, 0.90), 0);
}

#[test]
fn new_cards_come_in_lesson_order_or_a_fixed_shuffle() {
    let order = |new_card_order| {
        let dir = TempDir::new().unwrap();
        let mut col = only_test_pack(
            &dir,
            10,
            Settings {
                new_card_order,
                bury_siblings: false,
                learning_steps_minutes: vec![],
                new_per_day: 100,
                ..Default::default()
            },
        );
        let mut prompts = Vec::new();
        while let Some(card) = col.next_card(at(T0)).unwrap() {
            prompts.push(card.prompt.clone());
            col.answer(card.card_id, Rating::Easy, at(T0), 1_000)
                .unwrap();
        }
        prompts
    };
    let lessons = order(NewCardOrder::Lessons);
    assert_eq!(lessons.len(), 20);
    // The pack's order: each term's two cards in turn, term 0 first.
    assert!(lessons[0].starts_with("Term 0"), "{:?}", &lessons[..2]);
    let random = order(NewCardOrder::Random);
    assert_ne!(random, lessons);
    let mut sorted = random.clone();
    sorted.sort();
    let mut expected = lessons.clone();
    expected.sort();
    assert_eq!(sorted, expected, "the same cards");
    assert_eq!(order(NewCardOrder::Random), random, "a fixed shuffle");
}

#[test]
fn overdue_reviews_can_come_lowest_retrievability_first() {
    let dir = TempDir::new().unwrap();
    let mut col = studied(&dir, 60);
    let later = at(HISTORY_END) + Duration::days(40);
    let due_first = col.next_card(later).unwrap().unwrap();
    let lowest = |col: &Collection| -> f32 {
        test_pack_cards(col)
            .into_iter()
            .filter_map(|c| {
                let info = col.card_info(CardId(c), later).unwrap();
                let due = DateTime::parse_from_rfc3339(info.due.as_ref()?).ok()?;
                (due < later).then_some(info.retrievability?)
            })
            .fold(f32::MAX, f32::min)
    };
    col.set_settings(
        Settings {
            review_order: ReviewOrder::Retrievability,
            ..col.settings().clone()
        },
        later,
    )
    .unwrap();
    let at_risk_first = col.next_card(later).unwrap().unwrap();
    assert_eq!(at_risk_first.retrievability.unwrap(), lowest(&col));
    assert!(due_first.retrievability.unwrap() >= at_risk_first.retrievability.unwrap());
}

#[test]
fn a_backlog_spreads_over_days_most_at_risk_first_with_new_cards_paused() {
    let dir = TempDir::new().unwrap();
    let mut col = studied(&dir, 120);
    // Bring in new cards again: the built-in pack.
    let back = at(HISTORY_END) + Duration::days(45);
    common::set_builtins_enabled(&mut col, true, back);
    let backlog = col.backlog(back).unwrap();
    assert!(backlog.overdue > 30, "{}", backlog.overdue);
    assert_eq!(backlog.new_paused_until, None);
    assert!(col.status(back).unwrap().new > 0);
    let cards = test_pack_cards(&col);
    let before: Vec<String> = cards.iter().map(|&c| snapshot(&col, c, back)).collect();

    let spread = col.spread_backlog(5, back).unwrap();
    assert_eq!((spread.cards, spread.days), (backlog.overdue, 5));
    assert_eq!(spread.new_paused_until.as_deref(), Some("2027-04-20"));
    // Each of the five days gets a fifth of the backlog; the cards most at risk come first.
    let today = reprise::day::day_number(back, 4);
    let mut per_day = vec![Vec::new(); 5];
    for &card in &cards {
        let info = col.card_info(CardId(card), back).unwrap();
        let due = DateTime::parse_from_rfc3339(info.due.as_ref().unwrap()).unwrap();
        let day = reprise::day::day_number(due, 4) - today;
        if (0..5).contains(&day) {
            per_day[day as usize].push(info.retrievability.unwrap());
        }
    }
    let sizes: Vec<usize> = per_day.iter().map(Vec::len).collect();
    let total: usize = sizes.iter().sum();
    assert!(total >= spread.cards as usize);
    let max_first = per_day[0].iter().copied().fold(0.0, f32::max);
    let min_last = per_day[4].iter().copied().fold(1.0, f32::min);
    assert!(
        max_first <= min_last,
        "day 0 at most {max_first}, day 4 at least {min_last}"
    );
    assert_eq!(col.status(back).unwrap().new, 0, "new cards pause");
    let after_pause = back + Duration::days(5);
    assert_eq!(col.backlog(after_pause).unwrap().new_paused_until, None);
    assert!(col.status(after_pause).unwrap().new > 0, "and come back");

    // Undo puts every card and the new cards back.
    let undone = col.undo(back).unwrap().unwrap();
    assert_eq!(undone.action, "spread_backlog");
    assert_eq!(col.settings().pause_new_until, None);
    let restored: Vec<String> = cards.iter().map(|&c| snapshot(&col, c, back)).collect();
    assert_eq!(restored, before);
    assert!(col.status(back).unwrap().new > 0);

    let err = col.spread_backlog(0, back).unwrap_err();
    assert!(err.to_string().contains("1 to 60 days"), "{err}");
}

#[test]
fn answers_from_before_the_upgrade_stay_undoable() {
    let dir = TempDir::new().unwrap();
    let t0 = at(T0);
    let mut col = only_test_pack(&dir, 2, Settings::default());
    let card = test_pack_cards(&col)[0];
    let before = snapshot(&col, card, t0);
    col.answer(CardId(card), Rating::Good, t0, 1_000).unwrap();
    drop(col);
    common::rewind_schema(dir.path(), 5);
    let mut col = Collection::open(dir.path(), t0).unwrap();
    let undone = col.undo(t0).unwrap().unwrap();
    assert_eq!(undone.card_id, Some(CardId(card)));
    assert_eq!(snapshot(&col, card, t0), before);
}
