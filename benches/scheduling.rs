//! Benchmarks of the optimizer and of recomputing memory states, on review histories simulated
//! from known FSRS parameters (the same generator the optimizer tests use):
//! - optimize: 10k cards with a year of history (about 100k reviews), fit + evaluate both
//!   parameter sets + adopt (recompute and reschedule every card);
//! - recompute: 100k cards with a year of history (about 1M reviews); new parameters make every
//!   card's memory be replayed from its history and its due date follow, in one transaction.
//!
//! `cargo bench --bench scheduling` prints medians. Generated files are cached in
//! target/bench-data/ (delete them to regenerate).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Days, FixedOffset, Utc};
use reprise::store::Store;
use reprise::{Collection, Settings};

#[path = "../tests/common/history.rs"]
mod history;
mod support;
use support::thread_cpu;

const NOW: &str = "2027-03-01T09:00:00+00:00";

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(NOW).unwrap()
}

/// A collection of `cards` cards, each with a year of simulated history.
fn generate(path: &Path, cards: i64) -> usize {
    let _ = std::fs::remove_file(path);
    let mut store = Store::open(path).unwrap();
    store
        .load_in_bulk(|tx| {
            tx.execute(
                "INSERT INTO packs (id, name, version, content_hash, installed_at)
                 VALUES ('bench.pack', 'Bench', '1', 'x', 0)",
                [],
            )?;
            let mut note = tx.prepare(
                "INSERT INTO notes (id, pack_id, key, kind, fields, position)
                 VALUES (?1, 'bench.pack', ?2, 'term', '{}', ?1)",
            )?;
            let mut card = tx.prepare(
                "INSERT INTO cards (id, note_id, template, position) VALUES (?1, ?2, ?3, ?1)",
            )?;
            for n in 1..=cards / 2 {
                note.execute(rusqlite::params![n, format!("term-{n}")])?;
                card.execute(rusqlite::params![2 * n, n, "forward"])?;
                card.execute(rusqlite::params![2 * n + 1, n, "reverse"])?;
            }
            Ok(())
        })
        .unwrap();
    let ids: Vec<i64> = (1..=cards / 2).flat_map(|n| [2 * n, 2 * n + 1]).collect();
    let start = now().with_timezone(&Utc) - Days::days(365);
    history::simulate_history(store.conn(), &ids, &history::TRUE_PARAMETERS, 365, start, 3)
}

fn cached(name: &str, cards: i64) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    if !path.exists() {
        let started = Instant::now();
        let reviews = generate(&path, cards);
        eprintln!(
            "generated {} ({cards} cards, {reviews} reviews) in {:.1?}",
            path.display(),
            started.elapsed()
        );
    }
    path
}

/// A fresh copy of a cached collection, so every run starts from the same state.
fn copy_of(path: &Path, dir: &Path) -> Collection {
    let to = dir.join(reprise::store::DB_FILE);
    std::fs::copy(path, &to).unwrap();
    Collection::open_store(Store::open(&to).unwrap()).unwrap()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn report(name: &str, wall: Vec<Duration>, cpu: Vec<Duration>) {
    let (lo, hi) = (*wall.iter().min().unwrap(), *wall.iter().max().unwrap());
    println!(
        "{name}: median {:.1?} wall ({:.1?}–{:.1?}), {:.1?} CPU, {} runs",
        median(wall.clone()),
        lo,
        hi,
        median(cpu),
        wall.len()
    );
}

fn bench_optimize(runs: usize) {
    let path = cached("optimize-10k.sqlite3", 10_000);
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let dir = tempfile::TempDir::new().unwrap();
        let mut col = copy_of(&path, dir.path());
        let (t, c) = (Instant::now(), thread_cpu());
        let report = col.optimize(now(), &mut |_| Ok(())).unwrap();
        wall.push(t.elapsed());
        cpu.push(thread_cpu() - c);
        assert!(report.adopted);
        eprintln!(
            "  {} training reviews of {} cards; log loss {:.4} -> {:.4}, RMSE {:.4} -> {:.4}",
            report.reviews,
            report.cards,
            report.old.log_loss,
            report.new.log_loss,
            report.old.rmse_bins,
            report.new.rmse_bins
        );
    }
    // CPU of this thread leaves out the trainer's own thread: wall time is the figure.
    report("optimize (10k cards, ~100k reviews)", wall, cpu);
}

fn bench_recompute(runs: usize) {
    let path = cached("recompute-100k.sqlite3", 100_000);
    let dir = tempfile::TempDir::new().unwrap();
    let mut col = copy_of(&path, dir.path());
    let reviews: i64 = col
        .store()
        .conn()
        .query_row("SELECT count(*) FROM revlog", [], |r| r.get(0))
        .unwrap();
    eprintln!("  {reviews} reviews");
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    for run in 0..runs {
        // Alternate two parameter sets so every run changes every card.
        let parameters = if run % 2 == 0 {
            history::TRUE_PARAMETERS.to_vec()
        } else {
            fsrs::DEFAULT_PARAMETERS.to_vec()
        };
        let settings = Settings {
            fsrs_parameters: parameters,
            ..col.settings().clone()
        };
        let (t, c) = (Instant::now(), thread_cpu());
        let moved = col.set_settings(settings, now()).unwrap();
        wall.push(t.elapsed());
        cpu.push(thread_cpu() - c);
        assert!(moved > 10_000, "{moved} cards rescheduled");
    }
    report(
        "recompute memory + reschedule (100k cards), durable",
        wall,
        cpu,
    );
}

fn main() {
    let which = std::env::args().nth(1).filter(|a| !a.starts_with('-'));
    if which.as_deref().is_none_or(|w| w == "optimize") {
        bench_optimize(5);
    }
    if which.as_deref().is_none_or(|w| w == "recompute") {
        bench_recompute(7);
    }
}
