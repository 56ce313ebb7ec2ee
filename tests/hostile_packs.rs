//! Hostile packs and tables, imported into a collection that already holds reviews: each is
//! refused with a message naming the file, the entry and the limit, quickly and without
//! reading what it should not, and the collection is left exactly as it was.

mod common;

use std::path::Path;

use common::{at, fingerprint, write_pack};
use reprise::{Collection, Rating};
use tempfile::TempDir;

const NOW: &str = "2026-03-10T09:00:00+01:00";

/// A collection with one answer in its history, and what it holds.
fn studied(dir: &Path) -> (Collection, Vec<i64>) {
    let mut col = Collection::open(&dir.join("data"), at(NOW)).unwrap();
    let card = col.next_card(at(NOW)).unwrap().unwrap();
    col.answer(card.card_id, Rating::Good, at(NOW), 3_000)
        .unwrap();
    let before = fingerprint(&col);
    (col, before)
}

/// Imports `path`, expecting a refusal that says each of `expected`; the collection must not
/// have changed.
fn refused(col: &mut Collection, before: &[i64], path: &Path, expected: &[&str]) -> String {
    let err = col.import(path, at(NOW)).unwrap_err().to_string();
    for part in expected {
        assert!(err.contains(part), "{part:?} not in: {err}");
    }
    assert_eq!(fingerprint(col), before, "a refused import changed nothing");
    err
}

#[cfg(unix)]
#[test]
fn a_table_that_links_to_an_endless_device_is_refused_without_reading_it() {
    let dir = TempDir::new().unwrap();
    let (mut col, before) = studied(dir.path());
    let link = dir.path().join("terms.csv");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    refused(
        &mut col,
        &before,
        &link,
        &["terms.csv", "symbolic link (to /dev/zero)", "regular files"],
    );
    refused(
        &mut col,
        &before,
        Path::new("/dev/zero"),
        &["device, pipe or socket"],
    );
    // Previewing a table reads it the same way.
    let err = reprise::import::preview_table(&link)
        .unwrap_err()
        .to_string();
    assert!(err.contains("symbolic link"), "{err}");
}

#[test]
fn a_table_past_the_size_cap_is_refused_having_read_no_more_than_the_cap() {
    let dir = TempDir::new().unwrap();
    let (mut col, before) = studied(dir.path());
    let big = dir.path().join("big.csv");
    // Sparse: its size says 65 MiB without writing them.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    refused(
        &mut col,
        &before,
        &big,
        &["big.csv", "larger than 64 MiB", "split it"],
    );
}

