//! What this device keeps for itself, beside the collection and never synced: the desktop's zoom
//! and its daily reminder. One small JSON file in the data directory, written whole (a new file
//! renamed over the old), so a crash leaves the old preferences or the new, never half of each.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset, NaiveTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::study::Status;

/// The file, in the data directory.
pub const FILE: &str = "device.json";
/// The zoom's range and step (Ctrl+= and Ctrl+- move by one step).
pub const MIN_ZOOM: f64 = 0.5;
pub const MAX_ZOOM: f64 = 2.0;
pub const ZOOM_STEP: f64 = 0.1;

/// This device's preferences. Fields missing from the file take their defaults, so an older
/// file reads as it was meant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DevicePrefs {
    /// The desktop's zoom, from 0.5 to 2 (1 is 100 %).
    pub zoom: f64,
    /// "HH:MM", the local time of the daily reminder of the cards due; null for none.
    pub reminder: Option<String>,
}

impl Default for DevicePrefs {
    fn default() -> Self {
        DevicePrefs {
            zoom: 1.0,
            reminder: None,
        }
    }
}

/// The app's version and where its collection lives, for Settings' "About".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct About {
    pub version: String,
    pub data_dir: String,
}

/// The version of the app and where its data is.
pub fn about(data_dir: &Path) -> About {
    About {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: data_dir.display().to_string(),
    }
}

impl DevicePrefs {
    /// Refuses a zoom out of range or a reminder that is not a time of day, naming the field.
    pub fn check(&self) -> Result<()> {
        if !(MIN_ZOOM..=MAX_ZOOM).contains(&self.zoom) {
            return Err(Error::invalid(
                "zoom",
                format!(
                    "the zoom must be from {:.0} % to {:.0} %, not {}",
                    MIN_ZOOM * 100.0,
                    MAX_ZOOM * 100.0,
                    self.zoom
                ),
            ));
        }
        if let Some(at) = &self.reminder {
            reminder_time(at)?;
        }
        Ok(())
    }

    /// The next moment the reminder is due after `now`, in `now`'s offset: today at its time if
    /// that is still ahead, else tomorrow. None when there is no reminder.
    pub fn next_reminder(&self, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        let time = reminder_time(self.reminder.as_deref()?).ok()?;
        let today = now
            .date_naive()
            .and_time(time)
            .and_local_timezone(*now.offset())
            .single()?;
        Some(if today > now {
            today
        } else {
            today + Duration::days(1)
        })
    }
}

/// What the daily reminder says, or None on a day with nothing due: it reminds, it never nags.
pub fn reminder_text(status: &Status) -> Option<String> {
    let due = status.new + status.learning + status.review;
    let cards = if due == 1 { "card is" } else { "cards are" };
    (due > 0).then(|| {
        format!(
            "{due} {cards} waiting: {} new, {} learning, {} to review.",
            status.new, status.learning, status.review
        )
    })
}

/// "07:30" as a time of day; anything else is refused with what is expected.
fn reminder_time(text: &str) -> Result<NaiveTime> {
    let ok = text.len() == 5 && text.as_bytes()[2] == b':';
    ok.then(|| NaiveTime::parse_from_str(text, "%H:%M").ok())
        .flatten()
        .ok_or_else(|| {
            Error::invalid(
                "reminder",
                format!("the reminder time must be a time of day such as 07:30, not \"{text}\""),
            )
        })
}

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// This device's preferences: the defaults when none were saved, or when the file cannot be
/// read as preferences (it only ever holds what `save` wrote; a damaged one is replaced at the
/// next save rather than keeping the app from starting).
pub fn load(data_dir: &Path) -> DevicePrefs {
    let Ok(text) = fs::read(path(data_dir)) else {
        return DevicePrefs::default();
    };
    serde_json::from_slice::<DevicePrefs>(&text)
        .ok()
        .filter(|p| p.check().is_ok())
        .unwrap_or_default()
}

