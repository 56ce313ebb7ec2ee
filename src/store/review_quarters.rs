//! The review log summed per quarter hour (migration 15's `review_quarters`): what the
//! statistics screen reads instead of a year of the log. Every write to the log counts here in
//! the same transaction ([`count`]): answers, imports, sync, undo and removed packs.

use std::collections::HashMap;
use std::sync::LazyLock;

use rusqlite::{Connection, Row};

use crate::error::Result;
use crate::schedule::CardState;
use crate::stats::MATURE_DAYS;

/// A quarter hour in milliseconds: the finest step of any time zone's offset, so every answer in
/// one quarter falls on the same learner's day.
pub const QUARTER_MS: i64 = 900_000;

/// The kind of an answer, as the summary counts it: by the card's state before the answer and
/// its interval then (young under 21 days, mature from 21, as Anki counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    Learning = 0,
    Young = 1,
    Mature = 2,
}

impl AnswerKind {
    /// The kind of an answer to a card in `state_before` (its code) with that interval then.
    pub fn of(state_before: i64, last_interval_days: f64) -> AnswerKind {
        if state_before != CardState::Review.to_i64() {
            AnswerKind::Learning
        } else if last_interval_days < MATURE_DAYS {
            AnswerKind::Young
        } else {
            AnswerKind::Mature
        }
    }
}

/// The summary's columns after `quarter` and `millis`: answers by kind, then rating.
const ANSWER_COLUMNS: [&str; 12] = [
    "learning_again",
    "learning_hard",
    "learning_good",
    "learning_easy",
    "young_again",
    "young_hard",
    "young_good",
    "young_easy",
    "mature_again",
    "mature_hard",
    "mature_good",
    "mature_easy",
];

/// What the summary counts of one logged answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counted {
    pub reviewed_at: i64,
    pub rating: i64,
    pub state_before: i64,
    pub last_interval_days: f64,
    pub duration_ms: i64,
}

impl Counted {
    /// The log's columns to select for [`Counted::from_row`], in its order.
    pub const COLUMNS: &'static str =
        "reviewed_at, rating, state_before, last_interval_days, duration_ms";

    pub fn from_row(row: &Row, first: usize) -> rusqlite::Result<Counted> {
        Ok(Counted {
            reviewed_at: row.get(first)?,
            rating: row.get(first + 1)?,
            state_before: row.get(first + 2)?,
            last_interval_days: row.get(first + 3)?,
            duration_ms: row.get(first + 4)?,
        })
    }

    /// The logged answer `id`, if the log holds it.
    pub fn of_answer(conn: &Connection, id: super::revlog::AnswerId) -> Result<Option<Counted>> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} FROM revlog WHERE {}",
            Counted::COLUMNS,
            super::revlog::AnswerId::WHERE
        ))?;
        let mut rows = stmt.query(id.params())?;
        Ok(match rows.next()? {
            Some(row) => Some(Counted::from_row(row, 0)?),
            None => None,
        })
    }
}

/// A quarter's sums: time spent, the answers in [`ANSWER_COLUMNS`] order, then the answers to
/// new cards (counted among the learning ones too).
type Sums = [i64; 14];

/// Where [`Sums`] counts the answers to new cards.
const INTRODUCED: usize = 13;

/// The summed columns, in [`Sums`] order.
fn summed_columns() -> impl Iterator<Item = &'static str> {
    std::iter::once("millis")
        .chain(ANSWER_COLUMNS)
        .chain(["introduced"])
}

/// Counts an answer just written to the log (`sign` 1), or takes one just deleted or about to
/// change back out (-1).
pub fn count(conn: &Connection, answer: &Counted, sign: i64) -> Result<()> {
    let mut sums = Sums::default();
    add(&mut sums, answer, sign);
    upsert(conn, answer.reviewed_at.div_euclid(QUARTER_MS), &sums)
}

/// Adds an answer (`sign` 1) or takes it away (-1) from a quarter's sums.
fn add(sums: &mut Sums, answer: &Counted, sign: i64) {
    let kind = AnswerKind::of(answer.state_before, answer.last_interval_days) as usize;
    sums[0] += sign * answer.duration_ms.max(0);
    sums[1 + kind * 4 + (answer.rating.clamp(1, 4) - 1) as usize] += sign;
    if answer.state_before == CardState::New.to_i64() {
        sums[INTRODUCED] += sign;
    }
}

