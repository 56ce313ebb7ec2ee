//! Finding and summing up: `search`, `browse` and `stats`.

use reprise::browse::BrowseQuery;
use reprise::{CardId, Collection};

use super::Now;
use crate::print::{outln, print_json, print_stats, CliResult};

pub fn search(col: &mut Collection, text: &str, limit: u32, json: bool) -> CliResult<()> {
    let hits = col.search(text, limit)?;
    if json {
        print_json(&hits)?;
    } else if hits.is_empty() {
        outln!("Nothing matches '{text}'.")?;
    } else {
        for hit in hits {
            outln!(
                "{:<6} {:<28} {}",
                hit.kind,
                hit.title,
                // A snippet's line breaks are only where it was cut from.
                hit.snippet.lines().collect::<Vec<_>>().join(" ")
            )?;
        }
    }
    Ok(())
}

pub fn browse(
    col: &mut Collection,
    now: Now,
    query: &BrowseQuery,
    limit: usize,
    json: bool,
) -> CliResult<()> {
    let ids = col.browse(query, now())?;
    let shown: Vec<CardId> = ids.iter().copied().take(limit.min(1000)).collect();
    let rows = col.browse_rows(&shown, now())?;
    if json {
        return print_json(&serde_json::json!({ "total": ids.len(), "rows": rows }));
    }
    for r in &rows {
        outln!(
            "{:>17}  {:<10}  {}  →  {}",
            r.card_id,
            r.state.as_str(),
            r.prompt.chars().take(50).collect::<String>(),
            r.answer.chars().take(40).collect::<String>()
        )?;
    }
    outln!("{} of {} cards", rows.len(), ids.len())
}

pub fn stats(col: &mut Collection, now: Now, json: bool) -> CliResult<()> {
    let stats = col.stats(now())?;
    if json {
        print_json(&stats)
    } else {
        print_stats(&stats)
    }
}
