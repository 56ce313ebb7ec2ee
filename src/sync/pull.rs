//! Reading in: [`fetch`] lists and reads the segments and device files not read yet, with no
//! database (a front end holds no lock meanwhile); [`ingest`] then merges them in one
//! transaction.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, FixedOffset};
use rusqlite::Connection;
use serde_json::Value;
use uuid::Uuid;

use super::event::{Body, Event, Scope};
use super::folder::Backend;
use super::{
    fold, hlc, record, segment, send_unset_settings, sync_off, DeviceFile, SyncProgress,
    SyncReport, COLLECTION_KEY, NAME_KEY, TARGET_KEY,
};
use crate::collection::{Changes, Tx};
use crate::error::{Error, Result};
use crate::ids::{CardId, NoteId};
use crate::schedule::Scheduler;
use crate::settings::Settings;
use crate::store::{self, sync as stored, Hidden};
use crate::study::lessons;

/// Whether a register write (by its clock value, then its device) wins over the one the register
/// holds: the later wins, the same write again changes nothing.
fn wins(write: (u64, Uuid), held: (u64, Uuid)) -> bool {
    write > held
}

/// A device whose writes are this far ahead of this device's clock gets a notice.
const CLOCK_AHEAD_NOTICE_MS: i64 = 5 * 60 * 1000;

/// Whether version `theirs` (`major.minor.patch`) is newer than `ours`.
fn is_newer(theirs: &str, ours: &str) -> bool {
    let parts = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    parts(theirs) > parts(ours)
}

/// "3 h", "2 days", "12 min".
fn duration_text(ms: i64) -> String {
    let minutes = ms / 60_000;
    match minutes {
        m if m >= 2 * 24 * 60 => format!("{} days", m / (24 * 60)),
        m if m >= 60 => format!("{} h", m / 60),
        m => format!("{m} min"),
    }
}

/// New events an ingest keeps in memory to fold on from; more, and cards are folded from the
/// stored events instead.
const KEEP_NEW_EVENTS: usize = 100_000;

/// What a sync needs of the collection before it touches the target.
pub struct Plan {
    pub target: String,
    pub device: Uuid,
    pub name: String,
    pub collection: Uuid,
    /// Segment files read already, by device and name.
    known: HashSet<(Uuid, String)>,
}

pub(crate) fn plan(conn: &Connection) -> Result<Plan> {
    Ok(Plan {
        target: stored::state(conn, TARGET_KEY)?.ok_or_else(sync_off)?,
        device: record::device(conn)?.ok_or_else(sync_off)?,
        name: stored::state(conn, NAME_KEY)?.unwrap_or_else(super::default_name),
        collection: stored::state(conn, COLLECTION_KEY)?
            .and_then(|c| c.parse().ok())
            .ok_or_else(sync_off)?,
        known: stored::segments_known(conn)?.into_iter().collect(),
    })
}

/// A segment read from the target and checked.
struct Fetched {
    device: Uuid,
    name: String,
    key: String,
    header: segment::Header,
    events: segment::Events,
    hash: [u8; 32],
}

/// A pull holding more events than this, encoded, is merged as a big write
/// ([`Store::bulk_writes`](crate::store::Store::bulk_writes)): a device joining a long history.
/// Past it, the write's pages outgrow what SQLite keeps in the WAL between checkpoints (1000
/// pages, 4 MiB), and the WAL writes each page twice.
const BULK_BYTES: usize = 4 << 20;

/// What [`fetch`] read.
pub struct Pulled {
    segments: Vec<Fetched>,
    devices: Vec<(Uuid, DeviceFile)>,
    /// The highest segment number of this device's in the target (a restored backup may be
    /// behind it).
    pub own_last_seq: i64,
    waiting: u32,
    notices: Vec<String>,
}

impl Pulled {
    /// Whether merging it is a big write.
    pub fn is_big(&self) -> bool {
        let bytes: usize = self.segments.iter().map(|f| f.events.bytes()).sum();
        bytes > BULK_BYTES
    }
}

