//! The learner's settings, stored as one JSON document in the `settings` table so new keys get
//! their defaults without a migration, and keys written by a newer version are ignored.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Settings {
    /// Probability of recall FSRS aims for when a review falls due (0.70–0.99).
    pub desired_retention: f32,
    /// New cards introduced per day.
    pub new_per_day: u32,
    /// Reviews per day; new cards count against it too.
    pub reviews_per_day: u32,
    /// Local hour (0–23) at which a new study day starts.
    pub rollover_hour: u32,
    /// Longest interval a review may get, in days.
    pub maximum_interval_days: u32,
    /// Same-day steps for new cards, in minutes.
    pub learning_steps_minutes: Vec<u32>,
    /// Same-day steps after a lapse, in minutes.
    pub relearning_steps_minutes: Vec<u32>,
    /// Spread review intervals a little so cards learned together do not stay together.
    pub fuzz: bool,
    /// Learning cards due within this many minutes are shown when nothing else is left.
    pub learn_ahead_minutes: u32,
    /// FSRS model parameters; empty means the crate's defaults.
    pub fsrs_parameters: Vec<f32>,
    /// After answering a card, its siblings (a term's other direction) wait until tomorrow.
    pub bury_siblings: bool,
    /// Lapses after which a card is a leech; again every half as many lapses after that.
    pub leech_threshold: u32,
    pub leech_action: LeechAction,
    pub new_card_order: NewCardOrder,
    pub review_order: ReviewOrder,
    /// New cards wait until this date (the learner's day), while a backlog is caught up.
    #[ts(type = "string | null")]
    pub pause_new_until: Option<NaiveDate>,
}

/// What happens to a card that keeps being forgotten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LeechAction {
    /// Tag its note `leech` and keep showing it.
    Tag,
    /// Tag it and suspend it until the learner rewrites or unsuspends it.
    Suspend,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NewCardOrder {
    /// Finished lessons' cards first, then each pack in its own order.
    Lessons,
    /// Finished lessons' cards first, then a fixed shuffle.
    Random,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOrder {
    /// Earliest due first.
    Due,
    /// Lowest chance of recall first: after missed days, the cards most at risk come first.
    Retrievability,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            desired_retention: 0.90,
            new_per_day: 20,
            reviews_per_day: 200,
            rollover_hour: 4,
            maximum_interval_days: 36_500,
            learning_steps_minutes: vec![1, 10],
            relearning_steps_minutes: vec![10],
            fuzz: true,
            learn_ahead_minutes: 20,
            fsrs_parameters: Vec::new(),
            bury_siblings: true,
            leech_threshold: 8,
            leech_action: LeechAction::Tag,
            new_card_order: NewCardOrder::Lessons,
            review_order: ReviewOrder::Due,
            pause_new_until: None,
        }
    }
}

/// The range of desired retention the scheduler is trusted with.
pub const MIN_DESIRED_RETENTION: f32 = 0.70;
pub const MAX_DESIRED_RETENTION: f32 = 0.99;

impl Settings {
    /// Whether going from these settings to `new` moves review cards: new FSRS parameters, a
    /// new desired retention or a new maximum interval recompute every card's memory and due
    /// date.
    pub fn reschedules_with(&self, new: &Settings) -> bool {
        self.fsrs_parameters != new.fsrs_parameters
            || self.desired_retention != new.desired_retention
            || self.maximum_interval_days != new.maximum_interval_days
    }

    /// Whether the scheduler gives a different answer under `new`: a card folded from its
    /// events must be folded again.
    pub fn schedules_differently(&self, new: &Settings) -> bool {
        self.reschedules_with(new)
            || self.rollover_hour != new.rollover_hour
            || self.learning_steps_minutes != new.learning_steps_minutes
            || self.relearning_steps_minutes != new.relearning_steps_minutes
            || self.fuzz != new.fuzz
    }

    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, why: String| Err(Error::invalid(field, why));
        if !(MIN_DESIRED_RETENTION..=MAX_DESIRED_RETENTION).contains(&self.desired_retention) {
            return bad(
                "desired_retention",
                format!(
                    "desired retention {} is out of range; choose a value from \
                     {MIN_DESIRED_RETENTION:.2} to {MAX_DESIRED_RETENTION:.2}",
                    self.desired_retention
                ),
            );
        }
        if self.rollover_hour > 23 {
            return bad(
                "rollover_hour",
                format!(
                    "rollover hour {} is not an hour of the day; choose 0 to 23",
                    self.rollover_hour
                ),
            );
        }
        if self.maximum_interval_days == 0 {
            return bad(
                "maximum_interval_days",
                "maximum interval must be at least 1 day".into(),
            );
        }
        for (field, steps) in [
            ("learning_steps_minutes", &self.learning_steps_minutes),
            ("relearning_steps_minutes", &self.relearning_steps_minutes),
        ] {
            if let Some(step) = steps.iter().find(|&&m| m == 0 || m >= 24 * 60) {
                return bad(
                    field,
                    format!(
                        "learning step of {step} minutes is out of range; steps are 1 to 1439 \
                         minutes"
                    ),
                );
            }
        }
        if self.leech_threshold == 0 {
            return bad(
                "leech_threshold",
                "leech threshold must be at least 1 lapse".into(),
            );
        }
        if !self.fsrs_parameters.is_empty() {
            fsrs::FSRS::new(&self.fsrs_parameters).map_err(|e| {
                Error::invalid(
                    "fsrs_parameters",
                    format!("FSRS parameters are invalid ({e}); leave them empty for the defaults"),
                )
            })?;
        }
        Ok(())
    }
}

