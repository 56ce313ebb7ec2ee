//! Studying from scripts: `status`, `next`, `answer`, `show`, `undo`, `card …` and `backlog`.

use reprise::{CardId, Collection, Error, Rating, Result};

use super::Now;
use crate::cli::CardCommand;
use crate::print::{outln, plural, print_card, print_json, CliResult};

pub fn status(col: &mut Collection, now: Now, json: bool) -> CliResult<()> {
    let status = col.status(now())?;
    if json {
        print_json(&status)
    } else {
        outln!(
            "New {} · Learning {} · Review {}   ({} cards{})",
            status.new,
            status.learning,
            status.review,
            status.total_cards,
            status
                .next_due
                .map(|d| format!(", next due {d}"))
                .unwrap_or_default()
        )
    }
}

pub fn next(col: &mut Collection, now: Now, json: bool) -> CliResult<()> {
    let card = col.next_card(now())?;
    match (json, card) {
        (true, card) => print_json(&card),
        (false, None) => outln!("Nothing is due now."),
        (false, Some(card)) => print_card(&card),
    }
}

pub fn answer(
    col: &mut Collection,
    now: Now,
    id: CardId,
    rating: Option<String>,
    choose: &[u32],
    duration_ms: u32,
    json: bool,
) -> CliResult<()> {
    let rating = rating.map(|r| r.parse::<Rating>()).transpose()?;
    let outcome = match (choose.is_empty(), rating) {
        (true, Some(rating)) => col.answer(id, rating, now(), duration_ms)?,
        (true, None) => {
            return Err(Error::invalid(
                "rating",
                "give a rating (again, hard, good, easy) or, for a quiz card, \
                 --choose with the options' numbers",
            )
            .into())
        }
        (false, rating) => {
            let chosen = one_based_to_indexes(choose)?;
            col.answer_quiz(id, &chosen, rating, now(), duration_ms)?
        }
    };
    if json {
        print_json(&outcome)
    } else {
        outln!(
            "Card {} answered {}: {} until {}",
            outcome.card_id,
            outcome.rating.as_str(),
            outcome.state.as_str(),
            outcome.due
        )
    }
}

fn one_based_to_indexes(numbers: &[u32]) -> Result<Vec<u32>> {
    numbers
        .iter()
        .map(|&n| {
            n.checked_sub(1).ok_or_else(|| {
                Error::invalid(
                    "choose",
                    "options are numbered from 1; there is no option 0",
                )
            })
        })
        .collect()
}

pub fn show(col: &mut Collection, now: Now, id: CardId, json: bool) -> CliResult<()> {
    let info = col.card_info(id, now())?;
    if json {
        return print_json(&info);
    }
    outln!("Card {} ({})", info.card_id, info.direction)?;
    outln!("  {} → {}", info.prompt, info.answer)?;
    outln!(
        "  {} · reps {} · lapses {} · due {}",
        info.state.as_str(),
        info.reps,
        info.lapses,
        info.due.as_deref().unwrap_or("when introduced")
    )?;
    if let (Some(s), Some(d)) = (info.stability, info.difficulty) {
        outln!("  stability {s:.2} days · difficulty {d:.2}")?;
    }
    for r in &info.reviews {
        outln!(
            "  {} {:<5} {} → {}",
            r.reviewed_at,
            r.rating.as_str(),
            r.state_before.as_str(),
            r.state_after.as_str()
        )?;
    }
    Ok(())
}

pub fn undo(col: &mut Collection, now: Now, json: bool) -> CliResult<()> {
    let undone = col.undo(now())?;
    match (json, undone) {
        (true, undone) => print_json(&undone),
        (false, None) => outln!("Nothing to undo."),
        (false, Some(u)) if u.action == "answer" => outln!(
            "Undid the last answer to card {}.",
            u.card_id.unwrap_or_default()
        ),
        (false, Some(u)) => outln!(
            "Undid {} of {} card{}.",
            u.action.replace('_', " "),
            u.cards,
            plural(u.cards)
        ),
    }
}

pub fn card(col: &mut Collection, now: Now, command: CardCommand) -> CliResult<()> {
    use reprise::study::CardAction;
    let (action, ids) = match command {
        CardCommand::Suspend { card_ids } => (CardAction::Suspend, card_ids),
        CardCommand::Unsuspend { card_ids } => (CardAction::Unsuspend, card_ids),
        CardCommand::Bury { card_ids } => (CardAction::Bury, card_ids),
        CardCommand::Reset { card_ids } => (CardAction::Reset, card_ids),
        CardCommand::SetDue { days, card_ids } => (CardAction::SetDue { days }, card_ids),
        CardCommand::Tag { tag, card_ids } => (CardAction::Tag { tag }, card_ids),
        CardCommand::Untag { tag, card_ids } => (CardAction::Untag { tag }, card_ids),
    };
    let ids: Vec<CardId> = ids.into_iter().map(CardId).collect();
    let report = col.card_action(action, &ids, now())?;
    outln!(
        "{}: {} of {} card{} changed (`reprise undo` takes it back).",
        report.action.replace('_', " "),
        report.changed,
        ids.len(),
        plural(ids.len() as u32)
    )
}

pub fn backlog(col: &mut Collection, now: Now, spread: Option<u32>, json: bool) -> CliResult<()> {
    match spread {
        Some(days) => {
            let spread = col.spread_backlog(days, now())?;
            if json {
                print_json(&spread)
            } else {
                outln!(
                    "Spread {} overdue card{} over {} day{}, lowest retrievability first; \
                     new cards wait until {}.",
                    spread.cards,
                    plural(spread.cards),
                    spread.days,
                    plural(spread.days),
                    spread.new_paused_until.unwrap_or_default()
                )
            }
        }
        None => {
            let backlog = col.backlog(now())?;
            if json {
                return print_json(&backlog);
            }
            outln!("{} overdue review cards.", backlog.overdue)?;
            if let Some(until) = backlog.new_paused_until {
                outln!("New cards are paused until {until}.")?;
            }
            Ok(())
        }
    }
}
