//! A card as the screens show it: the review screen's [`StudyCard`] (content and what each
//! rating would do), `reprise show`'s [`CardInfo`] (memory, schedule, history) and the browser's
//! [`CardDetail`]. Reading only.

use chrono::{DateTime, FixedOffset};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::answer::context;
use super::present::{self, QuizPrompt};
use super::queue::Counts;
use crate::content::render;
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::schedule::{interval_label, CardState, Rating, Schedule, Scheduler};
use crate::store::{self, ReviewEntry};

/// Days until due for each rating; fractions of a day are same-day steps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Intervals {
    pub again: f64,
    pub hard: f64,
    pub good: f64,
    pub easy: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IntervalLabels {
    pub again: String,
    pub hard: String,
    pub good: String,
    pub easy: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StudyCard {
    pub card_id: CardId,
    pub state: CardState,
    #[ts(type = "\"forward\" | \"reverse\" | \"quiz\"")]
    pub direction: String,
    pub prompt: String,
    pub answer: String,
    /// For a flash card (from Anki): the prompt and answer as sanitized HTML with their images
    /// and sounds inlined; `prompt` and `answer` are then their plain text.
    pub prompt_html: Option<String>,
    pub answer_html: Option<String>,
    /// Markdown shown with the answer.
    pub detail: String,
    /// `detail` rendered to sanitized HTML, safe to insert into the page.
    pub detail_html: String,
    /// For a quiz card: its options, answered with [`Collection::answer_quiz`](crate::Collection::answer_quiz).
    pub quiz: Option<QuizPrompt>,
    pub intervals: Intervals,
    pub interval_labels: IntervalLabels,
    pub counts: Counts,
    /// The chance, by FSRS, that the learner recalls it now; null for a new card.
    pub retrievability: Option<f32>,
}

/// A card's content, memory state and history, as `reprise show` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CardInfo {
    pub card_id: CardId,
    /// The note the card asks about (its siblings share it).
    pub note_id: NoteId,
    pub direction: String,
    pub prompt: String,
    pub answer: String,
    pub state: CardState,
    pub stability: Option<f32>,
    pub difficulty: Option<f32>,
    pub retrievability: Option<f32>,
    pub due: Option<String>,
    pub interval_days: f64,
    pub reps: u32,
    pub lapses: u32,
    pub last_review: Option<String>,
    pub reviews: Vec<ReviewEntry>,
}

/// A card in the browser's detail pane.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CardDetail {
    pub card: StudyCard,
    pub info: CardInfo,
    pub tags: Vec<String>,
}

pub(crate) use crate::clock::instant_text as rfc3339;

/// The chance of recall now, for a card with a memory state.
fn retrievability(scheduler: &Scheduler, s: &Schedule, now: DateTime<FixedOffset>) -> Option<f32> {
    s.memory.zip(s.last_review).map(|(memory, last)| {
        scheduler.retrievability_at(memory, last.timestamp_millis(), now.to_utc())
    })
}

/// A card as the review screen shows it, with what each rating would do.
pub(crate) fn study_card(
    conn: &Connection,
    scheduler: &Scheduler,
    id: CardId,
    now: DateTime<FixedOffset>,
    counts: Counts,
) -> Result<StudyCard> {
    let card = store::cards::get_card(conn, id)?;
    let note = store::cards::get_note(conn, card.note_id)?;
    let Shown {
        face,
        prompt_html,
        answer_html,
        detail_html,
    } = shown(conn, &note, &card.template)?;
    let choices = scheduler.choices(&card.schedule, context(id, &card.schedule, now))?;
    let days = |r| choices.get(r).interval_days;
    let label = |r| interval_label(days(r));
    Ok(StudyCard {
        card_id: id,
        state: card.schedule.state,
        direction: card.template,
        prompt: face.prompt,
        answer: face.answer,
        prompt_html,
        answer_html,
        detail_html,
        detail: face.detail,
        quiz: face.quiz,
        intervals: Intervals {
            again: days(Rating::Again),
            hard: days(Rating::Hard),
            good: days(Rating::Good),
            easy: days(Rating::Easy),
        },
        interval_labels: IntervalLabels {
            again: label(Rating::Again),
            hard: label(Rating::Hard),
            good: label(Rating::Good),
            easy: label(Rating::Easy),
        },
        counts,
        retrievability: retrievability(scheduler, &card.schedule, now),
    })
}

/// A card's content as review shows it: its face, with flash cards' HTML made safe and their
/// media inlined, and the detail rendered.
pub(crate) struct Shown {
    pub face: present::Face,
    pub prompt_html: Option<String>,
    pub answer_html: Option<String>,
    pub detail_html: String,
}

pub(crate) fn shown(conn: &Connection, note: &store::NoteRow, template: &str) -> Result<Shown> {
    let face = present::face(note, template)?;
    let media = |name: &str| store::media(conn, &note.pack_id, name);
    let (prompt_html, answer_html) = match &face.html {
        Some((prompt, answer)) => (
            Some(render::html_with_media_to_safe_html(prompt, media)),
            Some(render::html_with_media_to_safe_html(answer, media)),
        ),
        None => (None, None),
    };
    let detail_html = render::markdown_with_media_to_safe_html(&face.detail, |path| {
        store::media_at(conn, &note.pack_id, path).map(std::borrow::Cow::Owned)
    });
    Ok(Shown {
        face,
        prompt_html,
        answer_html,
        detail_html,
    })
}

pub(crate) fn card_info(
    conn: &Connection,
    scheduler: &Scheduler,
    card_id: CardId,
    now: DateTime<FixedOffset>,
) -> Result<CardInfo> {
    let card = store::cards::get_card(conn, card_id)?;
    let face = present::face(&store::cards::get_note(conn, card.note_id)?, &card.template)?;
    let s = &card.schedule;
    Ok(CardInfo {
        card_id,
        note_id: card.note_id,
        direction: card.template.clone(),
        prompt: face.prompt,
        answer: face.answer,
        state: s.state,
        stability: s.memory.map(|m| m.stability),
        difficulty: s.memory.map(|m| m.difficulty),
        retrievability: retrievability(scheduler, s, now),
        due: s.due.map(|d| rfc3339(d, now.offset())),
        interval_days: s.interval_days,
        reps: s.reps,
        lapses: s.lapses,
        last_review: s.last_review.map(|d| rfc3339(d, now.offset())),
        reviews: store::revlog::for_card(conn, card_id, now.offset())?,
    })
}
