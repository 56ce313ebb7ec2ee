//! The core's one error type. Each variant says what went wrong, where, and how to fix it;
//! [`ErrorCode`] is the stable code front ends branch on (never the message text).

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no card with id {0}; `reprise next` shows a card that exists")]
    UnknownCard(i64),

    #[error("{0}")]
    InvalidInput(String),

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

    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),

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

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the FSRS scheduler rejected its input: {0}")]
    Scheduler(#[from] fsrs::FSRSError),
}

/// Stable, machine-readable error codes shared with the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    UnknownCard,
    InvalidInput,
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
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::UnknownCard(_) => ErrorCode::UnknownCard,
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::NewerSchema { .. } => ErrorCode::NewerSchema,
            Error::NotADatabase { .. } => ErrorCode::NotADatabase,
            Error::Database(_) | Error::Scheduler(_) => ErrorCode::Database,
            Error::Content { .. } => ErrorCode::Content,
            Error::Import { .. } => ErrorCode::Import,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::NotEnoughHistory { .. } => ErrorCode::NotEnoughHistory,
            Error::Io { .. } => ErrorCode::Io,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// The error as it crosses to the UI: a code to branch on and a message to show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<&Error> for AppError {
    fn from(err: &Error) -> Self {
        AppError {
            code: err.code(),
            message: err.to_string(),
        }
    }
}