/// Checks and saves `prefs` durably: written to a new file, synced, then renamed over the old.
pub fn save(data_dir: &Path, prefs: &DevicePrefs) -> Result<()> {
    prefs.check()?;
    fs::create_dir_all(data_dir).map_err(|e| Error::io(data_dir, e))?;
    let dest = path(data_dir);
    let partial = data_dir.join(format!("{FILE}.partial"));
    let text = serde_json::to_vec_pretty(prefs).expect("preferences serialize");
    let written = fs::File::create(&partial)
        .and_then(|mut f| f.write_all(&text).and_then(|()| f.sync_all()))
        .and_then(|()| fs::rename(&partial, &dest));
    written.map_err(|e| Error::io(&dest, e))?;
    // The rename itself is durable once the folder is.
    if let Ok(dir) = fs::File::open(data_dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tempfile::TempDir;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn reminder(time: &str) -> DevicePrefs {
        DevicePrefs {
            reminder: Some(time.into()),
            ..DevicePrefs::default()
        }
    }

    #[test]
    fn saved_preferences_read_back_and_a_missing_file_reads_as_defaults() {
        let dir = TempDir::new().unwrap();
        assert_eq!(load(dir.path()), DevicePrefs::default());
        let prefs = DevicePrefs {
            zoom: 1.3,
            reminder: Some("07:30".into()),
        };
        save(dir.path(), &prefs).unwrap();
        assert_eq!(load(dir.path()), prefs);
        assert!(!dir.path().join("device.json.partial").exists());
    }

    #[test]
    fn bad_values_are_refused_by_name_and_change_nothing() {
        let dir = TempDir::new().unwrap();
        save(dir.path(), &reminder("08:00")).unwrap();
        for (bad, field) in [
            (
                DevicePrefs {
                    zoom: 3.0,
                    ..DevicePrefs::default()
                },
                "zoom",
            ),
            (
                DevicePrefs {
                    zoom: f64::NAN,
                    ..DevicePrefs::default()
                },
                "zoom",
            ),
            (reminder("25:00"), "reminder"),
            (reminder("7:30"), "reminder"),
            (reminder("07:30:00"), "reminder"),
        ] {
            match save(dir.path(), &bad) {
                Err(Error::Invalid { field: f, why }) => {
                    assert_eq!(f, field, "{why}");
                    assert!(why.contains("must be"), "{why}");
                }
                other => panic!("{bad:?} was not refused: {other:?}"),
            }
            assert_eq!(load(dir.path()), reminder("08:00"));
        }
    }

    #[test]
    fn a_damaged_file_reads_as_defaults_and_an_old_one_keeps_its_fields() {
        let dir = TempDir::new().unwrap();
        fs::write(dir.path().join(FILE), b"{\"zoom\": ").unwrap();
        assert_eq!(load(dir.path()), DevicePrefs::default());
        fs::write(dir.path().join(FILE), b"{\"zoom\": 9}").unwrap();
        assert_eq!(load(dir.path()), DevicePrefs::default());
        fs::write(dir.path().join(FILE), b"{\"zoom\": 1.2}").unwrap();
        assert_eq!(load(dir.path()).zoom, 1.2);
        assert_eq!(load(dir.path()).reminder, None);
    }

    #[test]
    fn the_reminder_counts_what_is_due_and_says_nothing_when_nothing_is() {
        let status = |new, learning, review| Status {
            new,
            learning,
            review,
            total_cards: 184,
            next_due: None,
        };
        assert_eq!(
            reminder_text(&status(5, 2, 13)).as_deref(),
            Some("20 cards are waiting: 5 new, 2 learning, 13 to review.")
        );
        assert_eq!(
            reminder_text(&status(0, 0, 1)).as_deref(),
            Some("1 card is waiting: 0 new, 0 learning, 1 to review.")
        );
        assert_eq!(reminder_text(&status(0, 0, 0)), None);
    }

    #[test]
    fn the_next_reminder_is_today_while_its_time_is_ahead_then_tomorrow() {
        let prefs = reminder("07:30");
        assert_eq!(
            prefs.next_reminder(at("2026-12-05T06:00:00+01:00")),
            Some(at("2026-12-05T07:30:00+01:00"))
        );
        // At the very minute it is due it has fired: the next is tomorrow's.
        assert_eq!(
            prefs.next_reminder(at("2026-12-05T07:30:00+01:00")),
            Some(at("2026-12-06T07:30:00+01:00"))
        );
        assert_eq!(
            prefs.next_reminder(at("2026-12-31T23:00:00-05:00")),
            Some(at("2027-01-01T07:30:00-05:00"))
        );
        assert_eq!(
            DevicePrefs::default().next_reminder(at("2026-12-05T06:00:00Z")),
            None
        );
    }
}
