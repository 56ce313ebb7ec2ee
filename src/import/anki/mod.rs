//! Anki packages (`.apkg`, and whole-collection `.colpkg`), in every layout in use:
//! `collection.anki2` and `collection.anki21` (schema 11), and the current `meta` +
//! zstd-compressed `collection.anki21b` (schema 18) with a protobuf media list, beside which the
//! dummy `collection.anki2` is ignored. Notes become flash notes, decks their deck, tags are kept,
//! HTML is sanitized, media are kept for the cards to show, and each card keeps its schedule,
//! its review log and the FSRS memory state that log gives.

mod collection;
pub mod history;
pub mod install;
mod notetype;
mod proto;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use prost::Message;

use super::archive::{self, Limits};
use super::{sanitize_html, Skipped};
use crate::content::flash::{cloze_numbers_of, cloze_template, FlashKind, FlashNote};
use crate::error::{Error, Result};
use crate::schedule::{CardState, Memory, Schedule, Scheduler};
use collection::{AnkiCollection, Card};
use history::ImportedReview;
use notetype::Shape;

/// Anki packages carry a whole collection and its media: larger caps than a pack's.
const LIMITS: Limits = Limits {
    max_entries: 200_000,
    max_total: 2 << 30,
    max_ratio: 100,
};
/// A zstd stream expanding past this many times its size is refused as a bomb.
const MAX_ZSTD_RATIO: u64 = 200;
/// A field larger than this (an embedded image, usually) leaves its note out.
const MAX_FIELD_BYTES: usize = 1 << 20;

const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

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

/// Decompresses a zstd entry within the caps.
fn unzstd(file: &Path, entry: &str, bytes: &[u8], max: u64) -> Result<Vec<u8>> {
    let decoder = ruzstd::decoding::StreamingDecoder::new(bytes).map_err(|e| {
        fail(
            file,
            Some(entry),
            format!("it is not valid zstd data ({e}); export it again"),
        )
    })?;
    let cap = max.min(
        (bytes.len() as u64)
            .saturating_mul(MAX_ZSTD_RATIO)
            .max(1 << 20),
    );
    let mut out = Vec::new();
    decoder
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| fail(file, Some(entry), format!("it is corrupt ({e})")))?;
    if out.len() as u64 > cap {
        return Err(fail(
            file,
            Some(entry),
            format!("it expands past {} MiB or {MAX_ZSTD_RATIO}-fold, like a zip bomb; it was not unpacked", cap >> 20),
        ));
    }
    Ok(out)
}

/// A media file name that is just a name: no folders, no `..`, nothing hidden in it.
fn media_name_is_safe(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0', ':'])
}

/// Reads and validates the package at `path`.
pub fn read(path: &Path) -> Result<Package> {
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
    let bytes = if layout == "anki21b" {
        unzstd(path, name, &raw, LIMITS.max_total)?
    } else {
        raw
    };
    hasher.update(&bytes);
    let collection = collection::read(bytes).map_err(|message| fail(path, Some(name), message))?;
    let mut skipped = Vec::new();
    let media = read_media(path, layout, &mut by_name, &mut skipped)?;
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

/// The media list (`media`: JSON in old packages, zstd protobuf in new ones) and the files it
/// names, which are zip entries called `0`, `1`, ….
fn read_media(
    path: &Path,
    layout: &str,
    entries: &mut HashMap<String, Vec<u8>>,
    skipped: &mut Vec<Skipped>,
) -> Result<BTreeMap<String, Vec<u8>>> {
    let Some(list) = entries.remove("media") else {
        return Ok(BTreeMap::new());
    };
    let zstd_list = list.starts_with(&ZSTD_MAGIC);
    let names: Vec<(String, String)> = if zstd_list {
        let list = unzstd(path, "media", &list, 64 << 20)?;
        let list = proto::MediaEntries::decode(list.as_slice()).map_err(|e| {
            fail(
                path,
                Some("media"),
                format!("the media list cannot be read ({e})"),
            )
        })?;
        list.entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let entry = e.legacy_zip_filename.map_or(i as u32, |n| n);
                (entry.to_string(), e.name)
            })
            .collect()
    } else {
        let map: HashMap<String, String> = serde_json::from_slice(&list).map_err(|e| {
            fail(
                path,
                Some("media"),
                format!("the media list is not the JSON object Anki writes ({e})"),
            )
        })?;
        let mut names: Vec<_> = map.into_iter().collect();
        names.sort();
        names
    };
    let mut media = BTreeMap::new();
    for (entry, name) in names {
        let extension = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        if !crate::content::MEDIA_EXTENSIONS.contains(&extension.as_str()) {
            skipped.push(Skipped {
                entry: format!("media '{name}'"),
                reason: format!(
                    "Reprise shows images and sounds ({}); this kind of file was left out",
                    crate::content::MEDIA_EXTENSIONS.join(", ")
                ),
            });
            continue;
        }
        if !media_name_is_safe(&name) {
            skipped.push(Skipped {
                entry: format!("media '{name}'"),
                reason: "its name is not a plain file name; it was left out".into(),
            });
            continue;
        }
        let Some(bytes) = entries.remove(&entry) else {
            skipped.push(Skipped {
                entry: format!("media '{name}'"),
                reason: format!("the package lists it but holds no entry '{entry}'"),
            });
            continue;
        };
        let bytes = if layout == "anki21b" && bytes.starts_with(&ZSTD_MAGIC) {
            unzstd(path, &entry, &bytes, LIMITS.max_total)?
        } else {
            bytes
        };
        media.insert(name, bytes);
    }
    Ok(media)
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
    pub reviews: Vec<ImportedReview>,
}

