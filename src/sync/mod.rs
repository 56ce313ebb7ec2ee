//! Sync between devices through a folder the learner's own sync tool keeps in step
//! (docs/SYNC.md). Each device writes its changes as events into immutable segments of its own
//! (`log/<device>/<seq>.rseg`) and reads everyone else's; answers are merged by the union of
//! their ids and each card's state is the fold of its events ([`fold`]), suspension, tags and
//! settings are last-writer-wins registers. Nothing is ever overwritten, so nothing is lost, and
//! the learner never chooses a side.

pub mod event;
pub mod fold;
pub mod folder;
pub mod hlc;
pub mod record;
pub mod remote;
pub mod segment;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::{NoContext, Timestamp, Uuid};

use crate::clock::instant_text;
use crate::collection::{Changes, Tx};
use crate::error::{Error, Result};
use crate::ids::{CardId, NoteId};
use crate::schedule::{CardState, Schedule, Scheduler};
use crate::settings::Settings;
use crate::store::{self, sync as stored, Hidden};
use event::{Body, DeviceId, Event, Scope};
use folder::{Backend, Folder};
use record::Out;
use remote::Remote;

const TARGET_KEY: &str = "target";
const COLLECTION_KEY: &str = "collection";
const NAME_KEY: &str = "name";
const LAST_SYNC_KEY: &str = "last_sync";
const FOLDER_FILE: &str = "reprise-sync.json";
/// New events an ingest keeps in memory to fold on from; more, and cards are folded from the
/// stored events instead.
const KEEP_NEW_EVENTS: usize = 100_000;

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct SyncReport {
    /// Events of this device written out.
    pub sent: u32,
    /// Events of other devices read in.
    pub received: u32,
    /// Cards whose state was folded again from their events.
    pub cards_merged: u32,
    /// Segments not complete yet (a sync tool still delivering them): read next time.
    pub waiting: u32,
    /// Things the learner should know; never a choice to make.
    pub notices: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DeviceInfo {
    pub id: String,
    pub name: String,
    pub version: String,
    /// When it last wrote its changes out, RFC 3339.
    pub last_seen: Option<String>,
    pub this_device: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SyncStatus {
    /// Where this collection syncs; null when sync is off.
    pub target: Option<String>,
    pub device: Option<DeviceInfo>,
    /// The other devices seen.
    pub devices: Vec<DeviceInfo>,
    /// RFC 3339; null before the first sync.
    pub last_sync: Option<String>,
    /// Changes of this device not written out yet.
    pub pending: u32,
}

#[derive(Debug, Serialize, Deserialize)]
struct FolderFile {
    format: u32,
    collection: Uuid,
}

#[derive(Debug, Serialize, Deserialize)]
struct DeviceFile {
    name: String,
    version: String,
    last_flush: i64,
}

/// The sync target as the learner names it: a folder, `s3://BUCKET/PREFIX`, or
/// `webdav+https://HOST/PATH` (`webdav+http://` too). Credentials come from the environment
/// (docs/SYNC.md): the target is remembered, so it may hold none.
pub fn open_target(target: &str) -> Result<Box<dyn Backend>> {
    let Some((scheme, rest)) = target.split_once("://") else {
        return Ok(Box::new(Folder::new(&PathBuf::from(target))?));
    };
    let bad = |why: &str| Error::invalid("target", format!("'{target}': {why}"));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if authority.contains('@') {
        // Not repeated: what is before the `@` is likely a password.
        return Err(Error::invalid(
            "target",
            format!(
                "'{scheme}://…@…': put no user name or password in the target, which is \
                 remembered; set them in the environment instead (docs/SYNC.md)"
            ),
        ));
    }
    if rest.contains(['?', '#']) || rest.chars().any(char::is_control) {
        return Err(bad("a sync target has no query (?) or fragment (#)"));
    }
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    if parts
        .iter()
        .any(|p| *p == "." || *p == ".." || p.contains(['\\', '%']))
    {
        return Err(bad(
            "the path may not contain '.', '..', '\\' or %-escapes; write names as they are",
        ));
    }
    let path = parts.join("/");
    let supported = "a sync target is a folder, s3://BUCKET/PREFIX, or webdav+https://HOST/PATH";
    let remote = match scheme {
        "s3" => {
            if authority.is_empty() {
                return Err(bad("name the bucket: s3://BUCKET/PREFIX"));
            }
            if !authority
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            {
                return Err(bad("that is not an S3 bucket name"));
            }
            Remote::s3(target, authority, &path)?
        }
        "webdav+https" | "webdav+http" => {
            if authority.is_empty()
                || !authority
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
            {
                return Err(bad("name the server: webdav+https://HOST/PATH"));
            }
            Remote::webdav(target, scheme == "webdav+https", authority, &path)?
        }
        "webdav" | "http" | "https" | "dav" | "davs" => {
            return Err(bad(&format!(
                "{supported}; for a WebDAV server write webdav+https://{rest}"
            )))
        }
        _ => return Err(bad(supported)),
    };
    Ok(Box::new(remote))
}

/// The target as it is remembered: a folder by its absolute path, so a later sync from another
/// working directory finds it.
pub fn normalize_target(target: &str) -> Result<String> {
    if target.trim().is_empty() {
        return Err(Error::invalid("target", "give the folder to sync through"));
    }
    if target.contains("://") {
        return Ok(target.to_owned());
    }
    let path = std::path::absolute(target).map_err(|e| Error::io(target, e))?;
    path.to_str().map(str::to_owned).ok_or_else(|| {
        Error::invalid(
            "target",
            format!("{}: the folder's name is not valid Unicode", path.display()),
        )
    })
}

/// Whether sync is on, and where to.
pub fn target(conn: &Connection) -> Result<Option<String>> {
    stored::state(conn, TARGET_KEY)
}

/// The folder's collection id, written by the first device that used it.
fn folder_collection(backend: &dyn Backend) -> Result<Uuid> {
    if let Some(bytes) = backend.get(FOLDER_FILE)? {
        let file: FolderFile = serde_json::from_slice(&bytes).map_err(|e| {
            Error::invalid(
                "target",
                format!("{FOLDER_FILE} in the sync folder cannot be read ({e}); is it a Reprise sync folder?"),
            )
        })?;
        return Ok(file.collection);
    }
    let file = FolderFile {
        format: 1,
        collection: Uuid::now_v7(),
    };
    backend.put_if_absent(FOLDER_FILE, &serde_json::to_vec(&file).expect("serializes"))?;
    // Another device may have written it first: its id wins.
    folder_collection(backend)
}

/// Turns sync on (or points it elsewhere) and records this device's history as its events, so
/// two devices that both have history simply merge.
pub(crate) fn connect(
    tx: &mut Tx,
    backend: &dyn Backend,
    target: &str,
    name: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    let collection = folder_collection(backend)?;
    let conn: &Connection = tx;
    let device = match record::device(conn)? {
        Some(device) => device,
        None => {
            let device = new_id(now);
            stored::set_state(conn, record::DEVICE_KEY, &device.to_string())?;
            device
        }
    };
    stored::set_state(conn, TARGET_KEY, target)?;
    stored::set_state(conn, COLLECTION_KEY, &collection.to_string())?;
    let name = name
        .map(str::to_owned)
        .or(stored::state(conn, NAME_KEY)?)
        .unwrap_or_else(default_name);
    stored::set_state(conn, NAME_KEY, &name)?;
    join(tx.raw(Changes::NONE), device, now)
}

fn default_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "this device".into())
}

