//! Tauri commands: each locks the collection, calls one core function with the current time and
//! maps the error to the typed [`AppError`] the UI shows.

use reprise::error::AppError;
use std::sync::atomic::Ordering;

use reprise::browse::{BrowseFacets, BrowseQuery, BrowseRow};
use reprise::device::{About, DevicePrefs};
use reprise::import::{ImportProgress, ImportReport, TablePreview};
use reprise::notes::{CardPreview, NoteAdded, NoteDraft, NoteEdited, NoteView, PersonalPack};
use reprise::optimize::{OptimizeProgress, OptimizeReport};
use reprise::simulate::Workload;
use reprise::stats::Stats;
use reprise::store::backup::BackupInfo;
use reprise::store::Upgrade;
use reprise::study::backlog::{Backlog, Spread};
use reprise::study::{
    ActionReport, CardAction, CardDetail, CurriculumArea, LessonPage, LibraryArea, PackInfo,
    QuizResult, SearchHit, TermPage,
};
use reprise::sync::secrets::SyncSecret;
use reprise::sync::{SyncActivity, SyncStatus};
use reprise::{
    AnswerOutcome, CardId, NoteId, PackId, Rating, Settings, Status, StudyCard, UndoOutcome,
};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::AppState;

/// The fixed "now" (RFC 3339) when the app runs with `--now` or REPRISE_NOW, so the UI words
/// dates against the same moment; null when it follows the system clock.
#[tauri::command]
pub fn get_clock(state: State<'_, AppState>) -> Result<Option<String>, AppError> {
    static FIRST: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    crate::startup::mark_once(&FIRST, "page loaded: its first question");
    Ok(state.clock.fixed().map(|at| at.to_rfc3339()))
}

#[tauri::command]
pub fn get_status(state: State<'_, AppState>) -> Result<Status, AppError> {
    static FIRST: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    let status = state.with_collection(|c| c.status(state.now()));
    // Not a refusal (the collection still being upgraded): the counts themselves.
    if status.is_ok() {
        crate::startup::mark_once(&FIRST, "Today's counts answered");
    }
    status
}

#[tauri::command]
pub fn next_card(state: State<'_, AppState>) -> Result<Option<StudyCard>, AppError> {
    state.with_collection(|c| c.next_card(state.now()))
}

#[tauri::command]
pub fn answer_card(
    state: State<'_, AppState>,
    card_id: CardId,
    rating: Rating,
    duration_ms: u32,
) -> Result<AnswerOutcome, AppError> {
    state.with_collection(|c| c.answer(card_id, rating, state.now(), duration_ms))
}

/// `chosen`: the options picked (0-based); `rating`: Hard or Easy to override Good when right.
#[tauri::command]
pub fn answer_quiz_card(
    state: State<'_, AppState>,
    card_id: CardId,
    chosen: Vec<u32>,
    rating: Option<Rating>,
    duration_ms: u32,
) -> Result<AnswerOutcome, AppError> {
    state.with_collection(|c| c.answer_quiz(card_id, &chosen, rating, state.now(), duration_ms))
}

#[tauri::command]
pub fn undo(state: State<'_, AppState>) -> Result<Option<UndoOutcome>, AppError> {
    state.with_collection(|c| c.undo(state.now()))
}

/// Results shown while typing; more would not fit the screen.
const SEARCH_LIMIT: u32 = 30;

#[tauri::command]
pub fn search(state: State<'_, AppState>, text: String) -> Result<Vec<SearchHit>, AppError> {
    state.with_collection(|c| c.search(&text, SEARCH_LIMIT))
}

#[tauri::command]
pub fn get_term(
    state: State<'_, AppState>,
    pack: PackId,
    key: String,
) -> Result<TermPage, AppError> {
    state.with_collection(|c| c.term_page(&pack, &key))
}

#[tauri::command]
pub fn get_library(state: State<'_, AppState>) -> Result<Vec<LibraryArea>, AppError> {
    state.with_collection(|c| c.library())
}

#[tauri::command]
pub fn get_lesson(
    state: State<'_, AppState>,
    pack: PackId,
    key: String,
) -> Result<LessonPage, AppError> {
    state.with_collection(|c| c.lesson_page(&pack, &key))
}

/// Whether the options chosen (0-based) answer a quiz card right; records nothing.
#[tauri::command]
pub fn check_quiz_card(
    state: State<'_, AppState>,
    card_id: CardId,
    chosen: Vec<u32>,
) -> Result<bool, AppError> {
    state.with_collection(|c| c.check_quiz(card_id, &chosen))
}

/// Whether the options chosen answer question `question` (0-based) of a lesson right.
#[tauri::command]
pub fn check_lesson_answer(
    state: State<'_, AppState>,
    pack: PackId,
    key: String,
    question: u32,
    chosen: Vec<u32>,
) -> Result<bool, AppError> {
    state.with_collection(|c| c.check_lesson_answer(&pack, &key, question, &chosen))
}

