//! An Anki card's review log, replayed through FSRS: each answer becomes a row of Reprise's log
//! with the memory state before and after it, and the card ends with the memory state its
//! history gives. The history is read the way Anki builds FSRS items: manual changes are not
//! answers, a reset starts the card over, and the item starts at the card's last run of learning
//! answers. Days are counted by the learner's day rollover.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono::{DateTime, FixedOffset, Utc};
use uuid::Uuid;

use super::collection::Review;
use crate::day;
use crate::error::Result;
use crate::schedule::{CardState, Memory, Rating, Scheduler};

/// Namespace of the ids of imported review rows (UUIDv5), so importing the same log again adds
/// nothing, and imported rows are told apart from answers given in Reprise (UUIDv7).
const REVLOG_NAMESPACE: Uuid = Uuid::from_u128(0x6b1f_5a0e_7c2d_4e8f_9a3b_1c5d_2e4f_6a7b);

/// Anki's revlog kinds.
const LEARN: i64 = 0;
const REVIEW: i64 = 1;
const RELEARN: i64 = 2;
const FILTERED: i64 = 3;
const MANUAL: i64 = 4;

/// An answer of the package's log, replayed, as the log will keep it. A million of them are held
/// at once, so each is 64 bytes: its time in milliseconds, and its intervals as Anki logs them.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedReview {
    pub uuid: Uuid,
    /// Unix milliseconds, UTC.
    pub reviewed_ms: i64,
    pub rating: Rating,
    pub elapsed_days: u32,
    /// The interval this answer gave, as Anki logs it: days, or seconds if negative.
    interval: i32,
    /// The interval the card had before this answer, the same way.
    last_interval: i32,
    pub duration_ms: u32,
    pub state_before: CardState,
    pub state_after: CardState,
    pub before: Option<Memory>,
    pub after: Memory,
}

impl ImportedReview {
    /// The interval this answer gave, in days (fractions: same-day steps).
    pub fn interval_days(&self) -> f64 {
        days_of(self.interval.into())
    }

    /// The interval the card had before this answer, in days.
    pub fn last_interval_days(&self) -> f64 {
        days_of(self.last_interval.into())
    }
}

/// The hash of an imported answer's name ("{card key}/{Anki's id of the answer}") up to the id:
/// every answer of a card starts from it.
fn review_key(key: &str) -> sha1::Sha1 {
    use sha1::Digest;
    let mut hash = sha1::Sha1::new();
    hash.update(REVLOG_NAMESPACE.as_bytes());
    hash.update(key.as_bytes());
    hash.update(b"/");
    hash
}

/// An imported answer's id: the UUID v5 of its name in [`REVLOG_NAMESPACE`], exactly as
/// `Uuid::new_v5` makes it (a test checks), so importing a package again finds the answers it
/// imported. Through `new_v5`, whose SHA-1 is portable code, with the name formatted each time, a
/// million answers took 0.3 s of the import.
fn review_uuid(key: &sha1::Sha1, id: i64) -> Uuid {
    use sha1::Digest;
    let mut hash = key.clone();
    hash.update(itoa::Buffer::new().format(id).as_bytes());
    let sum = hash.finalize();
    let bytes = sum[..16].try_into().expect("SHA-1 gives 20 bytes");
    uuid::Builder::from_sha1_bytes(bytes).into_uuid()
}

pub struct History {
    pub reviews: Vec<ImportedReview>,
    /// The memory state the whole history gives; `None` without answers since the last reset.
    pub memory: Option<Memory>,
    pub last_answer: Option<DateTime<Utc>>,
    /// Manual changes (set due date, reset) in the log: not answers, so not imported as rows.
    pub manual: usize,
}

fn is_answer(r: &Review) -> bool {
    (1..=4).contains(&r.ease) && r.kind <= FILTERED
}

/// Anki's "Forget" / "Reset": a manual entry that sent the card back to new.
fn is_reset(r: &Review) -> bool {
    r.ease == 0 && r.kind == MANUAL && r.interval == 0
}

/// Where the history that gives the card's memory starts, and whether it is complete (starts
/// with learning, or after a reset): the last run of learning answers, as Anki reads it.
fn item_start(log: &[Review]) -> (usize, bool) {
    let mut start = None;
    for (i, r) in log.iter().enumerate().rev() {
        if r.kind == LEARN && is_answer(r) {
            start = Some(i);
        } else if start.is_some() {
            break;
        } else if is_reset(r) {
            return (i + 1, true);
        }
    }
    match start {
        Some(i) => (i, true),
        None => (0, false),
    }
}

