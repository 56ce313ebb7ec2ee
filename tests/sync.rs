//! Sync between devices through one folder: real collections in their own data folders, real
//! segment files.

mod common;

use chrono::Duration;
use common::at;
use common::sync::{
    answer_next, card_state, device, plant_segment, plant_segment_of, register_event, studied_ids,
    Device,
};
use reprise::schedule::Rating;
use reprise::study::CardAction;
use reprise::sync::event::Scope;
use reprise::{CardId, Collection};
use tempfile::TempDir;

#[test]
fn an_answer_on_one_device_arrives_on_the_other() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "laptop", now);
    let card = answer_next(&mut a.col, Rating::Good, now);
    let report = a.col.sync(now).unwrap();
    assert!(report.sent >= 1, "{report:?}");

    let b = device(folder.path(), "desktop", now + Duration::minutes(5));
    assert_eq!(card_state(&b.col, card), card_state(&a.col, card));
    assert_eq!(card_state(&b.col, card).5.len(), 1);
    let status = b.col.sync_status(now).unwrap();
    assert_eq!(status.device.unwrap().name, "desktop");
    assert_eq!(status.devices.len(), 1);
    assert_eq!(status.devices[0].name, "laptop");
    assert_eq!(status.pending, 0);
    assert!(b.col.sync_verify().unwrap().differ.is_empty());
}

#[test]
fn two_devices_that_answer_the_same_card_apart_end_the_same_with_both_answers() {
    let folder = TempDir::new().unwrap();
    let day1 = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", day1);
    let mut b = device(folder.path(), "b", day1);
    // Both learn the same first card on day 1, apart.
    let card = answer_next(&mut a.col, Rating::Good, day1);
    let card_b = answer_next(&mut b.col, Rating::Again, day1 + Duration::hours(3));
    assert_eq!(
        card, card_b,
        "both study the built-in pack in the same order"
    );
    for _ in 0..2 {
        a.col.sync(day1 + Duration::hours(4)).unwrap();
        b.col.sync(day1 + Duration::hours(4)).unwrap();
    }
    let (sa, sb) = (card_state(&a.col, card), card_state(&b.col, card));
    assert_eq!(sa, sb);
    assert_eq!(sa.5.len(), 2, "both answers are kept: {sa:?}");
    assert_eq!(sa.3, 2, "both answers count as repetitions");
    assert!(a.col.sync_verify().unwrap().differ.is_empty());
    assert!(b.col.sync_verify().unwrap().differ.is_empty());
}

/// Devices a and b through one folder, both knowing a's answer (`rating`) to the first card.
fn both_know_an_answer(rating: Rating) -> (TempDir, Device, Device, CardId) {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", now);
    let mut b = device(folder.path(), "b", now);
    let card = answer_next(&mut a.col, rating, now);
    a.col.sync(now).unwrap();
    b.col.sync(now).unwrap();
    (folder, a, b, card)
}

#[test]
fn undo_and_suspension_travel() {
    let now = at("2026-12-05T09:00:00+01:00");
    let (_folder, mut a, mut b, card) = both_know_an_answer(Rating::Easy);
    assert_eq!(card_state(&b.col, card).5.len(), 1);

    // Undone after it was written out: a retraction takes it off everywhere.
    a.col.undo(now + Duration::minutes(1)).unwrap().unwrap();
    a.col
        .card_action(CardAction::Suspend, &[card], now + Duration::minutes(2))
        .unwrap();
    a.col.sync(now + Duration::minutes(3)).unwrap();
    b.col.sync(now + Duration::minutes(3)).unwrap();
    let on_b = card_state(&b.col, card);
    assert_eq!(on_b, card_state(&a.col, card));
    assert!(on_b.5.is_empty(), "{on_b:?}");
    assert_eq!(on_b.0, 0, "new again");
    let hidden: i64 = b
        .col
        .store()
        .conn()
        .query_row("SELECT hidden FROM cards WHERE id = ?1", [card.0], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(hidden & 1, 1, "suspended on b too");
}

#[test]
fn a_segment_still_arriving_waits_and_changes_nothing() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", now);
    let card = answer_next(&mut a.col, Rating::Good, now);
    a.col.sync(now).unwrap();
    // The sync tool has delivered only half of a's segments to b's copy of the folder.
    let copy = TempDir::new().unwrap();
    copy_dir(folder.path(), copy.path(), true);
    let mut b = device(copy.path(), "b", now);
    assert!(b.col.sync(now).unwrap().waiting >= 1);
    assert!(card_state(&b.col, card).5.is_empty());
    copy_dir(folder.path(), copy.path(), false);
    let report = b.col.sync(now).unwrap();
    assert_eq!(report.waiting, 0);
    assert_eq!(card_state(&b.col, card), card_state(&a.col, card));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path, half: bool) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_dir(&entry.path(), &dest, half);
        } else {
            let bytes = std::fs::read(entry.path()).unwrap();
            let segment = entry.file_name().to_string_lossy().ends_with(".rseg");
            let keep = if half && segment {
                bytes.len() / 2
            } else {
                bytes.len()
            };
            std::fs::write(dest, &bytes[..keep]).unwrap();
        }
    }
}

