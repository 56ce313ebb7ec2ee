//! Where a pack's files come from: a folder on disk, or the built-in pack compiled into the
//! binary. Paths are relative and use `/`.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::error::{Error, Result};
use crate::import::archive::Limits;
use crate::import::file;

pub trait PackSource {
    /// Every file of the pack, as relative `/`-separated paths, sorted.
    fn files(&self) -> Result<Vec<String>>;
    fn read(&self, path: &str) -> Result<Vec<u8>>;
    /// How to name the pack in messages.
    fn describe(&self) -> String;
    /// The pack's content hash when known without reading it (the built-in packs').
    fn known_hash(&self) -> Option<String> {
        None
    }
}

/// A pack folder on disk, read within the same caps as a zipped pack: so many files, so many
/// bytes in all, so deep; links inside it are never followed.
pub struct DirSource {
    root: PathBuf,
    /// Bytes read so far, against `Limits::PACK.max_total`.
    read: Cell<u64>,
}

/// Folders nested deeper than this are refused (a pack is areas, terms, lessons, media).
const MAX_DEPTH: usize = 16;

impl DirSource {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirSource {
            root: root.into(),
            read: Cell::new(0),
        }
    }

    fn refuse(&self, entry: Option<&str>, message: String) -> Error {
        Error::Import {
            file: self.root.clone(),
            entry: entry.map(str::to_owned),
            message,
        }
    }
}

impl PackSource for DirSource {
    fn files(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        walk(&self.root, &self.root, 0, &mut out)?;
        if out.len() > Limits::PACK.max_entries {
            return Err(self.refuse(
                None,
                format!(
                    "it holds more than {} files, more than a pack may",
                    Limits::PACK.max_entries
                ),
            ));
        }
        out.sort();
        Ok(out)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        let full = self.root.join(path);
        let left = Limits::PACK.max_total.saturating_sub(self.read.get());
        let Some(bytes) = file::read_up_to(file::open(&full)?, &full, left)? else {
            return Err(self.refuse(
                Some(path),
                format!(
                    "the pack's files are larger than {} in all; a pack is text and a few images",
                    file::size_text(Limits::PACK.max_total)
                ),
            ));
        };
        self.read.set(self.read.get() + bytes.len() as u64);
        Ok(bytes)
    }

    fn describe(&self) -> String {
        self.root.display().to_string()
    }
}

fn walk(root: &Path, dir: &Path, depth: usize, out: &mut Vec<String>) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::Import {
            file: root.to_owned(),
            entry: Some(dir.strip_prefix(root).unwrap_or(dir).display().to_string()),
            message: format!("its folders nest deeper than {MAX_DEPTH} levels"),
        });
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        // Never follow links out of the pack, nor read devices or pipes: only folders and
        // regular files are listed.
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if kind.is_dir() {
            walk(root, &path, depth + 1, out)?;
        } else if kind.is_file() {
            let relative = path.strip_prefix(root).expect("inside root");
            let parts: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// The built-in curriculum: `content/` holds one folder per pack (one per area).
static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");

/// Each built-in pack's folder and content hash, worked out by build.rs.
static BUILTIN_HASHES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_hashes.rs"));

/// A built-in pack: a folder of `content/`, its paths read relative to that folder.
pub struct EmbeddedSource(&'static Dir<'static>);

/// Every built-in pack, in the curriculum's order (`content/curriculum.toml`); a pack folder
/// it does not list comes last (a test checks that it lists them all).
pub fn builtins() -> Vec<EmbeddedSource> {
    let order = curriculum_order();
    let mut packs: Vec<_> = BUILTIN
        .dirs()
        .filter(|d| d.get_file(d.path().join(super::parse::MANIFEST)).is_some())
        .map(EmbeddedSource)
        .collect();
    packs.sort_by_key(|p| {
        let folder = p.folder();
        (
            order
                .iter()
                .position(|o| *o == folder)
                .unwrap_or(usize::MAX),
            folder,
        )
    });
    packs
}

/// The pack folders `content/curriculum.toml` lists, in its order.
pub fn curriculum_order() -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Curriculum {
        packs: Vec<String>,
    }
    BUILTIN
        .get_file("curriculum.toml")
        .and_then(|f| f.contents_utf8())
        .and_then(|text| toml::from_str::<Curriculum>(text).ok())
        .map(|c| c.packs)
        .unwrap_or_default()
}

/// The ids in the built-in packs' manifests, read without parsing the packs.
pub fn builtin_ids() -> &'static [String] {
    static IDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    IDS.get_or_init(|| builtins().iter().map(EmbeddedSource::id).collect())
}

/// Where a pack comes in the curriculum's order: built-in packs by it, every other pack after.
pub fn curriculum_rank(id: &str) -> usize {
    builtin_ids()
        .iter()
        .position(|b| b == id)
        .unwrap_or(usize::MAX)
}

/// Whether `id` names a built-in pack (reserved: it updates with Reprise itself).
pub fn is_builtin(id: &str) -> bool {
    builtin_ids().iter().any(|b| b == id)
}

impl EmbeddedSource {
    /// The pack's folder in `content/`.
    pub fn folder(&self) -> String {
        self.0.path().to_string_lossy().into_owned()
    }

    fn id(&self) -> String {
        #[derive(serde::Deserialize)]
        struct Id {
            id: String,
        }
        self.0
            .get_file(self.0.path().join(super::parse::MANIFEST))
            .and_then(|f| f.contents_utf8())
            .and_then(|m| toml::from_str::<Id>(m).ok())
            .map(|m| m.id)
            .unwrap_or_default()
    }
}

impl PackSource for EmbeddedSource {
    fn files(&self) -> Result<Vec<String>> {
        fn collect(root: &Path, dir: &Dir, out: &mut Vec<String>) {
            for file in dir.files() {
                let relative = file.path().strip_prefix(root).unwrap_or(file.path());
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
            for sub in dir.dirs() {
                collect(root, sub, out);
            }
        }
        let mut out = Vec::new();
        collect(self.0.path(), self.0, &mut out);
        out.sort();
        Ok(out)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        self.0
            .get_file(self.0.path().join(path))
            .map(|f| f.contents().to_vec())
            .ok_or_else(|| Error::io(path, std::io::ErrorKind::NotFound.into()))
    }

    fn describe(&self) -> String {
        format!("the built-in pack '{}'", self.0.path().display())
    }

    fn known_hash(&self) -> Option<String> {
        let folder = self.folder();
        BUILTIN_HASHES
            .iter()
            .find(|(f, _)| *f == folder)
            .map(|(_, hash)| (*hash).to_owned())
    }
}

/// A pack already in memory, such as one unpacked from a zip.
pub struct MemorySource {
    name: String,
    files: std::collections::BTreeMap<String, Vec<u8>>,
}

impl MemorySource {
    pub fn new(
        name: impl Into<String>,
        files: std::collections::BTreeMap<String, Vec<u8>>,
    ) -> Self {
        MemorySource {
            name: name.into(),
            files,
        }
    }
}

impl PackSource for MemorySource {
    fn files(&self) -> Result<Vec<String>> {
        Ok(self.files.keys().cloned().collect())
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| Error::io(path, std::io::ErrorKind::NotFound.into()))
    }

    fn describe(&self) -> String {
        self.name.clone()
    }
}
