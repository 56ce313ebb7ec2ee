//! Hostile packs and file names through the `reprise` CLI: nothing a pack or a file name holds
//! reaches the terminal as a control character (escape sequences, NUL, C1, bidi controls),
//! while the visible text is still printed, and `--json` keeps the text exact.

mod common;

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_reprise");
const T0: &str = "2026-03-10T09:00:00+01:00";

/// A file name that retitles the terminal window when printed raw.
const EVIL_NAME: &str = "evil\x1b]0;pwned\x07";

/// The fields of the hostile CSV: (term, definition).
const ROWS: [(&str, &str); 3] = [
    (
        "alpha\x1b[2J\x1b[1;1Hbeta",
        "gamma \x1b]52;c;ZXZpbA==\x07 delta \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ epsilon",
    ),
    ("zeta\0eta\x7f\x08", "theta\u{9b}31m iota\u{85} kappa"),
    (
        "lambda \u{202e}mu\u{202c} \u{2066}nu\u{2069} \u{200f}xi\u{061c}",
        "omicron\r\npi\tfake row\nrho\u{2028}sigma",
    ),
];

/// `reprise --data-dir DIR --now T0 ARGS…`, its output piped.
fn reprise(dir: &Path, args: &[&OsStr]) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", T0])
        .args(args);
    command.env_remove("REPRISE_DATA_DIR");
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

fn run(dir: &Path, args: &[&OsStr]) -> Output {
    reprise(dir, args).output().expect("reprise runs")
}

fn os<'a>(args: &[&'a str]) -> Vec<&'a OsStr> {
    args.iter().map(|a| OsStr::new(*a)).collect()
}