/// A setting written by `device`.
fn setting_event(
    device: uuid::Uuid,
    id: u128,
    hlc: u64,
    key: &str,
    value: serde_json::Value,
) -> Vec<u8> {
    register_event(device, id, hlc, Scope::Setting, key, value)
}

#[test]
fn a_hostile_segment_is_skipped_whole_with_a_notice() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", now);
    let device = uuid::Uuid::from_u128(0xdead_beef);
    let good = setting_event(device, 1, 1 << 16, "new_per_day", serde_json::json!(7));
    let events = vec![good, b"\xff\xff not an event".to_vec()];
    plant_segment(folder.path(), &events);
    let before = a.col.settings().clone();
    let report = a.col.sync(now).unwrap();
    assert_eq!(report.received, 0);
    assert!(
        report.notices.iter().any(|n| n.contains("was left alone")),
        "{report:?}"
    );
    assert_eq!(a.col.settings(), &before, "nothing of the segment applied");
}

#[test]
fn settings_this_version_refuses_are_not_applied() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", now);
    let device = uuid::Uuid::from_u128(0xdead_beef);
    let bad = setting_event(
        device,
        2,
        u64::MAX >> 1,
        "desired_retention",
        serde_json::json!(7.5),
    );
    plant_segment(folder.path(), &[bad]);
    let before = a.col.settings().clone();
    let report = a.col.sync(now).unwrap();
    assert_eq!(report.received, 1);
    assert!(
        report.notices.iter().any(|n| n.contains("not applied")),
        "{report:?}"
    );
    assert_eq!(a.col.settings(), &before);
    // The next answer still syncs.
    answer_next(&mut a.col, Rating::Good, now);
    assert!(a.col.sync(now).unwrap().sent >= 1);
}

#[test]
fn a_device_joining_adopts_the_settings_in_use_and_changes_travel_after() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", now);
    let patch = |k: &str, v: &str| std::collections::BTreeMap::from([(k.into(), v.into())]);
    a.col
        .update_settings(&patch("new_per_day", "7"), now)
        .unwrap();
    a.col.sync(now).unwrap();
    // b starts with the defaults and joins later: it takes a's settings, not the other way.
    let mut b = device(folder.path(), "b", now + Duration::hours(1));
    assert_eq!(b.col.settings().new_per_day, 7);
    a.col.sync(now + Duration::hours(1)).unwrap();
    assert_eq!(a.col.settings().new_per_day, 7);
    // A change on b reaches a.
    b.col
        .update_settings(&patch("new_per_day", "12"), now + Duration::hours(2))
        .unwrap();
    b.col.sync(now + Duration::hours(2)).unwrap();
    a.col.sync(now + Duration::hours(2)).unwrap();
    assert_eq!(a.col.settings().new_per_day, 12);
}

