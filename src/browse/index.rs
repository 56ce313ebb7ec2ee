//! The card browser's full-text index (`card_search`, rowid = card id): each card's prompt and
//! answer as the review screen shows them, plus its context (area, lessons, deck, tags). Built
//! per pack at install; a collection from before the index is filled once on opening.

use std::collections::HashMap;

use rusqlite::{Connection, Transaction};

use crate::content::flash::FlashNote;
use crate::content::install::QuestionNote;
use crate::content::Term;
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::store::cards::NoteRow;
use crate::store::search_index::Cards;
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
    last_note: Option<(i64, Context)>,
    /// Cards indexed, by pack and area, counted in `facet_counts` by [`Indexer::finish`].
    counts: HashMap<String, HashMap<String, i64>>,
    indexed: usize,
    /// The index's row for the next card, once the first is written.
    next_doc: Option<i64>,
}

impl<'c> Indexer<'c> {
    pub fn new(conn: &'c Connection) -> Self {
        Indexer {
            batch: Batch::new(conn),
            last_note: None,
            counts: HashMap::new(),
            indexed: 0,
            next_doc: None,
        }
    }

    /// Counts the cards indexed under their packs and areas; returns how many there were.
    pub fn finish(self) -> Result<usize> {
        for (pack, areas) in &self.counts {
            for (area, cards) in areas {
                search_index::count_facets(self.batch.conn(), pack, area, *cards)?;
            }
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
                tags::add(&mut self.batch, note.id, t)?;
            }
            self.last_note = Some((note.id.0, ctx));
        }
        // A card that cannot be shown is still listed, by its note's context.
        let (prompt, answer) = present::face(note, template)
            .map(|f| (f.prompt, f.answer))
            .unwrap_or_default();
        let ctx = &self.last_note.as_ref().expect("set above").1;
        write(
            (&mut self.batch, &mut self.next_doc),
            card,
            &note.pack_id,
            (&prompt, &answer),
            ctx,
        )?;
        count(&mut self.counts, &note.pack_id, &ctx.area);
        self.indexed += 1;
        Ok(())
    }

    /// Indexes a card of a flash note held in memory (an import's), as [`Indexer::add`] would
    /// once the note is stored, without reading it back; the caller writes the note's tags.
    pub fn add_flash(
        &mut self,
        card: CardId,
        template: &str,
        pack: &str,
        note: &FlashNote,
    ) -> Result<()> {
        let (prompt, answer) = present::flash_face(note, template)
            .map(|f| (f.prompt, f.answer))
            .unwrap_or_default();
        let ctx = flash_context(note);
        let at = (&mut self.batch, &mut self.next_doc);
        write(at, card, pack, (&prompt, &answer), &ctx)?;
        count(&mut self.counts, pack, &ctx.area);
        self.indexed += 1;
        Ok(())
    }
}

/// Counts a card under its pack and area, looked up by reference: most cards fall under a pack
/// and area already counted.
fn count(counts: &mut HashMap<String, HashMap<String, i64>>, pack: &str, area: &str) {
    if !counts.contains_key(pack) {
        counts.insert(pack.to_owned(), HashMap::new());
    }
    let areas = counts.get_mut(pack).expect("inserted above");
    match areas.get_mut(area) {
        Some(n) => *n += 1,
        None => {
            areas.insert(area.to_owned(), 1);
        }
    }
}

/// Writes a card's text and facets into the index, as its next row (`next_doc`, read from the
/// index for the first card an indexer writes).
fn write(
    (batch, next_doc): (&mut Batch, &mut Option<i64>),
    card: CardId,
    pack: &str,
    (prompt, answer): (&str, &str),
    ctx: &Context,
) -> Result<()> {
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
        pack,
        area: &ctx.area,
        lessons: &lessons,
    };
    search_index::add_card(batch, doc, &indexed)
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
