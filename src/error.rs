//! The core's one error type. Each variant says what went wrong, where, and how to fix it;
//! [`ErrorCode`] is the stable code front ends branch on (never the message text).

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something asked for by its id that the collection does not hold.
    #[error("{}", not_found(what, id, within, hint))]
    NotFound {
        /// `card`, `pack`, `lesson` or `term`.
        what: &'static str,
        id: String,
        /// Where it was looked for, e.g. ` in pack 'k8s'`; may be empty.
        within: String,
        /// How to find one that exists.
        hint: &'static str,
    },

    /// The card exists but cannot be studied that way now: hidden, not due, new, or answered
    /// as the other kind of card.
    #[error("{why}")]
    NotStudiable { why: String },

    /// A value the learner or a caller gave that is not allowed; `field` names it, so a form
    /// can mark it.
    #[error("{why}")]
    Invalid { field: String, why: String },

    /// Data in the collection that cannot be read: damage, or a bug that wrote it.
    #[error(
        "{what}; the collection may be damaged — restore a backup (`reprise backups`) or report \
         the problem"
    )]
    Corrupt { what: String },

    #[error(
        "{} was written by a newer version of Reprise (schema version {found}; this version \
         knows up to {known}); update Reprise to open it — the file was not changed",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error(
        "{} is not a Reprise database ({reason}); move it aside or choose another data \
         directory with --data-dir — the file was not changed",
        path.display()
    )]
    NotADatabase { path: PathBuf, reason: String },

    /// An SQLite failure other than those below. Built through `From<rusqlite::Error>`, which
    /// turns a full disk into [`Error::DiskFull`] and a wait for another program into
    /// [`Error::InUse`].
    #[error("database error: {0}")]
    Database(rusqlite::Error),

    /// A write failed for want of space: the disk is full (`SQLITE_FULL`, `ENOSPC`), a file
    /// reached its size limit or a quota (`EFBIG`, `EDQUOT`), or SQLite could not write its
    /// files. The write was not kept; what was saved before is intact.
    #[error(
        "{}the disk is full or cannot be written ({detail}); nothing was changed — free some \
         space and try again",
        path.as_ref().map(|p| format!("{}: ", p.display())).unwrap_or_default()
    )]
    DiskFull {
        /// The file being written, when it is known (SQLite does not say which of its files).
        path: Option<PathBuf>,
        detail: String,
    },

    /// Another program (the app or another `reprise` command) kept the collection for writing
    /// longer than [`crate::store::WAIT_FOR_WRITER`]; nothing was changed.
    #[error(
        "another Reprise program (the app or a `reprise` command) has been writing to the \
         collection for over {} seconds; nothing was changed — try again when it has finished",
        crate::store::WAIT_FOR_WRITER.as_secs()
    )]
    InUse,

    #[error(
        "the pack is invalid ({} problem{}):\n{}",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" },
        problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    )]
    Content {
        problems: Vec<crate::content::Problem>,
    },

    /// A file to import that cannot be taken in; nothing was changed.
    #[error(
        "cannot import {}{}: {message} — nothing was imported",
        file.display(),
        entry.as_deref().map(|e| format!(" (entry '{e}')")).unwrap_or_default()
    )]
    Import {
        file: PathBuf,
        entry: Option<String>,
        message: String,
    },

    #[error("cancelled; nothing was changed")]
    Cancelled,

    #[error(
        "not enough review history to optimize: {have} reviews of cards answered on an earlier \
         day, and the optimizer needs {need}; about {} more are needed (keep reviewing for a few \
         weeks) — your parameters were not changed",
        need - have
    )]
    NotEnoughHistory { have: usize, need: usize },

    /// A sync target on a server (S3, WebDAV) that refused or failed a request; `hint` says
    /// what to check.
    #[error("sync target {target}: {action} failed ({detail}); {hint}")]
    Remote {
        target: String,
        action: String,
        detail: String,
        hint: String,
    },

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the FSRS scheduler rejected its input: {0}")]
    Scheduler(#[from] fsrs::FSRSError),
}

fn not_found(what: &str, id: &str, within: &str, hint: &str) -> String {
    match what {
        // Card ids are numbers, the others keys.
        "card" => format!("no card with id {id}{within}; {hint}"),
        _ => format!("no {what} '{id}'{within}; {hint}"),
    }
}

