//! Converting an Anki package's notes (and their cards) into Reprise's, on two threads.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono::FixedOffset;

use super::collection::{AnkiCollection, Card, Note};
use super::notetype::Shape;
use super::{history, html, limits, schedule, ImportedCard, ImportedNote, Tally};
use crate::content::flash::{cloze_numbers_of, cloze_template, FlashKind, FlashNote};
use crate::error::{Error, Result};
use crate::import::{Skipped, Step};
use crate::schedule::{Schedule, Scheduler};

/// What converting the package's notes reads, shared by the two threads that convert them.
pub(super) struct NoteSources<'a> {
    pub(super) col: &'a AnkiCollection,
    pub(super) shapes: &'a HashMap<i64, Shape>,
    /// The notes (by their place in the package) whose guid an earlier note has.
    pub(super) repeated: &'a HashSet<usize>,
    pub(super) scheduler: &'a Scheduler,
    pub(super) offset: FixedOffset,
    pub(super) rollover: u32,
    /// Where a card without answers has its empty range of the log.
    pub(super) no_rows: usize,
}

/// Notes converted, with what was left out of them and counted, in the package's order.
#[derive(Default)]
pub(super) struct ConvertedNotes {
    pub(super) notes: Vec<ImportedNote>,
    pub(super) skipped: Vec<Skipped>,
    pub(super) by_first_two: BTreeMap<String, usize>,
    pub(super) left_out_cards: BTreeMap<String, usize>,
    pub(super) top_decks: HashMap<String, usize>,
    pub(super) manual: usize,
    pub(super) made_new: Tally,
}

impl ConvertedNotes {
    /// Adds `later`, the notes after these.
    fn append(&mut self, later: ConvertedNotes) {
        self.notes.extend(later.notes);
        self.skipped.extend(later.skipped);
        for (name, count) in later.by_first_two {
            *self.by_first_two.entry(name).or_default() += count;
        }
        for (name, count) in later.left_out_cards {
            *self.left_out_cards.entry(name).or_default() += count;
        }
        for (deck, count) in later.top_decks {
            *self.top_decks.entry(deck).or_default() += count;
        }
        self.manual += later.manual;
        self.made_new.add(later.made_new);
    }
}

