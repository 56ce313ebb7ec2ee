//! Reprise core: content packs, the SQLite store, FSRS scheduling and study sessions.
//!
//! Everything a front end needs goes through [`Collection`]; the desktop shell and the `reprise`
//! CLI are thin adapters over it. Every entry point takes "now" so callers can travel in time.

pub mod bindings;
pub mod browse;
pub mod clock;
pub mod collection;
pub mod content;
pub mod day;
pub mod device;
pub mod error;
pub mod export;
pub mod ids;
pub mod import;
pub mod notes;
pub mod optimize;
pub mod schedule;
pub mod settings;
pub mod simulate;
pub mod stats;
pub mod store;
pub mod study;
pub mod sync;
pub mod undo;

pub use clock::Clock;
pub use collection::{Changes, Collection};
pub use error::{Error, ErrorCode, Result};
pub use ids::{CardId, NoteId, PackId};
pub use schedule::{CardState, Rating};
pub use settings::Settings;
pub use study::{AnswerOutcome, CardInfo, Status, StudyCard, UndoOutcome};
