//! The card browser: find any card by full-text search (FTS5 over prompts, answers and their
//! context) and filters, sorted by any schedule column. A search returns the matching card ids in
//! order; the rows of the ones on screen are read by id, so a list of 100k cards scrolls without
//! reading them all.

pub(crate) mod index;

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::instant_text;
use crate::error::{Error, Result};
use crate::ids::{CardId, NoteId, PackId};
use crate::schedule::{CardState, Memory, Scheduler};
use crate::store::cards::NoteRow;
use crate::store::{self, sql, Hidden};
use crate::study::actions::LEECH_TAG;
use crate::study::present;
use crate::study::queue::Today;
use crate::study::search::query_words;

/// What to list: every field narrows the list; the defaults list every card.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, TS)]
#[serde(default)]
pub struct BrowseQuery {
    /// Words to find in a card's prompt, answer or context (each a prefix).
    pub text: String,
    pub state: Option<CardState>,
    pub due: Option<DueFilter>,
    /// Only suspended cards (true) or only the others (false).
    pub suspended: Option<bool>,
    /// Only cards whose note is tagged `leech`.
    pub leech: bool,
    /// A term's area or a flash note's deck.
    pub area: Option<String>,
    pub pack: Option<PackId>,
    pub tag: Option<String>,
    /// A lesson's key: its questions and its terms' cards.
    pub lesson: Option<String>,
    pub sort: SortColumn,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DueFilter {
    /// Due by the end of today (overdue included).
    Today,
    /// Review cards that were due before today.
    Overdue,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    /// The pack's order (new cards' order).
    #[default]
    Added,
    Due,
    Interval,
    Stability,
    Difficulty,
    Retrievability,
    Lapses,
    Reviews,
}

/// One card as the browser lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BrowseRow {
    pub card_id: CardId,
    /// The note the card asks about (its siblings share it).
    pub note_id: NoteId,
    pub prompt: String,
    pub answer: String,
    pub direction: String,
    pub pack: PackId,
    pub area: String,
    pub state: CardState,
    /// RFC 3339 in UTC; null while new.
    pub due: Option<String>,
    pub interval_days: f64,
    pub stability: Option<f32>,
    pub difficulty: Option<f32>,
    /// Chance of recall now; null while new.
    pub retrievability: Option<f32>,
    pub lapses: u32,
    pub reviews: u32,
    pub suspended: bool,
    pub buried: bool,
    pub leech: bool,
}

/// What the filters can choose from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BrowseFacets {
    /// (id, name) of each pack.
    pub packs: Vec<(PackId, String)>,
    pub areas: Vec<String>,
    pub tags: Vec<String>,
    /// (key, title) of each lesson.
    pub lessons: Vec<(String, String)>,
}

/// Whether card `c`'s note has the tag bound to parameter `param` (`?` or `?2`…).
fn has_tag(param: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM note_tags t
           WHERE t.note_id = c.note_id AND t.tag_id = (SELECT id FROM tags WHERE name = {param}))"
    )
}

/// The most rows one call reads: the browser reads the rows on screen, page by page.
pub const MAX_ROWS: usize = 1_000;

/// The ids of the cards matching `q`, in its order; the due filters count from `day`.
pub(crate) fn card_ids(conn: &Connection, q: &BrowseQuery, day: &Today) -> Result<Vec<CardId>> {
    let mut sql = String::from("SELECT c.id FROM cards c WHERE 1");
    let mut params: Vec<rusqlite::types::Value> = Vec::new();
    let mut param = |sql: &mut String, clause: &str, value: rusqlite::types::Value| {
        params.push(value);
        sql.push_str(&clause.replace('?', &format!("?{}", params.len())));
    };
    if !q.text.trim().is_empty() {
        let words = query_words(&q.text);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let Some(query) = store::card_search_terms::query(conn, &words)? else {
            return Ok(Vec::new());
        };
        param(
            &mut sql,
            " AND c.doc IN (SELECT rowid FROM card_search WHERE card_search MATCH ?)",
            query.into(),
        );
    }
    if let Some(state) = q.state {
        param(&mut sql, " AND c.state = ?", state.to_i64().into());
    }
    match q.due {
        Some(DueFilter::Today) => param(
            &mut sql,
            &format!(" AND c.{} AND c.due < ?", sql::STUDIED_BY_STATE),
            day.tomorrow.timestamp_millis().into(),
        ),
        Some(DueFilter::Overdue) => param(
            &mut sql,
            &format!(" AND c.{} AND c.due < ?", sql::IS_REVIEW),
            day.start.timestamp_millis().into(),
        ),
        None => {}
    }
    match q.suspended {
        Some(true) => sql.push_str(&format!(" AND c.{}", sql::SUSPENDED)),
        Some(false) => sql.push_str(&format!(" AND NOT c.{}", sql::SUSPENDED)),
        None => {}
    }
    if q.leech {
        param(
            &mut sql,
            &format!(" AND {}", has_tag("?")),
            LEECH_TAG.to_owned().into(),
        );
    }
    if let Some(area) = &q.area {
        param(
            &mut sql,
            " AND c.facet IN (SELECT id FROM facets WHERE area = ?)",
            area.clone().into(),
        );
    }
    if let Some(pack) = &q.pack {
        param(
            &mut sql,
            " AND c.facet IN (SELECT id FROM facets WHERE pack_id = ?)",
            pack.0.clone().into(),
        );
    }
    if let Some(tag) = &q.tag {
        param(
            &mut sql,
            &format!(" AND {}", has_tag("?")),
            tag.clone().into(),
        );
    }
    if let Some(lesson) = &q.lesson {
        param(
            &mut sql,
            " AND instr(' ' || c.lessons || ' ', ' ' || ? || ' ') > 0",
            lesson.clone().into(),
        );
    }
    let direction = if q.descending { "DESC" } else { "ASC" };
    // New cards have no schedule: they sort after the studied ones either way.
    let order = match q.sort {
        // (The facet's pack is looked up only for this order.)
        SortColumn::Added => format!(
            "(SELECT pack_id FROM facets WHERE id = c.facet) {direction}, c.position {direction}"
        ),
        SortColumn::Due => format!("c.due IS NULL, c.due {direction}"),
        SortColumn::Interval => format!("c.{}, c.interval_days {direction}", sql::IS_NEW),
        SortColumn::Stability => format!("c.stability IS NULL, c.stability {direction}"),
        SortColumn::Difficulty => format!("c.difficulty IS NULL, c.difficulty {direction}"),
        // Retrievability falls as elapsed time over stability grows (one decay for all cards):
        // ascending retrievability is descending elapsed/stability.
        SortColumn::Retrievability => {
            params.push(day.now.timestamp_millis().into());
            let flipped = if q.descending { "ASC" } else { "DESC" };
            format!(
                "c.stability IS NULL, (?{} - c.last_review) / c.stability {flipped}",
                params.len()
            )
        }
        SortColumn::Lapses => format!("c.lapses {direction}"),
        SortColumn::Reviews => format!("c.reps {direction}"),
    };
    sql.push_str(&format!(" ORDER BY {order}, c.id"));
    let ids = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(params), |r| r.get(0).map(CardId))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The browser's rows for `ids`, in that order; ids of cards that no longer exist are skipped.
