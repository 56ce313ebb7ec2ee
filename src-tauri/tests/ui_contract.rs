//! What the UI's component tests script the core to answer. Their backend
//! (`ui/src/test/scripted.ts`) replies from a table and holds none of the core's rules; each rule a
//! test there relies on is checked here, against the real core through Tauri's IPC path (mock
//! runtime, as in `commands.rs`), where the core's own tests (`tests/`) do not already.

mod common;

use common::{app_at, window};
use serde_json::{json, Value};
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

/// The clock the UI's recorded replies were made at (`NOW` in scripted.ts).
const NOW: &str = "2026-11-25T12:00:00Z";

fn invoke(webview: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Value {
    common::invoke(webview, cmd, args.clone())
        .unwrap_or_else(|err| panic!("{cmd} {args} failed: {err:?}"))
}

fn answer(webview: &WebviewWindow<MockRuntime>, card: &Value, rating: &str) -> Value {
    invoke(
        webview,
        "answer_card",
        json!({"cardId": card["card_id"], "rating": rating, "durationMs": 1000}),
    )
}

fn act(webview: &WebviewWindow<MockRuntime>, kind: &str, card: &Value) -> Value {
    invoke(
        webview,
        "card_action",
        json!({"action": {"kind": kind}, "cardIds": [card["card_id"]]}),
    )
}

/// The first lesson of the library, finished with every answer right; its pack and page.
fn finish_first_lesson(webview: &WebviewWindow<MockRuntime>) -> (Value, Value) {
    let library = invoke(webview, "get_library", json!({}));
    let (pack, key) = (&library[0]["pack"], &library[0]["lessons"][0]["key"]);
    let page = invoke(webview, "get_lesson", json!({"pack": pack, "key": key}));
    let answers: Vec<&Value> = page["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| &q["correct"])
        .collect();
    let result = invoke(
        webview,
        "finish_lesson",
        json!({"pack": pack, "key": key, "answers": answers}),
    );
    assert!(result["cards_queued"].as_u64().unwrap() > 0, "{result}");
    (pack.clone(), page)
}

/// A pick the core grades wrong: one option that is not among the right ones.
fn wrong_pick(options: usize, correct: &Value) -> Value {
    let correct: Vec<u64> = serde_json::from_value(correct.clone()).unwrap();
    let wrong = (0..options as u64).find(|i| !correct.contains(i)).unwrap();
    json!([wrong])
}

#[test]
fn an_answer_moves_on_and_the_next_card_counts_it() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let first = invoke(&webview, "next_card", json!({}));
    let new = first["counts"]["new"].as_u64().unwrap();

    let outcome = answer(&webview, &first, "good");
    assert_eq!(
        (&outcome["card_id"], &outcome["rating"]),
        (&first["card_id"], &json!("good"))
    );
    assert_eq!(outcome["leech"], false);
    let next = invoke(&webview, "next_card", json!({}));
    assert_ne!(next["card_id"], first["card_id"], "the answered card waits");
    assert_eq!(
        next["counts"]["new"],
        new - 1,
        "the counts come with the card"
    );
    assert_eq!(invoke(&webview, "get_status", json!({}))["new"], new - 1);
}

#[test]
fn undo_takes_back_the_last_step_first_and_brings_its_card_back() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let answered = invoke(&webview, "next_card", json!({}));
    answer(&webview, &answered, "good");
    let suspended = invoke(&webview, "next_card", json!({}));
    assert_eq!(
        act(&webview, "suspend", &suspended),
        json!({"action": "suspend", "changed": 1})
    );
    assert_ne!(
        invoke(&webview, "next_card", json!({}))["card_id"],
        suspended["card_id"]
    );

    let undone = invoke(&webview, "undo", json!({}));
    assert_eq!(undone["action"], "suspend");
    assert_eq!(
        (&undone["card_id"], &undone["cards"]),
        (&suspended["card_id"], &json!(1))
    );
    assert_eq!(
        undone["card"]["card_id"], suspended["card_id"],
        "the card undone is handed back to be studied"
    );
    let undone = invoke(&webview, "undo", json!({}));
    assert_eq!(undone["action"], "answer", "then the answer before it");
    assert_eq!(undone["card"]["card_id"], answered["card_id"]);
    assert_eq!(invoke(&webview, "undo", json!({})), Value::Null);

    // A card answered, then buried: undo takes back the bury and leaves the answer.
    let card = invoke(&webview, "next_card", json!({}));
    answer(&webview, &card, "again");
    assert_eq!(act(&webview, "bury", &card)["changed"], 1);
    assert_eq!(invoke(&webview, "undo", json!({}))["action"], "bury");
    let undone = invoke(&webview, "undo", json!({}));
    assert_eq!(
        (&undone["action"], &undone["card_id"]),
        (&json!("answer"), &card["card_id"])
    );
}