#[cfg(unix)]
#[test]
fn links_and_devices_inside_a_pack_folder_are_never_followed() {
    let dir = TempDir::new().unwrap();
    let (mut col, before) = studied(dir.path());
    let pack = dir.path().join("pack");
    write_pack(&pack, "links.pack", 2, "");
    std::fs::create_dir_all(pack.join("media")).unwrap();
    // Were it followed, this would read forever.
    std::os::unix::fs::symlink("/dev/zero", pack.join("media/endless.png")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", pack.join("terms/term-99.md")).unwrap();
    let report = col.import(&pack, at(NOW)).unwrap();
    assert_eq!(report.added, 2, "only the pack's own two terms");
    assert_eq!(
        col.store()
            .conn()
            .query_row(
                "SELECT count(*) FROM media WHERE pack_id = 'links.pack'",
                [],
                |r| r.get::<_, i64>(0)
            )
            .unwrap(),
        0
    );
    assert_ne!(fingerprint(&col), before);
    // A link as the pack folder itself is refused.
    let linked = dir.path().join("linked-pack");
    std::os::unix::fs::symlink(&pack, &linked).unwrap();
    let err = col.import(&linked, at(NOW)).unwrap_err().to_string();
    assert!(err.contains("symbolic link"), "{err}");
}

#[test]
fn a_pack_folder_too_deep_or_too_large_is_refused() {
    let dir = TempDir::new().unwrap();
    let (mut col, before) = studied(dir.path());
    let deep = dir.path().join("deep");
    write_pack(&deep, "deep.pack", 1, "");
    let mut nested = deep.join("media");
    for i in 0..20 {
        nested = nested.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&nested).unwrap();
    refused(
        &mut col,
        &before,
        &deep,
        &["deep", "nest deeper than 16 levels"],
    );

    let large = dir.path().join("large");
    write_pack(&large, "large.pack", 1, "");
    std::fs::create_dir_all(large.join("media")).unwrap();
    std::fs::File::create(large.join("media/huge.png"))
        .unwrap()
        .set_len(129 << 20)
        .unwrap();
    refused(
        &mut col,
        &before,
        &large,
        &["media/huge.png", "larger than 128 MiB in all"],
    );
}

/// Writes term `term-00` of a valid one-term pack in `dir` with `body` as its explanation.
fn pack_with_explanation(dir: &Path, id: &str, body: &str) {
    write_pack(dir, id, 1, "");
    std::fs::write(
        dir.join("terms/term-00.md"),
        format!(
            "+++\nid = \"term-00\"\nname = \"Term 0\"\ndefinition = \"A term.\"\n\
             area = \"testing\"\nlevel = \"beginner\"\n+++\n\n{body}\n"
        ),
    )
    .unwrap();
}

#[test]
fn a_term_of_megabytes_is_refused_by_name_and_limit() {
    let dir = TempDir::new().unwrap();
    let (mut col, before) = studied(dir.path());
    let pack = dir.path().join("huge-term");
    pack_with_explanation(&pack, "huge.pack", &"word ".repeat(300_000));
    refused(
        &mut col,
        &before,
        &pack,
        &["terms/term-00.md", "larger than 1024 KiB", "split it"],
    );
}

#[test]
fn deeply_nested_lists_quotes_and_html_are_refused_before_anything_renders_them() {
    let dir = TempDir::new().unwrap();
    let (mut col, before) = studied(dir.path());
    let bodies = [
        (0..500)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>(),
        format!("{} quoted\n", "> ".repeat(20_000)),
        format!("{}x", "<div>".repeat(50_000)),
    ];
    for (i, body) in bodies.iter().enumerate() {
        let pack = dir.path().join(format!("nested-{i}"));
        pack_with_explanation(&pack, "nested.pack", body);
        refused(
            &mut col,
            &before,
            &pack,
            &["terms/term-00.md", "nest more than 64 levels deep"],
        );
    }
}

#[test]
fn html_that_loads_remote_resources_or_runs_script_is_refused_in_pack_markdown() {
    let dir = TempDir::new().unwrap();
    let (mut col, before) = studied(dir.path());
    for (i, html) in [
        "<img src=\"https://tracker.example/pixel.gif\">",
        "<img src = 'http://tracker.example/p.gif'>",
        "<img srcset=\"https://x.example/a.png 2x\">",
        "<span style=\"background: url(https://x.example/a.png)\">x</span>",
        "<b onmouseover=\"alert(1)\">x</b>",
        "<script>alert(1)</script>",
    ]
    .iter()
    .enumerate()
    {
        let pack = dir.path().join(format!("remote-{i}"));
        pack_with_explanation(&pack, "remote.pack", &format!("Text {html} more."));
        refused(
            &mut col,
            &before,
            &pack,
            &["terms/term-00.md", "HTML in a pack may only lay out text"],
        );
    }
    // Layout-only HTML is fine.
    let pack = dir.path().join("plain-html");
    pack_with_explanation(&pack, "plain.pack", "Text <b>bold</b> and <sub>2</sub>.");
    col.import(&pack, at(NOW)).unwrap();
}

#[test]
fn markdown_flash_notes_with_active_html_are_refused_by_field() {
    let dir = TempDir::new().unwrap();
    let (mut col, before) = studied(dir.path());
    let cases = [
        (
            "front",
            "{{c1::x}} <script>alert(1)</script>",
            "`front` holds a script",
        ),
        (
            "back",
            "<img src=x onerror=alert(1)>",
            "`back` holds an on… event handler",
        ),
        (
            "back",
            "<iframe src='https://evil.example'></iframe>",
            "`back` holds an embedded page",
        ),
    ];
    for (i, (field, text, expected)) in cases.iter().enumerate() {
        let pack = dir.path().join(format!("md-{i}"));
        write_pack(&pack, "md.pack", 1, "");
        std::fs::create_dir_all(pack.join("flash")).unwrap();
        let (front, back) = if *field == "front" {
            (*text, "b")
        } else {
            ("{{c1::x}}", *text)
        };
        let toml = format!(
            "key = \"a\"\nkind = \"cloze\"\nformat = \"markdown\"\ncards = [\"c1\"]\n\
             front = {front:?}\nback = {back:?}\n"
        );
        std::fs::write(pack.join("flash/a.toml"), toml).unwrap();
        refused(&mut col, &before, &pack, &["flash/a.toml", expected]);
    }
}

#[test]
fn flash_notes_with_deep_clozes_or_deep_html_are_refused() {
    let dir = TempDir::new().unwrap();
    let (mut col, before) = studied(dir.path());
    let cases = [
        (
            format!("{}x{}", "{{c1::".repeat(50_000), "}}".repeat(50_000)),
            "clozes in `front` nest 50000 levels deep; at most 8",
        ),
        (
            format!("{{{{c1::x}}}}{}", "<span>".repeat(20_000)),
            "its HTML nests more than 64 levels deep",
        ),
    ];
    for (i, (front, expected)) in cases.iter().enumerate() {
        let pack = dir.path().join(format!("flash-{i}"));
        write_pack(&pack, "flash.pack", 1, "");
        std::fs::create_dir_all(pack.join("flash")).unwrap();
        std::fs::write(
            pack.join("flash/a.toml"),
            format!("key = \"a\"\nkind = \"cloze\"\ncards = [\"c1\"]\nfront = '''{front}'''\n"),
        )
        .unwrap();
        refused(&mut col, &before, &pack, &["flash/a.toml", expected]);
    }
}

#[test]
fn a_code_fence_in_the_front_matter_does_not_hide_a_deep_body() {
    let dir = TempDir::new().unwrap();
    let (mut col, before) = studied(dir.path());
    let pack = dir.path().join("fenced");
    write_pack(&pack, "fenced.pack", 1, "");
    let body: String = (0..500)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    std::fs::write(
        pack.join("terms/term-00.md"),
        format!(
            "+++\nid = \"term-00\"\nname = \"Term 0\"\ndefinition = \"\"\"A term.\n```\n\"\"\"\n\
             area = \"testing\"\nlevel = \"beginner\"\n+++\n\n{body}"
        ),
    )
    .unwrap();
    refused(
        &mut col,
        &before,
        &pack,
        &["terms/term-00.md", "nest more than 64 levels deep"],
    );
}
