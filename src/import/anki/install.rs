//! Writing a converted Anki package into the store, inside the caller's transaction. Notes are
//! upserted by their Anki guid; a card keeps the progress made in Reprise: Anki's schedule and
//! log are taken only for cards new to the collection or never answered in Reprise.

use chrono::{DateTime, Utc};
use rusqlite::Transaction;

use super::Converted;
use crate::content::{Manifest, FORMAT_VERSION};
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::store::{self, anki, install, Batch, Hidden};

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
    store::packs::record(tx, &manifest, &pack.content_hash, now)?;
    // The learner's edits of the deck's notes outlive a new import of it.
    let edited = store::notes::edited_in_pack(tx, &pack.id)?;
    let disabled = store::packs::is_disabled(tx, &pack.id)?;
    let mut out = Installed::default();
    let mut reviews = Vec::new();
    let total = pack.notes.len();
    let mut batch = Batch::new(tx);
    // Rows go in in id order: each table's B-tree then grows at one end (ids are hashes, so
    // the package's order would touch a random page per row, and leave pages half full).
    let mut notes: Vec<(NoteId, usize)> = (pack.notes.iter().enumerate())
        .map(|(position, imported)| (NoteId::derive(&pack.id, &imported.key), position))
        .collect();
    notes.sort_unstable();
    let mut cards = Vec::new();
    for (done, &(note, position)) in notes.iter().enumerate() {
        if done % PROGRESS_EVERY == 0 {
            progress(done, total)?;
        }
        let imported = &pack.notes[position];
        let fields = serde_json::to_string(&imported.note).expect("notes serialize");
        match store::cards::note_fields(&mut batch, note)? {
            None => out.added += 1,
            Some(old) if old == fields => out.unchanged += 1,
            Some(_) => out.updated += 1,
        }
        install::upsert_note(
            &mut batch,
            note,
            &pack.id,
            &imported.key,
            "flash",
            &fields,
            position as i64,
        )?;
        cards.extend(
            (imported.cards.iter()).map(|card| (CardId::derive(note, &card.template), note, card)),
        );
    }
    cards.sort_unstable_by_key(|(id, _, _)| *id);
    for (id, note, card) in cards {
        let answered = anki::answered_here(&mut batch, id)?;
        if answered == Some(true) {
            out.kept += 1;
            continue;
        }
        if answered.is_none() {
            out.new_cards += 1;
        }
        let mut hidden = Hidden::NONE;
        if card.suspended {
            hidden = hidden.with(Hidden::SUSPENDED);
        }
        if disabled {
            hidden = hidden.with(Hidden::BY_PACK);
        }
        let (template, position) = (&card.template, card.position);
        anki::upsert_card(
            &mut batch,
            id,
            note,
            template,
            position,
            &card.schedule,
            hidden,
        )?;
        reviews.extend(card.reviews.iter().map(|r| (id, r)));
    }
    // In time order, the log's rowids follow time and its time index grows at one end.
    reviews.sort_by_key(|(_, r)| r.reviewed_at);
    for (id, r) in reviews {
        out.reviews += usize::from(anki::insert_review(&mut batch, id, r)?);
    }
    crate::notes::write::keep_edits(tx, &edited)?;
    crate::browse::index::index_cards(tx, Some(&pack.id))?;
    progress(total, total)?;
    let media = pack.media.iter();
    let files = media.map(|(name, data)| (format!("media/{name}"), data.as_slice()));
    install::replace_media(tx, &pack.id, files)?;
    Ok(out)
}
