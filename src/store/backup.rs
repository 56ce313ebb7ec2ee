//! Backups of the collection: a consistent copy made by SQLite itself (`VACUUM INTO`), written
//! under a temporary name and renamed only when complete, so a backup is never half a file.
//! Rolling backups are zstd-compressed (a collection shrinks to about a fifth) and keep the newest few in `<data dir>/backups/`; restoring checks the backup first
//! and keeps a copy of the collection it replaces.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::{migrations, APPLICATION_ID, DB_FILE, WAIT_FOR_WRITER};
use crate::error::{Error, Result};

pub const BACKUP_DIR: &str = "backups";
/// Rolling backups kept; older ones are deleted.
pub const KEEP: usize = 10;
/// A rolling backup is made when the newest is older than this.
pub const EVERY: chrono::Duration = chrono::Duration::hours(24);
const PREFIX: &str = "reprise-";
const SUFFIX: &str = ".sqlite3.zst";
/// Rolling backups made before they were compressed, still listed and restorable.
const PLAIN_SUFFIX: &str = ".sqlite3";
/// The first bytes of every zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];
/// Measured on a 100k-card collection (84 MB): level 3 leaves 28 % of it in 0.4 s, level 9
/// 22 % in 1.5 s (higher levels gain under 1 % for several times the time). The daily backup
/// runs off the UI's thread and holds no lock while it compresses.
const LEVEL: i32 = 9;
/// A collection compresses to a fifth or so; a file that expands past 100 times its size (and
/// past 64 MiB) is not a backup but a bomb, and is refused before it fills the disk.
const MAX_RATIO: u64 = 100;
const MIN_LIMIT: u64 = 64 << 20;
const STAMP: &str = "%Y%m%d-%H%M%S";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct BackupInfo {
    #[ts(type = "string")]
    pub path: PathBuf,
    /// RFC 3339, UTC.
    pub created: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

fn bad_backup(path: &Path, why: impl Into<String>) -> Error {
    Error::Import {
        file: path.to_path_buf(),
        entry: None,
        message: format!("it is not a usable Reprise backup: {}", why.into()),
    }
}

/// Writes a consistent copy of the database at `db` to `dest`, which must not exist yet:
/// zstd-compressed if its name ends in `.zst`, else a plain SQLite file.
pub fn write(db: &Path, dest: &Path) -> Result<()> {
    refuse_existing(dest)?;
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(WAIT_FOR_WRITER)?;
    write_from(&conn, dest)
}

fn refuse_existing(dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(Error::invalid(
            "file",
            format!(
                "{} exists already; choose another file name",
                dest.display()
            ),
        ));
    }
    Ok(())
}

/// Writes a consistent copy of the database `conn` has open to `dest`: under a temporary name,
/// synced, then renamed, so `dest` is never half a file. A failed copy (a full disk) is deleted.
fn write_from(conn: &Connection, dest: &Path) -> Result<()> {
    refuse_existing(dest)?;
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let partial = dest.with_extension("partial");
    let _ = fs::remove_file(&partial);
    let copied = if dest.extension().is_some_and(|e| e == "zst") {
        // SQLite copies into a plain file (a read transaction: study goes on meanwhile), which
        // is then compressed with no lock held.
        let plain = dest.with_extension("copying");
        let _ = fs::remove_file(&plain);
        let done = vacuum_into(conn, &plain).and_then(|()| compress(&plain, &partial));
        let _ = fs::remove_file(&plain);
        done
    } else {
        vacuum_into(conn, &partial)
    };
    let written = copied
        .and_then(|()| sync_file(&partial))
        .and_then(|()| fs::rename(&partial, dest).map_err(|e| Error::io(dest, e)));
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written?;
    sync_parent(dest);
    Ok(())
}

fn vacuum_into(conn: &Connection, dest: &Path) -> Result<()> {
    conn.execute("VACUUM INTO ?1", [dest.to_string_lossy()])?;
    Ok(())
}

