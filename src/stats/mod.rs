//! Statistics: what the learner did and what is coming, computed in SQL over small tables and
//! indexes (a year of answers from their per-quarter-hour summary, the due cards through the
//! queue's index) and folded here. Days are the learner's days (rollover hour, local offset).

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::day;
use crate::error::Result;
use crate::ids::PackId;
use crate::schedule::{Memory, Recall, Scheduler};
use crate::store::review_quarters::{self, QUARTER_MS};
use crate::store::sql;

/// Days of history the heatmap, time and answer counts cover.
pub const HISTORY_DAYS: i64 = 365;
/// Days the near forecast covers, day by day; the far one covers a year, week by week.
pub const FORECAST_DAYS: i64 = 30;
/// A card is mature once its interval reaches this many days, as Anki counts.
pub const MATURE_DAYS: f64 = 21.0;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Stats {
    /// The learner's date today.
    pub today: String,
    pub desired_retention: f32,
    pub heatmap: Heatmap,
    pub forecast: Forecast,
    pub retention: Vec<RetentionPeriod>,
    pub counts: CardCounts,
    pub packs: Vec<PackCount>,
    pub areas: Vec<AreaCount>,
    pub stability: Vec<Bin>,
    pub difficulty: Vec<Bin>,
    pub retrievability: Vec<Bin>,
    /// Mean chance of recall now over the studied cards; null if none.
    pub average_retrievability: Option<f32>,
    pub buttons: Buttons,
}

/// Reviews and time per day over the last year, oldest first, one entry per day.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Heatmap {
    pub days: Vec<StudyDay>,
    /// Days in a row with reviews, ending today (or yesterday, if none yet today).
    pub streak: u32,
    pub longest_streak: u32,
    pub days_studied: u32,
    pub total_reviews: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StudyDay {
    pub date: String,
    pub reviews: u32,
    /// Time spent answering, in seconds.
    pub seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Forecast {
    /// Cards due on each of the next 30 days (today first, overdue cards included today).
    pub days: Vec<DueCount>,
    /// Cards due in each week of the next year (from today).
    pub weeks: Vec<DueCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DueCount {
    /// The first day of the day or week.
    pub date: String,
    pub cards: u32,
}

/// True retention over a period: the share of reviews of cards in review that were passed (not
/// Again), for young (interval under 21 days) and mature cards.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RetentionPeriod {
    /// `today`, `yesterday`, `week` (last 7 days), `month` (30) or `year` (365).
    pub period: String,
    pub young: Passes,
    pub mature: Passes,
    pub all: Passes,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, TS)]