#[test]
fn an_action_takes_the_card_shown_out_of_the_queue() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    finish_first_lesson(&webview);
    let row = |card: &Value| {
        invoke(&webview, "browse_rows", json!({"ids": [card["card_id"]]}))[0].clone()
    };

    // A quiz card suspended, then the card after it buried.
    let quiz = invoke(&webview, "next_card", json!({}));
    assert_eq!(quiz["direction"], "quiz");
    assert_eq!(act(&webview, "suspend", &quiz)["changed"], 1);
    let second = invoke(&webview, "next_card", json!({}));
    assert_ne!(second["card_id"], quiz["card_id"]);
    assert_eq!(row(&quiz)["suspended"], true);
    assert_eq!(act(&webview, "bury", &second)["changed"], 1);
    let next = invoke(&webview, "next_card", json!({}));
    assert_ne!(next["card_id"], second["card_id"]);
    assert_ne!(next["card_id"], quiz["card_id"]);
    assert_eq!(row(&second)["buried"], true);
}

#[test]
fn a_backlog_is_spread_over_days_and_undone() {
    let dir = tempfile::TempDir::new().unwrap();
    // Five cards learned (Easy: due in about eight days), then a month away.
    {
        let app = app_at(dir.path().to_owned(), NOW);
        let webview = window(&app);
        for _ in 0..5 {
            let card = invoke(&webview, "next_card", json!({}));
            answer(&webview, &card, "easy");
        }
    }
    let app = app_at(dir.path().to_owned(), "2026-12-25T12:00:00Z");
    let webview = window(&app);
    assert_eq!(
        invoke(&webview, "get_backlog", json!({})),
        json!({"overdue": 5, "new_paused_until": null})
    );

    let spread = invoke(&webview, "spread_backlog", json!({"days": 7}));
    assert_eq!(
        spread,
        json!({"cards": 5, "days": 7, "new_paused_until": "2027-01-01"})
    );
    assert_eq!(
        invoke(&webview, "get_backlog", json!({})),
        json!({"overdue": 0, "new_paused_until": "2027-01-01"}),
        "nothing overdue any more, and new cards wait"
    );

    let undone = invoke(&webview, "undo", json!({}));
    assert_eq!(undone["action"], "spread_backlog");
    assert_eq!(
        (&undone["card_id"], &undone["cards"], &undone["card"]),
        (&Value::Null, &json!(5), &Value::Null),
        "a step about several cards hands none back"
    );
    assert_eq!(
        invoke(&webview, "get_backlog", json!({})),
        json!({"overdue": 5, "new_paused_until": null})
    );
    assert_eq!(
        invoke(&webview, "get_settings", json!({}))["pause_new_until"],
        Value::Null
    );
}

#[test]
fn quiz_answers_are_graded_and_a_wrong_one_recorded_as_again() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let (pack, page) = finish_first_lesson(&webview);
    let key = &page["summary"]["key"];
    let question = &page["questions"][0];
    let options = question["options"].as_array().unwrap().len();
    let check = |chosen: &Value| {
        invoke(
            &webview,
            "check_lesson_answer",
            json!({"pack": pack, "key": key, "question": 0, "chosen": chosen}),
        )
    };
    assert_eq!(check(&question["correct"]), true);
    assert_eq!(check(&wrong_pick(options, &question["correct"])), false);

    let card = invoke(&webview, "next_card", json!({}));
    let quiz = &card["quiz"];
    let options = quiz["options"].as_array().unwrap().len();
    let check = |chosen: &Value| {
        invoke(
            &webview,
            "check_quiz_card",
            json!({"cardId": card["card_id"], "chosen": chosen}),
        )
    };
    assert_eq!(check(&quiz["correct"]), true);
    let wrong = wrong_pick(options, &quiz["correct"]);
    assert_eq!(check(&wrong), false);
    let outcome = invoke(
        &webview,
        "answer_quiz_card",
        json!({"cardId": card["card_id"], "chosen": wrong, "rating": null, "durationMs": 1000}),
    );
    assert_eq!(outcome["rating"], "again");
    assert_ne!(
        invoke(&webview, "next_card", json!({}))["card_id"],
        card["card_id"]
    );
}

