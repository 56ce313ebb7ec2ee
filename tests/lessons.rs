//! Lessons, quizzes and learn-then-review against a real collection with the built-in pack.

mod common;

use chrono::{DateTime, Duration, FixedOffset};
use common::{at, builtin_cards, rewind_schema};
use reprise::content::{Lesson, Pack};
use reprise::{CardState, Collection, Error, PackId, Rating, Settings};
use tempfile::TempDir;

const PACK: &str = "reprise.kubernetes-containers";

fn pack_id() -> PackId {
    PackId::from(PACK)
}

fn now() -> DateTime<FixedOffset> {
    at("2026-03-10T09:00:00+01:00")
}

/// A collection whose daily limits never get in the way, so the whole new queue is visible.
fn open(dir: &TempDir) -> Collection {
    let mut col = Collection::open(dir.path(), now()).unwrap();
    col.set_settings(
        Settings {
            new_per_day: 10_000,
            reviews_per_day: 10_000,
            fuzz: false,
            // These tests follow the order of new cards; burying would skip the siblings.
            bury_siblings: false,
            ..Default::default()
        },
        at("2026-03-10T09:00:00+00:00"),
    )
    .unwrap();
    col
}

fn builtin_lesson(key: &str) -> Lesson {
    common::k8s_pack()
        .lessons
        .into_iter()
        .find(|l| l.id == key)
        .unwrap()
}

fn right_answers(lesson: &Lesson) -> Vec<Vec<u32>> {
    lesson
        .questions
        .iter()
        .map(|q| q.correct.iter().map(|&i| i as u32).collect())
        .collect()
}

/// A choice that is wrong for the question: the first option that is not right alone.
fn wrong_answer(correct: &[u32]) -> Vec<u32> {
    let wrong = (0..).find(|i| !correct.contains(i)).unwrap();
    vec![wrong]
}

/// Introduces new cards one after another (answering Easy, so each leaves the new queue) and
/// returns what each asked.
fn new_card_prompts(col: &mut Collection, n: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for _ in 0..n {
        let card = col.next_card(now()).unwrap().expect("a new card");
        assert_eq!(card.state, CardState::New);
        out.push((card.direction.clone(), card.prompt.clone()));
        let id = card.card_id;
        match &card.quiz {
            Some(q) => col.answer_quiz(id, &q.correct, Some(Rating::Easy), now(), 1_000),
            None => col.answer(id, Rating::Easy, now(), 1_000),
        }
        .unwrap();
    }
    out
}

