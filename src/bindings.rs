//! The TypeScript types the UI uses, generated from the Rust types with ts-rs so the two cannot
//! drift: a test compares this output with `ui/src/lib/bindings.ts`.

use ts_rs::Config;
pub use ts_rs::TS;

use crate::browse::{BrowseFacets, BrowseQuery, BrowseRow, DueFilter, SortColumn};
use crate::collection::Changes;
use crate::content::flash::TextFormat;
use crate::device::{About, DevicePrefs};
use crate::error::{AppError, ErrorCode};
use crate::ids::{CardId, NoteId, PackId};
use crate::import::{ImportProgress, ImportReport, PreviewRow, Skipped, TablePreview};
use crate::notes::{
    BasicDraft, CardPreview, ClozeDraft, NoteAdded, NoteDraft, NoteEdited, NoteView, PersonalPack,
    TermDraft,
};
use crate::optimize::{Evaluation, OptimizeProgress, OptimizeReport};
use crate::schedule::{CardState, Rating};
use crate::settings::{LeechAction, NewCardOrder, ReviewOrder, Settings};
use crate::simulate::{Workload, WorkloadPoint};
use crate::stats::{
    AreaCount, Bin, Buttons, CardCounts, DueCount, Forecast, Heatmap, PackCount, Passes,
    RetentionPeriod, Stats, StudyDay,
};
use crate::store::backup::BackupInfo;
use crate::store::{ReviewEntry, Upgrade};
use crate::study::backlog::{Backlog, Spread};
use crate::study::{
    ActionReport, AnswerOutcome, CardAction, CardDetail, CardInfo, Counts, CurriculumArea,
    IntervalLabels, Intervals, LessonPage, LessonQuestion, LessonSummary, LibraryArea, PackInfo,
    QuizPrompt, QuizResult, Score, SearchHit, Status, StudyCard, TermLink, TermPage, UndoOutcome,
};
use crate::sync::{DeviceInfo, SyncActivity, SyncProgress, SyncReport, SyncStatus};

/// How ts-rs writes our types: 64-bit integers as numbers (ids stay below 2^53).
fn config() -> Config {
    Config::new().with_large_int("number")
}

/// The TypeScript type of `T` as `bindings.ts` names it, for the desktop's command signatures.
pub fn ts_name<T: TS>() -> String {
    T::name(&config())
}

/// The whole `bindings.ts` file.
pub fn typescript() -> String {
    let cfg = config();
    let decls = [
        CardId::decl(&cfg),
        NoteId::decl(&cfg),
        PackId::decl(&cfg),
        Counts::decl(&cfg),
        Status::decl(&cfg),
        Rating::decl(&cfg),
        Intervals::decl(&cfg),
        IntervalLabels::decl(&cfg),
        CardState::decl(&cfg),
        QuizPrompt::decl(&cfg),
        StudyCard::decl(&cfg),
        AnswerOutcome::decl(&cfg),
        UndoOutcome::decl(&cfg),
        SearchHit::decl(&cfg),
        Score::decl(&cfg),
        LessonSummary::decl(&cfg),
        TermLink::decl(&cfg),
        TermPage::decl(&cfg),
        LibraryArea::decl(&cfg),
        LessonQuestion::decl(&cfg),
        LessonPage::decl(&cfg),
        QuizResult::decl(&cfg),
        PackInfo::decl(&cfg),
        CurriculumArea::decl(&cfg),
        ImportProgress::decl(&cfg),
        Skipped::decl(&cfg),
        ImportReport::decl(&cfg),
        PreviewRow::decl(&cfg),
        TablePreview::decl(&cfg),
        BackupInfo::decl(&cfg),
        Upgrade::decl(&cfg),
        LeechAction::decl(&cfg),
        NewCardOrder::decl(&cfg),
        ReviewOrder::decl(&cfg),
        Settings::decl(&cfg),
        CardAction::decl(&cfg),
        ActionReport::decl(&cfg),
        Evaluation::decl(&cfg),
        OptimizeProgress::decl(&cfg),
        OptimizeReport::decl(&cfg),
        WorkloadPoint::decl(&cfg),
        Workload::decl(&cfg),
        Backlog::decl(&cfg),
        Spread::decl(&cfg),
        StudyDay::decl(&cfg),
        Heatmap::decl(&cfg),
        DueCount::decl(&cfg),
        Forecast::decl(&cfg),
        Passes::decl(&cfg),
        RetentionPeriod::decl(&cfg),
        CardCounts::decl(&cfg),
        PackCount::decl(&cfg),
        AreaCount::decl(&cfg),
        Bin::decl(&cfg),
        Buttons::decl(&cfg),
        Stats::decl(&cfg),
        DueFilter::decl(&cfg),
        SortColumn::decl(&cfg),
        BrowseQuery::decl(&cfg),
        BrowseRow::decl(&cfg),
        BrowseFacets::decl(&cfg),
        ReviewEntry::decl(&cfg),
        CardInfo::decl(&cfg),
        CardDetail::decl(&cfg),
        ErrorCode::decl(&cfg),
        AppError::decl(&cfg),
        Changes::decl(&cfg),
        SyncReport::decl(&cfg),
        DeviceInfo::decl(&cfg),
        SyncStatus::decl(&cfg),
        SyncProgress::decl(&cfg),
        SyncActivity::decl(&cfg),
        DevicePrefs::decl(&cfg),
        About::decl(&cfg),
        TextFormat::decl(&cfg),
        TermDraft::decl(&cfg),
        BasicDraft::decl(&cfg),
        ClozeDraft::decl(&cfg),
        NoteDraft::decl(&cfg),
        NoteAdded::decl(&cfg),
        NoteEdited::decl(&cfg),
        NoteView::decl(&cfg),
        CardPreview::decl(&cfg),
        PersonalPack::decl(&cfg),
        #[cfg(feature = "remote")]
        crate::sync::secrets::SyncSecret::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust core by ts-rs (`UPDATE_BINDINGS=1 cargo test --test bindings`). Do not edit.\n",
    );
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(&decl);
        out.push('\n');
    }
    out.push_str(&constants());
    out
}