#[test]
fn undoing_an_answer_after_another_device_answered_the_card_keeps_the_other_answer() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", now);
    let mut b = device(folder.path(), "b", now);
    let card = answer_next(&mut a.col, Rating::Good, now);
    a.col.sync(now).unwrap();
    // b has not seen a's answer yet: its own is concurrent.
    assert_eq!(
        answer_next(&mut b.col, Rating::Again, now + Duration::hours(3)),
        card
    );
    b.col.sync(now + Duration::hours(3)).unwrap();
    a.col.sync(now + Duration::hours(4)).unwrap();
    assert_eq!(card_state(&a.col, card).5.len(), 2);
    // a takes its answer back: the card is what b's answer alone makes it, not new.
    a.col.undo(now + Duration::hours(4)).unwrap().unwrap();
    let on_a = card_state(&a.col, card);
    assert_eq!(on_a.5.len(), 1, "{on_a:?}");
    assert_ne!(on_a.0, 0, "b's answer still counts");
    assert!(a.col.sync_verify().unwrap().differ.is_empty());
    a.col.sync(now + Duration::hours(5)).unwrap();
    b.col.sync(now + Duration::hours(5)).unwrap();
    assert_eq!(card_state(&b.col, card), card_state(&a.col, card));
}

#[test]
fn undoing_a_reset_after_another_device_answered_the_card_keeps_the_other_answer() {
    let now = at("2026-12-05T09:00:00+01:00");
    let (_folder, mut a, mut b, card) = both_know_an_answer(Rating::Good);
    // a resets the card (written out); b, having seen the reset, answers it.
    let later = now + Duration::hours(1);
    a.col
        .card_action(CardAction::Reset, &[card], later)
        .unwrap();
    a.col.sync(later).unwrap();
    b.col.sync(later).unwrap();
    assert_eq!(card_state(&b.col, card).0, 0, "reset on b");
    b.col
        .answer(card, Rating::Again, later + Duration::minutes(5), 3_000)
        .unwrap();
    b.col.sync(later + Duration::minutes(5)).unwrap();
    a.col.sync(later + Duration::minutes(6)).unwrap();
    // a takes its reset back: the card is what both answers make it (two repetitions), not
    // the card as a left it before the reset, nor new.
    let undone = a.col.undo(later + Duration::minutes(7)).unwrap().unwrap();
    assert_eq!(undone.action, "reset");
    let on_a = card_state(&a.col, card);
    assert_eq!(on_a.5.len(), 2, "{on_a:?}");
    assert_eq!(on_a.3, 2, "both answers count: {on_a:?}");
    assert!(a.col.sync_verify().unwrap().differ.is_empty());
    for _ in 0..2 {
        a.col.sync(later + Duration::minutes(8)).unwrap();
        b.col.sync(later + Duration::minutes(8)).unwrap();
    }
    assert_eq!(card_state(&b.col, card), on_a);
    assert!(b.col.sync_verify().unwrap().differ.is_empty());
}

#[test]
fn a_reset_on_a_device_whose_clock_is_behind_still_resets_the_card_everywhere() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let behind = Duration::hours(-2);
    let mut a = device(folder.path(), "a", now);
    let mut b = device(folder.path(), "b", now + behind);
    let card = answer_next(&mut a.col, Rating::Good, now);
    a.col.sync(now).unwrap();
    b.col.sync(now + behind).unwrap();
    assert_ne!(card_state(&b.col, card).0, 0);
    // b's clock says two hours earlier than a's answer; its reset still comes after it.
    b.col
        .card_action(CardAction::Reset, &[card], now + behind)
        .unwrap();
    assert_eq!(card_state(&b.col, card).0, 0, "new on b");
    assert!(b.col.sync_verify().unwrap().differ.is_empty());
    b.col.sync(now + behind).unwrap();
    a.col.sync(now).unwrap();
    assert_eq!(card_state(&a.col, card), card_state(&b.col, card));
    assert_eq!(card_state(&a.col, card).0, 0, "new on a");
    assert!(a.col.sync_verify().unwrap().differ.is_empty());
}

