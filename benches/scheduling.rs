//! Benchmarks of the optimizer and of recomputing memory states, on review histories simulated
//! from known FSRS parameters (the same generator the optimizer tests use):
//! - optimize: 10k cards with a year of history (about 100k reviews), fit + evaluate both
//!   parameter sets + adopt (recompute and reschedule every card);
//! - recompute: 100k cards with a year of history (about 1M reviews); new parameters make every
//!   card's memory be replayed from its history and its due date follow, in one transaction.
//!
//! `cargo bench --bench scheduling` prints medians. Generated files are cached in
//! target/bench-data/ (delete them to regenerate).

use std::time::Instant;

use reprise::Settings;

#[path = "support/simulated.rs"]
mod simulated;
mod support;
use simulated::{cached, copy_of, history, now, report};
use support::thread_cpu;

fn bench_optimize(runs: usize) {
    let path = cached("optimize-10k.sqlite3", 10_000, true);
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
    let path = cached("recompute-100k.sqlite3", 100_000, true);
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
