//! Installing a validated pack into the store: notes and cards are upserted by their stable
//! ids, so progress survives updates. Notes a newer version drops are kept with their history.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction};

use super::render::markdown_to_text;
use super::Pack;
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::store::NewQueue;

/// The templates of a term note, in the order their new cards are shown: every term → definition
/// card comes before any definition → term card, so a card never gives its sibling away.
pub const TERM_TEMPLATES: [&str; 2] = ["forward", "reverse"];

/// The template of a quiz question's one card.
pub const QUIZ_TEMPLATE: &str = "quiz";

/// The note key of a lesson's quiz question, unique within its pack.
pub fn question_key(lesson: &str, question: &str) -> String {
    format!("quiz:{lesson}/{question}")
}

/// A note inserted, or its text and place updated: its id never changes, so progress stays.
const UPSERT_NOTE: &str = "INSERT INTO notes (id, pack_id, key, kind, fields, position)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, position = excluded.position";

/// A new card; one that exists keeps its schedule.
const INSERT_NEW_CARD: &str = "INSERT INTO cards (id, note_id, template, position)
     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING";

/// What a quiz question's note holds: the question and where it comes from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuestionNote {
    pub lesson: String,
    pub lesson_title: String,
    pub question: super::Question,
}

/// What an install changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Installed {
    pub notes: usize,
    pub new_cards: usize,
    /// False when the same version of the pack was already installed.
    pub changed: bool,
}

pub fn install(tx: &Transaction, pack: &Pack, now: DateTime<Utc>) -> Result<Installed> {
    install_with_progress(tx, pack, now, &mut |_, _| Ok(()))
}

/// How often an install reports progress (and can be cancelled), in terms.
const PROGRESS_EVERY: usize = 200;

