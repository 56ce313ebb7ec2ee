//! The study flow against a real SQLite file, with a fixed clock across simulated days.

mod common;

use chrono::Duration;
use common::{at, collection_with_pack, revlog_rows};
use reprise::{CardId, CardState, Collection, Error, Rating, Settings};
use tempfile::TempDir;

fn settings() -> Settings {
    Settings {
        fuzz: false,
        ..Default::default()
    }
}

#[test]
fn a_card_lives_through_learning_review_lapse_and_relearning() {
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+01:00");
    let mut col = Collection::open(dir.path(), t0).unwrap();
    col.set_settings(settings(), at("2026-03-10T09:00:00+00:00"))
        .unwrap();
    let status = col.status(t0).unwrap();
    let new_today = common::builtin_new_today();
    assert_eq!(
        (status.new, status.learning, status.review),
        (new_today, 0, 0)
    );
    assert_eq!(status.total_cards, common::builtin_all_cards());
    assert_eq!(status.next_due, None);

    let card = col.next_card(t0).unwrap().expect("a new card");
    assert_eq!(card.state, CardState::New);
    let id = card.card_id;
    assert_eq!(card.interval_labels.good, "10m");

    // New → learning (10-minute step).
    let out = col.answer(id, Rating::Good, t0, 4_000).unwrap();
    assert_eq!(out.state, CardState::Learning);
    let status = col.status(t0).unwrap();
    assert_eq!(status.new, new_today - 1);
    assert_eq!(status.learning, 1, "due within the learn-ahead window");
    // Another new card comes first while the learning card waits.
    assert_ne!(col.next_card(t0).unwrap().unwrap().card_id, id);

    // Ten minutes later the learning card is due and comes first.
    let t1 = t0 + Duration::minutes(10);
    assert_eq!(col.next_card(t1).unwrap().unwrap().card_id, id);
    let out = col.answer(id, Rating::Good, t1, 3_000).unwrap();
    assert_eq!(out.state, CardState::Review);
    let days = out.interval_days as i64;
    assert!(days >= 1);
    let info = col.card_info(id, t1).unwrap();
    assert_eq!(info.reps, 2);
    assert_eq!(info.due.as_deref(), Some(out.due.as_str()));

    // Not due the day before its interval ends (even late at night, before the rollover)...
    let eve = at("2026-03-10T23:00:00+01:00") + Duration::days(days - 1);
    let before_rollover = eve + Duration::hours(4) + Duration::minutes(59);
    for moment in [eve, before_rollover] {
        assert_eq!(col.status(moment).unwrap().review, 0, "at {moment}");
        assert!(col.answer(id, Rating::Good, moment, 0).is_err());
    }
    // ...and due from the rollover hour of its due day.
    let due_day = at("2026-03-10T04:00:00+01:00") + Duration::days(days);
    assert_eq!(col.status(due_day).unwrap().review, 1);

    // A lapse: review → relearning, lapse counted.
    let t2 = due_day + Duration::hours(5);
    let out = col.answer(id, Rating::Again, t2, 9_000).unwrap();
    assert_eq!(out.state, CardState::Relearning);
    let info = col.card_info(id, t2).unwrap();
    assert_eq!(info.lapses, 1);
    assert!(info.stability.unwrap() < col.card_info(id, t1).unwrap().stability.unwrap() + 0.001);

    // Relearning → review after its 10-minute step.
    let t3 = t2 + Duration::minutes(10);
    let out = col.answer(id, Rating::Good, t3, 2_000).unwrap();
    assert_eq!(out.state, CardState::Review);

    let info = col.card_info(id, t3).unwrap();
    let states: Vec<_> = info
        .reviews
        .iter()
        .map(|r| (r.state_before, r.state_after, r.rating))
        .collect();
    assert_eq!(
        states,
        vec![
            (CardState::New, CardState::Learning, Rating::Good),
            (CardState::Learning, CardState::Review, Rating::Good),
            (CardState::Review, CardState::Relearning, Rating::Again),
            (CardState::Relearning, CardState::Review, Rating::Good),
        ]
    );
    assert_eq!(info.reviews[2].elapsed_days as i64, days);
    assert_eq!(info.reviews[0].duration_ms, 4_000);
    assert_eq!(info.reps, 4);
    assert_eq!(info.lapses, 1);
}

