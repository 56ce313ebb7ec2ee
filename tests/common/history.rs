//! Review histories simulated from known FSRS parameters, written into a real collection: a
//! learner whose memory follows `parameters` studies each card at 90% desired retention, recalls
//! it with the probability those parameters give, and answers accordingly. Shared by the
//! optimizer tests and benchmarks.
#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use fsrs::{MemoryState, FSRS};
use reprise::store::encoding::F32Bits;
use rusqlite::Connection;

/// FSRS-6 parameters unlike the defaults (faster initial forgetting, a steeper curve), so a fit
/// to their history must move away from the defaults to predict it.
pub const TRUE_PARAMETERS: [f32; 21] = [
    0.6, 1.8, 4.0, 14.0, 6.2, 0.6, 2.2, 0.02, 1.4, 0.25, 0.9, 1.7, 0.09, 0.35, 1.8, 0.3, 2.6, 0.55,
    0.2, 0.1, 0.45,
];

/// A small deterministic generator (SplitMix64): tests need no `rand`.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
}

struct Row {
    at: DateTime<Utc>,
    rating: u32,
    state_before: i64,
    state_after: i64,
    elapsed: u32,
    before: Option<MemoryState>,
    after: MemoryState,
    interval: f64,
}

/// Simulates `days` days of study of `card_ids` (introduced over the first month) and writes the
/// answers into `revlog` and the cards' final schedules; returns the number of answers.
pub fn simulate_history(
    conn: &Connection,
    card_ids: &[i64],
    parameters: &[f32],
    days: i64,
    start: DateTime<Utc>,
    seed: u64,
) -> usize {
    let model = FSRS::new(parameters).unwrap();
    let decay = parameters[20];
    let mut rng = Rng::new(seed);
    let tx = conn.unchecked_transaction().unwrap();
    let mut uuid = seed as u128 * 1_000_000_000;
    let mut written = 0;
    for (i, &card) in card_ids.iter().enumerate() {
        let mut rows: Vec<Row> = Vec::new();
        let mut day = (i % 30) as i64;
        let mut at = start + Duration::days(day) + Duration::minutes((i % 600) as i64);
        // First answer, then a learning step the same day if it was not easy enough.
        let first = match rng.unit() {
            r if r < 0.2 => 1,
            r if r < 0.3 => 2,
            r if r < 0.85 => 3,
            _ => 4,
        };
        let states = model.next_states(None, 0.9, 0).unwrap();
        let mut memory = pick(&states, first);
        rows.push(Row {
            at,
            rating: first,
            state_before: 0,
            state_after: if first < 3 { 1 } else { 2 },
            elapsed: 0,
            before: None,
            after: memory,
            interval: 0.0,
        });
        if first < 3 {
            at += Duration::minutes(10);
            let next = pick(&model.next_states(Some(memory), 0.9, 0).unwrap(), 3);
            rows.push(Row {
                at,
                rating: 3,
                state_before: 1,
                state_after: 2,
                elapsed: 0,
                before: Some(memory),
                after: next,
                interval: 0.0,
            });
            memory = next;
        }
        let mut lapses = 0;
        let mut interval;
        loop {
            interval = (model.next_interval(Some(memory.stability), 0.9, 3).round() as i64).max(1);
            rows.last_mut().unwrap().interval = interval as f64;
            if day + interval >= days {
                break;
            }
            day += interval;
            at = start + Duration::days(day) + Duration::minutes((rng.next_u64() % 600) as i64);
            let recall = fsrs::current_retrievability(memory, interval as f32, decay);
            let rating = if rng.unit() < recall {
                match rng.unit() {
                    r if r < 0.15 => 2,
                    r if r < 0.9 => 3,
                    _ => 4,
                }
            } else {
                1
            };
            let next = pick(
                &model
                    .next_states(Some(memory), 0.9, interval as u32)
                    .unwrap(),
                rating,
            );
            rows.push(Row {
                at,
                rating,
                state_before: 2,
                state_after: if rating == 1 { 3 } else { 2 },
                elapsed: interval as u32,
                before: Some(memory),
                after: next,
                interval: 0.0,
            });
            memory = next;
            if rating == 1 {
                lapses += 1;
                at += Duration::minutes(10);
                let relearned = pick(&model.next_states(Some(memory), 0.9, 0).unwrap(), 3);
                rows.push(Row {
                    at,
                    rating: 3,
                    state_before: 3,
                    state_after: 2,
                    elapsed: 0,
                    before: Some(memory),
                    after: relearned,
                    interval: 0.0,
                });
                memory = relearned;
            }
        }
        for row in &rows {
            uuid += 1;
            tx.execute(
                "INSERT INTO revlog (uuid, card_id, reviewed_at, rating, elapsed_days,
                    interval_days, duration_ms, state_before, state_after, stability_before,
                    difficulty_before, stability_after, difficulty_after)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 6000, ?7, ?8, ?9, ?10, ?11, ?12)",
                rusqlite::params![
                    uuid.to_be_bytes().as_slice(),
                    card,
                    row.at.timestamp_millis(),
                    row.rating,
                    row.elapsed,
                    row.interval,
                    row.state_before,
                    row.state_after,
                    row.before.map(|m| F32Bits(m.stability)),
                    row.before.map(|m| F32Bits(m.difficulty)),
                    F32Bits(row.after.stability),
                    F32Bits(row.after.difficulty),
                ],
            )
            .unwrap();
        }
        written += rows.len();
        let last = rows.last().unwrap();
        let due = start + Duration::days(day + interval);
        tx.execute(
            "UPDATE cards SET state = 2, due = ?2, stability = ?3, difficulty = ?4, step = 0,
                interval_days = ?5, last_review = ?6, reps = ?7, lapses = ?8
             WHERE id = ?1",
            rusqlite::params![
                card,
                due.timestamp_millis(),
                memory.stability,
                memory.difficulty,
                interval as f64,
                last.at.timestamp_millis(),
                rows.len() as i64,
                lapses,
            ],
        )
        .unwrap();
    }
    // Written in bulk, around the code that keeps the statistics' summary.
    reprise::store::review_quarters::refill(&tx).unwrap();
    tx.commit().unwrap();
    written
}

fn pick(states: &fsrs::NextStates, rating: u32) -> MemoryState {
    match rating {
        1 => states.again.memory,
        2 => states.hard.memory,
        3 => states.good.memory,
        _ => states.easy.memory,
    }
}