fn new_id(now: DateTime<FixedOffset>) -> Uuid {
    let at = now.to_utc();
    Uuid::new_v7(Timestamp::from_unix(
        NoContext,
        u64::try_from(at.timestamp()).unwrap_or(0),
        at.timestamp_subsec_nanos(),
    ))
}

/// Makes events of what this device holds that no event says yet: its answers, the schedules
/// set outside answers, and suspensions. (Settings wait until the folder's have been read:
/// [`send_unset_settings`].)
fn join(conn: &Connection, device: DeviceId, now: DateTime<FixedOffset>) -> Result<()> {
    let mut out = Out::new(conn, device, now)?;
    let reviews = stored::reviews_without_events(conn)?;
    let (mut reps, mut parent) = (0, None);
    for (i, r) in reviews.iter().enumerate() {
        let first_of_card = i == 0 || reviews[i - 1].card != r.card;
        if first_of_card {
            reps = 0;
            parent = stored::folded(conn, r.card)?.map(|(head, _)| head);
        }
        reps += 1;
        let last_of_card = reviews.get(i + 1).is_none_or(|next| next.card != r.card);
        let current = if last_of_card {
            store::cards::get_card(conn, CardId(r.card))
                .ok()
                .map(|c| c.schedule)
        } else {
            None
        };
        // The log keeps the memory and interval an answer gave; the rest of the schedule only
        // the card holds, for its last answer.
        let outcome = current.unwrap_or_else(|| Schedule {
            state: r.state_after.unwrap_or(CardState::Review),
            memory: Some(r.memory_after),
            step: 0,
            due: DateTime::<Utc>::from_timestamp_millis(
                r.at + (r.interval_days * 86_400_000.0) as i64,
            ),
            interval_days: r.interval_days,
            last_review: DateTime::<Utc>::from_timestamp_millis(r.at),
            reps,
            lapses: 0,
        });
        out.review_event(r, parent, &outcome)?;
        parent = Some(r.uuid);
        if last_of_card {
            stored::set_folded(conn, r.card, r.uuid, &record::schedule_json(&outcome))?;
        }
    }
    for card in stored::studied_cards_without_fold(conn)? {
        out.card_changed(CardId(card), false)?;
    }
    for card in stored::suspended_cards(conn)? {
        out.card_changed(CardId(card), true)?;
    }
    out.close()
}

