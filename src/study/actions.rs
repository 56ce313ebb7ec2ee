//! What the learner can do to cards besides answering them: suspend, bury until tomorrow, reset
//! to new and set a due date. Each action on any number of cards is one undo step; cards it would
//! not change are left out of it.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::collection::{Changes, Tx};
use crate::error::{Error, Result};
use crate::ids::CardId;
use crate::schedule::{CardState, Schedule};
use crate::settings::{LeechAction, Settings};
use crate::store::cards::{self, CardRow};
use crate::store::{sql, tags, Hidden};

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
    tx: &mut Tx,
    action: CardAction,
    ids: &[CardId],
    today_start: DateTime<Utc>,
    tomorrow: DateTime<Utc>,
) -> Result<u32> {
    if let CardAction::SetDue { days } = action {
        if days > MAX_SET_DUE_DAYS {
            return Err(Error::invalid(
                "days",
                format!(
                "a due date {days} days away is too far; choose 0 (today) to {MAX_SET_DUE_DAYS}"
            ),
            ));
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
            CardAction::Suspend => !card.hidden.has(Hidden::SUSPENDED),
            CardAction::Unsuspend => card.hidden.has(Hidden::SUSPENDED),
            CardAction::Bury => !card.hidden.has(Hidden::BURIED),
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
        return Err(Error::not_studiable(format!(
            "{which} no schedule to move; study them first, or leave them to come up with the \
             new cards"
        )));
    }
    if targets.is_empty() {
        return Ok(0);
    }
    if let [card] = targets.as_slice() {
        tx.about(card.id);
    }
    for card in &targets {
        match action {
            CardAction::Suspend => {
                tx.set_hidden(card, card.hidden.with(Hidden::SUSPENDED), None)?
            }
            CardAction::Unsuspend => tx.set_hidden(
                card,
                card.hidden.without(Hidden::SUSPENDED),
                card.buried_until,
            )?,
            CardAction::Bury => tx.set_hidden(
                card,
                card.hidden.with(Hidden::BURIED),
                Some(tomorrow.timestamp_millis()),
            )?,
            CardAction::Reset => tx.write_schedule(card, &Schedule::new_card())?,
            CardAction::SetDue { days } => {
                let due = today_start + chrono::Duration::days(i64::from(days));
                let schedule = Schedule {
                    state: CardState::Review,
                    step: 0,
                    due: Some(due),
                    ..card.schedule.clone()
                };
                tx.write_schedule(card, &schedule)?;
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
fn tag_notes(tx: &mut Tx, ids: &[CardId], tag: &str, add: bool) -> Result<u32> {
    let tag = tags::parse(tag)?;
    let cards = ids
        .iter()
        .map(|&id| cards::get_card(tx, id))
        .collect::<Result<Vec<_>>>()?;
    if let [id] = ids {
        tx.about(*id);
    }
    let mut notes = Vec::new();
    for card in &cards {
        // Kept so undo names the cards; their schedules do not change.
        tx.keep(card)?;
        if !notes.contains(&card.note_id) {
            notes.push(card.note_id);
        }
    }
    let mut newly_tagged = Vec::new();
    for note in notes {
        let changed = if add {
            tx.add_tag(note, tag)?
        } else {
            tx.remove_tag(note, tag)?
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

/// Buries the other cards of the answered card's note that would come up today (new ones, and
/// reviews due by tomorrow), so a term is not asked both ways on one day. Two statements, as
/// this runs with every answer.
pub(crate) fn bury_siblings(tx: &mut Tx, card: &CardRow, tomorrow: DateTime<Utc>) -> Result<usize> {
    // Built once: this runs with every answer.
    static SIBLINGS: LazyLock<String> = LazyLock::new(|| {
        format!(
            "note_id = ?2 AND id != ?3 AND {} AND ({} OR ({} AND due < ?4))",
            sql::VISIBLE,
            sql::IS_NEW,
            sql::IS_REVIEW
        )
    });
    tx.bury_where(
        &SIBLINGS,
        &[card.note_id.0, card.id.0, tomorrow.timestamp_millis()],
        tomorrow.timestamp_millis(),
    )
}

/// Whether a card that now has `lapses` lapses just became (again) a leech: at the threshold,
/// then every half threshold after it, as Anki counts.
pub fn is_leech(lapses: u32, threshold: u32) -> bool {
    lapses >= threshold && (lapses - threshold).is_multiple_of((threshold / 2).max(1))
}

/// Tags a leech's note and, if the learner chose so, suspends it.
pub(crate) fn mark_leech(tx: &mut Tx, card: &CardRow, settings: &Settings) -> Result<()> {
    tx.add_tag(card.note_id, LEECH_TAG)?;
    if settings.leech_action == LeechAction::Suspend {
        tx.set_hidden(card, card.hidden.with(Hidden::SUSPENDED), card.buried_until)?;
    }
    Ok(())
}

/// Whether any card's burial ended at or before `now`. Most days nothing is buried, and a read
/// takes no write lock, so the day's first look costs no transaction.
pub(crate) fn any_burial_over(conn: &rusqlite::Connection, now: DateTime<Utc>) -> Result<bool> {
    cards::any_burial_over(conn, now)
}

/// Brings back cards whose burial ended at or before `now`.
pub(crate) fn unbury_expired(tx: &mut Tx, now: DateTime<Utc>) -> Result<usize> {
    cards::unbury_until(tx.raw(Changes::CARDS), now)
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
