//! The command layer through Tauri's real IPC path (mock runtime, the app's real config and
//! capability): arguments arrive, the core answers, errors cross as `{code, message}`.

mod common;

use common::{app_at, invoke, window};
use serde_json::{json, Value};

/// The moment every test here runs at: no test depends on the date or zone it runs in.
const NOW: &str = "2026-11-25T09:00:00+01:00";

#[test]
fn commands_study_a_card_and_undo_it() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);

    let status = invoke(&webview, "get_status", json!({})).unwrap();
    let new = status["new"].as_u64().unwrap();
    assert!(new > 0, "a fresh collection has new cards: {status}");

    let card = invoke(&webview, "next_card", json!({})).unwrap();
    let id = card["card_id"].as_i64().unwrap();
    assert_eq!(card["interval_labels"]["good"], "10m");

    let outcome = invoke(
        &webview,
        "answer_card",
        json!({"cardId": id, "rating": "good", "durationMs": 1500}),
    )
    .unwrap();
    assert_eq!(outcome["state"], "learning");
    assert_eq!(
        invoke(&webview, "get_status", json!({})).unwrap()["new"],
        new - 1
    );

    let undone = invoke(&webview, "undo", json!({})).unwrap();
    assert_eq!(undone["card_id"], id);
    assert_eq!(undone["status"]["new"], new);
    assert_eq!(
        undone["card"]["card_id"], id,
        "the undone card comes back to study"
    );
    assert_eq!(invoke(&webview, "undo", json!({})).unwrap(), Value::Null);
}

#[test]
fn every_write_tells_the_ui_what_changed_and_reads_tell_nothing() {
    use std::sync::{Arc, Mutex};
    use tauri::Listener;
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let heard = Arc::new(Mutex::new(Vec::<Value>::new()));
    let sink = heard.clone();
    app.listen_any(reprise_desktop::CHANGES_EVENT, move |event| {
        sink.lock()
            .unwrap()
            .push(serde_json::from_str(event.payload()).unwrap());
    });
    let webview = window(&app);
    let take = || std::mem::take(&mut *heard.lock().unwrap());

    let card = invoke(&webview, "next_card", json!({})).unwrap();
    invoke(&webview, "get_status", json!({})).unwrap();
    assert_eq!(take(), Vec::<Value>::new(), "reads change nothing");

    let id = card["card_id"].as_i64().unwrap();
    invoke(
        &webview,
        "answer_card",
        json!({"cardId": id, "rating": "good", "durationMs": 900}),
    )
    .unwrap();
    let heard_after_answer = take();
    assert_eq!(heard_after_answer.len(), 1, "{heard_after_answer:?}");
    let answer = &heard_after_answer[0];
    assert_eq!(answer["cards"], true);
    assert_eq!(answer["revlog"], true);
    assert_eq!(answer["settings"], false);
    assert_eq!(answer["packs"], false);

    invoke(&webview, "undo", json!({})).unwrap();
    let undone = take();
    assert_eq!(
        (undone[0]["cards"].clone(), undone[0]["revlog"].clone()),
        (json!(true), json!(true))
    );

    invoke(
        &webview,
        "update_settings",
        json!({"patch": {"new_per_day": "7"}}),
    )
    .unwrap();
    let saved = take();
    assert_eq!(
        (saved[0]["settings"].clone(), saved[0]["cards"].clone()),
        (json!(true), json!(false))
    );

    // A refused write changes nothing, and says nothing.
    invoke(
        &webview,
        "card_action",
        json!({"action": {"kind": "suspend"}, "cardIds": [1]}),
    )
    .unwrap_err();
    assert_eq!(take(), Vec::<Value>::new());
}

#[test]
fn the_app_runs_on_its_clock_and_tells_the_ui() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    assert_eq!(invoke(&webview, "get_clock", json!({})).unwrap(), NOW);

    let card = invoke(&webview, "next_card", json!({})).unwrap();
    let id = card["card_id"].as_i64().unwrap();
    invoke(
        &webview,
        "answer_card",
        json!({"cardId": id, "rating": "good", "durationMs": 900}),
    )
    .unwrap();
    let detail = invoke(&webview, "get_card_detail", json!({"cardId": id})).unwrap();
    assert_eq!(
        detail["info"]["reviews"][0]["reviewed_at"],
        "2026-11-25T09:00:00+01:00"
    );
    // Good on a new card: the 10-minute learning step, from the app's moment.
    assert_eq!(detail["info"]["due"], "2026-11-25T09:10:00+01:00");
}

#[test]
fn errors_reach_the_ui_as_codes_and_messages() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let err = invoke(
        &webview,
        "answer_card",
        json!({"cardId": 99, "rating": "good", "durationMs": 0}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "not_found");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("no card with id 99"));
}

