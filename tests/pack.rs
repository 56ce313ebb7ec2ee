//! The pack loader: the built-in pack is valid, and each kind of broken pack is rejected with
//! the file and line of the problem.

mod common;

use std::path::Path;

use reprise::content::{DirSource, Pack};
use reprise::Error;
use tempfile::TempDir;

fn problems(dir: &Path) -> Vec<String> {
    match Pack::load(&DirSource::new(dir)) {
        Err(Error::Content { problems }) => problems.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("expected content problems, got {other}"),
        Ok(_) => panic!("the broken pack was accepted"),
    }
}

fn broken(edit: impl FnOnce(&Path)) -> Vec<String> {
    let dir = TempDir::new().unwrap();
    common::write_pack(dir.path(), "test.pack", 3, "");
    edit(dir.path());
    problems(dir.path())
}

fn set_term(dir: &Path, id: &str, text: &str) {
    std::fs::write(dir.join(format!("terms/{id}.md")), text).unwrap();
}

#[test]
fn the_built_in_pack_is_valid_and_has_the_seed_terms() {
    let pack = Pack::builtin().unwrap();
    let names: Vec<_> = pack.terms.iter().map(|t| t.name.as_str()).collect();
    for seed in ["Kubernetes", "Docker", "Microservices", "Service Discovery"] {
        assert!(names.contains(&seed), "{seed} missing from {names:?}");
    }
    let k8s = pack.terms.iter().find(|t| t.id == "kubernetes").unwrap();
    assert_eq!(k8s.aliases, ["K8s"]);
    // The same files on disk load to the same pack.
    let on_disk = Pack::load(&DirSource::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content"
    )))
    .unwrap();
    assert_eq!(on_disk, pack);
}

#[test]
fn a_valid_pack_loads_in_learning_order() {
    let dir = TempDir::new().unwrap();
    common::write_pack(dir.path(), "test.pack", 3, "");
    let pack = Pack::load(&DirSource::new(dir.path())).unwrap();
    assert_eq!(pack.manifest.id, "test.pack");
    let ids: Vec<_> = pack.terms.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["term-00", "term-01", "term-02"]);
    assert_eq!(pack.terms[1].explanation, "Explanation 1.");
}

#[test]
fn a_missing_field_is_reported_with_file_and_line() {
    let p = broken(|d| {
        set_term(d, "term-01", "+++\nid = \"term-01\"\nname = \"X\"\narea = \"testing\"\nlevel = \"beginner\"\n+++\nBody\n")
    });
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("terms/term-01.md:"), "{p:?}");
    assert!(p[0].contains("definition"), "{p:?}");
}

#[test]
fn a_toml_syntax_error_points_at_its_line() {
    let p = broken(|d| {
        set_term(d, "term-01", "+++\nid = \"term-01\"\nname = \"X\"\ndefinition = \"unterminated\narea = \"testing\"\n+++\n")
    });
    assert!(p[0].starts_with("terms/term-01.md:4:"), "{p:?}");
}

#[test]
fn unknown_references_name_the_line_and_the_fix() {
    let p = broken(|d| {
        set_term(
            d,
            "term-01",
            "+++\nid = \"term-01\"\nname = \"X\"\ndefinition = \"A thing.\"\narea = \"nowhere\"\n\
             level = \"beginner\"\nsee_also = [\"term-99\"]\n+++\n",
        )
    });
    assert_eq!(
        p,
        [
            "terms/term-01.md:5: unknown area 'nowhere'; add areas/nowhere.md or use an existing area id",
            "terms/term-01.md:7: unknown term 'term-99' in see_also; add terms/term-99.md or fix the id",
        ]
    );
}

#[test]
fn duplicate_ids_and_mismatched_file_names_are_reported() {
    let p = broken(|d| {
        let text = std::fs::read_to_string(d.join("terms/term-01.md")).unwrap();
        set_term(d, "term-copy", &text);
    });
    assert!(
        p.iter().any(
            |m| m.starts_with("terms/term-copy.md:2: duplicate term id 'term-01'")
                || m.starts_with("terms/term-01.md:2: duplicate term id 'term-01'")
        ),
        "{p:?}"
    );
    assert!(
        p.iter().any(|m| m.contains("does not match the file name")),
        "{p:?}"
    );
}

#[test]
fn bad_manifest_values_bad_levels_and_stray_files_are_reported() {
    let p = broken(|d| {
        let manifest = std::fs::read_to_string(d.join("pack.toml")).unwrap();
        std::fs::write(
            d.join("pack.toml"),
            manifest
                .replace("format = 1", "format = 7")
                .replace("id = \"test.pack\"", "id = \"Bad Id\""),
        )
        .unwrap();
        set_term(
            d,
            "term-02",
            "+++\nid = \"term-02\"\nname = \"X\"\ndefinition = \"A thing.\"\narea = \"testing\"\nlevel = \"expert\"\n+++\n",
        );
        std::fs::write(d.join("notes.txt"), "stray").unwrap();
        std::fs::write(
            d.join("terms/term-00.md"),
            [0x2b, 0x2b, 0x2b, 0x0a, 0xff, 0xfe],
        )
        .unwrap();
    });
    let has = |prefix: &str, needle: &str| {
        p.iter()
            .any(|m| m.starts_with(prefix) && m.contains(needle))
    };
    assert!(has("pack.toml:1:", "format 7 is not supported"), "{p:?}");
    assert!(has("pack.toml:2:", "pack id 'Bad Id'"), "{p:?}");
    assert!(has("terms/term-02.md:6:", "expert"), "{p:?}");
    assert!(has("notes.txt:1:", "unexpected file"), "{p:?}");
    assert!(has("terms/term-00.md:2:", "not valid UTF-8"), "{p:?}");
}

#[test]
fn a_pack_without_manifest_or_front_matter_is_rejected() {
    let p = broken(|d| {
        std::fs::remove_file(d.join("pack.toml")).unwrap();
        set_term(d, "term-01", "no front matter here\n");
    });
    assert!(
        p.iter()
            .any(|m| m.starts_with("pack.toml:1:") && m.contains("no pack.toml")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|m| m.starts_with("terms/term-01.md:1:") && m.contains("`+++`")),
        "{p:?}"
    );
}