/// `key` names the card (stable across imports) for the rows' ids.
pub fn replay(
    log: &[Review],
    key: &str,
    scheduler: &Scheduler,
    offset: FixedOffset,
    rollover_hour: u32,
) -> Result<History> {
    let (start, complete) = item_start(log);
    let manual = log.iter().filter(|r| !is_answer(r)).count();
    let at = |r: &Review| DateTime::<Utc>::from_timestamp_millis(r.id).unwrap_or_default();
    let mut reviews = Vec::with_capacity(log.len() - manual);
    let mut memory = None;
    // Answers before the item's start (before a reset) are replayed on their own, for their rows.
    for (segment, from_start) in [(&log[..start], true), (&log[start..], complete)] {
        let answers: Vec<&Review> = segment.iter().filter(|r| is_answer(r)).collect();
        if answers.is_empty() {
            continue;
        }
        let mut previous_day = None;
        let steps: Vec<(Rating, u32)> = answers
            .iter()
            .map(|r| {
                let today = day::day_of(at(r), offset, rollover_hour);
                let elapsed = previous_day.map_or(0, |p: i64| {
                    u32::try_from(today.saturating_sub(p).max(0)).unwrap_or(u32::MAX)
                });
                previous_day = Some(today);
                let rating = Rating::from_number(r.ease).expect("answers are rated 1-4");
                (rating, elapsed)
            })
            .collect();
        let first = answers[0];
        let begin = if from_start {
            None
        } else {
            let ease = if (1300..=5000).contains(&first.factor) {
                first.factor as f32 / 1000.0
            } else {
                2.5
            };
            let interval = first.last_interval.max(1) as f32;
            Some(scheduler.memory_from_sm2(ease, interval)?)
        };
        let states = scheduler.replay(&steps, begin)?;
        let key_hash = review_key(key);
        let mut before = begin;
        for (i, (r, after)) in answers.iter().zip(&states).enumerate() {
            reviews.push(ImportedReview {
                uuid: review_uuid(&key_hash, r.id),
                reviewed_ms: at(r).timestamp_millis(),
                rating: steps[i].0,
                elapsed_days: steps[i].1,
                // Within Anki's bounds (`limits::review_problem`), so within an i32.
                interval: r.interval.clamp(i32::MIN.into(), i32::MAX.into()) as i32,
                last_interval: (r.last_interval).clamp(i32::MIN.into(), i32::MAX.into()) as i32,
                duration_ms: r.time_ms.clamp(0, i64::from(u32::MAX)) as u32,
                state_before: state_before(r, i == 0 && from_start),
                state_after: state_after(r),
                before,
                after: *after,
            });
            before = Some(*after);
        }
        memory = states.last().copied();
    }
    if start == log.len() {
        // Reset and never answered since: the card starts over.
        memory = None;
    }
    Ok(History {
        last_answer: reviews
            .last()
            .and_then(|r| DateTime::from_timestamp_millis(r.reviewed_ms)),
        reviews,
        memory,
        manual,
    })
}

/// Anki logs intervals in days, or as negative seconds for same-day steps. The rows were checked
/// against [`super::limits::review_problem`]; nothing here overflows even if they were not.
fn days_of(interval: i64) -> f64 {
    if interval > 0 {
        interval as f64
    } else {
        interval.unsigned_abs() as f64 / 86_400.0
    }
}

fn state_before(r: &Review, first: bool) -> CardState {
    match r.kind {
        LEARN if first => CardState::New,
        LEARN => CardState::Learning,
        REVIEW => CardState::Review,
        RELEARN => CardState::Relearning,
        _ if r.last_interval > 0 => CardState::Review,
        _ => CardState::Learning,
    }
}

fn state_after(r: &Review) -> CardState {
    if r.interval > 0 {
        CardState::Review
    } else if matches!(r.kind, REVIEW | RELEARN) || (r.kind == FILTERED && r.last_interval > 0) {
        CardState::Relearning
    } else {
        CardState::Learning
    }
}

/// How often the replay reports progress (and can be cancelled), in review-log rows.
const PROGRESS_ROWS: usize = 1 << 14;

/// A card's answers, replayed: its rows of the replayed log, and its history without them.
pub type Replay = Result<(std::ops::Range<usize>, History)>;

