//! The library: the areas with their lessons and terms, and a term's page with its lessons and
//! see-also terms.

use chrono::DateTime;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::content::render::{markdown_to_safe_html, markdown_with_media_to_safe_html};
use crate::content::{Area, Lesson, Level, Term};
use crate::error::{Error, Result};
use crate::ids::PackId;
use crate::store;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LessonSummary {
    pub key: String,
    pub title: String,
    pub summary: String,
    #[ts(type = "\"beginner\" | \"intermediate\" | \"advanced\"")]
    pub level: Level,
    pub tags: Vec<String>,
    /// The best quiz score so far; none until the lesson is finished.
    pub best: Option<Score>,
}

/// A quiz score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Score {
    pub correct: u32,
    pub total: u32,
    /// RFC 3339, UTC.
    pub taken_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TermLink {
    /// The term's pack: a see-also link may lead to another pack's term.
    pub pack: PackId,
    pub key: String,
    pub name: String,
    pub definition: String,
    #[ts(type = "\"beginner\" | \"intermediate\" | \"advanced\"")]
    pub level: Level,
}

/// An area of a pack as the library lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LibraryArea {
    pub pack: PackId,
    pub key: String,
    pub name: String,
    pub description_html: String,
    /// Whether its pack is switched on: an area switched off can be read, but its cards are not
    /// studied.
    pub enabled: bool,
    /// In learning order.
    pub lessons: Vec<LessonSummary>,
    /// By name.
    pub terms: Vec<TermLink>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TermPage {
    pub pack: PackId,
    pub key: String,
    /// The term's note, to edit it.
    pub note_id: crate::ids::NoteId,
    /// Whether the learner changed the pack's text of the term (the editor shows both).
    pub edited: bool,
    pub name: String,
    pub aliases: Vec<String>,
    pub definition: String,
    /// The explanation rendered to sanitized HTML.
    pub explanation_html: String,
    pub area: String,
    #[ts(type = "\"beginner\" | \"intermediate\" | \"advanced\"")]
    pub level: Level,
    pub lessons: Vec<LessonSummary>,
    pub see_also: Vec<TermLink>,
    /// https addresses where the term's facts can be checked.
    pub sources: Vec<String>,
}

fn term(conn: &Connection, pack: &str, key: &str) -> Result<Option<Term>> {
    store::library::term_fields(conn, pack, key)?
        .map(|f| {
            serde_json::from_str(&f)
                .map_err(|e| Error::corrupt(format!("term {pack}/{key} cannot be read: {e}")))
        })
        .transpose()
}

pub(crate) fn term_page(conn: &Connection, pack: &str, key: &str) -> Result<TermPage> {
    let term = term(conn, pack, key)?.ok_or_else(|| Error::NotFound {
        what: "term",
        id: key.into(),
        within: format!(" in pack '{pack}'"),
        hint: "search the library to find one",
    })?;
    // A term the learner wrote names its area by a label of their own.
    let area = area(conn, pack, &term.area)?
        .map(|a| a.name)
        .unwrap_or_else(|| term.area.clone());
    let mut lessons = Vec::new();
    for lesson_key in &term.lessons {
        if let Ok(lesson) = super::lessons::lesson(conn, pack, lesson_key) {
            lessons.push(lesson_summary(conn, pack, lesson)?);
        }
    }
    let mut see_also = Vec::new();
    for other in &term.see_also {
        // `pack/term` names another pack's term; it shows once that pack is installed.
        let (in_pack, key) = other.split_once('/').unwrap_or((pack, other));
        if let Some(link) = term_link(conn, in_pack, key)? {
            see_also.push(link);
        }
    }
    let explanation_html = markdown_with_media_to_safe_html(&term.explanation, |path| {
        store::media_at(conn, pack, path).map(std::borrow::Cow::Owned)
    });
    let note_id = crate::ids::NoteId::derive(pack, &term.id);
    let edited = store::notes::get(conn, note_id)?.is_some_and(|n| n.pack_text.is_some());
    Ok(TermPage {
        pack: pack.into(),
        note_id,
        edited,
        key: term.id,
        name: term.name,
        aliases: term.aliases,
        definition: term.definition,
        explanation_html,
        area,
        level: term.level,
        lessons,
        see_also,
        sources: term.sources,
    })
}

