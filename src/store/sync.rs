//! The sync tables: state, events, what each card folds to, segments read, registers, devices.

use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

use crate::store::cards::{row_to_card, CardRow, CARD_COLUMNS};
use crate::store::encoding::F32Bits;

use crate::error::Result;
use crate::schedule::{CardState, Memory, Rating};

// ---- state ----

pub fn state(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub fn set_state(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

pub fn clear_state(conn: &Connection, key: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_state WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}

// ---- events ----

/// An event as stored.
pub struct StoredEvent {
    pub id: Uuid,
    pub hlc: u64,
    pub body: Vec<u8>,
}

/// Inserts an event unless one with its id is known; true if it was new.
#[allow(clippy::too_many_arguments)]
pub fn insert_event(
    conn: &Connection,
    id: Uuid,
    device: Uuid,
    seq: Option<i64>,
    hlc: u64,
    kind: &str,
    card: Option<i64>,
    at: i64,
    body: &[u8],
) -> Result<bool> {
    let inserted = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO sync_events (id, device, seq, hlc, kind, card_id, at, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(rusqlite::params![
            id.as_bytes().as_slice(),
            device.as_bytes().as_slice(),
            seq,
            hlc as i64,
            kind,
            card,
            at,
            body
        ])?;
    Ok(inserted > 0)
}

/// Whether the event is known, and if so the segment that carried it (`None`: ours, not
/// written out yet).
pub fn event_seq(conn: &Connection, id: Uuid) -> Result<Option<Option<i64>>> {
    Ok(conn
        .prepare_cached("SELECT seq FROM sync_events WHERE id = ?1")?
        .query_row([id.as_bytes().as_slice()], |r| r.get(0))
        .optional()?)
}

/// Sets the segment of an event of ours not written out yet (found in a segment already
/// written: a write-out that crashed before it was recorded).
pub fn set_seq_if_unset(conn: &Connection, id: Uuid, seq: i64) -> Result<()> {
    conn.prepare_cached("UPDATE sync_events SET seq = ?2 WHERE id = ?1 AND seq IS NULL")?
        .execute(rusqlite::params![id.as_bytes().as_slice(), seq])?;
    Ok(())
}

pub fn delete_event(conn: &Connection, id: Uuid) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_events WHERE id = ?1")?
        .execute([id.as_bytes().as_slice()])?;
    Ok(())
}

/// Gives one of our events not written out yet a new author (and its bytes).
pub fn rewrite_event(conn: &Connection, id: Uuid, device: Uuid, body: &[u8]) -> Result<()> {
    conn.prepare_cached(
        "UPDATE sync_events SET device = ?2, body = ?3 WHERE id = ?1 AND seq IS NULL",
    )?
    .execute(rusqlite::params![
        id.as_bytes().as_slice(),
        device.as_bytes().as_slice(),
        body
    ])?;
    Ok(())
}

/// Whether any answer of the card was taken back (its retraction stored).
pub fn has_retraction(conn: &Connection, card: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM sync_events WHERE card_id = ?1 AND kind = 'retract' LIMIT 1",
        )?
        .query_row([card], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The time of the card's latest event (Unix milliseconds), if it has any.
pub fn last_card_event_at(conn: &Connection, card: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT max(at) FROM sync_events WHERE card_id = ?1")?
        .query_row([card], |r| r.get(0))?)
}

/// The card's last answer or set schedule in fold order.
pub fn last_card_event(conn: &Connection, card: i64) -> Result<Option<Uuid>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM sync_events WHERE card_id = ?1 AND kind IN ('review', 'card_set')
             ORDER BY at DESC, hlc DESC, id DESC LIMIT 1",
        )?
        .query_row([card], |r| r.get::<_, Vec<u8>>(0))
        .optional()?
        .map(|id| Uuid::from_slice(&id).unwrap_or_default()))
}

/// The body of the last `reschedule` event in fold order, if any.
pub fn latest_reschedule(conn: &Connection) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached(
            "SELECT body FROM sync_events WHERE kind = 'reschedule'
             ORDER BY at DESC, hlc DESC, id DESC LIMIT 1",
        )?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// Where event `id` stands in fold order: its time, clock and id.
