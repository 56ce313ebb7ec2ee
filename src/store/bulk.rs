//! Writing many rows at once: a table's secondary indexes are dropped while the rows go in and
//! built again after, when the rows outnumber those already there. Building an index sorts its
//! entries once; keeping it row by row puts each entry at a random place in its B-tree.

use rusqlite::Connection;

use crate::error::Result;

/// Runs `write`, which adds about `adding` rows to each of `tables` (table, rows), with the
/// indexes of each table that does not already hold more rows than that dropped, then creates
/// them again as the schema has them. `write` is told which tables' indexes are dropped;
/// `built` hears how many of those tables have their indexes back, of how many (an error from
/// it stops there). Must run inside a transaction: an error from `write` or `built` rolls back
/// the drops with the rest. Indexes that back a `UNIQUE` or `PRIMARY KEY` constraint stay, so
/// every constraint is checked as each row goes in.
pub fn with_indexes_rebuilt<T>(
    conn: &Connection,
    tables: &[(&'static str, usize)],
    write: impl FnOnce(&[&'static str]) -> Result<T>,
    built: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<T> {
    debug_assert!(!conn.is_autocommit(), "runs inside a transaction");
    let (mut indexes, mut dropped) = (Vec::new(), Vec::new());
    for &(table, adding) in tables {
        // Counting stops past `adding`: a big table costs no more than a small import.
        let adding = adding as i64;
        let held: i64 = conn.query_row(
            &format!("SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT ?1)"),
            [adding + 1],
            |r| r.get(0),
        )?;
        if held > adding || adding == 0 {
            continue;
        }
        let mut stmt = conn.prepare_cached(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = ?1",
        )?;
        let rows = stmt.query_map([table], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
        let of_table = rows.collect::<rusqlite::Result<Vec<(String, String)>>>()?;
        if !of_table.is_empty() {
            indexes.push(of_table);
            dropped.push(table);
        }
    }
    for (name, _) in indexes.iter().flatten() {
        conn.execute(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")), [])?;
    }
    let value = write(&dropped)?;
    // SQLite's sorter holds as much as the page cache in memory before it spills to a file: a
    // small cache keeps the sort of a million-row index from holding 64 MB.
    with_cache(conn, SORT_CACHE_KIB, || {
        for (done, of_table) in indexes.iter().enumerate() {
            built(done, indexes.len())?;
            for (_, sql) in of_table {
                conn.execute_batch(sql)?;
            }
        }
        match indexes.len() {
            0 => Ok(()),
            n => built(n, n),
        }
    })?;
    Ok(value)
}

/// The page cache for rows appended and not read again (a review log): pages are written out
/// as they fill instead of kept, so the cache does not grow with the rows.
pub const APPEND_CACHE_KIB: i64 = 8 * 1024;

/// The page cache while indexes are built: also what SQLite's sorter keeps in memory per run.
const SORT_CACHE_KIB: i64 = 16 * 1024;

/// Runs `f` with the connection's page cache at `kib` KiB, then sets it back as it was.
pub fn with_cache<T>(conn: &Connection, kib: i64, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let before: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -kib)?;
    let value = f();
    conn.pragma_update(None, "cache_size", before)?;
    value
}
