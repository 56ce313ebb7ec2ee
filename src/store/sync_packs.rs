//! The SQL of packs between devices: the files of packs imported here waiting to go out, and
//! which file each pack here came from (docs/SYNC.md, "Packs").

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// Keeps the file of a pack imported here until it is written to the sync target.
pub fn keep_blob(conn: &Connection, hash: &str, name: &str, bytes: &[u8]) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_blobs (hash, name, bytes) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )?
    .execute(rusqlite::params![hash, name, bytes])?;
    Ok(())
}

/// The hashes of the files waiting to be written to the target.
pub fn unsent_blobs(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare("SELECT hash FROM sync_blobs ORDER BY hash")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// A waiting file's bytes.
pub fn blob(conn: &Connection, hash: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT bytes FROM sync_blobs WHERE hash = ?1")?
        .query_row([hash], |r| r.get(0))
        .optional()?)
}

/// A file is in the target: it need not be kept here.
pub fn blob_sent(conn: &Connection, hash: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_blobs WHERE hash = ?1")?
        .execute([hash])?;
    Ok(())
}

/// The file pack `pack` here came from, and why it could not be imported if it could not.
pub fn pack_source(conn: &Connection, pack: &str) -> Result<Option<(String, Option<String>)>> {
    Ok(conn
        .prepare_cached("SELECT hash, failed FROM sync_packs WHERE pack_id = ?1")?
        .query_row([pack], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn set_pack_source(
    conn: &Connection,
    pack: &str,
    hash: &str,
    failed: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_packs (pack_id, hash, failed) VALUES (?1, ?2, ?3)
         ON CONFLICT (pack_id) DO UPDATE SET hash = excluded.hash, failed = excluded.failed",
    )?
    .execute(rusqlite::params![pack, hash, failed])?;
    Ok(())
}

pub fn forget_pack_source(conn: &Connection, pack: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_packs WHERE pack_id = ?1")?
        .execute([pack])?;
    Ok(())
}

/// Deletes the events and folds of the cards `cards_sql` selects for pack `?1`: the learner
/// removed the pack with its history.
pub fn forget_card_events(conn: &Connection, cards_sql: &str, pack: &str) -> Result<usize> {
    conn.execute(
        &format!("DELETE FROM sync_cards WHERE card_id IN ({cards_sql})"),
        [pack],
    )?;
    Ok(conn.execute(
        &format!("DELETE FROM sync_events WHERE card_id IN ({cards_sql})"),
        [pack],
    )?)
}
