//! `reprise`: the command line over the core, for scripting, headless use and tests.
//! Parses arguments, calls the core, prints; errors go to stderr with exit code 1.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, FixedOffset, Local};
use clap::{Parser, Subcommand};
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::terminal;
use reprise::content::Problem;
use reprise::store::backup;
use reprise::{CardId, Collection, Error, Rating, Result, StudyCard};

#[derive(Parser)]
#[command(
    name = "reprise",
    version,
    about = "Spaced repetition for system design, from the terminal"
)]
struct Cli {
    /// Folder holding the collection [default: the OS data directory, ~/.local/share/reprise]
    #[arg(long, env = "REPRISE_DATA_DIR", global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Act as if it were this moment (RFC 3339, e.g. 2026-03-10T09:00:00+01:00)
    #[arg(long, global = true, value_name = "RFC3339", value_parser = parse_now)]
    now: Option<DateTime<FixedOffset>>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// What is due today: new, learning and review counts
    Status {
        #[arg(long)]
        json: bool,
    },
    /// The next card to study, with the interval each rating would give
    Next {
        #[arg(long)]
        json: bool,
    },
    /// Answer a card: again, hard, good or easy (or 1-4). A quiz card is answered with
    /// --choose; a wrong choice is rated again, a right one good unless hard or easy is given.
    Answer {
        card_id: i64,
        rating: Option<String>,
        /// The options chosen for a quiz card, numbered from 1 (e.g. 1,3)
        #[arg(long, value_delimiter = ',', value_name = "N,N")]
        choose: Vec<u32>,
        /// Time spent on the card, for the review log
        #[arg(long, default_value_t = 0, value_name = "MS")]
        duration_ms: u32,
        #[arg(long)]
        json: bool,
    },
    /// A card's memory state, schedule and review log
    Show {
        card_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Take back the last answer or card action
    Undo {
        #[arg(long)]
        json: bool,
    },
    /// Study in the terminal: Enter reveals, 1-4 rate, u undoes, q quits
    Review,
    /// Search terms and lessons (every word must match, as a prefix)
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Import a pack folder, a zipped pack or a CSV/TSV table (term,definition[,tags]); all or
    /// nothing, and importing again updates in place and keeps progress
    Import {
        path: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// List the installed packs
    Packs {
        #[arg(long)]
        json: bool,
    },
    /// Export a pack (re-importable zip) or the review log (CSV for FSRS tools) to a new file
    #[command(subcommand)]
    Export(ExportCommand),
    /// Back up the collection: to FILE, or into the data directory's backups/ (the newest 10 are kept)
    Backup {
        file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// List the backups in the data directory, newest first
    Backups {
        #[arg(long)]
        json: bool,
    },
    /// Replace the collection with a backup (checked first; the current one is backed up)
    Restore { file: PathBuf },
    /// Work with content packs
    #[command(subcommand)]
    Pack(PackCommand),
    /// Read or change a setting (`reprise config get` lists them all)
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Suspend, bury, reset or reschedule cards (each command is one undoable step)
    #[command(subcommand)]
    Card(CardCommand),
    /// Fit FSRS to your review log; the new parameters are kept only if they predict it better
    Optimize {
        #[arg(long)]
        json: bool,
    },
    /// Expected reviews a day and cards remembered after a year, for desired retention 0.70-0.99
    Simulate {
        #[arg(long)]
        json: bool,
    },
    /// Statistics: reviews per day and streak, forecast, true retention, card counts,
    /// memory distributions, answer buttons (keys of --json: docs/STATS.md)
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Find cards: full-text search over prompts, answers and context, with filters
    Browse {
        /// Words to find (each a prefix); nothing lists every card
        #[arg(default_value = "")]
        text: String,
        #[arg(long, value_parser = ["new", "learning", "review", "relearning"])]
        state: Option<String>,
        #[arg(long, value_parser = ["today", "overdue"])]
        due: Option<String>,
        /// Only suspended cards
        #[arg(long)]
        suspended: bool,
        /// Only leeches
        #[arg(long)]
        leech: bool,
        #[arg(long)]
        area: Option<String>,
        #[arg(long)]
        pack: Option<String>,
        #[arg(long)]
        tag: Option<String>,
        #[arg(long)]
        lesson: Option<String>,
        #[arg(long, default_value = "added", value_parser = ["added", "due", "interval", "stability", "difficulty", "retrievability", "lapses", "reviews"])]
        sort: String,
        #[arg(long)]
        desc: bool,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Overdue cards after missed days; --spread N schedules them over N days (lowest
    /// retrievability first) and pauses new cards meanwhile
    Backlog {
        #[arg(long, value_name = "DAYS")]
        spread: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print one setting, or all of them
    Get {
        key: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Change a setting, e.g. `desired_retention 0.85`, `fuzz off`, `learning_steps_minutes "1m 10m"`
    Set { key: String, value: String },
}

#[derive(Subcommand)]
enum CardCommand {
    /// Hide cards from study until unsuspended
    Suspend {
        #[arg(required = true)]
        card_ids: Vec<i64>,
    },
    /// Bring suspended cards back
    Unsuspend {
        #[arg(required = true)]
        card_ids: Vec<i64>,
    },
    /// Hide cards until tomorrow
    Bury {
        #[arg(required = true)]
        card_ids: Vec<i64>,
    },
    /// Make cards new again (their review history stays in the log)
    Reset {
        #[arg(required = true)]
        card_ids: Vec<i64>,
    },
    /// Tag the cards' notes
    Tag {
        tag: String,
        #[arg(required = true)]
        card_ids: Vec<i64>,
    },
    /// Take a tag off the cards' notes
    Untag {
        tag: String,
        #[arg(required = true)]
        card_ids: Vec<i64>,
    },
    /// Make studied cards due DAYS from today (0 = today)
    SetDue {
        #[arg(long)]
        days: u32,
        #[arg(required = true)]
        card_ids: Vec<i64>,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// A pack as the collection holds it, as a zip in the pack format
    Pack {
        id: String,
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The review log: card_id,review_time,review_rating,review_state,review_duration
    Revlog {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum PackCommand {
    /// Hide a pack's cards from study; their schedules are kept
    Disable { id: String },
    /// Bring a disabled pack's cards back as they were
    Enable { id: String },
    /// Remove a pack and its cards; say whether to keep its review history
    #[command(group(clap::ArgGroup::new("history").required(true).args(["keep_history", "delete_history"])))]
    Remove {
        id: String,
        /// Keep its review log (statistics, the optimizer, and its cards' history if it returns)
        #[arg(long)]
        keep_history: bool,
        /// Delete its review log too
        #[arg(long)]
        delete_history: bool,
    },
    /// Validate a pack (a folder or a .zip of one) and report every problem with file and line
    Check {
        path: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

/// What `reprise pack check --json` prints.
#[derive(serde::Serialize)]
struct PackReport {
    valid: bool,
    pack: Option<String>,
    terms: usize,
    lessons: usize,
    questions: usize,
    errors: Vec<Problem>,
}

fn parse_now(s: &str) -> std::result::Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(s)
        .map_err(|e| format!("{e}; give a moment in RFC 3339 form, e.g. 2026-03-10T09:00:00+01:00"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("output serializes")
    );
}

/// Validates a pack without opening any collection. Invalid content is reported, not an error
/// of the command: the exit code says which.
fn check_pack(path: &std::path::Path, json: bool) -> Result<ExitCode> {
    let (report, pack) = match reprise::import::load_pack(path) {
        Ok(pack) => (
            PackReport {
                valid: true,
                pack: Some(pack.manifest.id.clone()),
                terms: pack.terms.len(),
                lessons: pack.lessons.len(),
                questions: pack.lessons.iter().map(|l| l.questions.len()).sum(),
                errors: vec![],
            },
            Some(pack),
        ),
        Err(Error::Content { problems }) => (
            PackReport {
                valid: false,
                pack: None,
                terms: 0,
                lessons: 0,
                questions: 0,
                errors: problems,
            },
            None,
        ),
        Err(other) => return Err(other),
    };
    if json {
        print_json(&report);
    } else if let Some(pack) = pack {
        println!(
            "{}: valid pack {} {} — {} terms, {} lessons, {} questions",
            path.display(),
            pack.manifest.id,
            pack.manifest.version,
            report.terms,
            report.lessons,
            report.questions
        );
    } else {
        for problem in &report.errors {
            eprintln!("{}", problem);
        }
        eprintln!(
            "error: {} is not a valid pack: {} problem(s) above",
            path.display(),
            report.errors.len()
        );
    }
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    if let Command::Pack(PackCommand::Check { path, json }) = &cli.command {
        return check_pack(path, *json);
    }
    let fixed_now = cli.now;
    let now = || fixed_now.unwrap_or_else(|| Local::now().fixed_offset());
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => reprise::store::default_data_dir()?,
    };
    match &cli.command {
        Command::Restore { file } => {
            let saved = backup::restore(&data_dir, file, now().with_timezone(&chrono::Utc))?;
            println!("Restored the collection from {}.", file.display());
            if let Some(saved) = saved {
                println!(
                    "The collection it replaced was saved as {}.",
                    saved.display()
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Backups { json } => {
            let backups = backup::list(&data_dir)?;
            if *json {
                print_json(&backups);
            } else if backups.is_empty() {
                println!(
                    "No backups yet in {}.",
                    data_dir.join(backup::BACKUP_DIR).display()
                );
            } else {
                for b in &backups {
                    println!(
                        "{}  {:>8} KiB  {}",
                        b.created,
                        b.bytes / 1024,
                        b.path.display()
                    );
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let mut col = Collection::open(&data_dir, now())?;
    match cli.command {
        Command::Status { json } => {
            let status = col.status(now())?;
            if json {
                print_json(&status);
            } else {
                println!(
                    "New {} · Learning {} · Review {}   ({} cards{})",
                    status.new,
                    status.learning,
                    status.review,
                    status.total_cards,
                    status
                        .next_due
                        .map(|d| format!(", next due {d}"))
                        .unwrap_or_default()
                );
            }
        }
        Command::Next { json } => {
            let card = col.next_card(now())?;
            match (json, card) {
                (true, card) => print_json(&card),
                (false, None) => println!("Nothing is due now."),
                (false, Some(card)) => print_card(&card),
            }
        }
        Command::Answer {
            card_id,
            rating,
            choose,
            duration_ms,
            json,
        } => {
            let rating = rating.map(|r| r.parse::<Rating>()).transpose()?;
            let id = CardId(card_id);
            let outcome = match (choose.is_empty(), rating) {
                (true, Some(rating)) => col.answer(id, rating, now(), duration_ms)?,
                (true, None) => {
                    return Err(Error::InvalidInput(
                        "give a rating (again, hard, good, easy) or, for a quiz card, \
                         --choose with the options' numbers"
                            .into(),
                    ))
                }
                (false, rating) => {
                    let chosen = one_based_to_indexes(&choose)?;
                    col.answer_quiz(id, &chosen, rating, now(), duration_ms)?
                }
            };
            if json {
                print_json(&outcome);
            } else {
                println!(
                    "Card {} answered {}: {} until {}",
                    outcome.card_id,
                    outcome.rating.as_str(),
                    outcome.state.as_str(),
                    outcome.due
                );
            }
        }
        Command::Show { card_id, json } => {
            let info = col.card_info(CardId(card_id), now())?;
            if json {
                print_json(&info);
            } else {
                println!("Card {} ({})", info.card_id, info.direction);
                println!("  {} → {}", info.prompt, info.answer);
                println!(
                    "  {} · reps {} · lapses {} · due {}",
                    info.state.as_str(),
                    info.reps,
                    info.lapses,
                    info.due.as_deref().unwrap_or("when introduced")
                );
                if let (Some(s), Some(d)) = (info.stability, info.difficulty) {
                    println!("  stability {s:.2} days · difficulty {d:.2}");
                }
                for r in &info.reviews {
                    println!(
                        "  {} {:<5} {} → {}",
                        r.reviewed_at,
                        r.rating.as_str(),
                        r.state_before.as_str(),
                        r.state_after.as_str()
                    );
                }
            }
        }
        Command::Undo { json } => {
            let undone = col.undo(now())?;
            match (json, undone) {
                (true, undone) => print_json(&undone),
                (false, None) => println!("Nothing to undo."),
                (false, Some(u)) if u.action == "answer" => println!(
                    "Undid the last answer to card {}.",
                    u.card_id.unwrap_or_default()
                ),
                (false, Some(u)) => println!(
                    "Undid {} of {} card{}.",
                    u.action.replace('_', " "),
                    u.cards,
                    plural(u.cards)
                ),
            }
        }
        Command::Review => review(&mut col, &now)?,
        Command::Search { text, limit, json } => {
            let hits = col.search(&text, limit)?;
            if json {
                print_json(&hits);
            } else if hits.is_empty() {
                println!("Nothing matches '{text}'.");
            } else {
                for hit in hits {
                    println!(
                        "{:<6} {:<28} {}",
                        hit.kind,
                        hit.title,
                        hit.snippet.replace('\n', " ")
                    );
                }
            }
        }
        Command::Import { path, json } => {
            let report = col.import(&path, now())?;
            if json {
                print_json(&report);
            } else {
                println!(
                    "Imported {} ({}): {} added, {} updated, {} unchanged; {} new cards",
                    report.name,
                    report.pack,
                    report.added,
                    report.updated,
                    report.unchanged,
                    report.new_cards
                );
                if report.reviews > 0 {
                    println!("  {} review-log rows taken in", report.reviews);
                }
                if report.kept > 0 {
                    println!(
                        "  {} cards already answered here kept their Reprise progress",
                        report.kept
                    );
                }
                for skip in &report.skipped {
                    println!("  skipped {}: {}", skip.entry, skip.reason);
                }
            }
        }
        Command::Packs { json } => {
            let packs = col.packs()?;
            if json {
                print_json(&packs);
            } else {
                for p in packs {
                    println!(
                        "{:<36} {} {} — {} notes, {} cards{}",
                        p.id,
                        p.name,
                        p.version,
                        p.notes,
                        p.cards,
                        if p.enabled { "" } else { " (disabled)" }
                    );
                }
            }
        }
        Command::Export(what) => {
            let (exported, json) = match what {
                ExportCommand::Pack { id, file, json } => (col.export_pack(&id, &file)?, json),
                ExportCommand::Revlog { file, json } => (col.export_revlog(&file)?, json),
            };
            if json {
                print_json(&exported);
            } else {
                println!("Wrote {} ({} entries).", exported.path, exported.items);
            }
        }
        Command::Backup { file, json } => {
            let path = match file {
                Some(file) => {
                    backup::write(col.store().path(), &file)?;
                    file
                }
                None => backup::backup_now(&data_dir, now().with_timezone(&chrono::Utc))?,
            };
            if json {
                print_json(&serde_json::json!({ "path": path }));
            } else {
                println!("Backed up to {}.", path.display());
            }
        }
        Command::Pack(PackCommand::Disable { id }) => {
            col.set_pack_enabled(&id, false)?;
            println!(
                "Disabled {id}: its cards are hidden from study until `reprise pack enable {id}`."
            );
        }
        Command::Pack(PackCommand::Enable { id }) => {
            col.set_pack_enabled(&id, true)?;
            println!("Enabled {id}.");
        }
        Command::Pack(PackCommand::Remove {
            id, keep_history, ..
        }) => {
            let removed = col.remove_pack(&id, keep_history)?;
            println!(
                "Removed {id}: {} notes, {} cards; {}.",
                removed.notes,
                removed.cards,
                if keep_history {
                    "its review history was kept".to_owned()
                } else {
                    format!("{} reviews deleted", removed.reviews)
                }
            );
        }
        Command::Config(ConfigCommand::Get { key, json }) => {
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
                print_json(&values);
            } else {
                for (key, value) in values {
                    println!("{key} = {value}");
                }
            }
        }
        Command::Config(ConfigCommand::Set { key, value }) => {
            let settings = col.settings().with(&key, &value)?;
            let shown = settings.get(&key)?;
            let rescheduled = col.set_settings(settings, now())?;
            println!("{key} = {shown}");
            if rescheduled > 0 {
                println!(
                    "Rescheduled {rescheduled} review card{} for the new setting.",
                    plural(rescheduled)
                );
            }
        }
        Command::Card(command) => {
            use reprise::study::CardAction;
            let (action, ids) = match command {
                CardCommand::Suspend { card_ids } => (CardAction::Suspend, card_ids),
                CardCommand::Unsuspend { card_ids } => (CardAction::Unsuspend, card_ids),
                CardCommand::Bury { card_ids } => (CardAction::Bury, card_ids),
                CardCommand::Reset { card_ids } => (CardAction::Reset, card_ids),
                CardCommand::SetDue { days, card_ids } => (CardAction::SetDue { days }, card_ids),
                CardCommand::Tag { tag, card_ids } => (CardAction::Tag { tag }, card_ids),
                CardCommand::Untag { tag, card_ids } => (CardAction::Untag { tag }, card_ids),
            };
            let ids: Vec<CardId> = ids.into_iter().map(CardId).collect();
            let report = col.card_action(action, &ids, now())?;
            println!(
                "{}: {} of {} card{} changed (`reprise undo` takes it back).",
                report.action.replace('_', " "),
                report.changed,
                ids.len(),
                plural(ids.len() as u32)
            );
        }
        Command::Optimize { json } => {
            let mut last = String::new();
            let report = col.optimize(now(), &mut |p| {
                let line = match p.total {
                    0 => format!("{}…", p.stage),
                    total => format!("{} {}%", p.stage, p.done * 100 / total),
                };
                if line != last && !json {
                    eprintln!("{line}");
                    last = line;
                }
                Ok(())
            })?;
            if json {
                print_json(&report);
            } else {
                print_optimize(&report);
            }
        }
        Command::Simulate { json } => {
            let workload = col.simulate_workload(now(), &mut |_, _| Ok(()))?;
            if json {
                print_json(&workload);
            } else {
                println!(
                    "Next {} days, {} cards, {} new a day:",
                    workload.days, workload.cards, workload.new_per_day
                );
                println!("retention  reviews/day  minutes/day  remembered at the end");
                for p in &workload.points {
                    println!(
                        "{:>8.0}%  {:>11.1}  {:>11.1}  {:>10.0}",
                        p.desired_retention * 100.0,
                        p.reviews_per_day,
                        p.minutes_per_day,
                        p.memorized
                    );
                }
            }
        }
        Command::Stats { json } => {
            let stats = col.stats(now())?;
            if json {
                print_json(&stats);
            } else {
                print_stats(&stats);
            }
        }
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
            let ids = col.browse(&query, now())?;
            let shown: Vec<i64> = ids.iter().copied().take(limit.min(1000)).collect();
            let rows = col.browse_rows(&shown, now())?;
            if json {
                print_json(&serde_json::json!({ "total": ids.len(), "rows": rows }));
            } else {
                for r in &rows {
                    println!(
                        "{:>17}  {:<10}  {}  →  {}",
                        r.card_id,
                        r.state.as_str(),
                        r.prompt.chars().take(50).collect::<String>(),
                        r.answer.chars().take(40).collect::<String>()
                    );
                }
                println!("{} of {} cards", rows.len(), ids.len());
            }
        }
        Command::Backlog { spread, json } => match spread {
            Some(days) => {
                let spread = col.spread_backlog(days, now())?;
                if json {
                    print_json(&spread);
                } else {
                    println!(
                        "Spread {} overdue card{} over {} day{}, lowest retrievability first; \
                         new cards wait until {}.",
                        spread.cards,
                        plural(spread.cards),
                        spread.days,
                        plural(spread.days),
                        spread.new_paused_until.unwrap_or_default()
                    );
                }
            }
            None => {
                let backlog = col.backlog(now())?;
                if json {
                    print_json(&backlog);
                } else {
                    println!("{} overdue review cards.", backlog.overdue);
                    if let Some(until) = backlog.new_paused_until {
                        println!("New cards are paused until {until}.");
                    }
                }
            }
        },
        Command::Pack(PackCommand::Check { .. })
        | Command::Restore { .. }
        | Command::Backups { .. } => {
            unreachable!("handled before opening the collection")
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_stats(s: &reprise::stats::Stats) {
    let h = &s.heatmap;
    println!(
        "Last year: {} reviews on {} days; streak {} days (longest {}).",
        h.total_reviews, h.days_studied, h.streak, h.longest_streak
    );
    let due: Vec<String> = s
        .forecast
        .days
        .iter()
        .take(7)
        .map(|d| d.cards.to_string())
        .collect();
    println!("Due the next 7 days: {}.", due.join(" · "));
    let c = &s.counts;
    println!(
        "Cards: {} new, {} learning, {} review, {} relearning, {} suspended, {} buried ({} in all).",
        c.new, c.learning, c.review, c.relearning, c.suspended, c.buried, c.total
    );
    let rate = |p: &reprise::stats::Passes| {
        p.rate.map_or("—".to_owned(), |r| {
            format!("{:.1}% of {}", r * 100.0, p.reviews)
        })
    };
    println!(
        "True retention (desired {:.0}%):",
        s.desired_retention * 100.0
    );
    for p in &s.retention {
        println!(
            "  {:<10} young {:<16} mature {:<16} all {}",
            p.period,
            rate(&p.young),
            rate(&p.mature),
            rate(&p.all)
        );
    }
    if let Some(r) = s.average_retrievability {
        println!("Average chance of recall now: {:.1}%.", r * 100.0);
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn print_optimize(r: &reprise::optimize::OptimizeReport) {
    println!(
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
    );
    if r.adopted {
        println!(
            "The fitted parameters predict your reviews better and are now in use; {} review \
             card{} rescheduled.",
            r.rescheduled,
            plural(r.rescheduled)
        );
    } else {
        println!("The parameters in use predict your reviews as well or better; they were kept.");
    }
}

fn one_based_to_indexes(numbers: &[u32]) -> Result<Vec<u32>> {
    numbers
        .iter()
        .map(|&n| {
            n.checked_sub(1).ok_or_else(|| {
                Error::InvalidInput("options are numbered from 1; there is no option 0".into())
            })
        })
        .collect()
}

fn options_text(card: &StudyCard) -> String {
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

fn print_card(card: &StudyCard) {
    let l = &card.interval_labels;
    println!("Card {} ({})", card.card_id, card.state.as_str());
    println!("Prompt: {}", card.prompt);
    print!("{}", options_text(card));
    println!("Answer: {}", card.answer);
    println!(
        "Again {} · Hard {} · Good {} · Easy {}",
        l.again, l.hard, l.good, l.easy
    );
}

/// A key the review session understands.
enum Key {
    /// Enter or Space: reveal, or submit the chosen options.
    Reveal,
    Digit(u32),
    Letter(char),
    Undo,
    Quit,
}

/// Reads keys one at a time from a terminal, or one per line from a pipe (scripts, tests).
struct Keys {
    raw: bool,
    lines: io::Lines<io::StdinLock<'static>>,
}

impl Keys {
    fn new() -> Result<Keys> {
        let raw = io::stdin().is_terminal();
        if raw {
            terminal::enable_raw_mode().map_err(|e| Error::InvalidInput(e.to_string()))?;
        }
        Ok(Keys {
            raw,
            lines: io::stdin().lock().lines(),
        })
    }

    fn next(&mut self) -> Key {
        if self.raw {
            loop {
                let Ok(Event::Key(k)) = event::read() else {
                    return Key::Quit;
                };
                if k.kind != KeyEventKind::Press {
                    continue;
                }
                if k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('c') {
                    return Key::Quit;
                }
                return match k.code {
                    KeyCode::Enter | KeyCode::Char(' ') => Key::Reveal,
                    KeyCode::Char(c) => Self::key_for(&c.to_string()),
                    KeyCode::Esc => Key::Quit,
                    _ => Key::Letter('\0'),
                };
            }
        }
        match self.lines.next() {
            None | Some(Err(_)) => Key::Quit,
            Some(Ok(line)) if line.trim().is_empty() => Key::Reveal,
            Some(Ok(line)) => Self::key_for(line.trim()),
        }
    }

    fn key_for(s: &str) -> Key {
        match s {
            "u" => Key::Undo,
            "q" => Key::Quit,
            _ => match s.parse() {
                Ok(n) => Key::Digit(n),
                Err(_) => Key::Letter(s.chars().next().unwrap_or('\0')),
            },
        }
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        if self.raw {
            let _ = terminal::disable_raw_mode();
        }
    }
}

/// Prints a line; in raw mode a bare "\n" does not return the carriage.
fn say(keys: &Keys, text: &str) {
    let eol = if keys.raw { "\r\n" } else { "\n" };
    let mut out = io::stdout().lock();
    for line in text.lines() {
        let _ = write!(out, "{line}{eol}");
    }
    let _ = out.flush();
}

fn review(col: &mut Collection, now: &dyn Fn() -> DateTime<FixedOffset>) -> Result<()> {
    let mut keys = Keys::new()?;
    let mut reviewed = 0;
    loop {
        let Some(card) = col.next_card(now())? else {
            say(&keys, &format!("All done for now: {reviewed} reviewed."));
            return Ok(());
        };
        let c = &card.counts;
        say(
            &keys,
            &format!(
                "\n[{} new · {} learning · {} review]  card {} ({})\n{}\n\
                 (Enter shows the answer, u undoes, q quits)",
                c.new,
                c.learning,
                c.review,
                card.card_id,
                card.state.as_str(),
                card.prompt
            ),
        );
        let shown = Instant::now();
        let elapsed_ms = || shown.elapsed().as_millis().min(u128::from(u32::MAX)) as u32;
        let mut revealed = false;
        let mut chosen: Vec<u32> = Vec::new();
        let id = CardId(card.card_id);
        if card.quiz.is_some() {
            say(
                &keys,
                &format!(
                    "{}(type the numbers of your choices, then Enter)",
                    options_text(&card)
                ),
            );
        }
        loop {
            let key = keys.next();
            let outcome = match (key, &card.quiz, revealed) {
                (Key::Quit, ..) => return Ok(()),
                (Key::Undo, ..) => {
                    let undone = col.undo(now())?;
                    say(
                        &keys,
                        if undone.is_some() {
                            "Undone."
                        } else {
                            "Nothing to undo."
                        },
                    );
                    break;
                }
                (Key::Digit(n), Some(quiz), false)
                    if (1..=quiz.options.len() as u32).contains(&n) =>
                {
                    if let Some(at) = chosen.iter().position(|&c| c == n - 1) {
                        chosen.remove(at);
                    } else {
                        chosen.push(n - 1);
                    }
                    let list: Vec<String> = chosen.iter().map(|c| (c + 1).to_string()).collect();
                    say(&keys, &format!("chosen: {}", list.join(", ")));
                    continue;
                }
                (Key::Reveal, Some(quiz), false) if !chosen.is_empty() => {
                    let mut sorted = chosen.clone();
                    sorted.sort_unstable();
                    if sorted != quiz.correct {
                        col.answer_quiz(id, &chosen, None, now(), elapsed_ms())?
                    } else {
                        revealed = true;
                        say(
                            &keys,
                            &format!(
                                "Right. {}\nEnter Good {} · h Hard {} · e Easy {}",
                                card.detail,
                                card.interval_labels.good,
                                card.interval_labels.hard,
                                card.interval_labels.easy
                            ),
                        );
                        continue;
                    }
                }
                (key @ (Key::Reveal | Key::Letter('h' | 'e')), Some(_), true) => {
                    let rating = match key {
                        Key::Letter('h') => Rating::Hard,
                        Key::Letter('e') => Rating::Easy,
                        _ => Rating::Good,
                    };
                    col.answer_quiz(id, &chosen, Some(rating), now(), elapsed_ms())?
                }
                (Key::Reveal, None, false) => {
                    revealed = true;
                    let l = &card.interval_labels;
                    say(
                        &keys,
                        &format!(
                            "→ {}\n{}\n1 Again {} · 2 Hard {} · 3 Good {} · 4 Easy {}",
                            card.answer, card.detail, l.again, l.hard, l.good, l.easy
                        ),
                    );
                    continue;
                }
                (Key::Digit(n), None, true) => match Rating::from_number(i64::from(n)) {
                    Some(rating) => col.answer(id, rating, now(), elapsed_ms())?,
                    None => continue,
                },
                _ => continue,
            };
            reviewed += 1;
            if outcome.rating == Rating::Again && card.quiz.is_some() {
                say(
                    &keys,
                    &format!("Not quite: {}\n{}", card.answer, card.detail),
                );
            }
            // Printed only once the answer is committed: this line is the acknowledgement.
            say(
                &keys,
                &format!(
                    "Saved: {} → {} until {}",
                    outcome.rating.as_str(),
                    outcome.state.as_str(),
                    outcome.due
                ),
            );
            break;
        }
    }
}