/// Reading and writing one setting by its name, as `reprise config get|set` does.
impl Settings {
    /// Every setting's name, in the order they are declared.
    pub fn keys() -> Vec<String> {
        match serde_json::to_value(Settings::default()) {
            Ok(Value::Object(map)) => map.keys().cloned().collect(),
            _ => unreachable!("settings serialize to an object"),
        }
    }

    /// One setting's value, as JSON.
    pub fn get(&self, key: &str) -> Result<Value> {
        let mut map = self.to_map();
        map.remove(key).ok_or_else(|| unknown_key(key))
    }

    /// These settings with each key of `patch` set from its text, as [`Settings::with`] reads
    /// it; the first value that cannot be taken names its key.
    pub fn with_patch(&self, patch: &BTreeMap<String, String>) -> Result<Settings> {
        let mut settings = self.clone();
        for (key, value) in patch {
            settings = settings.with(key, value)?;
        }
        Ok(settings)
    }

    /// These settings with `key` set from the text `value`, validated. The text is read by the
    /// setting's type: `on`/`off` for switches, a number, a list such as `1m, 10m` or `none`
    /// for steps, or one of a choice's names.
    pub fn with(&self, key: &str, value: &str) -> Result<Settings> {
        let mut map = self.to_map();
        let current = map.get(key).ok_or_else(|| unknown_key(key))?;
        let invalid =
            |why: String| Error::invalid(key, format!("{key} cannot be '{value}': {why}"));
        let none = value.trim().is_empty() || value.trim().eq_ignore_ascii_case("none");
        let parsed = match current {
            Value::Null | Value::String(_) if none => Value::Null,
            Value::Bool(_) => Value::Bool(parse_switch(value).map_err(invalid)?),
            Value::Number(_) => parse_number(value).map_err(invalid)?,
            Value::Array(_) => {
                let minutes = key.ends_with("_minutes");
                Value::Array(parse_list(value, minutes).map_err(invalid)?)
            }
            _ => Value::String(value.trim().to_ascii_lowercase()),
        };
        map.insert(key.to_owned(), parsed);
        let settings: Settings =
            serde_json::from_value(Value::Object(map)).map_err(|e| invalid(e.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    fn to_map(&self) -> serde_json::Map<String, Value> {
        // Through text, so an f32 such as 0.9 reads back as 0.9, not as its f64 widening.
        let text = serde_json::to_string(self).expect("settings serialize");
        match serde_json::from_str(&text) {
            Ok(Value::Object(map)) => map,
            _ => unreachable!("settings serialize to an object"),
        }
    }
}

fn unknown_key(key: &str) -> Error {
    Error::invalid(
        "key",
        format!(
            "there is no setting '{key}'; the settings are: {}",
            Settings::keys().join(", ")
        ),
    )
}

fn parse_switch(text: &str) -> std::result::Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        _ => Err("use on or off".into()),
    }
}

/// A whole number stays whole, so a count like `new_per_day` accepts `20` but not `20.5`.
fn parse_number(text: &str) -> std::result::Result<Value, String> {
    let text = text.trim();
    if let Ok(whole) = text.parse::<u64>() {
        return Ok(Value::from(whole));
    }
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(Value::from(n)),
        _ => Err("not a number".into()),
    }
}