/// Compresses `from` into a new file `to`, with zstd's checksum so damage is found on restore.
fn compress(from: &Path, to: &Path) -> Result<()> {
    let mut input = fs::File::open(from).map_err(|e| Error::io(from, e))?;
    let output = fs::File::create(to).map_err(|e| Error::io(to, e))?;
    let io_err = |e| Error::io(to, e);
    let mut encoder = zstd::Encoder::new(std::io::BufWriter::new(output), LEVEL).map_err(io_err)?;
    encoder.include_checksum(true).map_err(io_err)?;
    std::io::copy(&mut input, &mut encoder).map_err(io_err)?;
    encoder
        .finish()
        .and_then(|mut out| out.flush())
        .map_err(io_err)
}

/// Whether `path` holds zstd data (a compressed backup) rather than a plain file.
fn is_compressed(path: &Path) -> Result<bool> {
    let mut head = [0u8; 4];
    let mut file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let read = file.read(&mut head).map_err(|e| Error::io(path, e))?;
    Ok(read == 4 && head == ZSTD_MAGIC)
}

/// Puts the collection held by backup `from` into a new file `to`: expanded if compressed
/// (refusing damaged data and bombs), else copied; synced.
fn stage(from: &Path, to: &Path) -> Result<()> {
    if !is_compressed(from)? {
        fs::copy(from, to).map_err(|e| Error::io(to, e))?;
        return sync_file(to);
    }
    let input = fs::File::open(from).map_err(|e| Error::io(from, e))?;
    let size = input.metadata().map_err(|e| Error::io(from, e))?.len();
    let limit = size.saturating_mul(MAX_RATIO).max(MIN_LIMIT);
    let damaged =
        |e: std::io::Error| bad_backup(from, format!("its compressed data is damaged ({e})"));
    let mut decoder = zstd::Decoder::new(input).map_err(damaged)?;
    let mut output = fs::File::create(to).map_err(|e| Error::io(to, e))?;
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = decoder.read(&mut buf).map_err(damaged)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > limit {
            return Err(bad_backup(
                from,
                format!(
                    "it expands to more than {} MiB, far more than a collection of its size",
                    limit >> 20
                ),
            ));
        }
        output.write_all(&buf[..n]).map_err(|e| Error::io(to, e))?;
    }
    output.sync_all().map_err(|e| Error::io(to, e))
}

fn sync_file(path: &Path) -> Result<()> {
    fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(path, e))
}

/// Makes a rename durable; best effort where directories cannot be synced.
fn sync_parent(path: &Path) {
    if let Some(dir) = path.parent() {
        let _ = fs::File::open(dir).and_then(|d| d.sync_all());
    }
}

/// The rolling backups in `data_dir`, newest first.
pub fn list(data_dir: &Path) -> Result<Vec<BackupInfo>> {
    let dir = data_dir.join(BACKUP_DIR);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(Error::io(&dir, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(&dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stamp) = name
            .strip_prefix(PREFIX)
            .and_then(|n| {
                n.strip_suffix(SUFFIX)
                    .or_else(|| n.strip_suffix(PLAIN_SUFFIX))
            })
            .and_then(|n| NaiveDateTime::parse_from_str(&n[..15.min(n.len())], STAMP).ok())
        else {
            continue;
        };
        let bytes = entry
            .metadata()
            .map_err(|e| Error::io(entry.path(), e))?
            .len();
        out.push(BackupInfo {
            path: entry.path(),
            created: crate::clock::utc_text(stamp.and_utc()),
            bytes,
        });
    }
    out.sort_by(|a, b| b.path.cmp(&a.path));
    Ok(out)
}

/// A backup's path in `data_dir` for `now` that no file has yet: a second backup in the same
/// second (a restore tried again) gets `-2`, `-3`… after the stamp.
fn path_for(data_dir: &Path, now: DateTime<Utc>, tag: &str) -> PathBuf {
    let dir = data_dir.join(BACKUP_DIR);
    let stamp = now.format(STAMP);
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{PREFIX}{stamp}{tag}{SUFFIX}")),
            n => dir.join(format!("{PREFIX}{stamp}{tag}-{n}{SUFFIX}")),
        })
        .find(|path| !path.exists())
        .expect("a free name")
}

