//! The statistics screen reads a year of answers from their per-quarter-hour summary, which the
//! code writing the review log keeps in step. Here, at random: answers spread over two years and
//! written as the app writes them, some logged again with another kind (as a sync folds them
//! again) and some removed (as undo and sync do), in any time zone offset (whole, half and
//! quarter hours) and rollover hour. The heatmap, answer buttons and true retention must equal
//! what a plain pass over the log itself gives. A collection upgraded from before the summary
//! (schema 14) gets it filled from its log; pack and area counts follow every change to cards.

mod common;

use chrono::{DateTime, FixedOffset, TimeZone};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use reprise::stats::{Buttons, Passes, Stats, HISTORY_DAYS, MATURE_DAYS};
use reprise::store::Store;
use reprise::{Collection, Settings};
use tempfile::TempDir;
use uuid::Uuid;

/// An answer: milliseconds before now, rating, state before, interval before, duration.
type Answer = (i64, i64, i64, f64, i64);

fn answer() -> impl Strategy<Value = Answer> {
    (
        0i64..2 * 365 * 86_400_000,
        1i64..=4,
        0i64..=3,
        prop_oneof![Just(0.0), Just(20.9), Just(21.0), 0.0f64..100.0],
        0i64..120_000,
    )
}

fn uuid(i: usize) -> Uuid {
    Uuid::from_u128(i as u128 + 1)
}

/// Logs answer `a` as the app does (an answer, or a sync folding it again: same uuid).
fn log(col: &Collection, i: usize, now_ms: i64, a: &Answer) {
    common::log_answer(col, uuid(i), 1, now_ms - a.0, a.1, a.2, a.3, a.4);
}

