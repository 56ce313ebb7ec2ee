//! Sync from the app: turned on through a command, running in the background, told to the UI
//! by its event. Two apps, two data folders, one sync folder.

mod common;

use std::sync::mpsc;
use std::time::Duration;

use common::{app_at, invoke, window};
use serde_json::{json, Value};
use tauri::Listener;

const NOW: &str = "2026-11-25T09:00:00+01:00";

/// The sync activity events an app emits, in order.
fn activity(app: &tauri::App<tauri::test::MockRuntime>) -> mpsc::Receiver<Value> {
    let (tx, rx) = mpsc::channel();
    app.listen_any(reprise_desktop::SYNC_EVENT, move |event| {
        let _ = tx.send(serde_json::from_str(event.payload()).unwrap());
    });
    rx
}

/// Waits for a finished sync whose report passes `done`; the report.
fn finished(events: &mpsc::Receiver<Value>, done: impl Fn(&Value) -> bool) -> Value {
    loop {
        let event = events
            .recv_timeout(Duration::from_secs(30))
            .expect("a sync finishes within 30 s");
        assert_eq!(event["error"], Value::Null, "{event}");
        if event["running"] == false && done(&event["last"]) {
            return event["last"].clone();
        }
    }
}

#[test]
fn two_apps_sync_through_one_folder_in_the_background() {
    let (folder, da, db) = (
        tempfile::TempDir::new().unwrap(),
        tempfile::TempDir::new().unwrap(),
        tempfile::TempDir::new().unwrap(),
    );
    let target = folder.path().to_str().unwrap();

    let a = app_at(da.path().to_owned(), NOW);
    let a_events = activity(&a);
    let wa = window(&a);
    let status = invoke(
        &wa,
        "set_sync_target",
        json!({"target": target, "name": "laptop"}),
    )
    .unwrap();
    assert_eq!(status["target"], target);
    assert_eq!(status["device"]["name"], "laptop");
    finished(&a_events, |last| last.is_object());

    let card = invoke(&wa, "next_card", json!({})).unwrap()["card_id"].clone();
    invoke(
        &wa,
        "answer_card",
        json!({"cardId": card, "rating": "good", "durationMs": 2000}),
    )
    .unwrap();
    // The answer, and the burial of its card's sibling until tomorrow.
    assert_eq!(
        invoke(&wa, "get_sync_status", json!({})).unwrap()["pending"],
        2
    );
    invoke(&wa, "sync_now", json!({})).unwrap();
    finished(&a_events, |last| last["sent"] == 2);
    assert_eq!(
        invoke(&wa, "get_sync_status", json!({})).unwrap()["pending"],
        0
    );

    let b = app_at(db.path().to_owned(), NOW);
    let b_events = activity(&b);
    let wb = window(&b);
    invoke(
        &wb,
        "set_sync_target",
        json!({"target": target, "name": "desktop"}),
    )
    .unwrap();
    finished(&b_events, |last| last["received"].as_u64() > Some(0));
    let detail = invoke(&wb, "get_card_detail", json!({"cardId": card})).unwrap();
    assert_eq!(detail["info"]["reviews"].as_array().unwrap().len(), 1);
    let status = invoke(&wb, "get_sync_status", json!({})).unwrap();
    assert_eq!(status["devices"][0]["name"], "laptop");
    // What the UI reads when it opens: the last sync's report (another may be running).
    let activity = invoke(&wb, "get_sync_activity", json!({})).unwrap();
    assert!(
        activity["last"]["received"].as_u64() > Some(0),
        "{activity}"
    );

    invoke(&wb, "sync_off", json!({})).unwrap();
    assert_eq!(
        invoke(&wb, "get_sync_status", json!({})).unwrap()["target"],
        Value::Null
    );
}

#[test]
fn a_bad_target_is_refused_with_a_field_and_turns_nothing_on() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let err = invoke(
        &webview,
        "set_sync_target",
        json!({"target": "webdav+ftp://x/y", "name": null}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid");
    assert_eq!(err["field"], "target");
    assert_eq!(
        invoke(&webview, "get_sync_status", json!({})).unwrap()["target"],
        Value::Null
    );
}
