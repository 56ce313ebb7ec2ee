//! Content: `pack check`, `import`, `packs`, `export …` and `pack disable/enable/remove`.

use std::path::Path;
use std::process::ExitCode;

use reprise::content::Problem;
use reprise::{Collection, Error, PackId};

use super::Now;
use crate::cli::ExportCommand;
use crate::print::{errln, outln, print_json, CliResult};

/// What `reprise pack check --json` prints.
#[derive(serde::Serialize)]
struct PackReport {
    valid: bool,
    pack: Option<String>,
    terms: usize,
    lessons: usize,
    questions: usize,
    errors: Vec<Problem>,
}

/// Validates a pack without opening any collection. Invalid content is reported, not an error
/// of the command: the exit code says which.
pub fn check(path: &Path, json: bool) -> CliResult<ExitCode> {
    let (report, pack) = match reprise::import::load_pack(path) {
        Ok(pack) => (
            PackReport {
                valid: true,
                pack: Some(pack.manifest.id.clone()),
                terms: pack.terms.len(),
                lessons: pack.lessons.len(),
                questions: pack.lessons.iter().map(|l| l.questions.len()).sum(),
                errors: vec![],
            },
            Some(pack),
        ),
        Err(Error::Content { problems }) => (
            PackReport {
                valid: false,
                pack: None,
                terms: 0,
                lessons: 0,
                questions: 0,
                errors: problems,
            },
            None,
        ),
        Err(other) => return Err(other.into()),
    };
    if json {
        print_json(&report)?;
    } else if let Some(pack) = pack {
        outln!(
            "{}: valid pack {} {} — {} terms, {} lessons, {} questions",
            path.display(),
            pack.manifest.id,
            pack.manifest.version,
            report.terms,
            report.lessons,
            report.questions
        )?;
    } else {
        for problem in &report.errors {
            errln!("{problem}");
        }
        errln!(
            "error: {} is not a valid pack: {} problem(s) above",
            path.display(),
            report.errors.len()
        );
    }
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub fn import(col: &mut Collection, now: Now, path: &Path, json: bool) -> CliResult<()> {
    let report = col.import(path, now())?;
    if json {
        return print_json(&report);
    }
    outln!(
        "Imported {} ({}): {} added, {} updated, {} unchanged; {} new cards",
        report.name,
        report.pack,
        report.added,
        report.updated,
        report.unchanged,
        report.new_cards
    )?;
    if report.reviews > 0 {
        outln!("  {} review-log rows taken in", report.reviews)?;
    }
    if report.kept > 0 {
        outln!(
            "  {} cards already answered here kept their Reprise progress",
            report.kept
        )?;
    }
    for skip in &report.skipped {
        outln!("  skipped {}: {}", skip.entry, skip.reason)?;
    }
    Ok(())
}

pub fn list(col: &mut Collection, json: bool) -> CliResult<()> {
    let packs = col.packs()?;
    if json {
        return print_json(&packs);
    }
    for p in packs {
        outln!(
            "{:<36} {} {} — {} notes, {} cards{}",
            p.id,
            p.name,
            p.version,
            p.notes,
            p.cards,
            if p.enabled { "" } else { " (disabled)" }
        )?;
    }
    Ok(())
}

pub fn export(col: &mut Collection, what: ExportCommand) -> CliResult<()> {
    let (exported, json) = match what {
        ExportCommand::Pack { id, file, json } => (col.export_pack(&id, &file)?, json),
        ExportCommand::Revlog { file, json } => (col.export_revlog(&file)?, json),
    };
    if json {
        print_json(&exported)
    } else {
        outln!("Wrote {} ({} entries).", exported.path, exported.items)
    }
}

pub fn disable(col: &mut Collection, now: Now, id: &PackId) -> CliResult<()> {
    col.set_pack_enabled(id, false, now())?;
    outln!("Disabled {id}: its cards are hidden from study until `reprise pack enable {id}`.")
}

pub fn enable(col: &mut Collection, now: Now, id: &PackId) -> CliResult<()> {
    col.set_pack_enabled(id, true, now())?;
    outln!("Enabled {id}.")
}

pub fn remove(col: &mut Collection, now: Now, id: &PackId, keep_history: bool) -> CliResult<()> {
    let removed = col.remove_pack(id, keep_history, now())?;
    outln!(
        "Removed {id}: {} notes, {} cards; {}.",
        removed.notes,
        removed.cards,
        if keep_history {
            "its review history was kept".to_owned()
        } else {
            format!("{} reviews deleted", removed.reviews)
        }
    )
}
