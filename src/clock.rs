//! The one clock. The core never reads the time itself: every entry point takes "now", and front
//! ends read it from a [`Clock`] they hold — the system's, or a fixed instant (`--now`,
//! `REPRISE_NOW`) so that tests, the CLI and the desktop app can all travel in time alike.

use std::time::Instant;

use chrono::{DateTime, FixedOffset, Local, Offset, SecondsFormat, TimeDelta, Utc};

use crate::error::{Error, Result};

/// Where "now" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock, in the system's time zone.
    System,
    /// Always this instant, with its offset as the learner's local time.
    Fixed(DateTime<FixedOffset>),
    /// From this instant on, running at the system clock's pace since `since`: a test of what
    /// happens as time passes (a daily reminder) starts just before it, on any date.
    Running {
        from: DateTime<FixedOffset>,
        since: Instant,
    },
}

/// How an instant crosses to the front ends, everywhere: RFC 3339 to the second, in `offset`
/// (the learner's, when it is known; UTC otherwise), e.g. `2026-11-25T09:10:00+01:00`.
pub fn instant_text(at: DateTime<Utc>, offset: &FixedOffset) -> String {
    at.with_timezone(offset)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// [`instant_text`] in UTC, for instants with no learner's offset at hand.
pub fn utc_text(at: DateTime<Utc>) -> String {
    instant_text(at, &Utc.fix())
}

/// The environment variable that fixes the clock of the CLI and the desktop app.
pub const NOW_ENV: &str = "REPRISE_NOW";

impl Clock {
    pub fn now(&self) -> DateTime<FixedOffset> {
        match self {
            Clock::System => Local::now().fixed_offset(),
            Clock::Fixed(at) => *at,
            Clock::Running { from, since } => {
                *from + TimeDelta::from_std(since.elapsed()).unwrap_or(TimeDelta::MAX)
            }
        }
    }

    /// The instant a fixed or running clock started at, if it is not the system's.
    pub fn fixed(&self) -> Option<DateTime<FixedOffset>> {
        match self {
            Clock::System => None,
            Clock::Fixed(at) | Clock::Running { from: at, .. } => Some(*at),
        }
    }

    /// A fixed clock set running from its instant on; any other clock as it is.
    pub fn running(self) -> Clock {
        match self {
            Clock::Fixed(from) => Clock::Running {
                from,
                since: Instant::now(),
            },
            other => other,
        }
    }

    /// A fixed clock at an RFC 3339 instant, e.g. `2026-11-25T09:00:00+01:00`.
    pub fn parse(text: &str) -> Result<Clock> {
        DateTime::parse_from_rfc3339(text.trim())
            .map(Clock::Fixed)
            .map_err(|e| {
                Error::invalid(
                    "now",
                    format!(
                "'{text}' is not an RFC 3339 time ({e}); write it like 2026-11-25T09:00:00+01:00"
            ),
                )
            })
    }

    /// The clock an argument (`--now`) asks for, else [`NOW_ENV`], else the system's.
    pub fn from_arg_or_env(arg: Option<&str>) -> Result<Clock> {
        match arg {
            Some(text) => Clock::parse(text),
            None => match std::env::var(NOW_ENV) {
                Ok(text) if !text.trim().is_empty() => Clock::parse(&text)
                    .map_err(|e| Error::invalid("now", format!("{NOW_ENV}: {e}"))),
                _ => Ok(Clock::System),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_clock_starts_at_its_instant_and_moves_on() {
        let from = DateTime::parse_from_rfc3339("2026-12-05T07:29:58+01:00").unwrap();
        let clock = Clock::Fixed(from).running();
        let first = clock.now();
        assert!(first >= from && first - from < TimeDelta::seconds(5));
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() > first);
        assert_eq!(clock.now().offset(), from.offset());
        assert_eq!(Clock::System.running(), Clock::System);
    }

    #[test]
    fn a_fixed_clock_keeps_its_instant_and_offset() {
        let clock = Clock::parse("2027-03-28T01:30:00+01:00").unwrap();
        assert_eq!(clock.now().to_rfc3339(), "2027-03-28T01:30:00+01:00");
        assert_eq!(clock.now(), clock.now());
        assert_eq!(clock.fixed(), Some(clock.now()));
        assert_eq!(Clock::System.fixed(), None);
    }

    #[test]
    fn a_bad_instant_says_how_to_write_one() {
        let err = Clock::parse("tomorrow").unwrap_err().to_string();
        assert!(err.contains("'tomorrow' is not an RFC 3339 time"), "{err}");
        assert!(err.contains("2026-11-25T09:00:00+01:00"), "{err}");
    }

    #[test]
    fn the_argument_wins_over_the_environment() {
        let clock = Clock::from_arg_or_env(Some("2030-01-01T00:00:00Z")).unwrap();
        assert_eq!(clock.now().to_rfc3339(), "2030-01-01T00:00:00+00:00");
    }
}
