//! Lessons and their quizzes: parsing the quiz file and the rules a lesson must follow.
//! A lesson is `lessons/<id>.md` (front matter + Markdown body) and `lessons/<id>.quiz.toml`.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::{Level, Problem};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Exactly one correct option.
    Single,
    /// Several correct options; all must be chosen.
    Multiple,
    /// A statement judged true or false.
    TrueFalse,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub prompt: String,
    /// For true/false questions, "True" and "False".
    pub options: Vec<String>,
    /// 0-based indexes into `options`; for true/false, `[0]` is true and `[1]` false.
    pub correct: Vec<usize>,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub level: Level,
    pub tags: Vec<String>,
    /// Ids of the terms this lesson teaches.
    pub terms: Vec<String>,
    /// Markdown.
    pub body: String,
    pub questions: Vec<Question>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LessonFront {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub level: Level,
    #[serde(default)]
    pub tags: Vec<String>,
    pub terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct QuizFile {
    pub questions: Vec<Spanned<QuestionRaw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct QuestionRaw {
    id: String,
    kind: QuestionKind,
    prompt: String,
    #[serde(default)]
    options: Vec<String>,
    #[serde(default)]
    correct: Vec<usize>,
    answer: Option<bool>,
    explanation: String,
}

const MAX_OPTIONS: usize = 6;

/// Checks every question of a quiz file; returns the valid ones and records the problems.
pub(super) fn check_quiz(
    file: &str,
    text: &str,
    quiz: QuizFile,
    problems: &mut Vec<Problem>,
) -> Vec<Question> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    if quiz.questions.is_empty() {
        problems.push(Problem {
            file: file.into(),
            line: 1,
            message: "the quiz has no questions; add [[questions]] tables".into(),
        });
    }
    for spanned in quiz.questions {
        let line = text[..spanned.span().start].matches('\n').count() + 1;
        let q = spanned.into_inner();
        let before = problems.len();
        let mut problem = |message: String| {
            problems.push(Problem {
                file: file.into(),
                line,
                message: format!("question '{}': {message}", q.id),
            })
        };
        if !super::parse::valid_id(&q.id) {
            problem("the id must be lowercase letters, digits and '-'".into());
        } else if !seen.insert(q.id.clone()) {
            problem("duplicate question id; ids must be unique within a lesson".into());
        }
        if q.prompt.trim().is_empty() {
            problem("`prompt` must not be empty".into());
        }
        if q.explanation.trim().is_empty() {
            problem("`explanation` must not be empty: say why the answer is right".into());
        } else if super::render::too_deep_markdown(&q.explanation) {
            problem(format!(
                "`explanation` nests its lists, quotes or HTML more than {} levels deep; flatten it",
                super::render::MAX_NESTING
            ));
        }
        let correct = match q.kind {
            QuestionKind::TrueFalse => {
                if !q.options.is_empty() || !q.correct.is_empty() {
                    problem(
                        "a true_false question takes `answer = true|false`, not `options` or \
                         `correct`"
                            .into(),
                    );
                }
                match q.answer {
                    Some(true) => vec![0],
                    Some(false) => vec![1],
                    None => {
                        problem("a true_false question needs `answer = true` or `false`".into());
                        vec![]
                    }
                }
            }
            kind => {
                if q.answer.is_some() {
                    problem("`answer` is only for true_false questions; use `correct`".into());
                }
                if !(2..=MAX_OPTIONS).contains(&q.options.len()) {
                    problem(format!(
                        "has {} options; give 2 to {MAX_OPTIONS}",
                        q.options.len()
                    ));
                }
                if let Some(bad) = q.correct.iter().find(|&&i| i >= q.options.len()) {
                    problem(format!(
                        "`correct` names option {bad}, but options are numbered 0 to {}",
                        q.options.len().saturating_sub(1)
                    ));
                }
                let mut distinct = q.correct.clone();
                distinct.sort_unstable();
                distinct.dedup();
                match kind {
                    QuestionKind::Single if distinct.len() != 1 => problem(format!(
                        "a single-choice question needs exactly one correct option, not {}",
                        distinct.len()
                    )),
                    QuestionKind::Multiple if distinct.len() < 2 => problem(format!(
                        "a multiple-choice question needs at least two correct options, not {}; \
                         use kind = \"single\" for one",
                        distinct.len()
                    )),
                    _ => {}
                }
                distinct
            }
        };
        if problems.len() == before {
            let options = if q.kind == QuestionKind::TrueFalse {
                vec!["True".into(), "False".into()]
            } else {
                q.options
            };
            out.push(Question {
                id: q.id,
                kind: q.kind,
                prompt: q.prompt,
                options,
                correct,
                explanation: q.explanation,
            });
        }
    }
    out
}
