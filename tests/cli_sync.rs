//! `reprise sync` as scripts use it: two data folders, one sync folder, each call its own
//! process.

mod common;

use std::path::Path;

use common::cli::{fails, json, reprise};
use tempfile::TempDir;

const T0: &str = "2026-03-10T09:00:00+01:00";
const T1: &str = "2026-03-10T09:30:00+01:00";

fn ok(dir: &Path, now: &str, args: &[&str]) -> String {
    let out = reprise(dir, now, args);
    assert!(
        out.status.success(),
        "reprise {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn two_data_folders_sync_through_one_folder_and_status_lists_the_devices() {
    let root = TempDir::new().unwrap();
    let (a, b) = (root.path().join("a"), root.path().join("b"));
    let shared = root.path().join("Shared");
    let shared = shared.to_str().unwrap();
    ok(&a, T0, &["sync", "--to", shared, "--name", "laptop"]);
    let card = json(&a, T0, &["next", "--json"])["card_id"]
        .as_i64()
        .unwrap();
    ok(&a, T0, &["answer", &card.to_string(), "good"]);
    let sent = json(&a, T0, &["sync", "--json"]);
    // The answer, and the burial of its card's sibling until tomorrow.
    assert_eq!(sent["sent"], 2, "{sent}");

    let joined = ok(&b, T1, &["sync", "--to", shared, "--name", "desktop"]);
    assert!(joined.contains("received"), "{joined}");
    let shown = json(&b, T1, &["show", &card.to_string(), "--json"]);
    assert_eq!(
        shown["reviews"].as_array().map(Vec::len),
        Some(1),
        "{shown}"
    );

    let status = json(&b, T1, &["sync", "status", "--json"]);
    assert_eq!(status["target"], shared);
    let devices = status["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0]["name"], "laptop");
    assert!(devices[0]["id"].as_str().unwrap().len() == 32);
    assert!(devices[0]["last_seen"].is_string());
    assert!(status["last_sync"].is_string());
    assert_eq!(
        json(&b, T1, &["sync", "verify", "--json"])["differ"],
        serde_json::json!([])
    );
    assert!(ok(&b, T1, &["sync", "verify"]).contains("match"));
}

#[test]
fn sync_off_stops_it_and_sync_then_says_how_to_turn_it_on() {
    let root = TempDir::new().unwrap();
    let a = root.path().join("a");
    let shared = root.path().join("Shared");
    ok(&a, T0, &["sync", "--to", shared.to_str().unwrap()]);
    ok(&a, T0, &["sync", "off"]);
    assert!(json(&a, T0, &["sync", "status", "--json"])["target"].is_null());
    let err = fails(&a, T0, &["sync"]);
    assert!(err.contains("sync --to"), "{err}");
}

#[test]
fn a_folder_that_is_not_a_sync_folder_is_refused_with_what_to_do() {
    let root = TempDir::new().unwrap();
    let a = root.path().join("a");
    let shared = root.path().join("Shared");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::write(shared.join("reprise-sync.json"), "not json").unwrap();
    let err = fails(&a, T0, &["sync", "--to", shared.to_str().unwrap()]);
    assert!(err.contains("reprise-sync.json"), "{err}");
    // Nothing was turned on.
    assert!(json(&a, T0, &["sync", "status", "--json"])["target"].is_null());
    let file = root.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let err = fails(&a, T0, &["sync", "--to", file.to_str().unwrap()]);
    assert!(err.starts_with("error:"), "{err}");
}