impl Error {
    /// A card that is not in the collection.
    pub fn unknown_card(id: i64) -> Error {
        Error::NotFound {
            what: "card",
            id: id.to_string(),
            within: String::new(),
            hint: "it may have been removed with its pack",
        }
    }

    /// A pack that is not installed.
    pub fn unknown_pack(id: &str) -> Error {
        Error::NotFound {
            what: "pack",
            id: id.into(),
            within: " in the collection".into(),
            hint: "`reprise packs` lists them",
        }
    }

    pub fn invalid(field: impl Into<String>, why: impl Into<String>) -> Error {
        Error::Invalid {
            field: field.into(),
            why: why.into(),
        }
    }

    pub fn not_studiable(why: impl Into<String>) -> Error {
        Error::NotStudiable { why: why.into() }
    }

    pub fn corrupt(what: impl Into<String>) -> Error {
        Error::Corrupt { what: what.into() }
    }
}

/// Stable, machine-readable error codes shared with the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    NotStudiable,
    Invalid,
    Corrupt,
    Scheduler,
    Database,
    NewerSchema,
    NotADatabase,
    Content,
    Import,
    Cancelled,
    NotEnoughHistory,
    Io,
}

impl Error {
    /// The field a refused value was given for, if the error is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::NotStudiable { .. } => ErrorCode::NotStudiable,
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::Corrupt { .. } => ErrorCode::Corrupt,
            Error::Scheduler(_) => ErrorCode::Scheduler,
            Error::NewerSchema { .. } => ErrorCode::NewerSchema,
            Error::NotADatabase { .. } => ErrorCode::NotADatabase,
            Error::Database(_) | Error::InUse => ErrorCode::Database,
            Error::DiskFull { .. } => ErrorCode::Io,
            Error::Content { .. } => ErrorCode::Content,
            Error::Import { .. } => ErrorCode::Import,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::NotEnoughHistory { .. } => ErrorCode::NotEnoughHistory,
            // Reaching a file elsewhere, as far as a front end is concerned.
            Error::Io { .. } | Error::Remote { .. } => ErrorCode::Io,
        }
    }

    /// A failed file operation on `path`; a full disk becomes [`Error::DiskFull`].
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        use std::io::ErrorKind;
        match source.kind() {
            ErrorKind::StorageFull | ErrorKind::FileTooLarge | ErrorKind::QuotaExceeded => {
                Error::DiskFull {
                    path: Some(path.into()),
                    detail: source.to_string(),
                }
            }
            _ => Error::Io {
                path: path.into(),
                source,
            },
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ffi;
        let rusqlite::Error::SqliteFailure(failure, _) = &err else {
            return Error::Database(err);
        };
        match failure.code {
            // The busy timeout ran out waiting for another connection's write.
            ffi::ErrorCode::DatabaseBusy | ffi::ErrorCode::DatabaseLocked => Error::InUse,
            // A full disk is SQLITE_FULL; a file size limit or quota (EFBIG, EDQUOT) is an
            // I/O error writing, growing or syncing a file, as SQLite does not tell them apart.
            ffi::ErrorCode::DiskFull => disk_full(&err),
            ffi::ErrorCode::SystemIoFailure
                if matches!(
                    failure.extended_code,
                    ffi::SQLITE_IOERR_WRITE
                        | ffi::SQLITE_IOERR_FSYNC
                        | ffi::SQLITE_IOERR_DIR_FSYNC
                        | ffi::SQLITE_IOERR_TRUNCATE
                        | ffi::SQLITE_IOERR_SHMSIZE
                ) =>
            {
                disk_full(&err)
            }
            _ => Error::Database(err),
        }
    }
}

fn disk_full(err: &rusqlite::Error) -> Error {
    Error::DiskFull {
        path: None,
        detail: err.to_string(),
    }
}

/// The error as it crosses to the UI: a code to branch on and a message to show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    /// For `invalid`: the field or setting at fault, so a form can mark it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}

impl AppError {
    /// An error the front end itself detects, not tied to a field.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
            field: None,
        }
    }
}

impl From<&Error> for AppError {
    fn from(err: &Error) -> Self {
        AppError {
            code: err.code(),
            message: err.to_string(),
            field: match err {
                Error::Invalid { field, .. } => Some(field.clone()),
                _ => None,
            },
        }
    }
}
