//! Numbered schema migrations. `PRAGMA user_version` records the last one applied; each runs in
//! its own transaction, so a crash mid-upgrade leaves the previous version intact.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use crate::error::{Error, Result};

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
    include_str!("migrations/0021_ids_keep_notes_and_cards_unique.sql"),
    include_str!("migrations/0022_answers_today_from_the_summary.sql"),
    include_str!("migrations/0023_lean_queue_indexes.sql"),
    include_str!("migrations/0024_packed_note_fields.sql"),
    include_str!("migrations/0025_tag_dictionary.sql"),
    include_str!("migrations/0026_facet_numbers.sql"),
    include_str!("migrations/0027_random_order_index_when_chosen.sql"),
    include_str!("migrations/0028_facets_in_cards.sql"),
    include_str!("migrations/0029_sync_events_by_arrival.sql"),
    include_str!("migrations/0030_revlog_memory_as_f32.sql"),
    include_str!("migrations/0031_indexes_that_pay.sql"),
    include_str!("migrations/0032_revlog_by_card.sql"),
];

/// The migrations that build a parent table again (versions): they run with foreign keys off,
/// since dropping the old table would delete its children through `ON DELETE CASCADE`, and
/// check every foreign key before they commit.
const REBUILD_PARENTS: &[i64] = &[21, 24];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn apply(conn: &mut Connection, from: i64, application_id: i64) -> Result<()> {
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let version = index as i64 + 1;
        // IMMEDIATE: another program opening the same file waits here for this step, then
        // finds it done instead of running it twice.
        let rebuilds = REBUILD_PARENTS.contains(&version);
        if rebuilds {
            // Takes effect outside a transaction only.
            conn.pragma_update(None, "foreign_keys", false)?;
        }
        let applied = apply_one(conn, sql, version, application_id, rebuilds);
        if rebuilds {
            conn.pragma_update(None, "foreign_keys", true)?;
        }
        applied?;
    }
    Ok(())
}

fn apply_one(
    conn: &mut Connection,
    sql: &str,
    version: i64,
    application_id: i64,
    check_foreign_keys: bool,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let applied: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if applied >= version {
        return Ok(());
    }
    tx.execute_batch(sql)?;
    if check_foreign_keys {
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if let Some(table) = broken {
            return Err(Error::Corrupt {
                what: format!(
                    "upgrading to schema {version} found a row of `{table}` whose parent row \
                     is missing (nothing was changed)"
                ),
            });
        }
    }
    after(&tx, version)?;
    tx.pragma_update(None, "user_version", version)?;
    tx.pragma_update(None, "application_id", application_id)?;
    tx.commit()?;
    Ok(())
}

/// What a migration does after its SQL, in Rust, by the version it brings.
fn after(conn: &Connection, version: i64) -> Result<()> {
    match version {
        // The summary of the log (15) is filled once it has all its columns (22): a file from
        // before 15 goes through both, and one that stopped between them resumes there.
        22 => super::review_quarters::fill_if_missing(conn),
        // 28 builds `cards` again, without the random order's index.
        27 | 28 => {
            let order = super::read_settings(conn)?.new_card_order;
            super::queue::fit_new_card_indexes(conn, order)
        }
        _ => Ok(()),
    }
}
