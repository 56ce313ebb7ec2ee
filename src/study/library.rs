//! The library: a term's page as the learner browses it, with its lessons and see-also terms.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::content::render::markdown_to_safe_html;
use crate::content::{Lesson, Level, Term};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LessonSummary {
    pub key: String,
    pub title: String,
    pub summary: String,
    #[ts(type = "\"beginner\" | \"intermediate\" | \"advanced\"")]
    pub level: Level,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TermLink {
    pub key: String,
    pub name: String,
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TermPage {
    pub pack: String,
    pub key: String,
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
}

fn term(conn: &Connection, pack: &str, key: &str) -> Result<Option<Term>> {
    let fields: Option<String> = conn
        .prepare_cached(
            "SELECT fields FROM notes WHERE pack_id = ?1 AND key = ?2 AND kind = 'term'",
        )?
        .query_row([pack, key], |r| r.get(0))
        .optional()?;
    fields
        .map(|f| {
            serde_json::from_str(&f)
                .map_err(|e| Error::InvalidInput(format!("term {pack}/{key} cannot be read: {e}")))
        })
        .transpose()
}

pub(crate) fn term_page(conn: &Connection, pack: &str, key: &str) -> Result<TermPage> {
    let term = term(conn, pack, key)?.ok_or_else(|| {
        Error::InvalidInput(format!(
            "no term '{key}' in pack '{pack}'; search the library to find one"
        ))
    })?;
    let area: String = conn
        .query_row("SELECT name FROM packs WHERE id = ?1", [pack], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    let mut lessons = Vec::new();
    let mut lesson_stmt =
        conn.prepare_cached("SELECT fields FROM lessons WHERE pack_id = ?1 AND key = ?2")?;
    for lesson_key in &term.lessons {
        let fields: Option<String> = lesson_stmt
            .query_row([pack, lesson_key.as_str()], |r| r.get(0))
            .optional()?;
        if let Some(lesson) = fields.and_then(|f| serde_json::from_str::<Lesson>(&f).ok()) {
            lessons.push(LessonSummary {
                key: lesson.id,
                title: lesson.title,
                summary: lesson.summary,
                level: lesson.level,
                tags: lesson.tags,
            });
        }
    }
    let mut see_also = Vec::new();
    for other in &term.see_also {
        if let Some(t) = self::term(conn, pack, other)? {
            see_also.push(TermLink {
                key: t.id,
                name: t.name,
                definition: t.definition,
            });
        }
    }
    Ok(TermPage {
        pack: pack.to_owned(),
        key: term.id,
        name: term.name,
        aliases: term.aliases,
        definition: term.definition,
        explanation_html: markdown_to_safe_html(&term.explanation),
        area,
        level: term.level,
        lessons,
        see_also,
    })
}
