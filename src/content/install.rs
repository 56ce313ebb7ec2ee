//! Installing a validated pack into the store: notes and cards are upserted by their stable
//! ids, so progress survives updates. Notes a newer version drops are kept with their history.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction};

use super::render::markdown_to_text;
use super::Pack;
use crate::error::Result;
use crate::ids::{CardId, NoteId};

/// The templates of a term note, in the order their new cards are shown: every term → definition
/// card comes before any definition → term card, so a card never gives its sibling away.
pub const TERM_TEMPLATES: [&str; 2] = ["forward", "reverse"];

/// What an install changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Installed {
    pub notes: usize,
    pub new_cards: usize,
    /// False when the same version of the pack was already installed.
    pub changed: bool,
}

pub fn install(tx: &Transaction, pack: &Pack, now: DateTime<Utc>) -> Result<Installed> {
    let id = &pack.manifest.id;
    let existing: Option<String> = tx
        .query_row("SELECT content_hash FROM packs WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    if existing.as_deref() == Some(pack.content_hash.as_str()) {
        return Ok(Installed::default());
    }
    tx.execute(
        "INSERT INTO packs (id, name, version, content_hash, installed_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version,
           content_hash = excluded.content_hash, installed_at = excluded.installed_at",
        rusqlite::params![
            id,
            pack.manifest.name,
            pack.manifest.version,
            pack.content_hash,
            now.timestamp()
        ],
    )?;
    let mut note_stmt = tx.prepare_cached(
        "INSERT INTO notes (id, pack_id, key, kind, fields, position) VALUES (?1, ?2, ?3, 'term', ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, position = excluded.position",
    )?;
    let mut insert_card = tx.prepare_cached(
        "INSERT INTO cards (id, note_id, template, position) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO NOTHING",
    )?;
    let mut reorder_card =
        tx.prepare_cached("UPDATE cards SET position = ?2 WHERE id = ?1 AND position != ?2")?;
    let count = pack.terms.len() as i64;
    let mut new_cards = 0;
    for (ordinal, term) in pack.terms.iter().enumerate() {
        let note = NoteId::derive(id, &term.id);
        let fields = serde_json::to_string(term).expect("terms serialize");
        note_stmt.execute(rusqlite::params![
            note.0,
            id,
            term.id,
            fields,
            ordinal as i64
        ])?;
        for (t, template) in TERM_TEMPLATES.iter().enumerate() {
            let card = CardId::derive(note, template);
            let position = t as i64 * count + ordinal as i64;
            if insert_card.execute(rusqlite::params![card.0, note.0, template, position])? == 1 {
                new_cards += 1;
            } else {
                reorder_card.execute(rusqlite::params![card.0, position])?;
            }
        }
    }
    install_lessons(tx, pack)?;
    index_for_search(tx, pack)?;
    Ok(Installed {
        notes: pack.terms.len(),
        new_cards,
        changed: true,
    })
}

fn install_lessons(tx: &Transaction, pack: &Pack) -> Result<()> {
    let id = &pack.manifest.id;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO lessons (id, pack_id, key, fields, position) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, position = excluded.position",
    )?;
    for (position, lesson) in pack.lessons.iter().enumerate() {
        let lesson_id = NoteId::derive(id, &format!("lesson:{}", lesson.id));
        let fields = serde_json::to_string(lesson).expect("lessons serialize");
        stmt.execute(rusqlite::params![
            lesson_id.0,
            id,
            lesson.id,
            fields,
            position as i64
        ])?;
    }
    Ok(())
}

/// Replaces the pack's rows in the search index with its current terms and lessons.
fn index_for_search(tx: &Transaction, pack: &Pack) -> Result<()> {
    let id = &pack.manifest.id;
    tx.execute("DELETE FROM search WHERE pack_id = ?1", [id])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO search (kind, key, pack_id, name, title, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for term in &pack.terms {
        let title = std::iter::once(term.name.as_str())
            .chain(term.aliases.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        let body = format!(
            "{}\n\n{}",
            term.definition,
            markdown_to_text(&term.explanation)
        );
        stmt.execute(rusqlite::params![
            "term", term.id, id, term.name, title, body
        ])?;
    }
    for lesson in &pack.lessons {
        let body = format!("{}\n\n{}", lesson.summary, markdown_to_text(&lesson.body));
        stmt.execute(rusqlite::params![
            "lesson",
            lesson.id,
            id,
            lesson.title,
            lesson.title,
            body
        ])?;
    }
    Ok(())
}
