//! What a card shows: the prompt, the answer and the details revealed with it, from its note.

use crate::content::Term;
use crate::error::{Error, Result};
use crate::store::NoteRow;

pub(crate) struct Face {
    pub prompt: String,
    pub answer: String,
    pub detail: String,
}

pub(crate) fn face(note: &NoteRow, template: &str) -> Result<Face> {
    let broken =
        |why: String| Error::InvalidInput(format!("note {} cannot be shown: {why}", note.id.0));
    if note.kind != "term" {
        return Err(broken(format!("unknown note kind '{}'", note.kind)));
    }
    let term: Term = serde_json::from_str(&note.fields).map_err(|e| broken(e.to_string()))?;
    let name = if term.aliases.is_empty() {
        term.name.clone()
    } else {
        format!("{} ({})", term.name, term.aliases.join(", "))
    };
    Ok(match template {
        "forward" => Face {
            prompt: name,
            answer: term.definition,
            detail: term.explanation,
        },
        "reverse" => Face {
            prompt: term.definition,
            answer: name,
            detail: term.explanation,
        },
        other => return Err(broken(format!("unknown template '{other}'"))),
    })
}
