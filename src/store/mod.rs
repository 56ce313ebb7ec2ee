//! The store: one SQLite file, opened in WAL mode with `synchronous=FULL`, so a committed
//! answer survives a crash or `kill -9` (an import alone with the file writes under the rollback
//! journal with `synchronous=EXTRA`, as safe: [`Store::bulk_writes`]). Schema changes are numbered migrations applied in
//! order from an empty file. Writes go through [`Collection::transact`](crate::Collection::transact);
//! SQL and the schema's encodings ([`encoding`]) live in this module.

pub mod anki;
pub mod backup;
pub mod batch;
pub mod bulk;
pub mod card_search_terms;
pub mod cards;
pub mod encoding;
pub mod install;
pub mod lessons;
pub mod library;
pub mod memory;
mod migrations;
pub mod notes;
pub mod packed_fields;
pub mod packs;
pub mod queue;
pub mod review_quarters;
pub mod revlog;
pub mod search_index;
pub mod sync;
pub mod sync_packs;
pub mod tags;
pub mod undo;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode as SqliteCode, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};
use crate::settings::Settings;

pub use batch::Batch;
pub use cards::{CardRow, NoteRow};
pub use encoding::{sql, Hidden, NewQueue};
pub use migrations::LATEST as SCHEMA_VERSION;
pub use revlog::{AnswerId, ReviewEntry, ReviewRecord};

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "reprise.sqlite3";
/// Marks the file as ours ("RPRS") so a foreign SQLite file is never migrated.
const APPLICATION_ID: i64 = 0x5250_5253;
/// Undo keeps at least this many answers.
pub const UNDO_DEPTH: i64 = 50;
/// How long a connection waits for another program's write (the app and a `reprise` command
/// share the file) before it gives up with [`Error::InUse`]: long enough for a big import.
pub const WAIT_FOR_WRITER: Duration = Duration::from_secs(30);

/// The page cache of a connection, in KiB: enough for study and the screens' queries.
const CACHE_KIB: i64 = 16 * 1024;
/// The page cache while an import writes: a 100k-note package's indexes outgrow the usual one,
/// which then spills pages to the WAL again and again (1.3 s of system time).
const BULK_CACHE_KIB: i64 = 64 * 1024;
/// The page cache while sync merges a long history ([`BigWrite::Merge`]).
const MERGE_CACHE_KIB: i64 = 32 * 1024;

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 128;

/// A big write, for [`Store::bulk_writes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BigWrite {
    /// An import, or turning sync on (the whole history written as events): the larger page
    /// cache, which the indexes they write want.
    Import,
    /// Sync's merge of a long history (a device joining): half that cache. With all of it, a
    /// device joining a million answers peaked at 218 MB, against 177 MB with the usual one
    /// and 195 MB with half, which took it from 19 to 16 s.
    Merge,
}