#[test]
fn a_retraction_that_arrives_before_the_answer_it_takes_back_still_takes_it_back() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let later = now + Duration::minutes(15);
    let mut a = device(folder.path(), "a", now);
    let card = answer_next(&mut a.col, Rating::Good, now);
    a.col.sync(now).unwrap();
    // The same card again, once its learning step is over; then taken back.
    a.col.answer(card, Rating::Good, later, 4_000).unwrap();
    a.col.sync(later).unwrap();
    a.col.undo(later).unwrap().unwrap();
    a.col.sync(later).unwrap();
    assert_eq!(card_state(&a.col, card).5.len(), 1);
    // a wrote its settings, the first answer, the second, the retraction; b's sync tool
    // delivers the retraction before the answer it takes back.
    let view = TempDir::new().unwrap();
    std::fs::copy(
        folder.path().join("reprise-sync.json"),
        view.path().join("reprise-sync.json"),
    )
    .unwrap();
    let mut b = device(view.path(), "b", now);
    let a_dir = std::fs::read_dir(folder.path().join("log"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|d| std::fs::read_dir(d).unwrap().count() == 4)
        .expect("a's four segments");
    let into = view.path().join("log").join(a_dir.file_name().unwrap());
    std::fs::create_dir_all(&into).unwrap();
    for seq in [1, 2, 4, 3] {
        let name = format!("{seq:010}.rseg");
        std::fs::copy(a_dir.join(&name), into.join(&name)).unwrap();
        b.col.sync(later).unwrap();
    }
    assert_eq!(card_state(&b.col, card), card_state(&a.col, card));
    assert!(b.col.sync_verify().unwrap().differ.is_empty());
}

#[test]
fn a_device_whose_clock_is_ahead_is_merged_and_named_in_a_notice() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "laptop", now);
    let ahead = now + Duration::hours(3);
    let mut b = device(folder.path(), "phone", ahead);
    let card = answer_next(&mut b.col, Rating::Good, ahead);
    b.col.sync(ahead).unwrap();
    let report = a.col.sync(now).unwrap();
    assert!(
        report
            .notices
            .iter()
            .any(|n| n == "phone's clock is 3 h ahead"),
        "{report:?}"
    );
    assert_eq!(card_state(&a.col, card), card_state(&b.col, card));
    // In step again: no notice.
    let later = ahead + Duration::minutes(1);
    answer_next(&mut b.col, Rating::Good, later);
    b.col.sync(later).unwrap();
    let report = a.col.sync(later).unwrap();
    assert!(report.notices.is_empty(), "{report:?}");
}

#[test]
fn a_copied_data_folder_gets_its_own_identity_and_loses_nothing() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "laptop", now);
    a.col.sync(now).unwrap();
    // The learner copies the whole data folder to a second machine.
    let copy = TempDir::new().unwrap();
    for entry in std::fs::read_dir(a._dir.path()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
        }
    }
    let mut c = Collection::open(copy.path(), now).unwrap();
    let on_a = answer_next(&mut a.col, Rating::Good, now);
    a.col.sync(now).unwrap();
    let on_c = answer_next(&mut c, Rating::Easy, now + Duration::minutes(1));
    let report = c.sync(now + Duration::minutes(1)).unwrap();
    assert!(
        report
            .notices
            .iter()
            .any(|n| n.contains("it now has its own")),
        "{report:?}"
    );
    let a_id = a.col.sync_status(now).unwrap().device.unwrap().id;
    let c_id = c.sync_status(now).unwrap().device.unwrap().id;
    assert_ne!(a_id, c_id);
    // A third device gets both answers.
    let b = device(folder.path(), "desktop", now + Duration::minutes(2));
    let both = card_state(&b.col, on_a);
    assert_eq!(both.5.len(), if on_a == on_c { 2 } else { 1 }, "{both:?}");
    assert!(!card_state(&b.col, on_c).5.is_empty());
    a.col.sync(now + Duration::minutes(3)).unwrap();
    assert_eq!(card_state(&a.col, on_c), card_state(&b.col, on_c));
    assert!(a.col.sync_verify().unwrap().differ.is_empty());
}

