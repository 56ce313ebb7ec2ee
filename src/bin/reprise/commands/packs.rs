//! Content: `pack check`, `import`, `packs`, `export …` and `pack disable/enable/remove`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use reprise::content::{Pack, Problem};
use reprise::{Collection, Error, PackId};

use super::Now;
use crate::cli::ExportCommand;
use crate::print::{errln, outln, print_json, CliResult};

/// What `reprise pack check --json` prints for one pack.
#[derive(serde::Serialize)]
struct PackReport {
    valid: bool,
    pack: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    folder: Option<String>,
    areas: usize,
    terms: usize,
    lessons: usize,
    questions: usize,
    errors: Vec<Problem>,
}

/// What it prints for a folder of packs (such as the built-in `content/`): each pack, the
/// totals, and the links between packs that do not resolve.
#[derive(serde::Serialize)]
struct CurriculumReport {
    valid: bool,
    packs: Vec<PackReport>,
    areas: usize,
    terms: usize,
    lessons: usize,
    questions: usize,
    errors: Vec<Problem>,
}

fn report(path: &Path, folder: Option<String>) -> CliResult<(PackReport, Option<Pack>)> {
    Ok(match reprise::import::load_pack(path) {
        Ok(pack) => (
            PackReport {
                valid: true,
                pack: Some(pack.manifest.id.clone()),
                folder,
                areas: pack.areas.len(),
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
                folder,
                areas: 0,
                terms: 0,
                lessons: 0,
                questions: 0,
                errors: problems,
            },
            None,
        ),
        Err(other) => return Err(other.into()),
    })
}

/// The pack folders inside `path` when it is a folder of packs rather than a pack.
fn pack_folders(path: &Path) -> CliResult<Option<Vec<std::path::PathBuf>>> {
    if !path.is_dir() || path.join("pack.toml").exists() {
        return Ok(None);
    }
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let entry = entry.map_err(|e| Error::io(path, e))?;
        if entry.path().join("pack.toml").is_file() {
            folders.push(entry.path());
        }
    }
    folders.sort();
    Ok((!folders.is_empty()).then_some(folders))
}

/// Links to packs outside `packs` resolve against the built-in packs, as they would once
/// installed. A link to a pack that is neither is reported when a folder of packs is checked
/// (`open` false); a pack checked alone may link to packs a learner installs beside it.
fn cross_problems(packs: &[Pack], open: bool) -> Vec<Problem> {
    let mut all: Vec<Pack> = packs.to_vec();
    // The built-in packs have their own tests; one that does not load is left out here.
    for builtin in reprise::content::source::builtins() {
        let Ok(builtin) = Pack::load(&builtin) else {
            continue;
        };
        if !packs.iter().any(|p| p.manifest.id == builtin.manifest.id) {
            all.push(builtin);
        }
    }
    let checked: Vec<String> = packs.iter().map(|p| p.manifest.id.clone()).collect();
    reprise::content::check_together(&all, open)
        .into_iter()
        // A problem of one of the packs checked, or of them together (two with one id).
        .filter(|p| {
            p.file == "pack.toml"
                || checked
                    .iter()
                    .any(|id| p.file.starts_with(&format!("{id}/")))
        })
        .collect()
}

/// Validates a pack, or a folder of packs checked together, without opening any collection.
/// Invalid content is reported, not an error of the command: the exit code says which.
pub fn check(path: &Path, json: bool) -> CliResult<ExitCode> {
    let valid = match pack_folders(path)? {
        None => check_one(path, json)?,
        Some(folders) => check_curriculum(path, &folders, json)?,
    };
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn check_one(path: &Path, json: bool) -> CliResult<bool> {
    let (mut report, pack) = report(path, None)?;
    if let Some(pack) = &pack {
        report.errors = cross_problems(std::slice::from_ref(pack), true);
        report.valid = report.errors.is_empty();
    }
    if json {
        print_json(&report)?;
    } else if report.valid {
        let pack = pack.expect("a valid report has its pack");
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
    Ok(report.valid)
}

fn check_curriculum(path: &Path, folders: &[std::path::PathBuf], json: bool) -> CliResult<bool> {
    let mut reports = Vec::new();
    let mut packs = Vec::new();
    for folder in folders {
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned());
        let (mut report, pack) = report(folder, name.clone())?;
        for problem in &mut report.errors {
            problem.file = format!("{}/{}", name.as_deref().unwrap_or_default(), problem.file);
        }
        reports.push(report);
        packs.extend(pack);
    }
    let errors = cross_problems(&packs, false);
    let sum = |f: fn(&PackReport) -> usize| reports.iter().map(f).sum::<usize>();
    let summary = CurriculumReport {
        valid: errors.is_empty() && reports.iter().all(|r| r.valid),
        areas: sum(|r| r.areas),
        terms: sum(|r| r.terms),
        lessons: sum(|r| r.lessons),
        questions: sum(|r| r.questions),
        packs: reports,
        errors,
    };
    if json {
        print_json(&summary)?;
        return Ok(summary.valid);
    }
    for r in &summary.packs {
        let folder = r.folder.as_deref().unwrap_or_default();
        if r.valid {
            outln!(
                "{folder}: valid pack {} — {} terms, {} lessons, {} questions",
                r.pack.as_deref().unwrap_or_default(),
                r.terms,
                r.lessons,
                r.questions
            )?;
        } else {
            for problem in &r.errors {
                errln!("{problem}");
            }
            errln!(
                "error: {folder} is not a valid pack: {} problem(s) above",
                r.errors.len()
            );
        }
    }
    for problem in &summary.errors {
        errln!("{problem}");
    }
    if summary.valid {
        outln!(
            "{}: {} valid packs — {} areas, {} terms, {} lessons, {} questions",
            path.display(),
            summary.packs.len(),
            summary.areas,
            summary.terms,
            summary.lessons,
            summary.questions
        )?;
    } else {
        errln!(
            "error: {} holds packs that are not valid (above)",
            path.display()
        );
    }
    Ok(summary.valid)
}

pub fn import(col: &mut Collection, now: Now, path: &Path, json: bool) -> CliResult<()> {
    // On a terminal, one line rewritten as the import goes (a large deck takes seconds).
    let shown = std::io::stderr().is_terminal();
    let mut last = String::new();
    let report = col.import_with_progress(path, now(), &mut |p| {
        let line = p.to_string();
        if shown && line != last {
            eprint!("\r\x1b[2K{line}");
            last = line;
        }
        Ok(())
    });
    if shown && !last.is_empty() {
        eprint!("\r\x1b[2K");
    }
    let report = report?;
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
