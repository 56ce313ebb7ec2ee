//! The TypeScript types the UI uses, generated from the Rust types with ts-rs so the two cannot
//! drift: a test compares this output with `ui/src/lib/bindings.ts`.

use ts_rs::{Config, TS};

use crate::browse::{BrowseFacets, BrowseQuery, BrowseRow, DueFilter, SortColumn};
use crate::collection::Changes;
use crate::error::{AppError, ErrorCode};
use crate::import::{ImportProgress, ImportReport, PreviewRow, Skipped, TablePreview};
use crate::optimize::{Evaluation, OptimizeProgress, OptimizeReport};
use crate::schedule::{CardState, Rating};
use crate::settings::{LeechAction, NewCardOrder, ReviewOrder, Settings};
use crate::simulate::{Workload, WorkloadPoint};
use crate::stats::{
    AreaCount, Bin, Buttons, CardCounts, DueCount, Forecast, Heatmap, PackCount, Passes,
    RetentionPeriod, Stats, StudyDay,
};
use crate::store::backup::BackupInfo;
use crate::store::ReviewEntry;
use crate::study::backlog::{Backlog, Spread};
use crate::study::{
    ActionReport, AnswerOutcome, CardAction, CardDetail, CardInfo, Counts, IntervalLabels,
    Intervals, LessonPage, LessonQuestion, LessonSummary, LibraryArea, PackInfo, QuizPrompt,
    QuizResult, Score, SearchHit, Status, StudyCard, TermLink, TermPage, UndoOutcome,
};

/// The whole `bindings.ts` file.
pub fn typescript() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
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
        ImportProgress::decl(&cfg),
        Skipped::decl(&cfg),
        ImportReport::decl(&cfg),
        PreviewRow::decl(&cfg),
        TablePreview::decl(&cfg),
        BackupInfo::decl(&cfg),
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
    ];
    let mut out = String::from(
        "// Generated from the Rust core by ts-rs (`UPDATE_BINDINGS=1 cargo test --test bindings`). Do not edit.\n",
    );
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(&decl);
        out.push('\n');
    }
    out
}