pub struct Passes {
    pub passed: u32,
    pub reviews: u32,
    /// passed / reviews; null without reviews.
    pub rate: Option<f32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct CardCounts {
    /// By state, among the cards that may be studied.
    pub new: u32,
    pub learning: u32,
    pub review: u32,
    pub relearning: u32,
    pub suspended: u32,
    pub buried: u32,
    /// In disabled packs.
    pub disabled: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackCount {
    pub pack: PackId,
    pub name: String,
    pub cards: u32,
    pub new: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AreaCount {
    pub area: String,
    pub cards: u32,
}

/// A histogram bar: cards with a value in [low, high).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Bin {
    pub label: String,
    pub low: f32,
    pub high: f32,
    pub cards: u32,
}

/// Answers over the last year by rating (Again, Hard, Good, Easy), for cards in learning (new,
/// learning and relearning), young and mature.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Buttons {
    pub learning: [u32; 4],
    pub young: [u32; 4],
    pub mature: [u32; 4],
}

/// Seconds to add to a UTC instant to count learner's days from the epoch.
fn day_shift(offset: &FixedOffset, rollover_hour: u32) -> i64 {
    i64::from(offset.local_minus_utc()) - i64::from(rollover_hour) * 3600
}

pub(crate) fn stats(
    conn: &Connection,
    reader: Connection,
    scheduler: &Scheduler,
    now: DateTime<FixedOffset>,
) -> Result<Stats> {
    let settings = scheduler.settings();
    let rollover = settings.rollover_hour;
    let shift = day_shift(now.offset(), rollover);
    let today = day::day_number(now, rollover);
    let date = |d: i64| day::date(d).to_string();
    let recall = scheduler.recall();
    // The pass over every studied card's memory is the longest part (a third of the time at 1M
    // cards): it runs on its own connection and thread beside the rest.
    let (memory, rest) = std::thread::scope(|scope| {
        let memory = scope.spawn(move || memory(&reader, recall, now.with_timezone(&Utc)));
        let rest = (|| {
            let (heatmap, retention, buttons) = history(conn, today, shift, &date)?;
            let (forecast, by_state) = forecast(conn, today, shift, now, &date)?;
            Ok::<_, crate::error::Error>((
                heatmap,
                retention,
                buttons,
                forecast,
                counts(conn, by_state)?,
                packs(conn)?,
                areas(conn)?,
            ))
        })();
        (memory.join().expect("the memory pass does not panic"), rest)
    });
    let memory = memory?;
    let (heatmap, retention, buttons, forecast, counts, packs, areas) = rest?;
    Ok(Stats {
        today: date(today),
        desired_retention: settings.desired_retention,
        heatmap,
        forecast,
        retention,
        counts,
        packs,
        areas,
        stability: memory.stability,
        difficulty: memory.difficulty,
        retrievability: memory.retrievability,
        average_retrievability: memory.average,
        buttons,
    })
}

/// The heatmap, true retention and answer counts, from a year of the log's summary.
fn history(
    conn: &Connection,
    today: i64,
    shift: i64,
    date: &dyn Fn(i64) -> String,
) -> Result<(Heatmap, Vec<RetentionPeriod>, Buttons)> {
    let first = today - (HISTORY_DAYS - 1);
    let since = (first * 86_400 - shift) * 1000;
    let mut days = vec![(0u32, 0u64); HISTORY_DAYS as usize];
    let mut buttons = Buttons::default();
    const PERIODS: [(&str, i64, i64); 5] = [
        ("today", 0, 0),
        ("yesterday", 1, 1),
        ("week", 0, 6),
        ("month", 0, 29),
        ("year", 0, 364),
    ];
    let mut retention: Vec<[Passes; 2]> = vec![[Passes::default(); 2]; PERIODS.len()];
    // A quarter hour's answers all fall on one day (offsets and rollovers are whole quarters).
    review_quarters::since(conn, since.div_euclid(QUARTER_MS), |q| {
        let day = (q.quarter * (QUARTER_MS / 1000) + shift).div_euclid(86_400);
        let Some(slot) = usize::try_from(day - first)
            .ok()
            .filter(|&i| i < days.len())
        else {
            return;
        };
        days[slot].0 += q.reviews();
        days[slot].1 += q.millis.max(0) as u64;
        let [learning, young, mature] = q.answers;
        for (counts, per_kind) in [
            (&mut buttons.learning, learning),
            (&mut buttons.young, young),
            (&mut buttons.mature, mature),
        ] {
            for (count, n) in counts.iter_mut().zip(per_kind) {
                *count += n;
            }
        }
        let ago = today - day;
        for (p, &(_, from, to)) in PERIODS.iter().enumerate() {
            if (from..=to).contains(&ago) {
                for (passes, per_kind) in retention[p].iter_mut().zip([young, mature]) {
                    let reviews: u32 = per_kind.iter().sum();
                    passes.reviews += reviews;
                    passes.passed += reviews - per_kind[0];
                }
            }
        }
    })?;
    let with_rate = |mut p: Passes| {
        p.rate = (p.reviews > 0).then(|| p.passed as f32 / p.reviews as f32);
        p
    };
    let retention = PERIODS
        .iter()
        .zip(retention)
        .map(|(&(period, ..), [young, mature])| RetentionPeriod {
            period: period.into(),
            young: with_rate(young),
            mature: with_rate(mature),
            all: with_rate(Passes {
                passed: young.passed + mature.passed,
                reviews: young.reviews + mature.reviews,
                rate: None,
            }),
        })
        .collect();
    let studied: Vec<bool> = days.iter().map(|&(n, _)| n > 0).collect();
    // Today without reviews yet does not break the streak.
    let end = if studied[studied.len() - 1] {
        studied.len()
    } else {
        studied.len() - 1
    };
    let streak = studied[..end].iter().rev().take_while(|&&s| s).count() as u32;
    let longest_streak = studied.split(|&s| !s).map(<[bool]>::len).max().unwrap_or(0) as u32;
    let heatmap = Heatmap {
        days_studied: studied.iter().filter(|&&s| s).count() as u32,
        total_reviews: days.iter().map(|&(n, _)| n).sum(),
        streak,
        longest_streak,
        days: days
            .iter()
            .enumerate()
            .map(|(i, &(reviews, millis))| StudyDay {
                date: date(first + i as i64),
                reviews,
                seconds: (millis / 1000) as u32,
            })
            .collect(),
    };
    Ok((heatmap, retention, buttons))
}

fn forecast(
    conn: &Connection,
    today: i64,
    shift: i64,
    now: DateTime<FixedOffset>,
    date: &dyn Fn(i64) -> String,
) -> Result<(Forecast, [u32; 4])> {
    let until = now.timestamp_millis() + (HISTORY_DAYS + 1) * 86_400_000;
    // One pass over the queue's (state, due) index, which also counts the cards by state: a
    // GROUP BY day in SQL sorted them in a temporary B-tree first (3× as long at 1M cards).
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT state, due FROM cards WHERE {} AND {} AND {}",
        sql::STUDIED_BY_STATE,
        sql::HAS_DUE,
        sql::VISIBLE
    ))?;
    let mut per_day = vec![0u32; HISTORY_DAYS as usize];
    let mut by_state = [0u32; 4];
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (state, due): (i64, Option<i64>) = (row.get(0)?, row.get(1)?);
        if let Some(n) = usize::try_from(state)
            .ok()
            .and_then(|s| by_state.get_mut(s))
        {
            *n += 1;
        }
        let Some(due) = due.filter(|&d| d < until) else {
            continue;
        };
        // Overdue cards are due today.
        let day = (due.div_euclid(1000) + shift).div_euclid(86_400);
        if let Some(slot) = per_day.get_mut((day - today).max(0) as usize) {
            *slot += 1;
        }
    }
    let days = (0..FORECAST_DAYS)
        .map(|i| DueCount {
            date: date(today + i),
            cards: per_day[i as usize],
        })
        .collect();
    let weeks = per_day
        .chunks(7)
        .enumerate()
        .map(|(w, chunk)| DueCount {
            date: date(today + 7 * w as i64),
            cards: chunk.iter().sum(),
        })
        .collect();
    Ok((Forecast { days, weeks }, by_state))
}

