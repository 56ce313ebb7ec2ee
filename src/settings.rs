//! The learner's settings, stored as one JSON document in the `settings` table so new keys get
//! their defaults without a migration, and keys written by a newer version are ignored.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
        }
    }
}

impl Settings {
    pub fn validate(&self) -> Result<()> {
        let bad = |msg: String| Err(Error::InvalidInput(msg));
        if !(0.70..=0.99).contains(&self.desired_retention) {
            return bad(format!(
                "desired retention {} is out of range; choose a value from 0.70 to 0.99",
                self.desired_retention
            ));
        }
        if self.rollover_hour > 23 {
            return bad(format!(
                "rollover hour {} is not an hour of the day; choose 0 to 23",
                self.rollover_hour
            ));
        }
        if self.maximum_interval_days == 0 {
            return bad("maximum interval must be at least 1 day".into());
        }
        let steps = self
            .learning_steps_minutes
            .iter()
            .chain(&self.relearning_steps_minutes);
        if let Some(step) = steps.clone().find(|&&m| m == 0 || m >= 24 * 60) {
            return bad(format!(
                "learning step of {step} minutes is out of range; steps are 1 to 1439 minutes"
            ));
        }
        if !self.fsrs_parameters.is_empty() {
            fsrs::FSRS::new(&self.fsrs_parameters).map_err(|e| {
                Error::InvalidInput(format!(
                    "FSRS parameters are invalid ({e}); leave them empty for the defaults"
                ))
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert!(matches!(err, Error::InvalidInput(_)), "{settings:?}");
        }
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
