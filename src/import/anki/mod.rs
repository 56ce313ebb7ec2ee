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
mod notes;
mod notetype;
mod proto;
mod schedule;
mod sqlite;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use prost::Message;

use super::archive;
use super::{Skipped, Step};
use crate::content::flash::FlashNote;
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

    /// Adds the values counted in `later`, after these.
    fn add(&mut self, later: Tally) {
        self.count += later.count;
        if self.first.is_none() {
            self.first = later.first;
        }
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
        let sources = notes::NoteSources {
            col: &col,
            shapes: &shapes,
            repeated: &repeated,
            scheduler,
            offset,
            rollover,
            no_rows: replayed.len(),
        };
        let converted = sources.convert_all(raw_notes, &mut replays, progress)?;
        let notes::ConvertedNotes {
            notes,
            skipped: notes_skipped,
            by_first_two,
            left_out_cards,
            top_decks,
            manual,
            made_new,
        } = converted;
        skipped.extend(notes_skipped);
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