/// `answers[i]`: the options chosen for question i (0-based).
#[tauri::command]
pub fn finish_lesson(
    state: State<'_, AppState>,
    pack: PackId,
    key: String,
    answers: Vec<Vec<u32>>,
) -> Result<QuizResult, AppError> {
    state.with_collection(|c| c.finish_lesson(&pack, &key, &answers, state.now()))
}

/// Imports a file or folder off the main thread, sending progress on `progress`; the UI stays
/// responsive and can call `cancel_import`.
#[tauri::command]
pub async fn import_file<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    progress: Channel<ImportProgress>,
) -> Result<ImportReport, AppError> {
    in_background("the import", move || {
        let state = app.state::<AppState>();
        state.cancel_import.store(false, Ordering::SeqCst);
        state.with_collection(|c| {
            c.import_with_progress(std::path::Path::new(&path), state.now(), &mut |p| {
                // A closed window is no reason to stop the import.
                let _ = progress.send(p);
                unless_cancelled(&state.cancel_import)
            })
        })
    })
    .await
}

/// Runs `work` on a blocking thread, so the window stays responsive; `what` names it should
/// the thread die.
async fn in_background<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| {
            AppError::new(
                reprise::ErrorCode::Io,
                format!("{what} stopped unexpectedly: {e}"),
            )
        })?
}

/// A progress callback's answer: stop (the learner pressed Cancel) or go on.
fn unless_cancelled(flag: &std::sync::atomic::AtomicBool) -> reprise::Result<()> {
    if flag.load(Ordering::SeqCst) {
        Err(reprise::Error::Cancelled)
    } else {
        Ok(())
    }
}

#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) -> Result<(), AppError> {
    state.cancel_import.store(true, Ordering::SeqCst);
    Ok(())
}

#[tauri::command]
pub fn list_packs(state: State<'_, AppState>) -> Result<Vec<PackInfo>, AppError> {
    state.with_collection(|c| c.packs())
}

#[tauri::command]
pub fn get_curriculum(state: State<'_, AppState>) -> Result<Vec<CurriculumArea>, AppError> {
    state.with_collection(|c| c.curriculum())
}

#[tauri::command]
pub fn set_pack_enabled(
    state: State<'_, AppState>,
    id: PackId,
    enabled: bool,
) -> Result<(), AppError> {
    state.with_collection(|c| c.set_pack_enabled(&id, enabled, state.now()))
}

#[tauri::command]
pub fn remove_pack(
    state: State<'_, AppState>,
    id: PackId,
    keep_history: bool,
) -> Result<(), AppError> {
    state.with_collection(|c| c.remove_pack(&id, keep_history, state.now()).map(|_| ()))
}

/// How a CSV/TSV table would import, for the learner to check before importing it.
#[tauri::command]
pub async fn preview_table(path: String) -> Result<TablePreview, AppError> {
    in_background("reading the table", move || {
        reprise::import::preview_table(std::path::Path::new(&path)).map_err(|e| AppError::from(&e))
    })
    .await
}

/// The rolling backups, newest first.
#[tauri::command]
pub fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupInfo>, AppError> {
    let dir = state.data_dir()?;
    reprise::store::backup::list(&dir).map_err(|e| AppError::from(&e))
}

/// Makes a backup now, off the main thread: a whole copy, compressed (1.7 s at 100k cards),
/// after the daily backup if one is being made. Returns the backups, newest (this one) first.
#[tauri::command]
pub async fn back_up_now<R: Runtime>(app: AppHandle<R>) -> Result<Vec<BackupInfo>, AppError> {
    in_background("the backup", move || {
        let state = app.state::<AppState>();
        let dir = state.data_dir()?;
        reprise::store::backup::backup_now(&dir, state.now().to_utc())
            .and_then(|_| reprise::store::backup::list(&dir))
            .map_err(|e| AppError::from(&e))
    })
    .await
}

