//! Anki packages (`.apkg`, and whole-collection `.colpkg`), in every layout in use:
//! `collection.anki2` and `collection.anki21` (schema 11), and the current `meta` +
//! zstd-compressed `collection.anki21b` (schema 18) with a protobuf media list, beside which the
//! dummy `collection.anki2` is ignored. Notes become flash notes, decks their deck, tags are kept,
//! HTML is sanitized, media are kept for the cards to show, and each card keeps its schedule,
//! its review log and the FSRS memory state that log gives.

mod collection;
pub mod history;
mod html;
pub mod install;
mod limits;
mod media;
mod notetype;
mod proto;
mod schedule;
mod sqlite;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono::{DateTime, FixedOffset};
use prost::Message;

use super::archive;
use super::{Skipped, Step};
use crate::content::flash::{cloze_numbers_of, cloze_template, FlashKind, FlashNote};
use crate::error::{Error, Result};
use crate::schedule::{Schedule, Scheduler};
use collection::{AnkiCollection, Card};
use history::ImportedReview;
use limits::LIMITS;
use notetype::Shape;

/// The package as read from the file, before it is turned into notes.
pub struct Package {
    pub file: PathBuf,
    /// "anki2", "anki21" or "anki21b".
    pub layout: &'static str,
    collection: AnkiCollection,
    /// Media files by name.
    pub media: BTreeMap<String, Vec<u8>>,
    pub skipped: Vec<Skipped>,
    /// blake3 of the collection and media, to notice an unchanged package.
    pub content_hash: String,
}

fn fail(file: &Path, entry: Option<&str>, message: impl Into<String>) -> Error {
    Error::Import {
        file: file.to_path_buf(),
        entry: entry.map(str::to_owned),
        message: message.into(),
    }
}

/// The scratch copy of a package's collection: `reprise-anki-<random>.sqlite3`.
const SCRATCH_PREFIX: &str = "reprise-anki-";
const SCRATCH_SUFFIX: &str = ".sqlite3";

/// Reads and validates the package at `path`.
pub fn read(path: &Path) -> Result<Package> {
    read_with_progress(path, &mut |_, _, _| Ok(()))
}