#[test]
fn a_lesson_the_core_does_not_have_is_not_found() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let pack = &invoke(&webview, "get_library", json!({}))[0]["pack"];
    let err = common::invoke(
        &webview,
        "get_lesson",
        json!({"pack": pack, "key": "networking"}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "not_found");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .starts_with("no lesson 'networking' in pack"),
        "{err}"
    );
}

#[test]
fn an_imported_pack_is_listed_and_removed_and_a_missing_file_is_refused_by_name() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().join("data"), NOW);
    let webview = window(&app);
    let csv = dir.path().join("words.csv");
    std::fs::write(&csv, "alpha,first\nbeta,second\n,orphan\n").unwrap();

    // The UI sends a Channel for the progress, as its id.
    let report = invoke(
        &webview,
        "import_file",
        json!({"path": csv, "progress": "__CHANNEL__:7"}),
    );
    assert_eq!(
        (&report["added"], &report["format"]),
        (&json!(2), &json!("csv"))
    );
    assert_eq!(report["skipped"][0]["entry"], "line 3", "{report}");
    let packs = invoke(&webview, "list_packs", json!({}));
    let listed = packs
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == report["pack"])
        .unwrap_or_else(|| panic!("{packs}"));
    assert_eq!(
        (
            &listed["name"],
            &listed["notes"],
            &listed["cards"],
            &listed["builtin"]
        ),
        (
            &report["name"],
            &json!(2),
            &report["new_cards"],
            &json!(false)
        ),
        "the new pack is listed with its counts"
    );

    invoke(
        &webview,
        "remove_pack",
        json!({"id": report["pack"], "keepHistory": false}),
    );
    let packs = invoke(&webview, "list_packs", json!({}));
    assert!(
        packs
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != report["pack"]),
        "{packs}"
    );

    // A path that is not there: the system's error naming it, for the banner; nothing changes.
    for (cmd, file) in [
        ("import_file", "missing.zip"),
        ("preview_table", "missing.tsv"),
    ] {
        let path = dir.path().join(file);
        let err = common::invoke(
            &webview,
            cmd,
            json!({"path": path, "progress": "__CHANNEL__:8"}),
        )
        .unwrap_err();
        assert_eq!(err["code"], "io", "{err}");
        // "<path>: No such file or directory (os error 2)", worded by the system.
        let message = err["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("{}: ", path.display()))
                && message.ends_with("(os error 2)"),
            "{message}"
        );
    }
    assert_eq!(invoke(&webview, "list_packs", json!({})), packs);
}

