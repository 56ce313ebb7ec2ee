//! [`Collection`]: the handle every front end holds, and its table of contents. Each operation
//! is one line into its domain (`study`, `import`, `browse`, `stats`, …); every write goes
//! through [`Collection::transact`], the one change path ([`transact`]).

mod authoring;
mod syncing;
mod transact;

use std::cell::Cell;
use std::path::Path;

use chrono::{DateTime, FixedOffset};

pub use transact::{Changes, Op, Tx};

use crate::browse::{self, BrowseFacets, BrowseQuery, BrowseRow};
use crate::content::{self, Pack};
use crate::error::Result;
use crate::ids::{CardId, PackId};
use crate::import::{self, ImportProgress, ImportReport};
use crate::optimize::{self, OptimizeProgress, OptimizeReport};
use crate::schedule::{Rating, Scheduler};
use crate::settings::Settings;
use crate::store::{self, BigWrite, Store};
use crate::study::answer::{self, Answer, AnswerOutcome};
use crate::study::backlog::{self, Backlog, Spread};
use crate::study::card_view::{self, CardDetail, CardInfo, StudyCard};
use crate::study::queue::{self, Counts, Today};
use crate::study::{
    actions, curriculum::CurriculumArea, lessons, library, packs, search, status, ActionReport,
    CardAction, LessonPage, LibraryArea, PackInfo, QuizResult, SearchHit, Status, TermPage,
    UndoOutcome,
};
use crate::{simulate, stats, undo};

pub struct Collection {
    store: Store,
    scheduler: Scheduler,
    /// The learner's day (and offset) up to which buried cards were last brought back.
    unburied: Cell<Option<(i64, i32)>>,
    /// What changed since a front end last asked ([`Collection::take_changes`]).
    changes: Cell<Changes>,
}

impl Collection {
    /// Opens the collection in `data_dir` and installs or updates the built-in pack.
    pub fn open(data_dir: &Path, now: DateTime<FixedOffset>) -> Result<Collection> {
        let mut collection = Collection::open_store(Store::open_in(data_dir)?)?;
        // Parsing and validating the pack is most of the start-up time: skip it when this
        // exact version is installed already.
        for builtin in content::source::builtins() {
            if !store::packs::has_content(collection.store.conn(), &Pack::content_hash(&builtin)?)?
            {
                collection.install_pack(&Pack::load(&builtin)?, now)?;
            }
        }
        collection.changes.set(Changes::NONE);
        Ok(collection)
    }

    /// Opens a collection without touching its packs (benchmarks, tools).
    pub fn open_store(store: Store) -> Result<Collection> {
        let scheduler = Scheduler::new(&store.settings()?)?;
        let collection = Collection {
            store,
            scheduler,
            unburied: Cell::new(None),
            changes: Cell::new(Changes::NONE),
        };
        // A collection from before the card browser gets its cards indexed once.
        if browse::index::is_stale(collection.store.conn())? {
            collection.transact(Op::not_undoable("index"), |tx| {
                browse::index::rebuild(tx.raw(Changes::NONE))
            })?;
        }
        Ok(collection)
    }

    /// The one change path: runs `f` in an immediate transaction and commits, or rolls back and
    /// changes nothing if it fails. An undoable `op` becomes one undo step, recorded by the
    /// writers of [`Tx`]. Returns what changed, which is also kept for [`Collection::take_changes`].
    pub fn transact<T>(
        &self,
        op: Op,
        f: impl FnOnce(&mut Tx) -> Result<T>,
    ) -> Result<(T, Changes)> {
        let mut tx = Tx::begin(self.store.conn(), op, &self.scheduler)?;
        let value = f(&mut tx)?;
        let changes = tx.commit()?;
        self.changes.set(self.changes.get().with(changes));
        Ok((value, changes))
    }

    /// What changed since the last call: front ends refresh what shows these.
    pub fn take_changes(&self) -> Changes {
        self.changes.replace(Changes::NONE)
    }

    /// Read access for tools and tests; writes go through [`Collection::transact`].
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn settings(&self) -> &Settings {
        self.scheduler.settings()
    }