/// [`read`], telling `progress` how many rows of the collection's notes, cards and log are read,
/// of how many; an error from it stops reading.
pub fn read_with_progress(
    path: &Path,
    progress: &mut dyn FnMut(Step, usize, usize) -> Result<()>,
) -> Result<Package> {
    let entries = archive::read_zip(path, LIMITS)?;
    let mut by_name: HashMap<String, Vec<u8>> =
        entries.into_iter().map(|e| (e.name, e.bytes)).collect();
    let mut hasher = blake3::Hasher::new();
    if let Some(meta) = by_name.get("meta") {
        let version = proto::PackageMetadata::decode(meta.as_slice())
            .map_err(|e| fail(path, Some("meta"), format!("it cannot be read ({e})")))?
            .version;
        if version > 3 {
            return Err(fail(
                path,
                Some("meta"),
                format!(
                    "it was written by a newer Anki (package version {version}; Reprise reads \
                     up to 3); export it from Anki with \"Support older Anki versions\" ticked"
                ),
            ));
        }
    }
    let (layout, name) = [
        "collection.anki21b",
        "collection.anki21",
        "collection.anki2",
    ]
    .into_iter()
    .find(|n| by_name.contains_key(*n))
    .map(|n| (n.rsplit('.').next().expect("has a dot"), n))
    .ok_or_else(|| {
        fail(
            path,
            None,
            "it holds no Anki collection (collection.anki21b, .anki21 or .anki2); is it \
                 an Anki package?",
        )
    })?;
    let layout: &'static str = match layout {
        "anki21b" => "anki21b",
        "anki21" => "anki21",
        _ => "anki2",
    };
    let raw = by_name.remove(name).expect("found above");
    // The collection is read from a scratch file, not from memory: SQLite then holds a few pages
    // of it at a time instead of all of it (110 MB for a million review-log rows), besides the
    // decompressed copy it would be deserialized from. The file is private to this user and
    // removed when reading is done (or, after a crash, with the system's temporary files).
    // What imports killed while reading left (110 MB each at a million review-log rows).
    super::file::sweep_stale(&std::env::temp_dir(), SCRATCH_PREFIX, SCRATCH_SUFFIX);
    let mut scratch = tempfile::Builder::new()
        .prefix(SCRATCH_PREFIX)
        .suffix(SCRATCH_SUFFIX)
        .tempfile()
        .map_err(|e| Error::io(std::env::temp_dir(), e))?;
    {
        let scratch_path = scratch.path().to_path_buf();
        let mut writer = std::io::BufWriter::with_capacity(1 << 20, scratch.as_file_mut());
        let mut out = |piece: &[u8]| {
            hasher.update(piece);
            writer
                .write_all(piece)
                .map_err(|e| Error::io(&scratch_path, e))
        };
        if layout == "anki21b" {
            let cap = media::Cap {
                max: LIMITS.max_total,
                ratio: limits::MAX_COLLECTION_RATIO,
            };
            media::unzstd_into(path, name, &raw, cap, &mut out)?.ok_or_else(|| {
                let max = LIMITS.max_total >> 20;
                fail(
                    path,
                    Some(name),
                    format!("it unpacks to more than {max} MiB"),
                )
            })?;
        } else {
            out(&raw)?;
        }
        writer.flush().map_err(|e| Error::io(&scratch_path, e))?;
    }
    drop(raw);
    // The reason reading stopped, if `progress` stopped it (`collection` tells only that).
    let mut stopped = None;
    let mut report = |done, total| match progress(Step::ReadingRows, done, total) {
        Ok(()) => true,
        Err(e) => {
            stopped = Some(e);
            false
        }
    };
    let read = collection::read(scratch.path(), &mut collection::RowCount::new(&mut report));
    if let Some(e) = stopped {
        return Err(e);
    }
    let collection = read.map_err(|message| fail(path, Some(name), message))?;
    drop(scratch);
    let mut skipped = Vec::new();
    let media = media::read_media(path, layout, &mut by_name, &mut skipped, media::MEDIA_CAPS)?;
    for (name, bytes) in &media {
        hasher.update(&(name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    Ok(Package {
        file: path.to_path_buf(),
        layout,
        collection,
        media,
        skipped,
        content_hash: hasher.finalize().to_hex().to_string(),
    })
}

/// A note ready to install.
pub struct ImportedNote {
    /// `anki:<guid>`: the same note in a later export keeps it.
    pub key: String,
    pub note: FlashNote,
    pub cards: Vec<ImportedCard>,
}

pub struct ImportedCard {
    pub template: String,
    /// Order among new cards (Anki's new-card position).
    pub position: i64,
    pub schedule: Schedule,
    pub suspended: bool,
    /// Its answers: these rows of [`Converted::log`].
    pub reviews: std::ops::Range<usize>,
}

/// The package turned into Reprise's notes, cards and history.
pub struct Converted {
    pub id: String,
    pub name: String,
    pub notes: Vec<ImportedNote>,
    pub media: BTreeMap<String, Vec<u8>>,
    pub skipped: Vec<Skipped>,
    pub content_hash: String,
    /// Every card's answers, replayed, in one allocation: a million rows are 64 MB, which go
    /// back to the system at once when they are written (as a vector per card, they would be
    /// scattered through the heap, and the memory would stay the process's).
    pub log: Vec<ImportedReview>,
}

/// What converting the package's notes reads, shared by the two threads that convert them.
struct NoteSources<'a> {
    col: &'a AnkiCollection,
    shapes: &'a HashMap<i64, Shape>,
    /// The notes (by their place in the package) whose guid an earlier note has.
    repeated: &'a HashSet<usize>,
    scheduler: &'a Scheduler,
    offset: FixedOffset,
    rollover: u32,
    /// Where a card without answers has its empty range of the log.
    no_rows: usize,
}

/// Notes converted, with what was left out of them and counted, in the package's order.
#[derive(Default)]
struct ConvertedNotes {
    notes: Vec<ImportedNote>,
    skipped: Vec<Skipped>,
    by_first_two: BTreeMap<String, usize>,
    left_out_cards: BTreeMap<String, usize>,
    top_decks: HashMap<String, usize>,
    manual: usize,
    made_new: Tally,
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
        self.made_new.count += later.made_new.count;
        if self.made_new.first.is_none() {
            self.made_new.first = later.made_new.first;
        }
    }
}

impl NoteSources<'_> {
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
        raw_notes: Vec<collection::Note>,
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

/// Values out of range, counted, with the first as an example.
#[derive(Default)]
struct Tally {
    count: usize,
    first: Option<String>,
}

impl Tally {
    fn note(&mut self, example: String) {
        self.count += 1;
        self.first.get_or_insert(example);
    }

    /// "N {what} (e.g. …); {then}", if any were noted.
    fn reason(&self, what: &str, then: &str) -> Option<String> {
        let first = self.first.as_ref()?;
        Some(format!("{} {what} (e.g. {first}); {then}", self.count))
    }
}

/// A lowercase ASCII slug for the pack id.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(40).collect()
}

