//! Study sessions: what is due today, the next card, answering it and undoing answers.
//!
//! [`Collection`] is the handle every front end holds. An answer schedules the card with the
//! `fsrs` crate and writes the card, its review-log row and an undo step in one transaction that
//! is on disk before `answer` returns.

pub mod actions;
pub mod backlog;
mod lessons;
mod library;
pub mod packs;
pub(crate) mod present;
mod queue;
pub(crate) mod search;
mod undo;

use std::cell::Cell;
use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::content::{self, Pack};
use crate::error::{Error, Result};
use crate::ids::CardId;
use crate::import::{ImportProgress, ImportReport, Loaded};
use crate::schedule::{interval_label, CardState, Context, Rating, Schedule, Scheduler};
use crate::settings::Settings;
use crate::store::{self, ReviewEntry, ReviewRecord, Store};

pub use actions::{ActionReport, CardAction};
pub use lessons::{LessonPage, LessonQuestion, QuizResult};
pub use library::{LessonSummary, LibraryArea, Score, TermLink, TermPage};
pub use packs::PackInfo;
pub use present::QuizPrompt;
pub use queue::Counts;
use queue::Today;
pub use search::SearchHit;

/// Answers longer than this are logged as this long: the learner probably walked away.
pub const MAX_ANSWER_MS: u32 = 60_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Status {
    pub new: u32,
    pub learning: u32,
    pub review: u32,
    pub total_cards: u32,
    /// RFC 3339; the earliest moment a studied card falls due, or null if none was studied.
    pub next_due: Option<String>,
}

