//! Search across the built-in terms and lessons, and the migration that introduced it.

mod common;

use common::{at, rewind_schema};
use reprise::{Collection, PackId, Rating};
use tempfile::TempDir;

fn collection(dir: &TempDir) -> Collection {
    Collection::open(dir.path(), at("2026-03-10T09:00:00Z")).unwrap()
}

fn keys(col: &Collection, text: &str) -> Vec<(String, String)> {
    col.search(text, 10)
        .unwrap()
        .into_iter()
        .map(|h| (h.kind, h.key))
        .collect()
}

#[test]
fn search_finds_terms_by_name_alias_and_prefix_and_lessons_by_content() {
    let dir = TempDir::new().unwrap();
    let col = collection(&dir);
    assert_eq!(
        keys(&col, "k8s")[0],
        ("term".into(), "kubernetes".into()),
        "alias"
    );
    assert_eq!(
        keys(&col, "PersistentVolumeCl")[0],
        ("term".into(), "persistent-volume-claim".into()),
        "prefix, any case"
    );
    let reconcile = keys(&col, "reconcil");
    assert!(
        reconcile.contains(&("term".into(), "reconciliation-loop".into())),
        "{reconcile:?}"
    );
    assert!(
        reconcile.contains(&("lesson".into(), "controllers".into())),
        "{reconcile:?}"
    );
    // Every word must match.
    let both = keys(&col, "cron timezone");
    assert!(both.iter().all(|(_, k)| k.contains("cron")), "{both:?}");
    // Hits show the name alone, and snippets are plain text.
    let hit = &col.search("kube-sched", 1).unwrap()[0];
    assert_eq!(hit.title, "Scheduler");
    assert!(
        !hit.snippet.contains("**") && !hit.snippet.contains('`'),
        "{}",
        hit.snippet
    );
    let hit = &col.search("etcd", 1).unwrap()[0];
    assert_eq!(hit.title, "etcd");
    assert!(
        hit.snippet.contains("etcd"),
        "the snippet shows the match: {}",
        hit.snippet
    );
}

#[test]
fn any_typed_text_is_a_valid_query() {
    let dir = TempDir::new().unwrap();
    let col = collection(&dir);
    for text in [
        "\"",
        "(*",
        "NEAR(",
        "-pod",
        "OR AND NOT",
        "",
        "   ",
        "é",
        "pod:",
    ] {
        col.search(text, 5)
            .unwrap_or_else(|e| panic!("search for {text:?} failed: {e}"));
    }
    assert!(col.search("zzzznotaword", 5).unwrap().is_empty());
}

#[test]
fn upgrading_a_version_1_collection_keeps_history_and_builds_the_index() {
    let dir = TempDir::new().unwrap();
    let now = at("2026-03-10T09:00:00Z");
    let (id, before) = {
        let mut col = collection(&dir);
        let card = col.next_card(now).unwrap().unwrap();
        let id = card.card_id;
        col.answer(id, Rating::Good, now, 1_000).unwrap();
        (id, col.card_info(id, now).unwrap())
    };
    // Turn the file back into what version 1 wrote.
    rewind_schema(dir.path(), 1);
    let col = collection(&dir);
    let version: i64 = col
        .store()
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, reprise::store::SCHEMA_VERSION);
    assert_eq!(col.card_info(id, now).unwrap(), before, "history kept");
    assert_eq!(
        keys(&col, "k8s")[0].1,
        "kubernetes",
        "index built on upgrade"
    );
    let lessons: i64 = col
        .store()
        .conn()
        .query_row("SELECT count(*) FROM lessons", [], |r| r.get(0))
        .unwrap();
    let built_in: usize = reprise::content::Pack::builtins()
        .unwrap()
        .iter()
        .map(|p| p.lessons.len())
        .sum();
    assert_eq!(lessons as usize, built_in);
}

#[test]
fn a_term_page_links_its_lessons_and_see_also_terms() {
    let dir = TempDir::new().unwrap();
    let col = collection(&dir);
    let pack = "reprise.kubernetes-containers";
    let page = col.term_page(&PackId::from(pack), "pod").unwrap();
    assert_eq!(page.name, "Pod");
    assert_eq!(page.area, "Kubernetes & Containers");
    let lessons: Vec<_> = page.lessons.iter().map(|l| l.key.as_str()).collect();
    assert_eq!(
        lessons,
        ["kubernetes", "jobs-and-cronjobs", "volume-management"]
    );
    assert!(page.lessons.iter().all(|l| !l.summary.is_empty()));
    // Every see-also link resolves to a page of its own, with its one-line definition.
    for link in &page.see_also {
        let other = col.term_page(&PackId::from(pack), &link.key).unwrap();
        assert_eq!(other.definition, link.definition);
    }
    assert!(page.explanation_html.contains("<p>"));
    let err = col
        .term_page(&PackId::from(pack), "no-such-term")
        .unwrap_err();
    assert!(err.to_string().contains("no term 'no-such-term'"), "{err}");
}
