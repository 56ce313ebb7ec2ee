//! Where segments travel: a folder kept in step by the learner's own sync tool. Every file in it
//! has one writer; a file is written beside its final name and renamed into place after an
//! fsync, so a reader never sees half of one under its real name.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The few operations sync needs of a place to keep files, by `/`-separated keys.
pub trait Backend {
    /// The keys directly under `prefix` (a folder key), in any order.
    fn list(&self, prefix: &str) -> Result<Vec<String>>;
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>>;
    /// Writes `key` unless it exists; false if it did.
    fn put_if_absent(&self, key: &str, bytes: &[u8]) -> Result<bool>;
    /// Writes or replaces `key` (a file only this device writes).
    fn put_replace(&self, key: &str, bytes: &[u8]) -> Result<()>;
    /// Clears away writes that never finished under `prefix`, a folder only this device
    /// writes (a write-out killed before its rename).
    fn sweep(&self, prefix: &str) -> Result<()>;
}

pub struct Folder {
    root: PathBuf,
}

impl Folder {
    pub fn new(root: &Path) -> Result<Folder> {
        fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
        Ok(Folder {
            root: root.to_owned(),
        })
    }

    fn path(&self, key: &str) -> Result<PathBuf> {
        // Keys are ours or listed from the folder; still, none may leave it.
        let ok = key
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'));
        if !ok {
            return Err(Error::invalid(
                "sync key",
                format!("'{key}' is not a file name"),
            ));
        }
        Ok(self.root.join(key))
    }

    fn write(&self, key: &str, bytes: &[u8], replace: bool) -> Result<bool> {
        let path = self.path(key)?;
        let dir = path.parent().expect("a key names a file in a folder");
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        if !replace && path.exists() {
            return Ok(false);
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        let tmp = dir.join(format!(".{name}.tmp"));
        let mut file = fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        file.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
        file.sync_all().map_err(|e| Error::io(&tmp, e))?;
        drop(file);
        fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        if let Ok(d) = fs::File::open(dir) {
            // The rename itself on disk; not every filesystem can sync a folder.
            let _ = d.sync_all();
        }
        Ok(true)
    }
}

impl Backend for Folder {
    fn list(&self, prefix: &str) -> Result<Vec<String>> {
        let dir = if prefix.is_empty() {
            self.root.clone()
        } else {
            self.path(prefix)?
        };
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&dir, e)),
        };
        let mut keys = Vec::new();
        for entry in entries.flatten() {
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            // Our own temporary files and other tools' hidden ones are not there yet.
            if name.starts_with('.') {
                continue;
            }
            keys.push(if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            });
        }
        Ok(keys)
    }

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let path = self.path(key)?;
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    fn put_if_absent(&self, key: &str, bytes: &[u8]) -> Result<bool> {
        self.write(key, bytes, false)
    }

    fn put_replace(&self, key: &str, bytes: &[u8]) -> Result<()> {
        self.write(key, bytes, true).map(|_| ())
    }

    fn sweep(&self, prefix: &str) -> Result<()> {
        let dir = self.path(prefix)?;
        let Ok(entries) = fs::read_dir(&dir) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.ends_with(".tmp") {
                let path = entry.path();
                fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            }
        }
        Ok(())
    }
}