/// Each card and the new-card queue it waits in.
fn queues(col: &Collection) -> Vec<(i64, i64)> {
    col.store()
        .conn()
        .prepare("SELECT id, new_queue FROM cards ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_lesson_finished_on_one_device_is_finished_on_the_other() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", now);
    let mut b = device(folder.path(), "b", now);
    let pack = reprise::PackId::from("reprise.kubernetes-containers");
    let lesson = common::k8s_pack()
        .lessons
        .into_iter()
        .find(|l| l.id == "jobs-and-cronjobs")
        .unwrap();
    let right: Vec<Vec<u32>> = lesson
        .questions
        .iter()
        .map(|q| q.correct.iter().map(|&i| i as u32).collect())
        .collect();
    let before_queues = queues(&b.col);
    let result = a.col.finish_lesson(&pack, &lesson.id, &right, now).unwrap();
    assert!(result.cards_queued > 0);
    a.col.sync(now).unwrap();
    b.col.sync(now).unwrap();
    let page = b.col.lesson_page(&pack, &lesson.id).unwrap();
    let best = page.summary.best.expect("the lesson is finished on b");
    assert_eq!(best.correct as usize, lesson.questions.len());
    // Its quiz questions, waiting for the lesson, and its terms now come first on b too.
    assert_ne!(queues(&b.col), before_queues);
    assert_eq!(queues(&b.col), queues(&a.col));
    // Syncing again adds no second attempt.
    a.col.sync(now).unwrap();
    b.col.sync(now).unwrap();
    assert_eq!(b.col.lesson_page(&pack, &lesson.id).unwrap().attempts, 1);
}

