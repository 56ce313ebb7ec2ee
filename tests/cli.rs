//! The `reprise` CLI, each call in its own process, as scripts use it.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use common::cli::{fails, json, reprise, BIN};
use serde_json::Value;
use tempfile::TempDir;

/// `reprise review` with piped stdin and stdout, as a script would drive it.
fn spawn_review(dir: &Path, now: &str) -> std::process::Child {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", now, "review"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("reprise review starts")
}

const T0: &str = "2026-03-10T09:00:00+01:00";
const T1: &str = "2026-03-10T09:10:00+01:00";

#[test]
fn a_new_card_answered_good_graduates_and_falls_due_after_its_interval() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let status = json(d, T0, &["status", "--json"]);
    assert_eq!(status["new"], common::builtin_new_today());
    assert_eq!(status["learning"], 0);
    assert_eq!(status["review"], 0);
    assert_eq!(status["total_cards"], common::builtin_all_cards());
    assert_eq!(status["next_due"], Value::Null);

    let next = json(d, T0, &["next", "--json"]);
    let id = next["card_id"].as_i64().unwrap().to_string();
    assert!(next["prompt"].as_str().unwrap().len() > 2);
    assert!(next["answer"].as_str().unwrap().len() > 10);
    for key in ["again", "hard", "good", "easy"] {
        assert!(next["intervals"][key].as_f64().unwrap() > 0.0, "{key}");
    }
    assert_eq!(next["intervals"]["good"].as_f64().unwrap() * 1440.0, 10.0);

    let first = json(d, T0, &["answer", &id, "good", "--json"]);
    assert_eq!(first["state"], "learning");
    assert_eq!(first["due"], T1);
    // The learning step is not over yet.
    let early = fails(d, "2026-03-10T08:30:00+01:00", &["answer", &id, "good"]);
    assert!(early.contains("not due until"), "{early}");

    let second = json(d, T1, &["answer", &id, "good", "--json"]);
    assert_eq!(second["state"], "review");
    let days = second["interval_days"].as_f64().unwrap() as i64;
    assert!(days >= 1);

    let shown = json(d, T1, &["show", &id, "--json"]);
    assert_eq!(shown["state"], "review");
    assert_eq!(shown["reps"], 2);
    assert_eq!(shown["lapses"], 0);
    assert!(shown["stability"].as_f64().unwrap() > 0.0);
    assert!(shown["difficulty"].as_f64().unwrap() >= 1.0);
    assert_eq!(shown["due"], second["due"]);
    assert_eq!(shown["reviews"].as_array().unwrap().len(), 2);
    assert_eq!(shown["reviews"][1]["state_after"], "review");

    // The evening before the due day it is not due; from the due day's rollover it is.
    let due = chrono::DateTime::parse_from_rfc3339(shown["due"].as_str().unwrap()).unwrap();
    let before = (due - chrono::Duration::minutes(1)).to_rfc3339();
    assert_eq!(json(d, &before, &["status", "--json"])["review"], 0);
    assert!(fails(d, &before, &["answer", &id, "good"]).contains("not due until"));
    let at_due = due.to_rfc3339();
    assert_eq!(json(d, &at_due, &["status", "--json"])["review"], 1);
    assert_eq!(
        json(d, &at_due, &["status", "--json"])["next_due"],
        shown["due"]
    );
    let next = json(d, &at_due, &["next", "--json"]);
    assert_eq!(next["card_id"].as_i64().unwrap().to_string(), id);
}

#[test]
fn next_prints_null_when_nothing_is_due_and_undo_takes_an_answer_back() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    // Easy sends each new card straight to review, so today's queue empties.
    for _ in 0..common::builtin_new_today() {
        let id = json(d, T0, &["next", "--json"])["card_id"].to_string();
        json(d, T0, &["answer", &id, "easy", "--json"]);
    }
    assert_eq!(json(d, T0, &["next", "--json"]), Value::Null);
    let undone = json(d, T0, &["undo", "--json"]);
    let id = undone["card_id"].to_string();
    assert_eq!(undone["status"]["new"], 1);
    let shown = json(d, T0, &["show", &id, "--json"]);
    assert_eq!(shown["state"], "new");
    assert_eq!(shown["reviews"].as_array().unwrap().len(), 0);
}

fn snapshot(d: &Path) -> (Value, Value) {
    let status = json(d, T0, &["status", "--json"]);
    let next = json(d, T0, &["next", "--json"]);
    (status, next)
}