pub fn event_key(conn: &Connection, id: Uuid) -> Result<Option<(i64, u64, Uuid)>> {
    Ok(conn
        .prepare_cached("SELECT at, hlc FROM sync_events WHERE id = ?1")?
        .query_row([id.as_bytes().as_slice()], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, id))
        })
        .optional()?)
}

/// Marks our events up to clock value `hlc` not written out yet as carried by segment `seq`:
/// the outbox is taken oldest first, and later events have later clock values.
pub fn set_seq_up_to(conn: &Connection, hlc: u64, seq: i64) -> Result<usize> {
    Ok(conn
        .prepare_cached("UPDATE sync_events SET seq = ?2 WHERE seq IS NULL AND hlc <= ?1")?
        .execute(rusqlite::params![hlc as i64, seq])?)
}

/// A card's events (answers, set schedules, retractions) in fold order.
pub fn card_events(conn: &Connection, card: i64) -> Result<Vec<StoredEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, hlc, body FROM sync_events WHERE card_id = ?1 ORDER BY at, hlc, id",
    )?;
    let rows = stmt.query_map([card], stored_event)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every card's events in fold order, a card at a time, in one pass.
pub fn each_card_events(
    conn: &Connection,
    mut each: impl FnMut(i64, Vec<StoredEvent>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT card_id, id, hlc, body FROM sync_events WHERE card_id IS NOT NULL
         ORDER BY card_id, at, hlc, id",
    )?;
    let mut rows = stmt.query([])?;
    let mut card = None;
    let mut events = Vec::new();
    while let Some(row) = rows.next()? {
        let this: i64 = row.get(0)?;
        if card.is_some_and(|c| c != this) {
            each(card.expect("a card"), std::mem::take(&mut events))?;
        }
        card = Some(this);
        let id: Vec<u8> = row.get(1)?;
        events.push(StoredEvent {
            id: Uuid::from_slice(&id).unwrap_or_default(),
            hlc: row.get::<_, i64>(2)? as u64,
            body: row.get(3)?,
        });
    }
    if let Some(card) = card {
        each(card, events)?;
    }
    Ok(())
}

/// Reads `id, hlc, body`.
fn stored_event(r: &rusqlite::Row) -> rusqlite::Result<StoredEvent> {
    let id: Vec<u8> = r.get(0)?;
    Ok(StoredEvent {
        id: Uuid::from_slice(&id).unwrap_or_default(),
        hlc: r.get::<_, i64>(1)? as u64,
        body: r.get(2)?,
    })
}

/// Every card that has events.
pub fn cards_with_events(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare("SELECT DISTINCT card_id FROM sync_events WHERE card_id IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The cards with an event after `(at, hlc, id)` in fold order.
pub fn cards_with_events_after(conn: &Connection, key: (i64, u64, Uuid)) -> Result<Vec<i64>> {
    Ok(conn
        .prepare(
            "SELECT DISTINCT card_id FROM sync_events
             WHERE card_id IS NOT NULL AND (at, hlc, id) > (?1, ?2, ?3)",
        )?
        .query_map(
            rusqlite::params![key.0, key.1 as i64, key.2.as_bytes().as_slice()],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?)
}

/// The folded cards not installed here.
pub fn folded_not_installed(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare("SELECT card_id FROM sync_cards WHERE card_id NOT IN (SELECT id FROM cards)")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every folded card installed here: its fold's head and schedule (JSON), and the card.
pub fn each_folded_card(
    conn: &Connection,
    mut each: impl FnMut(Uuid, &str, CardRow) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {CARD_COLUMNS}, s.head, s.schedule FROM sync_cards s JOIN cards c ON c.id = s.card_id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let head: Vec<u8> = row.get(14)?;
        let schedule: String = row.get(15)?;
        each(
            Uuid::from_slice(&head).unwrap_or_default(),
            &schedule,
            row_to_card(row)?,
        )?;
    }
    Ok(())
}

/// How many cards have events.
pub fn cards_with_events_count(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(DISTINCT card_id) FROM sync_events WHERE card_id IS NOT NULL",
        [],
        |r| r.get(0),
    )?)
}

/// Up to `limit` of our events not written out yet, oldest first.
pub fn outbox(conn: &Connection, limit: usize) -> Result<Vec<StoredEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, hlc, body FROM sync_events WHERE seq IS NULL ORDER BY hlc, id LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], stored_event)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn outbox_len(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM sync_events WHERE seq IS NULL",
        [],
        |r| r.get(0),
    )?)
}