/// The package turned into Reprise's notes, cards and history.
pub struct Converted {
    pub id: String,
    pub name: String,
    pub notes: Vec<ImportedNote>,
    pub media: BTreeMap<String, Vec<u8>>,
    pub skipped: Vec<Skipped>,
    pub content_hash: String,
    pub reviews: usize,
}

#[derive(serde::Deserialize, Default)]
struct CardData {
    s: Option<f32>,
    d: Option<f32>,
    /// Last review, unix seconds.
    lrt: Option<i64>,
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
    /// scheduler's rollover hour.
    pub fn convert(self, scheduler: &Scheduler, now: DateTime<FixedOffset>) -> Result<Converted> {
        let Package {
            file,
            collection: col,
            media,
            mut skipped,
            content_hash,
            ..
        } = self;
        let rollover = scheduler.settings().rollover_hour;
        let offset = *now.offset();
        let deck_name = |id: i64| {
            col.decks
                .get(&id)
                .cloned()
                .unwrap_or_else(|| "Default".to_owned())
        };
        let shapes: HashMap<i64, Shape> = col
            .notetypes
            .iter()
            .map(|(&id, nt)| (id, notetype::shape(nt)))
            .collect();
        let mut cards_of: HashMap<i64, Vec<&Card>> = HashMap::new();
        for card in &col.cards {
            cards_of.entry(card.note).or_default().push(card);
        }
        let mut reviews_of: HashMap<i64, &[collection::Review]> = HashMap::new();
        for chunk in col.reviews.chunk_by(|a, b| a.card == b.card) {
            reviews_of.insert(chunk[0].card, chunk);
        }
        let mut by_first_two: BTreeMap<String, usize> = BTreeMap::new();
        let mut left_out_cards: BTreeMap<String, usize> = BTreeMap::new();
        let mut manual = 0;
        let mut review_rows = 0;
        let mut top_decks: HashMap<String, usize> = HashMap::new();
        let mut seen_guids = HashSet::new();
        let mut notes = Vec::with_capacity(col.notes.len());
        for raw in &col.notes {
            let entry = format!("note {}", raw.id);
            let (Some(nt), Some(shape)) =
                (col.notetypes.get(&raw.notetype), shapes.get(&raw.notetype))
            else {
                skipped.push(Skipped {
                    entry,
                    reason: format!(
                        "its note type {} is missing from the collection",
                        raw.notetype
                    ),
                });
                continue;
            };
            if !seen_guids.insert(raw.guid.as_str()) {
                skipped.push(Skipped {
                    entry,
                    reason: format!("another note has the same id (guid '{}')", raw.guid),
                });
                continue;
            }
            let fields: Vec<&str> = raw.fields.split('\u{1f}').collect();
            if let Some(big) = fields.iter().position(|f| f.len() > MAX_FIELD_BYTES) {
                skipped.push(Skipped {
                    entry,
                    reason: format!(
                        "field '{}' is larger than {} KiB",
                        nt.fields.get(big).map_or("?", String::as_str),
                        MAX_FIELD_BYTES >> 10
                    ),
                });
                continue;
            }
            let field = |i: Option<usize>| {
                i.and_then(|i| fields.get(i))
                    .map_or(String::new(), |f| sanitize_html(f))
            };
            let (kind, front, back) = match shape {
                Shape::Cloze { text, extra } => {
                    (FlashKind::Cloze, field(Some(*text)), field(*extra))
                }
                Shape::Basic {
                    front,
                    back,
                    understood,
                    ..
                } => {
                    if !understood {
                        *by_first_two.entry(nt.name.clone()).or_default() += 1;
                    }
                    (FlashKind::Basic, field(Some(*front)), field(*back))
                }
            };
            if crate::import::html_to_text(&front).trim().is_empty() && !front.contains("<img") {
                skipped.push(Skipped {
                    entry,
                    reason: "its first field is empty".into(),
                });
                continue;
            }
            let cards = cards_of.get(&raw.id).map_or(&[][..], Vec::as_slice);
            let deck = cards
                .first()
                .map(|c| {
                    deck_name(if c.original_deck != 0 {
                        c.original_deck
                    } else {
                        c.deck
                    })
                })
                .unwrap_or_else(|| "Default".into());
            *top_decks
                .entry(deck.split("::").next().unwrap_or("Default").to_owned())
                .or_default() += 1;
            let note = FlashNote {
                kind,
                notetype: nt.name.clone(),
                front,
                back,
                deck,
                tags: raw.tags.split_whitespace().map(str::to_owned).collect(),
            };
            let clozes = match kind {
                FlashKind::Cloze => cloze_numbers_of(&note.front),
                FlashKind::Basic => vec![],
            };
            let mut imported = Vec::with_capacity(cards.len());
            for card in cards {
                let template = match shape {
                    Shape::Cloze { .. } if clozes.contains(&(card.ord + 1)) => {
                        Some(cloze_template(card.ord + 1))
                    }
                    Shape::Cloze { .. } => None,
                    Shape::Basic { templates, .. } => templates
                        .get(card.ord as usize)
                        .copied()
                        .flatten()
                        .map(|d| d.template().to_owned()),
                };
                let Some(template) = template else {
                    *left_out_cards.entry(nt.name.clone()).or_default() += 1;
                    continue;
                };
                let log = reviews_of.get(&card.id).copied().unwrap_or(&[]);
                let key = format!("{}/{}", raw.guid, card.ord);
                let history = history::replay(log, &key, scheduler, offset, rollover)?;
                manual += history.manual;
                review_rows += history.reviews.len();
                let schedule = schedule(card, &history, col.created, scheduler)?;
                imported.push(ImportedCard {
                    template,
                    position: if card.kind == 0 { card.due } else { 0 },
                    schedule,
                    suspended: card.queue == -1,
                    reviews: history.reviews,
                });
            }
            if imported.is_empty() {
                skipped.push(Skipped {
                    entry,
                    reason: "it has no card Reprise can show".into(),
                });
                continue;
            }
            notes.push(ImportedNote {
                key: format!("anki:{}", raw.guid),
                note,
                cards: imported,
            });
        }
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
            reviews: review_rows,
        })
    }
}

