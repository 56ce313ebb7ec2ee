//! Statements a loop runs for every row, prepared once and held for the loop. A per-row
//! `prepare_cached` copies and hashes the SQL text on every call, which cost rescheduling 100k
//! cards a third of its time.

use rusqlite::{CachedStatement, Connection};

use crate::error::Result;

/// The statements of one bulk write (or one single write: holding nothing costs nothing).
pub struct Batch<'c> {
    conn: &'c Connection,
    /// By the address and length of their SQL, which is always a `'static` text.
    held: Vec<((usize, usize), CachedStatement<'c>)>,
}

impl<'c> Batch<'c> {
    pub fn new(conn: &'c Connection) -> Self {
        Batch {
            conn,
            held: Vec::new(),
        }
    }

    /// The statement for `sql`, prepared on first use.
    pub fn stmt(&mut self, sql: &'static str) -> Result<&mut CachedStatement<'c>> {
        let key = (sql.as_ptr() as usize, sql.len());
        let at = match self.held.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                self.held.push((key, self.conn.prepare_cached(sql)?));
                self.held.len() - 1
            }
        };
        Ok(&mut self.held[at].1)
    }

    pub fn conn(&self) -> &'c Connection {
        self.conn
    }
}