/// Heatmap (reviews and seconds per day), buttons and retention, from the log row by row.
fn from_the_log(col: &Collection, now: DateTime<FixedOffset>, rollover: u32) -> Expected {
    let shift = i64::from(now.offset().local_minus_utc()) - i64::from(rollover) * 3600;
    let day_of = |ms: i64| (ms.div_euclid(1000) + shift).div_euclid(86_400);
    let today = day_of(now.timestamp_millis());
    let first = today - (HISTORY_DAYS - 1);
    let mut e = Expected {
        days: vec![(0, 0); HISTORY_DAYS as usize],
        buttons: Buttons::default(),
        retention: [[Passes::default(); 2]; 5],
    };
    let conn = col.store().conn();
    let mut stmt = conn
        .prepare(
            "SELECT reviewed_at, rating, state_before, last_interval_days, duration_ms FROM revlog",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap();
    for row in rows {
        let (at, rating, state, last, millis): (i64, i64, i64, f64, i64) = row.unwrap();
        let day = day_of(at);
        if day < first || day > today {
            continue;
        }
        let slot = (day - first) as usize;
        e.days[slot].0 += 1;
        e.days[slot].1 += millis as u64;
        let button = (rating - 1) as usize;
        let mature = last >= MATURE_DAYS;
        match (state, mature) {
            (2, true) => e.buttons.mature[button] += 1,
            (2, false) => e.buttons.young[button] += 1,
            _ => e.buttons.learning[button] += 1,
        }
        if state == 2 {
            let ago = today - day;
            let periods = [ago == 0, ago == 1, ago <= 6, ago <= 29, ago <= 364];
            for (p, inside) in periods.into_iter().enumerate() {
                if inside {
                    let passes = &mut e.retention[p][usize::from(mature)];
                    passes.reviews += 1;
                    passes.passed += u32::from(rating > 1);
                }
            }
        }
    }
    e
}

#[derive(Debug, PartialEq)]
struct Expected {
    days: Vec<(u32, u64)>,
    buttons: Buttons,
    /// By period (today, yesterday, week, month, year), young and mature.
    retention: [[Passes; 2]; 5],
}

fn shown(stats: &Stats) -> Expected {
    let strip = |p: Passes| Passes { rate: None, ..p };
    let mut retention = [[Passes::default(); 2]; 5];
    for (slot, period) in retention.iter_mut().zip(&stats.retention) {
        *slot = [strip(period.young), strip(period.mature)];
    }
    Expected {
        // Seconds are whole per day in both: compare the milliseconds' whole seconds.
        days: stats
            .heatmap
            .days
            .iter()
            .map(|d| (d.reviews, u64::from(d.seconds)))
            .collect(),
        buttons: stats.buttons,
        retention,
    }
}

fn whole_seconds(mut e: Expected) -> Expected {
    for day in &mut e.days {
        day.1 /= 1000;
    }
    e
}

fn open(dir: &TempDir, rollover: u32, now: DateTime<FixedOffset>) -> Collection {
    let mut col = Collection::open_store(Store::open_in(dir.path()).unwrap()).unwrap();
    let settings = Settings {
        rollover_hour: rollover,
        ..Settings::default()
    };
    col.set_settings(settings, now).unwrap();
    col
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_summary_gives_what_the_log_gives(
        answers in prop::collection::vec(answer(), 1..200),
        relogged in prop::collection::vec((any::<prop::sample::Index>(), 0i64..=3, prop_oneof![Just(5.0), Just(30.0)]), 0..30),
        removed in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        quarters in -48i32..=56,
        rollover in 0u32..24,
    ) {
        let offset = FixedOffset::east_opt(quarters * 900).unwrap();
        let now = offset.with_ymd_and_hms(2026, 6, 15, 10, 7, 30).unwrap();
        let dir = TempDir::new().unwrap();
        let col = open(&dir, rollover, now);
        for (i, a) in answers.iter().enumerate() {
            log(&col, i, now.timestamp_millis(), a);
        }
        // Folded again by a sync: the same answer, now with another state and interval before,
        // counted with the rest of the sync's rows once they are all written (an answer may be
        // folded twice among them).
        let mut tally = reprise::store::review_quarters::Tally::default();
        for (index, state, interval) in &relogged {
            let i = index.index(answers.len());
            let a = answers[i];
            let at = now.timestamp_millis() - a.0;
            common::log_answer_into(&col, &mut tally, uuid(i), 1, at, a.1, *state, *interval, a.4);
        }
        tally.write(col.store().conn()).unwrap();
        for index in &removed {
            let i = index.index(answers.len());
            let answer = reprise::store::AnswerId {
                card: reprise::CardId(1),
                uuid: uuid(i),
            };
            reprise::store::revlog::delete(col.store().conn(), answer).unwrap();
        }
        let expected = whole_seconds(from_the_log(&col, now, rollover));
        prop_assert_eq!(shown(&col.stats(now).unwrap()), expected);
        // What the daily limits read: answers to new cards and reviews since a day began.
        let shift = i64::from(offset.local_minus_utc()) - i64::from(rollover) * 3600;
        let today = (now.timestamp() + shift).div_euclid(86_400);
        for days_ago in [0, 1, 7, 100, 400] {
            let start = ((today - days_ago) * 86_400 - shift) * 1000;
            let at = chrono::DateTime::from_timestamp_millis(start).unwrap();
            let summed = reprise::store::queue::answered_since(col.store().conn(), at).unwrap();
            prop_assert_eq!(summed, answered_since_in_the_log(&col, start), "{} days ago", days_ago);
        }
    }
}

/// Answers to new cards, and reviews, logged since `start` (Unix milliseconds), row by row.
fn answered_since_in_the_log(col: &Collection, start: i64) -> (u32, u32) {
    let conn = col.store().conn();
    let mut stmt = conn
        .prepare("SELECT state_before FROM revlog WHERE reviewed_at >= ?1")
        .unwrap();
    let states = stmt.query_map([start], |r| r.get::<_, i64>(0)).unwrap();
    let (mut introduced, mut reviews) = (0, 0);
    for state in states {
        match state.unwrap() {
            0 => introduced += 1,
            2 => reviews += 1,
            _ => {}
        }
    }
    (introduced, reviews)
}

#[test]
fn an_upgraded_collection_gets_the_summary_of_its_whole_log() {
    let offset = FixedOffset::east_opt(5 * 3600 + 45 * 60).unwrap();
    let now = offset.with_ymd_and_hms(2026, 6, 15, 10, 0, 0).unwrap();
    let dir = TempDir::new().unwrap();
    let expected = {
        let col = open(&dir, 4, now);
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for i in 0..500 {
            let a = answer().new_tree(&mut runner).unwrap().current();
            log(&col, i, now.timestamp_millis(), &a);
        }
        let expected = whole_seconds(from_the_log(&col, now, 4));
        assert!(expected.days.iter().filter(|d| d.0 > 0).count() > 100);
        expected
    };
    common::rewind_schema(dir.path(), 14);
    let conn = rusqlite::Connection::open(dir.path().join(reprise::store::DB_FILE)).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'review_quarters%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0, "schema 14 had no summary");
    drop(conn);
    let col = open(&dir, 4, now);
    assert_eq!(shown(&col.stats(now).unwrap()), expected);
    let start = now.timestamp_millis().div_euclid(900_000) * 900_000 - 30 * 86_400_000;
    let at = chrono::DateTime::from_timestamp_millis(start).unwrap();
    let summed = reprise::store::queue::answered_since(col.store().conn(), at).unwrap();
    assert_eq!(summed, answered_since_in_the_log(&col, start));
    assert!(summed.0 > 0 && summed.1 > 0, "{summed:?}");
}

/// Schema 22 counts the answers to new cards per quarter hour from the log's time index before
/// dropping it: today's limits then read the same counts as the log gives.
#[test]
fn an_upgrade_counts_the_answers_to_new_cards_of_every_quarter() {
    let offset = FixedOffset::east_opt(-4 * 3600).unwrap();
    let now = offset.with_ymd_and_hms(2026, 6, 15, 10, 0, 0).unwrap();
    let dir = TempDir::new().unwrap();
    let starts: Vec<i64> = (0..40)
        .map(|days| (now.timestamp_millis() - days * 86_400_000).div_euclid(900_000) * 900_000)
        .collect();
    let expected: Vec<(u32, u32)> = {
        let col = open(&dir, 4, now);
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for i in 0..300 {
            let mut a = answer().new_tree(&mut runner).unwrap().current();
            a.0 %= 40 * 86_400_000;
            log(&col, i, now.timestamp_millis(), &a);
        }
        starts
            .iter()
            .map(|&s| answered_since_in_the_log(&col, s))
            .collect()
    };
    assert!(
        expected[20].0 > 5 && expected[20].1 > 5,
        "{:?}",
        expected[20]
    );
    common::rewind_schema(dir.path(), 21);
    let col = open(&dir, 4, now);
    let summed: Vec<(u32, u32)> = (starts.iter())
        .map(|&s| {
            let at = chrono::DateTime::from_timestamp_millis(s).unwrap();
            reprise::store::queue::answered_since(col.store().conn(), at).unwrap()
        })
        .collect();
    assert_eq!(summed, expected);
}

/// Packs and areas as the statistics screen shows them, and as the cards' facets give them.
fn pack_and_area_counts(
    col: &Collection,
    now: DateTime<FixedOffset>,
) -> [Vec<(String, u32, u32)>; 2] {
    let stats = col.stats(now).unwrap();
    let shown = stats
        .packs
        .iter()
        .map(|p| (p.pack.as_str().to_owned(), p.cards, p.new))
        .chain(stats.areas.iter().map(|a| (a.area.clone(), a.cards, 0)))
        .collect();
    let conn = col.store().conn();
    let query = |sql: &str| -> Vec<(String, u32, u32)> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let mut direct = query(
        "SELECT p.id, count(c.id), coalesce(sum(c.state = 0 AND c.hidden = 0), 0)
         FROM packs p LEFT JOIN facets x ON x.pack_id = p.id
         LEFT JOIN cards c ON c.facet = x.id GROUP BY p.id ORDER BY p.name",
    );
    direct.extend(query(
        "SELECT x.area, count(*), 0 FROM cards c JOIN facets x ON x.id = c.facet
         WHERE x.area != '' GROUP BY x.area ORDER BY count(*) DESC, x.area",
    ));
    [shown, direct]
}

#[test]
fn pack_and_area_counts_follow_every_change_to_the_cards() {
    use reprise::notes::{NoteDraft, TermDraft};
    let offset = FixedOffset::east_opt(3600).unwrap();
    let now = offset.with_ymd_and_hms(2026, 6, 15, 10, 0, 0).unwrap();
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(&dir.path().join("data"), now).unwrap();
    let check = |col: &Collection, step: &str| {
        let [shown, direct] = pack_and_area_counts(col, now);
        assert_eq!(shown, direct, "after {step}");
        // The browser's area filter offers the areas the summary holds: those of the cards.
        let areas: Vec<String> = common::column(
            col,
            "SELECT DISTINCT x.area FROM cards c JOIN facets x ON x.id = c.facet
             WHERE x.area != '' ORDER BY 1",
        );
        assert_eq!(col.browse_facets().unwrap().areas, areas, "after {step}");
    };
    check(&col, "the first open");
    let pack = dir.path().join("pack");
    common::write_pack(&pack, "test.pack", 30, "");
    col.import(&pack, now).unwrap();
    check(&col, "an import");
    let term = |name: &str, area: &str| {
        NoteDraft::Term(TermDraft {
            name: name.into(),
            aliases: vec![],
            definition: format!("What {name} means."),
            explanation: String::new(),
            area: area.into(),
            level: reprise::content::Level::Beginner,
            see_also: vec![],
            tags: vec![],
        })
    };
    let added = col
        .add_note(None, term("Quorum", "consensus"), now)
        .unwrap();
    col.add_note(None, term("Raft", "consensus"), now).unwrap();
    check(&col, "adding notes");
    col.edit_note(added.note_id, term("Quorum", "replication"), now)
        .unwrap();
    check(&col, "moving a note to another area");
    col.answer(added.card_ids[0], reprise::Rating::Good, now, 4_000)
        .unwrap();
    check(&col, "answering a new card");
    col.delete_note(added.note_id, now).unwrap();
    check(&col, "deleting a note");
    col.undo(now).unwrap();
    check(&col, "undoing the delete");
    col.remove_pack(&reprise::PackId::from("test.pack"), false, now)
        .unwrap();
    check(&col, "removing a pack");
    let [shown, _] = pack_and_area_counts(&col, now);
    assert!(
        shown
            .iter()
            .any(|(area, n, _)| area == "replication" && *n > 0),
        "{shown:?}"
    );
}