/// Replays every card's answers (`reviews`, sorted by card and time) into `replayed`, by card id,
/// for each card that exists and has no schedule value out of range. The cards are split in two
/// halves replayed side by side, the lower on another thread: the replay is CPU work, 0.5 s of a
/// million-row import on one core. Each half takes its rows from its end and gives their memory
/// back as the replayed rows grow: at a million rows the two would otherwise be 64 MB each at
/// once. A card's error is kept for the card, which may yet be left out. `progress` hears how
/// many rows are replayed, of how many.
pub fn replay_all(
    mut reviews: Vec<Review>,
    cards: &[super::Card],
    notes: &[super::collection::Note],
    (created, scheduler, offset, rollover): (i64, &Scheduler, FixedOffset, u32),
    replayed: &mut Vec<ImportedReview>,
    progress: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<HashMap<i64, Replay>> {
    let total = reviews.len();
    // A package without a log (most shared decks) has no such stage.
    if total == 0 {
        return Ok(HashMap::new());
    }
    let part = Part {
        cards: cards.iter().map(|c| (c.id, c)).collect(),
        guids: notes.iter().map(|n| (n.id, n.guid.as_str())).collect(),
        created,
        scheduler,
        offset,
        rollover,
        done: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    };
    progress(0, total)?;
    let middle = reviews[total / 2].card;
    let upper = reviews.split_off(reviews.partition_point(|r| r.card < middle));
    let mut lower = std::mem::replace(&mut reviews, upper);
    lower.shrink_to_fit();
    let lower_cards = cards_in(&lower);
    let mut reported = 0;
    let mut report = |part: &Part| -> Result<()> {
        let done = part.done.load(Ordering::Relaxed);
        if done - reported >= PROGRESS_ROWS {
            reported = done;
            // A cancel stops the other half at its next card.
            progress(done, total).inspect_err(|_| part.stop.store(true, Ordering::Relaxed))?;
        }
        Ok(())
    };
    let (mine, (theirs, rows)) = std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let mut rows = Chunked::default();
            (part.replay(lower, 0, &mut rows, &mut || Ok(())), rows)
        });
        // This thread reports both halves' progress, while it replays and while it waits.
        let mut mine = part.replay(reviews, lower_cards, replayed, &mut || report(&part));
        while mine.is_ok() && !worker.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(10));
            if let Err(cancelled) = report(&part) {
                mine = Err(cancelled);
            }
        }
        if mine.is_err() {
            part.stop.store(true, Ordering::Relaxed);
        }
        let theirs = worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (mine, theirs)
    });
    let mut replays = mine?;
    // The lower half's rows follow the upper's: its ranges move by as many.
    let base = replayed.len();
    rows.move_into(replayed);
    replays.extend(theirs?.into_iter().map(|(card, replay)| {
        let moved = replay.map(|(rows, history)| (rows.start + base..rows.end + base, history));
        (card, moved)
    }));
    progress(total, total)?;
    Ok(replays)
}

/// How many cards `reviews` (sorted by card) are answers to.
fn cards_in(reviews: &[Review]) -> usize {
    let changes = reviews
        .windows(2)
        .filter(|w| w[0].card != w[1].card)
        .count();
    usize::from(!reviews.is_empty()) + changes
}

/// What each half of [`replay_all`] reads, and what they share.
struct Part<'a> {
    cards: HashMap<i64, &'a super::Card>,
    guids: HashMap<i64, &'a str>,
    created: i64,
    scheduler: &'a Scheduler,
    offset: FixedOffset,
    rollover: u32,
    /// Rows replayed by both halves.
    done: AtomicUsize,
    /// Set when the import stops: the other half stops at its next card.
    stop: AtomicBool,
}

impl Part<'_> {
    /// Replays `reviews` into `out`; `tick` runs after each card. The map it gives has room
    /// for `extra` more cards.
    fn replay(
        &self,
        mut reviews: Vec<Review>,
        extra: usize,
        out: &mut dyn Rows,
        tick: &mut dyn FnMut() -> Result<()>,
    ) -> Result<HashMap<i64, Replay>> {
        // Sized once: the other half's grown map would stay in its thread's heap, free and
        // held, until the import ends.
        let mut replays = HashMap::with_capacity(cards_in(&reviews) + extra);
        // Given back a sixteenth at a time (a shrinking reallocation of a large block returns
        // its end to the system).
        let step = (reviews.len() / 16).max(1 << 16);
        let mut kept = reviews.len();
        while let Some(last) = reviews.last() {
            if self.stop.load(Ordering::Relaxed) {
                return Err(crate::error::Error::Cancelled);
            }
            let id = last.card;
            let start = reviews.partition_point(|r| r.card < id);
            let card = (self.cards.get(&id))
                .filter(|c| super::limits::card_problem(c, self.created).is_none());
            if let Some((card, guid)) = card.and_then(|c| Some((c, self.guids.get(&c.note)?))) {
                let key = format!("{guid}/{}", card.ord);
                let of_card = &reviews[start..];
                let replay = replay(of_card, &key, self.scheduler, self.offset, self.rollover);
                replays.insert(
                    id,
                    replay.map(|mut history| {
                        (out.take(std::mem::take(&mut history.reviews)), history)
                    }),
                );
            }
            self.done
                .fetch_add(reviews.len() - start, Ordering::Relaxed);
            reviews.truncate(start);
            if kept - reviews.len() >= step {
                reviews.shrink_to_fit();
                kept = reviews.len();
            }
            tick()?;
        }
        Ok(replays)
    }
}