/// Makes a backup now, into the backups folder, and keeps the newest `KEEP`. Waits for a
/// backup another process is making to finish first.
pub fn backup_now(data_dir: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    let lock = BackupsLock::wait_for(data_dir)?;
    backup_locked(data_dir, now, &lock)
}

/// Makes a backup when the newest is older than [`EVERY`] (or there is none), unless another
/// process is making one.
pub fn backup_if_due(data_dir: &Path, now: DateTime<Utc>) -> Result<Option<PathBuf>> {
    if !data_dir.join(DB_FILE).exists() {
        return Ok(None);
    }
    let Some(lock) = BackupsLock::try_take(data_dir)? else {
        return Ok(None);
    };
    let newest = list(data_dir)?
        .first()
        .and_then(|b| DateTime::parse_from_rfc3339(&b.created).ok());
    if newest.is_some_and(|t| now - t.with_timezone(&Utc) < EVERY) {
        return Ok(None);
    }
    backup_locked(data_dir, now, &lock).map(Some)
}

fn backup_locked(data_dir: &Path, now: DateTime<Utc>, _lock: &BackupsLock) -> Result<PathBuf> {
    let dest = path_for(data_dir, now, "");
    write(&data_dir.join(DB_FILE), &dest)?;
    for old in list(data_dir)?.into_iter().skip(KEEP) {
        fs::remove_file(&old.path).map_err(|e| Error::io(&old.path, e))?;
    }
    Ok(dest)
}

/// The files a backup into the backups folder writes on its way to being whole: the plain copy
/// (and SQLite's journal of it) and the compressed one before its rename.
const SCRATCH_SUFFIXES: [&str; 3] = [
    ".sqlite3.copying",
    ".sqlite3.copying-journal",
    ".sqlite3.partial",
];

/// Held while a backup is written into the backups folder (an OS file lock, let go when its
/// process ends however it ends). Taking it sweeps away what backups cut short left there: a
/// daily backup runs in the background, and an app closed during one left a copy of the whole
/// collection behind, again at every start (ten quick starts: 0.8 GB at 100k cards).
struct BackupsLock {
    _held: fs::File,
}

impl BackupsLock {
    /// The lock, waited for while another process holds it.
    fn wait_for(data_dir: &Path) -> Result<BackupsLock> {
        let (file, path) = Self::open(data_dir)?;
        file.lock().map_err(|e| Error::io(&path, e))?;
        Self::held(data_dir, file)
    }

    /// The lock, or `None` while another process holds it.
    fn try_take(data_dir: &Path) -> Result<Option<BackupsLock>> {
        let (file, path) = Self::open(data_dir)?;
        match file.try_lock() {
            Ok(()) => Self::held(data_dir, file).map(Some),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }

    fn open(data_dir: &Path) -> Result<(fs::File, PathBuf)> {
        let dir = data_dir.join(BACKUP_DIR);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let path = dir.join(".lock");
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        Ok((file, path))
    }

    /// With the lock in hand: what backups cut short left is swept away.
    fn held(data_dir: &Path, file: fs::File) -> Result<BackupsLock> {
        let dir = data_dir.join(BACKUP_DIR);
        for entry in fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(PREFIX) && SCRATCH_SUFFIXES.iter().any(|s| name.ends_with(s)) {
                fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            }
        }
        Ok(BackupsLock { _held: file })
    }
}

/// Checks that `path` (compressed or not) holds a whole, uncorrupted Reprise database this
/// version can open.
pub fn verify(path: &Path) -> Result<()> {
    verify_expanding_to(path, &path.with_extension("verifying"))
}

/// [`verify`], expanding a compressed backup into the scratch file `plain` (deleted after).
fn verify_expanding_to(path: &Path, plain: &Path) -> Result<()> {
    if !is_compressed(path)? {
        return verify_plain(path, path);
    }
    let checked = stage(path, plain).and_then(|()| verify_plain(plain, path));
    let _ = fs::remove_file(plain);
    checked
}