    /// The learner's day at `now`. On the first look of a new day, cards buried until then come
    /// back.
    fn today(&self, now: DateTime<FixedOffset>) -> Result<Today<'_>> {
        self.refresh_day(now)?;
        Ok(Today::new(now, self.settings()))
    }

    fn refresh_day(&self, now: DateTime<FixedOffset>) -> Result<()> {
        let key = (
            crate::day::day_number(now, self.settings().rollover_hour),
            now.offset().local_minus_utc(),
        );
        if self.unburied.get() != Some(key) {
            if actions::any_burial_over(self.store.conn(), now.to_utc())? {
                self.transact(Op::not_undoable("unbury"), |tx| {
                    actions::unbury_expired(tx, now.to_utc())
                })?;
            }
            self.unburied.set(Some(key));
        }
        Ok(())
    }

    fn counts(&self, now: DateTime<FixedOffset>) -> Result<Counts> {
        queue::counts(self.store.conn(), &self.today(now)?)
    }

    // ---- Settings ----

    /// Validates and stores new settings; they apply from the next card on. A new desired
    /// retention or new FSRS parameters reschedule every review card at once (new parameters
    /// first recompute each card's memory from its history); the count is returned.
    pub fn set_settings(&mut self, settings: Settings, now: DateTime<FixedOffset>) -> Result<u32> {
        let scheduler = Scheduler::new(&settings)?;
        let (rescheduled, _) = self.transact(Op::not_undoable("settings").at(now), |tx| {
            optimize::adopt_settings(tx, self.settings(), &scheduler, *now.offset())
        })?;
        self.scheduler = scheduler;
        Ok(rescheduled)
    }

    /// Changes the settings named in `patch`, each read from text as `reprise config set` reads
    /// it (steps like `1m 10m 1h`, switches `on`/`off`, a choice by name); the others stay.
    /// Returns how many review cards were rescheduled.
    pub fn update_settings(
        &mut self,
        patch: &std::collections::BTreeMap<String, String>,
        now: DateTime<FixedOffset>,
    ) -> Result<u32> {
        let settings = self.settings().with_patch(patch)?;
        self.set_settings(settings, now)
    }

    // ---- Study ----

    pub fn status(&self, now: DateTime<FixedOffset>) -> Result<Status> {
        status::status(self.store.conn(), self.counts(now)?, now)
    }

    /// The next card to study now, with what each rating would do; `None` when done for now.
    pub fn next_card(&self, now: DateTime<FixedOffset>) -> Result<Option<StudyCard>> {
        let conn = self.store.conn();
        let today = self.today(now)?;
        let counts = queue::counts(conn, &today)?;
        let Some(id) = queue::next_card(conn, &today, &counts)? else {
            return Ok(None);
        };
        card_view::study_card(conn, &self.scheduler, id, now, counts).map(Some)
    }

    /// Any card as the review screen would show it, due or not (a preview); changes nothing.
    pub fn preview_card(&self, id: CardId, now: DateTime<FixedOffset>) -> Result<StudyCard> {
        card_view::study_card(
            self.store.conn(),
            &self.scheduler,
            id,
            now,
            self.counts(now)?,
        )
    }

    /// Schedules a term card and records the answer; durable when this returns. Quiz cards are
    /// answered with [`Collection::answer_quiz`].
    pub fn answer(
        &mut self,
        card_id: CardId,
        rating: Rating,
        now: DateTime<FixedOffset>,
        duration_ms: u32,
    ) -> Result<AnswerOutcome> {
        self.record_answer(card_id, Answer::Rated(rating), now, duration_ms)
    }

    /// Answers a quiz card with the options chosen (0-based). A wrong choice is rated Again,
    /// whatever `rating` says; a right one is rated `rating` (Hard, Good or Easy), Good if none.
    pub fn answer_quiz(
        &mut self,
        card_id: CardId,
        chosen: &[u32],
        rating: Option<Rating>,
        now: DateTime<FixedOffset>,
        duration_ms: u32,
    ) -> Result<AnswerOutcome> {
        self.record_answer(card_id, Answer::Chosen(chosen, rating), now, duration_ms)
    }

    fn record_answer(
        &mut self,
        card_id: CardId,
        given: Answer,
        now: DateTime<FixedOffset>,
        duration_ms: u32,
    ) -> Result<AnswerOutcome> {
        self.refresh_day(now)?;
        let op = Op::undoable("answer").at(now);
        self.transact(op, |tx| {
            answer::answer(tx, &self.scheduler, card_id, given, now, duration_ms)
        })
        .map(|(outcome, _)| outcome)
    }

    /// Whether `chosen` (0-based) answers quiz card `card_id` right, before the learner rates it;
    /// records nothing.
    pub fn check_quiz(&self, card_id: CardId, chosen: &[u32]) -> Result<bool> {
        answer::check_quiz(self.store.conn(), card_id, chosen)
    }

    /// Suspends, buries, resets, sets the due date of or tags cards, as one undoable step.
    pub fn card_action(
        &mut self,
        action: CardAction,
        ids: &[CardId],
        now: DateTime<FixedOffset>,
    ) -> Result<ActionReport> {
        let (start, tomorrow) = {
            let today = self.today(now)?;
            (today.start, today.tomorrow)
        };
        let name = action.name();
        let (changed, _) = self.transact(Op::undoable(name).at(now), |tx| {
            actions::apply(tx, action, ids, start, tomorrow)
        })?;
        Ok(ActionReport {
            action: name.into(),
            changed,
        })
    }

    /// Takes back the last answer or card action: every card it changed returns to exactly its
    /// previous state, and an answer leaves the review log. `None` when there is nothing to undo.
    pub fn undo(&mut self, now: DateTime<FixedOffset>) -> Result<Option<UndoOutcome>> {
        let (undone, changes) = self.transact(Op::not_undoable("undo").at(now), undo::undo_last)?;
        let Some(undone) = undone else {
            return Ok(None);
        };
        if changes.settings {
            // The step put back settings (a paused new-card queue).
            self.scheduler = Scheduler::new(&self.store.settings()?)?;
        }
        let today = self.today(now)?;
        undo::outcome(self.store.conn(), &self.scheduler, &today, undone, now)
    }

    /// The overdue review cards and whether new cards are paused.
    pub fn backlog(&self, now: DateTime<FixedOffset>) -> Result<Backlog> {
        backlog::backlog(self.store.conn(), &self.today(now)?, self.settings())
    }

    /// Spreads the overdue cards over `days` days, lowest retrievability first, and pauses new
    /// cards meanwhile; one undoable step.
    pub fn spread_backlog(&mut self, days: u32, now: DateTime<FixedOffset>) -> Result<Spread> {
        let today = self.today(now)?;
        let ((spread, settings), _) = self
            .transact(Op::undoable("spread_backlog").at(now), |tx| {
                backlog::spread(tx, &today, self.settings(), days)
            })?;
        self.scheduler = Scheduler::new(&settings)?;
        Ok(spread)
    }

    pub fn card_info(&self, card_id: CardId, now: DateTime<FixedOffset>) -> Result<CardInfo> {
        card_view::card_info(self.store.conn(), &self.scheduler, card_id, now)
    }

    // ---- Scheduling over the whole collection ----

    /// Fits FSRS parameters to the review log and adopts them if they predict it better than
    /// the ones in use, recomputing every card's memory and due date. `progress` returning an
    /// error (the learner cancelled) stops it, changing nothing.
    pub fn optimize(
        &mut self,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(OptimizeProgress) -> Result<()>,
    ) -> Result<OptimizeReport> {
        let fitted = optimize::fit(self.store.conn(), &self.scheduler, *now.offset(), progress)?;
        let mut rescheduled = 0;
        if let Some(settings) = fitted.adopted_settings(self.settings(), progress)? {
            rescheduled = self.set_settings(settings, now)?;
        }
        Ok(fitted.report(rescheduled))
    }

    /// Expected reviews a day and knowledge kept over the next year for a range of desired
    /// retention values; `progress(done, total)` after each value.
    pub fn simulate_workload(
        &self,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(usize, usize) -> Result<()>,
    ) -> Result<simulate::Workload> {
        simulate::workload(self.store.conn(), &self.scheduler, now, progress)
    }

    // ---- Statistics and the browser ----

    /// Everything the statistics screen shows.
    pub fn stats(&self, now: DateTime<FixedOffset>) -> Result<stats::Stats> {
        self.refresh_day(now)?;
        stats::stats(
            self.store.conn(),
            self.store.reader()?,
            &self.scheduler,
            now,
        )
    }

    /// The ids of the cards matching `query`, in its order.
    pub fn browse(&self, query: &BrowseQuery, now: DateTime<FixedOffset>) -> Result<Vec<CardId>> {
        let today = self.today(now)?;
        browse::card_ids(self.store.conn(), query, &today)
    }

    /// The browser's rows for these cards (at most 1000), in that order.
    pub fn browse_rows(
        &self,
        ids: &[CardId],
        now: DateTime<FixedOffset>,
    ) -> Result<Vec<BrowseRow>> {
        browse::rows(self.store.conn(), ids, &self.scheduler, now)
    }

    /// What the browser's filters can choose from.
    pub fn browse_facets(&self) -> Result<BrowseFacets> {
        browse::facets(self.store.conn())
    }

    /// A card as the browser details it: its content as the review screen shows it, its memory,
    /// schedule and history, and its note's tags.
    pub fn card_detail(&self, id: CardId, now: DateTime<FixedOffset>) -> Result<CardDetail> {
        Ok(CardDetail {
            card: self.preview_card(id, now)?,
            info: self.card_info(id, now)?,
            tags: store::tags::of_card(self.store.conn(), id)?,
        })
    }

    // ---- The library ----

    /// Terms and lessons matching `text` (search as you type), best first.
    pub fn search(&self, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
        search::search(self.store.conn(), text, limit)
    }

    /// A term's page: its text, its lessons and its see-also terms.
    pub fn term_page(&self, pack: &PackId, key: &str) -> Result<TermPage> {
        library::term_page(self.store.conn(), pack.as_str(), key)
    }

    /// Every area with its lessons (and their best scores) and its terms.
    pub fn library(&self) -> Result<Vec<LibraryArea>> {
        library::library(self.store.conn())
    }

    /// A lesson to read, with its diagrams inlined and its quiz.
    pub fn lesson_page(&self, pack: &PackId, key: &str) -> Result<LessonPage> {
        lessons::lesson_page(self.store.conn(), pack.as_str(), key)
    }

    /// Whether `chosen` answers question `question` (0-based) of a lesson's quiz right, as the
    /// learner checks each answer; records nothing.
    pub fn check_lesson_answer(
        &self,
        pack: &PackId,
        key: &str,
        question: u32,
        chosen: &[u32],
    ) -> Result<bool> {
        lessons::check_answer(self.store.conn(), pack.as_str(), key, question, chosen)
    }

    /// Grades a lesson's quiz (`answers[i]`: the options chosen for question i, 0-based) and
    /// records it. The first time, the lesson is finished: its questions and its terms' new cards
    /// go to the front of the new cards.
    pub fn finish_lesson(
        &mut self,
        pack: &PackId,
        key: &str,
        answers: &[Vec<u32>],
        now: DateTime<FixedOffset>,
    ) -> Result<QuizResult> {
        self.transact(Op::not_undoable("finish_lesson").at(now), |tx| {
            let raw = tx.raw(Changes::LESSONS.with(Changes::CARDS));
            let result = lessons::finish_lesson(raw, pack.as_str(), key, answers, now.to_utc())?;
            tx.quiz_taken(pack, key, result.score.correct, result.score.total);
            Ok(result)
        })
        .map(|(result, _)| result)
    }

    // ---- Packs, import and export ----

    pub fn install_pack(
        &mut self,
        pack: &Pack,
        now: DateTime<FixedOffset>,
    ) -> Result<content::install::Installed> {
        self.transact(Op::not_undoable("install_pack"), |tx| {
            content::install(tx.raw(Changes::CONTENT), pack, now.to_utc())
        })
        .map(|(installed, _)| installed)
    }

    /// Imports a pack folder, a zipped pack, an Anki package or a CSV/TSV table of terms, all or
    /// nothing. A pack imported before is updated in place: changed text is replaced, progress
    /// kept, nothing the learner studied is deleted.
    pub fn import(&mut self, path: &Path, now: DateTime<FixedOffset>) -> Result<ImportReport> {
        self.import_with_progress(path, now, &mut |_| Ok(()))
    }

    /// [`Collection::import`], reporting progress; an error from `progress` (the learner
    /// cancelled) stops the import and changes nothing.
    pub fn import_with_progress(
        &mut self,
        path: &Path,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(ImportProgress) -> Result<()>,
    ) -> Result<ImportReport> {
        let loaded = import::apply::load(path, progress)?;
        let prepared = import::apply::prepare(loaded, path, &self.scheduler, now, progress)?;
        let written = self.in_bulk(BigWrite::Import, |col| {
            col.transact(Op::not_undoable("import").at(now), |tx| {
                let mut report = import::apply::write(tx, prepared, now, progress)?;
                // With sync on, the file travels to the other devices.
                if tx.syncing() {
                    match crate::sync::packs::source_file(tx, path, report.pack.as_str()) {
                        Ok((file, bytes)) => {
                            tx.pack_imported(report.pack.as_str(), &file, &bytes)?
                        }
                        Err(e) => report.skipped.push(import::Skipped {
                            entry: path.display().to_string(),
                            reason: format!(
                                "not sent to your other devices ({e}); import it on each of them"
                            ),
                        }),
                    }
                }
                Ok(report)
            })
        });
        written.map(|(report, _)| report)
    }

    /// Runs `write`, a big write of kind `big`, with the store set up for one
    /// ([`Store::bulk_writes`]), and back for study after, whether it succeeded or not; its
    /// error is the one reported.
    pub(crate) fn in_bulk<T>(
        &mut self,
        big: BigWrite,
        write: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        self.store.bulk_writes(Some(big))?;
        let written = write(self);
        let study = self.store.bulk_writes(None);
        let written = written?;
        study?;
        Ok(written)
    }

    /// Writes the pack `id`, as the collection holds it, to a new zip at `dest`.
    pub fn export_pack(&self, id: &PackId, dest: &Path) -> Result<crate::export::Exported> {
        crate::export::export_pack(self.store.conn(), id.as_str(), dest)
    }

    /// Writes the review log as CSV for FSRS tools to a new file at `dest`.
    pub fn export_revlog(&self, dest: &Path) -> Result<crate::export::Exported> {
        crate::export::export_revlog(self.store.conn(), dest)
    }

    /// The installed packs, with how many notes and cards each holds.
    pub fn packs(&self) -> Result<Vec<PackInfo>> {
        packs::list(self.store.conn())
    }

    /// The built-in areas to choose from, each on or off (`set_pack_enabled` switches one).
    pub fn curriculum(&self) -> Result<Vec<CurriculumArea>> {
        crate::study::curriculum::curriculum(self.store.conn())
    }

    /// Hides a pack's cards from study (`enabled = false`) or brings them back as they were.
    pub fn set_pack_enabled(
        &mut self,
        id: &PackId,
        enabled: bool,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        self.transact(Op::not_undoable("pack_enabled").at(now), |tx| {
            packs::set_enabled(
                tx.raw(Changes::PACKS.with(Changes::CARDS)),
                id.as_str(),
                enabled,
            )?;
            tx.pack_enabled(id.as_str(), enabled);
            Ok(())
        })
        .map(|_| ())
    }

    /// Removes a pack and its cards. With `keep_history`, its review log stays (for statistics
    /// and the optimizer, and to rejoin its cards if the pack comes back); without, it goes too.
    pub fn remove_pack(
        &mut self,
        id: &PackId,
        keep_history: bool,
        now: DateTime<FixedOffset>,
    ) -> Result<packs::Removed> {
        self.transact(Op::not_undoable("remove_pack").at(now), |tx| {
            // Refused before anything is recorded: the built-in pack, a pack not installed.
            packs::require_removable(tx, id.as_str())?;
            tx.pack_removed(id.as_str(), keep_history)?;
            packs::remove(tx.raw(Changes::CONTENT), id.as_str(), keep_history)
        })
        .map(|(removed, _)| removed)
    }
}