#[test]
fn the_settings_form_patch_is_read_as_text_and_what_it_leaves_out_stays() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    // Three review cards, and settings the form does not edit.
    for _ in 0..3 {
        let card = invoke(&webview, "next_card", json!({}));
        answer(&webview, &card, "easy");
    }
    let reviewing = invoke(
        &webview,
        "browse_cards",
        json!({"query": {"state": "review"}}),
    );
    assert_eq!(reviewing.as_array().unwrap().len(), 3);
    let parameters = "0.2172 1.1771 3.2602 16.1507 7.0114 0.57 2.0966 0.0069 1.5261 0.112 1.0178 \
                      1.849 0.1133 0.3127 2.2934 0.2191 3.0004 0.7536 0.3332 0.1437 0.2";
    let patch = |pairs: Value| json!({ "patch": pairs });
    invoke(
        &webview,
        "update_settings",
        patch(json!({"fsrs_parameters": parameters, "pause_new_until": "2026-11-30"})),
    );
    let before = invoke(&webview, "get_settings", json!({}));

    // Every field of the form, as its text.
    let rescheduled = invoke(
        &webview,
        "update_settings",
        patch(json!({
            "desired_retention": "0.85",
            "new_per_day": "30",
            "reviews_per_day": "150",
            "rollover_hour": "3",
            "maximum_interval_days": "3650",
            "learning_steps_minutes": "2m, 15 1h",
            "relearning_steps_minutes": "none",
            "fuzz": "off",
            "learn_ahead_minutes": "0",
            "bury_siblings": "off",
            "leech_threshold": "6",
            "leech_action": "suspend",
            "new_card_order": "random",
            "review_order": "retrievability",
        })),
    );
    assert_eq!(
        rescheduled, 3,
        "a new retention reschedules the review cards"
    );
    let stored = invoke(&webview, "get_settings", json!({}));
    assert_eq!(
        stored,
        json!({
            "desired_retention": 0.85,
            "new_per_day": 30,
            "reviews_per_day": 150,
            "rollover_hour": 3,
            "maximum_interval_days": 3650,
            "learning_steps_minutes": [2, 15, 60],
            "relearning_steps_minutes": [],
            "fuzz": false,
            "learn_ahead_minutes": 0,
            "fsrs_parameters": before["fsrs_parameters"],
            "bury_siblings": false,
            "leech_threshold": 6,
            "leech_action": "suspend",
            "new_card_order": "random",
            "review_order": "retrievability",
            "pause_new_until": "2026-11-30",
        })
    );
    assert_eq!(before["fsrs_parameters"].as_array().unwrap().len(), 21);

    // A refusal changes nothing; the ends of the retention range are taken.
    for (key, text) in [("desired_retention", "0.5"), ("rollover_hour", "24")] {
        let err = common::invoke(&webview, "update_settings", patch(json!({ key: text })));
        assert_eq!(err.unwrap_err()["field"], key);
        assert_eq!(invoke(&webview, "get_settings", json!({})), stored);
    }
    for text in ["0.99", "0.7"] {
        invoke(
            &webview,
            "update_settings",
            patch(json!({"desired_retention": text})),
        );
        let retention = invoke(&webview, "get_settings", json!({}))["desired_retention"].clone();
        assert_eq!(retention.to_string(), text, "{retention}");
    }
}