/// Card counts, each from an index: the queue's partial indexes for the cards that may be
/// studied (those in study by state from the forecast's pass), the one on `hidden` for the others.
fn counts(conn: &Connection, by_state: [u32; 4]) -> Result<CardCounts> {
    use crate::store::Hidden;
    let mut c = CardCounts::default();
    let one =
        |sql: &str| -> Result<u32> { Ok(conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?) };
    c.total = crate::store::queue::collection_total(conn)?;
    // The planner would take the index on `hidden` and look up every visible card's state.
    c.new = one(&format!(
        "SELECT count(*) FROM cards INDEXED BY cards_new WHERE {} AND {}",
        sql::IS_NEW,
        sql::VISIBLE
    ))?;
    // Indexed by the state's code (1 learning, 2 review, 3 relearning).
    c.learning = by_state[1];
    c.review = by_state[2];
    c.relearning = by_state[3];
    let mut hidden = conn.prepare_cached(&format!(
        "SELECT hidden, count(*) FROM cards WHERE {} GROUP BY hidden",
        sql::HIDDEN
    ))?;
    let mut rows = hidden.query([])?;
    while let Some(row) = rows.next()? {
        let (bits, n): (Hidden, u32) = (row.get(0)?, row.get(1)?);
        // Each card counts once: a disabled pack first, then suspension, then burial.
        if bits.has(Hidden::BY_PACK) {
            c.disabled += n;
        } else if bits.has(Hidden::SUSPENDED) {
            c.suspended += n;
        } else if bits.has(Hidden::BURIED) {
            c.buried += n;
        }
    }
    Ok(c)
}