/// [`install`], calling `progress(done, total)` every few hundred terms; an error from it (a
/// cancel) stops the install, and the caller's transaction rolls everything back.
pub fn install_with_progress(
    tx: &Transaction,
    pack: &Pack,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<Installed> {
    let id = &pack.manifest.id;
    let existing: Option<String> = tx
        .query_row("SELECT content_hash FROM packs WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    if existing.as_deref() == Some(pack.content_hash.as_str()) {
        return Ok(Installed::default());
    }
    record_pack(tx, &pack.manifest, &pack.content_hash, now)?;
    let mut note_stmt = tx.prepare_cached(UPSERT_NOTE)?;
    let mut insert_card = tx.prepare_cached(INSERT_NEW_CARD)?;
    let mut reorder_card =
        tx.prepare_cached("UPDATE cards SET position = ?2 WHERE id = ?1 AND position != ?2")?;
    let count = pack.terms.len() as i64;
    let mut new_cards = 0;
    for (ordinal, term) in pack.terms.iter().enumerate() {
        if ordinal % PROGRESS_EVERY == 0 {
            progress(ordinal, pack.terms.len())?;
        }
        let note = NoteId::derive(id, &term.id);
        let fields = serde_json::to_string(term).expect("terms serialize");
        note_stmt.execute(rusqlite::params![
            note.0,
            id,
            term.id,
            "term",
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
    new_cards += install_lessons(tx, pack)?;
    new_cards += install_flash(tx, pack, count)?;
    // New cards of a disabled pack stay hidden with the rest of it.
    tx.execute(
        "UPDATE cards SET hidden = hidden | ?2
         WHERE note_id IN (SELECT id FROM notes WHERE pack_id = ?1)
           AND (SELECT enabled FROM packs WHERE id = ?1) = 0",
        rusqlite::params![id, crate::store::Hidden::BY_PACK],
    )?;
    install_areas(tx, pack)?;
    install_media(tx, pack)?;
    index_for_search(tx, pack)?;
    crate::browse::index::index_cards(tx, Some(&pack.manifest.id))?;
    Ok(Installed {
        notes: pack.terms.len()
            + pack.flash.len()
            + pack
                .lessons
                .iter()
                .map(|l| l.questions.len())
                .sum::<usize>(),
        new_cards,
        changed: true,
    })
}

/// Adds the pack to the list of packs, or updates its entry; its enabled flag stays.
pub(crate) fn record_pack(
    tx: &Transaction,
    manifest: &super::Manifest,
    content_hash: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO packs (id, name, version, content_hash, installed_at, manifest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version,
           content_hash = excluded.content_hash, installed_at = excluded.installed_at,
           manifest = excluded.manifest",
        rusqlite::params![
            manifest.id,
            manifest.name,
            manifest.version,
            content_hash,
            now.timestamp_millis(),
            serde_json::to_string(manifest).expect("manifests serialize")
        ],
    )?;
    Ok(())
}

/// Stores the lessons and makes a note and a card for each quiz question. A question's card
/// waits until its lesson is finished; one added to a lesson already finished is ready at once.
/// Returns how many cards were new.
fn install_lessons(tx: &Transaction, pack: &Pack) -> Result<usize> {
    let id = &pack.manifest.id;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO lessons (id, pack_id, key, fields, position) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, position = excluded.position",
    )?;
    let mut note_stmt = tx.prepare_cached(
        "INSERT INTO notes (id, pack_id, key, kind, fields, position)
         VALUES (?1, ?2, ?3, 'question', ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, position = excluded.position",
    )?;
    let mut card_stmt = tx.prepare_cached(
        "INSERT INTO cards (id, note_id, template, position, new_queue) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO NOTHING",
    )?;
    let mut reorder_card =
        tx.prepare_cached("UPDATE cards SET position = ?2 WHERE id = ?1 AND position != ?2")?;
    let mut finished_stmt = tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM quiz_attempts WHERE pack_id = ?1 AND lesson_key = ?2)",
    )?;
    // Negative positions: once unlocked, a lesson's questions come before its terms' cards.
    let total: i64 = pack.lessons.iter().map(|l| l.questions.len() as i64).sum();
    let mut ordinal = 0;
    let mut new_cards = 0;
    for lesson in &pack.lessons {
        let finished: bool = finished_stmt.query_row([id, &lesson.id], |r| r.get(0))?;
        let queue = if finished {
            NewQueue::First
        } else {
            NewQueue::Locked
        };
        for question in &lesson.questions {
            let key = question_key(&lesson.id, &question.id);
            let note = NoteId::derive(id, &key);
            let fields = QuestionNote {
                lesson: lesson.id.clone(),
                lesson_title: lesson.title.clone(),
                question: question.clone(),
            };
            let fields = serde_json::to_string(&fields).expect("questions serialize");
            let position = ordinal - total;
            note_stmt.execute(rusqlite::params![note.0, id, key, fields, position])?;
            let card = CardId::derive(note, QUIZ_TEMPLATE);
            let params = rusqlite::params![card.0, note.0, QUIZ_TEMPLATE, position, queue];
            if card_stmt.execute(params)? == 1 {
                new_cards += 1;
            } else {
                reorder_card.execute(rusqlite::params![card.0, position])?;
            }
            ordinal += 1;
        }
    }
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
    Ok(new_cards)
}

/// Stores the flash notes and their cards, after the terms' cards in the new-card order.
/// Returns how many cards were new.
fn install_flash(tx: &Transaction, pack: &Pack, after: i64) -> Result<usize> {
    let id = &pack.manifest.id;
    let mut note_stmt = tx.prepare_cached(UPSERT_NOTE)?;
    let mut card_stmt = tx.prepare_cached(INSERT_NEW_CARD)?;
    let mut new_cards = 0;
    let base = 2 * after;
    for (ordinal, entry) in pack.flash.iter().enumerate() {
        let note = NoteId::derive(id, &entry.key);
        let fields = serde_json::to_string(&entry.note).expect("flash notes serialize");
        let position = base + ordinal as i64;
        note_stmt.execute(rusqlite::params![
            note.0, id, entry.key, "flash", fields, position
        ])?;
        for template in &entry.cards {
            let card = CardId::derive(note, template);
            new_cards +=
                card_stmt.execute(rusqlite::params![card.0, note.0, template, position])?;
        }
    }
    Ok(new_cards)
}

fn install_areas(tx: &Transaction, pack: &Pack) -> Result<()> {
    let id = &pack.manifest.id;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO areas (id, pack_id, key, fields, position) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, position = excluded.position",
    )?;
    for (position, area) in pack.areas.iter().enumerate() {
        let area_id = NoteId::derive(id, &format!("area:{}", area.id));
        let fields = serde_json::to_string(area).expect("areas serialize");
        stmt.execute(rusqlite::params![
            area_id.0,
            id,
            area.id,
            fields,
            position as i64
        ])?;
    }
    Ok(())
}

/// Replaces the pack's media with the files of this version.
fn install_media(tx: &Transaction, pack: &Pack) -> Result<()> {
    let id = &pack.manifest.id;
    tx.execute("DELETE FROM media WHERE pack_id = ?1", [id])?;
    let mut stmt =
        tx.prepare_cached("INSERT INTO media (pack_id, path, data) VALUES (?1, ?2, ?3)")?;
    for (path, data) in &pack.media {
        stmt.execute(rusqlite::params![id, path, data])?;
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