// ---- what each card folds to ----

/// The card's last live event and the schedule its events leave (JSON).
pub fn folded(conn: &Connection, card: i64) -> Result<Option<(Uuid, String)>> {
    Ok(conn
        .prepare_cached("SELECT head, schedule FROM sync_cards WHERE card_id = ?1")?
        .query_row([card], |r| {
            let head: Vec<u8> = r.get(0)?;
            Ok((Uuid::from_slice(&head).unwrap_or_default(), r.get(1)?))
        })
        .optional()?)
}

pub fn set_folded(conn: &Connection, card: i64, head: Uuid, schedule: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_cards (card_id, head, schedule) VALUES (?1, ?2, ?3)
         ON CONFLICT (card_id) DO UPDATE SET head = excluded.head, schedule = excluded.schedule",
    )?
    .execute(rusqlite::params![
        card,
        head.as_bytes().as_slice(),
        schedule
    ])?;
    Ok(())
}

pub fn clear_folded(conn: &Connection, card: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_cards WHERE card_id = ?1")?
        .execute([card])?;
    Ok(())
}

// ---- segments ----

pub fn record_segment(
    conn: &Connection,
    device: Uuid,
    name: &str,
    seq: i64,
    hash: &[u8],
    events: usize,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO sync_segments (device, name, seq, hash, events)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(rusqlite::params![
        device.as_bytes().as_slice(),
        name,
        seq,
        hash,
        events as i64
    ])?;
    Ok(())
}

/// Every segment file read (or written) already, by device and name.
pub fn segments_known(conn: &Connection) -> Result<Vec<(Uuid, String)>> {
    Ok(conn
        .prepare("SELECT device, name FROM sync_segments")?
        .query_map([], |r| {
            let device: Vec<u8> = r.get(0)?;
            Ok((Uuid::from_slice(&device).unwrap_or_default(), r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The highest segment number known of `device`.
pub fn last_seq(conn: &Connection, device: Uuid) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(seq), 0) FROM sync_segments WHERE device = ?1",
        [device.as_bytes().as_slice()],
        |r| r.get(0),
    )?)
}

// ---- registers ----

/// A register's value (JSON), and the clock and device of the write that set it.
pub struct RegisterValue {
    pub value: String,
    pub hlc: u64,
    pub device: Uuid,
}

pub fn register(conn: &Connection, scope: &str, key: &str) -> Result<Option<RegisterValue>> {
    Ok(conn
        .prepare_cached(
            "SELECT value, hlc, device FROM sync_registers WHERE scope = ?1 AND key = ?2",
        )?
        .query_row([scope, key], |r| {
            let device: Vec<u8> = r.get(2)?;
            Ok(RegisterValue {
                value: r.get(0)?,
                hlc: r.get::<_, i64>(1)? as u64,
                device: Uuid::from_slice(&device).unwrap_or_default(),
            })
        })
        .optional()?)
}

pub fn set_register(conn: &Connection, scope: &str, key: &str, v: &RegisterValue) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_registers (scope, key, value, hlc, device) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (scope, key) DO UPDATE SET
           value = excluded.value, hlc = excluded.hlc, device = excluded.device",
    )?
    .execute(rusqlite::params![
        scope,
        key,
        v.value,
        v.hlc as i64,
        v.device.as_bytes().as_slice()
    ])?;
    Ok(())
}

/// The keys of the registers of `scope` that start with `prefix`, with their values.
pub fn registers_with_prefix(
    conn: &Connection,
    scope: &str,
    prefix: &str,
) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT key, value FROM sync_registers
             WHERE scope = ?1 AND substr(key, 1, length(?2)) = ?2",
        )?
        .query_map([scope, prefix], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

// ---- devices ----

pub struct DeviceRow {
    pub id: Uuid,
    pub name: String,
    pub version: String,
    pub last_seen: i64,
}

pub fn set_device(conn: &Connection, d: &DeviceRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_devices (id, name, version, last_seen) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version,
           last_seen = max(last_seen, excluded.last_seen)",
    )?
    .execute(rusqlite::params![
        d.id.as_bytes().as_slice(),
        d.name,
        d.version,
        d.last_seen
    ])?;
    Ok(())
}

