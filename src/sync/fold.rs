//! The per-card fold: a card's schedule and review-log rows as a pure function of its set of
//! events. Events are walked in `(at, hlc, id)` order from a new card; an event whose parent is
//! the event before it is adopted as its author recorded it, and a concurrent answer (made
//! without knowing the one before it) is scheduled again from the state before it, with the
//! same fuzz seed. Every device that holds the same events computes the same card.

use std::collections::BTreeSet;

use chrono::DateTime;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::event::{Body, Event};
use super::record::schedule_json;
use super::reschedule::readopt;
pub use super::reschedule::Reschedule;
use crate::error::Result;
use crate::ids::CardId;
use crate::schedule::{Rating, Schedule, Scheduler};
use crate::store::review_quarters::Tally;
use crate::store::{self, sync as stored, ReviewRecord};
use crate::study::answer::context;

/// One answer as the walk saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Walked {
    pub id: Uuid,
    pub at: i64,
    pub rating: Rating,
    pub duration_ms: u32,
    pub elapsed_days: u32,
    pub before: Schedule,
    pub after: Schedule,
    /// Adopted as recorded, after nothing but answers adopted as recorded: its log row is the
    /// same whatever the settings, so a fold again under new settings leaves it alone.
    pub settled: bool,
}

/// What a card's events fold to.
#[derive(Debug, Clone, PartialEq)]
pub struct Folded {
    /// The last live event; `None` when no event is live.
    pub head: Option<Uuid>,
    pub schedule: Schedule,
    pub reviews: Vec<Walked>,
    /// Answers taken back.
    pub retracted: BTreeSet<Uuid>,
}

/// Folds `events` (one card's, in any order) under the last reschedule.
pub fn walk(
    card: i64,
    events: &[Event],
    scheduler: &Scheduler,
    reschedule: Option<Reschedule>,
) -> Result<Folded> {
    walk_on(
        card,
        Schedule::new_card(),
        None,
        events,
        scheduler,
        reschedule,
    )
}

/// Folds `events` on from `state`, the card as its events up to `head` left it.
fn walk_on(
    card: i64,
    mut state: Schedule,
    mut head: Option<Uuid>,
    events: &[Event],
    scheduler: &Scheduler,
    mut reschedule: Option<Reschedule>,
) -> Result<Folded> {
    let (retracted, mut live) = live_events(events);
    live.sort_by_key(|e| sort_key(e));
    let mut reviews: Vec<Walked> = Vec::new();
    let mut settled = true;
    for e in live {
        if let Some(r) = reschedule.filter(|r| sort_key(e) > r.key) {
            readopt(card, &mut state, &reviews, scheduler, r.offset)?;
            reschedule = None;
            settled = false;
        }
        match &e.body {
            Body::Review {
                rating,
                duration_ms,
                parent,
                outcome,
                ..
            } => {
                let at = e.at_local();
                let before = state.clone();
                let adopted = *parent == head;
                let after = if adopted {
                    outcome.clone()
                } else {
                    scheduler
                        .choices(&before, context(CardId(card), &before, at))?
                        .into_outcome(*rating)
                        .schedule
                };
                settled &= adopted;
                reviews.push(Walked {
                    id: e.id,
                    at: e.at,
                    rating: *rating,
                    duration_ms: *duration_ms,
                    elapsed_days: scheduler.days_elapsed(&before, at),
                    before,
                    after: after.clone(),
                    settled,
                });
                state = after;
            }
            Body::CardSet { schedule, .. } => state = schedule.clone(),
            Body::Retract { .. }
            | Body::Register { .. }
            | Body::QuizAttempt { .. }
            | Body::Reschedule => continue,
        }
        head = Some(e.id);
    }
    if let Some(r) = reschedule {
        readopt(card, &mut state, &reviews, scheduler, r.offset)?;
    }
    Ok(Folded {
        head,
        schedule: state,
        reviews,
        retracted,
    })
}

/// The answers taken back among `events`, and the answers and set schedules not taken back.
pub(crate) fn live_events(events: &[Event]) -> (BTreeSet<Uuid>, Vec<&Event>) {
    let retracted: BTreeSet<Uuid> = events
        .iter()
        .filter_map(|e| match e.body {
            Body::Retract { event, .. } => Some(event),
            _ => None,
        })
        .collect();
    let live = events
        .iter()
        .filter(|e| matches!(e.body, Body::Review { .. } | Body::CardSet { .. }))
        .filter(|e| !retracted.contains(&e.id))
        .collect();
    (retracted, live)
}

/// Where an event stands in fold order.
pub(crate) fn sort_key(e: &Event) -> (i64, u64, Uuid) {
    (e.at, e.hlc, e.id)
}