#[test]
fn bad_input_gives_a_clear_error_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let id = json(d, T0, &["next", "--json"])["card_id"].to_string();
    json(d, T0, &["answer", &id, "hard", "--json"]);
    let before = snapshot(d);

    let err = fails(d, T0, &["answer", "424242", "good"]);
    assert!(err.contains("no card with id 424242"), "{err}");
    let err = fails(d, T0, &["answer", &id, "great"]);
    assert!(
        err.contains("'great' is not a rating") && err.contains("again, hard, good or easy"),
        "{err}"
    );
    let err = fails(d, T0, &["show", "7", "--json"]);
    assert!(err.contains("no card with id 7"), "{err}");
    let err = fails(d, "yesterday", &["status"]);
    assert!(err.contains("RFC 3339"), "{err}");
    assert_eq!(snapshot(d), before);
    assert_eq!(
        json(d, T0, &["show", &id, "--json"])["reviews"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn unreadable_or_newer_databases_are_refused_untouched() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let db = d.join("reprise.sqlite3");
    std::fs::write(&db, "not a database at all").unwrap();
    let err = fails(d, T0, &["status"]);
    assert!(err.contains("is not a Reprise database"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), b"not a database at all");

    std::fs::remove_file(&db).unwrap();
    json(d, T0, &["status", "--json"]);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", reprise::store::SCHEMA_VERSION + 1)
            .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let bytes = std::fs::read(&db).unwrap();
    let err = fails(d, T0, &["status"]);
    assert!(
        err.contains("newer version of Reprise")
            && err.contains(&format!(
                "schema version {}",
                reprise::store::SCHEMA_VERSION + 1
            )),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), bytes);

    let missing = d.join("file-in-the-way");
    std::fs::write(&missing, "").unwrap();
    let err = fails(&missing, T0, &["status"]);
    assert!(err.contains("file-in-the-way"), "{err}");
}

#[test]
fn an_acknowledged_answer_survives_kill_9() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let id = json(d, T0, &["next", "--json"])["card_id"].to_string();
    let mut child = spawn_review(d, T0);
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // Reveal, then rate Good.
    stdin.write_all(b"\n3\n").unwrap();
    stdin.flush().unwrap();
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "review ended early"
        );
        if line.starts_with("Saved:") {
            break;
        }
    }
    // The acknowledgement is printed: kill the process without letting it close anything.
    child.kill().unwrap();
    child.wait().unwrap();
    let shown = json(d, T0, &["show", &id, "--json"]);
    assert_eq!(shown["reps"], 1);
    assert_eq!(shown["state"], "learning");
    assert_eq!(shown["reviews"][0]["rating"], "good");
}

#[test]
fn the_interactive_review_reveals_rates_undoes_and_quits() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let mut child = spawn_review(d, T0);
    // Reveal + Good, reveal + Easy, undo, then quit.
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"\n3\n\n4\nu\nq\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("Saved:").count(), 2, "{text}");
    assert!(text.contains("Undone."), "{text}");
    assert!(
        text.contains("1 Again 1m · 2 Hard 6m · 3 Good 10m"),
        "{text}"
    );
    let status = json(d, T0, &["status", "--json"]);
    assert_eq!(
        status["new"],
        common::builtin_new_today() - 1,
        "one answer kept, one undone"
    );
    assert_eq!(status["learning"], 1);
}

