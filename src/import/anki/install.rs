//! Writing a converted Anki package into the store, inside the caller's transaction. Notes are
//! upserted by their Anki guid; a card keeps the progress made in Reprise: Anki's schedule and
//! log are taken only for cards new to the collection or never answered in Reprise.

use std::sync::mpsc;

use chrono::{DateTime, Utc};
use rusqlite::Transaction;

use super::Converted;
use crate::browse::index::FlashText;
use crate::content::{Manifest, FORMAT_VERSION};
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::import::Step;
use crate::store::review_quarters::Tally;
use crate::store::{self, anki, install, Batch, Hidden};

/// How often an install reports progress (and can be cancelled), in notes or cards.
const PROGRESS_EVERY: usize = 500;

/// How often the log's rows report progress: each costs a few microseconds, a note hundreds.
const PROGRESS_ROWS: usize = 1 << 14;

type Progress<'p> = &'p mut dyn FnMut(Step, usize, usize) -> Result<()>;

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

/// A card of the package, by its id, its note and where it is in the package.
struct Listed {
    id: CardId,
    note: NoteId,
    /// The note's place in the package, and the card's among the note's.
    position: usize,
    at: usize,
}

impl Listed {
    fn card<'p>(&self, pack: &'p Converted) -> &'p super::ImportedCard {
        &pack.notes[self.position].cards[self.at]
    }
}

/// How to write the package's rows.
struct Rows<'a> {
    /// A first import: nothing to compare, keep or index again, and the index is written from
    /// the notes in memory.
    first: bool,
    kept: &'a install::Kept,
    disabled: bool,
}