#[test]
fn browser_actions_show_in_rows_filters_facets_and_details() {
    let dir = tempfile::TempDir::new().unwrap();
    let app = app_at(dir.path().to_owned(), NOW);
    let webview = window(&app);
    let browse = |query: Value| -> Vec<Value> {
        let ids = invoke(&webview, "browse_cards", json!({ "query": query }));
        ids.as_array().unwrap().clone()
    };
    // Read in pages, as the browser's list does.
    let rows = |ids: &[Value]| -> Vec<Value> {
        ids.chunks(500)
            .flat_map(|page| {
                let rows = invoke(&webview, "browse_rows", json!({ "ids": page }));
                rows.as_array().unwrap().clone()
            })
            .collect()
    };
    let column = |ids: &[Value], key: &str| -> Vec<Value> {
        rows(ids).iter().map(|r| r[key].clone()).collect()
    };
    let act = |action: Value, ids: &[Value]| -> Value {
        invoke(
            &webview,
            "card_action",
            json!({"action": action, "cardIds": ids}),
        )
    };
    let changed = |action: Value, ids: &[Value]| act(action, ids)["changed"].clone();
    let tags = |card: &Value| {
        invoke(&webview, "get_card_detail", json!({ "cardId": card }))["tags"].clone()
    };
    let facet_tags = || invoke(&webview, "browse_facets", json!({}))["tags"].clone();

    // Three new term cards of three notes without tags of their own (tags are on a note:
    // siblings share them).
    let new = browse(json!({"state": "new"}));
    let mut notes = Vec::new();
    let mut cards = Vec::new();
    for row in rows(&new) {
        let term = row["direction"] != "quiz";
        let untagged = || tags(&row["card_id"]) == json!([]);
        if term && !notes.contains(&row["note_id"]) && cards.len() < 3 && untagged() {
            notes.push(row["note_id"].clone());
            cards.push(row["card_id"].clone());
        }
    }
    let [a, b, c] = [&cards[0], &cards[1], &cards[2]];
    let (ab, ac) = ([a.clone(), b.clone()], [a.clone(), c.clone()]);

    // Buried, their rows say so; unsuspending cards not suspended changes none and leaves no
    // step: undo takes back the bury.
    assert_eq!(changed(json!({"kind": "bury"}), &cards), 3);
    assert_eq!(column(&cards, "buried"), [true, true, true]);
    assert_eq!(changed(json!({"kind": "unsuspend"}), &cards), 0);
    let undone = invoke(&webview, "undo", json!({}));
    assert_eq!(
        (
            &undone["action"],
            &undone["cards"],
            &undone["card_id"],
            &undone["card"]
        ),
        (&json!("bury"), &json!(3), &Value::Null, &Value::Null),
        "an action on several cards is one step, and hands no card back"
    );
    assert_eq!(column(&cards, "buried"), [false, false, false]);

    // Suspended, they leave the "not suspended" filter, and come back with undo.
    assert_eq!(changed(json!({"kind": "suspend"}), &ac), 2);
    assert_eq!(column(&ac, "suspended"), [true, true]);
    let not_suspended = browse(json!({"suspended": false}));
    assert!(not_suspended.contains(b) && !not_suspended.contains(a) && !not_suspended.contains(c));
    let undone = invoke(&webview, "undo", json!({}));
    assert_eq!(
        (&undone["action"], &undone["cards"]),
        (&json!("suspend"), &json!(2))
    );
    let not_suspended = browse(json!({"suspended": false}));
    assert!(cards.iter().all(|card| not_suspended.contains(card)));

    // A tag added is a facet, a filter and in the card detail; a note's tags come sorted. The
    // built-in packs' own tags are facets from the start.
    let built_in = facet_tags();
    let added = || -> Value {
        let tags = facet_tags();
        let tags = tags.as_array().unwrap().iter();
        tags.filter(|t| !built_in.as_array().unwrap().contains(t))
            .cloned()
            .collect()
    };
    assert_eq!(added(), json!([]));
    assert_eq!(changed(json!({"kind": "tag", "tag": "k8s/tricky"}), &ab), 2);
    assert_eq!(added(), json!(["k8s/tricky"]));
    assert_eq!(tags(a), json!(["k8s/tricky"]));
    let tagged = browse(json!({"tag": "k8s/tricky"}));
    assert!(tagged.contains(a) && tagged.contains(b) && !tagged.contains(c));
    for tag in ["network", "leech"] {
        assert_eq!(
            changed(json!({"kind": "tag", "tag": tag}), std::slice::from_ref(c)),
            1
        );
    }
    assert_eq!(tags(c), json!(["leech", "network"]));
    assert_eq!(column(std::slice::from_ref(c), "leech"), [true]);
    // Taken off every card, it is no longer a facet.
    assert_eq!(
        changed(json!({"kind": "untag", "tag": "k8s/tricky"}), &ab),
        2
    );
    assert_eq!(tags(a), json!([]));
    assert_eq!(added(), json!(["leech", "network"]));

    // A due date for new cards is refused (its words: card_action_refused in
    // recorded_replies.rs), as not studiable.
    let err = common::invoke(
        &webview,
        "card_action",
        json!({"action": {"kind": "set_due", "days": 7}, "cardIds": cards}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "not_studiable", "{err}");
    // Studied, they take a due date; reset, they are new again and leave the "review" filter.
    for card in &cards {
        answer(&webview, &json!({ "card_id": card }), "easy");
    }
    let review = browse(json!({"state": "review"}));
    assert!(cards.iter().all(|card| review.contains(card)), "{review:?}");
    assert_eq!(changed(json!({"kind": "set_due", "days": 7}), &cards), 3);
    assert_eq!(changed(json!({"kind": "reset"}), &cards), 3);
    assert_eq!(column(&cards, "state"), ["new", "new", "new"]);
    let review = browse(json!({"state": "review"}));
    assert!(
        cards.iter().all(|card| !review.contains(card)),
        "{review:?}"
    );
}
