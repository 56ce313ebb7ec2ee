//! Collections of a generated pack with simulated review histories, cached in
//! target/bench-data/ (delete them to regenerate), and how the benchmarks that use them report.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Days, FixedOffset, Utc};
use reprise::store::Store;
use reprise::Collection;

#[path = "../../tests/common/history.rs"]
pub mod history;

pub const NOW: &str = "2027-03-01T09:00:00+00:00";

pub fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(NOW).unwrap()
}

/// A collection of `cards` cards, each with a year of simulated history (none without
/// `history`); returns how many reviews it holds.
pub fn generate(path: &Path, cards: i64, history: bool) -> usize {
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
                 VALUES (?1, 'bench.pack', ?2, 'term', pack_fields('{}'), ?1)",
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
    if !history {
        return 0;
    }
    let ids: Vec<i64> = (1..=cards / 2).flat_map(|n| [2 * n, 2 * n + 1]).collect();
    let start = now().with_timezone(&Utc) - Days::days(365);
    history::simulate_history(store.conn(), &ids, &history::TRUE_PARAMETERS, 365, start, 3)
}

/// A cached collection from [`generate`]: with a year of history, or never studied (a device
/// that has the pack and no history).
pub fn cached(name: &str, cards: i64, history: bool) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    if !path.exists() {
        let started = Instant::now();
        let reviews = generate(&path, cards, history);
        eprintln!(
            "generated {} ({cards} cards, {reviews} reviews) in {:.1?}",
            path.display(),
            started.elapsed()
        );
    }
    path
}

/// A fresh copy of a cached collection, so every run starts from the same state.
pub fn copy_of(path: &Path, dir: &Path) -> Collection {
    let to = dir.join(reprise::store::DB_FILE);
    std::fs::copy(path, &to).unwrap();
    Collection::open_store(Store::open(&to).unwrap()).unwrap()
}

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

pub fn report(name: &str, wall: Vec<Duration>, cpu: Vec<Duration>) {
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
