//! What the library reads: terms, areas and lessons as kept (fields as JSON) and the best quiz
//! attempt of a lesson.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// A term note's fields (JSON), if the pack has that term.
pub fn term_fields(conn: &Connection, pack: &str, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT unpack_fields(fields) FROM notes WHERE id = ?1 AND kind = 'term'")?
        .query_row([crate::ids::NoteId::derive(pack, key).0], |r| r.get(0))
        .optional()?)
}

/// An area's fields (JSON), if the pack has that area.
pub fn area_fields(conn: &Connection, pack: &str, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT fields FROM areas WHERE pack_id = ?1 AND key = ?2")?
        .query_row([pack, key], |r| r.get(0))
        .optional()?)
}

/// The best attempt at a lesson's quiz (the latest of equals): right answers, questions, and
/// when (Unix milliseconds).
pub fn best_attempt(
    conn: &Connection,
    pack: &str,
    lesson: &str,
) -> Result<Option<(u32, u32, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT correct, total, taken_at FROM quiz_attempts
             WHERE pack_id = ?1 AND lesson_key = ?2
             ORDER BY CAST(correct AS REAL) / max(total, 1) DESC, taken_at DESC LIMIT 1",
        )?
        .query_row([pack, lesson], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

fn pairs(conn: &Connection, sql: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// (pack, fields) of every area, packs in install order, areas in their pack's order.
pub fn areas(conn: &Connection) -> Result<Vec<(String, String)>> {
    pairs(
        conn,
        "SELECT a.pack_id, a.fields FROM areas a JOIN packs p ON p.id = a.pack_id
         ORDER BY p.installed_at, p.id, a.position",
    )
}

/// (pack, fields) of every term note.
pub fn terms(conn: &Connection) -> Result<Vec<(String, String)>> {
    pairs(
        conn,
        "SELECT pack_id, unpack_fields(fields) FROM notes WHERE kind = 'term'",
    )
}

/// (pack, fields) of every lesson, in their packs' order.
pub fn lessons(conn: &Connection) -> Result<Vec<(String, String)>> {
    pairs(
        conn,
        "SELECT pack_id, fields FROM lessons ORDER BY position",
    )
}
