//! Writing and editing notes: `add`, `edit`, `note` and `delete`.

use reprise::content::flash::TextFormat;
use reprise::content::Level;
use reprise::notes::{BasicDraft, ClozeDraft, NoteDraft, TermDraft};
use reprise::{Collection, Error, NoteId};

use super::Now;
use crate::cli::AddCommand;
use crate::print::{outln, print_json, CliResult};

pub fn add(col: &mut Collection, now: Now, what: AddCommand) -> CliResult<()> {
    let (draft, common) = match what {
        AddCommand::Term {
            name,
            definition,
            explanation,
            aliases,
            area,
            level,
            see_also,
            common,
        } => (
            NoteDraft::Term(TermDraft {
                name,
                aliases,
                definition,
                explanation,
                area,
                level: serde_json::from_value::<Level>(level.into()).expect("checked by clap"),
                see_also,
                tags: common.tags.clone(),
            }),
            common,
        ),
        AddCommand::Basic {
            front,
            back,
            reverse,
            common,
        } => (
            NoteDraft::Basic(BasicDraft {
                front,
                back,
                reverse,
                tags: common.tags.clone(),
                format: TextFormat::Markdown,
            }),
            common,
        ),
        AddCommand::Cloze {
            text,
            extra,
            common,
        } => (
            NoteDraft::Cloze(ClozeDraft {
                text,
                extra,
                tags: common.tags.clone(),
                format: TextFormat::Markdown,
            }),
            common,
        ),
    };
    let added = col.add_note(common.pack.as_deref(), draft, now())?;
    if common.json {
        return print_json(&added);
    }
    let cards: Vec<String> = added.card_ids.iter().map(|c| c.to_string()).collect();
    outln!(
        "Added note {} to {} with {} card{}: {}",
        added.note_id.0,
        added.pack.as_str(),
        cards.len(),
        if cards.len() == 1 { "" } else { "s" },
        cards.join(", ")
    )
}

pub fn edit(
    col: &mut Collection,
    now: Now,
    id: NoteId,
    fields: &[String],
    json: bool,
) -> CliResult<()> {
    let mut pairs = Vec::with_capacity(fields.len());
    for field in fields {
        let Some((name, value)) = field.split_once('=') else {
            return Err(Error::invalid(
                field.as_str(),
                format!("'{field}' is not FIELD=VALUE; e.g. definition='A new definition'"),
            )
            .into());
        };
        pairs.push((name.trim().to_owned(), value.to_owned()));
    }
    let edited = col.edit_note_fields(id, &pairs, now())?;
    if json {
        return print_json(&edited);
    }
    outln!("Edited note {}.", id.0)?;
    if !edited.added.is_empty() {
        outln!("New cards: {}", ids(&edited.added))?;
    }
    if !edited.retired.is_empty() {
        outln!(
            "Retired cards (their history is kept): {}",
            ids(&edited.retired)
        )?;
    }
    Ok(())
}

fn ids(cards: &[reprise::CardId]) -> String {
    cards
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn show(col: &mut Collection, id: NoteId, json: bool) -> CliResult<()> {
    let view = col.note(id)?;
    if json {
        return print_json(&view);
    }
    outln!(
        "Note {} — a {} note in {} ({})",
        id.0,
        view.draft.kind_name(),
        view.pack_name,
        view.pack.as_str()
    )?;
    let fields = serde_json::to_value(&view.draft).expect("drafts serialize");
    let pack = view
        .pack_draft
        .as_ref()
        .map(|d| serde_json::to_value(d).expect("drafts serialize"));
    for (name, value) in fields.as_object().into_iter().flatten() {
        if name == "kind" {
            continue;
        }
        outln!("{name}: {}", text(value))?;
        if view.edited.contains(name) {
            let theirs = pack.as_ref().map(|p| text(&p[name])).unwrap_or_default();
            outln!("  (yours; the pack has: {theirs})")?;
        }
    }
    outln!("cards: {}", ids(&view.card_ids))
}

fn text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

pub fn delete(col: &mut Collection, now: Now, id: NoteId, json: bool) -> CliResult<()> {
    let cards = col.delete_note(id, now())?;
    if json {
        return print_json(&serde_json::json!({ "note_id": id.0, "cards": cards }));
    }
    outln!(
        "Deleted note {}: {cards} card{} left study; their reviews stay. `reprise undo` brings it back.",
        id.0,
        if cards == 1 { "" } else { "s" }
    )
}
