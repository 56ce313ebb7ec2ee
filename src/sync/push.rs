//! Writing out: [`next_segment`] takes this device's oldest events not written out yet from the
//! database, [`put`] writes them as a segment to the target with no database, and
//! [`mark_written`] records that; [`announce`] then rewrites this device's file.

use chrono::{DateTime, FixedOffset};
use rusqlite::Connection;
use uuid::Uuid;

use super::folder::Backend;
use super::pull::Plan;
use super::{record, segment, sync_off, DeviceFile, COLLECTION_KEY, LAST_SYNC_KEY};
use crate::error::Result;
use crate::store::sync as stored;

/// A segment of this device's events to write.
pub struct Pending {
    collection: Uuid,
    device: Uuid,
    seq: i64,
    bodies: Vec<Vec<u8>>,
    /// The clock value of its newest event.
    last_hlc: u64,
}

/// A segment of this device's events, written to the target and not yet recorded here.
pub struct Written {
    events: usize,
    last_hlc: u64,
    name: String,
    seq: i64,
    hash: [u8; 32],
}

/// The oldest of this device's events not written out yet, as the next segment after
/// `last_in_target` (the highest of ours the target holds); `None` when there are none.
pub(crate) fn next_segment(conn: &Connection, last_in_target: i64) -> Result<Option<Pending>> {
    let device = record::device(conn)?.ok_or_else(sync_off)?;
    let collection: Uuid = stored::state(conn, COLLECTION_KEY)?
        .and_then(|c| c.parse().ok())
        .ok_or_else(sync_off)?;
    let events = stored::outbox(conn, segment::MAX_EVENTS)?;
    if events.is_empty() {
        return Ok(None);
    }
    Ok(Some(Pending {
        collection,
        device,
        seq: stored::last_seq(conn, device)?.max(last_in_target) + 1,
        last_hlc: events.iter().map(|e| e.hlc).max().unwrap_or(0),
        bodies: events.into_iter().map(|e| e.body).collect(),
    }))
}

/// Writes the segment under the first free number from its own; [`mark_written`] then records
/// it, in a transaction of its own: a crash between the two leaves a segment the next sync reads
/// back as ours.
pub fn put(backend: &dyn Backend, mut pending: Pending) -> Result<Written> {
    let dir = format!("log/{}", pending.device.simple());
    loop {
        let header = segment::Header {
            collection: pending.collection,
            device: pending.device,
            seq: pending.seq,
            events: pending.bodies.len(),
        };
        let bytes = segment::encode(&header, &pending.bodies);
        let name = format!("{:010}.rseg", pending.seq);
        if backend.put_if_absent(&format!("{dir}/{name}"), &bytes)? {
            let hash: [u8; 32] = bytes[bytes.len() - 32..].try_into().expect("32 bytes");
            return Ok(Written {
                events: pending.bodies.len(),
                last_hlc: pending.last_hlc,
                name,
                seq: pending.seq,
                hash,
            });
        }
        pending.seq += 1;
    }
}

pub(crate) fn mark_written(conn: &Connection, written: &Written) -> Result<u32> {
    let me = record::device(conn)?.ok_or_else(sync_off)?;
    stored::set_seq_up_to(conn, written.last_hlc, written.seq)?;
    stored::record_segment(
        conn,
        me,
        &written.name,
        written.seq,
        &written.hash,
        written.events,
    )?;
    Ok(written.events as u32)
}

/// Tells the other devices about this one (`devices/<id>.json`) and clears away what an earlier
/// killed write-out left in this device's folder.
pub fn announce(backend: &dyn Backend, plan: &Plan, now: DateTime<FixedOffset>) -> Result<()> {
    backend.sweep(&format!("log/{}", plan.device.simple()))?;
    let file = DeviceFile {
        name: plan.name.clone(),
        version: env!("CARGO_PKG_VERSION").into(),
        last_flush: now.timestamp_millis(),
    };
    backend.put_replace(
        &format!("devices/{}.json", plan.device.simple()),
        &serde_json::to_vec(&file).expect("serializes"),
    )
}

/// Notes, once a sync is done, when it was and this device as the others now see it.
pub(crate) fn finished(conn: &Connection, plan: &Plan, now: DateTime<FixedOffset>) -> Result<()> {
    stored::set_device(
        conn,
        &stored::DeviceRow {
            id: plan.device,
            name: plan.name.clone(),
            version: env!("CARGO_PKG_VERSION").into(),
            last_seen: now.timestamp_millis(),
        },
    )?;
    stored::set_state(conn, LAST_SYNC_KEY, &now.timestamp_millis().to_string())
}
