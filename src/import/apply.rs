//! Taking a loaded file into the collection: an Anki package converted with the learner's
//! scheduler, or a pack installed in place; one transaction either way, with progress.

use std::path::Path;

use chrono::{DateTime, FixedOffset};

use super::{ImportProgress, ImportReport, Loaded, Step};
use crate::collection::{Changes, Tx};
use crate::content;
use crate::error::{Error, Result};
use crate::schedule::Scheduler;
use crate::store;

fn report(stage: &str, unit: &str, done: usize, total: usize) -> ImportProgress {
    ImportProgress {
        stage: stage.into(),
        unit: unit.into(),
        done: done as u32,
        total: total as u32,
    }
}

fn step(step: Step, done: usize, total: usize) -> ImportProgress {
    report(step.stage(), step.unit(), done, total)
}

/// What is ready to write: the converted package, or the pack with its format and skipped rows.
pub(crate) enum Prepared {
    Anki(super::anki::Converted),
    Pack {
        pack: content::Pack,
        format: &'static str,
        skipped: Vec<super::Skipped>,
    },
}

/// Converts what was loaded, before any transaction: an Anki history is replayed through the
/// learner's scheduler; a pack may not take the built-in pack's id.
pub(crate) fn prepare(
    loaded: Loaded,
    path: &Path,
    scheduler: &Scheduler,
    now: DateTime<FixedOffset>,
    progress: &mut dyn FnMut(ImportProgress) -> Result<()>,
) -> Result<Prepared> {
    match loaded {
        Loaded::Anki(package) => Ok(Prepared::Anki(package.convert(
            scheduler,
            now,
            &mut |at, done, total| progress(step(at, done, total)),
        )?)),
        Loaded::Pack {
            pack,
            format,
            skipped,
        } => {
            // A pack is checked whole as it loads: read, every term (as saving counts them).
            let terms = pack.terms.len();
            progress(step(Step::ReadingTerms, terms, terms))?;
            let id = &pack.manifest.id;
            if content::source::is_builtin(id) {
                return Err(Error::Import {
                    file: path.to_path_buf(),
                    entry: None,
                    message: format!(
                        "'{id}' is a built-in pack, which updates with Reprise itself; give \
                         your pack its own id in pack.toml"
                    ),
                });
            }
            Ok(Prepared::Pack {
                pack,
                format,
                skipped,
            })
        }
    }
}

/// Writes what was prepared; an error from `progress` (the learner cancelled) rolls it back.
pub(crate) fn write(
    tx: &mut Tx,
    prepared: Prepared,
    now: DateTime<FixedOffset>,
    progress: &mut dyn FnMut(ImportProgress) -> Result<()>,
) -> Result<ImportReport> {
    let tx = tx.raw(Changes::CONTENT);
    match prepared {
        Prepared::Anki(mut converted) => {
            let installed = super::anki::install::install(
                tx,
                &mut converted,
                now.to_utc(),
                &mut |at, done, total| progress(step(at, done, total)),
            )?;
            let notes = converted.notes.len();
            progress(report("done", "notes", notes, notes))?;
            Ok(ImportReport {
                pack: converted.id.into(),
                name: converted.name,
                format: "anki".into(),
                added: installed.added as u32,
                updated: installed.updated as u32,
                unchanged: installed.unchanged as u32,
                new_cards: installed.new_cards as u32,
                reviews: installed.reviews as u32,
                kept: installed.kept as u32,
                skipped: converted.skipped,
            })
        }
        Prepared::Pack {
            pack,
            format,
            skipped,
        } => {
            let id = &pack.manifest.id;
            let total = pack.terms.len()
                + pack.flash.len()
                + pack
                    .lessons
                    .iter()
                    .map(|l| l.questions.len())
                    .sum::<usize>();
            let before = store::packs::note_fields_by_key(tx, id)?;
            let installed = content::install::install_with_progress(
                tx,
                &pack,
                now.to_utc(),
                &mut |at, done, total| progress(step(at, done, total)),
            )?;
            let terms = pack.terms.len();
            progress(report("done", "terms", terms, terms))?;
            let after = store::packs::note_fields_by_key(tx, id)?;
            let added = after.keys().filter(|k| !before.contains_key(*k)).count();
            let updated = before
                .iter()
                .filter(|(k, fields)| after.get(*k).is_some_and(|now| now != *fields))
                .count();
            Ok(ImportReport {
                pack: id.clone().into(),
                name: pack.manifest.name.clone(),
                format: format.into(),
                added: added as u32,
                updated: updated as u32,
                unchanged: total.saturating_sub(added + updated) as u32,
                new_cards: installed.new_cards as u32,
                reviews: 0,
                kept: 0,
                skipped,
            })
        }
    }
}

/// Reads the file at `path`, reporting the reading stage: none of nothing while the file
/// opens, then the rows of an Anki package's collection.
pub(crate) fn load(
    path: &Path,
    progress: &mut dyn FnMut(ImportProgress) -> Result<()>,
) -> Result<Loaded> {
    progress(report("reading", "", 0, 0))?;
    super::load_with_progress(path, &mut |at, done, total| progress(step(at, done, total)))
}