/// How a connection journals its writes (see [`Store::bulk_writes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalMode {
    /// The WAL: readers read beside the writer; every connection's usual mode.
    Wal,
    /// The rollback journal, for a big write that has the file to itself.
    Rollback,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the collection in `data_dir`.
    pub fn open_in(data_dir: &Path) -> Result<Store> {
        fs::create_dir_all(data_dir).map_err(|e| Error::io(data_dir, e))?;
        Store::open(&data_dir.join(DB_FILE))
    }

    pub fn open(path: &Path) -> Result<Store> {
        check_header(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(WAIT_FOR_WRITER)?;
        // One write (adding a note: the note, its cards, undo, indexes, sync) runs some 40
        // statements; rusqlite keeps 16 by default, so each write prepared most of them again.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        register_functions(&conn)?;
        set_up(&mut conn, path)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// For tools that fill a store in bulk before any collection opens it (the benchmarks'
    /// generators): runs `f` in one transaction. A collection writes only through
    /// [`Collection::transact`](crate::Collection::transact), which records undo and changes.
    pub fn load_in_bulk<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// A second connection to the file, read-only, for a long read on another thread while
    /// this one works (the statistics screen's pass over every card's memory). In WAL mode it
    /// reads beside this connection's writes.
    pub fn reader(&self) -> Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        conn.busy_timeout(WAIT_FOR_WRITER)?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        register_functions(&conn)?;
        Ok(conn)
    }

    /// Sets the connection up for a big write (`Some`), or back for study (`None`). A big write
    /// gets, unless another connection has the file open, the rollback journal instead of the
    /// WAL: its new pages are then written once, into the file, where the WAL had each written
    /// twice, into the WAL and at the checkpoint into the file (0.8 s of a million-row import's
    /// 4.9). A write a crash interrupts is rolled back from its journal when the file is next
    /// opened. An import also gets the larger page cache. Returns the journal mode the
    /// connection is left in.
    pub fn bulk_writes(&self, write: Option<BigWrite>) -> Result<JournalMode> {
        let kib = match write {
            Some(BigWrite::Import) => BULK_CACHE_KIB,
            Some(BigWrite::Merge) => MERGE_CACHE_KIB,
            None => CACHE_KIB,
        };
        self.conn.pragma_update(None, "cache_size", -kib)?;
        let on = write.is_some();
        let wanted = if on { "DELETE" } else { "WAL" };
        let set = (self.conn)
            .pragma_update_and_check(None, "journal_mode", wanted, |r| r.get::<_, String>(0));
        let mode = match set {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => JournalMode::Wal,
            Ok(_) => JournalMode::Rollback,
            // Leaving the WAL takes the file to ourselves: while another program (the app
            // beside a command) or a backup has it open, the write goes through the WAL and
            // they read beside it as usual. Going back, SQLite waits for the file as for any
            // write; held longer than that, this connection keeps the rollback journal, as
            // safe, until the file is next opened.
            Err(e) if e.sqlite_error_code() == Some(SqliteCode::DatabaseBusy) => match on {
                true => JournalMode::Wal,
                false => JournalMode::Rollback,
            },
            Err(e) => return Err(e.into()),
        };
        // Under the rollback journal a commit is the journal's deletion, which only EXTRA
        // syncs to disk (the directory): with FULL, a power cut just after an import could
        // bring the journal back and the import would be rolled back.
        let sync = match mode {
            JournalMode::Wal => "FULL",
            JournalMode::Rollback => "EXTRA",
        };
        self.conn.pragma_update(None, "synchronous", sync)?;
        Ok(mode)
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn settings(&self) -> Result<Settings> {
        read_settings(&self.conn)
    }
}

/// Registers the SQL functions of the schema's encodings (packed note fields, the log's memory
/// values) on `conn`: migrations and hand-written reads use them.
pub fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    packed_fields::register(conn)?;
    encoding::register_functions(conn)
}

