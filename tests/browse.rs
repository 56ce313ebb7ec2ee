//! The card browser on real collections: full-text search, every filter, sorting, rows by id,
//! and the index kept in step with installs, removals and upgrades.

mod common;

use chrono::Duration;
use common::{at, collection_with_pack};
use reprise::browse::{BrowseQuery, DueFilter, SortColumn};
use reprise::study::CardAction;
use reprise::{CardId, CardState, Collection, Rating, Settings};
use tempfile::TempDir;

const NOW: &str = "2026-03-10T09:00:00+01:00";

fn browse(col: &Collection, query: BrowseQuery) -> Vec<CardId> {
    col.browse(&query, at(NOW)).unwrap()
}

fn text(text: &str) -> BrowseQuery {
    BrowseQuery {
        text: text.into(),
        ..Default::default()
    }
}

#[test]
fn search_finds_cards_by_prompt_answer_and_context_as_prefixes() {
    let dir = TempDir::new().unwrap();
    let col = Collection::open(dir.path(), at(NOW)).unwrap();
    let all = browse(&col, BrowseQuery::default());
    let total: i64 = col
        .store()
        .conn()
        .query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    let total = total as usize;
    assert_eq!(all.len(), total);

    // "kubel" finds the kubelet term both ways: by its name (the prompt of one direction, the
    // answer of the other), and cards that mention it.
    let kubelet = browse(&col, text("kubel"));
    let rows = col.browse_rows(&kubelet, at(NOW)).unwrap();
    assert!(rows
        .iter()
        .any(|r| r.direction == "forward" && r.prompt == "kubelet"));
    assert!(rows
        .iter()
        .any(|r| r.direction == "reverse" && r.answer == "kubelet"));
    // Every word must match; a word in the definition narrows it.
    let narrowed = browse(&col, text("kubelet agent worker"));
    assert!(!narrowed.is_empty() && narrowed.len() <= kubelet.len());
    assert!(browse(&col, text("kubelet zzzzqq")).is_empty());
    // Quiz questions are found by their lesson's title (context).
    let quiz = browse(&col, text("CronJobs"));
    let quiz_rows = col.browse_rows(&quiz, at(NOW)).unwrap();
    assert!(quiz_rows.iter().any(|r| r.direction == "quiz"));
    // Any text is a safe query.
    assert!(browse(&col, text("\"(* NEAR")).len() <= total);
    assert!(browse(&col, text("?!")).is_empty());
}

