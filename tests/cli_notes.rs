//! `reprise add`, `edit`, `note` and `delete` as scripts use them: JSON out, clear errors, undo.

mod common;

use common::cli::{fails, json, reprise};
use tempfile::TempDir;

const NOW: &str = "2026-05-04T09:00:00+02:00";

#[test]
fn add_each_kind_edit_show_delete_and_undo_from_the_command_line() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let term = json(
        d,
        NOW,
        &[
            "add",
            "term",
            "--name",
            "Quorum",
            "--definition",
            "A majority of replicas.",
            "--explanation",
            "Any two quorums overlap.",
            "--tags",
            "consensus,basics",
            "--json",
        ],
    );
    assert_eq!(term["pack"], "mine.my-cards");
    assert_eq!(term["card_ids"].as_array().unwrap().len(), 2);
    let basic = json(
        d,
        NOW,
        &[
            "add",
            "basic",
            "--front",
            "rojo",
            "--back",
            "red",
            "--reverse",
            "--pack",
            "Spanish",
            "--json",
        ],
    );
    assert_eq!(basic["pack"], "mine.spanish");
    assert_eq!(basic["card_ids"].as_array().unwrap().len(), 2);
    let cloze = json(
        d,
        NOW,
        &[
            "add",
            "cloze",
            "--text",
            "{{c1::Raft}} elects a {{c2::leader::role}}",
            "--json",
        ],
    );
    let note = cloze["note_id"].as_i64().unwrap().to_string();
    assert_eq!(cloze["card_ids"].as_array().unwrap().len(), 2);

    // browse rows carry the note, and the new cards are found at once.
    let rows = json(
        d,
        NOW,
        &["browse", "Raft", "--pack", "mine.my-cards", "--json"],
    );
    assert_eq!(rows["total"], 2);
    assert!(rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["note_id"] == cloze["note_id"]));

    let edited = json(
        d,
        NOW,
        &[
            "edit",
            &note,
            "text={{c1::Raft}} elects a {{c3::leader}}",
            "tags=consensus",
            "--json",
        ],
    );
    assert_eq!(edited["added"].as_array().unwrap().len(), 1);
    assert_eq!(
        edited["retired"],
        serde_json::Value::from(cloze["card_ids"].as_array().unwrap()[1..].to_vec())
    );
    let shown = json(d, NOW, &["note", &note, "--json"]);
    assert_eq!(
        shown["draft"]["text"],
        "{{c1::Raft}} elects a {{c3::leader}}"
    );
    assert_eq!(shown["draft"]["tags"], serde_json::json!(["consensus"]));
    assert_eq!(shown["personal"], true);

    let deleted = json(d, NOW, &["delete", &note, "--json"]);
    assert_eq!(deleted["cards"], 2);
    let err = fails(d, NOW, &["note", &note]);
    assert!(err.contains("note") && err.contains(&note), "{err}");
    let undone = json(d, NOW, &["undo", "--json"]);
    assert_eq!(undone["action"], "delete_note");
    assert_eq!(undone["cards"], 2);
    assert_eq!(
        json(d, NOW, &["note", &note, "--json"])["card_ids"],
        edited["card_ids"]
    );
}

#[test]
fn bad_notes_are_refused_with_the_field_named_and_nothing_changes() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let added = json(
        d,
        NOW,
        &["add", "basic", "--front", "a", "--back", "b", "--json"],
    );
    let note = added["note_id"].as_i64().unwrap().to_string();
    let before = json(d, NOW, &["browse", "--json", "--pack", "mine.my-cards"]);
    for (args, says) in [
        (
            vec!["add", "basic", "--front", " ", "--back", "b"],
            "`front` is empty",
        ),
        (
            vec!["add", "cloze", "--text", "no deletion"],
            "no cloze deletion",
        ),
        (
            vec![
                "add",
                "term",
                "--name",
                "x",
                "--definition",
                "<script>x</script>",
            ],
            "`definition` holds a script",
        ),
        (
            vec![
                "add",
                "term",
                "--name",
                "x",
                "--definition",
                "d",
                "--pack",
                "reprise.networking-apis",
            ],
            "not one of yours",
        ),
        (vec!["edit", "4242", "front=x"], "4242"),
        (vec!["edit", &note, "colour=red"], "its fields are"),
        (vec!["edit", &note, "front"], "FIELD=VALUE"),
        (vec!["edit", &note, "reverse=maybe"], "true or false"),
        (vec!["delete", "4242"], "4242"),
    ] {
        let err = fails(d, NOW, &args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let long = "x".repeat(70_000);
    let err = fails(d, NOW, &["add", "basic", "--front", &long, "--back", "b"]);
    assert!(err.contains("KiB"), "{err}");
    assert_eq!(
        json(d, NOW, &["browse", "--json", "--pack", "mine.my-cards"]),
        before
    );
    // Only the one good add is there to undo.
    assert!(reprise(d, NOW, &["undo"]).status.success());
    assert_eq!(
        json(d, NOW, &["browse", "--json", "--pack", "mine.my-cards"])["total"],
        0
    );
}