#[test]
fn pack_check_reports_a_valid_pack_and_every_problem_of_a_broken_one() {
    let dir = TempDir::new().unwrap();
    common::write_pack(dir.path(), "test.pack", 3, "");
    let out = Command::new(BIN)
        .args(["pack", "check", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], true);
    assert_eq!(report["terms"], 3);
    assert_eq!(report["lessons"], 0);
    assert_eq!(report["questions"], 0);
    assert_eq!(report["errors"], Value::Array(vec![]));

    std::fs::write(
        dir.path().join("terms/term-01.md"),
        "+++\nid = \"term-01\"\nname = \"X\"\ndefinition = \"A thing.\"\narea = \"nowhere\"\nlevel = \"beginner\"\n+++\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["pack", "check", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success(), "an invalid pack exits non-zero");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["errors"][0]["file"], "terms/term-01.md");
    assert_eq!(report["errors"][0]["line"], 5);
    assert!(report["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("unknown area 'nowhere'"));

    // Without --json the problems go to stderr as file:line lines.
    let out = Command::new(BIN)
        .args(["pack", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("terms/term-01.md:5: unknown area"),
        "{stderr}"
    );
}

#[test]
fn the_built_in_pack_passes_pack_check() {
    let out = Command::new(BIN)
        .args([
            "pack",
            "check",
            "--json",
            concat!(env!("CARGO_MANIFEST_DIR"), "/content"),
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], true, "{report}");
    assert_eq!(report["terms"], common::builtin_cards() / 2);
}

/// A folder of packs is checked together: links between them must resolve, and two packs may
/// not share an id.
#[test]
fn pack_check_of_a_folder_checks_links_between_its_packs_and_their_ids() {
    let dir = TempDir::new().unwrap();
    let [a, b] = [dir.path().join("a"), dir.path().join("b")];
    common::write_pack(&a, "test.a", 2, "");
    common::write_pack(&b, "test.b", 2, "");
    let check = || {
        let out = Command::new(BIN)
            .args(["pack", "check", "--json"])
            .arg(dir.path())
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(out.status.success(), report["valid"] == true, "{report}");
        report
    };
    let report = check();
    assert_eq!(report["valid"], true, "{report}");
    assert_eq!(report["terms"], 4);
    assert_eq!(report["packs"].as_array().unwrap().len(), 2);

    let term = |links: &str| {
        format!(
            "+++\nid = \"term-01\"\nname = \"X\"\ndefinition = \"A thing.\"\narea = \"testing\"\n\
             level = \"beginner\"\nsee_also = [{links}]\n+++\n"
        )
    };
    std::fs::write(a.join("terms/term-01.md"), term("\"test.b/term-00\"")).unwrap();
    assert_eq!(
        check()["valid"],
        true,
        "a link to the other pack's term resolves"
    );
    std::fs::write(a.join("terms/term-01.md"), term("\"test.b/nope\"")).unwrap();
    let report = check();
    assert_eq!(report["valid"], false);
    assert!(report["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("'test.b/nope', but that pack has no term 'nope'"));

    std::fs::write(a.join("terms/term-01.md"), term("")).unwrap();
    common::write_pack(&b, "test.a", 2, "");
    let report = check();
    assert_eq!(report["valid"], false, "two packs with one id: {report}");
    assert!(report["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("two packs have the id 'test.a'"));
}

#[test]
fn a_quiz_card_is_answered_by_choosing_options() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let lesson = common::k8s_pack()
        .lessons
        .into_iter()
        .find(|l| l.id == "kubernetes")
        .unwrap();
    {
        let mut col = reprise::Collection::open(d, common::at(T0)).unwrap();
        let answers: Vec<Vec<u32>> = lesson
            .questions
            .iter()
            .map(|q| q.correct.iter().map(|&i| i as u32).collect())
            .collect();
        col.finish_lesson(
            &reprise::PackId::from("reprise.kubernetes-containers"),
            "kubernetes",
            &answers,
            common::at(T0),
        )
        .unwrap();
    }
    let card = json(d, T0, &["next", "--json"]);
    assert_eq!(card["direction"], "quiz");
    let id = card["card_id"].to_string();
    let text = String::from_utf8(reprise(d, T0, &["next"]).stdout).unwrap();
    assert!(
        text.contains(&format!("  1) {}", lesson.questions[0].options[0])),
        "{text}"
    );

    let err = fails(d, T0, &["answer", &id, "good"]);
    assert!(err.contains("--choose"), "{err}");
    let err = fails(d, T0, &["answer", &id, "--choose", "0"]);
    assert!(err.contains("numbered from 1"), "{err}");

    let correct = &card["quiz"]["correct"];
    let wrong = (0..)
        .find(|i| !correct.as_array().unwrap().contains(&Value::from(*i)))
        .unwrap();
    let out = json(
        d,
        T0,
        &[
            "answer",
            &id,
            "easy",
            "--choose",
            &(wrong + 1).to_string(),
            "--json",
        ],
    );
    assert_eq!(out["rating"], "again", "a wrong choice is rated again");
}

#[test]
fn import_prints_what_was_added_and_skipped() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terms_semicolon.csv");
    let fixture = fixture.to_str().unwrap();
    let report = json(d, T0, &["import", fixture, "--json"]);
    assert_eq!(report["added"], 56);
    assert_eq!(report["skipped"][0]["entry"], "line 58");
    let text = String::from_utf8(reprise(d, T0, &["import", fixture]).stdout).unwrap();
    assert!(text.contains("0 added, 0 updated, 56 unchanged"), "{text}");
    assert!(
        text.contains("skipped line 58: 'empty definition' has no definition"),
        "{text}"
    );

    let err = fails(d, T0, &["import", "/nonexistent/terms.zip"]);
    assert!(err.contains("/nonexistent/terms.zip"), "{err}");
}

#[test]
fn backup_backups_and_restore_from_the_command_line() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let card = json(d, T0, &["next", "--json"]);
    let id = card["card_id"].to_string();
    let made = json(d, T0, &["backup", "--json"]);
    let path = made["path"].as_str().unwrap().to_owned();
    let listed = json(d, T0, &["backups", "--json"]);
    assert_eq!(listed[0]["path"], path.as_str());

    json(d, T0, &["answer", &id, "good", "--json"]);
    let out = reprise(d, T1, &["restore", &path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("before-restore"), "{text}");
    let shown = json(d, T1, &["show", &id, "--json"]);
    assert_eq!(
        shown["reviews"].as_array().unwrap().len(),
        0,
        "the answer after the backup is gone"
    );

    let err = fails(d, T1, &["restore", "/nonexistent/backup.sqlite3"]);
    assert!(err.contains("backup.sqlite3"), "{err}");
}

#[test]
fn packs_are_listed_and_exported() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let packs = json(d, T0, &["packs", "--json"]);
    let listed: Vec<&str> = packs
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, reprise::content::source::builtin_ids());
    let k8s = packs
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "reprise.kubernetes-containers")
        .unwrap();
    assert!(k8s["cards"].as_u64().unwrap() > 120);
    let zip = d.join("k8s.zip");
    let out = json(
        d,
        T0,
        &[
            "export",
            "pack",
            "reprise.kubernetes-containers",
            zip.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(out["items"].as_u64().unwrap() > 60);
    let check = json(d, T0, &["pack", "check", zip.to_str().unwrap(), "--json"]);
    assert_eq!(
        check["valid"], true,
        "the exported zip is a valid pack: {check}"
    );
    assert_eq!(check["lessons"], common::k8s_pack().lessons.len());
    let csv = d.join("revlog.csv");
    let out = json(
        d,
        T0,
        &["export", "revlog", csv.to_str().unwrap(), "--json"],
    );
    assert_eq!(out["items"], 0);
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap().trim(),
        "card_id,review_time,review_rating,review_state,review_duration"
    );
}

#[test]
fn config_get_and_set_read_and_change_settings_with_clear_errors() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let all = json(d, T0, &["config", "get", "--json"]);
    assert_eq!(all["desired_retention"], 0.9);
    assert_eq!(all["leech_threshold"], 8);
    assert_eq!(all["leech_action"], "tag");

    let out = reprise(
        d,
        T0,
        &["config", "set", "learning_steps_minutes", "1m 10m 1h"],
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "learning_steps_minutes = [1,10,60]\n"
    );
    let out = reprise(d, T0, &["config", "set", "fuzz", "off"]);
    assert!(out.status.success());
    let out = reprise(d, T0, &["config", "get", "fuzz"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "fuzz = false\n");

    let before = json(d, T0, &["config", "get", "--json"]);
    let err = fails(d, T0, &["config", "set", "desired_retention", "0.5"]);
    assert!(err.contains("0.70 to 0.99"), "{err}");
    let err = fails(d, T0, &["config", "set", "retention", "0.9"]);
    assert!(err.contains("no setting 'retention'"), "{err}");
    let err = fails(d, T0, &["config", "set", "leech_action", "delete"]);
    assert!(err.contains("leech_action cannot be 'delete'"), "{err}");
    assert_eq!(json(d, T0, &["config", "get", "--json"]), before);
}

#[test]
fn cards_are_suspended_and_undone_and_optimize_explains_missing_history() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let id = json(d, T0, &["next", "--json"])["card_id"].to_string();
    let out = reprise(d, T0, &["card", "suspend", &id]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("suspend: 1 of 1 card changed"));
    assert_ne!(json(d, T0, &["next", "--json"])["card_id"].to_string(), id);
    let out = reprise(d, T0, &["undo"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Undid suspend of 1 card.\n"
    );
    assert_eq!(json(d, T0, &["next", "--json"])["card_id"].to_string(), id);

    let err = fails(d, T0, &["optimize"]);
    assert!(
        err.contains("not enough review history to optimize: 0 reviews"),
        "{err}"
    );
    let backlog = json(d, T0, &["backlog", "--json"]);
    assert_eq!(backlog["overdue"], 0);
    let err = fails(d, T0, &["backlog", "--spread", "3"]);
    assert!(err.contains("no backlog to spread"), "{err}");
}

#[test]
fn simulate_prints_the_workload_for_each_retention() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let workload = json(d, T0, &["simulate", "--json"]);
    let points = workload["points"].as_array().unwrap();
    assert_eq!(points.len(), 16);
    assert_eq!(
        points[0]["desired_retention"].as_f64().unwrap() as f32,
        0.70
    );
    let reviews: Vec<f64> = points
        .iter()
        .map(|p| p["reviews_per_day"].as_f64().unwrap())
        .collect();
    // Asking for more retention costs more reviews.
    assert!(
        reviews[15] > reviews[10] && reviews[10] > reviews[0],
        "{reviews:?}"
    );
    assert!(points
        .iter()
        .all(|p| p["memorized"].as_f64().unwrap() > 0.0));
}

#[test]
fn stats_and_browse_from_the_command_line() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let id = json(d, T0, &["next", "--json"])["card_id"].to_string();
    json(d, T0, &["answer", &id, "easy", "--json"]);
    let stats = json(d, T0, &["stats", "--json"]);
    for key in [
        "today",
        "desired_retention",
        "heatmap",
        "forecast",
        "retention",
        "counts",
        "packs",
        "areas",
        "stability",
        "difficulty",
        "retrievability",
        "average_retrievability",
        "buttons",
    ] {
        assert!(stats.get(key).is_some(), "stats --json has {key}");
    }
    assert_eq!(stats["today"], "2026-03-10");
    assert_eq!(stats["heatmap"]["total_reviews"], 1);
    assert_eq!(stats["heatmap"]["streak"], 1);
    assert_eq!(stats["counts"]["review"], 1);

    let found = json(d, T0, &["browse", "kubelet", "--json"]);
    assert!(found["total"].as_u64().unwrap() >= 2);
    assert!(found["rows"][0]["prompt"].is_string());
    let out = reprise(d, T0, &["card", "tag", "revisit", &id]);
    assert!(out.status.success());
    let tagged = json(d, T0, &["browse", "--tag", "revisit", "--json"]);
    // A tag is on the note: the term's two cards.
    assert_eq!(tagged["total"], 2);
    let out = reprise(d, T0, &["card", "untag", "revisit", &id]);
    assert!(out.status.success());
    assert_eq!(
        json(d, T0, &["browse", "--tag", "revisit", "--json"])["total"],
        0
    );
    reprise(d, T0, &["undo"]);
    assert_eq!(
        json(d, T0, &["browse", "--tag", "revisit", "--json"])["total"],
        2
    );
    let err = fails(d, T0, &["browse", "--state", "forgotten"]);
    assert!(err.contains("forgotten"), "{err}");
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    use std::io::Read;

    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let args = ["browse", "--json", "--limit", "1000"];
    // More than a pipe holds (64 KiB on Linux), so the writer is still writing when the
    // reader goes away.
    let full = reprise(d, T0, &args);
    assert!(full.status.success());
    assert!(full.stdout.len() > 64 * 1024, "{} bytes", full.stdout.len());

    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(d)
        .args(["--now", T0])
        .args(args)
        .env_remove("REPRISE_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("reprise browse starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // as `reprise browse --json | head -c 16` does
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
}

#[test]
fn reprise_now_in_the_environment_sets_the_clock_and_the_flag_wins() {
    let dir = TempDir::new().unwrap();
    let run = |env_now: &str, args: &[&str]| -> Value {
        let out = Command::new(BIN)
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .env_remove("REPRISE_DATA_DIR")
            .env("REPRISE_NOW", env_now)
            .output()
            .expect("reprise runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON output")
    };
    let card = run(T0, &["next", "--json"]);
    let id = card["card_id"].as_i64().unwrap().to_string();
    run(T0, &["answer", &id, "good", "--json"]);
    let shown = run(T0, &["show", &id, "--json"]);
    assert_eq!(
        shown["reviews"][0]["reviewed_at"],
        "2026-03-10T09:00:00+01:00"
    );
    assert_eq!(shown["due"], "2026-03-10T09:10:00+01:00");
    // `--now` overrides the environment: at T1 the 10-minute step is due again.
    let status = run("2030-01-01T00:00:00Z", &["--now", T1, "status", "--json"]);
    assert_eq!(status["learning"], 1);

    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["status"])
        .env("REPRISE_NOW", "next tuesday")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("RFC 3339"));
}
