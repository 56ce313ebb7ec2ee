//! What a card shows: the prompt, the answer and the details revealed with it, from its note.
//! Term cards are revealed and rated; quiz cards are answered by choosing options.

use serde::Serialize;
use ts_rs::TS;

use crate::content::flash::{strip_sounds, FlashNote};
use crate::content::install::QuestionNote;
use crate::content::{QuestionKind, Term};
use crate::error::{Error, Result};
use crate::import::html_to_text;
use crate::schedule::Rating;
use crate::store::NoteRow;

/// A quiz question as a review card shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct QuizPrompt {
    #[ts(type = "\"single\" | \"multiple\" | \"true_false\"")]
    pub kind: QuestionKind,
    pub options: Vec<String>,
    /// The right options, sorted; shown once the learner has chosen.
    pub correct: Vec<u32>,
    pub lesson_key: String,
    pub lesson_title: String,
}

pub(crate) struct Face {
    pub prompt: String,
    pub answer: String,
    pub detail: String,
    pub quiz: Option<QuizPrompt>,
    /// For a flash card: the prompt and answer as HTML still naming their media files.
    pub html: Option<(String, String)>,
}

pub(crate) fn face(note: &NoteRow, template: &str) -> Result<Face> {
    let broken = |why: String| Error::corrupt(format!("note {} cannot be shown: {why}", note.id.0));
    match note.kind.as_str() {
        "term" => {
            let term: Term =
                serde_json::from_str(&note.fields).map_err(|e| broken(e.to_string()))?;
            term_face(term, template)
                .ok_or_else(|| broken(format!("unknown template '{template}'")))
        }
        "question" => {
            let note: QuestionNote =
                serde_json::from_str(&note.fields).map_err(|e| broken(e.to_string()))?;
            Ok(question_face(note))
        }
        "flash" => {
            let note: FlashNote =
                serde_json::from_str(&note.fields).map_err(|e| broken(e.to_string()))?;
            flash_face(&note, template)
                .ok_or_else(|| broken(format!("unknown template '{template}'")))
        }
        other => Err(broken(format!("unknown note kind '{other}'"))),
    }
}

/// A flash card's face: its text as plain text, and as HTML for the review screen.
pub(crate) fn flash_face(note: &FlashNote, template: &str) -> Option<Face> {
    let face = note.face(template)?;
    Some(Face {
        prompt: html_to_text(&strip_sounds(&face.prompt)),
        answer: html_to_text(&strip_sounds(&face.answer)),
        detail: String::new(),
        quiz: None,
        html: Some((face.prompt, face.answer)),
    })
}

fn term_face(term: Term, template: &str) -> Option<Face> {
    let name = if term.aliases.is_empty() {
        term.name.clone()
    } else {
        format!("{} ({})", term.name, term.aliases.join(", "))
    };
    Some(match template {
        "forward" => Face {
            prompt: name,
            answer: term.definition,
            detail: term.explanation,
            quiz: None,
            html: None,
        },
        "reverse" => Face {
            prompt: term.definition,
            answer: name,
            detail: term.explanation,
            quiz: None,
            html: None,
        },
        _ => return None,
    })
}

fn question_face(note: QuestionNote) -> Face {
    let q = note.question;
    let mut correct: Vec<u32> = q.correct.iter().map(|&i| i as u32).collect();
    correct.sort_unstable();
    let answer = q
        .correct
        .iter()
        .filter_map(|&i| q.options.get(i).cloned())
        .collect::<Vec<_>>()
        .join("; ");
    Face {
        prompt: q.prompt,
        answer,
        detail: q.explanation,
        quiz: Some(QuizPrompt {
            kind: q.kind,
            options: q.options,
            correct,
            lesson_key: note.lesson,
            lesson_title: note.lesson_title,
        }),
        html: None,
    }
}

impl QuizPrompt {
    /// Whether `chosen` (0-based) are exactly the right options, whatever their order or repeats.
    pub fn is_right(&self, chosen: &[u32]) -> bool {
        picks_match(chosen, &self.correct)
    }
}

/// The rating a quiz answer gets: Again when `chosen` is not exactly the right options (order and
/// repeats do not matter), else `wanted` (Hard, Good or Easy; Good if none). `Err` says why the
/// answer cannot be taken.
pub(crate) fn quiz_rating(
    quiz: &QuizPrompt,
    chosen: &[u32],
    wanted: Option<Rating>,
) -> Result<Rating, String> {
    if let Some(bad) = chosen.iter().find(|&&i| i as usize >= quiz.options.len()) {
        return Err(format!(
            "option {} does not exist; the options are 1 to {}",
            bad + 1,
            quiz.options.len()
        ));
    }
    if chosen.is_empty() {
        return Err("choose at least one option".into());
    }
    if !quiz.is_right(chosen) {
        return Ok(Rating::Again);
    }
    match wanted {
        None => Ok(Rating::Good),
        Some(Rating::Again) => Err(
            "a right answer is rated hard, good or easy; a wrong one is rated again on its own"
                .into(),
        ),
        Some(r) => Ok(r),
    }
}

/// Whether the options picked are exactly `correct` (sorted), whatever their order or repeats.
pub(crate) fn picks_match(chosen: &[u32], correct: &[u32]) -> bool {
    let mut picked = chosen.to_vec();
    picked.sort_unstable();
    picked.dedup();
    picked == correct
}
