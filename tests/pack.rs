//! The pack loader: the built-in pack is valid, and each kind of broken pack is rejected with
//! the file and line of the problem.

mod common;

use std::path::Path;

use reprise::content::{DirSource, Pack, QuestionKind};
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
    let pack = common::k8s_pack();
    let names: Vec<_> = pack.terms.iter().map(|t| t.name.as_str()).collect();
    for seed in ["Kubernetes", "Docker", "Microservices", "Service Discovery"] {
        assert!(names.contains(&seed), "{seed} missing from {names:?}");
    }
    let k8s = pack.terms.iter().find(|t| t.id == "kubernetes").unwrap();
    assert_eq!(k8s.aliases, ["K8s"]);
}

#[test]
fn every_built_in_pack_loads_the_same_from_disk_and_the_curriculum_lists_them_all() {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let builtins = Pack::builtins().unwrap();
    let order = reprise::content::source::curriculum_order();
    let mut folders: Vec<String> = std::fs::read_dir(&content)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("pack.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut listed = order.clone();
    listed.sort();
    assert_eq!(
        listed, folders,
        "content/curriculum.toml lists every pack folder once"
    );
    assert_eq!(builtins.len(), folders.len());
    for (folder, pack) in order.iter().zip(&builtins) {
        // Embedded in the binary in the curriculum's order, the same as on disk.
        let on_disk = Pack::load(&DirSource::new(content.join(folder))).unwrap();
        assert_eq!(&on_disk, pack, "{folder}");
        // The hash worked out at build time is the one loading gives, so an updated pack is
        // installed at the next start and an unchanged one is not read again.
        let source = reprise::content::source::builtins()
            .into_iter()
            .find(|s| &s.folder() == folder)
            .unwrap();
        assert_eq!(Pack::content_hash(&source).unwrap(), pack.content_hash);
        assert!(reprise::content::source::is_builtin(&pack.manifest.id));
    }
    assert!(reprise::content::check_together(&builtins, false).is_empty());
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

/// Sources must be https addresses that read as where they lead; links to other packs must be
/// well formed; nothing may be listed twice (a term page keys its lists by them).
#[test]
fn sources_and_links_to_other_packs_are_checked() {
    let p = broken(|d| {
        set_term(
            d,
            "term-01",
            "+++\nid = \"term-01\"\nname = \"X\"\ndefinition = \"A thing.\"\narea = \"testing\"\n\
             level = \"beginner\"\nsee_also = [\"other.pack/dns\", \"Bad/x\", \"other.pack/dns\"]\n\
             sources = [\"https://example.org/a\", \"http://example.org/b\", \
             \"https://kubernetes.io@evil.example/\", \"https://exa\u{202E}mple.org/\", \
             \"https://example.org/a\"]\n+++\n",
        )
    });
    let has = |needle: &str| p.iter().any(|m| m.contains(needle));
    assert!(
        has("terms/term-01.md:7: 'Bad/x' in see_also is neither a term id nor"),
        "{p:?}"
    );
    assert!(
        has("terms/term-01.md:7: 'other.pack/dns' is listed twice in `see_also`"),
        "{p:?}"
    );
    assert!(
        has("'http://example.org/b' must be a whole https:// address"),
        "{p:?}"
    );
    assert!(
        has("'https://kubernetes.io@evil.example/' must be"),
        "{p:?}"
    );
    assert!(has("'https://exa\u{202E}mple.org/' must be"), "{p:?}");
    assert!(
        has("terms/term-01.md:8: 'https://example.org/a' is listed twice in `sources`"),
        "{p:?}"
    );
    assert_eq!(p.len(), 6, "{p:?}");
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

/// A pack of three terms with one lesson teaching term-00 and term-01, linked both ways.
fn lesson_pack(dir: &Path) {
    common::write_pack(dir, "test.pack", 3, "");
    for id in ["term-00", "term-01"] {
        let path = dir.join(format!("terms/{id}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("level = ", "lessons = [\"basics\"]\nlevel = "),
        )
        .unwrap();
    }
    std::fs::create_dir_all(dir.join("lessons")).unwrap();
    std::fs::create_dir_all(dir.join("media")).unwrap();
    std::fs::write(
        dir.join("media/basics-loop.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("lessons/basics.md"),
        "+++\nid = \"basics\"\ntitle = \"Basics\"\nsummary = \"The basics.\"\nlevel = \"beginner\"\n\
         tags = [\"intro\"]\nterms = [\"term-00\", \"term-01\"]\n+++\n\n## Why\n\nText.\n\n\
         ![The loop](media/basics-loop.svg)\n",
    )
    .unwrap();
    std::fs::write(dir.join("lessons/basics.quiz.toml"), QUIZ).unwrap();
}

const QUIZ: &str = r#"[[questions]]
id = "one"
kind = "single"
prompt = "Pick one."
options = ["a", "b", "c"]
correct = [1]
explanation = "Because b."

[[questions]]
id = "many"
kind = "multiple"
prompt = "Pick two."
options = ["a", "b", "c"]
correct = [0, 2]
explanation = "Because a and c."

[[questions]]
id = "truth"
kind = "true_false"
prompt = "It is so."
answer = false
explanation = "It is not."
"#;

fn lesson_problems(edit: impl FnOnce(&Path)) -> Vec<String> {
    let dir = TempDir::new().unwrap();
    lesson_pack(dir.path());
    edit(dir.path());
    problems(dir.path())
}

#[test]
fn a_lesson_with_its_quiz_and_diagram_loads() {
    let dir = TempDir::new().unwrap();
    lesson_pack(dir.path());
    let pack = Pack::load(&DirSource::new(dir.path())).unwrap();
    assert_eq!(pack.lessons.len(), 1);
    let lesson = &pack.lessons[0];
    assert_eq!(lesson.title, "Basics");
    assert_eq!(lesson.terms, ["term-00", "term-01"]);
    assert!(lesson.body.contains("media/basics-loop.svg"));
    let kinds: Vec<_> = lesson.questions.iter().map(|q| q.kind).collect();
    assert_eq!(
        kinds,
        [
            QuestionKind::Single,
            QuestionKind::Multiple,
            QuestionKind::TrueFalse
        ]
    );
    assert_eq!(lesson.questions[1].correct, [0, 2]);
    let truth = &lesson.questions[2];
    assert_eq!(truth.options, ["True", "False"]);
    assert_eq!(truth.correct, [1], "answer = false is the second option");
}

#[test]
fn quiz_rules_are_enforced_on_the_questions_line() {
    let p = lesson_problems(|d| {
        let bad = QUIZ
            .replace("correct = [1]", "correct = [0, 1]")
            .replace("correct = [0, 2]", "correct = [2]")
            .replace("answer = false", "answer = false\noptions = [\"x\", \"y\"]");
        std::fs::write(d.join("lessons/basics.quiz.toml"), bad).unwrap();
    });
    assert_eq!(
        p,
        [
            "lessons/basics.quiz.toml:1: question 'one': a single-choice question needs exactly one correct option, not 2",
            "lessons/basics.quiz.toml:9: question 'many': a multiple-choice question needs at least two correct options, not 1; use kind = \"single\" for one",
            "lessons/basics.quiz.toml:17: question 'truth': a true_false question takes `answer = true|false`, not `options` or `correct`",
        ]
    );
}

#[test]
fn out_of_range_answers_duplicates_and_missing_explanations_are_reported() {
    let p = lesson_problems(|d| {
        let bad = QUIZ
            .replace("correct = [1]", "correct = [5]")
            .replace("id = \"many\"", "id = \"one\"")
            .replace("explanation = \"It is not.\"", "explanation = \" \"");
        std::fs::write(d.join("lessons/basics.quiz.toml"), bad).unwrap();
    });
    let has = |needle: &str| p.iter().any(|m| m.contains(needle));
    assert!(
        has("question 'one': `correct` names option 5, but options are numbered 0 to 2"),
        "{p:?}"
    );
    assert!(has("question 'one': duplicate question id"), "{p:?}");
    assert!(
        has("question 'truth': `explanation` must not be empty"),
        "{p:?}"
    );
}

#[test]
fn a_lesson_needs_its_quiz_and_a_quiz_needs_its_lesson() {
    let p = lesson_problems(|d| {
        std::fs::rename(
            d.join("lessons/basics.quiz.toml"),
            d.join("lessons/other.quiz.toml"),
        )
        .unwrap();
    });
    let has = |needle: &str| p.iter().any(|m| m.contains(needle));
    assert!(
        has("lessons/basics.md:2: lesson 'basics' has no quiz; add lessons/basics.quiz.toml"),
        "{p:?}"
    );
    assert!(
        has("lessons/other.quiz.toml:1: quiz without a lesson"),
        "{p:?}"
    );
}

#[test]
fn links_between_terms_and_lessons_must_resolve_both_ways() {
    let p = lesson_problems(|d| {
        // term-02 claims the lesson, which does not list it; the lesson lists an unknown term.
        let path = d.join("terms/term-02.md");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("level = ", "lessons = [\"basics\"]\nlevel = "),
        )
        .unwrap();
        let lesson = std::fs::read_to_string(d.join("lessons/basics.md")).unwrap();
        std::fs::write(
            d.join("lessons/basics.md"),
            lesson.replace("\"term-01\"]", "\"term-01\", \"term-77\"]"),
        )
        .unwrap();
    });
    let has = |needle: &str| p.iter().any(|m| m.contains(needle));
    assert!(
        has("terms/term-02.md:6: lesson 'basics' does not list this term"),
        "{p:?}"
    );
    assert!(has("lessons/basics.md:7: unknown term 'term-77'"), "{p:?}");
    assert_eq!(p.len(), 2, "{p:?}");
}

#[test]
fn media_must_be_local_existing_and_inert() {
    let p = lesson_problems(|d| {
        let lesson = std::fs::read_to_string(d.join("lessons/basics.md")).unwrap();
        std::fs::write(
            d.join("lessons/basics.md"),
            lesson
                + "\n![Missing](media/nope.svg)\n\n![Escape](media/../pack.toml)\n\n\
                   ![Remote](https://example.com/x.png)\n",
        )
        .unwrap();
        std::fs::write(
            d.join("media/basics-loop.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<rect onclick=\"steal()\"/>\n<script>alert(1)</script></svg>",
        )
        .unwrap();
    });
    let has = |needle: &str| p.iter().any(|m| m.contains(needle));
    assert!(
        has("lessons/basics.md:16: 'media/nope.svg' is not a file in this pack's media folder"),
        "{p:?}"
    );
    assert!(has("lessons/basics.md:18: 'media/../pack.toml'"), "{p:?}");
    assert!(
        has("lessons/basics.md:20: 'https://example.com/x.png'"),
        "{p:?}"
    );
    assert!(
        has("media/basics-loop.svg:3: SVG contains <script"),
        "{p:?}"
    );
    assert!(
        has("media/basics-loop.svg:2: SVG contains an on… event handler"),
        "{p:?}"
    );
}
