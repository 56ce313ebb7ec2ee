//! Settings and the FSRS parameters: `config get/set`, `optimize` and `simulate`.

use reprise::Collection;

use super::Now;
use crate::print::{errln, outln, plural, print_json, print_optimize, CliResult};

pub fn get(col: &mut Collection, key: Option<String>, json: bool) -> CliResult<()> {
    let settings = col.settings();
    let keys = match key {
        Some(key) => vec![key],
        None => reprise::Settings::keys(),
    };
    let mut values = serde_json::Map::new();
    for key in keys {
        values.insert(key.clone(), settings.get(&key)?);
    }
    if json {
        return print_json(&values);
    }
    for (key, value) in values {
        outln!("{key} = {value}")?;
    }
    Ok(())
}

pub fn set(col: &mut Collection, now: Now, key: &str, value: &str) -> CliResult<()> {
    let settings = col.settings().with(key, value)?;
    let shown = settings.get(key)?;
    let rescheduled = col.set_settings(settings, now())?;
    outln!("{key} = {shown}")?;
    if rescheduled > 0 {
        outln!(
            "Rescheduled {rescheduled} review card{} for the new setting.",
            plural(rescheduled)
        )?;
    }
    Ok(())
}

pub fn optimize(col: &mut Collection, now: Now, json: bool) -> CliResult<()> {
    let mut last = String::new();
    let report = col.optimize(now(), &mut |p| {
        let line = match p.total {
            0 => format!("{}…", p.stage),
            total => format!("{} {}%", p.stage, p.done * 100 / total),
        };
        if line != last && !json {
            errln!("{line}");
            last = line;
        }
        Ok(())
    })?;
    if json {
        print_json(&report)
    } else {
        print_optimize(&report)
    }
}

pub fn simulate(col: &mut Collection, now: Now, json: bool) -> CliResult<()> {
    let workload = col.simulate_workload(now(), &mut |_, _| Ok(()))?;
    if json {
        return print_json(&workload);
    }
    outln!(
        "Next {} days, {} cards, {} new a day:",
        workload.days,
        workload.cards,
        workload.new_per_day
    )?;
    outln!("retention  reviews/day  minutes/day  remembered at the end")?;
    for p in &workload.points {
        outln!(
            "{:>8.0}%  {:>11.1}  {:>11.1}  {:>10.0}",
            p.desired_retention * 100.0,
            p.reviews_per_day,
            p.minutes_per_day,
            p.memorized
        )?;
    }
    Ok(())
}
