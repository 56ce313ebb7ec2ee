//! The card browser's full-text index (`card_search`, its rows numbered by `cards.doc`): each
//! card's prompt and answer as the review screen shows them, plus its context (area, lessons,
//! deck, tags), and the card's facet and lessons it is filtered by. Built per pack at install; a
//! collection from before the index is filled once on opening.

use std::collections::HashMap;

use rusqlite::{Connection, Transaction};

use crate::content::flash::FlashNote;
use crate::content::install::QuestionNote;
use crate::content::Term;
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::store::cards::NoteRow;
use crate::store::search_index::{CardFacet, Cards};
use crate::store::{search_index, tags, Batch};
use crate::study::present;

/// What the index holds of a note, besides each card's own prompt and answer.
struct Context {
    text: String,
    area: String,
    lessons: Vec<String>,
    /// Tags the pack gives the note; they join the learner's own in `note_tags`.
    tags: Vec<String>,
}

fn context(note: &NoteRow) -> Context {
    let empty = || Context {
        text: String::new(),
        area: String::new(),
        lessons: Vec::new(),
        tags: Vec::new(),
    };
    match note.kind.as_str() {
        "term" => serde_json::from_str::<Term>(&note.fields).map_or_else(
            |_| empty(),
            |t| Context {
                text: [t.area.as_str()]
                    .into_iter()
                    .chain(t.lessons.iter().map(String::as_str))
                    .chain(t.tags.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" "),
                area: t.area,
                lessons: t.lessons,
                tags: t.tags,
            },
        ),
        "question" => serde_json::from_str::<QuestionNote>(&note.fields).map_or_else(
            |_| empty(),
            |q| Context {
                text: q.lesson_title,
                area: String::new(),
                lessons: vec![q.lesson],
                tags: Vec::new(),
            },
        ),
        "flash" => serde_json::from_str::<FlashNote>(&note.fields)
            .map_or_else(|_| empty(), |f| flash_context(&f)),
        _ => empty(),
    }
}

fn flash_context(note: &FlashNote) -> Context {
    Context {
        text: format!("{} {}", note.deck, note.tags.join(" ")),
        area: note.deck.clone(),
        lessons: Vec::new(),
        tags: note.tags.clone(),
    }
}

/// How often indexing reports progress (and can be cancelled), in cards.
const PROGRESS_EVERY: usize = 1_000;

/// Indexes the cards of `pack` (all packs if `None`), replacing what the index held of them.
/// `progress` hears how many cards are indexed, of how many; an error from it stops there.
pub(crate) fn index_cards(
    tx: &Transaction,
    pack: Option<&str>,
    progress: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<usize> {
    search_index::forget_cards(tx, pack)?;
    let cards = match pack {
        Some(pack) => Cards::OfPack(pack),
        None => Cards::All,
    };
    let total = search_index::count_cards(tx, cards)?;
    let mut indexer = Indexer::new(tx);
    let mut done = 0;
    search_index::each_card(tx, cards, |card, template, note| {
        if done % PROGRESS_EVERY == 0 {
            progress(done, total)?;
        }
        done += 1;
        indexer.add(card, &template, &note)
    })?;
    progress(total, total)?;
    indexer.finish()
}

/// Indexes note `note`'s cards again (after an edit), replacing what the index held of them.
pub(crate) fn index_note(conn: &Connection, note: NoteId) -> Result<usize> {
    search_index::forget_note_cards(conn, note)?;
    index(conn, Cards::OfNote(note))
}

fn index(tx: &Connection, cards: Cards) -> Result<usize> {
    // (A note's cards: too few to report on.)
    let mut indexer = Indexer::new(tx);
    search_index::each_card(tx, cards, |card, template, note| {
        indexer.add(card, &template, &note)
    })?;
    indexer.finish()
}

/// Writes cards into the index one by one, in card id order (the index's B-trees then grow at
/// one end, and FTS5 keeps its entries in memory until it has a segment's worth).
pub(crate) struct Indexer<'c> {
    batch: Batch<'c>,
    tags: tags::Numbers,
    last_note: Option<(i64, Context)>,
    facets: Facets,
    indexed: usize,
    /// The index's row for the next card, once the first is written.
    next_doc: Option<i64>,
}

impl<'c> Indexer<'c> {
    pub fn new(conn: &'c Connection) -> Self {
        Indexer {
            batch: Batch::new(conn),
            tags: tags::Numbers::default(),
            last_note: None,
            facets: Facets::default(),
            indexed: 0,
            next_doc: None,
        }
    }

    /// Counts the cards indexed under their facets; returns how many there were.
    pub fn finish(self) -> Result<usize> {
        for (&facet, &cards) in &self.facets.counted {
            search_index::count_facet(self.batch.conn(), facet, cards)?;
        }
        Ok(self.indexed)
    }

