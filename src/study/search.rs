//! Search as you type across terms and lessons, with SQLite FTS5. The learner's text is never
//! passed to FTS5 as query syntax: it is split into words, and each becomes a quoted prefix, so
//! any input is a valid query.

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::ids::PackId;
use crate::store;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchHit {
    #[ts(type = "\"term\" | \"lesson\"")]
    pub kind: String,
    /// The pack holding it, and its id inside the pack.
    pub pack: PackId,
    pub key: String,
    pub title: String,
    /// A short excerpt around the match, plain text.
    pub snippet: String,
}

/// The words of free text: what is left between runs of anything but letters and digits.
pub(crate) fn query_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Turns free text into an FTS5 query: every word must match, as a prefix.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = query_words(text)
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// At most `limit` hits, best first; a match in the title counts ten times one in the body.
pub(crate) fn search(conn: &Connection, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let Some(query) = fts_query(text) else {
        return Ok(Vec::new());
    };
    store::search_index::search(conn, &query, limit)
}

/// What search as you type matches of a term: its name and aliases, and its definition and
/// explanation as plain text.
pub(crate) fn term_entry(term: &crate::content::Term) -> (String, String) {
    let title = std::iter::once(term.name.as_str())
        .chain(term.aliases.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    let body = format!(
        "{}\n\n{}",
        term.definition,
        crate::content::render::markdown_to_text(&term.explanation)
    );
    (title, body)
}

/// Puts note `note` in search as it is now: a live term by its text, a deleted one not at all.
pub(crate) fn index_note(conn: &Connection, note: crate::ids::NoteId) -> Result<()> {
    use store::notes;
    let (record, live) = match notes::get(conn, note)? {
        Some(record) => (record, true),
        None => match notes::get_deleted(conn, note)? {
            Some((record, _)) => (record, false),
            None => return Ok(()),
        },
    };
    if record.kind != "term" {
        return Ok(());
    }
    store::search_index::remove_entry(conn, "term", &record.pack_id, &record.key)?;
    let term: crate::content::Term = match serde_json::from_str(&record.fields) {
        Ok(term) if live => term,
        _ => return Ok(()),
    };
    let (title, body) = term_entry(&term);
    let mut batch = store::Batch::new(conn);
    store::search_index::add_entry(
        &mut batch,
        "term",
        &record.key,
        &record.pack_id,
        &term.name,
        &title,
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn any_text_becomes_a_safe_prefix_query() {
        assert_eq!(fts_query("Kube sched"), Some("\"Kube\"* \"sched\"*".into()));
        assert_eq!(
            fts_query("\"(* NEAR OR -"),
            Some("\"NEAR\"* \"OR\"*".into())
        );
        assert_eq!(fts_query("  ?! "), None);
    }
}
