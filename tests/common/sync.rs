//! Looking at a synced collection.

use chrono::{DateTime, FixedOffset};
use reprise::schedule::Rating;
use reprise::{CardId, Collection};
use tempfile::TempDir;

/// A card as its schedule and log say it is: state, due, stability, reps, lapses, and its
/// reviews (id and rating) in time order.
pub type CardState = (i64, Option<i64>, Option<f64>, i64, i64, Vec<String>);

pub fn card_state(col: &Collection, id: CardId) -> CardState {
    let conn = col.store().conn();
    let (state, due, stability, reps, lapses) = conn
        .query_row(
            "SELECT state, due, stability, reps, lapses FROM cards WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let reviews = conn
        .prepare(
            "SELECT hex(uuid) || ':' || rating FROM revlog WHERE card_id = ?1 ORDER BY reviewed_at",
        )
        .unwrap()
        .query_map([id.0], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (state, due, stability, reps, lapses, reviews)
}

/// The ids of the cards studied at least once, in order.
pub fn studied_ids(col: &Collection) -> Vec<i64> {
    col.store()
        .conn()
        .prepare("SELECT id FROM cards WHERE state != 0 ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A device: its own data folder and collection, syncing through `folder`.
pub struct Device {
    pub _dir: TempDir,
    pub col: Collection,
}

pub fn device(folder: &std::path::Path, name: &str, now: DateTime<FixedOffset>) -> Device {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now).unwrap();
    col.sync_to(folder.to_str().unwrap(), Some(name), now)
        .unwrap();
    Device { _dir: dir, col }
}

/// Answers the next card to study.
pub fn answer_next(col: &mut Collection, rating: Rating, now: DateTime<FixedOffset>) -> CardId {
    let card = col
        .next_card(now)
        .unwrap()
        .expect("a card to study")
        .card_id;
    col.answer(card, rating, now, 4_000).unwrap();
    card
}

/// A segment from a "device" that is whole and checksummed but hostile inside.
pub fn plant_segment(folder: &std::path::Path, events: &[Vec<u8>]) -> uuid::Uuid {
    let device = uuid::Uuid::from_u128(0xdead_beef);
    plant_segment_of(folder, device, 1, events);
    device
}

/// Segment number `seq` of `device`, holding `events`.
#[allow(dead_code)]
pub fn plant_segment_of(
    folder: &std::path::Path,
    device: uuid::Uuid,
    seq: i64,
    events: &[Vec<u8>],
) {
    use reprise::sync::segment::{encode, Header};
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("reprise-sync.json")).unwrap()).unwrap();
    let header = Header {
        collection: file["collection"].as_str().unwrap().parse().unwrap(),
        device,
        seq,
        events: events.len(),
    };
    let dir = folder.join("log").join(device.simple().to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let name = format!("{seq:010}.rseg");
    std::fs::write(dir.join(name), encode(&header, events)).unwrap();
}

/// A register write by `device`, as a segment carries it.
pub fn register_event(
    device: uuid::Uuid,
    id: u128,
    hlc: u64,
    scope: reprise::sync::event::Scope,
    key: &str,
    value: serde_json::Value,
) -> Vec<u8> {
    use reprise::sync::event::{Body, Event};
    Event {
        id: uuid::Uuid::from_u128(id),
        device,
        hlc,
        at: 0,
        tz_min: 0,
        body: Body::Register {
            scope,
            key: key.into(),
            value,
        },
    }
    .encode()
}
