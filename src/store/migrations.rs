//! Numbered schema migrations. `PRAGMA user_version` records the last one applied; each runs in
//! its own transaction, so a crash mid-upgrade leaves the previous version intact.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::Result;

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_lessons_and_search.sql"),
    include_str!("migrations/0003_learn_then_review.sql"),
    include_str!("migrations/0004_pack_manifest.sql"),
    include_str!("migrations/0005_hidden_cards.sql"),
    include_str!("migrations/0006_card_actions.sql"),
    include_str!("migrations/0007_stats_and_browse.sql"),
    include_str!("migrations/0008_untag.sql"),
    include_str!("migrations/0009_instants_in_milliseconds.sql"),
    include_str!("migrations/0010_sync.sql"),
    include_str!("migrations/0011_sync_reschedule.sql"),
    include_str!("migrations/0012_sync_packs.sql"),
    include_str!("migrations/0013_authoring.sql"),
    include_str!("migrations/0014_contentless_card_search.sql"),
    include_str!("migrations/0015_statistics_summaries.sql"),
    include_str!("migrations/0016_partial_hidden_index.sql"),
    include_str!("migrations/0017_narrow_revlog_time.sql"),
    include_str!("migrations/0018_cards_queue_check.sql"),
    include_str!("migrations/0019_card_search_without_positions.sql"),
    include_str!("migrations/0020_card_search_rows.sql"),
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn apply(conn: &mut Connection, from: i64, application_id: i64) -> Result<()> {
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let version = index as i64 + 1;
        // IMMEDIATE: another program opening the same file waits here for this step, then
        // finds it done instead of running it twice.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let applied: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if applied >= version {
            continue;
        }
        tx.execute_batch(sql)?;
        after(&tx, version)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.pragma_update(None, "application_id", application_id)?;
        tx.commit()?;
    }
    Ok(())
}

/// What a migration does after its SQL, in Rust, by the version it brings.
fn after(conn: &Connection, version: i64) -> Result<()> {
    match version {
        15 => super::review_quarters::refill(conn),
        _ => Ok(()),
    }
}
