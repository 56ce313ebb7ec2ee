//! CSV and TSV files of `term,definition[,tags]`: the delimiter and a header row are detected,
//! quoting and newlines inside quotes follow RFC 4180, and HTML in a field is reduced to its text.
//! Each row becomes a term of a pack named after the file, with ids derived from the term, so
//! importing the file again updates the same terms.

use std::collections::HashMap;
use std::path::Path;

use super::{html_to_text, Skipped, MAX_FIELD_BYTES};
use crate::content::{Area, Level, Manifest, Pack, Term, FORMAT_VERSION};
use crate::error::{Error, Result};

/// Larger text files are refused before parsing.
const MAX_FILE_BYTES: u64 = 64 << 20;
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];
const TERM_HEADERS: [&str; 5] = ["term", "front", "question", "word", "name"];
const DEFINITION_HEADERS: [&str; 5] = ["definition", "back", "answer", "meaning", "translation"];

fn fail(path: &Path, line: Option<u64>, message: impl Into<String>) -> Error {
    Error::Import {
        file: path.to_path_buf(),
        entry: line.map(|l| format!("line {l}")),
        message: message.into(),
    }
}

/// How a table was read: what separated its fields, and whether its first row was a header.
pub struct Shape {
    pub delimiter: u8,
    pub header: bool,
}

/// The pack a table makes, the rows left out with why, and how it was read.
pub fn load(path: &Path) -> Result<(Pack, Vec<Skipped>, Shape)> {
    let bytes = super::file::read_capped(path, MAX_FILE_BYTES)?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            return Err(fail(
                path,
                Some(line as u64),
                "the file is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in spreadsheets)",
            ));
        }
    };
    let is_tsv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab"));
    let delimiter = if is_tsv { b'\t' } else { sniff_delimiter(text) };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());

    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Imported".into());
    let area_id = slug(&stem).unwrap_or_else(|| "imported".into());
    let mut terms = Vec::new();
    let mut skipped = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut header = false;
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line());
            fail(path, line, format!("it cannot be read as CSV: {e}"))
        })?;
        let line = record.position().map_or(index as u64 + 1, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        if index == 0 && is_header(field(0), field(1)) {
            header = true;
            continue;
        }
        let mut skip = |reason: String| {
            skipped.push(Skipped {
                entry: format!("line {line}"),
                reason,
            })
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if let Some(i) = record.iter().position(|f| f.len() > MAX_FIELD_BYTES) {
            skip(format!(
                "field {} is longer than {} KiB",
                i + 1,
                MAX_FIELD_BYTES >> 10
            ));
            continue;
        }
        let name = html_to_text(field(0));
        let definition = html_to_text(field(1));
        if name.trim().is_empty() {
            skip("the term (first column) is empty".into());
            continue;
        }
        if definition.trim().is_empty() {
            skip(format!(
                "'{}' has no definition (second column)",
                name.trim()
            ));
            continue;
        }
        let id = term_id(&name);
        if let Some(first) = seen.insert(id.clone(), line) {
            skip(format!(
                "'{}' appears again; line {first} was imported",
                name.trim()
            ));
            continue;
        }
        terms.push(Term {
            id,
            name,
            aliases: vec![],
            definition,
            explanation: String::new(),
            area: area_id.clone(),
            level: Level::Beginner,
            lessons: vec![],
            see_also: vec![],
            sources: vec![],
            tags: tags(field(2)),
        });
    }
    if terms.is_empty() {
        return Err(fail(
            path,
            None,
            "no row has both a term and a definition; rows are term,definition[,tags]",
        ));
    }
    let manifest = Manifest {
        format: FORMAT_VERSION,
        id: format!("csv.{area_id}"),
        name: stem.clone(),
        version: "1".into(),
        author: String::new(),
        license: String::new(),
        description: format!("Imported from {}", path.display()),
    };
    let content_hash = blake3::hash(&bytes).to_hex().to_string();
    Ok((
        Pack {
            manifest,
            areas: vec![Area {
                id: area_id,
                name: stem,
                description: String::new(),
            }],
            terms,
            lessons: vec![],
            flash: vec![],
            media: Default::default(),
            content_hash,
        },
        skipped,
        Shape { delimiter, header },
    ))
}

/// The delimiter that splits the first lines into the same number (≥ 2) of fields most often.
fn sniff_delimiter(text: &str) -> u8 {
    let sample: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
    let score = |d: u8| {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let widths: Vec<usize> = reader
            .records()
            .filter_map(|r| r.ok())
            .map(|r| r.len())
            .collect();
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for w in widths.into_iter().filter(|&w| w >= 2) {
            *counts.entry(w).or_default() += 1;
        }
        counts.into_values().max().unwrap_or(0)
    };
    // Ties go to the earlier candidate: comma, then semicolon, then tab.
    DELIMITERS
        .into_iter()
        .rev()
        .max_by_key(|&d| score(d))
        .unwrap_or(b',')
}

fn is_header(first: &str, second: &str) -> bool {
    let first = first.trim().to_lowercase();
    let second = second.trim().to_lowercase();
    TERM_HEADERS.contains(&first.as_str()) && DEFINITION_HEADERS.contains(&second.as_str())
}

fn tags(field: &str) -> Vec<String> {
    field
        .split([' ', ','])
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A lowercase ASCII slug of `text`, if it has any letters or digits.
fn slug(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    (!out.is_empty()).then_some(out)
}

/// Stable and unique per term text: a readable slug plus a short hash of the exact term.
fn term_id(name: &str) -> String {
    let hash = blake3::hash(name.trim().as_bytes()).to_hex();
    match slug(name) {
        Some(s) => format!("{s}-{}", &hash[..8]),
        None => format!("t-{}", &hash[..8]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_one_that_splits_rows_alike() {
        assert_eq!(sniff_delimiter("a;b, c\nd;e\n"), b';');
        assert_eq!(sniff_delimiter("a,b\nc,d;x\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\nc\td\n"), b'\t');
    }

    #[test]
    fn html_becomes_text_and_scripts_vanish() {
        assert_eq!(html_to_text("<b>bold</b> &amp; <i>it</i>"), "bold & it");
        assert_eq!(html_to_text("x<script>alert(1)</script>y"), "xy");
        assert_eq!(html_to_text("1 < 2"), "1 < 2");
    }

    #[test]
    fn ids_are_stable_slugs() {
        assert_eq!(term_id("le chien"), term_id("le chien"));
        assert!(term_id("le chien").starts_with("le-chien-"));
        assert!(term_id("猫").starts_with("t-"));
        assert_ne!(term_id("H"), term_id("h"));
    }
}
