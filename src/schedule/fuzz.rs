//! Fuzz spreads review intervals a little, so cards learned on the same day do not fall due on
//! the same day forever. The spread grows with the interval: ±15% between 2.5 and 7 days, ±10%
//! up to 20 days and ±5% beyond, plus a day; short intervals are left alone.

const BANDS: [(f64, f64, f64); 3] = [(2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, f64::MAX, 0.05)];

/// The fuzzed interval: a deterministic pick from the allowed range, seeded by the card.
pub fn fuzzed_days(days: u32, maximum: u32, seed: u64) -> u32 {
    let (low, high) = fuzz_range(days, maximum);
    let unit = unit_from_seed(seed);
    let span = f64::from(high - low + 1);
    (low + (unit * span).floor() as u32).min(high)
}

/// The inclusive range an interval may be fuzzed to.
pub fn fuzz_range(days: u32, maximum: u32) -> (u32, u32) {
    let ivl = f64::from(days);
    if ivl < 2.5 {
        return (days, days);
    }
    let delta = 1.0
        + BANDS
            .iter()
            .map(|&(start, end, factor)| factor * (ivl.min(end) - start).max(0.0))
            .sum::<f64>();
    let low = ((ivl - delta).round() as u32).max(2);
    let high = ((ivl + delta).round() as u32).min(maximum);
    (low.min(high), high)
}

fn unit_from_seed(seed: u64) -> f64 {
    let hash = blake3::hash(&seed.to_le_bytes());
    let bits = u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"));
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_intervals_are_not_fuzzed() {
        for seed in 0..50 {
            assert_eq!(fuzzed_days(1, 365, seed), 1);
            assert_eq!(fuzzed_days(2, 365, seed), 2);
        }
    }

    #[test]
    fn fuzz_stays_in_range_spreads_and_is_deterministic() {
        let (low, high) = fuzz_range(100, 36_500);
        // delta = 1 + 0.15*4.5 + 0.1*13 + 0.05*80 = 6.975
        assert_eq!((low, high), (93, 107));
        let picks: std::collections::BTreeSet<u32> =
            (0..200).map(|s| fuzzed_days(100, 36_500, s)).collect();
        assert!(picks.iter().all(|d| (93..=107).contains(d)));
        assert!(picks.len() > 8, "fuzz should spread: {picks:?}");
        assert_eq!(fuzzed_days(100, 36_500, 7), fuzzed_days(100, 36_500, 7));
        assert!(fuzzed_days(100, 100, 3) <= 100, "never beyond the maximum");
    }
}