impl Rows<'_> {
    /// Writes the review log, notes and cards (and, on a first import, the browser's index).
    /// The package's log is freed once written (64 MB for a million rows).
    fn write(
        &self,
        pack: &mut Converted,
        tx: &Transaction,
        progress: Progress,
    ) -> Result<Installed> {
        let Rows {
            first,
            kept,
            disabled,
        } = *self;
        let mut out = Installed::default();
        let total = pack.notes.len();
        let mut batch = Batch::new(tx);
        // Rows go in in id order: each table's B-tree then grows at one end (ids are hashes, so
        // the package's order would touch a random page per row, and leave pages half full).
        let mut notes: Vec<(NoteId, usize)> = (pack.notes.iter().enumerate())
            .map(|(position, imported)| (NoteId::derive(&pack.id, &imported.key), position))
            .collect();
        notes.sort_unstable();
        let mut cards: Vec<Listed> = (notes.iter())
            .flat_map(|&(note, position)| {
                let of_note = pack.notes[position].cards.iter().enumerate();
                of_note.map(move |(at, card)| Listed {
                    id: CardId::derive(note, &card.template),
                    note,
                    position,
                    at,
                })
            })
            .collect();
        // Two cards of one note with one template (a package may hold them) are one card.
        cards.sort_by_key(|c| c.id);
        cards.dedup_by_key(|c| c.id);
        // Whether each card was answered in Reprise (`None`: it is new here); such a card keeps
        // its progress, and takes none of Anki's log.
        let mut answered = Vec::with_capacity(cards.len());
        // The log rows to write, 8 bytes each: (row of the package's log, card of `cards`). A
        // package (at most 2 GiB) holds far fewer than 2^32 of either.
        let mut reviews: Vec<(u32, u32)> = Vec::with_capacity(pack.log.len());
        // Whether the log held answers of each card before (only their answers may be logged
        // already: a package imported again, or its answers synced from another device).
        let mut known = vec![false; cards.len()];
        for (listed_at, listed) in cards.iter().enumerate() {
            let here = match first {
                true => None,
                false => anki::answered_here(&mut batch, listed.id)?,
            };
            if here != Some(true) {
                let of_card = listed.card(pack).reviews.clone();
                if !of_card.is_empty() {
                    known[listed_at] = anki::has_answers(&mut batch, listed.id)?;
                }
                reviews.extend(of_card.map(|at| (at as u32, listed_at as u32)));
            }
            answered.push(here);
        }
        // The log first, while the rest of the package is still to be written: it is the
        // largest part, its rows are freed once written, and its pages are not read again, so
        // a small page cache writes them out instead of keeping them. In the log's order (by
        // card, time and id; `cards` is in id order), its B-tree grows at one end.
        let log = &pack.log;
        reviews.sort_unstable_by_key(|&(at, listed_at)| {
            let r = &log[at as usize];
            (listed_at, r.reviewed_ms, r.uuid)
        });
        let mut tally = Tally::default();
        store::bulk::with_cache(tx, store::bulk::APPEND_CACHE_KIB, || {
            let mut rows = Vec::with_capacity(PROGRESS_ROWS);
            for (done, part) in reviews.chunks(PROGRESS_ROWS).enumerate() {
                progress(Step::SavingReviews, done * PROGRESS_ROWS, reviews.len())?;
                rows.clear();
                rows.extend((part.iter()).map(|&(at, listed_at)| {
                    let listed_at = listed_at as usize;
                    (cards[listed_at].id, &log[at as usize], known[listed_at])
                }));
                out.reviews += anki::insert_reviews(&mut batch, &rows, &mut tally)?;
            }
            Ok(())
        })?;
        if !reviews.is_empty() {
            progress(Step::SavingReviews, reviews.len(), reviews.len())?;
        }
        tally.write(tx)?;
        drop(reviews);
        pack.log = Vec::new();
        let pack = &*pack;
        std::thread::scope(|scope| {
            // A first import's notes and cards are written with what another thread makes of
            // them meanwhile, in the order they are written: each note's packed fields, then
            // each card's text for the browser's index.
            let (fields_out, fields) = mpsc::sync_channel(MADE_AHEAD);
            let (texts_out, texts) = mpsc::sync_channel(MADE_AHEAD);
            if first {
                let (notes, cards) = (&notes, &cards);
                scope.spawn(move || make_ahead(pack, notes, cards, fields_out, texts_out));
            }
            let mut fields = fields.iter().flatten();
            let mut texts = texts.iter().flatten();
            let mut tags = store::tags::Numbers::default();
            for (done, &(note, position)) in notes.iter().enumerate() {
                if done % PROGRESS_EVERY == 0 {
                    progress(Step::SavingNotes, done, total)?;
                }
                let imported = &pack.notes[position];
                let (key, kind) = (imported.key.as_str(), "flash");
                if first {
                    out.added += 1;
                    let fields: Vec<u8> = fields.next().expect("made for every note");
                    let row = install::PackedNote {
                        key,
                        kind,
                        fields: &fields,
                        position: position as i64,
                    };
                    install::insert_note(&mut batch, kept, note, row)?;
                    // As indexing a stored note would (the index below reads these from memory).
                    for tag in &imported.note.tags {
                        tags.add(&mut batch, note, tag)?;
                    }
                } else {
                    let fields = serde_json::to_string(&imported.note).expect("notes serialize");
                    match store::cards::note_fields(&mut batch, note)? {
                        None => out.added += 1,
                        Some(old) if old == fields => out.unchanged += 1,
                        Some(_) => out.updated += 1,
                    }
                    let row = install::NoteText {
                        key,
                        kind,
                        fields: &fields,
                        position: position as i64,
                    };
                    install::upsert_note(&mut batch, kept, note, row)?;
                }
            }
            progress(Step::SavingNotes, total, total)?;
            // A first import indexes each card for the browser as it writes it, from the note in
            // memory, and the card's row says where the index has it.
            let mut index = first.then(|| crate::browse::index::Indexer::new(tx));
            for (done, (listed, here)) in cards.iter().zip(answered).enumerate() {
                if done % PROGRESS_EVERY == 0 {
                    progress(Step::SavingCards, done, cards.len())?;
                }
                let (id, note) = (listed.id, listed.note);
                let card = listed.card(pack);
                if here == Some(true) {
                    out.kept += 1;
                    continue;
                }
                if here.is_none() {
                    out.new_cards += 1;
                }
                let mut hidden = Hidden::NONE;
                if card.suspended {
                    hidden = hidden.with(Hidden::SUSPENDED);
                }
                if disabled {
                    hidden = hidden.with(Hidden::BY_PACK);
                }
                let (ids, place) = ((id, note), (card.template.as_str(), card.position));
                match &mut index {
                    Some(index) => {
                        // (A first import has no card answered here: each card takes its text.)
                        let text: FlashText = texts.next().expect("made for every card");
                        let indexed = index.add_flash(id, &pack.id, &text)?;
                        anki::insert_card(&mut batch, ids, place, &card.schedule, hidden, indexed)?
                    }
                    None => {
                        anki::upsert_card(&mut batch, kept, ids, place, &card.schedule, hidden)?
                    }
                }
            }
            if let Some(index) = index {
                index.finish()?;
            }
            Ok::<_, crate::Error>(())
        })?;
        progress(Step::SavingCards, cards.len(), cards.len())?;
        Ok(out)
    }
}

