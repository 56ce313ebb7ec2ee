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

/// A scratch file or folder this old is no longer in use (an import reads its scratch copy in
/// seconds, a sync imports a staged pack in as long): the process that made it was killed
/// before it could remove it.
const STALE_SCRATCH: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Removes what killed processes left in the temporary folder `dir`: the files and folders
/// named `<prefix>…<suffix>` last changed over an hour ago. A link is not followed or removed
/// (it is neither a file nor a folder here), and what another user owns stays (the folder's
/// sticky bit refuses it). File times are the file system's, so the age is the system clock's,
/// not the learner's `now`. Best effort: nothing it cannot read or remove is an error.
pub fn sweep_stale(dir: &Path, prefix: &str, suffix: &str) {
    let now = std::time::SystemTime::now();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let named = (name.to_str()).is_some_and(|n| n.starts_with(prefix) && n.ends_with(suffix));
        // `DirEntry::metadata` does not follow a symbolic link.
        let Some(meta) = entry.metadata().ok().filter(|_| named) else {
            continue;
        };
        let old = (meta.modified().ok())
            .and_then(|at| now.duration_since(at).ok())
            .is_some_and(|age| age > STALE_SCRATCH);
        if old && meta.is_file() {
            let _ = std::fs::remove_file(entry.path());
        } else if old && meta.is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
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

    #[cfg(unix)]
    #[test]
    fn stale_scratch_files_and_folders_are_swept_and_nothing_else() {
        let (temp, elsewhere) = (
            tempfile::TempDir::new().unwrap(),
            tempfile::TempDir::new().unwrap(),
        );
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        let aged = |path: &Path| {
            let f = File::open(path).unwrap();
            f.set_modified(two_hours_ago).unwrap();
        };
        let at = |name: &str| temp.path().join(name);
        for name in ["x-old.db", "x-new.db", "y-old.db", "x-old.txt"] {
            std::fs::write(at(name), b"copy").unwrap();
        }
        for name in ["x-old.db", "y-old.db", "x-old.txt"] {
            aged(&at(name));
        }
        // A folder of a staged file, and a link named like scratch to a folder elsewhere.
        std::fs::create_dir(at("x-dir.db")).unwrap();
        std::fs::write(at("x-dir.db").join("pack.zip"), b"zip").unwrap();
        aged(&at("x-dir.db"));
        std::fs::write(elsewhere.path().join("keep"), b"keep").unwrap();
        aged(elsewhere.path());
        std::os::unix::fs::symlink(elsewhere.path(), at("x-link.db")).unwrap();
        // The link itself aged too (std sets only a file's times), so only its kind keeps it.
        let link = std::ffi::CString::new(at("x-link.db").into_os_string().into_encoded_bytes());
        let secs = two_hours_ago
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let time = libc::timespec {
            tv_sec: secs as libc::time_t,
            tv_nsec: 0,
        };
        // SAFETY: a valid C path and two timespecs, read by the call only.
        let set = unsafe {
            libc::utimensat(
                libc::AT_FDCWD,
                link.unwrap().as_ptr(),
                [time, time].as_ptr(),
                libc::AT_SYMLINK_NOFOLLOW,
            )
        };
        assert_eq!(set, 0);

        sweep_stale(temp.path(), "x-", ".db");
        let mut left: Vec<_> = std::fs::read_dir(temp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["x-link.db", "x-new.db", "x-old.txt", "y-old.db"]);
        assert!(elsewhere.path().join("keep").exists());
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_text(64 << 20), "64 MiB");
        assert_eq!(size_text(64 << 10), "64 KiB");
        assert_eq!(size_text(100), "100 bytes");
    }
}
