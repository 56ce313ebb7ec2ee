//! The learner's day. A day starts at the rollover hour (default 4:00) in the learner's local
//! time, so a late-night session still counts as "today". Local time is the offset carried by
//! "now", which keeps every computation a pure function of its inputs.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

/// Day number: whole days since 1970-01-01 in local time, shifted back by the rollover hour.
pub fn day_number(at: DateTime<FixedOffset>, rollover_hour: u32) -> i64 {
    let shifted = at.naive_local() - Duration::hours(i64::from(rollover_hour));
    shifted
        .date()
        .signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date"))
        .num_days()
}

/// The date of day number `day`.
pub fn date(day: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date") + Duration::days(day)
}

/// The day number of a date.
pub fn number_of(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date"))
        .num_days()
}

/// The instant day `day` begins, in the offset of `offset`.
pub fn day_start(day: i64, offset: FixedOffset, rollover_hour: u32) -> DateTime<Utc> {
    let date = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date") + Duration::days(day);
    let local = date.and_time(NaiveTime::from_hms_opt(rollover_hour, 0, 0).expect("hour < 24"));
    offset
        .from_local_datetime(&local)
        .single()
        .expect("a fixed offset maps every local time to one instant")
        .with_timezone(&Utc)
}

/// The day an instant stored in UTC falls on, seen from the learner's current offset.
pub fn day_of(instant: DateTime<Utc>, offset: FixedOffset, rollover_hour: u32) -> i64 {
    day_number(instant.with_timezone(&offset), rollover_hour)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn the_day_rolls_over_at_the_rollover_hour_in_local_time() {
        let before = day_number(at("2026-03-10T03:59:59+02:00"), 4);
        let after = day_number(at("2026-03-10T04:00:00+02:00"), 4);
        assert_eq!(after, before + 1);
        // Same instant, another offset: another local hour, so possibly another day.
        assert_eq!(
            day_number(at("2026-03-10T01:30:00+00:00"), 4),
            day_number(at("2026-03-09T23:00:00+00:00"), 4)
        );
        assert_eq!(
            day_number(at("2026-03-10T00:00:00+00:00"), 0),
            day_number(at("2026-03-09T23:59:59+00:00"), 0) + 1
        );
    }

    #[test]
    fn day_start_is_the_rollover_instant_of_that_day() {
        let now = at("2026-03-10T15:00:00+02:00");
        let today = day_number(now, 4);
        let start = day_start(today, *now.offset(), 4);
        assert_eq!(start.to_rfc3339(), "2026-03-10T02:00:00+00:00");
        assert_eq!(day_of(start, *now.offset(), 4), today);
        assert_eq!(
            day_of(start - Duration::seconds(1), *now.offset(), 4),
            today - 1
        );
    }
}