impl Package {
    /// Turns the notes and cards into Reprise's, computing each card's memory state from its
    /// review log with `scheduler`'s parameters; days are counted in `now`'s offset and the
    /// scheduler's rollover hour. `progress` hears how many review-log rows are replayed, then
    /// how many notes are converted, of how many, every thousand or so; an error from it stops
    /// the conversion.
    pub fn convert(
        self,
        scheduler: &Scheduler,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(Step, usize, usize) -> Result<()>,
    ) -> Result<Converted> {
        let Package {
            file,
            collection: mut col,
            media,
            mut skipped,
            content_hash,
            ..
        } = self;
        for &(id, size) in &col.oversized {
            skipped.push(Skipped {
                entry: format!("note {id}"),
                reason: format!(
                    "it is {} KiB, more than the {} KiB a note may be; it was left out (move \
                     large content, such as embedded images, into media files in Anki)",
                    size >> 10,
                    limits::MAX_NOTE_BYTES >> 10
                ),
            });
        }
        let mut bad_rows = Tally::default();
        col.reviews.retain(|r| match limits::review_problem(r) {
            Some(problem) => {
                bad_rows.note(format!("row {}: {problem}", r.id));
                false
            }
            None => true,
        });
        // Each note's text is freed as it is converted, for the converted notes to reuse.
        let raw_notes = std::mem::take(&mut col.notes);
        let rollover = scheduler.settings().rollover_hour;
        let offset = *now.offset();
        let shapes: HashMap<i64, Shape> = col
            .notetypes
            .iter()
            .map(|(&id, nt)| (id, notetype::shape(nt)))
            .collect();
        let mut replayed = Vec::with_capacity(col.reviews.len());
        let mut replays = history::replay_all(
            std::mem::take(&mut col.reviews),
            &col.cards,
            &raw_notes,
            (col.created, scheduler, offset, rollover),
            &mut replayed,
            &mut |done, total| progress(Step::ReadingReviews, done, total),
        )?;
        // The notes whose guid an earlier note of a known type has, found before the notes are
        // consumed (a set of owned guids would cost 8 MB at 100k).
        let repeated: HashSet<usize> = {
            let mut seen = HashSet::new();
            (raw_notes.iter().enumerate())
                .filter(|(_, n)| col.notetypes.contains_key(&n.notetype))
                .filter(|(_, n)| !seen.insert(n.guid.as_str()))
                .map(|(i, _)| i)
                .collect()
        };
        // The notes are converted in two halves side by side, the upper on another thread,
        // each with the replays of its own cards; what they make is joined in order.
        let total = raw_notes.len();
        let mut lower = raw_notes;
        let upper = lower.split_off(total / 2);
        lower.shrink_to_fit();
        let sources = NoteSources {
            col: &col,
            shapes: &shapes,
            repeated: &repeated,
            scheduler,
            offset,
            rollover,
            no_rows: replayed.len(),
        };
        let mut upper_replays = HashMap::new();
        for raw in &upper {
            for card in sources.cards_of(raw.id) {
                if let Some(replay) = replays.remove(&card.id) {
                    upper_replays.insert(card.id, replay);
                }
            }
        }
        let (first_upper, (done, stop)) =
            (lower.len(), (AtomicUsize::new(0), AtomicBool::new(false)));
        let (mine, theirs) = std::thread::scope(|scope| {
            let worker = scope.spawn(|| {
                sources.convert(upper, first_upper, &mut upper_replays, &mut |_| {
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
            let mut mine = sources.convert(lower, 0, &mut replays, &mut |i| match i % 1024 {
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
        let ConvertedNotes {
            notes,
            skipped: notes_skipped,
            by_first_two,
            left_out_cards,
            top_decks,
            manual,
            made_new,
        } = converted;
        skipped.extend(notes_skipped);
        progress(Step::ReadingNotes, total, total)?;
        for (name, count) in by_first_two {
            skipped.push(Skipped {
                entry: format!("note type '{name}'"),
                reason: format!(
                    "its templates are not a front/back pair; its {count} notes were imported by \
                     their first two fields"
                ),
            });
        }
        for (name, count) in left_out_cards {
            skipped.push(Skipped {
                entry: format!("note type '{name}'"),
                reason: format!(
                    "{count} of its cards ask neither the first field nor its reverse (or an \
                     empty cloze), so they were left out"
                ),
            });
        }
        if let Some(reason) = made_new.reason(
            "cards have a schedule value out of range",
            "they were imported as new cards, without their review log",
        ) {
            skipped.push(Skipped {
                entry: "cards".into(),
                reason,
            });
        }
        if let Some(reason) = bad_rows.reason(
            "review-log rows have a value out of range",
            "they were left out, and their cards' memory comes from the other rows",
        ) {
            skipped.push(Skipped {
                entry: "review log".into(),
                reason,
            });
        }
        if manual > 0 {
            skipped.push(Skipped {
                entry: "review log".into(),
                reason: format!(
                    "{manual} manual changes (set due date, reset) are not answers and were not \
                     copied; the answers around them were"
                ),
            });
        }
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = top_decks
            .into_iter()
            .filter(|(deck, _)| deck != "Default")
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(deck, _)| deck)
            .unwrap_or(stem);
        let id = match slug(&name) {
            s if s.is_empty() => "anki.deck".to_owned(),
            s => format!("anki.{s}"),
        };
        Ok(Converted {
            id,
            name,
            notes,
            media,
            skipped,
            content_hash,
            log: replayed,
        })
    }
}
