//! Taking in packs from files: Reprise packs (a folder or a .zip of one), Anki packages and
//! CSV/TSV tables of terms. Every file is hostile until validated; a file that cannot be taken in
//! whole changes nothing, and what is left out on purpose (an empty row, a duplicate) is reported
//! with why.

pub mod anki;
pub(crate) mod apply;
pub mod archive;
pub mod file;
mod html_text;
mod table;

pub(crate) use html_text::html_to_text;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::content::{DirSource, MemorySource, Pack};
use crate::error::{Error, Result};
use crate::ids::PackId;

/// A text field longer than this is left out (a term is a sentence or a paragraph, not a book).
pub const MAX_FIELD_BYTES: usize = 64 << 10;

/// Something in the file that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Skipped {
    /// Where it is: "line 12", "terms/x.md", …
    pub entry: String,
    pub reason: String,
}

/// How far an import has got, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportProgress {
    #[ts(type = "\"reading\" | \"saving\" | \"indexing\" | \"done\"")]
    pub stage: String,
    /// What `done` and `total` count, in the order an import meets them. Reading: an Anki
    /// package's "rows" (of its notes, cards and log, from its collection), its "reviews" (the
    /// log replayed through the scheduler), then its "notes" converted, or a pack's "terms"
    /// read and checked. Saving: "reviews" (log rows), "notes" (or "terms") and "cards"
    /// written. Indexing: "cards" indexed for search (an Anki package imported the first time
    /// has them indexed as they are saved), then "tables" whose indexes are built again after a
    /// large deck. Empty while the file opens.
    #[ts(type = "\"\" | \"rows\" | \"notes\" | \"terms\" | \"reviews\" | \"cards\" | \"tables\"")]
    pub unit: String,
    /// How many of `total` are done (both 0 until the file is open).
    pub done: u32,
    pub total: u32,
}

impl std::fmt::Display for ImportProgress {
    /// As a terminal shows it: "Saving 1500 of 20000 reviews".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = match self.stage.as_str() {
            "reading" => "Reading",
            "saving" => "Saving",
            "indexing" => "Indexing",
            _ => return write!(f, "Done"),
        };
        match self.total {
            0 => write!(f, "Opening the file"),
            total => write!(f, "{verb} {} of {total} {}", self.done, self.unit),
        }
    }
}

/// Where an import is, for [`ImportProgress`]: a stage and what its counts count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The rows of an Anki package's notes, cards and review log, read from its collection.
    ReadingRows,
    /// An Anki package's review log, replayed through the learner's scheduler.
    ReadingReviews,
    /// An Anki package's notes converted.
    ReadingNotes,
    /// A pack's terms read and checked.
    ReadingTerms,
    SavingReviews,
    SavingNotes,
    SavingTerms,
    SavingCards,
    /// The cards' text, facets and tags written into the browser's index.
    IndexingCards,
    /// Tables whose indexes were dropped for a large deck and are built again.
    IndexingTables,
}

