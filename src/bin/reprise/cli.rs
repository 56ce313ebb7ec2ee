//! The command line's arguments and subcommands, as clap parses them; the doc comments are the
//! `--help` texts.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use clap::{Args, Parser, Subcommand};
use reprise::PackId;

#[derive(Parser)]
#[command(
    name = "reprise",
    version,
    about = "Spaced repetition for system design, from the terminal"
)]
pub struct Cli {
    /// Folder holding the collection [default: the OS data directory, ~/.local/share/reprise]
    #[arg(long, env = "REPRISE_DATA_DIR", global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Act as if it were this moment (RFC 3339, e.g. 2026-03-10T09:00:00+01:00)
    #[arg(long, env = "REPRISE_NOW", global = true, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<DateTime<FixedOffset>>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
    /// Back up the collection: to FILE (compressed if it ends in .zst, else a plain SQLite file),
    /// or compressed into the data directory's backups/ (the newest 10 are kept)
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
        pack: Option<PackId>,
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
    /// Sync with your other devices through a folder your sync tool (Syncthing, Dropbox,
    /// iCloud Drive, OneDrive, Nextcloud) keeps in step; `--to FOLDER` turns it on, then
    /// `reprise sync` syncs again. Answers from every device are kept and merged.
    #[command(args_conflicts_with_subcommands = true)]
    Sync(SyncArgs),
    /// Write a note: a term (two cards), a basic note (front → back, --reverse for both ways)
    /// or a cloze ({{c1::…}}, one card per number); into My cards unless --pack names one of
    /// yours (a new name makes it). One undoable step.
    #[command(subcommand)]
    Add(AddCommand),
    /// Edit a note's fields: NAME=VALUE… (lists comma-separated, reverse=true|false). History
    /// and schedules stay; a pack's note keeps your text over the pack's updates. One undoable step.
    Edit {
        note_id: i64,
        #[arg(value_name = "FIELD=VALUE", required = true)]
        fields: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// A note's fields, its cards, and what differs from its pack's text
    Note {
        note_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Delete a note: its cards leave study, their reviews stay in the statistics; `reprise
    /// undo` brings it back
    Delete {
        note_id: i64,
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
pub enum AddCommand {
    /// A glossary term: name → definition and definition → name
    Term {
        #[arg(long)]
        name: String,
        #[arg(long)]
        definition: String,
        /// Markdown shown with the answer
        #[arg(long, default_value = "")]
        explanation: String,
        #[arg(long, value_delimiter = ',')]
        aliases: Vec<String>,
        #[arg(long, default_value = "")]
        area: String,
        #[arg(long, default_value = "beginner", value_parser = ["beginner", "intermediate", "advanced"])]
        level: String,
        #[arg(long, value_delimiter = ',')]
        see_also: Vec<String>,
        #[command(flatten)]
        common: AddArgs,
    },
    /// Front → back (Markdown)
    Basic {
        #[arg(long)]
        front: String,
        #[arg(long)]
        back: String,
        /// Also back → front
        #[arg(long)]
        reverse: bool,
        #[command(flatten)]
        common: AddArgs,
    },
    /// A text with deletions {{c1::…}} (hint: {{c1::…::hint}}); a card per number
    Cloze {
        #[arg(long)]
        text: String,
        /// Shown with every answer
        #[arg(long, default_value = "")]
        extra: String,
        #[command(flatten)]
        common: AddArgs,
    },
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// One of your packs, by id or name (a new name makes it); default My cards
    #[arg(long)]
    pub pack: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
    /// Turn sync on through this folder, s3://BUCKET/PREFIX or webdav+https://HOST/PATH
    /// (remembered; a server's key from AWS_* or REPRISE_WEBDAV_USER/PASSWORD, or the OS keyring)
    #[arg(long, value_name = "TARGET")]
    pub to: Option<String>,
    /// With --to a server: keep the key now in the environment in the OS keyring for it, so
    /// later syncs (and the app) need no variables
    #[arg(long, requires = "to")]
    pub remember_key: bool,
    /// This device's name, as your other devices list it
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Where this collection syncs, this device, the devices seen, the last sync
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Fold every card from its events again and compare with the collection
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Stop syncing; what was recorded is kept for when it is turned on again
    Off,
}

#[derive(Subcommand)]
pub enum ConfigCommand {
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
pub enum CardCommand {
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
pub enum ExportCommand {
    /// A pack as the collection holds it, as a zip in the pack format
    Pack {
        id: PackId,
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
pub enum PackCommand {
    /// Hide a pack's cards from study; their schedules are kept
    Disable { id: PackId },
    /// Bring a disabled pack's cards back as they were
    Enable { id: PackId },
    /// Remove a pack and its cards; say whether to keep its review history
    #[command(group(clap::ArgGroup::new("history").required(true).args(["keep_history", "delete_history"])))]
    Remove {
        id: PackId,
        /// Keep its review log (statistics, the optimizer, and its cards' history if it returns)
        #[arg(long)]
        keep_history: bool,
        /// Delete its review log too
        #[arg(long)]
        delete_history: bool,
    },
    /// Validate a pack (a folder or a .zip of one), or a folder of packs together, and report
    /// every problem with file and line
    Check {
        path: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn parse_now(s: &str) -> std::result::Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(s)
        .map_err(|e| format!("{e}; give a moment in RFC 3339 form, e.g. 2026-03-10T09:00:00+01:00"))
}
