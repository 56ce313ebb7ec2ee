//! Sync from the app: turned on through a command, running in the background, told to the UI
//! by its event. Two apps, two data folders, one sync folder.

mod common;

use common::{app_at, invoke, sync_events, sync_finished, window};
use serde_json::{json, Value};

const NOW: &str = "2026-11-25T09:00:00+01:00";

#[test]
fn two_apps_sync_through_one_folder_in_the_background() {
    let (folder, da, db) = (
        tempfile::TempDir::new().unwrap(),
        tempfile::TempDir::new().unwrap(),
        tempfile::TempDir::new().unwrap(),
    );
    let target = folder.path().to_str().unwrap();

    let a = app_at(da.path().to_owned(), NOW);
    let a_events = sync_events(&a);
    let wa = window(&a);
    let status = invoke(
        &wa,
        "set_sync_target",
        json!({"target": target, "name": "laptop"}),
    )
    .unwrap();
    assert_eq!(status["target"], target);
    assert_eq!(status["device"]["name"], "laptop");
    sync_finished(&a_events, |last| last.is_object());

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
    sync_finished(&a_events, |last| last["sent"] == 2);
    assert_eq!(
        invoke(&wa, "get_sync_status", json!({})).unwrap()["pending"],
        0
    );

    let b = app_at(db.path().to_owned(), NOW);
    let b_events = sync_events(&b);
    let wb = window(&b);
    invoke(
        &wb,
        "set_sync_target",
        json!({"target": target, "name": "desktop"}),
    )
    .unwrap();
    let received = sync_finished(&b_events, |last| last["received"].as_u64() > Some(0));
    let detail = invoke(&wb, "get_card_detail", json!({"cardId": card})).unwrap();
    assert_eq!(detail["info"]["reviews"].as_array().unwrap().len(), 1);
    let status = invoke(&wb, "get_sync_status", json!({})).unwrap();
    assert_eq!(status["devices"][0]["name"], "laptop");
    // What the UI reads when it opens: the last sync's report. The folder's watcher may have
    // run another sync since (which received nothing): the report is that of the newest
    // sync finished when it was asked, whose event came before or comes after it.
    let finished = |events: &std::sync::mpsc::Receiver<serde_json::Value>| {
        let events = std::iter::from_fn(|| events.try_recv().ok());
        (events.filter(|e| e["running"] == false))
            .map(|e| e["last"].clone())
            .collect::<Vec<_>>()
    };
    let mut reports = vec![received["last"].clone()];
    reports.extend(finished(&b_events));
    let activity = invoke(&wb, "get_sync_activity", json!({})).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let newest_before = reports.len() - 1;
    reports.extend(finished(&b_events));
    assert!(
        reports[newest_before..].contains(&activity["last"]),
        "{activity} is none of {reports:?}"
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
    // The app has no working directory a learner knows of: a relative folder is refused.
    let err = invoke(
        &webview,
        "set_sync_target",
        json!({"target": "Sync/Reprise", "name": null}),
    )
    .unwrap_err();
    assert_eq!(err["field"], "target");
    assert!(
        err["message"].as_str().unwrap().contains("full path"),
        "{err}"
    );
    assert_eq!(
        invoke(&webview, "get_sync_status", json!({})).unwrap()["target"],
        Value::Null
    );
}
