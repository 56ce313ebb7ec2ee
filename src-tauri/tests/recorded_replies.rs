//! Replies of the real core, recorded for the UI's component tests.
//!
//! The scripted backend the UI tests talk to (`ui/src/test/scripted.ts`) answers with these
//! replies (and errors) instead of re-implementing the core. This test runs the real
//! commands through Tauri's IPC path (mock runtime, as in `commands.rs`) on a fresh collection at
//! a fixed clock, and checks that the committed files under `ui/src/test/recorded/` are exactly
//! what the core answers now; regenerate them with
//! `UPDATE_BINDINGS=1 cargo test -p reprise-desktop --test recorded_replies`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;

use common::{sync_events, sync_finished};
use serde_json::{json, Value};

/// The scripted backend's clock (`NOW` in scripted.ts): noon UTC, the same calendar day in every
/// zone from UTC−11 to UTC+11.
const NOW: &str = "2026-11-25T12:00:00Z";

/// Settings patches the core refuses, one setting each, as the UI's settings tests send them.
const SETTINGS_REFUSED: &[(&str, &str)] = &[
    ("desired_retention", "0.5"),
    ("desired_retention", "1"),
    ("desired_retention", ""),
    ("learning_steps_minutes", "1m 10x"),
    ("new_per_day", "2.5"),
    ("rollover_hour", "24"),
    ("fsrs_parameters", "1 2 3"),
];

/// What stands in for a review's id: ids are UUIDv7s, whose low bits are random.
const REVIEW_ID: &str = "00000000-0000-7000-8000-000000000000";

/// Targets set_sync_target refuses, as the UI's sync tests type them.
const TARGETS_REFUSED: &[&str] = &[
    "",
    "webdav+ftp://cloud.example.org/Reprise",
    "https://cloud.example.org/dav/Reprise",
    "webdav+https://me:secret@cloud.example.org/dav/Reprise",
];

/// What stands in for the sync folder, a temporary one whose path changes each time.
const SYNC_FOLDER: &str = "/home/learner/Sync/Reprise";
/// What stands in for the two devices' ids (UUIDv7s, random in their low bits).
const LAPTOP_ID: &str = "0190aaaaaaaa7aaa8aaaaaaaaaaaaaaa";
const DESKTOP_ID: &str = "0190bbbbbbbb7bbb8bbbbbbbbbbbbbbb";
/// Devices whose files land in the folder in the sync scenario: a misplaced copy of the laptop's
/// segment, and a segment of a third device still arriving.
const MISPLACED_DEVICE: &str = "0190cccccccc7ccc8ccccccccccccccc";
const ARRIVING_DEVICE: &str = "0190dddddddd7ddd8ddddddddddddddd";

