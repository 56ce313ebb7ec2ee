//! What the learner can do to cards besides answering them: suspend, bury until tomorrow, reset
//! to new and set a due date. Each action on any number of cards is one undo step; cards it would
//! not change are left out of it.

use chrono::{DateTime, Utc};
use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::ids::CardId;
use crate::schedule::{CardState, Schedule};
use crate::settings::{LeechAction, Settings};
use crate::store::cards::{self, CardRow, HIDDEN_BURIED, HIDDEN_SUSPENDED};

use super::undo::Step;

/// The tag a leech's note gets.
pub const LEECH_TAG: &str = "leech";

/// The longest due date the learner may set, in days from today.
pub const MAX_SET_DUE_DAYS: u32 = 36_500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CardAction {
    Suspend,
    Unsuspend,
    /// Hidden until the next day starts.
    Bury,
    /// Back to new: its schedule starts over; its history stays in the review log.
    Reset,
    /// Due `days` from today (0 = today), keeping its memory; for cards already studied.
    SetDue {
        days: u32,
    },
    /// Tags the cards' notes.
    Tag {
        tag: String,
    },
    /// Takes a tag off the cards' notes.
    Untag {
        tag: String,
    },
}

impl CardAction {
    pub fn name(&self) -> &'static str {
        match self {
            CardAction::Suspend => "suspend",
            CardAction::Unsuspend => "unsuspend",
            CardAction::Bury => "bury",
            CardAction::Reset => "reset",
            CardAction::SetDue { .. } => "set_due",
            CardAction::Tag { .. } => "tag",
            CardAction::Untag { .. } => "untag",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ActionReport {
    pub action: String,
    /// Cards the action changed; the others were already that way.
    pub changed: u32,
}

/// Applies `action` to `ids` in the transaction; an unknown card refuses the whole action.
pub(crate) fn apply(
    tx: &Transaction,
    action: CardAction,
    ids: &[CardId],
    today_start: DateTime<Utc>,
    tomorrow: DateTime<Utc>,
) -> Result<u32> {
    if let CardAction::SetDue { days } = action {
        if days > MAX_SET_DUE_DAYS {
            return Err(Error::InvalidInput(format!(
                "a due date {days} days away is too far; choose 0 (today) to {MAX_SET_DUE_DAYS}"
            )));
        }
    }
    match &action {
        CardAction::Tag { tag } => return tag_notes(tx, ids, tag, true),
        CardAction::Untag { tag } => return tag_notes(tx, ids, tag, false),
        _ => {}
    }
    let mut targets = Vec::new();
    let mut new_cards = 0;
    for &id in ids {
        let card = cards::get_card(tx, id)?;
        let applies = match action {
            CardAction::Suspend => card.hidden & HIDDEN_SUSPENDED == 0,
            CardAction::Unsuspend => card.hidden & HIDDEN_SUSPENDED != 0,
            CardAction::Bury => card.hidden & HIDDEN_BURIED == 0,
            CardAction::Reset => card.schedule.state != CardState::New,
            // A new card has no schedule to move: it is left out (and named if it was the only
            // one).
            CardAction::SetDue { .. } if card.schedule.memory.is_none() => {
                new_cards += 1;
                false
            }
            CardAction::SetDue { .. } => true,
            CardAction::Tag { .. } | CardAction::Untag { .. } => {
                unreachable!("tags are handled above")
            }
        };
        if applies {
            targets.push(card);
        }
    }
    if targets.is_empty() && new_cards > 0 {
        let which = match ids {
            [id] => format!("card {id} is new and has"),
            _ => "these cards are new and have".to_owned(),
        };
        return Err(Error::InvalidInput(format!(
            "{which} no schedule to move; study them first, or leave them to come up with the \
             new cards"
        )));
    }
    if targets.is_empty() {
        return Ok(0);
    }
    let single = (targets.len() == 1).then(|| targets[0].id);
    let step = Step::begin(tx, action.name(), single, None)?;
    for card in &targets {
        step.save_card(card)?;
        match action {
            CardAction::Suspend => set_hidden(tx, card.id, card.hidden | HIDDEN_SUSPENDED, None)?,
            CardAction::Unsuspend => set_hidden(
                tx,
                card.id,
                card.hidden & !HIDDEN_SUSPENDED,
                card.buried_until,
            )?,
            CardAction::Bury => bury(tx, card, tomorrow)?,
            CardAction::Reset => cards::write_schedule(tx, card.id, &Schedule::new_card())?,
            CardAction::SetDue { days } => {
                let due = today_start + chrono::Duration::days(i64::from(days));
                let schedule = Schedule {
                    state: CardState::Review,
                    step: 0,
                    due: Some(due),
                    ..card.schedule.clone()
                };
                cards::write_schedule(tx, card.id, &schedule)?;
            }
            CardAction::Tag { .. } | CardAction::Untag { .. } => {
                unreachable!("tags are handled above")
            }
        }
    }
    Ok(targets.len() as u32)
}

/// Tags the notes of `ids` (a tag is one word: letters, digits, `-`, `_`, `:` or `/`), or with
/// `add` false takes the tag off; returns how many of the cards had a note that changed.
fn tag_notes(tx: &Transaction, ids: &[CardId], tag: &str, add: bool) -> Result<u32> {
    let tag = tag.trim();
    let valid = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '/');
    if tag.is_empty() || !tag.chars().all(valid) || tag.chars().count() > 60 {
        return Err(Error::InvalidInput(format!(
            "'{tag}' is not a tag; use one word of letters, digits, -, _, : or / (at most 60)"
        )));
    }
    let cards = ids
        .iter()
        .map(|&id| cards::get_card(tx, id))
        .collect::<Result<Vec<_>>>()?;
    let single = (ids.len() == 1).then(|| ids[0]);
    let step = Step::begin(tx, if add { "tag" } else { "untag" }, single, None)?;
    let mut notes = Vec::new();
    for card in &cards {
        // Saved so undo names the cards; their schedules do not change.
        step.save_card(card)?;
        if !notes.contains(&card.note_id) {
            notes.push(card.note_id);
        }
    }
    let mut newly_tagged = Vec::new();
    for note in notes {
        let changed = if add {
            step.add_tag(note, tag)?
        } else {
            step.remove_tag(note, tag)?
        };
        if changed {
            newly_tagged.push(note);
        }
    }
    Ok(cards
        .iter()
        .filter(|c| newly_tagged.contains(&c.note_id))
        .count() as u32)
}

fn set_hidden(tx: &Transaction, id: CardId, hidden: i64, buried_until: Option<i64>) -> Result<()> {
    tx.prepare_cached("UPDATE cards SET hidden = ?2, buried_until = ?3 WHERE id = ?1")?
        .execute(rusqlite::params![id.0, hidden, buried_until])?;
    Ok(())
}

fn bury(tx: &Transaction, card: &CardRow, until: DateTime<Utc>) -> Result<()> {
    set_hidden(
        tx,
        card.id,
        card.hidden | HIDDEN_BURIED,
        Some(until.timestamp()),
    )
}

/// Buries the other cards of the answered card's note that would come up today (new ones, and
/// reviews due by tomorrow), so a term is not asked both ways on one day. Two statements, as
/// this runs with every answer.
pub(crate) fn bury_siblings(step: &Step, card: &CardRow, tomorrow: DateTime<Utc>) -> Result<usize> {
    step.bury_where(
        "note_id = ?2 AND id != ?3 AND hidden = 0 AND (state = 0 OR (state = 2 AND due < ?4))",
        &[card.note_id.0, card.id.0, tomorrow.timestamp()],
        tomorrow.timestamp(),
    )
}

/// Whether a card that now has `lapses` lapses just became (again) a leech: at the threshold,
/// then every half threshold after it, as Anki counts.
pub fn is_leech(lapses: u32, threshold: u32) -> bool {
    lapses >= threshold && (lapses - threshold) % (threshold / 2).max(1) == 0
}

/// Tags a leech's note and, if the learner chose so, suspends it.
pub(crate) fn mark_leech(
    step: &Step,
    tx: &Transaction,
    card: &CardRow,
    settings: &Settings,
) -> Result<()> {
    step.add_tag(card.note_id, LEECH_TAG)?;
    if settings.leech_action == LeechAction::Suspend {
        set_hidden(
            tx,
            card.id,
            card.hidden | HIDDEN_SUSPENDED,
            card.buried_until,
        )?;
    }
    Ok(())
}

/// Brings back cards whose burial ended at or before `now`. Looks before it writes: most days
/// nothing is buried, and a read takes no write lock.
pub(crate) fn unbury_expired(conn: &rusqlite::Connection, now: DateTime<Utc>) -> Result<usize> {
    // `hidden >= 4` walks the small index on `hidden`: buried cards have bit 4 set.
    const EXPIRED: &str = "hidden >= 4 AND hidden & 4 AND buried_until <= ?1";
    let any: bool = conn
        .prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM cards WHERE {EXPIRED})"
        ))?
        .query_row([now.timestamp()], |r| r.get(0))?;
    if !any {
        return Ok(0);
    }
    Ok(conn
        .prepare_cached(&format!(
            "UPDATE cards SET hidden = hidden & ~4, buried_until = NULL WHERE {EXPIRED}"
        ))?
        .execute([now.timestamp()])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leech_is_marked_at_the_threshold_and_every_half_threshold_after() {
        let marked: Vec<u32> = (0..=20).filter(|&l| is_leech(l, 8)).collect();
        assert_eq!(marked, vec![8, 12, 16, 20]);
        let marked: Vec<u32> = (0..=4).filter(|&l| is_leech(l, 1)).collect();
        assert_eq!(marked, vec![1, 2, 3, 4]);
    }
}