/// Folds a card after `new` events of it arrived. In the usual case — they all come after the
/// card's last event and the last reschedule, and nothing of the card was ever taken back — the
/// fold goes on from where it stood, writing only what they add; otherwise the card is folded
/// again from all its events. (A retraction can arrive before the answer it takes back.)
pub fn fold_new(
    conn: &Connection,
    scheduler: &Scheduler,
    reschedule: Option<Reschedule>,
    card: i64,
    new: &[Event],
    tally: &mut Tally,
) -> Result<()> {
    let takes_back = stored::has_retraction(conn, card)?;
    let folded = stored::folded(conn, card)?;
    let after_head = match &folded {
        Some((head, _)) => match stored::event_key(conn, *head)? {
            Some(key) => {
                let key = reschedule.map_or(key, |r| key.max(r.key));
                new.iter().all(|e| sort_key(e) > key)
            }
            None => false,
        },
        None => false,
    };
    let (Some((head, schedule)), true, false) = (folded, after_head, takes_back) else {
        return refold_into(conn, scheduler, reschedule, card, tally);
    };
    let Ok(state) = serde_json::from_str(&schedule) else {
        return refold_into(conn, scheduler, reschedule, card, tally);
    };
    let folded = walk_on(card, state, Some(head), new, scheduler, None)?;
    write(conn, card, &folded, |_| true, tally)
}

/// A card just installed here (its pack arrived after its events): takes the schedule its
/// events were last folded to. Its log rows were written by that fold, so folding again would
/// write each of them a second time (a million rows for a deck with a long history). Folds
/// again only if the stored schedule cannot be read.
pub fn install_folded(
    conn: &Connection,
    scheduler: &Scheduler,
    reschedule: Option<Reschedule>,
    card: i64,
) -> Result<()> {
    let Some((_, schedule)) = stored::folded(conn, card)? else {
        return Ok(());
    };
    match serde_json::from_str::<Schedule>(&schedule) {
        Ok(schedule) => {
            store::cards::write_schedule_if_installed(conn, CardId(card), &schedule)?;
            Ok(())
        }
        Err(_) => refold_under(conn, scheduler, reschedule, card),
    }
}

/// A card's events as stored (those this version can read).
pub fn events_of(conn: &Connection, card: i64) -> Result<Vec<Event>> {
    decode_all(&stored::card_events(conn, card)?)
}

/// Folds the card's stored events and writes the result: its schedule (if the card is
/// installed here), its review-log rows, and what it folds to.
pub fn refold(conn: &Connection, scheduler: &Scheduler, card: i64) -> Result<()> {
    refold_under(conn, scheduler, Reschedule::latest(conn)?, card)
}

pub(crate) fn refold_under(
    conn: &Connection,
    scheduler: &Scheduler,
    reschedule: Option<Reschedule>,
    card: i64,
) -> Result<()> {
    let mut tally = Tally::default();
    refold_into(conn, scheduler, reschedule, card, &mut tally)?;
    tally.write(conn)
}

/// [`refold_under`], its log rows counted in `tally` (a sync folding many cards writes the
/// statistics' summary once, not once an answer).
pub(crate) fn refold_into(
    conn: &Connection,
    scheduler: &Scheduler,
    reschedule: Option<Reschedule>,
    card: i64,
    tally: &mut Tally,
) -> Result<()> {
    let folded = walk(card, &events_of(conn, card)?, scheduler, reschedule)?;
    write(conn, card, &folded, |_| true, tally)
}

/// Folds every card again under new settings or a new reschedule; returns how many. The log
/// rows of answers new settings cannot change (see [`Walked::settled`]) are left alone, except
/// on the cards in `arrived` (new events of theirs came in: their rows were written under fewer
/// events).
pub fn refold_all(
    conn: &Connection,
    scheduler: &Scheduler,
    arrived: &BTreeSet<i64>,
    progress: &mut dyn FnMut(u32, u32),
) -> Result<u32> {
    let reschedule = Reschedule::latest(conn)?;
    let total = stored::cards_with_events_count(conn)?;
    let mut done = 0;
    let mut tally = Tally::default();
    stored::each_card_events(conn, |card, stored| {
        if done % 1_000 == 0 {
            progress(done, total);
        }
        done += 1;
        let folded = walk(card, &decode_all(&stored)?, scheduler, reschedule)?;
        let all = arrived.contains(&card);
        write(conn, card, &folded, |r| all || !r.settled, &mut tally)
    })?;
    tally.write(conn)?;
    Ok(done)
}

fn decode_all(stored: &[stored::StoredEvent]) -> Result<Vec<Event>> {
    let mut events = Vec::with_capacity(stored.len());
    for s in stored {
        if let (_, Some(event)) = Event::decode(&s.body)? {
            events.push(event);
        }
    }
    Ok(events)
}

