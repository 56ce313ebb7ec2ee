//! The card browser's full-text index (`card_search`, rowid = card id): each card's prompt and
//! answer as the review screen shows them, plus its context (area, lessons, deck, tags). Built
//! per pack at install; a collection from before the index is filled once on opening.

use rusqlite::{Connection, OptionalExtension, Transaction};

use crate::content::flash::FlashNote;
use crate::content::install::QuestionNote;
use crate::content::Term;
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::store::cards::NoteRow;
use crate::study::present;

/// Marks a collection whose cards are not indexed yet (set by migration 0007).
const STALE_KEY: &str = "card_search_stale";

/// What the index holds of a note, besides each card's own prompt and answer.
struct Context {
    text: String,
    area: String,
    lessons: Vec<String>,
    /// Tags the pack gives the note; they join the learner's own in `note_tags`.
    tags: Vec<String>,
}

fn context(note: &NoteRow) -> Context {
    let empty = || Context {
        text: String::new(),
        area: String::new(),
        lessons: Vec::new(),
        tags: Vec::new(),
    };
    match note.kind.as_str() {
        "term" => serde_json::from_str::<Term>(&note.fields).map_or_else(
            |_| empty(),
            |t| Context {
                text: [t.area.as_str()]
                    .into_iter()
                    .chain(t.lessons.iter().map(String::as_str))
                    .chain(t.tags.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" "),
                area: t.area,
                lessons: t.lessons,
                tags: t.tags,
            },
        ),
        "question" => serde_json::from_str::<QuestionNote>(&note.fields).map_or_else(
            |_| empty(),
            |q| Context {
                text: q.lesson_title,
                area: String::new(),
                lessons: vec![q.lesson],
                tags: Vec::new(),
            },
        ),
        "flash" => serde_json::from_str::<FlashNote>(&note.fields).map_or_else(
            |_| empty(),
            |f| Context {
                text: format!("{} {}", f.deck, f.tags.join(" ")),
                area: f.deck,
                lessons: Vec::new(),
                tags: f.tags,
            },
        ),
        _ => empty(),
    }
}

/// Indexes the cards of `pack` (all packs if `None`), replacing what the index held of them.
pub(crate) fn index_cards(tx: &Transaction, pack: Option<&str>) -> Result<usize> {
    let filter = if pack.is_some() {
        "WHERE n.pack_id = ?1"
    } else {
        ""
    };
    let cards_sql = format!(
        "SELECT c.id, c.template, n.id, n.kind, n.fields, n.pack_id
         FROM cards c JOIN notes n ON n.id = c.note_id {filter} ORDER BY n.id"
    );
    let params: Vec<&str> = pack.into_iter().collect();
    for table in ["card_search", "card_facets"] {
        let key = if table == "card_search" {
            "rowid"
        } else {
            "card_id"
        };
        tx.execute(
            &format!(
                "DELETE FROM {table} WHERE {key} IN (SELECT c.id FROM cards c
                   JOIN notes n ON n.id = c.note_id {filter})"
            ),
            rusqlite::params_from_iter(&params),
        )?;
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO card_search (rowid, prompt, answer, context) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut facets = tx.prepare_cached(
        "INSERT INTO card_facets (card_id, pack_id, area, lessons) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut tag =
        tx.prepare_cached("INSERT OR IGNORE INTO note_tags (note_id, tag) VALUES (?1, ?2)")?;
    // A term names its area by key; the browser and statistics show the area's name.
    let mut area_name = tx.prepare_cached(
        "SELECT json_extract(fields, '$.name') FROM areas WHERE pack_id = ?1 AND key = ?2",
    )?;
    let mut stmt = tx.prepare(&cards_sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(&params))?;
    let mut last_note: Option<(i64, Context)> = None;
    let mut indexed = 0;
    while let Some(row) = rows.next()? {
        let card = CardId(row.get(0)?);
        let template: String = row.get(1)?;
        let note = NoteRow {
            id: NoteId(row.get(2)?),
            kind: row.get(3)?,
            fields: row.get(4)?,
            pack_id: row.get(5)?,
        };
        if last_note.as_ref().map(|(id, _)| *id) != Some(note.id.0) {
            let mut ctx = context(&note);
            if note.kind == "term" {
                let name: Option<String> = area_name
                    .query_row(rusqlite::params![note.pack_id, ctx.area], |r| r.get(0))
                    .optional()?
                    .flatten();
                if let Some(name) = name {
                    ctx.text = format!("{name} {}", ctx.text);
                    ctx.area = name;
                }
            }
            for t in &ctx.tags {
                tag.execute(rusqlite::params![note.id.0, t])?;
            }
            last_note = Some((note.id.0, ctx));
        }
        let ctx = &last_note.as_ref().expect("set above").1;
        // A card that cannot be shown is still listed, by its note's context.
        let (prompt, answer) = present::face(&note, &template)
            .map(|f| (f.prompt, f.answer))
            .unwrap_or_default();
        insert.execute(rusqlite::params![card.0, prompt, answer, ctx.text])?;
        facets.execute(rusqlite::params![
            card.0,
            note.pack_id,
            ctx.area,
            ctx.lessons.join(" ")
        ])?;
        indexed += 1;
    }
    Ok(indexed)
}

/// Forgets the indexed cards of a pack being removed.
pub(crate) fn forget_pack(tx: &Transaction, pack: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM card_search WHERE rowid IN (SELECT card_id FROM card_facets WHERE pack_id = ?1)",
        [pack],
    )?;
    tx.execute("DELETE FROM card_facets WHERE pack_id = ?1", [pack])?;
    Ok(())
}

/// Whether the collection still has to be indexed (it predates the index).
pub(crate) fn is_stale(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?1)")?
        .query_row([STALE_KEY], |r| r.get(0))?)
}

pub(crate) fn rebuild(tx: &Transaction) -> Result<usize> {
    let indexed = index_cards(tx, None)?;
    tx.execute("DELETE FROM settings WHERE key = ?1", [STALE_KEY])?;
    Ok(indexed)
}
