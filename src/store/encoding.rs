//! How the schema encodes the domain: card states, hidden bits and new-card queues as SQLite
//! integers, and the named SQL fragments that test them. Every other module spells these through
//! here, never as bare numbers.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::schedule::CardState;

impl ToSql for CardState {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_i64()))
    }
}

impl FromSql for CardState {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let n = value.as_i64()?;
        CardState::from_i64(n).ok_or(FromSqlError::OutOfRange(n))
    }
}

/// `cards.hidden`: why a card is kept out of study; any bit set hides it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hidden(pub i64);

impl Hidden {
    pub const NONE: Hidden = Hidden(0);
    /// The learner suspended it.
    pub const SUSPENDED: Hidden = Hidden(1);
    /// Its pack is disabled.
    pub const BY_PACK: Hidden = Hidden(2);
    /// Buried until `cards.buried_until`, when the collection clears the bit.
    pub const BURIED: Hidden = Hidden(4);

    pub fn is_visible(self) -> bool {
        self.0 == 0
    }

    pub fn has(self, bit: Hidden) -> bool {
        self.0 & bit.0 != 0
    }

    pub fn with(self, bit: Hidden) -> Hidden {
        Hidden(self.0 | bit.0)
    }

    pub fn without(self, bit: Hidden) -> Hidden {
        Hidden(self.0 & !bit.0)
    }
}

impl ToSql for Hidden {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for Hidden {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value.as_i64().map(Hidden)
    }
}

/// `cards.new_queue`: which new cards come first. Cards of a finished lesson go ahead of the
/// rest; a quiz question waits until its lesson is finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewQueue {
    First = 0,
    Normal = 1,
    Locked = 2,
}

impl ToSql for NewQueue {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(*self as i64))
    }
}

/// Named conditions over `cards`, for queries that build SQL. Each matches what its name says,
/// with the numbers of the encodings above. Those over one column start with it, so a query
/// that joins can qualify them as `c.{}`.
pub mod sql {
    /// A card never studied.
    pub const IS_NEW: &str = "state = 0";
    /// A card in (re)learning steps.
    pub const IS_LEARNING: &str = "state IN (1, 3)";
    /// A card in review.
    pub const IS_REVIEW: &str = "state = 2";
    /// A card studied at least once (learning, review or relearning), tested on each row: in a
    /// scan or a lookup by id this beats an IN list, which SQLite checks in a temporary b-tree.
    pub const IS_STUDIED: &str = "state != 0";
    /// The same cards as [`IS_STUDIED`], as one range per state on an index that starts with
    /// `state` (the queue's `(state, due)`).
    pub const STUDIED_BY_STATE: &str = "state IN (1, 2, 3)";
    /// Scheduled (every studied card is): with it, a query that compares no `due` may walk
    /// the queue's `(state, due)` index, which leaves out the new cards.
    pub const HAS_DUE: &str = "due IS NOT NULL";
    /// Hidden for any reason, walking the index on `hidden` (which holds only these cards: a
    /// query names this term as it is to use it).
    pub const HIDDEN: &str = "hidden > 0";
    /// Neither suspended nor in a disabled pack (buried cards count: they are back tomorrow).
    pub const NOT_SET_ASIDE: &str = "hidden & 3 = 0";
    /// Shown in study: no hidden bit set.
    pub const VISIBLE: &str = "hidden = 0";
    /// A new card that may be studied now (not a locked quiz question).
    pub const NEW_UNLOCKED: &str = "state = 0 AND new_queue < 2";
    /// A quiz question waiting for its lesson.
    pub const NEW_LOCKED: &str = "state = 0 AND new_queue = 2";
    /// Buried, walking the small index on `hidden` (buried cards have bit 4 set, so `>= 4`).
    pub const BURIED: &str = "hidden > 0 AND hidden >= 4 AND hidden & 4";
    /// Suspended by the learner.
    pub const SUSPENDED: &str = "hidden & 1";
    /// Lowest retrievability first, with `?{now}` the current time in Unix milliseconds: FSRS's
    /// retrievability falls as elapsed time over stability grows, so ordering by that ratio,
    /// largest first, orders by retrievability without computing it.
    pub fn lowest_retrievability_first(now_param: usize) -> String {
        format!("(?{now_param} - last_review) / stability DESC")
    }
}

/// A pack's id is its manifest's text, kept as is.
impl ToSql for crate::ids::PackId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl FromSql for crate::ids::PackId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        String::column_result(value).map(crate::ids::PackId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn states_and_bits_round_trip_through_sqlite() {
        let conn = Connection::open_in_memory().unwrap();
        for state in [
            CardState::New,
            CardState::Learning,
            CardState::Review,
            CardState::Relearning,
        ] {
            let back: CardState = conn.query_row("SELECT ?1", [state], |r| r.get(0)).unwrap();
            assert_eq!(back, state);
        }
        let bad = conn.query_row("SELECT 9", [], |r| r.get::<_, CardState>(0));
        assert!(bad.is_err(), "an unknown state is refused, not guessed");
        let hidden = Hidden::NONE.with(Hidden::SUSPENDED).with(Hidden::BURIED);
        let back: Hidden = conn.query_row("SELECT ?1", [hidden], |r| r.get(0)).unwrap();
        assert_eq!(back, Hidden(5));
        assert!(back.has(Hidden::BURIED) && !back.has(Hidden::BY_PACK));
        assert_eq!(back.without(Hidden::BURIED), Hidden::SUSPENDED);
        assert!(!back.is_visible() && Hidden::NONE.is_visible());
    }

    #[test]
    fn the_named_conditions_match_the_encodings() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE cards (state INTEGER, hidden INTEGER, new_queue INTEGER)")
            .unwrap();
        let add = |state: CardState, hidden: Hidden, queue: NewQueue| {
            conn.execute(
                "INSERT INTO cards VALUES (?1, ?2, ?3)",
                rusqlite::params![state, hidden, queue],
            )
            .unwrap();
        };
        add(CardState::New, Hidden::NONE, NewQueue::First);
        add(CardState::New, Hidden::NONE, NewQueue::Locked);
        add(CardState::Learning, Hidden::BURIED, NewQueue::Normal);
        add(CardState::Relearning, Hidden::SUSPENDED, NewQueue::Normal);
        add(
            CardState::Review,
            Hidden::SUSPENDED.with(Hidden::BURIED),
            NewQueue::Normal,
        );
        let count = |cond: &str| -> i64 {
            conn.query_row(
                &format!("SELECT count(*) FROM cards WHERE {cond}"),
                [],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(count(sql::IS_NEW), 2);
        assert_eq!(count(sql::IS_LEARNING), 2);
        assert_eq!(count(sql::IS_REVIEW), 1);
        assert_eq!(count(sql::VISIBLE), 2);
        assert_eq!(count(sql::NEW_UNLOCKED), 1);
        assert_eq!(count(sql::NEW_LOCKED), 1);
        assert_eq!(count(sql::BURIED), 2);
        assert_eq!(count(sql::SUSPENDED), 2);
        assert_eq!(count(sql::IS_STUDIED), 3);
        assert_eq!(count(sql::HIDDEN), 3);
        assert_eq!(count(sql::NOT_SET_ASIDE), 3);
    }
}
