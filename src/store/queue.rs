//! What today's queue and status read: the cards due or new, counted up to a limit or the first
//! of them, and today's answers. Every query walks an index and stops at the limit, so the cost
//! does not grow with the collection.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::sql;
use crate::error::Result;
use crate::ids::CardId;
use crate::settings::{NewCardOrder, ReviewOrder};

// Every query names `hidden = 0`, so SQLite uses the partial indexes that leave hidden cards out.
// Built once: they run with every card shown.
static LEARNING_DUE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id FROM cards WHERE {} AND due <= ?1 AND {}",
        sql::IS_LEARNING,
        sql::VISIBLE
    )
});
static REVIEW_DUE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id FROM cards WHERE {} AND due < ?1 AND {}",
        sql::IS_REVIEW,
        sql::VISIBLE
    )
});
/// New cards that may be introduced (not quiz questions still waiting for their lesson).
static NEW_CARDS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id FROM cards WHERE {} AND {}",
        sql::NEW_UNLOCKED,
        sql::VISIBLE
    )
});
static NEXT_DUE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT min(due) FROM cards WHERE {} AND {} AND {}",
        sql::STUDIED_BY_STATE,
        sql::HAS_DUE,
        sql::VISIBLE
    )
});

/// Answers given since `start`: new cards introduced and reviews done (from the summary of the
/// log by quarter hour).
pub fn answered_since(conn: &Connection, start: DateTime<Utc>) -> Result<(u32, u32)> {
    super::review_quarters::answered_since(conn, start.timestamp_millis())
}

/// Counts up to `limit` rows of `sql` (which must select from cards), cheaply.
fn count_up_to(conn: &Connection, sql: &str, params: &[i64], limit: u32) -> Result<u32> {
    if limit == 0 {
        return Ok(0);
    }
    // The limit is bound, not written into the SQL: with each answer it changes, and every new
    // text would be prepared again and push a statement the answer needs out of the cache.
    let wrapped = format!("SELECT count(*) FROM ({sql} LIMIT ?{})", params.len() + 1);
    let bound = params.iter().copied().chain([i64::from(limit)]);
    Ok(conn
        .prepare_cached(&wrapped)?
        .query_row(rusqlite::params_from_iter(bound), |r| r.get(0))?)
}

/// How many visible learning cards are due by `until`.
pub fn learning_due_count(conn: &Connection, until: DateTime<Utc>) -> Result<u32> {
    count_up_to(conn, &LEARNING_DUE, &[until.timestamp_millis()], u32::MAX)
}

/// How many visible review cards are due before `before`, counting at most `limit`.
pub fn review_due_count(conn: &Connection, before: DateTime<Utc>, limit: u32) -> Result<u32> {
    count_up_to(conn, &REVIEW_DUE, &[before.timestamp_millis()], limit)
}

/// How many visible new cards may be introduced, counting at most `limit`.
pub fn new_count(conn: &Connection, limit: u32) -> Result<u32> {
    count_up_to(conn, &NEW_CARDS, &[], limit)
}

/// The first card `sql` selects, if any.
fn first(conn: &Connection, sql: &str, params: &[i64]) -> Result<Option<CardId>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row(rusqlite::params_from_iter(params), |r| r.get(0))
        .optional()?
        .map(CardId))
}

/// The visible learning card due first by `until`, if any.
pub fn first_learning_due(conn: &Connection, until: DateTime<Utc>) -> Result<Option<CardId>> {
    first(
        conn,
        &format!("{} ORDER BY due, id LIMIT 1", *LEARNING_DUE),
        &[until.timestamp_millis()],
    )
}

/// The visible review card due before `before` to show first in `order`, if any; `now` for
/// the order by retrievability.
pub fn first_review_due(
    conn: &Connection,
    before: DateTime<Utc>,
    order: ReviewOrder,
    now: DateTime<Utc>,
) -> Result<Option<CardId>> {
    match order {
        ReviewOrder::Due => first(
            conn,
            &format!("{} ORDER BY due, id LIMIT 1", *REVIEW_DUE),
            &[before.timestamp_millis()],
        ),
        ReviewOrder::Retrievability => first(
            conn,
            &format!(
                "{} ORDER BY {}, id LIMIT 1",
                *REVIEW_DUE,
                sql::lowest_retrievability_first(2)
            ),
            &[before.timestamp_millis(), now.timestamp_millis()],
        ),
    }
}

/// The visible new card to introduce first in `order`, if any.
pub fn first_new(conn: &Connection, order: NewCardOrder) -> Result<Option<CardId>> {
    let order = match order {
        NewCardOrder::Lessons => "new_queue, position, id",
        NewCardOrder::Random => "new_queue, id",
    };
    first(
        conn,
        &format!("{} ORDER BY {order} LIMIT 1", *NEW_CARDS),
        &[],
    )
}

/// The earliest moment a visible studied card falls due, if any card has been studied.
pub fn next_due(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let due: Option<i64> = conn
        .prepare_cached(&NEXT_DUE)?
        .query_row([], |r| r.get(0))?;
    Ok(due.and_then(DateTime::from_timestamp_millis))
}

/// Every card in the collection, as the statistics and the browser count them: hidden cards
/// and quiz questions waiting for their lesson included, so the number does not move when an
/// answer buries a sibling or a pack is disabled.
///
/// Read from the per-pack-and-area counts (`facets`, kept with every change to the cards):
/// `count(*)` walks a whole index of the cards, 16 ms at a million.
pub fn collection_total(conn: &Connection) -> Result<u32> {
    Ok(conn
        .prepare_cached("SELECT coalesce(sum(cards), 0) FROM facets")?
        .query_row([], |r| r.get(0))?)
}

/// Builds the index of new cards in random order if that is the order `order`, or drops it:
/// in the lessons' order nothing reads it, and each new card would write an entry to it.
pub fn fit_new_card_indexes(conn: &Connection, order: NewCardOrder) -> Result<()> {
    conn.execute_batch(match order {
        NewCardOrder::Random => {
            "CREATE INDEX IF NOT EXISTS cards_new_random ON cards (new_queue)
               WHERE state = 0 AND hidden = 0"
        }
        NewCardOrder::Lessons => "DROP INDEX IF EXISTS cards_new_random",
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The queue's queries walk the index made for them, in the order they read (schema 23
    /// left new cards out of `cards_due`, and ids out of `cards_new_random`'s columns).
    #[test]
    fn every_queue_query_walks_its_index_in_order() {
        let dir = tempfile::TempDir::new().unwrap();
        let store = crate::store::Store::open_in(dir.path()).unwrap();
        let conn = store.conn();
        // (The random order's index exists while that order is chosen.)
        fit_new_card_indexes(conn, NewCardOrder::Random).unwrap();
        // (query, the index it walks); no query sorts what it read.
        let expected = [
            (
                format!("{} ORDER BY due, id LIMIT 1", *REVIEW_DUE),
                "cards_due",
            ),
            (LEARNING_DUE.clone(), "cards_due"),
            (NEXT_DUE.clone(), "cards_due"),
            (
                format!("{} ORDER BY new_queue, id LIMIT 1", *NEW_CARDS),
                "cards_new_random",
            ),
            (
                format!("{} ORDER BY new_queue, position, id LIMIT 1", *NEW_CARDS),
                "cards_new",
            ),
        ];
        for (sql, index) in expected {
            let plan = crate::store::query_plan(conn, &sql).unwrap().join("; ");
            assert!(plan.contains(&format!("INDEX {index} ")), "{sql}: {plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{sql}: {plan}");
        }
    }
}