/// Checks the plain database at `file`, naming `path` (the backup it came from) in errors.
fn verify_plain(file: &Path, path: &Path) -> Result<()> {
    super::check_header(file).map_err(|_| bad_backup(path, "it is not an SQLite file"))?;
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad_backup(path, e.to_string()))?;
    let read = |sql: &str| -> Result<i64> {
        conn.query_row(sql, [], |r| r.get(0))
            .map_err(|e| bad_backup(path, e.to_string()))
    };
    if read("PRAGMA application_id")? != APPLICATION_ID {
        return Err(bad_backup(path, "it was not written by Reprise"));
    }
    let version = read("PRAGMA user_version")?;
    if version > migrations::LATEST {
        return Err(bad_backup(
            path,
            format!("it is from a newer Reprise (schema {version}); update Reprise first"),
        ));
    }
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| bad_backup(path, e.to_string()))?;
    if check != "ok" {
        return Err(bad_backup(path, format!("it is damaged ({check})")));
    }
    Ok(())
}

/// Replaces the collection in `data_dir` with the backup at `backup`, after checking it and
/// saving the current collection as a backup. Refused while another program has it open.
/// Returns where the replaced collection was saved.
///
/// A crash or `kill -9` at any moment leaves either the old collection or the backup, whole:
/// the old one is made self-contained (its WAL checkpointed into it and deleted) while this
/// holds it exclusively, and the backup takes its place by one rename of a synced copy.
pub fn restore(data_dir: &Path, backup: &Path, now: DateTime<Utc>) -> Result<Option<PathBuf>> {
    fs::create_dir_all(data_dir).map_err(|e| Error::io(data_dir, e))?;
    let db = data_dir.join(DB_FILE);
    // Expanded beside the collection: the backup's own folder may be read-only.
    verify_expanding_to(backup, &db.with_extension("verifying"))?;
    let incoming = db.with_extension("restoring");
    let restored = replace(data_dir, &db, backup, &incoming, now);
    if restored.is_err() {
        let _ = fs::remove_file(&incoming);
    }
    restored
}

/// Puts the checked `backup` in the place of the collection `db` (by way of `incoming`),
/// saving the collection first.
fn replace(
    data_dir: &Path,
    db: &Path,
    backup: &Path,
    incoming: &Path,
    now: DateTime<Utc>,
) -> Result<Option<PathBuf>> {
    let mut saved = None;
    // Held until the rename: no other program can open the old collection meanwhile.
    let mut guard = None;
    if db.exists() {
        let conn = Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let in_use = || {
            Error::invalid(
                "file",
                format!(
                    "{} is open in Reprise; close the app and try again",
                    db.display()
                ),
            )
        };
        conn.busy_timeout(Duration::from_millis(500))?;
        // Exclusive locking fails at once if anyone else has the file open.
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;")
            .map_err(|_| in_use())?;
        let _lock = BackupsLock::wait_for(data_dir)?;
        let dest = path_for(data_dir, now, "-before-restore");
        write_from(&conn, &dest)?;
        saved = Some(dest);
        // Out of WAL mode: everything in the WAL is written into the file and the WAL deleted,
        // so the file alone is the whole collection until it is replaced.
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))
            .map_err(|_| in_use())?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(in_use());
        }
        guard = Some(conn);
    }
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", db.display()));
        match fs::remove_file(&side) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(side, e)),
            _ => {}
        }
    }
    // Expanded again rather than kept from the check: nothing is written beside the collection
    // before it is saved, and zstd's checksum finds any change since.
    let _ = fs::remove_file(incoming);
    stage(backup, incoming)?;
    if cfg!(windows) {
        // Windows cannot replace a file that is open.
        drop(guard.take());
    }
    fs::rename(incoming, db).map_err(|e| Error::io(db, e))?;
    sync_parent(db);
    drop(guard);
    Ok(saved)
}
