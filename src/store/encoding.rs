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

/// An FSRS memory value in the review log (`revlog.stability_*`, `revlog.difficulty_*`): the
/// scheduler computes them as `f32`, and SQLite's `REAL` kept each in 8 bytes; stored as the
/// `f32`'s bit pattern, an integer, each takes 4 and reads back exactly (schema 30).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct F32Bits(pub f32);

impl ToSql for F32Bits {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(i64::from(self.0.to_bits())))
    }
}

impl FromSql for F32Bits {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        // Only a bit pattern: a REAL here is a reader or writer this encoding missed.
        let bits = value.as_i64()?;
        u32::try_from(bits)
            .map(|b| F32Bits(f32::from_bits(b)))
            .map_err(|_| FromSqlError::OutOfRange(bits))
    }
}

/// Registers `f32_bits(real)` and `f32_value(bits)`, [`F32Bits`]' encoding in SQL, for the
/// migration that brought it and for reading the log by hand (NULL gives NULL).
pub fn register_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::{Context, FunctionFlags};
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("f32_bits", 1, flags, |ctx: &Context| {
        // The log's values were f32s widened: narrowing them back is exact.
        let value = match ctx.get_raw(0) {
            ValueRef::Null => return Ok(None),
            ValueRef::Real(x) => x,
            ValueRef::Integer(i) => i as f64,
            _ => {
                return Err(rusqlite::Error::InvalidFunctionParameterType(
                    0,
                    ctx.get_raw(0).data_type(),
                ))
            }
        };
        Ok(Some(i64::from((value as f32).to_bits())))
    })?;
    conn.create_scalar_function("f32_value", 1, flags, |ctx: &Context| {
        Ok(match ctx.get_raw(0) {
            ValueRef::Null => None,
            value => Some(f64::from(F32Bits::column_result(value)?.0)),
        })
    })
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
    fn memory_values_read_back_exactly_from_four_byte_integers() {
        let conn = Connection::open_in_memory().unwrap();
        register_functions(&conn).unwrap();
        conn.execute_batch(
            "CREATE TABLE log (v INTEGER, r REAL) STRICT;
             INSERT INTO log (r) VALUES (143.684417724609), (0.001), (NULL), (36500.0)",
        )
        .unwrap();
        for x in [143.684_42_f32, 1e-3, 36_500.0, 1.0 + f32::EPSILON, 1e-30] {
            let back: F32Bits = conn
                .query_row("SELECT ?1", [F32Bits(x)], |r| r.get(0))
                .unwrap();
            assert_eq!(back.0.to_bits(), x.to_bits());
        }
        // What the migration does: every REAL to its f32's bits, NULL kept.
        conn.execute("UPDATE log SET v = f32_bits(r)", []).unwrap();
        let rows: Vec<(Option<F32Bits>, Option<f64>)> = conn
            .prepare("SELECT v, r FROM log ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for (v, r) in &rows {
            assert_eq!(v.map(|v| v.0), r.map(|r| r as f32));
        }
        assert_eq!(rows[2].0, None);
        let value: f64 = conn
            .query_row("SELECT f32_value(v) FROM log WHERE rowid = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(value, f64::from(143.684_42_f32));
        // A REAL where bits belong is refused, not read as a huge number.
        let real = conn.query_row("SELECT 143.6", [], |r| r.get::<_, F32Bits>(0));
        assert!(real.is_err());
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
