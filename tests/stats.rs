//! Statistics against a small history written by hand, each expected figure worked out below.

mod common;

use chrono::{DateTime, Utc};
use common::{at, collection_with_pack};
use reprise::stats::Passes;
use reprise::{Collection, PackId, Settings};
use tempfile::TempDir;

/// 2026-03-10, 12:00 in UTC+1; the day rolls over at 4:00.
const NOW: &str = "2026-03-10T12:00:00+01:00";

fn ms(s: &str) -> i64 {
    DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
}

/// The test pack's cards: term 0 forward, term 0 reverse, term 1 forward, term 1 reverse.
fn cards(col: &Collection) -> [i64; 4] {
    let ids: Vec<i64> = col
        .store()
        .conn()
        .prepare(
            "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id
             WHERE n.pack_id = 'test.pack' ORDER BY n.key, c.template",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    ids.try_into().unwrap()
}

/// The fixture: four cards in known states and eight answers.
fn fixture(dir: &TempDir) -> (Collection, [i64; 4]) {
    let mut col = collection_with_pack(dir.path(), 2, Settings::default(), at(NOW));
    common::disable_builtins(&mut col, at(NOW));
    let [a_fwd, a_rev, b_fwd, b_rev] = cards(&col);
    let conn = col.store().conn();
    // (card, when, rating, state before, interval before in days, seconds)
    let log: [(i64, &str, i64, i64, f64, i64); 8] = [
        // Today: a mature pass and a young lapse.
        (a_fwd, "2026-03-10T09:00:00+01:00", 3, 2, 30.0, 10),
        (b_fwd, "2026-03-10T09:05:00+01:00", 1, 2, 5.0, 20),
        // 2:00 on the 10th is before the rollover: yesterday. A young pass.
        (a_rev, "2026-03-10T02:00:00+01:00", 3, 2, 10.0, 8),
        // Yesterday: a new card answered Easy (learning).
        (b_rev, "2026-03-09T10:00:00+01:00", 4, 0, 0.0, 4),
        // Five days ago, a mature Hard; 18 days ago, a mature lapse.
        (a_fwd, "2026-03-05T10:00:00+01:00", 2, 2, 21.0, 6),
        (b_fwd, "2026-02-20T10:00:00+01:00", 1, 2, 40.0, 12),
        // 355 days ago: the first answer to a_fwd (learning), inside the year...
        (a_fwd, "2025-03-20T10:00:00+01:00", 3, 0, 0.0, 2),
        // ...and 374 days ago, outside it.
        (a_fwd, "2025-03-01T10:00:00+01:00", 3, 0, 0.0, 2),
    ];
    for (i, &(card, when, rating, before, last_interval, seconds)) in log.iter().enumerate() {
        let uuid = uuid::Uuid::from_u128(i as u128 + 1);
        common::log_answer(
            &col,
            uuid,
            card,
            ms(when),
            rating,
            before,
            last_interval,
            seconds * 1000,
        );
    }
    // The cards now: a_fwd in review, due in 2 days (stability 20); a_rev in review, 3 days
    // overdue (stability 5); b_fwd relearning, due 10 minutes from now (stability 2);
    // b_rev new and suspended.
    let set = |card: i64, state: i64, due: &str, stability: f64, last: &str| {
        conn.execute(
            "UPDATE cards SET state = ?2, due = ?3, stability = ?4, difficulty = 5.0,
                last_review = ?5, interval_days = 1.0 WHERE id = ?1",
            rusqlite::params![card, state, ms(due), stability, ms(last)],
        )
        .unwrap();
    };
    set(
        a_fwd,
        2,
        "2026-03-12T04:00:00+01:00",
        20.0,
        "2026-03-10T09:00:00+01:00",
    );
    set(
        a_rev,
        2,
        "2026-03-07T04:00:00+01:00",
        5.0,
        "2026-03-10T02:00:00+01:00",
    );
    set(
        b_fwd,
        3,
        "2026-03-10T12:10:00+01:00",
        2.0,
        "2026-03-10T09:05:00+01:00",
    );
    conn.execute(
        "UPDATE cards SET hidden = hidden | 1 WHERE id = ?1",
        [b_rev],
    )
    .unwrap();
    (col, [a_fwd, a_rev, b_fwd, b_rev])
}

fn passes(passed: u32, reviews: u32) -> Passes {
    Passes {
        passed,
        reviews,
        rate: (reviews > 0).then(|| passed as f32 / reviews as f32),
    }
}

#[test]
fn the_heatmap_counts_reviews_and_time_per_learners_day_and_the_streak() {
    let dir = TempDir::new().unwrap();
    let (col, _) = fixture(&dir);
    let stats = col.stats(at(NOW)).unwrap();
    assert_eq!(stats.today, "2026-03-10");
    let h = &stats.heatmap;
    assert_eq!(h.days.len(), 365);
    assert_eq!(h.days.last().unwrap().date, "2026-03-10");
    assert_eq!(h.days[0].date, "2025-03-11");
    let on = |date: &str| {
        h.days
            .iter()
            .find(|d| d.date == date)
            .map(|d| (d.reviews, d.seconds))
    };
    assert_eq!(on("2026-03-10"), Some((2, 30)));
    // The answer at 2:00 on the 10th counts on the 9th, with the one at 10:00.
    assert_eq!(on("2026-03-09"), Some((2, 12)));
    assert_eq!(on("2026-03-05"), Some((1, 6)));
    assert_eq!(on("2026-02-20"), Some((1, 12)));
    assert_eq!(on("2025-03-20"), Some((1, 2)));
    assert_eq!(on("2025-03-01"), None, "more than a year ago");
    assert_eq!((h.total_reviews, h.days_studied), (7, 5));
    assert_eq!((h.streak, h.longest_streak), (2, 2));

    // The next morning, before any review, the streak still counts yesterday and the day before.
    let next = col.stats(at("2026-03-11T08:00:00+01:00")).unwrap();
    assert_eq!(next.heatmap.streak, 2);
    // A day later it is broken.
    assert_eq!(
        col.stats(at("2026-03-12T08:00:00+01:00"))
            .unwrap()
            .heatmap
            .streak,
        0
    );
}

#[test]
fn true_retention_splits_young_and_mature_reviews_by_period() {
    let dir = TempDir::new().unwrap();
    let (col, _) = fixture(&dir);
    let stats = col.stats(at(NOW)).unwrap();
    assert_eq!(stats.desired_retention, 0.9);
    let period = |name: &str| {
        let p = stats.retention.iter().find(|p| p.period == name).unwrap();
        (p.young, p.mature, p.all)
    };
    // Today: a_fwd mature pass, b_fwd young lapse.
    assert_eq!(period("today"), (passes(0, 1), passes(1, 1), passes(1, 2)));
    // Yesterday: a_rev young pass (b_rev's answer was learning, not counted).
    assert_eq!(
        period("yesterday"),
        (passes(1, 1), passes(0, 0), passes(1, 1))
    );
    // The last 7 days add the mature Hard five days ago (a pass).
    assert_eq!(period("week"), (passes(1, 2), passes(2, 2), passes(3, 4)));
    // The last 30 days add the mature lapse 18 days ago.
    assert_eq!(period("month"), (passes(1, 2), passes(2, 3), passes(3, 5)));
    assert_eq!(period("year"), (passes(1, 2), passes(2, 3), passes(3, 5)));
}

#[test]
fn answer_buttons_are_counted_for_learning_young_and_mature_cards() {
    let dir = TempDir::new().unwrap();
    let (col, _) = fixture(&dir);
    let b = col.stats(at(NOW)).unwrap().buttons;
    // Learning: Easy yesterday, Good 355 days ago (the one 374 days ago is out of the year).
    assert_eq!(b.learning, [0, 0, 1, 1]);
    // Young: the lapse today, the Good yesterday.
    assert_eq!(b.young, [1, 0, 1, 0]);
    // Mature: Good today, Hard 5 days ago, Again 18 days ago.
    assert_eq!(b.mature, [1, 1, 1, 0]);
}

#[test]
fn counts_forecast_and_memory_distributions_follow_the_cards() {
    let dir = TempDir::new().unwrap();
    let (col, [a_fwd, a_rev, b_fwd, _]) = fixture(&dir);
    let stats = col.stats(at(NOW)).unwrap();
    let c = stats.counts;
    // Term cards and lesson questions of the disabled built-in pack.
    let builtin: u32 = col
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.pack_id LIKE 'reprise.%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(builtin > common::builtin_cards());
    assert_eq!(
        (
            c.new,
            c.learning,
            c.review,
            c.relearning,
            c.suspended,
            c.buried
        ),
        (0, 0, 2, 1, 1, 0)
    );
    assert_eq!((c.disabled, c.total), (builtin, builtin + 4));
    let pack = stats.packs.iter().find(|p| p.pack == "test.pack").unwrap();
    // Its one new card is suspended: counted with the suspended cards, as in the counts above,
    // not as new.
    assert_eq!((pack.cards, pack.new), (4, c.new));
    assert_eq!(
        stats
            .areas
            .iter()
            .find(|a| a.area == "Testing")
            .map(|a| a.cards),
        Some(4)
    );

    // Today: a_rev (overdue) and b_fwd (in 10 minutes); in two days: a_fwd.
    let f = &stats.forecast;
    assert_eq!(f.days.len(), 30);
    assert_eq!(f.days[0].date, "2026-03-10");
    let due: Vec<u32> = f.days.iter().take(4).map(|d| d.cards).collect();
    assert_eq!(due, vec![2, 0, 1, 0]);
    assert_eq!(f.days.iter().map(|d| d.cards).sum::<u32>(), 3);
    assert_eq!(f.weeks[0].cards, 3);
    assert!(f.weeks.len() >= 52);

    // Stabilities 20, 5 and 2 days; difficulty 5 for all three.
    let bin = |bins: &[reprise::stats::Bin], label: &str| {
        bins.iter().find(|b| b.label == label).unwrap().cards
    };
    assert_eq!(bin(&stats.stability, "14–30 days"), 1);
    assert_eq!(bin(&stats.stability, "4–7 days"), 1);
    assert_eq!(bin(&stats.stability, "2–4 days"), 1);
    assert_eq!(stats.stability.iter().map(|b| b.cards).sum::<u32>(), 3);
    assert_eq!(bin(&stats.difficulty, "5–6"), 3);

    // Retrievability now, by the FSRS forgetting curve with default parameters.
    let now = at(NOW).with_timezone(&Utc);
    let r = |card: i64, stability: f32| {
        let last: i64 = col
            .store()
            .conn()
            .query_row("SELECT last_review FROM cards WHERE id = ?1", [card], |r| {
                r.get(0)
            })
            .unwrap();
        let days = (now.timestamp_millis() - last) as f32 / 86_400_000.0;
        fsrs::current_retrievability(
            fsrs::MemoryState {
                stability,
                difficulty: 5.0,
            },
            days,
            fsrs::FSRS6_DEFAULT_DECAY,
        )
    };
    let expected = [r(a_fwd, 20.0), r(a_rev, 5.0), r(b_fwd, 2.0)];
    // a_fwd 3 h after review, a_rev 10 h, b_fwd 3 h: all recalled with 90% or more.
    assert!(expected.iter().all(|&x| x > 0.9 && x < 1.0), "{expected:?}");
    let average = expected.iter().sum::<f32>() / 3.0;
    assert!((stats.average_retrievability.unwrap() - average).abs() < 1e-6);
    assert_eq!(bin(&stats.retrievability, "90–100%"), 3);
}

#[test]
fn an_empty_collection_has_empty_statistics() {
    let dir = TempDir::new().unwrap();
    let col = Collection::open(dir.path(), at(NOW)).unwrap();
    let stats = col.stats(at(NOW)).unwrap();
    assert_eq!(stats.heatmap.total_reviews, 0);
    assert_eq!(stats.heatmap.streak, 0);
    assert_eq!(stats.average_retrievability, None);
    assert!(stats.retention.iter().all(|p| p.all.rate.is_none()));
    assert_eq!(stats.counts.new, stats.counts.total);
}

/// One definition of each number, whichever screen shows it: Today's total, the statistics'
/// counts, the browser's list and the packs' sums agree, before and after answers that bury
/// siblings, a suspension and a disabled pack.
#[test]
fn every_screen_counts_the_same_cards() {
    let dir = TempDir::new().unwrap();
    let now = at(NOW);
    let mut col = Collection::open(dir.path(), now).unwrap();
    let agree = |col: &Collection, when: &str| {
        let status = col.status(now).unwrap();
        let stats = col.stats(now).unwrap();
        let browsed = col.browse(&Default::default(), now).unwrap().len() as u32;
        let packs: u32 = col.packs().unwrap().iter().map(|p| p.cards).sum();
        let c = &stats.counts;
        assert_eq!(status.total_cards, c.total, "{when}: Today and Stats");
        assert_eq!(browsed, c.total, "{when}: Browse and Stats");
        assert_eq!(packs, c.total, "{when}: Packs and Stats");
        assert_eq!(
            stats.packs.iter().map(|p| p.new).sum::<u32>(),
            c.new,
            "{when}: new by pack and in all"
        );
        status.total_cards
    };
    let before = agree(&col, "fresh");
    assert_eq!(before, common::builtin_all_cards());
    // Answers bury each term's other direction: the totals do not move.
    for _ in 0..5 {
        let card = col.next_card(now).unwrap().unwrap();
        col.answer(card.card_id, reprise::Rating::Good, now, 1_000)
            .unwrap();
    }
    assert!(col.stats(now).unwrap().counts.buried > 0, "siblings buried");
    assert_eq!(agree(&col, "after answers"), before);
    let card = col.next_card(now).unwrap().unwrap();
    col.card_action(reprise::study::CardAction::Suspend, &[card.card_id], now)
        .unwrap();
    assert_eq!(agree(&col, "after a suspension"), before);
    col.set_pack_enabled(&PackId::from(common::K8S), false, now)
        .unwrap();
    assert_eq!(agree(&col, "with the pack disabled"), before);
}