#[test]
fn a_collection_that_failed_to_open_is_reported_and_retried() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join(reprise::store::DB_FILE);
    std::fs::write(&db, "not a database").unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    for cmd in ["get_status", "next_card", "undo"] {
        let err = invoke(&webview, cmd, json!({})).unwrap_err();
        assert_eq!(err["code"], "not_a_database", "{cmd}");
        assert!(err["message"].as_str().unwrap().contains("reprise.sqlite3"));
    }
    // The user moves the file aside and retries: the collection opens.
    std::fs::rename(&db, dir.path().join("moved-aside")).unwrap();
    let status = invoke(&webview, "get_status", json!({})).unwrap();
    let new = status["new"].as_u64().unwrap();
    assert!(new > 0, "a fresh collection has new cards: {status}");
}

#[test]
fn the_library_searches_and_opens_a_term_page() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let hits = invoke(&webview, "search", json!({"text": "k8s"})).unwrap();
    let first = &hits[0];
    assert_eq!(first["kind"], "term");
    assert_eq!(first["key"], "kubernetes");
    let page = invoke(
        &webview,
        "get_term",
        json!({"pack": first["pack"], "key": first["key"]}),
    )
    .unwrap();
    assert_eq!(page["name"], "Kubernetes");
    assert_eq!(page["aliases"][0], "K8s");
    assert_eq!(page["lessons"][0]["key"], "kubernetes");
    assert!(page["see_also"].as_array().unwrap().len() >= 2);
    let err = invoke(
        &webview,
        "get_term",
        json!({"pack": first["pack"], "key": "nope"}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "not_found");
}

#[test]
fn a_lesson_is_read_its_quiz_taken_and_its_questions_reviewed() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let library = invoke(&webview, "get_library", json!({})).unwrap();
    let lesson = &library[0]["lessons"][0];
    let (pack, key) = (library[0]["pack"].clone(), lesson["key"].clone());
    let page = invoke(&webview, "get_lesson", json!({"pack": pack, "key": key})).unwrap();
    let answers: Vec<Value> = page["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["correct"].clone())
        .collect();
    let result = invoke(
        &webview,
        "finish_lesson",
        json!({"pack": pack, "key": key, "answers": answers}),
    )
    .unwrap();
    assert_eq!(result["score"]["correct"], answers.len());

    let card = invoke(&webview, "next_card", json!({})).unwrap();
    assert_eq!(card["direction"], "quiz");
    assert_eq!(card["prompt"], page["questions"][0]["prompt"]);
    let outcome = invoke(
        &webview,
        "answer_quiz_card",
        json!({"cardId": card["card_id"], "chosen": card["quiz"]["correct"],
               "rating": null, "durationMs": 2000}),
    )
    .unwrap();
    assert_eq!(outcome["rating"], "good");
}

#[test]
fn packs_are_listed_disabled_and_enabled() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let packs = invoke(&webview, "list_packs", json!({})).unwrap();
    assert!(
        packs.as_array().unwrap().len() > 1,
        "the curriculum's areas"
    );
    assert_eq!(packs[0]["builtin"], true);
    let id = packs[0]["id"].clone();
    // Every area but the first switched off first: then the first decides whether there is
    // anything new to study.
    for other in &packs.as_array().unwrap()[1..] {
        invoke(
            &webview,
            "set_pack_enabled",
            json!({"id": other["id"], "enabled": false}),
        )
        .unwrap();
    }
    assert!(invoke(&webview, "get_status", json!({})).unwrap()["new"].as_u64() > Some(0));
    invoke(
        &webview,
        "set_pack_enabled",
        json!({"id": id, "enabled": false}),
    )
    .unwrap();
    assert_eq!(invoke(&webview, "get_status", json!({})).unwrap()["new"], 0);
    assert_eq!(
        invoke(&webview, "list_packs", json!({})).unwrap()[0]["enabled"],
        false
    );
    invoke(
        &webview,
        "set_pack_enabled",
        json!({"id": id, "enabled": true}),
    )
    .unwrap();
    assert!(
        invoke(&webview, "get_status", json!({})).unwrap()["new"]
            .as_u64()
            .unwrap()
            > 0
    );
    let err = invoke(
        &webview,
        "remove_pack",
        json!({"id": id, "keepHistory": true}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid");
    assert_eq!(err["field"], "pack");
}

#[test]
fn a_backup_is_restored_while_the_app_has_the_collection_open() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let new_before = invoke(&webview, "get_status", json!({})).unwrap()["new"].clone();
    let backups = invoke(&webview, "back_up_now", json!({})).unwrap();
    let backup = backups[0]["path"].as_str().unwrap().to_owned();
    // A change after the backup: one card answered.
    let card = invoke(&webview, "next_card", json!({})).unwrap();
    invoke(
        &webview,
        "answer_card",
        json!({"cardId": card["card_id"], "rating": "easy", "durationMs": 900}),
    )
    .unwrap();
    assert_ne!(
        invoke(&webview, "get_status", json!({})).unwrap()["new"],
        new_before
    );

    let saved = invoke(&webview, "restore_backup", json!({"path": backup})).unwrap();
    assert!(
        saved.as_str().unwrap().contains("before-restore"),
        "{saved}"
    );
    // The app goes on with the restored collection, without a restart.
    assert_eq!(
        invoke(&webview, "get_status", json!({})).unwrap()["new"],
        new_before
    );
    let listed = invoke(&webview, "list_backups", json!({})).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);

    // A file that is not a backup is refused and the collection stays usable.
    let bogus = dir.path().join("bogus.sqlite3");
    std::fs::write(&bogus, "not a database").unwrap();
    let err = invoke(&webview, "restore_backup", json!({"path": bogus})).unwrap_err();
    assert_eq!(err["code"], "import");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("not a usable Reprise backup"));
    assert_eq!(
        invoke(&webview, "get_status", json!({})).unwrap()["new"],
        new_before
    );
}