/// Where replayed rows go: each card's rows are taken in one go and given their place.
trait Rows {
    /// Takes `rows` (and frees their block: a million rows' would otherwise stay held, empty).
    fn take(&mut self, rows: Vec<ImportedReview>) -> std::ops::Range<usize>;
}

impl Rows for Vec<ImportedReview> {
    fn take(&mut self, rows: Vec<ImportedReview>) -> std::ops::Range<usize> {
        let from = self.len();
        self.extend(rows);
        from..self.len()
    }
}

/// Rows kept in blocks, so that moving them after another half's rows needs one block's memory
/// more, not a half's.
#[derive(Default)]
struct Chunked {
    blocks: Vec<Vec<ImportedReview>>,
    len: usize,
}

/// Rows of a [`Chunked`] block (about 2.5 MB of them).
const BLOCK_ROWS: usize = 1 << 15;

impl Rows for Chunked {
    fn take(&mut self, rows: Vec<ImportedReview>) -> std::ops::Range<usize> {
        let from = self.len;
        self.len += rows.len();
        match self.blocks.last_mut() {
            Some(block) if block.len() + rows.len() <= block.capacity() => block.extend(rows),
            _ => {
                let mut block = Vec::with_capacity(BLOCK_ROWS.max(rows.len()));
                block.extend(rows);
                self.blocks.push(block);
            }
        }
        from..self.len
    }
}

impl Chunked {
    /// Moves the rows to the end of `out`, freeing each block as it goes.
    fn move_into(self, out: &mut Vec<ImportedReview>) {
        for block in self.blocks {
            out.extend(block);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replayed_answer_takes_64_bytes() {
        // A million are held at the import's peak: 16 MB more at 80 bytes each.
        assert_eq!(std::mem::size_of::<ImportedReview>(), 64);
    }

    #[test]
    fn a_replayed_answer_gives_its_intervals_in_days_as_anki_logs_them() {
        let log = |interval, last_interval| Review {
            id: 1_700_000_000_000,
            card: 1,
            ease: 3,
            interval,
            last_interval,
            factor: 2500,
            time_ms: 4_000,
            kind: REVIEW,
        };
        let scheduler = Scheduler::new(&crate::settings::Settings::default()).unwrap();
        let utc = FixedOffset::east_opt(0).unwrap();
        let history = replay(&[log(12, -600)], "c/0", &scheduler, utc, 4).unwrap();
        let answer = &history.reviews[0];
        assert_eq!(answer.interval_days(), 12.0);
        assert_eq!(answer.last_interval_days(), 600.0 / 86_400.0);
        assert_eq!(answer.reviewed_ms, 1_700_000_000_000);
    }

    #[test]
    fn an_answers_id_is_the_uuid_v5_of_its_name() {
        for key in ["lTt[G:gpg/0", "f/1", "", "ü𝄞/12"] {
            for id in [0, 7, -3, 1_700_000_000_123, i64::MIN, i64::MAX] {
                let named = Uuid::new_v5(&REVLOG_NAMESPACE, format!("{key}/{id}").as_bytes());
                assert_eq!(review_uuid(&review_key(key), id), named, "{key}/{id}");
            }
        }
    }

    fn review(id: i64, ease: i64, kind: i64, interval: i64) -> Review {
        Review {
            id,
            card: 1,
            ease,
            interval,
            last_interval: 0,
            factor: 2500,
            time_ms: 5000,
            kind,
        }
    }

    #[test]
    fn the_item_starts_at_the_last_learning_run_or_after_a_reset() {
        let log = [
            review(1, 3, LEARN, -600),
            review(2, 3, LEARN, 1),
            review(3, 3, REVIEW, 3),
            review(4, 0, MANUAL, 0),
            review(5, 3, LEARN, -600),
            review(6, 3, LEARN, 1),
            review(7, 3, REVIEW, 4),
        ];
        assert_eq!(item_start(&log), (4, true));
        assert_eq!(item_start(&log[..4]), (4, true));
        assert_eq!(item_start(&log[2..3]), (0, false));
        assert_eq!(item_start(&log[..3]), (0, true));
    }
}