/// Sends the settings whose value here no register holds: all of them from the first device;
/// none from a device joining a folder in use, which has just adopted the settings found there.
fn send_unset_settings(
    conn: &Connection,
    device: DeviceId,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    let mut out = Out::new(conn, device, now)?;
    out.settings_changed()?;
    out.close()
}

/// Reads every segment not read yet and merges its events. Runs in one transaction.
pub(crate) fn ingest(
    tx: &mut Tx,
    backend: &dyn Backend,
    scheduler: &Scheduler,
    now: DateTime<FixedOffset>,
) -> Result<(SyncReport, Option<Settings>)> {
    let conn: &Connection = tx;
    let mut report = SyncReport::default();
    let me = record::device(conn)?.ok_or_else(sync_off)?;
    let collection: Uuid = stored::state(conn, COLLECTION_KEY)?
        .and_then(|c| c.parse().ok())
        .ok_or_else(sync_off)?;
    read_devices(conn, backend)?;
    // Each card's new events, to fold on from where the card stood; past a bound (a device
    // joining a long history) only which cards, folded again from the stored events.
    let mut cards: BTreeMap<i64, Vec<Event>> = BTreeMap::new();
    let mut kept = 0;
    let mut settings: BTreeMap<String, Value> = BTreeMap::new();
    // The newest clock value read: this device's next write orders after it.
    let mut newest = 0;
    for dir in backend.list("log")? {
        let Some(device) = dir.rsplit('/').next().and_then(|d| Uuid::try_parse(d).ok()) else {
            continue;
        };
        for key in backend.list(&dir)? {
            let name = key.rsplit('/').next().unwrap_or_default().to_owned();
            // Conflict copies (`… (conflicted copy).rseg`, `.sync-conflict-….rseg`) too:
            // events are idempotent, so a copy is harmless.
            if !name.contains(".rseg") || stored::segment_known(conn, device, &name)? {
                continue;
            }
            let Some(bytes) = backend.get(&key)? else {
                continue;
            };
            let (header, events, hash) = match segment::decode(&bytes) {
                segment::Decoded::Complete(h, e, hash) => (h, e, hash),
                segment::Decoded::Incomplete => {
                    report.waiting += 1;
                    continue;
                }
                segment::Decoded::Unreadable(why) => {
                    report.notices.push(format!("{key} was skipped: {why}"));
                    continue;
                }
            };
            if header.collection != collection || header.device != device {
                report.notices.push(format!(
                    "{key} belongs to another collection or device and was skipped"
                ));
                continue;
            }
            // All of a segment or none of it.
            let decoded = match events
                .iter()
                .map(|bytes| Event::decode(bytes))
                .collect::<Result<Vec<_>>>()
            {
                Ok(decoded) => decoded,
                Err(e) => {
                    report.notices.push(format!("{key} was skipped: {e}"));
                    continue;
                }
            };
            for (bytes, (envelope, event)) in events.iter().zip(decoded) {
                if envelope.device != device {
                    continue;
                }
                let card = event.as_ref().and_then(|e| e.body.card());
                let new = stored::insert_event(
                    conn,
                    envelope.id,
                    envelope.device,
                    Some(header.seq),
                    envelope.hlc,
                    &envelope.kind,
                    card,
                    envelope.at,
                    bytes,
                )?;
                if !new {
                    // Ours, written out by a sync that stopped before recording it.
                    if device == me {
                        stored::set_seq_if_unset(conn, envelope.id, header.seq)?;
                    }
                    continue;
                }
                newest = newest.max(envelope.hlc);
                report.received += 1;
                match event {
                    None => report.notices.push(format!(
                        "a change from another device needs a newer Reprise ({})",
                        envelope.kind
                    )),
                    Some(event) => {
                        apply_register(conn, &event, &mut settings)?;
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
            stored::record_segment(conn, device, &name, header.seq, &hash, events.len())?;
        }
    }
    hlc::observe(conn, newest)?;
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
                crate::optimize::adopt_settings(tx, &old, &next, *now.offset())?;
                new_settings = Some(merged);
                scheduler_now = Some(next);
            }
            // Another device's settings this version refuses: keep ours, say so.
            Err(e) => report.notices.push(format!(
                "settings from another device were not applied: {e}"
            )),
        }
    }
    let conn: &Connection = tx.raw(Changes::CARDS.with(Changes::REVLOG));
    let scheduler = scheduler_now.as_ref().unwrap_or(scheduler);
    for (&card, new) in &cards {
        if kept < KEEP_NEW_EVENTS {
            fold::fold_new(conn, scheduler, card, new)?;
        } else {
            fold::refold(conn, scheduler, card)?;
        }
    }
    report.cards_merged = cards.len() as u32;
    send_unset_settings(conn, me, now)?;
    Ok((report, new_settings))
}