/// Whether `c` must never reach a terminal raw.
fn hostile(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `bytes` is UTF-8 with no ESC, no NUL, no other C0 control than `\n`, no DEL, no C1 and no
/// bidi control; returns it as text.
fn terminal_safe(what: &str, bytes: &[u8]) -> String {
    assert!(!bytes.contains(&0x1b), "{what}: ESC in {bytes:?}");
    assert!(!bytes.contains(&0), "{what}: NUL in {bytes:?}");
    let text = String::from_utf8(bytes.to_vec()).unwrap_or_else(|e| panic!("{what}: {e}"));
    let bad: Vec<char> = text.chars().filter(|&c| hostile(c)).collect();
    assert!(bad.is_empty(), "{what}: {bad:?} in {text}");
    text
}

/// Runs a command that succeeds; its stdout and stderr are both terminal-safe.
fn safe_ok(dir: &Path, args: &[&OsStr]) -> String {
    let out = run(dir, args);
    let err = terminal_safe(&format!("{args:?} stderr"), &out.stderr);
    assert!(out.status.success(), "{args:?}: {err}");
    terminal_safe(&format!("{args:?} stdout"), &out.stdout)
}

/// Runs a command that fails; its stderr is terminal-safe and returned.
fn safe_err(dir: &Path, args: &[&OsStr]) -> String {
    let out = run(dir, args);
    assert!(!out.status.success(), "{args:?} should fail");
    terminal_safe(&format!("{args:?} stdout"), &out.stdout);
    terminal_safe(&format!("{args:?} stderr"), &out.stderr)
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let out = run(dir, &os(args));
    assert!(out.status.success(), "{args:?}");
    // Exact, and printable: serde escapes C0, the CLI escapes DEL, C1 and bidi controls.
    terminal_safe(&format!("{args:?} --json"), &out.stdout);
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// A data directory holding the hostile CSV (named [`EVIL_NAME`]), imported, and that CSV's
/// path; the built-in pack is disabled, so the hostile cards come first.
fn hostile_collection() -> (TempDir, PathBuf, String) {
    let dir = TempDir::new().unwrap();
    let csv = dir.path().join(format!("{EVIL_NAME}.csv"));
    let mut text = String::from("term,definition\n");
    for (term, definition) in ROWS {
        text += &format!("\"{term}\",\"{definition}\"\n");
    }
    text += "\"tau\x1b[5m blink\",\"\"\n"; // skipped: no definition
    std::fs::write(&csv, text).unwrap();
    let data = dir.path().join("data");
    let report = json(&data, &["import", csv.to_str().unwrap(), "--json"]);
    assert_eq!(report["added"], 3, "{report}");
    let pack = report["pack"].as_str().unwrap().to_owned();
    for builtin in reprise::content::source::builtin_ids() {
        safe_ok(&data, &os(&["pack", "disable", builtin]));
    }
    (dir, csv, pack)
}

#[test]
fn import_reports_and_lists_hostile_names_without_their_controls() {
    let (dir, csv, _) = hostile_collection();
    let data = dir.path().join("data");
    let report = safe_ok(&data, &[OsStr::new("import"), csv.as_os_str()]);
    assert!(
        report.contains("Imported evil␛]0;pwned␇ ("),
        "the name is still legible: {report}"
    );
    assert!(
        report.contains("0 added, 0 updated, 3 unchanged"),
        "{report}"
    );
    assert!(
        report.contains("'tau␛[5m blink' has no definition"),
        "{report}"
    );

    let packs = safe_ok(&data, &os(&["packs"]));
    assert!(packs.contains("evil␛]0;pwned␇"), "{packs}");
    safe_ok(&data, &os(&["stats"]));
}

#[test]
fn browse_search_show_and_next_print_the_text_without_its_controls() {
    let (dir, _, pack) = hostile_collection();
    let data = dir.path().join("data");
    let listed = safe_ok(&data, &os(&["browse", "--pack", &pack]));
    // Six cards (two a term) and the count: a line break in a field cannot add a row.
    assert_eq!(listed.lines().count(), 7, "{listed}");
    for shown in [
        "alpha␛[2J␛[1;1Hbeta",
        "zeta␀eta␡␈",
        "lambda �mu� �nu� �xi�",
        "omicron⏎pi fake row⏎rho�sigma",
    ] {
        assert!(listed.contains(shown), "{shown} in {listed}");
    }

    let found = safe_ok(&data, &os(&["search", "omicron"]));
    assert!(found.contains("lambda �mu�"), "{found}");
    assert_eq!(found.lines().count(), 1, "{found}");
    let nothing = safe_ok(&data, &os(&["search", "zzz\x1b[31mnothing\u{202e}"]));
    assert!(nothing.contains("'zzz␛[31mnothing�'"), "{nothing}");

    let rows = json(&data, &["browse", "--pack", &pack, "--json"])["rows"].clone();
    for row in rows.as_array().unwrap() {
        let id = row["card_id"].to_string();
        let shown = safe_ok(&data, &os(&["show", &id]));
        assert!(shown.contains("reps 0"), "{shown}");
    }
    let next = safe_ok(&data, &os(&["next"]));
    assert!(
        next.contains("Prompt: ") && next.contains("Answer: "),
        "{next}"
    );
}

#[test]
fn json_keeps_every_field_exact() {
    let (dir, _, pack) = hostile_collection();
    let data = dir.path().join("data");
    let browsed = json(&data, &["browse", "--pack", &pack, "--json"]);
    let rows = browsed["rows"].as_array().unwrap();
    for (term, definition) in ROWS {
        let forward = rows
            .iter()
            .find(|r| r["prompt"] == term)
            .unwrap_or_else(|| panic!("{term:?} round-trips in {browsed}"));
        assert_eq!(forward["answer"], definition);
        let shown = json(&data, &["show", &forward["card_id"].to_string(), "--json"]);
        assert_eq!(shown["prompt"], term);
        assert_eq!(shown["answer"], definition);
    }
    let hits = json(&data, &["search", "alpha", "--json"]);
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .any(|h| h["title"] == ROWS[0].0),
        "{hits}"
    );
    let packs = json(&data, &["packs", "--json"]);
    assert!(
        packs
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == EVIL_NAME),
        "{packs}"
    );
}