#[test]
fn a_burial_travels_and_ends_on_its_day_everywhere() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", now);
    let mut b = device(folder.path(), "b", now);
    let card = answer_next(&mut a.col, Rating::Good, now);
    let buried_on = |col: &Collection| -> Vec<i64> {
        col.store()
            .conn()
            .prepare("SELECT id FROM cards WHERE hidden & 4 ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    // Answering buried the card's sibling on a.
    let siblings = buried_on(&a.col);
    assert!(!siblings.is_empty() && !siblings.contains(&card.0));
    a.col.sync(now).unwrap();
    b.col.sync(now).unwrap();
    assert_eq!(buried_on(&b.col), siblings);
    // The next day both have it back.
    let tomorrow = now + Duration::days(1);
    assert!(b.col.next_card(tomorrow).unwrap().is_some());
    assert!(buried_on(&b.col).is_empty());
}

/// Every studied card's state, as [`card_state`] says it.
fn studied(col: &Collection) -> Vec<(i64, common::sync::CardState)> {
    studied_ids(col)
        .into_iter()
        .map(|id| (id, card_state(col, CardId(id))))
        .collect()
}

#[test]
fn new_scheduling_settings_move_every_card_alike_on_every_device() {
    let folder = TempDir::new().unwrap();
    let day1 = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", day1);
    // The same study without sync: what the settings must do to the cards.
    let alone_dir = TempDir::new().unwrap();
    let mut alone = Collection::open(alone_dir.path(), day1).unwrap();
    for col in [&mut a.col, &mut alone] {
        for _ in 0..5 {
            answer_next(col, Rating::Easy, day1);
        }
    }
    a.col.sync(day1).unwrap();
    let mut b = device(folder.path(), "b", day1 + Duration::hours(1));
    let before = studied(&b.col);
    assert_eq!(before.len(), 5);
    assert_eq!(before, studied(&a.col));

    // Day 2: a lowers the desired retention and raises nothing else; b, apart, learns one more.
    let day2 = day1 + Duration::days(1);
    let patch =
        std::collections::BTreeMap::from([("desired_retention".to_string(), "0.8".to_string())]);
    let moved = a.col.update_settings(&patch, day2).unwrap();
    assert_eq!(moved, alone.update_settings(&patch, day2).unwrap());
    assert!(moved > 0, "a lower retention moves review cards");
    // Review ids are random: compare the ratings.
    let ratings = |col: &Collection| {
        studied(col)
            .into_iter()
            .map(|(id, mut s)| {
                s.5 = s.5.iter().map(|r| r[33..].to_string()).collect();
                (id, s)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(ratings(&a.col), ratings(&alone), "sync changes nothing");
    let extra = answer_next(&mut b.col, Rating::Easy, day2 + Duration::hours(1));

    for _ in 0..2 {
        a.col.sync(day2 + Duration::hours(2)).unwrap();
        b.col.sync(day2 + Duration::hours(2)).unwrap();
    }
    assert_eq!(b.col.settings().desired_retention, 0.8);
    let (sa, sb) = (studied(&a.col), studied(&b.col));
    assert_eq!(sa, sb);
    assert_eq!(sa.len(), 6);
    // Day 1's cards fall due later than before, alike on both devices.
    for ((id, old), (_, new)) in before
        .iter()
        .zip(sb.iter().filter(|(id, _)| *id != extra.0))
    {
        assert!(new.1 > old.1, "card {id}: {old:?} then {new:?}");
        assert_eq!(new.5, old.5, "card {id} keeps its answers");
    }
    assert!(a.col.sync_verify().unwrap().differ.is_empty());
    assert!(b.col.sync_verify().unwrap().differ.is_empty());
    // A device joining later folds the same cards from the folder.
    let c = device(folder.path(), "c", day2 + Duration::hours(3));
    assert_eq!(studied(&c.col), sa);
}

/// Which of its side files the collection in `dir` has: (the WAL, the rollback journal).
fn side_files(dir: &std::path::Path) -> (bool, bool) {
    let side = |suffix: &str| dir.join(format!("reprise.sqlite3{suffix}")).exists();
    (side("-wal"), side("-journal"))
}

#[test]
fn a_device_joining_a_long_history_merges_it_as_a_big_write_and_a_short_one_in_the_wal() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "laptop", now);
    answer_next(&mut a.col, Rating::Good, now);
    a.col.sync(now).unwrap();
    // Another device's long history: 30,000 tag writes (about 5 MiB of events).
    let other = uuid::Uuid::from_u128(0xfeed);
    let tag = "t".repeat(100);
    for seq in 1..=6 {
        let events: Vec<Vec<u8>> = (0..5_000u64)
            .map(|i| {
                let n = (seq as u64) * 10_000 + i;
                let key = format!("{} {tag}{n}", 1_000_000 + n);
                register_event(other, n.into(), n << 16, Scope::Tag, &key, true.into())
            })
            .collect();
        plant_segment_of(folder.path(), other, seq, &events);
    }

    let dir = TempDir::new().unwrap();
    let mut b = Collection::open(dir.path(), now).unwrap();
    b.sync_connect(folder.path().to_str().unwrap(), Some("desktop"), now)
        .unwrap();
    let mut merging = Vec::new();
    b.sync_with_progress(now, &mut |p| {
        if p.stage == "merging" && p.done > 0 {
            merging.push(side_files(dir.path()));
        }
    })
    .unwrap();
    // Merged under the rollback journal, each page written once; then back in the WAL.
    assert!(!merging.is_empty());
    assert!(merging.iter().all(|&s| s == (false, true)), "{merging:?}");
    let mode: String = (b.store().conn())
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let registers: i64 = (b.store().conn())
        .query_row("SELECT count(*) FROM sync_registers", [], |r| r.get(0))
        .unwrap();
    assert!(registers >= 30_000, "{registers}");

    // A short pull (one answer) goes through the WAL, as every small write.
    let card = answer_next(&mut a.col, Rating::Good, now + Duration::minutes(1));
    a.col.sync(now + Duration::minutes(1)).unwrap();
    let mut merging = Vec::new();
    b.sync_with_progress(now + Duration::minutes(2), &mut |p| {
        if p.stage == "merging" {
            merging.push(side_files(dir.path()));
        }
    })
    .unwrap();
    assert!(merging.iter().all(|&s| s == (true, false)), "{merging:?}");
    assert_eq!(card_state(&b, card), card_state(&a.col, card));
}
