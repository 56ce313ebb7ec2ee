//! Opening an Anki collection's SQLite file as the hostile input it may be. A scratch copy of it
//! is opened read-only, with SQLite's defensive settings and small limits, and the schema is
//! checked before any row is read: a generated column, a view, a trigger, a
//! virtual table or a computed default could make reading a row run arbitrary amounts of work,
//! and an Anki collection has none of them.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::{Connection, OpenFlags};

use super::collection::ReadResult;
use super::limits::{MAX_SCHEMA_ENTRIES, MAX_VALUE_BYTES};

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// The page cache of the connection that checks the collection's pages.
const CHECK_CACHE_KIB: i64 = 256;

/// SQLite's per-connection limits while reading a collection: the largest value (string, blob)
/// it may build, and caps on statements, expressions and attached files that reading Anki's
/// tables never comes near.
const SQL_LIMITS: [(Limit, i32); 10] = [
    (Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES),
    (Limit::SQLITE_LIMIT_SQL_LENGTH, 100_000),
    (Limit::SQLITE_LIMIT_COLUMN, 100),
    (Limit::SQLITE_LIMIT_EXPR_DEPTH, 100),
    (Limit::SQLITE_LIMIT_COMPOUND_SELECT, 4),
    (Limit::SQLITE_LIMIT_FUNCTION_ARG, 8),
    (Limit::SQLITE_LIMIT_ATTACHED, 0),
    (Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100),
    (Limit::SQLITE_LIMIT_VARIABLE_NUMBER, 16),
    (Limit::SQLITE_LIMIT_TRIGGER_DEPTH, 1),
];

/// The collection in `file`, a scratch copy this may change, opened read-only: defensive, and
/// its schema vetted. Its pages are checked by [`read_while_checked`].
pub fn open(file: &Path) -> ReadResult<Connection> {
    let unreadable = |e: std::io::Error| format!("its copy cannot be read ({e})");
    let mut copy = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(file)
        .map_err(unreadable)?;
    let mut header = [0; 100];
    if copy.read_exact(&mut header).is_err() || !header.starts_with(SQLITE_MAGIC) {
        return Err("it is not an SQLite database, so not an Anki collection".into());
    }
    // A WAL-mode file would need its -wal and -shm beside it; the file is complete, so it is
    // read as a rollback-journal database.
    let modes = [header[18].min(1), header[19].min(1)];
    copy.seek(SeekFrom::Start(18))
        .and_then(|_| copy.write_all(&modes))
        .map_err(unreadable)?;
    drop(copy);
    let conn = connect(file).map_err(|e| format!("the collection cannot be opened ({e})"))?;
    vet_schema(&conn)?;
    Ok(conn)
}

/// A read-only, hardened connection to the collection in `file`, with Anki's collation.
fn connect(file: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    harden(&conn)?;
    // Anki's name columns sort with this collation; a query touching them needs it to exist.
    conn.create_collation("unicase", |a, b| a.to_lowercase().cmp(&b.to_lowercase()))?;
    // CHECK constraints are expressions from the file: `quick_check` would run them.
    conn.pragma_update(None, "ignore_check_constraints", true)?;
    Ok(conn)
}

/// Runs `read` on the collection in `file` (opened with [`open`]) while SQLite's `quick_check`
/// reads every page of it on another thread, a second core's work instead of a wait (a quarter
/// of a second at a million review-log rows). What `read` made is returned only if the check
/// passes: a page it read may be damaged in a way only the check sees. A failed read stops the
/// check, unless the check found the damage first, which is then the reason given.
pub fn read_while_checked<T>(file: &Path, read: impl FnOnce() -> ReadResult<T>) -> ReadResult<T> {
    let corrupt = |e: rusqlite::Error| format!("the collection is corrupt ({e})");
    // The check reads each page once: a cache would only add to the import's peak memory.
    let conn = connect(file)
        .and_then(|conn| {
            conn.pragma_update(None, "cache_size", -CHECK_CACHE_KIB)?;
            Ok(conn)
        })
        .map_err(|e| format!("the collection cannot be opened ({e})"))?;
    let interrupt = conn.get_interrupt_handle();
    std::thread::scope(|scope| {
        let check = scope.spawn(move || -> rusqlite::Result<Option<String>> {
            let found: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            Ok((found != "ok").then_some(found))
        });
        let read = read();
        if read.is_err() {
            interrupt.interrupt();
        }
        let checked = check
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match (read, checked) {
            (_, Ok(Some(damage))) => Err(format!("the collection is corrupt ({damage})")),
            (Err(problem), _) => Err(problem),
            (Ok(_), Err(e)) => Err(corrupt(e)),
            (Ok(value), Ok(None)) => Ok(value),
        }
    })
}

/// Defensive mode (no writable schema, no shadow-table writes), untrusted schema (no
/// side-effecting functions from it), no triggers or views, nothing written, and the limits.
fn harden(conn: &Connection) -> rusqlite::Result<()> {
    for (config, on) in [
        (DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true),
        (DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false),
        (DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false),
        (DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false),
    ] {
        conn.set_db_config(config, on)?;
    }
    for (limit, value) in SQL_LIMITS {
        conn.set_limit(limit, value)?;
    }
    conn.pragma_update(None, "query_only", true)
}

/// Refuses, before any row is read, a schema with more than an Anki collection has: views,
/// triggers, virtual tables, generated (hidden) columns, computed defaults, or hundreds of
/// objects.
fn vet_schema(conn: &Connection) -> ReadResult<()> {
    let refuse = |what: String| {
        Err(format!(
            "its database holds {what}, which an Anki collection never has; it was not read \
             (export the deck from Anki again)"
        ))
    };
    let corrupt = |e: rusqlite::Error| format!("the collection's schema cannot be read ({e})");
    let entries: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(corrupt)?;
    if entries > MAX_SCHEMA_ENTRIES {
        return refuse(format!(
            "{entries} tables and indexes (more than {MAX_SCHEMA_ENTRIES})"
        ));
    }
    let odd: Option<(String, String)> = conn
        .query_row(
            "SELECT type, name FROM sqlite_schema
             WHERE type IN ('view', 'trigger')
                OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL%')
             LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(corrupt(e)),
        })?;
    if let Some((kind, name)) = odd {
        let kind = if kind == "table" {
            "virtual table"
        } else {
            &kind
        };
        return refuse(format!("a {kind} ('{name}')"));
    }
    let mut stmt = conn
        .prepare(
            "SELECT m.name, x.name, x.hidden, x.dflt_value
             FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) x
             WHERE m.type = 'table'",
        )
        .map_err(corrupt)?;
    let mut rows = stmt.query([]).map_err(corrupt)?;
    while let Some(row) = rows.next().map_err(corrupt)? {
        let table: String = row.get(0).map_err(corrupt)?;
        let column: String = row.get(1).map_err(corrupt)?;
        let hidden: i64 = row.get(2).map_err(corrupt)?;
        let default: Option<String> = row.get(3).map_err(corrupt)?;
        if hidden != 0 {
            return refuse(format!("a generated column ('{table}.{column}')"));
        }
        if default.is_some_and(|d| d.contains('(') || d.len() > 256) {
            return refuse(format!("a computed default value ('{table}.{column}')"));
        }
    }
    Ok(())
}
