//! Sync between devices through one folder: real collections in their own data folders, real
//! segment files.

use chrono::{DateTime, Duration, FixedOffset};
use reprise::schedule::Rating;
use reprise::study::CardAction;
use reprise::{CardId, Collection};
use tempfile::TempDir;

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

struct Device {
    _dir: TempDir,
    col: Collection,
}

fn device(folder: &std::path::Path, name: &str, now: DateTime<FixedOffset>) -> Device {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now).unwrap();
    col.sync_to(folder.to_str().unwrap(), Some(name), now)
        .unwrap();
    Device { _dir: dir, col }
}

/// The card as its schedule and log say it is: state, due, memory, reps, lapses, reviews.
fn card_state(
    col: &Collection,
    id: CardId,
) -> (i64, Option<i64>, Option<f64>, i64, i64, Vec<String>) {
    let conn = col.store().conn();
    let (state, due, stability, reps, lapses) = conn
        .query_row(
            "SELECT state, due, stability, reps, lapses FROM cards WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let reviews = conn
        .prepare(
            "SELECT hex(uuid) || ':' || rating FROM revlog WHERE card_id = ?1 ORDER BY reviewed_at",
        )
        .unwrap()
        .query_map([id.0], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (state, due, stability, reps, lapses, reviews)
}

fn answer_next(col: &mut Collection, rating: Rating, now: DateTime<FixedOffset>) -> CardId {
    let card = col
        .next_card(now)
        .unwrap()
        .expect("a card to study")
        .card_id;
    col.answer(card, rating, now, 4_000).unwrap();
    card
}

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

#[test]
fn undo_and_suspension_travel() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", now);
    let mut b = device(folder.path(), "b", now);
    let card = answer_next(&mut a.col, Rating::Easy, now);
    a.col.sync(now).unwrap();
    b.col.sync(now).unwrap();
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

/// A segment from a "device" that is whole and checksummed but hostile inside.
fn plant_segment(folder: &std::path::Path, events: &[Vec<u8>]) -> uuid::Uuid {
    use reprise::sync::segment::{encode, Header};
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("reprise-sync.json")).unwrap()).unwrap();
    let device = uuid::Uuid::from_u128(0xdead_beef);
    let header = Header {
        collection: file["collection"].as_str().unwrap().parse().unwrap(),
        device,
        seq: 1,
        events: events.len(),
    };
    let dir = folder.join("log").join(device.simple().to_string());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("0000000001.rseg"), encode(&header, events)).unwrap();
    device
}

#[test]
fn a_hostile_segment_is_skipped_whole_with_a_notice() {
    let folder = TempDir::new().unwrap();
    let now = at("2026-12-05T09:00:00+01:00");
    let mut a = device(folder.path(), "a", now);
    let device = uuid::Uuid::from_u128(0xdead_beef);
    let good = serde_json::json!({
        "id": uuid::Uuid::from_u128(1), "device": device, "hlc": 1u64 << 16, "at": 0,
        "tz_min": 0, "kind": "register", "scope": "setting", "key": "new_per_day", "value": 7
    });
    let events = vec![serde_json::to_vec(&good).unwrap(), b"{not json".to_vec()];
    plant_segment(folder.path(), &events);
    let before = a.col.settings().clone();
    let report = a.col.sync(now).unwrap();
    assert_eq!(report.received, 0);
    assert!(
        report.notices.iter().any(|n| n.contains("was skipped")),
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
    let bad = serde_json::json!({
        "id": uuid::Uuid::from_u128(2), "device": device, "hlc": u64::MAX >> 1, "at": 0,
        "tz_min": 0, "kind": "register", "scope": "setting", "key": "desired_retention",
        "value": 7.5
    });
    plant_segment(folder.path(), &[serde_json::to_vec(&bad).unwrap()]);
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