/// Adds a quarter's sums to what the summary holds of it.
fn upsert(conn: &Connection, quarter: i64, sums: &Sums) -> Result<()> {
    static UPSERT: LazyLock<String> = LazyLock::new(|| {
        let columns: Vec<&str> = std::iter::once("quarter").chain(summed_columns()).collect();
        let params: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sums: Vec<String> = summed_columns()
            .map(|c| format!("{c} = {c} + excluded.{c}"))
            .collect();
        format!(
            "INSERT INTO review_quarters ({}) VALUES ({}) ON CONFLICT (quarter) DO UPDATE SET {}",
            columns.join(", "),
            params.join(", "),
            sums.join(", ")
        )
    });
    let values = std::iter::once(quarter).chain(sums.iter().copied());
    conn.prepare_cached(&UPSERT)?
        .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// Answers written to the log in bulk (an import, a sync's fold), summed in memory and counted with one
/// write per quarter hour ([`Tally::write`], in the same transaction) instead of one per answer.
#[derive(Debug, Default)]
pub struct Tally(HashMap<i64, Sums>);

impl Tally {
    /// An answer just written to the log.
    pub fn add(&mut self, answer: &Counted) {
        let quarter = answer.reviewed_at.div_euclid(QUARTER_MS);
        add(self.0.entry(quarter).or_default(), answer, 1);
    }

    /// An answer about to be written again (a sync folding it anew): counted out, as the new
    /// row is counted in.
    pub fn take(&mut self, answer: &Counted) {
        let quarter = answer.reviewed_at.div_euclid(QUARTER_MS);
        add(self.0.entry(quarter).or_default(), answer, -1);
    }

    pub fn write(self, conn: &Connection) -> Result<()> {
        // A row counted out and in again nets to nothing.
        let mut quarters: Vec<_> = (self.0.into_iter())
            .filter(|(_, sums)| sums.iter().any(|&n| n != 0))
            .collect();
        quarters.sort_unstable_by_key(|&(quarter, _)| quarter);
        for (quarter, sums) in quarters {
            upsert(conn, quarter, &sums)?;
        }
        Ok(())
    }
}

/// One quarter hour's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quarter {
    /// Its start, in quarter hours since the epoch.
    pub quarter: i64,
    /// Time spent answering, in milliseconds.
    pub millis: i64,
    /// Answers by kind ([`AnswerKind`] as index) and rating (Again first).
    pub answers: [[u32; 4]; 3],
}

impl Quarter {
    pub fn reviews(&self) -> u32 {
        self.answers.iter().flatten().sum()
    }
}

/// The quarters from `first` on (in quarter hours since the epoch), in time order.
pub fn since(conn: &Connection, first: i64, mut each: impl FnMut(Quarter)) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT quarter, millis, {} FROM review_quarters WHERE quarter >= ?1 ORDER BY quarter",
        ANSWER_COLUMNS.join(", ")
    ))?;
    let mut rows = stmt.query([first])?;
    while let Some(row) = rows.next()? {
        let mut answers = [[0u32; 4]; 3];
        for (i, slot) in answers.iter_mut().flatten().enumerate() {
            // Never negative: only what was counted is taken away.
            *slot = row.get::<_, i64>(2 + i)?.max(0) as u32;
        }
        each(Quarter {
            quarter: row.get(0)?,
            millis: row.get(1)?,
            answers,
        });
    }
    Ok(())
}

/// Answers to new cards, and reviews (young and mature), in the quarters from `?1` on.
static SUMMED: LazyLock<String> = LazyLock::new(|| {
    // The young and mature kinds' columns: every answer to a card in review.
    let reviews = &ANSWER_COLUMNS[AnswerKind::Young as usize * 4..];
    format!(
        "SELECT coalesce(sum(introduced), 0), coalesce(sum({}), 0)
         FROM review_quarters WHERE quarter >= ?1",
        reviews.join(" + ")
    )
});

/// Answers given since `start` (the start of a learner's day, on a quarter hour): new cards
/// introduced, and reviews done. Read from the summary's quarters since then; a start between
/// quarter hours (no time zone's day has one) is counted from the log itself, row by row.
pub fn answered_since(conn: &Connection, start: i64) -> Result<(u32, u32)> {
    const FROM_THE_LOG: &str =
        "SELECT coalesce(sum(state_before = ?2), 0), coalesce(sum(state_before = ?3), 0)
         FROM revlog WHERE reviewed_at >= ?1";
    let counts = |r: &Row| -> rusqlite::Result<(u32, u32)> {
        // Never negative: only what was counted is taken away.
        let count = |i| r.get::<_, i64>(i).map(|n| n.max(0) as u32);
        Ok((count(0)?, count(1)?))
    };
    Ok(match start.rem_euclid(QUARTER_MS) {
        0 => conn
            .prepare_cached(&SUMMED)?
            .query_row([start.div_euclid(QUARTER_MS)], counts)?,
        _ => conn.prepare_cached(FROM_THE_LOG)?.query_row(
            [start, CardState::New.to_i64(), CardState::Review.to_i64()],
            counts,
        )?,
    })
}

/// Fills the summary from the log if it holds nothing of a log that has answers.
pub fn fill_if_missing(conn: &Connection) -> Result<()> {
    let missing: bool = conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM review_quarters) AND EXISTS (SELECT 1 FROM revlog)",
        [],
        |r| r.get(0),
    )?;
    match missing {
        true => refill(conn),
        false => Ok(()),
    }
}

/// Makes the summary again from the whole log: for a file upgraded from before migration 15,
/// and for tools that write the log in bulk (the benchmarks' generator). The log is read in the table's order and summed in
/// memory (a year is at most 35,040 quarters): a `GROUP BY` in SQL sorted 10M rows in a
/// temporary B-tree and took 8× as long.
pub fn refill(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM review_quarters", [])?;
    let mut read = conn.prepare(&format!("SELECT {} FROM revlog", Counted::COLUMNS))?;
    let mut rows = read.query([])?;
    let mut tally = Tally::default();
    while let Some(row) = rows.next()? {
        tally.add(&Counted::from_row(row, 0)?);
    }
    tally.write(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn todays_answers_are_summed_from_the_quarters_since_the_day_began() {
        let dir = tempfile::TempDir::new().unwrap();
        let store = crate::store::Store::open_in(dir.path()).unwrap();
        let plan = crate::store::query_plan(store.conn(), &SUMMED).unwrap();
        assert!(
            plan.iter()
                .any(|step| step.contains("INTEGER PRIMARY KEY (rowid>?)")),
            "{plan:?}"
        );
    }
}
