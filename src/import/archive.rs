//! Reading a zip file that came from somewhere else. Nothing in it is trusted: entry names are
//! checked for absolute paths and `..` (zip slip), and sizes are counted while decompressing —
//! never taken from the headers — against caps on entries, total size and compression ratio, so a
//! zip bomb stops early.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_entries: usize,
    /// Uncompressed bytes, all entries together.
    pub max_total: u64,
    /// Uncompressed bytes per compressed byte, for entries past `RATIO_FLOOR`.
    pub max_ratio: u64,
}

impl Limits {
    /// Packs: text and a few images.
    pub const PACK: Limits = Limits {
        max_entries: 20_000,
        max_total: 128 << 20,
        max_ratio: 100,
    };
}

/// Small entries may compress very well (a file of spaces); only large ones are ratio-checked.
const RATIO_FLOOR: u64 = 1 << 20;

/// One file of the archive, as read.
pub struct Entry {
    /// The entry's path inside the zip, `/`-separated, checked to stay inside it.
    pub name: String,
    pub bytes: Vec<u8>,
}

fn fail(file: &Path, entry: Option<&str>, message: impl Into<String>) -> Error {
    Error::Import {
        file: file.to_path_buf(),
        entry: entry.map(str::to_owned),
        message: message.into(),
    }
}

/// Every file entry of the zip at `path`, decompressed within `limits`.
pub fn read_zip(path: &Path, limits: Limits) -> Result<Vec<Entry>> {
    let file = super::file::open(path)?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
        fail(
            path,
            None,
            format!("it is not a zip file, or it is truncated ({e}); export it again"),
        )
    })?;
    if zip.len() > limits.max_entries {
        return Err(fail(
            path,
            None,
            format!(
                "it holds {} entries, more than the {} allowed",
                zip.len(),
                limits.max_entries
            ),
        ));
    }
    let mut total = 0u64;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| fail(path, None, format!("entry {i} cannot be read: {e}")))?;
        let raw_name = entry.name().to_owned();
        let name = safe_name(&raw_name).ok_or_else(|| {
            fail(
                path,
                Some(&raw_name),
                "the entry's path is absolute or leaves the archive ('..'); the file is unsafe",
            )
        })?;
        if entry.is_dir() {
            continue;
        }
        let compressed = entry.compressed_size().max(1);
        let mut bytes = Vec::new();
        let mut chunk = [0u8; 64 * 1024];
        loop {
            let n = entry
                .read(&mut chunk)
                .map_err(|e| fail(path, Some(&name), format!("it is corrupt: {e}")))?;
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&chunk[..n]);
            total += n as u64;
            let size = bytes.len() as u64;
            if total > limits.max_total {
                return Err(fail(
                    path,
                    Some(&name),
                    format!(
                        "it unpacks to more than {} MiB; split it into smaller files",
                        limits.max_total >> 20
                    ),
                ));
            }
            if size > RATIO_FLOOR && size / compressed > limits.max_ratio {
                return Err(fail(
                    path,
                    Some(&name),
                    format!(
                        "it expands more than {}-fold, like a zip bomb; it was not unpacked",
                        limits.max_ratio
                    ),
                ));
            }
        }
        out.push(Entry { name, bytes });
    }
    Ok(out)
}

/// The entry name as a relative `/` path that stays inside the archive, or `None`.
fn safe_name(name: &str) -> Option<String> {
    if name.starts_with('/') || name.starts_with('\\') || name.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for part in name.split(['/', '\\']) {
        match part {
            "" | "." => continue,
            ".." => return None,
            // A drive letter ("C:") makes the path absolute on Windows.
            p if p.contains(':') => return None,
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn names_that_leave_the_archive_are_refused() {
        for bad in [
            "/etc/passwd",
            "../x",
            "a/../../x",
            "\\\\server\\x",
            "C:\\x",
            "C:/x",
            "a\\..\\x",
        ] {
            assert_eq!(safe_name(bad), None, "{bad}");
        }
        assert_eq!(
            safe_name("pack/./terms/a.md").as_deref(),
            Some("pack/terms/a.md")
        );
        assert_eq!(safe_name("terms\\a.md").as_deref(), Some("terms/a.md"));
    }
}