impl NoteSources<'_> {
    /// Converts `raw_notes`, the package's notes, in two halves side by side, the upper on
    /// another thread, each with the replays (from `replays`) of its own cards; what they make
    /// is joined in order. `progress` hears how many are converted, of how many; an error from
    /// it stops both halves.
    pub(super) fn convert_all(
        &self,
        raw_notes: Vec<Note>,
        replays: &mut HashMap<i64, history::Replay>,
        progress: &mut dyn FnMut(Step, usize, usize) -> Result<()>,
    ) -> Result<ConvertedNotes> {
        let total = raw_notes.len();
        let mut lower = raw_notes;
        let upper = lower.split_off(total / 2);
        lower.shrink_to_fit();
        let mut upper_replays = HashMap::new();
        for raw in &upper {
            for card in self.cards_of(raw.id) {
                if let Some(replay) = replays.remove(&card.id) {
                    upper_replays.insert(card.id, replay);
                }
            }
        }
        let (first_upper, (done, stop)) =
            (lower.len(), (AtomicUsize::new(0), AtomicBool::new(false)));
        let (mine, theirs) = std::thread::scope(|scope| {
            let worker = scope.spawn(|| {
                self.convert(upper, first_upper, &mut upper_replays, &mut |_| {
                    done.fetch_add(1, Ordering::Relaxed);
                    match stop.load(Ordering::Relaxed) {
                        true => Err(Error::Cancelled),
                        false => Ok(()),
                    }
                })
            });
            // This thread reports both halves' progress, while it converts and while it
            // waits; a cancel stops the other half at its next note.
            let mut report = |mine: usize| {
                let converted = mine + done.load(Ordering::Relaxed);
                progress(Step::ReadingNotes, converted, total)
            };
            let mut mine = self.convert(lower, 0, replays, &mut |i| match i % 1024 {
                0 => report(i),
                _ => Ok(()),
            });
            while mine.is_ok() && !worker.is_finished() {
                std::thread::sleep(std::time::Duration::from_millis(10));
                if let Err(cancelled) = report(first_upper) {
                    mine = Err(cancelled);
                }
            }
            if mine.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            let theirs = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (mine, theirs)
        });
        let mut converted = mine?;
        converted.append(theirs?);
        progress(Step::ReadingNotes, total, total)?;
        Ok(converted)
    }

    fn deck_name(&self, id: i64) -> String {
        (self.col.decks.get(&id).cloned()).unwrap_or_else(|| "Default".to_owned())
    }

    /// A note's cards: they are read ordered by note (a map of them cost 8 MB at 100k).
    fn cards_of(&self, note: i64) -> &[Card] {
        let cards = &self.col.cards;
        let from = cards.partition_point(|c| c.note < note);
        let to = cards.partition_point(|c| c.note <= note);
        &cards[from..to]
    }

    /// Converts `raw_notes`, the package's notes from its `first`, each freed as it is
    /// converted, taking their cards' replays from `replays`. `tick(i)` hears of each note
    /// before it is converted; an error from it stops there.
    fn convert(
        &self,
        raw_notes: Vec<Note>,
        first: usize,
        replays: &mut HashMap<i64, history::Replay>,
        tick: &mut dyn FnMut(usize) -> Result<()>,
    ) -> Result<ConvertedNotes> {
        let mut out = ConvertedNotes {
            notes: Vec::with_capacity(raw_notes.len()),
            ..ConvertedNotes::default()
        };
        for (i, raw) in raw_notes.into_iter().enumerate() {
            tick(i)?;
            // (Named only when it is left out: naming every note cost about 1 % of an import.)
            let entry = || format!("note {}", raw.id);
            let (Some(nt), Some(shape)) = (
                self.col.notetypes.get(&raw.notetype),
                self.shapes.get(&raw.notetype),
            ) else {
                out.skipped.push(Skipped {
                    entry: entry(),
                    reason: format!(
                        "its note type {} is missing from the collection",
                        raw.notetype
                    ),
                });
                continue;
            };
            if self.repeated.contains(&(first + i)) {
                out.skipped.push(Skipped {
                    entry: entry(),
                    reason: format!("another note has the same id (guid '{}')", raw.guid),
                });
                continue;
            }
            if raw.guid.len() > limits::MAX_GUID_BYTES {
                out.skipped.push(Skipped {
                    entry: entry(),
                    reason: format!(
                        "its id (guid) is {} bytes long, more than the {} Reprise keeps",
                        raw.guid.len(),
                        limits::MAX_GUID_BYTES
                    ),
                });
                continue;
            }
            let (kind, front, back) = match html::note_sides(&raw.fields, nt, shape) {
                Ok(sides) => sides,
                Err(reason) => {
                    out.skipped.push(Skipped {
                        entry: entry(),
                        reason,
                    });
                    continue;
                }
            };
            if matches!(
                shape,
                Shape::Basic {
                    understood: false,
                    ..
                }
            ) {
                *out.by_first_two.entry(nt.name.clone()).or_default() += 1;
            }
            if crate::import::html_to_text(&front).trim().is_empty() && !front.contains("<img") {
                out.skipped.push(Skipped {
                    entry: entry(),
                    reason: "its first field is empty".into(),
                });
                continue;
            }
            let cards = self.cards_of(raw.id);
            let deck = cards
                .first()
                .map(|c| {
                    self.deck_name(if c.original_deck != 0 {
                        c.original_deck
                    } else {
                        c.deck
                    })
                })
                .unwrap_or_else(|| "Default".into());
            *out.top_decks
                .entry(deck.split("::").next().unwrap_or("Default").to_owned())
                .or_default() += 1;
            let note = FlashNote {
                kind,
                notetype: nt.name.clone(),
                front,
                back,
                deck,
                tags: raw.tags.split_whitespace().map(str::to_owned).collect(),
                format: Default::default(),
            };
            let clozes = match kind {
                FlashKind::Cloze => cloze_numbers_of(&note.front),
                FlashKind::Basic => vec![],
            };
            let mut imported = Vec::with_capacity(cards.len());
            for card in cards {
                let ord = u32::try_from(card.ord)
                    .ok()
                    .filter(|&o| i64::from(o) <= limits::MAX_ORD);
                let template = match (shape, ord) {
                    (_, None) => None,
                    (Shape::Cloze { .. }, Some(o)) => clozes
                        .binary_search(&(o + 1))
                        .is_ok()
                        .then(|| cloze_template(o + 1)),
                    (Shape::Basic { templates, .. }, Some(o)) => templates
                        .get(o as usize)
                        .copied()
                        .flatten()
                        .map(|d| d.template().to_owned()),
                };
                let Some(template) = template else {
                    *out.left_out_cards.entry(nt.name.clone()).or_default() += 1;
                    continue;
                };
                let problem = limits::card_problem(card, self.col.created);
                let (reviews, history) = match replays.remove(&card.id) {
                    Some(replay) => replay?,
                    None => {
                        let key = format!("{}/{}", raw.guid, card.ord);
                        let empty =
                            history::replay(&[], &key, self.scheduler, self.offset, self.rollover)?;
                        (self.no_rows..self.no_rows, empty)
                    }
                };
                out.manual += history.manual;
                let schedule = match problem {
                    Some(problem) => {
                        out.made_new.note(format!("card {}: {problem}", card.id));
                        Schedule::new_card()
                    }
                    None => schedule::schedule(card, &history, self.col.created, self.scheduler)?,
                };
                imported.push(ImportedCard {
                    template,
                    position: if card.kind == 0 {
                        card.due.clamp(0, limits::MAX_POSITION)
                    } else {
                        0
                    },
                    schedule,
                    suspended: card.queue == -1,
                    reviews,
                });
            }
            if imported.is_empty() {
                out.skipped.push(Skipped {
                    entry: entry(),
                    reason: "it has no card Reprise can show".into(),
                });
                continue;
            }
            out.notes.push(ImportedNote {
                key: format!("anki:{}", raw.guid),
                note,
                cards: imported,
            });
        }
        Ok(out)
    }
}