/// The core's limits and defaults, so the UI states and checks the same numbers.
fn constants() -> String {
    use crate::settings::{MAX_DESIRED_RETENTION, MIN_DESIRED_RETENTION};
    let consts: [(&str, &str, String); 13] = [
        (
            "The lowest desired retention a learner may choose.",
            "MIN_DESIRED_RETENTION",
            MIN_DESIRED_RETENTION.to_string(),
        ),
        (
            "The highest desired retention a learner may choose.",
            "MAX_DESIRED_RETENTION",
            MAX_DESIRED_RETENTION.to_string(),
        ),
        (
            "The farthest due date a card action sets, in days from today.",
            "MAX_SET_DUE_DAYS",
            crate::study::actions::MAX_SET_DUE_DAYS.to_string(),
        ),
        (
            "The longest spread of a backlog, in days.",
            "MAX_SPREAD_DAYS",
            crate::study::backlog::MAX_SPREAD_DAYS.to_string(),
        ),
        (
            "The longest tag, in characters.",
            "MAX_TAG_CHARS",
            crate::store::tags::MAX_TAG_CHARS.to_string(),
        ),
        (
            "The most browser rows one call reads.",
            "MAX_BROWSE_ROWS",
            crate::browse::MAX_ROWS.to_string(),
        ),
        (
            "Reviews the optimizer needs.",
            "MIN_TRAINING_REVIEWS",
            crate::optimize::MIN_TRAINING_REVIEWS.to_string(),
        ),
        (
            "The desired retentions the workload is simulated at.",
            "RETENTIONS",
            serde_json::to_string(&crate::simulate::RETENTIONS).expect("numbers serialize"),
        ),
        (
            "Answers longer than this are logged as this long, in milliseconds.",
            "MAX_ANSWER_MS",
            crate::study::MAX_ANSWER_MS.to_string(),
        ),
        (
            "The smallest zoom of the desktop app (1 is 100 %).",
            "MIN_ZOOM",
            crate::device::MIN_ZOOM.to_string(),
        ),
        (
            "The largest zoom of the desktop app.",
            "MAX_ZOOM",
            crate::device::MAX_ZOOM.to_string(),
        ),
        (
            "How far Ctrl+= and Ctrl+- move the zoom.",
            "ZOOM_STEP",
            crate::device::ZOOM_STEP.to_string(),
        ),
        (
            "A new collection's settings.",
            "DEFAULT_SETTINGS",
            serde_json::to_string(&Settings::default()).expect("settings serialize"),
        ),
    ];
    let mut out = String::new();
    for (doc, name, value) in consts {
        let typed = if name == "DEFAULT_SETTINGS" {
            ": Settings"
        } else {
            ""
        };
        out.push_str(&format!(
            "\n/** {doc} */\nexport const {name}{typed} = {value};\n"
        ));
    }
    out
}
