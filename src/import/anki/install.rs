//! Writing a converted Anki package into the store, inside the caller's transaction. Notes are
//! upserted by their Anki guid; a card keeps the progress made in Reprise: Anki's schedule and
//! log are taken only for cards new to the collection or never answered in Reprise.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction};

use super::Converted;
use crate::content::install::record_pack;
use crate::content::{Manifest, FORMAT_VERSION};
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::store::{Hidden, NewQueue};

/// How often an install reports progress (and can be cancelled), in notes.
const PROGRESS_EVERY: usize = 500;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Installed {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub new_cards: usize,
    /// Cards already answered in Reprise, whose progress was kept over Anki's.
    pub kept: usize,
    pub reviews: usize,
}

pub fn install(
    tx: &Transaction,
    pack: &Converted,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<Installed> {
    let manifest = Manifest {
        format: FORMAT_VERSION,
        id: pack.id.clone(),
        name: pack.name.clone(),
        version: format!("imported {}", now.format("%Y-%m-%d")),
        author: String::new(),
        license: String::new(),
        description: "Imported from an Anki package.".into(),
    };
    record_pack(tx, &manifest, &pack.content_hash, now)?;
    let disabled: bool = tx.query_row(
        "SELECT enabled = 0 FROM packs WHERE id = ?1",
        [&pack.id],
        |r| r.get(0),
    )?;
    let mut old_fields = tx.prepare_cached("SELECT fields FROM notes WHERE id = ?1")?;
    let mut upsert_note = tx.prepare_cached(
        "INSERT INTO notes (id, pack_id, key, kind, fields, position) VALUES (?1, ?2, ?3, 'flash', ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, position = excluded.position",
    )?;
    // No row: the card is new. Otherwise whether it was answered in Reprise, whose answers have
    // UUIDv7 ids (imported ones UUIDv5).
    let mut answered_here = tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM revlog
                        WHERE card_id = cards.id AND substr(hex(uuid), 13, 1) = '7')
         FROM cards WHERE id = ?1",
    )?;
    let mut upsert_card = tx.prepare_cached(
        "INSERT INTO cards (id, note_id, template, position, new_queue, state, due, stability,
            difficulty, step, interval_days, last_review, reps, lapses, hidden)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (id) DO UPDATE SET position = excluded.position, state = excluded.state,
           due = excluded.due, stability = excluded.stability, difficulty = excluded.difficulty,
           step = excluded.step, interval_days = excluded.interval_days,
           last_review = excluded.last_review, reps = excluded.reps, lapses = excluded.lapses,
           hidden = (cards.hidden & ~?16) | excluded.hidden",
    )?;
    let mut insert_review = tx.prepare_cached(
        "INSERT INTO revlog (uuid, card_id, reviewed_at, rating, elapsed_days, interval_days,
            duration_ms, state_before, state_after, stability_before, difficulty_before,
            stability_after, difficulty_after, last_interval_days)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (uuid) DO NOTHING",
    )?;
    let mut out = Installed::default();
    let mut reviews = Vec::new();
    let total = pack.notes.len();
    for (position, imported) in pack.notes.iter().enumerate() {
        if position % PROGRESS_EVERY == 0 {
            progress(position, total)?;
        }
        let note = NoteId::derive(&pack.id, &imported.key);
        let fields = serde_json::to_string(&imported.note).expect("notes serialize");
        let before: Option<String> = old_fields.query_row([note.0], |r| r.get(0)).optional()?;
        match before {
            None => out.added += 1,
            Some(old) if old == fields => out.unchanged += 1,
            Some(_) => out.updated += 1,
        }
        upsert_note.execute(rusqlite::params![
            note.0,
            pack.id,
            imported.key,
            fields,
            position as i64
        ])?;
        for card in &imported.cards {
            let id = CardId::derive(note, &card.template);
            let answered: Option<bool> =
                answered_here.query_row([id.0], |r| r.get(0)).optional()?;
            if answered == Some(true) {
                out.kept += 1;
                continue;
            }
            if answered.is_none() {
                out.new_cards += 1;
            }
            let s = &card.schedule;
            let mut hidden = Hidden::NONE;
            if card.suspended {
                hidden = hidden.with(Hidden::SUSPENDED);
            }
            if disabled {
                hidden = hidden.with(Hidden::BY_PACK);
            }
            upsert_card.execute(rusqlite::params![
                id.0,
                note.0,
                card.template,
                card.position,
                NewQueue::Normal,
                s.state,
                s.due.map(|d| d.timestamp_millis()),
                s.memory.map(|m| m.stability),
                s.memory.map(|m| m.difficulty),
                s.step,
                s.interval_days,
                s.last_review.map(|d| d.timestamp_millis()),
                s.reps,
                s.lapses,
                hidden,
                Hidden::SUSPENDED,
            ])?;
            reviews.extend(card.reviews.iter().map(|r| (id, r)));
        }
    }
    // In time order, the log's rowids follow time and its time index grows at one end.
    reviews.sort_by_key(|(_, r)| r.reviewed_at);
    for (id, r) in reviews {
        out.reviews += insert_review.execute(rusqlite::params![
            r.uuid.as_bytes().as_slice(),
            id.0,
            r.reviewed_at.timestamp_millis(),
            r.rating.number(),
            r.elapsed_days,
            r.interval_days,
            r.duration_ms,
            r.state_before.to_i64(),
            r.state_after.to_i64(),
            r.before.map(|m| m.stability),
            r.before.map(|m| m.difficulty),
            r.after.stability,
            r.after.difficulty,
            r.last_interval_days,
        ])?;
    }
    crate::browse::index::index_cards(tx, Some(&pack.id))?;
    progress(total, total)?;
    tx.execute("DELETE FROM media WHERE pack_id = ?1", [&pack.id])?;
    let mut media =
        tx.prepare_cached("INSERT INTO media (pack_id, path, data) VALUES (?1, ?2, ?3)")?;
    for (name, data) in &pack.media {
        media.execute(rusqlite::params![pack.id, format!("media/{name}"), data])?;
    }
    Ok(out)
}
