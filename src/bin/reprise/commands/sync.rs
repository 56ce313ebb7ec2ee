//! `sync`: turn it on, sync, show its status, verify, turn it off.

use std::process::ExitCode;

use reprise::sync::secrets::SyncSecret;
use reprise::sync::{SyncReport, SyncStatus};
use reprise::Collection;

use super::Now;
use crate::cli::{SyncArgs, SyncCommand};
use crate::print::{outln, plural, print_json, CliResult};

pub fn run(col: &mut Collection, now: Now, args: SyncArgs) -> CliResult<ExitCode> {
    match args.command {
        Some(SyncCommand::Status { json }) => status(&col.sync_status(now())?, json)?,
        Some(SyncCommand::Verify { json }) => {
            let verified = col.sync_verify()?;
            if json {
                print_json(&verified)?;
            } else if verified.differ.is_empty() {
                outln!(
                    "All {} card{} match what their events fold to.",
                    verified.cards,
                    plural(verified.cards)
                )?;
            } else {
                let ids: Vec<String> = verified.differ.iter().map(|c| c.0.to_string()).collect();
                outln!(
                    "{} of {} cards differ from what their events fold to: {}",
                    verified.differ.len(),
                    verified.cards,
                    ids.join(", ")
                )?;
            }
            if !verified.differ.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Some(SyncCommand::Off) => {
            col.sync_off()?;
            outln!(
                "Sync is off (a server's key kept in the OS keyring is forgotten). \
                 `reprise sync --to FOLDER` turns it on again."
            )?;
        }
        None => {
            let report = match &args.to {
                Some(target) if args.remember_key => {
                    let secret = SyncSecret::from_env(target)?;
                    col.sync_connect_with(target, args.name.as_deref(), &secret, now())?;
                    col.sync(now())?
                }
                Some(target) => col.sync_to(target, args.name.as_deref(), now())?,
                None => col.sync(now())?,
            };
            if args.json {
                print_json(&report)?;
            } else {
                let target = col.sync_status(now())?.target.unwrap_or_default();
                print_report(&target, &report)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(target: &str, r: &SyncReport) -> CliResult<()> {
    outln!(
        "Synced through {target}: {} change{} sent, {} received ({} card{} merged).",
        r.sent,
        plural(r.sent),
        r.received,
        r.cards_merged,
        plural(r.cards_merged)
    )?;
    if r.packs > 0 {
        outln!(
            "Imported {} pack{} from your other devices.",
            r.packs,
            plural(r.packs)
        )?;
    }
    if r.waiting > 0 {
        outln!(
            "{} file{} still arriving from your sync tool: read at the next sync.",
            r.waiting,
            plural(r.waiting)
        )?;
    }
    for notice in &r.notices {
        outln!("note: {notice}")?;
    }
    Ok(())
}

fn status(s: &SyncStatus, json: bool) -> CliResult<()> {
    if json {
        return print_json(s);
    }
    match &s.target {
        Some(target) => outln!("Sync: on, through {target}")?,
        None => outln!("Sync: off (`reprise sync --to FOLDER` turns it on)")?,
    }
    if let Some(me) = &s.device {
        outln!("This device: {} ({})", me.name, me.id)?;
    }
    outln!("Last synced: {}", s.last_sync.as_deref().unwrap_or("never"))?;
    outln!("Changes waiting to be sent: {}", s.pending)?;
    if s.devices.is_empty() {
        outln!("No other device yet.")?;
    } else {
        outln!("Other devices:")?;
        for d in &s.devices {
            outln!(
                "  {} ({}), last seen {}, Reprise {}",
                d.name,
                d.id,
                d.last_seen.as_deref().unwrap_or("never"),
                d.version
            )?;
        }
    }
    Ok(())
}