/// Days until due for each rating; fractions of a day are same-day steps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Intervals {
    pub again: f64,
    pub hard: f64,
    pub good: f64,
    pub easy: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IntervalLabels {
    pub again: String,
    pub hard: String,
    pub good: String,
    pub easy: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StudyCard {
    #[ts(type = "number")]
    pub card_id: i64,
    pub state: CardState,
    #[ts(type = "\"forward\" | \"reverse\" | \"quiz\"")]
    pub direction: String,
    pub prompt: String,
    pub answer: String,
    /// For a flash card (from Anki): the prompt and answer as sanitized HTML with their images
    /// and sounds inlined; `prompt` and `answer` are then their plain text.
    pub prompt_html: Option<String>,
    pub answer_html: Option<String>,
    /// Markdown shown with the answer.
    pub detail: String,
    /// `detail` rendered to sanitized HTML, safe to insert into the page.
    pub detail_html: String,
    /// For a quiz card: its options, answered with [`Collection::answer_quiz`].
    pub quiz: Option<QuizPrompt>,
    pub intervals: Intervals,
    pub interval_labels: IntervalLabels,
    pub counts: Counts,
    /// The chance, by FSRS, that the learner recalls it now; null for a new card.
    pub retrievability: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AnswerOutcome {
    #[ts(type = "number")]
    pub card_id: i64,
    pub rating: Rating,
    pub state: CardState,
    pub due: String,
    pub interval_days: f64,
    /// The answer made the card a leech: its note is tagged `leech` (and the card suspended, if
    /// the learner chose that).
    pub leech: bool,
    /// Times the card has been forgotten, this answer included.
    pub lapses: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct UndoOutcome {
    /// What was undone: `answer`, or a card action's name.
    pub action: String,
    /// The card the step was about; null when it was about several cards.
    #[ts(type = "number | null")]
    pub card_id: Option<i64>,
    /// How many cards the undone step changed.
    pub cards: u32,
    pub status: Status,
    /// The card the step was about, ready to study again; null when the step was about several
    /// cards, or the card is not studiable now.
    pub card: Option<StudyCard>,
}

/// A card's content, memory state and history, as `reprise show` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CardInfo {
    #[ts(type = "number")]
    pub card_id: i64,
    pub direction: String,
    pub prompt: String,
    pub answer: String,
    pub state: CardState,
    pub stability: Option<f32>,
    pub difficulty: Option<f32>,
    pub retrievability: Option<f32>,
    pub due: Option<String>,
    pub interval_days: f64,
    pub reps: u32,
    pub lapses: u32,
    pub last_review: Option<String>,
    pub reviews: Vec<ReviewEntry>,
}

/// A card in the browser's detail pane.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CardDetail {
    pub card: StudyCard,
    pub info: CardInfo,
    pub tags: Vec<String>,
}

pub struct Collection {
    store: Store,
    scheduler: Scheduler,
    /// The learner's day (and offset) up to which buried cards were last brought back.
    unburied: Cell<Option<(i64, i32)>>,
}

fn rfc3339(at: DateTime<Utc>, offset: &FixedOffset) -> String {
    at.with_timezone(offset)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Collection {
    /// Opens the collection in `data_dir` and installs or updates the built-in pack.
    pub fn open(data_dir: &Path, now: DateTime<FixedOffset>) -> Result<Collection> {
        let mut collection = Collection::open_store(Store::open_in(data_dir)?)?;
        // Parsing and validating the pack is most of the start-up time: skip it when this
        // exact version is installed already.
        let builtin = content::source::builtin();
        let hash = Pack::content_hash(&builtin)?;
        let installed: bool = collection.store.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM packs WHERE content_hash = ?1)",
            [&hash],
            |r| r.get(0),
        )?;
        if !installed {
            collection.install_pack(&Pack::load(&builtin)?, now)?;
        }
        Ok(collection)
    }

    /// Opens a collection without touching its packs (benchmarks, tools).
    pub fn open_store(mut store: Store) -> Result<Collection> {
        // A collection from before the card browser gets its cards indexed once.
        if crate::browse::index::is_stale(store.conn())? {
            store.transact(crate::browse::index::rebuild)?;
        }
        let scheduler = Scheduler::new(&store.settings()?)?;
        Ok(Collection {
            store,
            scheduler,
            unburied: Cell::new(None),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn install_pack(
        &mut self,
        pack: &Pack,
        now: DateTime<FixedOffset>,
    ) -> Result<content::install::Installed> {
        self.store
            .transact(|tx| content::install(tx, pack, now.with_timezone(&Utc)))
    }

    pub fn settings(&self) -> &Settings {
        self.scheduler.settings()
    }

    /// Validates and stores new settings; they apply from the next card on. A new desired
    /// retention or new FSRS parameters reschedule every review card at once (new parameters
    /// first recompute each card's memory from its history); the count is returned.
    pub fn set_settings(&mut self, settings: Settings, now: DateTime<FixedOffset>) -> Result<u32> {
        let scheduler = Scheduler::new(&settings)?;
        let old = self.settings();
        let new_parameters = old.fsrs_parameters != settings.fsrs_parameters;
        let reschedule = new_parameters
            || old.desired_retention != settings.desired_retention
            || old.maximum_interval_days != settings.maximum_interval_days;
        let rescheduled = self.store.transact(|tx| {
            store::write_settings(tx, &settings)?;
            if new_parameters {
                crate::optimize::recompute_memory(tx, &scheduler, *now.offset())?;
            }
            if reschedule {
                return crate::optimize::reschedule(tx, &scheduler, *now.offset());
            }
            Ok(0)
        })?;
        self.scheduler = scheduler;
        Ok(rescheduled)
    }

    pub fn status(&self, now: DateTime<FixedOffset>) -> Result<Status> {
        let counts = queue::counts(self.store.conn(), &self.today(now)?)?;
        self.status_with(counts, now)
    }

    /// The learner's day at `now`. On the first call of a new day, cards buried until then come
    /// back: a single statement, atomic on its own.
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
            actions::unbury_expired(self.store.conn(), now.with_timezone(&Utc))?;
            self.unburied.set(Some(key));
        }
        Ok(())
    }

    /// The status around counts already computed.
    fn status_with(&self, counts: Counts, now: DateTime<FixedOffset>) -> Result<Status> {
        let conn = self.store.conn();
        let total_cards: u32 = conn
            // Two index counts: a filter on all cards would read every row.
            .prepare_cached(
                "SELECT (SELECT count(*) FROM cards)
                      - (SELECT count(*) FROM cards WHERE state = 0 AND new_queue = 2 AND hidden = 0)
                      - (SELECT count(*) FROM cards WHERE hidden > 0)",
            )?
            .query_row([], |r| r.get(0))?;
        Ok(Status {
            new: counts.new,
            learning: counts.learning,
            review: counts.review,
            total_cards,
            next_due: queue::next_due(conn)?.map(|d| rfc3339(d, now.offset())),
        })
    }

    /// The next card to study now, with what each rating would do; `None` when done for now.
    pub fn next_card(&self, now: DateTime<FixedOffset>) -> Result<Option<StudyCard>> {
        let conn = self.store.conn();
        let today = self.today(now)?;
        let counts = queue::counts(conn, &today)?;
        let Some(id) = queue::next_card(conn, &today, &counts)? else {
            return Ok(None);
        };
        self.study_card(id, now, counts).map(Some)
    }

    /// Any card as the review screen would show it, due or not (a preview); changes nothing.
    pub fn preview_card(&self, id: CardId, now: DateTime<FixedOffset>) -> Result<StudyCard> {
        let counts = queue::counts(self.store.conn(), &self.today(now)?)?;
        self.study_card(id, now, counts)
    }

    /// A card as the review screen shows it, with what each rating would do.
    fn study_card(
        &self,
        id: CardId,
        now: DateTime<FixedOffset>,
        counts: Counts,
    ) -> Result<StudyCard> {
        let conn = self.store.conn();
        let card = store::cards::get_card(conn, id)?;
        let note = store::cards::get_note(conn, card.note_id)?;
        let face = present::face(&note, &card.template)?;
        let media = |name: &str| store::media(conn, &note.pack_id, name);
        let (prompt_html, answer_html) = match &face.html {
            Some((prompt, answer)) => (
                Some(content::render::html_with_media_to_safe_html(prompt, media)),
                Some(content::render::html_with_media_to_safe_html(answer, media)),
            ),
            None => (None, None),
        };
        let choices = self
            .scheduler
            .choices(&card.schedule, context(id, &card.schedule, now))?;
        let days = |r| choices.get(r).interval_days;
        let label = |r| interval_label(days(r));
        Ok(StudyCard {
            card_id: id.0,
            state: card.schedule.state,
            direction: card.template,
            prompt: face.prompt,
            answer: face.answer,
            prompt_html,
            answer_html,
            detail_html: content::render::markdown_to_safe_html(&face.detail),
            detail: face.detail,
            quiz: face.quiz,
            intervals: Intervals {
                again: days(Rating::Again),
                hard: days(Rating::Hard),
                good: days(Rating::Good),
                easy: days(Rating::Easy),
            },
            interval_labels: IntervalLabels {
                again: label(Rating::Again),
                hard: label(Rating::Hard),
                good: label(Rating::Good),
                easy: label(Rating::Easy),
            },
            counts,
            retrievability: self.retrievability(&card.schedule, now),
        })
    }

    /// The chance of recall now, for a card with a memory state.
    fn retrievability(&self, s: &Schedule, now: DateTime<FixedOffset>) -> Option<f32> {
        s.memory.zip(s.last_review).map(|(memory, last)| {
            self.scheduler.retrievability_at(
                memory,
                last.timestamp_millis(),
                now.with_timezone(&Utc),
            )
        })
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
        self.record_answer(card_id, now, duration_ms, |_, card| {
            if card.template == content::install::QUIZ_TEMPLATE {
                return Err(Error::InvalidInput(format!(
                    "card {card_id} is a quiz question: answer it by choosing options \
                     (`reprise answer {card_id} --choose 1,3`)"
                )));
            }
            Ok(rating)
        })
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
        self.record_answer(card_id, now, duration_ms, |tx, card| {
            let face = present::face(&store::cards::get_note(tx, card.note_id)?, &card.template)?;
            let quiz = face.quiz.ok_or_else(|| {
                Error::InvalidInput(format!(
                    "card {card_id} is not a quiz question: rate it again, hard, good or easy"
                ))
            })?;
            present::quiz_rating(&quiz, chosen, rating)
                .map_err(|why| Error::InvalidInput(format!("card {card_id}: {why}")))
        })
    }

    /// Schedules the card and writes the card, its review-log row and an undo step in one
    /// transaction, rated as `rate` decides for the card (or refused by it).
    fn record_answer(
        &mut self,
        card_id: CardId,
        now: DateTime<FixedOffset>,
        duration_ms: u32,
        rate: impl FnOnce(&rusqlite::Transaction, &store::CardRow) -> Result<Rating>,
    ) -> Result<AnswerOutcome> {
        self.refresh_day(now)?;
        let scheduler = &self.scheduler;
        let today = Today::new(now, scheduler.settings());
        let (rating, after, interval_days, leech) = self.store.transact(|tx| {
            let card = store::cards::get_card(tx, card_id)?;
            let rating = rate(tx, &card)?;
            if card.hidden != 0 {
                return Err(Error::InvalidInput(format!(
                    "card {card_id} is hidden from study (suspended, or its pack is disabled); \
                     `reprise pack enable` brings a pack back"
                )));
            }
            if !queue::is_answerable(&card.schedule, &today) {
                let due = card.schedule.due.map(|d| rfc3339(d, now.offset()));
                return Err(Error::InvalidInput(format!(
                    "card {card_id} is not due until {}; `reprise next` shows what is due now",
                    due.unwrap_or_default()
                )));
            }
            let before = card.schedule.clone();
            let elapsed_days = scheduler.days_elapsed(&before, now);
            let outcome = scheduler
                .choices(&before, context(card_id, &before, now))?
                .into_outcome(rating);
            let after = outcome.schedule;
            store::cards::write_schedule(tx, card_id, &after)?;
            let revlog_id = store::revlog::insert(
                tx,
                &ReviewRecord {
                    card_id,
                    reviewed_at: now.with_timezone(&Utc),
                    rating,
                    elapsed_days,
                    interval_days: outcome.interval_days,
                    duration_ms: duration_ms.min(MAX_ANSWER_MS),
                    before: &before,
                    after: &after,
                },
            )?;
            let step = undo::Step::begin(tx, "answer", Some(card_id), Some(revlog_id))?;
            step.save_card(&card)?;
            let settings = scheduler.settings();
            if settings.bury_siblings {
                actions::bury_siblings(&step, &card, today.tomorrow)?;
            }
            let lapsed = after.lapses > before.lapses;
            let leech = lapsed && actions::is_leech(after.lapses, settings.leech_threshold);
            if leech {
                actions::mark_leech(&step, tx, &card, settings)?;
            }
            Ok((rating, after, outcome.interval_days, leech))
        })?;
        Ok(AnswerOutcome {
            card_id: card_id.0,
            rating,
            state: after.state,
            due: after
                .due
                .map(|d| rfc3339(d, now.offset()))
                .unwrap_or_default(),
            interval_days,
            leech,
            lapses: after.lapses,
        })
    }

    /// The overdue review cards and whether new cards are paused.
    pub fn backlog(&self, now: DateTime<FixedOffset>) -> Result<backlog::Backlog> {
        backlog::backlog(self.store.conn(), &self.today(now)?, self.settings())
    }

    /// Spreads the overdue cards over `days` days, lowest retrievability first, and pauses new
    /// cards meanwhile; one undoable step.
    pub fn spread_backlog(
        &mut self,
        days: u32,
        now: DateTime<FixedOffset>,
    ) -> Result<backlog::Spread> {
        self.refresh_day(now)?;
        let settings = self.settings().clone();
        let today = Today::new(now, &settings);
        let (spread, settings) = self
            .store
            .transact(|tx| backlog::spread(tx, &today, &settings, days))?;
        self.scheduler = Scheduler::new(&settings)?;
        Ok(spread)
    }

    /// Fits FSRS parameters to the review log and adopts them if they predict it better than
    /// the ones in use, recomputing every card's memory and due date. `progress` returning an
    /// error (the learner cancelled) stops it, changing nothing.
    pub fn optimize(
        &mut self,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(crate::optimize::OptimizeProgress) -> Result<()>,
    ) -> Result<crate::optimize::OptimizeReport> {
        let fitted =
            crate::optimize::fit(self.store.conn(), &self.scheduler, *now.offset(), progress)?;
        let adopted = fitted.is_better();
        let mut rescheduled = 0;
        if adopted {
            progress(crate::optimize::OptimizeProgress {
                stage: "saving".into(),
                done: 0,
                total: 1,
            })?;
            let settings = Settings {
                fsrs_parameters: fitted.new_parameters.clone(),
                ..self.settings().clone()
            };
            rescheduled = self.set_settings(settings, now)?;
        }
        Ok(crate::optimize::OptimizeReport {
            reviews: fitted.items as u32,
            cards: fitted.cards as u32,
            old: fitted.old,
            new: fitted.new,
            old_parameters: fitted.old_parameters,
            new_parameters: fitted.new_parameters,
            adopted,
            rescheduled,
        })
    }

    /// Expected reviews a day and knowledge kept over the next year for a range of desired
    /// retention values; `progress(done, total)` after each value.
    pub fn simulate_workload(
        &self,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(usize, usize) -> Result<()>,
    ) -> Result<crate::simulate::Workload> {
        crate::simulate::workload(self.store.conn(), &self.scheduler, now, progress)
    }

    /// Everything the statistics screen shows.
    pub fn stats(&self, now: DateTime<FixedOffset>) -> Result<crate::stats::Stats> {
        self.refresh_day(now)?;
        crate::stats::stats(self.store.conn(), &self.scheduler, now)
    }

    /// The ids of the cards matching `query`, in its order.
    pub fn browse(
        &self,
        query: &crate::browse::BrowseQuery,
        now: DateTime<FixedOffset>,
    ) -> Result<Vec<i64>> {
        let today = self.today(now)?;
        let day = crate::browse::Day {
            now: today.now,
            start: today.start,
            tomorrow: today.tomorrow,
        };
        crate::browse::card_ids(self.store.conn(), query, &day)
    }

    /// The browser's rows for these cards (at most 1000), in that order.
    pub fn browse_rows(
        &self,
        ids: &[i64],
        now: DateTime<FixedOffset>,
    ) -> Result<Vec<crate::browse::BrowseRow>> {
        crate::browse::rows(
            self.store.conn(),
            ids,
            &self.scheduler,
            now.with_timezone(&Utc),
        )
    }

    /// What the browser's filters can choose from.
    pub fn browse_facets(&self) -> Result<crate::browse::BrowseFacets> {
        crate::browse::facets(self.store.conn())
    }

    /// A card as the browser details it: its content as the review screen shows it, its memory,
    /// schedule and history, and its note's tags.
    pub fn card_detail(&self, id: CardId, now: DateTime<FixedOffset>) -> Result<CardDetail> {
        let tags = self
            .store
            .conn()
            .prepare_cached(
                "SELECT tag FROM note_tags WHERE note_id = (SELECT note_id FROM cards WHERE id = ?1)
                 ORDER BY tag",
            )?
            .query_map([id.0], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(CardDetail {
            card: self.preview_card(id, now)?,
            info: self.card_info(id, now)?,
            tags,
        })
    }

    /// Suspends, buries, resets or sets the due date of cards, as one undoable step.
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
        let changed = self
            .store
            .transact(|tx| actions::apply(tx, action, ids, start, tomorrow))?;
        Ok(ActionReport {
            action: name.into(),
            changed,
        })
    }

    /// Takes back the last answer or card action: every card it changed returns to exactly its
    /// previous state, and an answer leaves the review log. `None` when there is nothing to undo.
    pub fn undo(&mut self, now: DateTime<FixedOffset>) -> Result<Option<UndoOutcome>> {
        let Some(undone) = self.store.transact(undo::undo_last)? else {
            return Ok(None);
        };
        // The step may have put back settings (a paused new-card queue).
        self.scheduler = Scheduler::new(&self.store.settings()?)?;
        let today = self.today(now)?;
        let counts = queue::counts(self.store.conn(), &today)?;
        let card = match undone.card {
            Some(id) => {
                let row = store::cards::get_card(self.store.conn(), id)?;
                let studiable = row.hidden == 0 && queue::is_answerable(&row.schedule, &today);
                if studiable {
                    Some(self.study_card(id, now, counts)?)
                } else {
                    None
                }
            }
            None => None,
        };
        Ok(Some(UndoOutcome {
            action: undone.action,
            card_id: undone.card.map(|id| id.0),
            cards: undone.cards.len() as u32,
            status: self.status_with(counts, now)?,
            card,
        }))
    }

    /// Terms and lessons matching `text` (search as you type), best first.
    pub fn search(&self, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
        search::search(self.store.conn(), text, limit)
    }

    /// A term's page: its text, its lessons and its see-also terms.
    pub fn term_page(&self, pack: &str, key: &str) -> Result<TermPage> {
        library::term_page(self.store.conn(), pack, key)
    }

    /// Imports a pack folder, a zipped pack or a CSV/TSV table of terms, all or nothing. A pack
    /// imported before is updated in place: changed text is replaced, progress kept, nothing
    /// the learner studied is deleted.
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
        let report = |stage: &str, done: usize, total: usize| ImportProgress {
            stage: stage.into(),
            done: done as u32,
            total: total as u32,
        };
        progress(report("reading", 0, 0))?;
        let (pack, format, skipped) = match crate::import::load(path)? {
            Loaded::Pack {
                pack,
                format,
                skipped,
            } => (pack, format, skipped),
            Loaded::Anki(package) => {
                let converted = package.convert(&self.scheduler, now)?;
                return self.store.transact(|tx| {
                    let installed = crate::import::anki::install::install(
                        tx,
                        &converted,
                        now.with_timezone(&Utc),
                        &mut |done, total| progress(report("saving", done, total)),
                    )?;
                    progress(report("done", converted.notes.len(), converted.notes.len()))?;
                    Ok(ImportReport {
                        pack: converted.id.clone(),
                        name: converted.name.clone(),
                        format: "anki".into(),
                        added: installed.added as u32,
                        updated: installed.updated as u32,
                        unchanged: installed.unchanged as u32,
                        new_cards: installed.new_cards as u32,
                        reviews: installed.reviews as u32,
                        kept: installed.kept as u32,
                        skipped: converted.skipped.clone(),
                    })
                });
            }
        };
        let pack = &pack;
        let id = pack.manifest.id.clone();
        if content::source::builtin_id() == id {
            return Err(Error::Import {
                file: path.to_path_buf(),
                entry: None,
                message: format!(
                    "'{id}' is the built-in pack, which updates with Reprise itself; give your \
                     pack its own id in pack.toml"
                ),
            });
        }
        let notes_of = |tx: &rusqlite::Transaction| -> Result<HashMap<String, String>> {
            let mut stmt = tx.prepare_cached("SELECT key, fields FROM notes WHERE pack_id = ?1")?;
            let rows = stmt.query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let total = pack.terms.len()
            + pack.flash.len()
            + pack
                .lessons
                .iter()
                .map(|l| l.questions.len())
                .sum::<usize>();
        self.store.transact(|tx| {
            let before = notes_of(tx)?;
            let installed = content::install::install_with_progress(
                tx,
                pack,
                now.with_timezone(&Utc),
                &mut |done, total| progress(report("saving", done, total)),
            )?;
            progress(report("done", pack.terms.len(), pack.terms.len()))?;
            let after = notes_of(tx)?;
            let added = after.keys().filter(|k| !before.contains_key(*k)).count();
            let updated = before
                .iter()
                .filter(|(k, fields)| after.get(*k).is_some_and(|now| now != *fields))
                .count();
            Ok(ImportReport {
                pack: id.clone(),
                name: pack.manifest.name.clone(),
                format: format.into(),
                added: added as u32,
                updated: updated as u32,
                unchanged: total.saturating_sub(added + updated) as u32,
                new_cards: installed.new_cards as u32,
                reviews: 0,
                kept: 0,
                skipped: skipped.clone(),
            })
        })
    }

    /// Writes the pack `id`, as the collection holds it, to a new zip at `dest`.
    pub fn export_pack(&self, id: &str, dest: &Path) -> Result<crate::export::Exported> {
        crate::export::export_pack(self.store.conn(), id, dest)
    }

    /// Writes the review log as CSV for FSRS tools to a new file at `dest`.
    pub fn export_revlog(&self, dest: &Path) -> Result<crate::export::Exported> {
        crate::export::export_revlog(self.store.conn(), dest)
    }

    /// The installed packs, with how many notes and cards each holds.
    pub fn packs(&self) -> Result<Vec<PackInfo>> {
        packs::list(self.store.conn())
    }

    /// Hides a pack's cards from study (`enabled = false`) or brings them back as they were.
    pub fn set_pack_enabled(&mut self, id: &str, enabled: bool) -> Result<()> {
        self.store
            .transact(|tx| packs::set_enabled(tx, id, enabled))
    }

    /// Removes a pack and its cards. With `keep_history`, its review log stays (for statistics
    /// and the optimizer, and to rejoin its cards if the pack comes back); without, it goes too.
    pub fn remove_pack(&mut self, id: &str, keep_history: bool) -> Result<packs::Removed> {
        self.store
            .transact(|tx| packs::remove(tx, id, keep_history))
    }

    /// Every area with its lessons (and their best scores) and its terms.
    pub fn library(&self) -> Result<Vec<LibraryArea>> {
        library::library(self.store.conn())
    }

    /// A lesson to read, with its diagrams inlined and its quiz.
    pub fn lesson_page(&self, pack: &str, key: &str) -> Result<LessonPage> {
        lessons::lesson_page(self.store.conn(), pack, key)
    }

    /// Grades a lesson's quiz (`answers[i]`: the options chosen for question i, 0-based) and
    /// records it. The first time, the lesson is finished: its questions and its terms' new cards
    /// go to the front of the new cards.
    pub fn finish_lesson(
        &mut self,
        pack: &str,
        key: &str,
        answers: &[Vec<u32>],
        now: DateTime<FixedOffset>,
    ) -> Result<QuizResult> {
        self.store
            .transact(|tx| lessons::finish_lesson(tx, pack, key, answers, now.with_timezone(&Utc)))
    }

    pub fn card_info(&self, card_id: CardId, now: DateTime<FixedOffset>) -> Result<CardInfo> {
        let conn = self.store.conn();
        let card = store::cards::get_card(conn, card_id)?;
        let face = present::face(&store::cards::get_note(conn, card.note_id)?, &card.template)?;
        let s = &card.schedule;
        let retrievability = self.retrievability(s, now);
        Ok(CardInfo {
            card_id: card_id.0,
            direction: card.template.clone(),
            prompt: face.prompt,
            answer: face.answer,
            state: s.state,
            stability: s.memory.map(|m| m.stability),
            difficulty: s.memory.map(|m| m.difficulty),
            retrievability,
            due: s.due.map(|d| rfc3339(d, now.offset())),
            interval_days: s.interval_days,
            reps: s.reps,
            lapses: s.lapses,
            last_review: s.last_review.map(|d| rfc3339(d, now.offset())),
            reviews: store::revlog::for_card(conn, card_id)?,
        })
    }
}

/// Fuzz is seeded by the card and its review count: the same card, answered the same way at
/// the same point in its life, gets the same interval on every device.
fn context(id: CardId, schedule: &Schedule, now: DateTime<FixedOffset>) -> Context {
    Context {
        now,
        fuzz_seed: (id.0 as u64).wrapping_add(u64::from(schedule.reps)),
    }
}
