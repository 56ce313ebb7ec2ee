//! Runs a parsed command: opens the collection, calls the core, prints the result. One module per
//! family of commands.

mod backups;
mod browse;
mod config;
mod notes;
mod packs;
mod study;
mod sync;

use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};
use reprise::{CardId, Clock, Collection, NoteId};

use crate::cli::{Cli, Command, ConfigCommand, PackCommand};
use crate::print::CliResult;
use crate::review::review;

/// The moment a command acts at: `--now`, or the clock when it is read.
pub type Now<'a> = &'a dyn Fn() -> DateTime<FixedOffset>;

pub fn run(cli: Cli) -> CliResult<ExitCode> {
    if let Command::Pack(PackCommand::Check { path, json }) = &cli.command {
        return packs::check(path, *json);
    }
    let clock = cli.now.map_or(Clock::System, Clock::Fixed);
    let read = || clock.now();
    let now: Now = &read;
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => reprise::store::default_data_dir()?,
    };
    match &cli.command {
        Command::Restore { file } => {
            backups::restore(&data_dir, file, now)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Backups { json } => {
            backups::list(&data_dir, *json)?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let mut col = Collection::open(&data_dir, now())?;
    let col = &mut col;
    match cli.command {
        Command::Status { json } => study::status(col, now, json)?,
        Command::Next { json } => study::next(col, now, json)?,
        Command::Answer {
            card_id,
            rating,
            choose,
            duration_ms,
            json,
        } => study::answer(
            col,
            now,
            CardId(card_id),
            rating,
            &choose,
            duration_ms,
            json,
        )?,
        Command::Show { card_id, json } => study::show(col, now, CardId(card_id), json)?,
        Command::Undo { json } => study::undo(col, now, json)?,
        Command::Review => review(col, now)?,
        Command::Search { text, limit, json } => browse::search(col, &text, limit, json)?,
        Command::Import { path, json } => packs::import(col, now, &path, json)?,
        Command::Packs { json } => packs::list(col, json)?,
        Command::Export(what) => packs::export(col, what)?,
        Command::Backup { file, json } => backups::backup(col, &data_dir, now, file, json)?,
        Command::Pack(PackCommand::Disable { id }) => packs::disable(col, now, &id)?,
        Command::Pack(PackCommand::Enable { id }) => packs::enable(col, now, &id)?,
        Command::Pack(PackCommand::Remove {
            id, keep_history, ..
        }) => packs::remove(col, now, &id, keep_history)?,
        Command::Config(ConfigCommand::Get { key, json }) => config::get(col, key, json)?,
        Command::Config(ConfigCommand::Set { key, value }) => config::set(col, now, &key, &value)?,
        Command::Card(command) => study::card(col, now, command)?,
        Command::Optimize { json } => config::optimize(col, now, json)?,
        Command::Simulate { json } => config::simulate(col, now, json)?,
        Command::Stats { json } => browse::stats(col, now, json)?,
        Command::Browse {
            text,
            state,
            due,
            suspended,
            leech,
            area,
            pack,
            tag,
            lesson,
            sort,
            desc,
            limit,
            json,
        } => {
            // clap checked the names; serde maps them to the core's enums.
            let name = |s: String| serde_json::Value::String(s);
            let query = reprise::browse::BrowseQuery {
                text,
                state: state
                    .map(|s| serde_json::from_value(name(s)))
                    .transpose()
                    .expect("checked by clap"),
                due: due
                    .map(|s| serde_json::from_value(name(s)))
                    .transpose()
                    .expect("checked by clap"),
                suspended: suspended.then_some(true),
                leech,
                area,
                pack,
                tag,
                lesson,
                sort: serde_json::from_value(name(sort)).expect("checked by clap"),
                descending: desc,
            };
            browse::browse(col, now, &query, limit, json)?
        }
        Command::Backlog { spread, json } => study::backlog(col, now, spread, json)?,
        Command::Add(what) => notes::add(col, now, what)?,
        Command::Edit {
            note_id,
            fields,
            json,
        } => notes::edit(col, now, NoteId(note_id), &fields, json)?,
        Command::Note { note_id, json } => notes::show(col, NoteId(note_id), json)?,
        Command::Delete { note_id, json } => notes::delete(col, now, NoteId(note_id), json)?,
        Command::Sync(args) => return sync::run(col, now, args),
        Command::Pack(PackCommand::Check { .. })
        | Command::Restore { .. }
        | Command::Backups { .. } => {
            unreachable!("handled before opening the collection")
        }
    }
    Ok(ExitCode::SUCCESS)
}