#[test]
fn a_lesson_renders_with_its_diagram_inline_and_its_quiz() {
    let dir = TempDir::new().unwrap();
    let col = open(&dir);
    let page = col.lesson_page(&pack_id(), "controllers").unwrap();
    assert_eq!(page.summary.title, "Controllers");
    assert_eq!(page.area, "Kubernetes & Containers");
    assert!(
        page.body_html
            .contains(r#"<img src="data:image/svg+xml;base64,"#),
        "diagram inlined"
    );
    assert!(
        !page.body_html.contains("media/"),
        "no file references left"
    );
    assert!(page.body_html.contains(r#"<code class="language-yaml">"#));
    assert!(!page.body_html.contains("<script"));
    assert!(page.questions.len() >= 8);
    assert!(page
        .questions
        .iter()
        .all(|q| !q.explanation_html.is_empty()));
    assert!(page.terms.iter().any(|t| t.key == "reconciliation-loop"));
    assert_eq!((page.attempts, page.summary.best.clone()), (0, None));

    let err = col.lesson_page(&pack_id(), "no-such-lesson").unwrap_err();
    assert!(
        err.to_string().contains("no lesson 'no-such-lesson'"),
        "{err}"
    );
}

#[test]
fn quiz_cards_wait_for_their_lesson_then_come_first() {
    let dir = TempDir::new().unwrap();
    let mut col = open(&dir);
    let lesson = builtin_lesson("jobs-and-cronjobs");
    let before = col.status(now()).unwrap();
    assert_eq!(
        before.new,
        builtin_cards(),
        "no quiz card before its lesson"
    );
    assert_eq!(
        before.total_cards,
        common::builtin_all_cards(),
        "the waiting questions count too"
    );

    let result = col
        .finish_lesson(&pack_id(), &lesson.id, &right_answers(&lesson), now())
        .unwrap();
    let questions = lesson.questions.len();
    let term_cards = 2 * lesson.terms.len();
    assert_eq!(result.cards_queued as usize, questions + term_cards);
    assert_eq!(
        col.status(now()).unwrap().new as usize,
        builtin_cards() as usize + questions
    );

    // The lesson's questions first, then its terms' cards, then everything else.
    let prompts = new_card_prompts(&mut col, questions + term_cards + 1);
    let asked: Vec<&String> = prompts[..questions].iter().map(|(_, p)| p).collect();
    let expected: Vec<&String> = lesson.questions.iter().map(|q| &q.prompt).collect();
    assert_eq!(asked, expected);
    assert!(prompts[..questions].iter().all(|(d, _)| d == "quiz"));
    let pack = common::k8s_pack();
    let lesson_term = |prompt: &str| {
        pack.terms.iter().any(|t| {
            lesson.terms.contains(&t.id) && (prompt.starts_with(&t.name) || prompt == t.definition)
        })
    };
    for (direction, prompt) in &prompts[questions..questions + term_cards] {
        assert_ne!(direction, "quiz");
        assert!(
            lesson_term(prompt),
            "{prompt} is not one of the lesson's terms"
        );
    }
    assert!(
        !lesson_term(&prompts[questions + term_cards].1),
        "other cards come after"
    );
}

#[test]
fn taking_a_quiz_is_graded_recorded_and_queues_cards_once() {
    let dir = TempDir::new().unwrap();
    let mut col = open(&dir);
    let lesson = builtin_lesson("volume-management");
    let mut answers = right_answers(&lesson);
    answers[2] = wrong_answer(&answers[2]);
    answers[5] = vec![];
    let first = col
        .finish_lesson(&pack_id(), &lesson.id, &answers, now())
        .unwrap();
    let total = lesson.questions.len() as u32;
    assert_eq!((first.score.correct, first.score.total), (total - 2, total));
    assert!(!first.right[2] && !first.right[5] && first.right[0]);

    let later = now() + Duration::hours(1);
    let second = col
        .finish_lesson(&pack_id(), &lesson.id, &right_answers(&lesson), later)
        .unwrap();
    assert_eq!(second.score.correct, total);
    assert_eq!(second.cards_queued, 0, "cards are queued once");

    let page = col.lesson_page(&pack_id(), &lesson.id).unwrap();
    assert_eq!(page.attempts, 2);
    assert_eq!(page.summary.best.unwrap().correct, total, "the best score");
    let term = col.term_page(&pack_id(), "persistent-volume").unwrap();
    let listed = term.lessons.iter().find(|l| l.key == lesson.id).unwrap();
    assert_eq!(listed.best.as_ref().unwrap().correct, total);
}

#[test]
fn a_bad_quiz_submission_is_refused_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let mut col = open(&dir);
    let lesson = builtin_lesson("orchestration");
    let status = col.status(now()).unwrap();

    let mut short = right_answers(&lesson);
    short.pop();
    let err = col
        .finish_lesson(&pack_id(), &lesson.id, &short, now())
        .unwrap_err();
    assert!(err.to_string().contains("answer every question"), "{err}");

    let mut out_of_range = right_answers(&lesson);
    out_of_range[0] = vec![9];
    let err = col
        .finish_lesson(&pack_id(), &lesson.id, &out_of_range, now())
        .unwrap_err();
    assert!(err.to_string().contains("question 1"), "{err}");
    assert!(err.to_string().contains("no option 10"), "{err}");

    let err = col
        .finish_lesson(&pack_id(), "nope", &[], now())
        .unwrap_err();
    assert!(
        matches!(err, Error::NotFound { what: "lesson", .. }),
        "{err}"
    );

    assert_eq!(col.lesson_page(&pack_id(), &lesson.id).unwrap().attempts, 0);
    assert_eq!(col.status(now()).unwrap(), status);
}

/// Finishes a lesson and returns its first quiz card, as the review shows it.
fn first_quiz_card(col: &mut Collection, lesson: &str) -> reprise::StudyCard {
    let lesson = builtin_lesson(lesson);
    col.finish_lesson(&pack_id(), &lesson.id, &right_answers(&lesson), now())
        .unwrap();
    let card = col.next_card(now()).unwrap().unwrap();
    assert_eq!(card.direction, "quiz");
    assert_eq!(card.prompt, lesson.questions[0].prompt);
    card
}

#[test]
fn a_wrong_choice_on_a_quiz_card_is_rated_again() {
    let dir = TempDir::new().unwrap();
    let mut col = open(&dir);
    let card = first_quiz_card(&mut col, "kubernetes");
    let quiz = card.quiz.clone().unwrap();
    let id = card.card_id;
    // Even when the learner asks for Easy, a wrong choice is Again.
    let out = col
        .answer_quiz(
            id,
            &wrong_answer(&quiz.correct),
            Some(Rating::Easy),
            now(),
            3_000,
        )
        .unwrap();
    assert_eq!(out.rating, Rating::Again);
    assert_eq!(out.state, CardState::Learning);
    let info = col.card_info(id, now()).unwrap();
    assert_eq!(info.reviews.len(), 1);
    assert_eq!(info.reviews[0].rating, Rating::Again);
}

#[test]
fn a_right_choice_is_good_unless_hard_or_easy_is_picked() {
    let dir = TempDir::new().unwrap();
    let mut col = open(&dir);
    let card = first_quiz_card(&mut col, "declarative-vs-imperative");
    let quiz = card.quiz.clone().unwrap();
    let id = card.card_id;

    let err = col
        .answer_quiz(id, &quiz.correct, Some(Rating::Again), now(), 1_000)
        .unwrap_err();
    assert!(err.to_string().contains("right answer"), "{err}");
    let err = col.answer(id, Rating::Good, now(), 1_000).unwrap_err();
    assert!(err.to_string().contains("--choose"), "{err}");
    let err = col.answer_quiz(id, &[42], None, now(), 1_000).unwrap_err();
    assert!(
        err.to_string().contains("option 43 does not exist"),
        "{err}"
    );
    let err = col.answer_quiz(id, &[], None, now(), 1_000).unwrap_err();
    assert!(err.to_string().contains("at least one option"), "{err}");
    assert!(
        col.card_info(id, now()).unwrap().reviews.is_empty(),
        "nothing recorded"
    );

    // Order and repeats of the choices do not matter.
    let mut shuffled = quiz.correct.clone();
    shuffled.reverse();
    shuffled.push(quiz.correct[0]);
    let out = col.answer_quiz(id, &shuffled, None, now(), 1_000).unwrap();
    assert_eq!(out.rating, Rating::Good);

    col.undo(now()).unwrap().unwrap();
    let out = col
        .answer_quiz(id, &quiz.correct, Some(Rating::Easy), now(), 1_000)
        .unwrap();
    assert_eq!(out.rating, Rating::Easy);
    assert_eq!(out.state, CardState::Review);
}

#[test]
fn term_cards_cannot_be_answered_as_quizzes() {
    let dir = TempDir::new().unwrap();
    let mut col = open(&dir);
    let card = col.next_card(now()).unwrap().unwrap();
    assert!(card.quiz.is_none());
    let err = col
        .answer_quiz(card.card_id, &[0], None, now(), 1_000)
        .unwrap_err();
    assert!(err.to_string().contains("not a quiz question"), "{err}");
}

#[test]
fn a_finished_lesson_stays_finished_across_pack_updates() {
    let dir = TempDir::new().unwrap();
    let mut col = open(&dir);
    let lesson = builtin_lesson("controllers");
    col.finish_lesson(&pack_id(), &lesson.id, &right_answers(&lesson), now())
        .unwrap();
    let status = col.status(now()).unwrap();
    col.store()
        .conn()
        .execute("UPDATE packs SET content_hash = 'older'", [])
        .unwrap();
    drop(col);
    let col = open(&dir);
    assert_eq!(col.status(now()).unwrap(), status);
    let next = col.next_card(now()).unwrap().unwrap();
    assert_eq!(next.prompt, lesson.questions[0].prompt);
}

#[test]
fn the_library_lists_the_area_with_its_lessons_and_terms() {
    let dir = TempDir::new().unwrap();
    let mut col = open(&dir);
    let library = col.library().unwrap();
    // Every built-in area, each in its own pack.
    let packs = reprise::content::Pack::builtins().unwrap();
    assert_eq!(library.len(), packs.len());
    let area = library
        .iter()
        .find(|a| a.pack.as_str() == common::K8S)
        .unwrap();
    assert_eq!(area.name, "Kubernetes & Containers");
    let pack = common::k8s_pack();
    assert_eq!(area.lessons.len(), pack.lessons.len());
    assert_eq!(area.terms.len(), pack.terms.len());
    let names: Vec<String> = area.terms.iter().map(|t| t.name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "terms by name");
    assert!(area.lessons.iter().all(|l| l.best.is_none()));

    let lesson = builtin_lesson("kubernetes");
    col.finish_lesson(&pack_id(), &lesson.id, &right_answers(&lesson), now())
        .unwrap();
    let library = col.library().unwrap();
    let finished: Vec<&str> = library
        .iter()
        .flat_map(|a| &a.lessons)
        .filter(|l| l.best.is_some())
        .map(|l| l.key.as_str())
        .collect();
    assert_eq!(finished, ["kubernetes"]);
}

#[test]
fn upgrading_a_version_2_collection_keeps_history_and_locks_new_quiz_cards() {
    let dir = TempDir::new().unwrap();
    let (id, before) = {
        let mut col = open(&dir);
        let card = col.next_card(now()).unwrap().unwrap();
        let id = card.card_id;
        col.answer(id, Rating::Good, now(), 1_000).unwrap();
        (id, col.card_info(id, now()).unwrap())
    };
    rewind_schema(dir.path(), 2);
    let col = open(&dir);
    assert_eq!(col.card_info(id, now()).unwrap(), before, "history kept");
    assert_eq!(
        col.status(now()).unwrap().total_cards,
        common::builtin_all_cards()
    );
    let lessons: usize = col.library().unwrap().iter().map(|a| a.lessons.len()).sum();
    let built_in: usize = reprise::content::Pack::builtins()
        .unwrap()
        .iter()
        .map(|p| p.lessons.len())
        .sum();
    assert_eq!(lessons, built_in);
    assert!(col
        .lesson_page(&pack_id(), "kubernetes")
        .unwrap()
        .body_html
        .contains("data:image/svg+xml"));
}

/// Copies the built-in pack to `dir` and adds a question to each named lesson's quiz.
fn builtin_with_extra_question(dir: &std::path::Path, lessons: &[&str]) -> Pack {
    let src =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/kubernetes-containers");
    for entry in walk(&src) {
        let to = dir.join(entry.strip_prefix(&src).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &to).unwrap();
    }
    for lesson in lessons {
        let quiz = dir.join(format!("lessons/{lesson}.quiz.toml"));
        let mut text = std::fs::read_to_string(&quiz).unwrap();
        text.push_str(
            "\n[[questions]]\nid = \"added-later\"\nkind = \"true_false\"\n\
             prompt = \"Added in a later version of the pack.\"\nanswer = true\n\
             explanation = \"It was.\"\n",
        );
        std::fs::write(&quiz, text).unwrap();
    }
    Pack::load(&reprise::content::DirSource::new(dir)).unwrap()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_question_added_by_a_pack_update_follows_its_lessons_progress() {
    let dir = TempDir::new().unwrap();
    let mut col = open(&dir);
    let finished = builtin_lesson("kubernetes");
    col.finish_lesson(&pack_id(), &finished.id, &right_answers(&finished), now())
        .unwrap();
    let before = col.status(now()).unwrap();

    let src = TempDir::new().unwrap();
    let update = builtin_with_extra_question(src.path(), &["kubernetes", "controllers"]);
    let installed = col.install_pack(&update, now()).unwrap();
    assert_eq!(installed.new_cards, 2);
    let after = col.status(now()).unwrap();
    assert_eq!(
        after.new,
        before.new + 1,
        "only the finished lesson's new question is ready"
    );
    assert_eq!(
        after.total_cards,
        before.total_cards + 2,
        "both new questions are in the collection"
    );

    let prompts = new_card_prompts(&mut col, finished.questions.len() + 1);
    assert_eq!(
        prompts.last().unwrap().1,
        "Added in a later version of the pack.",
        "the added question comes with its lesson's questions"
    );
}

#[test]
fn answers_are_checked_by_the_core_before_they_are_recorded() {
    let dir = TempDir::new().unwrap();
    let mut col = open(&dir);
    let lesson = builtin_lesson("kubernetes");
    let right = right_answers(&lesson);
    // The lesson quiz, question by question, as the learner checks each.
    let mut shuffled = right[0].clone();
    shuffled.reverse();
    shuffled.extend_from_slice(&right[0]);
    assert!(col
        .check_lesson_answer(&pack_id(), &lesson.id, 0, &shuffled)
        .unwrap());
    assert!(!col
        .check_lesson_answer(&pack_id(), &lesson.id, 0, &wrong_answer(&right[0]))
        .unwrap());
    let err = col
        .check_lesson_answer(&pack_id(), &lesson.id, 99, &[0])
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "question"),
        "{err}"
    );

    // A quiz card in review: right and wrong, and nothing recorded by checking.
    let card = first_quiz_card(&mut col, "kubernetes");
    let quiz = card.quiz.clone().unwrap();
    assert!(col.check_quiz(card.card_id, &quiz.correct).unwrap());
    assert!(!col
        .check_quiz(card.card_id, &wrong_answer(&quiz.correct))
        .unwrap());
    let err = col.check_quiz(card.card_id, &[40]).unwrap_err();
    assert!(
        err.to_string().contains("option 41 does not exist"),
        "{err}"
    );
    assert!(col
        .card_info(card.card_id, now())
        .unwrap()
        .reviews
        .is_empty());
    col.answer_quiz(card.card_id, &quiz.correct, None, now(), 1_000)
        .unwrap();
    let term = loop {
        let next = col.next_card(now()).unwrap().unwrap();
        if next.quiz.is_none() {
            break next;
        }
        let right = next.quiz.unwrap().correct;
        col.answer_quiz(next.card_id, &right, None, now(), 1_000)
            .unwrap();
    };
    assert!(matches!(
        col.check_quiz(term.card_id, &[0]),
        Err(Error::NotStudiable { .. })
    ));
}