    /// Indexes a card of a stored note, and gives the note the tags its pack gives it.
    pub fn add(&mut self, card: CardId, template: &str, note: &NoteRow) -> Result<()> {
        if self.last_note.as_ref().map(|(id, _)| *id) != Some(note.id.0) {
            let mut ctx = context(note);
            if note.kind == "term" {
                // A term names its area by key; the browser and statistics show the area's name.
                let area = search_index::area_name(&mut self.batch, &note.pack_id, &ctx.area)?;
                if let Some(name) = area {
                    ctx.text = format!("{name} {}", ctx.text);
                    ctx.area = name;
                }
            }
            for t in &ctx.tags {
                self.tags.add(&mut self.batch, note.id, t)?;
            }
            self.last_note = Some((note.id.0, ctx));
        }
        // A card that cannot be shown is still listed, by its note's context.
        let (prompt, answer) = present::face(note, template)
            .map(|f| (f.prompt, f.answer))
            .unwrap_or_default();
        let ctx = &self.last_note.as_ref().expect("set above").1;
        let facet = self.facets.add(&mut self.batch, &note.pack_id, &ctx.area)?;
        let at = (&mut self.batch, &mut self.next_doc);
        let stored = search_index::add_card;
        write(at, card, facet, (&prompt, &answer), ctx, stored)?;
        self.indexed += 1;
        Ok(())
    }

    /// Indexes a card of a flash note held in memory (an import's), by its text made with
    /// [`FlashText::of`], before the card is stored, as [`Indexer::add`] would once it is,
    /// without reading the note back. The caller writes the note's tags, and the card with the
    /// facet returned (a flash card is in no lesson).
    pub fn add_flash(&mut self, card: CardId, pack: &str, text: &FlashText) -> Result<CardFacet> {
        let facet = self.facets.add(&mut self.batch, pack, &text.ctx.area)?;
        let at = (&mut self.batch, &mut self.next_doc);
        let not_stored = search_index::add_text;
        let face = (text.prompt.as_str(), text.answer.as_str());
        let doc = write(at, card, facet, face, &text.ctx, not_stored)?;
        self.indexed += 1;
        Ok(CardFacet { doc, facet })
    }
}

/// What the index holds of a card of a flash note, made from the note alone: an import makes
/// these on another thread while it writes.
pub(crate) struct FlashText {
    prompt: String,
    answer: String,
    ctx: Context,
}

impl FlashText {
    /// Card `template` of `note`; a card that cannot be shown is still listed, by its note's
    /// context.
    pub fn of(note: &FlashNote, template: &str) -> FlashText {
        let (prompt, answer) = present::flash_face(note, template)
            .map(|f| (f.prompt, f.answer))
            .unwrap_or_default();
        FlashText {
            prompt,
            answer,
            ctx: flash_context(note),
        }
    }
}

/// The facets (pack and area) an indexer writes cards under: each one's number, looked up once
/// (by reference: most cards fall under a facet already seen), and the cards counted under it.
#[derive(Default)]
struct Facets {
    numbers: HashMap<String, HashMap<String, i64>>,
    counted: HashMap<i64, i64>,
}

impl Facets {
    /// Counts a card under pack `pack` and area `area`; returns their facet's number.
    fn add(&mut self, batch: &mut Batch, pack: &str, area: &str) -> Result<i64> {
        let known = self.numbers.get(pack).and_then(|areas| areas.get(area));
        let facet = match known {
            Some(&facet) => facet,
            None => {
                let facet = search_index::facet(batch, pack, area)?;
                let areas = self.numbers.entry(pack.to_owned()).or_default();
                areas.insert(area.to_owned(), facet);
                facet
            }
        };
        *self.counted.entry(facet).or_default() += 1;
        Ok(facet)
    }
}

/// Writes a card into the index with `add` (its text, and its row's facets if it is stored), as
/// its next row (`next_doc`, read from the index for the first card an indexer writes), which
/// it returns.
fn write(
    (batch, next_doc): (&mut Batch, &mut Option<i64>),
    card: CardId,
    facet: i64,
    (prompt, answer): (&str, &str),
    ctx: &Context,
    add: fn(&mut Batch, i64, &search_index::IndexedCard) -> Result<()>,
) -> Result<i64> {
    let doc = match *next_doc {
        Some(doc) => doc,
        None => search_index::next_doc(batch.conn())?,
    };
    *next_doc = Some(doc + 1);
    let lessons = ctx.lessons.join(" ");
    let indexed = search_index::IndexedCard {
        card,
        prompt,
        answer,
        context: &ctx.text,
        facet,
        lessons: &lessons,
    };
    add(batch, doc, &indexed)?;
    Ok(doc)
}

/// Forgets the indexed cards of a pack being removed.
pub(crate) fn forget_pack(tx: &Connection, pack: &str) -> Result<()> {
    search_index::forget_pack(tx, pack)
}

/// Whether the collection still has to be indexed (it predates the index).
pub(crate) fn is_stale(conn: &Connection) -> Result<bool> {
    search_index::is_stale(conn)
}

pub(crate) fn rebuild(tx: &Transaction) -> Result<usize> {
    let indexed = index_cards(tx, None, &mut |_, _| Ok(()))?;
    search_index::mark_fresh(tx)?;
    Ok(indexed)
}
