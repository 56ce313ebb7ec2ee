//! Study: what is due today and in which order ([`queue`]), the status ([`status`]), a card as
//! the screens show it ([`card_view`], [`present`]), answering ([`answer`]), card actions
//! ([`actions`]), catching up ([`backlog`]), and the library of terms and lessons to read.
//! [`Collection`](crate::Collection) calls into these; each write runs in its one transaction.

pub mod actions;
pub mod answer;
pub mod backlog;
pub mod card_view;
pub mod curriculum;
pub(crate) mod lessons;
pub(crate) mod library;
pub mod packs;
pub(crate) mod present;
pub(crate) mod queue;
pub(crate) mod search;
pub mod status;

pub use crate::undo::UndoOutcome;
pub use actions::{ActionReport, CardAction};
pub use answer::{AnswerOutcome, MAX_ANSWER_MS};
pub use card_view::{CardDetail, CardInfo, IntervalLabels, Intervals, StudyCard};
pub use curriculum::CurriculumArea;
pub use lessons::{LessonPage, LessonQuestion, QuizResult};
pub use library::{LessonSummary, LibraryArea, Score, TermLink, TermPage};
pub use packs::PackInfo;
pub use present::QuizPrompt;
pub use queue::Counts;
pub use search::SearchHit;
pub use status::Status;
