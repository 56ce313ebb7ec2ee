//! Sync's promises as properties. Three devices study, undo, suspend, reset and change settings
//! (the desired retention among them, which moves every card) at random, on clocks up to three
//! days apart in three time zones (one crossing a DST change), each through its own copy of the
//! sync folder. A simulated sync tool delivers the files late,
//! in any order, half-written first, twice, as conflict copies, and deletes some before
//! delivering them again. Once everything is delivered and every device has synced:
//! - (a) every device holds the same cards, review log and settings (convergence);
//! - (b) every answer a device acknowledged and did not undo is on every device (no loss);
//! - (c) each device's cards are what their events fold to, and a new device that joins then
//!   builds the same collection from the folder alone (incremental equals rebuild);
//! - (d) all of it whatever order files arrived in (the deliveries are random).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset};
use common::sync::studied_ids;
use proptest::prelude::*;
use reprise::study::CardAction;
use reprise::{CardId, Collection, Rating};
use tempfile::TempDir;

const DEVICES: usize = 3;

#[derive(Debug, Clone)]
enum Step {
    Answer { dev: usize, rating: u8 },
    Undo { dev: usize },
    Suspend { dev: usize, pick: usize, on: bool },
    Reset { dev: usize, pick: usize },
    NewPerDay { dev: usize, n: u32 },
    Retention { dev: usize, percent: u32 },
    Sync { dev: usize },
    Deliver { pick: usize, to: usize, how: How },
    Wait { minutes: i64 },
}

#[derive(Debug, Clone, Copy)]
enum How {
    Whole,
    Half,
    Twice(u8),
    Delete,
}

fn step() -> impl Strategy<Value = Step> {
    let dev = 0..DEVICES;
    prop_oneof![
        6 => (dev.clone(), 1u8..=4).prop_map(|(dev, rating)| Step::Answer { dev, rating }),
        2 => dev.clone().prop_map(|dev| Step::Undo { dev }),
        1 => (dev.clone(), any::<usize>(), any::<bool>())
            .prop_map(|(dev, pick, on)| Step::Suspend { dev, pick, on }),
        1 => (dev.clone(), any::<usize>()).prop_map(|(dev, pick)| Step::Reset { dev, pick }),
        1 => (dev.clone(), 5u32..40).prop_map(|(dev, n)| Step::NewPerDay { dev, n }),
        1 => (dev.clone(), 80u32..=95).prop_map(|(dev, percent)| Step::Retention { dev, percent }),
        3 => dev.clone().prop_map(|dev| Step::Sync { dev }),
        5 => (any::<usize>(), dev, prop_oneof![
            4 => Just(How::Whole),
            2 => Just(How::Half),
            1 => (0u8..3).prop_map(How::Twice),
            1 => Just(How::Delete),
        ])
            .prop_map(|(pick, to, how)| Step::Deliver { pick, to, how }),
        2 => (1i64..600).prop_map(|minutes| Step::Wait { minutes }),
    ]
}

struct Device {
    col: Collection,
    view: PathBuf,
    /// How far this device's clock is from the true time.
    skew: Duration,
    /// This device's answers, and whether each undo step is an answer (the review's id).
    steps: Vec<Option<String>>,
}

/// The collection with the built-in pack, made once and copied for every device.
fn template() -> &'static Path {
    static DIR: std::sync::OnceLock<TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = TempDir::new().unwrap();
        Collection::open(dir.path(), start()).unwrap();
        dir
    })
    .path()
}

fn start() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2027-03-26T18:00:00+00:00").unwrap()
}

/// Device 0 lives in UTC+1, device 1 in Berlin (summer time from 2027-03-28 01:00 UTC), device 2
/// in UTC-5.
fn local(dev: usize, utc: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let hours = match dev {
        0 => 1,
        1 if utc < DateTime::parse_from_rfc3339("2027-03-28T01:00:00+00:00").unwrap() => 1,
        1 => 2,
        _ => -5,
    };
    utc.with_timezone(&FixedOffset::east_opt(hours * 3600).unwrap())
}

fn copy_template(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(template()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// Files each device wrote into its own view, as (relative path, owner).
fn published(devices: &[Device]) -> Vec<(String, usize)> {
    let mut files = Vec::new();
    for (owner, d) in devices.iter().enumerate() {
        let me = d
            .col
            .sync_status(start())
            .unwrap()
            .device
            .map(|m| m.id)
            .unwrap_or_default();
        let mut own = vec![format!("devices/{me}.json")];
        if let Ok(entries) = std::fs::read_dir(d.view.join("log").join(&me)) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') {
                    own.push(format!("log/{me}/{name}"));
                }
            }
        }
        for path in own {
            if d.view.join(&path).exists() {
                files.push((path, owner));
            }
        }
    }
    files.sort();
    files
}