#[test]
fn filters_narrow_the_list_and_combine() {
    let dir = TempDir::new().unwrap();
    let mut col = collection_with_pack(dir.path(), 4, Settings::default(), at(NOW));
    let pack = browse(
        &col,
        BrowseQuery {
            pack: Some("test.pack".into()),
            ..Default::default()
        },
    );
    assert_eq!(pack.len(), 8);
    let area = browse(
        &col,
        BrowseQuery {
            area: Some("Testing".into()),
            ..Default::default()
        },
    );
    assert_eq!(area, pack);

    // Study two cards into review, suspend one, tag one a leech, tag another.
    let t0 = at(NOW);
    col.answer(pack[0], Rating::Easy, t0, 1_000).unwrap();
    col.answer(pack[1], Rating::Easy, t0, 1_000).unwrap();
    col.card_action(CardAction::Suspend, &[pack[2]], t0)
        .unwrap();
    col.card_action(
        CardAction::Tag {
            tag: "leech".into(),
        },
        &[pack[3]],
        t0,
    )
    .unwrap();
    col.card_action(
        CardAction::Tag {
            tag: "networking".into(),
        },
        &[pack[4]],
        t0,
    )
    .unwrap();
    let only = |q: BrowseQuery| -> Vec<CardId> {
        let mut ids = browse(
            &col,
            BrowseQuery {
                pack: Some("test.pack".into()),
                ..q
            },
        );
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<CardId>| {
        v.sort();
        v
    };
    assert_eq!(
        only(BrowseQuery {
            state: Some(CardState::Review),
            ..Default::default()
        }),
        sorted(vec![pack[0], pack[1]])
    );
    assert_eq!(
        only(BrowseQuery {
            suspended: Some(true),
            ..Default::default()
        }),
        vec![pack[2]]
    );
    assert_eq!(
        only(BrowseQuery {
            suspended: Some(false),
            ..Default::default()
        })
        .len(),
        7
    );
    // A tag is on the note: both directions carry it.
    let leech = only(BrowseQuery {
        leech: true,
        ..Default::default()
    });
    assert!(leech.contains(&pack[3]) && leech.len() == 2, "{leech:?}");
    assert_eq!(
        only(BrowseQuery {
            tag: Some("networking".into()),
            ..Default::default()
        })
        .len(),
        2
    );
    // Due today: nothing yet (Easy gives days); in 30 days both studied cards are overdue.
    assert!(only(BrowseQuery {
        due: Some(DueFilter::Today),
        ..Default::default()
    })
    .is_empty());
    let later = at(NOW) + Duration::days(30);
    let overdue = |due| {
        let mut ids = col
            .browse(
                &BrowseQuery {
                    pack: Some("test.pack".into()),
                    due: Some(due),
                    ..Default::default()
                },
                later,
            )
            .unwrap();
        ids.sort();
        ids
    };
    assert_eq!(overdue(DueFilter::Overdue), sorted(vec![pack[0], pack[1]]));
    assert_eq!(overdue(DueFilter::Today), sorted(vec![pack[0], pack[1]]));
    // Filters combine with the text.
    let term_1 = only(BrowseQuery {
        text: "Definition number 1".into(),
        ..Default::default()
    });
    assert_eq!(term_1.len(), 2);

    let facets = col.browse_facets().unwrap();
    assert!(facets.packs.iter().any(|(id, _)| id == "test.pack"));
    assert!(facets.areas.contains(&"Testing".to_owned()));
    // The test pack's tag, the leech tag and the built-in lessons' tags, sorted, each once.
    assert!(facets.tags.contains(&"leech".to_owned()));
    assert!(facets.tags.contains(&"networking".to_owned()));
    assert!(
        facets.tags.windows(2).all(|w| w[0] < w[1]),
        "{:?}",
        facets.tags
    );
    let every_tag: Vec<String> = common::column(
        &col,
        "SELECT DISTINCT t.name FROM note_tags n JOIN tags t ON t.id = n.tag_id ORDER BY 1",
    );
    assert_eq!(facets.tags, every_tag);
    assert!(facets.lessons.iter().any(|(key, _)| key == "controllers"));
}

#[test]
fn a_lesson_lists_its_questions_and_its_terms_cards() {
    let dir = TempDir::new().unwrap();
    let col = Collection::open(dir.path(), at(NOW)).unwrap();
    let ids = browse(
        &col,
        BrowseQuery {
            lesson: Some("controllers".into()),
            ..Default::default()
        },
    );
    let rows = col.browse_rows(&ids, at(NOW)).unwrap();
    let pack = common::k8s_pack();
    let lesson = pack.lessons.iter().find(|l| l.id == "controllers").unwrap();
    let questions = rows.iter().filter(|r| r.direction == "quiz").count();
    assert_eq!(questions, lesson.questions.len());
    let terms = pack
        .terms
        .iter()
        .filter(|t| t.lessons.iter().any(|l| l == "controllers"))
        .count();
    assert_eq!(rows.len(), questions + 2 * terms);
}

#[test]
fn sorting_orders_by_the_column_either_way_with_new_cards_last() {
    let dir = TempDir::new().unwrap();
    let mut col = collection_with_pack(
        dir.path(),
        3,
        Settings {
            learning_steps_minutes: vec![],
            bury_siblings: false,
            ..Default::default()
        },
        at(NOW),
    );
    let pack = BrowseQuery {
        pack: Some("test.pack".into()),
        ..Default::default()
    };
    let ids = browse(&col, pack.clone());
    // Different answers give different stabilities and intervals.
    for (id, rating) in ids
        .iter()
        .zip([Rating::Again, Rating::Hard, Rating::Good, Rating::Easy])
    {
        col.answer(*id, rating, at(NOW), 1_000).unwrap();
    }
    let rows_for = |sort, descending| {
        let ids = browse(
            &col,
            BrowseQuery {
                sort,
                descending,
                ..pack.clone()
            },
        );
        col.browse_rows(&ids, at(NOW)).unwrap()
    };
    for descending in [false, true] {
        let rows = rows_for(SortColumn::Stability, descending);
        let s: Vec<f32> = rows.iter().filter_map(|r| r.stability).collect();
        assert_eq!(s.len(), 4);
        let mut expected = s.clone();
        expected.sort_by(|a, b| a.partial_cmp(b).unwrap());
        if descending {
            expected.reverse();
        }
        assert_eq!(s, expected);
        assert!(
            rows[4..].iter().all(|r| r.state == CardState::New),
            "new cards last"
        );
    }
    let later = at(NOW) + Duration::days(3);
    let by_r = col
        .browse(
            &BrowseQuery {
                sort: SortColumn::Retrievability,
                ..pack.clone()
            },
            later,
        )
        .unwrap();
    let r: Vec<f32> = col
        .browse_rows(&by_r, later)
        .unwrap()
        .iter()
        .filter_map(|r| r.retrievability)
        .collect();
    assert!(
        r.windows(2).all(|w| w[0] <= w[1]),
        "lowest recall first: {r:?}"
    );
    let due = rows_for(SortColumn::Due, false);
    let d: Vec<&String> = due.iter().filter_map(|r| r.due.as_ref()).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn rows_come_in_the_order_asked_and_in_pages() {
    let dir = TempDir::new().unwrap();
    let col = Collection::open(dir.path(), at(NOW)).unwrap();
    let ids = browse(&col, text("pod"));
    assert!(ids.len() >= 2);
    let reversed: Vec<CardId> = ids.iter().rev().copied().collect();
    let rows = col.browse_rows(&reversed, at(NOW)).unwrap();
    assert_eq!(rows.iter().map(|r| r.card_id).collect::<Vec<_>>(), reversed);
    assert!(
        col.browse_rows(&[CardId(42), ids[0]], at(NOW))
            .unwrap()
            .len()
            == 1
    );
    let too_many: Vec<CardId> = (0..1001).map(CardId).collect();
    let err = col.browse_rows(&too_many, at(NOW)).unwrap_err();
    assert!(err.to_string().contains("pages of at most 1000"), "{err}");
}

#[test]
fn the_index_follows_imports_removals_and_upgrades() {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), at(NOW)).unwrap();
    // An Anki package: its cards are found by their text, without HTML.
    let apkg = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/genanki_mixed_30.apkg");
    let report = col.import(&apkg, at(NOW)).unwrap();
    let ids = browse(
        &col,
        BrowseQuery {
            pack: Some(report.pack.clone()),
            ..Default::default()
        },
    );
    assert!(!ids.is_empty());
    let rows = col.browse_rows(&ids, at(NOW)).unwrap();
    assert!(rows.iter().all(|r| !r.prompt.contains('<')), "plain text");
    let word = rows[0]
        .prompt
        .split_whitespace()
        .find(|w| w.len() > 3 && w.chars().all(char::is_alphanumeric))
        .unwrap()
        .to_owned();
    assert!(browse(&col, text(&word)).contains(&ids[0]));
    // Its Anki tags are tags here.
    assert!(!col.browse_facets().unwrap().tags.is_empty());

    col.remove_pack(&report.pack, false, at(NOW)).unwrap();
    assert!(browse(&col, text(&word)).iter().all(|id| !ids.contains(id)));
    let left: i64 = col
        .store()
        .conn()
        .query_row("SELECT count(*) FROM card_search", [], |r| r.get(0))
        .unwrap();
    let cards: i64 = col
        .store()
        .conn()
        .query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, cards);

    // The index holds no copy of the text (the rows render it from the notes), and a
    // collection whose index did (schema 13) is indexed again when it is opened.
    let copies: i64 = col
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM card_search WHERE prompt IS NOT NULL OR answer IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(copies, 0);

    // A collection whose index kept each word's places (schema 18), or whose rows were card
    // ids (schema 19), is indexed again when it is opened: without places, its rows numbered
    // from 1 in card order, and every search finds the same cards.
    let searches = [
        "kubelet",
        "pod sched",
        "write-ahead log",
        "consist hash",
        "zzzz",
    ];
    let found: Vec<_> = searches.iter().map(|q| browse(&col, text(q))).collect();
    assert!(found[..4].iter().all(|f| !f.is_empty()), "{found:?}");
    let mut col = col;
    for version in [18, 19] {
        drop(col);
        common::rewind_schema(dir.path(), version);
        col = Collection::open(dir.path(), at(NOW)).unwrap();
        let again: Vec<_> = searches.iter().map(|q| browse(&col, text(q))).collect();
        assert_eq!(again, found, "from schema {version}");
        let conn = col.store().conn();
        let sql = common::schema_sql(conn, "card_search");
        assert!(sql.contains("detail = none"), "{sql}");
        let (rows, first, last, in_order): (i64, i64, i64, bool) = conn
            .query_row(
                "SELECT count(*), min(doc), max(doc),
                   NOT EXISTS (SELECT 1 FROM cards a JOIN cards b
                     ON b.id > a.id AND b.doc < a.doc)
                 FROM cards WHERE doc IS NOT NULL",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            (first, last, in_order),
            (1, rows, true),
            "from schema {version}"
        );
        let text_rows: i64 = conn
            .query_row("SELECT count(*) FROM card_search", [], |r| r.get(0))
            .unwrap();
        assert_eq!(text_rows, rows);
    }
    drop(col);
    common::rewind_schema(dir.path(), 13);
    let col = Collection::open(dir.path(), at(NOW)).unwrap();
    let found = browse(&col, text("kubelet"));
    assert!(!found.is_empty());
    let row = &col.browse_rows(&found[..1], at(NOW)).unwrap()[0];
    assert!(
        format!("{} {}", row.prompt, row.answer)
            .to_lowercase()
            .contains("kubelet"),
        "{row:?}"
    );

    // A collection from before the index is indexed when it is opened.
    drop(col);
    common::rewind_schema(dir.path(), 6);
    let col = Collection::open(dir.path(), at(NOW)).unwrap();
    assert!(!browse(&col, text("kubelet")).is_empty());
}
