//! Sync at scale, on the 100k-card collection with a year of simulated history (~1.1M reviews)
//! that the scheduling benchmark uses:
//! - join: that device turns sync on (its whole history becomes events and segments);
//! - new device: a device with the same cards and no history joins from the folder alone
//!   (reads every event, folds every card);
//! - a day: 300 answers on the first device, its sync (write-out), the other's (read-in);
//! - bytes per review: in the folder, and added to the collection.
//!
//! `cargo bench --bench sync` prints medians.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Duration as Days;
use reprise::{CardId, Collection, Rating};

#[path = "support/simulated.rs"]
mod simulated;
mod support;
use simulated::{cached, copy_of, now, report};
use support::thread_cpu;

fn bytes_under(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => bytes_under(&e.path()),
                    _ => e.metadata().map(|m| m.len()).unwrap_or(0),
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The collection's size on disk with its log folded in.
fn db_bytes(col: &Collection) -> u64 {
    col.store()
        .conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    std::fs::metadata(col.store().path()).unwrap().len()
}

fn reviews(col: &Collection) -> i64 {
    col.store()
        .conn()
        .query_row("SELECT count(*) FROM revlog", [], |r| r.get(0))
        .unwrap()
}

fn timed<T>(wall: &mut Vec<Duration>, cpu: &mut Vec<Duration>, f: impl FnOnce() -> T) -> T {
    let (t, c) = (Instant::now(), thread_cpu());
    let value = f();
    wall.push(t.elapsed());
    cpu.push(thread_cpu() - c);
    value
}

fn main() {
    let history = cached("recompute-100k.sqlite3", 100_000, true);
    let bare = cached("cards-100k.sqlite3", 100_000, false);
    let runs = std::env::var("SYNC_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let (mut join, mut join_cpu) = (Vec::new(), Vec::new());
    let (mut fresh, mut fresh_cpu) = (Vec::new(), Vec::new());
    let (mut out, mut out_cpu) = (Vec::new(), Vec::new());
    let (mut read, mut read_cpu) = (Vec::new(), Vec::new());
    let (mut adopt, mut adopt_cpu) = (Vec::new(), Vec::new());
    let (mut adopted, mut adopted_cpu) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let dir = tempfile::TempDir::new().unwrap();
        let folder = dir.path().join("Shared");
        let folder = folder.to_str().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::create_dir_all(dir.path().join("b")).unwrap();
        let mut a = copy_of(&history, &dir.path().join("a"));
        let mut b = copy_of(&bare, &dir.path().join("b"));
        let logged = reviews(&a);
        let before = db_bytes(&a);
        timed(&mut join, &mut join_cpu, || {
            a.sync_to(folder, Some("a"), now())
        })
        .unwrap();
        let added = db_bytes(&a) - before;
        let in_folder = bytes_under(Path::new(folder));
        timed(&mut fresh, &mut fresh_cpu, || {
            b.sync_to(folder, Some("b"), now())
        })
        .unwrap();
        assert_eq!(reviews(&b), logged, "the new device holds every review");
        eprintln!(
            "  {logged} reviews: {:.1} bytes a review in the folder ({:.1} MB), {:.1} added to the collection",
            in_folder as f64 / logged as f64,
            in_folder as f64 / 1e6,
            added as f64 / logged as f64
        );
        // A day: 300 answers on a, then both sync.
        let day = now() + Days::days(1);
        let due: Vec<CardId> = a
            .store()
            .conn()
            .prepare(
                "SELECT id FROM cards WHERE state = 2 AND due < ?1 AND template = 'forward'
                 ORDER BY due LIMIT 300",
            )
            .unwrap()
            .query_map([day.timestamp_millis()], |r| Ok(CardId(r.get(0)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(due.len(), 300);
        for (k, card) in due.into_iter().enumerate() {
            let at = day + Days::seconds(k as i64);
            a.answer(card, Rating::Good, at, 5_000).unwrap();
        }
        let sent = timed(&mut out, &mut out_cpu, || a.sync(day)).unwrap();
        let got = timed(&mut read, &mut read_cpu, || b.sync(day)).unwrap();
        assert!(sent.sent >= 300 && got.received >= 300, "{sent:?} {got:?}");
        // The next day a lowers the desired retention: every card moves, on a and then on b.
        let day2 = day + Days::days(1);
        let patch = std::collections::BTreeMap::from([("desired_retention".into(), "0.85".into())]);
        let moved = timed(&mut adopt, &mut adopt_cpu, || {
            a.update_settings(&patch, day2)
        })
        .unwrap();
        assert!(moved > 10_000, "{moved}");
        a.sync(day2).unwrap();
        timed(&mut adopted, &mut adopted_cpu, || b.sync(day2)).unwrap();
        assert_eq!(b.settings().desired_retention, 0.85);
    }
    report(
        "join: 100k cards, ~1.1M reviews become events and segments",
        join,
        join_cpu,
    );
    report(
        "new device: reads ~1.1M events from the folder, folds 100k cards",
        fresh,
        fresh_cpu,
    );
    report("a day's sync, writing out 300 answers", out, out_cpu);
    report("a day's sync, reading in 300 answers", read, read_cpu);
    report(
        "a new retention on the synced collection (every card moves)",
        adopt,
        adopt_cpu,
    );
    report(
        "the other device reading in the new retention",
        adopted,
        adopted_cpu,
    );
}