#[test]
fn a_table_is_previewed_before_it_is_imported() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().join("data"), NOW);
    let webview = window(&app);
    let csv = dir.path().join("words.csv");
    std::fs::write(&csv, "term,definition\nalpha,first\nbeta,second\n,orphan\n").unwrap();
    let preview = invoke(&webview, "preview_table", json!({"path": csv})).unwrap();
    assert_eq!(preview["terms"], 2);
    assert_eq!(preview["header"], true);
    assert_eq!(preview["sample"][1]["term"], "beta");
    assert_eq!(preview["skipped"][0]["entry"], "line 4");
    let packs = invoke(&webview, "list_packs", json!({})).unwrap();
    assert!(
        packs
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["builtin"] == true),
        "a preview imports nothing"
    );
}

#[test]
fn settings_are_read_validated_and_saved_and_card_actions_undo() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);

    let settings = invoke(&webview, "get_settings", json!({})).unwrap();
    assert_eq!(settings["leech_action"], "tag");
    let patch = |pairs: Value| json!({ "patch": pairs });
    let err = invoke(
        &webview,
        "update_settings",
        patch(json!({"desired_retention": "0.5"})),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid");
    // The form marks the field at fault.
    assert_eq!(err["field"], "desired_retention");
    assert!(
        err["message"].as_str().unwrap().contains("0.70 to 0.99"),
        "{err}"
    );
    // Steps as the learner types them, read by the core's one parser.
    let err = invoke(
        &webview,
        "update_settings",
        patch(json!({"learning_steps_minutes": "1m 0.01h"})),
    )
    .unwrap_err();
    assert_eq!(err["field"], "learning_steps_minutes");
    let rescheduled = invoke(
        &webview,
        "update_settings",
        patch(json!({"desired_retention": "0.85", "new_per_day": "5", "learning_steps_minutes": "1m 0.1h"})),
    )
    .unwrap();
    assert_eq!(rescheduled, 0, "nothing studied yet");
    let saved = invoke(&webview, "get_settings", json!({})).unwrap();
    assert_eq!(saved["new_per_day"], 5);
    assert_eq!(saved["learning_steps_minutes"], json!([1, 6]));
    assert_eq!(
        saved["leech_action"], "tag",
        "what the patch leaves out stays"
    );
    assert_eq!(invoke(&webview, "get_status", json!({})).unwrap()["new"], 5);

    let card = invoke(&webview, "next_card", json!({})).unwrap()["card_id"].clone();
    let report = invoke(
        &webview,
        "card_action",
        json!({"action": {"kind": "suspend"}, "cardIds": [card]}),
    )
    .unwrap();
    assert_eq!(report, json!({"action": "suspend", "changed": 1}));
    assert_ne!(
        invoke(&webview, "next_card", json!({})).unwrap()["card_id"],
        card
    );
    let undone = invoke(&webview, "undo", json!({})).unwrap();
    assert_eq!(undone["action"], "suspend");
    assert_eq!(
        undone["card"]["card_id"], card,
        "the card comes back to study"
    );
    let err = invoke(
        &webview,
        "card_action",
        json!({"action": {"kind": "set_due", "days": 3}, "cardIds": [card]}),
    )
    .unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("is new"), "{err}");

    assert_eq!(
        invoke(&webview, "get_backlog", json!({})).unwrap()["overdue"],
        0
    );
    let err = invoke(&webview, "spread_backlog", json!({"days": 5})).unwrap_err();
    assert!(
        err["message"].as_str().unwrap().contains("no backlog"),
        "{err}"
    );
}