/// Replaces the collection with the backup at `path` (checked first; the collection it replaces
/// is saved as a backup). Returns where that copy was saved.
#[tauri::command]
pub fn restore_backup(
    state: State<'_, AppState>,
    path: String,
) -> Result<Option<String>, AppError> {
    state.restore(std::path::Path::new(&path))
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings, AppError> {
    state.with_collection(|c| Ok(c.settings().clone()))
}

/// Changes the settings in `patch` (key → text, read as `reprise config set` reads it); returns
/// how many review cards were rescheduled.
#[tauri::command]
pub fn update_settings(
    state: State<'_, AppState>,
    patch: std::collections::BTreeMap<String, String>,
) -> Result<u32, AppError> {
    state.with_collection(|c| c.update_settings(&patch, state.now()))
}

#[tauri::command]
pub fn card_action(
    state: State<'_, AppState>,
    action: CardAction,
    card_ids: Vec<CardId>,
) -> Result<ActionReport, AppError> {
    state.with_collection(|c| c.card_action(action, &card_ids, state.now()))
}

/// Adds a note written in the editor to `pack` (a personal pack's id or name; none: My cards).
#[tauri::command]
pub fn add_note(
    state: State<'_, AppState>,
    pack: Option<String>,
    draft: NoteDraft,
) -> Result<NoteAdded, AppError> {
    state.with_collection(|c| c.add_note(pack.as_deref(), draft, state.now()))
}

#[tauri::command]
pub fn edit_note(
    state: State<'_, AppState>,
    note_id: NoteId,
    draft: NoteDraft,
) -> Result<NoteEdited, AppError> {
    state.with_collection(|c| c.edit_note(note_id, draft, state.now()))
}

#[tauri::command]
pub fn delete_note(state: State<'_, AppState>, note_id: NoteId) -> Result<u32, AppError> {
    state.with_collection(|c| c.delete_note(note_id, state.now()))
}

#[tauri::command]
pub fn get_note(state: State<'_, AppState>, note_id: NoteId) -> Result<NoteView, AppError> {
    state.with_collection(|c| c.note(note_id))
}

/// The cards a draft would make, rendered as review shows them.
#[tauri::command]
pub fn preview_note(
    state: State<'_, AppState>,
    pack: Option<String>,
    draft: NoteDraft,
) -> Result<Vec<CardPreview>, AppError> {
    state.with_collection(|c| c.preview_note(pack.as_deref(), draft))
}

#[tauri::command]
pub fn personal_packs(state: State<'_, AppState>) -> Result<Vec<PersonalPack>, AppError> {
    state.with_collection(|c| c.personal_packs())
}

/// Stores a pasted or dropped image; answers the path Markdown names it by.
#[tauri::command]
pub fn add_image(
    state: State<'_, AppState>,
    pack: Option<String>,
    bytes: Vec<u8>,
) -> Result<String, AppError> {
    state.with_collection(|c| c.add_image(pack.as_deref(), &bytes, state.now()))
}

/// Fits FSRS to the review log off the main thread, sending progress on `progress`;
/// `cancel_optimize` stops it without changing anything.
#[tauri::command]
pub async fn optimize<R: Runtime>(
    app: AppHandle<R>,
    progress: Channel<OptimizeProgress>,
) -> Result<OptimizeReport, AppError> {
    in_background("the optimizer", move || {
        let state = app.state::<AppState>();
        state.cancel_optimize.store(false, Ordering::SeqCst);
        state.with_collection(|c| {
            c.optimize(state.now(), &mut |p| {
                let _ = progress.send(p);
                unless_cancelled(&state.cancel_optimize)
            })
        })
    })
    .await
}

#[tauri::command]
pub fn cancel_optimize(state: State<'_, AppState>) -> Result<(), AppError> {
    state.cancel_optimize.store(true, Ordering::SeqCst);
    Ok(())
}

/// The workload simulation, off the main thread; `progress` gets (done, total) values.
#[tauri::command]
pub async fn simulate_workload<R: Runtime>(
    app: AppHandle<R>,
    progress: Channel<[u32; 2]>,
) -> Result<Workload, AppError> {
    in_background("the simulation", move || {
        let state = app.state::<AppState>();
        state.with_collection(|c| {
            c.simulate_workload(state.now(), &mut |done, total| {
                let _ = progress.send([done as u32, total as u32]);
                Ok(())
            })
        })
    })
    .await
}

#[tauri::command]
pub fn get_backlog(state: State<'_, AppState>) -> Result<Backlog, AppError> {
    state.with_collection(|c| c.backlog(state.now()))
}

#[tauri::command]
pub fn spread_backlog(state: State<'_, AppState>, days: u32) -> Result<Spread, AppError> {
    state.with_collection(|c| c.spread_backlog(days, state.now()))
}

/// The statistics screen, off the main thread: it reads the whole review log's summary and
/// every card's memory (229 ms at a million cards), which would freeze the window meanwhile.
#[tauri::command]
pub async fn get_stats<R: Runtime>(app: AppHandle<R>) -> Result<Stats, AppError> {
    in_background("the statistics", move || {
        let state = app.state::<AppState>();
        state.with_collection(|c| c.stats(state.now()))
    })
    .await
}

/// The ids of the cards matching the browser's query, in its order.
#[tauri::command]
pub fn browse_cards(
    state: State<'_, AppState>,
    query: BrowseQuery,
) -> Result<Vec<CardId>, AppError> {
    state.with_collection(|c| c.browse(&query, state.now()))
}

/// The rows of the cards on screen.
#[tauri::command]
pub fn browse_rows(
    state: State<'_, AppState>,
    ids: Vec<CardId>,
) -> Result<Vec<BrowseRow>, AppError> {
    state.with_collection(|c| c.browse_rows(&ids, state.now()))
}

#[tauri::command]
pub fn browse_facets(state: State<'_, AppState>) -> Result<BrowseFacets, AppError> {
    state.with_collection(|c| c.browse_facets())
}

#[tauri::command]
pub fn get_card_detail(
    state: State<'_, AppState>,
    card_id: CardId,
) -> Result<CardDetail, AppError> {
    state.with_collection(|c| c.card_detail(card_id, state.now()))
}

/// Where and with whom this collection syncs.
#[tauri::command]
pub fn get_sync_status(state: State<'_, AppState>) -> Result<SyncStatus, AppError> {
    state.with_collection(|c| c.sync_status(state.now()))
}

/// What the background sync is doing; [`crate::SYNC_EVENT`] tells each change.
#[tauri::command]
pub fn get_sync_activity(state: State<'_, AppState>) -> Result<SyncActivity, AppError> {
    Ok(state.syncer.activity())
}

/// Syncs in the background at once ("Sync now"); the UI follows it by its events.
#[tauri::command]
pub fn sync_now(state: State<'_, AppState>) -> Result<(), AppError> {
    state.syncer.now();
    Ok(())
}

#[tauri::command]
pub fn sync_off(state: State<'_, AppState>) -> Result<(), AppError> {
    state.with_collection(|c| c.sync_off())
}

/// Turns sync on through `target` (or moves it there) off the main thread — recording a long
/// history as events takes a while — then syncs in the background. A server's `secret` (its
/// key) is kept in the OS keyring, never in the collection.
#[tauri::command]
pub async fn set_sync_target<R: Runtime>(
    app: AppHandle<R>,
    target: String,
    name: Option<String>,
    secret: Option<SyncSecret>,
) -> Result<SyncStatus, AppError> {
    reprise::sync::require_full_path(&target).map_err(|e| AppError::from(&e))?;
    in_background("turning sync on", move || {
        let state = app.state::<AppState>();
        let status = state.with_collection(|c| {
            match &secret {
                Some(secret) => {
                    c.sync_connect_with(&target, name.as_deref(), secret, state.now())?
                }
                None => c.sync_connect(&target, name.as_deref(), state.now())?,
            }
            c.sync_status(state.now())
        })?;
        state.syncer.now();
        Ok(status)
    })
    .await
}

/// The schema upgrade the collection is going through, while it is: the page shows it instead of
/// Today until it is done (other commands fail meanwhile).
#[tauri::command]
pub fn get_upgrade(state: State<'_, AppState>) -> Result<Option<Upgrade>, AppError> {
    Ok(state.upgrading())
}

/// The app's version and its data folder, for Settings.
#[tauri::command]
pub fn get_about(state: State<'_, AppState>) -> Result<About, AppError> {
    Ok(reprise::device::about(&state.data_dir()?))
}

/// This device's own preferences (zoom, daily reminder), never synced.
#[tauri::command]
pub fn get_device_prefs(state: State<'_, AppState>) -> Result<DevicePrefs, AppError> {
    Ok(reprise::device::load(&state.data_dir()?))
}

/// Checks and saves this device's preferences, then applies them: the window's zoom at once,
/// the reminder from its next time.
#[tauri::command]
pub async fn set_device_prefs<R: Runtime>(
    app: AppHandle<R>,
    prefs: DevicePrefs,
) -> Result<DevicePrefs, AppError> {
    let state = app.state::<AppState>();
    reprise::device::save(&state.data_dir()?, &prefs).map_err(|e| AppError::from(&e))?;
    crate::device::apply(&app, &prefs);
    Ok(prefs)
}

/// The page has drawn Today's counts: the window, hidden until now, is shown.
#[tauri::command]
pub async fn show_window<R: Runtime>(app: AppHandle<R>) -> Result<(), AppError> {
    static FIRST: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    crate::startup::mark_once(&FIRST, "window shown with Today's counts");
    crate::device::show_window(&app);
    Ok(())
}

/// Whether Reprise starts when the learner logs in (the OS's autostart entry is the truth).
#[tauri::command]
pub async fn get_start_at_login<R: Runtime>(app: AppHandle<R>) -> Result<bool, AppError> {
    crate::device::starts_at_login(&app)
}

/// Adds or removes the OS's autostart entry; answers whether it is there now.
#[tauri::command]
pub async fn set_start_at_login<R: Runtime>(app: AppHandle<R>, on: bool) -> Result<bool, AppError> {
    crate::device::start_at_login(&app, on)
}
