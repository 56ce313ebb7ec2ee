//! `reprise`: the command line over the core, for scripting, headless use and tests.
//! Parses arguments, calls the core, prints; errors go to stderr with exit code 1.

mod cli;
mod commands;
mod print;
mod review;

use std::process::ExitCode;

use clap::Parser;

use cli::Cli;
use print::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        // A closed pipe is how a reader says it has read enough: no error.
        Err(Failure::StdoutClosed) => ExitCode::SUCCESS,
        Err(Failure::Core(err)) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
        Err(Failure::Output(err)) => {
            eprintln!("error: failed printing to stdout: {err}");
            ExitCode::FAILURE
        }
    }
}