#[test]
fn statistics_and_the_browser_through_ipc() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let card = invoke(&webview, "next_card", json!({})).unwrap()["card_id"].clone();
    invoke(
        &webview,
        "answer_card",
        json!({"cardId": card, "rating": "easy", "durationMs": 2000}),
    )
    .unwrap();

    let stats = invoke(&webview, "get_stats", json!({})).unwrap();
    assert_eq!(stats["heatmap"]["total_reviews"], 1);
    assert_eq!(stats["heatmap"]["days"].as_array().unwrap().len(), 365);
    assert_eq!(stats["forecast"]["days"].as_array().unwrap().len(), 30);

    // The UI sends every field of the query; missing ones take their defaults.
    let ids = invoke(
        &webview,
        "browse_cards",
        json!({"query": {"text": "kubelet", "sort": "due", "descending": false}}),
    )
    .unwrap();
    let ids = ids.as_array().unwrap().clone();
    assert!(ids.len() >= 2);
    let rows = invoke(&webview, "browse_rows", json!({"ids": ids})).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), ids.len());
    let facets = invoke(&webview, "browse_facets", json!({})).unwrap();
    assert!(!facets["lessons"].as_array().unwrap().is_empty());

    let detail = invoke(&webview, "get_card_detail", json!({"cardId": card})).unwrap();
    assert_eq!(detail["info"]["reviews"].as_array().unwrap().len(), 1);
    assert_eq!(detail["card"]["card_id"], card);
    let err = invoke(&webview, "get_card_detail", json!({"cardId": 42})).unwrap_err();
    assert_eq!(err["code"], "not_found");
    let err = invoke(
        &webview,
        "browse_cards",
        json!({"query": {"sort": "sideways"}}),
    )
    .unwrap_err();
    assert!(err.to_string().contains("sideways"), "{err}");
}

#[test]
fn this_devices_preferences_are_saved_in_the_data_folder_and_bad_ones_refused() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);

    let about = invoke(&webview, "get_about", json!({})).unwrap();
    assert_eq!(about["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(about["data_dir"], dir.path().display().to_string());

    assert_eq!(
        invoke(&webview, "get_device_prefs", json!({})).unwrap(),
        json!({"zoom": 1.0, "reminder": null})
    );
    let prefs = json!({"zoom": 1.2, "reminder": "07:30"});
    assert_eq!(
        invoke(&webview, "set_device_prefs", json!({ "prefs": prefs })).unwrap(),
        prefs
    );
    assert_eq!(
        invoke(&webview, "get_device_prefs", json!({})).unwrap(),
        prefs
    );
    assert!(dir.path().join("device.json").exists());

    let err = invoke(
        &webview,
        "set_device_prefs",
        json!({"prefs": {"zoom": 1.0, "reminder": "7pm"}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid");
    assert_eq!(err["field"], "reminder");
    assert_eq!(
        invoke(&webview, "get_device_prefs", json!({})).unwrap(),
        prefs
    );
}

/// A start that upgrades the collection does not wait for it: the upgrade runs on its own
/// thread, `get_upgrade` says so and every other command says to try again, and once it is done
/// the collection answers at the new schema with its cards.
#[test]
fn a_start_that_upgrades_the_collection_answers_while_the_upgrade_runs() {
    let new_cards = {
        let fresh = tempfile::tempdir().unwrap();
        let app = app_at(fresh.path().to_owned(), NOW);
        let webview = window(&app);
        invoke(&webview, "get_status", json!({})).unwrap()["new"].clone()
    };
    // A collection as the first version of Reprise left it: schema 1, before any pack.
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join(reprise::store::DB_FILE)).unwrap();
    conn.execute_batch(include_str!("../../src/store/migrations/0001_init.sql"))
        .unwrap();
    // 1380995667 = 0x52505253, "RPRS": the application id Reprise writes.
    conn.execute_batch("PRAGMA user_version = 1; PRAGMA application_id = 1380995667;")
        .unwrap();
    // Another program writing holds the upgrade back until it is done.
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let upgrade = invoke(&webview, "get_upgrade", json!({})).unwrap();
    assert_eq!(upgrade["from"], 1, "{upgrade}");
    let to = upgrade["to"].as_i64().unwrap();
    assert!(to > 1, "{upgrade}");
    let refused = invoke(&webview, "get_status", json!({})).unwrap_err();
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("being upgraded"),
        "{refused}"
    );
    conn.execute_batch("ROLLBACK").unwrap();
    let start = std::time::Instant::now();
    while invoke(&webview, "get_upgrade", json!({})).unwrap() != Value::Null {
        assert!(start.elapsed().as_secs() < 30, "the upgrade never ended");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = invoke(&webview, "get_status", json!({})).unwrap();
    assert_eq!(status["new"], new_cards);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, to);
}
