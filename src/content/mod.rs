//! Content packs: the built-in curriculum (a pack per area) and packs users import share one
//! format (content/README.md) and one loader. A pack is read from a [`source::PackSource`],
//! parsed and validated as a whole — every problem reported with its file and line — and only
//! then installed.

pub(crate) mod check;
pub mod flash;
mod flash_file;
pub mod install;
pub mod lesson;
mod parse;
pub mod render;
pub mod source;
mod together;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use install::{install, Installed};
pub use lesson::{Lesson, Question, QuestionKind};
pub use parse::MEDIA_EXTENSIONS;
pub use source::{DirSource, MemorySource, PackSource};
pub use together::{check_together, CrossLink};

/// The pack format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: u32,
    pub id: String,
    pub name: String,
    pub version: String,
    pub author: String,
    pub license: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub id: String,
    pub name: String,
    /// Markdown.
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

/// A glossary entry. Its two cards ask term → definition and definition → term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// One sentence.
    pub definition: String,
    /// Markdown: the longer explanation.
    pub explanation: String,
    pub area: String,
    pub level: Level,
    pub lessons: Vec<String>,
    /// Term ids of this pack, or `<pack id>/<term id>` for a term of another pack.
    pub see_also: Vec<String>,
    /// Where the facts can be checked: https URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Free labels, e.g. from an imported deck.
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    pub manifest: Manifest,
    pub areas: Vec<Area>,
    /// In learning order: by level, then by id.
    pub terms: Vec<Term>,
    /// In learning order: by level, then by id.
    pub lessons: Vec<Lesson>,
    /// Flash notes (from Anki), in their order in the source.
    pub flash: Vec<flash::FlashEntry>,
    /// The media files, by their path in the pack (`media/<file>`).
    pub media: BTreeMap<String, Vec<u8>>,
    /// blake3 of every file, to notice an unchanged pack cheaply.
    pub content_hash: String,
}

impl Pack {
    /// Reads, parses and validates a whole pack; on any problem returns all of them.
    pub fn load(source: &dyn PackSource) -> Result<Pack> {
        parse::load(source)
    }

    /// The hash `load` would record, computed without parsing: tells cheaply whether an
    /// installed pack is up to date.
    pub fn content_hash(source: &dyn PackSource) -> Result<String> {
        match source.known_hash() {
            Some(hash) => Ok(hash),
            None => parse::content_hash(source),
        }
    }

    /// The packs that ship inside Reprise (the folders of the repository's `content/`).
    pub fn builtins() -> Result<Vec<Pack>> {
        source::builtins().iter().map(|s| Pack::load(s)).collect()
    }
}

/// An id made from a name: lowercase ASCII letters and digits in runs joined by '-' (`fallback`
/// when the name has none), as pack, area and term ids are written.
pub fn slug(name: &str, fallback: &str) -> String {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        fallback.to_owned()
    } else {
        words.join("-")
    }
}

/// One problem found in a pack, located for the author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl From<Vec<Problem>> for Error {
    fn from(problems: Vec<Problem>) -> Self {
        Error::Content { problems }
    }
}
