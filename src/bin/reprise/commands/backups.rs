//! Backups: `backup`, `backups` and `restore`.

use std::path::{Path, PathBuf};

use reprise::store::backup;
use reprise::Collection;

use super::Now;
use crate::print::{outln, print_json, CliResult};

/// Restores without opening the collection it replaces.
pub fn restore(data_dir: &Path, file: &Path, now: Now) -> CliResult<()> {
    let saved = backup::restore(data_dir, file, now().with_timezone(&chrono::Utc))?;
    outln!("Restored the collection from {}.", file.display())?;
    if let Some(saved) = saved {
        outln!(
            "The collection it replaced was saved as {}.",
            saved.display()
        )?;
    }
    Ok(())
}

/// Lists the backups without opening the collection.
pub fn list(data_dir: &Path, json: bool) -> CliResult<()> {
    let backups = backup::list(data_dir)?;
    if json {
        print_json(&backups)?;
    } else if backups.is_empty() {
        outln!(
            "No backups yet in {}.",
            data_dir.join(backup::BACKUP_DIR).display()
        )?;
    } else {
        for b in &backups {
            outln!(
                "{}  {:>8} KiB  {}",
                b.created,
                b.bytes / 1024,
                b.path.display()
            )?;
        }
    }
    Ok(())
}

pub fn backup(
    col: &mut Collection,
    data_dir: &Path,
    now: Now,
    file: Option<PathBuf>,
    json: bool,
) -> CliResult<()> {
    let path = match file {
        Some(file) => {
            backup::write(col.store().path(), &file)?;
            file
        }
        None => backup::backup_now(data_dir, now().with_timezone(&chrono::Utc))?,
    };
    if json {
        print_json(&serde_json::json!({ "path": path }))
    } else {
        outln!("Backed up to {}.", path.display())
    }
}
