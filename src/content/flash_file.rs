//! Flash notes' files, `flash/<name>.toml`: one note, or several under `[[notes]]` headers,
//! each checked as it is read.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::flash::{FlashEntry, FlashKind, FlashNote, TextFormat};
use super::parse::parse_toml;
use super::Problem;

/// A flash note, the whole of a `flash/<name>.toml` or one `[[notes]]` table of it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlashFile {
    key: String,
    kind: FlashKind,
    #[serde(default)]
    notetype: String,
    #[serde(default)]
    deck: String,
    #[serde(default)]
    tags: Vec<String>,
    cards: Vec<String>,
    front: String,
    #[serde(default)]
    back: String,
    #[serde(default)]
    format: TextFormat,
}

/// A `flash/<name>.toml` holding several notes, each under a `[[notes]]` header (a large deck
/// in a file per note would pass the pack's limit on files).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlashFiles {
    notes: Vec<FlashFile>,
}

/// The header that starts each note of a file holding several.
const NOTES_HEADER: &str = "[[notes]]";

/// The flash notes of one file, each with the line it starts on.
fn parse_flash(file: &str, text: &str) -> Result<Vec<(usize, FlashFile)>, Problem> {
    // Several notes when the first line that is not blank or a comment is their header.
    let first = (text.lines().map(str::trim)).find(|l| !l.is_empty() && !l.starts_with('#'));
    if first != Some(NOTES_HEADER) {
        return Ok(vec![(1, parse_toml::<FlashFile>(file, 1, text)?)]);
    }
    let notes = parse_toml::<FlashFiles>(file, 1, text)?.notes;
    let headers: Vec<usize> = (text.lines().enumerate())
        .filter(|(_, line)| line.trim() == NOTES_HEADER)
        .map(|(at, _)| at + 1)
        .collect();
    // A multi-line text holding a line "[[notes]]" miscounts them: the file's line 1 then.
    let lines = match headers.len() == notes.len() {
        true => headers,
        false => vec![1; notes.len()],
    };
    Ok(lines.into_iter().zip(notes).collect())
}

/// Reads the flash notes of `file` into `flash` (each key's place kept in `flash_keys`), and
/// what is wrong with them into `problems`.
pub(super) fn read(
    file: &str,
    text: &str,
    flash: &mut Vec<FlashEntry>,
    flash_keys: &mut BTreeMap<String, String>,
    problems: &mut Vec<Problem>,
) {
    let problem = |line, message| Problem {
        file: file.to_owned(),
        line,
        message,
    };
    let notes = match parse_flash(file, text) {
        Ok(notes) => notes,
        Err(p) => {
            problems.push(p);
            return;
        }
    };
    for (line, f) in notes {
        // Sanitizing markup costs more than linear time in its depth: measure first.
        let deep = [&f.front, &f.back]
            .into_iter()
            .any(|field| super::render::too_deep(field));
        if deep {
            let message = format!(
                "its HTML nests more than {} levels deep, more than can be shown; flatten it",
                super::render::MAX_NESTING
            );
            problems.push(problem(line, message));
            continue;
        }
        let entry = FlashEntry {
            key: f.key,
            note: FlashNote {
                kind: f.kind,
                notetype: f.notetype,
                // Markdown is kept as written (it is sanitized as it renders), so
                // it must hold no active HTML; HTML is sanitized here.
                front: stored_text(f.format, &f.front),
                back: stored_text(f.format, &f.back),
                deck: f.deck,
                tags: f.tags,
                format: f.format,
            },
            cards: f.cards,
        };
        for (name, field) in [("front", &f.front), ("back", &f.back)] {
            let active = super::check::active_html(field);
            if let (TextFormat::Markdown, Some(what)) = (f.format, active) {
                problems.push(problem(line, format!("`{name}` holds {what}; remove it")));
            }
        }
        problems.extend(entry.problems().into_iter().map(|m| problem(line, m)));
        let place = match line {
            1 => file.to_owned(),
            _ => format!("{file} line {line}"),
        };
        if let Some(first) = flash_keys.insert(entry.key.clone(), place) {
            let message = format!("key '{}' is also the key of {first}", entry.key);
            problems.push(problem(line, message));
        }
        flash.push(entry);
    }
}

/// A flash field as stored: HTML sanitized, Markdown as written.
fn stored_text(format: TextFormat, text: &str) -> String {
    match format {
        TextFormat::Html => crate::import::sanitize_html(text),
        TextFormat::Markdown => text.to_owned(),
    }
}