/// Lists the target and reads every segment not read yet, and the devices' files.
pub fn fetch(
    plan: &Plan,
    backend: &dyn Backend,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<Pulled> {
    let mut pulled = Pulled {
        segments: Vec::new(),
        devices: read_devices(backend)?,
        own_last_seq: 0,
        waiting: 0,
        notices: Vec::new(),
    };
    let mut to_read = Vec::new();
    for dir in backend.list("log")? {
        let Some(device) = dir.rsplit('/').next().and_then(|d| Uuid::try_parse(d).ok()) else {
            continue;
        };
        for key in backend.list(&dir)? {
            let name = key.rsplit('/').next().unwrap_or_default().to_owned();
            if device == plan.device {
                if let Some(seq) = name.get(..10).and_then(|s| s.parse::<i64>().ok()) {
                    pulled.own_last_seq = pulled.own_last_seq.max(seq);
                }
            }
            // Conflict copies (`… (conflicted copy).rseg`, `.sync-conflict-….rseg`) too:
            // events are idempotent, so a copy is harmless.
            if name.contains(".rseg") && !plan.known.contains(&(device, name.clone())) {
                to_read.push((device, name, key));
            }
        }
    }
    let total = to_read.len() as u32;
    for (done, (device, name, key)) in to_read.into_iter().enumerate() {
        progress(SyncProgress::new("reading", done as u32, total));
        let Some(bytes) = backend.get(&key)? else {
            continue;
        };
        match segment::decode(&bytes) {
            segment::Decoded::Complete(header, events, hash) => {
                if header.collection != plan.collection || header.device != device {
                    pulled.notices.push(format!(
                        "a file in the sync folder belongs to another collection or device and \
                         was left alone ({key})"
                    ));
                    continue;
                }
                pulled.segments.push(Fetched {
                    device,
                    name,
                    key,
                    header,
                    events,
                    hash,
                });
            }
            segment::Decoded::Incomplete => pulled.waiting += 1,
            segment::Decoded::Unreadable(why) => pulled.notices.push(format!(
                "a file in the sync folder cannot be read and was left alone ({key}: {why})"
            )),
        }
    }
    Ok(pulled)
}

/// Merges what [`fetch`] read, in one transaction.
pub(crate) fn ingest(
    tx: &mut Tx,
    pulled: Pulled,
    scheduler: &Scheduler,
    now: DateTime<FixedOffset>,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<(SyncReport, Option<Settings>)> {
    let conn: &Connection = tx;
    let mut report = SyncReport {
        waiting: pulled.waiting,
        notices: pulled.notices,
        ..SyncReport::default()
    };
    let me = record::device(conn)?.ok_or_else(sync_off)?;
    let collection: Uuid = stored::state(conn, COLLECTION_KEY)?
        .and_then(|c| c.parse().ok())
        .ok_or_else(sync_off)?;
    let mut names = BTreeMap::new();
    for (id, file) in pulled.devices {
        if id != me && is_newer(&file.version, env!("CARGO_PKG_VERSION")) {
            report.notices.push(format!(
                "{} uses a newer Reprise ({}): update this one to be sure to apply all its changes",
                file.name, file.version
            ));
        }
        names.insert(id, file.name.clone());
        stored::set_device(
            conn,
            &stored::DeviceRow {
                id,
                name: file.name,
                version: file.version,
                last_seen: file.last_flush,
            },
        )?;
    }
    // Each card's new events, to fold on from where the card stood; past a bound (a device
    // joining a long history) only which cards, folded again from the stored events.
    let mut cards: BTreeMap<i64, Vec<Event>> = BTreeMap::new();
    let mut kept = 0;
    let mut settings: BTreeMap<String, Value> = BTreeMap::new();
    // The newest clock value read: this device's next write orders after it.
    let mut newest = 0;
    // How far ahead of this device's clock each device's newest write is.
    let mut ahead: BTreeMap<Uuid, i64> = BTreeMap::new();
    let mut cloned = false;
    // A reschedule from another device: every card's fold changes.
    let mut rescheduled = false;
    let segments = pulled.segments.len() as u32;
    for (done, f) in pulled.segments.into_iter().enumerate() {
        progress(SyncProgress::new("merging", done as u32, segments));
        // Turned off, or pointed elsewhere, since the plan.
        if f.header.collection != collection {
            continue;
        }
        // All of a segment or none of it.
        let decoded = match (f.events.iter())
            .map(Event::decode)
            .collect::<Result<Vec<_>>>()
        {
            Ok(decoded) => decoded,
            Err(e) => {
                report.notices.push(format!(
                    "a file in the sync folder cannot be read and was left alone ({}: {e})",
                    f.key
                ));
                continue;
            }
        };
        for (bytes, (envelope, event)) in f.events.iter().zip(decoded) {
            if envelope.device != f.device {
                continue;
            }
            let card = event.as_ref().and_then(|e| e.body.card());
            let new = stored::insert_event(
                conn,
                envelope.id,
                envelope.device,
                Some(f.header.seq),
                envelope.hlc,
                &envelope.kind,
                card,
                envelope.at,
                bytes,
            )?;
            if !new {
                // Ours, written out by a sync that stopped before recording it.
                if f.device == me {
                    stored::set_seq_if_unset(conn, envelope.id, f.header.seq)?;
                }
                continue;
            }
            // A change under this device's id that this device never made: a copy of this data
            // folder is syncing too.
            cloned |= f.device == me;
            newest = newest.max(envelope.hlc);
            let by = ((envelope.hlc >> 16) as i64).max(envelope.at) - now.timestamp_millis();
            let most = ahead.entry(f.device).or_default();
            *most = (*most).max(by);
            report.received += 1;
            match event {
                None => report.notices.push(format!(
                    "a change from another device needs a newer Reprise ({})",
                    envelope.kind
                )),
                Some(event) => {
                    apply_register(conn, &event, now.timestamp_millis(), &mut settings)?;
                    rescheduled |= matches!(event.body, Body::Reschedule);
                    if let Body::QuizAttempt {
                        pack,
                        lesson,
                        correct,
                        total,
                    } = &event.body
                    {
                        let at = DateTime::from_timestamp_millis(event.at).unwrap_or_default();
                        lessons::synced_attempt(conn, pack, lesson, at, *correct, *total)?;
                    }
                    if let Some(card) = event.body.card() {
                        let new = cards.entry(card).or_default();
                        if kept < KEEP_NEW_EVENTS {
                            new.push(event);
                            kept += 1;
                        }
                    }
                }
            }
        }
        stored::record_segment(
            conn,
            f.device,
            &f.name,
            f.header.seq,
            &f.hash,
            f.events.len(),
        )?;
    }
    hlc::observe(conn, newest)?;
    for (device, by) in ahead {
        // Accepted all the same (refusing would lose answers); the learner may fix the clock.
        if by > CLOCK_AHEAD_NOTICE_MS {
            let name = names
                .get(&device)
                .cloned()
                .unwrap_or_else(|| "Another device".into());
            report
                .notices
                .push(format!("{name}'s clock is {} ahead", duration_text(by)));
        }
    }
    let reschedule = fold::Reschedule::latest(conn)?;
    let (mut bulk, mut other) = (false, false);
    let mut new_settings = None;
    let mut scheduler_now = None;
    if !settings.is_empty() {
        let old = store::read_settings(conn)?;
        let mut json = serde_json::to_value(&old).expect("settings serialize");
        for (key, value) in settings {
            json[key] = value;
        }
        let merged = serde_json::from_value::<Settings>(json)
            .map_err(|e| Error::invalid("settings", e.to_string()))
            .and_then(|merged| merged.validate().map(|()| merged))
            .and_then(|merged| Ok((Scheduler::new(&merged)?, merged)));
        match merged {
            Ok((next, merged)) => {
                // In the time zone of the device that adopted them, as every fold does.
                let offset = reschedule.map_or(*now.offset(), |r| r.offset());
                crate::optimize::adopt_settings(tx, &old, &next, offset)?;
                bulk = old.reschedules_with(&merged);
                // Learning steps and the like: concurrent answers are scheduled differently.
                other |= old.schedules_differently(&merged) && !bulk;
                new_settings = Some(merged);
                scheduler_now = Some(next);
            }
            // Another device's settings this version refuses: keep ours, say so.
            Err(e) => report.notices.push(format!(
                "settings from another device were not applied: {e}"
            )),
        }
    }
    // What a sync can touch: cards, the log, tags, lessons (and settings, through the writer).
    let touched = Changes::CARDS
        .with(Changes::REVLOG)
        .with(Changes::NOTES)
        .with(Changes::LESSONS)
        .with(Changes::CONTENT);
    let conn: &Connection = tx.raw(touched);
    let scheduler = scheduler_now.as_ref().unwrap_or(scheduler);
    let arrived: BTreeSet<i64> = cards.keys().copied().collect();
    let mut folding = |done, total| progress(SyncProgress::new("folding", done, total));
    if other || (rescheduled && !bulk) {
        fold::refold_all(conn, scheduler, &arrived, &mut folding)?;
    } else if bulk {
        super::reschedule::after_bulk_reschedule(conn, scheduler, &arrived, &mut folding)?;
    } else {
        let total = cards.len() as u32;
        // The statistics' summary counts the answers written once, after them all.
        let mut tally = store::review_quarters::Tally::default();
        for (done, (&card, new)) in cards.iter().enumerate() {
            if done % 1_000 == 0 {
                progress(SyncProgress::new("folding", done as u32, total));
            }
            if kept < KEEP_NEW_EVENTS {
                fold::fold_new(conn, scheduler, reschedule, card, new, &mut tally)?;
            } else {
                fold::refold_into(conn, scheduler, reschedule, card, &mut tally)?;
            }
        }
        tally.write(conn)?;
    }
    report.cards_merged = cards.len() as u32;
    let me = if cloned {
        report.notices.push(
            "This copy of Reprise had the same identity as another device; it now has its own \
             — nothing was lost"
                .into(),
        );
        super::join::new_identity(conn, now)?
    } else {
        me
    };
    send_unset_settings(conn, me, now)?;
    Ok((report, new_settings))
}

/// Applies a register write if it is the newest the register has seen; settings are gathered
/// into `settings` to be applied together.
fn apply_register(
    conn: &Connection,
    event: &Event,
    now_ms: i64,
    settings: &mut BTreeMap<String, Value>,
) -> Result<()> {
    let Body::Register { scope, key, value } = &event.body else {
        return Ok(());
    };
    if let Some(current) = stored::register(conn, scope.name(), key)? {
        if !wins((event.hlc, event.device), (current.hlc, current.device)) {
            return Ok(());
        }
    }
    stored::set_register(
        conn,
        scope.name(),
        key,
        &stored::RegisterValue {
            value: value.to_string(),
            hlc: event.hlc,
            device: event.device,
        },
    )?;
    match scope {
        Scope::Suspended | Scope::Buried => {
            if let Ok(card) = key.parse::<i64>() {
                apply_card_register(conn, *scope, CardId(card), value, now_ms)?;
            }
        }
        Scope::Tag => {
            let Some((note, tag)) = key.split_once(' ') else {
                return Ok(());
            };
            if let Ok(note) = note.parse::<i64>() {
                apply_tag(conn, NoteId(note), tag, value)?;
            }
        }
        Scope::Setting => {
            if Settings::keys().contains(key) {
                settings.insert(key.clone(), value.clone());
            }
        }
        Scope::Pack | Scope::PackEnabled => super::packs::apply(conn, *scope, key, value)?,
        Scope::Note => {
            if let Ok(note) = key.parse::<i64>() {
                crate::notes::write::apply_synced(conn, NoteId(note), value, event.at)?;
            }
        }
    }
    Ok(())
}

/// Applies a card's `suspended` or `buried` register value, if the card is installed here.
pub(crate) fn apply_card_register(
    conn: &Connection,
    scope: Scope,
    card: CardId,
    value: &Value,
    now_ms: i64,
) -> Result<()> {
    let Ok(row) = store::cards::get_card(conn, card) else {
        return Ok(());
    };
    let (hidden, until) = match scope {
        Scope::Suspended if value.as_bool() == Some(true) => {
            (row.hidden.with(Hidden::SUSPENDED), row.buried_until)
        }
        Scope::Suspended => (row.hidden.without(Hidden::SUSPENDED), row.buried_until),
        // A burial already over leaves the card in study.
        _ => match value.as_i64() {
            Some(until) if until > now_ms => (row.hidden.with(Hidden::BURIED), Some(until)),
            _ => (row.hidden.without(Hidden::BURIED), None),
        },
    };
    store::cards::set_hidden(conn, row.id, hidden, until)
}

/// Applies a `tag` register value, if the note is installed here and the tag is well formed.
pub(crate) fn apply_tag(conn: &Connection, note: NoteId, tag: &str, value: &Value) -> Result<()> {
    if store::tags::parse(tag).is_err() || store::cards::get_note(conn, note).is_err() {
        return Ok(());
    }
    if value.as_bool() == Some(true) {
        store::tags::add(&mut store::Batch::new(conn), note, tag)?;
    } else {
        store::tags::remove(conn, note, tag)?;
    }
    Ok(())
}

/// The devices' own files (`devices/<id>.json`); unreadable ones are left out.
fn read_devices(backend: &dyn Backend) -> Result<Vec<(Uuid, DeviceFile)>> {
    let mut devices = Vec::new();
    for key in backend.list("devices")? {
        let Some(id) = key
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".json"))
            .and_then(|n| Uuid::try_parse(n).ok())
        else {
            continue;
        };
        let Some(bytes) = backend.get(&key)? else {
            continue;
        };
        if let Ok(file) = serde_json::from_slice::<DeviceFile>(&bytes) {
            devices.push((id, file));
        }
    }
    Ok(devices)
}

#[cfg(test)]
mod tests {
    use super::{duration_text, is_newer, wins};
    use uuid::Uuid;

    #[test]
    fn the_last_write_wins_a_register_then_the_higher_device() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert!(
            wins((10, a), (9, b)),
            "a later clock wins whatever the device"
        );
        assert!(!wins((9, b), (10, a)), "an earlier one loses");
        assert!(wins((10, b), (10, a)), "the same clock: the higher device");
        assert!(!wins((10, a), (10, b)));
        assert!(
            !wins((10, a), (10, a)),
            "the same write again changes nothing"
        );
    }

    #[test]
    fn versions_and_durations_read_as_the_learner_expects() {
        assert!(is_newer("0.2.0", "0.1.9"));
        assert!(is_newer("0.10.0", "0.9.0"));
        assert!(!is_newer("0.1.0", "0.1.0"));
        assert!(!is_newer("0.1.0", "0.2.0"));
        assert_eq!(duration_text(7 * 60_000), "7 min");
        assert_eq!(duration_text(3 * 3_600_000 + 5), "3 h");
        assert_eq!(duration_text(3 * 86_400_000), "3 days");
    }
}
