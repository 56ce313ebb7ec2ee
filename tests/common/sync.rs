//! Looking at a synced collection.

use reprise::{CardId, Collection};

/// A card as its schedule and log say it is: state, due, stability, reps, lapses, and its
/// reviews (id and rating) in time order.
pub type CardState = (i64, Option<i64>, Option<f64>, i64, i64, Vec<String>);

pub fn card_state(col: &Collection, id: CardId) -> CardState {
    let conn = col.store().conn();
    let (state, due, stability, reps, lapses) = conn
        .query_row(
            "SELECT state, due, stability, reps, lapses FROM cards WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let reviews = conn
        .prepare(
            "SELECT hex(uuid) || ':' || rating FROM revlog WHERE card_id = ?1 ORDER BY reviewed_at",
        )
        .unwrap()
        .query_map([id.0], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (state, due, stability, reps, lapses, reviews)
}

/// The ids of the cards studied at least once, in order.
pub fn studied_ids(col: &Collection) -> Vec<i64> {
    col.store()
        .conn()
        .prepare("SELECT id FROM cards WHERE state != 0 ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}
