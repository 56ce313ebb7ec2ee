//! Opening what the learner imports. Only regular files and folders are read: never through a
//! symbolic link (a "table" that points at `/dev/zero` reads forever) and never a device, pipe or
//! socket; and never more than a cap of bytes is read into memory, whatever the file's size says.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

fn refuse(path: &Path, message: impl Into<String>) -> Error {
    Error::Import {
        file: path.to_path_buf(),
        entry: None,
        message: message.into(),
    }
}

/// What is at `path`, without following a link; refused unless a regular file or a folder.
pub fn kind(path: &Path) -> Result<Metadata> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    let kind = meta.file_type();
    if kind.is_symlink() {
        let target = std::fs::read_link(path)
            .map(|t| format!(" (to {})", t.display()))
            .unwrap_or_default();
        return Err(refuse(
            path,
            format!(
                "it is a symbolic link{target}; Reprise imports only regular files and folders, \
                 so import the file it points to"
            ),
        ));
    }
    if !kind.is_file() && !kind.is_dir() {
        return Err(refuse(
            path,
            "it is a device, pipe or socket, not a file; Reprise imports only regular files and \
             folders",
        ));
    }
    Ok(meta)
}

/// Opens the regular file at `path` for reading, refusing links, folders and devices.
pub fn open(path: &Path) -> Result<File> {
    let meta = kind(path)?;
    if meta.is_dir() {
        return Err(refuse(path, "it is a folder; choose a file"));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The path may be swapped for a link or a pipe after the check: never follow a link,
        // and never block opening a pipe.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| Error::io(path, e))?;
    let opened = file.metadata().map_err(|e| Error::io(path, e))?;
    if !opened.is_file() || !same_file(&meta, &opened) {
        return Err(refuse(
            path,
            "it changed while being opened; import it again",
        ));
    }
    Ok(file)
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, _: &Metadata) -> bool {
    true
}

/// The bytes of the regular file at `path`, refused past `max` bytes without reading further.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>> {
    let file = open(path)?;
    read_within(file, path, max)
}

/// Reads `reader` to the end, refusing it past `max` bytes (it reads at most one byte more).
pub fn read_within(reader: impl Read, path: &Path, max: u64) -> Result<Vec<u8>> {
    read_up_to(reader, path, max)?.ok_or_else(|| {
        refuse(
            path,
            format!(
                "it is larger than {}, the most Reprise reads of such a file; split it",
                size_text(max)
            ),
        )
    })
}

/// Reads `reader` to the end if it holds at most `max` bytes; `None` (having read one byte
/// more) if it holds more.
pub fn read_up_to(reader: impl Read, path: &Path, max: u64) -> Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    Ok((bytes.len() as u64 <= max).then_some(bytes))
}

/// `64 MiB`, `512 KiB`, `100 bytes`.
pub fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_within_their_cap() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, b"a,b\n").unwrap();
        assert_eq!(read_capped(&path, 4).unwrap(), b"a,b\n");
        let err = read_capped(&path, 3).unwrap_err().to_string();
        assert!(err.contains("larger than 3 bytes"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn links_devices_and_folders_are_refused_before_reading() {
        let dir = tempfile::TempDir::new().unwrap();
        let link = dir.path().join("endless.csv");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let err = read_capped(&link, 1 << 20).unwrap_err().to_string();
        assert!(err.contains("symbolic link (to /dev/zero)"), "{err}");
        let err = read_capped(Path::new("/dev/zero"), 1 << 20)
            .unwrap_err()
            .to_string();
        assert!(err.contains("device, pipe or socket"), "{err}");
        let err = read_capped(dir.path(), 1 << 20).unwrap_err().to_string();
        assert!(err.contains("it is a folder"), "{err}");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_text(64 << 20), "64 MiB");
        assert_eq!(size_text(64 << 10), "64 KiB");
        assert_eq!(size_text(100), "100 bytes");
    }
}