/// Applies a register write if it is the newest the register has seen; settings are gathered
/// into `settings` to be applied together.
fn apply_register(
    conn: &Connection,
    event: &Event,
    settings: &mut BTreeMap<String, Value>,
) -> Result<()> {
    let Body::Register { scope, key, value } = &event.body else {
        return Ok(());
    };
    if let Some(current) = stored::register(conn, scope.name(), key)? {
        if (current.hlc, current.device) >= (event.hlc, event.device) {
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
        Scope::Suspended => {
            let Ok(card) = key.parse::<i64>() else {
                return Ok(());
            };
            if let Ok(row) = store::cards::get_card(conn, CardId(card)) {
                let hidden = if value.as_bool() == Some(true) {
                    row.hidden.with(Hidden::SUSPENDED)
                } else {
                    row.hidden.without(Hidden::SUSPENDED)
                };
                store::cards::set_hidden(conn, row.id, hidden, row.buried_until)?;
            }
        }
        Scope::Tag => {
            let Some((note, tag)) = key.split_once(' ') else {
                return Ok(());
            };
            let Ok(note) = note.parse::<i64>() else {
                return Ok(());
            };
            if store::tags::parse(tag).is_err()
                || store::cards::get_note(conn, NoteId(note)).is_err()
            {
                return Ok(());
            }
            if value.as_bool() == Some(true) {
                store::tags::add(&mut store::Batch::new(conn), NoteId(note), tag)?;
            } else {
                store::tags::remove(conn, NoteId(note), tag)?;
            }
        }
        Scope::Setting => {
            if Settings::keys().contains(key) {
                settings.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(())
}

fn read_devices(conn: &Connection, backend: &dyn Backend) -> Result<()> {
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
    }
    Ok(())
}

/// A segment of this device's events, written to the target and not yet recorded here.
pub(crate) struct Written {
    events: usize,
    /// The clock value of its newest event.
    last_hlc: u64,
    name: String,
    seq: i64,
    hash: [u8; 32],
}

/// Writes the oldest of this device's events not written out yet into a new segment; `None`
/// when there are none. [`mark_written`] then records it, in a transaction of its own: a crash
/// between the two leaves a segment the next sync reads back as ours.
pub(crate) fn write_segment(conn: &Connection, backend: &dyn Backend) -> Result<Option<Written>> {
    let me = record::device(conn)?.ok_or_else(sync_off)?;
    let collection: Uuid = stored::state(conn, COLLECTION_KEY)?
        .and_then(|c| c.parse().ok())
        .ok_or_else(sync_off)?;
    let events = stored::outbox(conn, segment::MAX_EVENTS)?;
    if events.is_empty() {
        return Ok(None);
    }
    let dir = format!("log/{}", me.simple());
    // After the last segment of ours anyone has seen: a backup restored here may be behind the
    // folder.
    let in_folder = backend
        .list(&dir)?
        .iter()
        .filter_map(|k| k.rsplit('/').next()?.get(..10)?.parse::<i64>().ok())
        .max()
        .unwrap_or(0);
    let mut seq = stored::last_seq(conn, me)?.max(in_folder) + 1;
    let bodies: Vec<Vec<u8>> = events.iter().map(|e| e.body.clone()).collect();
    loop {
        let header = segment::Header {
            collection,
            device: me,
            seq,
            events: bodies.len(),
        };
        let bytes = segment::encode(&header, &bodies);
        let name = format!("{seq:010}.rseg");
        if backend.put_if_absent(&format!("{dir}/{name}"), &bytes)? {
            let hash: [u8; 32] = bytes[bytes.len() - 32..].try_into().expect("32 bytes");
            return Ok(Some(Written {
                events: events.len(),
                last_hlc: events.iter().map(|e| e.hlc).max().unwrap_or(0),
                name,
                seq,
                hash,
            }));
        }
        seq += 1;
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

/// Tells the other devices about this one (`devices/<id>.json`) and notes the sync's time.
pub(crate) fn finish(
    conn: &Connection,
    backend: &dyn Backend,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    let me = record::device(conn)?.ok_or_else(sync_off)?;
    backend.sweep(&format!("log/{}", me.simple()))?;
    let file = DeviceFile {
        name: stored::state(conn, NAME_KEY)?.unwrap_or_else(default_name),
        version: env!("CARGO_PKG_VERSION").into(),
        last_flush: now.timestamp_millis(),
    };
    backend.put_replace(
        &format!("devices/{}.json", me.simple()),
        &serde_json::to_vec(&file).expect("serializes"),
    )?;
    stored::set_device(
        conn,
        &stored::DeviceRow {
            id: me,
            name: file.name,
            version: file.version,
            last_seen: file.last_flush,
        },
    )?;
    stored::set_state(conn, LAST_SYNC_KEY, &now.timestamp_millis().to_string())
}

fn sync_off() -> Error {
    Error::invalid(
        "sync",
        "sync is off; turn it on with `reprise sync --to FOLDER`",
    )
}

pub(crate) fn status(conn: &Connection, offset: &FixedOffset) -> Result<SyncStatus> {
    let me = record::device(conn)?;
    let when =
        |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).map(|t| instant_text(t, offset));
    let mut device = None;
    let mut devices = Vec::new();
    for d in stored::devices(conn)? {
        let info = DeviceInfo {
            id: d.id.simple().to_string(),
            name: d.name,
            version: d.version,
            last_seen: when(d.last_seen),
            this_device: Some(d.id) == me,
        };
        if info.this_device {
            device = Some(info);
        } else {
            devices.push(info);
        }
    }
    Ok(SyncStatus {
        target: target(conn)?,
        device,
        devices,
        last_sync: stored::state(conn, LAST_SYNC_KEY)?
            .and_then(|v| v.parse().ok())
            .and_then(when),
        pending: stored::outbox_len(conn)?,
    })
}

/// Turns sync off: nothing more is recorded; what was is kept for when it comes back on.
pub(crate) fn off(conn: &Connection) -> Result<()> {
    stored::clear_state(conn, TARGET_KEY)
}