pub(crate) fn rows(
    conn: &Connection,
    ids: &[CardId],
    scheduler: &Scheduler,
    now: DateTime<FixedOffset>,
) -> Result<Vec<BrowseRow>> {
    if ids.len() > MAX_ROWS {
        return Err(Error::invalid(
            "ids",
            format!(
                "asked for {} rows at once; read them in pages of at most {MAX_ROWS}",
                ids.len()
            ),
        ));
    }
    let list = serde_json::to_string(ids).expect("ids serialize");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, n.kind, unpack_fields(n.fields), c.template, n.pack_id,
                coalesce(x.area, ''), c.state, c.due, c.interval_days, c.stability, c.difficulty,
                c.last_review, c.lapses, c.reps, c.hidden, {}, c.note_id
         FROM cards c JOIN notes n ON n.id = c.note_id
         LEFT JOIN facets x ON x.id = c.facet
         WHERE c.id IN (SELECT value FROM json_each(?1))",
        has_tag("?2")
    ))?;
    let mut found: std::collections::HashMap<CardId, BrowseRow> = stmt
        .query_map(rusqlite::params![list, LEECH_TAG], |r| {
            let state: i64 = r.get(6)?;
            let stability: Option<f32> = r.get(9)?;
            let difficulty: Option<f32> = r.get(10)?;
            let last_review: Option<i64> = r.get(11)?;
            let hidden: Hidden = r.get(14)?;
            let retrievability = stability.zip(difficulty).zip(last_review).map(
                |((stability, difficulty), last)| {
                    let memory = Memory {
                        stability,
                        difficulty,
                    };
                    scheduler.retrievability_at(memory, last, now.to_utc())
                },
            );
            // The text as the index saw it (the index keeps no copy): a card that cannot be
            // shown is listed by its context alone, as it is indexed.
            let note = NoteRow {
                id: NoteId(r.get(16)?),
                pack_id: r.get(4)?,
                kind: r.get(1)?,
                fields: r.get(2)?,
            };
            let template: String = r.get(3)?;
            let (prompt, answer) = present::face(&note, &template)
                .map(|f| (f.prompt, f.answer))
                .unwrap_or_default();
            Ok(BrowseRow {
                card_id: CardId(r.get(0)?),
                note_id: note.id,
                prompt,
                answer,
                direction: template,
                pack: PackId(note.pack_id),
                area: r.get(5)?,
                state: CardState::from_i64(state).unwrap_or(CardState::New),
                due: r
                    .get::<_, Option<i64>>(7)?
                    .and_then(DateTime::<Utc>::from_timestamp_millis)
                    .map(|d| instant_text(d, now.offset())),
                interval_days: r.get(8)?,
                stability,
                difficulty,
                retrievability,
                lapses: r.get(12)?,
                reviews: r.get(13)?,
                suspended: hidden.has(Hidden::SUSPENDED),
                buried: hidden.has(Hidden::BURIED),
                leech: r.get(15)?,
            })
        })?
        .map(|row| row.map(|r| (r.card_id, r)))
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

pub(crate) fn facets(conn: &Connection) -> Result<BrowseFacets> {
    fn pairs<K: rusqlite::types::FromSql>(
        conn: &Connection,
        sql: &str,
    ) -> Result<Vec<(K, String)>> {
        Ok(conn
            .prepare(sql)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }
    let list = |sql: &str| -> Result<Vec<String>> {
        Ok(conn
            .prepare(sql)?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    };
    Ok(BrowseFacets {
        packs: pairs(conn, "SELECT id, name FROM packs ORDER BY name")?,
        // From the summary by pack and area, not a pass over every card's facets (94 ms at 1M).
        areas: list(
            "SELECT area FROM facets WHERE area != ''
             GROUP BY area HAVING sum(cards) > 0 ORDER BY area",
        )?,
        // Each known tag some note has: one pass over the notes' tags (no index by tag: it
        // would serve only this list).
        tags: list(
            "SELECT name FROM tags WHERE id IN (SELECT DISTINCT tag_id FROM note_tags)
             ORDER BY name",
        )?,
        lessons: pairs(
            conn,
            "SELECT key, json_extract(fields, '$.title') FROM lessons ORDER BY pack_id, position",
        )?,
    })
}