/// The card's schedule as Anki left it, with the memory state its history gives.
fn schedule(
    card: &Card,
    history: &history::History,
    created: i64,
    scheduler: &Scheduler,
) -> Result<Schedule> {
    let state = match card.kind {
        1 => CardState::Learning,
        2 => CardState::Review,
        3 => CardState::Relearning,
        _ => CardState::New,
    };
    if state == CardState::New {
        return Ok(Schedule::new_card());
    }
    let data: CardData = serde_json::from_str(&card.data).unwrap_or_default();
    let memory = match history.memory {
        Some(m) => Some(m),
        None => match (data.s, data.d) {
            (Some(stability), Some(difficulty)) => Some(Memory {
                stability,
                difficulty,
            }),
            _ if card.interval > 0 => {
                let ease = if card.factor >= 1300 {
                    card.factor as f32 / 1000.0
                } else {
                    2.5
                };
                Some(scheduler.memory_from_sm2(ease, card.interval as f32)?)
            }
            _ => None,
        },
    };
    // A card in a filtered deck keeps its own due date in `odue`.
    let due = if card.original_deck != 0 && card.original_due != 0 {
        card.original_due
    } else {
        card.due
    };
    // Learning due dates are unix seconds; review (and day-learning) ones are days since the
    // collection's creation.
    let due_secs = if due > 1_000_000_000 {
        due
    } else {
        created + due * 86_400
    };
    let last_review = history
        .last_answer
        .or_else(|| data.lrt.and_then(|s| DateTime::<Utc>::from_timestamp(s, 0)));
    Ok(Schedule {
        state,
        memory,
        step: 0,
        due: DateTime::<Utc>::from_timestamp(due_secs, 0),
        interval_days: card.interval.max(0) as f64,
        last_review,
        reps: card.reps.max(0) as u32,
        lapses: card.lapses.max(0) as u32,
    })
}
