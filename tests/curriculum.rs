//! The built-in curriculum (issue 17): several areas, each a pack a learner switches on or off,
//! every lesson teaching with a diagram, a quiz, production users and references, every term
//! with its sources, and links between areas that resolve.

mod common;

use std::collections::BTreeMap;

use common::at;
use reprise::content::{check_together, Pack, QuestionKind};
use reprise::{CardId, Collection, PackId, Rating};
use tempfile::TempDir;

const NOW: &str = "2026-12-05T09:00:00+01:00";

fn builtins() -> Vec<Pack> {
    Pack::builtins().unwrap()
}

/// The text of a lesson's `## <title…>` section, up to the next `## `.
fn section<'a>(body: &'a str, title: &str) -> Option<&'a str> {
    let start = body.find(&format!("\n## {title}"))? + 1;
    let rest = &body[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    Some(&rest[..end])
}

#[test]
fn the_curriculum_has_six_areas_or_more_and_enough_to_study_for_months() {
    let packs = builtins();
    let areas: usize = packs.iter().map(|p| p.areas.len()).sum();
    let terms: usize = packs.iter().map(|p| p.terms.len()).sum();
    let lessons: usize = packs.iter().map(|p| p.lessons.len()).sum();
    let questions: usize = packs
        .iter()
        .flat_map(|p| &p.lessons)
        .map(|l| l.questions.len())
        .sum();
    assert!(areas >= 6, "{areas} areas");
    assert!(terms >= 250, "{terms} terms");
    assert!(lessons >= 24, "{lessons} lessons");
    assert!(questions >= 200, "{questions} questions");
    for pack in &packs {
        let id = &pack.manifest.id;
        assert_eq!(
            pack.areas.len(),
            1,
            "{id}: one area per pack, switched as one"
        );
        assert!(pack.terms.len() >= 35, "{id}: {} terms", pack.terms.len());
        assert!(
            pack.lessons.len() >= 4,
            "{id}: {} lessons",
            pack.lessons.len()
        );
    }
    let problems = check_together(&packs, false);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_lesson_has_a_diagram_a_quiz_production_users_with_sources_and_references() {
    for pack in builtins() {
        for lesson in &pack.lessons {
            let id = format!("{}/{}", pack.manifest.id, lesson.id);
            assert!(lesson.questions.len() >= 8, "{id}: fewer than 8 questions");
            for kind in [
                QuestionKind::Single,
                QuestionKind::Multiple,
                QuestionKind::TrueFalse,
            ] {
                assert!(
                    lesson.questions.iter().any(|q| q.kind == kind),
                    "{id}: no {kind:?} question"
                );
            }
            assert!(lesson.body.contains("](media/"), "{id}: no diagram");
            let production = section(&lesson.body, "In production")
                .unwrap_or_else(|| panic!("{id}: no \"## In production\" section"));
            assert!(
                production.contains("](https://"),
                "{id}: its production users are not linked to a source"
            );
            let references = section(&lesson.body, "References")
                .unwrap_or_else(|| panic!("{id}: no \"## References\" section"));
            // Every production source is listed with the references.
            for link in production.split("](").skip(1) {
                let url = link.split(')').next().unwrap();
                assert!(
                    references.contains(url),
                    "{id}: the production source {url} is not in its references"
                );
            }
        }
    }
}

#[test]
fn every_term_names_its_sources() {
    for pack in builtins() {
        for term in &pack.terms {
            assert!(
                !term.sources.is_empty(),
                "{}/{}: no sources",
                pack.manifest.id,
                term.id
            );
        }
    }
}

/// Lessons show diagrams with the fonts a Debian desktop has: every text names DejaVu (or
/// Liberation) before a generic family, never only a font Debian lacks.
#[test]
fn diagrams_name_fonts_a_debian_desktop_has() {
    for pack in builtins() {
        for (file, bytes) in &pack.media {
            if !file.ends_with(".svg") {
                continue;
            }
            let svg = String::from_utf8_lossy(bytes);
            for family in svg.split("font-family=\"").skip(1) {
                let family = family.split('"').next().unwrap();
                let first = family.split(',').next().unwrap().trim();
                assert!(
                    first.starts_with("DejaVu") || first.starts_with("Liberation"),
                    "{}/{file}: font-family \"{family}\" does not start with a Debian font",
                    pack.manifest.id
                );
            }
        }
    }
}

#[test]
fn areas_link_to_each_other_and_kubernetes_reaches_the_microservices_area() {
    let packs = builtins();
    for pack in &packs {
        assert!(
            pack.cross_links().next().is_some(),
            "{}: no link to another area",
            pack.manifest.id
        );
    }
    let k8s = common::k8s_pack();
    let microservices = k8s.terms.iter().find(|t| t.id == "microservices").unwrap();
    assert!(
        microservices
            .see_also
            .iter()
            .any(|s| s.starts_with("reprise.reliability-microservices/")),
        "{:?}",
        microservices.see_also
    );
}

/// Every card of the collection with what its schedule is.
fn schedules(col: &Collection) -> BTreeMap<i64, String> {
    let conn = col.store().conn();
    let mut stmt = conn
        .prepare("SELECT id, state, due, reps, lapses, stability, difficulty FROM cards")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            format!(
                "{:?} {:?} {:?} {:?} {:?} {:?}",
                r.get::<_, i64>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<f64>>(5)?,
                r.get::<_, Option<f64>>(6)?
            ),
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn pack_of(col: &Collection, card: CardId) -> String {
    col.store()
        .conn()
        .query_row(
            "SELECT n.pack_id FROM cards c JOIN notes n ON n.id = c.note_id WHERE c.id = ?1",
            [card.0],
            |r| r.get(0),
        )
        .unwrap()
}

/// `n` new term cards of `pack`, of different notes.
fn new_cards_of(col: &Collection, pack: &PackId, n: usize) -> Vec<CardId> {
    let conn = col.store().conn();
    let mut stmt = conn
        .prepare(
            // One card per note, so no answer buries another of the chosen cards.
            "SELECT min(c.id) FROM cards c JOIN notes n ON n.id = c.note_id
             WHERE n.pack_id = ?1 AND n.kind = 'term' AND c.state = 0
             GROUP BY n.id ORDER BY n.id LIMIT ?2",
        )
        .unwrap();
    stmt.query_map(rusqlite::params![pack.as_str(), n as i64], |r| {
        Ok(CardId(r.get(0)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn the_first_start_offers_every_area_and_switching_one_leaves_the_others_progress_alone() {
    let dir = TempDir::new().unwrap();
    let now = at(NOW);
    let mut col = Collection::open(dir.path(), now).unwrap();
    let offered = col.curriculum().unwrap();
    let ids: Vec<&str> = offered.iter().map(|a| a.pack.as_str()).collect();
    assert_eq!(ids, reprise::content::source::builtin_ids());
    assert!(offered.iter().all(|a| a.enabled && a.studied == 0));
    assert!(offered.iter().all(|a| a.terms > 0 && !a.name.is_empty()));

    // Study three cards of each of the first two areas.
    let first = offered[0].pack.clone();
    let second = offered[1].pack.clone();
    for pack in [&first, &second] {
        for card in new_cards_of(&col, pack, 3) {
            col.answer(card, Rating::Good, now, 2_000).unwrap();
        }
    }
    let before = schedules(&col);
    let reviews = common::revlog_rows(&col);

    // Switching an area off hides its cards and nothing else.
    col.set_pack_enabled(&second, false, now).unwrap();
    assert_eq!(schedules(&col), before, "no card's schedule moved");
    assert_eq!(common::revlog_rows(&col), reviews);
    let areas = col.curriculum().unwrap();
    let off = areas.iter().find(|a| a.pack == second).unwrap();
    assert!(!off.enabled);
    assert_eq!(off.studied, 3);
    // The library still lists it, in the curriculum's order, and says it is off.
    let library = col.library().unwrap();
    let listed: Vec<&str> = library.iter().map(|a| a.pack.as_str()).collect();
    assert_eq!(listed, reprise::content::source::builtin_ids());
    for area in &library {
        assert_eq!(area.enabled, area.pack != second, "{}", area.pack.as_str());
    }
    assert_eq!(areas[0].studied, 3);
    for _ in 0..30 {
        let Some(card) = col.next_card(now).unwrap() else {
            break;
        };
        assert_ne!(
            pack_of(&col, card.card_id),
            second.as_str(),
            "a hidden area's card"
        );
        col.answer(card.card_id, Rating::Good, now, 2_000).unwrap();
    }

    // Switching it back on brings its cards back as they were.
    let hidden: BTreeMap<i64, String> = before
        .into_iter()
        .filter(|(id, _)| pack_of(&col, CardId(*id)) == second.as_str())
        .collect();
    col.set_pack_enabled(&second, true, now).unwrap();
    let after = schedules(&col);
    for (id, schedule) in &hidden {
        assert_eq!(
            &after[id], schedule,
            "card {id} of the area switched off and on"
        );
    }
    let first_area = col
        .curriculum()
        .unwrap()
        .into_iter()
        .find(|a| a.pack == first)
        .unwrap();
    assert!(first_area.enabled);
    assert!(
        first_area.studied >= 3,
        "studied while the other was off count too"
    );
}