fn packs(conn: &Connection) -> Result<Vec<PackCount>> {
    // Cards per pack from their summary; new ones (as the card counts say it: new and not
    // hidden) through the new cards' partial index, so only they are looked up.
    Ok(conn
        .prepare_cached(&format!(
            "SELECT p.id, p.name,
               coalesce((SELECT sum(cards) FROM facets WHERE pack_id = p.id), 0),
               coalesce(n.new, 0)
             FROM packs p LEFT JOIN (
               SELECT x.pack_id, sum(by_facet.new) AS new
               FROM (
                 SELECT c.facet, count(*) AS new
                 FROM cards c INDEXED BY cards_new
                 WHERE c.{} AND c.{} GROUP BY c.facet
               ) by_facet JOIN facets x ON x.id = by_facet.facet
               GROUP BY x.pack_id
             ) n ON n.pack_id = p.id
             ORDER BY p.name",
            sql::IS_NEW,
            sql::VISIBLE
        ))?
        .query_map([], |r| {
            Ok(PackCount {
                pack: r.get(0)?,
                name: r.get(1)?,
                cards: r.get(2)?,
                new: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

fn areas(conn: &Connection) -> Result<Vec<AreaCount>> {
    Ok(conn
        .prepare_cached(
            "SELECT area, sum(cards) FROM facets WHERE area != ''
             GROUP BY area HAVING sum(cards) > 0 ORDER BY sum(cards) DESC, area",
        )?
        .query_map([], |r| {
            Ok(AreaCount {
                area: r.get(0)?,
                cards: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Stability, difficulty and retrievability distributions, and the average retrievability.
struct MemoryStats {
    stability: Vec<Bin>,
    difficulty: Vec<Bin>,
    retrievability: Vec<Bin>,
    average: Option<f32>,
}

/// One read of the studied cards' memory (suspended and disabled ones left out).
fn memory(conn: &Connection, recall: Recall, now: DateTime<Utc>) -> Result<MemoryStats> {
    // The last bin ends at FSRS's largest stability (100 years): JSON has no infinity.
    #[rustfmt::skip]
    const STABILITY_EDGES: [f32; 12] = [
        0.0, 1.0, 2.0, 4.0, 7.0, 14.0, 30.0, 60.0, 120.0, 365.0, 730.0, 36_500.0,
    ];
    let mut stability = bins(&STABILITY_EDGES, |low, high| match high {
        h if h >= 36_500.0 => format!("{low:.0}+ days"),
        _ => format!("{low:.0}–{high:.0} days"),
    });
    let difficulty_edges: Vec<f32> = (1..=10).map(|d| d as f32).collect();
    let mut difficulty = bins(&difficulty_edges, |low, high| format!("{low:.0}–{high:.0}"));
    let retrievability_edges: Vec<f32> = (0..=10).map(|i| i as f32 / 10.0).collect();
    let mut retrievability = bins(&retrievability_edges, |low, high| {
        format!("{:.0}–{:.0}%", low * 100.0, high * 100.0)
    });
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT stability, difficulty, last_review FROM cards
         WHERE {} AND stability IS NOT NULL AND last_review IS NOT NULL AND {}",
        sql::IS_STUDIED,
        sql::NOT_SET_ASIDE
    ))?;
    let mut rows = stmt.query([])?;
    let (mut sum, mut n) = (0.0f64, 0u32);
    while let Some(row) = rows.next()? {
        let memory = Memory {
            stability: row.get(0)?,
            difficulty: row.get(1)?,
        };
        let r = recall.at(memory, row.get(2)?, now);
        add(&mut stability, memory.stability);
        add(&mut difficulty, memory.difficulty);
        add(&mut retrievability, r);
        sum += f64::from(r);
        n += 1;
    }
    Ok(MemoryStats {
        stability,
        difficulty,
        retrievability,
        average: (n > 0).then(|| (sum / f64::from(n)) as f32),
    })
}

fn bins(edges: &[f32], label: impl Fn(f32, f32) -> String) -> Vec<Bin> {
    edges
        .windows(2)
        .map(|w| Bin {
            label: label(w[0], w[1]),
            low: w[0],
            high: w[1],
            cards: 0,
        })
        .collect()
}

/// Counts `value` in its bin; the last bin also takes its upper edge (difficulty 10, recall 100%).
fn add(bins: &mut [Bin], value: f32) {
    let last = bins.len() - 1;
    let index = bins
        .iter()
        .position(|b| value < b.high)
        .unwrap_or(last)
        .min(last);
    bins[index].cards += 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn values_fall_in_their_bins_and_the_top_edge_in_the_last() {
        let mut b = bins(&[1.0, 2.0, 3.0], |l, h| format!("{l}-{h}"));
        for v in [1.0, 1.5, 2.0, 3.0, 0.5] {
            add(&mut b, v);
        }
        // 0.5 is below the first edge: it counts in the first bin.
        assert_eq!(b.iter().map(|b| b.cards).collect::<Vec<_>>(), vec![3, 2]);
    }

    #[test]
    fn the_day_shift_counts_days_from_the_rollover_in_local_time() {
        let plus_two = FixedOffset::east_opt(2 * 3600).unwrap();
        let shift = day_shift(&plus_two, 4);
        // 2026-03-10 03:59 local (01:59 UTC) is still 2026-03-09; 04:00 local is the 10th.
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().timestamp();
        let day = |s: &str| (at(s) + shift) / 86_400;
        assert_eq!(
            day("2026-03-10T01:59:00Z"),
            day::number_of(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap())
        );
        assert_eq!(
            day("2026-03-10T02:00:00Z"),
            day::number_of(NaiveDate::from_ymd_opt(2026, 3, 10).unwrap())
        );
    }
}
