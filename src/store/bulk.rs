//! Writing many rows at once: a table's secondary indexes are dropped while the rows go in and
//! built again after, when the rows outnumber those already there. Building an index sorts its
//! entries once; keeping it row by row puts each entry at a random place in its B-tree.

use rusqlite::Connection;

use crate::error::Result;

/// Runs `write`, which adds about `adding` rows to each of `tables` (table, rows), with the
/// indexes of each table that does not already hold more rows than that dropped, then creates
/// them again as the schema has them. `write` is told which tables' indexes are dropped. Must
/// run inside a transaction: an error from `write` rolls back the drops with the rest. Indexes
/// that back a `UNIQUE` or `PRIMARY KEY` constraint stay, so every constraint is checked as
/// each row goes in.
pub fn with_indexes_rebuilt<T>(
    conn: &Connection,
    tables: &[(&'static str, usize)],
    write: impl FnOnce(&[&'static str]) -> Result<T>,
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
        indexes.extend(rows.collect::<rusqlite::Result<Vec<(String, String)>>>()?);
        dropped.push(table);
    }
    for (name, _) in &indexes {
        conn.execute(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")), [])?;
    }
    let value = write(&dropped)?;
    for (_, sql) in &indexes {
        conn.execute_batch(sql)?;
    }
    Ok(value)
}