fn deliver(devices: &[Device], path: &str, owner: usize, to: usize, how: How) {
    if to == owner {
        return;
    }
    let bytes = std::fs::read(devices[owner].view.join(path)).unwrap();
    let dest = devices[to].view.join(path);
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    match how {
        How::Whole => std::fs::write(&dest, &bytes).unwrap(),
        How::Half => {
            // A sync tool writing a file in place, caught half way.
            if !dest.exists() {
                std::fs::write(&dest, &bytes[..bytes.len() / 2]).unwrap();
            }
        }
        How::Twice(style) => {
            let name = dest.file_name().unwrap().to_string_lossy().into_owned();
            let (stem, ext) = name.split_once('.').unwrap_or((&name, ""));
            let copy = match style {
                0 => format!("{stem}.sync-conflict-20270327-101010-ABCDEFG.{ext}"),
                1 => format!("{stem} (conflicted copy 2027-03-27).{ext}"),
                _ => format!("{stem} 2.{ext}"),
            };
            std::fs::write(dest.with_file_name(copy), &bytes).unwrap();
            std::fs::write(&dest, &bytes).unwrap();
        }
        How::Delete => {
            let _ = std::fs::remove_file(&dest);
        }
    }
}

/// Everything that must agree between devices: each card's schedule and suspension, the live
/// review log, and the settings.
fn canonical(col: &Collection) -> String {
    let conn = col.store().conn();
    let cards: Vec<String> = conn
        .prepare(
            "SELECT id, state, due, stability, difficulty, step, reps, lapses, hidden & 1
             FROM cards WHERE state != 0 OR hidden & 1 ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| {
            Ok(format!(
                "{}:{}:{:?}:{:?}:{:?}:{}:{}:{}:{}",
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<f64>>(3)?,
                r.get::<_, Option<f64>>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, i64>(8)?
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let reviews: Vec<String> = conn
        .prepare(
            "SELECT hex(uuid), card_id, reviewed_at, rating, state_before, state_after,
                    elapsed_days
             FROM revlog ORDER BY uuid",
        )
        .unwrap()
        .query_map([], |r| {
            Ok(format!(
                "{}:{}:{}:{}:{}:{}:{}",
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    format!(
        "{}\n{}\n{}",
        cards.join("\n"),
        reviews.join("\n"),
        serde_json::to_string(col.settings()).unwrap()
    )
}

fn review_ids(col: &Collection) -> BTreeSet<String> {
    col.store()
        .conn()
        .prepare("SELECT hex(uuid) FROM revlog")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// `action` on one of the device's studied cards (`pick` chooses which), if it has any.
fn act_on_studied(d: &mut Device, at: DateTime<FixedOffset>, pick: usize, action: CardAction) {
    let studied = studied_ids(&d.col);
    if studied.is_empty() {
        return;
    }
    let card = CardId(studied[pick % studied.len()]);
    if d.col.card_action(action, &[card], at).unwrap().changed > 0 {
        d.steps.push(None);
    }
}

fn run(steps: Vec<Step>, skews: [i64; DEVICES]) {
    let root = TempDir::new().unwrap();
    let mut now = start();
    let mut devices: Vec<Device> = Vec::new();
    for (dev, skew) in skews.iter().enumerate() {
        let data = root.path().join(format!("data{dev}"));
        copy_template(&data);
        let view = root.path().join(format!("view{dev}"));
        std::fs::create_dir_all(&view).unwrap();
        if dev > 0 {
            // The sync tool has carried the folder's id file over before the device joins.
            let first = &devices[0].view;
            std::fs::copy(
                first.join("reprise-sync.json"),
                view.join("reprise-sync.json"),
            )
            .unwrap();
        }
        let skew = Duration::hours(*skew);
        let mut col = Collection::open(&data, local(dev, now + skew)).unwrap();
        col.sync_to(
            view.to_str().unwrap(),
            Some(&format!("device {dev}")),
            local(dev, now + skew),
        )
        .unwrap();
        devices.push(Device {
            col,
            view,
            skew,
            steps: Vec::new(),
        });
    }
    let mut acknowledged: BTreeSet<String> = BTreeSet::new();
    let mut undone: BTreeSet<String> = BTreeSet::new();
    for step in steps {
        match step {
            Step::Answer { dev, rating } => {
                let d = &mut devices[dev];
                let at = local(dev, now + d.skew);
                let Some(card) = d.col.next_card(at).unwrap() else {
                    continue;
                };
                let before = review_ids(&d.col);
                let rating = Rating::from_number(i64::from(rating)).unwrap();
                d.col.answer(card.card_id, rating, at, 3_000).unwrap();
                let new: Vec<String> = review_ids(&d.col).difference(&before).cloned().collect();
                assert_eq!(new.len(), 1);
                acknowledged.insert(new[0].clone());
                d.steps.push(Some(new[0].clone()));
            }
            Step::Undo { dev } => {
                let d = &mut devices[dev];
                let at = local(dev, now + d.skew);
                if d.col.undo(at).unwrap().is_some() {
                    if let Some(Some(id)) = d.steps.pop() {
                        undone.insert(id);
                    }
                }
            }
            Step::Suspend { dev, pick, on } => {
                let action = if on {
                    CardAction::Suspend
                } else {
                    CardAction::Unsuspend
                };
                let at = local(dev, now + devices[dev].skew);
                act_on_studied(&mut devices[dev], at, pick, action);
            }
            Step::Reset { dev, pick } => {
                let at = local(dev, now + devices[dev].skew);
                act_on_studied(&mut devices[dev], at, pick, CardAction::Reset);
            }
            Step::NewPerDay { dev, n } => {
                let d = &mut devices[dev];
                let at = local(dev, now + d.skew);
                let patch = BTreeMap::from([("new_per_day".to_string(), n.to_string())]);
                d.col.update_settings(&patch, at).unwrap();
            }
            Step::Retention { dev, percent } => {
                let d = &mut devices[dev];
                let at = local(dev, now + d.skew);
                let value = format!("0.{percent}");
                let patch = BTreeMap::from([("desired_retention".to_string(), value)]);
                d.col.update_settings(&patch, at).unwrap();
            }
            Step::Sync { dev } => {
                let d = &mut devices[dev];
                let at = local(dev, now + d.skew);
                d.col.sync(at).unwrap();
            }
            Step::Deliver { pick, to, how } => {
                let files = published(&devices);
                if !files.is_empty() {
                    let (path, owner) = &files[pick % files.len()];
                    deliver(&devices, path, *owner, to, how);
                }
            }
            Step::Wait { minutes } => now += Duration::minutes(minutes),
        }
    }
    // Quiescence: the sync tool delivers everything, every device syncs, until nothing moves.
    for _ in 0..4 {
        for (path, owner) in published(&devices) {
            for to in 0..DEVICES {
                deliver(&devices, &path, owner, to, How::Whole);
            }
        }
        for (dev, d) in devices.iter_mut().enumerate() {
            let at = local(dev, now + d.skew);
            d.col.sync(at).unwrap();
        }
    }
    let states: Vec<String> = devices.iter().map(|d| canonical(&d.col)).collect();
    if std::env::var_os("SYNC_PROPTEST_SAY").is_some() {
        eprintln!(
            "answers {} undone {} reviews held {} suspended {}",
            acknowledged.len(),
            undone.len(),
            review_ids(&devices[0].col).len(),
            states[0].lines().filter(|l| l.ends_with(":1")).count()
        );
    }
    for (dev, state) in states.iter().enumerate().skip(1) {
        assert_eq!(state, &states[0], "device {dev} differs from device 0");
    }
    for (dev, d) in devices.iter().enumerate() {
        let held = review_ids(&d.col);
        let lost: Vec<_> = acknowledged
            .difference(&undone)
            .filter(|id| !held.contains(*id))
            .collect();
        assert!(
            lost.is_empty(),
            "device {dev} lacks acknowledged answers {lost:?}"
        );
        let verified = d.col.sync_verify().unwrap();
        assert!(verified.differ.is_empty(), "device {dev}: {verified:?}");
    }
    // A new device builds the same collection from the folder alone.
    let data = root.path().join("fresh");
    copy_template(&data);
    let mut fresh = Collection::open(&data, local(0, now)).unwrap();
    fresh
        .sync_to(
            devices[0].view.to_str().unwrap(),
            Some("fresh"),
            local(0, now),
        )
        .unwrap();
    assert_eq!(canonical(&fresh), states[0], "a fresh device differs");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("SYNC_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        .. ProptestConfig::default()
    })]

    #[test]
    fn devices_converge_without_losing_an_answer(
        steps in prop::collection::vec(step(), 10..70),
        skews in [-72i64..=72, -72i64..=72, -72i64..=72],
    ) {
        run(steps, skews);
    }
}