#[test]
fn the_terminal_review_shows_hostile_cards_safely() {
    let (dir, _, _) = hostile_collection();
    let data = dir.path().join("data");
    let mut child = reprise(&data, &os(&["review"]))
        .stdin(Stdio::piped())
        .spawn()
        .expect("reprise review starts");
    // Reveal and rate each of the six cards Good, then quit.
    child
        .stdin
        .take()
        .unwrap()
        .write_all("\n3\n".repeat(6).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    terminal_safe("review stderr", &out.stderr);
    let text = terminal_safe("review stdout", &out.stdout);
    assert_eq!(text.matches("Saved:").count(), 6, "{text}");
    assert!(text.contains("alpha␛[2J␛[1;1Hbeta"), "{text}");
    assert!(text.contains("omicron⏎pi fake row⏎rho�sigma"), "{text}");
}

#[test]
fn error_messages_do_not_echo_controls_from_file_names_or_packs() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("data");
    let missing = dir.path().join(format!("{EVIL_NAME}.csv"));
    let err = safe_err(&data, &[OsStr::new("import"), missing.as_os_str()]);
    assert!(err.contains("evil␛]0;pwned␇.csv"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    // A usage error quotes what was typed (clap drops escape sequences and C0 controls from it).
    let err = safe_err(
        &data,
        &os(&["browse", "--state", "\x1b[31mred\u{202e}\x07"]),
    );
    assert!(err.contains("red�' for '--state"), "{err}");

    // A valid pack in a hostile folder, then the same pack broken by hostile content.
    let pack = dir.path().join(EVIL_NAME);
    common::write_pack(&pack, "test.pack", 2, " \\u001b[2J\\u0000\\u009b\\u202e");
    let checked = safe_ok(
        &data,
        &[OsStr::new("pack"), OsStr::new("check"), pack.as_os_str()],
    );
    assert!(
        checked.contains("evil␛]0;pwned␇: valid pack test.pack"),
        "{checked}"
    );
    safe_ok(&data, &[OsStr::new("import"), pack.as_os_str()]);
    let shown = safe_ok(&data, &os(&["browse", "--pack", "test.pack"]));
    assert!(shown.contains("Definition number 0 ␛[2J␀��."), "{shown}");

    std::fs::write(
        pack.join(format!("terms/{EVIL_NAME}.md")),
        "+++\nid = \"evil\"\nname = \"X\"\ndefinition = \"A thing.\"\n\
         area = \"nowhere\\u001b[2J\\n  fake.md:1: problem\"\nlevel = \"beginner\"\n+++\n",
    )
    .unwrap();
    let check = [OsStr::new("pack"), OsStr::new("check"), pack.as_os_str()];
    let problems = safe_err(&data, &check);
    assert!(problems.contains("terms/evil␛]0;pwned␇.md:"), "{problems}");
    assert!(
        problems.contains("nowhere␛[2J⏎  fake.md:1: problem"),
        "{problems}"
    );
    assert!(
        !problems.lines().any(|l| l.starts_with("  fake.md")),
        "{problems}"
    );
    let err = safe_err(&data, &[OsStr::new("import"), pack.as_os_str()]);
    assert!(err.starts_with("error: the pack is invalid"), "{err}");
    assert!(err.contains("nowhere␛[2J⏎  fake.md:1: problem"), "{err}");
    let check_json = run(
        &data,
        &[
            OsStr::new("pack"),
            OsStr::new("check"),
            OsStr::new("--json"),
            pack.as_os_str(),
        ],
    );
    let report: Value = serde_json::from_slice(&check_json.stdout).unwrap();
    let messages = report["errors"].to_string();
    assert!(
        messages.contains(r"nowhere\u001b[2J\n  fake.md"),
        "{messages}"
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_human_readable_output_quietly() {
    use std::io::Read;

    let dir = TempDir::new().unwrap();
    let csv = dir.path().join("many.csv");
    let rows: String = (0..600)
        .map(|i| format!("\"term {i}\x1b[2J\",\"definition {i}\u{202e}\"\n"))
        .collect();
    std::fs::write(&csv, format!("term,definition\n{rows}")).unwrap();
    let data = dir.path().join("data");
    json(&data, &["import", csv.to_str().unwrap(), "--json"]);
    let args = os(&["browse", "--limit", "1000"]);
    // More than a pipe holds (64 KiB on Linux), so the writer is still writing when the reader
    // goes away.
    assert!(safe_ok(&data, &args).len() > 64 * 1024);

    let mut child = reprise(&data, &args)
        .spawn()
        .expect("reprise browse starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // as `reprise browse | head -c 16` does
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{stderr}");
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
}
