//! `reprise`: the command line over the core, for scripting, headless use and tests.
//! Parses arguments, calls the core, prints; errors go to stderr with exit code 1. Everything
//! printed goes through `print` (see there), which makes it safe for a terminal.

mod cli;
mod commands;
mod print;
mod review;
mod safe;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;
use reprise::Error;

use cli::Cli;
use print::{errln, Failure};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    match commands::run(cli) {
        Ok(code) => code,
        // A closed pipe is how a reader says it has read enough: no error.
        Err(Failure::StdoutClosed) => ExitCode::SUCCESS,
        Err(Failure::Core(err)) => {
            print_error(&err);
            ExitCode::FAILURE
        }
        Err(Failure::Output(err)) => {
            errln!("error: failed printing to stdout: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `error: …`, one line; an invalid pack's problems one line each under it, so that no
/// problem's text can pass for another.
fn print_error(err: &Error) {
    match err {
        Error::Content { problems } => {
            let text = err.to_string();
            let heading = text.lines().next().unwrap_or_default();
            errln!("error: {heading}");
            for problem in problems {
                errln!("{problem}");
            }
        }
        _ => errln!("error: {err}"),
    }
}

/// Help and the version are clap's own texts, printed as clap prints them. A usage error
/// quotes what was typed (a file name, say), so it is printed plain, line by line, through
/// the same sanitizer as everything else.
fn usage_error(err: clap::Error) -> ExitCode {
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        err.exit()
    }
    for line in err.render().to_string().lines() {
        errln!("{line}");
    }
    ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2))
}