#[test]
fn daily_limits_cap_new_cards_and_reviews() {
    let dir = TempDir::new().unwrap();
    let day0 = at("2026-03-10T09:00:00+00:00");
    let mut col = collection_with_pack(
        dir.path(),
        10,
        Settings {
            new_per_day: 3,
            reviews_per_day: 100,
            learning_steps_minutes: vec![],
            ..settings()
        },
        day0,
    );
    // Five days of study, answering Good: three new cards a day, plus reviews as they fall due.
    for day in 0..5 {
        let t = day0 + Duration::days(day);
        assert_eq!(col.status(t).unwrap().new, 3, "day {day}");
        let mut new_seen = 0;
        while let Some(card) = col.next_card(t).unwrap() {
            new_seen += u32::from(card.state == CardState::New);
            col.answer(card.card_id, Rating::Good, t, 0).unwrap();
        }
        assert_eq!(new_seen, 3, "new limit on day {day}");
        assert_eq!(col.status(t).unwrap().new, 0);
    }
    // Two months later all fifteen are due.
    let later = day0 + Duration::days(60);
    let status = col.status(later).unwrap();
    assert_eq!((status.review, status.new), (15, 3));

    let set_review_limit = |col: &mut Collection, limit| {
        let mut s = col.settings().clone();
        s.reviews_per_day = limit;
        col.set_settings(s, at("2026-03-10T09:00:00+00:00"))
            .unwrap();
    };
    // The review limit caps reviews, and new cards count against it too.
    set_review_limit(&mut col, 17);
    let status = col.status(later).unwrap();
    assert_eq!((status.review, status.new), (15, 2));
    set_review_limit(&mut col, 5);
    let status = col.status(later).unwrap();
    assert_eq!((status.review, status.new), (5, 0));
    // Reviews done today use the limit up.
    for _ in 0..2 {
        let card = col.next_card(later).unwrap().unwrap();
        assert_eq!(card.state, CardState::Review);
        col.answer(card.card_id, Rating::Good, later, 0).unwrap();
    }
    assert_eq!(col.status(later).unwrap().review, 3);
}

#[test]
fn the_day_rolls_over_at_the_configured_hour() {
    let dir = TempDir::new().unwrap();
    let late = at("2026-03-11T03:30:00+02:00");
    let mut col = collection_with_pack(
        dir.path(),
        4,
        Settings {
            new_per_day: 1,
            ..settings()
        },
        late,
    );
    let card = col.next_card(late).unwrap().unwrap();
    col.answer(card.card_id, Rating::Easy, late, 0).unwrap();
    // Still "yesterday" until 04:00 local time: the new limit stays used up.
    assert_eq!(col.status(at("2026-03-11T03:59:00+02:00")).unwrap().new, 0);
    assert_eq!(col.status(at("2026-03-11T04:00:00+02:00")).unwrap().new, 1);

    // A later rollover hour moves the boundary.
    let mut s = col.settings().clone();
    s.rollover_hour = 6;
    col.set_settings(s, at("2026-03-10T09:00:00+00:00"))
        .unwrap();
    assert_eq!(col.status(at("2026-03-11T05:00:00+02:00")).unwrap().new, 0);
    assert_eq!(col.status(at("2026-03-11T06:00:00+02:00")).unwrap().new, 1);
}

#[test]
fn undo_restores_the_exact_previous_state_for_at_least_30_answers() {
    let dir = TempDir::new().unwrap();
    let mut now = at("2026-03-10T09:00:00+00:00");
    let mut col = collection_with_pack(
        dir.path(),
        20,
        Settings {
            new_per_day: 100,
            ..settings()
        },
        now,
    );
    let mut history = Vec::new();
    for i in 0..35 {
        let card = col.next_card(now).unwrap().unwrap();
        let id = card.card_id;
        history.push((id, col.card_info(id, now).unwrap()));
        col.answer(id, Rating::ALL[i % 4], now, 1_000).unwrap();
        now += Duration::minutes(3);
    }
    assert_eq!(revlog_rows(&col), 35);
    // Undo everything, newest first, checking each card is back exactly as it was.
    while let Some((id, mut before)) = history.pop() {
        let undone = col.undo(now).unwrap().expect("something to undo");
        assert_eq!(undone.card_id, Some(id));
        let mut after = col.card_info(id, now).unwrap();
        // Retrievability depends on "now", which differs between the two readings.
        before.retrievability = None;
        after.retrievability = None;
        assert_eq!(after, before);
    }
    assert_eq!(revlog_rows(&col), 0);
    assert!(col.undo(now).unwrap().is_none(), "nothing left to undo");
}

