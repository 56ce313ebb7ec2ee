//! Short human labels for intervals, as the answer buttons show them: "1m", "10m", "3d", "2.5mo".

/// `days` may be fractional (same-day steps). Rounds the way a learner reads it.
pub fn interval_label(days: f64) -> String {
    let minutes = days * 1440.0;
    if minutes < 1.0 {
        return "<1m".into();
    }
    if minutes < 60.0 {
        return format!("{}m", minutes.round());
    }
    let hours = minutes / 60.0;
    if hours < 24.0 {
        return format!("{}h", trim(hours));
    }
    if days < 30.0 {
        return format!("{}d", days.round());
    }
    let months = days / 30.4375;
    if months < 12.0 {
        return format!("{}mo", trim(months));
    }
    format!("{}y", trim(days / 365.25))
}

/// One decimal, without a trailing ".0".
fn trim(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::interval_label;

    #[test]
    fn labels_read_naturally() {
        assert_eq!(interval_label(1.0 / 1440.0), "1m");
        assert_eq!(interval_label(10.0 / 1440.0), "10m");
        assert_eq!(interval_label(5.5 / 1440.0), "6m");
        assert_eq!(interval_label(90.0 / 1440.0), "1.5h");
        assert_eq!(interval_label(1.0), "1d");
        assert_eq!(interval_label(3.0), "3d");
        assert_eq!(interval_label(76.0), "2.5mo");
        assert_eq!(interval_label(365.25), "1y");
        assert_eq!(interval_label(0.0), "<1m");
    }
}
