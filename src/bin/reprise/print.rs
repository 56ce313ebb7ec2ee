//! Printing. Every human-readable line goes through [`outln!`] (stdout) or [`errln!`] (stderr),
//! and the review session's through [`write_line_ending`]: each piece of the line, the format
//! string's and each value's, passes through [`terminal_safe`] on its way out, so no text from
//! a pack, a file name or an error can send a control character to the terminal, and one call
//! prints exactly one line. JSON goes through [`print_json`] and [`json_safe`]. Nothing else in
//! the binary writes to stdout or stderr, but clap's help and version texts (see `main.rs`).
//!
//! Writing to stdout reports a reader that went away (`reprise browse | head`) as
//! [`Failure::StdoutClosed`] instead of panicking like `println!`.

use std::fmt;
use std::io::{self, Write};

use reprise::{Error, StudyCard};

use crate::safe::{json_safe, terminal_safe};

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

/// A [`fmt::Write`] that sends each piece through [`terminal_safe`] to `out`, keeping the I/O
/// error that `fmt` cannot carry. Safe text is written as it is, without copying.
struct Safe<W> {
    out: W,
    failed: Option<io::Error>,
}

impl<W: Write> fmt::Write for Safe<W> {
    fn write_str(&mut self, piece: &str) -> fmt::Result {
        self.out
            .write_all(terminal_safe(piece).as_bytes())
            .map_err(|err| {
                self.failed = Some(err);
                fmt::Error
            })
    }
}

/// Writes `args`, made terminal-safe, then `eol`.
fn safe_line(out: impl Write, args: fmt::Arguments, eol: &str) -> io::Result<()> {
    let mut safe = Safe { out, failed: None };
    if fmt::Write::write_fmt(&mut safe, args).is_err() {
        return Err(safe
            .failed
            .unwrap_or_else(|| io::Error::other("a value failed to format")));
    }
    safe.out.write_all(eol.as_bytes())
}

/// Writes `args` as one terminal-safe line to stdout; see [`outln!`].
pub fn write_line(args: fmt::Arguments) -> CliResult<()> {
    write_line_ending(args, "\n")
}

/// Writes `args` as one terminal-safe line to stdout, ended by `eol`: `"\r\n"` for a terminal
/// in raw mode, where a bare `"\n"` does not return the carriage.
pub fn write_line_ending(args: fmt::Arguments, eol: &'static str) -> CliResult<()> {
    safe_line(io::stdout().lock(), args, eol).map_err(stdout_failure)
}

/// Writes `args` as one terminal-safe line to stderr; see [`errln!`]. A failure to write there
/// is ignored: there is nowhere left to report it.
pub fn error_line(args: fmt::Arguments) {
    let _ = safe_line(io::stderr().lock(), args, "\n");
}

/// Sends what stdout holds on to the terminal or pipe.
pub fn flush() -> CliResult<()> {
    io::stdout().lock().flush().map_err(stdout_failure)
}

/// `println!` for one terminal-safe line, returning a [`CliResult`] instead of panicking:
/// `outln!("…", …)?;`. A line break in a value is shown as `⏎`: lines are separate calls.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::print::write_line(format_args!($($arg)*))
    };
}

/// `eprintln!` for one terminal-safe line: `errln!("…", …);`.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::print::error_line(format_args!($($arg)*))
    };
}

pub(crate) use {errln, outln};

/// Prints `value` as pretty JSON: exact (serde escapes the C0 controls in strings, and
/// [`json_safe`] the rest), and so safe for a terminal too.
pub fn print_json<T: serde::Serialize>(value: &T) -> CliResult<()> {
    let json = serde_json::to_string_pretty(value).expect("output serializes");
    writeln!(io::stdout().lock(), "{}", json_safe(&json)).map_err(stdout_failure)
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
    outln!("Fitted to {} reviews of {} cards.", r.reviews, r.cards)?;
    outln!(
        "{:<22} {:>9} {:>11}",
        "parameters",
        "log loss",
        "RMSE (bins)"
    )?;
    for (name, fit) in [("in use before", &r.old), ("fitted", &r.new)] {
        outln!(
            "{:<22} {:>9.4} {:>10.2}%",
            name,
            fit.log_loss,
            fit.rmse_bins * 100.0
        )?;
    }
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

/// A quiz card's options, one line each: `  1) …`.
pub fn option_lines(card: &StudyCard) -> impl Iterator<Item = String> + '_ {
    card.quiz
        .iter()
        .flat_map(|q| q.options.iter().enumerate())
        .map(|(i, o)| format!("  {}) {o}", i + 1))
}

pub fn print_card(card: &StudyCard) -> CliResult<()> {
    let l = &card.interval_labels;
    outln!("Card {} ({})", card.card_id, card.state.as_str())?;
    outln!("Prompt: {}", card.prompt)?;
    for option in option_lines(card) {
        outln!("{option}")?;
    }
    outln!("Answer: {}", card.answer)?;
    outln!(
        "Again {} · Hard {} · Good {} · Easy {}",
        l.again,
        l.hard,
        l.good,
        l.easy
    )
}