pub(crate) fn term_link(conn: &Connection, pack: &str, key: &str) -> Result<Option<TermLink>> {
    Ok(term(conn, pack, key)?.map(|t| TermLink {
        pack: pack.into(),
        key: t.id,
        name: t.name,
        definition: t.definition,
        level: t.level,
    }))
}

fn area(conn: &Connection, pack: &str, key: &str) -> Result<Option<Area>> {
    Ok(store::library::area_fields(conn, pack, key)?.and_then(|f| serde_json::from_str(&f).ok()))
}

/// The area a lesson belongs to: that of the first term it teaches.
pub(crate) fn area_of_lesson(conn: &Connection, pack: &str, lesson: &Lesson) -> Result<String> {
    for key in &lesson.terms {
        if let Some(t) = term(conn, pack, key)? {
            return Ok(area(conn, pack, &t.area)?
                .map(|a| a.name)
                .unwrap_or_default());
        }
    }
    Ok(String::new())
}

fn best_score(conn: &Connection, pack: &str, lesson: &str) -> Result<Option<Score>> {
    Ok(
        store::library::best_attempt(conn, pack, lesson)?.map(|(correct, total, at)| Score {
            correct,
            total,
            taken_at: crate::clock::utc_text(
                DateTime::from_timestamp_millis(at).unwrap_or_default(),
            ),
        }),
    )
}

pub(crate) fn lesson_summary(
    conn: &Connection,
    pack: &str,
    lesson: Lesson,
) -> Result<LessonSummary> {
    Ok(LessonSummary {
        best: best_score(conn, pack, &lesson.id)?,
        key: lesson.id,
        title: lesson.title,
        summary: lesson.summary,
        level: lesson.level,
        tags: lesson.tags,
    })
}

/// Every installed area with its lessons and terms, whether its pack is switched on or not.
pub(crate) fn library(conn: &Connection) -> Result<Vec<LibraryArea>> {
    let unreadable = |what: &str, e: serde_json::Error| {
        Error::corrupt(format!("{what} in the collection cannot be read: {e}"))
    };
    let enabled = store::packs::enabled(conn)?;
    let mut out: Vec<LibraryArea> = Vec::new();
    for (pack, fields) in store::library::areas(conn)? {
        let area: Area = serde_json::from_str(&fields).map_err(|e| unreadable("an area", e))?;
        out.push(LibraryArea {
            description_html: markdown_to_safe_html(&area.description),
            enabled: enabled.get(&pack).copied().unwrap_or(true),
            pack: pack.into(),
            key: area.id,
            name: area.name,
            lessons: vec![],
            terms: vec![],
        });
    }
    let slot = |out: &[LibraryArea], pack: &str, area: &str| {
        out.iter()
            .position(|a| a.pack == pack && a.key == area)
            .or_else(|| out.iter().position(|a| a.pack == pack))
    };
    let mut term_area = std::collections::HashMap::new();
    for (pack, fields) in store::library::terms(conn)? {
        let t: Term = serde_json::from_str(&fields).map_err(|e| unreadable("a term", e))?;
        term_area.insert((pack.clone(), t.id.clone()), t.area.clone());
        if let Some(i) = slot(&out, &pack, &t.area) {
            out[i].terms.push(TermLink {
                pack: pack.as_str().into(),
                key: t.id,
                name: t.name,
                definition: t.definition,
                level: t.level,
            });
        }
    }
    for (pack, fields) in store::library::lessons(conn)? {
        let lesson: Lesson =
            serde_json::from_str(&fields).map_err(|e| unreadable("a lesson", e))?;
        let area = lesson
            .terms
            .iter()
            .find_map(|t| term_area.get(&(pack.clone(), t.clone())))
            .cloned()
            .unwrap_or_default();
        if let Some(i) = slot(&out, &pack, &area) {
            let summary = lesson_summary(conn, &pack, lesson)?;
            out[i].lessons.push(summary);
        }
    }
    for area in &mut out {
        area.terms
            .sort_by_cached_key(|t| (t.name.to_lowercase(), t.key.clone()));
    }
    // The curriculum's areas first, in its order; then the packs installed after.
    out.sort_by_key(|a| crate::content::source::curriculum_rank(a.pack.as_str()));
    Ok(out)
}
