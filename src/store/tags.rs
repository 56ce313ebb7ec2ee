//! Notes' tags: each tag's name once in `tags`, and a row per note and tag number in
//! `note_tags`.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::Batch;
use crate::error::{Error, Result};
use crate::ids::NoteId;

/// The longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 60;

/// Adds `tag` to the note; false if it had it already.
pub fn add(batch: &mut Batch, note: NoteId, tag: &str) -> Result<bool> {
    Numbers::default().add(batch, note, tag)
}

/// Tags' numbers, each looked up once, for a writer that tags many notes (an import's 100k
/// notes share a few tags).
#[derive(Default)]
pub struct Numbers(HashMap<String, i64>);

impl Numbers {
    /// Adds `tag` to the note; false if it had it already.
    pub fn add(&mut self, batch: &mut Batch, note: NoteId, tag: &str) -> Result<bool> {
        let number = match self.0.get(tag) {
            Some(&number) => number,
            None => {
                let number = number(batch, tag)?;
                self.0.insert(tag.to_owned(), number);
                number
            }
        };
        let added = batch
            .stmt("INSERT OR IGNORE INTO note_tags (note_id, tag_id) VALUES (?1, ?2)")?
            .execute([note.0, number])?;
        Ok(added > 0)
    }
}

/// The number `tag` is stored under, given one if it is new.
fn number(batch: &mut Batch, tag: &str) -> Result<i64> {
    let known = batch
        .stmt("SELECT id FROM tags WHERE name = ?1")?
        .query_row([tag], |r| r.get(0))
        .optional()?;
    match known {
        Some(number) => Ok(number),
        None => Ok(batch
            .stmt("INSERT INTO tags (name) VALUES (?1) RETURNING id")?
            .query_row([tag], |r| r.get(0))?),
    }
}

/// Takes `tag` off the note; false if it did not have it.
pub fn remove(conn: &Connection, note: NoteId, tag: &str) -> Result<bool> {
    let removed = conn
        .prepare_cached(
            "DELETE FROM note_tags
             WHERE note_id = ?1 AND tag_id = (SELECT id FROM tags WHERE name = ?2)",
        )?
        .execute(rusqlite::params![note.0, tag])?;
    Ok(removed > 0)
}

/// The tags of a card's note, sorted.
pub fn of_card(conn: &Connection, card: crate::ids::CardId) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT t.name FROM note_tags n JOIN tags t ON t.id = n.tag_id
             WHERE n.note_id = (SELECT note_id FROM cards WHERE id = ?1)
             ORDER BY t.name",
        )?
        .query_map([card.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// A tag as the learner typed it, trimmed, or why it is not one: one word of letters, digits,
/// `-`, `_`, `:` or `/`, at most [`MAX_TAG_CHARS`] long.
pub fn parse(tag: &str) -> Result<&str> {
    let tag = tag.trim();
    let valid = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '/');
    if tag.is_empty() || !tag.chars().all(valid) || tag.chars().count() > MAX_TAG_CHARS {
        return Err(Error::invalid("tag", format!(
            "'{tag}' is not a tag; use one word of letters, digits, -, _, : or / (at most {MAX_TAG_CHARS})"
        )));
    }
    Ok(tag)
}

/// A note's tags, sorted.
pub fn of_note(conn: &Connection, note: NoteId) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT t.name FROM note_tags n JOIN tags t ON t.id = n.tag_id
             WHERE n.note_id = ?1 ORDER BY t.name",
        )?
        .query_map([note.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
