//! Notes' tags: one row per note and tag.

use rusqlite::Connection;

use super::Batch;
use crate::error::{Error, Result};
use crate::ids::NoteId;

/// The longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 60;

/// Adds `tag` to the note; false if it had it already.
pub fn add(batch: &mut Batch, note: NoteId, tag: &str) -> Result<bool> {
    let added = batch
        .stmt("INSERT OR IGNORE INTO note_tags (note_id, tag) VALUES (?1, ?2)")?
        .execute(rusqlite::params![note.0, tag])?;
    Ok(added > 0)
}

/// Takes `tag` off the note; false if it did not have it.
pub fn remove(conn: &Connection, note: NoteId, tag: &str) -> Result<bool> {
    let removed = conn
        .prepare_cached("DELETE FROM note_tags WHERE note_id = ?1 AND tag = ?2")?
        .execute(rusqlite::params![note.0, tag])?;
    Ok(removed > 0)
}

/// The tags of a card's note, sorted.
pub fn of_card(conn: &Connection, card: crate::ids::CardId) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT tag FROM note_tags WHERE note_id = (SELECT note_id FROM cards WHERE id = ?1)
             ORDER BY tag",
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
        .prepare_cached("SELECT tag FROM note_tags WHERE note_id = ?1 ORDER BY tag")?
        .query_map([note.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