#[test]
fn reopening_the_file_keeps_everything() {
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+00:00");
    let (status, info, id) = {
        let mut col = collection_with_pack(dir.path(), 5, settings(), t0);
        let card = col.next_card(t0).unwrap().unwrap();
        let id = card.card_id;
        col.answer(id, Rating::Good, t0, 0).unwrap();
        col.answer(id, Rating::Good, t0 + Duration::minutes(10), 0)
            .unwrap();
        let later = t0 + Duration::minutes(11);
        (
            col.status(later).unwrap(),
            col.card_info(id, later).unwrap(),
            id,
        )
    };
    let later = t0 + Duration::minutes(11);
    let col = Collection::open(dir.path(), later).unwrap();
    assert_eq!(col.status(later).unwrap(), status);
    assert_eq!(col.card_info(id, later).unwrap(), info);
    assert!(!col.settings().fuzz, "settings persisted");
    assert_eq!(revlog_rows(&col), 2);
}

#[test]
fn bad_answers_are_refused_and_change_nothing() {
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+00:00");
    let mut col = Collection::open(dir.path(), t0).unwrap();
    let card = col.next_card(t0).unwrap().unwrap();
    let id = card.card_id;
    col.answer(id, Rating::Easy, t0, 0).unwrap();
    let status = col.status(t0).unwrap();
    let info = col.card_info(id, t0).unwrap();

    let err = col.answer(CardId(12345), Rating::Good, t0, 0).unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { what: "card", id, .. } if id == "12345"),
        "{err}"
    );
    let err = col.answer(id, Rating::Good, t0, 0).unwrap_err();
    assert!(err.to_string().contains("is not due until"), "{err}");

    assert_eq!(col.status(t0).unwrap(), status);
    assert_eq!(col.card_info(id, t0).unwrap(), info);
    assert_eq!(revlog_rows(&col), 1);
}

#[test]
fn a_newer_pack_version_keeps_progress() {
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+00:00");
    let mut col = collection_with_pack(dir.path(), 3, settings(), t0);
    let pack_dir = dir.path().join("pack-src");
    let source = reprise::content::DirSource::new(&pack_dir);
    let first = reprise::content::Pack::load(&source).unwrap();
    let note = reprise::ids::NoteId::derive("test.pack", "term-00");
    let id = CardId::derive(note, "forward");
    col.answer(id, Rating::Good, t0, 0).unwrap();

    common::write_pack(&pack_dir, "test.pack", 3, ", revised");
    let second = reprise::content::Pack::load(&source).unwrap();
    assert_ne!(first.content_hash, second.content_hash);
    let installed = col.install_pack(&second, t0).unwrap();
    assert!(installed.changed);
    assert_eq!(installed.new_cards, 0);
    let info = col.card_info(id, t0).unwrap();
    assert_eq!(info.reps, 1, "progress kept");
    assert_eq!(info.answer, "Definition number 0, revised.");
    // Installing the same version again changes nothing.
    assert!(!col.install_pack(&second, t0).unwrap().changed);
}

#[test]
fn upgrading_to_instants_in_milliseconds_keeps_due_dates_and_burials() {
    let dir = TempDir::new().unwrap();
    let t0 = at("2026-03-10T09:00:00+01:00");
    let mut col = collection_with_pack(dir.path(), 4, settings(), t0);
    let first = col.next_card(t0).unwrap().unwrap().card_id;
    col.answer(first, Rating::Good, t0, 1_000).unwrap();
    let second = col.next_card(t0).unwrap().unwrap().card_id;
    col.card_action(reprise::study::CardAction::Bury, &[second], t0)
        .unwrap();
    let due_before = col.card_info(first, t0).unwrap().due;
    let status_before = col.status(t0).unwrap();
    drop(col);

    // The same collection as schema 8 wrote it: due dates and burials in seconds.
    common::rewind_schema(dir.path(), 8);
    let col = Collection::open(dir.path(), t0).unwrap();
    assert_eq!(col.card_info(first, t0).unwrap().due, due_before);
    assert_eq!(col.status(t0).unwrap(), status_before, "the burial holds");
    let later = t0 + Duration::minutes(10);
    assert_eq!(
        col.next_card(later).unwrap().unwrap().card_id,
        first,
        "due on time"
    );
    let tomorrow = t0 + Duration::days(1);
    let mut seen = Vec::new();
    let mut col = col;
    while let Some(card) = col.next_card(tomorrow).unwrap() {
        seen.push(card.card_id);
        col.answer(card.card_id, Rating::Easy, tomorrow, 1_000)
            .unwrap();
    }
    assert!(
        seen.contains(&second),
        "the buried card comes back the next day"
    );
}