/// Writes what a fold gave: the log rows of the answers `rewrite` picks, the card's schedule (if
/// the card is installed here) and what it folds to.
fn write(
    conn: &Connection,
    card: i64,
    folded: &Folded,
    rewrite: impl Fn(&Walked) -> bool,
    tally: &mut Tally,
) -> Result<()> {
    for id in &folded.retracted {
        let answer = store::AnswerId {
            card: CardId(card),
            uuid: *id,
        };
        store::revlog::delete(conn, answer)?;
    }
    for r in folded.reviews.iter().filter(|r| rewrite(r)) {
        let record = ReviewRecord {
            card_id: CardId(card),
            reviewed_at: DateTime::from_timestamp_millis(r.at).unwrap_or_default(),
            rating: r.rating,
            elapsed_days: r.elapsed_days,
            interval_days: r.after.interval_days,
            duration_ms: r.duration_ms,
            before: &r.before,
            after: &r.after,
        };
        store::revlog::write(conn, r.id, &record, tally)?;
    }
    // A card another device has and this one does not yet: its answers wait in the log.
    store::cards::write_schedule_if_installed(conn, CardId(card), &folded.schedule)?;
    match folded.head {
        Some(head) => stored::set_folded(conn, card, head, &schedule_json(&folded.schedule)),
        None => stored::clear_folded(conn, card),
    }
}

/// What `sync verify` found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Verified {
    /// Cards folded from their events.
    pub cards: u32,
    /// Cards whose schedule or review log differs from what their events fold to.
    pub differ: Vec<CardId>,
}

