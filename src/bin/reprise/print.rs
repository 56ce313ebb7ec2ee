//! Printing: every line for stdout goes through [`outln!`] / [`out!`] (or [`print_json`]), which
//! write to a locked stdout and report a reader that went away (`reprise browse | head`) as
//! [`Failure::StdoutClosed`] instead of panicking like `println!`.

use std::fmt;
use std::io::{self, Write};

use reprise::{Error, StudyCard};

/// Why a command stopped before its end.
pub enum Failure {
    /// The core refused or failed: `error: …` on stderr, exit code 1.
    Core(Error),
    /// Writing to stdout failed for another reason than a closed pipe (a full disk, say).
    Output(io::Error),
    /// Whoever read stdout stopped reading (`reprise browse | head`): the command ends quietly,
    /// with exit code 0, as Unix tools do.
    StdoutClosed,
}

impl From<Error> for Failure {
    fn from(err: Error) -> Failure {
        Failure::Core(err)
    }
}

pub type CliResult<T> = std::result::Result<T, Failure>;

fn stdout_failure(err: io::Error) -> Failure {
    if err.kind() == io::ErrorKind::BrokenPipe {
        Failure::StdoutClosed
    } else {
        Failure::Output(err)
    }
}

/// Writes `args` and a newline to stdout; see [`outln!`].
pub fn write_line(args: fmt::Arguments) -> CliResult<()> {
    writeln!(io::stdout().lock(), "{args}").map_err(stdout_failure)
}

/// Writes `args` to stdout; see [`out!`].
pub fn write_text(args: fmt::Arguments) -> CliResult<()> {
    write!(io::stdout().lock(), "{args}").map_err(stdout_failure)
}

/// Sends what stdout holds on to the terminal or pipe.
pub fn flush() -> CliResult<()> {
    io::stdout().lock().flush().map_err(stdout_failure)
}

/// `println!` that returns a [`CliResult`] instead of panicking: `outln!("…", …)?;`.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::print::write_line(format_args!($($arg)*))
    };
}

/// `print!` that returns a [`CliResult`] instead of panicking: `out!("…", …)?;`.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::print::write_text(format_args!($($arg)*))
    };
}

pub(crate) use {out, outln};

pub fn print_json<T: serde::Serialize>(value: &T) -> CliResult<()> {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).expect("output serializes")
    )
}

pub fn print_stats(s: &reprise::stats::Stats) -> CliResult<()> {
    let h = &s.heatmap;
    outln!(
        "Last year: {} reviews on {} days; streak {} days (longest {}).",
        h.total_reviews,
        h.days_studied,
        h.streak,
        h.longest_streak
    )?;
    let due: Vec<String> = s
        .forecast
        .days
        .iter()
        .take(7)
        .map(|d| d.cards.to_string())
        .collect();
    outln!("Due the next 7 days: {}.", due.join(" · "))?;
    let c = &s.counts;
    outln!(
        "Cards: {} new, {} learning, {} review, {} relearning, {} suspended, {} buried ({} in all).",
        c.new,
        c.learning,
        c.review,
        c.relearning,
        c.suspended,
        c.buried,
        c.total
    )?;
    let rate = |p: &reprise::stats::Passes| {
        p.rate.map_or("—".to_owned(), |r| {
            format!("{:.1}% of {}", r * 100.0, p.reviews)
        })
    };
    outln!(
        "True retention (desired {:.0}%):",
        s.desired_retention * 100.0
    )?;
    for p in &s.retention {
        outln!(
            "  {:<10} young {:<16} mature {:<16} all {}",
            p.period,
            rate(&p.young),
            rate(&p.mature),
            rate(&p.all)
        )?;
    }
    if let Some(r) = s.average_retrievability {
        outln!("Average chance of recall now: {:.1}%.", r * 100.0)?;
    }
    Ok(())
}

pub fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

pub fn print_optimize(r: &reprise::optimize::OptimizeReport) -> CliResult<()> {
    outln!(
        "Fitted to {} reviews of {} cards.\n\
         {:<22} {:>9} {:>11}\n\
         {:<22} {:>9.4} {:>10.2}%\n\
         {:<22} {:>9.4} {:>10.2}%",
        r.reviews,
        r.cards,
        "parameters",
        "log loss",
        "RMSE (bins)",
        "in use before",
        r.old.log_loss,
        r.old.rmse_bins * 100.0,
        "fitted",
        r.new.log_loss,
        r.new.rmse_bins * 100.0
    )?;
    if r.adopted {
        outln!(
            "The fitted parameters predict your reviews better and are now in use; {} review \
             card{} rescheduled.",
            r.rescheduled,
            plural(r.rescheduled)
        )
    } else {
        outln!("The parameters in use predict your reviews as well or better; they were kept.")
    }
}

pub fn options_text(card: &StudyCard) -> String {
    card.quiz
        .as_ref()
        .map(|q| {
            q.options
                .iter()
                .enumerate()
                .map(|(i, o)| format!("  {}) {o}\n", i + 1))
                .collect()
        })
        .unwrap_or_default()
}

pub fn print_card(card: &StudyCard) -> CliResult<()> {
    let l = &card.interval_labels;
    outln!("Card {} ({})", card.card_id, card.state.as_str())?;
    outln!("Prompt: {}", card.prompt)?;
    out!("{}", options_text(card))?;
    outln!("Answer: {}", card.answer)?;
    outln!(
        "Again {} · Hard {} · Good {} · Easy {}",
        l.again,
        l.hard,
        l.good,
        l.easy
    )
}