/// `none` (or nothing) is the empty list. Steps may carry a unit: `10m` is ten minutes, `2h`
/// two hours.
fn parse_list(text: &str, minutes: bool) -> std::result::Result<Vec<Value>, String> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|token| {
            let (number, scale) = match token.to_ascii_lowercase() {
                t if minutes && t.ends_with('h') => (t[..t.len() - 1].to_owned(), 60.0),
                t if minutes && t.ends_with('m') => (t[..t.len() - 1].to_owned(), 1.0),
                t => (t, 1.0),
            };
            match parse_number(&number)? {
                Value::Number(n) if minutes => {
                    // Rounding undoes float noise (0.1h is 6.000000000000001 minutes) before
                    // the whole-minute check.
                    let value = (n.as_f64().unwrap_or(f64::NAN) * scale * 1e6).round() / 1e6;
                    if value.fract() != 0.0 || value < 0.0 {
                        return Err(format!("'{token}' is not a whole number of minutes"));
                    }
                    Ok(Value::from(value as u64))
                }
                other => Ok(other),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_as_the_form_and_the_cli_write_them() {
        let s = Settings::default();
        let steps = |text: &str| {
            s.with("learning_steps_minutes", text)
                .map(|s| s.learning_steps_minutes)
        };
        assert_eq!(steps("0.1h").unwrap(), vec![6]);
        assert_eq!(steps("1.5h, 10m 3").unwrap(), vec![90, 10, 3]);
        assert_eq!(steps("none").unwrap(), Vec::<u32>::new());
        let err = steps("0.01h").unwrap_err().to_string();
        assert!(
            err.contains("'0.01h' is not a whole number of minutes"),
            "{err}"
        );
    }

    #[test]
    fn a_patch_sets_each_key_from_text_and_names_the_key_it_refuses() {
        let patch = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let s = Settings::default()
            .with_patch(&patch(&[
                ("desired_retention", "0.85"),
                ("relearning_steps_minutes", "5m 1h"),
            ]))
            .unwrap();
        assert_eq!(
            (s.desired_retention, s.relearning_steps_minutes.clone()),
            (0.85, vec![5, 60])
        );
        assert_eq!(
            s.new_per_day,
            Settings::default().new_per_day,
            "keys not in the patch stay"
        );
        let err = s
            .with_patch(&patch(&[("new_per_day", "12"), ("rollover_hour", "25")]))
            .unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { field, .. } if field == "rollover_hour"),
            "{err}"
        );
    }

    #[test]
    fn defaults_are_valid_and_out_of_range_values_are_rejected() {
        Settings::default().validate().unwrap();
        let cases = [
            Settings {
                desired_retention: 1.0,
                ..Default::default()
            },
            Settings {
                rollover_hour: 24,
                ..Default::default()
            },
            Settings {
                learning_steps_minutes: vec![0],
                ..Default::default()
            },
            Settings {
                maximum_interval_days: 0,
                ..Default::default()
            },
        ];
        for settings in cases {
            let err = settings.validate().unwrap_err();
            assert!(matches!(err, Error::Invalid { .. }), "{settings:?}");
        }
    }

    #[test]
    fn one_setting_is_set_from_text_by_its_type() {
        let s = Settings::default();
        assert!(!s.with("fuzz", "off").unwrap().fuzz);
        assert_eq!(
            s.with("desired_retention", "0.85")
                .unwrap()
                .desired_retention,
            0.85
        );
        assert_eq!(s.with("new_per_day", "5").unwrap().new_per_day, 5);
        let steps = s.with("learning_steps_minutes", "1m, 10m 1h").unwrap();
        assert_eq!(steps.learning_steps_minutes, vec![1, 10, 60]);
        assert!(s
            .with("relearning_steps_minutes", "none")
            .unwrap()
            .relearning_steps_minutes
            .is_empty());
        assert_eq!(
            s.with("leech_action", "Suspend").unwrap().leech_action,
            LeechAction::Suspend
        );
        assert_eq!(s.get("leech_threshold").unwrap(), Value::from(8));
        assert_eq!(s.get("desired_retention").unwrap().to_string(), "0.9");
        assert!(Settings::keys().contains(&"bury_siblings".to_owned()));
    }

    #[test]
    fn a_bad_setting_says_which_and_why() {
        let s = Settings::default();
        let message = |key: &str, value: &str| s.with(key, value).unwrap_err().to_string();
        assert!(message("desired_retention", "0.5").contains("0.70 to 0.99"));
        assert!(message("desired_retention", "high").contains("not a number"));
        assert!(message("new_per_day", "2.5").contains("new_per_day cannot be '2.5'"));
        assert!(message("fuzz", "maybe").contains("use on or off"));
        assert!(message("leech_action", "delete").contains("`tag`"));
        assert!(message("learning_steps_minutes", "1.5").contains("whole number of minutes"));
        assert!(message("rollover_hour", "24").contains("0 to 23"));
        let unknown = message("retention", "0.9");
        assert!(
            unknown.contains("no setting 'retention'") && unknown.contains("desired_retention")
        );
    }

    #[test]
    fn missing_keys_take_their_defaults_and_unknown_keys_are_ignored() {
        let parsed: Settings =
            serde_json::from_str(r#"{"new_per_day": 5, "added_in_a_later_version": true}"#)
                .unwrap();
        assert_eq!(parsed.new_per_day, 5);
        assert_eq!(parsed.reviews_per_day, 200);
    }
}