fn invoke(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Value {
    common::invoke(webview, cmd, args.clone())
        .unwrap_or_else(|err| panic!("{cmd} {args} failed: {err:?}"))
}

/// Replaces every review id (random, see [`REVIEW_ID`]) in a card detail.
fn normalize_review_ids(detail: &mut Value) {
    for review in detail["info"]["reviews"].as_array_mut().unwrap() {
        review["id"] = json!(REVIEW_ID);
    }
}

/// Two devices syncing through one folder, as the Settings → Sync page and the review's mark
/// show them: sync off, turned on, a change waiting, and a second device joining (the first one
/// among its devices; a misplaced file and one still arriving in its report). The folder and the
/// devices' ids are replaced by [`SYNC_FOLDER`], [`LAPTOP_ID`] and [`DESKTOP_ID`].
fn record_sync() -> BTreeMap<&'static str, Value> {
    let (folder, laptop_dir, desktop_dir) = (
        tempfile::TempDir::new().unwrap(),
        tempfile::TempDir::new().unwrap(),
        tempfile::TempDir::new().unwrap(),
    );
    let target = folder.path().to_str().unwrap().to_owned();
    let mut replies = BTreeMap::new();

    let laptop = common::app_at(laptop_dir.path().to_owned(), NOW);
    let laptop_events = sync_events(&laptop);
    let laptop_view = common::window(&laptop);
    let call = |cmd: &str, args: Value| invoke(&laptop_view, cmd, args);
    replies.insert("get_sync_status_off", call("get_sync_status", json!({})));
    replies.insert("get_sync_activity", call("get_sync_activity", json!({})));
    let refusals: Vec<Value> = TARGETS_REFUSED
        .iter()
        .map(|bad| {
            let args = json!({"target": bad, "name": null});
            let error = common::invoke(&laptop_view, "set_sync_target", args)
                .expect_err(&format!("sync to '{bad}' should be refused"));
            json!({"target": bad, "error": error})
        })
        .collect();
    replies.insert("set_sync_target_refused", Value::from(refusals));
    // A server's key the core refuses before it reaches the keyring.
    let blank_key = json!({"kind": "s3", "access_key_id": "AKIA0EXAMPLE", "secret_access_key": " ",
        "endpoint": null, "region": null});
    let args = json!({"target": "s3://reprise/sync", "name": null, "secret": blank_key});
    let error = common::invoke(&laptop_view, "set_sync_target", args)
        .expect_err("a blank secret access key should be refused");
    replies.insert("set_sync_target_secret_refused", error);
    let turned_on = call(
        "set_sync_target",
        json!({"target": target, "name": "Laptop"}),
    );
    let laptop_id = turned_on["device"]["id"].as_str().unwrap().to_owned();
    replies.insert("set_sync_target", turned_on);
    sync_finished(&laptop_events, |last| last.is_object());
    // One answer (and its sibling's burial), waiting to be written out.
    let card = call("next_card", json!({}))["card_id"].clone();
    call(
        "answer_card",
        json!({"cardId": card, "rating": "good", "durationMs": 4000}),
    );
    replies.insert(
        "get_sync_status_waiting",
        call("get_sync_status", json!({})),
    );
    call("sync_now", json!({}));
    sync_finished(&laptop_events, |last| last["sent"].as_u64() > Some(0));

    // The laptop's first segment copied into another device's log, and half of it as a third
    // device's segment still being delivered.
    let log = folder.path().join("log");
    let first = std::fs::read(log.join(&laptop_id).join("0000000001.rseg")).unwrap();
    for (device, bytes) in [
        (MISPLACED_DEVICE, &first[..]),
        (ARRIVING_DEVICE, &first[..first.len() / 2]),
    ] {
        std::fs::create_dir_all(log.join(device)).unwrap();
        std::fs::write(log.join(device).join("0000000001.rseg"), bytes).unwrap();
    }

    let desktop = common::app_at(desktop_dir.path().to_owned(), NOW);
    let desktop_events = sync_events(&desktop);
    let desktop_view = common::window(&desktop);
    let joined = invoke(
        &desktop_view,
        "set_sync_target",
        json!({"target": target, "name": "Desktop"}),
    );
    let desktop_id = joined["device"]["id"].as_str().unwrap().to_owned();
    replies.insert(
        "sync_activity_joined",
        sync_finished(&desktop_events, |last| last["received"].as_u64() > Some(0)),
    );
    replies.insert(
        "get_sync_status_on",
        invoke(&desktop_view, "get_sync_status", json!({})),
    );

    // The same replies wherever the folder is and whatever ids the devices drew.
    replies
        .into_iter()
        .map(|(name, reply)| {
            let text = reply
                .to_string()
                .replace(&target, SYNC_FOLDER)
                .replace(&laptop_id, LAPTOP_ID)
                .replace(&desktop_id, DESKTOP_ID);
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

/// The replies, by file name (without `.json`).
fn record() -> BTreeMap<&'static str, Value> {
    let dir = tempfile::TempDir::new().unwrap();
    let app = common::app_at(dir.path().to_owned(), NOW);
    let webview = common::window(&app);
    let call = |cmd: &str, args: Value| invoke(&webview, cmd, args);
    let mut replies = BTreeMap::new();

    // A fresh collection, before anything is studied.
    replies.insert("get_status", call("get_status", json!({})));
    replies.insert("get_settings", call("get_settings", json!({})));
    replies.insert("get_backlog", call("get_backlog", json!({})));
    replies.insert("list_packs", call("list_packs", json!({})));
    replies.insert("get_curriculum", call("get_curriculum", json!({})));
    replies.insert("browse_facets", call("browse_facets", json!({})));
    replies.insert("get_stats", call("get_stats", json!({})));
    // Refusals the UI shows as the core words them: settings it will not take (each with the
    // setting at fault), an optimization with no history to fit, and (below) card actions.
    let refused = |cmd: &str, args: Value| {
        common::invoke(&webview, cmd, args.clone())
            .expect_err(&format!("{cmd} {args} should be refused"))
    };
    let refusals: Vec<Value> = SETTINGS_REFUSED
        .iter()
        .map(|(key, text)| {
            let patch = json!({ *key: text });
            let error = refused("update_settings", json!({ "patch": patch }));
            json!({ "patch": patch, "error": error })
        })
        .collect();
    replies.insert("update_settings_refused", Value::from(refusals));
    replies.insert(
        "optimize_refused",
        refused("optimize", json!({"progress": "__CHANNEL__:1"})),
    );
    let library = call("get_library", json!({}));
    let pack = library[0]["pack"].clone();
    let lesson_key = library[0]["lessons"][0]["key"].clone();
    let term_key = library[0]["terms"][0]["key"].clone();
    let lesson = call("get_lesson", json!({"pack": pack, "key": lesson_key}));
    replies.insert(
        "get_term",
        call("get_term", json!({"pack": pack, "key": term_key})),
    );

    // A term card, answered Good: its detail has one review.
    let term_card = call("next_card", json!({}));
    assert_ne!(term_card["direction"], "quiz", "{term_card}");
    let id = term_card["card_id"].clone();
    // A due date asked for a new card: it has no schedule to move.
    replies.insert(
        "card_action_refused",
        refused(
            "card_action",
            json!({"action": {"kind": "set_due", "days": 7}, "cardIds": [id]}),
        ),
    );
    // An action on a card that is gone (its pack removed while the browser showed it).
    replies.insert(
        "card_action_not_found",
        refused(
            "card_action",
            json!({"action": {"kind": "suspend"}, "cardIds": [42]}),
        ),
    );
    call(
        "answer_card",
        json!({"cardId": id, "rating": "good", "durationMs": 4000}),
    );
    // The browser's rows of that card (now learning) and of a card still new.
    let new_card = call("browse_cards", json!({"query": {"state": "new"}}))[0].clone();
    replies.insert(
        "browse_rows",
        call("browse_rows", json!({"ids": [id, new_card]})),
    );
    let mut detail = call("get_card_detail", json!({"cardId": id}));
    normalize_review_ids(&mut detail);
    replies.insert("get_card_detail", detail);
    replies.insert("next_card_term", term_card);

    // The first lesson finished with every answer right: its quiz cards come first.
    let answers: Vec<Value> = lesson["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["correct"].clone())
        .collect();
    replies.insert(
        "finish_lesson",
        call(
            "finish_lesson",
            json!({"pack": pack, "key": lesson_key, "answers": answers}),
        ),
    );
    let quiz_card = call("next_card", json!({}));
    assert_eq!(quiz_card["direction"], "quiz", "{quiz_card}");
    replies.insert("next_card_quiz", quiz_card);
    replies.insert("get_lesson", lesson);
    replies.insert("get_library", library);
    replies.extend(record_sync());
    replies
}

fn recorded_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/test/recorded")
}

#[test]
fn recorded_replies_match_the_core() {
    let dir = recorded_dir();
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let replies = record();
    let mut stale = Vec::new();
    for (name, reply) in &replies {
        let path = dir.join(format!("{name}.json"));
        let generated = serde_json::to_string_pretty(reply).unwrap() + "\n";
        if update {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != generated {
            stale.push(name.to_string());
        }
    }
    // No file of a reply that is no longer recorded.
    let mut extra: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|f| f.ends_with(".json"))
                .filter(|f| !replies.contains_key(f.trim_end_matches(".json")))
                .collect()
        })
        .unwrap_or_default();
    extra.sort();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "ui/src/test/recorded/ is out of date with the core (differ: {stale:?}; not recorded: \
         {extra:?}); regenerate it with `UPDATE_BINDINGS=1 cargo test -p reprise-desktop --test \
         recorded_replies` and commit the result"
    );
}

#[test]
fn recording_twice_gives_the_same_replies() {
    assert_eq!(record(), record(), "the recorded replies are deterministic");
}
