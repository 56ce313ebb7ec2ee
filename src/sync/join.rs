//! Joining: turning sync on, and making events of what this device held before.

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::Connection;
use uuid::{NoContext, Timestamp, Uuid};

use super::event::{DeviceId, Event, Scope};
use super::folder::Backend;
use super::record::{self, Out};
use super::{FolderFile, COLLECTION_KEY, FOLDER_FILE, NAME_KEY, TARGET_KEY};
use crate::collection::{Changes, Tx};
use crate::error::{Error, Result};
use crate::ids::CardId;
use crate::schedule::{CardState, Schedule};
use crate::store::{self, sync as stored};

/// The folder's collection id, written by the first device that used it.
pub(crate) fn folder_collection(backend: &dyn Backend) -> Result<Uuid> {
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

/// Turns sync on (or points it elsewhere), into the folder of `collection` (read with
/// [`folder_collection`] beforehand, outside the transaction), and records this device's
/// history as its events, so two devices that both have history simply merge.
pub(crate) fn connect(
    tx: &mut Tx,
    collection: Uuid,
    target: &str,
    name: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<()> {
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
    // The packs imported before go out after the first read of the target: a pack another
    // device already sends is not sent over it.
    stored::set_state(conn, SEND_PACKS_KEY, "1")?;
    record_history(tx.raw(Changes::NONE), device, now)
}

/// Set at joining until the packs imported before it are sent ([`send_packs`]).
const SEND_PACKS_KEY: &str = "send_packs";

/// The namespace of the ids of imported starts-over (see [`record_history`]).
const STARTED_OVER: Uuid = Uuid::from_u128(0x3c1e_9f20_5b7a_4d6e_8a41_c2f0_7d93_e615);

/// Sends the packs imported before joining that no other device sends, once after joining
/// (see [`super::packs::send_unregistered`]).
pub(crate) fn send_packs(conn: &Connection, now: DateTime<FixedOffset>) -> Result<()> {
    let Some(device) = record::device(conn)? else {
        return Ok(());
    };
    if stored::state(conn, SEND_PACKS_KEY)?.is_none() {
        return Ok(());
    }
    let mut out = Out::new(conn, device, now)?;
    super::packs::send_unregistered(&mut out, conn)?;
    out.close()?;
    stored::clear_state(conn, SEND_PACKS_KEY)
}

pub(crate) fn default_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "this device".into())
}

/// Gives this device a new id, because another device syncs under its old one (a copied data
/// folder): its changes not written out yet are this new device's.
pub(crate) fn new_identity(conn: &Connection, now: DateTime<FixedOffset>) -> Result<Uuid> {
    let device = new_id(now);
    stored::set_state(conn, record::DEVICE_KEY, &device.to_string())?;
    for pending in stored::outbox(conn, usize::MAX)? {
        if let (_, Some(mut event)) = Event::decode(&pending.body)? {
            event.device = device;
            stored::rewrite_event(conn, pending.id, device, &event.encode())?;
        }
    }
    Ok(device)
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
/// set outside answers, and suspensions — at joining, and after an import brought history in.
/// (Settings wait until the folder's have been read: [`send_unset_settings`].)
pub(crate) fn record_history(
    conn: &Connection,
    device: DeviceId,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    let mut out = Out::new(conn, device, now)?;
    let reviews = stored::reviews_without_events(conn)?;
    let (mut reps, mut parent) = (0, None);
    for (i, r) in reviews.iter().enumerate() {
        let first_of_card = i == 0 || reviews[i - 1].card != r.card;
        if first_of_card {
            reps = 0;
            parent = stored::folded(conn, r.card)?.map(|(head, _)| head);
        }
        // An answer that found a new card after earlier ones (Anki's "forget" before it, which
        // its import started the card over at): the fold starts over there too, from a
        // `card_set` to a new card, so every device logs what the answer found as this one did.
        // Named by the answer and a millisecond before it, the event is the same on every
        // device that imported the same log, and comes before the answer whichever's clock
        // value is higher.
        if parent.is_some() && r.state_before == Some(CardState::New) {
            let id = Uuid::new_v5(&STARTED_OVER, r.uuid.as_bytes());
            parent = Some(out.reset_event(id, r.card, parent, r.at - 1)?);
            reps = 0;
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
    // The notes the learner wrote, edited or deleted, with their tags.
    for note in store::notes::authored(conn)? {
        if stored::register(conn, Scope::Note.name(), &note.0.to_string())?.is_none() {
            out.note_changed(note)?;
            out.tags_changed(note)?;
        }
    }
    out.close()
}

/// Sends the settings whose value here no register holds: all of them from the first device;
/// none from a device joining a folder in use, which has just adopted the settings found there.
pub(crate) fn send_unset_settings(
    conn: &Connection,
    device: DeviceId,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    let mut out = Out::new(conn, device, now)?;
    out.settings_changed()?;
    out.close()
}
