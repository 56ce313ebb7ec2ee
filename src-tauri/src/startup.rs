//! How long the app takes to start, step by step, when `REPRISE_STARTUP_LOG=1`: each step's time
//! since the process started, on stderr (`scripts/startup.py` reads them to measure starts).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

static START: OnceLock<Instant> = OnceLock::new();
static ON: OnceLock<bool> = OnceLock::new();

/// The process began (as near as Rust can tell): called first thing in `run`.
pub fn begin() {
    START.get_or_init(Instant::now);
    ON.get_or_init(|| std::env::var_os("REPRISE_STARTUP_LOG").is_some_and(|v| v == "1"));
}

/// Logs `what` with the time since `begin`, if the log is on.
pub fn mark(what: &str) {
    if !ON.get().copied().unwrap_or(false) {
        return;
    }
    let since = START.get().map_or(Duration::ZERO, Instant::elapsed);
    eprintln!(
        "reprise startup: {:>7.1} ms {what}",
        since.as_secs_f64() * 1000.0
    );
}

/// Logs `what` the first time only (the first status the page asks for).
pub fn mark_once(flag: &OnceLock<()>, what: &str) {
    if flag.set(()).is_ok() {
        mark(what);
    }
}
