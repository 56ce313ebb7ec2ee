//! A hybrid logical clock: milliseconds in the high 48 bits, a counter in the low 16. It never
//! goes backwards, and passes every clock value this device has seen, so a write made after
//! reading another device's write orders after it even if this device's clock is behind.

use rusqlite::Connection;

use crate::error::Result;
use crate::store::sync as stored;

const KEY: &str = "hlc";

/// Takes note of a clock value this device read or wrote.
pub fn observe(conn: &Connection, seen: u64) -> Result<()> {
    if seen > last(conn)? {
        stored::set_state(conn, KEY, &seen.to_string())?;
    }
    Ok(())
}

/// The newest clock value this device has seen.
pub fn last(conn: &Connection) -> Result<u64> {
    Ok(stored::state(conn, KEY)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// After `last`, and at least `now_ms` as a clock value.
pub fn next(last: u64, now_ms: i64) -> u64 {
    let physical = (now_ms.max(0) as u64) << 16;
    physical.max(last + 1)
}

#[cfg(test)]
mod tests {
    use super::next;

    #[test]
    fn the_clock_follows_time_and_never_goes_back() {
        let a = next(0, 1_000);
        assert_eq!(a, 1_000 << 16);
        // Same millisecond: the counter moves.
        assert_eq!(next(a, 1_000), a + 1);
        // The wall clock went back an hour: still after the last value.
        assert_eq!(next(a, 1_000 - 3_600_000), a + 1);
        // Time moved on: the counter starts again.
        assert_eq!(next(a + 5, 2_000), 2_000 << 16);
    }
}