/// How many notes' fields or cards' texts [`make_ahead`] sends at once, and how many such
/// batches it makes ahead of the writing.
const MADE_AT_ONCE: usize = 512;
const MADE_AHEAD: usize = 8;

/// Makes, for a first import's writing, each note's packed fields in the order of `notes`,
/// then each card's text for the browser's index in the order of `cards`; stops when the
/// writing does.
fn make_ahead(
    pack: &Converted,
    notes: &[(NoteId, usize)],
    cards: &[Listed],
    fields: mpsc::SyncSender<Vec<Vec<u8>>>,
    texts: mpsc::SyncSender<Vec<FlashText>>,
) {
    for part in notes.chunks(MADE_AT_ONCE) {
        let made = (part.iter())
            .map(|&(_, at)| store::packed_fields::pack_value(&pack.notes[at].note))
            .map(|packed| packed.expect("notes pack"))
            .collect();
        if fields.send(made).is_err() {
            return;
        }
    }
    drop(fields);
    for part in cards.chunks(MADE_AT_ONCE) {
        let made = (part.iter())
            .map(|c| FlashText::of(&pack.notes[c.position].note, &c.card(pack).template))
            .collect();
        if texts.send(made).is_err() {
            return;
        }
    }
}

pub fn install(
    tx: &Transaction,
    pack: &mut Converted,
    now: DateTime<Utc>,
    progress: Progress,
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
    // A first import writes every row new: nothing to compare, keep or index again.
    let first = !store::packs::exists(tx, &pack.id)?;
    store::packs::record(tx, &manifest, &pack.content_hash, now)?;
    // The learner's edits of the deck's notes outlive a new import of it.
    let edited = store::notes::edited_in_pack(tx, &pack.id)?;
    let kept = install::Kept::of_pack(tx, &pack.id)?;
    let disabled = store::packs::is_disabled(tx, &pack.id)?;
    let rows = Rows {
        first,
        kept: &kept,
        disabled,
    };
    let out = if first {
        // Into a collection smaller than the deck, the indexes are built once at the end.
        let cards = pack.notes.iter().map(|n| n.cards.len()).sum();
        let tags = pack.notes.iter().map(|n| n.note.tags.len()).sum();
        let tables = [
            ("notes", pack.notes.len()),
            ("cards", cards),
            ("note_tags", tags),
            ("revlog", pack.log.len()),
        ];
        let progress = std::cell::RefCell::new(progress);
        store::bulk::with_indexes_rebuilt(
            tx,
            &tables,
            |_| rows.write(pack, tx, *progress.borrow_mut()),
            &mut |done, total| (progress.borrow_mut())(Step::IndexingTables, done, total),
        )?
    } else {
        let out = rows.write(pack, tx, progress)?;
        crate::notes::write::keep_edits(tx, &edited)?;
        crate::browse::index::index_cards(tx, Some(&pack.id), &mut |done, total| {
            progress(Step::IndexingCards, done, total)
        })?;
        out
    };
    let media = pack.media.iter();
    let files = media.map(|(name, data)| (format!("media/{name}"), data.as_slice()));
    install::replace_media(tx, &pack.id, files)?;
    Ok(out)
}