pub fn devices(conn: &Connection) -> Result<Vec<DeviceRow>> {
    Ok(conn
        .prepare("SELECT id, name, version, last_seen FROM sync_devices ORDER BY name, id")?
        .query_map([], |r| {
            let id: Vec<u8> = r.get(0)?;
            Ok(DeviceRow {
                id: Uuid::from_slice(&id).unwrap_or_default(),
                name: r.get(1)?,
                version: r.get(2)?,
                last_seen: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

// ---- the review log, as sync reads it ----

/// A logged answer, as events carry it.
pub struct LoggedReview {
    pub uuid: Uuid,
    pub card: i64,
    /// Unix milliseconds.
    pub at: i64,
    pub rating: Rating,
    pub duration_ms: u32,
    pub state_after: Option<CardState>,
    pub memory_after: Memory,
    pub interval_days: f64,
    /// What the answer found (a new card: the first answer, or the first after a reset).
    pub state_before: Option<CardState>,
}

const LOGGED_COLUMNS: &str = "uuid, card_id, reviewed_at, rating, duration_ms, state_after, \
                              stability_after, difficulty_after, interval_days, state_before";

fn logged_review(r: &rusqlite::Row) -> rusqlite::Result<LoggedReview> {
    let uuid: Vec<u8> = r.get(0)?;
    let rating: i64 = r.get(3)?;
    Ok(LoggedReview {
        uuid: Uuid::from_slice(&uuid).unwrap_or_default(),
        card: r.get(1)?,
        at: r.get(2)?,
        rating: Rating::from_number(rating)
            .ok_or(rusqlite::Error::IntegralValueOutOfRange(3, rating))?,
        duration_ms: r.get(4)?,
        state_after: CardState::from_i64(r.get(5)?),
        memory_after: Memory {
            stability: r.get::<_, F32Bits>(6)?.0,
            difficulty: r.get::<_, F32Bits>(7)?.0,
        },
        interval_days: r.get(8)?,
        state_before: CardState::from_i64(r.get(9)?),
    })
}

/// A logged answer by its card and id.
pub fn review_by_id(conn: &Connection, answer: super::AnswerId) -> Result<LoggedReview> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {LOGGED_COLUMNS} FROM revlog WHERE {}",
            super::AnswerId::WHERE
        ))?
        .query_row(answer.params(), logged_review)?)
}

/// The ids of a card's logged answers.
pub fn review_ids(conn: &Connection, card: i64) -> Result<Vec<Uuid>> {
    Ok(conn
        .prepare_cached("SELECT uuid FROM revlog WHERE card_id = ?1")?
        .query_map([card], |r| {
            let uuid: Vec<u8> = r.get(0)?;
            Ok(Uuid::from_slice(&uuid).unwrap_or_default())
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every logged answer not yet an event, a card's together and oldest first.
pub fn reviews_without_events(conn: &Connection) -> Result<Vec<LoggedReview>> {
    Ok(conn
        .prepare(&format!(
            "SELECT {LOGGED_COLUMNS} FROM revlog r
             WHERE NOT EXISTS (SELECT 1 FROM sync_events e WHERE e.id = r.uuid)
             ORDER BY card_id, reviewed_at, uuid"
        ))?
        .query_map([], logged_review)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Cards the learner suspended.
pub fn suspended_cards(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare(&format!(
            "SELECT id FROM cards WHERE {}",
            super::sql::SUSPENDED
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Cards with a schedule but no events (set due or reset before sync was on).
pub fn studied_cards_without_fold(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare(&format!(
            "SELECT id FROM cards c WHERE {}
             AND NOT EXISTS (SELECT 1 FROM sync_cards s WHERE s.card_id = c.id)",
            super::sql::IS_STUDIED
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The registers of `scope`, key and JSON value.
pub fn registers_of(conn: &Connection, scope: &str) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT key, value FROM sync_registers WHERE scope = ?1 ORDER BY key")?
        .query_map([scope], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}