impl Step {
    fn stage(self) -> &'static str {
        match self {
            Step::ReadingRows | Step::ReadingReviews | Step::ReadingNotes | Step::ReadingTerms => {
                "reading"
            }
            Step::SavingReviews | Step::SavingNotes | Step::SavingTerms | Step::SavingCards => {
                "saving"
            }
            Step::IndexingCards | Step::IndexingTables => "indexing",
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Step::ReadingReviews | Step::SavingReviews => "reviews",
            Step::ReadingNotes | Step::SavingNotes => "notes",
            Step::ReadingTerms | Step::SavingTerms => "terms",
            Step::SavingCards | Step::IndexingCards => "cards",
            Step::IndexingTables => "tables",
            Step::ReadingRows => "rows",
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportReport {
    pub pack: PackId,
    pub name: String,
    #[ts(type = "\"pack\" | \"csv\" | \"anki\"")]
    pub format: String,
    /// Notes (terms, quiz questions) new to the collection.
    pub added: u32,
    /// Notes already there whose text changed; their progress is kept.
    pub updated: u32,
    /// Notes already there, unchanged.
    pub unchanged: u32,
    pub new_cards: u32,
    /// Review-log rows taken in (Anki packages).
    pub reviews: u32,
    /// Cards already answered in Reprise, whose progress was kept over the file's.
    pub kept: u32,
    pub skipped: Vec<Skipped>,
}

/// What a table will import, shown before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TablePreview {
    pub pack: PackId,
    pub name: String,
    /// What separates the fields: ",", ";" or "tab".
    pub delimiter: String,
    /// Whether the first row was read as column names and left out.
    pub header: bool,
    /// Terms the import would add or update.
    pub terms: u32,
    /// The first few of them, as they will be imported.
    pub sample: Vec<PreviewRow>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PreviewRow {
    pub term: String,
    pub definition: String,
    pub tags: Vec<String>,
}

/// Rows a preview shows.
const PREVIEW_ROWS: usize = 8;

/// Reads a CSV/TSV table as [`load`] would, without importing it: how it was read, how many
/// terms it gives, the first of them, and the rows left out.
pub fn preview_table(path: &Path) -> Result<TablePreview> {
    let (pack, skipped, shape) = table::load(path)?;
    Ok(TablePreview {
        pack: pack.manifest.id.into(),
        name: pack.manifest.name,
        delimiter: match shape.delimiter {
            b'\t' => "tab".into(),
            other => char::from(other).to_string(),
        },
        header: shape.header,
        terms: pack.terms.len() as u32,
        sample: pack
            .terms
            .into_iter()
            .take(PREVIEW_ROWS)
            .map(|t| PreviewRow {
                term: t.name,
                definition: t.definition,
                tags: t.tags,
            })
            .collect(),
        skipped,
    })
}

/// What a file holds, read and validated, ready to install.
pub enum Loaded {
    /// A Reprise pack, or a table of terms made into one.
    Pack {
        pack: Pack,
        format: &'static str,
        skipped: Vec<Skipped>,
    },
    Anki(anki::Package),
}

/// Reads the file or folder at `path` by its kind: a folder or `.zip` is a Reprise pack,
/// `.apkg`/`.colpkg` an Anki package, `.csv`/`.tsv`/`.txt` a table of terms.
pub fn load(path: &Path) -> Result<Loaded> {
    load_with_progress(path, &mut |_, _, _| Ok(()))
}

/// [`load`], telling `progress` how far an Anki package's reading is; an error from it stops.
pub fn load_with_progress(
    path: &Path,
    progress: &mut dyn FnMut(Step, usize, usize) -> Result<()>,
) -> Result<Loaded> {
    let unsupported = || Error::Import {
        file: path.to_path_buf(),
        entry: None,
        message: "Reprise imports pack folders, .zip packs, Anki .apkg/.colpkg packages, and \
                  .csv/.tsv/.txt tables of term,definition[,tags]"
            .into(),
    };
    let meta = file::kind(path)?;
    if meta.is_dir() {
        return Ok(Loaded::Pack {
            pack: Pack::load(&DirSource::new(path))?,
            format: "pack",
            skipped: vec![],
        });
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .ok_or_else(unsupported)?;
    match extension.as_str() {
        "zip" => Ok(Loaded::Pack {
            pack: load_zip(path)?,
            format: "pack",
            skipped: vec![],
        }),
        "apkg" | "colpkg" => Ok(Loaded::Anki(anki::read_with_progress(path, progress)?)),
        "csv" | "tsv" | "tab" | "txt" => {
            let (pack, skipped, _) = table::load(path)?;
            Ok(Loaded::Pack {
                pack,
                format: "csv",
                skipped,
            })
        }
        _ => Err(unsupported()),
    }
}

/// HTML from another app made inert to keep: scripts, handlers, styles, URLs with a scheme and
/// scheme-relative ones (`//host/x.png`) go; images keep the media name they show, resolved
/// when the card is shown.
pub(crate) fn sanitize_html(html: &str) -> String {
    // Text without `<` or `&` holds no markup to remove, and plain formatting is kept as it is
    // (most fields of most decks).
    if !html.contains(['<', '&']) || html_text::sanitizes_to_itself(html) {
        return html.to_owned();
    }
    static SANITIZER: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(|| {
            let mut builder = ammonia::Builder::default();
            builder
                .url_schemes(Default::default())
                .url_relative(ammonia::UrlRelative::Custom(Box::new(stays_local)));
            builder
        });
    SANITIZER.clean(html).to_string()
}

/// A URL that loads nothing from elsewhere: a media file's name, or a path inside the app.
/// Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/host/x.png` is
/// `//host/x.png`, a remote image; URLs with a scheme were removed before this is asked.
fn stays_local(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    let first = url
        .chars()
        .find(|c| !c.is_ascii_whitespace() && !c.is_ascii_control());
    (!matches!(first, Some('/' | '\\'))).then_some(std::borrow::Cow::Borrowed(url))
}

/// A Reprise pack from a folder or a `.zip` of one.
pub fn load_pack(path: &Path) -> Result<Pack> {
    if file::kind(path)?.is_dir() {
        Pack::load(&DirSource::new(path))
    } else {
        load_zip(path)
    }
}

/// A zipped pack: `pack.toml` at the root, or inside the one folder the zip holds.
pub(crate) fn load_zip(path: &Path) -> Result<Pack> {
    let entries = archive::read_zip(path, archive::Limits::PACK)?;
    let at_root = entries.iter().any(|e| e.name == "pack.toml");
    let prefix = if at_root {
        String::new()
    } else {
        let mut tops: Vec<&str> = entries
            .iter()
            .filter_map(|e| e.name.split_once('/').map(|(top, _)| top))
            .collect();
        tops.dedup();
        match tops.as_slice() {
            [top] if entries.iter().any(|e| e.name == format!("{top}/pack.toml")) => {
                format!("{top}/")
            }
            _ => {
                return Err(Error::Import {
                    file: path.to_path_buf(),
                    entry: None,
                    message: "it holds no pack.toml, at its root or in a single top folder; \
                              zip the pack folder itself"
                        .into(),
                })
            }
        }
    };
    let files: BTreeMap<String, Vec<u8>> = entries
        .into_iter()
        .filter_map(|e| {
            let name = e.name.strip_prefix(&prefix)?.to_owned();
            Some((name, e.bytes))
        })
        .collect();
    Pack::load(&MemorySource::new(path.display().to_string(), files))
}