/// Checks that the file is ours, then switches it to WAL and migrates it. Another program may be
/// doing the same to the same file at the same moment (the app and a command started together
/// on a new or older collection): a step that lost the race to it fails, and is tried again
/// from what the other left, until [`WAIT_FOR_WRITER`] has passed.
fn set_up(conn: &mut Connection, path: &Path) -> Result<()> {
    let deadline = Instant::now() + WAIT_FOR_WRITER;
    loop {
        let mut found = None;
        let err = match set_up_once(conn, path, &mut found) {
            Ok(()) => return Ok(()),
            Err(err) => err,
        };
        // The other program's progress shows as a newer schema version than the one found.
        let raced = matches!(err, Error::InUse)
            || found.is_some_and(|found| schema_version(conn).is_ok_and(|now| now != found));
        if !raced || Instant::now() >= deadline {
            return Err(err);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// One try of [`set_up`]; `found` is the schema version the file had.
fn set_up_once(conn: &mut Connection, path: &Path, found: &mut Option<i64>) -> Result<()> {
    let not_ours = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(SqliteCode::NotADatabase) => Error::NotADatabase {
            path: path.to_owned(),
            reason: "SQLite cannot read it".into(),
        },
        _ => e.into(),
    };
    // Read-only checks first: a file we must refuse is left exactly as it was.
    let version = schema_version(conn).map_err(not_ours)?;
    *found = Some(version);
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
        return Err(Error::NotADatabase {
            path: path.to_owned(),
            reason: "it is an SQLite file made by another program".into(),
        });
    }
    if version > migrations::LATEST {
        return Err(Error::NewerSchema {
            path: path.to_owned(),
            found: version,
            known: migrations::LATEST,
        });
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: the WAL is synced on every commit, so an acknowledged answer is on disk.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    // No ANALYZE (nor `PRAGMA optimize`, which runs it): the queries are written for the plans
    // SQLite picks without statistics (tests check the plans that matter), and the bundled
    // SQLite has STAT4, with which a statement whose plan may depend on a bound value is
    // prepared again whenever that value changes — a quarter of an answer's CPU when measured.
    migrations::apply(conn, version, APPLICATION_ID)?;
    if version > 0 && version < migrations::LATEST {
        reclaim_free_pages(conn)?;
    }
    Ok(())
}

/// An upgrade that builds a table again leaves the old table's pages free in the file (30 on a
/// million-row log: 104 MB of its 298). When they are over a quarter of it, the file is written
/// again without them (1.3 s there). Best effort: the upgrade is done and committed, and a
/// VACUUM that cannot run now (another program reading, no room for its copy) leaves the pages
/// free for new rows, as before.
fn reclaim_free_pages(conn: &Connection) -> Result<()> {
    let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    if free >= RECLAIM_MIN_PAGES && free * 4 > pages {
        let _ = conn.execute_batch("VACUUM");
    }
    Ok(())
}

/// Free pages not worth a VACUUM (4 MiB).
const RECLAIM_MIN_PAGES: i64 = 1024;

/// A schema upgrade that opening a collection runs first (its migrations): some seconds at a
/// million cards, for which a front end says what is happening instead of seeming stuck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Upgrade {
    /// The schema version of the file.
    pub from: i64,
    /// The version this build writes.
    pub to: i64,
}

/// The upgrade opening the collection in `data_dir` would run, if any. `None` for a collection
/// not made yet (or not SQLite: opening says what is wrong with it), for one at this version,
/// and for one from a newer Reprise (which opening refuses). A quick read of one header field.
pub fn pending_upgrade(data_dir: &Path) -> Result<Option<Upgrade>> {
    let path = data_dir.join(DB_FILE);
    if !path.exists() || check_header(&path).is_err() {
        return Ok(None);
    }
    // Read-write without create: a read-only connection cannot open a WAL file whose shared
    // memory file is gone (as it is after a clean close) on every platform.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(&path, flags)?;
    conn.busy_timeout(WAIT_FOR_WRITER)?;
    let from = schema_version(&conn)?;
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    Ok(
        (app_id == APPLICATION_ID && from > 0 && from < migrations::LATEST).then_some(Upgrade {
            from,
            to: migrations::LATEST,
        }),
    )
}

fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

pub(crate) fn read_settings(conn: &Connection) -> Result<Settings> {
    let json: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'settings'")?
        .query_row([], |r| r.get(0))
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    match json {
        None => Ok(Settings::default()),
        Some(json) => serde_json::from_str(&json).map_err(|e| {
            Error::corrupt(format!(
                "the settings stored in the collection cannot be read ({e})"
            ))
        }),
    }
}

pub fn write_settings(tx: &Transaction, settings: &Settings) -> Result<()> {
    settings.validate()?;
    let json = serde_json::to_string(settings).expect("settings serialize");
    tx.execute(
        "INSERT INTO settings (key, value) VALUES ('settings', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [json],
    )?;
    queue::fit_new_card_indexes(tx, settings.new_card_order)
}

/// Refuses a non-empty file that does not start with SQLite's magic header before SQLite
/// touches it.
fn check_header(path: &Path) -> Result<()> {
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut header = [0u8; 16];
    let read = file.read(&mut header).map_err(|e| Error::io(path, e))?;
    if read == 0 {
        return Ok(());
    }
    if read < 16 || &header != b"SQLite format 3\0" {
        return Err(Error::NotADatabase {
            path: path.to_owned(),
            reason: "it does not start with an SQLite header".into(),
        });
    }
    Ok(())
}

/// SQLite's plan for `sql`, a line per step ("SEARCH cards USING INDEX …"): what the tests of
/// the indexes read. The query's parameters need no values.
pub fn query_plan(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    // Unbound parameters are NULL, which the plan does not depend on.
    let mut rows = stmt.raw_query();
    let mut steps = Vec::new();
    while let Some(row) = rows.next()? {
        steps.push(row.get(3)?);
    }
    Ok(steps)
}

/// Where the collection lives unless told otherwise: the OS data directory
/// (`~/.local/share/reprise` on Linux).
pub fn default_data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "reprise")
        .map(|dirs| dirs.data_dir().to_owned())
        .ok_or_else(|| {
            Error::invalid(
                "data_dir",
                "no home directory found to keep the collection in; pass --data-dir DIR or set \
                 REPRISE_DATA_DIR",
            )
        })
}

/// A media file of a pack, by its name in the pack's `media/` folder; `None` if there is none
/// (or it cannot be read: a card shows without it).
pub fn media(conn: &Connection, pack: &str, name: &str) -> Option<Vec<u8>> {
    media_at(conn, pack, &format!("media/{name}"))
}

/// A file of a pack by its path in the pack (`media/diagram.svg`), as [`media`].
pub fn media_at(conn: &Connection, pack: &str, path: &str) -> Option<Vec<u8>> {
    conn.prepare_cached("SELECT data FROM media WHERE pack_id = ?1 AND path = ?2")
        .and_then(|mut stmt| stmt.query_row([pack, path], |r| r.get::<_, Vec<u8>>(0)))
        .ok()
}
