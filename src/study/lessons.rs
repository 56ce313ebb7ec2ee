//! Lessons as the learner reads them, and their quizzes. Finishing a lesson — taking its quiz
//! once — puts its questions and its terms' new cards at the front of the new cards.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction};
use serde::Serialize;
use ts_rs::TS;

use super::library::{self, LessonSummary, Score, TermLink};
use crate::content::install::{question_key, QUIZ_TEMPLATE};
use crate::content::render::{markdown_to_safe_html, markdown_with_media_to_safe_html};
use crate::content::{Lesson, QuestionKind};
use crate::error::{Error, Result};
use crate::ids::{CardId, NoteId};
use crate::store::{self, NewQueue};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LessonQuestion {
    pub id: String,
    #[ts(type = "\"single\" | \"multiple\" | \"true_false\"")]
    pub kind: QuestionKind,
    pub prompt: String,
    pub options: Vec<String>,
    /// The right options (0-based, sorted), to explain each answer as it is given.
    pub correct: Vec<u32>,
    pub explanation_html: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LessonPage {
    pub summary: LessonSummary,
    pub area: String,
    /// The body rendered to sanitized HTML, diagrams inlined.
    pub body_html: String,
    /// The terms the lesson teaches.
    pub terms: Vec<TermLink>,
    pub questions: Vec<LessonQuestion>,
    /// How many times the quiz was taken.
    pub attempts: u32,
}

/// The outcome of taking a lesson's quiz.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct QuizResult {
    pub score: Score,
    /// Which questions were answered right, in order.
    pub right: Vec<bool>,
    /// New cards this moved to the front of the new cards: the questions (the first time) and
    /// the lesson's terms not yet studied.
    pub cards_queued: u32,
}

pub(crate) fn lesson(conn: &Connection, pack: &str, key: &str) -> Result<Lesson> {
    let fields = store::lessons::fields(conn, pack, key)?.ok_or_else(|| Error::NotFound {
        what: "lesson",
        id: key.into(),
        within: format!(" in pack '{pack}'"),
        hint: "the library lists the lessons",
    })?;
    serde_json::from_str(&fields)
        .map_err(|e| Error::corrupt(format!("lesson {pack}/{key} cannot be read: {e}")))
}

fn sorted(indexes: &[usize]) -> Vec<u32> {
    let mut out: Vec<u32> = indexes.iter().map(|&i| i as u32).collect();
    out.sort_unstable();
    out.dedup();
    out
}

pub(crate) fn lesson_page(conn: &Connection, pack: &str, key: &str) -> Result<LessonPage> {
    let lesson = lesson(conn, pack, key)?;
    let body_html = markdown_with_media_to_safe_html(&lesson.body, |path| {
        store::media_at(conn, pack, path).map(Into::into)
    });
    let mut terms = Vec::new();
    for term in &lesson.terms {
        if let Some(link) = library::term_link(conn, pack, term)? {
            terms.push(link);
        }
    }
    let questions = lesson
        .questions
        .iter()
        .map(|q| LessonQuestion {
            id: q.id.clone(),
            kind: q.kind,
            prompt: q.prompt.clone(),
            options: q.options.clone(),
            correct: sorted(&q.correct),
            explanation_html: markdown_to_safe_html(&q.explanation),
        })
        .collect();
    let attempts = store::lessons::attempts(conn, pack, key)?;
    Ok(LessonPage {
        area: library::area_of_lesson(conn, pack, &lesson)?,
        summary: library::lesson_summary(conn, pack, lesson.clone())?,
        body_html,
        terms,
        questions,
        attempts,
    })
}

/// Whether `chosen` answers question `n` (0-based) of the lesson right.
fn grade(lesson: &Lesson, key: &str, n: usize, chosen: &[u32]) -> Result<bool> {
    let question = lesson.questions.get(n).ok_or_else(|| {
        Error::invalid(
            "question",
            format!(
                "lesson '{key}' has {} questions; there is no question {}",
                lesson.questions.len(),
                n + 1
            ),
        )
    })?;
    if let Some(bad) = chosen
        .iter()
        .find(|&&i| i as usize >= question.options.len())
    {
        return Err(Error::invalid(
            "answers",
            format!(
                "question {} of lesson '{key}' has no option {}; it has {}",
                n + 1,
                bad + 1,
                question.options.len()
            ),
        ));
    }
    Ok(super::present::picks_match(
        chosen,
        &sorted(&question.correct),
    ))
}

/// Whether `chosen` answers question `n` of a lesson's quiz right; records nothing.
pub(crate) fn check_answer(
    conn: &Connection,
    pack: &str,
    key: &str,
    n: u32,
    chosen: &[u32],
) -> Result<bool> {
    grade(&lesson(conn, pack, key)?, key, n as usize, chosen)
}

/// Grades a taken quiz, records the attempt, and queues the lesson's cards first.
/// A quiz attempt another device made: kept, and the lesson's cards queued as if it were made
/// here. A lesson this device does not have yet keeps nothing.
pub(crate) fn synced_attempt(
    conn: &Connection,
    pack: &str,
    key: &str,
    at: DateTime<Utc>,
    correct: u32,
    total: u32,
) -> Result<()> {
    let Ok(lesson) = lesson(conn, pack, key) else {
        return Ok(());
    };
    store::lessons::record_attempt(conn, pack, key, at, correct, total)?;
    queue_cards(conn, pack, key, &lesson).map(|_| ())
}

/// The lesson's questions, which wait for it, and its terms' new cards now come first; how many
/// moved.
fn queue_cards(conn: &Connection, pack: &str, key: &str, lesson: &Lesson) -> Result<u32> {
    let mut cards_queued = 0;
    for question in &lesson.questions {
        let note = NoteId::derive(pack, &question_key(key, &question.id));
        let card = CardId::derive(note, QUIZ_TEMPLATE);
        cards_queued += u32::from(store::lessons::move_new_card(
            conn,
            card,
            NewQueue::Locked,
            NewQueue::First,
        )?);
    }
    for term in &lesson.terms {
        let note = NoteId::derive(pack, term);
        for template in crate::content::install::TERM_TEMPLATES {
            let card = CardId::derive(note, template);
            cards_queued += u32::from(store::lessons::move_new_card(
                conn,
                card,
                NewQueue::Normal,
                NewQueue::First,
            )?);
        }
    }
    Ok(cards_queued)
}

pub(crate) fn finish_lesson(
    tx: &Transaction,
    pack: &str,
    key: &str,
    answers: &[Vec<u32>],
    now: DateTime<Utc>,
) -> Result<QuizResult> {
    let lesson = lesson(tx, pack, key)?;
    if answers.len() != lesson.questions.len() {
        return Err(Error::invalid(
            "answers",
            format!(
                "lesson '{key}' has {} questions but {} answers were given; answer every question",
                lesson.questions.len(),
                answers.len()
            ),
        ));
    }
    let right = answers
        .iter()
        .enumerate()
        .map(|(n, chosen)| grade(&lesson, key, n, chosen))
        .collect::<Result<Vec<bool>>>()?;
    let correct = right.iter().filter(|&&r| r).count() as u32;
    let total = right.len() as u32;
    store::lessons::record_attempt(tx, pack, key, now, correct, total)?;
    let cards_queued = queue_cards(tx, pack, key, &lesson)?;
    Ok(QuizResult {
        score: Score {
            correct,
            total,
            taken_at: crate::clock::utc_text(now),
        },
        right,
        cards_queued,
    })
}