/// Folds every card from its events again, from scratch, and compares the result with the card
/// and its review log as the collection holds them.
pub fn verify(conn: &Connection, scheduler: &Scheduler) -> Result<Verified> {
    let mut verified = Verified {
        cards: 0,
        differ: Vec::new(),
    };
    let reschedule = Reschedule::latest(conn)?;
    for card in stored::cards_with_events(conn)? {
        let folded = walk(card, &events_of(conn, card)?, scheduler, reschedule)?;
        verified.cards += 1;
        let logged: BTreeSet<Uuid> = stored::review_ids(conn, card)?.into_iter().collect();
        let walked: BTreeSet<Uuid> = folded.reviews.iter().map(|r| r.id).collect();
        let schedule = store::cards::get_card(conn, CardId(card))
            .ok()
            .map(|row| row.schedule);
        // A card not installed here has only its log to compare.
        let same_card = schedule.is_none_or(|s| folded.head.is_none() || s == folded.schedule);
        if logged != walked || !same_card {
            verified.differ.push(CardId(card));
        }
    }
    Ok(verified)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, FixedOffset};
    use uuid::Uuid;

    use super::*;
    use crate::settings::Settings;

    const CARD: i64 = 42;

    fn scheduler() -> Scheduler {
        Scheduler::new(&Settings::default()).unwrap()
    }

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    /// An answer as device `device` made it: scheduled from `before` by the real scheduler.
    fn answer(
        id: u128,
        device: u128,
        when: &str,
        rating: Rating,
        before: &Schedule,
        parent: Option<u128>,
    ) -> Event {
        let when = at(when);
        let outcome = scheduler()
            .choices(before, context(CardId(CARD), before, when))
            .unwrap()
            .into_outcome(rating)
            .schedule;
        Event {
            id: Uuid::from_u128(id),
            device: Uuid::from_u128(device),
            hlc: (when.timestamp_millis() as u64) << 16,
            at: when.timestamp_millis(),
            tz_min: 60,
            body: Body::Review {
                card: CARD,
                rating,
                duration_ms: 1_000,
                parent: parent.map(Uuid::from_u128),
                outcome,
            },
        }
    }

    fn walk_all(card: i64, events: &[Event], scheduler: &Scheduler) -> Result<Folded> {
        walk(card, events, scheduler, None)
    }

    fn outcome(e: &Event) -> Schedule {
        match &e.body {
            Body::Review { outcome, .. } => outcome.clone(),
            _ => unreachable!(),
        }
    }

    /// A Good on the new card by device 7, then `rating` by `device`, which knew of it.
    fn chain(device: u128, rating: Rating) -> (Event, Event) {
        let first = answer(
            1,
            7,
            "2026-03-10T09:00:00+01:00",
            Rating::Good,
            &Schedule::new_card(),
            None,
        );
        let second = answer(
            2,
            device,
            "2026-03-10T09:20:00+01:00",
            rating,
            &outcome(&first),
            Some(1),
        );
        (first, second)
    }

    #[test]
    fn answers_that_follow_each_other_are_adopted_as_recorded() {
        let (first, second) = chain(8, Rating::Good);
        let folded = walk_all(CARD, &[second.clone(), first.clone()], &scheduler()).unwrap();
        assert_eq!(folded.head, Some(second.id));
        assert_eq!(folded.schedule, outcome(&second));
        assert_eq!(folded.reviews.len(), 2);
        assert_eq!(folded.reviews[1].before, outcome(&first));
    }

    #[test]
    fn a_concurrent_answer_is_scheduled_again_from_the_state_before_it() {
        // Both devices answer the new card, neither knowing of the other.
        let good = answer(
            1,
            7,
            "2026-03-10T09:00:00+01:00",
            Rating::Good,
            &Schedule::new_card(),
            None,
        );
        let again = answer(
            2,
            8,
            "2026-03-10T12:00:00+01:00",
            Rating::Again,
            &Schedule::new_card(),
            None,
        );
        let folded = walk_all(CARD, &[again.clone(), good.clone()], &scheduler()).unwrap();
        // The first is adopted; the second is not its recorded outcome (made from a new card) but
        // an Again after a Good: two repetitions.
        assert_eq!(folded.reviews[0].after, outcome(&good));
        assert_ne!(folded.schedule, outcome(&again));
        assert_eq!(folded.schedule.reps, 2);
        let expected = scheduler()
            .choices(
                &outcome(&good),
                context(
                    CardId(CARD),
                    &outcome(&good),
                    at("2026-03-10T12:00:00+01:00"),
                ),
            )
            .unwrap()
            .into_outcome(Rating::Again)
            .schedule;
        assert_eq!(folded.schedule, expected);
        // Whatever order the events come in.
        assert_eq!(
            walk_all(CARD, &[good, again], &scheduler()).unwrap(),
            folded
        );
    }

    #[test]
    fn a_retracted_answer_is_left_out_and_a_set_schedule_is_adopted() {
        let (first, second) = chain(7, Rating::Easy);
        let retract = Event {
            id: Uuid::from_u128(3),
            body: Body::Retract {
                card: CARD,
                event: second.id,
            },
            ..second.clone()
        };
        let folded = walk_all(
            CARD,
            &[first.clone(), second.clone(), retract.clone()],
            &scheduler(),
        )
        .unwrap();
        assert_eq!(folded.schedule, outcome(&first));
        assert_eq!(folded.reviews.len(), 1);
        assert!(folded.retracted.contains(&second.id));
        // A reset after it: the card is new again, its history kept in the log.
        let reset = Event {
            id: Uuid::from_u128(4),
            at: first.at + 3_600_000,
            hlc: first.hlc + (3_600_000 << 16),
            body: Body::CardSet {
                card: CARD,
                parent: Some(first.id),
                schedule: Schedule::new_card(),
            },
            ..first.clone()
        };
        let folded =
            walk_all(CARD, &[first, second, retract, reset.clone()], &scheduler()).unwrap();
        assert_eq!(folded.schedule, Schedule::new_card());
        assert_eq!(folded.head, Some(reset.id));
        assert_eq!(folded.reviews.len(), 1);
    }

    #[test]
    fn a_reschedule_moves_the_card_at_its_point_in_the_fold() {
        let (first, second) = chain(8, Rating::Good);
        // New parameters (a Good on a new card makes a stronger memory) and a lower retention.
        let mut parameters = scheduler().parameters();
        parameters[2] *= 1.5;
        let lower = Scheduler::new(&Settings {
            desired_retention: 0.75,
            fsrs_parameters: parameters,
            ..Settings::default()
        })
        .unwrap();
        let at = |e: &Event| Reschedule {
            key: (e.at + 1, e.hlc + 1, Uuid::nil()),
            offset: *e.at_local().offset(),
        };
        // After both answers: the card's memory is recomputed from them, and its due date
        // follows from that memory at the lower retention (later than the answer gave).
        let folded = walk(
            CARD,
            &[first.clone(), second.clone()],
            &lower,
            Some(at(&second)),
        )
        .unwrap();
        let plain = walk_all(CARD, &[first.clone(), second.clone()], &lower).unwrap();
        assert_eq!(plain.schedule, outcome(&second));
        assert!(folded.schedule.due > outcome(&second).due, "{folded:?}");
        assert_eq!(folded.schedule.reps, 2);
        assert!(folded.reviews.iter().all(|r| r.settled));
        // Between them: the second answer, made by a device that knew the first, is adopted as
        // recorded; its log row now starts from the moved card.
        let folded = walk(
            CARD,
            &[first.clone(), second.clone()],
            &lower,
            Some(at(&first)),
        )
        .unwrap();
        assert_eq!(folded.schedule, outcome(&second));
        let moved = folded.reviews[1].before.memory.unwrap();
        assert!(moved.stability > outcome(&first).memory.unwrap().stability);
        assert!(folded.reviews[0].settled && !folded.reviews[1].settled);
    }
}
