//! Running the `reprise` CLI as scripts do: each call its own process.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_reprise");

pub fn reprise(dir: &Path, now: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", now])
        .args(args)
        .env_remove("REPRISE_DATA_DIR")
        .output()
        .expect("reprise runs")
}

/// Runs a command that must succeed and print JSON.
pub fn json(dir: &Path, now: &str, args: &[&str]) -> Value {
    let out = reprise(dir, now, args);
    assert!(
        out.status.success(),
        "reprise {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Runs a command that must fail, printing nothing on stdout; returns its stderr.
pub fn fails(dir: &Path, now: &str, args: &[&str]) -> String {
    let out = reprise(dir, now, args);
    assert!(!out.status.success(), "reprise {args:?} should fail");
    assert!(out.stdout.is_empty(), "nothing on stdout when failing");
    String::from_utf8(out.stderr).unwrap()
}
